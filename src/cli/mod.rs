//! The `tact` command: parses arguments, runs one command, and turns the result into an exit
//! code. Output goes to the handles it is given, so tests can capture it.

pub mod args;
mod batch;
mod check;
mod describe;
mod eval;
mod lsp;
mod policy;
mod report_folder;
mod score;
mod shell;
mod show;

pub use shell::{command, long_version, parse_args};

use std::io::{self, IsTerminal, Write};

use codespan_reporting::term::termcolor::{
    Color, ColorChoice, ColorSpec, StandardStream, WriteColor,
};

use crate::dsl::{self, PolicyError};
use crate::engine::Engine;
use crate::input::InputError;
use crate::render::human::terminal_line;
use std::path::PathBuf;

use crate::config::Config;
use args::{Cli, ColorWhen, Command, ConfigArgs, PolicyArgs, PolicyCommand};

/// How a run ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExitStatus {
    /// Nothing at or above `--fail-on`.
    Clean = 0,
    /// Violations at or above `--fail-on`.
    Violations = 1,
    /// The run could not do what was asked.
    Trouble = 2,
}

/// Runs the parsed command line.
pub fn run(cli: Cli) -> ExitStatus {
    let color = cli.color;
    let result = match cli.command {
        Command::Check(args) => check::check(&args, color),
        Command::Score(args) => score::score(&args, color),
        Command::Policy {
            command: PolicyCommand::Check { paths, format },
        } => policy::policy_check(&paths, format, color),
        Command::Policy {
            command: PolicyCommand::Test { paths },
        } => policy::policy_test(&paths, color),
        Command::Policy {
            command: PolicyCommand::Fmt { check, paths },
        } => policy::policy_fmt(&paths, check, color),
        Command::Eval(args) => eval::eval(&args, color),
        Command::Analyze { text, reply_to } => {
            describe::analyze(text.as_deref(), reply_to.as_deref())
        }
        Command::Rules(policy) => describe::rules(&policy),
        Command::Explain { rule, policy } => describe::explain(&rule, &policy),
        Command::Completions { shell } => shell::completions(shell),
        Command::Man { subcommand } => shell::man(subcommand.as_deref()),
        Command::Lsp => lsp::lsp(),
    };
    match result {
        Ok(status) => status,
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => ExitStatus::Clean,
        Err(e) => {
            let _ = writeln!(io::stderr(), "error: {e}");
            ExitStatus::Trouble
        }
    }
}

/// The figures measured for the built-in policy, when that is the policy in use (no policy
/// named on the command line or in the config): a user's rule with a built-in rule's name is
/// another rule.
fn builtin_figures_in_use(
    policy: &PolicyArgs,
    config: Option<&Config>,
) -> Option<crate::score::quality::Quality> {
    let builtin = policy.policies.is_empty() && config.is_none_or(|c| c.policies.is_empty());
    builtin
        .then(crate::score::quality::builtin_figures)
        .flatten()
}

/// Reads a reviewer's or a labelled set's verdicts (`conversation,rule,verdict` CSV). `None`
/// after telling the user the file cannot be opened; bad rows go to `errors`.
fn read_reviews(
    path: &std::path::Path,
    rule_ids: &[&str],
    errors: &mut Vec<crate::input::InputError>,
) -> io::Result<Option<crate::score::compare::Reviews>> {
    let shown = path.display().to_string();
    let file = match std::fs::File::open(path) {
        Ok(f) => f,
        Err(e) => {
            writeln!(io::stderr(), "error: {shown}: {e}")?;
            return Ok(None);
        }
    };
    let (reviews, bad_rows) = crate::score::compare::Reviews::read(&shown, file, rule_ids);
    errors.extend(bad_rows);
    Ok(Some(reviews))
}

/// Tells the user about each record that could not be read, one a line, safe for the terminal.
fn report_input_errors(err: &mut impl WriteColor, errors: &[InputError]) -> io::Result<()> {
    for e in errors {
        write_label(err, "error", Color::Red)?;
        writeln!(err, ": {}", terminal_line(&e.to_string()))?;
    }
    Ok(())
}

/// Writes `word` bold in `color` (where colors are on).
fn write_label(out: &mut impl WriteColor, word: &str, color: Color) -> io::Result<()> {
    out.set_color(ColorSpec::new().set_fg(Some(color)).set_bold(true))?;
    write!(out, "{word}")?;
    out.reset()
}

fn color_choice(when: ColorWhen, stream_is_terminal: bool) -> ColorChoice {
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    match when {
        ColorWhen::Always => ColorChoice::Always,
        ColorWhen::Never => ColorChoice::Never,
        ColorWhen::Auto if no_color || !stream_is_terminal => ColorChoice::Never,
        ColorWhen::Auto => ColorChoice::Auto,
    }
}

fn stderr_stream(color: ColorWhen) -> StandardStream {
    StandardStream::stderr(color_choice(color, io::stderr().is_terminal()))
}

/// Loads the policy the user asked for, or the built-in one; prints policy errors to stderr.
fn load_engine(policy: &PolicyArgs, color: ColorWhen) -> io::Result<Option<Engine>> {
    load_engine_showing_warnings(policy, color, false)
}

/// Turns the cache of compiled policy data on in the user's cache folder, unless `--no-cache`
/// (or `TACT_NO_CACHE`) turns it off. Commands that do not load a policy never use it.
fn use_cache(policy: &PolicyArgs) {
    let folder = if policy.no_cache {
        None
    } else {
        crate::cache::user_folder()
    };
    crate::cache::set_folder(folder);
}

/// The project configuration a command runs with: `--config`, else the nearest `tact.yaml` from
/// the first path (or the current folder) upwards; none with `--no-config`. `Err` after telling
/// the user what is wrong with it.
fn load_config(args: &ConfigArgs, paths: &[PathBuf]) -> io::Result<Result<Option<Config>, ()>> {
    if args.no_config {
        return Ok(Ok(None));
    }
    let path = match &args.config {
        Some(p) => Some(p.clone()),
        None => {
            let start = paths
                .iter()
                .find(|p| p.as_os_str() != "-")
                .cloned()
                .unwrap_or_else(|| PathBuf::from("."));
            Config::discover(&start)
        }
    };
    let Some(path) = path else {
        return Ok(Ok(None));
    };
    match Config::load(&path) {
        Ok(config) => Ok(Ok(Some(config))),
        Err(e) => {
            writeln!(io::stderr(), "error: {e}")?;
            Ok(Err(()))
        }
    }
}

/// Loads the policy for `check` and `score`: the `--policy` paths, else the configuration's,
/// else the built-in one; then the configuration's per-rule settings and business hours
/// (`--calendar`, else tact.yaml's `calendar:`).
fn load_configured_engine(
    policy: &PolicyArgs,
    config_args: &ConfigArgs,
    config: Option<&Config>,
    color: ColorWhen,
) -> io::Result<Option<Engine>> {
    use_cache(policy);
    let paths = if !policy.policies.is_empty() {
        policy.policies.clone()
    } else {
        config.map(|c| c.policies.clone()).unwrap_or_default()
    };
    let parsed = if paths.is_empty() {
        dsl::builtin_policy()
    } else {
        match dsl::read_sources(&paths) {
            Ok(sources) => dsl::parse_policy(&sources),
            Err(errors) => {
                report_policy_errors(&errors, color)?;
                return Ok(None);
            }
        }
    };
    let mut parsed = match parsed {
        Ok(p) => p,
        Err(errors) => {
            report_policy_errors(&errors, color)?;
            return Ok(None);
        }
    };
    if let Some(config) = config {
        if let Err(e) = config.apply(&mut parsed) {
            writeln!(io::stderr(), "error: {e}")?;
            return Ok(None);
        }
    }
    let mut engine = match Engine::new(&parsed) {
        Ok(engine) => engine,
        Err(e) => {
            writeln!(io::stderr(), "error: {e}")?;
            return Ok(None);
        }
    };
    if let Err(e) = apply_calendar(&mut engine, config_args, config) {
        writeln!(io::stderr(), "error: {e}")?;
        return Ok(None);
    }
    Ok(Some(engine))
}

/// Business hours from `--calendar FILE`, else from tact.yaml, applied to the timing rules.
fn apply_calendar(
    engine: &mut Engine,
    config_args: &ConfigArgs,
    config: Option<&Config>,
) -> Result<(), String> {
    let (spec, from) = match &config_args.calendar {
        Some(path) => {
            let shown = path.display().to_string();
            let text = std::fs::read_to_string(path).map_err(|e| format!("{shown}: {e}"))?;
            let spec: crate::calendar::CalendarSpec =
                crate::yaml::from_str(&text).map_err(|e| match e.line {
                    Some(line) => format!("{shown}:{line}: {e}"),
                    None => format!("{shown}: {e}"),
                })?;
            (spec, shown)
        }
        None => match config.and_then(|c| {
            c.calendar
                .clone()
                .map(|s| (s, c.path.display().to_string()))
        }) {
            Some((spec, path)) => (spec, format!("{path}: `calendar`")),
            None => return Ok(()),
        },
    };
    let calendar =
        crate::calendar::Calendar::from_spec(&spec).map_err(|e| format!("{from}: {e}"))?;
    engine
        .set_calendar(calendar, spec.applies_to.as_deref())
        .map_err(|e| format!("{from}: {e}"))
}

/// As [`load_engine`], printing the policy's warnings too when asked (`tact policy check`).
fn load_engine_showing_warnings(
    policy: &PolicyArgs,
    color: ColorWhen,
    show_warnings: bool,
) -> io::Result<Option<Engine>> {
    use_cache(policy);
    let sources = if policy.policies.is_empty() {
        dsl::builtin_sources()
    } else {
        match dsl::read_sources(&policy.policies) {
            Ok(sources) => sources,
            Err(errors) => {
                report_policy_errors(&errors, color)?;
                return Ok(None);
            }
        }
    };
    let parsed = match dsl::parse_policy(&sources) {
        Ok(p) => p,
        Err(errors) => {
            report_policy_errors(&errors, color)?;
            return Ok(None);
        }
    };
    if show_warnings && !parsed.warnings.is_empty() {
        report_policy_errors(&parsed.warnings, color)?;
    }
    match Engine::new(&parsed) {
        Ok(engine) => Ok(Some(engine)),
        Err(e) => {
            writeln!(io::stderr(), "error: {e}")?;
            Ok(None)
        }
    }
}

fn report_policy_errors(errors: &[PolicyError], color: ColorWhen) -> io::Result<()> {
    let mut err = stderr_stream(color);
    for e in errors {
        e.write_to(&mut err)?;
    }
    let n = errors.iter().filter(|e| !e.is_warning()).count();
    let w = errors.len() - n;
    if n > 0 {
        writeln!(
            err,
            "{n} error{} in the policy",
            if n == 1 { "" } else { "s" }
        )?;
    } else if w > 0 {
        writeln!(
            err,
            "{w} warning{} in the policy",
            if w == 1 { "" } else { "s" }
        )?;
    }
    Ok(())
}
