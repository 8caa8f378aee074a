//! Scorecards computed by hand: weights, critical rules, rules that do not apply, aggregates.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test fails loudly on what it did not expect"
)]

use serde_json::json;
use tact::conversation::{Conversation, Origin};
use tact::dsl::{parse_policy, PolicySource};
use tact::engine::Engine;
use tact::input::conversation_from_value;
use tact::score::{score, Aggregator, Scorecard, Verdict};

/// rude (critical, 10), apologize (3, only when a refund is offered), greet (2).
const POLICY: &str = r#"
phrases rude "you're wrong"
phrases sorry "sorry"
phrases refund "refund"
phrases hello "hi", "hello"

rule no-rude
  severity error
  weight 10
  critical
  forbid agent says rude

rule apologize
  weight 3
  when agent says refund
  require agent says sorry

rule greet
  weight 2
  require agent says hello
"#;

fn engine(text: &str) -> Engine {
    let policy = parse_policy(&[PolicySource {
        path: "t.policy".into(),
        text: text.into(),
    }])
    .unwrap_or_else(|e| panic!("{e:?}"));
    Engine::new(&policy).unwrap()
}

fn conversation(id: &str, agent: &str, at: Option<&str>, agent_says: &[&str]) -> Conversation {
    let mut events =
        vec![json!({"type": "message", "from": "customer", "text": "Help!", "at": at})];
    for text in agent_says {
        events.push(json!({"type": "message", "from": "agent", "text": text, "at": at}));
    }
    let value = json!({"id": id, "agent": agent, "team": "t1", "events": events});
    conversation_from_value(value, Origin::default()).unwrap()
}

fn card(engine: &Engine, c: &Conversation) -> Scorecard {
    score(engine.rules(), c, &engine.check(c))
}

fn verdicts(card: &Scorecard) -> Vec<(&str, Verdict, f64)> {
    card.rules
        .iter()
        .map(|r| (r.rule.as_str(), r.verdict, r.points_lost))
        .collect()
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 0.05
}

#[test]
fn a_failed_rule_costs_its_share_of_the_applicable_weight() {
    let e = engine(POLICY);
    // Refund without an apology: 12 of 15 points.
    let c = card(
        &e,
        &conversation("a", "ann", None, &["Hi, a refund is on its way."]),
    );
    assert!(close(c.score.unwrap(), 80.0), "{:?}", c.score);
    let v = verdicts(&c);
    assert_eq!(v[0].1, Verdict::Pass);
    assert_eq!(v[1].1, Verdict::Fail);
    assert!(close(v[1].2, 20.0), "{v:?}");
    assert_eq!(v[2].1, Verdict::Pass);
    assert_eq!(c.critical_failure, None);
}

#[test]
fn a_rule_that_does_not_apply_leaves_the_denominator() {
    let e = engine(POLICY);
    // No refund: `apologize` is n/a, so 12 of 12, not 12 of 15.
    let c = card(&e, &conversation("b", "ann", None, &["Hello there."]));
    assert_eq!(c.score, Some(100.0));
    assert_eq!(c.rules[1].verdict, Verdict::NotApplicable);
    assert!(c.rules[1].reason.is_some());
    // No greeting either: greet (2 of 12) is lost.
    let c = card(&e, &conversation("d", "ann", None, &["Let me check."]));
    assert!(close(c.score.unwrap(), 83.3), "{:?}", c.score);
    assert!(close(c.rules[2].points_lost, 16.7));
}

#[test]
fn a_failed_critical_rule_sets_the_score_to_zero_and_carries_the_rest() {
    let e = engine(POLICY);
    let c = card(&e, &conversation("c", "bob", None, &["Hi. You're wrong."]));
    assert_eq!(c.score, Some(0.0));
    assert_eq!(c.critical_failure.as_deref(), Some("no-rude"));
    // Its own share (10/12) plus what the other rules had earned (2/12): the whole 100.
    let lost: f64 = c.rules.iter().map(|r| r.points_lost).sum();
    assert!(close(lost, 100.0), "{lost}");
    assert!(close(c.rules[0].points_lost, 100.0));
}

#[test]
fn the_customer_saying_it_is_not_a_critical_failure() {
    let e = engine(POLICY);
    let value = json!({"id": "x", "events": [
        {"type": "message", "from": "customer", "text": "You're wrong about my bill."},
        {"type": "message", "from": "agent", "text": "Hi, let me look."}
    ]});
    let c = conversation_from_value(value, Origin::default()).unwrap();
    let c = card(&e, &c);
    assert_eq!(c.score, Some(100.0));
    assert_eq!(c.critical_failure, None);
}

#[test]
fn no_applicable_weight_means_no_score_not_a_perfect_one() {
    let e = engine(
        r#"
phrases refund "refund"
phrases sorry "sorry"
rule apologize
  when agent says refund
  require agent says sorry
rule unweighted
  weight 0
  require agent message
"#,
    );
    let c = card(&e, &conversation("e", "ann", None, &["Hello."]));
    assert_eq!(c.score, None);
}

#[test]
fn weights_default_from_severity() {
    let e = engine(
        r#"
phrases x "x"
rule a
  severity error
  forbid agent says x
rule b
  forbid agent says x
rule c
  severity info
  forbid agent says x
rule d
  severity info
  weight 7
  forbid agent says x
"#,
    );
    let weights: Vec<u32> = e.rules().iter().map(|r| r.weight).collect();
    assert_eq!(weights, [10, 5, 2, 7]);
}

#[test]
fn aggregates_per_agent_rule_and_week() {
    let e = engine(POLICY);
    let cards = [
        card(
            &e,
            &conversation("1", "ann", Some("2026-03-02T10:00:00Z"), &["Hi, refund."]),
        ), // 80
        card(
            &e,
            &conversation("2", "ann", Some("2026-03-03T10:00:00Z"), &["Hello."]),
        ), // 100
        card(
            &e,
            &conversation("3", "bob", Some("2026-03-10T10:00:00Z"), &["You're wrong."]),
        ), // 0
        card(&e, &conversation("4", "bob", None, &["Let me check."])), // 83.3
    ];
    assert_eq!(cards[0].week.as_deref(), Some("2026-W10"));
    assert_eq!(cards[2].week.as_deref(), Some("2026-W11"));
    let mut agg = Aggregator::new(e.rules());
    for c in &cards {
        agg.add(c);
    }
    let agg = agg.finish();
    assert_eq!(agg.overall.conversations, 4);
    assert!(close(
        agg.overall.mean_score.unwrap(),
        (80.0 + 100.0 + 0.0 + 83.3) / 4.0
    ));
    let ann = agg.agents.iter().find(|a| a.name == "ann").unwrap();
    assert!(close(ann.mean_score.unwrap(), 90.0));
    assert_eq!(ann.min_score, Some(80.0));
    let bob = agg.agents.iter().find(|a| a.name == "bob").unwrap();
    assert_eq!(bob.critical_failures, 1);
    assert_eq!(bob.failures, 3); // no-rude and greet in 3, greet in 4
    let greet = agg.rules.iter().find(|r| r.rule == "greet").unwrap();
    assert_eq!(
        (greet.passed, greet.failed, greet.not_applicable),
        (2, 2, 0)
    );
    assert_eq!(greet.pass_rate, Some(0.5));
    let apologize = agg.rules.iter().find(|r| r.rule == "apologize").unwrap();
    assert_eq!(
        (apologize.passed, apologize.failed, apologize.not_applicable),
        (0, 1, 3)
    );
    let weeks: Vec<(&str, usize)> = agg
        .weeks
        .iter()
        .map(|w| (w.name.as_str(), w.conversations))
        .collect();
    assert_eq!(weeks, [("2026-W10", 2), ("2026-W11", 1)]);
    assert_eq!(agg.distribution[8], 2); // 80 and 83.3
    assert_eq!(agg.distribution[9], 1); // 100
    assert_eq!(agg.distribution[0], 1); // 0
}
