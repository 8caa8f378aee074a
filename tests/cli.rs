//! The command line as the contract fixes it: exit codes, formats, inputs, errors.

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
    cmd.current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("NO_COLOR");
    cmd
}

fn json_of(output: &[u8]) -> Value {
    serde_json::from_slice(output).expect("stdout is JSON")
}

#[test]
fn clean_conversation_exits_0() {
    tact()
        .args(["check", "examples/chat.txt"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains(
            "checked 1 conversation: no violations",
        ));
}

#[test]
fn errors_exit_1_and_fail_on_moves_the_threshold() {
    tact()
        .args(["check", "examples/complaints.jsonl"])
        .assert()
        .code(1);
    tact()
        .args(["check", "examples/complaints.jsonl", "--fail-on", "never"])
        .assert()
        .code(0);
    // T-1003 alone has warnings and infos but no error.
    let only_warnings =
        r#"{"id":"w","events":[{"from":"agent","text":"Sorry, but that's our policy."}]}"#;
    tact()
        .args(["check", "-"])
        .write_stdin(only_warnings)
        .assert()
        .code(0);
    tact()
        .args(["check", "-", "--fail-on", "warning"])
        .write_stdin(only_warnings)
        .assert()
        .code(1);
    tact()
        .args(["check", "-", "--fail-on", "info"])
        .write_stdin(r#"{"id":"i","events":[{"from":"agent","text":"There's nothing I can do."}]}"#)
        .assert()
        .code(1);
}

#[test]
fn json_report_has_the_contract_shape() {
    let out = tact()
        .args(["check", "examples/complaints.jsonl", "--format", "json"])
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let report = json_of(&out);
    assert_eq!(report["version"], 1);
    let conversations = report["conversations"].as_array().expect("array");
    let ids: Vec<&str> = conversations
        .iter()
        .map(|c| c["id"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(ids, ["T-1001", "T-1002", "T-1003"]);
    assert_eq!(conversations[1]["source"], "examples/complaints.jsonl:2");
    let mut total = 0;
    for c in conversations {
        for v in c["violations"].as_array().expect("violations") {
            total += 1;
            for key in ["rule", "severity", "message", "event", "span", "suggestion"] {
                assert!(v.get(key).is_some(), "missing {key} in {v}");
            }
            assert!(["error", "warning", "info"].contains(&v["severity"].as_str().unwrap_or("")));
            assert!(!v["suggestion"].as_str().unwrap_or("").is_empty());
            if let Some(span) = v["span"].as_object() {
                let start = span["start"].as_u64().unwrap_or(0);
                let end = span["end"].as_u64().unwrap_or(0);
                assert!(start < end);
                assert!(v["event"].is_u64());
            }
        }
    }
    assert_eq!(report["summary"]["conversations"], 3);
    assert_eq!(report["summary"]["violations"], total);
    let wrong = conversations[1]["violations"]
        .as_array()
        .and_then(|vs| vs.iter().find(|v| v["rule"] == "never-say-wrong"))
        .expect("T-1002 breaks never-say-wrong")
        .clone();
    assert_eq!(wrong["event"], 2);
    assert_eq!(wrong["excerpt"], "You’re wrong");
    assert_eq!(wrong["span"]["start"], 19);
    assert_eq!(wrong["span"]["end"], 33);
}

/// The `id` of each line of a JSONL report, in order.
fn report_ids(stdout: &[u8]) -> Vec<String> {
    String::from_utf8_lossy(stdout)
        .lines()
        .map(|l| {
            json_of(l.as_bytes())["id"]
                .as_str()
                .unwrap_or("")
                .to_string()
        })
        .collect()
}

#[test]
fn jsonl_is_one_conversation_per_line_in_input_order() {
    let out = tact()
        .args(["check", "examples/complaints.jsonl", "--format", "jsonl"])
        .assert()
        .get_output()
        .stdout
        .clone();
    assert_eq!(report_ids(&out), ["T-1001", "T-1002", "T-1003"]);
}

#[test]
fn stdin_is_read_with_dash_and_when_piped_without_paths() {
    let input = std::fs::read_to_string("examples/chat.txt").expect("example");
    tact()
        .args(["check", "-"])
        .write_stdin(input.clone())
        .assert()
        .code(0);
    tact()
        .args(["check", "--format", "jsonl"])
        .write_stdin(r#"{"id":"s","events":[{"from":"agent","text":"You are wrong."}]}"#)
        .assert()
        .code(1)
        .stdout(predicate::str::contains("never-say-wrong"));
}

#[test]
fn stdin_format_is_recognized_by_its_shape() {
    for (input, ids) in [
        (
            "\n\n{\"id\":\"a\",\"events\":[]}\n{\"id\":\"b\",\"events\":[]}\n",
            vec!["a", "b"],
        ),
        ("{\"id\": \"p\",\n \"events\": []}\n", vec!["p"]),
        (
            "[{\"id\":\"x\",\"events\":[]},{\"id\":\"y\",\"events\":[]}]",
            vec!["x", "y"],
        ),
        ("id: yml\nevents: []\n", vec!["yml"]),
        (
            "[2026-03-01T09:00:00Z] Customer: hi\nAgent: hello\n",
            vec!["stdin"],
        ),
    ] {
        let out = tact()
            .args(["check", "-", "--format", "jsonl"])
            .write_stdin(input)
            .assert()
            .code(0)
            .get_output()
            .stdout
            .clone();
        assert_eq!(report_ids(&out), ids, "for input {input:?}");
    }
}

#[test]
fn a_malformed_record_is_named_and_the_rest_is_checked() {
    let assert = tact()
        .args([
            "check",
            "tests/fixtures/batch/mixed.jsonl",
            "--format",
            "json",
        ])
        .assert()
        .code(2);
    let output = assert.get_output();
    let stderr = String::from_utf8_lossy(&output.stderr);
    for (line, what) in [
        (2, "bad JSON"),
        (3, "missing `id`"),
        (4, "RFC 3339"),
        (5, "unknown speaker `bot`"),
    ] {
        let needle = format!("tests/fixtures/batch/mixed.jsonl:{line}:");
        assert!(stderr.contains(&needle), "no {needle} in {stderr}");
        assert!(stderr.contains(what), "no {what} in {stderr}");
    }
    let report = json_of(&output.stdout);
    let ids: Vec<&str> = report["conversations"]
        .as_array()
        .map(|a| a.iter().filter_map(|c| c["id"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(ids, ["ok-1", "ok-2"]);
    assert_eq!(
        report["conversations"][1]["source"],
        "tests/fixtures/batch/mixed.jsonl:7"
    );
    assert_eq!(report["summary"]["errors"], 4);
    assert_eq!(report["errors"][0]["line"], 2);
}

#[test]
fn json_arrays_name_the_line_of_each_record() {
    let output = tact()
        .args([
            "check",
            "tests/fixtures/batch/array.json",
            "--format",
            "json",
        ])
        .assert()
        .code(2)
        .get_output()
        .clone();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("tests/fixtures/batch/array.json:7: conversation `A-3`: event 0: unknown speaker `robot`"), "{stderr}");
    let report = json_of(&output.stdout);
    assert_eq!(
        report["conversations"][0]["source"],
        "tests/fixtures/batch/array.json:2"
    );
    assert_eq!(
        report["conversations"][1]["source"],
        "tests/fixtures/batch/array.json:3"
    );
    assert_eq!(
        report["conversations"][0]["violations"][0]["rule"],
        "not-defensive"
    );
}

#[test]
fn yaml_conversations_are_read() {
    tact()
        .args([
            "check",
            "tests/fixtures/batch/ticket.yaml",
            "--format",
            "jsonl",
            "--fail-on",
            "never",
        ])
        .assert()
        .code(0)
        .stdout(
            predicate::str::contains(r#""id":"Y-1""#)
                .and(predicate::str::contains("not-defensive")),
        );
}

#[test]
fn each_conversation_of_a_yaml_list_is_reported_at_its_own_line() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("list.yaml");
    std::fs::write(
        &path,
        "# two tickets\n- id: first\n  events:\n    - {from: agent, text: \"Hello\"}\n\n- id: second\n  events:\n    - from: agent\n      text: 42\n- id: third\n  events: []\n",
    )
    .unwrap();
    let out = tact()
        .args(["check", "--format", "json"])
        .arg(&path)
        .output()
        .unwrap();
    let report = json_of(&out.stdout);
    let shown = path.display();
    let sources: Vec<&str> = report["conversations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["source"].as_str().unwrap())
        .collect();
    assert_eq!(sources, [format!("{shown}:2"), format!("{shown}:10")]);
    assert_eq!(report["errors"][0]["source"], format!("{shown}:6"));
    assert!(report["errors"][0]["message"]
        .as_str()
        .unwrap()
        .contains("`text` must be a string"));
}

#[test]
fn empty_binary_and_missing_files_are_clear_errors() {
    tact()
        .args(["check", "tests/fixtures/batch/empty.json"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("empty.json: empty file"));
    tact()
        .args(["check", "tests/fixtures/batch/junk.jsonl"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("junk.jsonl:1: not UTF-8"));
    tact()
        .args(["check", "tests/fixtures/batch/nope.jsonl"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("nope.jsonl: no such file"));
    tact()
        .args(["check", "tests/fixtures/batch/transcript.txt"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "transcript.txt:4: unknown speaker `Bob`",
        ));
}

#[test]
fn folders_are_walked_for_conversation_files_only() {
    tact()
        .args(["check", "tests/fixtures/walk", "--format", "jsonl"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("\"W-1\"").and(predicate::str::contains("\"b\"")))
        .stdout(predicate::function(|s: &str| s.lines().count() == 2));
}

#[test]
fn human_output_shows_location_excerpt_rule_and_suggestion() {
    let out = tact()
        .args(["check", "examples/complaints.jsonl", "--color", "never"])
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(out).expect("utf-8");
    assert!(text.contains("error[never-say-wrong]: The agent told the customer they were wrong."));
    // The file's line and column (in characters) of "You’re wrong" in the JSONL line.
    let line = std::fs::read_to_string("examples/complaints.jsonl").unwrap();
    let line = line.lines().nth(1).unwrap();
    let column = line[..line.find("You’re wrong").unwrap()].chars().count() + 1;
    assert!(
        text.contains(&format!("examples/complaints.jsonl:2:{column}")),
        "{text}"
    );
    assert!(text.contains("^^^^^^^^^^^^"));
    assert!(text.contains(
        "help: say instead: \"I can see how that happened; let's sort it out together.\""
    ));
    assert!(text.contains("+ Calm down, please. I can see how that happened; let's sort it out together. Our system never charges twice."));
    assert!(!text.contains('\u{1b}'), "no colors when not asked");
    let colored = tact()
        .args(["check", "examples/complaints.jsonl", "--color", "always"])
        .assert()
        .get_output()
        .stdout
        .clone();
    assert!(colored.contains(&0x1b));
}

#[test]
fn a_user_policy_replaces_the_builtin_one() {
    let input = r#"{"id":"c1","channel":"email","events":[{"from":"agent","text":"No worries, it's done."}]}
{"id":"c2","channel":"chat","events":[{"from":"agent","text":"No worries, it's done."}]}"#;
    let out = tact()
        .args([
            "check",
            "-",
            "--policy",
            "tests/fixtures/policies/custom.policy",
            "--format",
            "jsonl",
        ])
        .write_stdin(input)
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(out).expect("utf-8");
    let lines: Vec<Value> = text.lines().map(|l| json_of(l.as_bytes())).collect();
    assert_eq!(lines[0]["violations"][0]["rule"], "no-casual-email");
    assert_eq!(lines[0]["violations"][0]["excerpt"], "No worries");
    assert_eq!(lines[0]["violations"][0]["suggestion"], "You're welcome");
    assert_eq!(lines[1]["violations"].as_array().map(Vec::len), Some(0));
}

#[test]
fn policy_check_reports_every_error_with_file_line_col() {
    let stderr = tact()
        .args(["policy", "check", "tests/fixtures/policies/broken.policy"])
        .assert()
        .code(2)
        .get_output()
        .stderr
        .clone();
    let text = String::from_utf8_lossy(&stderr);
    assert!(
        text.contains("tests/fixtures/policies/broken.policy:5:12"),
        "{text}"
    );
    assert!(
        text.contains("expected `error`, `warning` or `info`"),
        "{text}"
    );
    assert!(text.contains("broken.policy:14:21"), "{text}");
    assert!(text.contains("unknown phrase set `greeting`"), "{text}");
    assert!(text.contains("did you mean `greetings`?"), "{text}");
    assert!(text.contains("the rule id `fine` is used twice"), "{text}");
    assert!(text.contains("bad duration"), "{text}");
    assert!(
        text.contains("no learned reader is called `remedy`"),
        "{text}"
    );
    assert!(text.contains("5 errors in the policy"), "{text}");
    tact()
        .args(["policy", "check", "rules"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("14 rules"));
    tact()
        .args([
            "check",
            "examples/chat.txt",
            "--policy",
            "tests/fixtures/policies/broken.policy",
        ])
        .assert()
        .code(2);
}

#[test]
fn rules_and_explain_describe_the_builtin_policy() {
    let out = tact()
        .args(["rules"])
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(out).expect("utf-8");
    for id in [
        "first-contact",
        "apology-before-solution",
        "never-say-wrong",
        "two-options",
        "follow-up",
        "no-excuses",
        "no-take-it-or-leave-it",
        "not-defensive",
        "say-what-you-can",
        "acknowledge-first",
        "listen-first",
        "confirm-agreement",
        "no-quick-fix",
        "document-resolution",
    ] {
        assert!(text.contains(id), "{id} missing from `tact rules`");
    }
    tact()
        .args(["explain", "never-say-wrong"])
        .assert()
        .code(0)
        .stdout(
            predicate::str::contains("000_9c46ea7b999bb0a6.txt")
                .and(predicate::str::contains("Suggested phrasing"))
                .and(predicate::str::contains(
                    "weight 10; critical: a failure sets the conversation's score to 0",
                )),
        );
    tact()
        .args(["explain", "never-say-wrnog"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("did you mean `never-say-wrong`?"));
}

#[test]
fn bad_flags_and_wrong_inputs_exit_2() {
    tact()
        .args(["check", "--format", "xml", "examples"])
        .assert()
        .code(2);
    tact()
        .args(["check", "--input", "macros", "examples/complaints.jsonl"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("not a macro library"));
}

#[test]
fn policy_test_runs_the_builtin_examples() {
    let out = tact()
        .args(["policy", "test"])
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8_lossy(&out);
    let last = text.lines().last().unwrap_or("");
    assert!(last.ends_with("passed, 0 failed"), "{text}");
    assert!(
        !text.contains("have no examples"),
        "every built-in rule carries examples: {text}"
    );
    let count: usize = last
        .split(' ')
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);
    assert!(count >= 28, "at least two examples a rule: {text}");
}

#[test]
fn policy_test_reports_each_failing_example() {
    let out = tact()
        .args([
            "policy",
            "test",
            "tests/fixtures/policies/examples.policy",
            "--color",
            "never",
        ])
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8_lossy(&out);
    assert!(
        text.contains("FAIL tests/fixtures/policies/examples.policy:7:3 no-casual"),
        "{text}"
    );
    assert!(text.contains("  | agent: Happy to help."), "{text}");
    assert!(
        text.contains("expected: the rule to fire\n  but: it did not fire"),
        "{text}"
    );
    assert!(
        text.contains("FAIL tests/fixtures/policies/examples.policy:9:3"),
        "{text}"
    );
    assert!(text.contains("but: it fired on \"No problemo\""), "{text}");
    assert!(
        text.contains("FAIL tests/fixtures/policies/examples.policy:10:3"),
        "{text}"
    );
    assert!(
        text.contains("cannot be read: line 1: `at` is `") && text.contains("not an RFC 3339 time"),
        "{text}"
    );
    assert!(text.contains("5 examples: 2 passed, 3 failed"), "{text}");
}

#[test]
fn explain_shows_the_examples() {
    tact()
        .args(["explain", "never-say-wrong"])
        .assert()
        .code(0)
        .stdout(
            predicate::str::contains("Fires on:")
                .and(predicate::str::contains("Does not fire on:"))
                .and(predicate::str::contains("agent: I don't believe you.")),
        );
}

#[test]
fn policy_fmt_checks_rewrites_atomically_and_is_idempotent() {
    tact()
        .args(["policy", "fmt", "--check", "rules"])
        .assert()
        .code(0);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("team.policy");
    let messy = "# ours\nPHRASES casual: \"no worries\" # keep me\nrule   no-casual:\n    SEVERITY error\n  forbid agent says casual\n";
    std::fs::write(&file, messy).unwrap();
    let path = file.to_str().unwrap();
    tact()
        .args(["policy", "fmt", "--check", path])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("would reformat"));
    assert_eq!(
        std::fs::read_to_string(&file).unwrap(),
        messy,
        "--check writes nothing"
    );
    tact().args(["policy", "fmt", path]).assert().code(0);
    let formatted = std::fs::read_to_string(&file).unwrap();
    assert_eq!(
        formatted,
        "# ours\nphrases casual\n  \"no worries\"  # keep me\n\nrule no-casual\n  severity error\n  forbid   agent says casual\n"
    );
    tact()
        .args(["policy", "fmt", "--check", path])
        .assert()
        .code(0);
    tact()
        .args(["policy", "fmt", path])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("0 changed"));
    let leftovers = std::fs::read_dir(dir.path()).unwrap().count();
    assert_eq!(leftovers, 1, "no temporary file is left behind");
    tact()
        .args(["policy", "fmt", "tests/fixtures/policies/broken.policy"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("broken.policy:5:12"));
}

/// 1,300 conversations are three batches, checked while the next is read: the reports come out
/// in input order whatever the number of threads, and a malformed record in the second batch
/// is named by its line while every other record is still checked.
#[test]
fn output_is_the_same_whatever_the_number_of_threads() {
    let examples = std::fs::read_to_string("examples/complaints.jsonl").unwrap();
    let records: Vec<&str> = examples.lines().collect();
    let mut input = String::new();
    for i in 0..1300 {
        if i == 700 {
            input.push_str("{\"id\": \"broken\", \"events\": [}\n");
        }
        let record = records[i % records.len()];
        input.push_str(&record.replacen("\"id\": \"T-", &format!("\"id\": \"{i}-T-"), 1));
        input.push('\n');
    }
    let run = |threads: &str| {
        let out = tact()
            .env("RAYON_NUM_THREADS", threads)
            .args(["check", "-", "--format", "jsonl"])
            .write_stdin(input.clone())
            .assert()
            .code(2)
            .get_output()
            .clone();
        (
            out.stdout,
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let (one, errors) = run("1");
    let ids = report_ids(&one);
    assert_eq!(ids.len(), 1300);
    for (i, id) in ids.iter().enumerate() {
        assert!(id.starts_with(&format!("{i}-T-")), "report {i} is {id}");
    }
    assert!(errors.contains("<stdin>:701: bad JSON"), "{errors}");
    assert_eq!((one.clone(), errors.clone()), run("2"));
    assert_eq!((one, errors), run("3"));
}

#[test]
fn invisible_or_fullwidth_characters_do_not_hide_a_violation() {
    let texts = [
        "You\u{FF07}re wrong, we never charge twice.",
        "You're wr\u{00AD}ong, we never charge twice.",
        "You're\u{200B} wrong, we never charge twice.",
    ];
    let input: String = texts
        .iter()
        .enumerate()
        .map(|(i, t)| {
            serde_json::json!({"id": format!("c{i}"), "events": [
                {"from": "customer", "text": "I was charged twice!"},
                {"from": "agent", "text": t}]})
            .to_string()
                + "\n"
        })
        .collect();
    let out = tact()
        .args(["check", "--format", "jsonl", "-"])
        .write_stdin(input)
        .output()
        .unwrap();
    let lines: Vec<Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), texts.len());
    for (report, text) in lines.iter().zip(texts) {
        let wrong: Vec<&Value> = report["violations"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|v| v["rule"] == "never-say-wrong")
            .collect();
        assert_eq!(wrong.len(), 1, "{text:?}: {report}");
        // The excerpt is the original text, invisible characters and all.
        let excerpt = wrong[0]["excerpt"].as_str().unwrap();
        assert!(text.starts_with(excerpt), "{excerpt:?} in {text:?}");
        assert!(
            excerpt.ends_with("ong") && excerpt.len() > 10,
            "{excerpt:?}"
        );
    }
}

/// The 1-based character column where `words` start on 1-based `line` of `text`.
fn column_of(text: &str, line: usize, words: &str) -> usize {
    let l = text.lines().nth(line - 1).unwrap();
    l[..l.find(words).unwrap()].chars().count() + 1
}

#[test]
fn violations_in_conversations_point_at_the_words_in_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let jsonl = concat!(
        r#"{"id":"j","events":[{"from":"customer","text":"I was charged twice!"},"#,
        r#"{"from":"agent","text":"\u201cNo.\u201d Well, you’re wrong."}]}"#
    );
    let yaml = "- id: y\n  events:\n    - from: customer\n      text: \"I was charged twice!\"\n    - from: agent\n      text: |\n        Thanks for writing.\n        Well, you're wrong about that.\n";
    let transcript =
        "Customer: I was charged twice!\n[2024-01-01T10:00:00Z] Agent: Well, you're wrong.\n";
    let pretty = "[\n  {\n    \"id\": \"p\",\n    \"events\": [\n      {\"from\": \"customer\", \"text\": \"I was charged twice!\"},\n      {\"from\": \"agent\", \"text\": \"Well, you're wrong.\"}\n    ]\n  }\n]\n";
    for (name, text, line, words) in [
        ("c.jsonl", jsonl, 1, "you’re wrong"),
        ("c.yaml", yaml, 8, "you're wrong"),
        ("c.txt", transcript, 2, "you're wrong"),
        ("c.json", pretty, 6, "you're wrong"),
    ] {
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        let out = tact()
            .args(["check", "--format", "json", "--fail-on", "never"])
            .arg(&path)
            .output()
            .unwrap();
        let report = json_of(&out.stdout);
        let wrong = report["conversations"][0]["violations"]
            .as_array()
            .unwrap_or_else(|| panic!("{name}: {report}"))
            .iter()
            .find(|v| v["rule"] == "never-say-wrong")
            .unwrap_or_else(|| panic!("{name}: {report}"))
            .clone();
        let column = column_of(text, line, words);
        let at = &wrong["location"];
        assert_eq!(
            (at["line"].as_u64(), at["column"].as_u64()),
            (Some(line as u64), Some(column as u64)),
            "{name}: {at}"
        );
        assert_eq!(
            at["end_column"].as_u64(),
            Some((column + words.chars().count()) as u64),
            "{name}: {at}"
        );
    }
}
