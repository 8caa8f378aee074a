//! Where a message's words are in the file as written: from a span in an event's decoded text
//! to the file's line and column, through JSON escapes and YAML block scalars, so CI annotations
//! and SARIF point at the words themselves rather than at column 1 of the record.
//!
//! JSON records keep their raw text and are parsed for positions only when a location is asked
//! for (a violation is reported), so checking clean conversations costs nothing more; YAML
//! records are located as they are read.

use serde::Deserialize;
use serde_json::value::RawValue;

use crate::conversation::{Conversation, TextAt, TextPositions, TextStyle};
use crate::report::TextSpan;

/// A 1-based line and column (in characters).
pub type LineCol = (usize, usize);

/// Where `span` of event `event`'s text is in the file: its start and its end (exclusive).
/// Without a span, or when the file position of the text is not known, the event's (or the
/// record's) first line, column 1.
pub fn text_location(
    conversation: &Conversation,
    event: Option<usize>,
    span: Option<TextSpan>,
) -> (LineCol, LineCol) {
    let Some(span) = span else {
        let fallback = (fallback_line(conversation, event), 1);
        return (fallback, fallback);
    };
    match text_positions(conversation, event, &[span.start, span.end])[..] {
        [start, end] => (start, end),
        _ => ((conversation.source.line, 1), (conversation.source.line, 1)),
    }
}

/// Where each byte `offsets` of event `event`'s text is in the file, the record read (and the
/// text's escapes decoded) once for all of them; when the file position of the text is not
/// known, the event's (or the record's) first line, column 1, for each.
pub fn text_positions(
    conversation: &Conversation,
    event: Option<usize>,
    offsets: &[usize],
) -> Vec<LineCol> {
    let origin = &conversation.source;
    let at = event.and_then(|event| match &origin.positions {
        TextPositions::None => None,
        TextPositions::Known(texts) => texts.get(event).and_then(Option::as_ref).cloned(),
        TextPositions::Json { raw, line, column } => {
            let text = conversation
                .events
                .get(event)
                .and_then(|e| e.text.as_deref());
            json_text_at(raw, (*line, *column), event, text)
        }
    });
    let Some(at) = at else {
        return vec![(fallback_line(conversation, event), 1); offsets.len()];
    };
    let text = event
        .and_then(|e| conversation.events.get(e))
        .and_then(|e| e.text.as_deref())
        .unwrap_or_default();
    at.locate_all(text, offsets)
}

/// The line given when a text's file position is not known: the event's, or the record's.
fn fallback_line(conversation: &Conversation, event: Option<usize>) -> usize {
    let origin = &conversation.source;
    event.map_or(origin.line, |e| origin.event_line(e))
}

impl TextAt {
    /// The file position of byte `offset` of the decoded `text`.
    pub fn locate(&self, text: &str, offset: usize) -> LineCol {
        self.locate_all(text, &[offset])
            .first()
            .copied()
            .unwrap_or((self.line, self.column))
    }

    /// The file positions of bytes `offsets` of the decoded `text`.
    pub fn locate_all(&self, text: &str, offsets: &[usize]) -> Vec<LineCol> {
        match &self.style {
            TextStyle::Verbatim => offsets
                .iter()
                .map(|&offset| {
                    // Written as is: decoded lines are file lines, each starting at the column
                    // of the first (a transcript line, a YAML plain scalar or literal block).
                    let before = prefix(text, offset);
                    match before.rfind('\n') {
                        None => (self.line, self.column + before.chars().count()),
                        Some(nl) => (
                            self.line + before.matches('\n').count(),
                            self.column + before[nl + 1..].chars().count(),
                        ),
                    }
                })
                .collect(),
            TextStyle::JsonEscaped(literal) => {
                // JSON strings hold no raw line breaks: only the column moves, by the raw
                // characters that the decoded prefix took (an escape counts from its
                // backslash).
                let map = crate::json_string::decode(literal, 0).map(|(_, map)| map);
                offsets
                    .iter()
                    .map(|&offset| {
                        let at = map
                            .as_ref()
                            .and_then(|map| map.get(offset).or(map.last()).copied())
                            .unwrap_or(1);
                        let content = literal.get(1..at.max(1)).unwrap_or_default();
                        (self.line, self.column + content.chars().count())
                    })
                    .collect()
            }
        }
    }
}

/// `text` up to `offset`, or to the character boundary before it.
fn prefix(text: &str, offset: usize) -> &str {
    let mut end = offset.min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

/// Where event `event`'s text literal is in a raw JSON record that starts at `start`: its
/// `events[event].text`, or (a vendor's shape, such as a Zendesk ticket's comments) the first
/// string literal in the record that reads as the event's `text`.
fn json_text_at(raw: &str, start: LineCol, event: usize, text: Option<&str>) -> Option<TextAt> {
    #[derive(Deserialize)]
    struct Record<'a> {
        #[serde(borrow, default)]
        events: Vec<Event<'a>>,
    }
    #[derive(Deserialize)]
    struct Event<'a> {
        #[serde(borrow, default)]
        text: Option<&'a RawValue>,
    }
    let record: Record<'_> = serde_json::from_str(raw).ok()?;
    let literal = match record.events.get(event).and_then(|e| e.text) {
        Some(literal) => literal.get(),
        None => {
            // Written as serde_json writes it (most exports do), it is found as is.
            let written = serde_json::to_string(text?).ok()?;
            let at = raw.find(&written)?;
            &raw[at..at + written.len()]
        }
    };
    literal_at(raw, start, literal)
}

/// Where `text`, written as serde_json writes it (as most exports do), first appears in a raw
/// JSON record that starts at `start`.
pub(super) fn written_text_at(raw: &str, start: LineCol, text: &str) -> Option<TextAt> {
    let written = serde_json::to_string(text).ok()?;
    let at = raw.find(&written)?;
    literal_at(raw, start, &raw[at..at + written.len()])
}

/// Where a string literal (a slice of `raw`, quotes included) is in the file.
fn literal_at(raw: &str, start: LineCol, literal: &str) -> Option<TextAt> {
    let quote = (literal.as_ptr() as usize).checked_sub(raw.as_ptr() as usize)?;
    let content = literal.get(1..literal.len().checked_sub(1)?)?;
    let before = raw.get(..quote + 1)?;
    let (line, column) = match before.rfind('\n') {
        None => (start.0, start.1 + before.chars().count()),
        Some(nl) => (
            start.0 + before.matches('\n').count(),
            1 + before[nl + 1..].chars().count(),
        ),
    };
    let style = if content.contains('\\') {
        TextStyle::JsonEscaped(literal.into())
    } else {
        TextStyle::Verbatim
    };
    Some(TextAt {
        line,
        column,
        style,
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests")]
    use super::*;

    use crate::conversation::{Event, Origin};

    fn json_conversation(raw: &str, line: usize, column: usize) -> Conversation {
        let value: serde_json::Value = serde_json::from_str(raw).unwrap_or_default();
        let events = value["events"]
            .as_array()
            .map(|events| {
                events
                    .iter()
                    .map(|e| Event {
                        kind: "message".into(),
                        text: e["text"].as_str().map(String::from),
                        ..Event::default()
                    })
                    .collect()
            })
            .unwrap_or_else(|| vec![Event::default()]);
        Conversation {
            events,
            source: Origin {
                path: "f.json".into(),
                line,
                event_lines: None,
                positions: TextPositions::Json {
                    raw: raw.into(),
                    line,
                    column,
                },
            },
            ..Conversation::default()
        }
    }

    fn span(text: &str, words: &str) -> Option<TextSpan> {
        let start = text.find(words).unwrap();
        Some(TextSpan {
            start,
            end: start + words.len(),
        })
    }

    #[test]
    fn words_in_a_jsonl_record_are_located_in_the_line() {
        let raw = r#"{"id":"a","events":[{"from":"customer","text":"hi"},{"from":"agent","text":"Well, you're wrong."}]}"#;
        let origin = json_conversation(raw, 7, 1);
        let (start, end) = text_location(
            &origin,
            Some(1),
            span("Well, you're wrong.", "you're wrong"),
        );
        let column = raw.find("you're").unwrap() + 1;
        assert_eq!(start, (7, column));
        assert_eq!(end, (7, column + "you're wrong".len()));
    }

    #[test]
    fn escapes_before_the_words_move_the_column_by_what_is_written() {
        let raw = r#"{"id":"a","events":[{"from":"agent","text":"\u201cSorry\u201d\n you\u2019re wrong"}]}"#;
        let decoded = "\u{201c}Sorry\u{201d}\n you\u{2019}re wrong";
        let origin = json_conversation(raw, 1, 1);
        let (start, end) = text_location(&origin, Some(0), span(decoded, "you\u{2019}re wrong"));
        assert_eq!(start, (1, raw.find("you").unwrap() + 1));
        assert_eq!(end, (1, raw.rfind('"').unwrap() + 1), "the closing quote");
    }

    #[test]
    fn a_record_of_a_pretty_printed_list_counts_its_own_lines() {
        let raw = "{\n    \"id\": \"a\",\n    \"events\": [\n      {\"from\": \"agent\", \"text\": \"You are wrong\"}\n    ]\n  }";
        let origin = json_conversation(raw, 3, 3);
        let (start, _) = text_location(&origin, Some(0), span("You are wrong", "wrong"));
        let line4 = raw.lines().nth(3).unwrap();
        assert_eq!(start, (6, line4.find("wrong").unwrap() + 1));
    }

    #[test]
    fn a_literal_block_maps_line_by_line() {
        let at = TextAt {
            line: 8,
            column: 9,
            style: TextStyle::Verbatim,
        };
        let text = "line one\nyou are wrong\n";
        assert_eq!(at.locate(text, text.find("wrong").unwrap()), (9, 9 + 8));
        assert_eq!(at.locate(text, 0), (8, 9));
    }

    #[test]
    fn without_a_known_position_the_event_line_is_given() {
        let transcript = Conversation {
            events: vec![Event::default(), Event::default()],
            source: Origin {
                path: "t.txt".into(),
                line: 1,
                event_lines: Some(vec![1, 4]),
                positions: TextPositions::None,
            },
            ..Conversation::default()
        };
        assert_eq!(text_location(&transcript, Some(1), None), ((4, 1), (4, 1)));
        let broken = json_conversation("{not json", 2, 1);
        assert_eq!(
            text_location(&broken, Some(0), span("abc", "b")),
            ((2, 1), (2, 1))
        );
    }
}
