//! The hooks of `.pre-commit-hooks.yaml`, run by pre-commit itself (`pre-commit try-repo`) on a
//! fixture repository, with the `tact` under test on the PATH.
//!
//! pre-commit comes from PyPI: `.ci/run` installs it in a virtualenv and sets
//! `TACT_PRE_COMMIT` to it and `TACT_REQUIRE_PRE_COMMIT=1`, so in CI this test cannot be skipped.
//! Elsewhere, without pre-commit on the PATH, it prints `SKIPPED`. The `-system` hooks are run;
//! the cargo-built ones (`language: rust`) are checked to be the same hooks otherwise (building
//! tact inside pre-commit takes minutes: README.md gives the figure).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::print_stdout,
    reason = "a test fails loudly on what it did not expect"
)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

const MANIFEST: &str = env!("CARGO_MANIFEST_DIR");

/// pre-commit, from `TACT_PRE_COMMIT` or the PATH; `None` (after saying so) when it is not
/// there and not required.
fn pre_commit() -> Option<PathBuf> {
    let program = std::env::var_os("TACT_PRE_COMMIT")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("pre-commit"));
    let found = Command::new(&program)
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if found {
        return Some(program);
    }
    assert!(
        std::env::var_os("TACT_REQUIRE_PRE_COMMIT").is_none(),
        "TACT_REQUIRE_PRE_COMMIT is set but pre-commit ({}) does not run",
        program.display()
    );
    println!("SKIPPED: pre-commit is not installed (pip install pre-commit)");
    None
}

fn git(dir: &Path, args: &[&str]) {
    let out = Command::new("git")
        .args([
            "-c",
            "user.name=tact",
            "-c",
            "user.email=tact@example.invalid",
        ])
        .args([
            "-c",
            "commit.gpgsign=false",
            "-c",
            "init.defaultBranch=main",
        ])
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap();
    assert!(out.status.success(), "git {args:?}: {out:?}");
}

/// A git repository holding only the hook definitions, committed (try-repo clones it).
fn hooks_repository(top: &Path) -> PathBuf {
    let repo = top.join("hooks");
    std::fs::create_dir_all(&repo).unwrap();
    std::fs::copy(
        Path::new(MANIFEST).join(".pre-commit-hooks.yaml"),
        repo.join(".pre-commit-hooks.yaml"),
    )
    .unwrap();
    git(&repo, &["init", "-q"]);
    git(&repo, &["add", "."]);
    git(&repo, &["commit", "-q", "-m", "hooks"]);
    repo
}

/// A support team's repository: a macro library with findings, a clean one, and a policy.
fn project(top: &Path) -> PathBuf {
    let repo = top.join("project");
    std::fs::create_dir_all(repo.join("macros")).unwrap();
    std::fs::create_dir_all(repo.join("policies")).unwrap();
    std::fs::copy(
        Path::new(MANIFEST).join("examples/macros/library.yaml"),
        repo.join("macros/library.yaml"),
    )
    .unwrap();
    std::fs::write(
        repo.join("macros/clean.yaml"),
        "- id: thanks\n  title: Thanks\n  body: \"Thanks for getting in touch.\"\n",
    )
    .unwrap();
    for file in ["phrases.policy", "complaints.policy"] {
        std::fs::copy(
            Path::new(MANIFEST).join("rules").join(file),
            repo.join("policies").join(file),
        )
        .unwrap();
    }
    git(&repo, &["init", "-q"]);
    git(&repo, &["add", "."]);
    repo
}

/// `pre-commit try-repo HOOKS HOOK --all-files` in the project, with this tact on the PATH.
fn try_hook(pre_commit: &Path, top: &Path, hooks: &Path, project: &Path, hook: &str) -> Output {
    let bin = Path::new(env!("CARGO_BIN_EXE_tact")).parent().unwrap();
    let path = std::env::join_paths(std::iter::once(bin.to_path_buf()).chain(
        std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default()),
    ))
    .unwrap();
    Command::new(pre_commit)
        .args(["try-repo", hooks.to_str().unwrap(), hook, "--all-files"])
        .current_dir(project)
        .env("PATH", path)
        .env("PRE_COMMIT_HOME", top.join("cache"))
        .env("NO_COLOR", "1")
        .env_remove("GIT_DIR")
        .env_remove("GIT_INDEX_FILE")
        .output()
        .unwrap()
}

fn shown(out: &Output) -> String {
    format!(
        "exit {:?}\n{}{}",
        out.status.code(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

#[test]
fn the_check_hook_fails_on_findings_and_passes_clean_macros() {
    let Some(pre_commit) = pre_commit() else {
        return;
    };
    let top = tempfile::tempdir().unwrap();
    let hooks = hooks_repository(top.path());
    let project = project(top.path());
    let out = try_hook(&pre_commit, top.path(), &hooks, &project, "tact-system");
    let text = shown(&out);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(text.contains("error[never-say-wrong]"), "{text}");
    assert!(text.contains("macros/library.yaml:16:5"), "{text}");
    assert!(!text.contains("clean.yaml:"), "{text}");
    git(&project, &["rm", "-q", "-f", "macros/library.yaml"]);
    let out = try_hook(&pre_commit, top.path(), &hooks, &project, "tact-system");
    assert_eq!(out.status.code(), Some(0), "{}", shown(&out));
}

#[test]
fn the_policy_hooks_check_and_format_policy_files() {
    let Some(pre_commit) = pre_commit() else {
        return;
    };
    let top = tempfile::tempdir().unwrap();
    let hooks = hooks_repository(top.path());
    let project = project(top.path());
    for hook in ["tact-policy-check-system", "tact-policy-fmt-system"] {
        let out = try_hook(&pre_commit, top.path(), &hooks, &project, hook);
        assert_eq!(out.status.code(), Some(0), "{hook}: {}", shown(&out));
    }
    // A rule naming a phrase set that does not exist, laid out by hand.
    let policy = project.join("policies/complaints.policy");
    let mut text = std::fs::read_to_string(&policy).unwrap();
    text.push_str(
        "\nrule   broken\n  severity warning\n  message \"x\"\n  forbid agent says no-such-set\n",
    );
    std::fs::write(&policy, text).unwrap();
    git(&project, &["add", "."]);
    let out = try_hook(
        &pre_commit,
        top.path(),
        &hooks,
        &project,
        "tact-policy-check-system",
    );
    let text = shown(&out);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(text.contains("policies/complaints.policy:"), "{text}");
    assert!(text.contains("no-such-set"), "{text}");
    let out = try_hook(
        &pre_commit,
        top.path(),
        &hooks,
        &project,
        "tact-policy-fmt-system",
    );
    assert_eq!(out.status.code(), Some(1), "{}", shown(&out));
}

/// Every hook comes twice, built by cargo and from the PATH, and the two differ only in that.
#[test]
fn each_hook_is_offered_built_and_from_the_path_alike() {
    let text = std::fs::read_to_string(Path::new(MANIFEST).join(".pre-commit-hooks.yaml")).unwrap();
    let hooks: Vec<BTreeMap<String, Value>> = serde_saphyr::from_str(&text).unwrap();
    let by_id: BTreeMap<&str, &BTreeMap<String, Value>> = hooks
        .iter()
        .map(|h| (h["id"].as_str().unwrap(), h))
        .collect();
    let built: Vec<&str> = by_id
        .keys()
        .copied()
        .filter(|id| !id.ends_with("-system"))
        .collect();
    assert_eq!(built, ["tact", "tact-policy-check", "tact-policy-fmt"]);
    for id in built {
        let rust = by_id[id];
        let system = by_id[format!("{id}-system").as_str()];
        assert_eq!(rust["language"], "rust");
        assert_eq!(system["language"], "system");
        for key in [
            "entry",
            "args",
            "files",
            "types_or",
            "pass_filenames",
            "name",
        ] {
            assert_eq!(rust.get(key), system.get(key), "{id}: {key}");
        }
        assert!(rust["entry"].as_str().unwrap().starts_with("tact "));
    }
}
