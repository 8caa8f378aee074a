//! The conventions ruff and ripgrep users expect of `tact check` (`--stdin-filename`, `-q`,
//! `-o`, `--statistics`, `--show-settings`, `--version`), and what tact gives the shell
//! (`completions`, `man`). What users see is snapshotted (`tests/snapshots/conventions__*`).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::print_stdout,
    reason = "a test fails loudly on what it did not expect"
)]

use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

use serde_json::Value;

const CONVERSATIONS: &str = "examples/complaints.jsonl";
const MACROS: &str = "examples/macros/library.yaml";

/// Runs `tact ARGS` in `dir` with `stdin` piped in.
fn tact_in(dir: &Path, args: &[&str], stdin: &[u8]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_tact"))
        .args(args)
        .current_dir(dir)
        .env_remove("NO_COLOR")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(stdin).unwrap();
    child.wait_with_output().unwrap()
}

fn tact(args: &[&str]) -> Output {
    tact_in(Path::new(env!("CARGO_MANIFEST_DIR")), args, b"")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).unwrap()
}

/// What a run did, for a snapshot (the version and the built-in policy's digest redacted: they
/// change with every release and every edit of `rules/`).
fn described(args: &[&str], out: &Output) -> String {
    let digest = tact::dsl::fingerprint::fingerprint(&tact::dsl::builtin_sources());
    let shown = |b: &[u8]| {
        text(b)
            .replace(env!("CARGO_PKG_VERSION"), "[version]")
            .replace(&digest, "sha256:[digest]")
    };
    format!(
        "$ tact {}\nexit: {}\n--- stdout\n{}\n--- stderr\n{}",
        args.join(" "),
        out.status.code().unwrap_or(-1),
        shown(&out.stdout),
        shown(&out.stderr)
    )
}

fn manifest_file(path: &str) -> Vec<u8> {
    std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join(path)).unwrap()
}

#[test]
fn stdin_filename_names_the_conversations_and_picks_their_format() {
    let out = tact_in(
        Path::new(env!("CARGO_MANIFEST_DIR")),
        &[
            "check",
            "--format",
            "json",
            "--stdin-filename",
            "tickets/today.jsonl",
        ],
        &manifest_file(CONVERSATIONS),
    );
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let sources: Vec<&str> = report["conversations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["source"].as_str().unwrap())
        .collect();
    assert_eq!(
        sources,
        [
            "tickets/today.jsonl:1",
            "tickets/today.jsonl:2",
            "tickets/today.jsonl:3"
        ]
    );
    let paths: Vec<&str> = report["conversations"][1]["violations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["location"]["path"].as_str().unwrap())
        .collect();
    assert!(!paths.is_empty() && paths.iter().all(|p| *p == "tickets/today.jsonl"));
}

#[test]
fn stdin_filename_reads_a_macro_library_as_the_file_would_be_read() {
    let library = manifest_file(MACROS);
    let from_file = tact(&["check", "--format", "sarif", MACROS]);
    let from_stdin = tact_in(
        Path::new(env!("CARGO_MANIFEST_DIR")),
        &[
            "check",
            "--format",
            "sarif",
            "--stdin-filename",
            MACROS,
            "-",
        ],
        &library,
    );
    assert_eq!(from_stdin.status.code(), from_file.status.code());
    assert_eq!(text(&from_stdin.stdout), text(&from_file.stdout));
    assert!(text(&from_stdin.stdout).contains("\"uri\":\"examples/macros/library.yaml\""));
}

#[test]
fn stdin_filename_finds_the_config_from_its_folder_and_force_exclude_applies() {
    let project = tempfile::tempdir().unwrap();
    let dir = project.path();
    std::fs::create_dir_all(dir.join("macros/drafts")).unwrap();
    std::fs::write(
        dir.join("tact.yaml"),
        "exclude: [\"macros/drafts/**\"]\nfail_on: never\n",
    )
    .unwrap();
    let library = manifest_file(MACROS);
    let args = |name: &'static str| {
        [
            "check",
            "--force-exclude",
            "--format",
            "json",
            "--stdin-filename",
            name,
        ]
    };
    // tact.yaml is found from the named file's folder: `fail_on: never` makes the exit 0.
    let kept = tact_in(dir, &args("macros/refunds.yaml"), &library);
    assert_eq!(kept.status.code(), Some(0), "{}", text(&kept.stderr));
    let report: Value = serde_json::from_slice(&kept.stdout).unwrap();
    assert_eq!(report["summary"]["conversations"], 4);
    // An excluded name is skipped, as the file itself would be with --force-exclude.
    let skipped = tact_in(dir, &args("macros/drafts/new.yaml"), &library);
    assert_eq!(skipped.status.code(), Some(0));
    let report: Value = serde_json::from_slice(&skipped.stdout).unwrap();
    assert_eq!(report["summary"]["conversations"], 0);
}

#[test]
fn stdin_filename_cannot_fix_a_file_it_did_not_read() {
    let out = tact(&["check", "--fix", "--stdin-filename", MACROS]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("cannot be used with"));
    let bytes = b"\0\0binary";
    let out = tact_in(
        Path::new(env!("CARGO_MANIFEST_DIR")),
        &["check", "--stdin-filename", "x.json"],
        bytes,
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("x.json: binary data"));
}

#[test]
fn quiet_shows_the_findings_and_nothing_else() {
    let loud = tact(&["--color", "never", "check", MACROS, "--fail-on", "never"]);
    let quiet = tact(&[
        "--color",
        "never",
        "check",
        "-q",
        MACROS,
        "--fail-on",
        "never",
    ]);
    let (loud, quiet) = (text(&loud.stdout), text(&quiet.stdout));
    assert!(loud.contains("\nchecked 4 macros"));
    assert!(!quiet.contains("checked 4 macros"));
    assert_eq!(
        quiet,
        loud[..loud.rfind("checked 4 macros").unwrap()],
        "quiet is the same findings without the summary"
    );
    // A note (suppressions here) is not shown either; an input error still is.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("m.yaml"),
        "- id: a\n  body: \"Calm down, please.\"\n  tact-ignore:\n    not-defensive: \"a test\"\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("bad.jsonl"), "{not json\n").unwrap();
    let loud = tact_in(dir.path(), &["check", "m.yaml", "bad.jsonl"], b"");
    let quiet = tact_in(dir.path(), &["check", "-q", "m.yaml", "bad.jsonl"], b"");
    assert!(text(&loud.stderr).contains("note: 1 finding suppressed"));
    assert!(!text(&quiet.stderr).contains("note:"));
    assert!(text(&quiet.stderr).contains("bad.jsonl:1"));
    assert_eq!(quiet.status.code(), Some(2));
}

#[test]
fn output_writes_the_report_to_a_file_and_nothing_to_stdout() {
    let dir = tempfile::tempdir().unwrap();
    for format in ["human", "sarif", "json"] {
        let target = dir.path().join(format!("report.{format}"));
        let target_arg = target.to_str().unwrap();
        let to_stdout = tact(&["check", "--format", format, CONVERSATIONS, MACROS]);
        let to_file = tact(&[
            "--color",
            "always",
            "check",
            "--format",
            format,
            "-o",
            target_arg,
            CONVERSATIONS,
            MACROS,
        ]);
        assert_eq!(to_file.status.code(), to_stdout.status.code());
        assert!(to_file.stdout.is_empty());
        let written = std::fs::read(&target).unwrap();
        assert!(!written.is_empty());
        // No colors in a file, whatever --color says.
        assert_eq!(text(&written), text(&to_stdout.stdout), "{format}");
    }
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn statistics_count_every_finding_of_the_report() {
    let report = tact(&["check", "--format", "json", CONVERSATIONS, MACROS]);
    let report: Value = serde_json::from_slice(&report.stdout).unwrap();
    let mut expected: BTreeMap<String, u64> = BTreeMap::new();
    for c in report["conversations"].as_array().unwrap() {
        for v in c["violations"].as_array().unwrap() {
            *expected
                .entry(v["rule"].as_str().unwrap().to_string())
                .or_default() += 1;
        }
    }
    let stats = tact(&[
        "check",
        "--statistics",
        "--format",
        "json",
        CONVERSATIONS,
        MACROS,
    ]);
    assert_eq!(stats.status.code(), Some(1));
    let rows: Value = serde_json::from_slice(&stats.stdout).unwrap();
    let rows = rows.as_array().unwrap();
    let counted: BTreeMap<String, u64> = rows
        .iter()
        .map(|r| {
            (
                r["rule"].as_str().unwrap().to_string(),
                r["count"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(counted, expected);
    let counts: Vec<u64> = rows.iter().map(|r| r["count"].as_u64().unwrap()).collect();
    assert!(counts.windows(2).all(|w| w[0] >= w[1]), "most first");
    // The fixable count is what --diff would change: never-say-wrong's replacement in the library.
    let fixable: u64 = rows.iter().map(|r| r["fixable"].as_u64().unwrap()).sum();
    assert!(fixable > 0);
    let other = tact(&["check", "--statistics", "--format", "sarif", MACROS]);
    assert_eq!(other.status.code(), Some(2));
}

#[test]
fn show_settings_names_the_config_and_policy_files_and_checks_nothing() {
    let project = tempfile::tempdir().unwrap();
    let dir = project.path();
    std::fs::create_dir_all(dir.join("policies")).unwrap();
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/output/warnings.policy"),
        dir.join("policies/team.policy"),
    )
    .unwrap();
    std::fs::write(
        dir.join("tact.yaml"),
        "policies: [policies/]\nfail_on: warning\ninput: macros\nbaseline: known.json\n",
    )
    .unwrap();
    let out = tact_in(dir, &["check", "--show-settings"], b"");
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let shown = text(&out.stdout);
    let line = |name: &str| {
        shown
            .lines()
            .find(|l| l.starts_with(name))
            .unwrap_or_else(|| panic!("no {name} in {shown}"))
            .to_string()
    };
    assert!(line("config:").ends_with("tact.yaml"));
    assert!(line("policy:").starts_with("policy:           your own"));
    assert!(line("policy files:").ends_with("team.policy"));
    assert!(line("fail on:").ends_with("warning"));
    assert!(line("input:").ends_with("macros"));
    assert!(line("baseline:").ends_with("known.json"));
    // Flags win over tact.yaml.
    let out = tact_in(
        dir,
        &[
            "check",
            "--show-settings",
            "--fail-on",
            "never",
            "--no-config",
        ],
        b"",
    );
    let shown = text(&out.stdout);
    assert!(shown.contains("fail on:          never"));
    assert!(shown.contains("config:           none (--no-config)"));
    assert!(shown.contains("policy:           built-in, 14 rules, sha256:"));
}

#[test]
fn version_names_the_built_in_policy_by_its_digest() {
    let out = tact(&["--version"]);
    assert_eq!(out.status.code(), Some(0));
    let digest = tact::dsl::fingerprint::fingerprint(&tact::dsl::builtin_sources());
    let shown = text(&out.stdout);
    assert!(shown.starts_with(&format!("tact {}\n", env!("CARGO_PKG_VERSION"))));
    assert!(
        shown.contains(&format!("built-in policy: 14 rules, {digest}")),
        "{shown}"
    );
    // The short form is the version alone, for scripts.
    assert_eq!(
        text(&tact(&["-V"]).stdout),
        format!("tact {}\n", env!("CARGO_PKG_VERSION"))
    );
}

#[test]
fn bash_loads_the_completion_script() {
    if Command::new("bash").arg("--version").output().is_err() {
        println!("SKIPPED: no bash");
        return;
    }
    let script = format!(
        "source <('{}' completions bash) && complete -p tact",
        env!("CARGO_BIN_EXE_tact")
    );
    let out = Command::new("bash")
        .args(["--noprofile", "--norc", "-c", &script])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    let registered = text(&out.stdout);
    assert!(
        registered.starts_with("complete ")
            && registered.contains(" -F _tact ")
            && registered.trim_end().ends_with(" tact"),
        "{registered}"
    );
    // And it completes: `tact ch<TAB>` offers `check`, `tact check --st<TAB>` the new flags.
    let complete = |words: &str| {
        let script = format!(
            "source <('{}' completions bash); COMP_WORDS=({words}); COMP_CWORD=$((${{#COMP_WORDS[@]}} - 1)); COMP_LINE=\"{words}\"; COMP_POINT=${{#COMP_LINE}}; _tact tact \"${{COMP_WORDS[COMP_CWORD]}}\" \"${{COMP_WORDS[COMP_CWORD-1]}}\"; printf '%s\\n' \"${{COMPREPLY[@]}}\"",
            env!("CARGO_BIN_EXE_tact")
        );
        let out = Command::new("bash")
            .args(["--noprofile", "--norc", "-c", &script])
            .output()
            .unwrap();
        text(&out.stdout)
    };
    assert!(complete("tact ch").lines().any(|l| l == "check"));
    let flags = complete("tact check --st");
    assert!(flags.lines().any(|l| l == "--statistics"), "{flags}");
    assert!(flags.lines().any(|l| l == "--stdin-filename"), "{flags}");
}

#[test]
fn every_shell_gets_a_script_naming_the_subcommands() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let out = tact(&["completions", shell]);
        assert_eq!(out.status.code(), Some(0), "{shell}");
        let script = text(&out.stdout);
        for word in ["check", "score", "completions", "stdin-filename"] {
            assert!(script.contains(word), "{shell} lacks {word}");
        }
    }
    assert_eq!(tact(&["completions", "tcsh"]).status.code(), Some(2));
}

#[test]
fn man_pages_come_from_the_flags() {
    let page = text(&tact(&["man"]).stdout);
    assert!(page.starts_with(".ie \\n(.g .ds Aq"), "{}", &page[..80]);
    assert!(page.contains(".TH tact 1"));
    assert!(page.contains("tact\\-check(1)") || page.contains("check"));
    let check = tact(&["man", "check"]);
    assert_eq!(check.status.code(), Some(0));
    let check = text(&check.stdout);
    assert!(check.contains(".TH tact-check 1"), "{check}");
    for flag in ["stdin\\-filename", "statistics", "show\\-settings", "quiet"] {
        assert!(check.contains(flag), "no {flag} in the page");
    }
    let unknown = tact(&["man", "chek"]);
    assert_eq!(unknown.status.code(), Some(2));
    assert!(text(&unknown.stderr).contains("no subcommand `chek`"));
    // Where man(1) is installed, the page renders without warnings.
    let Ok(rendered) = Command::new("sh")
        .args([
            "-c",
            &format!(
                "command -v man >/dev/null || exit 77; '{}' man check | MANWIDTH=80 man -l - 2>/dev/null",
                env!("CARGO_BIN_EXE_tact")
            ),
        ])
        .output()
    else {
        return;
    };
    if rendered.status.code() == Some(77) {
        println!("SKIPPED: rendering (no man)");
        return;
    }
    let rendered = text(&rendered.stdout);
    assert!(rendered.contains("--stdin-filename"), "{rendered}");
    assert!(rendered.contains("Lint conversations or macro libraries"));
}

#[test]
fn snapshot_statistics() {
    let args = [
        "--color",
        "never",
        "check",
        "--statistics",
        CONVERSATIONS,
        MACROS,
    ];
    insta::assert_snapshot!(described(&args, &tact(&args)));
}

#[test]
fn snapshot_statistics_json() {
    let args = ["check", "--statistics", "--format", "json", MACROS];
    insta::assert_snapshot!(described(&args, &tact(&args)));
}

#[test]
fn snapshot_quiet() {
    let args = ["--color", "never", "check", "-q", MACROS];
    insta::assert_snapshot!(described(&args, &tact(&args)));
}

#[test]
fn snapshot_show_settings() {
    let args = ["check", "--show-settings", "--no-config", MACROS];
    insta::assert_snapshot!(described(&args, &tact(&args)));
}

#[test]
fn snapshot_version() {
    let args = ["--version"];
    insta::assert_snapshot!(described(&args, &tact(&args)));
}

#[test]
fn snapshot_stdin_filename() {
    let args = [
        "--color",
        "never",
        "check",
        "--stdin-filename",
        "examples/macros/library.yaml",
        "-",
    ];
    let out = tact_in(
        Path::new(env!("CARGO_MANIFEST_DIR")),
        &args,
        &manifest_file(MACROS),
    );
    insta::assert_snapshot!(described(&args, &out));
}

#[test]
fn snapshot_man_check() {
    let args = ["man", "check"];
    insta::assert_snapshot!(described(&args, &tact(&args)));
}

/// The user guides are linked from the README, and every `tact ...` line in their shell blocks
/// names a real command and only flags that command has (its `--help` lists them).
#[test]
fn the_guides_name_real_commands_and_flags() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    let mut commands = 0;
    for guide in [
        "guide-qa-reviewers.md",
        "guide-support-ops.md",
        "guide-trainers.md",
    ] {
        assert!(
            readme.contains(&format!("(docs/{guide})")),
            "README links {guide}"
        );
        let page = std::fs::read_to_string(root.join("docs").join(guide)).unwrap();
        let mut in_shell = false;
        for line in page.lines() {
            if line.starts_with("```") {
                in_shell = line == "```sh";
                continue;
            }
            let command = line.split(" #").next().unwrap().trim();
            if !in_shell || !command.starts_with("tact ") {
                continue;
            }
            let words: Vec<&str> = command.split_whitespace().skip(1).collect();
            let mut path: Vec<&str> = words
                .iter()
                .take_while(|w| !w.starts_with('-') && w.chars().all(|c| c.is_ascii_lowercase()))
                .copied()
                .collect();
            // `tact explain RULE`, `tact check macros/`: only subcommands make the path.
            path.truncate(if path.first() == Some(&"policy") {
                2
            } else {
                1
            });
            let mut args: Vec<&str> = path.clone();
            args.push("--help");
            let help = tact(&args);
            assert_eq!(help.status.code(), Some(0), "{guide}: {command}");
            let help = text(&help.stdout);
            for flag in words.iter().filter(|w| w.starts_with('-') && w.len() > 1) {
                let flag = flag.split('=').next().unwrap();
                assert!(
                    help.split_whitespace()
                        .any(|w| w.trim_end_matches(',') == flag),
                    "{guide}: `{command}`: no {flag} in `tact {}`",
                    args.join(" ")
                );
            }
            commands += 1;
        }
    }
    assert!(commands >= 20, "only {commands} commands found");
}
