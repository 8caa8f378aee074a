//! `tact check`: lint conversations and report what breaks the policy.

use std::io::{self, IsTerminal, Write};

use codespan_reporting::term::termcolor::{Color, StandardStream, WriteColor};

use super::args::{CheckArgs, ColorWhen, FailOn, Format, InputKind};
use super::{batch, color_choice, load_engine, stderr_stream, write_label, ExitStatus};
use crate::dsl::ast::Severity;
use crate::render::human::{self, Totals};
use crate::render::json::{self, JsonWriter};

/// Where the output of `check` goes and in which shape.
enum Sink<'a> {
    Human(&'a mut dyn WriteColor, Totals),
    Json(&'a mut dyn Write, JsonWriter),
    Jsonl(&'a mut dyn Write),
}

pub(super) fn check(args: &CheckArgs, color: ColorWhen) -> io::Result<ExitStatus> {
    if let Some(what) = unsupported(args) {
        writeln!(
            io::stderr(),
            "error: {what} is not available yet in this version of tact"
        )?;
        return Ok(ExitStatus::Trouble);
    }
    let Some(engine) = load_engine(&args.policy, color)? else {
        return Ok(ExitStatus::Trouble);
    };
    let Some((inputs, mut errors)) = batch::gather_inputs(&args.paths)? else {
        return Ok(ExitStatus::Trouble);
    };

    let mut stdout = StandardStream::stdout(color_choice(color, io::stdout().is_terminal()));
    let mut plain = io::BufWriter::new(io::stdout().lock());
    let mut sink = match args.format {
        Format::Json => {
            let writer = JsonWriter::start(&mut plain)?;
            Sink::Json(&mut plain, writer)
        }
        Format::Jsonl => Sink::Jsonl(&mut plain),
        _ => Sink::Human(&mut stdout, Totals::default()),
    };
    let threshold = match args.fail_on {
        FailOn::Error => Some(Severity::Error),
        FailOn::Warning => Some(Severity::Warning),
        FailOn::Info => Some(Severity::Info),
        FailOn::Never => None,
    };
    let mut failing = false;
    batch::check_all(
        &engine,
        &inputs,
        &mut errors,
        &mut |conversation, report| {
            failing |= threshold.is_some_and(|t| report.violations.iter().any(|v| v.severity >= t));
            match &mut sink {
                Sink::Human(out, totals) => {
                    totals.add(report);
                    human::write_conversation(*out, conversation, report)
                }
                Sink::Json(out, writer) => writer.conversation(*out, report),
                Sink::Jsonl(out) => json::write_jsonl_line(*out, report),
            }
        },
    )?;
    let mut err = stderr_stream(color);
    for e in &errors {
        write_label(&mut err, "error", Color::Red)?;
        writeln!(err, ": {e}")?;
    }
    match sink {
        Sink::Human(out, totals) => human::write_summary(out, &totals, errors.len())?,
        Sink::Json(out, writer) => writer.finish(out, &errors)?,
        Sink::Jsonl(_) => {}
    }
    plain.flush()?;
    Ok(if !errors.is_empty() {
        ExitStatus::Trouble
    } else if failing {
        ExitStatus::Violations
    } else {
        ExitStatus::Clean
    })
}

/// What this version cannot do yet, named so the user is told rather than given a wrong answer.
fn unsupported(args: &CheckArgs) -> Option<&'static str> {
    if args.fix {
        return Some("`--fix`");
    }
    if args.diff {
        return Some("`--diff`");
    }
    if args.input == InputKind::Macros {
        return Some("`--input macros`");
    }
    match args.format {
        Format::Sarif => Some("`--format sarif`"),
        Format::Junit => Some("`--format junit`"),
        Format::Github => Some("`--format github`"),
        _ => None,
    }
}
