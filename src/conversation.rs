//! A support conversation: the ticket's metadata and its history of events, in time order.

use chrono::{DateTime, Utc};

/// One conversation, as the contract describes it.
#[derive(Debug, Clone, Default)]
pub struct Conversation {
    /// What every report names.
    pub id: String,
    /// email, chat, phone, twitter...
    pub channel: Option<String>,
    /// The agent handling it.
    pub agent: Option<String>,
    /// The agent's team.
    pub team: Option<String>,
    /// Free tags.
    pub tags: Vec<String>,
    /// The ticket's priority as its helpdesk names it (urgent, high, normal, low...), for
    /// per-priority service-level targets.
    pub priority: Option<String>,
    /// The ticket history.
    pub events: Vec<Event>,
    /// Where it was read from.
    pub source: Origin,
}

/// Where a conversation was read from.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Origin {
    /// The file, or `<stdin>`.
    pub path: String,
    /// The 1-based line where the record starts.
    pub line: usize,
    /// For plain-text transcripts: the line of each event.
    pub event_lines: Option<Vec<usize>>,
    /// Where each event's text is written, for locating words in the file.
    pub positions: TextPositions,
}

/// Where the events' texts are written in the file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum TextPositions {
    /// Not known: violations point at the event's line.
    #[default]
    None,
    /// Each event's text, where known (transcripts, YAML).
    Known(Vec<Option<TextAt>>),
    /// A JSON record as written, starting at `line` and `column`: parsed again for positions
    /// only when a violation is located, so clean records cost nothing more.
    Json {
        /// The record's text.
        raw: String,
        /// Its first line.
        line: usize,
        /// Its first column.
        column: usize,
    },
}

/// Where one text is written: the file position of its first character, and how it is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextAt {
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
    /// How the text maps to the file.
    pub style: TextStyle,
}

/// How a text is written in the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TextStyle {
    /// As is: each decoded line is a file line starting at the same column.
    Verbatim,
    /// A JSON string with escapes: the literal as written, quotes included.
    JsonEscaped(Box<str>),
}

impl Origin {
    /// `file:line`, as reports show it.
    pub fn label(&self) -> String {
        format!("{}:{}", self.path, self.line)
    }

    /// The line where event `index` is written, when known, else the record's line.
    pub fn event_line(&self, index: usize) -> usize {
        self.event_lines
            .as_ref()
            .and_then(|lines| lines.get(index).copied())
            .unwrap_or(self.line)
    }
}

/// Who wrote an event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Party {
    /// The support agent.
    Agent,
    /// The customer.
    Customer,
    /// The ticketing system.
    System,
}

/// One entry of the ticket history.
#[derive(Debug, Clone, Default)]
pub struct Event {
    /// `message`, `note`, `created`, `status`, `follow_up`, `resolved`, or any other type.
    pub kind: String,
    /// When it happened, if known.
    pub at: Option<DateTime<Utc>>,
    /// Who wrote it.
    pub from: Option<Party>,
    /// What was written.
    pub text: Option<String>,
    /// What a `status` event changed the status to (`open`, `pending`, `hold`, `solved`...).
    pub value: Option<String>,
}

impl Event {
    /// A message the customer can see (notes are internal).
    pub fn is_message(&self) -> bool {
        self.kind == "message"
    }

    /// A visible message written by `party`.
    pub fn is_message_from(&self, party: Party) -> bool {
        self.is_message() && self.from == Some(party)
    }
}
