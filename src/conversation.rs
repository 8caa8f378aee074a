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
