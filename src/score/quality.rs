//! Verdict quality against a labelled set: per rule precision, recall and F1, each with a 95%
//! interval, so a figure measured on 12 violations is not read like one measured on 400.

use serde::{Deserialize, Serialize};

use super::compare::{Agreement, RuleAgreement};

/// z for a two-sided 95% interval.
const Z95: f64 = 1.959_963_984_540_054;

/// A proportion with its 95% Wilson score interval.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Estimate {
    /// The measured proportion.
    pub value: f64,
    /// Lower end of the interval.
    pub low: f64,
    /// Upper end of the interval.
    pub high: f64,
}

/// The Wilson score interval of `hits` out of `n` (none when `n` is 0): unlike the normal
/// approximation it stays inside 0..1 and is honest for small counts and for 0% or 100%.
pub fn wilson(hits: usize, n: usize) -> Option<Estimate> {
    if n == 0 {
        return None;
    }
    let (k, n) = (hits as f64, n as f64);
    let p = k / n;
    let z2 = Z95 * Z95;
    let centre = (p + z2 / (2.0 * n)) / (1.0 + z2 / n);
    let half = Z95 / (1.0 + z2 / n) * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt();
    Some(Estimate {
        value: p,
        low: (centre - half).max(0.0),
        high: (centre + half).min(1.0),
    })
}

/// How well one rule agrees with the labels.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RuleQuality {
    /// The rule id.
    pub rule: String,
    /// Labelled (conversation, rule) pairs compared.
    pub judged: usize,
    /// Violations in the labels.
    pub violations: usize,
    /// Flags that are labelled violations.
    pub true_positives: usize,
    /// Flags on conversations labelled as no violation.
    pub false_positives: usize,
    /// Labelled violations not flagged.
    pub false_negatives: usize,
    /// Precision: the share of flags that are right.
    pub precision: Option<Estimate>,
    /// Recall: the share of labelled violations flagged.
    pub recall: Option<Estimate>,
    /// The harmonic mean of precision and recall.
    pub f1: Option<f64>,
}

impl RuleQuality {
    fn from_agreement(a: &RuleAgreement) -> RuleQuality {
        let tp = a.both_fail;
        let precision = wilson(tp, tp + a.engine_only);
        let recall = wilson(tp, tp + a.reviewer_only);
        let f1 = match (precision, recall) {
            (Some(p), Some(r)) if p.value + r.value > 0.0 => {
                Some(2.0 * p.value * r.value / (p.value + r.value))
            }
            (Some(_), Some(_)) => Some(0.0),
            _ => None,
        };
        RuleQuality {
            rule: a.rule.clone(),
            judged: a.compared,
            violations: tp + a.reviewer_only,
            true_positives: tp,
            false_positives: a.engine_only,
            false_negatives: a.reviewer_only,
            precision,
            recall,
            f1,
        }
    }
}

/// The quality of every rule, and of all of them pooled.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Quality {
    /// Per rule, in policy order.
    pub rules: Vec<RuleQuality>,
    /// Every rule's pairs pooled.
    pub overall: RuleQuality,
}

impl Quality {
    /// Quality from the agreement of the engine with the labels.
    pub fn from_agreement(agreement: &Agreement) -> Quality {
        let rules: Vec<RuleQuality> = agreement
            .rules
            .iter()
            .map(RuleQuality::from_agreement)
            .collect();
        let mut pooled = RuleAgreement {
            rule: "all rules".into(),
            ..RuleAgreement::default()
        };
        for r in &agreement.rules {
            pooled.compared += r.compared;
            pooled.both_fail += r.both_fail;
            pooled.engine_only += r.engine_only;
            pooled.reviewer_only += r.reviewer_only;
            pooled.both_pass += r.both_pass;
        }
        Quality {
            overall: RuleQuality::from_agreement(&pooled),
            rules,
        }
    }

    /// The figures of the rule `id`, when it was measured.
    pub fn rule(&self, id: &str) -> Option<&RuleQuality> {
        self.rules.iter().find(|r| r.rule == id)
    }

    /// Rules whose precision or recall fell below `recorded` by more than the recorded
    /// interval (its half-width below the value), with what fell.
    pub fn regressions(&self, recorded: &Quality) -> Vec<String> {
        let mut out = Vec::new();
        for old in &recorded.rules {
            let Some(new) = self.rule(&old.rule) else {
                out.push(format!("{}: no longer measured", old.rule));
                continue;
            };
            for (what, was, now) in [
                ("precision", old.precision, new.precision),
                ("recall", old.recall, new.recall),
            ] {
                if let Some(was) = was {
                    let floor = was.low;
                    let now_value = now.map_or(0.0, |e| e.value);
                    if now_value + 1e-9 < floor {
                        out.push(format!(
                            "{}: {what} {now_value:.3} is below the recorded {:.3} by more than its interval (floor {floor:.3})",
                            old.rule, was.value
                        ));
                    }
                }
            }
        }
        out
    }
}

/// The built-in policy's figures on the labelled test split, recorded by
/// `tact eval eval/test --format json > eval/figures.json` and compiled in, so `tact rules` and
/// `tact explain` can say how far each built-in rule's verdicts can be trusted.
pub fn builtin_figures() -> Option<Quality> {
    #[derive(Deserialize)]
    struct Recorded {
        #[serde(flatten)]
        quality: Quality,
    }
    serde_json::from_str::<Recorded>(include_str!("../../eval/figures.json"))
        .ok()
        .map(|r| r.quality)
}

/// `0.97`, or `-` when nothing was measured.
pub fn format_value(e: Option<Estimate>) -> String {
    e.map_or_else(|| "-".into(), |e| format!("{:.2}", e.value))
}

/// `0.97 [0.83-0.99]`, or `-` when nothing was measured.
pub fn format_estimate(e: Option<Estimate>) -> String {
    match e {
        Some(e) => format!("{:.2} [{:.2}-{:.2}]", e.value, e.low, e.high),
        None => "-".into(),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests")]
    use super::*;

    #[test]
    fn wilson_matches_published_values() {
        // 8 of 10: 0.4902..0.9433 (Wilson 1927; also R's prop.test without correction).
        let e = wilson(8, 10).unwrap();
        assert!(
            (e.low - 0.4902).abs() < 1e-3 && (e.high - 0.9433).abs() < 1e-3,
            "{e:?}"
        );
        let all = wilson(20, 20).unwrap();
        assert_eq!(all.high, 1.0);
        assert!((all.low - 0.8389).abs() < 1e-3, "{all:?}");
        assert!(wilson(0, 0).is_none());
    }

    #[test]
    fn the_recorded_figures_cover_every_builtin_rule() {
        let figures = builtin_figures().unwrap();
        let engine = crate::builtin_engine().unwrap();
        for rule in engine.rules() {
            assert!(
                figures.rules.iter().any(|r| *r.rule == *rule.id),
                "{} has no recorded figures",
                rule.id
            );
        }
    }

    #[test]
    fn a_drop_beyond_the_interval_is_a_regression() {
        let rule = |tp: usize, fp: usize, fneg: usize| RuleAgreement {
            rule: "r".into(),
            compared: 100,
            both_fail: tp,
            engine_only: fp,
            reviewer_only: fneg,
            both_pass: 100 - tp - fp - fneg,
            ..RuleAgreement::default()
        };
        let quality = |a: RuleAgreement| {
            Quality::from_agreement(&Agreement {
                rules: vec![a],
                ..Agreement::default()
            })
        };
        let recorded = quality(rule(40, 2, 4));
        assert!(quality(rule(40, 3, 5)).regressions(&recorded).is_empty());
        let worse = quality(rule(30, 20, 14)).regressions(&recorded);
        assert_eq!(worse.len(), 2, "{worse:?}");
    }
}
