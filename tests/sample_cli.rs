//! `tact score --sample N --seed S`: a reproducible sample to review, optionally stratified and
//! with every critical failure added; the report says what it is a sample of.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test fails loudly on what it did not expect"
)]

use assert_cmd::Command;
use serde_json::Value;

/// 60 conversations over three agents; every fifth tells the customer they are wrong (a
/// critical rule in the built-in policy).
fn batch(reverse: bool) -> String {
    let mut lines: Vec<String> = (0..60)
        .map(|i| {
            let agent = ["ana", "bo", "cy"][i % 3];
            let reply = if i % 5 == 0 {
                "You're wrong, it was delivered."
            } else {
                "I'm sorry it has not arrived; I have sent a replacement today."
            };
            format!(
                "{{\"id\": \"c-{i}\", \"agent\": \"{agent}\", \"events\": [{{\"from\": \"customer\", \"text\": \"My order {i} never came.\"}}, {{\"from\": \"agent\", \"text\": \"{reply}\"}}]}}\n"
            )
        })
        .collect();
    if reverse {
        lines.reverse();
    }
    lines.concat()
}

fn sampled(input: &str, args: &[&str]) -> Value {
    let out = Command::cargo_bin("tact")
        .unwrap()
        .args(["score", "-", "--format", "json"])
        .args(args)
        .write_stdin(input)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn ids(report: &Value) -> Vec<String> {
    let mut ids: Vec<String> = report["conversations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap().to_string())
        .collect();
    ids.sort();
    ids
}

#[test]
fn the_same_seed_picks_the_same_conversations_whatever_the_order() {
    let first = sampled(&batch(false), &["--sample", "8", "--seed", "11"]);
    let again = sampled(&batch(true), &["--sample", "8", "--seed", "11"]);
    let other = sampled(&batch(false), &["--sample", "8", "--seed", "12"]);
    assert_eq!(ids(&first).len(), 8);
    assert_eq!(ids(&first), ids(&again));
    assert_ne!(ids(&first), ids(&other));
    // The totals still cover every conversation, and the report says what was sampled.
    let summary = &first["summary"];
    assert_eq!(summary["overall"]["conversations"], 60);
    assert_eq!(
        summary["sample"],
        serde_json::json!({"size": 8, "of": 60, "seed": 11, "strata": "none", "critical": 0})
    );
}

#[test]
fn stratified_by_agent_each_agent_gets_its_share() {
    let report = sampled(
        &batch(false),
        &["--sample", "9", "--seed", "3", "--stratify", "agent"],
    );
    let mut per_agent = std::collections::BTreeMap::new();
    for c in report["conversations"].as_array().unwrap() {
        *per_agent
            .entry(c["agent"].as_str().unwrap().to_string())
            .or_insert(0) += 1;
    }
    assert_eq!(
        per_agent.into_iter().collect::<Vec<_>>(),
        [("ana".to_string(), 3), ("bo".into(), 3), ("cy".into(), 3)]
    );
}

#[test]
fn every_critical_failure_can_be_added() {
    let report = sampled(&batch(false), &["--sample", "2", "--sample-critical"]);
    let picked = ids(&report);
    // 12 conversations (every fifth) were sent to 0; the 2 sampled come from the other 48.
    assert_eq!(picked.len(), 14, "{picked:?}");
    for i in (0..60).step_by(5) {
        assert!(picked.contains(&format!("c-{i}")), "c-{i} in {picked:?}");
    }
    assert_eq!(report["summary"]["sample"]["critical"], 12);
}

#[test]
fn the_human_report_and_the_page_say_it_is_a_sample() {
    let run = |format: &str| {
        let out = Command::cargo_bin("tact")
            .unwrap()
            .args([
                "score",
                "-",
                "--format",
                format,
                "--sample",
                "5",
                "--seed",
                "1",
                "--stratify",
                "rule",
            ])
            .write_stdin(batch(false))
            .output()
            .unwrap();
        String::from_utf8(out.stdout).unwrap()
    };
    let human = run("human");
    let note = human.lines().find(|l| l.starts_with("A sample")).unwrap();
    insta::assert_snapshot!(note);
    let page = run("html");
    assert!(page.contains(note), "the page says the same");
}
