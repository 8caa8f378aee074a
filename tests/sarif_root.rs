//! SARIF for code scanning: files are named from the repository's root (`%SRCROOT%`, given in
//! `originalUriBaseIds` as an absolute URI), whatever folder tact runs in, and the log is valid
//! against the SARIF 2.1.0 schema kept in `tests/fixtures/sarif/`.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test fails loudly on what it did not expect"
)]

mod support;

use std::path::Path;
use std::process::Command;

use serde_json::Value;

const LIBRARY: &str = "- id: wrong\n  body: \"You're wrong, we never charge twice.\"\n";

/// A repository (`.git` at its top) with a macro library two folders down, and one file
/// outside it.
fn repository() -> tempfile::TempDir {
    let top = tempfile::tempdir().unwrap();
    let repo = top.path().join("repo");
    std::fs::create_dir_all(repo.join(".git")).unwrap();
    std::fs::create_dir_all(repo.join("support/macros")).unwrap();
    std::fs::write(repo.join("support/macros/refund macros.yaml"), LIBRARY).unwrap();
    std::fs::write(repo.join("top.yaml"), LIBRARY).unwrap();
    std::fs::write(top.path().join("outside.yaml"), LIBRARY).unwrap();
    top
}

fn sarif_in(dir: &Path, paths: &[&str]) -> Value {
    let out = Command::new(env!("CARGO_BIN_EXE_tact"))
        .args(["check", "--format", "sarif"])
        .args(paths)
        .current_dir(dir)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn artifacts(sarif: &Value) -> Vec<(String, Option<String>)> {
    sarif["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let a = &r["locations"][0]["physicalLocation"]["artifactLocation"];
            (
                a["uri"].as_str().unwrap().to_string(),
                a["uriBaseId"].as_str().map(str::to_string),
            )
        })
        .collect()
}

#[test]
fn uris_are_relative_to_the_repository_root_from_any_folder() {
    let top = repository();
    let repo = top.path().join("repo").canonicalize().unwrap();
    let root_uri = format!("file://{}/", repo.display());
    let wanted = [
        "support/macros/refund%20macros.yaml".to_string(),
        "top.yaml".to_string(),
    ];
    for (folder, paths) in [
        (repo.clone(), ["support/macros", "top.yaml"]),
        (repo.join("support"), ["macros", "../top.yaml"]),
        (repo.join("support/macros"), [".", "../../top.yaml"]),
    ] {
        let sarif = sarif_in(&folder, &paths);
        let problems = support::sarif_problems(&sarif);
        assert!(problems.is_empty(), "{problems:#?}");
        assert_eq!(
            sarif["runs"][0]["originalUriBaseIds"]["%SRCROOT%"]["uri"],
            root_uri.as_str(),
            "from {}",
            folder.display()
        );
        let mut uris: Vec<String> = artifacts(&sarif)
            .into_iter()
            .map(|(uri, base)| {
                assert_eq!(base.as_deref(), Some("%SRCROOT%"), "{uri}");
                uri
            })
            .collect();
        uris.dedup();
        assert_eq!(uris, wanted, "from {}", folder.display());
    }
}

#[test]
fn a_file_outside_the_repository_keeps_an_absolute_uri() {
    let top = repository();
    let repo = top.path().join("repo").canonicalize().unwrap();
    let sarif = sarif_in(&repo, &["../outside.yaml"]);
    assert!(support::sarif_problems(&sarif).is_empty());
    let outside = repo.parent().unwrap().join("outside.yaml");
    assert_eq!(
        artifacts(&sarif),
        [(format!("file://{}", outside.display()), None)]
    );
}

#[test]
fn without_a_repository_the_current_folder_is_the_root() {
    let top = repository();
    let plain = top.path().canonicalize().unwrap();
    let sarif = sarif_in(&plain, &["outside.yaml"]);
    assert_eq!(
        sarif["runs"][0]["originalUriBaseIds"]["%SRCROOT%"]["uri"],
        format!("file://{}/", plain.display()).as_str()
    );
    assert_eq!(
        artifacts(&sarif),
        [("outside.yaml".to_string(), Some("%SRCROOT%".to_string()))]
    );
}
