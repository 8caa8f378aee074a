//! Every output format, snapshotted on fixed inputs, so that a change to anything a user sees
//! shows up in review (`tests/snapshots/snapshots_output__*.snap`).
//!
//! The inputs: three conversations (`examples/complaints.jsonl`: located and whole-conversation
//! findings, agents and teams), a file with unreadable records (`tests/fixtures/batch/mixed.jsonl`)
//! and a macro library (`examples/macros/library.yaml`). Each snapshot holds the command, its exit
//! code, stdout and stderr; the version is redacted, and escape sequences are shown as `\e`.
//! Review a change with `cargo insta review` (or `INSTA_UPDATE=always cargo test --test
//! snapshots_output` and `git diff`).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test fails loudly on what it did not expect"
)]

use std::process::Command;

const CONVERSATIONS: &str = "examples/complaints.jsonl";
const UNREADABLE: &str = "tests/fixtures/batch/mixed.jsonl";
const MACROS: &str = "examples/macros/library.yaml";

/// Runs `tact ARGS` in the crate's folder and describes what it did, for a snapshot.
fn run(args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_tact"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("NO_COLOR")
        .output()
        .unwrap();
    let shown = |bytes: &[u8]| {
        String::from_utf8(bytes.to_vec())
            .unwrap()
            .replace(env!("CARGO_PKG_VERSION"), "[version]")
            .replace(&root_uri(), "file:///[root]/")
            .replace('\u{1b}', "\\e")
    };
    format!(
        "$ tact {}\nexit: {}\n--- stdout\n{}\n--- stderr\n{}",
        args.join(" "),
        out.status.code().unwrap_or(-1),
        shown(&out.stdout),
        shown(&out.stderr)
    )
}

/// The crate's folder as SARIF's `originalUriBaseIds` gives it (the repository's root).
fn root_uri() -> String {
    format!("file://{}/", env!("CARGO_MANIFEST_DIR"))
}

fn check(format: &str, color: &str) -> String {
    run(&[
        "--color",
        color,
        "check",
        "--format",
        format,
        CONVERSATIONS,
        UNREADABLE,
        MACROS,
    ])
}

#[test]
fn check_human() {
    insta::assert_snapshot!(check("human", "never"));
}

#[test]
fn check_human_in_color() {
    insta::assert_snapshot!(check("human", "always"));
}

#[test]
fn check_json() {
    insta::assert_snapshot!(check("json", "never"));
}

#[test]
fn check_jsonl() {
    insta::assert_snapshot!(check("jsonl", "never"));
}

#[test]
fn check_sarif() {
    insta::assert_snapshot!(check("sarif", "never"));
}

#[test]
fn check_junit() {
    insta::assert_snapshot!(check("junit", "never"));
}

#[test]
fn check_github() {
    insta::assert_snapshot!(check("github", "never"));
}

fn score(format: &str) -> String {
    run(&[
        "--color",
        "never",
        "score",
        "--format",
        format,
        CONVERSATIONS,
        UNREADABLE,
    ])
}

#[test]
fn score_human() {
    insta::assert_snapshot!(score("human"));
}

#[test]
fn score_csv() {
    insta::assert_snapshot!(score("csv"));
}

#[test]
fn score_json() {
    insta::assert_snapshot!(score("json"));
}

#[test]
fn score_html() {
    // One element a line, so that a review shows which part of the page changed.
    insta::assert_snapshot!(score("html").replace("><", ">\n<"));
}

#[test]
fn score_html_folder() {
    // The folder form: its page (the table as data) and its one chunk, one element a line.
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("report");
    let described = run(&[
        "--color",
        "never",
        "score",
        "--html-dir",
        dir.to_str().unwrap(),
        CONVERSATIONS,
        UNREADABLE,
    ])
    .replace(tmp.path().to_str().unwrap(), "[tmp]");
    let file = |name: &str| {
        std::fs::read_to_string(dir.join(name))
            .unwrap()
            .replace(env!("CARGO_PKG_VERSION"), "[version]")
            .replace("><", ">\n<")
    };
    insta::assert_snapshot!(format!(
        "{described}\n--- index.html\n{}\n--- chunks/0.js\n{}",
        file("index.html"),
        file("chunks/0.js")
    ));
}

#[test]
fn policy_errors() {
    insta::assert_snapshot!(run(&[
        "--color",
        "never",
        "policy",
        "check",
        "tests/fixtures/policies/broken.policy",
    ]));
}

#[test]
fn policy_errors_in_color() {
    insta::assert_snapshot!(run(&[
        "--color",
        "always",
        "policy",
        "check",
        "tests/fixtures/policies/broken.policy",
    ]));
}

#[test]
fn policy_warnings() {
    insta::assert_snapshot!(run(&[
        "--color",
        "never",
        "policy",
        "check",
        "tests/fixtures/output/warnings.policy",
    ]));
}

#[test]
fn policy_that_cannot_be_read() {
    insta::assert_snapshot!(run(&[
        "--color",
        "never",
        "check",
        "--policy",
        "tests/fixtures/output/missing.policy",
        CONVERSATIONS,
    ]));
}

#[test]
fn explain() {
    insta::assert_snapshot!(run(&["explain", "never-say-wrong"]));
}

#[test]
fn explain_an_unknown_rule() {
    insta::assert_snapshot!(run(&["explain", "never-say-wrnog"]));
}

#[test]
fn rules() {
    insta::assert_snapshot!(run(&["rules"]));
}
