//! Evaluating compiled rules against one conversation.

use chrono::{DateTime, Utc};

use super::matcher::{Hit, Scan, SetId};
use super::{CompiledCheck, CompiledCond, CompiledOcc, CompiledRule, Speaker};
use crate::conversation::{Conversation, Party};
use crate::dsl::ast::{Position, Quantity};
use crate::fix::FixKind;
use crate::report::{Outcome, TextSpan, Violation};

/// One occurrence found in the conversation.
#[derive(Debug, Clone)]
struct Found<'s> {
    event: usize,
    hit: Option<&'s Hit>,
}

impl Found<'_> {
    /// Orders occurrences in time: by event, then by place in the text.
    fn key(&self) -> (usize, usize) {
        (self.event, self.hit.map_or(0, |h| h.start))
    }
}

/// A conversation with its messages scanned, ready for rules to ask questions of.
pub(crate) struct Facts<'c> {
    pub conversation: &'c Conversation,
    /// Per event: the scan of its text, for visible messages that were scanned.
    pub scans: Vec<Option<Scan>>,
}

fn party(speaker: Speaker) -> Party {
    match speaker {
        Speaker::Agent => Party::Agent,
        Speaker::Customer => Party::Customer,
    }
}

impl Facts<'_> {
    fn occurrences(&self, occ: &CompiledOcc) -> Vec<Found<'_>> {
        let events = &self.conversation.events;
        match occ {
            CompiledOcc::Says { speaker, set, .. } => self.says(party(*speaker), *set).collect(),
            CompiledOcc::Message(speaker) => events
                .iter()
                .enumerate()
                .filter(|(_, e)| e.is_message_from(party(*speaker)))
                .map(|(event, _)| Found { event, hit: None })
                .collect(),
            CompiledOcc::Event(kind) => events
                .iter()
                .enumerate()
                .filter(|(_, e)| e.kind.eq_ignore_ascii_case(kind))
                .map(|(event, _)| Found { event, hit: None })
                .collect(),
        }
    }

    fn says(&self, who: Party, set: SetId) -> impl Iterator<Item = Found<'_>> {
        self.conversation
            .events
            .iter()
            .zip(&self.scans)
            .enumerate()
            .filter(move |(_, (e, _))| e.is_message_from(who))
            .flat_map(move |(event, (_, scan))| {
                scan.iter()
                    .flat_map(move |s| s.sets.get(set).into_iter().flatten())
                    .map(move |hit| Found {
                        event,
                        hit: Some(hit),
                    })
            })
    }

    fn holds(&self, cond: &CompiledCond) -> bool {
        match cond {
            CompiledCond::Or(parts) => parts.iter().any(|c| self.holds(c)),
            CompiledCond::And(parts) => parts.iter().all(|c| self.holds(c)),
            CompiledCond::Not(inner) => !self.holds(inner),
            CompiledCond::Tagged(tag) => self
                .conversation
                .tags
                .iter()
                .any(|t| t.trim().eq_ignore_ascii_case(tag)),
            CompiledCond::Channel(channel) => self
                .conversation
                .channel
                .as_deref()
                .is_some_and(|c| c.trim().eq_ignore_ascii_case(channel)),
            CompiledCond::Occurs(CompiledOcc::Says {
                speaker,
                set,
                quantity: Some(Quantity { at_least, distinct }),
            }) => {
                let hits = self.says(party(*speaker), *set);
                let count = if *distinct {
                    let mut entries: Vec<usize> =
                        hits.filter_map(|f| f.hit.map(|h| h.entry)).collect();
                    entries.sort_unstable();
                    entries.dedup();
                    entries.len()
                } else {
                    hits.count()
                };
                count >= *at_least as usize
            }
            CompiledCond::Occurs(occ) => !self.occurrences(occ).is_empty(),
        }
    }

    fn time_of(&self, event: usize) -> Option<DateTime<Utc>> {
        self.conversation.events.get(event).and_then(|e| e.at)
    }

    fn pick<'s>(&'s self, position: Position, occ: &CompiledOcc) -> Option<Found<'s>> {
        let mut all = self.occurrences(occ);
        all.sort_by_key(Found::key);
        match position {
            Position::First => all.into_iter().next(),
            Position::Last => all.into_iter().next_back(),
        }
    }
}

/// Evaluates one rule, appending its violations; returns its outcome.
pub(crate) fn evaluate(
    rule: &CompiledRule,
    facts: &Facts<'_>,
    out: &mut Vec<Violation>,
) -> Outcome {
    if !rule.when.iter().all(|c| facts.holds(c)) {
        return Outcome::NotApplicable("its `when` condition does not hold".into());
    }
    let before = out.len();
    match &rule.check {
        CompiledCheck::Forbid { occ, unless } => {
            let excused: Vec<usize> = unless
                .iter()
                .flat_map(|u| facts.occurrences(u))
                .map(|u| u.event)
                .collect();
            for found in facts.occurrences(occ) {
                if excused.contains(&found.event) {
                    continue;
                }
                out.push(violation(rule, facts, Some(&found), Some(FixKind::Replace)));
            }
        }
        CompiledCheck::Cond(cond) => {
            if !facts.holds(cond) {
                out.push(violation(rule, facts, None, None));
            }
        }
        CompiledCheck::Order { first, then } => {
            let Some(target) = facts.pick(Position::First, then) else {
                return Outcome::NotApplicable("what the order is about never happens".into());
            };
            let preceded = facts
                .occurrences(first)
                .iter()
                .any(|f| f.key() < target.key());
            if !preceded {
                out.push(violation(
                    rule,
                    facts,
                    Some(&target),
                    Some(FixKind::InsertBefore),
                ));
            }
        }
        CompiledCheck::Timing {
            moment,
            within,
            anchors,
        } => {
            // The first anchor that happened and carries a time; `else` falls back past an
            // anchor without one (a `created` event with no time, say).
            let found: Vec<Found<'_>> = anchors
                .iter()
                .filter_map(|(p, o)| facts.pick(*p, o))
                .collect();
            if found.is_empty() {
                return Outcome::NotApplicable(
                    "the event time is counted from never happens".into(),
                );
            }
            let Some(start) = found.iter().find_map(|f| facts.time_of(f.event)) else {
                return Outcome::NotApplicable("the conversation carries no times".into());
            };
            let deadline = start + chrono::Duration::seconds(*within);
            match facts.pick(moment.0, &moment.1) {
                Some(found) => match facts.time_of(found.event) {
                    Some(at) if at > deadline => {
                        let mut v = violation(rule, facts, Some(&found), None);
                        v.detail = Some(format!(
                            "it came {} after the start ({} allowed)",
                            human_duration(at - start),
                            human_duration(chrono::Duration::seconds(*within))
                        ));
                        out.push(v);
                    }
                    Some(_) => {}
                    None => {
                        return Outcome::NotApplicable("the conversation carries no times".into())
                    }
                },
                None => {
                    let last_seen = facts.conversation.events.iter().filter_map(|e| e.at).max();
                    if let Some(last) = last_seen.filter(|t| *t > deadline) {
                        let mut v = violation(rule, facts, None, None);
                        v.detail = Some(format!(
                            "it has not happened, and the conversation runs {} past the start ({} allowed)",
                            human_duration(last - start),
                            human_duration(chrono::Duration::seconds(*within))
                        ));
                        out.push(v);
                    } else {
                        return Outcome::NotApplicable(
                            "it has not happened yet and the deadline has not visibly passed"
                                .into(),
                        );
                    }
                }
            }
        }
    }
    if out.len() > before {
        Outcome::Fail
    } else {
        Outcome::Pass
    }
}

fn violation(
    rule: &CompiledRule,
    facts: &Facts<'_>,
    found: Option<&Found<'_>>,
    fix: Option<FixKind>,
) -> Violation {
    let event = found.map(|f| f.event);
    let hit = found.and_then(|f| f.hit);
    let text = event
        .and_then(|i| facts.conversation.events.get(i))
        .and_then(|e| e.text.as_deref());
    let excerpt = match (hit, text) {
        (Some(h), Some(t)) => t.get(h.start..h.end).map(str::to_string),
        _ => None,
    };
    Violation {
        rule: rule.id.clone(),
        severity: rule.severity,
        message: rule.message.clone(),
        event,
        span: hit.map(|h| TextSpan {
            start: h.start,
            end: h.end,
        }),
        excerpt,
        suggestion: hit
            .and_then(|h| h.replacement.clone())
            .or_else(|| rule.suggest.clone()),
        fix: fix.filter(|_| hit.is_some() && text.is_some()),
        safe_fix: fix == Some(FixKind::Replace)
            && text.is_some()
            && hit.is_some_and(|h| h.replacement.is_some()),
        detail: None,
    }
}

/// `6 h 30 min`, `2 d 4 h`, `45 min`, `30 s`.
fn human_duration(d: chrono::Duration) -> String {
    let secs = d.num_seconds().max(0);
    let (days, hours, mins) = (secs / 86_400, secs % 86_400 / 3_600, secs % 3_600 / 60);
    match (days, hours, mins) {
        (0, 0, 0) => format!("{secs} s"),
        (0, 0, m) => format!("{m} min"),
        (0, h, 0) => format!("{h} h"),
        (0, h, m) => format!("{h} h {m} min"),
        (d, 0, _) => format!("{d} d"),
        (d, h, _) => format!("{d} d {h} h"),
    }
}

#[cfg(test)]
mod tests {
    use super::human_duration;
    use chrono::Duration;

    #[test]
    fn durations_read_like_people_write_them() {
        assert_eq!(human_duration(Duration::seconds(30)), "30 s");
        assert_eq!(human_duration(Duration::seconds(45 * 60)), "45 min");
        assert_eq!(human_duration(Duration::seconds(4 * 3600)), "4 h");
        assert_eq!(
            human_duration(Duration::seconds(6 * 3600 + 1800)),
            "6 h 30 min"
        );
        assert_eq!(
            human_duration(Duration::seconds(2 * 86_400 + 4 * 3600 + 59)),
            "2 d 4 h"
        );
    }
}
