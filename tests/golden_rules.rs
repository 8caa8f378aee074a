//! Golden cases for every built-in rule: conversations that must fire it and conversations that
//! must not (the customer saying the phrase, internal notes, negation, the agent admitting its
//! own mistake, curly apostrophes, odd spacing and case). Cases live in `tests/golden/<rule>.yaml`.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test fails loudly on what it did not expect"
)]

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;
use serde_json::{json, Value};
use tact::conversation::Origin;
use tact::input::conversation_from_value;

#[derive(Deserialize)]
struct GoldenFile {
    rule: String,
    cases: Vec<Case>,
}

#[derive(Deserialize)]
struct Case {
    name: String,
    fires: bool,
    /// `speaker: text` lines, as messages, before `events`.
    #[serde(default)]
    say: Vec<String>,
    /// Events in the contract's format, after `say`.
    #[serde(default)]
    events: Vec<Value>,
    /// The excerpt the first violation must carry.
    excerpt: Option<String>,
    /// The event the first violation must point at.
    event: Option<usize>,
}

fn conversation(case: &Case) -> tact::conversation::Conversation {
    let mut events: Vec<Value> = case
        .say
        .iter()
        .map(|line| {
            let (who, text) = line.split_once(':').unwrap_or(("agent", line));
            json!({"type": "message", "from": who.trim(), "text": text.trim_start()})
        })
        .collect();
    events.extend(case.events.iter().cloned());
    let value = json!({"id": case.name, "events": events});
    conversation_from_value(value, Origin::default()).expect("golden case is a valid conversation")
}

#[test]
fn every_builtin_rule_behaves_as_its_golden_cases_say() {
    let engine = tact::builtin_engine().expect("built-in policy compiles");
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden");
    let mut failures = Vec::new();
    let mut seen: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .expect("tests/golden exists")
        .map(|e| e.expect("readable entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
        .collect();
    paths.sort();
    for path in paths {
        let text = std::fs::read_to_string(&path).expect("readable golden file");
        let file: GoldenFile =
            tact::yaml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        assert!(
            engine.rules().iter().any(|r| *r.id == *file.rule),
            "{}: unknown rule {}",
            path.display(),
            file.rule
        );
        for case in &file.cases {
            let counts = seen.entry(file.rule.clone()).or_default();
            if case.fires {
                counts.0 += 1;
            } else {
                counts.1 += 1;
            }
            let report = engine.check(&conversation(case));
            let hits: Vec<_> = report
                .violations
                .iter()
                .filter(|v| *v.rule == *file.rule)
                .collect();
            if hits.is_empty() == case.fires {
                failures.push(format!(
                    "{} / {}: expected {}, got {:?}",
                    file.rule,
                    case.name,
                    if case.fires { "a violation" } else { "none" },
                    hits.iter().map(|v| &v.excerpt).collect::<Vec<_>>()
                ));
                continue;
            }
            if let Some(first) = hits.first() {
                assert!(
                    first
                        .suggestion
                        .as_deref()
                        .is_some_and(|s| !s.trim().is_empty()),
                    "{} / {}: a built-in violation must carry a suggestion",
                    file.rule,
                    case.name
                );
                if let Some(want) = &case.excerpt {
                    if first.excerpt.as_ref() != Some(want) {
                        failures.push(format!(
                            "{} / {}: excerpt {:?}, expected {want:?}",
                            file.rule, case.name, first.excerpt
                        ));
                    }
                }
                if let Some(want) = case.event {
                    if first.event != Some(want) {
                        failures.push(format!(
                            "{} / {}: event {:?}, expected {want}",
                            file.rule, case.name, first.event
                        ));
                    }
                }
            }
        }
    }
    for rule in engine.rules() {
        let (fire, pass) = seen.get(&*rule.id).copied().unwrap_or((0, 0));
        if fire == 0 || pass == 0 {
            failures.push(format!(
                "{}: needs golden cases on both sides ({fire} firing, {pass} not firing)",
                rule.id
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
