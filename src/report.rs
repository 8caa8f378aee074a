//! The finding model: what checking a conversation or macro finds (violations, each rule's
//! verdict, input errors), as plain data. The engine produces it, [`crate::place`] adds where each
//! violation is in the file and what its fix writes, and renderers and scoring only read it.

use std::fmt;
use std::sync::Arc;

use serde::Serialize;

use crate::conversation::Conversation;
use crate::dsl::ast::Severity;

/// A byte range in one event's `text`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
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
    /// Where it is in the file and what its fix writes: empty as the engine makes it, filled in
    /// by [`crate::place`] before any report is written.
    #[serde(skip)]
    pub place: Place,
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
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
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

/// A violation as it stands in the file: worked out once, before rendering, from the reader's
/// positions (conversations) or the library's index (macros), so a renderer never recomputes
/// a location or a fix.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Place {
    /// The offending words in the file; without a span, the event's (or the record's) line.
    pub location: Location,
    /// Conversations: the file line and column where the event's text starts, so the human
    /// report's gutter counts the file's lines.
    pub text_start: Option<(usize, usize)>,
    /// Macros: the whole lines of the library file the violation is on.
    pub lines: Option<SourceLines>,
    /// The message before and after the suggestion is applied, for the human diff.
    pub fixed: Option<FixedText>,
    /// The fix as an edit of the file, when `--fix` would write it (SARIF `fixes`).
    pub file_edit: Option<FileEdit>,
}

/// Lines of a file around a violation, as written (not yet escaped for any output).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SourceLines {
    /// The lines, with their line breaks.
    pub text: String,
    /// The 1-based number of the first.
    pub first_line: usize,
    /// The violation's bytes within `text`.
    pub span: TextSpan,
}

/// A text and what it reads once a fix is applied.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FixedText {
    /// Before.
    pub before: String,
    /// After.
    pub after: String,
}

/// A replacement of a file's text: from `start` to `end` (1-based line and column, the end
/// exclusive), `written` goes in.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FileEdit {
    /// First line and column replaced.
    pub start: (usize, usize),
    /// Line and column just after the last character replaced.
    pub end: (usize, usize),
    /// What is written there.
    pub written: String,
}

/// What kind of thing was checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SubjectKind {
    /// A conversation of an input file.
    Conversation,
    /// A macro of a library file, checked as a one-message conversation.
    Macro,
}

/// One checked conversation or macro, as every report format names it.
#[derive(Debug, Clone, Copy)]
pub struct Subject<'a> {
    /// The conversation that was checked (a macro's: its origin is the macro's file and line).
    pub conversation: &'a Conversation,
    /// Conversation or macro.
    pub kind: SubjectKind,
}

impl<'a> Subject<'a> {
    /// A conversation.
    pub fn conversation(conversation: &'a Conversation) -> Self {
        Subject {
            conversation,
            kind: SubjectKind::Conversation,
        }
    }

    /// A macro, as the conversation it was checked as.
    pub fn macro_(conversation: &'a Conversation) -> Self {
        Subject {
            conversation,
            kind: SubjectKind::Macro,
        }
    }

    /// The conversation's or the macro's id.
    pub fn id(&self) -> &'a str {
        &self.conversation.id
    }

    /// The file it was read from.
    pub fn path(&self) -> &'a str {
        &self.conversation.source.path
    }

    /// The 1-based line where it starts.
    pub fn line(&self) -> usize {
        self.conversation.source.line
    }

    /// `conversation` or `macro`.
    pub fn noun(&self) -> &'static str {
        match self.kind {
            SubjectKind::Conversation => "conversation",
            SubjectKind::Macro => "macro",
        }
    }
}
