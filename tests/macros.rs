//! Macro libraries: each format read, violations located in the file as written, rules about
//! history silent, placeholders ignored, the CI formats, and `--fix` / `--diff` byte for byte.

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

mod support;

fn tact() -> Command {
    let mut cmd = Command::cargo_bin("tact").expect("binary builds");
    cmd.current_dir(env!("CARGO_MANIFEST_DIR"));
    cmd
}

fn jsonl(args: &[&str]) -> Vec<Value> {
    let out = tact()
        .args(["check", "--format", "jsonl"])
        .args(args)
        .output()
        .unwrap();
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// 1-based line and column (in characters) of the `n`th occurrence of `needle` in a file.
fn position_of(path: &str, needle: &str, n: usize) -> (u64, u64) {
    let text = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(path)).unwrap();
    let at = text
        .match_indices(needle)
        .nth(n)
        .unwrap_or_else(|| panic!("{needle:?} not in {path}"))
        .0;
    let before = &text[..at];
    let line = before.matches('\n').count() as u64 + 1;
    let col = before.rsplit('\n').next().unwrap().chars().count() as u64 + 1;
    (line, col)
}

fn violation<'a>(reports: &'a [Value], id: &str, rule: &str) -> &'a Value {
    reports
        .iter()
        .find(|r| r["id"] == id)
        .unwrap_or_else(|| panic!("no macro {id}"))["violations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["rule"] == rule)
        .unwrap_or_else(|| panic!("{rule} not found in {id}"))
}

fn at(v: &Value) -> (u64, u64) {
    (
        v["location"]["line"].as_u64().unwrap(),
        v["location"]["column"].as_u64().unwrap(),
    )
}

#[test]
fn yaml_block_scalars_and_quoted_values_are_located() {
    let reports = jsonl(&["examples/macros/library.yaml"]);
    assert_eq!(reports.len(), 4);
    assert!(reports.iter().all(|r| r["kind"] == "macro"));
    let wrong = violation(&reports, "charge-dispute", "never-say-wrong");
    assert_eq!(wrong["excerpt"], "You're wrong");
    assert_eq!(
        at(wrong),
        position_of("examples/macros/library.yaml", "You're wrong", 0)
    );
    assert_eq!(wrong["location"]["end_column"], at(wrong).1 + 12);
    let calm = violation(&reports, "charge-dispute", "not-defensive");
    assert_eq!(
        at(calm),
        position_of("examples/macros/library.yaml", "Calm down, please", 0)
    );
    let final_offer = violation(&reports, "policy-final", "no-take-it-or-leave-it");
    assert_eq!(
        at(final_offer),
        position_of("examples/macros/library.yaml", "This is the only thing", 0)
    );
    // Good macros say nothing.
    let outage = reports.iter().find(|r| r["id"] == "outage").unwrap();
    assert_eq!(outage["violations"].as_array().unwrap().len(), 0);
}

#[test]
fn json_strings_with_escapes_are_located_at_the_escape() {
    let reports = jsonl(&["examples/macros/library.json"]);
    let wrong = violation(&reports, "late-delivery", "never-say-wrong");
    // The text reads "That’s not true"; the file has "That\u2019s not true".
    assert_eq!(wrong["excerpt"], "That’s not true");
    assert_eq!(
        at(wrong),
        position_of("examples/macros/library.json", "That\\u2019s not true", 0)
    );
    assert_eq!(
        wrong["location"]["end_column"],
        at(wrong).1 + "That\\u2019s not true".len() as u64
    );
}

#[test]
fn markdown_and_zendesk_are_located() {
    let reports = jsonl(&["examples/macros/escalation.md"]);
    let calm = violation(&reports, "escalation", "not-defensive");
    assert_eq!(
        at(calm),
        position_of("examples/macros/escalation.md", "Calm down", 0)
    );
    let reports = jsonl(&["examples/macros/zendesk-export.json"]);
    assert_eq!(reports.len(), 2, "two macros with a comment");
    // HTML stripped: the entity in `That&#39;s` is read as an apostrophe, located at the source.
    let wrong = violation(&reports, "360001", "never-say-wrong");
    assert_eq!(wrong["excerpt"], "That's not true");
    assert_eq!(
        at(wrong),
        position_of(
            "examples/macros/zendesk-export.json",
            "That&#39;s not true",
            0
        )
    );
    // The sent reset link is a remedy (judging.md): apologized and acknowledged before it, and
    // agreement asked, but one option only and no question first.
    let reset = reports.iter().find(|r| r["id"] == "360002").unwrap();
    let rules: Vec<&str> = reset["violations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["rule"].as_str().unwrap())
        .collect();
    assert_eq!(rules, ["two-options", "listen-first"]);
}

#[test]
fn rules_about_history_say_nothing_and_placeholders_match_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let lib = dir.path().join("m.yaml");
    std::fs::write(
        &lib,
        "- id: refund\n  body: \"I'm sorry. I've issued a refund, or I can send a replacement. Which would you prefer?\"\n\
         - id: placeholder\n  body: \"Hi {{ 'you are wrong' }}, thanks for writing.\"\n\
         - id: wrong\n  body: \"Hi {{name}}, you are wrong.\"\n",
    )
    .unwrap();
    let out = tact()
        .args(["check", "--format", "jsonl", "--fail-on", "info"])
        .arg(&lib)
        .output()
        .unwrap();
    let reports: Vec<Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let rules = |id: &str| -> Vec<String> {
        reports.iter().find(|r| r["id"] == id).unwrap()["violations"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v["rule"].as_str().unwrap().to_string())
            .collect()
    };
    // No follow-up event, no first contact, no documentation: those are about the ticket.
    let refund = rules("refund");
    for history in ["follow-up", "first-contact", "document-resolution"] {
        assert!(!refund.contains(&history.to_string()), "{refund:?}");
    }
    assert!(
        rules("placeholder").is_empty(),
        "{:?}",
        rules("placeholder")
    );
    assert_eq!(rules("wrong"), ["never-say-wrong"]);
    // The location skips nothing: the placeholder stays in the text.
    let v = &reports.iter().find(|r| r["id"] == "wrong").unwrap()["violations"][0];
    assert_eq!(
        v["location"]["column"],
        "  body: \"Hi {{name}}, ".chars().count() + 1
    );
}

#[test]
fn sarif_is_valid_against_the_2_1_0_schema() {
    let out = tact()
        .args([
            "check",
            "--format",
            "sarif",
            "examples/macros",
            "examples/complaints.jsonl",
        ])
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let sarif: Value = serde_json::from_slice(&out).unwrap();
    // Valid by the official SARIF 2.1.0 schema, and read by a second implementation's types.
    let problems = support::sarif_problems(&sarif);
    assert!(problems.is_empty(), "{problems:#?}");
    let run = &sarif["runs"][0];
    assert_eq!(run["tool"]["driver"]["rules"].as_array().unwrap().len(), 14);
    let help = &run["tool"]["driver"]["rules"][2];
    assert_eq!(help["id"], "never-say-wrong");
    assert!(help["help"]["text"]
        .as_str()
        .unwrap()
        .contains("Suggested phrasing"));
    let results = run["results"].as_array().unwrap();
    let yaml_wrong = results
        .iter()
        .find(|r| {
            r["ruleId"] == "never-say-wrong"
                && r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                    == "examples/macros/library.yaml"
        })
        .unwrap();
    let region = &yaml_wrong["locations"][0]["physicalLocation"]["region"];
    let (line, col) = position_of("examples/macros/library.yaml", "You're wrong", 0);
    assert_eq!(
        (region["startLine"].as_u64(), region["startColumn"].as_u64()),
        (Some(line), Some(col))
    );
    assert_eq!(
        yaml_wrong["fixes"][0]["artifactChanges"][0]["replacements"][0]["insertedContent"]["text"],
        "I can see how that happened; let's sort it out together. O"
    );
    // Conversations are located at their record's line.
    assert!(results.iter().any(
        |r| r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            == "examples/complaints.jsonl"
    ));
}

#[test]
fn junit_has_one_testcase_per_macro() {
    let out = tact()
        .args(["check", "--format", "junit", "examples/macros/library.yaml"])
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let xml = String::from_utf8(out).unwrap();
    let mut reader = quick_xml::Reader::from_str(&xml);
    let (mut cases, mut failures) = (0, 0);
    loop {
        match reader.read_event().unwrap() {
            quick_xml::events::Event::Start(e) | quick_xml::events::Event::Empty(e) => {
                match e.name().as_ref() {
                    b"testcase" => cases += 1,
                    b"failure" => failures += 1,
                    _ => {}
                }
            }
            quick_xml::events::Event::Eof => break,
            _ => {}
        }
    }
    assert_eq!(cases, 4);
    // Errors fail (charge-dispute, policy-final); refund-issued has only an info (output).
    assert_eq!(failures, 2);
    assert!(xml.contains("<testsuites name=\"tact\" tests=\"4\" failures=\"2\">"));
    assert!(xml.contains("name=\"macro charge-dispute\""));
    assert!(xml.contains("You&apos;re wrong") || xml.contains("You&#39;re wrong"));
}

#[test]
fn github_annotations_point_at_the_text() {
    let (line, col) = position_of("examples/macros/library.yaml", "You're wrong", 0);
    tact()
        .args(["check", "--format", "github", "examples/macros/library.yaml"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains(format!(
            "::error file=examples/macros/library.yaml,line={line},col={col},endLine={line},endColumn={},title=tact never-say-wrong::The agent told the customer they were wrong. (macro `charge-dispute`)%0ASay instead: ",
            col + 12
        )));
}

#[test]
fn fix_edits_only_the_offending_bytes_and_a_second_fix_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    for name in [
        "library.yaml",
        "library.json",
        "escalation.md",
        "zendesk-export.json",
    ] {
        std::fs::copy(
            Path::new("examples/macros").join(name),
            dir.path().join(name),
        )
        .unwrap();
    }
    let before = |name: &str| std::fs::read_to_string(dir.path().join(name)).unwrap();
    let yaml = before("library.yaml");
    let json = before("library.json");
    let zendesk = before("zendesk-export.json");
    // --diff writes nothing.
    tact()
        .args(["check", "--diff"])
        .arg(dir.path())
        .assert()
        .code(1)
        .stdout(predicate::str::contains("-    You're wrong, our system never charges twice.")
            .and(predicate::str::contains("+    I can see how that happened; let's sort it out together. Our system never charges twice.")));
    assert_eq!(before("library.yaml"), yaml);

    tact()
        .args(["check", "--fix"])
        .arg(dir.path())
        .assert()
        .code(1);
    // The clause after "Calm down, please," starts its own sentence, without its "and"; "two
    // options" are not promised where the macro gives none.
    let expected = yaml.replace(
        "You're wrong, our system never charges twice. Calm down, please, and check",
        "I can see how that happened; let's sort it out together. Our system never charges twice. I understand how frustrating this is. Check",
    );
    assert_ne!(expected, yaml);
    // Every other byte (comments, quoting, indentation, order) is as it was.
    assert_eq!(before("library.yaml"), expected);
    assert!(before("library.yaml").contains("# Billing macros. Reviewed by the support-ops team."));
    // Escaped JSON and HTML are not edited.
    assert_eq!(before("library.json"), json);
    assert_eq!(before("zendesk-export.json"), zendesk);
    assert_eq!(
        before("escalation.md"),
        std::fs::read_to_string("examples/macros/escalation.md")
            .unwrap()
            .replace(
                "Calm down. I have",
                "I understand how frustrating this is. I have"
            )
    );
    // No temporary file is left behind.
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 4);

    let snapshot: Vec<String> = ["library.yaml", "escalation.md"]
        .iter()
        .map(|n| before(n))
        .collect();
    tact()
        .args(["check", "--fix"])
        .arg(dir.path())
        .assert()
        .code(1);
    let again: Vec<String> = ["library.yaml", "escalation.md"]
        .iter()
        .map(|n| before(n))
        .collect();
    assert_eq!(snapshot, again, "a second --fix changes nothing");
}

#[test]
fn fix_in_json_escapes_what_it_writes() {
    let dir = tempfile::tempdir().unwrap();
    let lib = dir.path().join("m.json");
    let original =
        "[\n  {\"id\": \"a\", \"body\": \"Calm down, please.\\nWe will look into it.\"} \n]\n";
    std::fs::write(&lib, original).unwrap();
    tact().args(["check", "--fix"]).arg(&lib).assert().code(0);
    let fixed = std::fs::read_to_string(&lib).unwrap();
    assert_eq!(
        fixed,
        original.replace(
            "Calm down, please.",
            "I understand how frustrating this is."
        )
    );
    let value: Value = serde_json::from_str(&fixed).unwrap();
    assert_eq!(
        value[0]["body"],
        "I understand how frustrating this is.\nWe will look into it."
    );
}

#[test]
fn input_macros_reads_text_files_and_refuses_conversations() {
    let dir = tempfile::tempdir().unwrap();
    let txt = dir.path().join("apology.txt");
    std::fs::write(&txt, "Calm down, we will fix it.\n").unwrap();
    tact()
        .args(["check", "--input", "macros", "--format", "jsonl"])
        .arg(&txt)
        .assert()
        .code(0)
        .stdout(
            predicate::str::contains("\"kind\":\"macro\"")
                .and(predicate::str::contains("not-defensive")),
        );
    // Without --input macros, a .txt file is a transcript.
    tact()
        .args(["check", "--format", "jsonl"])
        .arg(&txt)
        .assert()
        .stdout(predicate::str::contains("\"kind\"").not());
}

#[test]
fn a_malformed_library_names_its_line_and_the_rest_is_checked() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("bad.yaml"), "- id: a\n  body: [unclosed\n").unwrap();
    std::fs::write(dir.path().join("good.md"), "You're wrong.\n").unwrap();
    tact()
        .args(["check", "--input", "macros", "--format", "jsonl"])
        .arg(dir.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("bad.yaml"))
        .stdout(predicate::str::contains("never-say-wrong"));
}

/// Real macros (tests/fixtures/response-library): a fix is made only where it reads as a whole
/// sentence. Most suggestions there would land mid-sentence ("I'm I'm sorry about this.",
/// "However, Let's go through it..."), so those files are left alone and each suggestion says
/// why; the Markdown macro is fixed line by line, its list intact.
#[test]
fn fixes_on_real_macros_read_as_whole_sentences() {
    let out = tact()
        .args(["check", "--diff", "tests/fixtures/response-library"])
        .output()
        .unwrap();
    let diff = String::from_utf8(out.stdout).unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    insta::assert_snapshot!(diff);
    assert!(!diff.contains("saved-replies.json") && !diff.contains("bitext.yaml"));
    assert!(
        stderr.contains("not fixed: macro `angular:1`")
            && stderr.contains("do not begin a sentence"),
        "{stderr}"
    );

    let dir = tempfile::tempdir().unwrap();
    for name in ["final-offer.md", "saved-replies.json", "bitext.yaml"] {
        std::fs::copy(
            Path::new("tests/fixtures/response-library").join(name),
            dir.path().join(name),
        )
        .unwrap();
    }
    tact()
        .args(["check", "--fix"])
        .arg(dir.path())
        .assert()
        .code(1);
    let fixed = std::fs::read_to_string(dir.path().join("final-offer.md")).unwrap();
    assert!(fixed
        .contains("Here are two options; which would you prefer?\n\n- a full refund to your card"));
    assert!(fixed.contains("**I understand how frustrating this is. Reply to this email**"));
    for name in ["saved-replies.json", "bitext.yaml"] {
        assert_eq!(
            std::fs::read(dir.path().join(name)).unwrap(),
            std::fs::read(Path::new("tests/fixtures/response-library").join(name)).unwrap()
        );
    }
}

/// "Here are two options" is written only where two options follow; alone, the final offer is
/// reported with its suggestion and left as it is.
#[test]
fn two_options_are_not_promised_where_none_follow() {
    let dir = tempfile::tempdir().unwrap();
    let lib = dir.path().join("final.yaml");
    let original =
        "- id: final\n  body: \"This is the only thing I can do. Take it or leave it.\"\n";
    std::fs::write(&lib, original).unwrap();
    tact()
        .args(["check", "--fix"])
        .arg(&lib)
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "offers options that the text does not list",
        ));
    assert_eq!(std::fs::read_to_string(&lib).unwrap(), original);
}

#[test]
fn flow_style_yaml_macros_are_located_at_their_words() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("flow.yaml");
    let text = "- {id: a, title: A, body: \"Thanks for writing.\"}\n- {id: b, title: B, body: \"You're wrong, we never charge twice.\"}\n- {id: c, body: Calm down please}\n";
    std::fs::write(&path, text).unwrap();
    let reports = jsonl(&[path.to_str().unwrap(), "--input", "macros"]);
    let at = |id: &str, rule: &str| {
        let report = reports.iter().find(|r| r["id"] == id).unwrap();
        let v = report["violations"]
            .as_array()
            .unwrap()
            .iter()
            .find(|v| v["rule"] == rule)
            .unwrap_or_else(|| panic!("{id} {rule}: {report}"));
        (
            v["location"]["line"].clone(),
            v["location"]["column"].clone(),
        )
    };
    let column = |line: usize, words: &str| {
        let l = text.lines().nth(line - 1).unwrap();
        l.find(words).unwrap() + 1
    };
    assert_eq!(
        at("b", "never-say-wrong"),
        (2.into(), column(2, "You're wrong").into())
    );
    assert_eq!(
        at("c", "not-defensive"),
        (3.into(), column(3, "Calm down").into())
    );
}
