//! `tact.yaml` discovery and settings, `tact-ignore` suppressions, and the baseline.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test fails loudly on what it did not expect"
)]

use std::path::Path;

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;

fn tact_in(dir: &Path) -> Command {
    let mut cmd = Command::cargo_bin("tact").expect("binary builds");
    cmd.current_dir(dir);
    cmd
}

fn write(dir: &Path, name: &str, text: &str) {
    let path = dir.join(name);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

fn rules_found(output: &[u8]) -> Vec<(String, String)> {
    String::from_utf8(output.to_vec())
        .unwrap()
        .lines()
        .flat_map(|l| {
            let r: Value = serde_json::from_str(l).unwrap();
            r["violations"]
                .as_array()
                .unwrap()
                .iter()
                .map(|v| {
                    (
                        r["id"].as_str().unwrap().to_string(),
                        format!(
                            "{}:{}",
                            v["rule"].as_str().unwrap(),
                            v["severity"].as_str().unwrap()
                        ),
                    )
                })
                .collect::<Vec<_>>()
        })
        .collect()
}

const LIBRARY: &str = "- id: rude\n  body: \"You're wrong. Calm down.\"\n- id: cannot\n  body: \"There's nothing I can do.\"\n";

#[test]
fn config_is_found_upwards_and_its_settings_apply() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "tact.yaml",
        "include: [\"macros/**\"]\nexclude: [\"macros/drafts/**\"]\nfail_on: warning\nrules:\n  say-what-you-can: off\n  not-defensive: error\n",
    );
    write(dir.path(), "macros/live.yaml", LIBRARY);
    write(dir.path(), "macros/drafts/draft.yaml", LIBRARY);
    write(dir.path(), "other/ignored.md", "You're wrong.\n");
    // Run from a sub-folder: the config is found by walking up from the path.
    let out = tact_in(&dir.path().join("macros"))
        .args(["check", "--format", "jsonl", "."])
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let found = rules_found(&out);
    assert_eq!(
        found,
        [
            ("rude".to_string(), "never-say-wrong:error".to_string()),
            ("rude".to_string(), "not-defensive:error".to_string()),
        ],
        "drafts excluded, say-what-you-can off, not-defensive raised to error"
    );
    // fail_on: warning from the config; the flag wins over it.
    write(
        dir.path(),
        "macros/live.yaml",
        "- id: a\n  body: \"Calm down.\"\n",
    );
    tact_in(dir.path())
        .args(["check", "macros/live.yaml", "--no-config"])
        .assert()
        .code(0);
    tact_in(dir.path())
        .args(["check", "macros/live.yaml"])
        .assert()
        .code(1);
    tact_in(dir.path())
        .args(["check", "macros/live.yaml", "--fail-on", "never"])
        .assert()
        .code(0);
}

#[test]
fn a_config_naming_an_unknown_rule_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "tact.yaml", "rules:\n  never-say-wrnog: off\n");
    write(dir.path(), "m.yaml", LIBRARY);
    tact_in(dir.path())
        .args(["check", "m.yaml"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("did you mean `never-say-wrong`?"));
}

#[test]
fn config_policies_replace_the_builtin_policy() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "policies/p.policy",
        "phrases casual \"no worries\"\nrule no-casual\n  severity error\n  forbid agent says casual\n",
    );
    write(dir.path(), "tact.yaml", "policies: [policies/]\n");
    write(
        dir.path(),
        "m.yaml",
        "- id: a\n  body: \"No worries! You're wrong.\"\n",
    );
    let out = tact_in(dir.path())
        .args(["check", "--format", "jsonl", "m.yaml"])
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    assert_eq!(
        rules_found(&out),
        [("a".to_string(), "no-casual:error".to_string())]
    );
}

#[test]
fn suppressions_need_a_reason_and_a_real_rule() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "m.yaml",
        "- id: quoting\n  body: \"You said: you're wrong about the fee.\"\n  tact-ignore:\n    never-say-wrong: \"quotes what the customer wrote\"\n\
         - id: lazy\n  body: \"You're wrong.\"\n  tact-ignore:\n    never-say-wrong: \"\"\n",
    );
    write(
        dir.path(),
        "note.md",
        "<!-- tact-ignore not-defensive: training example of what not to say -->\nCalm down. You're wrong.\n",
    );
    let out = tact_in(dir.path())
        .args([
            "check",
            "--format",
            "jsonl",
            "--no-config",
            "m.yaml",
            "note.md",
        ])
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains(
                "macro `lazy`: `tact-ignore` of `never-say-wrong` needs a reason",
            )
            .and(predicate::str::contains("suppressed by `tact-ignore`")),
        )
        .get_output()
        .stdout
        .clone();
    let found = rules_found(&out);
    assert!(!found.iter().any(|(id, _)| id == "quoting"), "{found:?}");
    // Without a reason the suppression does not apply.
    assert!(found.contains(&("lazy".to_string(), "never-say-wrong:error".to_string())));
    // The comment suppresses its rule only, and its words are not matched.
    assert!(found.contains(&("note".to_string(), "never-say-wrong:error".to_string())));
    assert!(!found
        .iter()
        .any(|(id, r)| id == "note" && r.starts_with("not-defensive")));

    write(
        dir.path(),
        "typo.yaml",
        "- id: t\n  body: \"Hello.\"\n  tact-ignore:\n    never-say-wrnog: \"typo\"\n",
    );
    tact_in(dir.path())
        .args(["check", "--no-config", "typo.yaml"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("typo.yaml:2: macro `t`: `tact-ignore` names no rule `never-say-wrnog`; did you mean `never-say-wrong`?"));
}

#[test]
fn suppressed_findings_are_not_fixed() {
    let dir = tempfile::tempdir().unwrap();
    let text = "- id: quoting\n  body: \"Calm down, please.\"\n  tact-ignore:\n    not-defensive: \"the customer's own words, quoted\"\n";
    write(dir.path(), "m.yaml", text);
    tact_in(dir.path())
        .args(["check", "--no-config", "--fix", "m.yaml"])
        .assert()
        .code(0);
    assert_eq!(
        std::fs::read_to_string(dir.path().join("m.yaml")).unwrap(),
        text
    );
}

#[test]
fn a_baseline_hides_known_findings_and_fails_on_new_ones() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "macros/m.yaml", LIBRARY);
    tact_in(dir.path())
        .args([
            "check",
            "macros",
            "--baseline",
            "baseline.json",
            "--update-baseline",
        ])
        .assert()
        .code(0)
        .stderr(predicate::str::contains(
            "wrote 3 findings to baseline.json",
        ));
    let baseline: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("baseline.json")).unwrap())
            .unwrap();
    assert_eq!(baseline["version"], 1);
    assert_eq!(baseline["findings"][0]["path"], "macros/m.yaml");
    // Known findings pass, even when lines move.
    write(
        dir.path(),
        "macros/m.yaml",
        &format!("# moved down\n\n{LIBRARY}"),
    );
    tact_in(dir.path())
        .args(["check", "macros", "--baseline", "baseline.json"])
        .assert()
        .code(0)
        .stderr(predicate::str::contains(
            "3 known findings in the baseline not reported",
        ));
    // A new one fails, and only it is reported.
    write(
        dir.path(),
        "macros/m.yaml",
        &format!("{LIBRARY}- id: new\n  body: \"That's not true.\"\n"),
    );
    let out = tact_in(dir.path())
        .args([
            "check",
            "macros",
            "--baseline",
            "baseline.json",
            "--format",
            "jsonl",
        ])
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    assert_eq!(
        rules_found(&out),
        [("new".to_string(), "never-say-wrong:error".to_string())]
    );
    // Taken from tact.yaml too.
    write(dir.path(), "tact.yaml", "baseline: baseline.json\n");
    tact_in(dir.path())
        .args(["check", "macros", "--format", "jsonl"])
        .assert()
        .code(1)
        .stdout(predicate::function(|s: &str| {
            s.matches("never-say-wrong").count() == 1
        }));
}

#[test]
fn a_shared_tact_yaml_cannot_make_tact_read_or_write_outside_its_folder() {
    let outer = tempfile::tempdir().unwrap();
    let dir = outer.path().join("repo");
    write(
        &dir,
        "m.jsonl",
        r#"{"id":"c","events":[{"from":"agent","text":"Hi"}]}"#,
    );
    write(
        outer.path(),
        "secret.policy",
        "SECRET-TOKEN-1234 is not a policy\n",
    );
    write(&dir, "tact.yaml", "policies: [../secret.policy]\n");
    let out = tact_in(&dir).args(["check", "m.jsonl"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("stay inside the folder that holds it"),
        "{stderr}"
    );
    assert!(
        !stderr.contains("SECRET-TOKEN"),
        "the file was read: {stderr}"
    );

    write(&dir, "tact.yaml", "baseline: ../written.json\n");
    let out = tact_in(&dir)
        .args(["check", "m.jsonl", "--update-baseline"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        !outer.path().join("written.json").exists(),
        "written outside"
    );
    // Named on the command line, the same paths are the user's choice.
    let out = tact_in(&dir)
        .args(["check", "m.jsonl", "--no-config", "--update-baseline"])
        .args(["--baseline", "../written.json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(outer.path().join("written.json").exists());
}
