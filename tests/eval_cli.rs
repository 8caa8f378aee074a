//! `tact eval` and `tact analyze` as users see them: golden snapshots on fixed inputs.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test fails loudly on what it did not expect"
)]

use assert_cmd::Command;

fn tact(args: &[&str]) -> (String, String, i32) {
    let out = Command::cargo_bin("tact")
        .unwrap()
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    (
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
        out.status.code().unwrap(),
    )
}

#[test]
fn eval_human_table() {
    let (stdout, stderr, code) = tact(&["eval", "tests/fixtures/eval", "--show-errors"]);
    assert_eq!(code, 0, "{stderr}");
    insta::assert_snapshot!(stdout);
}

#[test]
fn eval_json_report() {
    let (stdout, _, code) = tact(&["eval", "tests/fixtures/eval", "--format", "json"]);
    assert_eq!(code, 0);
    let value: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    insta::assert_json_snapshot!(value);
}

#[test]
fn eval_without_labels_is_a_usage_error() {
    let (_, stderr, code) = tact(&["eval", "tests/fixtures/eval/conversations.jsonl"]);
    assert_eq!(code, 2);
    insta::assert_snapshot!(stderr);
}

#[test]
fn eval_reports_a_bad_label_row_and_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        "tests/fixtures/eval/conversations.jsonl",
        dir.path().join("conversations.jsonl"),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("labels.csv"),
        "conversation,rule,verdict\nE-1,apology-before-soluton,fail\nE-3,never-say-wrong,maybe\nE-3,never-say-wrong,fail\n",
    )
    .unwrap();
    let path = dir.path().to_str().unwrap();
    let (stdout, stderr, code) = tact(&["eval", path]);
    assert_eq!(code, 2);
    assert!(stdout.contains("never-say-wrong"), "{stdout}");
    let stderr = stderr.replace(path, "[DIR]");
    insta::assert_snapshot!(stderr);
}

#[test]
fn analyze_shows_clauses_and_acts() {
    let (stdout, _, code) = tact(&[
        "analyze",
        "I'm sorry about that. We can't refund opened items, but I can send a replacement today. If it hasn't arrived by Friday, we'll look again. Does that work for you?",
    ]);
    assert_eq!(code, 0);
    insta::assert_snapshot!(stdout);
}

/// Read as the answer to a customer message, a problem restated in the agent's words
/// acknowledges it; alone, the same words are only a statement.
#[test]
fn analyze_reads_a_reply_to_the_customer() {
    let reply = "The radiator in room B214 has been stone cold for two days, so I've booked maintenance for this afternoon.";
    let (alone, _, _) = tact(&["analyze", reply]);
    let (stdout, _, code) = tact(&[
        "analyze",
        "--reply-to",
        "Hi, the radiator in my room (B214) has been stone cold for two days. Everyone else's seems fine.",
        reply,
    ]);
    assert_eq!(code, 0);
    assert!(!alone.contains("acknowledgement"), "{alone}");
    assert!(stdout.contains("acknowledgement"), "{stdout}");
    insta::assert_snapshot!(stdout);
}
