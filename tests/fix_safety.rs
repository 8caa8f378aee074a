//! `--fix` never loses or damages data: a file it cannot write is reported and the rest are
//! fixed; symlinks, modes and owners are kept; an interrupted run leaves no temporary files.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test fails loudly on what it did not expect"
)]

use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, Instant};

use assert_cmd::Command;
use serde_json::Value;

const NEEDS_FIX: &str = "# Escalation\n\nCalm down. I have passed your case to our team.\n";
const FIXED: &str =
    "# Escalation\n\nI understand how frustrating this is. I have passed your case to our team.\n";

fn tact() -> Command {
    let mut cmd = Command::cargo_bin("tact").expect("binary builds");
    cmd.current_dir(env!("CARGO_MANIFEST_DIR"));
    cmd
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap()
}

fn temp_files(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".tact-"))
        .collect()
}

#[cfg(unix)]
fn set_mode(path: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

#[cfg(unix)]
fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o7777
}

#[cfg(unix)]
#[test]
fn a_file_that_cannot_be_written_is_reported_and_the_rest_are_fixed() {
    let dir = tempfile::tempdir().unwrap();
    let locked = dir.path().join("a-locked.md");
    let open = dir.path().join("b-open.md");
    std::fs::write(&locked, NEEDS_FIX).unwrap();
    std::fs::write(&open, NEEDS_FIX).unwrap();
    set_mode(&locked, 0o444);
    let out = tact()
        .args(["check", "--fix", "--format", "json"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains("a-locked.md") && stderr.contains("read-only"),
        "{stderr}"
    );
    // The locked file is as it was, with its mode; the other one is fixed.
    assert_eq!(read(&locked), NEEDS_FIX);
    assert_eq!(mode(&locked), 0o444);
    assert_eq!(read(&open), FIXED);
    // The JSON report is whole, and names the file that was not written.
    let report: Value = serde_json::from_slice(&out.stdout).expect("complete JSON");
    let errors = report["errors"].to_string();
    assert!(
        errors.contains("a-locked.md") && errors.contains("read-only"),
        "{report}"
    );
    let ids: Vec<&str> = report["conversations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["a-locked", "b-open"]);
    assert!(temp_files(dir.path()).is_empty());
}

#[cfg(unix)]
#[test]
fn a_symlink_is_written_through_and_mode_is_kept() {
    let dir = tempfile::tempdir().unwrap();
    let real_dir = dir.path().join("shared");
    std::fs::create_dir(&real_dir).unwrap();
    let real = real_dir.join("escalation.md");
    std::fs::write(&real, NEEDS_FIX).unwrap();
    set_mode(&real, 0o640);
    let link_dir = dir.path().join("project");
    std::fs::create_dir(&link_dir).unwrap();
    let link = link_dir.join("escalation.md");
    std::os::unix::fs::symlink("../shared/escalation.md", &link).unwrap();

    tact().args(["check", "--fix"]).arg(&link).assert().code(0);
    assert!(
        std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink(),
        "the link is still a link"
    );
    assert_eq!(read(&real), FIXED);
    assert_eq!(mode(&real), 0o640);
    assert!(temp_files(&link_dir).is_empty() && temp_files(&real_dir).is_empty());
}

#[cfg(unix)]
#[test]
fn a_dangling_symlink_is_refused_clearly() {
    let dir = tempfile::tempdir().unwrap();
    let link = dir.path().join("gone.md");
    std::os::unix::fs::symlink("nowhere.md", &link).unwrap();
    let out = tact().args(["check", "--fix"]).arg(&link).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(std::fs::symlink_metadata(&link)
        .unwrap()
        .file_type()
        .is_symlink());
    assert!(!dir.path().join("nowhere.md").exists());
}

/// Run as root, `--fix` gives the new file the owner and group of the old one.
#[cfg(unix)]
#[test]
fn the_owner_is_kept_when_run_as_root() {
    use std::os::unix::fs::MetadataExt;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("escalation.md");
    std::fs::write(&file, NEEDS_FIX).unwrap();
    let me = std::fs::metadata(&file).unwrap();
    if me.uid() != 0 {
        // Only root can give a file away; as anyone else, the file is already the runner's.
        return;
    }
    std::os::unix::fs::chown(&file, Some(4321), Some(4322)).unwrap();
    tact().args(["check", "--fix"]).arg(&file).assert().code(0);
    assert_eq!(read(&file), FIXED);
    let after = std::fs::metadata(&file).unwrap();
    assert_eq!((after.uid(), after.gid()), (4321, 4322));
}

#[test]
fn a_file_changed_after_it_was_read_is_not_overwritten() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("lib.yaml");
    std::fs::write(&file, "original").unwrap();
    let mut writer = tact::atomic::AtomicFile::create(&file)
        .unwrap()
        .unless_changed_from(b"original");
    std::io::Write::write_all(&mut writer, b"fixed").unwrap();
    // Someone saves the file meanwhile.
    std::fs::write(&file, "their edit").unwrap();
    let err = writer.commit().unwrap_err();
    assert!(err.to_string().contains("changed"), "{err}");
    assert_eq!(read(&file), "their edit");
    assert!(temp_files(dir.path()).is_empty());
    // Unchanged, it is replaced.
    tact::atomic::replace_unless_changed(&file, b"their edit", b"fixed").unwrap();
    assert_eq!(read(&file), "fixed");
}

#[test]
fn stale_temporary_files_are_swept_and_no_others() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("escalation.md");
    std::fs::write(&file, NEEDS_FIX).unwrap();
    // A run killed with -9 (pid 4194304 is above Linux's pid_max, so never running).
    let stale = dir.path().join(".tact-4194304-Ab12Cd.tmp");
    std::fs::write(&stale, "half a file").unwrap();
    // A live run's file (this test's own pid), and files that are not tact's.
    let live = dir
        .path()
        .join(format!(".tact-{}-Zz9Yy8.tmp", std::process::id()));
    std::fs::write(&live, "in progress").unwrap();
    let notes = dir.path().join(".tact-notes.txt");
    std::fs::write(&notes, "mine").unwrap();
    let young_legacy = dir.path().join(".tact-Qw3Er5");
    std::fs::write(&young_legacy, "recent").unwrap();

    tact()
        .args(["check", "--fix"])
        .arg(&file)
        .assert()
        .code(0)
        .stderr(predicates::str::contains("removed 1 temporary file"));
    assert!(!stale.exists());
    assert!(live.exists() && notes.exists() && young_legacy.exists());
    assert_eq!(read(&file), FIXED);
}

/// Ctrl-C (or SIGTERM) in the middle of `--fix` exits 130 (143) and leaves no temporary file;
/// every file reads as before or as fixed, never half of either.
#[cfg(unix)]
#[test]
fn an_interrupted_fix_leaves_no_temporary_files() {
    const FILES: usize = 2000;
    let body = NEEDS_FIX.repeat(200);
    // What an uninterrupted run makes of one file.
    let reference = tempfile::tempdir().unwrap();
    let one = reference.path().join("one.md");
    std::fs::write(&one, &body).unwrap();
    tact().args(["check", "--fix"]).arg(&one).output().unwrap();
    let fixed = read(&one);
    assert_ne!(fixed, body);
    for (signal, code) in [("-INT", 130), ("-TERM", 143)] {
        let dir = tempfile::tempdir().unwrap();
        // Enough files that the run cannot finish between the first write and the signal, even
        // now that checking is fast.
        for i in 0..FILES {
            std::fs::write(dir.path().join(format!("m{i:04}.md")), &body).unwrap();
        }
        let bin = assert_cmd::cargo::cargo_bin("tact");
        let mut child = std::process::Command::new(bin)
            .args(["check", "--fix", "--format", "jsonl"])
            .arg(dir.path())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        // Wait until it is writing files, then interrupt it.
        let first = dir.path().join("m0000.md");
        let start = Instant::now();
        while read(&first) == body && start.elapsed() < Duration::from_secs(120) {
            std::thread::sleep(Duration::from_millis(5));
        }
        let killed = std::process::Command::new("kill")
            .arg(signal)
            .arg(child.id().to_string())
            .status()
            .unwrap();
        assert!(killed.success());
        let status = child.wait().unwrap();
        assert_eq!(status.code(), Some(code), "{signal}: {status:?}");
        assert_eq!(temp_files(dir.path()), Vec::<String>::new(), "{signal}");
        for i in 0..FILES {
            let now = read(&dir.path().join(format!("m{i:04}.md")));
            assert!(now == body || now == fixed, "m{i:04}.md is damaged");
        }
    }
}

/// The baseline file is written the same way: through its symlink, keeping its mode.
#[cfg(unix)]
#[test]
fn the_baseline_is_written_through_its_symlink() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("escalation.md");
    std::fs::write(&file, NEEDS_FIX).unwrap();
    let real = dir.path().join("baseline-real.json");
    std::fs::write(&real, "{}").unwrap();
    set_mode(&real, 0o600);
    let link = dir.path().join("baseline.json");
    std::os::unix::fs::symlink("baseline-real.json", &link).unwrap();
    tact()
        .args(["check", "--update-baseline", "--baseline"])
        .arg(&link)
        .arg(&file)
        .assert()
        .code(0);
    assert!(std::fs::symlink_metadata(&link)
        .unwrap()
        .file_type()
        .is_symlink());
    assert!(read(&real).contains("escalation"), "{}", read(&real));
    assert_eq!(mode(&real), 0o600);
}
