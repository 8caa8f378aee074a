//! Output that hostile input cannot subvert, and output that behaves on pipes and terminals:
//! every string escaped for its format (GitHub workflow commands, XML, the terminal), unreadable
//! records reported in every CI format, SARIF streamed, a closed pipe a quiet exit 0, and the
//! progress spinner kept off a terminal that shows the report.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::print_stderr,
    reason = "a test fails loudly on what it did not expect"
)]

mod support;

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use serde_json::Value;

/// Text that would inject a workflow command, clear the screen, retitle the terminal and break
/// XML, were it passed through.
const PAYLOAD: &str =
    "50%\r\n::error file=evil.txt::pwned \u{1b}[2J\u{1b}]0;title\u{7} \u{9b}31m \u{0}end";

/// A file name with a workflow command's separators, an escape sequence and a line break.
const HOSTILE_NAME: &str = "a,b:c%d\u{1b}[31m\n::warning::x.jsonl";

fn tact() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_tact"));
    cmd.current_dir(env!("CARGO_MANIFEST_DIR"));
    cmd
}

/// Two files: `hostile.jsonl` (a violating conversation with the payload in its id and text, and
/// a record whose `at` is the payload) and one with a hostile name (a violating conversation and
/// a line of bad JSON). Four results and two unreadable records in all.
fn hostile_inputs() -> (tempfile::TempDir, Vec<PathBuf>) {
    let dir = tempfile::tempdir().unwrap();
    let conversation = serde_json::json!({
        "id": format!("evil-{PAYLOAD}"),
        "events": [
            {"from": "customer", "text": "Where is my parcel?"},
            {"from": "agent", "text": format!("You're wrong. {PAYLOAD}")},
        ],
    });
    let bad_time = serde_json::json!({
        "id": "bad-at",
        "events": [{"from": "agent", "at": PAYLOAD, "text": "Hello"}],
    });
    let hostile = dir.path().join("hostile.jsonl");
    std::fs::write(&hostile, format!("{conversation}\n{bad_time}\n")).unwrap();
    let named = dir.path().join(HOSTILE_NAME);
    std::fs::write(
        &named,
        format!(
            "{}{{\"id\": \"broken\", \"events\": [\n",
            support::violating_batch(1)
        ),
    )
    .unwrap();
    (dir, vec![hostile, named])
}

fn run_on(args: &[&str], paths: &[PathBuf]) -> (String, String) {
    let out = tact().args(args).args(paths).output().unwrap();
    assert_eq!(out.status.code(), Some(2), "unreadable records exit 2");
    (
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

#[test]
fn github_annotations_escape_every_input_string() {
    let (_dir, paths) = hostile_inputs();
    let (stdout, _) = run_on(&["check", "--format", "github"], &paths);
    let lines: Vec<&str> = stdout.split('\n').filter(|l| !l.is_empty()).collect();
    // Two violations and two unreadable records: one command each, none injected.
    assert_eq!(lines.len(), 4, "{stdout}");
    for line in &lines {
        let rest = ["::error ", "::warning ", "::notice "]
            .iter()
            .find_map(|c| line.strip_prefix(c))
            .unwrap_or_else(|| panic!("not a workflow command: {line:?}"));
        let (properties, message) = rest.split_once("::").unwrap();
        for property in properties.split(',') {
            let (key, value) = property.split_once('=').unwrap();
            assert!(
                ["file", "line", "col", "endLine", "endColumn", "title"].contains(&key),
                "{line:?}"
            );
            assert!(!value.contains(':'), "{line:?}");
        }
        assert!(!message.contains('\r'), "{line:?}");
    }
    let errors: Vec<&&str> = lines.iter().filter(|l| l.contains("RFC 3339")).collect();
    assert_eq!(errors.len(), 1, "{stdout}");
    assert!(errors[0].contains("50%25%0D%0A::error file=evil.txt::pwned"));
    assert!(lines
        .iter()
        .any(|l| l.starts_with("::error file=") && l.contains("a%2Cb%3Ac%25d")));
}

/// Whether XML 1.0 allows the character at all (escaped or not).
fn xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

#[test]
fn junit_is_well_formed_xml_and_reports_unreadable_records() {
    let (_dir, paths) = hostile_inputs();
    let (xml, _) = run_on(&["check", "--format", "junit"], &paths);
    let bad: Vec<char> = xml.chars().filter(|c| !xml_char(*c)).collect();
    assert!(bad.is_empty(), "not allowed in XML 1.0: {bad:?}");
    let mut reader = quick_xml::Reader::from_str(&xml);
    let (mut cases, mut errors, mut suite_errors) = (0, Vec::new(), None);
    loop {
        match reader.read_event().unwrap() {
            quick_xml::events::Event::Start(e) | quick_xml::events::Event::Empty(e) => {
                let attribute = |name: &[u8]| {
                    e.try_get_attribute(name)
                        .unwrap()
                        .map(|a| String::from_utf8_lossy(&a.value).into_owned())
                };
                match e.name().as_ref() {
                    b"testsuite" => suite_errors = attribute(b"errors"),
                    b"testcase" => cases += 1,
                    b"error" => errors.push(attribute(b"message").unwrap()),
                    _ => {}
                }
            }
            quick_xml::events::Event::Eof => break,
            _ => {}
        }
    }
    // Two conversations, and a testcase with an error for each unreadable record.
    assert_eq!(cases, 4, "{xml}");
    assert_eq!(suite_errors.as_deref(), Some("2"), "{xml}");
    assert_eq!(errors.len(), 2, "{xml}");
    assert!(
        errors.iter().any(|m| m.contains("hostile.jsonl:2: ")),
        "{errors:?}"
    );
}

#[test]
fn sarif_reports_unreadable_records_as_notifications() {
    let (_dir, paths) = hostile_inputs();
    let (stdout, _) = run_on(&["check", "--format", "sarif"], &paths);
    let sarif: Value = serde_json::from_str(&stdout).unwrap();
    let problems = support::sarif_problems(&sarif);
    assert!(problems.is_empty(), "{problems:#?}");
    let run = &sarif["runs"][0];
    assert_eq!(run["results"].as_array().unwrap().len(), 2);
    let invocation = &run["invocations"][0];
    assert_eq!(invocation["executionSuccessful"], false);
    let notes = invocation["toolExecutionNotifications"].as_array().unwrap();
    assert_eq!(notes.len(), 2, "{notes:#?}");
    for note in notes {
        assert_eq!(note["level"], "error");
        let at = &note["locations"][0]["physicalLocation"];
        assert!(at["artifactLocation"]["uri"].is_string(), "{note:#}");
        assert!(at["region"]["startLine"].as_u64().unwrap() >= 1, "{note:#}");
    }
    assert!(notes
        .iter()
        .any(|n| n["message"]["text"].as_str().unwrap().contains("::pwned")));
}

#[test]
fn sarif_of_a_clean_run_says_it_succeeded() {
    let out = tact()
        .args(["check", "--format", "sarif", "examples/macros/library.yaml"])
        .output()
        .unwrap();
    let sarif: Value = serde_json::from_slice(&out.stdout).unwrap();
    let problems = support::sarif_problems(&sarif);
    assert!(problems.is_empty(), "{problems:#?}");
    let invocation = &sarif["runs"][0]["invocations"][0];
    assert_eq!(invocation["executionSuccessful"], true);
    assert!(invocation.get("toolExecutionNotifications").is_none());
}

/// What the payload must never reach a terminal as: escape sequences and control characters.
fn assert_no_raw_controls(text: &str) {
    let raw: Vec<char> = text
        .chars()
        .filter(|c| (c.is_control() && !matches!(c, '\n' | '\t')) || *c == '\u{9b}')
        .collect();
    assert!(raw.is_empty(), "raw control characters {raw:?} in {text}");
}

#[test]
fn human_output_shows_control_characters_as_visible_escapes() {
    let (_dir, paths) = hostile_inputs();
    let (stdout, stderr) = run_on(&["--color", "never", "check"], &paths);
    assert_no_raw_controls(&stdout);
    assert_no_raw_controls(&stderr);
    // In the conversation, its id and in the file name; in the input errors too.
    assert!(stdout.contains("\\u{1b}[2J"), "{stdout}");
    assert!(
        stdout.contains("a,b:c%d\\u{1b}[31m\\n::warning::x.jsonl"),
        "{stdout}"
    );
    assert!(stderr.contains("\\r\\n::error file=evil.txt"), "{stderr}");
    // With colors, tact's own sequences only.
    let (stdout, stderr) = run_on(&["--color", "always", "check"], &paths);
    for text in [&stdout, &stderr] {
        assert!(!text.contains("\u{1b}[2J") && !text.contains("\u{1b}]0;"));
        assert!(!text.contains('\u{9b}') && !text.contains('\u{7}') && !text.contains('\0'));
    }
}

#[test]
fn crlf_line_endings_stay_line_endings() {
    let dir = tempfile::tempdir().unwrap();
    let library = dir.path().join("library.yaml");
    std::fs::write(
        &library,
        "- id: crlf\r\n  title: CRLF\r\n  body: \"Hello. You're wrong, sorry.\"\r\n",
    )
    .unwrap();
    let out = tact()
        .args(["--color", "never", "check", "--input", "macros"])
        .arg(&library)
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(stdout.contains("never-say-wrong"), "{stdout}");
    assert!(!stdout.contains("\\r"), "{stdout}");
}

#[test]
fn policy_diagnostics_name_their_label() {
    let out = tact()
        .args([
            "--color",
            "never",
            "policy",
            "check",
            "tests/fixtures/policies/broken.policy",
        ])
        .output()
        .unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(!stderr.contains("{word}"), "{stderr}");
    assert!(stderr.starts_with("error[P001]: "), "{stderr}");
}

/// A SARIF result reaches stdout while the input is still coming: nothing is held per result,
/// so memory does not grow with the number of results.
#[test]
fn sarif_results_are_written_as_they_come() {
    let mut child = tact()
        .args(["check", "--format", "sarif", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let (seen, first_result) = mpsc::channel();
    let reader = std::thread::spawn(move || {
        let mut all = Vec::new();
        let mut chunk = [0u8; 65536];
        let mut told = false;
        loop {
            let n = stdout.read(&mut chunk).unwrap();
            if n == 0 {
                return all;
            }
            all.extend_from_slice(&chunk[..n]);
            if !told && String::from_utf8_lossy(&all).contains("\"ruleId\"") {
                told = true;
                let _ = seen.send(());
            }
        }
    });
    // Eight batches' worth, then the input stays open until a result has been seen.
    let n = 4096;
    stdin
        .write_all(support::violating_batch(n).as_bytes())
        .unwrap();
    stdin.flush().unwrap();
    let streamed = first_result.recv_timeout(Duration::from_secs(300)).is_ok();
    drop(stdin);
    child.wait().unwrap();
    let all = reader.join().unwrap();
    assert!(
        streamed,
        "no result was written before the input ended: results are held in memory"
    );
    let sarif: Value = serde_json::from_slice(&all).unwrap();
    assert_eq!(sarif["runs"][0]["results"].as_array().unwrap().len(), n);
}

/// The SARIF writer puts each result out before `add` returns and keeps nothing of it: counted in
/// results written, not in time or memory.
#[test]
fn the_sarif_writer_holds_no_result_back() {
    use tact::place::place_conversation;
    use tact::render::ci::SarifWriter;
    use tact::report::Subject;

    let engine = tact::builtin_engine().unwrap();
    let mut conversations = Vec::new();
    let batch = support::violating_batch(1);
    tact::input::read_bytes(
        "batch.jsonl",
        "batch",
        None,
        batch.as_bytes(),
        &Default::default(),
        &mut |r| {
            conversations.push(r.unwrap());
        },
    );
    let conversation = &conversations[0];
    let mut report = engine.check(conversation);
    place_conversation(conversation, &mut report);
    assert_eq!(report.violations.len(), 1);
    let mut out = Vec::new();
    let mut writer = SarifWriter::start(&mut out, engine.rules()).unwrap();
    for written in 1..=10_000 {
        let before = out.len();
        writer
            .add(&mut out, &Subject::conversation(conversation), &report)
            .unwrap();
        let result = String::from_utf8_lossy(&out[before..]).into_owned();
        assert!(
            result.contains("\"ruleId\":\"never-say-wrong\""),
            "result {written} not written by the time add returned"
        );
    }
    writer.finish(&mut out, &[]).unwrap();
    let sarif: Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(
        sarif["runs"][0]["results"].as_array().unwrap().len(),
        10_000
    );
}

/// A batch whose every report overflows a pipe's buffer.
fn big_batch() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.jsonl");
    std::fs::write(&path, support::violating_batch(2000)).unwrap();
    (dir, path)
}

#[test]
fn a_closed_pipe_is_a_quiet_exit_0() {
    let (_dir, big) = big_batch();
    let big = big.to_str().unwrap();
    let mut runs: Vec<Vec<&str>> = Vec::new();
    for format in ["human", "json", "jsonl", "sarif", "junit", "github"] {
        runs.push(vec!["check", "--format", format, big]);
    }
    for format in ["human", "csv", "json", "html"] {
        runs.push(vec!["score", "--format", format, big]);
    }
    runs.push(vec!["rules"]);
    runs.push(vec!["explain", "never-say-wrong"]);
    for args in runs {
        let mut child = tact()
            .args(&args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        drop(child.stdout.take());
        let out = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(0), "{args:?}: {stderr}");
        assert!(stderr.is_empty(), "{args:?}: {stderr}");
    }
}

/// Runs a shell command on a pseudo-terminal (util-linux `script`) and returns what the
/// terminal showed.
fn on_a_terminal(command: &str) -> String {
    let out = Command::new("script")
        .args(["-qec", command, "/dev/null"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdin(Stdio::null())
        .output()
        .unwrap();
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn script_available() -> bool {
    Path::new("/usr/bin/script").exists() || Path::new("/bin/script").exists()
}

#[test]
fn the_spinner_stays_off_a_terminal_showing_the_report() {
    if !script_available() {
        eprintln!("SKIPPED: util-linux `script` is needed for a pseudo-terminal");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let big = dir.path().join("big.jsonl");
    std::fs::write(&big, support::violating_batch(6000)).unwrap();
    let tact = env!("CARGO_BIN_EXE_tact");
    let report = on_a_terminal(&format!("{tact} check --format jsonl '{}'", big.display()));
    assert!(report.contains("\"id\":\"c-5999\""), "{report}");
    assert!(!report.contains("conversations checked"), "{report}");
    // With the report going elsewhere, the terminal shows the progress.
    let progress = on_a_terminal(&format!(
        "{tact} check --format jsonl '{}' > '{}'",
        big.display(),
        dir.path().join("out.jsonl").display()
    ));
    assert!(progress.contains("conversations checked"), "{progress}");
    // Scorecards written to a file (`-o`) leave the terminal to the progress line.
    let scored = on_a_terminal(&format!(
        "{tact} score --format csv -o '{}' '{}'",
        dir.path().join("scores.csv").display(),
        big.display()
    ));
    assert!(scored.contains("conversations checked"), "{scored}");
}
