//! `tact check`: lint conversations and macro libraries, report what breaks the policy, and for
//! macros fix what can be fixed mechanically (`--fix`, `--diff`).

use std::io::{self, IsTerminal, Write};
use std::path::Path;

use codespan_reporting::term::termcolor::{Color, StandardStream, WriteColor};
use rayon::prelude::*;

use super::args::{CheckArgs, ColorWhen, FailOn, Format, InputKind};
use super::{batch, color_choice, load_engine, stderr_stream, write_label, ExitStatus};
use crate::dsl::ast::Severity;
use crate::engine::Engine;
use crate::input::{Input, InputError};
use crate::macros::fix::{fix_file, unified_diff};
use crate::macros::{self, LibraryKind, MacroFile};
use crate::render::ci::{self, JunitWriter, SarifWriter};
use crate::render::human::{self, Totals};
use crate::render::json::{self, JsonWriter};
use crate::render::subject::Subject;
use crate::report::ConversationReport;

/// Where the output of `check` goes and in which shape.
enum Sink<'a> {
    Human(&'a mut dyn WriteColor, Totals),
    Json(&'a mut dyn Write, JsonWriter),
    Jsonl(&'a mut dyn Write),
    Sarif(&'a mut dyn Write, SarifWriter),
    Junit(&'a mut dyn Write, JunitWriter),
    Github(&'a mut dyn Write, Totals),
    /// `--diff`: the diffs are the output.
    Quiet,
}

/// What one run has found so far.
struct Run<'a> {
    sink: Sink<'a>,
    threshold: Option<Severity>,
    failing: bool,
}

impl Run<'_> {
    fn add(&mut self, subject: &Subject<'_>, report: &ConversationReport) -> io::Result<()> {
        self.failing |= self
            .threshold
            .is_some_and(|t| report.violations.iter().any(|v| v.severity >= t));
        match &mut self.sink {
            Sink::Human(out, totals) => match subject {
                Subject::Conversation(c) => {
                    totals.add(report);
                    human::write_conversation(*out, c, report)
                }
                Subject::Macro {
                    file,
                    index,
                    conversation,
                } => {
                    totals.add_macro(report);
                    human::write_macro(*out, file, *index, conversation, report)
                }
            },
            Sink::Json(out, writer) => writer.conversation(*out, subject, report),
            Sink::Jsonl(out) => json::write_jsonl_line(*out, subject, report),
            Sink::Sarif(_, writer) => {
                writer.add(subject, report);
                Ok(())
            }
            Sink::Junit(_, writer) => {
                writer.add(subject, report, self.threshold);
                Ok(())
            }
            Sink::Github(out, totals) => {
                totals.add(report);
                ci::write_github(*out, subject, report)
            }
            Sink::Quiet => Ok(()),
        }
    }

    fn finish(self, errors: &[InputError]) -> io::Result<()> {
        match self.sink {
            Sink::Human(out, totals) => human::write_summary(out, &totals, errors.len()),
            Sink::Json(out, writer) => writer.finish(out, errors),
            Sink::Sarif(out, writer) => writer.finish(out),
            Sink::Junit(out, writer) => writer.finish(out),
            Sink::Github(out, _) => {
                for e in errors {
                    let line = e.line.map(|l| format!(",line={l}")).unwrap_or_default();
                    writeln!(out, "::error file={}{line}::{}", e.path, e.message)?;
                }
                Ok(())
            }
            Sink::Jsonl(_) | Sink::Quiet => Ok(()),
        }
    }
}

pub(super) fn check(args: &CheckArgs, color: ColorWhen) -> io::Result<ExitStatus> {
    let Some(engine) = load_engine(&args.policy, color)? else {
        return Ok(ExitStatus::Trouble);
    };
    let Some((inputs, mut errors)) = batch::gather_inputs(&args.paths)? else {
        return Ok(ExitStatus::Trouble);
    };
    let mut stdout = StandardStream::stdout(color_choice(color, io::stdout().is_terminal()));
    let mut plain = io::BufWriter::new(io::stdout().lock());
    let sink = if args.diff {
        Sink::Quiet
    } else {
        match args.format {
            Format::Human => Sink::Human(&mut stdout, Totals::default()),
            Format::Json => {
                let writer = JsonWriter::start(&mut plain)?;
                Sink::Json(&mut plain, writer)
            }
            Format::Jsonl => Sink::Jsonl(&mut plain),
            Format::Sarif => Sink::Sarif(&mut plain, SarifWriter::new(engine.rules())),
            Format::Junit => Sink::Junit(&mut plain, JunitWriter::new()),
            Format::Github => Sink::Github(&mut plain, Totals::default()),
        }
    };
    let threshold = match args.fail_on {
        FailOn::Error => Some(Severity::Error),
        FailOn::Warning => Some(Severity::Warning),
        FailOn::Info => Some(Severity::Info),
        FailOn::Never => None,
    };
    let mut run = Run {
        sink,
        threshold,
        failing: false,
    };
    let mut notes: Vec<String> = Vec::new();
    let mut diffs = String::new();
    // Conversation files are checked together, in parallel batches; each macro library on its
    // own, so it can be fixed as a whole.
    let mut pending: Vec<Input> = Vec::new();
    for input in inputs {
        match classify(&input, args.input) {
            Ok(Some((path, text, kind))) => {
                flush_conversations(&engine, &mut pending, &mut errors, &mut run)?;
                let (file, file_errors) = MacroFile::read(&path, text, kind);
                errors.extend(file_errors);
                let reports = check_macros(&engine, &file);
                if args.fix || args.diff {
                    match fix_file(&file, &reports) {
                        Ok(Some(fixed)) => {
                            notes.extend(fixed.skipped.iter().map(|s| format!("not fixed: {s}")));
                            if args.diff {
                                diffs.push_str(&unified_diff(&file.path, &file.text, &fixed.text));
                                report_macros(&mut run, &file, &reports)?;
                            } else {
                                crate::atomic::write_atomically(
                                    Path::new(&path),
                                    fixed.text.as_bytes(),
                                )?;
                                notes.push(format!(
                                    "{path}: {} fix{} applied",
                                    fixed.applied,
                                    if fixed.applied == 1 { "" } else { "es" }
                                ));
                                // Report what is left, as the file now reads.
                                let (file, _) = MacroFile::read(&path, fixed.text, kind);
                                let reports = check_macros(&engine, &file);
                                report_macros(&mut run, &file, &reports)?;
                            }
                            continue;
                        }
                        Ok(None) => {}
                        Err(why) => errors.push(InputError::new(&path, None, why)),
                    }
                }
                report_macros(&mut run, &file, &reports)?;
            }
            Ok(None) => pending.push(input),
            Err(e) => errors.push(e),
        }
    }
    flush_conversations(&engine, &mut pending, &mut errors, &mut run)?;
    let mut err = stderr_stream(color);
    for e in &errors {
        write_label(&mut err, "error", Color::Red)?;
        writeln!(err, ": {e}")?;
    }
    for note in &notes {
        write_label(&mut err, "note", Color::Cyan)?;
        writeln!(err, ": {note}")?;
    }
    let failing = run.failing;
    run.finish(&errors)?;
    if args.diff {
        plain.write_all(diffs.as_bytes())?;
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

fn flush_conversations(
    engine: &Engine,
    pending: &mut Vec<Input>,
    errors: &mut Vec<InputError>,
    run: &mut Run<'_>,
) -> io::Result<()> {
    if pending.is_empty() {
        return Ok(());
    }
    batch::check_all(engine, pending, errors, &mut |conversation, report| {
        run.add(&Subject::Conversation(conversation), report)
    })?;
    pending.clear();
    Ok(())
}

fn check_macros(engine: &Engine, file: &MacroFile) -> Vec<ConversationReport> {
    (0..file.macros.len())
        .into_par_iter()
        .map(|i| {
            let conversation = file.macros[i].conversation(&file.path, file.line_of(i));
            engine.check_macro(&conversation)
        })
        .collect()
}

fn report_macros(
    run: &mut Run<'_>,
    file: &MacroFile,
    reports: &[ConversationReport],
) -> io::Result<()> {
    for (index, report) in reports.iter().enumerate() {
        let conversation = file.macros[index].conversation(&file.path, file.line_of(index));
        let subject = Subject::Macro {
            file,
            index,
            conversation: &conversation,
        };
        run.add(&subject, report)?;
    }
    Ok(())
}

/// Whether an input is a macro library (then its path, text and kind) or conversations.
fn classify(
    input: &Input,
    wanted: InputKind,
) -> Result<Option<(String, String, LibraryKind)>, InputError> {
    let Input::File(path) = input else {
        if wanted == InputKind::Macros {
            return Err(InputError::new(
                "<stdin>",
                None,
                "macro libraries are read from files, not stdin",
            ));
        }
        return Ok(None);
    };
    let shown = path.display().to_string();
    let extension = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    let candidate = match wanted {
        InputKind::Conversations => false,
        InputKind::Macros => true,
        InputKind::Auto => matches!(
            extension.as_str(),
            "md" | "markdown" | "json" | "yaml" | "yml"
        ),
    };
    if !candidate {
        return Ok(None);
    }
    let text = std::fs::read_to_string(path)
        .map_err(|e| InputError::new(&shown, None, format!("cannot read: {e}")))?;
    let detected =
        if matches!(extension.as_str(), "json" | "yaml" | "yml") && wanted == InputKind::Auto {
            // A quick look before parsing: conversations have events.
            let head = text.get(..text.len().min(65_536)).unwrap_or(&text);
            if head.contains("\"events\"") || head.contains("events:") {
                None
            } else {
                macros::detect(&shown, &text)
            }
        } else {
            macros::detect(&shown, &text)
        };
    match (detected, wanted) {
        (Some(kind), _) => Ok(Some((shown, text, kind))),
        (None, InputKind::Macros) if matches!(extension.as_str(), "txt" | "text") => {
            Ok(Some((shown, text, LibraryKind::OneFile)))
        }
        (None, InputKind::Macros) => Err(InputError::new(
            &shown,
            None,
            "not a macro library: expected a list of {id, title, body}, Zendesk's {\"macros\": [...]}, or one Markdown or text file per macro",
        )),
        (None, _) => Ok(None),
    }
}
