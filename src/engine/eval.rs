//! Evaluating compiled rules against one conversation.

use std::cell::OnceCell;
use std::sync::Arc;

use chrono::{DateTime, Utc};

use super::clock::Clock;
use super::matcher::{Hit, Scan, SetId};
use super::{CompiledCheck, CompiledCond, CompiledNear, CompiledOcc, CompiledRule, Limit, Speaker};
use crate::analysis::learned::Remedy;
use crate::analysis::{Act, Analysis, Clause};
use crate::conversation::{Conversation, Party};
use crate::dsl::ast::{NearKind, Position, Quantity, Scope, SpeechAct};
use crate::report::{FixKind, Outcome, TextSpan, Violation};

/// Where an occurrence stands in its message's text.
#[derive(Debug, Clone)]
struct Spot {
    start: usize,
    end: usize,
    /// The set entry that matched, for counting distinct phrases.
    entry: Option<usize>,
    replacement: Option<Arc<str>>,
}

impl Spot {
    /// Words found by the analysis or the learned reader, not by a phrase entry.
    fn unlisted(start: usize, end: usize) -> Self {
        Spot {
            start,
            end,
            entry: None,
            replacement: None,
        }
    }
}

impl From<&Hit> for Spot {
    fn from(h: &Hit) -> Self {
        Spot {
            start: h.start,
            end: h.end,
            entry: Some(h.entry),
            replacement: h.replacement.clone(),
        }
    }
}

/// What an occurrence asks for, as a cache key: who, which act (none for `says`), which set.
pub(crate) type OccKey = (Speaker, Option<SpeechAct>, Option<SetId>);

/// One occurrence found in the conversation.
#[derive(Debug, Clone)]
pub(crate) struct Found {
    event: usize,
    spot: Option<Spot>,
}

impl Found {
    /// Orders occurrences in time: by event, then by place in the text.
    fn key(&self) -> (usize, usize) {
        (self.event, self.spot.as_ref().map_or(0, |h| h.start))
    }
}

/// A conversation with its messages scanned and analysed, ready for rules to ask questions of.
pub(crate) struct Facts<'c> {
    pub conversation: &'c Conversation,
    /// Per event: the scan of its text, for visible messages that were scanned.
    pub scans: Vec<Option<Scan>>,
    /// Per event: the analysis of its text, made the first time a rule asks for it: most
    /// messages are never analysed, because no phrase or act a rule needs is in them.
    pub analyses: Vec<OnceCell<Option<Analysis>>>,
    /// Per event: what it answers, whether a problem was reported. Made when first asked for.
    pub problem: OnceCell<Vec<super::Answering>>,
    /// Occurrences of phrases and acts already found, by what was asked: several rules ask the
    /// same ("agent offers solution").
    pub found: std::cell::RefCell<foldhash::HashMap<OccKey, std::rc::Rc<Vec<Found>>>>,
    /// What the customer and the agent said, for echoes; made when first needed.
    pub heard: [OnceCell<crate::analysis::Heard>; 2],
    /// Whether customer messages are read too.
    pub scan_customer: bool,
    /// Per phrase set: whether the learned remedy reader corrects it (`learned remedies`).
    pub learned: &'c [bool],
    /// Per event: the learned reader's scores of its sentences, made when first asked for.
    pub remedies: Vec<OnceCell<Vec<Remedy>>>,
}

fn party(speaker: Speaker) -> Party {
    match speaker {
        Speaker::Agent => Party::Agent,
        Speaker::Customer => Party::Customer,
    }
}

/// The analysis acts that make up each speech act of the language.
fn acts_of(act: SpeechAct) -> &'static [Act] {
    match act {
        SpeechAct::Asks => &[Act::Question],
        SpeechAct::Apologizes => &[Act::Apology],
        SpeechAct::Acknowledges => &[Act::Acknowledgement],
        SpeechAct::Offers => &[Act::Offer, Act::Directive, Act::Promise, Act::Routing],
        SpeechAct::Promises => &[Act::Promise],
        SpeechAct::Instructs => &[Act::Directive],
        SpeechAct::Refuses => &[Act::Refusal],
        SpeechAct::Thanks => &[Act::Thanks],
    }
}

/// Whether a clause performs `act` in earnest: an offer that is negated, hangs on a condition
/// or is only a closing formula is no offer; a refusal that is itself a condition ("if we
/// can't...") is no refusal.
fn performs(clause: &Clause, act: SpeechAct) -> Option<(usize, usize)> {
    if clause.is_condition && act != SpeechAct::Asks {
        return None;
    }
    let cue = acts_of(act).iter().find_map(|a| clause.cue(*a))?;
    match act {
        SpeechAct::Offers => {
            // A condition holds back any offer in its clause, even beside a pointer ("if yours
            // is one of them we'll swap it, details here"); a clause that only instructs still
            // gives the customer a way forward ("if it hasn't come, reply here").
            let directive = clause.acts.has(Act::Directive) || clause.acts.has(Act::Routing);
            let has_offer = clause.cue(Act::Offer).is_some();
            if clause.conditional && (!directive || has_offer) {
                return None;
            }
            if clause.negated_before(cue.0 + 1) {
                return None;
            }
            Some(cue)
        }
        SpeechAct::Promises => (!clause.negated_before(cue.0 + 1)).then_some(cue),
        // "We can't take it back once it's unwrapped" still refuses.
        SpeechAct::Refuses => Some(cue),
        // An offer put as a question ("want me to move you onto that one?", "shall I refund
        // it?") asks nothing about the problem.
        SpeechAct::Asks
            if clause
                .cue(Act::Offer)
                .is_some_and(|(s, _)| s + 2 >= cue.0 && s <= cue.0 + 12)
                && !clause.acts.has(Act::Request)
                && !clause.acts.has(Act::Promise) =>
        {
            None
        }
        _ => Some(cue),
    }
}

/// Whether a clause gives the customer an alternative or a next step: an offer someone makes,
/// an instruction, a route onward; not a passive report ("it was booked on separate tickets")
/// or a pointer to more information.
fn gives_a_way_forward(clause: &Clause) -> bool {
    let own = (clause.acts.has(Act::Offer) && !clause.passive_offer)
        || clause.acts.has(Act::Promise)
        || clause.acts.has(Act::Routing)
        || clause.acts.has(Act::Directive);
    own && !clause.informs
}

/// Whether a phrase at `spot` is carried by the act of `clause`: the act is performed, and no
/// negation stands between the clause's start and the phrase.
fn carries(clause: &Clause, act: SpeechAct, spot: &Spot, answering: super::Answering) -> bool {
    if performs(clause, act).is_none() {
        return false;
    }
    // The phrase must be what the act is about: after one of its verbs ("we'll send a
    // replacement"), or just before a passive one ("a replacement has been sent").
    let in_reach = acts_of(act)
        .iter()
        .filter_map(|a| clause.cue(*a))
        .any(|cue| spot.start >= cue.0 || cue.0.saturating_sub(spot.end) <= 30);
    if !in_reach {
        return false;
    }
    // A remedy needs a problem. An instruction without one is a how-to; an offer made when
    // the customer has only asked for something grants the request ("can we swap the handles
    // to black?" "we can swap them").
    let instruction_only = !clause.acts.has(Act::Offer) && !clause.acts.has(Act::Promise);
    let needs_problem = instruction_only && !answering.problem;
    if act == SpeechAct::Offers && (needs_problem || answering.request_only) {
        return false;
    }
    // Sending the customer elsewhere carries no remedy ("you can request a refund from the
    // store"), though it is a next step when nothing else is offered.
    let own_act = [Act::Offer, Act::Directive, Act::Promise]
        .iter()
        .any(|a| clause.acts.has(*a));
    // "I'm sorry we sent the wrong size" names the problem; "I'll tell you the status of your
    // refund" gives news. Neither offers the remedy it mentions. An apology after the remedy
    // ("I've credited the $28 back to your card, sorry about that!") takes nothing from it.
    let acted_at = clause
        .cue(Act::Offer)
        .map_or(spot.start, |(s, _)| s.min(spot.start));
    let apologizes_first = clause.cue(Act::Apology).is_some_and(|(s, _)| s < acted_at);
    let describes = apologizes_first
        || (clause.informs && !clause.acts.has(Act::Offer) && !clause.acts.has(Act::Directive));
    match act {
        SpeechAct::Offers => own_act && !describes && !clause.negated_before(spot.start),
        SpeechAct::Promises | SpeechAct::Instructs => !clause.negated_before(spot.start),
        _ => true,
    }
}

impl Facts<'_> {
    fn occurrences(&self, occ: &CompiledOcc) -> std::rc::Rc<Vec<Found>> {
        let key: Option<OccKey> = match occ {
            CompiledOcc::Says { speaker, set, .. } => Some((*speaker, None, Some(*set))),
            CompiledOcc::Act {
                speaker, act, set, ..
            } => Some((*speaker, Some(*act), *set)),
            _ => None,
        };
        if let Some(hit) = key.and_then(|k| self.found.borrow().get(&k).cloned()) {
            return hit;
        }
        let found = std::rc::Rc::new(self.find(occ));
        if let Some(k) = key {
            self.found.borrow_mut().insert(k, found.clone());
        }
        found
    }

    fn find(&self, occ: &CompiledOcc) -> Vec<Found> {
        let events = &self.conversation.events;
        match occ {
            CompiledOcc::Says { speaker, set, .. } => {
                let who = party(*speaker);
                let learned = self.reads_learned(who, *set);
                let mut found: Vec<Found> = self.says(who, *set, false, learned).collect();
                if learned {
                    found.extend(self.learned_remedies(who, *set));
                    found.sort_by_key(Found::key);
                }
                found
            }
            CompiledOcc::Act {
                speaker, act, set, ..
            } => self.acts(party(*speaker), *act, *set),
            CompiledOcc::Message(speaker) => events
                .iter()
                .enumerate()
                .filter(|(_, e)| e.is_message_from(party(*speaker)))
                .map(|(event, _)| Found { event, spot: None })
                .collect(),
            CompiledOcc::Event(kind) => events
                .iter()
                .enumerate()
                // `event any`: whatever happened (the start of a history with no `created`).
                .filter(|(_, e)| kind == "any" || e.kind.eq_ignore_ascii_case(kind))
                .map(|(event, _)| Found { event, spot: None })
                .collect(),
        }
    }

    fn analysis(&self, event: usize) -> Option<&Analysis> {
        self.analyses
            .get(event)?
            .get_or_init(|| {
                super::analyze_event(self.conversation, event, self.scan_customer, &self.heard)
            })
            .as_ref()
    }

    fn problem_before(&self, event: usize) -> super::Answering {
        self.problem
            .get_or_init(|| super::problem_context(self.conversation))
            .get(event)
            .copied()
            .unwrap_or_default()
    }

    /// Whether the learned reader corrects `set` in `who`'s messages: only in the agent's,
    /// which are what it was trained on.
    fn reads_learned(&self, who: Party, set: SetId) -> bool {
        who == Party::Agent && self.learned.get(set) == Some(&true)
    }

    /// The learned reader's scores of an event's sentences.
    fn remedies(&self, event: usize) -> &[Remedy] {
        let Some(cell) = self.remedies.get(event) else {
            return &[];
        };
        cell.get_or_init(|| {
            let text = self.conversation.events[event]
                .text
                .as_deref()
                .unwrap_or("");
            crate::analysis::learned::scored(text)
        })
    }

    /// Each sentence of `who`'s messages the reader is sure gives a remedy where the set's
    /// list is silent (none of its words there, nor a match its `but not` took away) and the
    /// analysis finds the speaker's own offer (not negated, conditional, quoted or copied):
    /// the reader fills the gaps of the word list, and whether something is offered or only
    /// mentioned stays the analysis' call. Each points from the offer's words to the end of
    /// the sentence, so an apology earlier in the sentence comes before it.
    fn learned_remedies(&self, who: Party, set: SetId) -> Vec<Found> {
        let mut added = Vec::new();
        for (event, e) in self.conversation.events.iter().enumerate() {
            if !e.is_message_from(who) {
                continue;
            }
            let scan = self.scans.get(event).and_then(Option::as_ref);
            for r in self.remedies(event).iter().filter(|r| r.surely_gives()) {
                if scan.is_some_and(|scan| scan.has_words(set, r.sentence)) {
                    continue;
                }
                if let Some(start) = self.own_offer_in(event, r.sentence) {
                    added.push(Found {
                        event,
                        spot: Some(Spot::unlisted(start, r.sentence.1.max(start))),
                    });
                }
            }
        }
        added
    }

    /// Where, in bytes `sentence` of an event, the analysis first finds the speaker offering
    /// something of their own, as it would for a phrase of a set there.
    fn own_offer_in(&self, event: usize, sentence: (usize, usize)) -> Option<usize> {
        let analysis = self.analysis(event)?;
        let problem = self.problem_before(event);
        let first = analysis
            .clauses
            .partition_point(|c| c.range.1 <= sentence.0);
        analysis.clauses[first..]
            .iter()
            .take_while(|c| c.range.0 < sentence.1)
            .filter(|c| gives_a_way_forward(c))
            .find_map(|clause| {
                let (start, end) = performs(clause, SpeechAct::Offers)?;
                let spot = Spot::unlisted(start, end);
                (carries(clause, SpeechAct::Offers, &spot, problem)
                    && !analysis.is_echo(start, end))
                .then_some(start)
            })
    }

    /// Whether the learned reader is sure the sentence holding `start..end` gives no remedy.
    fn surely_no_remedy(&self, event: usize, start: usize, end: usize) -> bool {
        let scored = self.remedies(event);
        let first = scored.partition_point(|r| r.sentence.1 <= start);
        scored[first..]
            .iter()
            .take_while(|r| r.sentence.0 < end)
            .any(|r| r.surely_gives_none())
    }

    /// Phrases of `set` in the speaker's own words (not quoted, reported or copied; with
    /// `endorsing`, copied words the speaker's instruction takes up count as its own); with
    /// `veto`, less those in sentences the learned reader is sure give no remedy.
    fn says(
        &self,
        who: Party,
        set: SetId,
        endorsing: bool,
        veto: bool,
    ) -> impl Iterator<Item = Found> + '_ {
        self.conversation
            .events
            .iter()
            .zip(&self.scans)
            .enumerate()
            .filter(move |(_, (e, _))| e.is_message_from(who))
            .flat_map(move |(event, (_, scan))| {
                // Analysed only where the set has words: a policy of phrase rules alone
                // analyses few messages.
                scan.iter()
                    .flat_map(move |s| s.sets.get(set).into_iter().flatten())
                    .filter(move |h| {
                        !self.analysis(event).is_some_and(|a| {
                            a.is_echo(h.start, h.end)
                                && !(endorsing && a.is_endorsed(h.start, h.end))
                        })
                    })
                    .filter(move |h| !(veto && self.surely_no_remedy(event, h.start, h.end)))
                    .map(move |hit| Found {
                        event,
                        spot: Some(Spot::from(hit)),
                    })
            })
    }

    /// The speaker performing `act`; with a set, each phrase of it that the act carries.
    fn acts(&self, who: Party, act: SpeechAct, set: Option<SetId>) -> Vec<Found> {
        match set {
            Some(set) => self.acts_carrying(who, act, set),
            None => self.acts_alone(who, act),
        }
    }

    /// Each phrase of `set` the act carries. Only messages holding a phrase are analysed.
    fn acts_carrying(&self, who: Party, act: SpeechAct, set: SetId) -> Vec<Found> {
        // A fix the customer proposed is still a solution when the agent tells them to apply
        // it; it is no reflex of the agent's.
        // The reader judges remedies given: it corrects offers only, not refusals or promises.
        let learned = act == SpeechAct::Offers && self.reads_learned(who, set);
        let hits: Vec<Found> = self
            .says(who, set, act == SpeechAct::Offers, learned)
            .collect();
        let mut out = Vec::new();
        for found in hits {
            let Some(spot) = &found.spot else { continue };
            let Some(clause) = self
                .analysis(found.event)
                .and_then(|a| a.clause_at(spot.start))
            else {
                continue;
            };
            let problem = self.problem_before(found.event);
            if carries(clause, act, spot, problem) {
                out.push(found);
            }
        }
        if learned {
            out.extend(self.learned_remedies(who, set));
            out.sort_by_key(Found::key);
        }
        out
    }

    /// Every clause performing the act, in the speaker's messages that may perform it.
    fn acts_alone(&self, who: Party, act: SpeechAct) -> Vec<Found> {
        let mut out = Vec::new();
        for (event, e) in self.conversation.events.iter().enumerate() {
            if !e.is_message_from(who) {
                continue;
            }
            let text = e.text.as_deref().unwrap_or("");
            if !acts_of(act)
                .iter()
                .any(|a| crate::analysis::speech_act::may_perform(*a, text))
            {
                continue;
            }
            let Some(analysis) = self.analysis(event) else {
                continue;
            };
            for clause in &analysis.clauses {
                if act == SpeechAct::Offers && !gives_a_way_forward(clause) {
                    continue;
                }
                if let Some((start, end)) = performs(clause, act) {
                    if analysis.is_echo(start, end) {
                        continue;
                    }
                    out.push(Found {
                        event,
                        spot: Some(Spot::unlisted(start, end)),
                    });
                }
            }
        }
        out
    }

    /// Whether `other` stands within `scope` of `found` (`after`: before it; `unless`: anywhere).
    fn near(&self, found: &Found, other: &Found, kind: NearKind, scope: Scope) -> bool {
        if found.event != other.event {
            return false;
        }
        let (Some(a), Some(b)) = (&found.spot, &other.spot) else {
            return scope == Scope::SameMessage;
        };
        if kind == NearKind::After && b.start > a.start {
            return false;
        }
        let Some(analysis) = self.analysis(found.event) else {
            return scope == Scope::SameMessage;
        };
        let (sa, sb) = (analysis.sentence_at(a.start), analysis.sentence_at(b.start));
        let after = match kind {
            NearKind::After => sa.checked_sub(sb),
            NearKind::Unless => sb.checked_sub(sa),
        };
        match scope {
            Scope::SameMessage => true,
            Scope::SameSentence => sa == sb,
            Scope::SameOrNextSentence => sa == sb || after == Some(1),
            Scope::NextSentence => after == Some(1),
            Scope::WithinWords(n) => {
                let text = self.conversation.events[found.event]
                    .text
                    .as_deref()
                    .unwrap_or("");
                let (from, to) = if b.end <= a.start {
                    (b.end, a.start)
                } else if a.end <= b.start {
                    (a.end, b.start)
                } else {
                    return true;
                };
                text.get(from..to)
                    .is_some_and(|gap| gap.split_whitespace().count() <= n as usize)
            }
        }
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
            CompiledCond::Priority(priority) => self
                .conversation
                .priority
                .as_deref()
                .is_some_and(|p| p.trim().eq_ignore_ascii_case(priority)),
            CompiledCond::Occurs(
                occ @ (CompiledOcc::Says {
                    quantity: Some(q), ..
                }
                | CompiledOcc::Act {
                    quantity: Some(q), ..
                }),
            ) => {
                let Quantity { at_least, distinct } = *q;
                let hits = self.occurrences(occ);
                let count = if distinct {
                    let mut entries: Vec<usize> = hits
                        .iter()
                        .filter_map(|f| f.spot.as_ref().and_then(|s| s.entry))
                        .collect();
                    entries.sort_unstable();
                    entries.dedup();
                    entries.len()
                } else {
                    hits.len()
                };
                count >= at_least as usize
            }
            CompiledCond::Occurs(occ) => !self.occurrences(occ).is_empty(),
        }
    }

    fn time_of(&self, event: usize) -> Option<DateTime<Utc>> {
        self.conversation.events.get(event).and_then(|e| e.at)
    }

    fn pick(&self, position: Position, occ: &CompiledOcc) -> Option<Found> {
        let all = self.occurrences(occ);
        match position {
            // `next` and `every` are read by the timing check itself; on their own they
            // stand for the first.
            Position::First | Position::Next | Position::Every => {
                all.iter().min_by_key(|f| f.key()).cloned()
            }
            Position::Last => all.iter().max_by_key(|f| f.key()).cloned(),
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
        CompiledCheck::Forbid { occ, near } => {
            // Each alternative's matches, shared rather than copied; an alternative named twice
            // is cached once, so it is tested once.
            let mut others: Vec<std::rc::Rc<Vec<Found>>> = Vec::new();
            for o in near.iter().flat_map(|n| &n.occs) {
                let matches = facts.occurrences(o);
                if !others.iter().any(|m| std::rc::Rc::ptr_eq(m, &matches)) {
                    others.push(matches);
                }
            }
            for found in facts.occurrences(occ).iter() {
                if let Some(CompiledNear { kind, scope, .. }) = near {
                    let close = others
                        .iter()
                        .flat_map(|m| m.iter())
                        .any(|o| facts.near(found, o, *kind, *scope));
                    let counts = match kind {
                        NearKind::Unless => !close,
                        NearKind::After => close,
                    };
                    if !counts {
                        continue;
                    }
                }
                out.push(violation(rule, facts, Some(found), Some(FixKind::Replace)));
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
            anchors,
            limit,
        } => {
            let (within, clock) = match timer(rule, limit, facts) {
                Ok(timer) => timer,
                Err(outcome) => return outcome,
            };
            if anchors.first().is_some_and(|(p, _)| *p == Position::Every) {
                if let Some((_, anchor)) = anchors.first() {
                    if let Err(outcome) =
                        every_reply(rule, facts, &moment.1, anchor, within, &clock, out)
                    {
                        return outcome;
                    }
                }
            } else if let Err(outcome) =
                first_reply(rule, facts, moment, anchors, within, &clock, out)
            {
                return outcome;
            }
        }
        CompiledCheck::Periodic { occ, until, limit } => {
            let (within, clock) = match timer(rule, limit, facts) {
                Ok(timer) => timer,
                Err(outcome) => return outcome,
            };
            if let Err(outcome) = periodic(rule, facts, occ, until.as_ref(), within, &clock, out) {
                return outcome;
            }
        }
    }
    if out.len() > before {
        Outcome::Fail
    } else {
        Outcome::Pass
    }
}

/// The limit that applies to this conversation (the first target whose condition holds, else
/// the rule's own) and the clock to count it with.
fn timer<'a>(
    rule: &'a CompiledRule,
    limit: &'a Limit,
    facts: &Facts<'_>,
) -> Result<(i64, Clock<'a>), Outcome> {
    let (within, business) = limit
        .targets
        .iter()
        .find(|(cond, _, _)| facts.holds(cond))
        .map_or((limit.within, limit.business), |(_, s, b)| (*s, *b));
    let calendar = rule.calendar.as_deref();
    if business && calendar.is_none() {
        return Err(Outcome::NotApplicable(
            "it counts business hours, and no calendar is set (`calendar:` in tact.yaml)".into(),
        ));
    }
    Ok((
        within,
        Clock::new(calendar, facts.conversation, &limit.pause),
    ))
}

fn last_time(facts: &Facts<'_>) -> Option<DateTime<Utc>> {
    facts.conversation.events.iter().filter_map(|e| e.at).max()
}

fn timed_violation(
    rule: &CompiledRule,
    facts: &Facts<'_>,
    found: Option<&Found>,
    detail: String,
) -> Violation {
    let mut v = violation(rule, facts, found, None);
    v.detail = Some(detail);
    v
}

/// `require first X within N of A else B`: X must come within N of the first anchor that
/// happened and carries a time.
fn first_reply(
    rule: &CompiledRule,
    facts: &Facts<'_>,
    moment: &(Position, CompiledOcc),
    anchors: &[(Position, CompiledOcc)],
    within: i64,
    clock: &Clock<'_>,
    out: &mut Vec<Violation>,
) -> Result<(), Outcome> {
    // The first anchor that happened and carries a time; `else` falls back past an anchor
    // without one (a `created` event with no time, say).
    let found: Vec<Found> = anchors
        .iter()
        .filter_map(|(p, o)| facts.pick(*p, o))
        .collect();
    if found.is_empty() {
        return Err(Outcome::NotApplicable(
            "the event time is counted from never happens".into(),
        ));
    }
    let Some(start) = found.iter().find_map(|f| facts.time_of(f.event)) else {
        return Err(Outcome::NotApplicable(
            "the conversation carries no times".into(),
        ));
    };
    let allowed = clock.allowed(within, human_duration);
    let of_what = clock.counted_as();
    match facts.pick(moment.0, &moment.1) {
        Some(found) => match facts.time_of(found.event) {
            Some(at) if clock.elapsed(start, at) > within => out.push(timed_violation(
                rule,
                facts,
                Some(&found),
                format!(
                    "it came {}{of_what} after the start ({allowed})",
                    human_duration(clock.elapsed(start, at))
                ),
            )),
            Some(_) => {}
            None => {
                return Err(Outcome::NotApplicable(
                    "the conversation carries no times".into(),
                ))
            }
        },
        None => match last_time(facts).filter(|t| clock.elapsed(start, *t) > within) {
            Some(last) => out.push(timed_violation(
                rule,
                facts,
                None,
                format!(
                    "it has not happened, and the conversation runs {}{of_what} past the start ({allowed})",
                    human_duration(clock.elapsed(start, last))
                ),
            )),
            None => {
                return Err(Outcome::NotApplicable(
                    "it has not happened yet and the deadline has not visibly passed".into(),
                ))
            }
        },
    }
    Ok(())
}

/// `require next X within N of every A` (next reply time): each A that starts a wait (one
/// not already waiting on an earlier A) must be followed by an X within N. A violation points
/// at the late X, or at the A left unanswered once the conversation's times pass the limit.
fn every_reply(
    rule: &CompiledRule,
    facts: &Facts<'_>,
    reply: &CompiledOcc,
    anchor: &CompiledOcc,
    within: i64,
    clock: &Clock<'_>,
    out: &mut Vec<Violation>,
) -> Result<(), Outcome> {
    let mut waits = facts.occurrences(anchor).as_ref().clone();
    if waits.is_empty() {
        return Err(Outcome::NotApplicable(
            "the event time is counted from never happens".into(),
        ));
    }
    waits.sort_by_key(Found::key);
    let mut replies = facts.occurrences(reply).as_ref().clone();
    replies.sort_by_key(Found::key);
    // A wait ends at the ticket's resolution: no reply is owed on a solved ticket.
    let resolutions: Vec<(usize, DateTime<Utc>)> = facts
        .conversation
        .events
        .iter()
        .enumerate()
        .filter(|(_, e)| e.kind == "resolved")
        .filter_map(|(i, e)| e.at.map(|at| (i, at)))
        .collect();
    let allowed = clock.allowed(within, human_duration);
    let of_what = clock.counted_as();
    let last = last_time(facts);
    let mut judged = false;
    // Replies and waits are both in order, so the next reply is found by moving forward.
    let mut next_reply = 0;
    let mut waiting_on: Option<Option<Found>> = None;
    for wait in &waits {
        // Still waiting for the reply to an earlier one: the clock runs from that one.
        if let Some(pending) = &waiting_on {
            if pending.as_ref().is_none_or(|r| r.key() > wait.key()) {
                continue;
            }
        }
        while replies
            .get(next_reply)
            .is_some_and(|r| r.key() <= wait.key())
        {
            next_reply += 1;
        }
        let answer = replies.get(next_reply).cloned();
        waiting_on = Some(answer.clone());
        let Some(start) = facts.time_of(wait.event) else {
            continue;
        };
        let resolved = resolutions
            .get(resolutions.partition_point(|(i, _)| *i <= wait.event))
            .filter(|(i, _)| answer.as_ref().is_none_or(|a| *i < a.event))
            .map(|(_, at)| *at);
        match (answer, resolved) {
            (Some(answer), None) => {
                let Some(at) = facts.time_of(answer.event) else {
                    continue;
                };
                judged = true;
                let taken = clock.elapsed(start, at);
                if taken > within {
                    out.push(timed_violation(
                        rule,
                        facts,
                        Some(&answer),
                        format!(
                            "it came {}{of_what} after the message it answers ({allowed})",
                            human_duration(taken)
                        ),
                    ));
                }
            }
            (_, Some(resolved)) => {
                judged = true;
                let taken = clock.elapsed(start, resolved);
                if taken > within {
                    out.push(timed_violation(
                        rule,
                        facts,
                        Some(wait),
                        format!(
                            "no reply in the {}{of_what} until the ticket was resolved ({allowed})",
                            human_duration(taken)
                        ),
                    ));
                }
            }
            (None, None) => {
                let Some(last) = last else { continue };
                let taken = clock.elapsed(start, last);
                if taken > within {
                    judged = true;
                    out.push(timed_violation(
                        rule,
                        facts,
                        Some(wait),
                        format!(
                            "no reply, and the conversation runs {}{of_what} past this message ({allowed})",
                            human_duration(taken)
                        ),
                    ));
                }
            }
        }
    }
    if judged {
        Ok(())
    } else {
        Err(Outcome::NotApplicable(
            "no reply could be timed: no times, or the last wait is still within its limit".into(),
        ))
    }
}

/// `require X at least every N [until U]` (periodic update): from X's first time, no gap
/// between one X and the next, nor from the last X to U (or the conversation's last time),
/// may be longer than N.
fn periodic(
    rule: &CompiledRule,
    facts: &Facts<'_>,
    occ: &CompiledOcc,
    until: Option<&(Position, CompiledOcc)>,
    within: i64,
    clock: &Clock<'_>,
    out: &mut Vec<Violation>,
) -> Result<(), Outcome> {
    let mut updates: Vec<(Found, DateTime<Utc>)> = facts
        .occurrences(occ)
        .iter()
        .filter_map(|f| facts.time_of(f.event).map(|t| (f.clone(), t)))
        .collect();
    if updates.is_empty() {
        return Err(Outcome::NotApplicable(
            "it never happens with a time, so there is nothing to count from".into(),
        ));
    }
    updates.sort_by_key(|(f, _)| f.key());
    let end = until
        .and_then(|(p, o)| facts.pick(*p, o))
        .and_then(|f| facts.time_of(f.event))
        .or_else(|| last_time(facts));
    let allowed = clock.allowed(within, human_duration);
    let of_what = clock.counted_as();
    let mut previous: Option<DateTime<Utc>> = None;
    for (found, at) in &updates {
        if end.is_some_and(|end| *at > end) {
            break;
        }
        if let Some(before) = previous {
            let gap = clock.elapsed(before, *at);
            if gap > within {
                out.push(timed_violation(
                    rule,
                    facts,
                    Some(found),
                    format!(
                        "it came {}{of_what} after the previous one ({allowed})",
                        human_duration(gap)
                    ),
                ));
            }
        }
        previous = Some(*at);
    }
    if let (Some(before), Some(end)) = (previous, end) {
        let gap = clock.elapsed(before, end);
        if gap > within {
            out.push(timed_violation(
                rule,
                facts,
                None,
                format!(
                    "the last one came {}{of_what} before the end ({allowed})",
                    human_duration(gap)
                ),
            ));
        }
    }
    Ok(())
}

fn violation(
    rule: &CompiledRule,
    facts: &Facts<'_>,
    found: Option<&Found>,
    fix: Option<FixKind>,
) -> Violation {
    let event = found.map(|f| f.event);
    let hit = found.and_then(|f| f.spot.as_ref());
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
        place: Default::default(),
    }
}

/// `6 h 30 min`, `2 d 4 h`, `45 min`, `30 s`.
fn human_duration(seconds: i64) -> String {
    let secs = seconds.max(0);
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

    #[test]
    fn durations_read_like_people_write_them() {
        assert_eq!(human_duration(30), "30 s");
        assert_eq!(human_duration(45 * 60), "45 min");
        assert_eq!(human_duration(4 * 3600), "4 h");
        assert_eq!(human_duration(6 * 3600 + 1800), "6 h 30 min");
        assert_eq!(human_duration(2 * 86_400 + 4 * 3600 + 59), "2 d 4 h");
    }
}
