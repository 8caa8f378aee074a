//! `tact rules` and `tact explain`: what the active policy holds.

use std::io::{self, Read, Write};

use super::args::{ColorWhen, PolicyArgs};
use super::{builtin_figures_in_use, load_engine, ExitStatus};
use crate::score::quality::format_value;

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
    let figures = builtin_figures_in_use(policy, None);
    // With figures, each rule's measured precision and recall stand before its title.
    let measured_columns = |id: &str| match &figures {
        Some(f) => {
            let r = f.rule(id);
            let p = format_value(r.and_then(|r| r.precision));
            let rc = format_value(r.and_then(|r| r.recall));
            format!("{p:<9}  {rc:<6}  ")
        }
        None => String::new(),
    };
    let measured_header = if figures.is_some() {
        format!("{:<9}  {:<6}  ", "PRECISION", "RECALL")
    } else {
        String::new()
    };
    writeln!(
        out,
        "{:<width$}  {:<8}  {:<6}  {measured_header}TITLE",
        "ID", "SEVERITY", "WEIGHT"
    )?;
    for r in engine.rules() {
        let weight = format!("{}{}", r.weight, if r.critical { "!" } else { "" });
        writeln!(
            out,
            "{:<width$}  {:<8}  {weight:<6}  {}{}",
            r.id,
            r.severity.as_str(),
            measured_columns(&r.id),
            r.title.as_deref().unwrap_or(&r.message)
        )?;
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
/// them, so a trainer can see why `agent offers ...` did or did not hold; with `--reply-to`,
/// read as the answer to that customer message.
pub(super) fn analyze(text: Option<&str>, reply_to: Option<&str>) -> io::Result<ExitStatus> {
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
    let mut heard = crate::analysis::Heard::default();
    if let Some(customer) = reply_to {
        heard.add(0, customer);
    }
    let analysis = crate::analysis::analyze(text, &heard, 1);
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
    // What `learned remedies` makes of each sentence: its distance from the reader's threshold
    // in logits; only sure readings change a verdict.
    for r in crate::analysis::learned::scored(text) {
        let reading = if r.surely_gives() {
            "sure it gives a remedy"
        } else if r.surely_gives_none() {
            "sure it gives none"
        } else {
            "not sure"
        };
        writeln!(
            out,
            "remedy reader | {}  {:+.1} ({reading})",
            text.get(r.sentence.0..r.sentence.1)
                .unwrap_or("")
                .trim()
                .replace('\n', " "),
            f64::from(r.margin) / 1000.0,
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
    let figures = builtin_figures_in_use(policy, None);
    write!(
        io::stdout().lock(),
        "{}",
        crate::render::explain::explain(r, figures.as_ref())
    )?;
    Ok(ExitStatus::Clean)
}
