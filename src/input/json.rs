//! JSON: one conversation object, or a list of them, each located at the line where it starts
//! and bounded by the record limit.

use serde_json::value::RawValue;
use serde_json::Value;

use super::bounded::Limits;
use super::{conversation_from_value, InputError};
use crate::conversation::{Conversation, Origin, TextPositions};

pub(super) fn read_json(
    path: &str,
    text: &str,
    limits: Limits,
    sink: &mut dyn FnMut(Result<Conversation, InputError>),
) {
    if text.trim_start().starts_with('[') {
        let items: Vec<&RawValue> = match serde_json::from_str(text) {
            Ok(items) => items,
            Err(e) => {
                sink(Err(InputError::new(
                    path,
                    Some(e.line()),
                    format!("bad JSON: {}", json_reason(&e)),
                )));
                return;
            }
        };
        if items.is_empty() {
            sink(Err(InputError::new(
                path,
                Some(1),
                "an empty list: no conversation in it",
            )));
        }
        let base = text.as_ptr() as usize;
        let (mut counted_to, mut line) = (0usize, 1usize);
        for raw in items {
            let offset = (raw.get().as_ptr() as usize)
                .saturating_sub(base)
                .min(text.len());
            line += text.as_bytes()[counted_to..offset]
                .iter()
                .filter(|b| **b == b'\n')
                .count();
            counted_to = offset;
            if raw.get().len() > limits.max_record_bytes {
                sink(Err(InputError::new(
                    path,
                    Some(line),
                    limits.too_large(raw.get().len(), false),
                )));
                continue;
            }
            let line_start = text[..offset].rfind('\n').map_or(0, |nl| nl + 1);
            let origin = Origin {
                path: path.to_string(),
                line,
                event_lines: None,
                positions: TextPositions::Json {
                    raw: raw.get().to_string(),
                    line,
                    column: text[line_start..offset].chars().count() + 1,
                },
            };
            let result = serde_json::from_str::<Value>(raw.get())
                .map_err(|e| json_reason(&e))
                .and_then(|v| conversation_from_value(v, origin))
                .map_err(|m| InputError::new(path, Some(line), m));
            sink(result);
        }
        return;
    }
    let leading_space = text.len() - text.trim_start().len();
    let line = text[..leading_space].matches('\n').count() + 1;
    let line_start = text[..leading_space].rfind('\n').map_or(0, |nl| nl + 1);
    let origin = Origin {
        path: path.to_string(),
        line,
        event_lines: None,
        positions: TextPositions::Json {
            raw: text[leading_space..].to_string(),
            line,
            column: text[line_start..leading_space].chars().count() + 1,
        },
    };
    let result = serde_json::from_str::<Value>(text)
        .map_err(|e| {
            InputError::new(
                path,
                Some(e.line()),
                format!("bad JSON: {}", json_reason(&e)),
            )
        })
        .and_then(|v| {
            conversation_from_value(v, origin).map_err(|m| InputError::new(path, Some(line), m))
        });
    sink(result);
}

/// serde_json's message without its trailing position (the caller names the line).
pub(super) fn json_reason(e: &serde_json::Error) -> String {
    let text = e.to_string();
    match text.rfind(" at line ") {
        Some(at) => format!("{} (column {})", &text[..at], e.column()),
        None => text,
    }
}
