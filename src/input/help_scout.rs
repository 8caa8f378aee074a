//! Help Scout conversations with their threads, as the Mailbox API 2.0 returns them with
//! `embed=threads`.
//!
//! Sources: the Help Scout Mailbox API 2.0 reference, "Get Conversation" (`id`, `number`,
//! `type` = email | chat | phone, `status` = active | pending | closed | spam, `createdAt`,
//! `closedAt`, `assignee` with `first` and `last`, `tags[].tag`, `_embedded.threads`) and "List
//! Threads" (`type` = customer | message | reply | note | lineitem | chat | phone | ..., `body`
//! in HTML, `createdBy.type` = customer | user, `createdAt`).
//!
//! Mapping: `createdAt` is the `created` event; `note` threads are notes, `lineitem` threads
//! (status changes, assignments) events of that type, every other thread with a body a message,
//! from the customer when `createdBy.type` is `customer`, else from the agent; a `closed`
//! conversation ends with a `resolved` event at `closedAt`.

use serde_json::Value;

use super::fields::{names, time_field};
use crate::conversation::{Conversation, Event, Origin, Party};

/// Whether a record is a Help Scout conversation with its threads.
pub fn looks_like(value: &Value) -> bool {
    value["_embedded"]["threads"].is_array()
}

/// One conversation, or what is wrong with it (naming the field).
pub fn conversation_from_help_scout(v: Value, origin: Origin) -> Result<Conversation, String> {
    let id = match &v["id"] {
        Value::Number(n) => n.to_string(),
        Value::String(s) if !s.trim().is_empty() => s.clone(),
        _ => return Err("Help Scout conversation: missing `id`".into()),
    };
    let context = |e: String| format!("conversation `{id}`: {e}");
    let time = |v: &Value, key: &str| time_field(v.get(key), key);
    let mut events = vec![Event {
        kind: "created".into(),
        at: time(&v, "createdAt").map_err(context)?,
        ..Event::default()
    }];
    let threads = v["_embedded"]["threads"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default();
    for (i, thread) in threads.iter().enumerate() {
        let where_ = |e: String| context(format!("thread {i}: {e}"));
        let kind = thread["type"].as_str().unwrap_or("message");
        let at = time(thread, "createdAt").map_err(where_)?;
        let body = thread["body"]
            .as_str()
            .map(|html| crate::html::strip(html).0.trim().to_string())
            .filter(|b| !b.is_empty());
        let from = match thread["createdBy"]["type"].as_str() {
            Some("customer") => Party::Customer,
            Some("user") => Party::Agent,
            Some(other) => {
                return Err(where_(format!(
                    "`createdBy.type` is `{other}`: expected customer or user"
                )))
            }
            None if kind == "customer" => Party::Customer,
            None => Party::Agent,
        };
        match (kind, body) {
            ("lineitem", _) => events.push(Event {
                kind: "lineitem".into(),
                at,
                ..Event::default()
            }),
            ("note", body) => events.push(Event {
                kind: "note".into(),
                at,
                from: Some(from),
                text: body,
                value: None,
            }),
            (_, Some(body)) => events.push(Event {
                kind: "message".into(),
                at,
                from: Some(from),
                text: Some(body),
                value: None,
            }),
            (_, None) => {}
        }
    }
    if v["status"].as_str() == Some("closed") {
        events.push(Event {
            kind: "resolved".into(),
            at: time(&v, "closedAt").map_err(context)?,
            ..Event::default()
        });
    }
    // Help Scout lists threads newest first.
    events.sort_by_key(|e| e.at);
    let assignee = &v["assignee"];
    let agent = match (assignee["first"].as_str(), assignee["last"].as_str()) {
        (Some(first), Some(last)) => Some(format!("{first} {last}").trim().to_string()),
        (Some(first), None) => Some(first.to_string()),
        _ => assignee["id"].as_i64().map(|i| i.to_string()),
    };
    Ok(Conversation {
        id,
        channel: v["type"].as_str().map(String::from),
        agent,
        tags: names(v.get("tags"), Some("tag")),
        events,
        source: origin,
        ..Conversation::default()
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests")]
    use super::*;
    use serde_json::json;

    #[test]
    fn threads_newest_first_become_events_in_time_order() {
        let v = json!({
            "id": 2391938111_u64, "number": 349, "type": "email", "status": "closed",
            "createdAt": "2024-03-05T09:00:00Z", "closedAt": "2024-03-05T12:00:00Z",
            "assignee": {"id": 9, "first": "Mia", "last": "Lopez"},
            "tags": [{"id": 1, "tag": "refund"}],
            "_embedded": {"threads": [
                {"type": "message", "body": "<p>I&#39;m sorry. Refund sent.</p>", "createdBy": {"type": "user"}, "createdAt": "2024-03-05T10:00:00Z"},
                {"type": "note", "body": "Checked with billing.", "createdBy": {"type": "user"}, "createdAt": "2024-03-05T09:30:00Z"},
                {"type": "customer", "body": "<p>Charged twice!</p>", "createdBy": {"type": "customer"}, "createdAt": "2024-03-05T09:00:00Z"}
            ]}
        });
        assert!(looks_like(&v));
        let c = conversation_from_help_scout(v, Origin::default()).unwrap();
        let kinds: Vec<(&str, Option<Party>)> =
            c.events.iter().map(|e| (e.kind.as_str(), e.from)).collect();
        assert_eq!(
            kinds,
            [
                ("created", None),
                ("message", Some(Party::Customer)),
                ("note", Some(Party::Agent)),
                ("message", Some(Party::Agent)),
                ("resolved", None)
            ]
        );
        assert_eq!(c.agent.as_deref(), Some("Mia Lopez"));
        assert_eq!(c.events[3].text.as_deref(), Some("I'm sorry. Refund sent."));
    }
}
