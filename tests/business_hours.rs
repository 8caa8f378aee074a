//! Service-level timing the way helpdesks count it: a calendar of business hours in tact.yaml
//! (or `--calendar`) makes `first-contact` count opening hours, and `business hours` in a
//! policy always does. Every case is computed by hand in its comment.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test fails loudly on what it did not expect"
)]

use std::path::Path;
use std::process::Command;

use serde_json::{json, Value};

const ROME: &str = "calendar:\n  time_zone: Europe/Rome\n  hours:\n    monday-friday: [\"09:00-13:00\", \"14:00-18:00\"]\n  holidays: [\"12-25\"]\n";

mod support;

/// `tact check --format jsonl` in `dir`: each conversation's report, and stderr.
fn tact(dir: &Path, args: &[&str]) -> (Vec<Value>, String) {
    let (reports, stderr, _) = support::check_jsonl_in(dir, args);
    (reports, stderr)
}

fn ticket(id: &str, created: &str, replied: &str) -> String {
    json!({"id": id, "events": [
        {"type": "created", "at": created},
        {"from": "customer", "at": created, "text": "My order never came."},
        {"from": "agent", "at": replied, "text": "I'm sorry about that; let me look into it. Could you confirm your order number?"}
    ]})
    .to_string()
}

fn first_contact(report: &Value) -> Option<&Value> {
    report["violations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["rule"] == "first-contact")
}

#[test]
fn a_calendar_switches_first_contact_to_business_hours() {
    let dir = tempfile::tempdir().unwrap();
    let tickets = [
        // Friday 2024-03-01 17:55 Rome (16:55Z) to Monday 09:10 Rome (08:10Z): 63 h 15 min on
        // the clock, 5 + 10 = 15 min of business time.
        ticket("weekend", "2024-03-01T16:55:00Z", "2024-03-04T08:10:00Z"),
        // Tuesday 2024-03-05 09:00 Rome (08:00Z) to 15:30 Rome (14:30Z): 6 h 30 min on the
        // clock, 4 h + 1 h 30 min = 5 h 30 min of business time (lunch 13-14 excluded).
        ticket("slow", "2024-03-05T08:00:00Z", "2024-03-05T14:30:00Z"),
        // Tuesday 2024-12-24 17:00 Rome (16:00Z) to Thursday 26th 12:00 Rome (11:00Z): the
        // 25th is a holiday: 1 h + 3 h = 4 h of business time, exactly the limit.
        ticket("holiday", "2024-12-24T16:00:00Z", "2024-12-26T11:00:00Z"),
    ];
    std::fs::write(dir.path().join("t.jsonl"), tickets.join("\n")).unwrap();
    // Without a calendar: wall-clock hours.
    let (reports, stderr) = tact(dir.path(), &["t.jsonl", "--no-config"]);
    let late: Vec<bool> = reports.iter().map(|r| first_contact(r).is_some()).collect();
    assert_eq!(late, [true, true, true], "{stderr}");
    // With tact.yaml's calendar: business hours.
    std::fs::write(dir.path().join("tact.yaml"), ROME).unwrap();
    let (reports, stderr) = tact(dir.path(), &["t.jsonl"]);
    let late: Vec<bool> = reports.iter().map(|r| first_contact(r).is_some()).collect();
    assert_eq!(late, [false, true, false], "{stderr}");
    let detail = first_contact(&reports[1]).unwrap()["detail"]
        .as_str()
        .unwrap();
    assert_eq!(
        detail,
        "it came 5 h 30 min of business time (Europe/Rome hours) after the start (4 h allowed)"
    );
}

#[test]
fn business_hours_in_a_policy_need_a_calendar_and_calendar_mistakes_name_the_file() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("quick.policy"),
        "rule quick-reply\n  title \"Reply within one business hour\"\n  severity error\n  require first agent message within 1 business hours of first customer message\n",
    )
    .unwrap();
    // Monday 2024-03-04 12:30 Rome (11:30Z) to 14:45 Rome (13:45Z): 30 min + 45 min = 1 h 15
    // min of business time, over the hour.
    std::fs::write(
        dir.path().join("t.jsonl"),
        ticket("lunch", "2024-03-04T11:30:00Z", "2024-03-04T13:45:00Z"),
    )
    .unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_tact"))
        .current_dir(dir.path())
        .args([
            "score",
            "--format",
            "json",
            "--no-config",
            "--policy",
            "quick.policy",
            "t.jsonl",
        ])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("no calendar is set"),
        "not applicable without one: {text}"
    );
    std::fs::write(
        dir.path().join("rome.yaml"),
        "time_zone: Europe/Rome\nhours:\n  monday-friday: [\"09:00-13:00\", \"14:00-18:00\"]\n",
    )
    .unwrap();
    let (reports, stderr) = tact(
        dir.path(),
        &[
            "t.jsonl",
            "--no-config",
            "--policy",
            "quick.policy",
            "--calendar",
            "rome.yaml",
        ],
    );
    assert_eq!(
        reports[0]["violations"][0]["rule"], "quick-reply",
        "{stderr}"
    );
    std::fs::write(
        dir.path().join("tact.yaml"),
        "calendar:\n  time_zone: Europe/Atlantis\n  hours: {weekdays: \"09:00-17:00\"}\n",
    )
    .unwrap();
    let (_, stderr) = tact(dir.path(), &["t.jsonl"]);
    assert!(
        stderr.contains(
            "tact.yaml: `calendar`: `time_zone: Europe/Atlantis` is not an IANA time zone"
        ),
        "{stderr}"
    );
}

#[test]
fn tickets_without_times_say_the_rule_does_not_apply() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("tact.yaml"), ROME).unwrap();
    let untimed = json!({"id": "untimed", "events": [
        {"type": "created"}, {"from": "customer", "text": "Hello?"}, {"from": "agent", "text": "Hi!"}]});
    std::fs::write(dir.path().join("t.jsonl"), untimed.to_string()).unwrap();
    let (reports, stderr) = tact(dir.path(), &["t.jsonl"]);
    assert!(first_contact(&reports[0]).is_none(), "{stderr}");
}

/// The real help-desk event log (tests/fixtures/helpdesk-eventlog), read as CSV in Europe/Rome.
fn eventlog(dir: &Path, calendar: &str) {
    use std::io::Read;
    let mut csv = String::new();
    flate2::read::GzDecoder::new(
        std::fs::File::open(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/helpdesk-eventlog/finale.csv.gz"
        ))
        .unwrap(),
    )
    .read_to_string(&mut csv)
    .unwrap();
    std::fs::write(dir.join("finale.csv"), csv).unwrap();
    std::fs::write(
        dir.join("tact.yaml"),
        format!("csv:\n  conversation: Case ID\n  time: Complete Timestamp\n  type: Activity\n  agent: Resource\n  time_zone: Europe/Rome\n{calendar}"),
    )
    .unwrap();
    std::fs::write(
        dir.join("sla.policy"),
        "rule take-in-charge\n  title \"Take a ticket in charge within a day\"\n  severity warning\n  require first event take_in_charge_ticket within 24 hours of event any\n",
    )
    .unwrap();
}

/// How many tickets took the rule's `take_in_charge_ticket` too late (the violation points at
/// that event), and how many conversations were read.
fn late_and_read(dir: &Path) -> (usize, usize, String) {
    let (reports, stderr) = tact(dir, &["finale.csv", "--policy", "sla.policy"]);
    let late = reports
        .iter()
        .flat_map(|r| r["violations"].as_array().unwrap())
        .filter(|v| v["rule"] == "take-in-charge" && !v["event"].is_null())
        .count();
    (late, reports.len(), stderr)
}

#[test]
fn the_real_event_log_gives_its_known_figures_on_the_clock_and_fewer_in_business_hours() {
    let dir = tempfile::tempdir().unwrap();
    eventlog(dir.path(), "");
    // The data's own figures (its README, computed from the raw rows): 4,580 tickets; of the
    // 4,285 taken in charge, 1,830 waited more than 24 hours from their first event.
    let (late, read, stderr) = late_and_read(dir.path());
    assert!(stderr.is_empty(), "every row reads: {stderr}");
    assert_eq!(read, 4580);
    assert_eq!(late, 1830);
    // Counted in the help desk's business hours, nights and weekends stop counting: fewer.
    eventlog(
        dir.path(),
        "calendar:\n  time_zone: Europe/Rome\n  hours: {monday-friday: \"09:00-18:00\"}\n",
    );
    let (in_business_hours, _, stderr) = late_and_read(dir.path());
    assert!(stderr.is_empty(), "{stderr}");
    assert!(
        in_business_hours < late && in_business_hours > 0,
        "{in_business_hours} of {late}"
    );
}

#[test]
fn score_reports_service_levels_per_agent_and_week() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("tact.yaml"), ROME).unwrap();
    let with_agent = |t: String, agent: &str| {
        let mut v: Value = serde_json::from_str(&t).unwrap();
        v["agent"] = json!(agent);
        v.to_string()
    };
    let tickets = [
        // In business hours: 15 min (within 4 h), 5 h 30 min (missed), 4 h (within).
        with_agent(
            ticket("weekend", "2024-03-01T16:55:00Z", "2024-03-04T08:10:00Z"),
            "ana",
        ),
        with_agent(
            ticket("slow", "2024-03-05T08:00:00Z", "2024-03-05T14:30:00Z"),
            "ana",
        ),
        with_agent(
            ticket("holiday", "2024-12-24T16:00:00Z", "2024-12-26T11:00:00Z"),
            "bo",
        ),
    ];
    std::fs::write(dir.path().join("t.jsonl"), tickets.join("\n")).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_tact"))
        .current_dir(dir.path())
        .args(["score", "--format", "json", "t.jsonl"])
        .output()
        .unwrap();
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let levels: Vec<(String, String, u64, u64)> = report["summary"]["service_levels"]
        .as_array()
        .unwrap_or_else(|| panic!("{report}"))
        .iter()
        .filter(|s| s["rule"] == "first-contact")
        .map(|s| {
            (
                s["by"].as_str().unwrap().to_string(),
                s["name"].as_str().unwrap().to_string(),
                s["within"].as_u64().unwrap(),
                s["missed"].as_u64().unwrap(),
            )
        })
        .collect();
    let expect = |by: &str, name: &str, within: u64, missed: u64| {
        assert!(
            levels.contains(&(by.into(), name.into(), within, missed)),
            "{by} {name} {within}/{missed} in {levels:?}"
        );
    };
    expect("agent", "ana", 1, 1);
    expect("agent", "bo", 1, 0);
    // ISO weeks: 2024-03-01 is in week 9, 2024-03-05 in week 10, 2024-12-24 in week 52.
    expect("week", "2024-W09", 1, 0);
    expect("week", "2024-W10", 0, 1);
    expect("week", "2024-W52", 1, 0);
}
