//! Builds the learned remedy reader's weight table from `src/analysis/remedies.tsv` (see
//! `src/analysis/model_table.rs`), so that no run reads the model file.

#[path = "src/analysis/model_table.rs"]
#[allow(dead_code)]
mod model_table;

/// The files whose code decides what the built-in cache entries hold (`src/cache/built_in.rs`):
/// how regexes are parsed, compiled, encoded, reduced to literals and judged for stand-ins, and
/// the regex crates' versions. Their hash is part of every built-in entry's key, so an entry
/// derived by other code is never read.
const DERIVING: [&str; 9] = [
    "Cargo.lock",
    "src/automata/mod.rs",
    "src/automata/codec.rs",
    "src/dsl/pattern.rs",
    "src/analysis/speech_act.rs",
    "src/prefilter/literals.rs",
    "src/prefilter/cache.rs",
    "src/engine/stand_in.rs",
    "src/cache/mod.rs",
];

/// FNV-1a over the files of [`DERIVING`] (names and contents), in hex: the same on every
/// machine and toolchain. (The regex crates a build resolves are those of `Cargo.lock` unless
/// another crate's lock builds tact, as `python/` and `fuzz/` do: theirs pin the same versions.)
fn deriving_code_hash() -> Result<String, String> {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for path in DERIVING {
        println!("cargo:rerun-if-changed={path}");
        // `cargo package` keeps the lock file; a copy without one hashes none, so its
        // built-in entries miss and are derived afresh: slower, never wrong.
        let bytes = match std::fs::read(path) {
            Ok(bytes) => bytes,
            Err(e) if path == "Cargo.lock" && e.kind() == std::io::ErrorKind::NotFound => {
                Vec::new()
            }
            Err(e) => return Err(format!("{path}: {e}")),
        };
        // Carriage returns left out: a checkout with CRLF line ends derives the same.
        for byte in path
            .bytes()
            .chain([0])
            .chain(bytes.into_iter().filter(|&b| b != b'\r'))
        {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    }
    Ok(format!("{hash:016x}"))
}

fn main() -> Result<(), String> {
    println!(
        "cargo:rustc-env=TACT_DERIVING_CODE={}",
        deriving_code_hash()?
    );
    let source = "src/analysis/remedies.tsv";
    println!("cargo:rerun-if-changed={source}");
    println!("cargo:rerun-if-changed=src/analysis/model_table.rs");
    let text = std::fs::read_to_string(source).map_err(|e| format!("{source}: {e}"))?;
    let model = model_table::read(&text);
    if model.threshold == i32::MAX || model.bias == 0 || model.weights.is_empty() {
        return Err(format!("{source}: no bias, threshold or weights"));
    }
    let table = model_table::table(&model.weights)
        .ok_or_else(|| format!("{source}: too many weights for the table"))?;
    let out = std::path::PathBuf::from(std::env::var_os("OUT_DIR").ok_or("OUT_DIR is not set")?);
    let write = |name: &str, bytes: &[u8]| {
        std::fs::write(out.join(name), bytes).map_err(|e| format!("{name}: {e}"))
    };
    write("remedies.table", &table)?;
    write(
        "remedies.rs",
        format!(
            "/// The model's bias, in thousandths of a logit.\nconst BIAS: i32 = {};\n\
             /// The score a remedy exceeds.\nconst THRESHOLD: i32 = {};\n\
             /// N-grams with a weight.\n#[cfg_attr(not(test), allow(dead_code))]\n\
             const WEIGHTS: usize = {};\n",
            model.bias,
            model.threshold,
            model.weights.len()
        )
        .as_bytes(),
    )
}
