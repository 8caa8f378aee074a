//! Agreement between the engine and a human reviewer, rule by rule.
//!
//! The reviewer's file is a CSV with a header naming the columns `conversation`, `rule` and
//! `verdict` (`pass`, `fail` or `n/a`), in any order, and optionally `reviewer`; other columns
//! are ignored. A file without a `reviewer` column is one reviewer, named by its file name.
//! With several reviewers, the counts below pool all their verdicts, and `calibrate` compares
//! them with tact and with each other. A violation is the
//! positive class: precision is how often the engine's failures are the reviewer's too, recall
//! how many of the reviewer's failures the engine finds. A rule that does not apply counts as
//! not failed on both sides.

use std::collections::HashMap;
use std::io::Read;

use serde::Serialize;

pub use super::calibrate::cohen_kappa;
use super::calibrate::{Calibration, Calibrator};
use super::{Scorecard, Verdict};
use crate::report::InputError;

/// A reviewer's verdicts, by conversation then rule.
#[derive(Debug, Default)]
pub struct Reviews {
    by_conversation: HashMap<String, Vec<Review>>,
    count: usize,
    /// The reviewers, in the order first read.
    reviewers: Vec<String>,
}

#[derive(Debug, Clone)]
struct Review {
    reviewer: String,
    rule: String,
    verdict: Verdict,
    line: u64,
}

impl Reviews {
    /// Reads a reviews CSV. Rows that cannot be used are returned as errors naming their line;
    /// the other rows are kept.
    pub fn read(path: &str, reader: impl Read, known_rules: &[&str]) -> (Reviews, Vec<InputError>) {
        let mut reviews = Reviews::default();
        let mut errors = Vec::new();
        let file_reviewer = std::path::Path::new(path)
            .file_stem()
            .map_or_else(|| path.to_string(), |s| s.to_string_lossy().into_owned());
        let mut csv = csv::ReaderBuilder::new()
            .flexible(true)
            .trim(csv::Trim::All)
            .from_reader(reader);
        let columns = match csv.headers() {
            Ok(headers) => Columns::find(headers),
            Err(e) => Err(e.to_string()),
        };
        let columns = match columns {
            Ok(c) => c,
            Err(why) => {
                errors.push(InputError::new(path, Some(1), why));
                return (reviews, errors);
            }
        };
        for row in csv.records() {
            let row = match row {
                Ok(row) => row,
                Err(e) => {
                    let line = e.position().map(|p| p.line() as usize);
                    errors.push(InputError::new(path, line, e.to_string()));
                    continue;
                }
            };
            let line = row.position().map_or(0, |p| p.line());
            let field = |i: usize| row.get(i).unwrap_or("");
            let reviewer = columns
                .reviewer
                .map(|i| unformula(field(i)))
                .filter(|name| !name.is_empty())
                .unwrap_or(&file_reviewer);
            let (conversation, rule, verdict) = (
                unformula(field(columns.conversation)),
                field(columns.rule),
                field(columns.verdict),
            );
            if conversation.is_empty() && rule.is_empty() && verdict.is_empty() {
                continue;
            }
            let fail = |why: String| InputError::new(path, Some(line as usize), why);
            if conversation.is_empty() {
                errors.push(fail("no conversation id".into()));
                continue;
            }
            if !known_rules.contains(&rule) {
                let hint = crate::dsl::did_you_mean(rule, known_rules)
                    .map(|b| format!("; did you mean `{b}`?"))
                    .unwrap_or_default();
                errors.push(fail(format!("no rule `{rule}` in the active policy{hint}")));
                continue;
            }
            let Some(verdict) = parse_verdict(verdict) else {
                errors.push(fail(format!(
                    "verdict `{verdict}` is not `pass`, `fail` or `n/a`"
                )));
                continue;
            };
            reviews
                .by_conversation
                .entry(conversation.to_string())
                .or_default()
                .push(Review {
                    reviewer: reviewer.to_string(),
                    rule: rule.to_string(),
                    verdict,
                    line,
                });
            reviews.count += 1;
            if !reviews.reviewers.iter().any(|r| r == reviewer) {
                reviews.reviewers.push(reviewer.to_string());
            }
        }
        (reviews, errors)
    }

    /// Adds the verdicts of another file.
    pub fn extend(&mut self, other: Reviews) {
        for (id, reviews) in other.by_conversation {
            self.by_conversation.entry(id).or_default().extend(reviews);
        }
        self.count += other.count;
        for reviewer in other.reviewers {
            if !self.reviewers.contains(&reviewer) {
                self.reviewers.push(reviewer);
            }
        }
    }

    /// The reviewers, in the order first read.
    pub fn reviewers(&self) -> &[String] {
        &self.reviewers
    }

    /// How many verdicts were read.
    pub fn len(&self) -> usize {
        self.count
    }

    /// Whether no verdict was read.
    pub fn is_empty(&self) -> bool {
        self.count == 0
    }
}

struct Columns {
    conversation: usize,
    rule: usize,
    verdict: usize,
    reviewer: Option<usize>,
}

/// A name as written, without the apostrophe that keeps spreadsheets from running it as a
/// formula (the page's export adds one before `=`, `+`, `-` and `@`).
fn unformula(text: &str) -> &str {
    match text.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@']) => rest,
        _ => text,
    }
}

impl Columns {
    fn find(headers: &csv::StringRecord) -> Result<Columns, String> {
        let position = |names: &[&str]| {
            headers
                .iter()
                .position(|h| names.iter().any(|n| h.eq_ignore_ascii_case(n)))
        };
        match (
            position(&["conversation", "conversation_id", "id"]),
            position(&["rule", "rule_id"]),
            position(&["verdict"]),
        ) {
            (Some(conversation), Some(rule), Some(verdict)) => Ok(Columns {
                conversation,
                rule,
                verdict,
                reviewer: position(&["reviewer"]),
            }),
            _ => Err(
                "the first line must name the columns `conversation`, `rule` and `verdict`".into(),
            ),
        }
    }
}

fn parse_verdict(text: &str) -> Option<Verdict> {
    match text.to_ascii_lowercase().as_str() {
        "pass" | "passed" | "ok" => Some(Verdict::Pass),
        "fail" | "failed" | "violation" => Some(Verdict::Fail),
        "n/a" | "na" | "not applicable" => Some(Verdict::NotApplicable),
        _ => None,
    }
}

/// One verdict on which the engine and the reviewer differ.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Disagreement {
    /// The conversation id.
    pub conversation: String,
    /// The rule id.
    pub rule: String,
    /// Who reviewed it: the `reviewer` column, or the file's name.
    pub reviewed_by: String,
    /// What the reviewer said.
    pub reviewer: Verdict,
    /// What the engine said.
    pub engine: Verdict,
    /// The line of the reviews file.
    pub line: u64,
}

/// Agreement on one rule.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct RuleAgreement {
    /// The rule id.
    pub rule: String,
    /// Verdicts compared.
    pub compared: usize,
    /// Both say it failed.
    pub both_fail: usize,
    /// Only the engine says it failed.
    pub engine_only: usize,
    /// Only the reviewer says it failed.
    pub reviewer_only: usize,
    /// Neither says it failed.
    pub both_pass: usize,
    /// Of the engine's failures, the share the reviewer agrees with.
    pub precision: Option<f64>,
    /// Of the reviewer's failures, the share the engine finds.
    pub recall: Option<f64>,
    /// Cohen's kappa: agreement beyond chance (1 perfect, 0 chance, below 0 worse than chance).
    pub kappa: Option<f64>,
}

impl RuleAgreement {
    fn add(&mut self, engine_fails: bool, reviewer_fails: bool) {
        self.compared += 1;
        match (engine_fails, reviewer_fails) {
            (true, true) => self.both_fail += 1,
            (true, false) => self.engine_only += 1,
            (false, true) => self.reviewer_only += 1,
            (false, false) => self.both_pass += 1,
        }
    }

    fn finish(&mut self) {
        let ratio = |a: usize, b: usize| (b > 0).then(|| a as f64 / b as f64);
        self.precision = ratio(self.both_fail, self.both_fail + self.engine_only);
        self.recall = ratio(self.both_fail, self.both_fail + self.reviewer_only);
        self.kappa = cohen_kappa(
            self.both_fail,
            self.engine_only,
            self.reviewer_only,
            self.both_pass,
        );
    }
}

/// The agreement report.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Agreement {
    /// Per rule that the reviewer judged, in policy order.
    pub rules: Vec<RuleAgreement>,
    /// Every verdict that differs, in the order conversations were read.
    pub disagreements: Vec<Disagreement>,
    /// Reviewed conversations that were not among the inputs.
    pub missing_conversations: Vec<String>,
    /// Each reviewer against tact and against each other (two reviewers or more).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub calibration: Option<Calibration>,
}

/// Compares scorecards with the reviews as they stream by.
#[derive(Debug)]
pub struct Comparer {
    reviews: Reviews,
    calibrator: Calibrator,
    rules: Vec<RuleAgreement>,
    disagreements: Vec<Disagreement>,
}

impl Comparer {
    /// A comparer for these reviews and the policy's rule ids (in policy order).
    pub fn new(reviews: Reviews, rule_ids: &[&str]) -> Comparer {
        Comparer {
            calibrator: Calibrator::new(rule_ids, reviews.reviewers.clone()),
            reviews,
            rules: rule_ids
                .iter()
                .map(|r| RuleAgreement {
                    rule: r.to_string(),
                    ..RuleAgreement::default()
                })
                .collect(),
            disagreements: Vec::new(),
        }
    }

    /// Compares one conversation's scorecard with its reviews, if it has any.
    pub fn add(&mut self, card: &Scorecard) {
        let Some(reviews) = self.reviews.by_conversation.remove(&card.id) else {
            return;
        };
        for review in reviews {
            let Some(index) = self.rules.iter().position(|r| r.rule == review.rule) else {
                continue;
            };
            let Some(line) = card.rules.get(index) else {
                continue;
            };
            let engine_fails = line.verdict == Verdict::Fail;
            let reviewer_fails = review.verdict == Verdict::Fail;
            self.rules[index].add(engine_fails, reviewer_fails);
            self.calibrator.add(
                &card.id,
                index,
                engine_fails,
                &review.reviewer,
                reviewer_fails,
            );
            if engine_fails != reviewer_fails {
                self.disagreements.push(Disagreement {
                    conversation: card.id.clone(),
                    rule: review.rule,
                    reviewed_by: review.reviewer,
                    reviewer: review.verdict,
                    engine: line.verdict,
                    line: review.line,
                });
            }
        }
    }

    /// The report: rules the reviewer judged, and conversations never seen.
    pub fn finish(self) -> Agreement {
        let mut missing: Vec<String> = self.reviews.by_conversation.into_keys().collect();
        missing.sort();
        let rules = self
            .rules
            .into_iter()
            .filter(|r| r.compared > 0)
            .map(|mut r| {
                r.finish();
                r
            })
            .collect();
        Agreement {
            rules,
            disagreements: self.disagreements,
            missing_conversations: missing,
            // One reviewer's agreement with tact is the table above; calibration needs two.
            calibration: self.calibrator.finish().filter(|c| c.reviewers.len() >= 2),
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests")]
    use super::*;

    #[test]
    fn kappa_matches_a_worked_example() {
        // The worked example of the Wikipedia article "Cohen's kappa" (50 grant proposals, two
        // readers): 20 both yes, 5 a only, 10 b only, 15 both no: po = 0.7, pe = 0.5,
        // kappa = 0.4. The formula is Cohen (1960), "A coefficient of agreement for nominal
        // scales", Educational and Psychological Measurement 20(1), 37–46.
        let k = cohen_kappa(20, 5, 10, 15).unwrap();
        assert!((k - 0.4).abs() < 1e-9, "{k}");
    }

    #[test]
    fn kappa_is_undefined_when_everyone_says_the_same() {
        assert_eq!(cohen_kappa(0, 0, 0, 7), None);
        assert_eq!(cohen_kappa(0, 0, 0, 0), None);
    }

    #[test]
    fn kappa_is_negative_when_they_always_disagree() {
        let k = cohen_kappa(0, 5, 5, 0).unwrap();
        assert!((k + 1.0).abs() < 1e-9, "{k}");
    }

    #[test]
    fn bad_rows_are_reported_by_line_and_the_rest_kept() {
        let csv = "conversation,rule,verdict,notes\n\
                   c1,never-say-wrong,fail,rude\n\
                   c2,never-say-wrng,pass,\n\
                   c3,never-say-wrong,maybe,\n\
                   ,never-say-wrong,pass,\n\
                   c4,never-say-wrong,N/A,\n";
        let (reviews, errors) = Reviews::read("r.csv", csv.as_bytes(), &["never-say-wrong"]);
        assert_eq!(reviews.len(), 2);
        let shown: Vec<String> = errors.iter().map(ToString::to_string).collect();
        assert_eq!(shown.len(), 3, "{shown:?}");
        assert!(shown[0].starts_with("r.csv:3:"), "{}", shown[0]);
        assert!(shown[0].contains("did you mean `never-say-wrong`"));
        assert!(shown[1].starts_with("r.csv:4:"), "{}", shown[1]);
        assert!(shown[2].starts_with("r.csv:5:"), "{}", shown[2]);
    }

    #[test]
    fn reviewers_come_from_their_column_or_the_file_name() {
        let rules = ["never-say-wrong"];
        let (named, _) = Reviews::read(
            "x/r.csv",
            "reviewer,conversation,rule,verdict\n'=bo,c1,never-say-wrong,fail\n,c2,never-say-wrong,pass\n"
                .as_bytes(),
            &rules,
        );
        assert_eq!(named.reviewers(), ["=bo", "r"]);
        let (mut plain, _) = Reviews::read(
            "dir/kim.csv",
            "conversation,rule,verdict\nc1,never-say-wrong,pass\n".as_bytes(),
            &rules,
        );
        plain.extend(named);
        assert_eq!(plain.reviewers(), ["kim", "=bo", "r"]);
        assert_eq!(plain.len(), 3);
    }

    #[test]
    fn a_file_without_the_columns_is_one_error() {
        let (reviews, errors) = Reviews::read("r.csv", "a,b\n1,2\n".as_bytes(), &["x"]);
        assert!(reviews.is_empty());
        assert_eq!(errors.len(), 1);
        assert!(errors[0]
            .to_string()
            .contains("`conversation`, `rule` and `verdict`"));
    }
}
