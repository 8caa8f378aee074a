//! Helpers shared by the tests.

#![allow(
    dead_code,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test fails loudly on what it did not expect"
)]

use std::path::{Path, PathBuf};

use serde_json::Value;

/// The problems the official SARIF 2.1.0 schema finds in `sarif` (none when valid); the types of
/// a second implementation (serde-sarif) must read it too.
pub fn sarif_problems(sarif: &Value) -> Vec<String> {
    // The official schema's `language` pattern has a stray `]` that Rust's regex dialect
    // rejects (the schema itself then fails its meta-schema); tact writes no `language`, so
    // that one pattern is replaced by its evident intent. Everything else is the schema as is.
    let text = std::fs::read_to_string(sarif_schema()).unwrap();
    let stray = r#""^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$""#;
    assert_eq!(
        text.matches(stray).count(),
        2,
        "the schema changed: revisit this patch"
    );
    let text = text.replace(stray, r#""^[a-zA-Z]{2}(-[a-zA-Z]{2})?$""#);
    let schema: Value = serde_json::from_str(&text).unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let mut problems: Vec<String> = validator
        .iter_errors(sarif)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    if let Err(e) = serde_json::from_value::<serde_sarif::sarif::Sarif>(sarif.clone()) {
        problems.push(format!("serde-sarif: {e}"));
    }
    problems
}

/// The official SARIF 2.1.0 schema (OASIS, `$id` inside), kept in the repository so the tests
/// validate against a fixed copy.
fn sarif_schema() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/sarif/sarif-schema-2.1.0.json")
}

/// `n` JSONL conversations in which the agent tells the customer they are wrong (one violation
/// each).
pub fn violating_batch(n: usize) -> String {
    (0..n)
        .map(|i| {
            format!(
                "{{\"id\": \"c-{i}\", \"events\": [{{\"from\": \"customer\", \"text\": \"My order {i} never came.\"}}, {{\"from\": \"agent\", \"text\": \"You're wrong, it was delivered.\"}}]}}\n"
            )
        })
        .collect()
}

/// `tact check --format jsonl --fail-on never ARGS` from the repository's root: each
/// conversation's report, stderr, and the exit code.
pub fn check_jsonl(args: &[&str]) -> (Vec<Value>, String, Option<i32>) {
    check_jsonl_in(Path::new(env!("CARGO_MANIFEST_DIR")), args)
}

/// `tact check --format jsonl --fail-on never ARGS` run in `dir` (where a tact.yaml is found).
pub fn check_jsonl_in(dir: &Path, args: &[&str]) -> (Vec<Value>, String, Option<i32>) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_tact"))
        .current_dir(dir)
        .args(["check", "--format", "jsonl", "--fail-on", "never"])
        .args(args)
        .output()
        .unwrap();
    let reports = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    (
        reports,
        String::from_utf8(out.stderr).unwrap(),
        out.status.code(),
    )
}
