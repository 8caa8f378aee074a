//! YAML: one conversation, or a list of them, each located at the line where it starts, with
//! where each event's text is written.

use serde_json::Value;

use super::InputError;
use crate::conversation::{Conversation, Origin, TextAt, TextPositions, TextStyle};
use crate::yaml::Spanned;

/// One conversation, or a list of them, each located at the line where it starts.
pub(super) fn read_yaml(
    path: &str,
    text: &str,
    vendor: Option<super::Vendor>,
    sink: &mut dyn FnMut(Result<Conversation, InputError>),
) {
    let bad = |e: crate::yaml::YamlError| {
        let column = e
            .column
            .map(|c| format!(" (column {c})"))
            .unwrap_or_default();
        InputError::new(path, e.line, format!("bad YAML: {}{column}", e.message))
    };
    // A list is parsed once, each item with its position; anything else stops that parse at
    // its first event and is read as one conversation.
    let (items, is_list) = match crate::yaml::from_str::<Vec<Spanned<Value>>>(text) {
        Ok(items) => (items, true),
        Err(_) => match crate::yaml::from_str::<Spanned<Value>>(text) {
            Ok(whole) => (vec![whole], false),
            Err(e) => return sink(Err(bad(e))),
        },
    };
    let mut positions = yaml_text_positions(text, is_list).into_iter();
    for item in items {
        let line = crate::yaml::line_of(&item);
        let origin = Origin {
            path: path.to_string(),
            line,
            event_lines: None,
            positions: positions.next().unwrap_or_default(),
        };
        sink(
            super::conversation_from_record(
                item.value,
                &super::zendesk::Users::default(),
                origin,
                vendor,
            )
            .map_err(|m| InputError::new(path, Some(line), m)),
        );
    }
}

/// Where each event's text is written, for each record of a YAML document (a list or one);
/// best effort (a record whose shape is wrong is reported anyway, and then locates nothing).
fn yaml_text_positions(text: &str, is_list: bool) -> Vec<TextPositions> {
    #[derive(serde::Deserialize)]
    struct Record {
        #[serde(default)]
        events: Vec<Event>,
    }
    #[derive(serde::Deserialize)]
    struct Event {
        #[serde(default)]
        text: Option<Spanned<serde::de::IgnoredAny>>,
    }
    let records: Vec<Record> = if is_list {
        crate::yaml::from_str::<Vec<Record>>(text)
    } else {
        crate::yaml::from_str::<Record>(text).map(|r| vec![r])
    }
    .unwrap_or_default();
    records
        .into_iter()
        .map(|record| {
            TextPositions::Known(
                record
                    .events
                    .into_iter()
                    .map(|event| {
                        let at = event.text?.referenced;
                        let offset = usize::try_from(at.span().byte_offset()?).ok()?;
                        // A quoted scalar's location is its quote; the words start after it.
                        let quoted = text
                            .get(offset..)
                            .is_some_and(|t| t.starts_with(['"', '\'']));
                        Some(TextAt {
                            line: usize::try_from(at.line()).ok()?,
                            column: usize::try_from(at.column()).ok()? + usize::from(quoted),
                            style: TextStyle::Verbatim,
                        })
                    })
                    .collect(),
            )
        })
        .collect()
}
