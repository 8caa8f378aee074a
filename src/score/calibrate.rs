//! Calibration: how far reviewers agree with tact and with each other, rule by rule.
//!
//! Each (conversation, rule) judged by a reviewer is an item with two classes, violation or
//! not (a rule that did not apply is "not"). Per rule, and pooled over all rules:
//! - each reviewer against tact, and each pair of reviewers: raw agreement and Cohen's kappa
//!   over the items both judged;
//! - Fleiss' kappa over the reviewers (tact left out), on the items every reviewer judged.
//!
//! Conversations are then ranked by disagreement: for each item, the pairs of raters (tact and
//! the reviewers who judged it) that differ, summed over the conversation's rules.

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;

/// The calibration report.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Calibration {
    /// The reviewers, in the order their files were read.
    pub reviewers: Vec<String>,
    /// Per rule that someone judged, in policy order.
    pub rules: Vec<RuleCalibration>,
    /// All rules pooled (`rule` is `all rules`).
    pub overall: RuleCalibration,
    /// Conversations where some rater differs, most disagreement first.
    pub disputes: Vec<Dispute>,
}

/// Agreement on one rule (or all rules pooled).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct RuleCalibration {
    /// The rule id.
    pub rule: String,
    /// Conversations at least one reviewer judged on this rule.
    pub items: usize,
    /// Each reviewer against tact (`a` the reviewer, `b` is `tact`).
    pub with_tact: Vec<PairAgreement>,
    /// Each pair of reviewers.
    pub between_reviewers: Vec<PairAgreement>,
    /// Fleiss' kappa of the reviewers, when two or more judged the same conversations.
    pub fleiss_kappa: Option<f64>,
    /// The conversations Fleiss' kappa is computed on: those every reviewer judged.
    pub fleiss_items: usize,
}

/// Two raters' agreement over the items both judged.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct PairAgreement {
    /// One rater.
    pub a: String,
    /// The other rater.
    pub b: String,
    /// Items both judged.
    pub compared: usize,
    /// Both say violation.
    pub both_fail: usize,
    /// Only `a` says violation.
    pub a_only: usize,
    /// Only `b` says violation.
    pub b_only: usize,
    /// Neither says violation.
    pub both_pass: usize,
    /// The share of items on which they agree.
    pub raw_agreement: Option<f64>,
    /// Cohen's kappa: agreement beyond chance.
    pub kappa: Option<f64>,
}

impl PairAgreement {
    fn new(a: &str, b: &str, pairs: impl Iterator<Item = (bool, bool)>) -> PairAgreement {
        let mut p = PairAgreement {
            a: a.to_string(),
            b: b.to_string(),
            ..PairAgreement::default()
        };
        for pair in pairs {
            p.compared += 1;
            match pair {
                (true, true) => p.both_fail += 1,
                (true, false) => p.a_only += 1,
                (false, true) => p.b_only += 1,
                (false, false) => p.both_pass += 1,
            }
        }
        p.raw_agreement =
            (p.compared > 0).then(|| (p.both_fail + p.both_pass) as f64 / p.compared as f64);
        p.kappa = cohen_kappa(p.both_fail, p.a_only, p.b_only, p.both_pass);
        p
    }
}

/// A conversation on which raters differ.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Dispute {
    /// The conversation id.
    pub conversation: String,
    /// Pairs of raters (tact included) that differ, summed over its rules.
    pub disagreeing_pairs: usize,
    /// The rules on which someone differs, in policy order.
    pub rules: Vec<String>,
    /// Who said what on each of those rules, in the same order.
    pub sides: Vec<Sides>,
}

/// The raters on each side of a disputed rule: reviewers by name, in the order their files were
/// read, and `tact`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Sides {
    /// Those who said the rule was violated.
    pub violation: Vec<String>,
    /// Those who said it was not.
    pub no_violation: Vec<String>,
}

/// Cohen's kappa (Cohen 1960) of a 2×2 table, or `None` when chance agreement is certain (one class only).
pub fn cohen_kappa(both_yes: usize, a_only: usize, b_only: usize, both_no: usize) -> Option<f64> {
    let n = (both_yes + a_only + b_only + both_no) as f64;
    if n == 0.0 {
        return None;
    }
    let observed = (both_yes + both_no) as f64 / n;
    let a_yes = (both_yes + a_only) as f64 / n;
    let b_yes = (both_yes + b_only) as f64 / n;
    let chance = a_yes * b_yes + (1.0 - a_yes) * (1.0 - b_yes);
    if (1.0 - chance).abs() < f64::EPSILON {
        return None;
    }
    Some((observed - chance) / (1.0 - chance))
}

/// Fleiss' kappa of a table with one row per item and one column per category, each cell the
/// number of raters who put the item in that category. Every row must have the same number of
/// raters, at least two; `None` otherwise, or when chance agreement is certain.
pub fn fleiss_kappa(table: &[Vec<usize>]) -> Option<f64> {
    let raters = table.first()?.iter().sum::<usize>();
    if raters < 2 || table.iter().any(|row| row.iter().sum::<usize>() != raters) {
        return None;
    }
    let items = table.len() as f64;
    let n = raters as f64;
    let categories = table.iter().map(Vec::len).max().unwrap_or(0);
    let share = |j: usize| {
        table
            .iter()
            .map(|row| row.get(j).copied().unwrap_or(0))
            .sum::<usize>() as f64
            / (items * n)
    };
    let chance: f64 = (0..categories).map(|j| share(j).powi(2)).sum();
    let observed = table
        .iter()
        .map(|row| {
            let squares: f64 = row.iter().map(|&c| (c as f64).powi(2)).sum();
            (squares - n) / (n * (n - 1.0))
        })
        .sum::<f64>()
        / items;
    if (1.0 - chance).abs() < f64::EPSILON {
        return None;
    }
    Some((observed - chance) / (1.0 - chance))
}

/// One judged item: tact's verdict and each reviewer's (by index), violation or not.
#[derive(Debug, Default)]
struct Item {
    tact: bool,
    reviewers: BTreeMap<usize, bool>,
}

/// Collects the verdicts as the scorecards stream by.
#[derive(Debug, Default)]
pub struct Calibrator {
    rules: Vec<String>,
    reviewers: Vec<String>,
    conversations: Vec<String>,
    seen: HashMap<String, usize>,
    /// By (conversation index, rule index).
    items: BTreeMap<(usize, usize), Item>,
}

impl Calibrator {
    /// A calibrator for the policy's rule ids (in policy order) and the reviewers (in the order
    /// their files were read).
    pub fn new(rule_ids: &[&str], reviewers: Vec<String>) -> Calibrator {
        Calibrator {
            rules: rule_ids.iter().map(ToString::to_string).collect(),
            reviewers,
            ..Calibrator::default()
        }
    }

    /// Records one reviewer's verdict on a rule of a conversation; a reviewer's later verdict on
    /// the same item replaces the earlier one.
    pub fn add(
        &mut self,
        conversation: &str,
        rule: usize,
        tact_fails: bool,
        reviewer: &str,
        reviewer_fails: bool,
    ) {
        let Some(who) = self.reviewers.iter().position(|r| r == reviewer) else {
            return;
        };
        let next = self.conversations.len();
        let index = *self.seen.entry(conversation.to_string()).or_insert(next);
        if index == next {
            self.conversations.push(conversation.to_string());
        }
        let item = self.items.entry((index, rule)).or_default();
        item.tact = tact_fails;
        item.reviewers.insert(who, reviewer_fails);
    }

    /// The report, or `None` when nothing was judged.
    pub fn finish(self) -> Option<Calibration> {
        if self.items.is_empty() {
            return None;
        }
        let mut by_rule: BTreeMap<usize, Vec<&Item>> = BTreeMap::new();
        for ((_, rule), item) in &self.items {
            by_rule.entry(*rule).or_default().push(item);
        }
        let rules = by_rule
            .iter()
            .map(|(&rule, items)| {
                let name = self.rules.get(rule).map_or("", String::as_str);
                self.rule_calibration(name, items)
            })
            .collect();
        let all: Vec<&Item> = self.items.values().collect();
        let overall = self.rule_calibration("all rules", &all);
        Some(Calibration {
            reviewers: self.reviewers.clone(),
            rules,
            overall,
            disputes: self.disputes(),
        })
    }

    fn rule_calibration(&self, rule: &str, items: &[&Item]) -> RuleCalibration {
        let with_tact = self
            .reviewers
            .iter()
            .enumerate()
            .map(|(r, name)| {
                let pairs = items
                    .iter()
                    .filter_map(|item| item.reviewers.get(&r).map(|&v| (v, item.tact)));
                PairAgreement::new(name, "tact", pairs)
            })
            .filter(|p| p.compared > 0)
            .collect();
        let mut between_reviewers = Vec::new();
        for (i, a) in self.reviewers.iter().enumerate() {
            for (j, b) in self.reviewers.iter().enumerate().skip(i + 1) {
                let pairs = items
                    .iter()
                    .filter_map(|item| Some((*item.reviewers.get(&i)?, *item.reviewers.get(&j)?)));
                let pair = PairAgreement::new(a, b, pairs);
                if pair.compared > 0 {
                    between_reviewers.push(pair);
                }
            }
        }
        let everyone = self.reviewers.len();
        let table: Vec<Vec<usize>> = items
            .iter()
            .filter(|item| item.reviewers.len() == everyone)
            .map(|item| {
                let fails = item.reviewers.values().filter(|&&v| v).count();
                vec![fails, everyone - fails]
            })
            .collect();
        RuleCalibration {
            rule: rule.to_string(),
            items: items.len(),
            with_tact,
            between_reviewers,
            fleiss_kappa: if everyone >= 2 {
                fleiss_kappa(&table)
            } else {
                None
            },
            fleiss_items: if everyone >= 2 { table.len() } else { 0 },
        }
    }

    fn disputes(&self) -> Vec<Dispute> {
        let mut disputes: Vec<(usize, Dispute)> = Vec::new();
        for (&(conversation, rule), item) in &self.items {
            let raters = item.reviewers.len() + 1;
            let fails = item.reviewers.values().filter(|&&v| v).count() + usize::from(item.tact);
            let pairs = fails * (raters - fails);
            if pairs == 0 {
                continue;
            }
            let rule = self.rules.get(rule).cloned().unwrap_or_default();
            let sides = self.sides(item);
            match disputes.last_mut() {
                Some((c, d)) if *c == conversation => {
                    d.disagreeing_pairs += pairs;
                    d.rules.push(rule);
                    d.sides.push(sides);
                }
                _ => disputes.push((
                    conversation,
                    Dispute {
                        conversation: self.conversations[conversation].clone(),
                        disagreeing_pairs: pairs,
                        rules: vec![rule],
                        sides: vec![sides],
                    },
                )),
            }
        }
        // Most disagreement first; among equals, the order the conversations were read.
        disputes
            .sort_by(|(a, x), (b, y)| y.disagreeing_pairs.cmp(&x.disagreeing_pairs).then(a.cmp(b)));
        disputes.into_iter().map(|(_, d)| d).collect()
    }

    /// Who said violation and who did not on one item: the reviewers, then tact.
    fn sides(&self, item: &Item) -> Sides {
        let mut sides = Sides {
            violation: Vec::new(),
            no_violation: Vec::new(),
        };
        let raters = (item.reviewers.iter())
            .filter_map(|(&r, &fails)| Some((self.reviewers.get(r)?.as_str(), fails)))
            .chain([("tact", item.tact)]);
        for (name, fails) in raters {
            let side = if fails {
                &mut sides.violation
            } else {
                &mut sides.no_violation
            };
            side.push(name.to_string());
        }
        sides
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests")]
    use super::*;

    #[test]
    fn fleiss_kappa_matches_the_worked_example() {
        // The worked example of the Wikipedia article "Fleiss' kappa" (section "Worked
        // example"): 14 raters put 10 subjects into 5 categories; P̄ = 0.378, P̄e = 0.213,
        // κ = 0.210. The formula is Fleiss (1971), "Measuring nominal scale agreement among many
        // raters", Psychological Bulletin 76(5), 378–382.
        let table = vec![
            vec![0, 0, 0, 0, 14],
            vec![0, 2, 6, 4, 2],
            vec![0, 0, 3, 5, 6],
            vec![0, 3, 9, 2, 0],
            vec![2, 2, 8, 1, 1],
            vec![7, 7, 0, 0, 0],
            vec![3, 2, 6, 3, 0],
            vec![2, 5, 3, 2, 2],
            vec![6, 5, 2, 1, 0],
            vec![0, 2, 2, 3, 7],
        ];
        let k = fleiss_kappa(&table).unwrap();
        assert!((k - 0.210).abs() < 0.0005, "{k}");
    }

    #[test]
    fn fleiss_kappa_needs_the_same_raters_on_every_item() {
        assert_eq!(fleiss_kappa(&[vec![1, 1], vec![2, 1]]), None);
        assert_eq!(fleiss_kappa(&[vec![1, 0]]), None);
        assert_eq!(fleiss_kappa(&[]), None);
        // Everyone always says the same category: chance agreement is certain.
        assert_eq!(fleiss_kappa(&[vec![3, 0], vec![3, 0]]), None);
    }

    #[test]
    fn perfect_agreement_is_one() {
        let k = fleiss_kappa(&[vec![3, 0], vec![0, 3], vec![3, 0]]).unwrap();
        assert!((k - 1.0).abs() < 1e-12, "{k}");
    }

    fn calibrator() -> Calibrator {
        // Two reviewers on one rule over four conversations; tact fails c1 and c2.
        let mut c = Calibrator::new(&["r0", "r1"], vec!["ana".into(), "bo".into()]);
        for (id, tact, ana, bo) in [
            ("c1", true, true, true),
            ("c2", true, false, true),
            ("c3", false, false, false),
            ("c4", false, true, false),
        ] {
            c.add(id, 1, tact, "ana", ana);
            c.add(id, 1, tact, "bo", bo);
        }
        c.add("c5", 0, false, "ana", true);
        c
    }

    #[test]
    fn pairs_and_counts_per_rule() {
        let report = calibrator().finish().unwrap();
        assert_eq!(report.reviewers, ["ana", "bo"]);
        let r1 = report.rules.iter().find(|r| r.rule == "r1").unwrap();
        assert_eq!(r1.items, 4);
        let ana = &r1.with_tact[0];
        assert_eq!(
            (ana.a.as_str(), ana.b.as_str(), ana.compared),
            ("ana", "tact", 4)
        );
        assert_eq!(
            (ana.both_fail, ana.a_only, ana.b_only, ana.both_pass),
            (1, 1, 1, 1)
        );
        assert_eq!(ana.raw_agreement, Some(0.5));
        assert_eq!(ana.kappa, Some(0.0));
        let bo = &r1.with_tact[1];
        assert_eq!(bo.raw_agreement, Some(1.0));
        assert_eq!(bo.kappa, Some(1.0));
        let pair = &r1.between_reviewers[0];
        assert_eq!((pair.a.as_str(), pair.b.as_str()), ("ana", "bo"));
        assert_eq!(pair.raw_agreement, Some(0.5));
        // Fleiss, by hand: P_i = 1, 0, 1, 0 → P̄ = 0.5; p(fail) = 4/8 → P̄e = 0.5; κ = 0.
        assert_eq!(r1.fleiss_items, 4);
        assert!(r1.fleiss_kappa.unwrap().abs() < 1e-12);
        // r0: only ana judged c5, so no pair and no Fleiss item.
        let r0 = report.rules.iter().find(|r| r.rule == "r0").unwrap();
        assert_eq!(r0.between_reviewers.len(), 0);
        assert_eq!(r0.fleiss_items, 0);
        assert_eq!(report.overall.items, 5);
        assert_eq!(report.overall.with_tact[0].compared, 5);
    }

    #[test]
    fn the_most_disputed_conversations_come_first() {
        let report = calibrator().finish().unwrap();
        let order: Vec<(&str, usize)> = report
            .disputes
            .iter()
            .map(|d| (d.conversation.as_str(), d.disagreeing_pairs))
            .collect();
        // c2 and c4: one rater of three differs (2 pairs); c5: ana against tact (1 pair).
        assert_eq!(order, [("c2", 2), ("c4", 2), ("c5", 1)]);
        assert_eq!(report.disputes[0].rules, ["r1"]);
        // c2: tact and bo said violation, ana did not.
        assert_eq!(report.disputes[0].sides[0].violation, ["bo", "tact"]);
        assert_eq!(report.disputes[0].sides[0].no_violation, ["ana"]);
        // c5: ana said violation, tact did not.
        assert_eq!(report.disputes[2].sides[0].violation, ["ana"]);
        assert_eq!(report.disputes[2].sides[0].no_violation, ["tact"]);
    }

    #[test]
    fn a_later_verdict_replaces_an_earlier_one_and_strangers_are_ignored() {
        let mut c = Calibrator::new(&["r0"], vec!["ana".into()]);
        c.add("c1", 0, true, "ana", false);
        c.add("c1", 0, true, "ana", true);
        c.add("c1", 0, true, "nobody", false);
        let report = c.finish().unwrap();
        assert_eq!(report.overall.with_tact[0].compared, 1);
        assert_eq!(report.overall.with_tact[0].both_fail, 1);
        assert!(report.disputes.is_empty());
        assert!(Calibrator::new(&["r0"], vec![]).finish().is_none());
    }
}
