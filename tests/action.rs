//! The GitHub Action (`action.yml`): its steps' scripts, run with bash as the runner would run
//! them (the `GITHUB_*` and `RUNNER_*` files and variables stand in a temporary folder). The
//! install step downloads with `curl`; here a stand-in `curl` serves a release laid out as
//! `.github/workflows/release.yml` lays it out, so the checksum check is exercised offline.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::print_stdout,
    reason = "a test fails loudly on what it did not expect"
)]

mod support;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

const MANIFEST: &str = env!("CARGO_MANIFEST_DIR");

/// The `run:` script and `env:` of the action's step named `name`.
fn step(name: &str) -> (String, BTreeMap<String, String>) {
    let text = std::fs::read_to_string(Path::new(MANIFEST).join("action.yml")).unwrap();
    let action: Value = serde_saphyr::from_str(&text).unwrap();
    assert_eq!(action["runs"]["using"], "composite");
    let step = action["runs"]["steps"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == name)
        .unwrap_or_else(|| panic!("no step {name}"));
    assert_eq!(step["shell"], "bash");
    let env = step["env"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(k, v)| (k.clone(), v.as_str().unwrap().to_string()))
        .collect();
    (step["run"].as_str().unwrap().to_string(), env)
}

fn has(program: &str) -> bool {
    Command::new(program)
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

/// A runner's folder: `RUNNER_TEMP`, the workspace, and the files steps write to.
struct Runner {
    dir: tempfile::TempDir,
}

impl Runner {
    fn new() -> Runner {
        let dir = tempfile::tempdir().unwrap();
        for sub in ["temp", "workspace", "fakebin"] {
            std::fs::create_dir_all(dir.path().join(sub)).unwrap();
        }
        Runner { dir }
    }

    fn path(&self, sub: &str) -> PathBuf {
        self.dir.path().join(sub)
    }

    /// Runs `script` as GitHub runs a `shell: bash` step (`bash --noprofile --norc -eo
    /// pipefail`) in the workspace, with `env` (values as the runner expands them) and `PATH`
    /// starting with `path_first`.
    fn run(&self, script: &str, env: &[(&str, &str)], path_first: &[PathBuf]) -> Output {
        let path = std::env::join_paths(path_first.iter().cloned().chain(std::env::split_paths(
            &std::env::var_os("PATH").unwrap_or_default(),
        )))
        .unwrap();
        Command::new("bash")
            .args(["--noprofile", "--norc", "-eo", "pipefail", "-c", script])
            .current_dir(self.path("workspace"))
            .env("PATH", path)
            .env("RUNNER_TEMP", self.path("temp"))
            .env("GITHUB_OUTPUT", self.path("output"))
            .env("GITHUB_PATH", self.path("path"))
            .env("GITHUB_ACTION_PATH", MANIFEST)
            .envs(env.iter().copied())
            .output()
            .unwrap()
    }

    fn file(&self, name: &str) -> String {
        std::fs::read_to_string(self.path(name)).unwrap_or_default()
    }
}

fn tact_dir() -> PathBuf {
    Path::new(env!("CARGO_BIN_EXE_tact"))
        .parent()
        .unwrap()
        .to_path_buf()
}

#[test]
fn the_check_step_writes_sarif_and_annotations_and_keeps_the_exit_code() {
    if !has("bash") {
        println!("SKIPPED: no bash");
        return;
    }
    let (script, env) = step("tact check");
    assert_eq!(env["TACT_ARGS"], "${{ inputs.args }}");
    let runner = Runner::new();
    let workspace = runner.path("workspace");
    std::fs::create_dir_all(workspace.join(".git")).unwrap();
    std::fs::create_dir_all(workspace.join("macros")).unwrap();
    std::fs::copy(
        Path::new(MANIFEST).join("examples/macros/library.yaml"),
        workspace.join("macros/library.yaml"),
    )
    .unwrap();
    // `*` must reach tact as written, not be globbed by the shell.
    let out = runner.run(
        &script,
        &[
            ("TACT_ARGS", "macros  --fail-on error"),
            ("TACT_SARIF", "out/tact.sarif"),
            ("TACT_ANNOTATIONS", "true"),
        ],
        &[tact_dir()],
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.contains("::error file=macros/library.yaml,line=16,col=5"),
        "{stdout}"
    );
    let outputs = runner.file("output");
    assert!(outputs.contains("exit-code=1\n"), "{outputs}");
    assert!(outputs.contains("sarif-file=out/tact.sarif\n"), "{outputs}");
    let sarif: Value =
        serde_json::from_slice(&std::fs::read(workspace.join("out/tact.sarif")).unwrap()).unwrap();
    assert!(support::sarif_problems(&sarif).is_empty());
    let uri = &sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"]
        ["artifactLocation"]["uri"];
    assert_eq!(uri, "macros/library.yaml");
    // A pattern in the arguments is passed on, not expanded: no file is named `*`.
    let out = runner.run(
        &script,
        &[
            ("TACT_ARGS", "macros/*"),
            ("TACT_SARIF", "glob.sarif"),
            ("TACT_ANNOTATIONS", "false"),
        ],
        &[tact_dir()],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("macros/*"));
}

/// A release as `release.yml` publishes it, served by a stand-in `curl`.
fn fake_release(runner: &Runner, tamper: bool) -> PathBuf {
    let target = "x86_64-unknown-linux-musl";
    let release = runner.path("release/v9.9.9");
    let staged = runner.path(&format!("stage/tact-{target}"));
    std::fs::create_dir_all(&release).unwrap();
    std::fs::create_dir_all(&staged).unwrap();
    std::fs::copy(env!("CARGO_BIN_EXE_tact"), staged.join("tact")).unwrap();
    let archive = format!("tact-{target}.tar.gz");
    let status = Command::new("tar")
        .args(["-czf"])
        .arg(release.join(&archive))
        .arg("-C")
        .arg(runner.path("stage"))
        .arg(format!("tact-{target}"))
        .status()
        .unwrap();
    assert!(status.success());
    let sum = Command::new("sha256sum")
        .arg(&archive)
        .current_dir(&release)
        .output()
        .unwrap();
    let mut sum = String::from_utf8(sum.stdout).unwrap();
    if tamper {
        sum = format!("{}{}", "0".repeat(64), &sum[64..]);
    }
    std::fs::write(release.join(format!("{archive}.sha256")), sum).unwrap();
    // `curl -fsSL --retry 3 -o FILE URL`: copies the URL's last two segments from the release.
    let curl = runner.path("fakebin/curl");
    std::fs::write(
        &curl,
        format!(
            "#!/bin/bash\nset -e\nout=\"$5\"; url=\"$6\"\ncase \"$url\" in https://github.com/owner/tact/releases/download/v9.9.9/*) ;; *) echo \"unexpected $url\" >&2; exit 22 ;; esac\ncp \"{}/${{url##*/}}\" \"$out\"\n",
            release.display()
        ),
    )
    .unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&curl, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    runner.path("fakebin")
}

fn install_env(version: &str) -> Vec<(&str, &str)> {
    vec![
        ("TACT_VERSION", version),
        ("TACT_BUILD", "false"),
        ("ACTION_REF", "main"),
        ("ACTION_REPOSITORY", "owner/tact"),
        ("RUNNER_OS_NAME", "Linux"),
        ("RUNNER_ARCH_NAME", "X64"),
    ]
}

#[test]
fn the_install_step_installs_a_release_whose_checksum_matches() {
    if !(cfg!(target_os = "linux") && has("bash") && has("tar") && has("sha256sum")) {
        println!("SKIPPED: needs Linux with bash, tar and sha256sum");
        return;
    }
    let (script, _) = step("install tact");
    let runner = Runner::new();
    let fakebin = fake_release(&runner, false);
    let out = runner.run(&script, &install_env("v9.9.9"), &[fakebin]);
    let shown = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success(), "{shown}");
    assert!(shown.contains("built-in policy:"), "{shown}");
    let bin = runner.path("temp/tact-action/bin");
    assert_eq!(runner.file("path").trim(), bin.to_str().unwrap());
    assert!(bin.join("tact").is_file());
}

#[test]
fn the_install_step_refuses_a_release_whose_checksum_differs() {
    if !(cfg!(target_os = "linux") && has("bash") && has("tar") && has("sha256sum")) {
        println!("SKIPPED: needs Linux with bash, tar and sha256sum");
        return;
    }
    let (script, _) = step("install tact");
    let runner = Runner::new();
    let fakebin = fake_release(&runner, true);
    let out = runner.run(&script, &install_env("v9.9.9"), &[fakebin]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("FAILED"));
    assert!(!runner.path("temp/tact-action/bin/tact").exists());
    // A runner with no release gets told to build instead.
    let mut env = install_env("v9.9.9");
    env[5] = ("RUNNER_ARCH_NAME", "ARM");
    let out = runner.run(&script, &env, &[]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("set build: true"));
}
