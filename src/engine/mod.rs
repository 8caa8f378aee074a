//! The engine: a policy compiled once, then applied to one conversation at a time.
//!
//! [`Engine`] is immutable and `Send + Sync`, so callers may check conversations in parallel;
//! checking one conversation allocates only for that conversation.

pub mod clock;
mod eval;
pub mod matcher;
mod stand_in;

use std::sync::Arc;

use crate::analysis::{Analysis, Heard};
use crate::calendar::Calendar;
use crate::conversation::{Conversation, Party};
pub use crate::dsl::ast::Speaker;
use crate::dsl::ast::{
    Check, Cond, Duration, Ident, NearKind, Occurrence, OccurrenceKind, Position, Quantity,
    Requirement, RuleDef, Scope, Severity, SourceRef, SpeechAct, Target,
};
use crate::dsl::Policy;
use crate::report::{ConversationReport, Outcome};
use crate::text::Folded;
use matcher::{Matcher, SetId};

/// What a rule is, for listings and explanations.
#[derive(Debug, Clone)]
pub struct RuleInfo {
    /// The rule id.
    pub id: Arc<str>,
    /// A short title.
    pub title: Option<String>,
    /// Why it matters.
    pub why: Option<String>,
    /// How serious a violation is.
    pub severity: Severity,
    /// Points on a scorecard: the rule's `weight`, else [`default_weight`] of its severity.
    pub weight: u32,
    /// A failure sets the conversation's score to 0.
    pub critical: bool,
    /// Where its guidance comes from.
    pub source: Option<SourceRef>,
    /// What a violation says.
    pub message: Arc<str>,
    /// What to say instead or add.
    pub suggest: Option<Arc<str>>,
    /// Conversations it must fire on, or must not.
    pub examples: Vec<crate::dsl::ast::Example>,
    /// It times something (`require ... within`): a service level, reported as such.
    pub timed: bool,
}

#[derive(Debug)]
pub(crate) struct CompiledRule {
    pub id: Arc<str>,
    pub severity: Severity,
    pub message: Arc<str>,
    pub suggest: Option<Arc<str>>,
    pub when: Vec<CompiledCond>,
    pub check: CompiledCheck,
    /// It asks about time, events or the customer, which a macro (one agent message) lacks.
    pub needs_history: bool,
    /// The business hours its timing counts in, when a calendar applies to it.
    pub calendar: Option<Arc<Calendar>>,
}

#[derive(Debug)]
pub(crate) enum CompiledOcc {
    Says {
        speaker: Speaker,
        set: SetId,
        quantity: Option<Quantity>,
    },
    Act {
        speaker: Speaker,
        act: SpeechAct,
        set: Option<SetId>,
        quantity: Option<Quantity>,
    },
    Message(Speaker),
    Event(String),
}

#[derive(Debug)]
pub(crate) struct CompiledNear {
    pub kind: NearKind,
    /// Any one of these will do.
    pub occs: Vec<CompiledOcc>,
    pub scope: Scope,
}

#[derive(Debug)]
pub(crate) enum CompiledCond {
    Or(Vec<CompiledCond>),
    And(Vec<CompiledCond>),
    Not(Box<CompiledCond>),
    Tagged(String),
    Channel(String),
    Priority(String),
    Occurs(CompiledOcc),
}

/// How much time a timing rule allows, and how the clock runs.
#[derive(Debug)]
pub(crate) struct Limit {
    /// Seconds allowed, unless a target applies.
    pub within: i64,
    /// Written `business hours`: needs a calendar.
    pub business: bool,
    /// Other limits by priority, channel or tag: the first whose condition holds wins.
    pub targets: Vec<(CompiledCond, i64, bool)>,
    /// Statuses (folded by [`clock::fold_status`]) during which the clock stops.
    pub pause: Vec<String>,
}

impl Limit {
    /// Whether any of its limits counts business time.
    fn any_business(&self) -> bool {
        self.business || self.targets.iter().any(|(_, _, b)| *b)
    }
}

#[derive(Debug)]
pub(crate) enum CompiledCheck {
    Forbid {
        occ: CompiledOcc,
        near: Option<CompiledNear>,
    },
    Cond(CompiledCond),
    Order {
        first: CompiledOcc,
        then: CompiledOcc,
    },
    Timing {
        moment: (Position, CompiledOcc),
        anchors: Vec<(Position, CompiledOcc)>,
        limit: Limit,
    },
    Periodic {
        occ: CompiledOcc,
        until: Option<(Position, CompiledOcc)>,
        limit: Limit,
    },
}

impl CompiledCheck {
    /// The time limit of a rule that counts time.
    pub(crate) fn limit(&self) -> Option<&Limit> {
        match self {
            CompiledCheck::Timing { limit, .. } | CompiledCheck::Periodic { limit, .. } => {
                Some(limit)
            }
            _ => None,
        }
    }
}

/// A rule's weight when it does not give one: errors weigh most.
pub fn default_weight(severity: Severity) -> u32 {
    match severity {
        Severity::Error => 10,
        Severity::Warning => 5,
        Severity::Info => 2,
    }
}

/// A compiled policy.
#[derive(Debug)]
pub struct Engine {
    matcher: Matcher,
    rules: Vec<CompiledRule>,
    infos: Vec<RuleInfo>,
    scan_customer: bool,
}

impl Engine {
    /// Counts the timing of the rules named in `applies_to` (all timing rules when `None`) in
    /// `calendar`'s business hours. A rule written with `business hours` always uses it.
    pub fn set_calendar(
        &mut self,
        calendar: Calendar,
        applies_to: Option<&[String]>,
    ) -> Result<(), String> {
        if let Some(ids) = applies_to {
            if let Some(unknown) = ids
                .iter()
                .find(|id| !self.rules.iter().any(|r| *r.id == ***id))
            {
                return Err(format!(
                    "the calendar's `applies_to` names `{unknown}`, which is not in the policy"
                ));
            }
        }
        let calendar = Arc::new(calendar);
        for rule in &mut self.rules {
            let Some(business) = rule.check.limit().map(Limit::any_business) else {
                continue;
            };
            if business || applies_to.is_none_or(|ids| ids.iter().any(|id| **id == *rule.id)) {
                rule.calendar = Some(calendar.clone());
            }
        }
        Ok(())
    }

    /// Compiles a validated policy.
    pub fn new(policy: &Policy) -> Result<Engine, String> {
        let matcher = Matcher::new(&policy.phrase_sets)?;
        let mut scan_customer = false;
        let mut rules = Vec::with_capacity(policy.rules.len());
        let mut infos = Vec::with_capacity(policy.rules.len());
        for def in &policy.rules {
            let mut compiler = Compiler {
                matcher: &matcher,
                scan_customer: &mut scan_customer,
            };
            let rule = compiler.rule(def)?;
            infos.push(RuleInfo {
                id: rule.id.clone(),
                title: def.title.clone(),
                why: def.why.clone(),
                severity: rule.severity,
                weight: def.weight.unwrap_or(default_weight(rule.severity)),
                critical: def.critical,
                source: def.source.clone(),
                message: rule.message.clone(),
                suggest: rule.suggest.clone(),
                examples: def.examples.clone(),
                timed: rule.check.limit().is_some(),
            });
            rules.push(rule);
        }
        Ok(Engine {
            matcher,
            rules,
            infos,
            scan_customer,
        })
    }

    /// The rules, in policy order.
    pub fn rules(&self) -> &[RuleInfo] {
        &self.infos
    }

    /// Checks one conversation against every rule.
    pub fn check(&self, conversation: &Conversation) -> ConversationReport {
        self.check_as(conversation, false)
    }

    /// Checks a macro (a canned response: a conversation of one agent message). Rules about time,
    /// ticket history or the customer do not apply to it and say nothing.
    pub fn check_macro(&self, conversation: &Conversation) -> ConversationReport {
        self.check_as(conversation, true)
    }

    fn check_as(&self, conversation: &Conversation, is_macro: bool) -> ConversationReport {
        let mut folded = Folded::default();
        let scans = conversation
            .events
            .iter()
            .map(|e| {
                let wanted = e.is_message_from(Party::Agent)
                    || (self.scan_customer && e.is_message_from(Party::Customer));
                match (&e.text, wanted) {
                    (Some(text), true) => Some(self.matcher.scan(text, &mut folded)),
                    _ => None,
                }
            })
            .collect();
        let facts = eval::Facts {
            conversation,
            scans,
            analyses: conversation
                .events
                .iter()
                .map(|_| Default::default())
                .collect(),
            problem: Default::default(),
            heard: Default::default(),
            found: Default::default(),
            scan_customer: self.scan_customer,
            learned: self.matcher.learned(),
            remedies: conversation
                .events
                .iter()
                .map(|_| Default::default())
                .collect(),
        };
        let mut violations = Vec::new();
        let outcomes = self
            .rules
            .iter()
            .map(|rule| {
                if is_macro && rule.needs_history {
                    Outcome::NotApplicable(
                        "a macro has no ticket history, times or customer".into(),
                    )
                } else {
                    eval::evaluate(rule, &facts, &mut violations)
                }
            })
            .collect();
        ConversationReport {
            id: conversation.id.clone(),
            source: conversation.source.label(),
            violations,
            outcomes,
        }
    }
}

/// The message analysis of one message: agent messages, and customer messages when a rule
/// reads them. Echoes are found against what the other side wrote before it.
pub(crate) fn analyze_event(
    conversation: &Conversation,
    event: usize,
    scan_customer: bool,
    heard: &[std::cell::OnceCell<Heard>; 2],
) -> Option<Analysis> {
    let e = conversation.events.get(event)?;
    let text = e.text.as_deref().filter(|_| e.is_message())?;
    let other = match e.from {
        Some(Party::Agent) => Party::Customer,
        Some(Party::Customer) if scan_customer => Party::Agent,
        _ => return None,
    };
    let slot = usize::from(other == Party::Agent);
    let heard = heard[slot].get_or_init(|| {
        let mut h = Heard::default();
        for (i, m) in conversation.events.iter().enumerate() {
            if m.is_message_from(other) {
                if let Some(t) = m.text.as_deref() {
                    h.add(i, t);
                }
            }
        }
        h
    });
    Some(crate::analysis::analyze(text, heard, event))
}

/// What a message answers, as far as problems go.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Answering {
    /// The other side reported a problem before it; when they have said nothing yet (a macro,
    /// an opening message), the message itself names one.
    pub problem: bool,
    /// The other side has only asked for something so far ("can I swap the handles to
    /// black?", or in a request's bare words: "creating new Gold account"), reporting no
    /// problem and telling nothing that happened, and the speaker has named no fault either:
    /// an offer then grants the request rather than remedying anything. A greeting, a name or
    /// a link alone asks for nothing.
    pub request_only: bool,
}

/// Per event: what it answers (see [`Answering`]).
pub(crate) fn problem_context(conversation: &Conversation) -> Vec<Answering> {
    let mut reported = [false; 2];
    let mut spoken = [false; 2];
    // Asked for something, in a form the ask cue knows or in a request's bare words.
    let mut asked = [false; 2];
    let mut told = [false; 2];
    let mut named = [false; 2];
    let side = |p: Option<Party>| match p {
        Some(Party::Customer) => Some(0),
        Some(Party::Agent) => Some(1),
        _ => None,
    };
    conversation
        .events
        .iter()
        .map(|e| {
            let Some(me) = side(e.from).filter(|_| e.is_message()) else {
                return Answering::default();
            };
            let other = 1 - me;
            let text = e.text.as_deref().unwrap_or("");
            // Each flag below only ever turns on, so a message is read for it only while it
            // is still off.
            named[me] = named[me] || crate::analysis::names_a_fault(text);
            let here = Answering {
                problem: if spoken[other] {
                    reported[other]
                } else {
                    crate::analysis::reports_problem(text)
                },
                request_only: spoken[other]
                    && asked[other]
                    && !told[other]
                    && !reported[other]
                    && !named[me],
            };
            spoken[me] = true;
            // Once a side has reported a problem, what it asks or tells no longer matters.
            if !reported[me] {
                asked[me] = asked[me]
                    || crate::analysis::says_something(text)
                    || crate::analysis::asks_for_something(text);
                told[me] = told[me] || crate::analysis::tells_of_something(text);
                reported[me] = if me == 0 {
                    crate::analysis::customer_problem(text)
                } else {
                    crate::analysis::reports_problem(text)
                };
            }
            here
        })
        .collect()
}

/// Whether a rule asks about anything but what the agent writes: times, events, the customer.
fn needs_history(def: &RuleDef) -> bool {
    fn occ(o: &Occurrence) -> bool {
        match &o.kind {
            OccurrenceKind::Says { speaker, .. } | OccurrenceKind::Act { speaker, .. } => {
                *speaker == Speaker::Customer
            }
            OccurrenceKind::Message(speaker) => *speaker == Speaker::Customer,
            OccurrenceKind::Event(_) => true,
        }
    }
    fn cond(c: &Cond) -> bool {
        match c {
            Cond::Or(parts) | Cond::And(parts) => parts.iter().any(cond),
            Cond::Not(inner) => cond(inner),
            Cond::Tagged(_) | Cond::Channel(_) | Cond::Priority(_) => false,
            Cond::Occurs(o) => occ(o),
        }
    }
    let check = match &def.check {
        Some(Check::Forbid { occurrence, near }) => {
            occ(occurrence) || near.iter().flat_map(|n| &n.occurrences).any(occ)
        }
        Some(Check::Require(Requirement::Cond(c))) => cond(c),
        Some(Check::Require(Requirement::Order { first, then })) => occ(first) || occ(then),
        Some(Check::Require(Requirement::Timing { .. } | Requirement::Periodic { .. })) => true,
        None => false,
    };
    check || def.when.iter().any(cond)
}

struct Compiler<'m> {
    matcher: &'m Matcher,
    scan_customer: &'m mut bool,
}

impl Compiler<'_> {
    fn rule(&mut self, def: &RuleDef) -> Result<CompiledRule, String> {
        let id = def.id.name.as_str();
        let check = match &def.check {
            Some(Check::Forbid { occurrence, near }) => CompiledCheck::Forbid {
                occ: self.occ(occurrence)?,
                near: near
                    .as_ref()
                    .map(|n| {
                        Ok::<_, String>(CompiledNear {
                            kind: n.kind,
                            occs: n
                                .occurrences
                                .iter()
                                .map(|o| self.occ(o))
                                .collect::<Result<_, _>>()?,
                            scope: n.scope,
                        })
                    })
                    .transpose()?,
            },
            Some(Check::Require(Requirement::Cond(c))) => CompiledCheck::Cond(self.cond(c)?),
            Some(Check::Require(Requirement::Order { first, then })) => CompiledCheck::Order {
                first: self.occ(first)?,
                then: self.occ(then)?,
            },
            Some(Check::Require(Requirement::Timing {
                moment,
                within,
                anchors,
                pause,
                ..
            })) => CompiledCheck::Timing {
                moment: (moment.position, self.occ(&moment.occurrence)?),
                anchors: anchors
                    .iter()
                    .map(|a| Ok((a.position, self.occ(&a.occurrence)?)))
                    .collect::<Result<_, String>>()?,
                limit: self.limit(within, pause, &def.targets)?,
            },
            Some(Check::Require(Requirement::Periodic {
                occurrence,
                every,
                until,
                pause,
                ..
            })) => CompiledCheck::Periodic {
                occ: self.occ(occurrence)?,
                until: until
                    .as_ref()
                    .map(|m| Ok::<_, String>((m.position, self.occ(&m.occurrence)?)))
                    .transpose()?,
                limit: self.limit(every, pause, &def.targets)?,
            },
            None => return Err(format!("the rule `{id}` checks nothing")),
        };
        let message = def
            .message
            .clone()
            .or_else(|| def.title.clone())
            .unwrap_or_else(|| format!("the rule `{id}` is not followed"));
        let needs_history = needs_history(def);
        Ok(CompiledRule {
            needs_history,
            calendar: None,
            id: Arc::from(id),
            severity: def.severity.unwrap_or(Severity::Warning),
            message: Arc::from(message),
            suggest: def.suggest.as_deref().map(Arc::from),
            when: def
                .when
                .iter()
                .map(|c| self.cond(c))
                .collect::<Result<_, _>>()?,
            check,
        })
    }

    fn limit(
        &mut self,
        within: &Duration,
        pause: &[Ident],
        targets: &[Target],
    ) -> Result<Limit, String> {
        Ok(Limit {
            within: within.seconds,
            business: within.business,
            targets: targets
                .iter()
                .map(|t| Ok((self.cond(&t.when)?, t.within.seconds, t.within.business)))
                .collect::<Result<_, String>>()?,
            pause: pause.iter().map(|s| clock::fold_status(&s.name)).collect(),
        })
    }

    fn cond(&mut self, cond: &Cond) -> Result<CompiledCond, String> {
        Ok(match cond {
            Cond::Or(parts) => CompiledCond::Or(
                parts
                    .iter()
                    .map(|c| self.cond(c))
                    .collect::<Result<_, _>>()?,
            ),
            Cond::And(parts) => CompiledCond::And(
                parts
                    .iter()
                    .map(|c| self.cond(c))
                    .collect::<Result<_, _>>()?,
            ),
            Cond::Not(inner) => CompiledCond::Not(Box::new(self.cond(inner)?)),
            Cond::Tagged(t) => CompiledCond::Tagged(t.name.clone()),
            Cond::Channel(c) => CompiledCond::Channel(c.name.clone()),
            Cond::Priority(p) => CompiledCond::Priority(p.name.clone()),
            Cond::Occurs(o) => CompiledCond::Occurs(self.occ(o)?),
        })
    }

    fn occ(&mut self, occ: &Occurrence) -> Result<CompiledOcc, String> {
        Ok(match &occ.kind {
            OccurrenceKind::Says {
                speaker,
                set,
                quantity,
            } => {
                if *speaker == Speaker::Customer {
                    *self.scan_customer = true;
                }
                CompiledOcc::Says {
                    speaker: *speaker,
                    set: self
                        .matcher
                        .set_id(&set.name)
                        .ok_or_else(|| format!("unknown phrase set `{}`", set.name))?,
                    quantity: *quantity,
                }
            }
            OccurrenceKind::Act {
                speaker,
                act,
                set,
                quantity,
            } => {
                if *speaker == Speaker::Customer {
                    *self.scan_customer = true;
                }
                let set = match set {
                    Some(set) => Some(
                        self.matcher
                            .set_id(&set.name)
                            .ok_or_else(|| format!("unknown phrase set `{}`", set.name))?,
                    ),
                    None => None,
                };
                CompiledOcc::Act {
                    speaker: *speaker,
                    act: *act,
                    set,
                    quantity: *quantity,
                }
            }
            OccurrenceKind::Message(s) => CompiledOcc::Message(*s),
            OccurrenceKind::Event(kind) => CompiledOcc::Event(kind.name.clone()),
        })
    }
}
