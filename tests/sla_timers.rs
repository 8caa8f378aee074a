//! Service-level timers beyond the first reply: next reply time (`next ... of every ...`),
//! periodic updates (`at least every`), pauses while the ticket waits on the customer
//! (`paused while pending`), and targets per priority, channel or tag (`target ... when ...`).
//! Every case is computed by hand in its comment.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test fails loudly on what it did not expect"
)]

use std::path::Path;
use std::process::Command;

use serde_json::{json, Value};

/// Runs `tact check` on `tickets` with `policy`, returning each ticket's violations of `rule`
/// as (event index, detail) and stderr.
fn timers(
    dir: &Path,
    policy: &str,
    tickets: &[Value],
    extra: &[&str],
) -> (Vec<Vec<(Value, String)>>, String) {
    std::fs::write(dir.join("sla.policy"), policy).unwrap();
    let lines: Vec<String> = tickets.iter().map(Value::to_string).collect();
    std::fs::write(dir.join("t.jsonl"), lines.join("\n")).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_tact"))
        .current_dir(dir)
        .args([
            "check",
            "--format",
            "jsonl",
            "--fail-on",
            "never",
            "--policy",
            "sla.policy",
            "t.jsonl",
        ])
        .args(extra)
        .output()
        .unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    let reports = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| {
            let report: Value = serde_json::from_str(l).unwrap();
            report["violations"]
                .as_array()
                .unwrap()
                .iter()
                .map(|v| {
                    (
                        v["event"].clone(),
                        v["detail"].as_str().unwrap_or("").to_string(),
                    )
                })
                .collect()
        })
        .collect();
    (reports, stderr)
}

fn message(from: &str, at: &str) -> Value {
    json!({"from": from, "at": at, "text": format!("a message from the {from}")})
}

fn status(at: &str, value: &str) -> Value {
    json!({"type": "status", "at": at, "value": value})
}

const NEXT_REPLY: &str = "rule next-reply\n  severity warning\n  require next agent message within 2 hours of every customer message\n";

#[test]
fn next_reply_time_counts_from_the_first_unanswered_customer_message() {
    let dir = tempfile::tempdir().unwrap();
    let tickets = [
        json!({"id": "late-second-reply", "events": [
            // 09:00 asked, 10:00 answered (1 h: fine).
            message("customer", "2026-03-02T09:00:00Z"),
            message("agent", "2026-03-02T10:00:00Z"),
            // 11:00 asked, 11:30 asked again (still waiting on 11:00), 14:00 answered:
            // 3 h from 11:00, over the 2 h allowed; the 11:30 message starts no wait of its own.
            message("customer", "2026-03-02T11:00:00Z"),
            message("customer", "2026-03-02T11:30:00Z"),
            message("agent", "2026-03-02T14:00:00Z"),
        ]}),
        json!({"id": "unanswered", "events": [
            message("customer", "2026-03-02T09:00:00Z"),
            message("agent", "2026-03-02T09:30:00Z"),
            // Asked at 10:00, never answered; the ticket's last time is 13:00 (a status
            // change): 3 h without a reply, over the limit.
            message("customer", "2026-03-02T10:00:00Z"),
            status("2026-03-02T13:00:00Z", "open"),
        ]}),
        json!({"id": "thanks-then-solved", "events": [
            message("customer", "2026-03-02T09:00:00Z"),
            message("agent", "2026-03-02T09:30:00Z"),
            // "Great, thanks!" at 10:00, and the ticket solved 5 h later: no reply was owed
            // after the resolution, but 5 h passed before it, over the 2 h allowed.
            message("customer", "2026-03-02T10:00:00Z"),
            {"type": "resolved", "at": "2026-03-02T15:00:00Z"},
            // Anything later (a closing status) does not lengthen the wait.
            status("2026-03-04T15:00:00Z", "closed"),
        ]}),
        json!({"id": "solved-in-time", "events": [
            message("customer", "2026-03-02T09:00:00Z"),
            message("agent", "2026-03-02T09:30:00Z"),
            message("customer", "2026-03-02T10:00:00Z"),
            {"type": "resolved", "at": "2026-03-02T11:00:00Z"},
            status("2026-03-04T15:00:00Z", "closed"),
        ]}),
        json!({"id": "all-quick", "events": [
            message("customer", "2026-03-02T09:00:00Z"),
            message("agent", "2026-03-02T10:59:00Z"),
            message("customer", "2026-03-02T12:00:00Z"),
            message("agent", "2026-03-02T12:10:00Z"),
        ]}),
    ];
    let (reports, stderr) = timers(dir.path(), NEXT_REPLY, &tickets, &[]);
    assert_eq!(
        reports[0],
        [(
            json!(4),
            "it came 3 h after the message it answers (2 h allowed)".to_string()
        )],
        "{stderr}"
    );
    assert_eq!(
        reports[1],
        [(
            json!(2),
            "no reply, and the conversation runs 3 h past this message (2 h allowed)".to_string()
        )]
    );
    assert_eq!(
        reports[2],
        [(
            json!(2),
            "no reply in the 5 h until the ticket was resolved (2 h allowed)".to_string()
        )]
    );
    // Resolved an hour after the last message: the wait ended there, whatever came two days on.
    assert!(reports[3].is_empty(), "{:?}", reports[3]);
    assert!(reports[4].is_empty(), "{:?}", reports[4]);
}

#[test]
fn a_pending_pause_over_a_night_is_not_counted() {
    let dir = tempfile::tempdir().unwrap();
    let policy = "rule resolution-updates\n  severity warning\n  require agent message at least every 8 hours until event resolved paused while pending or on-hold\n";
    let ticket = |id: &str, pause: &str| {
        json!({"id": id, "events": [
            message("customer", "2026-03-02T08:00:00Z"),
            // The first update starts the timer: Monday 09:00.
            message("agent", "2026-03-02T09:00:00Z"),
            // Waiting on the customer from 10:00 Monday to 08:00 Tuesday: 22 h paused.
            status("2026-03-02T10:00:00Z", pause),
            status("2026-03-03T08:00:00Z", "open"),
            // Next update Tuesday 12:00: 27 h on the clock, 27 - 22 = 5 h counted.
            message("agent", "2026-03-03T12:00:00Z"),
            // Resolved Tuesday 21:00: 9 h after the last update, over the 8 h allowed.
            {"type": "resolved", "at": "2026-03-03T21:00:00Z"},
        ]})
    };
    let tickets = [ticket("pending", "pending"), ticket("waiting", "Waiting")];
    let (reports, stderr) = timers(dir.path(), policy, &tickets, &[]);
    // Paused: only the tail after the last update is late.
    assert_eq!(
        reports[0],
        [(
            Value::Null,
            "the last one came 9 h before the end (8 h allowed; time pending or hold not counted)"
                .to_string()
        )],
        "{stderr}"
    );
    // A status the rule does not pause on: the night counts, 27 h between the updates.
    assert_eq!(reports[1].len(), 2, "{:?}", reports[1]);
    assert_eq!(reports[1][0].0, json!(4));
    assert!(
        reports[1][0].1.starts_with("it came 1 d 3 h"),
        "{:?}",
        reports[1]
    );
}

#[test]
fn targets_by_priority_with_business_hours() {
    let dir = tempfile::tempdir().unwrap();
    let policy = "rule reply-time\n  severity error\n  require first agent message within 8 business hours of event created\n  target 1 business hours when priority is urgent\n  target 4 business hours when priority is high or tagged vip\n";
    std::fs::write(
        dir.path().join("tact.yaml"),
        "calendar:\n  time_zone: Europe/Rome\n  hours:\n    monday-friday: [\"09:00-17:00\"]\n",
    )
    .unwrap();
    // Each ticket is created Monday 2026-03-02 09:00 Rome (08:00Z) and answered at 11:00 Rome
    // (10:00Z): 2 business hours.
    let ticket = |id: &str, priority: Option<&str>, tags: &[&str]| {
        let mut t = json!({"id": id, "tags": tags, "events": [
            {"type": "created", "at": "2026-03-02T08:00:00Z"},
            message("customer", "2026-03-02T08:00:00Z"),
            message("agent", "2026-03-02T10:00:00Z"),
        ]});
        if let Some(p) = priority {
            t["priority"] = json!(p);
        }
        t
    };
    let tickets = [
        ticket("urgent", Some("Urgent"), &[]), // 2 h > 1 h: late
        ticket("high", Some("high"), &[]),     // 2 h <= 4 h
        ticket("normal", Some("normal"), &[]), // 2 h <= 8 h
        ticket("vip", None, &["vip"]),         // 2 h <= 4 h
    ];
    let (reports, stderr) = timers(dir.path(), policy, &tickets, &[]);
    let late: Vec<usize> = reports.iter().map(Vec::len).collect();
    assert_eq!(late, [1, 0, 0, 0], "{stderr}");
    assert_eq!(
        reports[0][0].1,
        "it came 2 h of business time (Europe/Rome hours) after the start (1 h allowed)"
    );
}

#[test]
fn next_and_every_out_of_place_and_target_without_timing_are_errors() {
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        (
            "rule a\n  require first agent message within 2 hours of every customer message\n",
            "P023",
            2,
        ),
        (
            "rule a\n  require next agent message within 2 hours of first customer message\n",
            "P023",
            2,
        ),
        (
            "rule a\n  require every agent message within 2 hours of first customer message\n",
            "P023",
            2,
        ),
        // The error stands at the `target` clause.
        (
            "rule a\n  forbid agent message\n  target 1 hours when priority is urgent\n",
            "P024",
            3,
        ),
    ];
    for (policy, code, line) in cases {
        std::fs::write(dir.path().join("bad.policy"), policy).unwrap();
        let out = Command::new(env!("CARGO_BIN_EXE_tact"))
            .current_dir(dir.path())
            .args(["policy", "check", "bad.policy"])
            .output()
            .unwrap();
        let stderr = String::from_utf8(out.stderr).unwrap();
        assert_eq!(out.status.code(), Some(2), "{policy}: {stderr}");
        assert!(stderr.contains(code), "{policy}: {stderr}");
        assert!(
            stderr.contains(&format!("bad.policy:{line}:")),
            "{policy}: {stderr}"
        );
    }
}
