//! Policy errors as data (`tact policy check --format json|sarif|github`), so editors and CI
//! read them without parsing the human text. The human form is [`PolicyError::write_to`].

use std::io::{self, Write};

use serde_json::{json, Value};

use super::ci::{github_data, github_property};
use super::source_root::relative_uri as uri;
use crate::dsl::PolicyError;

/// The errors and warnings as one JSON document: each with its file, its range (1-based lines,
/// columns in characters, the end just past the underlined text), code, severity and help.
pub fn write_json(out: &mut dyn Write, diagnostics: &[PolicyError]) -> io::Result<()> {
    let errors = diagnostics.iter().filter(|d| !d.is_warning()).count();
    let document = json!({
        "version": 1,
        "diagnostics": diagnostics.iter().map(diagnostic_json).collect::<Vec<_>>(),
        "summary": {"errors": errors, "warnings": diagnostics.len() - errors},
    });
    serde_json::to_writer_pretty(&mut *out, &document)?;
    writeln!(out)
}

fn diagnostic_json(d: &PolicyError) -> Value {
    json!({
        "file": d.path,
        "line": d.line,
        "column": d.col,
        "end_line": d.end_line,
        "end_column": d.end_col,
        "code": d.code,
        "severity": d.level(),
        "message": d.message,
        "help": d.help,
    })
}

/// A SARIF 2.1.0 log: one result per diagnostic, its code as the rule.
pub fn write_sarif(out: &mut dyn Write, diagnostics: &[PolicyError]) -> io::Result<()> {
    let mut codes: Vec<&str> = diagnostics.iter().map(|d| d.code).collect();
    codes.sort_unstable();
    codes.dedup();
    let rules: Vec<Value> = codes
        .iter()
        .map(|code| json!({"id": code, "name": code}))
        .collect();
    let results: Vec<Value> = diagnostics.iter().map(sarif_result).collect();
    let log = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "tact",
                "version": env!("CARGO_PKG_VERSION"),
                "rules": rules,
            }},
            // tact counts columns in characters, not in UTF-16 code units.
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    });
    serde_json::to_writer_pretty(&mut *out, &log)?;
    writeln!(out)
}

fn sarif_result(d: &PolicyError) -> Value {
    let text = match &d.help {
        Some(help) => format!("{}\nhelp: {help}", d.message),
        None => d.message.clone(),
    };
    json!({
        "ruleId": d.code,
        "level": d.level(),
        "message": {"text": text},
        "locations": [{"physicalLocation": {
            "artifactLocation": {"uri": uri(&d.path)},
            "region": {
                "startLine": d.line,
                "startColumn": d.col,
                "endLine": d.end_line,
                "endColumn": d.end_col,
            },
        }}],
    })
}

/// GitHub Actions workflow commands: an annotation on the policy file for each diagnostic.
pub fn write_github(out: &mut dyn Write, diagnostics: &[PolicyError]) -> io::Result<()> {
    for d in diagnostics {
        let mut message = d.message.clone();
        if let Some(help) = &d.help {
            message.push_str(&format!("\nhelp: {help}"));
        }
        writeln!(
            out,
            "::{} file={},line={},col={},endLine={},endColumn={},title={}::{}",
            d.level(),
            github_property(&d.path),
            d.line,
            d.col,
            d.end_line,
            d.end_col,
            github_property(&format!("tact {}", d.code)),
            github_data(&message)
        )?;
    }
    Ok(())
}
