//! The calibration report as tables (a heading, then rows, the first the column names), shared
//! by the terminal and the HTML page so both say the same.

use crate::score::calibrate::{Calibration, PairAgreement, RuleCalibration, Sides};

/// How many disputed conversations the reports list.
pub const DISPUTES_SHOWN: usize = 50;

/// A ratio with two decimals, or the plain word when it cannot be computed.
pub fn show_figure(value: Option<f64>) -> String {
    value.map_or_else(|| "undefined".into(), |v| format!("{v:.2}"))
}

/// The tables: agreement per rule (each reviewer with tact, each pair, Fleiss over the
/// reviewers), then the conversations with most disagreement.
pub fn calibration_tables(c: &Calibration) -> Vec<(String, Vec<Vec<String>>)> {
    let mut rows = vec![[
        "RULE",
        "BETWEEN",
        "COMPARED",
        "BOTH VIOLATION",
        "FIRST ONLY",
        "SECOND ONLY",
        "NEITHER",
        "AGREEMENT",
        "KAPPA",
    ]
    .map(String::from)
    .to_vec()];
    for rule in c.rules.iter().chain([&c.overall]) {
        rule_rows(rule, &mut rows);
    }
    let mut tables = vec![(
        format!(
            "Calibration of {} reviewer{} ({}) with tact and with each other",
            c.reviewers.len(),
            if c.reviewers.len() == 1 { "" } else { "s" },
            c.reviewers.join(", ")
        ),
        rows,
    )];
    if !c.disputes.is_empty() {
        let mut rows = vec![[
            "CONVERSATION",
            "DISAGREEING PAIRS",
            "RULES",
            "SAID VIOLATION",
            "SAID NO VIOLATION",
        ]
        .map(String::from)
        .to_vec()];
        for d in c.disputes.iter().take(DISPUTES_SHOWN) {
            // Who was on which side, per rule when there are several ("r1: kim; r2: lee, tact").
            let side = |pick: fn(&Sides) -> &Vec<String>| {
                let per_rule: Vec<String> = (d.rules.iter().zip(&d.sides))
                    .map(|(rule, sides)| match d.rules.len() {
                        1 => pick(sides).join(", "),
                        _ => format!("{rule}: {}", pick(sides).join(", ")),
                    })
                    .collect();
                per_rule.join("; ")
            };
            rows.push(vec![
                d.conversation.clone(),
                d.disagreeing_pairs.to_string(),
                d.rules.join(", "),
                side(|s| &s.violation),
                side(|s| &s.no_violation),
            ]);
        }
        let more = c.disputes.len().saturating_sub(DISPUTES_SHOWN);
        tables.push((
            format!(
                "Most disputed conversations{}",
                if more > 0 {
                    format!(" (first {DISPUTES_SHOWN}; {more} more)")
                } else {
                    String::new()
                }
            ),
            rows,
        ));
    }
    tables
}

fn rule_rows(rule: &RuleCalibration, rows: &mut Vec<Vec<String>>) {
    let pair_row = |p: &PairAgreement| {
        vec![
            rule.rule.clone(),
            format!("{} and {}", p.a, p.b),
            p.compared.to_string(),
            p.both_fail.to_string(),
            p.a_only.to_string(),
            p.b_only.to_string(),
            p.both_pass.to_string(),
            show_figure(p.raw_agreement),
            show_figure(p.kappa),
        ]
    };
    rows.extend(rule.with_tact.iter().map(pair_row));
    rows.extend(rule.between_reviewers.iter().map(pair_row));
    if rule.fleiss_items > 0 {
        rows.push(vec![
            rule.rule.clone(),
            "all reviewers (Fleiss)".into(),
            rule.fleiss_items.to_string(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            show_figure(rule.fleiss_kappa),
        ]);
    }
}
