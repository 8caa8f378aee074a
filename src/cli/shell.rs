//! What tact gives the shell around it, all made from the clap definitions so they never drift
//! from the real flags: completion scripts, manual pages, and `--version` naming the built-in
//! policy.

use std::io::{self, Write};

use clap::{CommandFactory, FromArgMatches};

use super::args::Cli;
use super::ExitStatus;
use crate::dsl;

/// The command line, with `--version` saying which built-in policy this binary carries.
pub fn command() -> clap::Command {
    Cli::command().long_version(long_version())
}

/// Parses the process's arguments (clap prints help, versions and usage errors, and exits).
/// The long version (which parses the built-in policy to count its rules) is only made when
/// `--version` is asked for: every other command would pay for it at start-up.
pub fn parse_args() -> Cli {
    let wants_version = std::env::args_os().skip(1).any(|a| a == "--version");
    let cli = if wants_version {
        command()
    } else {
        Cli::command()
    };
    let matches = cli.get_matches();
    Cli::from_arg_matches(&matches).unwrap_or_else(|e| e.exit())
}

/// `0.1.0` and, on the next line, the built-in policy: how many rules, its digest and files.
pub fn long_version() -> String {
    let sources = dsl::builtin_sources();
    // Parsed only, not validated: validation compiles every regex.
    let rules = dsl::builtin_policy().map_or(0, |p| p.rules.len());
    let files: Vec<&str> = sources.iter().map(|s| s.path.as_str()).collect();
    format!(
        "{}\nbuilt-in policy: {rules} rules, {} ({})",
        env!("CARGO_PKG_VERSION"),
        dsl::fingerprint::fingerprint(&sources),
        files.join(", ")
    )
}

/// `tact completions SHELL`: the completion script on stdout.
pub(super) fn completions(shell: clap_complete::Shell) -> io::Result<ExitStatus> {
    let mut out = io::BufWriter::new(io::stdout().lock());
    clap_complete::generate(shell, &mut command(), "tact", &mut out);
    out.flush()?;
    Ok(ExitStatus::Clean)
}

/// `tact man [SUBCOMMAND]`: a manual page in roff on stdout.
pub(super) fn man(subcommand: Option<&str>) -> io::Result<ExitStatus> {
    let mut root = command();
    root.build();
    let page = match subcommand {
        None => root,
        Some(name) => {
            let Some(sub) = root.find_subcommand(name) else {
                let names: Vec<&str> = root.get_subcommands().map(|c| c.get_name()).collect();
                writeln!(
                    io::stderr(),
                    "error: no subcommand `{}`; tact has {}",
                    crate::render::human::terminal_line(name),
                    names.join(", ")
                )?;
                return Ok(ExitStatus::Trouble);
            };
            // The page is named `tact-check` and its synopsis reads `tact check ...`.
            sub.clone()
                .name(format!("tact-{}", sub.get_name()))
                .bin_name(format!("tact {}", sub.get_name()))
        }
    };
    let mut out = io::BufWriter::new(io::stdout().lock());
    clap_mangen::Man::new(page).render(&mut out)?;
    out.flush()?;
    Ok(ExitStatus::Clean)
}
