//! Prints the built-in policy's phrases as regular expressions, one per line, for the benchmark
//! floor: `rg -c -i -f patterns.txt corpus.jsonl` searches the same phrases tact scans for.
//!
//! ```sh
//! cargo run --release --example floor_patterns > patterns.txt
//! ```

use std::io::{self, Write};
use std::process::ExitCode;

fn main() -> ExitCode {
    let policy = match tact::dsl::parse_policy(&tact::dsl::builtin_sources()) {
        Ok(p) => p,
        Err(errors) => {
            for e in errors {
                let _ = writeln!(io::stderr(), "{e}");
            }
            return ExitCode::from(2);
        }
    };
    let mut out = io::stdout().lock();
    for pattern in tact::engine::matcher::floor_patterns(&policy.phrase_sets) {
        if writeln!(out, "{pattern}").is_err() {
            return ExitCode::from(1);
        }
    }
    ExitCode::SUCCESS
}
