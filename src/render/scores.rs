//! `tact score` reports as text: aligned tables for people, CSV for spreadsheets, JSON for tools.
//! Each is written as scorecards stream by, then the aggregates at the end.

use std::io::{self, Write};

use serde::Serialize;

use super::human::terminal_line;
use crate::conversation::Conversation;
use crate::report::{ConversationReport, InputError};
use crate::score::compare::Agreement;
use crate::score::sample::{Sample, Strata};
use crate::score::{Aggregates, GroupStats, Scorecard, Verdict};

/// Somewhere scorecards go, one at a time, then the aggregates.
pub trait ScoreSink {
    /// One conversation, its report and its scorecard.
    fn conversation(
        &mut self,
        conversation: &Conversation,
        report: &ConversationReport,
        card: &Scorecard,
    ) -> io::Result<()>;

    /// The end of the run.
    fn finish(
        self: Box<Self>,
        aggregates: &Aggregates,
        agreement: Option<&Agreement>,
        errors: &[InputError],
    ) -> io::Result<()>;
}

/// A score as reports print it: one decimal, or `n/a`.
pub fn show_score(score: Option<f64>) -> String {
    score.map_or_else(|| "n/a".to_string(), |s| format!("{s:.1}"))
}

/// What a sample is, in words: "A sample of 10 of 1,025 conversations (seed 7, ...)".
pub fn sample_note(sample: &Sample) -> String {
    let strata = match sample.strata {
        Strata::None => String::new(),
        Strata::Agent => ", stratified by agent".into(),
        Strata::Team => ", stratified by team".into(),
        Strata::Rule => ", stratified by the rule that cost most".into(),
    };
    let critical = match sample.critical {
        0 => String::new(),
        n => format!(
            "; {n} of them because a critical rule sent {} to 0",
            if n == 1 { "it" } else { "them" }
        ),
    };
    format!(
        "A sample of {} of {} conversations (seed {}{strata}{critical}); the totals cover all {}.",
        thousands(sample.size),
        thousands(sample.of),
        sample.seed,
        thousands(sample.of)
    )
}

/// A count with thousands separated: 1,025.
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn show_ratio(r: Option<f64>) -> String {
    r.map_or_else(|| "n/a".to_string(), |r| format!("{r:.2}"))
}

/// Aligned tables for people.
pub struct HumanScores<W: Write> {
    out: W,
    /// Conversation rows, kept to be aligned at the end (a line each; the aggregates follow).
    rows: Vec<Vec<String>>,
}

impl<W: Write> HumanScores<W> {
    /// Writes to `out`.
    pub fn new(out: W) -> Self {
        HumanScores {
            out,
            rows: vec![vec![
                "SCORE".into(),
                "CONVERSATION".into(),
                "AGENT".into(),
                "POINTS LOST TO".into(),
            ]],
        }
    }
}

/// Writes rows as columns padded to the widest cell; the last column is not padded.
fn table(out: &mut dyn Write, rows: &[Vec<String>]) -> io::Result<()> {
    // Ids and names come from the input: shown safe for the terminal.
    let rows: Vec<Vec<String>> = rows
        .iter()
        .map(|r| r.iter().map(|c| terminal_line(c).into_owned()).collect())
        .collect();
    let columns = rows.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> = (0..columns)
        .map(|i| {
            rows.iter()
                .filter_map(|r| r.get(i))
                .map(|c| c.chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    for row in &rows {
        let mut line = String::new();
        for (i, cell) in row.iter().enumerate() {
            if i + 1 == row.len() {
                line.push_str(cell);
            } else {
                line.push_str(&format!("{cell:<w$}  ", w = widths[i]));
            }
        }
        writeln!(out, "{}", line.trim_end())?;
    }
    Ok(())
}

fn group_rows(title: &str, groups: &[GroupStats]) -> Vec<Vec<String>> {
    let mut rows = vec![vec![
        title.to_string(),
        "CONVERSATIONS".into(),
        "MEAN".into(),
        "MIN".into(),
        "FAILURES".into(),
        "CRITICAL".into(),
    ]];
    let mut sorted: Vec<&GroupStats> = groups.iter().collect();
    // Who needs coaching first: the lowest mean score on top.
    sorted.sort_by(|a, b| {
        a.mean_score
            .unwrap_or(f64::INFINITY)
            .total_cmp(&b.mean_score.unwrap_or(f64::INFINITY))
            .then_with(|| a.name.cmp(&b.name))
    });
    for g in sorted {
        rows.push(vec![
            g.name.clone(),
            g.conversations.to_string(),
            show_score(g.mean_score),
            show_score(g.min_score),
            g.failures.to_string(),
            g.critical_failures.to_string(),
        ]);
    }
    rows
}

impl<W: Write> ScoreSink for HumanScores<W> {
    fn conversation(
        &mut self,
        _conversation: &Conversation,
        _report: &ConversationReport,
        card: &Scorecard,
    ) -> io::Result<()> {
        let lost: Vec<String> = card
            .rules
            .iter()
            .filter(|r| r.verdict == Verdict::Fail)
            .map(|r| {
                let critical = card.critical_failure.as_deref() == Some(r.rule.as_str());
                let mark = if critical { "CRITICAL, " } else { "" };
                format!("{} ({mark}-{:.1})", r.rule, r.points_lost)
            })
            .collect();
        self.rows.push(vec![
            format!("{:>5}", show_score(card.score)),
            card.id.clone(),
            card.agent.clone().unwrap_or_else(|| "-".into()),
            if lost.is_empty() {
                "-".into()
            } else {
                lost.join(", ")
            },
        ]);
        Ok(())
    }

    fn finish(
        mut self: Box<Self>,
        aggregates: &Aggregates,
        agreement: Option<&Agreement>,
        errors: &[InputError],
    ) -> io::Result<()> {
        let out = &mut self.out;
        table(out, &self.rows)?;
        let overall = &aggregates.overall;
        writeln!(
            out,
            "\n{} conversations, {} scored, mean score {}, {} sent to 0 by a critical rule",
            overall.conversations,
            overall.scored,
            show_score(overall.mean_score),
            overall.critical_failures
        )?;
        if let Some(sample) = &aggregates.sample {
            writeln!(out, "{}", sample_note(sample))?;
        }
        writeln!(out, "\nPer agent (lowest first)")?;
        table(out, &group_rows("AGENT", &aggregates.agents))?;
        writeln!(out, "\nPer team")?;
        table(out, &group_rows("TEAM", &aggregates.teams))?;
        writeln!(out, "\nPer rule")?;
        let mut rows = vec![vec![
            "RULE".to_string(),
            "WEIGHT".into(),
            "PASS".into(),
            "FAIL".into(),
            "N/A".into(),
            "PASS RATE".into(),
            "POINTS LOST".into(),
        ]];
        for r in &aggregates.rules {
            rows.push(vec![
                format!("{}{}", r.rule, if r.critical { " (critical)" } else { "" }),
                r.weight.to_string(),
                r.passed.to_string(),
                r.failed.to_string(),
                r.not_applicable.to_string(),
                r.pass_rate
                    .map_or_else(|| "n/a".into(), |p| format!("{:.0}%", p * 100.0)),
                format!("{:.1}", r.points_lost),
            ]);
        }
        table(out, &rows)?;
        if !aggregates.weeks.is_empty() {
            writeln!(out, "\nPer week")?;
            let mut rows = vec![vec![
                "WEEK".to_string(),
                "CONVERSATIONS".into(),
                "MEAN".into(),
                "FAILURES".into(),
            ]];
            for w in &aggregates.weeks {
                rows.push(vec![
                    w.name.clone(),
                    w.conversations.to_string(),
                    show_score(w.mean_score),
                    w.failures.to_string(),
                ]);
            }
            table(out, &rows)?;
        }
        if !aggregates.service_levels.is_empty() {
            writeln!(
                out,
                "\nService levels (timing rules: tickets within target)"
            )?;
            let mut rows = vec![vec![
                "RULE".to_string(),
                "BY".into(),
                "NAME".into(),
                "WITHIN".into(),
                "MISSED".into(),
                "ACHIEVED".into(),
            ]];
            for s in &aggregates.service_levels {
                rows.push(vec![
                    s.rule.clone(),
                    s.by.to_string(),
                    s.name.clone(),
                    s.within.to_string(),
                    s.missed.to_string(),
                    format!("{:.0}%", s.rate * 100.0),
                ]);
            }
            table(out, &rows)?;
        }
        if let Some(agreement) = agreement {
            write_agreement(out, agreement)?;
        }
        if !errors.is_empty() {
            writeln!(
                out,
                "\n{} input error{} (see stderr)",
                errors.len(),
                if errors.len() == 1 { "" } else { "s" }
            )?;
        }
        out.flush()
    }
}

fn write_agreement(out: &mut dyn Write, agreement: &Agreement) -> io::Result<()> {
    writeln!(
        out,
        "\nAgreement with the reviewer (a violation is a positive)"
    )?;
    let mut rows = vec![vec![
        "RULE".to_string(),
        "COMPARED".into(),
        "BOTH FAIL".into(),
        "TACT ONLY".into(),
        "REVIEWER ONLY".into(),
        "BOTH PASS".into(),
        "PRECISION".into(),
        "RECALL".into(),
        "KAPPA".into(),
    ]];
    for r in &agreement.rules {
        rows.push(vec![
            r.rule.clone(),
            r.compared.to_string(),
            r.both_fail.to_string(),
            r.engine_only.to_string(),
            r.reviewer_only.to_string(),
            r.both_pass.to_string(),
            show_ratio(r.precision),
            show_ratio(r.recall),
            show_ratio(r.kappa),
        ]);
    }
    table(out, &rows)?;
    if !agreement.disagreements.is_empty() {
        writeln!(out, "\nDisagreements")?;
        let mut rows = vec![vec![
            "CONVERSATION".to_string(),
            "RULE".into(),
            "REVIEWER".into(),
            "REVIEWER SAID".into(),
            "TACT".into(),
            "REVIEW LINE".into(),
        ]];
        for d in &agreement.disagreements {
            rows.push(vec![
                d.conversation.clone(),
                d.rule.clone(),
                d.reviewed_by.clone(),
                d.reviewer.as_str().into(),
                d.engine.as_str().into(),
                d.line.to_string(),
            ]);
        }
        table(out, &rows)?;
    }
    if let Some(calibration) = &agreement.calibration {
        for (heading, rows) in super::calibration::calibration_tables(calibration) {
            writeln!(out, "\n{}", terminal_line(&heading))?;
            table(out, &rows)?;
        }
    }
    if !agreement.missing_conversations.is_empty() {
        writeln!(
            out,
            "\nReviewed but not among the inputs: {}",
            terminal_line(&agreement.missing_conversations.join(", "))
        )?;
    }
    Ok(())
}

/// One row per conversation and rule, for spreadsheets. With `--compare`, one row per rule of
/// the agreement table instead.
pub struct CsvScores<W: Write> {
    csv: csv::Writer<W>,
    compare: bool,
}

impl<W: Write> CsvScores<W> {
    /// Writes to `out`; `compare` chooses the agreement table.
    pub fn new(out: W, compare: bool) -> io::Result<Self> {
        let mut csv = csv::Writer::from_writer(out);
        if !compare {
            csv.write_record([
                "conversation",
                "agent",
                "team",
                "week",
                "score",
                "rule",
                "verdict",
                "weight",
                "points_lost",
                "critical_failure",
            ])
            .map_err(csv_error)?;
        }
        Ok(CsvScores { csv, compare })
    }
}

impl<W: Write> ScoreSink for CsvScores<W> {
    fn conversation(
        &mut self,
        _conversation: &Conversation,
        _report: &ConversationReport,
        card: &Scorecard,
    ) -> io::Result<()> {
        if self.compare {
            return Ok(());
        }
        let score = card.score.map(|s| format!("{s:.1}")).unwrap_or_default();
        let id = spreadsheet_safe(&card.id);
        let agent = spreadsheet_safe(card.agent.as_deref().unwrap_or(""));
        let team = spreadsheet_safe(card.team.as_deref().unwrap_or(""));
        for line in &card.rules {
            let critical = card.critical_failure.as_deref() == Some(line.rule.as_str());
            self.csv
                .write_record([
                    id.as_ref(),
                    agent.as_ref(),
                    team.as_ref(),
                    card.week.as_deref().unwrap_or(""),
                    &score,
                    &line.rule,
                    line.verdict.as_str(),
                    &line.weight.to_string(),
                    &format!("{:.1}", line.points_lost),
                    if critical { "true" } else { "false" },
                ])
                .map_err(csv_error)?;
        }
        Ok(())
    }

    fn finish(
        mut self: Box<Self>,
        _aggregates: &Aggregates,
        agreement: Option<&Agreement>,
        _errors: &[InputError],
    ) -> io::Result<()> {
        if let (true, Some(agreement)) = (self.compare, agreement) {
            let ratio = |r: Option<f64>| r.map(|r| format!("{r:.4}")).unwrap_or_default();
            self.csv
                .write_record([
                    "rule",
                    "compared",
                    "both_fail",
                    "tact_only",
                    "reviewer_only",
                    "both_pass",
                    "precision",
                    "recall",
                    "kappa",
                ])
                .map_err(csv_error)?;
            for r in &agreement.rules {
                self.csv
                    .write_record([
                        r.rule.clone(),
                        r.compared.to_string(),
                        r.both_fail.to_string(),
                        r.engine_only.to_string(),
                        r.reviewer_only.to_string(),
                        r.both_pass.to_string(),
                        ratio(r.precision),
                        ratio(r.recall),
                        ratio(r.kappa),
                    ])
                    .map_err(csv_error)?;
            }
        }
        self.csv.flush()
    }
}

/// A cell that a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, a tab or a carriage
/// return first) gets a leading apostrophe: ids, agents and teams come from the input data.
/// `tact score --compare` takes it off again.
fn spreadsheet_safe(text: &str) -> std::borrow::Cow<'_, str> {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}").into()
    } else {
        text.into()
    }
}

/// A CSV writer's error as an I/O error that keeps the kind of an I/O failure, so a closed pipe
/// is still recognised as one (and ends the run quietly).
fn csv_error(e: csv::Error) -> io::Error {
    if !e.is_io_error() {
        return io::Error::other(e);
    }
    match e.into_kind() {
        csv::ErrorKind::Io(e) => e,
        other => io::Error::other(format!("{other:?}")),
    }
}

/// The JSON report: `{"version", "conversations": [...], "summary": {...}, "agreement"?, "errors"}`.
pub struct JsonScores<W: Write> {
    out: W,
    count: usize,
}

impl<W: Write> JsonScores<W> {
    /// Starts the document.
    pub fn new(mut out: W) -> io::Result<Self> {
        write!(out, "{{\n  \"version\": 1,\n  \"conversations\": [")?;
        Ok(JsonScores { out, count: 0 })
    }
}

#[derive(Serialize)]
struct ErrorOut<'a> {
    path: &'a str,
    line: Option<usize>,
    message: &'a str,
}

impl<W: Write> ScoreSink for JsonScores<W> {
    fn conversation(
        &mut self,
        _conversation: &Conversation,
        _report: &ConversationReport,
        card: &Scorecard,
    ) -> io::Result<()> {
        let sep = if self.count == 0 { "" } else { "," };
        self.count += 1;
        let json = serde_json::to_string(card).map_err(io::Error::other)?;
        write!(self.out, "{sep}\n    {json}")
    }

    fn finish(
        mut self: Box<Self>,
        aggregates: &Aggregates,
        agreement: Option<&Agreement>,
        errors: &[InputError],
    ) -> io::Result<()> {
        let close = if self.count == 0 { "]" } else { "\n  ]" };
        let summary = serde_json::to_string(aggregates).map_err(io::Error::other)?;
        write!(self.out, "{close},\n  \"summary\": {summary}")?;
        if let Some(agreement) = agreement {
            let agreement = serde_json::to_string(agreement).map_err(io::Error::other)?;
            write!(self.out, ",\n  \"agreement\": {agreement}")?;
        }
        let errors: Vec<ErrorOut<'_>> = errors
            .iter()
            .map(|e| ErrorOut {
                path: &e.path,
                line: e.line,
                message: &e.message,
            })
            .collect();
        let errors = serde_json::to_string(&errors).map_err(io::Error::other)?;
        writeln!(self.out, ",\n  \"errors\": {errors}\n}}")?;
        self.out.flush()
    }
}
