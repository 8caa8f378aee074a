//! The cache of compiled policy data in the user's cache folder: a run that reads it reports
//! what a run that wrote it did, a damaged file is compiled around, `--no-cache` and
//! `TACT_NO_CACHE` write nothing, and another policy gets another file. The built-in policy's
//! data are built into tact: it writes nothing there.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test fails loudly on what it did not expect"
)]

use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;

/// `tact check` of the examples as JSONL, with `cache` as `XDG_CACHE_HOME`.
fn check(cache: &Path, extra: &[&str]) -> Vec<u8> {
    let mut cmd = Command::cargo_bin("tact").expect("binary builds");
    cmd.current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("XDG_CACHE_HOME", cache)
        .env_remove("TACT_NO_CACHE")
        .args([
            "check",
            "examples",
            "--format",
            "jsonl",
            "--fail-on",
            "never",
        ])
        .args(["--no-config"])
        .args(extra);
    let output = cmd.output().expect("tact runs");
    assert!(output.status.success(), "{output:?}");
    assert!(output.stderr.is_empty(), "{output:?}");
    output.stdout
}

/// A policy of one rule, over a phrase set with a regex: `/{regex}/`.
fn policy_with(regex: &str) -> String {
    format!(
        "phrases blame\n  /{regex}/,\n  \"your fault\"\n\n\
         rule no-blame\n  title \"Do not blame the customer\"\n  severity warning\n  \
         message \"Blaming the customer.\"\n  forbid agent says blame\n"
    )
}

/// The files of the cache, sorted.
fn cached(cache: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = fs::read_dir(cache.join("tact"))
        .map(|entries| entries.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    files.sort();
    files
}

/// The report without any cache, to compare with.
fn uncached(extra: &[&str]) -> Vec<u8> {
    let none = tempfile::tempdir().unwrap();
    let mut args = vec!["--no-cache"];
    args.extend(extra);
    let report = check(none.path(), &args);
    assert!(cached(none.path()).is_empty());
    report
}

#[test]
fn cold_and_warm_runs_report_the_same() {
    let folder = tempfile::tempdir().unwrap();
    let policy = folder.path().join("mine.policy");
    fs::write(&policy, policy_with(r"\byou (must|should) have \w+ed\b")).unwrap();
    let user = ["--policy", policy.to_str().unwrap()];
    for policy in [&[][..], &user[..]] {
        let expected = uncached(policy);
        let cache = tempfile::tempdir().unwrap();
        assert_eq!(check(cache.path(), policy), expected, "cold, {policy:?}");
        let files = cached(cache.path());
        // The built-in policy's data (and the cues' any policy uses) are built into tact.
        assert_eq!(
            files.is_empty(),
            policy.is_empty(),
            "{files:?} for {policy:?}"
        );
        let written: Vec<Vec<u8>> = files.iter().map(|f| fs::read(f).unwrap()).collect();
        assert_eq!(check(cache.path(), policy), expected, "warm, {policy:?}");
        let again: Vec<Vec<u8>> = cached(cache.path())
            .iter()
            .map(|f| fs::read(f).unwrap())
            .collect();
        assert_eq!(again, written, "a warm run rewrote the cache");
    }
}

#[test]
fn a_damaged_cache_file_is_compiled_around() {
    let folder = tempfile::tempdir().unwrap();
    let policy = folder.path().join("mine.policy");
    fs::write(&policy, policy_with(r"\byou (must|should) have \w+ed\b")).unwrap();
    let user = ["--policy", policy.to_str().unwrap()];
    let expected = uncached(&user);
    let cache = tempfile::tempdir().unwrap();
    check(cache.path(), &user);
    let files = cached(cache.path());
    assert!(!files.is_empty());
    let damages: [fn(&mut Vec<u8>); 4] = [
        |bytes| bytes.truncate(bytes.len() / 2),
        |bytes| {
            let middle = bytes.len() / 2;
            bytes[middle] ^= 1;
        },
        |bytes| bytes.clear(),
        |bytes| bytes.extend(vec![0xff; 1 << 20]),
    ];
    for damage in damages {
        for file in &files {
            let mut bytes = fs::read(file).unwrap();
            damage(&mut bytes);
            fs::write(file, bytes).unwrap();
        }
        assert_eq!(check(cache.path(), &user), expected);
    }
    // A folder where a file should be, or a cache folder that is a file: compiled all the same.
    for file in &files {
        fs::remove_file(file).unwrap();
        fs::create_dir(file).unwrap();
    }
    assert_eq!(check(cache.path(), &user), expected);
    let blocked = tempfile::tempdir().unwrap();
    fs::write(blocked.path().join("tact"), "not a folder").unwrap();
    assert_eq!(check(blocked.path(), &user), expected);
}

#[test]
fn no_cache_and_the_environment_variable_write_nothing() {
    // A policy of the user's own: the built-in policy writes nothing in any case.
    let folder = tempfile::tempdir().unwrap();
    let policy = folder.path().join("mine.policy");
    fs::write(&policy, policy_with(r"\byou (must|should) have \w+ed\b")).unwrap();
    let user = ["--policy", policy.to_str().unwrap()];
    let cache = tempfile::tempdir().unwrap();
    check(cache.path(), &[&user[..], &["--no-cache"]].concat());
    assert!(cached(cache.path()).is_empty());
    let mut cmd = Command::cargo_bin("tact").expect("binary builds");
    cmd.current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("XDG_CACHE_HOME", cache.path())
        .env("TACT_NO_CACHE", "1")
        .args(["check", "examples", "--no-config", "--fail-on", "never"])
        .args(user)
        .assert()
        .success();
    assert!(cached(cache.path()).is_empty());
    // The same run with the cache on writes there: the two above had something to write.
    check(cache.path(), &user);
    assert!(!cached(cache.path()).is_empty());
}

#[test]
fn another_policy_text_is_another_cache_file() {
    let cache = tempfile::tempdir().unwrap();
    let folder = tempfile::tempdir().unwrap();
    let policy = folder.path().join("mine.policy");
    let user = ["--policy", policy.to_str().unwrap()];
    fs::write(&policy, policy_with(r"\byou (must|should) have \w+ed\b")).unwrap();
    check(cache.path(), &user);
    let first = cached(cache.path());
    assert!(!first.is_empty());
    check(cache.path(), &user);
    assert_eq!(
        cached(cache.path()),
        first,
        "the same policy, the same files"
    );
    fs::write(&policy, policy_with(r"\byou (must|should) have \w+en\b")).unwrap();
    let expected = uncached(&user);
    assert_eq!(check(cache.path(), &user), expected);
    let second = cached(cache.path());
    let added: Vec<String> = second
        .iter()
        .filter(|f| !first.contains(f))
        .map(|f| f.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    // The policy regex's literals, automata and stand-ins; the cues' are built in.
    assert_eq!(added.len(), 3, "{first:?} then {second:?}");
    assert!(
        added.iter().any(|f| f.starts_with("literals-")),
        "{added:?}"
    );
    assert!(
        added.iter().any(|f| f.starts_with("automata-")),
        "{added:?}"
    );
    assert!(
        added.iter().any(|f| f.starts_with("stand-ins-")),
        "{added:?}"
    );
}
