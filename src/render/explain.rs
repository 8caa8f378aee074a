//! `tact explain RULE`: what a rule checks, why, its source, its suggested phrasing and its
//! examples, as text. The language server shows the same text on hover.

use std::fmt::Write;

use crate::engine::RuleInfo;
use crate::score::quality::{format_estimate, Quality};

/// The explanation of `rule`; `figures` are the built-in policy's measured figures, when that is
/// the policy in use.
pub fn explain(r: &RuleInfo, figures: Option<&Quality>) -> String {
    let mut out = String::new();
    // Writing to a String cannot fail.
    let _ = write_explanation(&mut out, r, figures);
    out
}

fn write_explanation(
    out: &mut String,
    r: &RuleInfo,
    figures: Option<&Quality>,
) -> std::fmt::Result {
    writeln!(out, "{} ({})", r.id, r.severity)?;
    if let Some(title) = &r.title {
        writeln!(out, "  {title}")?;
    }
    write!(out, "\nScorecard:\n  weight {}", r.weight)?;
    if r.critical {
        write!(
            out,
            "; critical: a failure sets the conversation's score to 0"
        )?;
    }
    writeln!(out)?;
    writeln!(out, "\nWhat it checks:\n  {}", r.message)?;
    if let Some(q) = figures.and_then(|f| f.rule(&r.id)) {
        writeln!(
            out,
            "\nMeasured on the labelled test set ({} conversations, {} violations):\n  precision {}, recall {} (95% intervals); `docs/quality.md` says how it was labelled",
            q.judged,
            q.violations,
            format_estimate(q.precision),
            format_estimate(q.recall)
        )?;
    }
    if let Some(why) = &r.why {
        writeln!(out, "\nWhy:\n  {why}")?;
    }
    if let Some(source) = &r.source {
        writeln!(out, "\nSource: shared/seeds/{}", source.article)?;
        if let Some(point) = &source.point {
            writeln!(out, "  \"{point}\"")?;
        }
    }
    if let Some(s) = &r.suggest {
        writeln!(out, "\nSuggested phrasing:\n  {s}")?;
    }
    for (heading, fires) in [("Fires on:", true), ("Does not fire on:", false)] {
        let examples: Vec<_> = r.examples.iter().filter(|e| e.fires == fires).collect();
        if !examples.is_empty() {
            writeln!(out, "\n{heading}")?;
            for e in examples {
                writeln!(out, "  - {}", e.lines.join(" / "))?;
            }
        }
    }
    Ok(())
}
