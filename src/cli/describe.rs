//! `tact rules` and `tact explain`: what the active policy holds.

use std::io::{self, Read, Write};

use super::args::{ColorWhen, PolicyArgs};
use super::{load_engine, ExitStatus};

pub(super) fn rules(policy: &PolicyArgs) -> io::Result<ExitStatus> {
    let Some(engine) = load_engine(policy, ColorWhen::Auto)? else {
        return Ok(ExitStatus::Trouble);
    };
    let mut out = io::stdout().lock();
    let width = engine
        .rules()
        .iter()
        .map(|r| r.id.len())
        .max()
        .unwrap_or(2)
        .max(2);
    // Measured figures belong to the built-in rules only: a user's rule of the same name is
    // another rule.
    let figures = policy
        .policies
        .is_empty()
        .then(crate::score::quality::builtin_figures)
        .flatten();
    let measured = |id: &str| {
        figures
            .as_ref()
            .and_then(|f| f.rules.iter().find(|r| r.rule == id))
            .map(|r| {
                let short = |e: Option<crate::score::quality::Estimate>| {
                    e.map_or("-".to_string(), |e| format!("{:.2}", e.value))
                };
                (short(r.precision), short(r.recall))
            })
    };
    if figures.is_some() {
        writeln!(
            out,
            "{:<width$}  {:<8}  {:<6}  {:<9}  {:<6}  TITLE",
            "ID", "SEVERITY", "WEIGHT", "PRECISION", "RECALL"
        )?;
    } else {
        writeln!(
            out,
            "{:<width$}  {:<8}  {:<6}  TITLE",
            "ID", "SEVERITY", "WEIGHT"
        )?;
    }
    for r in engine.rules() {
        let weight = format!("{}{}", r.weight, if r.critical { "!" } else { "" });
        let title = r.title.as_deref().unwrap_or(&r.message);
        match (figures.is_some(), measured(&r.id)) {
            (true, Some((p, rc))) => writeln!(
                out,
                "{:<width$}  {:<8}  {weight:<6}  {p:<9}  {rc:<6}  {title}",
                r.id,
                r.severity.as_str(),
            )?,
            (true, None) => writeln!(
                out,
                "{:<width$}  {:<8}  {weight:<6}  {:<9}  {:<6}  {title}",
                r.id,
                r.severity.as_str(),
                "-",
                "-"
            )?,
            (false, _) => writeln!(
                out,
                "{:<width$}  {:<8}  {weight:<6}  {title}",
                r.id,
                r.severity.as_str(),
            )?,
        }
    }
    if figures.is_some() {
        writeln!(
            out,
            "\nPRECISION, RECALL: measured on the labelled test set (`tact explain RULE` gives the intervals)"
        )?;
    }
    if engine.rules().iter().any(|r| r.critical) {
        writeln!(
            out,
            "\n! critical: a failure sets the conversation's score to 0"
        )?;
    }
    Ok(ExitStatus::Clean)
}

/// `tact analyze`: each clause of a message with the acts it performs and the words that showed
/// them, so a trainer can see why `agent offers ...` did or did not hold.
pub(super) fn analyze(text: Option<&str>) -> io::Result<ExitStatus> {
    let mut input = String::new();
    let text = match text {
        Some(t) => t,
        None => {
            io::stdin()
                .lock()
                .take(1 << 20)
                .read_to_string(&mut input)?;
            input.as_str()
        }
    };
    let analysis = crate::analysis::analyze(text, &crate::analysis::Heard::default(), 0);
    let mut out = io::stdout().lock();
    for clause in &analysis.clauses {
        let words = text.get(clause.range.0..clause.range.1).unwrap_or("");
        let mut marks = Vec::new();
        if clause.is_condition {
            marks.push("condition".to_string());
        }
        if clause.conditional {
            marks.push("depends on a condition".to_string());
        }
        if !clause.negators.is_empty() {
            marks.push("negated".to_string());
        }
        marks.push(
            match clause.subject {
                crate::analysis::Subject::Speaker => "about the speaker",
                crate::analysis::Subject::Addressee => "about the customer",
                crate::analysis::Subject::Other => "about someone else",
            }
            .to_string(),
        );
        writeln!(
            out,
            "sentence {} | {}{}",
            clause.sentence + 1,
            words.replace('\n', " "),
            if marks.is_empty() {
                String::new()
            } else {
                format!("  ({})", marks.join(", "))
            }
        )?;
        for (act, (s, e)) in &clause.cues {
            writeln!(
                out,
                "    {:<16} {:?}",
                format!("{act:?}").to_lowercase(),
                text.get(*s..*e).unwrap_or("")
            )?;
        }
    }
    for (s, e) in &analysis.echoes {
        writeln!(
            out,
            "not the speaker's own words: {:?}",
            text.get(*s..*e).unwrap_or("")
        )?;
    }
    Ok(ExitStatus::Clean)
}

pub(super) fn explain(rule: &str, policy: &PolicyArgs) -> io::Result<ExitStatus> {
    let Some(engine) = load_engine(policy, ColorWhen::Auto)? else {
        return Ok(ExitStatus::Trouble);
    };
    let Some(r) = engine.rules().iter().find(|r| &*r.id == rule) else {
        let ids: Vec<&str> = engine.rules().iter().map(|r| &*r.id).collect();
        let mut err = io::stderr().lock();
        write!(err, "error: no rule `{rule}` in the active policy")?;
        match crate::dsl::did_you_mean(rule, &ids) {
            Some(best) => writeln!(err, "; did you mean `{best}`?")?,
            None => writeln!(err, "; `tact rules` lists them")?,
        }
        return Ok(ExitStatus::Trouble);
    };
    let mut out = io::stdout().lock();
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
    let figures = policy
        .policies
        .is_empty()
        .then(crate::score::quality::builtin_figures)
        .flatten();
    if let Some(q) = figures
        .as_ref()
        .and_then(|f| f.rules.iter().find(|q| *q.rule == *r.id))
    {
        use crate::score::quality::format_estimate;
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
    Ok(ExitStatus::Clean)
}
