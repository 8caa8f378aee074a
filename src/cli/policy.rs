//! `tact policy check|test|fmt`: validate policy files, run their examples, lay them out.

use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};

use codespan_reporting::term::termcolor::{Color, StandardStream};

use super::args::{ColorWhen, PolicyArgs, PolicyFormat};
use super::{
    color_choice, load_engine, load_engine_showing_warnings, report_policy_errors, write_label,
    ExitStatus,
};
use crate::dsl;
use crate::engine::Engine;
use crate::render::policy_errors;

pub(super) fn policy_check(
    paths: &[PathBuf],
    format: PolicyFormat,
    color: ColorWhen,
) -> io::Result<ExitStatus> {
    if format != PolicyFormat::Human {
        return policy_check_as_data(paths, format);
    }
    let policy = PolicyArgs {
        policies: paths.to_vec(),
        no_cache: true,
    };
    match load_engine_showing_warnings(&policy, color, true)? {
        Some(engine) => {
            writeln!(
                io::stdout(),
                "policy ok: {} rule{}",
                engine.rules().len(),
                if engine.rules().len() == 1 { "" } else { "s" }
            )?;
            Ok(ExitStatus::Clean)
        }
        None => Ok(ExitStatus::Trouble),
    }
}

/// `tact policy check --format json|sarif|github`: every error and warning on stdout as data.
fn policy_check_as_data(paths: &[PathBuf], format: PolicyFormat) -> io::Result<ExitStatus> {
    let diagnostics = match dsl::read_sources(paths) {
        Err(errors) => errors,
        Ok(sources) => match dsl::parse_policy(&sources) {
            Err(errors) => errors,
            Ok(parsed) => match Engine::new(&parsed) {
                Ok(_) => parsed.warnings,
                Err(e) => {
                    let shown = paths.first().map(|p| p.display().to_string());
                    vec![dsl::PolicyError::file(&shown.unwrap_or_default(), e)]
                }
            },
        },
    };
    let mut out = io::stdout().lock();
    match format {
        PolicyFormat::Json | PolicyFormat::Human => {
            policy_errors::write_json(&mut out, &diagnostics)?
        }
        PolicyFormat::Sarif => policy_errors::write_sarif(&mut out, &diagnostics)?,
        PolicyFormat::Github => policy_errors::write_github(&mut out, &diagnostics)?,
    }
    out.flush()?;
    Ok(if diagnostics.iter().any(|d| !d.is_warning()) {
        ExitStatus::Trouble
    } else {
        ExitStatus::Clean
    })
}

pub(super) fn policy_fmt(
    paths: &[PathBuf],
    check: bool,
    color: ColorWhen,
) -> io::Result<ExitStatus> {
    let sources = match dsl::read_sources(paths) {
        Ok(sources) => sources,
        Err(errors) => {
            report_policy_errors(&errors, color)?;
            return Ok(ExitStatus::Trouble);
        }
    };
    let mut out = io::stdout().lock();
    let mut changed = 0;
    for source in &sources {
        let formatted = match dsl::format::format_policy(&source.path, &source.text) {
            Ok(f) => f,
            Err(errors) => {
                report_policy_errors(&errors, color)?;
                return Ok(ExitStatus::Trouble);
            }
        };
        if formatted == source.text {
            continue;
        }
        changed += 1;
        if check {
            writeln!(out, "would reformat {}", source.path)?;
        } else {
            crate::atomic::write_atomically(Path::new(&source.path), formatted.as_bytes())?;
            writeln!(out, "reformatted {}", source.path)?;
        }
    }
    let total = sources.len();
    writeln!(
        out,
        "{total} file{}: {changed} {}",
        if total == 1 { "" } else { "s" },
        if check { "would change" } else { "changed" }
    )?;
    Ok(if check && changed > 0 {
        ExitStatus::Violations
    } else {
        ExitStatus::Clean
    })
}

pub(super) fn policy_test(paths: &[PathBuf], color: ColorWhen) -> io::Result<ExitStatus> {
    let policy = PolicyArgs {
        policies: paths.to_vec(),
        no_cache: true,
    };
    let Some(engine) = load_engine(&policy, color)? else {
        return Ok(ExitStatus::Trouble);
    };
    let results = crate::examples::run_examples(&engine);
    let mut out = StandardStream::stdout(color_choice(color, io::stdout().is_terminal()));
    let failed: Vec<_> = results.iter().filter(|r| !r.passed()).collect();
    for r in &failed {
        write_label(&mut out, "FAIL", Color::Red)?;
        writeln!(out, " {} {}", r.location, r.rule)?;
        for line in &r.lines {
            writeln!(out, "  | {line}")?;
        }
        let expected = if r.expected_to_fire {
            "the rule to fire"
        } else {
            "the rule not to fire"
        };
        writeln!(out, "  expected: {expected}")?;
        match (&r.error, r.found.is_empty()) {
            (Some(e), _) => writeln!(out, "  but: the example cannot be read: {e}")?,
            (None, true) => writeln!(out, "  but: it did not fire")?,
            (None, false) => writeln!(out, "  but: it fired on {}", quoted(&r.found))?,
        }
        writeln!(out)?;
    }
    let rules_without = engine
        .rules()
        .iter()
        .filter(|r| r.examples.is_empty())
        .count();
    writeln!(
        out,
        "{} examples: {} passed, {} failed{}",
        results.len(),
        results.len() - failed.len(),
        failed.len(),
        if rules_without > 0 {
            format!(" ({rules_without} rules have no examples)")
        } else {
            String::new()
        }
    )?;
    Ok(if failed.is_empty() {
        ExitStatus::Clean
    } else {
        ExitStatus::Violations
    })
}

fn quoted(found: &[String]) -> String {
    found
        .iter()
        .map(|f| format!("\"{f}\""))
        .collect::<Vec<_>>()
        .join(", ")
}
