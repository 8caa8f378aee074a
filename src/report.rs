//! What checking a conversation finds: violations, and each rule's verdict.

use std::fmt;
use std::sync::Arc;

use serde::Serialize;

use crate::dsl::ast::Severity;

/// A byte range in one event's `text`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct TextSpan {
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
}

/// How a violation's suggestion applies to the text of its event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum FixKind {
    /// The suggestion replaces the span (a forbidden phrase).
    Replace,
    /// The suggestion is added at the start of the message (something that must come first).
    InsertBefore,
}

/// One violation of one rule, as the JSON report shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Violation {
    /// The rule id.
    pub rule: Arc<str>,
    /// How serious it is.
    pub severity: Severity,
    /// What is wrong.
    pub message: Arc<str>,
    /// The 0-based index into `events`, or `None` for the conversation as a whole.
    pub event: Option<usize>,
    /// Where in that event's text, or `None`.
    pub span: Option<TextSpan>,
    /// The offending text, when there is a span.
    pub excerpt: Option<String>,
    /// The phrasing to use instead, or to add.
    pub suggestion: Option<Arc<str>>,
    /// What exactly was found, when the message alone does not say (how late a reply was).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// How the suggestion applies to the event's text, when it does.
    #[serde(skip)]
    pub fix: Option<FixKind>,
    /// The suggestion is the phrase's own replacement (`=> "..."`), written for that exact phrase,
    /// so `--fix` may put it in place; a rule's general `suggest` is coaching, not a drop-in.
    #[serde(skip)]
    pub safe_fix: bool,
}

/// A rule's verdict on one conversation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// The rule applied and held.
    Pass,
    /// The rule applied and was broken (see the violations).
    Fail,
    /// The rule did not apply; the reason says why.
    NotApplicable(String),
}

/// Everything found in one conversation.
#[derive(Debug, Clone)]
pub struct ConversationReport {
    /// The conversation's id.
    pub id: String,
    /// `file:line`.
    pub source: String,
    /// Violations, in rule order, then text order.
    pub violations: Vec<Violation>,
    /// One outcome per rule of the policy, in rule order.
    pub outcomes: Vec<Outcome>,
}

/// Where a violation is in the input file, for editors and CI annotations: 1-based lines and
/// columns (in characters), the end exclusive.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Location {
    /// The file, or `<stdin>`.
    pub path: String,
    /// First line.
    pub line: usize,
    /// First column.
    pub column: usize,
    /// Last line.
    pub end_line: usize,
    /// The column just after the last character.
    pub end_column: usize,
}

/// Something in the input that could not be read as a conversation (or a macro, a review file):
/// the file, the line when known, and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputError {
    /// The file, or `<stdin>`.
    pub path: String,
    /// The 1-based line, when known.
    pub line: Option<usize>,
    /// What is wrong.
    pub message: String,
}

impl InputError {
    /// An error at `path:line`.
    pub fn new(path: &str, line: Option<usize>, message: impl Into<String>) -> Self {
        InputError {
            path: path.to_string(),
            line,
            message: message.into(),
        }
    }
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{}: {}", self.path, line, self.message),
            None => write!(f, "{}: {}", self.path, self.message),
        }
    }
}

impl std::error::Error for InputError {}
