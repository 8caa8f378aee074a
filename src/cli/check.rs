//! `tact check`: lint conversations and report what breaks the policy.

use std::io::{self, IsTerminal, Write};

use codespan_reporting::term::termcolor::{Color, StandardStream, WriteColor};

use rayon::prelude::*;

use super::args::{CheckArgs, ColorWhen, FailOn, Format, InputKind};
use super::{color_choice, load_engine, stderr_stream, write_label, ExitStatus};
use crate::conversation::Conversation;
use crate::dsl::ast::Severity;
use crate::engine::Engine;
use crate::input::{self, Input, InputError};
use crate::render::human::{self, Totals};
use crate::render::json::{self, JsonWriter};
use crate::report::ConversationReport;

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
    let (mut inputs, mut errors) = if args.paths.is_empty() {
        if io::stdin().is_terminal() {
            writeln!(
                io::stderr(),
                "error: no input: give files or folders to check, or `-` to read stdin"
            )?;
            return Ok(ExitStatus::Trouble);
        }
        (vec![Input::Stdin], Vec::new())
    } else {
        input::collect_inputs(&args.paths)
    };
    if inputs.is_empty() && errors.is_empty() {
        errors.push(InputError::new(
            &args
                .paths
                .iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(", "),
            None,
            "no conversation files found (.json, .jsonl, .yaml, .yml, .txt)",
        ));
    }
    inputs.dedup();

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
    let mut batch: Vec<Conversation> = Vec::with_capacity(BATCH);
    for input in &inputs {
        let mut io_error: Option<io::Error> = None;
        input::read_input(input, &mut |record| {
            if io_error.is_some() {
                return;
            }
            match record {
                Ok(c) => batch.push(c),
                Err(e) => errors.push(e),
            }
            if batch.len() >= BATCH {
                if let Err(e) = flush(&engine, &mut batch, &mut sink, threshold, &mut failing) {
                    io_error = Some(e);
                }
            }
        });
        if let Some(e) = io_error {
            return Err(e);
        }
        flush(&engine, &mut batch, &mut sink, threshold, &mut failing)?;
    }
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

/// How many conversations are read before they are checked together, in parallel. This bounds
/// the memory in flight whatever the size of the input.
const BATCH: usize = 512;

/// Checks a batch of conversations on all cores and writes their reports in input order, so the
/// output is the same byte for byte whatever the number of threads.
fn flush(
    engine: &Engine,
    batch: &mut Vec<Conversation>,
    sink: &mut Sink<'_>,
    threshold: Option<Severity>,
    failing: &mut bool,
) -> io::Result<()> {
    let reports: Vec<ConversationReport> = batch.par_iter().map(|c| engine.check(c)).collect();
    for (conversation, report) in batch.iter().zip(&reports) {
        *failing |= threshold.is_some_and(|t| report.violations.iter().any(|v| v.severity >= t));
        match sink {
            Sink::Human(out, totals) => {
                totals.add(report);
                human::write_conversation(*out, conversation, report)?
            }
            Sink::Json(out, writer) => writer.conversation(*out, report)?,
            Sink::Jsonl(out) => json::write_jsonl_line(*out, report)?,
        }
    }
    batch.clear();
    Ok(())
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
