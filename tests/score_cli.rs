//! `tact score` on the command line: the CSV and JSON shapes, `--compare`, `-o`, and the HTML
//! page being self-contained.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test fails loudly on what it did not expect"
)]

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;

fn tact() -> Command {
    let mut cmd = Command::cargo_bin("tact").expect("binary builds");
    cmd.current_dir(env!("CARGO_MANIFEST_DIR"));
    cmd
}

fn score_json(args: &[&str]) -> Value {
    let out = tact()
        .args(["score", "examples/complaints.jsonl", "--format", "json"])
        .args(args)
        .output()
        .unwrap();
    serde_json::from_slice(&out.stdout).expect("stdout is JSON")
}

#[test]
fn csv_has_one_row_per_conversation_and_rule() {
    let out = tact()
        .args(["score", "examples/complaints.jsonl", "--format", "csv"])
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone();
    let mut reader = csv::Reader::from_reader(out.as_slice());
    let headers: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(
        headers,
        [
            "conversation",
            "agent",
            "team",
            "week",
            "score",
            "rule",
            "verdict",
            "weight",
            "points_lost",
            "critical_failure"
        ]
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 3 * 14);
    let critical: Vec<&csv::StringRecord> = rows.iter().filter(|r| &r[9] == "true").collect();
    assert_eq!(critical.len(), 1);
    assert_eq!(&critical[0][0], "T-1002");
    assert_eq!(&critical[0][5], "never-say-wrong");
    assert_eq!(&critical[0][4], "0.0");
    // A rule that does not apply says so, and costs nothing.
    let na = rows
        .iter()
        .find(|r| &r[0] == "T-1003" && &r[5] == "first-contact")
        .unwrap();
    assert_eq!((&na[6], &na[8]), ("n/a", "0.0"));
}

#[test]
fn json_has_scorecards_and_the_summary() {
    let json = score_json(&[]);
    let conversations = json["conversations"].as_array().unwrap();
    assert_eq!(conversations.len(), 3);
    let t1002 = conversations.iter().find(|c| c["id"] == "T-1002").unwrap();
    assert_eq!(t1002["score"], 0.0);
    assert_eq!(t1002["critical_failure"], "never-say-wrong");
    assert_eq!(t1002["agent"], "sam");
    assert_eq!(t1002["week"], "2026-W10");
    assert_eq!(t1002["rules"].as_array().unwrap().len(), 14);
    let t1001 = conversations.iter().find(|c| c["id"] == "T-1001").unwrap();
    assert_eq!(t1001["score"], 100.0);
    let summary = &json["summary"];
    assert_eq!(summary["overall"]["conversations"], 3);
    let agents: Vec<&str> = summary["agents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["name"].as_str().unwrap())
        .collect();
    assert_eq!(agents, ["maria", "sam"]);
    assert_eq!(summary["rules"].as_array().unwrap().len(), 14);
    let wrong = summary["rules"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["rule"] == "never-say-wrong")
        .unwrap();
    assert_eq!(wrong["critical"], true);
    assert_eq!(wrong["failed"], 1);
    assert_eq!(wrong["weight"], 10);
    assert!(json["errors"].as_array().unwrap().is_empty());
    assert!(json.get("agreement").is_none());
}

#[test]
fn compare_reports_precision_recall_kappa_and_disagreements() {
    // Labelled by hand: see the file; kappa = (2/3 - 4/9) / (1 - 4/9) = 0.4 for both rules.
    let json = score_json(&["--compare", "tests/fixtures/reviews/examples.csv"]);
    let rules = json["agreement"]["rules"].as_array().unwrap();
    assert_eq!(rules.len(), 2);
    let wrong = &rules[0];
    assert_eq!(wrong["rule"], "never-say-wrong");
    assert_eq!(
        (
            &wrong["both_fail"],
            &wrong["engine_only"],
            &wrong["reviewer_only"],
            &wrong["both_pass"]
        ),
        (
            &Value::from(1),
            &Value::from(0),
            &Value::from(1),
            &Value::from(1)
        )
    );
    assert_eq!(wrong["precision"], 1.0);
    assert_eq!(wrong["recall"], 0.5);
    assert!((wrong["kappa"].as_f64().unwrap() - 0.4).abs() < 1e-9);
    let defensive = &rules[1];
    assert_eq!(defensive["precision"], 0.5);
    assert_eq!(defensive["recall"], 1.0);
    let disagreements: Vec<(&str, &str)> = json["agreement"]["disagreements"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["conversation"].as_str().unwrap(),
                d["rule"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        disagreements,
        [("T-1002", "not-defensive"), ("T-1003", "never-say-wrong")]
    );
    assert_eq!(json["agreement"]["missing_conversations"][0], "T-9999");
}

#[test]
fn a_bad_reviews_row_names_its_line_and_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    let reviews = dir.path().join("r.csv");
    std::fs::write(
        &reviews,
        "conversation,rule,verdict\nT-1002,never-say-wrong,fail\nT-1003,never-say-wrng,fail\n",
    )
    .unwrap();
    tact()
        .args(["score", "examples/complaints.jsonl", "--compare"])
        .arg(&reviews)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "r.csv:3: no rule `never-say-wrng`",
        ))
        .stdout(predicate::str::contains("never-say-wrong  1"));
}

#[test]
fn output_file_is_written_and_a_malformed_record_still_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.jsonl");
    let good = std::fs::read_to_string("examples/complaints.jsonl").unwrap();
    std::fs::write(&input, format!("{good}{{not json\n")).unwrap();
    let report = dir.path().join("report.csv");
    std::fs::write(&report, "old content").unwrap();
    tact()
        .args(["score", "--format", "csv", "-o"])
        .arg(&report)
        .arg(&input)
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains("in.jsonl:4:"));
    let written = std::fs::read_to_string(&report).unwrap();
    assert!(written.starts_with("conversation,agent,"));
    assert_eq!(written.lines().count(), 1 + 3 * 14);
    // Nothing but the report is left in the folder (no temporary file).
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 2);
}

#[test]
fn html_is_one_self_contained_file() {
    let out = tact()
        .args([
            "score",
            "examples/complaints.jsonl",
            "examples/chat.txt",
            "--format",
            "html",
        ])
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone();
    let html = String::from_utf8(out).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>"));
    // Nothing is fetched: no external scripts, styles, images or fonts.
    for needle in [
        "<script src",
        "<link",
        "<img",
        "@import",
        "url(",
        "https://",
    ] {
        assert!(!html.contains(needle), "found {needle}");
    }
    assert_eq!(html.matches("<svg").count(), 4);
    // One section per conversation, each violation marked in the transcript.
    assert_eq!(html.matches("<section class=\"conversation\"").count(), 4);
    assert!(html.contains("data-rule=\"never-say-wrong\">You’re wrong</mark>"));
}

#[test]
fn html_escapes_what_conversations_say() {
    let input = r#"{"id": "x<1>", "agent": "<b>bold</b>", "events": [{"type": "message", "from": "agent", "text": "<script>alert(1)</script> You're wrong."}]}"#;
    let out = tact()
        .args(["score", "-", "--format", "html"])
        .write_stdin(input)
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone();
    let html = String::from_utf8(out).unwrap();
    assert!(!html.contains("<script>alert"));
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(html.contains("&lt;b&gt;bold&lt;/b&gt;"));
}

/// The precision a rule's row shows in the HTML rules table, as `title` and text.
fn measured_precision_cell(figures: &Value, rule: &str) -> String {
    let q = figures["rules"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["rule"] == rule)
        .unwrap();
    let p = &q["precision"];
    let (v, lo, hi) = (
        p["value"].as_f64().unwrap(),
        p["low"].as_f64().unwrap(),
        p["high"].as_f64().unwrap(),
    );
    format!("title=\"{v:.2} [{lo:.2}-{hi:.2}]\">{v:.2}</td>")
}

#[test]
fn html_shows_the_measured_precision_of_built_in_rules_only() {
    let figures: Value =
        serde_json::from_str(&std::fs::read_to_string("eval/figures.json").unwrap()).unwrap();
    let page = |args: &[&str]| {
        let out = tact()
            .args(["score", "examples/complaints.jsonl", "--format", "html"])
            .args(args)
            .output()
            .unwrap();
        String::from_utf8(out.stdout).unwrap()
    };
    let builtin = page(&[]);
    assert!(builtin.contains(">Measured precision</th>"));
    for rule in ["never-say-wrong", "two-options", "first-contact"] {
        let cell = measured_precision_cell(&figures, rule);
        assert!(builtin.contains(&cell), "{rule}: {cell}");
    }
    // A policy of one's own was never measured, even where its rules share built-in names.
    let own = page(&[
        "--policy",
        "rules/complaints.policy",
        "--policy",
        "rules/phrases.policy",
    ]);
    assert!(own.contains("<table class=\"sortable\" id=\"rules\">"));
    assert!(!own.contains("Measured precision"));
}

#[test]
fn csv_cells_a_spreadsheet_would_run_start_with_an_apostrophe() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("f.jsonl");
    std::fs::write(
        &file,
        r#"{"id": "=HYPERLINK(\"http://x\")", "agent": "@SUM(1)", "team": "-2+3", "events": [{"from": "agent", "text": "Hello"}]}"#,
    )
    .unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_tact"))
        .args(["score", "--format", "csv", "--no-config"])
        .arg(&file)
        .output()
        .unwrap();
    let csv = String::from_utf8(out.stdout).unwrap();
    let row = csv.lines().nth(1).unwrap();
    assert!(
        row.starts_with(r#""'=HYPERLINK(""http://x"")",'@SUM(1),'-2+3,"#),
        "{row}"
    );
}
