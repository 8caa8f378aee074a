//! The regression guard: the built-in policy on the labelled test split may not fall below the
//! figures recorded in `eval/figures.json` by more than their 95% interval, rule by rule.
//! After an intended change, record new figures with
//! `tact eval eval/test --format json > eval/figures.json` and say why in the commit.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test fails loudly on what it did not expect"
)]

use assert_cmd::Command;
use tact::score::quality::{builtin_figures, Quality};

#[derive(serde::Deserialize)]
struct Report {
    #[serde(flatten)]
    quality: Quality,
}

fn measure(split: &str) -> Quality {
    let out = Command::cargo_bin("tact")
        .unwrap()
        .args(["eval", split, "--format", "json"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "tact eval {split} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice::<Report>(&out.stdout)
        .unwrap()
        .quality
}

#[test]
fn no_rule_falls_below_its_recorded_figures() {
    let recorded = builtin_figures().expect("eval/figures.json is compiled in");
    let measured = measure("eval/test");
    let regressions = measured.regressions(&recorded);
    assert!(
        regressions.is_empty(),
        "verdict quality fell on the test split:\n{}",
        regressions.join("\n")
    );
}

#[test]
fn the_labelled_sets_are_whole() {
    // Every conversation of each split is labelled for every built-in rule, and the splits do
    // not share conversations.
    let ids = |split: &str| -> Vec<String> {
        std::fs::read_to_string(format!("{split}/conversations.jsonl"))
            .unwrap()
            .lines()
            .map(|l| {
                serde_json::from_str::<serde_json::Value>(l).unwrap()["id"]
                    .as_str()
                    .unwrap()
                    .to_string()
            })
            .collect()
    };
    let (dev, test) = (ids("eval/dev"), ids("eval/test"));
    assert!(
        dev.iter().all(|d| !test.contains(d)),
        "a conversation is in both splits"
    );
    let measured = measure("eval/test");
    for rule in &measured.rules {
        assert_eq!(
            rule.judged,
            test.len(),
            "{} is not judged everywhere",
            rule.rule
        );
    }
    assert!(dev.len() + test.len() >= 600);
}
