//! What tact says about its inputs: each message names what was found and what to do, and
//! nothing wrong (an empty folder) is not called an error.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test fails loudly on what it did not expect"
)]

use std::process::Command;

use serde_json::json;

fn tact() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_tact"));
    cmd.arg("--color").arg("never").env_remove("NO_COLOR");
    cmd
}

fn conversation(id: &str, at: &str) -> String {
    json!({"id": id, "events": [{"from": "customer", "at": at, "text": "Where is my order?"}]})
        .to_string()
}

#[test]
fn an_empty_folder_is_nothing_to_check_not_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let out = tact().arg("check").arg(dir.path()).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("note: nothing to check in"), "{stderr}");
    assert!(!stderr.contains("error"), "{stderr}");
}

#[test]
fn a_missing_file_is_an_input_error_not_an_unread_record() {
    let out = tact()
        .args(["check", "no/such/file.jsonl"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("error: no/such/file.jsonl: no such file or folder"),
        "{stderr}"
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("; 1 input error"), "{stdout}");
    assert!(!stdout.contains("record"), "{stdout}");
}

#[test]
fn a_bad_time_says_what_was_found_and_shows_one_that_works() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("c.jsonl");
    std::fs::write(&path, conversation("late", "March 5th, 2pm")).unwrap();
    let out = tact().arg("check").arg(&path).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("`at` is `March 5th, 2pm`, not an RFC 3339 time"),
        "{stderr}"
    );
    assert!(stderr.contains("e.g. `2024-03-05T14:30:00Z`"), "{stderr}");
}

#[cfg(unix)]
#[test]
fn a_fifo_is_read_as_a_stream() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("pipe");
    let made = Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(made.success());
    let writer = {
        let fifo = fifo.clone();
        std::thread::spawn(move || {
            let line = conversation("from-a-fifo", "2024-03-05T14:30:00Z");
            std::fs::write(&fifo, format!("{line}\n")).unwrap();
        })
    };
    let out = tact()
        .args(["check", "--format", "jsonl"])
        .arg(&fifo)
        .output()
        .unwrap();
    writer.join().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("\"id\":\"from-a-fifo\""), "{stdout}");
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn force_exclude_applies_exclude_to_files_named_on_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("drafts")).unwrap();
    std::fs::write(dir.path().join("tact.yaml"), "exclude: [\"drafts/**\"]\n").unwrap();
    std::fs::write(
        dir.path().join("drafts/c.jsonl"),
        conversation("draft", "2024-03-05T14:30:00Z"),
    )
    .unwrap();
    let named = |force: bool| {
        let mut cmd = tact();
        cmd.current_dir(dir.path())
            .args(["check", "--format", "jsonl", "drafts/c.jsonl"]);
        if force {
            cmd.arg("--force-exclude");
        }
        String::from_utf8(cmd.output().unwrap().stdout).unwrap()
    };
    assert!(
        named(false).contains("\"id\":\"draft\""),
        "named files are read"
    );
    assert!(named(true).is_empty(), "--force-exclude skips them");
}
