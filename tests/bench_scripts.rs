//! The benchmark scripts stay runnable and the frozen floor stays fair, without running the
//! benchmarks (too slow for CI): the scripts parse, `bench/peers.sh --dry-run` names every
//! contender, and `bench/floor-patterns.txt` holds only patterns ripgrep can run as the floor.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests")]

use std::process::Command;

fn bash(args: &[&str]) -> std::process::Output {
    Command::new("bash")
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("bash runs")
}

#[test]
fn every_bench_script_parses() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("bench");
    let mut scripts = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "sh") {
            let out = bash(&["-n", path.to_str().unwrap()]);
            assert!(
                out.status.success(),
                "{}: {}",
                path.display(),
                String::from_utf8_lossy(&out.stderr)
            );
            scripts += 1;
        }
    }
    assert!(scripts >= 4, "found {scripts} scripts");
}

#[test]
fn peers_dry_run_names_every_contender_on_the_same_text() {
    let out = bash(&["bench/peers.sh", "--dry-run"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let with = |needle: &str| lines.iter().filter(|l| l.contains(needle)).count();
    assert_eq!(
        with("rg --no-config --count-matches -i -f bench/floor-patterns.txt"),
        1,
        "{text}"
    );
    assert_eq!(with("proselint check"), 1, "{text}");
    assert_eq!(with("textlint --config"), 1, "{text}");
    assert_eq!(with("tact check"), 4, "{text}");
    assert_eq!(with("--policy"), 1, "{text}");
    assert_eq!(with("tact score") + with("--format html"), 2, "{text}");
    // ripgrep, proselint, textlint and tact (one rule, whole policy) read the same file.
    assert_eq!(with("support-5MB.txt"), 5, "{text}");
}

#[test]
fn floor_patterns_are_ascii_bounded_regexes_ripgrep_can_run() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("bench/floor-patterns.txt");
    let text = std::fs::read_to_string(path).unwrap();
    let mut patterns = 0;
    for line in text.lines() {
        // An empty line would match everywhere; a comment would be searched for as text.
        assert!(
            !line.trim().is_empty() && !line.starts_with('#'),
            "{line:?}"
        );
        regex::RegexBuilder::new(line)
            .case_insensitive(true)
            .build()
            .unwrap_or_else(|e| panic!("{line}: {e}"));
        // Unicode \b and \w make ripgrep slow on non-ASCII text: the floor uses ASCII ones.
        let bare = line.replace("(?-u:\\b)", "").replace("(?-u:\\w)", "");
        assert!(!bare.contains("\\b") && !bare.contains("\\w"), "{line}");
        patterns += 1;
    }
    assert!(patterns > 100, "{patterns}");
}
