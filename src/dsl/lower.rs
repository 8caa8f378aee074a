//! From pest's pairs to the typed syntax tree, one `lower_*` function per grammar rule.
//!
//! The file is cut at every line that starts (in column 1) with `rule` or `phrases`, and each
//! piece is parsed on its own: a syntax error then costs one item, not the rest of the file.

use pest::error::{Error as PestError, InputLocation};
use pest::iterators::Pair;
use pest::Parser;

use super::ast::*;
use super::error::PolicyError;
use super::grammar::{PolicyParser, Rule};
use super::limits;

/// Parses one policy file, returning what could be read and every syntax error.
pub fn parse_file(path: &str, text: &str) -> (PolicyFile, Vec<PolicyError>) {
    let mut lowerer = Lowerer {
        path,
        text,
        offset: 0,
        errors: Vec::new(),
        file: PolicyFile::default(),
    };
    let starts = item_starts(text);
    for (i, &start) in starts.iter().enumerate() {
        let end = starts.get(i + 1).copied().unwrap_or(text.len());
        lowerer.offset = start;
        let chunk = &text[start..end];
        if let Some(at) = limits::too_deep_paren(chunk) {
            let at = start + at;
            lowerer.error(
                "P007",
                Span {
                    start: at,
                    end: at + 1,
                },
                format!(
                    "conditions nest too deeply: more than {} levels of parentheses",
                    limits::MAX_NESTING
                ),
            );
            continue;
        }
        match PolicyParser::parse(Rule::chunk, chunk) {
            Ok(pairs) => {
                for chunk in pairs {
                    for item in chunk.into_inner() {
                        lowerer.lower_item(item);
                    }
                }
            }
            Err(error) => {
                let error = relocate(error, text, start);
                lowerer.errors.push(PolicyError::syntax(path, text, error));
            }
        }
    }
    (lowerer.file, lowerer.errors)
}

/// Byte offsets where a top-level item may start: 0 and every line opening with a keyword.
fn item_starts(text: &str) -> Vec<usize> {
    let mut starts = vec![0];
    let mut at = 0;
    for line in text.split_inclusive('\n') {
        if at > 0 && starts_item(line) {
            starts.push(at);
        }
        at += line.len();
    }
    starts
}

fn starts_item(line: &str) -> bool {
    ["rule", "phrases"].iter().any(|kw| {
        line.get(..kw.len())
            .is_some_and(|head| head.eq_ignore_ascii_case(kw))
            && line[kw.len()..]
                .chars()
                .next()
                .is_none_or(|c| c.is_whitespace() || c == ':')
    })
}

/// Moves an error from a piece of the file to the whole file.
fn relocate(error: PestError<Rule>, text: &str, offset: usize) -> PestError<Rule> {
    let at = match error.location {
        InputLocation::Pos(p) => p,
        InputLocation::Span((a, _)) => a,
    } + offset;
    match pest::Position::new(text, at.min(text.len())) {
        Some(pos) => PestError::new_from_pos(error.variant, pos),
        None => PestError::new_from_pos(error.variant, pest::Position::from_start(text)),
    }
}

/// The largest `weight` a rule may have.
const MAX_WEIGHT: u32 = 1000;

struct Lowerer<'a> {
    path: &'a str,
    text: &'a str,
    offset: usize,
    errors: Vec<PolicyError>,
    file: PolicyFile,
}

impl Lowerer<'_> {
    fn span(&self, pair: &Pair<'_, Rule>) -> Span {
        let s = pair.as_span();
        Span {
            start: s.start() + self.offset,
            end: s.end() + self.offset,
        }
    }

    /// `file:line:col` of a byte offset.
    fn location(&self, at: usize) -> String {
        let before = self.text.get(..at).unwrap_or("");
        let line = before.matches('\n').count() + 1;
        let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        format!("{}:{line}:{col}", self.path)
    }

    fn error(&mut self, code: &'static str, span: Span, message: impl Into<String>) {
        self.errors.push(
            PolicyError::at(self.path, self.text, span.start, span.end, message).with_code(code),
        );
    }

    fn ident(&self, pair: &Pair<'_, Rule>) -> Ident {
        Ident {
            name: pair.as_str().to_string(),
            span: self.span(pair),
        }
    }

    fn lower_item(&mut self, pair: Pair<'_, Rule>) {
        match pair.as_rule() {
            Rule::phrases_def => {
                let set = self.lower_phrases(pair);
                self.file.phrase_sets.push(set);
            }
            Rule::rule_def => {
                let rule = self.lower_rule(pair);
                self.file.rules.push(rule);
            }
            _ => {}
        }
    }

    fn lower_phrases(&mut self, pair: Pair<'_, Rule>) -> PhraseSetDef {
        let mut name = Ident {
            name: String::new(),
            span: self.span(&pair),
        };
        let mut entries = Vec::new();
        let mut exceptions = Vec::new();
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::name => name = self.ident(&p),
                Rule::phrase_list => entries = self.lower_phrase_list(p),
                Rule::exceptions => {
                    for q in p.into_inner() {
                        if q.as_rule() == Rule::phrase_list {
                            exceptions = self.lower_phrase_list(q);
                        }
                    }
                }
                _ => {}
            }
        }
        PhraseSetDef {
            name,
            entries,
            exceptions,
        }
    }

    fn lower_phrase_list(&mut self, pair: Pair<'_, Rule>) -> Vec<PhraseEntry> {
        pair.into_inner()
            .filter(|p| p.as_rule() == Rule::phrase_entry)
            .filter_map(|p| self.lower_phrase_entry(p))
            .collect()
    }

    fn lower_phrase_entry(&mut self, pair: Pair<'_, Rule>) -> Option<PhraseEntry> {
        let mut entry = None;
        let mut replacement = None;
        let mut label = None;
        for p in pair.into_inner() {
            let span = self.span(&p);
            match p.as_rule() {
                Rule::include => {
                    let name = p.into_inner().find(|q| q.as_rule() == Rule::name);
                    entry = name.map(|n| PhraseEntry::Include(self.ident(&n)));
                }
                Rule::learned => {
                    let name = p.into_inner().find(|q| q.as_rule() == Rule::name);
                    entry = name.map(|n| PhraseEntry::Learned(self.ident(&n)));
                }
                Rule::string => {
                    entry = Some(PhraseEntry::Literal {
                        text: unescape_string(inner_str(&p)),
                        replacement: None,
                        label: None,
                        span,
                    })
                }
                Rule::regex => {
                    entry = Some(PhraseEntry::Regex {
                        pattern: inner_str(&p).replace("\\/", "/"),
                        replacement: None,
                        label: None,
                        span,
                    })
                }
                Rule::label => {
                    label = p
                        .into_inner()
                        .find(|q| q.as_rule() == Rule::name)
                        .map(|q| q.as_str().to_string());
                }
                Rule::replacement => {
                    replacement = p
                        .into_inner()
                        .find(|q| q.as_rule() == Rule::string)
                        .map(|q| unescape_string(inner_str(&q)));
                }
                _ => {}
            }
        }
        match entry {
            Some(PhraseEntry::Literal { text, span, .. }) => Some(PhraseEntry::Literal {
                text,
                replacement,
                label,
                span,
            }),
            Some(PhraseEntry::Regex { pattern, span, .. }) => Some(PhraseEntry::Regex {
                pattern,
                replacement,
                label,
                span,
            }),
            other => other,
        }
    }

    fn lower_rule(&mut self, pair: Pair<'_, Rule>) -> RuleDef {
        let span = self.span(&pair);
        let mut rule = RuleDef {
            id: Ident {
                name: String::new(),
                span,
            },
            title: None,
            why: None,
            severity: None,
            weight: None,
            critical: false,
            source: None,
            message: None,
            suggest: None,
            when: Vec::new(),
            check: None,
            targets: Vec::new(),
            examples: Vec::new(),
            had_errors: false,
            span,
        };
        let errors_before = self.errors.len();
        for p in pair.into_inner() {
            let clause_span = self.span(&p);
            let kind = p.as_rule();
            match kind {
                Rule::name => rule.id = self.ident(&p),
                Rule::title => {
                    self.set_once(&mut rule.title, first_string(p), clause_span, "title")
                }
                Rule::why => self.set_once(&mut rule.why, first_string(p), clause_span, "why"),
                Rule::message => {
                    self.set_once(&mut rule.message, first_string(p), clause_span, "message")
                }
                Rule::suggest => {
                    self.set_once(&mut rule.suggest, first_string(p), clause_span, "suggest")
                }
                Rule::severity => {
                    let level = p
                        .into_inner()
                        .find(|q| q.as_rule() == Rule::level)
                        .and_then(|q| q.into_inner().next())
                        .map(|q| match q.as_rule() {
                            Rule::kw_error => Severity::Error,
                            Rule::kw_warning => Severity::Warning,
                            _ => Severity::Info,
                        });
                    self.set_once(&mut rule.severity, level, clause_span, "severity");
                }
                Rule::weight => {
                    let weight = self.lower_weight(p);
                    self.set_once(&mut rule.weight, weight, clause_span, "weight");
                }
                Rule::critical => {
                    if rule.critical {
                        self.error(
                            "P002",
                            clause_span,
                            "`critical` is given twice in this rule",
                        );
                    }
                    rule.critical = true;
                }
                Rule::source => {
                    let mut strings = p
                        .into_inner()
                        .filter(|q| q.as_rule() == Rule::string)
                        .map(|q| unescape_string(inner_str(&q)));
                    let source = strings.next().map(|article| SourceRef {
                        article,
                        point: strings.next(),
                    });
                    self.set_once(&mut rule.source, source, clause_span, "source");
                }
                Rule::example => {
                    let mut fires = true;
                    let mut lines = Vec::new();
                    for q in p.into_inner() {
                        match q.as_rule() {
                            Rule::expectation => {
                                fires = q.into_inner().any(|k| k.as_rule() == Rule::kw_fires)
                            }
                            Rule::string => lines.push(unescape_string(inner_str(&q))),
                            _ => {}
                        }
                    }
                    let location = self.location(clause_span.start);
                    rule.examples.push(Example {
                        fires,
                        lines,
                        span: clause_span,
                        location,
                    });
                }
                Rule::when => {
                    if let Some(cond) = p.into_inner().find(|q| q.as_rule() == Rule::cond) {
                        let cond = self.lower_cond(cond);
                        rule.when.push(cond);
                    }
                }
                Rule::target => {
                    let mut within = None;
                    let mut when = None;
                    for q in p.into_inner() {
                        match q.as_rule() {
                            Rule::duration => within = self.lower_duration(q),
                            Rule::cond => when = Some(self.lower_cond(q)),
                            _ => {}
                        }
                    }
                    if let (Some(within), Some(when)) = (within, when) {
                        rule.targets.push(Target {
                            within,
                            when,
                            span: clause_span,
                        });
                    }
                }
                Rule::forbid | Rule::require => {
                    let check = if kind == Rule::forbid {
                        self.lower_forbid(p)
                    } else {
                        self.lower_require(p)
                    };
                    if rule.check.is_some() {
                        self.error(
                            "P003",
                            clause_span,
                            "a rule has one `forbid` or `require`; write a second rule for this",
                        );
                    } else {
                        rule.check = check;
                    }
                }
                _ => {}
            }
        }
        rule.had_errors = self.errors.len() > errors_before;
        rule
    }

    /// `weight N`: a whole number of points, 0 (reported, not scored) to 1000.
    fn lower_weight(&mut self, pair: Pair<'_, Rule>) -> Option<u32> {
        let number = pair.into_inner().find(|q| q.as_rule() == Rule::number)?;
        match number.as_str().parse::<u32>() {
            Ok(n) if n <= MAX_WEIGHT => Some(n),
            _ => {
                let span = self.span(&number);
                self.error(
                    "P006",
                    span,
                    format!("a weight must be a whole number from 0 to {MAX_WEIGHT}"),
                );
                None
            }
        }
    }

    fn set_once<T>(&mut self, slot: &mut Option<T>, value: Option<T>, span: Span, what: &str) {
        if slot.is_some() {
            self.error(
                "P002",
                span,
                format!("`{what}` is given twice in this rule"),
            );
        } else {
            *slot = value;
        }
    }

    fn lower_forbid(&mut self, pair: Pair<'_, Rule>) -> Option<Check> {
        let mut occurrence = None;
        let mut near = None;
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::occurrence => occurrence = self.lower_occurrence(p),
                Rule::unless_near | Rule::after_near => near = self.lower_near(p),
                _ => {}
            }
        }
        occurrence.map(|occurrence| Check::Forbid { occurrence, near })
    }

    fn lower_near(&mut self, pair: Pair<'_, Rule>) -> Option<Near> {
        let kind = if pair.as_rule() == Rule::after_near {
            NearKind::After
        } else {
            NearKind::Unless
        };
        let mut occurrences = Vec::new();
        let mut lowered = true;
        let mut scope = None;
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::occurrence => match self.lower_occurrence(p) {
                    Some(o) => occurrences.push(o),
                    None => lowered = false,
                },
                Rule::scope => scope = self.lower_scope(p),
                _ => {}
            }
        }
        if !lowered || occurrences.is_empty() {
            return None;
        }
        Some(Near {
            kind,
            occurrences,
            scope: scope?,
        })
    }

    fn lower_scope(&mut self, pair: Pair<'_, Rule>) -> Option<Scope> {
        let inner = pair.into_inner().next()?;
        Some(match inner.as_rule() {
            Rule::same_message => Scope::SameMessage,
            Rule::same_sentence => Scope::SameSentence,
            Rule::same_or_next_sentence => Scope::SameOrNextSentence,
            Rule::next_sentence => Scope::NextSentence,
            Rule::within_words => {
                let span = self.span(&inner);
                let n = inner
                    .into_inner()
                    .find(|q| q.as_rule() == Rule::number)
                    .and_then(|q| q.as_str().parse::<u32>().ok());
                match n {
                    Some(n) if (1..=1000).contains(&n) => Scope::WithinWords(n),
                    _ => {
                        self.error("P005", span, "a count of words must be from 1 to 1000");
                        return None;
                    }
                }
            }
            _ => return None,
        })
    }

    fn lower_require(&mut self, pair: Pair<'_, Rule>) -> Option<Check> {
        let p = pair.into_inner().find(|q| {
            matches!(
                q.as_rule(),
                Rule::timing | Rule::periodic | Rule::order | Rule::cond
            )
        })?;
        let requirement = match p.as_rule() {
            Rule::timing => self.lower_timing(p)?,
            Rule::periodic => self.lower_periodic(p)?,
            Rule::order => {
                let mut occurrences = p
                    .into_inner()
                    .filter(|q| q.as_rule() == Rule::occurrence)
                    .filter_map(|q| self.lower_occurrence(q));
                let first = occurrences.next()?;
                let then = occurrences.next()?;
                Requirement::Order { first, then }
            }
            _ => Requirement::Cond(self.lower_cond(p)),
        };
        Some(Check::Require(requirement))
    }

    fn lower_timing(&mut self, pair: Pair<'_, Rule>) -> Option<Requirement> {
        let span = self.span(&pair);
        let mut moments = Vec::new();
        let mut within = None;
        let mut pause = Vec::new();
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::moment => {
                    if let Some(m) = self.lower_moment(p) {
                        moments.push(m);
                    }
                }
                Rule::duration => within = self.lower_duration(p),
                Rule::pause => pause = self.lower_pause(p),
                _ => {}
            }
        }
        let mut moments = moments.into_iter();
        let moment = moments.next()?;
        Some(Requirement::Timing {
            moment,
            within: within?,
            anchors: moments.collect(),
            pause,
            span,
        })
    }

    fn lower_periodic(&mut self, pair: Pair<'_, Rule>) -> Option<Requirement> {
        let span = self.span(&pair);
        let mut occurrence = None;
        let mut every = None;
        let mut until = None;
        let mut pause = Vec::new();
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::occurrence => occurrence = self.lower_occurrence(p),
                Rule::duration => every = self.lower_duration(p),
                Rule::moment => until = self.lower_moment(p),
                Rule::pause => pause = self.lower_pause(p),
                _ => {}
            }
        }
        Some(Requirement::Periodic {
            occurrence: occurrence?,
            every: every?,
            until,
            pause,
            span,
        })
    }

    /// The statuses of `paused while pending or on-hold`.
    fn lower_pause(&mut self, pair: Pair<'_, Rule>) -> Vec<Ident> {
        pair.into_inner()
            .filter(|q| q.as_rule() == Rule::name)
            .map(|q| self.ident(&q))
            .collect()
    }

    fn lower_moment(&mut self, pair: Pair<'_, Rule>) -> Option<Moment> {
        let mut position = Position::First;
        let mut occurrence = None;
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::position => {
                    position = match p.into_inner().next().map(|q| q.as_rule()) {
                        Some(Rule::kw_last) => Position::Last,
                        Some(Rule::kw_next) => Position::Next,
                        Some(Rule::kw_every) => Position::Every,
                        _ => Position::First,
                    };
                }
                Rule::occurrence => occurrence = self.lower_occurrence(p),
                _ => {}
            }
        }
        Some(Moment {
            position,
            occurrence: occurrence?,
        })
    }

    fn lower_duration(&mut self, pair: Pair<'_, Rule>) -> Option<Duration> {
        let span = self.span(&pair);
        let mut amount = None;
        let mut unit = None;
        let mut business = false;
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::number => amount = p.as_str().parse::<u64>().ok(),
                Rule::kw_business => business = true,
                Rule::unit => {
                    unit = p.into_inner().next().map(|q| match q.as_rule() {
                        Rule::kw_minutes => TimeUnit::Minutes,
                        Rule::kw_hours => TimeUnit::Hours,
                        Rule::kw_days => TimeUnit::Days,
                        _ => TimeUnit::Weeks,
                    })
                }
                _ => {}
            }
        }
        let unit = unit?;
        if business && matches!(unit, TimeUnit::Days | TimeUnit::Weeks) {
            self.error(
                "P018",
                span,
                "business time is counted in minutes or hours (a business day is as long as the calendar opens): write e.g. `within 16 business hours`",
            );
            return None;
        }
        let per_unit: i64 = match unit {
            TimeUnit::Minutes => 60,
            TimeUnit::Hours => 3_600,
            TimeUnit::Days => 86_400,
            TimeUnit::Weeks => 604_800,
        };
        let seconds = amount
            .and_then(|a| i64::try_from(a).ok())
            .and_then(|a| a.checked_mul(per_unit))
            .filter(|s| *s > 0 && *s <= 100 * 366 * 86_400);
        match (amount, seconds) {
            (Some(amount), Some(seconds)) => Some(Duration {
                seconds,
                amount,
                unit,
                business,
            }),
            _ => {
                self.error(
                    "P004",
                    span,
                    "bad duration: give a whole number above 0 and at most 100 years",
                );
                None
            }
        }
    }

    fn lower_cond(&mut self, pair: Pair<'_, Rule>) -> Cond {
        match pair.as_rule() {
            Rule::cond | Rule::cond_and => {
                let is_or = pair.as_rule() == Rule::cond;
                let mut parts: Vec<Cond> = pair
                    .into_inner()
                    .filter(|q| matches!(q.as_rule(), Rule::cond_and | Rule::cond_not))
                    .map(|q| self.lower_cond(q))
                    .collect();
                if parts.len() == 1 {
                    parts.pop().unwrap_or(Cond::And(Vec::new()))
                } else if is_or {
                    Cond::Or(parts)
                } else {
                    Cond::And(parts)
                }
            }
            Rule::cond_not => {
                let mut negated = false;
                let mut inner = Cond::And(Vec::new());
                for p in pair.into_inner() {
                    match p.as_rule() {
                        Rule::negation => negated = true,
                        Rule::open_paren | Rule::close_paren => {}
                        _ => inner = self.lower_cond(p),
                    }
                }
                if negated {
                    Cond::Not(Box::new(inner))
                } else {
                    inner
                }
            }
            Rule::tagged => match pair.into_inner().find(|q| q.as_rule() == Rule::name) {
                Some(n) => Cond::Tagged(self.ident(&n)),
                None => Cond::And(Vec::new()),
            },
            Rule::channel => match pair.into_inner().find(|q| q.as_rule() == Rule::name) {
                Some(n) => Cond::Channel(self.ident(&n)),
                None => Cond::And(Vec::new()),
            },
            Rule::priority => match pair.into_inner().find(|q| q.as_rule() == Rule::name) {
                Some(n) => Cond::Priority(self.ident(&n)),
                None => Cond::And(Vec::new()),
            },
            Rule::occurrence => match self.lower_occurrence(pair) {
                Some(o) => Cond::Occurs(o),
                None => Cond::And(Vec::new()),
            },
            _ => Cond::And(Vec::new()),
        }
    }

    fn lower_occurrence(&mut self, pair: Pair<'_, Rule>) -> Option<Occurrence> {
        let span = self.span(&pair);
        let inner = pair.into_inner().next()?;
        let kind = match inner.as_rule() {
            Rule::says => {
                let mut speaker = Speaker::Agent;
                let mut set = None;
                let mut quantity = None;
                for p in inner.into_inner() {
                    match p.as_rule() {
                        Rule::speaker => speaker = lower_speaker(p),
                        Rule::name => set = Some(self.ident(&p)),
                        Rule::quantity => quantity = self.lower_quantity(p),
                        _ => {}
                    }
                }
                OccurrenceKind::Says {
                    speaker,
                    set: set?,
                    quantity,
                }
            }
            Rule::act => {
                let mut speaker = Speaker::Agent;
                let mut act = SpeechAct::Asks;
                let mut set = None;
                let mut quantity = None;
                for p in inner.into_inner() {
                    match p.as_rule() {
                        Rule::speaker => speaker = lower_speaker(p),
                        Rule::act_verb => act = lower_act(p),
                        Rule::name => set = Some(self.ident(&p)),
                        Rule::quantity => quantity = self.lower_quantity(p),
                        _ => {}
                    }
                }
                OccurrenceKind::Act {
                    speaker,
                    act,
                    set,
                    quantity,
                }
            }
            Rule::speaker_message => {
                let speaker = inner
                    .into_inner()
                    .find(|q| q.as_rule() == Rule::speaker)
                    .map_or(Speaker::Agent, lower_speaker);
                OccurrenceKind::Message(speaker)
            }
            Rule::event_of => {
                let name = inner.into_inner().find(|q| q.as_rule() == Rule::name)?;
                OccurrenceKind::Event(self.ident(&name))
            }
            _ => return None,
        };
        Some(Occurrence { kind, span })
    }

    fn lower_quantity(&mut self, pair: Pair<'_, Rule>) -> Option<Quantity> {
        let span = self.span(&pair);
        let mut at_least = None;
        let mut distinct = false;
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::number => at_least = p.as_str().parse::<u32>().ok(),
                Rule::distinct => distinct = true,
                _ => {}
            }
        }
        match at_least {
            Some(n) if n >= 1 => Some(Quantity {
                at_least: n,
                distinct,
            }),
            _ => {
                self.error("P005", span, "a count must be a whole number from 1 up");
                None
            }
        }
    }
}

fn lower_speaker(pair: Pair<'_, Rule>) -> Speaker {
    if pair.into_inner().any(|q| q.as_rule() == Rule::kw_customer) {
        Speaker::Customer
    } else {
        Speaker::Agent
    }
}

fn lower_act(pair: Pair<'_, Rule>) -> SpeechAct {
    match pair.into_inner().next().map(|p| p.as_rule()) {
        Some(Rule::kw_apologizes) => SpeechAct::Apologizes,
        Some(Rule::kw_acknowledges) => SpeechAct::Acknowledges,
        Some(Rule::kw_offers) => SpeechAct::Offers,
        Some(Rule::kw_promises) => SpeechAct::Promises,
        Some(Rule::kw_instructs) => SpeechAct::Instructs,
        Some(Rule::kw_refuses) => SpeechAct::Refuses,
        Some(Rule::kw_thanks) => SpeechAct::Thanks,
        _ => SpeechAct::Asks,
    }
}

fn first_string(pair: Pair<'_, Rule>) -> Option<String> {
    pair.into_inner()
        .find(|q| q.as_rule() == Rule::string)
        .map(|q| unescape_string(inner_str(&q)))
}

/// The text between a string's or a regex's delimiters.
fn inner_str<'i>(pair: &Pair<'i, Rule>) -> &'i str {
    let s = pair.as_str();
    s.get(1..s.len().saturating_sub(1)).unwrap_or("")
}

fn unescape_string(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('n') => out.push('\n'),
                Some('t') => out.push('\t'),
                Some(other) => out.push(other),
                None => out.push('\\'),
            }
        } else {
            out.push(c);
        }
    }
    out
}
