//! Writes a deterministic corpus of support conversations as JSONL: the same seed and size give
//! the same bytes on every machine. Two kinds: generated from templates (`corpus.rs` beside this
//! file), or real threads resampled (`--real FILE`, repeatable; `realistic.rs`).
//!
//! ```sh
//! cargo run --release --example gen_corpus -- --size 100MB --seed 42 > corpus.jsonl
//! cargo run --release --example gen_corpus -- --conversations 1000 > small.jsonl
//! cargo run --release --example gen_corpus -- --size 100MB --real eval/pool/twitter.jsonl \
//!     --real eval/pool/twitter2.jsonl --real eval/pool/twitter3.jsonl > realistic.jsonl
//! cargo run --release --example gen_corpus -- --conversations 4514 --macros \
//!     --real eval/pool/macros.jsonl --real eval/pool/macros2.jsonl > macros.jsonl
//! ```
//!
//! `--macros` writes a macro library (`{id, title, body}` per line) of the agent turns of the
//! `--real` threads instead of conversations; `--conversations` then counts macros.

use std::io::{self, BufWriter, Write};
use std::process::ExitCode;

mod corpus;
mod realistic;

use corpus::Generator;
use realistic::Resampler;

struct Options {
    size: Option<u64>,
    conversations: Option<u64>,
    seed: u64,
    real: Vec<String>,
    macros: bool,
}

fn parse_size(text: &str) -> Option<u64> {
    let upper = text.trim().to_ascii_uppercase();
    let (digits, unit) = upper
        .find(|c: char| !c.is_ascii_digit())
        .map_or((upper.as_str(), ""), |i| upper.split_at(i));
    let n: u64 = digits.parse().ok()?;
    let factor = match unit {
        "" | "B" => 1,
        "KB" | "K" => 1 << 10,
        "MB" | "M" => 1 << 20,
        "GB" | "G" => 1 << 30,
        _ => return None,
    };
    n.checked_mul(factor)
}

fn options() -> Result<Options, String> {
    let mut opts = Options {
        size: None,
        conversations: None,
        seed: 42,
        real: Vec::new(),
        macros: false,
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = || args.next().ok_or(format!("{arg} needs a value"));
        match arg.as_str() {
            "--size" => opts.size = Some(parse_size(&value()?).ok_or("bad --size (try 100MB)")?),
            "--conversations" => {
                opts.conversations = Some(value()?.parse().map_err(|_| "bad --conversations")?)
            }
            "--seed" => opts.seed = value()?.parse().map_err(|_| "bad --seed")?,
            "--real" => opts.real.push(value()?),
            "--macros" => opts.macros = true,
            other => return Err(format!("unknown argument {other}")),
        }
    }
    if opts.macros && opts.real.is_empty() {
        return Err("--macros needs --real FILE (threads whose agent turns become macros)".into());
    }
    if opts.size.is_none() && opts.conversations.is_none() {
        return Err("give --size (e.g. 100MB) or --conversations N".into());
    }
    Ok(opts)
}

fn main() -> ExitCode {
    let opts = match options() {
        Ok(o) => o,
        Err(e) => {
            let _ = writeln!(io::stderr(), "gen_corpus: {e}");
            return ExitCode::from(2);
        }
    };
    let mut next_line: Box<dyn FnMut() -> String> = if opts.real.is_empty() {
        let mut generator = Generator::new(opts.seed);
        Box::new(move || generator.next_line())
    } else {
        match Resampler::from_files(&opts.real, opts.seed) {
            Ok(resampler) if opts.macros && !resampler.has_agent_turns() => {
                let _ = writeln!(io::stderr(), "gen_corpus: no agent turns to make macros of");
                return ExitCode::from(2);
            }
            Ok(mut resampler) if opts.macros => {
                Box::new(move || resampler.next_macro_line().unwrap_or_default())
            }
            Ok(mut resampler) => Box::new(move || resampler.next_line()),
            Err(e) => {
                let _ = writeln!(io::stderr(), "gen_corpus: {e}");
                return ExitCode::from(2);
            }
        }
    };
    let mut out = BufWriter::with_capacity(1 << 20, io::stdout().lock());
    let mut written: u64 = 0;
    let mut n: u64 = 0;
    loop {
        if opts.conversations.is_some_and(|c| n >= c) || opts.size.is_some_and(|s| written >= s) {
            break;
        }
        n += 1;
        let line = next_line();
        if writeln!(out, "{line}").is_err() {
            return ExitCode::from(1);
        }
        written += line.len() as u64 + 1;
    }
    if out.flush().is_err() {
        return ExitCode::from(1);
    }
    ExitCode::SUCCESS
}
