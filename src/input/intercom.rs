//! Intercom conversations with their conversation parts, as the Conversations API's "retrieve a
//! conversation" returns them (the list and search endpoints leave the parts out).
//!
//! Sources: Intercom's developer reference, "The conversation model" (`type: "conversation"`,
//! `id`, `created_at` in epoch seconds, `source` with `body` and `author`, `state`,
//! `admin_assignee_id`, `team_assignee_id`, `tags.tags[].name`,
//! `conversation_parts.conversation_parts`) and "Conversation part model" (`part_type`:
//! `comment`, `note`, `assignment`, `open`, `close`, `snoozed`, ...; an HTML `body`;
//! `created_at`; `author.type`: `user` / `lead` / `contact` for the customer, `admin` / `team`
//! for a teammate, `bot` for automation).
//!
//! Accepted shapes: one conversation object, a list of them, `{"conversations": [...]}`, in
//! JSON; or one conversation per line (JSONL).
//!
//! Mapping: `created_at` is the `created` event; `source` (the opening message) and every
//! `comment` part a `message`, `note` parts a `note`, from the customer when the author is a
//! user, lead or contact, from the agent when an admin or team, from the system when a bot;
//! `close` parts a `resolved` event, other parts (assignment, open, snoozed...) an event of
//! their own type, plus a message when they carry a body. Bodies are HTML: tags dropped, block
//! ends as line breaks, entities decoded.

use serde_json::Value;

use super::fields::names;
use crate::conversation::{Conversation, Event, Origin, Party};

/// Whether a record is an Intercom conversation.
pub fn looks_like(value: &Value) -> bool {
    value.get("type").and_then(Value::as_str) == Some("conversation")
        && (value.get("conversation_parts").is_some() || value.get("source").is_some())
}

/// One conversation, or what is wrong with it (naming the field).
pub fn conversation_from_intercom(value: Value, origin: Origin) -> Result<Conversation, String> {
    let id = match &value["id"] {
        Value::String(s) if !s.trim().is_empty() => s.clone(),
        Value::Number(n) => n.to_string(),
        _ => return Err("Intercom conversation: missing `id`".into()),
    };
    let context = |e: String| format!("conversation `{id}`: {e}");
    let mut events = vec![Event {
        kind: "created".into(),
        at: Some(epoch(&value["created_at"], "created_at").map_err(context)?),
        ..Event::default()
    }];
    let source = &value["source"];
    if let Some(body) = source["body"].as_str().filter(|b| !b.trim().is_empty()) {
        events.push(Event {
            kind: "message".into(),
            at: events[0].at,
            from: Some(party(&source["author"]).map_err(|e| context(format!("source: {e}")))?),
            text: Some(plain(body)),
            value: None,
        });
    }
    let parts = match &value["conversation_parts"] {
        Value::Null => &[][..],
        list => list["conversation_parts"]
            .as_array()
            .map(Vec::as_slice)
            .ok_or_else(|| {
                context("`conversation_parts.conversation_parts` must be a list".into())
            })?,
    };
    for (i, part) in parts.iter().enumerate() {
        let where_ = |e: String| context(format!("conversation part {i}: {e}"));
        let kind = part["part_type"].as_str().unwrap_or("comment");
        let at = Some(epoch(&part["created_at"], "created_at").map_err(where_)?);
        let body = part["body"].as_str().filter(|b| !b.trim().is_empty());
        let from = || party(&part["author"]).map_err(where_);
        match (kind, body) {
            ("comment", Some(body)) => events.push(Event {
                kind: "message".into(),
                at,
                from: Some(from()?),
                text: Some(plain(body)),
                value: None,
            }),
            ("comment", None) => {}
            ("note", body) => events.push(Event {
                kind: "note".into(),
                at,
                from: Some(from()?),
                text: body.map(plain),
                value: None,
            }),
            (other, body) => {
                if let Some(body) = body {
                    events.push(Event {
                        kind: "message".into(),
                        at,
                        from: Some(from()?),
                        text: Some(plain(body)),
                        value: None,
                    });
                }
                events.push(Event {
                    kind: if other == "close" { "resolved" } else { other }.into(),
                    at,
                    ..Event::default()
                });
            }
        }
    }
    let tags = names(value["tags"].get("tags"), Some("name"));
    let text_of = |v: &Value| match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    };
    Ok(Conversation {
        id,
        channel: source["type"]
            .as_str()
            .filter(|t| *t != "conversation")
            .map(String::from)
            .or_else(|| Some("chat".into())),
        agent: text_of(&value["admin_assignee_id"]),
        team: text_of(&value["team_assignee_id"]),
        tags,
        // Intercom marks a conversation `priority` or `not_priority`.
        priority: value["priority"].as_str().map(String::from),
        events,
        source: origin,
    })
}

/// Who wrote a part, from its `author.type`.
fn party(author: &Value) -> Result<Party, String> {
    match author["type"].as_str() {
        Some("user" | "lead" | "contact") => Ok(Party::Customer),
        Some("admin" | "team") => Ok(Party::Agent),
        Some("bot") => Ok(Party::System),
        Some(other) => Err(format!(
            "`author.type` is `{other}`: expected user, lead, contact, admin, team or bot"
        )),
        None => Err("no `author.type`".into()),
    }
}

/// Intercom times are epoch seconds.
fn epoch(value: &Value, key: &str) -> Result<chrono::DateTime<chrono::Utc>, String> {
    value
        .as_i64()
        .and_then(|s| chrono::DateTime::from_timestamp(s, 0))
        .ok_or_else(|| format!("`{key}` must be epoch seconds, found {value}"))
}

/// An HTML body as the customer reads it.
fn plain(html: &str) -> String {
    crate::html::strip(html).0.trim().to_string()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests")]
    use super::*;
    use serde_json::json;

    fn conversation() -> Value {
        json!({
            "type": "conversation", "id": "147", "created_at": 1709629200,
            "state": "closed", "admin_assignee_id": 814860, "team_assignee_id": null,
            "tags": {"type": "tag.list", "tags": [{"type": "tag", "id": "1", "name": "billing"}]},
            "source": {"type": "conversation", "body": "<p>I was charged twice.</p>",
                       "author": {"type": "user", "id": "5310d8e7"}},
            "conversation_parts": {"type": "conversation_part.list", "total_count": 4, "conversation_parts": [
                {"type": "conversation_part", "part_type": "note", "body": "<p>Ledger shows one charge.</p>",
                 "created_at": 1709629800, "author": {"type": "admin", "id": "814860"}},
                {"type": "conversation_part", "part_type": "comment", "body": "<p>I&#39;m sorry about that.</p><p>Refunded.</p>",
                 "created_at": 1709630000, "author": {"type": "admin", "id": "814860"}},
                {"type": "conversation_part", "part_type": "assignment", "body": null,
                 "created_at": 1709630100, "author": {"type": "bot", "id": "1"}},
                {"type": "conversation_part", "part_type": "close", "body": null,
                 "created_at": 1709630200, "author": {"type": "admin", "id": "814860"}}
            ]}
        })
    }

    #[test]
    fn parts_become_events() {
        assert!(looks_like(&conversation()));
        let c = conversation_from_intercom(conversation(), Origin::default()).unwrap();
        let kinds: Vec<(&str, Option<Party>)> =
            c.events.iter().map(|e| (e.kind.as_str(), e.from)).collect();
        assert_eq!(
            kinds,
            [
                ("created", None),
                ("message", Some(Party::Customer)),
                ("note", Some(Party::Agent)),
                ("message", Some(Party::Agent)),
                ("assignment", None),
                ("resolved", None)
            ]
        );
        assert_eq!(
            c.events[3].text.as_deref(),
            Some("I'm sorry about that.\nRefunded.")
        );
        assert_eq!(c.tags, ["billing"]);
        assert_eq!(c.agent.as_deref(), Some("814860"));
    }

    #[test]
    fn a_bad_part_names_itself_and_the_field() {
        let mut v = conversation();
        v["conversation_parts"]["conversation_parts"][1]["author"]["type"] = json!("robot");
        let e = conversation_from_intercom(v, Origin::default()).unwrap_err();
        assert!(
            e.starts_with("conversation `147`: conversation part 1: `author.type` is `robot`"),
            "{e}"
        );
        let mut v = conversation();
        v["created_at"] = json!("yesterday");
        let e = conversation_from_intercom(v, Origin::default()).unwrap_err();
        assert!(e.contains("`created_at` must be epoch seconds"), "{e}");
    }
}
