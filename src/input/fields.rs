//! Fields that helpdesk exports write alike: RFC 3339 times, and lists of tags (strings, or
//! objects naming themselves).

use chrono::{DateTime, Utc};
use serde_json::Value;

use super::parse_time;

/// The time in field `key` (absent or null: none); an error names the field.
pub(super) fn time_field(
    value: Option<&Value>,
    key: &str,
) -> Result<Option<DateTime<Utc>>, String> {
    match value {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => parse_time(s)
            .map(Some)
            .map_err(|e| e.replace("`at`", &format!("`{key}`"))),
        Some(_) => Err(format!("`{key}` must be a time")),
    }
}

/// Tag names: a list of strings, or of objects carrying the name in `key`.
pub(super) fn names(list: Option<&Value>, key: Option<&str>) -> Vec<String> {
    list.and_then(Value::as_array)
        .map(|items| {
            items
                .iter()
                .filter_map(|item| match key {
                    Some(key) => item[key].as_str(),
                    None => item.as_str(),
                })
                .map(String::from)
                .collect()
        })
        .unwrap_or_default()
}
