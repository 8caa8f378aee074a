//! `tact policy check --format json|sarif|github`: policy errors as data, snapshotted on fixed
//! policies, and the human form in the one diagnostic style.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test fails loudly on what it did not expect"
)]

mod support;

use std::process::Command;

const BROKEN: &str = "tests/fixtures/policies/broken.policy";
const WARNINGS: &str = "tests/fixtures/output/warnings.policy";

/// Runs tact from the crate's folder: its exit code, stdout and stderr.
fn run(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_tact"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

#[test]
fn json_lists_every_error_with_its_range() {
    let (code, stdout, stderr) = run(&["policy", "check", "--format", "json", BROKEN]);
    assert_eq!(code, 2, "{stderr}");
    assert_eq!(stderr, "");
    let document: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(document["summary"]["errors"], 5);
    insta::assert_snapshot!(stdout);
}

#[test]
fn json_of_a_working_policy_holds_its_warnings_and_exits_0() {
    let (code, stdout, _) = run(&["policy", "check", "--format", "json", WARNINGS]);
    assert_eq!(code, 0);
    let document: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(document["summary"]["warnings"], 1);
    assert_eq!(document["diagnostics"][0]["code"], "W001");
    assert_eq!(document["diagnostics"][0]["severity"], "warning");
}

#[test]
fn sarif_is_valid_and_snapshotted() {
    let (code, stdout, _) = run(&["policy", "check", "--format", "sarif", BROKEN]);
    assert_eq!(code, 2);
    let sarif: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let problems = support::sarif_problems(&sarif);
    assert!(problems.is_empty(), "{problems:#?}");
    insta::assert_snapshot!(stdout);
}

#[test]
fn github_annotates_each_error() {
    let (code, stdout, _) = run(&["policy", "check", "--format", "github", BROKEN]);
    assert_eq!(code, 2);
    assert_eq!(stdout.lines().count(), 5);
    insta::assert_snapshot!(stdout);
}

#[test]
fn an_unreadable_policy_is_a_diagnostic_too() {
    let (code, stdout, _) = run(&[
        "policy",
        "check",
        "--format",
        "json",
        "tests/fixtures/output/missing.policy",
    ]);
    assert_eq!(code, 2);
    let document: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(document["diagnostics"][0]["code"], "P100");
}

/// A policy file's control characters and line breaks cannot forge a workflow command or move
/// the terminal's cursor.
#[test]
fn hostile_policy_text_is_escaped_in_every_format() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("evil.policy");
    std::fs::write(&path, "rule a\n  forbid agent says \u{1b}[31mx\n").unwrap();
    let path = path.to_str().unwrap();
    let (_, _, human) = run(&["--color", "never", "policy", "check", path]);
    assert!(!human.contains('\u{1b}'), "{human}");
    assert!(human.contains("\\u{1b}"), "{human}");
    let (_, github, _) = run(&["policy", "check", "--format", "github", path]);
    assert_eq!(github.lines().count(), 1, "{github}");
}

/// Every command shows policy errors in the same style as the conversation reports: codespan's
/// `┌─ file:line:col` heading, not pest's `-->`.
#[test]
fn one_diagnostic_style_everywhere() {
    for args in [
        vec!["--color", "never", "policy", "check", BROKEN],
        vec!["--color", "never", "policy", "test", BROKEN],
        vec![
            "--color",
            "never",
            "check",
            "--policy",
            BROKEN,
            "examples/complaints.jsonl",
        ],
    ] {
        let (_, _, stderr) = run(&args);
        assert!(
            stderr.contains("┌─ tests/fixtures/policies/broken.policy:5:12"),
            "{stderr}"
        );
        assert!(!stderr.contains("-->"), "{stderr}");
    }
}
