//! Helpdesk exports read end to end: each fixture in `examples/formats/` follows its vendor's
//! documented fields, and the conversations tact builds from it, and what it reports, are the
//! ones a reader of that documentation expects.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test fails loudly on what it did not expect"
)]

use serde_json::Value;

mod support;
use support::check_jsonl;

fn rules(report: &Value) -> Vec<&str> {
    let mut rules: Vec<&str> = report["violations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["rule"].as_str().unwrap())
        .collect();
    rules.sort_unstable();
    rules.dedup();
    rules
}

#[test]
fn zendesk_tickets_with_comments() {
    let (reports, stderr, code) = check_jsonl(&["examples/formats/zendesk-tickets.json"]);
    assert_eq!(code, Some(0), "{stderr}");
    let ids: Vec<&str> = reports.iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["35436", "35437"]);
    // Ticket 35436: first public reply 6 h 30 min after creation (first-contact), "You're
    // wrong" (never-say-wrong), a reflex instruction with no apology; the internal note
    // (public: false) is not a reply and is not judged as one.
    let first = &reports[0];
    for rule in [
        "first-contact",
        "never-say-wrong",
        "apology-before-solution",
    ] {
        assert!(rules(first).contains(&rule), "{rule}: {first}");
    }
    let wrong = first["violations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["rule"] == "never-say-wrong")
        .unwrap();
    assert_eq!(wrong["event"], 3, "created, message, note, then the reply");
    assert_eq!(wrong["excerpt"], "You're wrong");
    let text = std::fs::read_to_string("examples/formats/zendesk-tickets.json").unwrap();
    let line = text
        .lines()
        .position(|l| l.contains("\"body\": \"You're wrong"))
        .unwrap()
        + 1;
    assert_eq!(
        wrong["location"]["line"], line,
        "points at the comment's body"
    );
    // Ticket 35437: an apology, an acknowledgement and a question within 20 minutes.
    assert!(rules(&reports[1]).is_empty(), "{}", reports[1]);
}

#[test]
fn csv_rows_grouped_into_conversations() {
    let (reports, stderr, code) = check_jsonl(&["examples/formats/messages.csv"]);
    assert_eq!(code, Some(0), "{stderr}");
    let ids: Vec<&str> = reports.iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["C-100", "C-101"]);
    assert_eq!(reports[0]["source"], "examples/formats/messages.csv:2");
    // C-101: "Calm down, please. That's our policy, there is nothing I can do." at line 6.
    let second = &reports[1];
    assert!(rules(second).contains(&"not-defensive"), "{second}");
    assert!(rules(second).contains(&"say-what-you-can"), "{second}");
    for v in second["violations"].as_array().unwrap() {
        assert_eq!(v["location"]["line"], 6, "{v}");
    }
    // C-100 apologizes, acknowledges and offers two options: none of those rules fire.
    for rule in [
        "apology-before-solution",
        "acknowledge-first",
        "two-options",
    ] {
        assert!(
            !rules(&reports[0]).contains(&rule),
            "{rule}: {}",
            reports[0]
        );
    }
}

#[test]
fn csv_columns_named_in_tact_yaml_and_folders_read_only_when_configured() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("chats.csv"),
        "case,who,said\nK1,Shopper,My order is late.\nK1,Rep,Sorry to hear that. Could you share the order number?\n",
    )
    .unwrap();
    let folder = dir.path().to_str().unwrap();
    let (reports, stderr, _) = check_jsonl(&[folder, "--no-config"]);
    assert!(
        reports.is_empty(),
        "a CSV in a folder is not read unconfigured"
    );
    assert!(stderr.contains("nothing to check"), "{stderr}");
    std::fs::write(
        dir.path().join("tact.yaml"),
        "csv:\n  conversation: case\n  speaker: who\n  text: said\n  customers: [shopper]\n  agents: [rep]\n",
    )
    .unwrap();
    let (reports, stderr, _) = check_jsonl(&[folder]);
    assert_eq!(reports.len(), 1, "{stderr}");
    assert_eq!(reports[0]["id"], "K1");
    let (_, stderr, code) = check_jsonl(&[
        dir.path().join("chats.csv").to_str().unwrap(),
        "--no-config",
    ]);
    assert_eq!(code, Some(2));
    assert!(
        stderr.contains("chats.csv:1: no conversation column"),
        "{stderr}"
    );
}

#[test]
fn intercom_conversations_with_parts() {
    let (reports, stderr, code) = check_jsonl(&["examples/formats/intercom-conversations.json"]);
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(reports.len(), 1);
    let c = &reports[0];
    assert_eq!(c["id"], "147");
    assert_eq!(
        c["source"],
        "examples/formats/intercom-conversations.json:4"
    );
    // The admin's comment (event 3: created, the opening message, the note, then the reply)
    // says only what cannot be done; the HTML entity reads as an apostrophe.
    let v = c["violations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["rule"] == "say-what-you-can")
        .unwrap_or_else(|| panic!("{c}"));
    assert_eq!(v["event"], 3);
    assert_eq!(v["excerpt"], "That's not possible");
}

#[test]
fn amazon_connect_contact_lens_call() {
    let (reports, stderr, code) = check_jsonl(&["examples/formats/contact-lens-call.json"]);
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(reports.len(), 1);
    let c = &reports[0];
    assert_eq!(c["id"], "a1b2c3d4-0000-1111-2222-333344445555");
    // The agent's second turn is a reflex fix with no apology and no question about the outage.
    let quick = c["violations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["rule"] == "no-quick-fix")
        .unwrap_or_else(|| panic!("{c}"));
    assert_eq!(quick["event"], 3, "created, then the three turns");
    assert_eq!(
        quick["location"]["line"], 15,
        "points at the turn's Content"
    );
    // The first reply came 1.2 s into the call: first-contact holds.
    assert!(!rules(c).contains(&"first-contact"), "{c}");
}

/// The rules a report found, and the event of the first violation of `rule`.
fn event_of(report: &Value, rule: &str) -> Value {
    report["violations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["rule"] == rule)
        .unwrap_or_else(|| panic!("no {rule}: {report}"))["event"]
        .clone()
}

#[test]
fn freshdesk_tickets_with_conversations() {
    let (reports, stderr, code) = check_jsonl(&["examples/formats/freshdesk-tickets.json"]);
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(reports.len(), 1);
    assert_eq!(reports[0]["id"], "20");
    // An apology, an acknowledgement and a question 40 minutes in; the private note is not a
    // reply; the ticket is resolved with that note on it.
    assert!(rules(&reports[0]).is_empty(), "{}", reports[0]);
}

#[test]
fn help_scout_conversation_with_threads() {
    let (reports, stderr, code) = check_jsonl(&["examples/formats/help-scout-conversation.json"]);
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(reports[0]["id"], "2391938111");
    // Threads come newest first; the agent's reply is the fourth event in time order.
    assert_eq!(event_of(&reports[0], "say-what-you-can"), 3);
}

#[test]
fn front_conversations_with_messages_and_comments() {
    let (reports, stderr, code) = check_jsonl(&["examples/formats/front-conversations.jsonl"]);
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(reports[0]["id"], "cnv_55c8c149");
    // created, the inbound message, the comment (a note), then the reply.
    assert_eq!(event_of(&reports[0], "not-defensive"), 3);
}

/// `--input VENDOR` reads each fixture as its sniffing does, and refuses a record of another
/// shape at its file:line while the rest of the batch is still read.
#[test]
fn input_names_the_vendor_and_a_record_of_another_shape_is_an_error() {
    let root = env!("CARGO_MANIFEST_DIR");
    let run = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_tact"))
            .current_dir(root)
            .args([
                "check",
                "--no-config",
                "--format",
                "jsonl",
                "--fail-on",
                "never",
            ])
            .args(args)
            .output()
            .unwrap()
    };
    for (kind, file) in [
        ("zendesk", "zendesk-tickets.json"),
        ("zendesk", "zendesk-audits.json"),
        ("zendesk", "zendesk-ticket-events.jsonl"),
        ("intercom", "intercom-conversations.json"),
        ("freshdesk", "freshdesk-tickets.json"),
        ("help-scout", "help-scout-conversation.json"),
        ("front", "front-conversations.jsonl"),
        ("amazon-connect", "contact-lens-call.json"),
        ("google-ccai", "google-ccai-conversations.json"),
        ("genesys", "genesys-transcript.json"),
    ] {
        let path = format!("examples/formats/{file}");
        let named = run(&["--input", kind, &path]);
        let sniffed = run(&[&path]);
        assert!(
            named.stderr.is_empty(),
            "{kind} {file}: {}",
            String::from_utf8_lossy(&named.stderr)
        );
        assert!(!named.stdout.is_empty(), "{kind} {file}");
        assert_eq!(named.stdout, sniffed.stdout, "{kind} {file}");
    }
    let wrong = run(&[
        "--input",
        "intercom",
        "examples/formats/zendesk-tickets.json",
    ]);
    let stderr = String::from_utf8(wrong.stderr).unwrap();
    assert!(
        stderr.contains("examples/formats/zendesk-tickets.json:3: not in Intercom's shape"),
        "{stderr}"
    );
    assert_eq!(wrong.status.code(), Some(2), "{stderr}");
}
