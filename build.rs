//! Builds the learned remedy reader's weight table from `src/analysis/remedies.tsv` (see
//! `src/analysis/model_table.rs`), so that no run reads the model file.

#[path = "src/analysis/model_table.rs"]
#[allow(dead_code)]
mod model_table;

fn main() -> Result<(), String> {
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
