//! Freshdesk tickets with their conversations, as "View a ticket" with
//! `include=conversations` (API v2) returns them, or a script merging "List all conversations of a
//! ticket" into each ticket.
//!
//! Sources: the Freshdesk API v2 reference, "Tickets" (`id`, `subject`, `description_text`,
//! `requester_id`, `responder_id`, `group_id`, `status` = 2 open, 3 pending, 4 resolved,
//! 5 closed, `source` = 1 email, 2 portal, 3 phone, 7 chat, 9 feedback widget, 10 outbound
//! email, `tags`, `created_at`, `updated_at`) and "Conversations" (`body`, `body_text`,
//! `incoming`, `private`, `user_id`, `created_at`).
//!
//! Mapping: the ticket's `description_text` is the customer's opening message at `created_at`;
//! each conversation a `note` when `private`, else a `message`, from the customer when it is
//! `incoming` or written by the requester, else from the agent; `status` 4 or 5 ends with a
//! `resolved` event at `updated_at`.

use serde_json::Value;

use super::fields::{names, time_field};
use crate::conversation::{Conversation, Event, Origin, Party};

/// Whether a record is a Freshdesk ticket with its conversations.
pub fn looks_like(value: &Value) -> bool {
    value.get("requester_id").is_some() && value.get("conversations").is_some_and(Value::is_array)
}

/// One ticket, or what is wrong with it (naming the field).
pub fn conversation_from_ticket(t: Value, origin: Origin) -> Result<Conversation, String> {
    let id = text_of(&t["id"]).ok_or("Freshdesk ticket: missing `id`")?;
    let context = |e: String| format!("ticket `{id}`: {e}");
    let time = |v: &Value, key: &str| time_field(v.get(key), key);
    let created = time(&t, "created_at").map_err(context)?;
    let mut events = vec![Event {
        kind: "created".into(),
        at: created,
        ..Event::default()
    }];
    if let Some(text) = t["description_text"]
        .as_str()
        .filter(|d| !d.trim().is_empty())
    {
        events.push(Event {
            kind: "message".into(),
            at: created,
            from: Some(Party::Customer),
            text: Some(text.to_string()),
            value: None,
        });
    }
    let requester = text_of(&t["requester_id"]);
    let conversations = t["conversations"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default();
    for (i, c) in conversations.iter().enumerate() {
        let where_ = |e: String| context(format!("conversation {i}: {e}"));
        let text = c["body_text"]
            .as_str()
            .map(String::from)
            .or_else(|| c["body"].as_str().map(|html| crate::html::strip(html).0))
            .ok_or_else(|| where_("no `body_text` or `body`".into()))?;
        let from_customer = c["incoming"].as_bool().unwrap_or(false)
            || (requester.is_some() && text_of(&c["user_id"]) == requester);
        let private = c["private"].as_bool().unwrap_or(false);
        events.push(Event {
            kind: if private { "note" } else { "message" }.into(),
            at: time(c, "created_at").map_err(where_)?,
            from: Some(if from_customer && !private {
                Party::Customer
            } else {
                Party::Agent
            }),
            text: Some(text.trim().to_string()),
            value: None,
        });
    }
    if matches!(t["status"].as_i64(), Some(4 | 5)) {
        events.push(Event {
            kind: "resolved".into(),
            at: time(&t, "updated_at").map_err(context)?,
            ..Event::default()
        });
    }
    events.sort_by_key(|e| e.at);
    let channel = match t["source"].as_i64() {
        Some(1 | 10) => Some("email"),
        Some(2 | 9) => Some("web"),
        Some(3) => Some("phone"),
        Some(7) => Some("chat"),
        _ => None,
    };
    Ok(Conversation {
        id,
        channel: channel.map(String::from),
        agent: text_of(&t["responder_id"]),
        team: text_of(&t["group_id"]),
        tags: names(t.get("tags"), None),
        // Freshdesk numbers its priorities: 1 low, 2 medium, 3 high, 4 urgent.
        priority: match t["priority"].as_i64() {
            Some(1) => Some("low".to_string()),
            Some(2) => Some("medium".to_string()),
            Some(3) => Some("high".to_string()),
            Some(4) => Some("urgent".to_string()),
            _ => None,
        },
        events,
        source: origin,
    })
}

fn text_of(value: &Value) -> Option<String> {
    match value {
        Value::Number(n) => Some(n.to_string()),
        Value::String(s) if !s.trim().is_empty() => Some(s.clone()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests")]
    use super::*;
    use serde_json::json;

    #[test]
    fn a_ticket_with_conversations_becomes_a_conversation() {
        let t = json!({
            "id": 20, "requester_id": 1001, "responder_id": 7, "status": 4, "source": 7,
            "created_at": "2024-03-05T09:00:00Z", "updated_at": "2024-03-05T11:00:00Z",
            "description_text": "The app crashes when I pay.",
            "conversations": [
                {"body_text": "Crash log attached to the bug tracker.", "incoming": false, "private": true,
                 "user_id": 7, "created_at": "2024-03-05T09:30:00Z"},
                {"body": "<div>Sorry about that! Which phone do you use?</div>", "incoming": false,
                 "private": false, "user_id": 7, "created_at": "2024-03-05T09:40:00Z"},
                {"body_text": "An iPhone 12.", "incoming": true, "private": false,
                 "user_id": 1001, "created_at": "2024-03-05T09:45:00Z"}
            ]
        });
        assert!(looks_like(&t));
        let c = conversation_from_ticket(t, Origin::default()).unwrap();
        let kinds: Vec<(&str, Option<Party>)> =
            c.events.iter().map(|e| (e.kind.as_str(), e.from)).collect();
        assert_eq!(
            kinds,
            [
                ("created", None),
                ("message", Some(Party::Customer)),
                ("note", Some(Party::Agent)),
                ("message", Some(Party::Agent)),
                ("message", Some(Party::Customer)),
                ("resolved", None)
            ]
        );
        assert_eq!(
            c.events[3].text.as_deref(),
            Some("Sorry about that! Which phone do you use?")
        );
        assert_eq!(c.channel.as_deref(), Some("chat"));
    }
}
