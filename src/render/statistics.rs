//! `tact check --statistics`: how many findings each rule has, instead of the findings
//! themselves (ruff's `--statistics`), as an aligned table or as JSON.

use std::collections::BTreeMap;
use std::io::{self, Write};

use codespan_reporting::term::termcolor::{ColorSpec, WriteColor};
use serde_json::json;

use crate::dsl::ast::Severity;
use crate::engine::RuleInfo;
use crate::render::human::terminal_line;
use crate::report::ConversationReport;

/// One rule's count.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleCount {
    /// The rule id.
    pub rule: String,
    /// The severity of its findings (the most serious, should a configuration change it).
    pub severity: Severity,
    /// Its findings.
    pub count: usize,
    /// Those `--fix` would fix.
    pub fixable: usize,
    /// The rule's title, else its message.
    pub title: String,
}

/// The counts per rule, as findings come.
#[derive(Debug, Default)]
pub struct RuleCounts {
    titles: BTreeMap<String, String>,
    counts: BTreeMap<String, RuleCount>,
}

impl RuleCounts {
    /// Counts for the rules of a policy (their titles are shown beside the counts).
    pub fn new(rules: &[RuleInfo]) -> RuleCounts {
        let titles = rules
            .iter()
            .map(|r| {
                let title = r.title.clone().unwrap_or_else(|| r.message.to_string());
                (r.id.to_string(), title)
            })
            .collect();
        RuleCounts {
            titles,
            counts: BTreeMap::new(),
        }
    }

    /// Counts one conversation's or macro's findings.
    pub fn add(&mut self, report: &ConversationReport) {
        for v in &report.violations {
            let entry = self
                .counts
                .entry(v.rule.to_string())
                .or_insert_with(|| RuleCount {
                    rule: v.rule.to_string(),
                    severity: v.severity,
                    count: 0,
                    fixable: 0,
                    title: self
                        .titles
                        .get(&*v.rule)
                        .cloned()
                        .unwrap_or_else(|| v.message.to_string()),
                });
            entry.count += 1;
            entry.fixable += usize::from(v.place.file_edit.is_some());
            entry.severity = entry.severity.max(v.severity);
        }
    }

    /// The rules with findings, most findings first (then by id).
    pub fn sorted(&self) -> Vec<&RuleCount> {
        let mut rows: Vec<&RuleCount> = self.counts.values().collect();
        rows.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.rule.cmp(&b.rule)));
        rows
    }

    /// The table: count, severity, rule, fixable count and title, one rule a line.
    pub fn write_table(&self, out: &mut dyn WriteColor) -> io::Result<()> {
        let rows = self.sorted();
        let count_width = rows.iter().map(|r| r.count.to_string().len()).max();
        let rule_width = rows.iter().map(|r| r.rule.chars().count()).max();
        let (Some(count_width), Some(rule_width)) = (count_width, rule_width) else {
            return Ok(());
        };
        for row in rows {
            write!(out, "{:>count_width$}  ", row.count)?;
            out.set_color(ColorSpec::new().set_bold(true))?;
            write!(out, "{:<7}", row.severity.as_str())?;
            out.reset()?;
            let rule = terminal_line(&row.rule);
            let fixable = if row.fixable > 0 {
                format!(" ({} fixable with --fix)", row.fixable)
            } else {
                String::new()
            };
            writeln!(
                out,
                "  {rule:<rule_width$}  {}{fixable}",
                terminal_line(&row.title)
            )?;
        }
        Ok(())
    }

    /// The same as one JSON array of `{rule, severity, count, fixable, title}`.
    pub fn write_json(&self, out: &mut dyn Write) -> io::Result<()> {
        let rows: Vec<_> = self
            .sorted()
            .into_iter()
            .map(|r| {
                json!({
                    "rule": r.rule,
                    "severity": r.severity,
                    "count": r.count,
                    "fixable": r.fixable,
                    "title": r.title,
                })
            })
            .collect();
        serde_json::to_writer_pretty(&mut *out, &rows)?;
        writeln!(out)
    }
}
