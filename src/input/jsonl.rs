//! JSONL: one conversation per line, streamed, each line within the record limit and parsed
//! later (in parallel) by [`super::Pending::resolve`].

use std::io::BufRead;
use std::sync::Arc;

use serde_json::Value;

use super::bounded;
use super::zendesk::Users;
use super::zendesk_events;
use super::ReadOptions;
use super::{cannot_read, conversation_from_record, json::json_reason, InputError, Pending};
use crate::conversation::{Conversation, Origin, TextPositions};

pub(super) fn parse_jsonl_line(
    path: &str,
    line: usize,
    text: String,
    vendor: Option<super::Vendor>,
) -> Result<Conversation, InputError> {
    let value = serde_json::from_str::<Value>(&text);
    let origin = Origin {
        path: path.to_string(),
        line,
        event_lines: None,
        // The line itself, kept (not copied) to locate words when a violation is reported.
        positions: TextPositions::Json {
            raw: text,
            line,
            column: 1,
        },
    };
    value
        .map_err(|e| InputError::new(path, Some(line), format!("bad JSON: {}", json_reason(&e))))
        .and_then(|v| {
            conversation_from_record(v, &super::zendesk::Users::default(), origin, vendor)
                .map_err(|m| InputError::new(path, Some(line), m))
        })
}

/// Streams JSONL: one record per line, each within the record limit. `lines_before` lines of
/// the file were read already (by the sniff).
pub(super) fn read_jsonl(
    path: &str,
    mut reader: impl BufRead,
    options: &ReadOptions,
    lines_before: usize,
    sink: &mut dyn FnMut(Pending),
) {
    let shared: Arc<str> = Arc::from(path);
    let mut line = Vec::new();
    let mut line_no = lines_before;
    let mut records = usize::from(lines_before > 0);
    let mut history: Option<zendesk_events::Tickets> = None;
    let mut history_bytes = 0usize;
    let fail = |line: Option<usize>, message: &str| {
        Pending::Ready(Box::new(Err(InputError::new(path, line, message))))
    };
    loop {
        match bounded::read_line(&mut reader, &mut line, options.max_record_bytes) {
            Ok(bounded::Line::End) => break,
            Ok(bounded::Line::Read) => {}
            Ok(bounded::Line::TooLong(size)) => {
                line_no += 1;
                records += 1;
                sink(fail(Some(line_no), &options.too_large(size, false)));
                continue;
            }
            Err(e) => {
                sink(fail(Some(line_no + 1), &cannot_read(&e)));
                return;
            }
        }
        line_no += 1;
        let Ok(text) = std::str::from_utf8(&line) else {
            sink(fail(Some(line_no), "not UTF-8 text"));
            continue;
        };
        let text = if line_no == 1 {
            text.trim_start_matches('\u{feff}')
        } else {
            text
        };
        if text.trim().is_empty() {
            continue;
        }
        records += 1;
        if records == 1
            && lines_before == 0
            && matches!(options.vendor, None | Some(super::Vendor::Zendesk))
        {
            history = zendesk_events::history_from_first_line(text);
        }
        if let Some(tickets) = history.as_mut() {
            // Zendesk audits or ticket events: gathered by ticket, handed on at the end, so
            // held in memory like a document, and bounded like one.
            history_bytes += text.len();
            if history_bytes > options.max_document_bytes() {
                let limit = bounded::format_size(options.max_document_bytes());
                let message = format!(
                    "a Zendesk ticket history over {limit}, which is gathered in memory: split the export by ticket; the rest of the file is skipped"
                );
                sink(fail(Some(line_no), &message));
                break;
            }
            let added = serde_json::from_str::<Value>(text)
                .map_err(|e| format!("bad JSON: {}", json_reason(&e)))
                .and_then(|record| tickets.add(&record, text, (line_no, 1), &Users::default()));
            if let Err(message) = added {
                sink(fail(Some(line_no), &message));
            }
            continue;
        }
        sink(Pending::Line {
            path: shared.clone(),
            line: line_no,
            text: text.to_string(),
            vendor: options.vendor,
        });
    }
    if records == 0 {
        sink(fail(None, "empty file: no conversation in it"));
    }
    if let Some(tickets) = history {
        for conversation in tickets.finish(path, &Users::default()) {
            sink(Pending::Ready(Box::new(Ok(conversation))));
        }
    }
}
