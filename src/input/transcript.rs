//! Plain-text transcripts: one message per line, `Speaker: text`, optionally after a timestamp in
//! square brackets: `[2026-03-01T09:05:00Z] Agent: Hello`.

use std::sync::LazyLock;

use regex::Regex;

use super::record::{parse_party, parse_time};
use super::InputError;
use crate::conversation::{Conversation, Event, Origin, Party, TextAt, TextPositions, TextStyle};

static LINE: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(r"^\s*(?:\[(?P<at>[^\]]*)\]\s*)?(?P<who>[A-Za-z][A-Za-z ]*?)\s*:[ \t]?(?P<text>.*)$")
        .ok()
});

/// Reads one transcript; `id` is usually the file's stem.
pub fn parse_transcript(path: &str, id: &str, text: &str) -> Result<Conversation, InputError> {
    let Some(line_re) = LINE.as_ref() else {
        return Err(InputError::new(
            path,
            None,
            "internal error: transcript pattern",
        ));
    };
    let mut events = Vec::new();
    let mut lines = Vec::new();
    let mut texts = Vec::new();
    for (n, raw) in text.lines().enumerate() {
        let line_no = n + 1;
        let line = raw.trim_end_matches('\r');
        if line.trim().is_empty() {
            continue;
        }
        let err = |m: String| InputError::new(path, Some(line_no), m);
        let caps = line_re
            .captures(line)
            .ok_or_else(|| err("expected `Speaker: text` (speakers: Agent, Customer)".into()))?;
        let who = caps.name("who").map_or("", |m| m.as_str());
        let from = match parse_party(who) {
            Ok(p @ (Party::Agent | Party::Customer)) => p,
            _ => {
                return Err(err(format!(
                    "unknown speaker `{who}`: a transcript line starts with `Agent:` or `Customer:`"
                )))
            }
        };
        let at = match caps.name("at") {
            Some(at) => Some(parse_time(at.as_str()).map_err(err)?),
            None => None,
        };
        let words = caps.name("text");
        events.push(Event {
            kind: "message".into(),
            at,
            from: Some(from),
            text: Some(words.map_or("", |m| m.as_str()).to_string()),
            value: None,
        });
        lines.push(line_no);
        texts.push(words.map(|m| TextAt {
            line: line_no,
            column: line[..m.start()].chars().count() + 1,
            style: TextStyle::Verbatim,
        }));
    }
    if events.is_empty() {
        return Err(InputError::new(
            path,
            None,
            "empty transcript: no `Speaker: text` line",
        ));
    }
    Ok(Conversation {
        id: id.to_string(),
        events,
        source: Origin {
            path: path.to_string(),
            line: lines.first().copied().unwrap_or(1),
            event_lines: Some(lines),
            positions: TextPositions::Known(texts),
        },
        ..Conversation::default()
    })
}
