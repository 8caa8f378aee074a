//! Contact-center transcripts from Amazon: Amazon Connect Contact Lens conversational analytics
//! output files, and Amazon Transcribe Call Analytics output.
//!
//! Sources: the Amazon Connect Administrator Guide, "Example Contact Lens conversational
//! analytics output files for a call" and "... for a chat" (`Channel`, `Participants[]` with
//! `ParticipantId` and `ParticipantRole`, `Transcript[]` with `Id`, `ParticipantId`, `Content`,
//! `BeginOffsetMillis`, `EndOffsetMillis`, `CustomerMetadata.ContactId`), and the Amazon
//! Transcribe Developer Guide, "Call Analytics output" (`JobName`, `Transcript[]` with
//! `ParticipantRole` = `AGENT` | `CUSTOMER`, `Content`, `BeginOffsetMillis`).
//!
//! Times in these files are offsets in milliseconds from the start of the contact; the start
//! itself is not in the file. Each contact is therefore laid out from 1970-01-01T00:00:00Z: the
//! `created` event at offset 0 and each turn at its offset, so every duration a rule measures
//! (time to first reply, gaps) is the real one, and no absolute time is claimed.

use serde_json::Value;

use crate::conversation::{Conversation, Event, Origin, Party};

/// Whether a record is a Contact Lens or Transcribe Call Analytics output file.
pub fn looks_like(value: &Value) -> bool {
    value.get("Transcript").is_some_and(Value::is_array)
        && (value.get("Participants").is_some()
            || value.get("JobName").is_some()
            || value.get("CustomerMetadata").is_some())
}

/// One contact, or what is wrong with it (naming the field).
pub fn conversation_from_contact(value: Value, origin: Origin) -> Result<Conversation, String> {
    let id = value["CustomerMetadata"]["ContactId"]
        .as_str()
        .or_else(|| value["JobName"].as_str())
        .filter(|s| !s.trim().is_empty())
        .ok_or("no contact id: expected `CustomerMetadata.ContactId` (Contact Lens) or `JobName` (Transcribe)")?
        .to_string();
    let context = |e: String| format!("contact `{id}`: {e}");
    // Contact Lens names participants by id and gives each a role; Transcribe gives the role.
    let role_of = |participant: &str| -> Option<String> {
        value["Participants"]
            .as_array()?
            .iter()
            .find(|p| p["ParticipantId"].as_str() == Some(participant))?["ParticipantRole"]
            .as_str()
            .map(String::from)
    };
    let start = chrono::DateTime::UNIX_EPOCH;
    let mut events = vec![Event {
        kind: "created".into(),
        at: Some(start),
        ..Event::default()
    }];
    let turns = value["Transcript"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default();
    for (i, turn) in turns.iter().enumerate() {
        let where_ = |e: String| context(format!("Transcript[{i}]: {e}"));
        let role = match (
            turn["ParticipantRole"].as_str(),
            turn["ParticipantId"].as_str(),
        ) {
            (Some(role), _) => role.to_string(),
            (None, Some(participant)) => {
                role_of(participant).unwrap_or_else(|| participant.to_string())
            }
            (None, None) => return Err(where_("no `ParticipantRole` or `ParticipantId`".into())),
        };
        let from = match role.to_ascii_uppercase().as_str() {
            "AGENT" => Party::Agent,
            "CUSTOMER" => Party::Customer,
            "SYSTEM" | "AUTOMATED" | "SUPERVISOR" => Party::System,
            other => {
                return Err(where_(format!(
                    "participant role `{other}`: expected AGENT, CUSTOMER or SYSTEM"
                )))
            }
        };
        let offset = turn["BeginOffsetMillis"]
            .as_i64()
            .ok_or_else(|| where_("`BeginOffsetMillis` must be a number of milliseconds".into()))?;
        let text = turn["Content"]
            .as_str()
            .ok_or_else(|| where_("no `Content`".into()))?;
        events.push(Event {
            kind: "message".into(),
            at: Some(start + chrono::Duration::milliseconds(offset)),
            from: Some(from),
            text: Some(text.to_string()),
            value: None,
        });
    }
    if events.len() == 1 {
        return Err(context("`Transcript` is empty".into()));
    }
    Ok(Conversation {
        id,
        channel: Some(
            value["Channel"]
                .as_str()
                .map_or_else(|| "voice".to_string(), str::to_ascii_lowercase),
        ),
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
    fn contact_lens_turns_become_timed_messages() {
        let file = json!({
            "Version": "1.1.0", "Channel": "VOICE", "JobStatus": "COMPLETED",
            "Participants": [{"ParticipantId": "CUSTOMER", "ParticipantRole": "CUSTOMER"},
                             {"ParticipantId": "AGENT", "ParticipantRole": "AGENT"}],
            "Transcript": [
                {"Id": "a", "ParticipantId": "AGENT", "Content": "Thanks for calling.", "BeginOffsetMillis": 1200, "EndOffsetMillis": 2000},
                {"Id": "b", "ParticipantId": "CUSTOMER", "Content": "My bill is wrong.", "BeginOffsetMillis": 65000, "EndOffsetMillis": 67000}
            ],
            "CustomerMetadata": {"ContactId": "c-1", "InstanceId": "i"}
        });
        assert!(looks_like(&file));
        let c = conversation_from_contact(file, Origin::default()).unwrap();
        assert_eq!(c.id, "c-1");
        assert_eq!(c.channel.as_deref(), Some("voice"));
        assert_eq!(c.events[1].from, Some(Party::Agent));
        assert_eq!(c.events[2].from, Some(Party::Customer));
        let gap = c.events[2].at.unwrap() - c.events[0].at.unwrap();
        assert_eq!(gap.num_milliseconds(), 65000);
    }

    #[test]
    fn transcribe_call_analytics_gives_roles_directly() {
        let file = json!({"JobName": "call-7", "Transcript": [
            {"ParticipantRole": "CUSTOMER", "Content": "Hi.", "BeginOffsetMillis": 0},
            {"ParticipantRole": "AGENT", "Content": "Hello!", "BeginOffsetMillis": 900}]});
        assert!(looks_like(&file));
        let c = conversation_from_contact(file, Origin::default()).unwrap();
        assert_eq!(c.id, "call-7");
        assert_eq!(c.events.len(), 3);
        let bad = json!({"JobName": "call-8", "Transcript": [
            {"ParticipantRole": "ROBOT", "Content": "Hi.", "BeginOffsetMillis": 0}]});
        let e = conversation_from_contact(bad, Origin::default()).unwrap_err();
        assert!(
            e.starts_with("contact `call-8`: Transcript[0]: participant role `ROBOT`"),
            "{e}"
        );
    }
}
