//! `tact score --compare` with several reviewers: each reviewer against tact and against each
//! other (Cohen's kappa per pair, Fleiss' kappa overall, raw agreement, counts), the most
//! disputed conversations first, in the terminal, in JSON and in the HTML page.
//!
//! The fixtures: kim's file has no `reviewer` column (the reviewer is named by the file), lee's
//! has one. On `not-defensive` tact fails T-1002 and T-1003; kim fails T-1003 only; lee fails
//! T-1001, T-1002 and T-1003.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test fails loudly on what it did not expect"
)]

use assert_cmd::Command;
use serde_json::Value;

const DIR: &str = "tests/fixtures/reviews/calibration";

fn score(args: &[&str]) -> std::process::Output {
    Command::cargo_bin("tact")
        .unwrap()
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["score", "examples/complaints.jsonl", "examples/chat.txt"])
        .args(args)
        .output()
        .unwrap()
}

fn calibration(args: &[&str]) -> Value {
    let out = score(&[args, &["--format", "json"]].concat());
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    json["agreement"]["calibration"].clone()
}

fn close(value: &Value, expected: f64) -> bool {
    value.as_f64().is_some_and(|v| (v - expected).abs() < 1e-9)
}

#[test]
fn kappas_per_pair_and_fleiss_match_the_hand_count() {
    let c = calibration(&["--compare", DIR]);
    assert_eq!(c["reviewers"], serde_json::json!(["kim", "lee"]));
    let rule = c["rules"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["rule"] == "not-defensive")
        .unwrap();
    assert_eq!(rule["items"], 4);
    // kim and lee: both fail 1 (T-1003), lee only 2, neither 1. po = 2/4; kim fails 1/4, lee
    // 3/4, so pe = 1/4·3/4 + 3/4·1/4 = 0.375; kappa = (0.5 − 0.375) / 0.625 = 0.2.
    let pair = &rule["between_reviewers"][0];
    assert_eq!(
        (pair["a"].as_str(), pair["b"].as_str()),
        (Some("kim"), Some("lee"))
    );
    assert_eq!(
        [
            &pair["both_fail"],
            &pair["a_only"],
            &pair["b_only"],
            &pair["both_pass"]
        ],
        [1, 0, 2, 1]
    );
    assert!(close(&pair["raw_agreement"], 0.5), "{pair}");
    assert!(close(&pair["kappa"], 0.2), "{pair}");
    // kim and tact: both 1, tact only 1, neither 2: po = 0.75, pe = 1/4·2/4 + 3/4·2/4 = 0.5.
    let kim = &rule["with_tact"][0];
    assert_eq!(kim["b"], "tact");
    assert!(close(&kim["kappa"], 0.5), "{kim}");
    // Fleiss over kim and lee: items split 1-1, 1-1, 2-0, 0-2 → P̄ = 0.5; half the votes are
    // violations → P̄e = 0.5; kappa 0.
    assert_eq!(rule["fleiss_items"], 4);
    assert!(close(&rule["fleiss_kappa"], 0.0), "{rule}");
    // Pooled over both rules (never-say-wrong: everyone fails T-1002).
    let all = &c["overall"];
    assert_eq!(all["rule"], "all rules");
    assert_eq!(all["items"], 5);
    // kim and lee pooled: both 2, lee only 2, neither 1: po 0.6, pe 2/5·4/5 + 3/5·1/5 = 0.44.
    let pooled = &all["between_reviewers"][0];
    assert!(
        close(&pooled["kappa"], (0.6 - 0.44) / (1.0 - 0.44)),
        "{pooled}"
    );
}

#[test]
fn the_most_disputed_conversations_come_first() {
    let c = calibration(&[
        "--compare",
        &format!("{DIR}/kim.csv"),
        "--compare",
        &format!("{DIR}/lee.csv"),
    ]);
    let disputes: Vec<(&str, u64)> = c["disputes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["conversation"].as_str().unwrap(),
                d["disagreeing_pairs"].as_u64().unwrap(),
            )
        })
        .collect();
    // T-1001: lee against kim and tact; T-1002: kim against lee and tact. T-1003 and chat agree.
    assert_eq!(disputes, [("T-1001", 2), ("T-1002", 2)]);
    // Who was on which side.
    let sides = |i: usize| {
        let s = &c["disputes"][i]["sides"][0];
        (s["violation"].clone(), s["no_violation"].clone())
    };
    assert_eq!(
        sides(0),
        (
            serde_json::json!(["lee"]),
            serde_json::json!(["kim", "tact"])
        )
    );
    assert_eq!(
        sides(1),
        (
            serde_json::json!(["lee", "tact"]),
            serde_json::json!(["kim"])
        )
    );
}

#[test]
fn each_disagreement_with_tact_names_its_reviewer() {
    let out = score(&["--compare", DIR, "--format", "json"]);
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    let named: Vec<(&str, &str, &str)> = json["agreement"]["disagreements"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["conversation"].as_str().unwrap(),
                d["reviewed_by"].as_str().unwrap(),
                d["reviewer"].as_str().unwrap(),
            )
        })
        .collect();
    // On not-defensive tact fails T-1002 and T-1003: kim passes T-1002; lee fails T-1001.
    assert_eq!(
        named,
        [("T-1001", "lee", "fail"), ("T-1002", "kim", "pass")]
    );
}

#[test]
fn one_reviewer_is_not_calibrated() {
    let c = calibration(&["--compare", &format!("{DIR}/kim.csv")]);
    assert!(c.is_null(), "{c}");
}

#[test]
fn an_empty_folder_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let out = score(&["--reviews", dir.path().to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no .csv reviews files"));
}

#[test]
fn the_terminal_report() {
    let out = score(&["--reviews", DIR]);
    let text = String::from_utf8(out.stdout).unwrap();
    // From the disagreements with tact (each naming its reviewer) to the calibration's end.
    let from = text.find("Disagreements").unwrap();
    insta::assert_snapshot!(&text[from..]);
}

#[test]
fn the_page_shows_the_same_tables() {
    let out = score(&["--reviews", DIR, "--format", "html"]);
    let page = String::from_utf8(out.stdout).unwrap();
    let from = page.find("<h2>Agreement with the reviewer</h2>").unwrap();
    let to = page.find("<h2>Conversations</h2>").unwrap();
    insta::assert_snapshot!(page[from..to].replace("><", ">\n<"));
    assert!(page
        .contains("<h3>Calibration of 2 reviewers (kim, lee) with tact and with each other</h3>"));
    assert!(
        page.contains("<td>not-defensive</td><td>kim and lee</td><td class=\"num\">4</td>"),
        "the pair's row"
    );
    assert!(
        page.contains("<td><a href=\"#c-0\">T-1001</a></td><td class=\"num\">2</td>"),
        "disputes link to their conversation"
    );
}

#[test]
fn reviewer_names_reach_the_terminal_escaped() {
    let dir = tempfile::tempdir().unwrap();
    let fixture = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(DIR);
    std::fs::copy(fixture.join("kim.csv"), dir.path().join("kim.csv")).unwrap();
    let lee = std::fs::read_to_string(fixture.join("lee.csv")).unwrap();
    // A reviewer name carrying a terminal title sequence and a colour.
    let hostile = lee.replace("\nlee,", "\n\"x\u{1b}]0;OWNED\u{7}\u{1b}[31mred\",");
    std::fs::write(dir.path().join("lee.csv"), hostile).unwrap();
    let out = score(&["--compare", dir.path().to_str().unwrap()]);
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(stdout.contains("Calibration of 2 reviewers"), "{stdout}");
    assert!(
        !stdout.contains('\u{1b}') && !stdout.contains('\u{7}'),
        "{stdout:?}"
    );
}
