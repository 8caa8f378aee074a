//! The contract's JSON report, written as it goes so memory does not grow with the input, and
//! its JSONL form (one conversation object per line).

use std::io::{self, Write};

use serde::Serialize;

use crate::report::{ConversationReport, InputError, Location, Subject, SubjectKind, Violation};

#[derive(Serialize)]
struct ConversationOut<'a> {
    id: &'a str,
    source: &'a str,
    violations: Vec<LocatedViolation<'a>>,
}

/// A macro: the same shape, plus `kind` and each violation's place in the file as written.
#[derive(Serialize)]
struct MacroOut<'a> {
    id: &'a str,
    kind: &'static str,
    source: String,
    violations: Vec<LocatedViolation<'a>>,
}

#[derive(Serialize)]
struct LocatedViolation<'a> {
    #[serde(flatten)]
    violation: &'a Violation,
    location: &'a Location,
}

#[derive(Serialize)]
struct ErrorOut<'a> {
    source: String,
    path: &'a str,
    line: Option<usize>,
    message: &'a str,
}

fn conversation_json(subject: &Subject<'_>, report: &ConversationReport) -> io::Result<String> {
    match subject.kind {
        SubjectKind::Conversation => serde_json::to_string(&ConversationOut {
            id: &report.id,
            source: &report.source,
            violations: located(report),
        }),
        SubjectKind::Macro => serde_json::to_string(&MacroOut {
            id: &report.id,
            kind: "macro",
            source: format!("{}:{}", subject.path(), subject.line()),
            violations: located(report),
        }),
    }
    .map_err(io::Error::other)
}

/// Each violation with its place in the file as written.
fn located(report: &ConversationReport) -> Vec<LocatedViolation<'_>> {
    report
        .violations
        .iter()
        .map(|violation| LocatedViolation {
            violation,
            location: &violation.place.location,
        })
        .collect()
}

/// Writes one conversation or macro as one line of JSONL.
pub fn write_jsonl_line(
    out: &mut dyn Write,
    subject: &Subject<'_>,
    report: &ConversationReport,
) -> io::Result<()> {
    writeln!(out, "{}", conversation_json(subject, report)?)
}

/// Writes the `--format json` document piece by piece.
pub struct JsonWriter {
    conversations: usize,
    violations: usize,
}

impl JsonWriter {
    /// Starts the document.
    pub fn start(out: &mut dyn Write) -> io::Result<JsonWriter> {
        write!(out, "{{\n  \"version\": 1,\n  \"conversations\": [")?;
        Ok(JsonWriter {
            conversations: 0,
            violations: 0,
        })
    }

    /// Adds one conversation.
    pub fn conversation(
        &mut self,
        out: &mut dyn Write,
        subject: &Subject<'_>,
        report: &ConversationReport,
    ) -> io::Result<()> {
        let sep = if self.conversations == 0 { "" } else { "," };
        write!(out, "{sep}\n    {}", conversation_json(subject, report)?)?;
        self.conversations += 1;
        self.violations += report.violations.len();
        Ok(())
    }

    /// Ends the document with the input errors and the summary.
    pub fn finish(self, out: &mut dyn Write, errors: &[InputError]) -> io::Result<()> {
        let error_count = errors.len();
        let errors: Vec<ErrorOut<'_>> = errors
            .iter()
            .map(|e| ErrorOut {
                source: match e.line {
                    Some(line) => format!("{}:{}", e.path, line),
                    None => e.path.clone(),
                },
                path: &e.path,
                line: e.line,
                message: &e.message,
            })
            .collect();
        let errors = serde_json::to_string(&errors).map_err(io::Error::other)?;
        let close = if self.conversations == 0 {
            "]"
        } else {
            "\n  ]"
        };
        writeln!(
            out,
            "{close},\n  \"errors\": {errors},\n  \"summary\": {{\"conversations\": {}, \"violations\": {}, \"errors\": {}}}\n}}",
            self.conversations,
            self.violations,
            error_count,
        )
    }
}
