//! Hostile inputs cost bounded memory: endless or binary streams are refused early, and a
//! record over the size limit is reported at file:line while the rest of the batch is checked.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test fails loudly on what it did not expect"
)]

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

fn tact() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_tact"));
    cmd.arg("--color").arg("never");
    cmd
}

fn record(id: &str, text: &str) -> String {
    json!({"id": id, "events": [{"from": "agent", "text": text}]}).to_string()
}

/// Runs a command to its end, or kills it after `limit` and fails: a reader that follows an
/// endless stream would never end.
fn run_within(mut cmd: Command, limit: Duration) -> std::process::Output {
    let mut child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let start = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if start.elapsed() > limit {
            child.kill().unwrap();
            panic!("still reading after {limit:?}: the read is not bounded");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    child.wait_with_output().unwrap()
}

#[test]
fn endless_binary_stdin_is_refused_at_once() {
    let mut cmd = tact();
    cmd.args(["check", "-"])
        .stdin(std::fs::File::open("/dev/zero").unwrap());
    let out = run_within(cmd, Duration::from_secs(60));
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("<stdin>: binary data, not text"),
        "{stderr}"
    );
}

#[test]
fn an_endless_line_on_stdin_is_skipped_as_too_large() {
    // `{` and no newline, forever: one record over any limit.
    let mut cmd = tact();
    cmd.args(["check", "-", "--max-record-size", "64KiB"])
        .stdin(Stdio::piped());
    let mut child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || {
        use std::io::Write;
        let chunk = vec![b'{'; 1 << 16];
        // 256 MiB, then a good record: enough to show the long line is not kept.
        for _ in 0..4096 {
            if stdin.write_all(&chunk).is_err() {
                return;
            }
        }
        let _ = stdin.write_all(format!("\n{}\n", record("after", "Thanks!")).as_bytes());
    });
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("<stdin>:1: record too large: 268435456 bytes, over the limit of 64 KiB"),
        "{stderr}"
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("checked 1 conversation"), "{stdout}");
}

#[test]
fn a_record_over_the_limit_is_an_input_error_and_the_rest_is_checked() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("batch.jsonl");
    let lines = [
        record("first", "Thanks for waiting."),
        record("huge", &"word ".repeat(2000)),
        record("third", "Thanks for waiting."),
    ];
    std::fs::write(&path, lines.join("\n")).unwrap();
    let out = tact()
        .args(["check", "--format", "json", "--max-record-size", "4KB"])
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "an unread record is trouble");
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let ids: Vec<&str> = report["conversations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["first", "third"]);
    let error = &report["errors"][0];
    assert_eq!(error["source"], format!("{}:2", path.display()));
    let expected = format!(
        "record too large: {} bytes, over the limit of 4000 bytes",
        lines[1].len()
    );
    assert!(
        error["message"].as_str().unwrap().starts_with(&expected),
        "{error}"
    );
}

#[test]
fn the_limit_applies_to_each_record_of_a_json_list_and_comes_from_tact_yaml() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("tact.yaml"), "max_record_size: 2KiB\n").unwrap();
    let list = format!(
        "[\n{},\n{}\n]\n",
        record("small", "Thanks for waiting."),
        record("large", &"word ".repeat(1000))
    );
    std::fs::write(dir.path().join("list.json"), list).unwrap();
    let out = tact()
        .current_dir(dir.path())
        .args(["check", "list.json"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("list.json:3: record too large") && stderr.contains("2 KiB"),
        "{stderr}"
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("checked 1 conversation"));
    std::fs::write(dir.path().join("tact.yaml"), "max_record_size: lots\n").unwrap();
    let out = tact()
        .current_dir(dir.path())
        .args(["check", "list.json"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("`max_record_size`: `lots` is not a size"),
        "{stderr}"
    );
}

#[test]
fn a_bad_size_on_the_command_line_is_a_usage_error() {
    let out = tact()
        .args(["check", "--max-record-size", "12 parsecs", "-"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown unit"));
}
