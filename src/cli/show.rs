//! `tact check --show-settings`: what a run would use, once tact.yaml and the flags over it are
//! resolved, so a user can see why a file was (or was not) checked as they expected.

use std::io::{self, Write};
use std::path::{Path, PathBuf};

use crate::config::Config;
use crate::dsl;
use crate::render::human::terminal_line;

/// The resolved settings of one `check`, as plain values.
pub(super) struct Shown<'a> {
    /// tact.yaml, if one is used.
    pub config: Option<&'a Config>,
    /// `--no-config` was given.
    pub no_config: bool,
    /// The policy files or folders named (by flags, else tact.yaml); none for the built-in one.
    pub policy_paths: &'a [PathBuf],
    /// How many rules the policy has, once tact.yaml's `rules:` are applied.
    pub rules: usize,
    /// `auto`, `conversations` or `macros`.
    pub input: &'a str,
    /// The lowest severity that fails the run.
    pub fail_on: &'a str,
    /// The report format.
    pub format: &'a str,
    /// The baseline file, if any.
    pub baseline: Option<&'a Path>,
    /// The largest record read, in bytes.
    pub max_record_bytes: usize,
    /// Where business hours come from, if anywhere.
    pub calendar: Option<String>,
    /// The name stdin is reported by.
    pub stdin_filename: Option<&'a Path>,
}

/// Writes the settings, one `name: value` a line (file names escaped for the terminal).
pub(super) fn write_settings(out: &mut dyn Write, shown: &Shown<'_>) -> io::Result<()> {
    let path = |p: &Path| terminal_line(&p.display().to_string()).into_owned();
    let config = match (shown.config, shown.no_config) {
        (Some(c), _) => path(&c.path),
        (None, true) => "none (--no-config)".to_string(),
        (None, false) => "none found".to_string(),
    };
    let sources = if shown.policy_paths.is_empty() {
        Ok(dsl::builtin_sources())
    } else {
        dsl::read_sources(shown.policy_paths)
    };
    let kind = if shown.policy_paths.is_empty() {
        "built-in"
    } else {
        "your own"
    };
    let policy = match &sources {
        Ok(sources) => format!(
            "{kind}, {} rules, {}",
            shown.rules,
            dsl::fingerprint::fingerprint(sources)
        ),
        Err(_) => format!("{kind}, {} rules", shown.rules),
    };
    writeln!(out, "config:           {config}")?;
    writeln!(out, "policy:           {policy}")?;
    if let Ok(sources) = &sources {
        for (i, source) in sources.iter().enumerate() {
            let label = if i == 0 { "policy files:" } else { "" };
            writeln!(out, "{label:<18}{}", terminal_line(&source.path))?;
        }
    }
    if let Some(c) = shown.config.filter(|c| !c.rules.is_empty()) {
        let names: Vec<&str> = c.rules.keys().map(String::as_str).collect();
        writeln!(
            out,
            "rule settings:    {} (tact.yaml `rules:`)",
            terminal_line(&names.join(", "))
        )?;
    }
    writeln!(out, "input:            {}", shown.input)?;
    writeln!(out, "fail on:          {}", shown.fail_on)?;
    writeln!(out, "format:           {}", shown.format)?;
    let filtered = shown.config.is_some_and(Config::filters);
    writeln!(
        out,
        "include/exclude:  {}",
        if filtered { "from tact.yaml" } else { "none" }
    )?;
    writeln!(
        out,
        "baseline:         {}",
        shown.baseline.map_or_else(|| "none".to_string(), path)
    )?;
    writeln!(out, "max record size:  {}", size(shown.max_record_bytes))?;
    writeln!(
        out,
        "calendar:         {}",
        shown
            .calendar
            .as_deref()
            .map_or_else(|| "none".into(), terminal_line)
    )?;
    if let Some(name) = shown.stdin_filename {
        writeln!(out, "stdin filename:   {}", path(name))?;
    }
    Ok(())
}

/// A size in the largest binary unit that divides it.
fn size(bytes: usize) -> String {
    for (unit, factor) in [("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)] {
        if bytes >= factor && bytes.is_multiple_of(factor) {
            return format!("{} {unit}", bytes / factor);
        }
    }
    format!("{bytes} bytes")
}
