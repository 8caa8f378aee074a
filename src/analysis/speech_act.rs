//! What each clause does: asks, apologizes, acknowledges, offers, promises, instructs, sends
//! the customer elsewhere, refuses, thanks, or closes.
//!
//! English cues, not a trained model: every act names the words that showed it, so a finding
//! can always point at them. The cues are written with plain spaces and straight apostrophes;
//! [`cue`] makes a space match any run of white space and an apostrophe match a curly one.

use std::sync::{LazyLock, OnceLock};

use crate::automata::{self, Kept, Settings};
use crate::prefilter::Prefilter;

/// One act a clause performs. A clause may perform several.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Act {
    /// Asks the customer something about the problem, directly or indirectly.
    Question,
    /// Asks the customer for details or information ("please send us your order number").
    Request,
    /// Apologizes ("sorry", "I apologize"), not for the agent's own request.
    Apology,
    /// Shows the problem or the feeling was understood.
    Acknowledgement,
    /// The speaker does, did or offers to do something ("I've issued", "we can send", "let me").
    Offer,
    /// The speaker commits to something later ("I'll", "we will", "you'll hear from us").
    Promise,
    /// Tells the customer what to do, or suggests it ("try", "please update", "have you tried").
    Directive,
    /// Sends the customer to another channel or team ("please DM us", "contact your bank").
    Routing,
    /// Says what cannot be done ("we can't", "that's not possible", "there's nothing I can do").
    Refusal,
    /// Thanks the customer.
    Thanks,
    /// A greeting or closing formula ("anything else I can help with?", "hope this helps").
    Closing,
}

impl Act {
    /// Every act, in a fixed order.
    pub const ALL: [Act; 11] = [
        Act::Question,
        Act::Request,
        Act::Apology,
        Act::Acknowledgement,
        Act::Offer,
        Act::Promise,
        Act::Directive,
        Act::Routing,
        Act::Refusal,
        Act::Thanks,
        Act::Closing,
    ];

    fn bit(self) -> u16 {
        1 << (self as u16)
    }
}

/// A set of acts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Acts(u16);

impl Acts {
    /// Whether the set holds `act`.
    pub fn has(self, act: Act) -> bool {
        self.0 & act.bit() != 0
    }

    /// Adds `act`.
    pub fn insert(&mut self, act: Act) {
        self.0 |= act.bit();
    }

    /// Takes `act` out.
    pub fn remove(&mut self, act: Act) {
        self.0 &= !act.bit();
    }

    /// Whether the set is empty.
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }
}

/// Compiles a cue. Cues read the message folded for matching (lower case, straight quotes and
/// apostrophes, one space for any run of white space) as bytes with ASCII classes: `\w`, `\b`
/// and `[^.?!]` stay small automata whatever the text, so a few dozen cues scan a message fast.
/// The cues are fixed and covered by unit tests; one that does not compile matches nothing
/// rather than stopping the program.
fn cue(pattern: &str) -> Cue {
    Cue {
        pattern: format!("(?-u){pattern}"),
        compiled: OnceLock::new(),
    }
}

/// A cue's regex, compiled the first time a message needs it: a short run (one macro, a
/// pre-commit hook) reaches few of them. With the cache on, every cue's automata are read back
/// from the user's cache folder instead (see `crate::automata`).
pub(crate) struct Cue {
    pattern: String,
    compiled: OnceLock<automata::Regex>,
}

impl Cue {
    /// The pattern as compiled, without compiling it.
    fn pattern(&self) -> &str {
        &self.pattern
    }
}

impl std::ops::Deref for Cue {
    type Target = automata::Regex;

    fn deref(&self) -> &automata::Regex {
        self.compiled.get_or_init(|| {
            let regex = match LEXICON.cues().iter().position(|c| std::ptr::eq(*c, self)) {
                Some(index) => KEPT.regex(index),
                None => automata::Regex::compile(&CUES, &self.pattern),
            };
            regex.unwrap_or_else(|| automata::Regex::never(&CUES))
        })
    }
}

/// How the cues are compiled: leftmost-first, on bytes (`(?-u)`, empty matches anywhere), only
/// whole matches read, the NFA within 10 MB, a lazy-DFA cache of 8 MB (the cues are long
/// alternations read clause by clause: with the default 2 MB their lazy DFAs kept filling and
/// starting over).
const CUES: Settings = Settings::new(
    "cues",
    parse_cue,
    false,
    regex_automata::nfa::thompson::WhichCaptures::Implicit,
    10 * (1 << 20),
    8 * (1 << 20),
);

/// A cue's syntax tree: the cues are read on bytes.
fn parse_cue(pattern: &str) -> Option<regex_syntax::hir::Hir> {
    let config = regex_automata::util::syntax::Config::new().utf8(false);
    regex_automata::util::syntax::parse_with(pattern, &config).ok()
}

/// Every cue of the lexicon, compiled or read back from the cache.
static KEPT: LazyLock<Kept> = LazyLock::new(kept);

/// Every cue of the lexicon, to compile or read back.
fn kept() -> Kept {
    let sources = LEXICON.cues().iter().map(|c| c.pattern.clone()).collect();
    Kept::new(CUES, sources)
}

/// Derives afresh what the cues keep in the cache (their automata, the gate's literals), as a
/// run does on a miss: the built-in entries' test records it.
#[cfg(test)]
pub(crate) fn derive_cue_entries() {
    kept().prepare();
    gate();
}

/// The compiled cues.
pub(crate) struct Lexicon {
    pub question_mark: Cue,
    pub indirect_question: Cue,
    pub request: Cue,
    pub not_a_question: Cue,
    pub apology: Cue,
    pub not_apology: Cue,
    pub empathy: Cue,
    pub apology_about: Cue,
    pub offer: Cue,
    pub offer_headline: Cue,
    pub offer_headline_anywhere: Cue,
    pub not_offer: Cue,
    pub limit_alone: Cue,
    pub promise: Cue,
    pub imperative: Cue,
    pub directive: Cue,
    pub routing_verb: Cue,
    pub details: Cue,
    pub refusal: Cue,
    pub not_refusal: Cue,
    pub spared_step: Cue,
    pub thanks: Cue,
    pub closing: Cue,
    pub negator: Cue,
    pub not_negation: Cue,
    pub politeness_condition: Cue,
    pub lead: Cue,
    pub reported: Cue,
    pub problem: Cue,
    pub not_problem: Cue,
    pub how_to: Cue,
    pub plea: Cue,
    pub task: Cue,
    pub asks_for: Cue,
    pub fault: Cue,
    pub telling: Cue,
    pub informs: Cue,
    pub diagnosis: Cue,
    pub may_apologize: Cue,
    pub may_refuse: Cue,
    pub may_thank: Cue,
}

impl Lexicon {
    /// Every cue, in a fixed order: the order their automata are kept in.
    fn cues(&self) -> [&Cue; 41] {
        [
            &self.question_mark,
            &self.indirect_question,
            &self.request,
            &self.not_a_question,
            &self.apology,
            &self.not_apology,
            &self.empathy,
            &self.apology_about,
            &self.offer,
            &self.offer_headline,
            &self.offer_headline_anywhere,
            &self.not_offer,
            &self.limit_alone,
            &self.promise,
            &self.imperative,
            &self.directive,
            &self.routing_verb,
            &self.details,
            &self.refusal,
            &self.not_refusal,
            &self.spared_step,
            &self.thanks,
            &self.closing,
            &self.negator,
            &self.not_negation,
            &self.politeness_condition,
            &self.lead,
            &self.reported,
            &self.problem,
            &self.not_problem,
            &self.how_to,
            &self.plea,
            &self.task,
            &self.asks_for,
            &self.fault,
            &self.telling,
            &self.informs,
            &self.diagnosis,
            &self.may_apologize,
            &self.may_refuse,
            &self.may_thank,
        ]
    }
}

/// The cues a message is first tested for all at once: a clause is only searched for a cue the
/// whole message holds. Most messages hold few, so most searches are skipped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Gated {
    Apology = 0,
    Empathy,
    Offer,
    Promise,
    Directive,
    Refusal,
    Thanks,
    Closing,
    IndirectQuestion,
    Routing,
    Negator,
    Reported,
    Headline,
    Diagnosis,
}

/// Where a gated cue's regex is in the lexicon.
type CueOf = fn(&Lexicon) -> &Cue;

const GATED: [(Gated, CueOf); 14] = [
    (Gated::Apology, |l| &l.apology),
    (Gated::Empathy, |l| &l.empathy),
    (Gated::Offer, |l| &l.offer),
    (Gated::Promise, |l| &l.promise),
    (Gated::Directive, |l| &l.directive),
    (Gated::Refusal, |l| &l.refusal),
    (Gated::Thanks, |l| &l.thanks),
    (Gated::Closing, |l| &l.closing),
    (Gated::IndirectQuestion, |l| &l.indirect_question),
    (Gated::Routing, |l| &l.routing_verb),
    (Gated::Negator, |l| &l.negator),
    (Gated::Reported, |l| &l.reported),
    (Gated::Headline, |l| &l.offer_headline_anywhere),
    (Gated::Diagnosis, |l| &l.diagnosis),
];

/// Which gated cues a message may hold: their required literals, found in one Aho-Corasick pass.
/// (A `RegexSet` over the cues did this before, and building its overlapping lazy DFA's states
/// was a large part of the analysis on real text.)
static GATE: LazyLock<Prefilter> = LazyLock::new(gate);

/// The gate's prefilter.
fn gate() -> Prefilter {
    let syntax = regex_automata::util::syntax::Config::new().utf8(false);
    let sources: Vec<&str> = GATED.iter().map(|(_, f)| f(&LEXICON).pattern()).collect();
    let parse = |source: &str| {
        Ok::<_, std::convert::Infallible>(
            regex_automata::util::syntax::parse_with(source, &syntax).ok(),
        )
    };
    match Prefilter::for_regexes("gated cues", &sources, parse) {
        Ok(prefilter) => prefilter,
        Err(never) => match never {},
    }
}

/// Which gated cues a whole (folded) message holds.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Present(u32);

impl Present {
    /// Exactly the gated cues that match `text`: those whose literals it holds, confirmed each
    /// by its own regex.
    pub fn of(text: &[u8]) -> Present {
        let mut candidates = Vec::new();
        GATE.candidates(text, &mut candidates);
        let mut bits = 0u32;
        for i in candidates {
            if GATED
                .get(i)
                .is_some_and(|(_, cue)| cue(&LEXICON).is_match(text))
            {
                bits |= 1 << i;
            }
        }
        Present(bits)
    }

    pub fn has(self, cue: Gated) -> bool {
        self.0 & (1 << cue as u32) != 0
    }
}

/// Loose tests on the raw text (any case, straight or curly apostrophes) that a message may
/// perform an act at all; a message that fails one is not analysed for that act. They must
/// never miss what the full cues find. (Cues of the lexicon, so kept in the cache with them.)
fn may(act: Act) -> Option<&'static Cue> {
    let l = &*LEXICON;
    match act {
        Act::Apology => Some(&l.may_apologize),
        Act::Refusal => Some(&l.may_refuse),
        Act::Thanks => Some(&l.may_thank),
        _ => None,
    }
}

/// Whether `text` may perform `act` (see [`may`]); acts without a loose test always may.
pub fn may_perform(act: Act, text: &str) -> bool {
    may(act).is_none_or(|cue| cue.is_match(text.as_bytes()))
}

/// Generic words that do not name the customer's problem ("sorry for the inconvenience").
pub(crate) const GENERIC_WORDS: &[&str] = &[
    "the",
    "a",
    "an",
    "any",
    "all",
    "this",
    "that",
    "these",
    "those",
    "it",
    "for",
    "about",
    "to",
    "hear",
    "see",
    "read",
    "learn",
    "of",
    "with",
    "by",
    "you",
    "your",
    "you're",
    "you've",
    "you'd",
    "we",
    "us",
    "our",
    "i",
    "me",
    "my",
    "caused",
    "inconvenience",
    "inconveniences",
    "trouble",
    "troubles",
    "issue",
    "issues",
    "problem",
    "problems",
    "experience",
    "confusion",
    "frustration",
    "hassle",
    "reply",
    "response",
    "this.",
    "that.",
    "so",
    "very",
    "really",
    "truly",
    "deeply",
    "sincerely",
    "much",
    "again",
    "has",
    "have",
    "had",
    "been",
    "is",
    "are",
    "was",
    "were",
    "may",
    "might",
    "there",
    "here",
    "and",
    "or",
    "but",
    "in",
    "on",
    "at",
    "as",
    "if",
    "not",
    "no",
    "just",
    "any.",
    "ve",
    "re",
    "having",
    "experiencing",
    "facing",
    "encountering",
    "running",
    "into",
    "such",
    "kind",
    "sort",
    "situation",
    "matter",
    "happened",
    "happening",
    "what",
    "things",
    "thing",
    // The agent's own slowness ("sorry for the late reply") is not the customer's problem.
    "late",
    "delayed",
    "slow",
    "replies",
    "responses",
    "getting",
    "back",
    // Slips in general ("sorry for the mistake", "sorry for the bother") are a bare apology:
    // they name no particular problem. A wait or a delay is named ("sorry for the wait" when
    // the customer complains of waiting), as labellers read it.
    "mistake",
    "error",
    "oversight",
    "bother",
    "disruption",
    "mix",
    "discomfort",
    // An apology for the agent's own answer ("sorry, that wasn't much help") names no problem.
    "wasn't",
    "weren't",
    "isn't",
    "help",
    "helpful",
    "useful",
    "earlier",
];

pub(crate) static LEXICON: LazyLock<Lexicon> = LazyLock::new(|| Lexicon {
    // A question mark that ends something, not one inside a link ("...?flowName=...").
    question_mark: cue(r#"\?+([\s"')\]]|$)"#),
    indirect_question: cue(concat!(
        r"\b(could|can|would|will) you (please |kindly |also |just )?(tell|let (me|us) know|confirm|share|send|provide|describe|explain|clarify|check (if|whether|that|what|which|your|the)|dm|reply|give (me|us)|walk (me|us)|verify|double-check|take a screenshot|include|specify|advise|elaborate|expand|fill|attach|update (me|us))",
        r"|\b(i|we) (was|were|am|are|'m|'re) (just )?wondering",
        r"|\b(i'd|we'd|i would|we would) (like|love|want|need) to (know|hear|understand|learn|get (some|more|a few|the)|confirm|check|ask|see (a|the|your|some))",
        r"|\b(let|tell) (me|us) know (what|which|how|when|where|if|whether|the|your|more|a bit|exactly|why|who)",
        r"|\b(may|can|could) (i|we) (have|get|ask|know|confirm|see|grab|take)",
        r"|\bwe('ll| will)? need (a few|some|more|your|the|a bit) (more )?(details|info|information)",
        r"|\bmind (sharing|sending|telling|confirming|letting)\b",
        // "I wanted to check whether you changed your bank details", "I'm curious whether
        // you're downloading to the SD card", "pop me a note of which coach you were in".
        r"|\b(i|we)('d like| (just )?(wanted|want|would like|need|needed)) to (check|ask|know|confirm|find out|understand) (whether|if|what|which|when|where|how|why|who)\b|\b(i'm|i am|we're|we are) (curious|wondering) (whether|if|what|which|when|how|why)\b|\b(pop|drop|send|shoot|give) (me|us) (a note|a line|a message|a quick note|the details) of (which|what|when|where|how)\b|\b(tell|let) me (what|when|where|whether)\b",
    )),
    request: cue(concat!(
        r"^(please |kindly |could you |can you |would you |just )?(send|dm|message|email|tell|share|provide|give|include|confirm|reply|attach|fill|let (us|me) know|follow up with|shoot|drop) ",
        r"(me|us)?\s*(with )?(your|the|a|an|more|some|us|me|over|which|what|how|if|whether|when|where|details|info)",
    )),
    not_a_question: cue(concat!(
        r"\b(anything|something) else (i|we) (can|could|may) (help|assist|do)|\bis there anything (else|more)|\bany (other|more|further) questions",
        r"|\bhow (can|may|could) (i|we) (help|assist)|\bwhat can (i|we) (do|help) (for you|with)( today)?\s*\?|\bcan (i|we) help (you )?with anything",
        r"|\b(have|did) you (already |ever )?(tried|try|checked|cleared|restarted|rebooted|reinstalled|updated|reset|turned|logged|signed|followed|used|enabled|disabled)|\b(could|can|would) you (please |just |also |quickly )?(try|restart|reboot|reinstall|clear|reset|update|log|sign|turn|switch|unplug|plug|delete|remove|disable|enable|use|close|reopen|re-open|re-enter|reenter|wash|clean|open|go|head|tap|click|select|toggle|force|power|hold|press|install|uninstall|download|refresh|reload|reconnect|disconnect|pair|unpair|reseat|charge|wait|allow|accept|change|edit|run|scan|sync|verify|make sure|ensure)\b|\bwhether you('ve| have) tried\b",
        r"|\bwould you mind (checking|trying|following|restarting|updating|clearing|reinstalling|logging|signing|giving)\b|\bwould you like (me|us) to|\b(shall|should) (i|we)\b|\bhow about\b|\bwhy not\b",
        r"|\b(could|can|would) you (please |just |also )?(ask|get|have) (your|the|them|him|her)( \w+)? to (try|restart|reboot|reinstall|clear|reset|update|log|sign|turn|switch|unplug|delete|remove|disable|enable|use|close|reopen|re-enter|check)\b",
        r"|\b(does|would|will|did) (that|this|it) (work|sound|help|suit)|\bsound (good|ok|okay)\?",
        // Small talk, a rhetorical question, a request to wait ("how's your day going?", "who
        // wants to be stuck in an airport, right?", "how on earth did that slip through?",
        // "could you bear with me while I look?").
        r"|\bhow('s| is| was) your (day|week|morning|afternoon|evening|weekend)( going)?\b|\bhow are you( doing| today| keeping)?\s*\?|\bwho (wants|would want|likes) to\b[^?]*,\s*(right|eh|huh|yeah)\s*\?|\bwho (wants|would want|likes) to be\b|\bhow on earth\b|\bbear with me\b|\b(so )?what happened here\s*\?",
        // A check that the customer understood, or a rhetorical reproach ("does that make
        // sense?", "is that clear?", "did you not read the policy?"): it asks for nothing the
        // conversation needs, so it is no question and no next step.
        r"|\b(does|did) (that|this|it|everything|all (of )?(that|this)) make sense\b|\b(is|was) (that|this|it|everything) (clear|understood)\b|\bdo you (understand|see what i mean)\b|\b(did you not|didn't you) (read|see|check) (the|our|my|your) [a-z]+\b",
    )),
    apology: cue(
        r"\bsorry\b|\bapologi[sz](e|ed|ing|es)\b|\bapologies\b|\b(i|we) (sincerely |truly |deeply )?regret\b|\b(forgive|excuse) (us|me)\b|\bpardon (the|our|my)\b",
    ),
    not_apology: cue(concat!(
        r"\bsorry to (bother|interrupt|trouble|chase|pester|ask)|\bnot sorry|\b(no|don't|do not) (need to )?apologi[sz]e|\bsorry\s*\?",
        r"|\bsorry,? (what|who|which|come again)\b|\bnothing to (be sorry|apologi[sz]e)|\bno need (to be sorry|for (an )?apolog)",
    )),
    empathy: cue(concat!(
        r"\b(i|we) (completely |totally |fully |can |do |definitely |absolutely |really |certainly |truly )?(understand( completely| totally| entirely| perfectly| fully)?,? (how|why|that|what|your|the|this|it's|it is|it was|you|where|just|completely|totally|entirely|perfectly|fully|\w+ing)|get it|hear you|can only imagine|can imagine|appreciate how|appreciate that|appreciate the (frustration|inconvenience)|know how|know what)",
        r"|\bwould (have|leave|get|send|drive) (anyone|anybody|most people) (mad|round the bend|up the wall|frustrated|annoyed|furious|at the end)\b|\b(at|to) the end of (their|your|my|his|her) (rope|tether)\b",
        r"|\b(i|we) (can )?(see|tell) (why|how|that you|you're|you are|that this|this has)",
        r"|\b(that|this|it|which) (sounds|must (be|have been)|is|was|seems|can be|would be|has been) (really |very |so |incredibly |extremely |truly |understandably |super |quite |definitely |absolutely )?(frustrating|annoying|stressful|upsetting|disappointing|inconvenient|difficult|awful|terrible|unacceptable|confusing|worrying|concerning|a pain|a hassle|not ok|not okay|not good|not great|not right|far from ideal|not ideal|less than ideal|a nightmare|infuriating|maddening)",
        r"|\bnot the (experience|service|standard)|\b(should ?n't|should not|should never) have (happened|been)|\bnot (what|how) (we|i|you) (want|expect|intend|like|hoped|hope)( to (hear|see|read))?",
        r"|\bunderstandabl[ey]\b|\bno wonder\b|\b(i'm|i am|we're|we are) (so |really |very |truly )?(sad|disappointed|concerned|unhappy|upset|bummed|gutted) (to|that|you)",
        r"|\byou (must|must've|must have) (be|feel|have been|have felt|'ve been) (so |really |very |pretty |absolutely |completely |totally )?(frustrated|annoyed|worried|upset|stressed|fed up|furious|gutted|disappointed|exhausted|livid|angry|cross|panicking|devastated|heartbroken|shaken|fuming|anxious|confused|out of pocket|sick of)\b",
        r"|\b(every|every right|good|all the|good reason|every reason) (reason |right )?to be (furious|angry|upset|annoyed|frustrated|cross|disappointed|livid|fuming|worried|concerned)\b|\bshould(n't| not) (still )?be (in use|happening|like that|there|in service|on sale)\b|\b(unwatchable|unreadable|unlistenable|undrinkable|inedible|unwearable|unrideable|unliveable|unlivable)\b",
        r"|\bwhat a (pain|hassle|nightmare)\b|\b(you're|you are) (absolutely |completely |totally |quite |so )?right\b",
        r"|\b(i|we) (know|realize|realise|recognize|recognise) (how|that|this|what|it)|\bthe last thing (you|we) (need|want)",
        r"|\b(isn't|is not|wasn't|was not|that's not|it's not) (okay|ok|right|acceptable|good enough|fair|great|ideal|what you (expect|expected|deserve|should expect))\b|\b(isn't|is not|wasn't|was not|that's not|it's not) on( at all| really)?\s*([.!,;]|$)|\b(stressful|worrying|frustrating|annoying|rough|awful|horrible|terrible|infuriating|maddening|upsetting|disappointing|exhausting|scary|alarming|embarrassing|inconvenient|unacceptable|a pain|a nightmare|no fun|not fun|gutting|a big deal|no use to|a shock|the worst|an emergency|dangerous|a real problem|a big problem|serious|a headache|a worry|a (real|proper|big|huge|massive|genuine) (worry|clash|blow|headache|mess|concern|safety worry|setback))\b|\b(that's|that is|it's|it is|which is) (well|way|far|long) (past|over|beyond)\b|\b(that's|that is|it's|it was|that was) (entirely |completely |totally )?(our|my) (error|mistake|fault|doing|slip)\b|\b(it|this|that|the [a-z]+) (should ?n't|should not|should never) have taken (this|that|so|as|[0-9]+|a|an|two|three|four|five|six|weeks|days|months)\b|\bnot what you (paid|ordered|asked|expected|signed up|wanted)( for)?\b|\b(in error|by mistake|by accident|wrongly|incorrectly)\b",
        r"|\b(is|'s|was|that's|it's) (really |just |simply |definitely )?not on( at all)?\s*([.!,;]|$)|\b(that's|that is|it's|it is|what) (a|such a) (rubbish|terrible|awful|horrible|bad|poor|rough|lousy|miserable|horrid|rotten|grim|wretched) (start|end|experience|way|time|day|week|welcome|introduction|night|night out|evening|weekend|morning|afternoon|trip|holiday|birthday|journey|commute|visit)\b|\b(that's|that is|it's|it is|this is) (not|no) good( at all)?\b|\bnot how (it|this|that|things|your \w+|the \w+) (should|is supposed to|ought to|are supposed to) (work|be|go|happen)\b|\b(fair|understandable|natural|reasonable|normal|only right) (enough )?to (be|feel) (annoyed|frustrated|upset|angry|cross|disappointed|fed up|worried|let down)\b|\b(every|every right|all the) right to be\b|\b(i|we) can see (that )?(you've|you have|you're|you are|you were|you had) been\b|\b(frightening|terrifying|distressing|heartbreaking|unsettling|nerve-?wracking|exasperating|aggravating|irritating|galling|shocking|dreadful|miserable|unfair)\b|\bmakes? (it|things|life|that|this|everything) (really |very |so |much )?(hard|harder|difficult|tough|tricky|awkward)\b|\b(catch|catches|caught|trip|trips|tripped) (a lot of|lots of|many|plenty of|loads of|so many) (people|customers|us|folks) (out|up)\b|\bhappens to (the best of us|everyone|a lot of people|lots of people)\b|\b(easy|common) (mistake|one|thing) to (make|do)\b|\b(that's|that is|it's|it is|this is|sounds like|looks like) (a|an|the)( known)? (bug|glitch|fault|defect)\b|\b(far|way|much|simply) too (long|slow|late|much|many)\b|\bwould (drive|wear|make|frustrate|annoy|upset|worry) (anyone|me|you|most people|anybody)\b|\b(must|would|will) (be|have been|feel) (really |so |very |incredibly )?(\w+ing|hard|tough|difficult|rough)\b",
        // A feeling named in the apology ("sorry for any frustration"), the problem known to
        // the team ("we've observed a similar issue", "a known bug"), or diagnosed ("it seems
        // the download was corrupted").
        r"|\b(sorry|apologi[sz]e|apologies)\b[^.!?]{0,40}\b(frustration|stress|worry|worries|upset|anger|disappointment|confusion|distress|annoyance)\b",
        r"|\b(i'd|i would|we'd|we would|anyone would|anybody would|most people would)( \w+)? (be|feel|get) (fed up|frustrated|annoyed|upset|angry|furious|cross|gutted|livid|worried|the same)\b",
        r"|\b(we've|we have|we're|we are|i've|i have)( also| already)? (observed|seen|noticed|been seeing|had reports of|received reports of|heard reports of|aware of|come across)( a| the| this| that| some| other)*( similar| same| known)? (issue|problem|behaviou?r|bug|error|glitch|reports)\b|\bknown (issue|problem|bug)\b",
        r"|\b(it|this|that) (seems|looks|sounds|appears) (like|that|as if|as though)\b[^.!?]{0,60}\b(corrupt\w*|damaged|broken|failed|stuck|outdated|missing|blocked|expired|faulty|bug|glitch)\b",
        // Owning the fault and taking the customer's side ("that's on us", "a bug on our side",
        // "you didn't misread it", "three times is too many").
        r"|\b(that's|that is|this is|it's|it is|this one's|that one's)( all| entirely| completely)? on (us|me)\b|\b(our|my) doing\b|\b(ours|on us|our fault|our mistake),? not (yours|you|your fault)\b|\b(from|on|at) our (side|end)\b|\b(us|we|i) (letting|let|have let|'ve let) you down\b",
        r"|\byou (didn't|did not|haven't|have not) (misread|misunderstand|misunderstood|imagine|imagined|do anything wrong|done anything wrong|make a mistake|made a mistake|get it wrong|got it wrong)\b|\b(i|we) (don't|do not|didn't|did not) doubt\b|\byou('re| are) not (wrong|imagining|mistaken)\b",
        r"|\b(is|are|was|that's|it's) (far |way |much |simply )?too (many|much|long|slow|late|often)\b|\b(should|ought to) have (applied|arrived|been|come|worked|gone through|reached|shown|happened|told you)\b|\bwould (leave|put|make|drive|wear|frustrate|annoy|upset|worry|catch out) anyone\b",
        r"|\b(my|our) (mistake|fault|error|bad|oversight)\b|\b(this|that|it)( one)? is on (us|me)\b|\b(i|we) (was|were) wrong\b|\b(i|we) (got|made) (it|that|this) wrong\b|\b(i|we) (should have|should've|shouldn't have)\b",
        r"|\b(which|that)('s| is) why\b|\bthis is why\b|\bhas a bug\b|\bknown (issue|bug|problem|crash|fault|glitch|error)\b|\b(weren't|wasn't|isn't|aren't|didn't|doesn't|haven't|hasn't) (been )?(arriving|working|loading|showing|going through|coming through|updating|syncing|triggering|sending|reaching)\b",
        r"|\b(that|this|it) (sounds|looks) like (a|an|the|your)\b|\b(i|we) can see (that |both |why |where |how )|\b(i|we) can see (the|your) [^.;!?]* (is|are|was|were|has|have|hasn't|haven't|isn't|aren't|wasn't|weren't|didn't|never|still|keeps|got|went|came|arrived|failed|stopped|showing|shows|ended|landed|bounced|declined)\b|\bi know you('ve| have| had)\b|\b(a|such a|quite a|really|very) long (time|wait|while)\b|\b(long|big|huge) wait\b",
        r"|\b(is|are|was|were|has been|have been|'s) (failing|faulty|broken|down|not working|stuck|offline|dropping|cutting out)\b|\bthere('s| is| was) (a|an) (fault|problem|issue|bug|glitch|outage|error)\b|\b(never|wasn't|weren't|hadn't been|hasn't been|wasn't ever) (activated|applied|sent|processed|released|connected|added|updated|set up|delivered|received)\b|\bstopped (talking|working|sending|syncing|connecting|responding)\b|\bwhich (causes|caused|explains)\b",
        // The problem or feeling named with any subject ("paying for 4K and getting 720p is
        // annoying", "what a waste of a day", "not the unboxing you were hoping for", "you're
        // right to be wary", "a table that wobbles isn't something anyone should have to put up
        // with", "I completely get why you're fed up").
        r"|\b(is|was|'s|are|were|sounds|must be) (so |really |very |incredibly |properly |genuinely |seriously )?(annoying|frustrating|infuriating|maddening|exasperating|stressful|worrying|upsetting|disappointing|rubbish|awful|terrible|not great|not good|not ideal|no fun|a pain|a nightmare|a real pain)\b|\bwhat a (waste|mess|shame|let-?down|palaver|faff|headache|ordeal|pain|nightmare|hassle)\b|\bnot the [a-z]+( [a-z]+)? you were (hoping|expecting|looking) for\b|\byou('re| are) right to (be|feel|ask|raise|flag|complain|chase|question|want)\b|\b(shouldn't|should not|should never|nobody should|no one should|anyone should) (have to|need to) (put up with|deal with|live with|go through|wait|chase)\b|\b(i|we) (completely |totally |fully |really )?get why\b|\bnot great when\b|\bnot what should (happen|have happened)\b|\bmakes? (it|the [a-z]+|your [a-z]+|things|that|this) (pretty |really |completely |totally |basically )?(useless|unusable|pointless|impossible|worthless)\b",
        r"|\b(frustrat|annoy|disappoint|upsett|worr)\w* (you|for you)\b|\byou('ve| have) been (waiting|patient|let down|through)|\b(i|we) (feel|share) your",
        // Empathy put generally ("it's never fun when...", "no one wants to be charged...") and
        // an evaluation of what is happening ("that definitely shouldn't be happening").
        r"|\b(it's|it is|it's just) never (fun|nice|good|easy|great|pleasant)\b|\b(no one|nobody|no-one) (wants|likes|enjoys|needs)\b|\b(should ?n't|should not) (be )?happen(ing)?\b",
        // A diagnosis that names the fault ("that's a hardware fault", "it seems the app is opening
        // in trial mode", "I can see it's addressed to the wrong name").
        r"|\b(that's|that is|it's|it is|this is|sounds like) (a|an) (hardware|software|known|billing|network|connection|sync|syncing|display|battery|account|payment|delivery|printing|system|server|app|firmware|setup|configuration|settings) (fault|issue|bug|problem|error|glitch|defect)\b|\b(it )?(seems|looks) (that|like) (the|your) \w+( \w+)? (isn't|aren't|wasn't|hasn't|haven't|didn't|doesn't|keeps|(is|are) (not|still|stuck|opening|showing|using|running on|set to|missing|blocked|locked|suspended|disabled|expired|failing|broken|down|offline|in)|(has|have) (been|not|expired|stopped|lost|a|an)|(was|were) (not|never|sent|set|charged|cancell?ed|blocked|entered|addressed))\b|\b(i|we) can see (it's|it is|they're|there's|there is|it was|this was|that it|it has)\b|\b(clearly|definitely|obviously) (been )?(crushed|damaged|broken|faulty|defective|dented|smashed)\b",
        // Taking the customer's side in other words: a wish or feeling that makes sense ("makes
        // total sense you don't want to be paying for games you can't get to"; a technical
        // point that makes sense is none), "a week of rain is nobody's idea of fun", "that bill
        // looks wrong to me too" (not "nothing looks wrong to me"), "headaches every day are
        // not something you should just put up with" (not "cookies are not something you have
        // to accept").
        r"|\bmakes? (total |perfect |complete |a lot of |good |absolute )?sense (that )?you(('d| would| wouldn't| don't| do not| didn't)? (want|wanted|feel|felt|expected)|('re| are| were|'d be| would be| feel| felt) (upset|annoyed|frustrated|cross|worried|angry|fed up|disappointed|concerned|confused|unhappy))\b|\b(nobody|no one|no-one)'s idea of (fun|a good time)\b",
        r"|\b(that|this|it|which|(the|that|this|your) [a-z]+)( definitely| really| certainly| also)? (looks|seems|sounds|is|was) (wrong|off|odd|strange|not right|incorrect|too high|excessive) to (me|us)\b|\bnot something (you|anyone|anybody)( should| ought to)( have to)?( just)? (put up with|live with)\b",
    )),
    apology_about: cue(
        r"\b(sorry|apologi[sz]e|apologies|regret)\b\W*(to (hear|see|learn|read|know) (that |about |of )?|(that|about|for|if) |you('re| are|'ve| have)? |your |it |it's |it is |that's |they're |they |we |we've |we're |i |i've |our |this |the )",
    ),
    offer: cue(concat!(
        r"\b(i|we)( (just|already|also|now|personally|certainly|gladly|happily|definitely))?('ll| will| can| could| would| shall|'d| am going to|'m going to| are going to|'re going to|'ve| have| had| did| do| went| got|'re able to| are able to|'m able to| am able to)\b[^.?!]{0,40}",
        r"|\b(i|we) (issued|processed|sent|refunded|replaced|credited|added|applied|arranged|booked|escalated|passed|forwarded|reset|restored|updated|changed|cancell?ed|waived|removed|reversed|reactivated|unlocked|fixed|resolved|submitted|raised|filed|reported|flagged|made|created|upgraded|expedited|rebooked|rescheduled|reinstated|shipped|dispatched|ordered|organi[sz]ed|sorted|adjusted|corrected|approved|activated|enabled|disabled|released|returned|gave|granted|extended|renewed)\b",
        r"|\blet (me|us)\b|\bhere('s| is| are) (a|an|the|your|what|how|some|our|more)\b|\b(would you like|do you want|want|would you want) (me|us) to\b|\bfancy (a|an|some)\b|\b(would|will|could|does|do) (a|an|the|another|this|that) (\w+ )?(slot|appointment|date|time|day|delivery|visit|flight|train|room|seat|booking|option)s? (work|suit|do)\b|\byour (pac|unlock|activation|discount|voucher|promo|gift|new) (code|password|pin)\b|\b(shall|should|can|may|could) (i|we) (go ahead|offer|send|arrange|process|refund|replace|book|get|set|try|escalate|issue|give|credit|cancel|change|reset|fix)",
        r"|\bhow about\b|\byou('ll| will| should| shall)( now| soon)? (receive|get|see|be (receiving|getting|sent|refunded|credited|reimbursed|contacted|able to))",
        // An alternative named as what is open to the customer ("the only other thing available
        // to you is switching to the annual plan", "another option would be to...").
        r"|\b(thing|option|alternative|route|choice)s? (available|open) to you (is|are|would be)\b|\b(another|the other|an alternative|one other|the alternative) (option|route|choice|thing|possibility) (is|would be)\b",
        // Someone else doing it, named as the team, the depot, the driver ("our warehouse lot are
        // posting the fixings pack", "they're renewing it now", "our engineers can re-import
        // them tonight", "the driver takes the old one away"), and the customer asked to pick
        // ("would you rather we pause it or...").
        r"|\b(everyone|everybody) affected( is| are| will be|'ll be) getting\b|\ban? ([a-z-]+ )?(engineers?|technicians?|team|crew|fitters?|plumbers?|electricians?|driver|courier)( [a-z]+){0,2}( is| are| will be|'s|'re|'ll be) (coming|going|heading|on (its|their|the) way)\b|\b(our|the|your) ([a-z]+ )?(engineers?|technicians?|team|teams|depot|warehouse|store|driver|drivers|courier|fitters?|plumbers?|electricians?|installers?|colleagues?|manager|staff|specialists?|lot|crew|partners?|department|desk|kitchen|restaurant|roofer|carrier)( [a-z]+){0,2}(( will| can| could| are going to| is going to| are| is| have| has|'ll|'ve)( now| just| already| also)? [a-z]+(ed|ing)|('s|'re)( now| just| already| also)? (going back|coming back|going|coming|heading|bringing|sending|taking|collecting|dropping|fixing|replacing|repairing|delivering|posting|refunding|crediting|rebooking|swapping))\b|\b(the|our) (driver|courier|engineer|technician|fitter|depot|team|warehouse) (takes|brings|collects|drops|delivers|fits|swaps|replaces|picks)\b|\b(they|they're|they are|he's|he is|she's|she is)( now| just| already)? ('re |are |'s |is )?(renewing|fixing|replacing|resending|re-sending|posting|sending|repairing|rebuilding|restoring|reinstating|refunding|crediting|rebooking|rerouting|re-routing|collecting|bringing|swapping|reissuing|re-issuing)\b|\bwould you rather (i|we|me|us)\b",
        // Done, with no one named ("reinstated your preorder at the original price", "the
        // second £39.99 is reversed now", "swap's booked", "a credit is sitting on your account
        // now", "a new case went in the post", "fixed in today's update", "someone from the front
        // desk is on their way").
        r"|\b(i've|i have|we've|we have) had (the|our|your|a) [a-z]+( [a-z]+)? [a-z]+ (it|them|the|your|a|an)\b|\b(it's|it is|they're|they are|it'll be|they'll be) (now )?on (tomorrow's|today's|tonight's|the next|the first|the) ([a-z]+ )?(van|delivery|flight|train|truck|lorry|run|round|boat)\b|\b(will|'ll|can) let you (through|in|on|board)\b",
        // More shapes of a remedy: an offer of service ("happy to refund the charge"), a
        // preference asked ("would you prefer to have it paid back to your bank?", "do you want it
        // redelivered?"), a passive in any tense ("will be delivered", "is being couriered", "has
        // gone back to your card", "have all been reset"), telegraphic notes ("engineer rebooked
        // for Tues", "data add-on removed"), a colleague's decision ("who has authorised a
        // settlement"), a workaround ("you can still make the transfer in a browser"), a fix that
        // usually works ("that usually clears the licence error"), the speaker at it now ("I'm
        // switching on Wi-Fi calling").
        // Advice with the action as subject ("updating your driver to 552.44 should let the save
        // load"), a workaround ("Wi-Fi Calling will let you make calls in the meantime"), a new
        // date or code announced ("the new delivery date is 19 March"), a third party at it
        // ("they're giving you a room tonight"), someone sent ("I'll send security up"), a
        // causative ("I'll get the restaurant to remake your order").
        r"|(^|[.!?]\s+)(updating|reinstalling|restarting|clearing|resetting|switching|turning|logging|signing|changing|installing|using|moving|unplugging|deleting|removing|re-?pairing|rebooting)\b[^.?!]* (should|will|would|usually|normally|often|may|might|can)\b|\b(will|should|would|'ll|can) let you (make|use|get|keep|access|watch|play|call|pay|log|sign|see|download|order|book|travel|carry on|continue|stream|work)\b|\b(the|your) new ([a-z]+ )?(date|delivery date|time|slot|appointment|booking|code|password|pin|card|link)( is| will be|'s)\b|\b(they|they're|they are|he's|she's|he is|she is)( now| also)? ('re |are |'s |is )?(giving|offering|sending|booking|arranging|providing|upgrading|moving)\b|\bsend (security|someone|somebody|an engineer|a technician|housekeeping|maintenance|a plumber|an electrician|a courier|a driver|a rider)( [a-z]+)? (up|round|over|out|to you)\b|\bget [a-z' ]{1,30} to (remake|resend|re-send|redeliver|replace|refund|fix|repair|reissue|rebook|send|deliver|bring|collect|call you|ring you)\b",
        r"|(^|[.!?]\s+)(happy|glad|more than happy|pleased) to (refund|replace|send|arrange|book|rebook|credit|cover|swap|exchange|sort|fix|help you (with|get)|get|issue|pop|put|waive|cancel|upgrade|extend|offer)\b|\bwould you (prefer|like|rather)( to)? (have|get|receive|take)\b|\bdo you want (it|them|me|us|the [a-z]+)\b|\b(will|'ll|should|is going to|are going to) be (refunded|replaced|credited|delivered|redelivered|re-delivered|rebooked|reissued|re-issued|restored|reinstated|reactivated|repaired|fixed|collected|dispatched|couriered|posted|fitted|installed|waived|removed|reversed|released|unlocked|upgraded|extended|sent|paid|done|made|brought|given|with you)\b|\b(is|are|'s|'re) (now )?being [a-z]+ed\b|\b(has|have|'s|'ve) (now |just |already |all |both )*(gone|been put|been sent) (back|out to you|through)\b|\b(has|have|'s|'ve) (all|both|each) been [a-z]+ed\b|(^|([.!?-]|\xE2\x80\x93|\xE2\x80\x94)\s+)(the |your |a |an )?[a-z]+(-[a-z]+)* (rebooked|booked|sent|processed|issued|arranged|refunded|reversed|dispatched|applied|removed|credited|fixed|sorted|reset|restored|ordered|approved|added|waived|unlocked|replaced)\b|\bwho (has|have|'s|will|'ll|can) (now |just |already )?(authori[sz]ed|approved|agreed|arranged|booked|issued|refunded|credited|fixed|replaced)\b|\byou (can|could) still\b|\bin the meantime,? you (can|could)\b|\b(usually|normally|often|generally|should|tends to) (clear|clears|fix|fixes|solve|solves|sort|sorts|cure|cures|resolve|resolves|get rid of|gets rid of)\b|\b(i|we)('m| am|'re| are) (now |just |also )?(switching|turning|sending|posting|booking|arranging|refunding|crediting|issuing|processing|adding|removing|cancelling|canceling|waiving|reversing|resetting|restoring|replacing|fixing|upgrading|escalating|ordering|knocking|applying|extending|reactivating|unlocking|rebooking) (you|your|it|them|the|a|an|on|off|over|out|up|back)\b",
        r"|(^|[.!?]\s+|^(-|\*|\xE2\x80\xA2|\d+[.)])\s*)((have|'ve|has|just|now) )?(reinstated|rebooked|refunded|credited|cancelled|canceled|reversed|removed|waived|fixed|sorted|booked|rebooked|sent|resent|re-sent|issued|applied|added|unlocked|reset|restored|replaced|upgraded|extended|moved|changed|updated|reactivated|approved|processed|arranged|dispatched|posted|cleared|refreshed) (your|the|it|them|that|this|those|these|a|an|you|both|all|[0-9$]|£|€)|\b(is|are|'s|'re) (refunded|reversed|credited|fixed|sorted|restored|reinstated|reactivated|unlocked|unblocked|removed|waived|cleared|booked|rebooked|approved|released|replaced|done) now\b|\b(is|are|'s|'re) (now )?(booked|arranged|sorted|done|confirmed|approved|scheduled|reserved|set aside|put aside) (for you|in|on|for)\b|\b(is|are|'s|'re) (now )?(booked|arranged|sorted|done|confirmed|approved|scheduled)\s*[,.!]|\b(is|are|'s|'re) (sitting|waiting|showing|now showing) (on|in) your\b|\b(went|gone|goes|going|is|was|has been|have been) (in|into) the (post|mail)\b|\b(goes|go|going|is going|will go|can go|went) out (to you |in the post )?(today|tomorrow|tonight|first thing|by|with (the|tonight's|today's|tomorrow's))\b|\bfixed in (the |today's |this |our |version |v)|\bon (their|his|her) way (to you|over|round|up|with)\b",
        r"|\b(has|have|had|'s|'ve) (now |just |already )?been (\w+ed|unfrozen|sent|made|given|done|set up|taken care of|taken off|sorted|put through|paid|shipped|built)\b|\b(is now|are now|is being|are being|'s being|'re being|'s now|'s been|was|were|will be|will now be|should be|is on|are on) ?(issued|processed|sent|re-?sent|shipped|refunded|replaced|credited|applied|added|approved|arranged|booked|re-?booked|rescheduled|re-?routed|redirected|reset|restored|fixed|resolved|waived|removed|taken off|updated|escalated|reactivated|unlocked|unblocked|reinstated|cancell?ed|deployed|rolled out|dispatched|posted (back|out)|released|on (its|the) way)\b",
        r"|\b(it's|it is|this is|that's|that is|everything is|all) (now )?(fixed|resolved|sorted|working|back up|restored|done|taken care of)\b|\byour \w+( \w+)? (is|are|'s) (now )?(unblocked|unlocked|unfrozen|reactivated|restored|fixed|active again|working again)\b|\bwe have (a|an|some|the)\b",
        // A fix announced as news ("a fix goes out tonight", "hotfix 1.4.2 went live").
        r"|\b(fix|fixes|patch|hotfix|update)( for (this|that|it))?( [\w.]+)? (goes|going|went|is going|will go|has gone) (out|live)\b",
        // A commitment in the present progressive ("I'm refunding the £240", "we're sending a
        // new one today"): the speaker is doing it now.
        r"|\b(i'm|i am|we're|we are)( (now|just|also|already|currently|happily|gladly))? (refunding|reimbursing|sending|resending|replacing|crediting|processing|issuing|arranging|booking|rebooking|escalating|waiving|removing|reversing|adding|applying|upgrading|expediting|shipping|dispatching|organi[sz]ing|fixing|resetting|restoring|reactivating|unlocking|cancell?ing|extending|raising|passing|forwarding|giving|refunding|covering|comping|reinstating|releasing|approving)\b",
        r"|\b(the|our|an?|your) (engineer|technician|courier|driver|fitter|plumber|electrician|rider|team|specialists?|colleagues?|\w+ team|\w+ manager|manager)( [a-z]+)? (can|will|could|'ll|is going to) (come|visit|call round|pop round|be (there|with you|at yours)|collect|bring|deliver|drop|return|replace|repair|fix|swap|refund|send)\b|\bour (engineer|technician|team|specialists?|colleagues?|\w+ team|developers|engineers) (has|have|'s|'ve) (now |just |already )?(\w+ed|reset|sent|made|done|put|set|run|rebuilt|built)\b|\b(payment|refund|replacement|parcel|package|card|voucher|credit|money|cheque|engineer|technician|courier|driver|one|it|they|\w+ payment|\w+ refund)( of [^.!?]{1,12})? (is|are|'s|'re) (now )?on (its|their|the) way\b",
        r"|\bwe('ve| have) (just )?(fixed|resolved|rolled out|released|deployed|updated|patched)|\b(engineer|technician|courier|replacement|refund|delivery|visit|appointment|bag|parcel|order|new one|new \w+)('s| is| has been| was| will be)? (now |today |already )?(confirmed|booked|scheduled|arranged|located|found|on (its|the|their) way)\b|\b(replacement|refund|credit|new one|new \w+|resend|re-send|reship\w*) (went|has gone|'s gone|is going|goes|will go) out\b|\b(is|are|'s) (all|the (most|best|only (thing|option|choice|offer)s?)) (that )?(we|i) (can|could|are able to|am able to) (offer|do|give|provide)",
    )),
    offer_headline: cue(
        r"^(all )?(sorted|done|fixed)\b|^(your |the |a |full |new )?\w+ (now )?(issued|processed|sent|shipped|dispatched|approved|applied|added|waived|removed|reversed|booked|arranged|cancell?ed|done|completed|sorted|refunded|credited|replaced|reset|restored|unlocked|fixed|resolved|escalated|raised|logged|reactivated|reinstated|reconnected|unblocked|unfrozen|on (its|the) way)\b|^re(booked|activated|instated|connected|issued|sent|scheduled|credited|placed|ordered|opened|started)\b",
    ),
    offer_headline_anywhere: cue(
        r"\b(sorted|done|fixed)\b|(your |the |a |full |new )?\w+ (now )?(issued|processed|sent|shipped|dispatched|approved|applied|added|waived|removed|reversed|booked|arranged|cancell?ed|done|completed|sorted|refunded|credited|replaced|reset|restored|unlocked|fixed|resolved|escalated|raised|logged|reactivated|reinstated|reconnected|unblocked|unfrozen|on (its|the) way)\b|\bre(booked|activated|instated|connected|issued|sent|scheduled|credited|placed|ordered|opened|started)\b",
    ),
    not_offer: cue(concat!(
        r"^(i|we)\S*( (just|already|also|now|have|had|can|could|will|'ll|'ve|do|did|am|are|'m|'re|only|certainly|definitely|completely|totally|fully|really))* (had a look|have a look|take a look|taken a look|looked|look|check|checked|see|seen|noticed|reviewed|investigated|understand|know|think|believe|hope|appreciate|imagine|apologi\w*|sorry|regret|tell|confirm|assure|reached out|received|got your|have your|got (it|that|this|the \w+|your \w+)( \w+)? (up|here|open|in front)|need|want|would like|'d like|was wondering|am wondering)\b",
        // "Can I get your name?", "could I take the booking reference?": asking for details.
        r"|^(can|could|may) (i|we)( just| also| quickly| please| first)? (get|take|have|grab|ask for|ask you for|confirm) (your|the|a|an|that|those|some|both)( [a-z-]+)? (name|surname|details|email|e-mail|number|address|postcode|post code|zip|reference|ref|date of birth|dob|phone|mobile|booking|order|account|id|receipt|serial|photo|picture|screenshot|registration|reg)( (number|no|address|code|reference|ref|details|please|first|from you|on the account|on the booking|on your account))*\s*([?,.!]|$| or | and | so | to | please\b)",
    )),
    // A whole clause that states a limit and names nothing ("This is the only thing I can do.",
    // "that's the best we can offer"): no offer of its own ("a voucher is the best I can offer"
    // names one).
    limit_alone: cue(
        r"^\s*(this|that|it)('s| is| was| would be) (really |honestly |genuinely |just )?(the )?(only|best|most|least|last) (thing |one |option )?(i|we)('m| am|'re| are)? (can|could|am able to|are able to|'m able to|'re able to) (do|offer|manage|give)( (for you|here|now|right now|today|at this point|at this stage))*\s*[.!,;]*\s*$",
    ),
    promise: cue(concat!(
        r"\b(i|we)( (just|also|definitely|certainly|personally))?('ll| will| shall| am going to|'m going to| are going to|'re going to| will be| plan to| intend to)\b",
        r"|\blet (me|us) (check|look|find|get|see|follow|investigate|dig|ask|reach|contact|escalate|raise|pass|chase|confirm)",
        // "I've opened a claim with them and will let you know what they say".
        r"|\b(i|we)\b[^.?!]{0,60}\band (will|shall) (let you know|update you|call you|email you|text you|contact you|be in touch|get back to you|follow up|keep you|message you|ring you|check|confirm)",
        r"|\byou('ll| will| should) (hear|get an update|receive an update|be updated|be notified|be contacted|get a (call|reply|response|message|email))",
        // Contact someone else will make, or that the customer will receive ("they'll ring you
        // before they arrive", "you will receive a dispatch confirmation", "I've asked the
        // team to email you").
        r"|\byou('ll| will| should)( also| then)? (receive|get) (a|an|the) (\w+ )?(confirmation|update|call|reply|response)\b",
        r"|\b(ask|asked|asking) (our|the) (\w+ )?(team|department|colleagues?|specialists?) to (email|call|ring|text|message|contact|update) you\b",
        r"|\bexpect (a|an) (call|email|message|text|update|reply) from (me|us)\b|\b(i've|i have|we've|we have) (set|put|made) (myself |ourselves )?(a|an) (reminder|note|follow-up|follow up)\b",
        r"|\b(someone|somebody|(a|my|our|the|your) (member|specialist|colleague|manager|supervisor|team member|technician|engineer|adviser|advisor|agent|rep|representative|case handler|handler|assessor|courier|driver|fitter|installer)|our (team|specialists?|engineers?|technicians?)|(our|the|your) [a-z]+ (team|department|desk)|they|he|she)( [\w'-]+,?){0,5}?( will|'ll| is going to| are going to| should) (call|ring|phone|text|message|contact|reach|email|get back|be in touch|follow|update|look|investigate|review|help|let you know|send you|reply to you|reply by|respond to you|write to you)",
        // Anyone else named ("a contractor will be in touch to arrange a time"), with the verbs
        // that can only mean contact.
        r"|\b(a|an|the|our|my|your) ([a-z]+ ){0,2}(contractor|engineer|technician|manager|colleague|specialist|advis[eo]r|agent|rep|representative|team|courier|driver|installer|fitter|plumber|electrician|nurse|doctor|vet|surveyor|assessor|inspector|officer|coordinator|supervisor|someone|member of staff|locksmith|cleaner|groomer|sitter|tutor|instructor)( [a-z]+)? (will|'ll|is going to|should) (call you|ring you|phone you|text you|contact you|email you|be in touch|get in touch|get back to you|reply to you|write to you|let you know)\b",
    )),
    imperative: cue(concat!(
        // A step may follow a setting-the-scene phrase ("With the TV switched on, point the
        // remote at it", "Once it's charged, hold the button").
        r"^(?:(?:with|once|after|from|using|while|before) [^,.;]*,\s*)?",
        r"(?:(?:please|pls|plz|kindly|just|simply|also|then|first|firstly|next|now|finally|meanwhile|alternatively|otherwise|instead|and|or|so|but|for now|in the meantime|go ahead and|be sure to|make sure to|feel free to|remember to|don't forget to|you might|you may|try to)\W+)*",
        r"(try|update|upgrade|restart|reboot|reinstall|re-install|uninstall|install|clear|delete|remove|reset|re-enter|reenter|enter|log|sign|raise|reorder|re-order|rebook|re-book|place|create|book|claim|disable|enable|turn|switch|toggle|unplug|plug|power|hold|press|tap|click|select|choose|go|head|navigate|open|close|quit|force|check|verify|make sure|ensure|follow|visit|see|read|review|look|use|change|edit|add|connect|disconnect|reconnect|link|unlink|relink|download|refresh|reload|wait|allow|accept|restore|set|adjust|move|run|test|upload|submit|request|appeal|file|cancel|return|drop|keep|leave|give|contact|reach|call|email|e-mail|dm|message|ping|tweet|send|reply|tell|let|share|provide|include|fill|attach|confirm|note|double-check|rejoin|re-link|relaunch|launch|start|stop|exit|back up|backup|sync|resync|scan|repair|replace|swap|pair|unpair|reinsert|insert|reseat|charge|head over|pop|drop|find|locate|search|browse|access|manage|complete|fill out|apply|redeem|enter|re-download|redownload|rebuild|downgrade|opt|avoid|skip|ignore|consider|take|put|get|bring|ship|post|mail|print|report|block|mute|unmute|report|verify|validate|authenticate|retry|re-try|re-apply|update|install|wipe|flip|empty|purge|clean|wash|shut|hang|forget|re-add|re-register|kill|relog|re-log|reopen|re-open|unpair|un-pair|point|aim|show|grab)\b",
    )),
    directive: cue(concat!(
        r"\byou('ll| will| would)? (need|want|have|must|should|ought|may want|might want|might need|may need|'d need|would need|'d want)( to)? \w+",
        // Asking the customer to have someone else apply a fix ("could you ask your team to
        // clear their cache?"), and a menu path to follow ("Steam > Library > Properties").
        r"|\b(could|can|would) you (please |just |also )?(ask|get|have) (your|the|them|him|her)( \w+)? to (try|restart|reboot|reinstall|clear|reset|update|log|sign|turn|switch|unplug|delete|remove|disable|enable|use|close|reopen|re-enter|check)\b",
        r"|\b[a-z][\w-]*( [\w-]+){0,2} > [\w-]+( [\w-]+){0,2} > [\w-]+",
        r"|\byou (can|could|may|might)( also| just| now| then| always| still| simply| easily| try and)? (pick up|pick it up|pick them up|collect|grab|move|transfer|pay|send|swap|exchange|claim|book|rebook|order|reorder|try|update|upgrade|restart|reboot|reinstall|clear|reset|check|go|use|find|change|visit|see|follow|fix|appeal|select|tap|click|head|turn|log|sign|delete|download|install|disable|enable|remove|uninstall|refresh|manage|view|edit|do|get|cancel|return|track|read|learn|opt|access|set|switch|toggle|open|redeem|re-enter|enter|look|start|restore|recover|unlink|link|connect|reconnect)\b",
        r"|\b(i|we)('d| would)? (recommend|suggest|advise|encourage|ask that you|urge)",
        r"|\b(try|trying) (\w+ing|to |the |a |an |another|using|again|it again|once more|logging|signing|restarting|clearing|updating|reinstalling|through|in |on |with |from )|\bwhether you('ve| have) tried\b",
        r"|\b(have|did) you (already |ever )?(tried|try|checked|cleared|restarted|rebooted|reinstalled|updated|reset|turned|logged|signed|followed|used|enabled|disabled)\b|\b(could|can|would) you (please |just |also |quickly )?(try|restart|reboot|reinstall|clear|reset|update|log|sign|turn|switch|unplug|plug|delete|remove|disable|enable|use|close|reopen|re-open|re-enter|reenter|wash|clean|open|go|head|tap|click|select|toggle|force|power|hold|press|install|uninstall|download|refresh|reload|reconnect|disconnect|pair|unpair|reseat|charge|wait|allow|accept|change|edit|run|scan|sync|verify|make sure|ensure)\b",
        r"|\b(article|steps?|link|guide|page|instructions|tips|doc|documentation|faq|workaround|info|information|troubleshooting)\b[^.?!]{0,40}\b(should|may|might|will|can|could|would)( \w+)? (help|fix|resolve|solve|get|walk|sort|explain|show|assist|answer|guide|work)",
        r"|\b(should|may|might|will|could|can|would) (help|fix|resolve|solve|sort) (you|that|this|it|the|your|things)\b|\b(should|may|might|will|could|would) (help|do the trick|sort it|work)\b|\b(usually|often|normally|generally) (does the trick|helps|fixes|works|sorts it|clears (it|this|that) up|sorts (it|this|that) out|solves (it|this|that)|resolves (it|this|that))\b|\bthe (best|quickest|easiest|simplest|usual) (fix|solution|workaround|way to fix (this|it)) (is|would be) to\b|\b(please )?refer to\b",
        // The step itself as the subject of its result ("updating your driver should let the
        // save load", "logging out and back in will pull the new address", "either should get
        // the order through").
        r"|(^|[.!?:;,] |\b(so|then|and|just|simply) )(updating|installing|grabbing|downloading|logging|signing|restarting|rebooting|clearing|reinstalling|resetting|switching|turning|allowing|enabling|disabling|changing|unplugging|reconnecting|refreshing|reloading|reopening|deleting|removing|uploading|re-entering|toggling|repairing|a (quick )?(restart|reboot|reinstall|reset|refresh|fresh install|power cycle))\b[^.?!]{0,60}\b(should|will|'ll|would|usually|normally) (let|get|make|pull|bring|put|sort|clear|restore|refresh|reset|sync|push|force|kick|fix|load|trigger)\b|\b(either|both)( one| option| of (these|those|them))? (should|will|would) (get|sort|fix|let|do the trick|work)\b|\byou('re| are) (more than |very |always )?welcome to (put|leave|bring|use|book|come|pop|drop|return|swap|exchange|collect|pick|keep|add|try|rebook|take|claim|have|stay)\b|(^|[.!?:;,] |\b(so|then|and|just|simply) )(updating|installing|upgrading|downloading|grabbing|restarting|rebooting|clearing|reinstalling|resetting|switching|turning|changing|unplugging|reconnecting|a (quick )?(restart|reboot|reinstall|reset|refresh|update|fresh install|power cycle))\b(?:[^.?!]|\.[0-9])*\b(fixes|solves|sorts|resolves|clears|cures) (it|this|that|things|the [a-z]+)\b",
        r"|\bwould you mind (checking|trying|following|restarting|updating|clearing|reinstalling|logging|signing|giving)\b|\bcheck out\b|\b(take|have) a (quick )?look\b|\bsee (here|this (article|link|page|guide|post)|our|below|above)\b|\bhere's how\b|\bfollow (these|the|this|our)\b|\b(is|are) (available|explained|covered|listed|outlined|described) (here|in|at|on|below)\b",
        r"|\b(steps|instructions|info|details|more|tips) (here|below|at|in this)\b|\bhere\s*:|\b(see|visit|go to|read|click|tap|follow)\s*:",
        // An article handed over as a statement ("this article <link> has the steps you can
        // take"); a link's dots do not end the sentence.
        r"|\b(article|guide|link|page|doc|documentation|faq|post|video)\b(?:[^.?!]|[.?!]\S)*?\b(has|have|contains|lists|explains|covers|outlines|details|describes|shows|walks you through|walks through|takes you through|goes through|goes over|includes)( all)?( of)? (the |some |a few |a )?(recommended |possible |suggested |next |troubleshooting )?(steps|instructions|ways|tips|options|fix|fixes|solutions?|workarounds?)\b",
    )),
    routing_verb: cue(
        r"^(?:(?:please|kindly|just|also|then|feel free to|go ahead and|you can|you could|you may|you'll need to|you will need to|you need to|i'd recommend|we'd recommend|we recommend|i recommend|we suggest|i suggest|we'd suggest|i'd suggest)\W+)*(contact|reach out|reach|call|email|e-mail|dm|message|ping|tweet|follow up|get in touch|speak|talk|chat|write|visit (our|the) (support|help)|head (over )?to (our|the) (support|help))\b|\b(send|drop|shoot) (us|me) (a )?(dm|message|direct message|private message|note|line|email)\b|\bdm us\b|\bin dms?\b|\bvia dm\b|\byou (can|could|may|will need to|'ll need to|need to|should) (request|apply for|ask for|submit|file|raise|open|contact|reach|call|email|dm|message|report|fill (in|out))\b",
    ),
    details: cue(
        r"\b(details|info|information|email( address)?|address|number|order|account|screenshot|screen ?shot|screen recording|video|username|user ?name|name|id|description|steps you|what happened|model|version|browser|device|serial|receipt|invoice|postcode|zip|phone|date|photo|picture|error( message)?|reference|ticket|case number|country|region|platform|console|gamertag|psn|handle|url|link)\b",
    ),
    refusal: cue(concat!(
        r"\b(i|we|they|you)( (just|simply|really|unfortunately|currently|still|also|sadly))?( (can't|cannot|can not|couldn't|could not|won't be able to|will not be able to|wouldn't be able to|aren't able to|are not able to|am not able to|am unable to|are unable to|unable to|won't|will not|don't|do not|aren't allowed to|are not allowed to|am not allowed to|are not permitted to|don't have (access|the ability|a way|the option)|do not have (access|the ability|a way|the option)|no longer)|'re unable to|'m unable to|'re not able to|'m not able to|'re not allowed to|'m not allowed to|'re not permitted to)\b",
        r"|\b(it|this|that|which)('s| is| isn't| is not| was| wasn't|'s not| would not be| won't be| will not be| wouldn't be)( (currently|unfortunately|sadly|simply|just|really|still))? (not )?(possible|impossible|allowed|permitted|doable|something (we|i) (can|could|are able to|offer|do|support|provide))\b",
        r"|\b(there's|there is|there isn't|there is not) (absolutely |really |unfortunately |honestly |currently |sadly )?(nothing|not much|no way|not anything|no option|no possibility)\b|\bnothing (more |else |further )?(i|we) can\b|\bout of (my|our) hands\b",
        r"|\b(can't|cannot|can not) be (done|changed|reversed|undone|refunded|recovered|restored|cancell?ed|removed|transferred|merged|reinstated|processed)\b|\bnot (eligible|available|supported|possible)\b|\bno longer (available|supported|possible|offered)\b",
        r"|\b(isn't|aren't|wasn't|is not|are not) (currently )?(available|possible|supported|eligible|allowed|included|covered|refundable|permitted)\b|\b(isn't|is not|not) something (we|i|our \w+)\b|\b(don't|do not|doesn't|does not) (include|cover|allow|permit|qualify|apply to|support)\b|\b(outside|beyond) (of )?(our|my) control\b|\b(we're|we are|i'm|i am) not responsible\b|^(sorry,? )?(\w+,? )?(can't|cannot|unable to)\b|\b(fee|charge|charges|decision|price|fine|penalty) (stands|applies|still applies|remains)\b|\bnothing to do with (us|me)\b|\b(can't|cannot|can not|won't|don't|doesn't|aren't able to|isn't able to) (be )?(get |be )?(reinstated|applied|redirected|reopened|restored|refunded|changed|moved|transferred|extended|reversed|cancell?ed)\b|\b(won't|doesn't|will not|does not) (let|allow) (me|us)\b|\b(beyond|outside) what (i|we) can\b|\b(outside|beyond) (of )?what (your|the|our) \w+( \w+)? (covers?|includes?|allows?|offers?)\b|\b(aren't|are not|isn't|is not) able to\b|\bnot in a position to\b|\b(aren't|isn't|is not|are not|not) (my|our) (department|area|team|remit)\b|\b(doesn't|does not|don't|do not) have any (additional |more |further )?(info|information|details|timelines?|update)|\bunfortunately,? (we|i|it|this|that|there|the|your)\b[^.?!]{0,30}\b(not|n't|no|unable|nothing)\b|\ball (we|i) can do is\b|\bis all (we|i) can\b",
        // Refusals without "can't" ("won't be possible", "that's out of the question", "isn't
        // within my power", "isn't an option", "we have no means of", "falls outside what we
        // can refund", "can't be lifted", "cant refund a tip", "aren't something we do").
        r"|\b(won't|will not|wouldn't|would not) be (possible|doable|an option|allowed|permitted|feasible)\b|\b(is|are|'s|'re|that's|it's) (out of the question|impossible)\b|\b(isn't|is not|aren't|are not|not) (within|in) (my|our) (power|gift|remit|authority)\b|\b(isn't|is not|aren't|are not) an option\b|\b(have|has) no (means|way|ability|power) (of|to)\b|\bfalls? outside (of )?what (we|i)\b|\b(can't|cannot|can not|cant) be [a-z]+ed\b|\b(i|we) cant\b|^cant\b|\b(aren't|isn't|are not|is not) something (we|i)('re| are| am|'m)? ?(do|offer|permitted|allowed|able|support|provide|allow|cover)\b|^no (refunds?|returns?|exchanges?|cancellations?|changes?|compensation)\b|\bno (refunds?|returns?|exchanges?) (on|for|after|once)\b",
    )),
    not_refusal: cue(concat!(
        r"\b(can't|cant|cannot|can not|could not|couldn't) (wait|thank you enough|apologi[sz]e enough|say how sorry|stress enough|imagine|believe how|agree more)|\b(we|i) (don't|do not) (want|like|think|see any|have any record|know|believe|need you|mind|expect)",
        r"|\b(can't|cant|cannot|can not|couldn't|could not|am unable to|'m unable to|not able to) (quite )?(understand|hear|see|read|make out|open|view|load|spot) (you|your|what|it|the|this|that|which|if|whether|from here)\b|\b(can't|cant|cannot|can not|couldn't|could not) (quite )?(see|make out|spot) (a|an|any)\b|\bcan't tell (if|whether|from here)\b|\b(unable to|can't|cannot|can not|not able to|couldn't|could not) \w+( \w+){0,5} (without|until|unless)\b",
        r"|\b(sorry|sad|shame|unfortunate) (to hear (that )?|that |about |if )?(you|your)\b|\b(don't|do not) (make|set|write) the (rules|policy|policies)|\bif (you|your|it|this|that)|\bwhen (you|it)|\b(you|you're) (can't|cannot|unable|not able)\b[^.?!]{0,30}\?|\bdon't (hesitate|worry|forget)|\bno worries|\bwon't (be long|take long|happen again|let)|\bwe (don't|do not) (currently )?have (an )?(update|eta|news)",
        // "You won't be charged for today" spares the customer; "there's no way that scratch
        // was there" disputes a fact (blame, not a refusal).
        r"|\byou (won't|will not|wouldn't|would not|don't|do not|aren't|are not) (be |get |have to |need to )?(charged|billed|penali[sz]ed|fined|lose|losing|pay|paying|out of pocket)\b|\bthere('s| is) no way (that|this|the|your|it|you|he|she|they)( [a-z0-9']+){0,3} (was|were|is|are|happened|could have|would have|had)\b",
        // "When there's nothing on the doorstep", "I won't tell you to calm down": a finding and
        // a promise about the agent's manner refuse nothing.
        r"|\bthere('s| is) nothing (on|at|inside|wrong|showing|to (worry|pay))\b|\b(i|we) (won't|will not) (tell|ask) you to\b",
    )),
    // "You don't need to send the jacket anywhere yet": sparing the customer a step refuses
    // nothing (a refusal elsewhere in the clause still counts).
    spared_step: cue(
        r"\byou (don't|do not|won't|will not) (even |actually |ever )?(need|have) to\b",
    ),
    thanks: cue(r"\b(thanks|thank you|thx|ty|many thanks|appreciate (it|you|your))\b"),
    closing: cue(concat!(
        r"\b(anything|something) else (i|we) (can|could|may) (help|assist|do)|\bis there anything (else|more)|\bany (other|more|further) questions|\b(have|enjoy) a (great|good|nice|lovely|wonderful) (day|evening|night|weekend|one)",
        r"|\bhope (this|that|it) helps|\b(let|tell) (us|me) know if (you|there) (need|have|require|want|'re|are)( any| anything| more| further)|\bfeel free to (reach|contact|ask|get|let|dm|message|tweet)|\bdon't hesitate|\b(we're|we are|i'm|i am) (always )?(here|happy|glad) to help|\bhappy to help|\bglad (to|we could|i could) help|\btake care\b|\bcheers\b|\bkind regards\b|\bbest regards\b|\bbest wishes\b|\bwe('re| are) here for you",
        r"|\bthanks (so much )?for (reaching out|getting in touch|contacting|the tag|tagging|the mention|your message|writing|the tweet|tweeting|the shout|your patience|bearing with|waiting|your understanding|your time|choosing|being)|\bthank you (so much )?for (reaching out|getting in touch|contacting|the tag|tagging|your message|writing|your patience|bearing with|waiting|your understanding|your time|choosing|being)",
        r"|^(hi|hey|hello|hiya|greetings|good (morning|afternoon|evening)|dear)\b\W*\w*\W*$|^(thanks|thank you|cheers|ty)\W*$",
    )),
    negator: cue(
        r"\b(not|no|never|cannot|can't|won't|don't|doesn't|didn't|isn't|aren't|wasn't|weren't|haven't|hasn't|hadn't|shouldn't|wouldn't|couldn't|unable|nothing|neither|nor|without|n't)\b|n't\b",
    ),
    not_negation: cue(
        r"\bnot only\b|\bno (problem|worries|matter|doubt)\b|\bdon't (hesitate|worry|forget)\b|\bif not\b|\bnot sure\b|\bno longer have to\b|\bno (extra |additional )?(cost|charge)\b|\bwhy not\b",
    ),
    politeness_condition: cue(
        r"^(if|should) (you'd|you would|you) (like|prefer|want|wish|rather|need)\b|^if (that|this|it) (works|helps|suits|sounds|would (help|work|suit|be (easier|better|helpful)))|^if (possible|needed|necessary|you're happy|you are happy|you're ok|you agree|so|preferred)\b|^if you (have|get) (a )?(chance|moment|minute|sec)",
    ),
    lead: cue(
        r"^(?:(?:-{1,2}|[*>]|\xE2\x80\xA2|\d{1,2}[.)])\s+|(?:@\w+|\.@\w+|hi|hey|hello|hiya|ok|okay|alright|sure|great|yes|no|oh|well|also|and|but|so|then|now|first|firstly|secondly|next|finally|meanwhile|otherwise|or|plus|however|in the meantime|for now|in that case|that said|in addition|additionally|to do this|to fix this|to resolve this|for this|for that|thanks|thank you|there|(on|in|from) (an?|the|your|my) \w+)\b[,!.:;]?\s+)+",
    ),
    problem: cue(concat!(
        r"\b(weren't|aren't|couldn't|shouldn't|hadn't|mustn't|not|n't|never|cannot|can't|won't|doesn't|didn't|isn't|wasn't|haven't|hasn't|unable|problem|problems|issue|issues|error|errors|broken|broke|crash\w*|bug|bugs|buggy|fail\w*|stuck|lost|missing|wrong|damaged|late|delay\w*|still|charged|overcharged|hacked|hacking|locked|blocked|banned|suspended|disabled|frozen|freez\w*|glitch\w*|slow|complain\w*|scam\w*|fraud\w*|terrible|awful|worst|ridiculous|unacceptable|disappoint\w*|annoy\w*|frustrat\w*|angry|upset|faulty|defect\w*|disconnect\w*|keeps|anymore|no longer|twice|double|trouble|troubles|difficulty|difficulties|struggl\w*|nothing|nobody|no one|lag\w*|down|outage|declined|rejected|bounced|leak\w*|cracked|torn|refund|money back|dispute|unhappy|fix|fixed|no|gone|empty|disappeared|vanished|zero|stopped|cuts out|cut out|overheat\w*|sorry|apolog\w*|unfortunately|flood\w*|dead|duplicate\w*|mistake|mistaken\w*|accidental\w*|by accident|by mistake|fault|incorrect|old|wtf|ffs|smh|ugh|tired of|sick of|fed up|had enough|barely|hardly|crawl\w*|weird\w*|strange\w*|unusable|unplayable|useless|corrupt\w*|flicker\w*|blinking|flashing|(shuts?|shutting) (itself )?(off|down)|(switch(es)?|switching|turns?|turning) itself (off|on)|(cuts?|cutting) out|(really|very|so|too|extremely) hot|buffer(s|ed|ing)|stutter\w*|choppy|pixelat\w*|laggy|freezes|jammed|jams|dented|scratched|smashed|shattered|mouldy|moldy|expired|spoil\w*|rotten|stale|soggy|spilt|spilled|noisy|rattl\w*|squeak\w*|bricked|unresponsive|offline|drop(s|ped|ping)|instead of|mixed up|too (small|big|large|tight|loose|short|long|expensive|high|slow|much|many|late))\b|\bwhat('s| is) (going on|happening|wrong|up with)\b|\b(someone|somebody|some one|a stranger|a person)( i don't know| i do not know| else)? (is |has been |has |keeps |just )?(signed|signing|logged|logging|using|used|accessed|accessing|got into|getting into|hacked|changed|bought|purchased|spent|stole)\b|\b(unauthori[sz]ed|suspicious|not me|didn't authori[sz]e|did not authori[sz]e|compromised)\b|\bwhy (is|does|do|did|won't|can't|isn't|doesn't|am i|are|has|have)\b",
        // What went wrong told as an event or a state, without a word of fault: a booking
        // called off ("my flight has been cancelled"), money taken ("got billed"), goods
        // spoilt ("arrived stone cold", "was completely crushed"), harm to the person, a code
        // that fails ("the code says invalid"), a forgotten password, a price rise. State words
        // only after a verb of state: "stained glass" and "a dirty chai" are no problems.
        r"|\b((has|have|had|was|were|got|get|gets|been|keep|keeps) (been )?(cancell?ed|postponed|bumped|overbooked|rescheduled)|cancell?ed (again|on (me|us)|last minute|at the last minute|without)|(billed|debited|deducted|taken|charged) (me |us )?(twice|again|two times)|(got|been|was|were) (billed|debited|deducted)|(stone|ice|freezing|completely|totally|arrived|was|were|came|is|are|it's|went) (cold|lukewarm|crushed|squashed|melted|ripped|stained|dirty|filthy|ruined|chipped|snapped|shrunk|soaked|inedible|undercooked)|(smells|smelt|smelled|smelling) (bad|funny|weird|off|awful|horrible|of)|stinks|in pain|painful|injur(ed|y|ies)|allergic reaction|(code|voucher|coupon|card|ticket|pass|promo)( [a-z0-9]+)? (says|is|was|shows|showing|comes up|came up)( as)? invalid|(forgot|forgotten) (my|the|our) (password|pin|login|username|passcode)|(price|prices|bill|premium|rate|fee|fees|subscription) (has |have )?(went|gone|going|goes|gone) up|price (rise|increase|hike)|over(saturated|exposed|cooked|billed)|under(cooked|exposed))\b",
        // Charged more than once ("two direct debits taken"), a server refusing ("status 503",
        // "hitting 429s"), and something else delivered than ordered ("ordered a veggie pad
        // thai and got chicken").
        r"|\b(two|2|three|3|multiple|several) ([a-z-]+ ){0,3}(debits|payments|charges|transactions|deductions|bills) (taken|came out|went out|charged|debited|showing|have been|were)\b|\b(error|status|http|code|returns|returning|throws|throwing)( code)? [45]\d\d\b|\b(hitting|getting|seeing) (lots of |loads of |constant )?[45]\d\ds\b|\b(ordered|asked for|paid for|bought)\b[^.?!]{1,60}\b(and|but) (got|received|was (given|sent)|they sent|you sent|it came|it was)\b( (a|an|the|some))? (wrong|different|another|someone|[a-z]+ instead)?",
        // A bill set against what was had ("says 6 visits but I only booked 5"), something
        // expected chased ("where is my order?", "it was due Monday", "still waiting", "any
        // update?", "3 weeks now", "three dates so far"), negations typed without their
        // apostrophe ("cant login"), the remedy asked for by name ("please send a
        // replacement", "I'd like to return it"), money taken ("taken £ 30"), help asked with
        // something the customer has ("help me with my mail"; "help me get my bill" and "help
        // me with creating an account" ask for a task), efforts that failed ("tried
        // everything"), a sad face, something to be got back ("get my deposit back"), a bill
        // that doubled. A bare plea is `plea`.
        r"|\bhelp( me| us)?( out)? with\b|\btried (everything|all|every)\b|:-?\(+([^a-z0-9]|$)|\b(get|getting) (my|our|his|her|their) ([a-z0-9'\x80-\xff]+ ){1,2}back\b|\b(doubled|tripled)\b",
        r"|\bbut (i|we) (only|already) (booked|ordered|paid|used|bought|had|received|returned|asked for|wanted|signed up)\b|\bwhere('s| is| are) (my|our|the) ([a-z]+ )?(order|parcel|package|delivery|refund|money|engineer|driver|technician|item|items|card|replacement|food|booking|tickets?|stuff)\b|\b(only|already) (paid|received|returned|booked|used)\b[^.?!]*\b(but|yet|and still|and now)\b|\b(was|were|is|are) (due|meant to|supposed to)\b|\b(waiting|waited) (for|on|since|over|nearly|almost|\d)|\bany (update|news|word)\b|\b(cant|doesnt|didnt|wont|isnt|wasnt|havent|hasnt|couldnt|arent|werent)\b|\b\d+ (days|weeks|months|hours) (now|later|and (still|nothing))\b|\b(two|three|four|five|six|\d+) [a-z]+ so far\b|\bhow much longer\b|\b(replacement|exchange|resend|compensation)\b|\breturn (it|this|these|them|the [a-z]+|my [a-z]+)\b|\b(swap|exchange) (it|this|these|them)\b|\bsend (it|this|these|them) back\b|\b(taken|charged|billed|debited) (£|\$|€) ?\d",
    )),
    not_problem: cue(concat!(
        r"\b(for|your|the|of|great|big|huge|real|such a) help\b|\bhelp( me| us)?( out)? with (creating|setting|making|opening|closing|changing|updating|editing|adding|removing|deleting|cancell?ing|finding|checking|registering|signing|subscribing|unsubscribing|placing|tracking|downloading|installing|switching|upgrading|booking a|ordering)\b|\bfreez(e|ing) (my|our|the|your|a) (membership|subscription|plan|contract|account|card|direct debit|payments?)\b|\b(don't|do not|didn't|did not) know\b|\bnot sure\b|\bno (problem|worries|rush|thanks|need|hurry|longer need)\b|\bnot a problem\b|\bwhy not\b|\bor not\b",
        // Asking how to complain or claim is asking for a process ("help me lodge a
        // complaint"), not reporting a problem to remedy.
        r"|\b(help|assist\w*|support|want|need|how)\b[^.?!]{0,40}\b(complaint|complain|claim|reclamation|grievance)s?\b|\b(make|making|lodge|lodging|file|filing|submit\w*|raise|raising|register\w*|open\w*|log|logging|put in|place|placing|issue|issuing)\b[^.?!]{0,25}\b(complaint|claim|reclamation|grievance)s?\b",
        // Asking how to report a problem or claim money back ("where to inform of payment
        // issues?", "what do I do to get a refund") is asking for a process too; "where's my
        // refund?" still chases one.
        r"|\b(to|how (do|can|could|should) (i|we)|where (do|can|could|should) (i|we)) (report|notify|inform|let you know)\b[^.?!]{0,25}\b(problem|issue|error|bug|glitch)s?\b",
        r"|\b((how|where) (to|do|can|could|should|would) ([a-z]+ ){0,3}(ask|request|claim|apply|get|obtain|receive)|what (do |should |must |can )?(i|we) (need to |have to |should |must )?do|(steps?|process|procedure) (to|for))\b[^.?!]{0,30}\b(refund|compensation|reimburse\w*|money back|rebate|restitution)s?\b|\b(refund|money back|returns?|cancellation) (policy|policies|terms|eligibility)\b",
        // What came after an order as it should ("bought a gift card and got a code").
        r"|\b(ordered|bought|paid for|booked)\b[^.?!]{1,60}\b(and|then) (got|received) (a |an |the |my |your |our )?(confirmation|code|receipt|email|e-mail|text|message|link|notification|tracking|voucher|reference|booking)",
        // The customer's own plans ("I can't make Friday", "I won't be in on Tuesday").
        r"|\b(i|we) (can't|cannot|won't be able to) (make|do|attend|come|get there)\b|\b(i|we) (won't|will not|wouldn't) be (in|home|around|there|available|about)\b|\b(i'm|i am|we're|we are) not (available|around|free|in)\b",
        // Information not found asked for ("I can't find the early termination penalty", "I
        // cannot see order 3707 status") and an amount of money expected ("I expect a refund of
        // $12", "I'm waiting for a reimbursement of $299"): asking to be told, not a fault to
        // remedy. A page, button or link not seen is a fault; something lost ("I can't find my
        // parcel") and money chased ("still waiting", "waiting for my refund since 3 weeks")
        // stay problems.
        r"|\b(can't|cannot|can not|cant|couldn't|unable to|not able to) (find|locate)( any| the)?( [a-z]+){0,2} (info\w*|fees?|charges?|penalt(y|ies)|terms|polic(y|ies))\b|\b(can't|cannot|can not|cant|couldn't|unable to) (find|locate) anything (about|on|regarding)\b|\b(can't|cannot|can not|cant|couldn't|unable to|not able to) (see|find|check)( the| my)? (order|ticket|claim|purchase|delivery|shipment|refund)( (#|no\.? ?|number )?[a-z0-9-]*\d[a-z0-9-]*)? status\b",
        r"|\b(i|we)('m| am| are)? (expect|expecting|anticipating|awaiting|waiting for|waiting on) (a|an|to (get|receive)( a| an)?) ?(refund|reimbursement|rebate|compensation|repayment|credit) of ?([^a-z0-9 ]{1,3} ?\d|\d[\d.,]* ?(dollars?|euros?|pounds?|bucks|usd|eur|gbp)\b)",
        // Help asked with a task ("could you help me create an account?", "can ya help me get
        // my bill"): a request, not a problem.
        r"|\bhelp (me|us)( to)? (create|creat\w+|set|open|make|find|add|change|update|book|order|buy|choose|pick|sign|register|upgrade|switch|download|use|learn|apply|cancel|close|delete|remove|transfer|move|send|submit|edit|pay|redeem|activate|track|locate|view|print)\b",
    )),
    how_to: cue(concat!(
        r"\bhow (do|does|can|could|would|should) (i|we|one)\b|\bhow (do|can) you (set|change|turn|add|remove|make|get|find|use|create|delete|cancel|update|link|connect|install|enable|disable|switch|stop|see|check|view|download|upload|share|transfer|move|reset|edit|put|do)\b|\bhow to\b|\b(i|we)( want| need| would like|'d like| wanna| wish) to\b|\bhelp (me|us)( to)? \w+|\bwhere (can|do|could) (i|we)\b|\bis it possible to\b|\bwhat (is|are) the (process|steps|procedure)|\b(can|could) (i|we) \w+",
        // Choosing and setting up, not remedying ("what's the difference between Plus and
        // Commuter?", "could you walk me through it?").
        r"|\bwhat('s| is| are) (actually )?the differences? between\b|\b(walk|talk|take) (me|us) through\b",
        // Not knowing how to do it ("I don't know what I have to do to cancel", "I do not know
        // how I can look at my bill").
        r"|\b(don't|do not|dont|donnt|didn't|did not) know (how|what|where|which) (to|i|we)\b|\bwhat (do |should |must |can )?(i|we) (need to |have to |should |must )?do (to|for|about)\b",
    )),
    // A bare plea for help ("help!", "can you just help me please 😩", "someone help"): a
    // problem told without words for it, unless the message names the task it wants help with
    // (`task`: "I need to unsubscribe, help me").
    plea: cue(
        r"\bhelp( me| us)?( out)?( please| pls| plz)?[\s.!?]*(\xf0|[:;]'?-?\(|$)|\bhelp ?!|\b(someone|somebody|anyone) (please )?help\b",
    ),
    task: cue(
        r"\b(i|we)( really| just)?('d like|'ve|'ve got| want| need| would like| have| have got| got| must) to\b|\b(i|we) wanna\b|\b(can|could|may) (i|we) (see|check|find|know|view)\b",
    ),
    // A message that asks for something or how to do it: with no problem reported, what the
    // agent then offers grants the request rather than remedying anything.
    asks_for: cue(concat!(
        r"\b(can|could|would|will) (you|i|we|my [a-z]+) (please |kindly |just |also |still )?[a-z]+|\bplease\b|\b(i|we)('d| would) (like|love|prefer)\b|\b(i|we)( want| need| wish| wanna)( to| a| an| the| my| our| some)\b",
        r"|\bhow (do|does|can|could|would|should|much|long|many) |\bhow to\b|\bis it possible\b|\bwhere (can|do|could|would) (i|we)\b|\bdo you (have|sell|stock|deliver|do|offer|ship|accept|take|open|provide|cover)\b|\bis (it|there) (too late|still time|any way|a way|an option)\b|\bany chance\b",
    )),
    // A fault the agent names in its own words ("the courier marked it as lost", "it was
    // returned to our warehouse as undeliverable", "the booking didn't save"): with it, what
    // the agent offers remedies something even when the customer only asked.
    fault: cue(concat!(
        r"\b(lost|damaged|broken|faulty|missing|mistake|error|fault|glitch|bug|undeliverable|misdelivered|mislabell?ed|sent (you )?the wrong|wrong (item|size|colou?r|address|one|order|product|part|amount|model|version)|(returned|came back|went back) to (us|the sender|sender|our warehouse|the warehouse|the depot)|(held|stuck|sitting) (at|in) customs)\b",
        r"|\b(didn't|did not|never|hasn't been|hadn't been|wasn't|was never|weren't|were never) (save|saved|dispatch|dispatched|send|sent|process|processed|pick up|picked up|register|registered|apply|applied|go through|gone through|arrive|arrived|update|updated|sync|synced|record|recorded|log|logged|book|booked)\b|\b(expired|had expired|has expired)\b",
    )),
    // A verb that tells what happened or how something is ("grey one arrived", "screen just
    // shows black", "the signal here is rubbish"): a sentence with one and no request in it
    // may report a problem the lexicon has no word for.
    telling: cue(
        r"\b([a-z]{3,}ed|came|went|got|took|broke|gave|left|fell|told|said|paid|bought|brought|sold|shows|says|opens|keeps|wouldn't|won't|turned up|(is|was|are|were|has been|have been|it's|that's|it is|it was)( (just|still|now|so|really|very|completely|totally))? ([a-z0-9]+|(\xC2\xA3|\$|\xE2\x82\xAC)\d+))\b",
    ),
    // A fault or its cause named: a problem explained rather than only apologised for.
    diagnosis: cue(concat!(
        r"\b(there('s| is| was) (a|an) ([a-z-]+ )?(fault|problem|issue|outage|bug|glitch|mix-up)|(has|have|had|was|were|got) been (restricted|blocked|suspended|delayed|cancelled|canceled|lost|missed|held|stuck|frozen|flagged|locked|damaged)|(is|are|was|were) (faulty|damaged|broken|down|stuck|missing)|went wrong|never (arrived|left|went out|got to you|made it)|lost (its|the|their|your) (connection|signal|sync)|(that's|that is|it's|this is) the ([a-z0-9.-]+ ){0,3}(crash|bug|error|fault|glitch|cause)|(hit|hits|caused|causes|triggered|triggers) (a|an|the) ([a-z0-9-]+ ){0,2}(bug|error|fault|glitch|crash)|broke down|(didn't|did not|never) (come|go|went) through)\b",
        // The cause named in other words: a broken part ("there's a damaged cable at the
        // cabinet"), something held up on the way ("got held in the review queue", "went into
        // our suspense account"), what an error means ("E4 means the lock can't get a GPS
        // fix"), a slip found ("looks like the page got submitted twice"), the wrong part in use
        // ("running the game on the integrated graphics rather than your NVIDIA card").
        r"|\bthere('s| is| was) (a|an) (damaged|broken|faulty|failed|burst|cut|blocked|leaking|loose|corrupt|corrupted|expired|duplicate|stuck|dead|worn) [a-z]+\b|\b(got|gets|was|were|has been|had been|ended up)( (actually|accidentally|automatically|wrongly|mistakenly|also|then|just|briefly|temporarily))? (held|stuck|tied|caught|flagged|misrouted|misdirected|mislabell?ed|misfiled|mixed up|bounced|duplicated)\b|\bwent into (our|the|a) [a-z]+( [a-z]+)? (account|queue|folder|pile|bin)\b|\b(code|error|error code|the error|that error|this error|e\d+|that light|the red light|the orange light|the light)( \w+)? (means|indicates|is (sent|caused|triggered|returned))\b|\b(looks like|seems like|it seems|it appears|appears) (the|your|it|this|that)( [a-z0-9]+){0,3} (got|was|were|has been|had been) (submitted|sent|charged|billed|entered|applied|processed|booked|scanned|posted) (twice|two times|again|wrong|wrongly|incorrectly|by mistake|in error|to the wrong)|\b(looks like|seems like|it seems|it appears|appears) (the|your|it|this|that)( [a-z0-9]+){0,3} (got|was|were|has been|had been) (duplicated|mis[a-z]+ed|rejected|declined|blocked|flagged|held|stuck|lost|skipped|dropped|deleted|wiped|overwritten|corrupted|damaged|delayed|cancell?ed|stopped|paused|suspended|frozen|locked)\b|\b(is|are|was|were) (running|set|registered|linked|tied|connected|pointing|routed|sitting|stored) (to|on|as|under|through|inside|in) [^.!?,;]{1,40} (rather than|instead of)\b",
    )),
    informs: cue(
        r"\b(status|indicate|inform|let you know|update you|tell you|check on|look into|looking into|investigate|find out|get back to you|keep you (posted|updated|informed)|for (more |further )(information|info|details)|learn more|read more|more info)\b",
    ),
    reported: cue(concat!(
        r"\byou (said|say|mentioned|mention|wrote|write|stated|state|told (us|me)|claim|claimed|are saying|'re saying|were told|'ve been told|have been told|'ve said|have said|explained|noted|reported|described|asked( us)?( for| about| if| whether)?|requested|want|wanted|would like|'d like|are asking|'re asking|are looking|'re looking|were expecting|expected|were promised|need (a|an|the|some|your|it|this|that|more|help)|needed|are requesting|'re requesting|hope|hoped)\b",
        r"|\b(i|we) (can )?(see|understand|hear|noticed|notice|note|gather|read|know) (that )?(you|you'd|you've|you're|your)\b[^.?!,]{0,12}\b(like|want|wanted|need|asked|requested|looking|requesting|hoping|expecting|trying|said|mentioned|wrote|told|received|haven't|have not|didn't|did not|weren't|never)",
        r"|\b(my|our) (colleague|teammate|team|agent|rep|representative)s? (said|told you|mentioned|wrote|stated)",
        r"|\byour (request|question|query|inquiry|enquiry|email|message|tweet) (for|about|regarding|re)\b|\b(regarding|re|about) your (request|query|question|inquiry|enquiry)\b",
    )),
    // The loose tests of `may`, on the raw text: any case, curly apostrophes as UTF-8 bytes.
    may_apologize: cue(r"(?i)sorry|apolog|regret|forgive|excuse|pardon"),
    may_refuse: cue(concat!(
        r"(?i)n't|n\xE2\x80\x99t|\bnot\b|cannot|can\s+not|unable|impossible|nothing|no\s+longer",
        r"|no\s+way|outside|beyond|unfortunately|stands|applies|remains|\bno\s+other|afraid",
        r"|out\s+of\s+(our|my)\s+hands|\bcant\b|out\s+of\s+the\s+question",
        r"|\bno\s+(means|ability|power|refunds?|returns?|exchanges?|cancellations?|changes?|compensation)\b",
    )),
    may_thank: cue(r"(?i)thank|thx|\bty\b|appreciate"),
});

#[cfg(test)]
mod tests {
    use super::*;

    /// The cues' automata are built into the binary: no run compiles them.
    #[test]
    fn the_cues_are_read_built_in() {
        assert!(kept().reads_built_in());
    }

    #[test]
    fn every_cue_compiles() {
        for (i, cue) in LEXICON.cues().iter().enumerate() {
            assert!(
                CUES.compile(cue.pattern()).is_some(),
                "cue {i} failed to compile"
            );
        }
    }

    #[test]
    fn every_cue_is_within_the_slot_budget() {
        for (i, cue) in LEXICON.cues().iter().enumerate() {
            let (slots, budget) =
                automata::slots_of(&CUES, cue.pattern()).unwrap_or_else(|| panic!("cue {i}"));
            assert!(slots * 4 < budget, "cue {i}: {slots} slots");
        }
    }

    /// Every cue's automata, kept as the cache keeps them and read back, are the automata
    /// compiled from its text, state for state.
    #[test]
    fn every_cue_is_read_back_as_compiled() {
        for (i, cue) in LEXICON.cues().iter().enumerate() {
            assert!(
                automata::reads_back_as_compiled(&CUES, cue.pattern()),
                "cue {i}"
            );
        }
    }

    /// On every real text of `eval/pool` (folded as the analysis reads it), each cue finds the
    /// same matches as the regex crates' meta regex compiled as the cues were before they were
    /// kept in the cache.
    #[test]
    fn every_cue_matches_as_the_meta_regex_does() {
        let texts = crate::text::pool_texts();
        assert!(texts.len() > 1000, "{} texts", texts.len());
        for cue in LEXICON.cues() {
            let meta = regex_automata::meta::Builder::new()
                .configure(
                    regex_automata::meta::Config::new()
                        .nfa_size_limit(Some(10 * (1 << 20)))
                        .hybrid_cache_capacity(8 * (1 << 20))
                        .match_kind(regex_automata::MatchKind::LeftmostFirst)
                        .utf8_empty(false)
                        .which_captures(regex_automata::nfa::thompson::WhichCaptures::Implicit)
                        .auto_prefilter(false),
                )
                .syntax(regex_automata::util::syntax::Config::new().utf8(false))
                .build(cue.pattern())
                .unwrap_or_else(|e| panic!("{e}"));
            for text in &texts {
                let text = text.as_bytes();
                assert_eq!(cue.is_match(text), meta.is_match(text), "{}", cue.pattern());
                assert_eq!(cue.find(text), meta.find(text), "{}", cue.pattern());
                assert!(
                    cue.find_iter(text).eq(meta.find_iter(text)),
                    "{}",
                    cue.pattern()
                );
            }
        }
    }

    #[test]
    fn the_gate_holds_every_gated_cue() {
        let p = Present::of(b"sorry about that, we'll send a new one");
        assert!(p.has(Gated::Apology) && p.has(Gated::Offer) && p.has(Gated::Promise));
        assert!(!p.has(Gated::Refusal));
    }

    #[test]
    fn loose_tests_never_miss_what_the_cues_find() {
        for text in [
            "I\u{2019}m SORRY",
            "We can\u{2019}t do that",
            "That's not possible",
            "we are unable to",
            "the fee stands",
            "Thanks!",
        ] {
            let folded = crate::text::Folded::new(text);
            let lower = folded.as_str().as_bytes();
            for (act, cue) in [
                (Act::Apology, &LEXICON.apology),
                (Act::Refusal, &LEXICON.refusal),
                (Act::Thanks, &LEXICON.thanks),
            ] {
                if cue.is_match(lower) {
                    assert!(may_perform(act, text), "{act:?} in {text}");
                }
            }
        }
        assert!(!may_perform(Act::Apology, "Your parcel ships today."));
    }

    #[test]
    fn cues_read_folded_text() {
        let l = &*LEXICON;
        assert!(l.offer.is_match(b"we'll send a new one"));
        assert!(l.refusal.is_match(b"we're unable to refund it"));
        assert!(l.not_refusal.is_match(b"i can't wait"));
        // Non-ASCII letters are not word characters to a cue, and do not break it either.
        assert!(l.apology.is_match("désolé, sorry".as_bytes()));
    }
}
