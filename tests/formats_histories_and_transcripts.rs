//! Zendesk ticket histories (audits, incremental ticket events), Google CCAI Insights and Genesys
//! Cloud transcripts, JSONL macro libraries and tact's own status values, read end to end: each
//! fixture in `examples/` follows its vendor's documented fields, and the expected conversations
//! and reports below are written by hand from those files.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test fails loudly on what it did not expect"
)]

use std::path::Path;
use std::process::Command;

use serde_json::Value;

mod support;
use support::check_jsonl;
use tact::conversation::{Conversation, Party};
use tact::input::{read_input, Input, InputError};

/// Every conversation and error read from a file, as the library reads it.
fn read(path: &str) -> (Vec<Conversation>, Vec<InputError>) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(path);
    let (mut conversations, mut errors) = (Vec::new(), Vec::new());
    read_input(&Input::File(path), &mut |r| match r {
        Ok(c) => conversations.push(c),
        Err(e) => errors.push(e),
    });
    (conversations, errors)
}

/// Each event as (type, from, status value, time), to compare with a hand-written history.
fn history(c: &Conversation) -> Vec<(&str, Option<Party>, Option<&str>, String)> {
    c.events
        .iter()
        .map(|e| {
            (
                e.kind.as_str(),
                e.from,
                e.value.as_deref(),
                e.at.map_or_else(String::new, |t| {
                    t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
                }),
            )
        })
        .collect()
}

fn violation<'a>(report: &'a Value, rule: &str) -> &'a Value {
    report["violations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["rule"] == rule)
        .unwrap_or_else(|| panic!("no {rule}: {report}"))
}

fn rules(report: &Value) -> Vec<&str> {
    let mut rules: Vec<&str> = report["violations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["rule"].as_str().unwrap())
        .collect();
    rules.dedup();
    rules
}

/// The 1-based line of the first line of `file` containing `needle`.
fn line_of(file: &str, needle: &str) -> usize {
    let text = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(file)).unwrap();
    text.lines().position(|l| l.contains(needle)).unwrap() + 1
}

/// The 1-based column (in characters) where `needle` first starts on line `line` of `file`.
fn column_of(file: &str, line: usize, needle: &str) -> usize {
    let text = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(file)).unwrap();
    let l = text.lines().nth(line - 1).unwrap();
    l[..l.find(needle).unwrap()].chars().count() + 1
}

const M: Option<Party> = None;
const CUSTOMER: Option<Party> = Some(Party::Customer);
const AGENT: Option<Party> = Some(Party::Agent);

#[test]
fn zendesk_audits_make_one_ticket_history() {
    let (conversations, errors) = read("examples/formats/zendesk-audits.json");
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(conversations.len(), 1);
    let c = &conversations[0];
    assert_eq!(c.id, "91");
    // Audit 1 (08:00, a Create audit): created, status new, Dana's public comment; the
    // Notification is not part of the talk. Audit 2 (09:00): status open. Audit 3 (09:30): status
    // pending, then Sam's public reply (a record's field changes come before its comment).
    // Audit 4 (next day 10:00): status solved, so resolved, then the private comment, a note.
    assert_eq!(
        history(c),
        [
            ("created", M, None, "2024-03-04T08:00:00.000Z".into()),
            ("status", M, Some("new"), "2024-03-04T08:00:00.000Z".into()),
            ("message", CUSTOMER, None, "2024-03-04T08:00:00.000Z".into()),
            ("status", M, Some("open"), "2024-03-04T09:00:00.000Z".into()),
            (
                "status",
                M,
                Some("pending"),
                "2024-03-04T09:30:00.000Z".into()
            ),
            ("message", AGENT, None, "2024-03-04T09:30:00.000Z".into()),
            (
                "status",
                M,
                Some("solved"),
                "2024-03-05T10:00:00.000Z".into()
            ),
            ("resolved", M, None, "2024-03-05T10:00:00.000Z".into()),
            ("note", AGENT, None, "2024-03-05T10:00:00.000Z".into()),
        ]
    );
    // Side-loaded users name the assignee; priority normal was changed to high in audit 3.
    assert_eq!(c.agent.as_deref(), Some("Sam Reyes"));
    assert_eq!(c.priority.as_deref(), Some("high"));
    assert_eq!(c.tags, ["warranty"]);
    assert_eq!(c.channel.as_deref(), Some("email"));

    let (reports, stderr, code) = check_jsonl(&["examples/formats/zendesk-audits.json"]);
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(reports.len(), 1);
    // The reply came 1 h 30 min after creation (first-contact holds); it says "You're wrong".
    assert_eq!(rules(&reports[0]), ["never-say-wrong"], "{}", reports[0]);
    let wrong = violation(&reports[0], "never-say-wrong");
    assert_eq!(wrong["event"], 5);
    assert_eq!(wrong["excerpt"], "You're wrong");
    // Located at the words, in the comment's `body` in the file.
    let file = "examples/formats/zendesk-audits.json";
    let body = line_of(file, "\"body\": \"You're wrong");
    assert_eq!(wrong["location"]["line"], body);
    assert_eq!(
        wrong["location"]["column"],
        column_of(file, body, "You're wrong")
    );
}

#[test]
fn zendesk_incremental_ticket_events_are_gathered_by_ticket() {
    let (conversations, errors) = read("examples/formats/zendesk-ticket-events.jsonl");
    assert!(errors.is_empty(), "{errors:?}");
    let ids: Vec<&str> = conversations.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(ids, ["7001", "7002"], "in the order tickets first appear");
    // Ticket 7001: lines 1, 4 and 5 of the file, 7002's lines between them.
    let t = &conversations[0];
    assert_eq!(
        history(t),
        [
            ("created", M, None, "2024-03-04T09:00:00.000Z".into()),
            ("status", M, Some("new"), "2024-03-04T09:00:00.000Z".into()),
            ("message", CUSTOMER, None, "2024-03-04T09:00:00.000Z".into()),
            (
                "status",
                M,
                Some("pending"),
                "2024-03-04T15:00:00.000Z".into()
            ),
            ("message", AGENT, None, "2024-03-04T15:00:00.000Z".into()),
            ("status", M, Some("hold"), "2024-03-05T09:00:00.000Z".into()),
        ]
    );
    assert_eq!(
        t.source.event_lines.as_deref(),
        Some(&[1, 1, 1, 4, 4, 5][..])
    );
    assert_eq!(t.priority.as_deref(), Some("urgent"));
    assert_eq!(t.agent.as_deref(), Some("911"));
    assert_eq!(t.channel.as_deref(), Some("mail"), "`via` is a string here");
    let u = &conversations[1];
    assert_eq!(u.tags, ["delivery"]);
    assert_eq!(u.channel.as_deref(), Some("web_form"));

    let (reports, stderr, code) = check_jsonl(&["examples/formats/zendesk-ticket-events.jsonl"]);
    assert_eq!(code, Some(0), "{stderr}");
    // 7001: first reply at 15:00, 6 h after the 09:00 creation: over 4 wall-clock hours.
    let late = violation(&reports[0], "first-contact");
    assert_eq!(late["event"], 4);
    assert_eq!(late["location"]["line"], 4);
    // 7002: "Calm down, that's just our policy" on line 3, event 4.
    let defensive = violation(&reports[1], "not-defensive");
    assert_eq!(defensive["event"], 4);
    assert_eq!(defensive["excerpt"], "Calm down");
    assert_eq!(defensive["location"]["line"], 3);
    let file = "examples/formats/zendesk-ticket-events.jsonl";
    assert_eq!(
        defensive["location"]["column"],
        column_of(file, 3, "Calm down")
    );
}

#[test]
fn a_bad_audit_or_ticket_event_names_its_line_and_field() {
    let dir = tempfile::tempdir().unwrap();
    let events = dir.path().join("events.jsonl");
    std::fs::write(
        &events,
        concat!(
            r#"{"id": 1, "ticket_id": 5, "timestamp": 1709542800, "event_type": "Audit", "child_events": [{"id": 2, "status": "new", "event_type": "Create"}]}"#,
            "\n",
            r#"{"id": 3, "ticket_id": 5, "created_at": "yesterday", "event_type": "Audit", "child_events": []}"#,
            "\n",
            r#"{"id": 4, "ticket_id": 5, "timestamp": 1709546400, "event_type": "Audit", "child_events": [{"id": 5, "comment_present": true, "event_type": "Comment"}]}"#,
            "\n",
        ),
    )
    .unwrap();
    let (reports, stderr, code) = check_jsonl(&[events.to_str().unwrap()]);
    assert_eq!(code, Some(2), "malformed input");
    assert_eq!(reports.len(), 1, "the good records still make the ticket");
    assert!(
        stderr.contains("events.jsonl:2: ticket `5`: `created_at` is `yesterday`"),
        "{stderr}"
    );
    assert!(
        stderr.contains("events.jsonl:3: ticket `5`: child event 0: a comment without `body`"),
        "{stderr}"
    );
    let audits = dir.path().join("audits.json");
    std::fs::write(
        &audits,
        "{\"audits\": [\n  {\"ticket_id\": 8, \"created_at\": \"2024-03-04T08:00:00Z\", \"events\": [{\"type\": \"Create\", \"field_name\": \"status\", \"value\": \"new\"}]},\n  {\"ticket_id\": 8, \"created_at\": \"2024-03-04T09:00:00Z\", \"events\": [{\"type\": \"Comment\", \"public\": true}]}\n]}\n",
    )
    .unwrap();
    let (_, stderr, code) = check_jsonl(&[audits.to_str().unwrap()]);
    assert_eq!(code, Some(2));
    assert!(
        stderr.contains("audits.json:3: ticket `8`: event 0: a comment without `body`"),
        "{stderr}"
    );
}

#[test]
fn google_ccai_insights_chats_and_calls() {
    let (conversations, errors) = read("examples/formats/google-ccai-conversations.json");
    assert!(errors.is_empty(), "{errors:?}");
    let chat = &conversations[0];
    assert_eq!(chat.id, "chat-5521", "the last part of `name`");
    assert_eq!(chat.channel.as_deref(), Some("chat"));
    assert_eq!(chat.agent.as_deref(), Some("agent-ana"));
    assert_eq!(chat.tags, ["queue:returns", "tier:gold"]);
    // The virtual agent (AUTOMATED_AGENT) is the system; times are the segments' messageTime.
    assert_eq!(
        history(chat),
        [
            ("created", M, None, "2024-03-04T10:00:00.000Z".into()),
            (
                "message",
                Some(Party::System),
                None,
                "2024-03-04T10:00:00.000Z".into()
            ),
            ("message", CUSTOMER, None, "2024-03-04T10:01:00.000Z".into()),
            ("message", AGENT, None, "2024-03-04T10:04:30.000Z".into()),
            ("message", CUSTOMER, None, "2024-03-04T10:06:00.000Z".into()),
        ]
    );
    // The call has no roles: channel 2 is the agent's, 1 the customer's (callMetadata); each
    // segment is at startTime (11:00:00) plus its first word's startOffset.
    let call = &conversations[1];
    assert_eq!(call.channel.as_deref(), Some("voice"));
    assert_eq!(
        history(call),
        [
            ("created", M, None, "2024-03-04T11:00:00.000Z".into()),
            ("message", AGENT, None, "2024-03-04T11:00:00.400Z".into()),
            ("message", CUSTOMER, None, "2024-03-04T11:00:04.100Z".into()),
            ("message", AGENT, None, "2024-03-04T11:00:09.250Z".into()),
        ]
    );

    let (reports, stderr, code) = check_jsonl(&["examples/formats/google-ccai-conversations.json"]);
    assert_eq!(code, Some(0), "{stderr}");
    let v = violation(&reports[0], "not-defensive");
    assert_eq!(v["event"], 3);
    assert_eq!(v["excerpt"], "That's not my department");
    let file = "examples/formats/google-ccai-conversations.json";
    assert_eq!(
        v["location"]["line"],
        line_of(file, "That's not my department")
    );
    assert!(!rules(&reports[1]).contains(&"first-contact"));
}

#[test]
fn genesys_cloud_transcript() {
    let (conversations, errors) = read("examples/formats/genesys-transcript.json");
    assert!(errors.is_empty(), "{errors:?}");
    let c = &conversations[0];
    assert_eq!(c.id, "b657c46c-f88d-414a-8ec7-a2f446fc1d12");
    assert_eq!(c.channel.as_deref(), Some("voice"));
    // conversationStartTime 1709550000000 ms is 2024-03-04T11:00:00Z; the phrases start 1.0,
    // 4.5 and 8.0 s later (epoch milliseconds); internal is the agent, external the customer.
    assert_eq!(
        history(c),
        [
            ("created", M, None, "2024-03-04T11:00:00.000Z".into()),
            ("message", AGENT, None, "2024-03-04T11:00:01.000Z".into()),
            ("message", CUSTOMER, None, "2024-03-04T11:00:04.500Z".into()),
            ("message", AGENT, None, "2024-03-04T11:00:08.000Z".into()),
        ]
    );
    assert_eq!(
        c.events[3].text.as_deref(),
        Some("Have you tried turning it off and on again?"),
        "the decorated text"
    );
    let (reports, stderr, code) = check_jsonl(&["examples/formats/genesys-transcript.json"]);
    assert_eq!(code, Some(0), "{stderr}");
    let quick = violation(&reports[0], "no-quick-fix");
    assert_eq!(quick["event"], 3);
    let file = "examples/formats/genesys-transcript.json";
    assert_eq!(
        quick["location"]["line"],
        line_of(file, "\"decoratedText\": \"Have you")
    );
}

#[test]
fn tact_status_events_keep_their_value() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.json");
    std::fs::write(
        &path,
        r#"{"id": "T-1", "events": [{"type": "created", "at": "2026-03-01T09:00:00Z"},
            {"type": "status", "at": "2026-03-01T10:13:00Z", "value": "pending"}]}"#,
    )
    .unwrap();
    let mut read_back = Vec::new();
    read_input(&Input::File(path), &mut |r| read_back.push(r.unwrap()));
    assert_eq!(read_back[0].events[1].value.as_deref(), Some("pending"));
    assert_eq!(read_back[0].events[0].value, None);
}

#[test]
fn jsonl_macro_library_is_checked_located_and_fixed_in_place() {
    let (reports, stderr, _) = check_jsonl(&["examples/macros/library.jsonl"]);
    assert!(!stderr.contains("error"), "{stderr}");
    let ids: Vec<&str> = reports.iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["late-delivery", "thanks", "4411"]);
    let wrong = violation(&reports[0], "never-say-wrong");
    assert_eq!(wrong["excerpt"], "That’s not true");
    assert_eq!(wrong["location"]["line"], 1);
    // Line 3 carries its text as `text`: "Calm down" starts at column 45.
    let calm = violation(&reports[2], "not-defensive");
    assert_eq!(
        (&calm["location"]["line"], &calm["location"]["column"]),
        (&Value::from(3), &Value::from(45))
    );
    assert!(rules(&reports[1]).is_empty(), "{}", reports[1]);

    // --fix rewrites line 3's string in place; line 1's words are written with an escape
    // (\u2019), so it is left alone and said so; every line is still one JSON object.
    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path().join("library.jsonl");
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/macros/library.jsonl"),
        &copy,
    )
    .unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_tact"))
        .args(["check", "--fix", "--fail-on", "never"])
        .arg(&copy)
        .output()
        .unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains(
            "not fixed: macro `late-delivery`, never-say-wrong: the words are written with escapes"
        ),
        "{stderr}"
    );
    let fixed = std::fs::read_to_string(&copy).unwrap();
    let lines: Vec<Value> = fixed
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 3);
    assert_eq!(
        lines[2]["text"],
        "I understand how frustrating this is. We will send the right size today."
    );
    let original = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/macros/library.jsonl"),
    )
    .unwrap();
    assert_eq!(fixed.lines().next(), original.lines().next());
}

#[test]
fn a_bad_jsonl_macro_names_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("macros.jsonl");
    std::fs::write(
        &path,
        "{\"id\": \"a\", \"title\": \"A\", \"body\": \"Happy to help!\"}\n{\"id\": \"b\", \"body\": \n{\"id\": \"c\", \"title\": \"C\"}\n",
    )
    .unwrap();
    let (reports, stderr, code) = check_jsonl(&[path.to_str().unwrap()]);
    assert_eq!(code, Some(2));
    assert_eq!(reports.len(), 1, "macro a is still checked");
    assert!(
        stderr.contains("macros.jsonl:2: not valid JSON"),
        "{stderr}"
    );
    assert!(
        stderr.contains("macros.jsonl:3: this macro has no text: expected a string `body`"),
        "{stderr}"
    );
}

/// Runs `tact ARGS` without color and describes what it did, for a snapshot.
fn run(args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_tact"))
        .args(["--color", "never"])
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    format!(
        "$ tact {}\nexit: {}\n--- stdout\n{}\n--- stderr\n{}",
        args.join(" "),
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap()
    )
}

#[test]
fn human_reports_of_the_new_formats() {
    insta::assert_snapshot!(
        "zendesk_histories",
        run(&[
            "check",
            "examples/formats/zendesk-audits.json",
            "examples/formats/zendesk-ticket-events.jsonl",
        ])
    );
    insta::assert_snapshot!(
        "contact_center_transcripts",
        run(&[
            "check",
            "examples/formats/google-ccai-conversations.json",
            "examples/formats/genesys-transcript.json",
        ])
    );
    insta::assert_snapshot!(
        "jsonl_macros",
        run(&["check", "--diff", "examples/macros/library.jsonl"])
    );
}
