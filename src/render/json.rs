//! The contract's JSON report, written as it goes so memory does not grow with the input, and
//! its JSONL form (one conversation object per line).

use std::io::{self, Write};

use serde::Serialize;

use crate::input::InputError;
use crate::report::{ConversationReport, Violation};

#[derive(Serialize)]
struct ConversationOut<'a> {
    id: &'a str,
    source: &'a str,
    violations: &'a [Violation],
}

#[derive(Serialize)]
struct ErrorOut<'a> {
    source: String,
    path: &'a str,
    line: Option<usize>,
    message: &'a str,
}

fn conversation_json(report: &ConversationReport) -> io::Result<String> {
    serde_json::to_string(&ConversationOut {
        id: &report.id,
        source: &report.source,
        violations: &report.violations,
    })
    .map_err(io::Error::other)
}

/// Writes one conversation as one line of JSONL.
pub fn write_jsonl_line(out: &mut dyn Write, report: &ConversationReport) -> io::Result<()> {
    writeln!(out, "{}", conversation_json(report)?)
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
        report: &ConversationReport,
    ) -> io::Result<()> {
        let sep = if self.conversations == 0 { "" } else { "," };
        write!(out, "{sep}\n    {}", conversation_json(report)?)?;
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
