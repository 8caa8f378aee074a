//! Scorecards: each rule's verdict on a conversation turned into a score out of 100, and the
//! aggregates a QA team reads (per agent, team, rule and week).
//!
//! A rule that passes earns its weight; one that fails earns nothing; one that does not apply
//! leaves the denominator. A failed critical rule sets the score to 0. A conversation no weighted
//! rule applies to has no score (rather than a perfect one).

pub mod calibrate;
pub mod compare;
pub mod quality;
pub mod sample;

use std::collections::BTreeMap;

use serde::Serialize;

use crate::conversation::Conversation;
use crate::engine::RuleInfo;
use crate::report::{ConversationReport, Outcome};

/// One rule's verdict on one conversation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    /// The rule applied and held.
    Pass,
    /// The rule applied and was broken.
    Fail,
    /// The rule did not apply.
    #[serde(rename = "n/a")]
    NotApplicable,
}

impl Verdict {
    /// `pass`, `fail` or `n/a`, as reports write it.
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Pass => "pass",
            Verdict::Fail => "fail",
            Verdict::NotApplicable => "n/a",
        }
    }
}

/// A rule's line on a conversation's scorecard.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RuleScore {
    /// The rule id.
    pub rule: String,
    /// Its verdict.
    pub verdict: Verdict,
    /// Its weight.
    pub weight: u32,
    /// Points of the 100 this verdict cost (0 unless it failed).
    pub points_lost: f64,
    /// Why the rule did not apply, when it did not.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// One conversation's scorecard.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Scorecard {
    /// The conversation id.
    pub id: String,
    /// `file:line`.
    pub source: String,
    /// The agent, if known.
    pub agent: Option<String>,
    /// The team, if known.
    pub team: Option<String>,
    /// The ISO week of the conversation's first timed event (`2026-W09`), if it has times.
    pub week: Option<String>,
    /// 0-100, or `None` when no weighted rule applied.
    pub score: Option<f64>,
    /// The critical rule that failed, which set the score to 0.
    pub critical_failure: Option<String>,
    /// One line per rule, in policy order.
    pub rules: Vec<RuleScore>,
}

/// Computes a conversation's scorecard from the engine's report on it.
pub fn score(
    rules: &[RuleInfo],
    conversation: &Conversation,
    report: &ConversationReport,
) -> Scorecard {
    let verdicts: Vec<(Verdict, Option<String>)> = report
        .outcomes
        .iter()
        .map(|o| match o {
            Outcome::Pass => (Verdict::Pass, None),
            Outcome::Fail => (Verdict::Fail, None),
            Outcome::NotApplicable(why) => (Verdict::NotApplicable, Some(why.clone())),
        })
        .collect();
    let applicable = |v: Verdict| v != Verdict::NotApplicable;
    let possible: u32 = rules
        .iter()
        .zip(&verdicts)
        .filter(|(_, (v, _))| applicable(*v))
        .map(|(r, _)| r.weight)
        .sum();
    let earned: u32 = rules
        .iter()
        .zip(&verdicts)
        .filter(|(_, (v, _))| *v == Verdict::Pass)
        .map(|(r, _)| r.weight)
        .sum();
    let critical_failure = rules
        .iter()
        .zip(&verdicts)
        .find(|(r, (v, _))| r.critical && *v == Verdict::Fail)
        .map(|(r, _)| r.id.to_string());
    let share = |weight: u32| {
        if possible == 0 {
            0.0
        } else {
            100.0 * f64::from(weight) / f64::from(possible)
        }
    };
    let base = (possible > 0).then(|| round2(share(earned)));
    let score = match (&critical_failure, base) {
        (Some(_), _) => Some(0.0),
        (None, base) => base,
    };
    let lines = rules
        .iter()
        .zip(verdicts)
        .map(|(r, (verdict, reason))| {
            let mut points_lost = if verdict == Verdict::Fail {
                share(r.weight)
            } else {
                0.0
            };
            // The critical rule also carries what was left of the score.
            if critical_failure.as_deref() == Some(&*r.id) {
                points_lost += base.unwrap_or(0.0);
            }
            RuleScore {
                rule: r.id.to_string(),
                verdict,
                weight: r.weight,
                points_lost: round2(points_lost),
                reason,
            }
        })
        .collect();
    Scorecard {
        id: conversation.id.clone(),
        source: report.source.clone(),
        agent: conversation.agent.clone(),
        team: conversation.team.clone(),
        week: week_of(conversation),
        score,
        critical_failure,
        rules: lines,
    }
}

/// Scores are shown to one decimal and kept to two: enough for sums to come out right.
fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// The ISO week of the conversation's first timed event.
fn week_of(conversation: &Conversation) -> Option<String> {
    use chrono::Datelike;
    let at = conversation.events.iter().find_map(|e| e.at)?;
    let week = at.iso_week();
    Some(format!("{}-W{:02}", week.year(), week.week()))
}

/// Scores of a group of conversations (an agent's, a team's, a week's).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct GroupStats {
    /// The agent, team or week.
    pub name: String,
    /// Conversations in the group.
    pub conversations: usize,
    /// Of them, those with a score.
    pub scored: usize,
    /// The mean score of those, if any.
    pub mean_score: Option<f64>,
    /// The lowest score.
    pub min_score: Option<f64>,
    /// Rule failures in all.
    pub failures: usize,
    /// Conversations a critical rule sent to 0.
    pub critical_failures: usize,
    #[serde(skip)]
    total: f64,
}

impl GroupStats {
    fn add(&mut self, card: &Scorecard) {
        self.conversations += 1;
        self.failures += card
            .rules
            .iter()
            .filter(|r| r.verdict == Verdict::Fail)
            .count();
        self.critical_failures += usize::from(card.critical_failure.is_some());
        if let Some(score) = card.score {
            self.scored += 1;
            self.total += score;
            self.mean_score = Some(self.total / self.scored as f64);
            self.min_score = Some(self.min_score.map_or(score, |m: f64| m.min(score)));
        }
    }
}

/// How one rule fared over all conversations.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct RuleStats {
    /// The rule id.
    pub rule: String,
    /// Its weight.
    pub weight: u32,
    /// Whether a failure sends the score to 0.
    pub critical: bool,
    /// Conversations it passed.
    pub passed: usize,
    /// Conversations it failed.
    pub failed: usize,
    /// Conversations it did not apply to.
    pub not_applicable: usize,
    /// passed / (passed + failed), if it ever applied.
    pub pass_rate: Option<f64>,
    /// Points lost to it, summed over conversations.
    pub points_lost: f64,
}

/// Every aggregate of a run, built as scorecards stream by.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Aggregates {
    /// All conversations together.
    pub overall: GroupStats,
    /// Per agent, by name (`(none)` for conversations without one).
    pub agents: Vec<GroupStats>,
    /// Per team.
    pub teams: Vec<GroupStats>,
    /// Per rule, in policy order.
    pub rules: Vec<RuleStats>,
    /// Per ISO week, in time order (only conversations with times).
    pub weeks: Vec<GroupStats>,
    /// How many conversations scored in each tenth: `[0,10)`, ..., `[90,100]`.
    pub distribution: [usize; 10],
    /// For each timing rule, the share of tickets within target per agent and per week (the
    /// SLA achievement that helpdesk reports show).
    pub service_levels: Vec<ServiceLevel>,
    /// When the conversations listed are a sample (`--sample`), what it is; the aggregates above
    /// still cover every conversation.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sample: Option<sample::Sample>,
}

/// How often one timing rule's target was met within one group (an agent, a week).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ServiceLevel {
    /// The timing rule.
    pub rule: String,
    /// `agent` or `week`.
    pub by: &'static str,
    /// The agent or the week.
    pub name: String,
    /// Tickets within target.
    pub within: usize,
    /// Tickets that missed it.
    pub missed: usize,
    /// within / (within + missed).
    pub rate: f64,
}

/// Accumulates [`Aggregates`] one scorecard at a time, in memory proportional to the number of
/// agents, teams, rules and weeks (not conversations).
#[derive(Debug, Default)]
pub struct Aggregator {
    overall: GroupStats,
    agents: BTreeMap<String, GroupStats>,
    teams: BTreeMap<String, GroupStats>,
    weeks: BTreeMap<String, GroupStats>,
    rules: Vec<RuleStats>,
    distribution: [usize; 10],
    /// Which rules time something.
    timed: Vec<bool>,
    /// (rule, by, name) to (within, missed).
    service_levels: BTreeMap<(usize, &'static str, String), (usize, usize)>,
}

/// The group name of conversations that do not name their agent or team.
pub const NONE_NAME: &str = "(none)";

impl Aggregator {
    /// An aggregator for a policy's rules.
    pub fn new(rules: &[RuleInfo]) -> Aggregator {
        Aggregator {
            overall: GroupStats {
                name: "all".into(),
                ..GroupStats::default()
            },
            rules: rules
                .iter()
                .map(|r| RuleStats {
                    rule: r.id.to_string(),
                    weight: r.weight,
                    critical: r.critical,
                    ..RuleStats::default()
                })
                .collect(),
            timed: rules.iter().map(|r| r.timed).collect(),
            ..Aggregator::default()
        }
    }

    /// Adds one scorecard.
    pub fn add(&mut self, card: &Scorecard) {
        self.overall.add(card);
        let group = |map: &mut BTreeMap<String, GroupStats>, name: &str| {
            map.entry(name.to_string())
                .or_insert_with(|| GroupStats {
                    name: name.to_string(),
                    ..GroupStats::default()
                })
                .add(card)
        };
        group(&mut self.agents, card.agent.as_deref().unwrap_or(NONE_NAME));
        group(&mut self.teams, card.team.as_deref().unwrap_or(NONE_NAME));
        if let Some(week) = &card.week {
            group(&mut self.weeks, week);
        }
        for (index, line) in card.rules.iter().enumerate() {
            if !self.timed.get(index).copied().unwrap_or(false) {
                continue;
            }
            let met = match line.verdict {
                Verdict::Pass => true,
                Verdict::Fail => false,
                Verdict::NotApplicable => continue,
            };
            let agent = card.agent.as_deref().unwrap_or(NONE_NAME).to_string();
            let groups =
                std::iter::once(("agent", agent)).chain(card.week.clone().map(|w| ("week", w)));
            for (by, name) in groups {
                let counts = self.service_levels.entry((index, by, name)).or_default();
                if met {
                    counts.0 += 1;
                } else {
                    counts.1 += 1;
                }
            }
        }
        for (stats, line) in self.rules.iter_mut().zip(&card.rules) {
            match line.verdict {
                Verdict::Pass => stats.passed += 1,
                Verdict::Fail => stats.failed += 1,
                Verdict::NotApplicable => stats.not_applicable += 1,
            }
            stats.points_lost += line.points_lost;
        }
        if let Some(score) = card.score {
            let bin = ((score / 10.0).floor() as usize).min(9);
            self.distribution[bin] += 1;
        }
    }

    /// The aggregates so far.
    pub fn finish(self) -> Aggregates {
        let service_levels = self
            .service_levels
            .into_iter()
            .map(|((rule, by, name), (within, missed))| ServiceLevel {
                rule: self
                    .rules
                    .get(rule)
                    .map(|r| r.rule.clone())
                    .unwrap_or_default(),
                by,
                name,
                within,
                missed,
                rate: within as f64 / (within + missed).max(1) as f64,
            })
            .collect();
        let rules = self
            .rules
            .into_iter()
            .map(|mut r| {
                let applied = r.passed + r.failed;
                r.pass_rate = (applied > 0).then(|| r.passed as f64 / applied as f64);
                r
            })
            .collect();
        Aggregates {
            overall: self.overall,
            agents: self.agents.into_values().collect(),
            teams: self.teams.into_values().collect(),
            rules,
            weeks: self.weeks.into_values().collect(),
            distribution: self.distribution,
            service_levels,
            sample: None,
        }
    }
}
