//! Zendesk Support tickets with their comments, as a script merging the Tickets API and the
//! Ticket Comments API writes them.
//!
//! Sources: <https://developer.zendesk.com/api-reference/ticketing/tickets/tickets/> (the ticket
//! object: `id`, `created_at`, `updated_at`, `status`, `requester_id`, `assignee_id`, `tags`,
//! `via.channel`) and
//! <https://developer.zendesk.com/api-reference/ticketing/tickets/ticket_comments/> (the comment
//! object: `author_id`, `body`, `plain_body`, `public`, `created_at`), with users side-loaded
//! (`?include=users`: `id`, `name`, `role` = `end-user` | `agent` | `admin`).
//!
//! Accepted shapes: `{"tickets": [...], "users": [...]}` (a list response, users optional), a
//! list of tickets, one ticket object, or `{"ticket": {...}}`, in JSON; or one ticket per line
//! (JSONL). Each ticket carries a `comments` array.
//!
//! Mapping: the ticket becomes a `created` event at `created_at`; each comment a `message`
//! (`public: true`) or a `note` (`public: false`), from the customer when its author is an
//! end-user (or, without users, the requester), else from the agent; a ticket whose `status` is
//! `solved` or `closed` ends with a `resolved` event at `solved_at` if present, else at
//! `updated_at`. The assignee (by name when users are side-loaded) is the agent; `via.channel` the
//! channel.

use std::collections::HashMap;

use serde_json::{Map, Value};

use super::fields::{names, time_field};
use crate::conversation::{Conversation, Event, Origin, Party};

/// Who a Zendesk user id is, from side-loaded users.
#[derive(Debug, Default)]
pub struct Users {
    roles: HashMap<String, (String, Option<String>)>,
}

impl Users {
    /// Users from a side-loaded `users` array.
    pub fn from_users(users: &Value) -> Users {
        let mut roles = HashMap::new();
        for user in users.as_array().into_iter().flatten() {
            if let Some(id) = id_text(&user["id"]) {
                let role = user["role"].as_str().unwrap_or("").to_ascii_lowercase();
                let name = user["name"].as_str().map(String::from);
                roles.insert(id, (role, name));
            }
        }
        Users { roles }
    }

    /// A user's role (`end-user`, `agent`, `admin`), when side-loaded.
    pub fn role(&self, id: &str) -> Option<&str> {
        self.roles.get(id).map(|(role, _)| role.as_str())
    }

    /// A user's name, when side-loaded.
    pub fn name(&self, id: &str) -> Option<&str> {
        self.roles.get(id).and_then(|(_, name)| name.as_deref())
    }
}

/// Whether a record is a Zendesk ticket: a `requester_id` and `comments` (or a show-ticket
/// response, `{"ticket": {...}, "comments": [...]}`).
pub fn looks_like(value: &Value) -> bool {
    let has_comments = |v: &Value| v.get("comments").is_some_and(Value::is_array);
    let ticket = value.get("ticket").unwrap_or(value);
    ticket.get("requester_id").is_some() && (has_comments(ticket) || has_comments(value))
}

/// One ticket as a conversation, or what is wrong with it (naming the field).
pub fn conversation_from_ticket(
    record: Value,
    users: &Users,
    origin: Origin,
) -> Result<Conversation, String> {
    let Value::Object(mut record) = record else {
        return Err("expected a Zendesk ticket object".into());
    };
    // `{"ticket": {...}, "comments": [...]}`: the comments endpoint's answer beside the ticket.
    let t = match record.remove("ticket") {
        Some(Value::Object(mut t)) => {
            if let Some(comments) = record.remove("comments") {
                t.entry("comments").or_insert(comments);
            }
            t
        }
        Some(_) => return Err("`ticket` must be an object".into()),
        None => record,
    };
    let id = id_text(t.get("id").unwrap_or(&Value::Null)).ok_or("ticket: missing `id`")?;
    let context = |e: String| format!("ticket `{id}`: {e}");
    let time = |map: &Map<String, Value>, key: &str| time_field(map.get(key), key);
    let requester = t.get("requester_id").and_then(id_text);
    let mut events = vec![Event {
        kind: "created".into(),
        at: time(&t, "created_at").map_err(context)?,
        ..Event::default()
    }];
    let comments = match t.get("comments") {
        Some(Value::Array(c)) => c.as_slice(),
        Some(_) => return Err(context("`comments` must be a list".into())),
        None => {
            return Err(context(
                "no `comments`: export each ticket with its comments".into(),
            ))
        }
    };
    for (i, comment) in comments.iter().enumerate() {
        let Value::Object(c) = comment else {
            return Err(context(format!("comment {i}: expected an object")));
        };
        let author = c.get("author_id").and_then(id_text);
        let role = author
            .as_ref()
            .and_then(|a| users.roles.get(a))
            .map(|(r, _)| r.as_str());
        let from = match (role, &author) {
            (Some("end-user"), _) => Party::Customer,
            (Some(_), _) => Party::Agent,
            (None, Some(a)) if a.starts_with('-') => Party::System,
            (None, a) if a.is_some() && *a == requester => Party::Customer,
            (None, _) => Party::Agent,
        };
        let text = ["plain_body", "body"]
            .iter()
            .find_map(|k| c.get(*k).and_then(Value::as_str))
            .ok_or_else(|| context(format!("comment {i}: no `body`")))?;
        let public = c.get("public").and_then(Value::as_bool).unwrap_or(true);
        events.push(Event {
            kind: if public { "message" } else { "note" }.into(),
            at: time(c, "created_at").map_err(|e| context(format!("comment {i}: {e}")))?,
            from: Some(from),
            text: Some(text.to_string()),
            value: None,
        });
    }
    let status = t.get("status").and_then(Value::as_str).unwrap_or("");
    if matches!(status, "solved" | "closed") {
        let at = match time(&t, "solved_at").map_err(context)? {
            Some(at) => Some(at),
            None => time(&t, "updated_at").map_err(context)?,
        };
        events.push(Event {
            kind: "resolved".into(),
            at,
            ..Event::default()
        });
    }
    // Comments come in order of creation; the resolution goes where its time puts it.
    events.sort_by_key(|e| e.at);
    let assignee = t.get("assignee_id").and_then(id_text);
    let agent = assignee.map(|a| {
        users
            .roles
            .get(&a)
            .and_then(|(_, name)| name.clone())
            .unwrap_or(a)
    });
    Ok(Conversation {
        id,
        channel: t
            .get("via")
            .and_then(|via| via["channel"].as_str())
            .map(String::from),
        agent,
        team: t.get("group_id").and_then(id_text),
        tags: names(t.get("tags"), None),
        priority: t.get("priority").and_then(|p| p.as_str()).map(String::from),
        events,
        source: origin,
    })
}

/// Zendesk ids are numbers; some exports write them as strings.
pub(super) fn id_text(value: &Value) -> Option<String> {
    match value {
        Value::Number(n) => Some(n.to_string()),
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests")]
    use super::*;
    use serde_json::json;

    fn ticket() -> Value {
        json!({
            "id": 35436, "created_at": "2024-03-01T09:00:00Z", "updated_at": "2024-03-01T12:00:00Z",
            "status": "solved", "requester_id": 20978392, "assignee_id": 235323,
            "via": {"channel": "email"}, "tags": ["billing"],
            "comments": [
                {"author_id": 20978392, "public": true, "body": "I was charged twice.", "created_at": "2024-03-01T09:00:00Z"},
                {"author_id": 235323, "public": false, "body": "Checked the ledger.", "created_at": "2024-03-01T10:00:00Z"},
                {"author_id": 235323, "public": true, "plain_body": "I'm sorry: refunded.", "body": "I'm **sorry**: refunded.", "created_at": "2024-03-01T11:00:00Z"}
            ]
        })
    }

    #[test]
    fn a_ticket_with_comments_becomes_a_conversation() {
        let c = conversation_from_ticket(ticket(), &Users::default(), Origin::default()).unwrap();
        assert_eq!(c.id, "35436");
        assert_eq!(c.channel.as_deref(), Some("email"));
        assert_eq!(c.agent.as_deref(), Some("235323"));
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
        assert_eq!(c.events[3].text.as_deref(), Some("I'm sorry: refunded."));
    }

    #[test]
    fn side_loaded_users_decide_roles_and_names() {
        let users = Users::from_users(&json!([
            {"id": 20978392, "role": "end-user", "name": "Ann"},
            {"id": 235323, "role": "agent", "name": "Bo Agent"}]));
        let c = conversation_from_ticket(ticket(), &users, Origin::default()).unwrap();
        assert_eq!(c.agent.as_deref(), Some("Bo Agent"));
        assert_eq!(c.events[1].from, Some(Party::Customer));
    }

    #[test]
    fn a_ticket_without_via_or_tags_is_read() {
        // Found by the input_json fuzz target: indexing the ticket's map by a missing key
        // panicked.
        let mut t = ticket();
        let map = t.as_object_mut().unwrap();
        map.remove("via");
        map.remove("tags");
        let c = conversation_from_ticket(t, &Users::default(), Origin::default()).unwrap();
        assert!(c.channel.is_none() && c.tags.is_empty());
    }

    #[test]
    fn a_show_ticket_response_with_its_comments_beside_it_is_read() {
        let mut t = ticket();
        let comments = t.as_object_mut().unwrap().remove("comments").unwrap();
        let response = json!({"ticket": t, "comments": comments});
        assert!(looks_like(&response));
        let c = conversation_from_ticket(response, &Users::default(), Origin::default()).unwrap();
        assert_eq!(c.events.len(), 5);
    }

    #[test]
    fn a_ticket_without_comments_or_with_a_bad_time_names_the_field() {
        let mut t = ticket();
        t["comments"][1]["created_at"] = json!("last Tuesday");
        let e = conversation_from_ticket(t, &Users::default(), Origin::default()).unwrap_err();
        assert!(
            e.starts_with("ticket `35436`: comment 1: `created_at` is `last Tuesday`"),
            "{e}"
        );
        let mut t = ticket();
        t.as_object_mut().unwrap().remove("comments");
        let e = conversation_from_ticket(t, &Users::default(), Origin::default()).unwrap_err();
        assert!(e.contains("no `comments`"), "{e}");
        assert!(!looks_like(&json!({"id": "x", "events": []})));
    }
}
