//! JSON: one conversation object, or a list of them, each located at the line where it starts
//! and bounded by the record limit.

use serde_json::value::RawValue;
use serde_json::Value;

use super::zendesk::Users;
use super::zendesk_events;
use super::{conversation_from_record, InputError, ReadOptions};
use crate::conversation::{Conversation, Origin, TextPositions};

/// Reads a JSON document: one conversation, a list of them, or a Zendesk list response
/// (`{"tickets": [...], "users": [...]}`).
pub(super) fn read_json(
    path: &str,
    text: &str,
    options: &ReadOptions,
    sink: &mut dyn FnMut(Result<Conversation, InputError>),
) {
    let bad = |e: serde_json::Error| {
        InputError::new(
            path,
            Some(e.line()),
            format!("bad JSON: {}", json_reason(&e)),
        )
    };
    // Zendesk ticket histories: many records per ticket, gathered by `ticket_id`.
    let histories = matches!(options.vendor, None | Some(super::Vendor::Zendesk));
    if histories && text.contains("\"ticket_id\"") && read_histories(path, text, options, sink) {
        return;
    }
    if text.trim_start().starts_with('[') {
        match serde_json::from_str::<Vec<&RawValue>>(text) {
            Ok(items) if items.is_empty() => sink(Err(InputError::new(
                path,
                Some(1),
                "an empty list: no conversation in it",
            ))),
            Ok(items) => read_items(path, text, &items, &Users::default(), options, sink),
            Err(e) => sink(Err(bad(e))),
        }
        return;
    }
    if text.contains("\"tickets\"") || text.contains("\"conversations\"") {
        // A helpdesk's list response: Zendesk's `tickets` (with side-loaded `users`), or
        // Intercom's `conversations`.
        #[derive(serde::Deserialize)]
        struct Page<'a> {
            #[serde(borrow, alias = "conversations")]
            tickets: Vec<&'a RawValue>,
            #[serde(default)]
            users: Value,
        }
        if let Ok(page) = serde_json::from_str::<Page<'_>>(text) {
            let users = Users::from_users(&page.users);
            return read_items(path, text, &page.tickets, &users, options, sink);
        }
    }
    let leading_space = text.len() - text.trim_start().len();
    let (line, column) = line_col(text, leading_space);
    let origin = Origin {
        path: path.to_string(),
        line,
        event_lines: None,
        positions: TextPositions::Json {
            raw: text[leading_space..].to_string(),
            line,
            column,
        },
    };
    let result = serde_json::from_str::<Value>(text)
        .map_err(bad)
        .and_then(|v| {
            conversation_from_record(v, &Users::default(), origin, options.vendor)
                .map_err(|m| InputError::new(path, Some(line), m))
        });
    sink(result);
}

/// Reads a JSON document of Zendesk audits or ticket events, if it is one: `{"audits": [...]}` or
/// `{"ticket_events": [...]}` (with side-loaded `users`), `{"audit": {...}}`, or a list of
/// audits or ticket events. Each record is located at its line and bounded by the record limit.
/// Returns false, having read nothing, when the document is something else.
fn read_histories(
    path: &str,
    text: &str,
    options: &ReadOptions,
    sink: &mut dyn FnMut(Result<Conversation, InputError>),
) -> bool {
    #[derive(serde::Deserialize)]
    struct Page<'a> {
        #[serde(borrow, alias = "ticket_events")]
        audits: Option<Vec<&'a RawValue>>,
        #[serde(borrow)]
        audit: Option<&'a RawValue>,
        #[serde(default)]
        users: Value,
    }
    let (records, users) = if text.trim_start().starts_with('[') {
        let Ok(items) = serde_json::from_str::<Vec<&RawValue>>(text) else {
            return false;
        };
        let first = items
            .first()
            .and_then(|r| serde_json::from_str::<Value>(r.get()).ok());
        if !first.is_some_and(|v| zendesk_events::looks_like(&v)) {
            return false;
        }
        (items, Users::default())
    } else {
        match serde_json::from_str::<Page<'_>>(text) {
            Ok(Page {
                audits: Some(items),
                users,
                ..
            }) => (items, Users::from_users(&users)),
            Ok(Page {
                audit: Some(item),
                users,
                ..
            }) => (vec![item], Users::from_users(&users)),
            _ => return false,
        }
    };
    let mut tickets = zendesk_events::Tickets::default();
    for_each_located(path, text, &records, options, sink, |raw, line, column| {
        serde_json::from_str::<Value>(raw)
            .map_err(|e| json_reason(&e))
            .and_then(|record| tickets.add(&record, raw, (line, column), &users))
            .err()
            .map(|message| Err(InputError::new(path, Some(line), message)))
    });
    for conversation in tickets.finish(path, &users) {
        sink(Ok(conversation));
    }
    true
}

/// Reads the records of a list, each located at the line where it starts and bounded by the
/// record limit.
fn read_items(
    path: &str,
    text: &str,
    items: &[&RawValue],
    users: &Users,
    options: &ReadOptions,
    sink: &mut dyn FnMut(Result<Conversation, InputError>),
) {
    for_each_located(path, text, items, options, sink, |raw, line, column| {
        let origin = Origin {
            path: path.to_string(),
            line,
            event_lines: None,
            positions: TextPositions::Json {
                raw: raw.to_string(),
                line,
                column,
            },
        };
        Some(
            serde_json::from_str::<Value>(raw)
                .map_err(|e| json_reason(&e))
                .and_then(|v| conversation_from_record(v, users, origin, options.vendor))
                .map_err(|message| InputError::new(path, Some(line), message)),
        )
    });
}

/// Calls `read` with each record of a list as written, its line and its column (lines counted
/// once, in one pass over the text), and hands on what it makes; a record over the size limit
/// is reported at its line instead.
fn for_each_located(
    path: &str,
    text: &str,
    items: &[&RawValue],
    options: &ReadOptions,
    sink: &mut dyn FnMut(Result<Conversation, InputError>),
    mut read: impl FnMut(&str, usize, usize) -> Option<Result<Conversation, InputError>>,
) {
    let base = text.as_ptr() as usize;
    // Line and column move on with the records, so that a minified page (one line of many
    // records) is read in one pass too.
    let (mut counted_to, mut line, mut column) = (0usize, 1usize, 1usize);
    for raw in items {
        let offset = (raw.get().as_ptr() as usize)
            .saturating_sub(base)
            .min(text.len());
        let gap = text.get(counted_to..offset).unwrap_or("");
        match gap.rfind('\n') {
            Some(last_newline) => {
                line += gap.matches('\n').count();
                column = gap[last_newline + 1..].chars().count() + 1;
            }
            None => column += gap.chars().count(),
        }
        counted_to = offset;
        if raw.get().len() > options.max_record_bytes {
            sink(Err(InputError::new(
                path,
                Some(line),
                options.too_large(raw.get().len(), false),
            )));
            continue;
        }
        if let Some(result) = read(raw.get(), line, column) {
            sink(result);
        }
    }
}

/// The 1-based line and column (in characters) of byte `offset`.
fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset];
    let line_start = before.rfind('\n').map_or(0, |nl| nl + 1);
    (
        before.matches('\n').count() + 1,
        before[line_start..].chars().count() + 1,
    )
}

/// serde_json's message without its trailing position (the caller names the line).
pub(super) fn json_reason(e: &serde_json::Error) -> String {
    let text = e.to_string();
    match text.rfind(" at line ") {
        Some(at) => format!("{} (column {})", &text[..at], e.column()),
        None => text,
    }
}
