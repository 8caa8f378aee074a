//! The typed syntax tree of a policy: owned, with byte spans into the policy file.

use std::fmt;

/// A byte range in a policy file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Span {
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
}

/// A name as written, with where it was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ident {
    /// The name.
    pub name: String,
    /// Where it stands.
    pub span: Span,
}

/// How serious a violation is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Worth knowing.
    Info,
    /// Should be coached.
    Warning,
    /// Must not happen.
    Error,
}

impl Severity {
    /// The lowercase name used in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One parsed policy file.
#[derive(Debug, Clone, Default)]
pub struct PolicyFile {
    /// Phrase sets, in file order.
    pub phrase_sets: Vec<PhraseSetDef>,
    /// Rules, in file order.
    pub rules: Vec<RuleDef>,
}

/// `phrases NAME ... but not ...`
#[derive(Debug, Clone)]
pub struct PhraseSetDef {
    /// The set's name.
    pub name: Ident,
    /// What matches.
    pub entries: Vec<PhraseEntry>,
    /// What never matches, even where an entry does.
    pub exceptions: Vec<PhraseEntry>,
}

/// One entry of a phrase set.
#[derive(Debug, Clone)]
pub enum PhraseEntry {
    /// A literal phrase, whole words; a trailing `*` lets the last word run on.
    Literal {
        /// The phrase as written (unescaped).
        text: String,
        /// What to say instead, if given.
        replacement: Option<String>,
        /// Entries with the same label are one phrase when counting distinct phrases.
        label: Option<String>,
        /// Where it stands.
        span: Span,
    },
    /// A regular expression, matched against folded text.
    Regex {
        /// The pattern as written (unescaped slashes).
        pattern: String,
        /// What to say instead, if given.
        replacement: Option<String>,
        /// Entries with the same label are one phrase when counting distinct phrases.
        label: Option<String>,
        /// Where it stands.
        span: Span,
    },
    /// Every entry of another set.
    Include(Ident),
    /// A reader built into tact (`learned remedies`): sentences it is sure carry the set's
    /// meaning count as its phrases, and its phrases in sentences it is sure do not, do not.
    Learned(Ident),
}

/// `rule ID ...`
#[derive(Debug, Clone)]
pub struct RuleDef {
    /// The rule id.
    pub id: Ident,
    /// A short title.
    pub title: Option<String>,
    /// Why it matters.
    pub why: Option<String>,
    /// How serious a violation is.
    pub severity: Option<Severity>,
    /// Points on a scorecard (`weight N`); by default from the severity.
    pub weight: Option<u32>,
    /// A failure sets the conversation's score to 0.
    pub critical: bool,
    /// The source article and the point in it.
    pub source: Option<SourceRef>,
    /// What a violation says.
    pub message: Option<String>,
    /// The phrasing to use instead or to add.
    pub suggest: Option<String>,
    /// When the rule applies.
    pub when: Vec<Cond>,
    /// What it checks.
    pub check: Option<Check>,
    /// Other time limits by priority, channel or tag, in order.
    pub targets: Vec<Target>,
    /// Examples that must fire the rule, or must not.
    pub examples: Vec<Example>,
    /// A clause could not be read (its error is already reported).
    pub had_errors: bool,
    /// The whole rule.
    pub span: Span,
}

/// A conversation a rule must fire on (or must not), written in the rule itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Example {
    /// Whether the rule must fire.
    pub fires: bool,
    /// The conversation, one line per event.
    pub lines: Vec<String>,
    /// Where the example is written.
    pub span: Span,
    /// `file:line:col` of the example, for reports.
    pub location: String,
}

/// Where a rule's guidance comes from.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct SourceRef {
    /// The seed article's file name.
    pub article: String,
    /// The point in it.
    pub point: Option<String>,
}

/// What a rule checks.
#[derive(Debug, Clone)]
pub enum Check {
    /// Every occurrence is a violation.
    Forbid {
        /// What must not happen.
        occurrence: Occurrence,
        /// Another occurrence nearby that excuses it, or without which it is no violation.
        near: Option<Near>,
    },
    /// The requirement must hold.
    Require(Requirement),
}

/// `unless OCCURRENCE [or OCCURRENCE...] SCOPE` or `after ...` on a `forbid`.
#[derive(Debug, Clone)]
pub struct Near {
    /// Whether the other occurrences excuse (`unless`) or are needed first (`after`).
    pub kind: NearKind,
    /// The other occurrences, any one of which will do (at least one).
    pub occurrences: Vec<Occurrence>,
    /// How near it must be.
    pub scope: Scope,
}

/// How a nearby occurrence changes a `forbid`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NearKind {
    /// The forbidden occurrence is excused by the other one nearby.
    Unless,
    /// The forbidden occurrence counts only soon after the other one.
    After,
}

/// How near two occurrences are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// In the same message.
    SameMessage,
    /// In the same sentence.
    SameSentence,
    /// In the same sentence or the one after.
    SameOrNextSentence,
    /// In the sentence after.
    NextSentence,
    /// At most this many words apart, in the same message.
    WithinWords(u32),
}

impl fmt::Display for Scope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Scope::SameMessage => f.write_str("in the same message"),
            Scope::SameSentence => f.write_str("in the same sentence"),
            Scope::SameOrNextSentence => f.write_str("in the same or next sentence"),
            Scope::NextSentence => f.write_str("in the next sentence"),
            Scope::WithinWords(n) => write!(f, "within {n} words"),
        }
    }
}

/// What a message does, as the message analysis reads it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SpeechAct {
    /// Asks a question, directly or indirectly.
    Asks,
    /// Apologizes.
    Apologizes,
    /// Acknowledges the problem or the feeling.
    Acknowledges,
    /// Offers, does or proposes something (with a set: a phrase of it, as an offer).
    Offers,
    /// Commits to something later.
    Promises,
    /// Tells the customer what to do.
    Instructs,
    /// Says what cannot be done.
    Refuses,
    /// Thanks.
    Thanks,
}

impl SpeechAct {
    /// The verb as written in a policy.
    pub fn as_str(self) -> &'static str {
        match self {
            SpeechAct::Asks => "asks",
            SpeechAct::Apologizes => "apologizes",
            SpeechAct::Acknowledges => "acknowledges",
            SpeechAct::Offers => "offers",
            SpeechAct::Promises => "promises",
            SpeechAct::Instructs => "instructs",
            SpeechAct::Refuses => "refuses",
            SpeechAct::Thanks => "thanks",
        }
    }
}

/// What `require` asks for.
#[derive(Debug, Clone)]
pub enum Requirement {
    /// The condition must hold.
    Cond(Cond),
    /// `first` must occur before the first `then`.
    Order {
        /// What must come first.
        first: Occurrence,
        /// What it must precede.
        then: Occurrence,
    },
    /// `moment` must happen within `within` of the first anchor that is present.
    Timing {
        /// What must happen in time.
        moment: Moment,
        /// How long it may take.
        within: Duration,
        /// What the time is counted from: the first of these that occurs (with `every`, each
        /// occurrence of the one anchor).
        anchors: Vec<Moment>,
        /// Statuses during which the clock stops.
        pause: Vec<Ident>,
        /// Where the clause stands.
        span: Span,
    },
    /// `occurrence` must happen at least every `every`, from its first time until `until` (or
    /// the conversation's last time).
    Periodic {
        /// What must keep happening (an update).
        occurrence: Occurrence,
        /// The longest gap allowed.
        every: Duration,
        /// Where the clock stops for good (`until event resolved`).
        until: Option<Moment>,
        /// Statuses during which the clock stops.
        pause: Vec<Ident>,
        /// Where the clause stands.
        span: Span,
    },
}

/// `target 1 business hours when priority is urgent`: another limit for the rule's timing.
#[derive(Debug, Clone)]
pub struct Target {
    /// The limit where the condition holds.
    pub within: Duration,
    /// Where it applies.
    pub when: Cond,
    /// Where the clause stands.
    pub span: Span,
}

/// A length of time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Duration {
    /// In seconds.
    pub seconds: i64,
    /// As written, for messages.
    pub amount: u64,
    /// The unit as written.
    pub unit: TimeUnit,
    /// `business hours`: counted in the calendar's opening hours, not on the clock.
    pub business: bool,
}

/// A unit of time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeUnit {
    /// Minutes.
    Minutes,
    /// Hours.
    Hours,
    /// Days.
    Days,
    /// Weeks.
    Weeks,
}

/// A condition.
#[derive(Debug, Clone)]
pub enum Cond {
    /// Any holds.
    Or(Vec<Cond>),
    /// All hold.
    And(Vec<Cond>),
    /// Does not hold.
    Not(Box<Cond>),
    /// The conversation carries this tag.
    Tagged(Ident),
    /// The conversation came through this channel.
    Channel(Ident),
    /// The ticket has this priority.
    Priority(Ident),
    /// Something occurs (as often as its quantity asks).
    Occurs(Occurrence),
}

/// The first or the last occurrence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Position {
    /// The first.
    First,
    /// The last.
    Last,
    /// The first after each anchor (`next agent message within 2 hours of every customer
    /// message`).
    Next,
    /// Each one, as an anchor.
    Every,
}

/// One occurrence picked out of many.
#[derive(Debug, Clone)]
pub struct Moment {
    /// Which one.
    pub position: Position,
    /// Of what.
    pub occurrence: Occurrence,
}

/// Who speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Speaker {
    /// The support agent.
    Agent,
    /// The customer.
    Customer,
}

impl fmt::Display for Speaker {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Speaker::Agent => "agent",
            Speaker::Customer => "customer",
        })
    }
}

/// Something that happens in a conversation.
#[derive(Debug, Clone)]
pub struct Occurrence {
    /// What.
    pub kind: OccurrenceKind,
    /// Where it is written.
    pub span: Span,
}

/// The kinds of occurrence.
#[derive(Debug, Clone)]
pub enum OccurrenceKind {
    /// A phrase of a set in a message by the speaker.
    Says {
        /// Who.
        speaker: Speaker,
        /// Which set.
        set: Ident,
        /// How many are needed, in conditions.
        quantity: Option<Quantity>,
    },
    /// A speech act of the speaker, optionally carrying a phrase of a set.
    Act {
        /// Who.
        speaker: Speaker,
        /// Which act.
        act: SpeechAct,
        /// The set a phrase of which the act must carry.
        set: Option<Ident>,
        /// How many are needed, in conditions.
        quantity: Option<Quantity>,
    },
    /// Any message by the speaker.
    Message(Speaker),
    /// Any event of this type.
    Event(Ident),
}

/// `at least N [distinct]`
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Quantity {
    /// The least count.
    pub at_least: u32,
    /// Count different phrases, not repetitions.
    pub distinct: bool,
}
