//! Google Contact Center AI Insights conversations.
//!
//! Source: the Contact Center AI Insights REST reference, "Resource: Conversation"
//! <https://cloud.google.com/contact-center/insights/docs/reference/rest/v1/projects.locations.conversations>
//! (`name` = `projects/{project}/locations/{location}/conversations/{conversation}`,
//! `startTime` in RFC 3339, `medium` = `PHONE_CALL` | `CHAT`, `agentId`, `labels`,
//! `callMetadata.customerChannel` / `agentChannel`, `transcript.transcriptSegments[]` with
//! `text`, `messageTime`, `channelTag`, `words[].startOffset` (a duration such as `"1.500s"` from
//! the start of the conversation) and `segmentParticipant.role` = `HUMAN_AGENT` |
//! `AUTOMATED_AGENT` | `END_USER` | `ANY_AGENT`), and the `ConversationParticipant.Role` enum.
//!
//! Accepted shapes: one conversation, a list of them, in JSON; one per line in JSONL (what
//! `conversations.get` and `conversations.list` with `view=FULL` return, one resource each).
//!
//! Mapping: `startTime` is the `created` event; each segment a `message`, from the agent
//! (`HUMAN_AGENT`, `ANY_AGENT`), the customer (`END_USER`) or the system (`AUTOMATED_AGENT`, a
//! virtual agent); without a role, `channelTag` against `callMetadata`'s channels. A segment's
//! time is its `messageTime` (chats), else `startTime` plus its first word's `startOffset`
//! (calls), else unknown.

use chrono::Duration;
use serde_json::Value;

use super::fields::time_field;
use crate::conversation::{Conversation, Event, Origin, Party};

/// Whether a record is a CCAI Insights conversation: a `transcript.transcriptSegments` list.
pub fn looks_like(value: &Value) -> bool {
    value
        .get("transcript")
        .and_then(|t| t.get("transcriptSegments"))
        .is_some_and(Value::is_array)
}

/// One conversation, or what is wrong with it (naming the field).
pub fn conversation_from_ccai(value: Value, origin: Origin) -> Result<Conversation, String> {
    let id = value["name"]
        .as_str()
        .and_then(|name| name.rsplit('/').next())
        .filter(|id| !id.trim().is_empty())
        .ok_or("CCAI Insights conversation: no `name` (projects/.../conversations/ID)")?
        .to_string();
    let context = |e: String| format!("conversation `{id}`: {e}");
    let start = time_field(value.get("startTime"), "startTime").map_err(context)?;
    let mut events = vec![Event {
        kind: "created".into(),
        at: start,
        ..Event::default()
    }];
    let segments = value["transcript"]["transcriptSegments"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default();
    let channel_of = |key: &str| value["callMetadata"][key].as_i64();
    for (i, segment) in segments.iter().enumerate() {
        let where_ = |e: String| context(format!("transcriptSegments[{i}]: {e}"));
        let from = match segment["segmentParticipant"]["role"].as_str() {
            Some("HUMAN_AGENT" | "ANY_AGENT") => Party::Agent,
            Some("END_USER") => Party::Customer,
            Some("AUTOMATED_AGENT") => Party::System,
            Some(other) if other != "ROLE_UNSPECIFIED" => {
                return Err(where_(format!(
                    "`segmentParticipant.role` is `{other}`: expected HUMAN_AGENT, AUTOMATED_AGENT, END_USER or ANY_AGENT"
                )))
            }
            _ => {
                let tag = segment["channelTag"].as_i64();
                match tag {
                    Some(t) if Some(t) == channel_of("agentChannel") => Party::Agent,
                    Some(t) if Some(t) == channel_of("customerChannel") => Party::Customer,
                    _ => {
                        return Err(where_(
                            "no `segmentParticipant.role`, and `channelTag` is neither `callMetadata.agentChannel` nor `customerChannel`".into(),
                        ))
                    }
                }
            }
        };
        let text = segment["text"]
            .as_str()
            .ok_or_else(|| where_("no `text`".into()))?;
        let at = match time_field(segment.get("messageTime"), "messageTime").map_err(where_)? {
            Some(at) => Some(at),
            None => match (start, segment["words"][0]["startOffset"].as_str()) {
                (Some(start), Some(offset)) => Some(
                    parse_offset(offset)
                        .and_then(|d| start.checked_add_signed(d))
                        .ok_or_else(|| {
                            where_(format!(
                                "`words[0].startOffset` is `{offset}`: expected seconds such as `1.500s`, within the years a time can have"
                            ))
                        })?,
                ),
                _ => None,
            },
        };
        events.push(Event {
            kind: "message".into(),
            at,
            from: Some(from),
            text: Some(text.to_string()),
            value: None,
        });
    }
    let mut tags: Vec<String> = value["labels"]
        .as_object()
        .map(|labels| {
            labels
                .iter()
                .map(|(key, v)| match v.as_str() {
                    Some("") | None => key.clone(),
                    Some(v) => format!("{key}:{v}"),
                })
                .collect()
        })
        .unwrap_or_default();
    tags.sort();
    Ok(Conversation {
        id,
        channel: value["medium"].as_str().map(|m| match m {
            "PHONE_CALL" => "voice".to_string(),
            other => other.to_ascii_lowercase(),
        }),
        agent: value["agentId"].as_str().map(String::from),
        tags,
        events,
        source: origin,
        ..Conversation::default()
    })
}

/// A protobuf Duration as JSON writes it: seconds with up to nine decimals and an `s`.
fn parse_offset(text: &str) -> Option<Duration> {
    let seconds = text.strip_suffix('s')?;
    let (whole, fraction) = seconds.split_once('.').unwrap_or((seconds, ""));
    if fraction.len() > 9 || !fraction.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let whole: i64 = whole.parse().ok()?;
    let nanos: i64 = format!("{fraction:0<9}").parse().ok()?;
    Duration::try_seconds(whole)?.checked_add(&Duration::nanoseconds(nanos))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests")]
    use super::*;
    use serde_json::json;

    #[test]
    fn roles_channels_and_offsets() {
        let call = json!({
            "name": "projects/p/locations/us-central1/conversations/c-9",
            "startTime": "2024-03-04T10:00:00Z", "medium": "PHONE_CALL", "agentId": "agent-7",
            "labels": {"queue": "billing"},
            "callMetadata": {"customerChannel": 1, "agentChannel": 2},
            "transcript": {"transcriptSegments": [
                {"text": "hello", "channelTag": 2, "words": [{"word": "hello", "startOffset": "1.250s"}]},
                {"text": "hi", "segmentParticipant": {"role": "END_USER"}, "words": [{"startOffset": "3s"}]}
            ]}
        });
        assert!(looks_like(&call));
        let c = conversation_from_ccai(call, Origin::default()).unwrap();
        assert_eq!(c.id, "c-9");
        assert_eq!(c.channel.as_deref(), Some("voice"));
        assert_eq!(c.tags, ["queue:billing"]);
        assert_eq!(c.events[1].from, Some(Party::Agent));
        let gap = c.events[1].at.unwrap() - c.events[0].at.unwrap();
        assert_eq!(gap.num_milliseconds(), 1250);
        assert_eq!(c.events[2].from, Some(Party::Customer));
    }

    #[test]
    fn an_offset_past_the_last_time_is_an_error() {
        let doc = json!({"name": "x/conversations/c", "startTime": "9999-12-31T00:00:00Z",
            "transcript": {"transcriptSegments": [{"text": "hi", "segmentParticipant": {"role": "END_USER"},
                "words": [{"startOffset": "9000000000000s"}]}]}});
        let e = conversation_from_ccai(doc, Origin::default()).unwrap_err();
        assert!(e.contains("startOffset"), "{e}");
    }

    #[test]
    fn a_bad_role_or_offset_names_the_segment_and_field() {
        let bad = json!({"name": "x/conversations/c", "startTime": "2024-03-04T10:00:00Z",
            "transcript": {"transcriptSegments": [
                {"text": "hi", "segmentParticipant": {"role": "ROBOT"}}]}});
        let e = conversation_from_ccai(bad, Origin::default()).unwrap_err();
        assert!(
            e.starts_with(
                "conversation `c`: transcriptSegments[0]: `segmentParticipant.role` is `ROBOT`"
            ),
            "{e}"
        );
        assert_eq!(parse_offset("0.5s"), Some(Duration::milliseconds(500)));
        assert_eq!(parse_offset("5"), None);
        assert_eq!(parse_offset("1.0000000001s"), None);
    }
}
