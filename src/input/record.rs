//! Turns one parsed JSON or YAML value into a [`Conversation`], naming what is wrong if it is not
//! one. Unknown fields are ignored.

use chrono::{DateTime, Utc};
use serde_json::{Map, Value};

use crate::conversation::{Conversation, Event, Origin, Party};

/// Builds a conversation from a record, or says what is wrong with it.
pub fn conversation_from_value(value: Value, origin: Origin) -> Result<Conversation, String> {
    let Value::Object(mut map) = value else {
        return Err(format!(
            "expected a conversation object, found {}",
            kind_of(&value)
        ));
    };
    let id = match map.remove("id") {
        Some(Value::String(s)) if !s.trim().is_empty() => s,
        Some(Value::Number(n)) => n.to_string(),
        Some(Value::String(_)) => return Err("`id` is empty".into()),
        Some(other) => return Err(format!("`id` must be a string, found {}", kind_of(&other))),
        None => return Err("missing `id`".into()),
    };
    let context = |e: String| format!("conversation `{id}`: {e}");
    let channel = optional_string(&mut map, "channel").map_err(context)?;
    let agent = optional_string(&mut map, "agent").map_err(context)?;
    let team = optional_string(&mut map, "team").map_err(context)?;
    let priority = optional_string(&mut map, "priority").map_err(context)?;
    let tags = match map.remove("tags") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(items)) => items
            .into_iter()
            .map(|t| match t {
                Value::String(s) => Ok(s),
                other => Err(context(format!(
                    "`tags` must hold strings, found {}",
                    kind_of(&other)
                ))),
            })
            .collect::<Result<_, _>>()?,
        Some(other) => {
            return Err(context(format!(
                "`tags` must be a list, found {}",
                kind_of(&other)
            )))
        }
    };
    let events = match map.remove("events") {
        Some(Value::Array(items)) => items
            .into_iter()
            .enumerate()
            .map(|(i, e)| event_from_value(e).map_err(|m| context(format!("event {i}: {m}"))))
            .collect::<Result<Vec<_>, _>>()?,
        Some(other) => {
            return Err(context(format!(
                "`events` must be a list, found {}",
                kind_of(&other)
            )))
        }
        None => return Err(context("missing `events`".into())),
    };
    Ok(Conversation {
        id,
        channel,
        agent,
        team,
        tags,
        priority,
        events,
        source: origin,
    })
}

fn event_from_value(value: Value) -> Result<Event, String> {
    let Value::Object(mut map) = value else {
        return Err(format!(
            "expected an event object, found {}",
            kind_of(&value)
        ));
    };
    let kind = match map.remove("type") {
        None | Some(Value::Null) => "message".to_string(),
        Some(Value::String(s)) if !s.trim().is_empty() => s.trim().to_string(),
        Some(other) => {
            return Err(format!(
                "`type` must be a non-empty string, found {}",
                kind_of(&other)
            ))
        }
    };
    let at = match map.remove("at") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(parse_time(&s)?),
        Some(other) => {
            return Err(format!(
                "`at` must be an RFC 3339 time, found {}",
                kind_of(&other)
            ))
        }
    };
    if let Some(Value::String(due)) = map.get("due") {
        parse_time(due).map_err(|e| e.replace("`at`", "`due`"))?;
    }
    let from = match map.remove("from") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(parse_party(&s)?),
        Some(other) => {
            return Err(format!(
                "`from` must be agent, customer or system, found {}",
                kind_of(&other)
            ))
        }
    };
    let text = match map.remove("text") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(s),
        Some(other) => {
            return Err(format!(
                "`text` must be a string, found {}",
                kind_of(&other)
            ))
        }
    };
    // A status event's new status; other event types may carry anything there.
    let value = match map.remove("value") {
        Some(Value::String(s)) if !s.trim().is_empty() => Some(s.trim().to_string()),
        Some(other) if kind == "status" && !other.is_null() && !other.is_string() => {
            return Err(format!(
                "a status event's `value` must be a string, found {}",
                kind_of(&other)
            ))
        }
        _ => None,
    };
    if kind == "message" {
        if from.is_none() {
            return Err("a message needs `from` (agent, customer or system)".into());
        }
        if text.is_none() {
            return Err("a message needs `text`".into());
        }
    }
    Ok(Event {
        kind,
        at,
        from,
        text,
        value,
    })
}

/// Parses an RFC 3339 time, as the contract requires; an error shows what was found, why it
/// is not one, and what one looks like.
pub fn parse_time(s: &str) -> Result<DateTime<Utc>, String> {
    DateTime::parse_from_rfc3339(s.trim())
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| {
            let shown: String = s.chars().take(40).collect();
            let cut = if shown.len() < s.len() { "..." } else { "" };
            format!(
                "`at` is `{shown}{cut}`, not an RFC 3339 time ({e}); write a date, a `T`, a time and a zone, e.g. `2024-03-05T14:30:00Z` or `2024-03-05T14:30:00+01:00`"
            )
        })
}

/// `agent`, `customer` or `system`, in any case.
pub fn parse_party(s: &str) -> Result<Party, String> {
    match s.trim().to_ascii_lowercase().as_str() {
        "agent" => Ok(Party::Agent),
        "customer" => Ok(Party::Customer),
        "system" => Ok(Party::System),
        _ => Err(format!(
            "unknown speaker `{s}`: `from` must be agent, customer or system"
        )),
    }
}

fn optional_string(map: &mut Map<String, Value>, key: &str) -> Result<Option<String>, String> {
    match map.remove(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(other) => Err(format!(
            "`{key}` must be a string, found {}",
            kind_of(&other)
        )),
    }
}

fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}
