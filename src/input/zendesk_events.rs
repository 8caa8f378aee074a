//! Zendesk ticket histories: ticket audits, and the incremental ticket-events export.
//!
//! Sources: <https://developer.zendesk.com/api-reference/ticketing/tickets/ticket_audits/> (the
//! audit object: `id`, `ticket_id`, `created_at`, `author_id`, `via`, `events`; the list
//! responses `{"audits": [...]}` of `GET /api/v2/tickets/{ticket_id}/audits` and
//! `GET /api/v2/ticket_audits`), the Ticket Audit events reference
//! <https://developer.zendesk.com/documentation/ticketing/reference-guides/ticket-audit-events-reference/>
//! (`Create` and `Change` events with `field_name`, `value`, `previous_value`; `Comment` events
//! with `author_id`, `body`, `plain_body`, `public`) and the Incremental Exports API
//! <https://developer.zendesk.com/api-reference/ticketing/ticket-management/incremental_exports/#incremental-ticket-event-export>
//! (`{"ticket_events": [...]}`: each event with `ticket_id`, `timestamp` in epoch seconds,
//! `created_at`, `updater_id`, `via`, `event_type` and `child_events`; the changed fields of a
//! child event written as its own keys (`"status": "pending"`), its comment only with
//! `include=comment_events`).
//!
//! The events of one ticket are spread over many records (an incremental export interleaves
//! tickets), so records are gathered by `ticket_id` and each ticket becomes one conversation when
//! the file ends: memory grows with the history read, as for a JSON document.
//!
//! Mapping: a record holding a `Create` event opens the ticket (a `created` event); a comment is
//! a `message` (`public: true`) or a `note`, from the customer when its author is a side-loaded
//! end-user or the ticket's requester, else from the agent; a `status` set or changed is a
//! `status` event with its `value` (and `solved` also a `resolved` event); the last `priority`,
//! `assignee_id`, `group_id` and `tags` set are the ticket's priority, agent, team and tags.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use serde_json::Value;

use super::fields::time_field;
use super::position::{written_text_at, LineCol};
use super::zendesk::{id_text, Users};
use crate::conversation::{Conversation, Event, Origin, Party, TextAt, TextPositions};

/// Zendesk's audit event types that tact's own event types never spell (they are lower case).
const AUDIT_EVENT_TYPES: &[&str] = &["Create", "Change", "Comment", "VoiceComment"];

/// Whether a record is a ticket audit or an incremental ticket event.
pub fn looks_like(value: &Value) -> bool {
    if value.get("ticket_id").is_none() {
        return false;
    }
    if value.get("child_events").is_some_and(Value::is_array) {
        return true;
    }
    value
        .get("events")
        .and_then(Value::as_array)
        .is_some_and(|events| {
            events.iter().any(|e| {
                e.get("type")
                    .and_then(Value::as_str)
                    .is_some_and(|t| AUDIT_EVENT_TYPES.contains(&t))
            })
        })
}

/// When the first line of a JSONL file is an audit or a ticket event, the tickets to gather the
/// file's records into (the other readers take one conversation per line).
pub(super) fn history_from_first_line(line: &str) -> Option<Tickets> {
    let may_be = line.contains("\"ticket_id\"")
        && (line.contains("\"child_events\"") || line.contains("\"events\""));
    let record = may_be.then(|| serde_json::from_str::<Value>(line).ok())??;
    looks_like(&record).then(Tickets::default)
}

/// Tickets being gathered from their audits or events, in the order they first appear.
#[derive(Debug, Default)]
pub struct Tickets {
    order: Vec<String>,
    by_id: HashMap<String, Ticket>,
}

/// What is known of one ticket so far.
#[derive(Debug, Default)]
struct Ticket {
    /// The line of its first record.
    line: usize,
    /// Each event with the line of the record it came from, and where its text is written.
    events: Vec<(Event, usize, Option<TextAt>)>,
    requester: Option<String>,
    /// Comments by an author the side-loaded users do not name: the index of the event and the
    /// author, told customer or agent once every record is in (the requester may be set by a
    /// record that comes later in the file).
    unknown_authors: Vec<(usize, String)>,
    channel: Option<String>,
    /// The last value of each field set, with when it was set.
    fields: HashMap<&'static str, (Option<DateTime<Utc>>, Value)>,
}

/// One comment, as an audit's `Comment` event or a ticket event's comment child gives it.
struct Comment<'a> {
    author: Option<String>,
    text: &'a str,
    public: bool,
    at: Option<DateTime<Utc>>,
}

impl Tickets {
    /// Adds the events of one record (an audit or a ticket event), written as `raw` from
    /// `start` (line, column) in the file; an error names the field. `users` are side-loaded
    /// users, if any.
    pub fn add(
        &mut self,
        record: &Value,
        raw: &str,
        start: LineCol,
        users: &Users,
    ) -> Result<(), String> {
        let line = start.0;
        if !record.is_object() {
            return Err("expected a Zendesk audit or ticket event object".into());
        }
        let ticket_id = id_text(&record["ticket_id"]).ok_or("missing `ticket_id`")?;
        let context = |e: String| format!("ticket `{ticket_id}`: {e}");
        let at = record_time(record).map_err(context)?;
        let (children, child_kind) = match (&record["events"], &record["child_events"]) {
            (Value::Array(events), _) => (events.as_slice(), "type"),
            (_, Value::Array(children)) => (children.as_slice(), "event_type"),
            _ => {
                return Err(context(
                    "no `events` (audit) or `child_events` (ticket event)".into(),
                ))
            }
        };
        if !self.by_id.contains_key(&ticket_id) {
            self.order.push(ticket_id.clone());
        }
        let ticket = self
            .by_id
            .entry(ticket_id.clone())
            .or_insert_with(|| Ticket {
                line,
                ..Ticket::default()
            });
        let via = &record["via"];
        let channel = via["channel"]
            .as_str()
            .or_else(|| via.as_str())
            .map(|c| c.trim().to_ascii_lowercase().replace(' ', "_"));
        let mut kinds = Vec::with_capacity(children.len());
        for (i, child) in children.iter().enumerate() {
            let kind = child[child_kind]
                .as_str()
                .or_else(|| child["type"].as_str())
                .ok_or_else(|| {
                    context(format!(
                        "{} {i}: no `{child_kind}`",
                        children_name(child_kind)
                    ))
                })?;
            kinds.push(kind);
        }
        if kinds.contains(&"Create") {
            ticket.events.push((
                Event {
                    kind: "created".into(),
                    at,
                    ..Event::default()
                },
                line,
                None,
            ));
            ticket.channel = channel;
        } else if ticket.channel.is_none() {
            ticket.channel = channel;
        }
        // Fields first, so a comment of the creating record knows the requester.
        for (child, kind) in children.iter().zip(&kinds) {
            if matches!(*kind, "Create" | "Change") {
                for (field, value) in changed_fields(child) {
                    ticket.set(field, value, at, line);
                }
            }
        }
        // Notifications, SLA targets, satisfaction ratings...: not part of the talk.
        for (i, (child, kind)) in children.iter().zip(&kinds).enumerate() {
            if matches!(*kind, "Comment" | "VoiceComment") {
                let comment = comment(child, at)
                    .map_err(|e| context(format!("{} {i}: {e}", children_name(child_kind))))?;
                let written = written_text_at(raw, start, comment.text);
                ticket.comment(comment, users, line, written);
            }
        }
        Ok(())
    }

    /// The tickets as conversations, in the order they first appeared, each read from `path`.
    pub fn finish(self, path: &str, users: &Users) -> Vec<Conversation> {
        let Tickets { order, mut by_id } = self;
        order
            .into_iter()
            .filter_map(|id| {
                let ticket = by_id.remove(&id)?;
                Some(ticket.into_conversation(id, path, users))
            })
            .collect()
    }
}

impl Ticket {
    /// Records a field set or changed at `at`.
    fn set(&mut self, field: &'static str, value: Value, at: Option<DateTime<Utc>>, line: usize) {
        match field {
            "status" => {
                let Some(status) = value.as_str().map(str::to_ascii_lowercase) else {
                    return;
                };
                let solved = status == "solved";
                self.events.push((
                    Event {
                        kind: "status".into(),
                        at,
                        value: Some(status),
                        ..Event::default()
                    },
                    line,
                    None,
                ));
                if solved {
                    self.events.push((
                        Event {
                            kind: "resolved".into(),
                            at,
                            ..Event::default()
                        },
                        line,
                        None,
                    ));
                }
            }
            "requester_id" => self.requester = id_text(&value),
            _ => {
                let newer = self.fields.get(field).is_none_or(|(when, _)| at >= *when);
                if newer {
                    self.fields.insert(field, (at, value));
                }
            }
        }
    }

    /// Records a comment as a message or a note.
    fn comment(
        &mut self,
        comment: Comment<'_>,
        users: &Users,
        line: usize,
        written: Option<TextAt>,
    ) {
        let from = match comment.author.as_deref() {
            Some(a) if users.role(a) == Some("end-user") => Party::Customer,
            Some(a) if users.role(a).is_some() => Party::Agent,
            Some(a) if a.starts_with('-') => Party::System,
            Some(a) => {
                // Decided in `into_conversation`, against the ticket's requester.
                self.unknown_authors
                    .push((self.events.len(), a.to_string()));
                Party::Agent
            }
            None => Party::Agent,
        };
        self.events.push((
            Event {
                kind: if comment.public { "message" } else { "note" }.into(),
                at: comment.at,
                from: Some(from),
                text: Some(comment.text.to_string()),
                value: None,
            },
            line,
            written,
        ));
    }

    fn into_conversation(mut self, id: String, path: &str, users: &Users) -> Conversation {
        // The requester writes as the customer, whichever record named them.
        if let Some(requester) = &self.requester {
            for (i, author) in &self.unknown_authors {
                if author == requester {
                    if let Some((event, _, _)) = self.events.get_mut(*i) {
                        event.from = Some(Party::Customer);
                    }
                }
            }
        }
        // Records come in any order across pages; each event goes where its time puts it, the
        // record order kept among equal times.
        self.events.sort_by_key(|(e, _, _)| e.at);
        let mut field = |name: &str| self.fields.remove(name).map(|(_, v)| v);
        let agent = field("assignee_id")
            .and_then(|v| id_text(&v))
            .map(|a| users.name(&a).map_or_else(|| a.clone(), String::from));
        let team = field("group_id").and_then(|v| id_text(&v));
        let priority = field("priority").and_then(|v| v.as_str().map(String::from));
        let tags = match field("tags") {
            Some(Value::Array(tags)) => tags
                .iter()
                .filter_map(|t| t.as_str().map(String::from))
                .collect(),
            Some(Value::String(tags)) => tags.split_whitespace().map(String::from).collect(),
            _ => Vec::new(),
        };
        let mut lines = Vec::with_capacity(self.events.len());
        let mut texts = Vec::with_capacity(self.events.len());
        let events = self
            .events
            .into_iter()
            .map(|(event, line, text)| {
                lines.push(line);
                texts.push(text);
                event
            })
            .collect();
        Conversation {
            id,
            channel: self.channel,
            agent,
            team,
            tags,
            priority,
            events,
            source: Origin {
                path: path.to_string(),
                line: self.line,
                event_lines: Some(lines),
                positions: TextPositions::Known(texts),
            },
        }
    }
}

/// What a list of child events is called in messages.
fn children_name(kind_key: &str) -> &'static str {
    if kind_key == "type" {
        "event"
    } else {
        "child event"
    }
}

/// When a record happened: `created_at` (RFC 3339), else `timestamp` (epoch seconds).
fn record_time(record: &Value) -> Result<Option<DateTime<Utc>>, String> {
    if let Some(at) = time_field(record.get("created_at"), "created_at")? {
        return Ok(Some(at));
    }
    match record.get("timestamp") {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Number(n)) => n
            .as_i64()
            .and_then(|s| DateTime::from_timestamp(s, 0))
            .map(Some)
            .ok_or_else(|| format!("`timestamp` is {n}: not epoch seconds")),
        Some(other) => Err(format!("`timestamp` must be epoch seconds, found {other}")),
    }
}

/// The ticket fields a `Create` or `Change` event sets: `field_name` and `value` in an audit;
/// the field's own key in an incremental ticket event.
fn changed_fields(child: &Value) -> Vec<(&'static str, Value)> {
    const FIELDS: &[&str] = &[
        "status",
        "priority",
        "assignee_id",
        "group_id",
        "tags",
        "requester_id",
    ];
    if let Some(name) = child["field_name"].as_str() {
        return FIELDS
            .iter()
            .find(|f| **f == name)
            .map(|f| vec![(*f, child["value"].clone())])
            .unwrap_or_default();
    }
    FIELDS
        .iter()
        .filter_map(|f| child.get(*f).map(|v| (*f, v.clone())))
        .collect()
}

/// A comment's author, text, visibility and time (its own `created_at`, else the record's).
fn comment(child: &Value, record_at: Option<DateTime<Utc>>) -> Result<Comment<'_>, String> {
    let text = ["plain_body", "body"]
        .iter()
        .find_map(|k| child[*k].as_str())
        .ok_or(
            "a comment without `body`: export ticket events with `include=comment_events` to get the comments' text",
        )?;
    let at = time_field(child.get("created_at"), "created_at")?.or(record_at);
    Ok(Comment {
        author: id_text(&child["author_id"]),
        text,
        public: child["public"].as_bool().unwrap_or(true),
        at,
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests")]
    use super::*;
    use serde_json::json;

    fn audits() -> Vec<Value> {
        vec![
            json!({"id": 1, "ticket_id": 47, "created_at": "2024-03-01T09:00:00Z", "author_id": 11,
                   "via": {"channel": "email"}, "events": [
                {"id": 10, "type": "Comment", "author_id": 11, "body": "My order is late.", "public": true},
                {"id": 11, "type": "Create", "field_name": "status", "value": "new"},
                {"id": 12, "type": "Create", "field_name": "requester_id", "value": "11"},
                {"id": 13, "type": "Create", "field_name": "priority", "value": "normal"},
                {"id": 14, "type": "Notification", "subject": "Received", "body": "We got it"}]}),
            json!({"id": 2, "ticket_id": 47, "created_at": "2024-03-01T10:00:00Z", "author_id": 22,
                   "events": [
                {"id": 20, "type": "Comment", "author_id": 22, "body": "Checked the carrier.", "public": false},
                {"id": 21, "type": "Change", "field_name": "status", "value": "pending", "previous_value": "new"},
                {"id": 22, "type": "Change", "field_name": "priority", "value": "urgent", "previous_value": "normal"},
                {"id": 23, "type": "Change", "field_name": "assignee_id", "value": "22", "previous_value": null}]}),
        ]
    }

    #[test]
    fn audits_become_one_conversation_per_ticket() {
        assert!(audits().iter().all(looks_like));
        let mut tickets = Tickets::default();
        for (i, a) in audits().iter().enumerate() {
            tickets.add(a, "", (i + 1, 1), &Users::default()).unwrap();
        }
        let c = tickets.finish("a.json", &Users::default()).pop().unwrap();
        assert_eq!(c.id, "47");
        let kinds: Vec<_> = c
            .events
            .iter()
            .map(|e| (e.kind.as_str(), e.from, e.value.as_deref()))
            .collect();
        assert_eq!(
            kinds,
            [
                ("created", None, None),
                ("status", None, Some("new")),
                ("message", Some(Party::Customer), None),
                ("status", None, Some("pending")),
                ("note", Some(Party::Agent), None),
            ]
        );
        assert_eq!(c.priority.as_deref(), Some("urgent"));
        assert_eq!(c.agent.as_deref(), Some("22"));
        assert_eq!(c.channel.as_deref(), Some("email"));
        assert_eq!(c.source.event_lines.as_deref(), Some(&[1, 1, 1, 2, 2][..]));
    }

    #[test]
    fn the_requester_is_the_customer_whatever_the_order_of_the_records() {
        // Newest first, as some exports page: the record naming the requester comes last.
        let newest_first = [
            json!({"id": 3, "ticket_id": 7, "created_at": "2024-03-04T10:00:00Z", "author_id": 501,
                "events": [{"id": 31, "type": "Comment", "author_id": 501, "body": "Any news?", "public": true}]}),
            json!({"id": 2, "ticket_id": 7, "created_at": "2024-03-04T09:00:00Z", "author_id": 602,
                "events": [{"id": 21, "type": "Comment", "author_id": 602, "body": "Looking into it.", "public": true}]}),
            json!({"id": 1, "ticket_id": 7, "created_at": "2024-03-04T08:00:00Z", "author_id": 501,
                "events": [{"id": 11, "type": "Comment", "author_id": 501, "body": "It broke.", "public": true},
                           {"id": 12, "type": "Create", "field_name": "requester_id", "value": "501"}]}),
        ];
        for records in [
            newest_first.to_vec(),
            newest_first.iter().rev().cloned().collect(),
        ] {
            let mut tickets = Tickets::default();
            for (i, r) in records.iter().enumerate() {
                tickets.add(r, "", (i + 1, 1), &Users::default()).unwrap();
            }
            let c = tickets.finish("a.json", &Users::default()).pop().unwrap();
            let speakers: Vec<_> = c.events.iter().filter_map(|e| e.from).collect();
            assert_eq!(
                speakers,
                [Party::Customer, Party::Agent, Party::Customer],
                "{records:?}"
            );
        }
    }

    #[test]
    fn tact_records_and_tickets_are_not_taken_for_audits() {
        let own = json!({"id": "t", "ticket_id": 3, "events": [{"type": "message", "from": "agent", "text": "Hi"}]});
        assert!(!looks_like(&own));
        assert!(!looks_like(
            &json!({"id": 1, "requester_id": 2, "comments": []})
        ));
    }

    #[test]
    fn a_ticket_event_without_comment_text_names_the_sideload() {
        let event = json!({"id": 5, "ticket_id": 9, "timestamp": 1709283600, "event_type": "Audit",
            "child_events": [{"id": 6, "comment_present": true, "comment_public": true, "event_type": "Comment"}]});
        let e = Tickets::default()
            .add(&event, "", (3, 1), &Users::default())
            .unwrap_err();
        assert!(
            e.starts_with("ticket `9`: child event 0: a comment without `body`"),
            "{e}"
        );
    }
}
