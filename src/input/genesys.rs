//! Genesys Cloud Speech and Text Analytics transcripts.
//!
//! Source: the Genesys Cloud developer center, "Transcript URL"
//! <https://developer.genesys.cloud/analyticsdatamanagement/speechtextanalytics/transcript-url>
//! (the transcript document that `GET /api/v2/speechandtextanalytics/conversations/{conversationId}/communications/{communicationId}/transcripturl`
//! points at: `conversationId`, `communicationId`, `mediaType`, `conversationStartTime` in epoch
//! milliseconds, `transcripts[].phrases[]` with `text`, `decoratedText`, `startTimeMs`,
//! `participantPurpose` = `internal` | `external` (calls) or `agent` | `customer` | `acd` |
//! `ivr` | ... (digital channels)).
//!
//! Accepted shapes: one transcript document, a list of them, in JSON; one per line in JSONL.
//!
//! Mapping: `conversationStartTime` is the `created` event; each phrase a `message` (its
//! `decoratedText`, punctuated and cased, else `text`), from the agent (`internal`, `agent`,
//! `user`), the customer (`external`, `customer`) or the system (`acd`, `ivr`, `workflow`,
//! `voicemail`, `fax`, `bot`). `startTimeMs` is an epoch time in milliseconds when it is at or
//! after the conversation's start (or, without a start, after 1973); otherwise it is an offset
//! from the start, as some exports write it.

use chrono::{DateTime, Duration, Utc};
use serde_json::Value;

use crate::conversation::{Conversation, Event, Origin, Party};

/// `startTimeMs` from this (1973-03-03) on is an epoch time, even a little before the
/// conversation's start (clocks differ); anything smaller is an offset from the start.
const EARLIEST_EPOCH_MS: i64 = 100_000_000_000;

/// Whether a record is a Genesys transcript: `transcripts` whose items carry `phrases`.
pub fn looks_like(value: &Value) -> bool {
    value.get("conversationId").is_some()
        && value
            .get("transcripts")
            .and_then(Value::as_array)
            .is_some_and(|t| t.iter().any(|t| t.get("phrases").is_some()))
}

/// One transcript document, or what is wrong with it (naming the field).
pub fn conversation_from_genesys(value: Value, origin: Origin) -> Result<Conversation, String> {
    let id = value["conversationId"]
        .as_str()
        .filter(|s| !s.trim().is_empty())
        .ok_or("Genesys transcript: no `conversationId`")?
        .to_string();
    let context = |e: String| format!("conversation `{id}`: {e}");
    let start_ms = match &value["conversationStartTime"] {
        Value::Null => None,
        v => Some(v.as_i64().ok_or_else(|| {
            context(format!(
                "`conversationStartTime` must be epoch milliseconds, found {v}"
            ))
        })?),
    };
    let at_ms = |ms: i64| DateTime::<Utc>::from_timestamp_millis(ms);
    let start = start_ms.and_then(at_ms);
    let mut events = vec![Event {
        kind: "created".into(),
        at: start,
        ..Event::default()
    }];
    let transcripts = value["transcripts"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default();
    for (t, transcript) in transcripts.iter().enumerate() {
        let phrases = transcript["phrases"]
            .as_array()
            .map(Vec::as_slice)
            .unwrap_or_default();
        for (p, phrase) in phrases.iter().enumerate() {
            let where_ = |e: String| context(format!("transcripts[{t}].phrases[{p}]: {e}"));
            let purpose = phrase["participantPurpose"]
                .as_str()
                .ok_or_else(|| where_("no `participantPurpose`".into()))?;
            let from = match purpose.to_ascii_lowercase().as_str() {
                "internal" | "agent" | "user" => Party::Agent,
                "external" | "customer" => Party::Customer,
                "acd" | "ivr" | "workflow" | "voicemail" | "fax" | "bot" => Party::System,
                _ => {
                    return Err(where_(format!(
                        "`participantPurpose` is `{purpose}`: expected internal, external, agent, customer, acd or ivr"
                    )))
                }
            };
            let text = phrase["decoratedText"]
                .as_str()
                .or_else(|| phrase["text"].as_str())
                .ok_or_else(|| where_("no `text`".into()))?;
            let at = match &phrase["startTimeMs"] {
                Value::Null => None,
                v => {
                    let ms = v.as_i64().ok_or_else(|| {
                        where_(format!("`startTimeMs` must be milliseconds, found {v}"))
                    })?;
                    // An epoch time (even a little before the conversation's start, as clocks
                    // differ), else an offset from the start.
                    let at = if ms >= EARLIEST_EPOCH_MS {
                        at_ms(ms)
                    } else {
                        Duration::try_milliseconds(ms).and_then(|d| {
                            start.unwrap_or(DateTime::UNIX_EPOCH).checked_add_signed(d)
                        })
                    };
                    Some(at.ok_or_else(|| {
                        where_(format!("`startTimeMs` {ms} is not a time tact can hold"))
                    })?)
                }
            };
            events.push(Event {
                kind: "message".into(),
                at,
                from: Some(from),
                text: Some(text.to_string()),
                value: None,
            });
        }
    }
    if events.len() == 1 {
        return Err(context("no phrases in `transcripts`".into()));
    }
    // Phrases of several transcripts (one per communication) interleave in time.
    events[1..].sort_by_key(|e| e.at);
    Ok(Conversation {
        id,
        channel: value["mediaType"].as_str().map(|m| match m {
            "call" => "voice".to_string(),
            other => other.to_ascii_lowercase(),
        }),
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
    fn phrases_with_epoch_times_or_offsets() {
        let doc = json!({"conversationId": "g-1", "mediaType": "call",
            "conversationStartTime": 1709546400000_i64,
            "transcripts": [{"phrases": [
                {"text": "hi i was double billed", "decoratedText": "Hi, I was double billed.",
                 "startTimeMs": 1709546402500_i64, "participantPurpose": "external"},
                {"text": "sorry", "startTimeMs": 4000, "participantPurpose": "internal"}]}]});
        assert!(looks_like(&doc));
        let c = conversation_from_genesys(doc, Origin::default()).unwrap();
        assert_eq!(c.channel.as_deref(), Some("voice"));
        assert_eq!(
            c.events[1].text.as_deref(),
            Some("Hi, I was double billed.")
        );
        let start = c.events[0].at.unwrap();
        assert_eq!((c.events[1].at.unwrap() - start).num_milliseconds(), 2500);
        assert_eq!((c.events[2].at.unwrap() - start).num_milliseconds(), 4000);
        assert_eq!(c.events[2].from, Some(Party::Agent));
    }

    #[test]
    fn times_out_of_range_are_errors_and_a_time_just_before_the_start_is_a_time() {
        let doc = |ms: i64| {
            json!({"conversationId": "g-3", "conversationStartTime": 1709546400000_i64,
                "transcripts": [{"phrases": [{"text": "hi", "startTimeMs": ms, "participantPurpose": "external"}]}]})
        };
        let e = conversation_from_genesys(doc(i64::MIN), Origin::default()).unwrap_err();
        assert!(e.contains("not a time tact can hold"), "{e}");
        // 100 ms before the start (clock skew) is that instant, not an offset 54 years on.
        let c = conversation_from_genesys(doc(1709546399900), Origin::default()).unwrap();
        let start = c.events[0].at.unwrap();
        assert_eq!((c.events[1].at.unwrap() - start).num_milliseconds(), -100);
    }

    #[test]
    fn an_unknown_purpose_names_the_phrase() {
        let doc = json!({"conversationId": "g-2", "transcripts": [{"phrases": [
            {"text": "x", "startTimeMs": 0, "participantPurpose": "robot"}]}]});
        let e = conversation_from_genesys(doc, Origin::default()).unwrap_err();
        assert!(
            e.starts_with(
                "conversation `g-2`: transcripts[0].phrases[0]: `participantPurpose` is `robot`"
            ),
            "{e}"
        );
    }
}
