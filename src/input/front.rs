//! Front conversations with their messages and comments, as a script merging Front's Core API
//! "Get conversation", "List conversation messages" and "List conversation comments" writes
//! them.
//!
//! Sources: Front's Core API reference, "Conversations" (`id` = `cnv_...`, `subject`, `status`,
//! `assignee` with `first_name`, `last_name`, `email`, `tags[].name`, `created_at` in epoch
//! seconds with a fraction), "Messages" (`type`, `is_inbound`, `created_at`, `body` in HTML,
//! `text` as plain text) and "Comments" (`body`, `posted_at`).
//!
//! Mapping: the earliest time is the `created` event (the conversation's `created_at` when
//! present); each message a `message`, from the customer when `is_inbound`, else from the agent,
//! its `text` (else its HTML `body` as read); each comment an internal `note` from the agent; an
//! `archived` conversation ends with a `resolved` event after the last message.

use serde_json::Value;

use super::fields::names;
use crate::conversation::{Conversation, Event, Origin, Party};

/// Whether a record is a Front conversation with its messages.
pub fn looks_like(value: &Value) -> bool {
    value["messages"]
        .as_array()
        .is_some_and(|m| m.first().is_some_and(|m| m.get("is_inbound").is_some()))
}

/// One conversation, or what is wrong with it (naming the field).
pub fn conversation_from_front(v: Value, origin: Origin) -> Result<Conversation, String> {
    let id = v["id"]
        .as_str()
        .filter(|s| !s.trim().is_empty())
        .ok_or("Front conversation: missing `id`")?
        .to_string();
    let context = |e: String| format!("conversation `{id}`: {e}");
    let time = |v: &Value, key: &str| -> Result<Option<chrono::DateTime<chrono::Utc>>, String> {
        match &v[key] {
            Value::Null => Ok(None),
            Value::Number(n) => n
                .as_f64()
                .and_then(|s| chrono::DateTime::from_timestamp_millis((s * 1000.0).round() as i64))
                .map(Some)
                .ok_or_else(|| format!("`{key}` is not a time: {n}")),
            other => Err(format!("`{key}` must be epoch seconds, found {other}")),
        }
    };
    let mut events = Vec::new();
    for (i, m) in v["messages"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default()
        .iter()
        .enumerate()
    {
        let where_ = |e: String| context(format!("message {i}: {e}"));
        let text = m["text"]
            .as_str()
            .map(String::from)
            .or_else(|| m["body"].as_str().map(|html| crate::html::strip(html).0))
            .ok_or_else(|| where_("no `text` or `body`".into()))?;
        events.push(Event {
            kind: "message".into(),
            at: time(m, "created_at").map_err(where_)?,
            from: Some(if m["is_inbound"].as_bool().unwrap_or(false) {
                Party::Customer
            } else {
                Party::Agent
            }),
            text: Some(text.trim().to_string()),
            value: None,
        });
    }
    for (i, c) in v["comments"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default()
        .iter()
        .enumerate()
    {
        let where_ = |e: String| context(format!("comment {i}: {e}"));
        events.push(Event {
            kind: "note".into(),
            at: time(c, "posted_at").map_err(where_)?,
            from: Some(Party::Agent),
            text: c["body"].as_str().map(String::from),
            value: None,
        });
    }
    events.sort_by_key(|e| e.at);
    let created = time(&v, "created_at")
        .map_err(context)?
        .or_else(|| events.first().and_then(|e| e.at));
    events.insert(
        0,
        Event {
            kind: "created".into(),
            at: created,
            ..Event::default()
        },
    );
    if v["status"].as_str() == Some("archived") {
        let last = events.last().and_then(|e| e.at);
        events.push(Event {
            kind: "resolved".into(),
            at: last,
            ..Event::default()
        });
    }
    let assignee = &v["assignee"];
    let agent = match (
        assignee["first_name"].as_str(),
        assignee["last_name"].as_str(),
    ) {
        (Some(first), Some(last)) => Some(format!("{first} {last}").trim().to_string()),
        _ => assignee["email"].as_str().map(String::from),
    };
    Ok(Conversation {
        id,
        agent,
        tags: names(v.get("tags"), Some("name")),
        channel: v["messages"][0]["type"].as_str().map(String::from),
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
    fn messages_and_comments_become_events() {
        let v = json!({
            "id": "cnv_55c8c149", "subject": "Late order", "status": "archived",
            "assignee": {"first_name": "Leela", "last_name": "Turanga", "email": "leela@example.com"},
            "tags": [{"name": "shipping"}], "created_at": 1709629200.5,
            "messages": [
                {"type": "email", "is_inbound": true, "created_at": 1709629200.5, "text": "Where is my order?"},
                {"type": "email", "is_inbound": false, "created_at": 1709632800.0, "body": "<p>Sorry! It ships today.</p>"}
            ],
            "comments": [{"body": "Warehouse confirmed.", "posted_at": 1709631000.0}]
        });
        assert!(looks_like(&v));
        let c = conversation_from_front(v, Origin::default()).unwrap();
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
        assert_eq!(c.events[3].text.as_deref(), Some("Sorry! It ships today."));
        assert_eq!(c.agent.as_deref(), Some("Leela Turanga"));
        assert_eq!(c.channel.as_deref(), Some("email"));
    }
}
