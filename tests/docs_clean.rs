//! The docs users read carry no leftovers of a merge: a conflict marker in the README once
//! shipped two versions of its command list side by side.

#![allow(
    clippy::unwrap_used,
    reason = "a test fails loudly on what it did not expect"
)]

use std::path::Path;

/// The Markdown files of the repository's own docs.
fn docs() -> Vec<std::path::PathBuf> {
    let mut files = vec![
        "README.md".into(),
        "BENCHMARKS.md".into(),
        "eval/README.md".into(),
    ];
    for entry in std::fs::read_dir("docs").unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "md") {
            files.push(path);
        }
    }
    files
}

#[test]
fn no_doc_holds_a_merge_conflict_marker() {
    let mut found = Vec::new();
    for file in docs() {
        let text = std::fs::read_to_string(Path::new(&file)).unwrap();
        for (n, line) in text.lines().enumerate() {
            if ["<<<<<<< ", ">>>>>>> "].iter().any(|m| line.starts_with(m)) || line == "=======" {
                found.push(format!("{}:{}: {line}", file.display(), n + 1));
            }
        }
    }
    assert!(
        found.is_empty(),
        "merge conflict markers:\n{}",
        found.join("\n")
    );
}
