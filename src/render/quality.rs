//! The `tact eval` report: per rule precision, recall and F1 with their 95% intervals, as an
//! aligned table or as JSON.

use std::io::{self, Write};

use serde::Serialize;

use crate::score::compare::Disagreement;
use crate::score::quality::{Quality, RuleQuality};

use crate::score::quality::format_estimate as estimate;

fn row(r: &RuleQuality) -> [String; 8] {
    [
        r.rule.clone(),
        r.judged.to_string(),
        r.violations.to_string(),
        r.true_positives.to_string(),
        r.false_positives.to_string(),
        r.false_negatives.to_string(),
        format!("{}  {}", estimate(r.precision), estimate(r.recall)),
        r.f1.map_or("-".into(), |f| format!("{f:.2}")),
    ]
}

/// The table: one line per rule, then all rules pooled.
pub fn human(out: &mut impl Write, quality: &Quality, labels: &str) -> io::Result<()> {
    let header = [
        "RULE",
        "JUDGED",
        "VIOLATIONS",
        "TP",
        "FP",
        "FN",
        "PRECISION [95% CI]  RECALL [95% CI]",
        "F1",
    ];
    let mut rows: Vec<[String; 8]> = quality.rules.iter().map(row).collect();
    rows.push(row(&quality.overall));
    let mut widths = header.map(str::len);
    for r in &rows {
        for (w, cell) in widths.iter_mut().zip(r) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let line = |out: &mut dyn Write, cells: &[&str]| -> io::Result<()> {
        let mut text = String::new();
        for (i, (cell, w)) in cells.iter().zip(widths).enumerate() {
            let pad = w.saturating_sub(cell.chars().count());
            if i == 0 || i == 6 {
                text.push_str(cell);
                text.push_str(&" ".repeat(pad));
            } else {
                text.push_str(&" ".repeat(pad));
                text.push_str(cell);
            }
            text.push_str("  ");
        }
        writeln!(out, "{}", text.trim_end())
    };
    writeln!(out, "Verdict quality against {labels}")?;
    writeln!(out)?;
    line(out, &header)?;
    for (i, r) in rows.iter().enumerate() {
        if i + 1 == rows.len() {
            writeln!(out)?;
        }
        let cells: Vec<&str> = r.iter().map(String::as_str).collect();
        line(out, &cells)?;
    }
    writeln!(out)?;
    writeln!(
        out,
        "A violation is the positive class; intervals are 95% Wilson score intervals."
    )
}

/// The disagreements, one per line, for `--show-errors`.
pub fn errors(
    out: &mut impl Write,
    disagreements: &[Disagreement],
    labels: &str,
) -> io::Result<()> {
    if disagreements.is_empty() {
        return Ok(());
    }
    writeln!(out)?;
    writeln!(out, "Disagreements ({}):", disagreements.len())?;
    for d in disagreements {
        let kind = if d.engine == crate::score::Verdict::Fail {
            "false positive"
        } else {
            "false negative"
        };
        writeln!(
            out,
            "  {labels}:{}: {} {}: {kind}",
            d.line, d.conversation, d.rule
        )?;
    }
    Ok(())
}

#[derive(Serialize)]
struct JsonReport<'a> {
    version: u32,
    labels: &'a str,
    #[serde(flatten)]
    quality: &'a Quality,
    #[serde(skip_serializing_if = "Option::is_none")]
    disagreements: Option<&'a [Disagreement]>,
}

/// The report as one JSON object.
pub fn json(
    out: &mut impl Write,
    quality: &Quality,
    labels: &str,
    disagreements: Option<&[Disagreement]>,
) -> io::Result<()> {
    let report = JsonReport {
        version: 1,
        labels,
        quality,
        disagreements,
    };
    serde_json::to_writer_pretty(&mut *out, &report)?;
    writeln!(out)
}
