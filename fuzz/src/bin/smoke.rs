//! A smoke run of every fuzz target on stable Rust: each target's seed files, then a bounded
//! number of deterministic mutations of them (byte flips, insertions, deletions, repeats,
//! splices and tokens of the formats). Not a fuzzer (no coverage feedback), but it runs the same
//! bodies as `cargo fuzz`, so CI catches a panic on malformed input without nightly Rust.
//!
//! ```sh
//! cargo run --release --manifest-path fuzz/Cargo.toml --features smoke --bin smoke -- policy --runs 2000 rules/
//! ```
//!
//! `fuzz/run.sh` runs it on every target with its seeds when `cargo fuzz` is not installed. An
//! input that panics is saved under `fuzz/artifacts/TARGET/`, where `cargo fuzz run TARGET FILE`
//! replays it too; the exit code is then 1.

#![allow(
    clippy::print_stdout,
    clippy::print_stderr,
    reason = "a command-line tool"
)]

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use tact_fuzz::{Target, TARGETS};

/// Bytes a mutation may insert: the delimiters and keywords the formats are made of.
const TOKENS: &[&[u8]] = &[
    b"(",
    b")",
    b"\"",
    b"\\",
    b"/",
    b"#",
    b"\n",
    b"{",
    b"}",
    b"[",
    b"]",
    b":",
    b",",
    b"- ",
    b"|",
    b"include ",
    b"phrases s ",
    b"rule r ",
    b"when ",
    b"not ",
    b"agent says ",
    b"=> ",
    b"\"body\": ",
    b"\"events\": ",
    b"body: ",
    b"Agent: ",
    b"Customer: ",
    b"&amp;",
    b"<p>",
    b"\xc3\xa9",
    b"\xf0\x9f\x98\x80",
    b"\r\n",
    b"\t",
    b"0",
    b"-1",
    b"1e999",
];

/// The largest input a mutation may make.
const MAX_LEN: usize = 64 * 1024;

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let Some(name) = args.next() else {
        return usage();
    };
    let Some(target) = TARGETS.iter().find(|t| t.name == name) else {
        eprintln!("no target {name}");
        return usage();
    };
    let mut runs = 1000usize;
    let mut seeds: Vec<Vec<u8>> = vec![Vec::new()];
    while let Some(arg) = args.next() {
        if arg == "--runs" {
            match args.next().and_then(|n| n.parse().ok()) {
                Some(n) => runs = n,
                None => return usage(),
            }
            continue;
        }
        for file in files(Path::new(&arg)) {
            match std::fs::read(&file) {
                Ok(bytes) => seeds.push(bytes),
                Err(e) => eprintln!("{}: {e}", file.display()),
            }
        }
    }
    let failed = smoke(target, &seeds, runs);
    println!(
        "{}: {} seeds, {runs} mutations, {failed} panicked",
        target.name,
        seeds.len()
    );
    if failed > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

fn usage() -> ExitCode {
    let names: Vec<&str> = TARGETS.iter().map(|t| t.name).collect();
    eprintln!(
        "usage: smoke TARGET [--runs N] [SEED_FILE_OR_FOLDER...]\ntargets: {}",
        names.join(", ")
    );
    ExitCode::from(2)
}

/// Runs a target on its seeds and `runs` mutations of them; returns how many inputs panicked.
fn smoke(target: &Target, seeds: &[Vec<u8>], runs: usize) -> usize {
    // The same sequence on every machine, different for each target.
    let name_seed = target
        .name
        .bytes()
        .fold(0u64, |h, b| h.wrapping_mul(31) ^ u64::from(b));
    let mut rng = ChaCha8Rng::seed_from_u64(name_seed);
    let mut failed = 0;
    for i in 0..seeds.len() + runs {
        let input = match seeds.get(i) {
            Some(seed) => seed.clone(),
            None => mutate(&mut rng, seeds),
        };
        if catch_unwind(AssertUnwindSafe(|| (target.body)(&input))).is_err() {
            failed += 1;
            save(target.name, i, &input);
        }
    }
    failed
}

/// A seed changed by one to four random edits, sometimes spliced with another seed.
fn mutate(rng: &mut ChaCha8Rng, seeds: &[Vec<u8>]) -> Vec<u8> {
    let mut data = seeds[rng.random_range(0..seeds.len())].clone();
    for _ in 0..rng.random_range(1..=4) {
        let at = rng.random_range(0..=data.len());
        match rng.random_range(0..7) {
            0 if !data.is_empty() => {
                let i = rng.random_range(0..data.len());
                data[i] ^= 1 << rng.random_range(0..8);
            }
            1 => data.insert(at, rng.random()),
            2 if at < data.len() => {
                let end = rng.random_range(at..=data.len().min(at + 64));
                data.drain(at..end);
            }
            3 if at < data.len() => {
                // Repeat a piece many times: deep nesting, long lines, many records.
                let end = rng.random_range(at..=data.len().min(at + 16));
                let piece = data[at..end].to_vec();
                for _ in 0..rng.random_range(1..200) {
                    data.splice(at..at, piece.iter().copied());
                }
            }
            4 => {
                let other = &seeds[rng.random_range(0..seeds.len())];
                let from = rng.random_range(0..=other.len());
                data.splice(at..at, other[from..].iter().copied());
            }
            5 if at < data.len() => data.truncate(at),
            _ => {
                let token = TOKENS[rng.random_range(0..TOKENS.len())];
                data.splice(at..at, token.iter().copied());
            }
        }
        data.truncate(MAX_LEN);
    }
    data
}

/// The files under `path` (itself, when it is a file), in name order.
fn files(path: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut todo = vec![path.to_path_buf()];
    while let Some(p) = todo.pop() {
        if p.is_dir() {
            if let Ok(entries) = std::fs::read_dir(&p) {
                todo.extend(entries.filter_map(Result::ok).map(|e| e.path()));
            }
        } else if p.is_file() {
            out.push(p);
        }
    }
    out.sort();
    out
}

fn save(target: &str, i: usize, input: &[u8]) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("artifacts")
        .join(target);
    let file = dir.join(format!("smoke-{i}"));
    match std::fs::create_dir_all(&dir).and_then(|()| std::fs::write(&file, input)) {
        Ok(()) => eprintln!("{target}: input {i} panicked; saved as {}", file.display()),
        Err(e) => eprintln!("{target}: input {i} panicked; cannot save it: {e}"),
    }
}
