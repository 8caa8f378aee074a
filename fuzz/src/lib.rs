//! The bodies of tact's fuzz targets, as plain functions: the cargo-fuzz targets in
//! `fuzz_targets/` call them, and so does the stable-Rust smoke runner (`src/bin/smoke.rs`).
//! Each must never panic, whatever the bytes; where tact promises more (a policy that validates
//! compiles; a fixed macro file reads back), the body asserts it.

#![allow(
    clippy::panic,
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a fuzz body reports a broken promise by panicking, which the fuzzer records"
)]

use std::sync::OnceLock;

use tact::dsl::{format::format_policy, parse_policy, PolicySource};
use tact::engine::Engine;
use tact::input::{read_bytes, Format};
use tact::macros::fix::fix_file;
use tact::macros::{detect, LibraryKind, MacroFile};

/// A fuzz target: its name (as in `fuzz_targets/`) and its body.
pub struct Target {
    /// The target's name.
    pub name: &'static str,
    /// What it runs on one input.
    pub body: fn(&[u8]),
}

/// Every target (`fuzz/run.sh` names the seeds of each).
pub const TARGETS: &[Target] = &[
    Target {
        name: "policy",
        body: policy,
    },
    Target {
        name: "input_json",
        body: input_json,
    },
    Target {
        name: "input_jsonl",
        body: input_jsonl,
    },
    Target {
        name: "input_yaml",
        body: input_yaml,
    },
    Target {
        name: "input_transcript",
        body: input_transcript,
    },
    Target {
        name: "input_csv",
        body: input_csv,
    },
    Target {
        name: "macro_locate",
        body: macro_locate,
    },
    Target {
        name: "macro_fix",
        body: macro_fix,
    },
];

/// The policy language: parse and validate; a policy that validates must compile into an
/// engine, and its canonical layout must validate too.
pub fn policy(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let source = PolicySource {
        path: "fuzz.policy".into(),
        text: text.into(),
    };
    let Ok(policy) = parse_policy(&[source]) else {
        return;
    };
    if let Err(e) = Engine::new(&policy) {
        panic!("a policy that validates does not compile: {e}");
    }
    if let Ok(formatted) = format_policy("fuzz.policy", text) {
        let again = PolicySource {
            path: "fuzz.policy".into(),
            text: formatted,
        };
        if let Err(errors) = parse_policy(&[again]) {
            panic!(
                "the canonical layout of a valid policy does not validate: {}",
                errors[0]
            );
        }
    }
}

/// Reads `data` as conversations in `format`: every conversation or error, never a panic.
fn read_as(format: Format, path: &str, data: &[u8]) {
    let mut seen = 0usize;
    read_bytes(
        path,
        "fuzz",
        Some(format),
        data,
        &Default::default(),
        &mut |_| seen += 1,
    );
}

/// JSON conversations (one object or an array of them).
pub fn input_json(data: &[u8]) {
    read_as(Format::Json, "fuzz.json", data);
}

/// JSONL conversations, one object per line.
pub fn input_jsonl(data: &[u8]) {
    read_as(Format::Jsonl, "fuzz.jsonl", data);
}

/// CSV conversations, one message per row (the usual headers).
pub fn input_csv(data: &[u8]) {
    read_as(Format::Csv, "fuzz.csv", data);
}

/// YAML conversations.
pub fn input_yaml(data: &[u8]) {
    read_as(Format::Yaml, "fuzz.yaml", data);
}

/// Plain-text transcripts (`Speaker: text` lines).
pub fn input_transcript(data: &[u8]) {
    read_as(Format::Transcript, "fuzz.txt", data);
}

/// The text as a macro library, of the kind tact would take it for (JSON, Zendesk, YAML, JSONL), else
/// as one Markdown macro; with whether it read without errors.
fn macro_file(data: &[u8]) -> Option<(MacroFile, bool, LibraryKind)> {
    let text = std::str::from_utf8(data).ok()?;
    let (kind, path) = ["fuzz.json", "fuzz.yaml", "fuzz.jsonl"]
        .into_iter()
        .find_map(|path| detect(path, text).map(|kind| (kind, path)))
        .unwrap_or((LibraryKind::OneFile, "fuzz.md"));
    let (file, errors) = MacroFile::read(path, text.to_string(), kind);
    Some((file, errors.is_empty(), kind))
}

/// Locating each macro's text in the file as written: every position it gives is inside the
/// file, on a character boundary.
pub fn macro_locate(data: &[u8]) {
    let Some((file, _, _)) = macro_file(data) else {
        return;
    };
    let text = &file.text;
    for m in &file.macros {
        assert!(m.anchor <= text.len(), "anchor past the end of the file");
        if let Some(map) = &m.map {
            assert_eq!(
                map.len(),
                m.body.len() + 1,
                "one position per byte of the body"
            );
            assert!(
                map.iter().all(|&at| at <= text.len()),
                "a position past the end"
            );
        }
        if let Some((start, end)) = m.file_range(0, m.body.len()) {
            assert!(
                text.get(start..end).is_some(),
                "a range off character boundaries"
            );
        }
    }
}

/// The built-in engine, compiled once.
fn engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(|| tact::builtin_engine().expect("the built-in policy compiles"))
}

/// `--fix`: applying the built-in rules' replacements never panics, and a file that read cleanly
/// still reads cleanly, with as many macros, once fixed.
pub fn macro_fix(data: &[u8]) {
    let Some((file, clean, kind)) = macro_file(data) else {
        return;
    };
    let reports: Vec<_> = (0..file.macros.len())
        .map(|i| engine().check_macro(&file.macros[i].conversation(&file.path, file.line_of(i))))
        .collect();
    let Ok(Some(fixed)) = fix_file(&file, &reports) else {
        return;
    };
    let (again, errors) = MacroFile::read(&file.path, fixed.text, kind);
    if clean {
        assert!(
            errors.is_empty(),
            "the fixed file no longer reads: {errors:?}"
        );
        assert_eq!(
            again.macros.len(),
            file.macros.len(),
            "macros lost or gained"
        );
    }
}
