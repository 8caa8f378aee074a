//! Semantic checks that the grammar cannot make: names resolve, ids are unique, patterns compile.

use std::collections::{HashMap, HashSet};

use super::ast::*;
use super::error::{Located, PolicyError};
use super::limits::{MAX_REGEX_TOTAL, REGEX_SIZE_LIMIT};
use super::PolicySource;

/// Checks every phrase set and rule, returning every error found.
pub(crate) fn validate(
    sets: &[Located<'_, PhraseSetDef>],
    rules: &[Located<'_, RuleDef>],
) -> Vec<PolicyError> {
    let mut errors = Vec::new();
    let err = |file: &PolicySource, span: Span, message: String| {
        PolicyError::at(&file.path, &file.text, span.start, span.end, message)
    };

    let mut regex_budget = RegexBudget {
        left: MAX_REGEX_TOTAL,
        spent: false,
    };
    let mut set_names: HashMap<&str, ()> = HashMap::new();
    for set in sets {
        let name = set.item.name.name.as_str();
        if set_names.insert(name, ()).is_some() {
            errors.push(
                err(
                    set.file,
                    set.item.name.span,
                    format!("the phrase set `{name}` is defined twice"),
                )
                .with_code("P010"),
            );
        }
        for entry in set.item.entries.iter().chain(&set.item.exceptions) {
            match entry {
                PhraseEntry::Literal { text, span, .. } => {
                    if text.trim_end_matches('*').trim().is_empty() {
                        errors.push(
                            err(set.file, *span, "an empty phrase matches nothing".into())
                                .with_code("P011"),
                        );
                    }
                }
                PhraseEntry::Regex { pattern, span, .. } => {
                    let error = match regex_budget.check(pattern) {
                        RegexCheck::Fine => continue,
                        RegexCheck::Bad(reason) => {
                            err(set.file, *span, format!("bad regex: {reason}")).with_code("P012")
                        }
                        RegexCheck::MatchesEmpty => err(
                            set.file,
                            *span,
                            "this regex matches the empty text, so it would match everywhere"
                                .into(),
                        )
                        .with_code("P013"),
                        RegexCheck::OverBudget => err(
                            set.file,
                            *span,
                            format!(
                                "the policy's regexes together take more than {} MB from here on",
                                MAX_REGEX_TOTAL >> 20
                            ),
                        )
                        .with_code("P017")
                        .with_help("use fewer or smaller regexes; literal phrases cost little"),
                    };
                    errors.push(error);
                }
                PhraseEntry::Include(_) => {}
                PhraseEntry::Learned(reader) => {
                    if !crate::analysis::learned::READERS.contains(&reader.name.as_str()) {
                        errors.push(
                            err(
                                set.file,
                                reader.span,
                                format!("no learned reader is called `{}`", reader.name),
                            )
                            .with_code("P019")
                            .with_help(format!(
                                "the readers built into tact: {}",
                                crate::analysis::learned::READERS.join(", ")
                            )),
                        );
                    }
                }
            }
        }
        for entry in &set.item.exceptions {
            if let PhraseEntry::Learned(reader) = entry {
                errors.push(
                    err(
                        set.file,
                        reader.span,
                        "a learned reader cannot follow `but not`".into(),
                    )
                    .with_code("P019")
                    .with_help("list it among the set's entries: it already drops the set's phrases in sentences it is sure do not belong"),
                );
            }
        }
    }
    let known_sets: Vec<&str> = sets.iter().map(|s| s.item.name.name.as_str()).collect();
    let known_sets = Known {
        lookup: known_sets.iter().copied().collect(),
        names: known_sets,
    };

    for set in sets {
        for entry in set.item.entries.iter().chain(&set.item.exceptions) {
            if let PhraseEntry::Include(ident) = entry {
                if let Some(e) = unknown_set(set.file, ident, &known_sets) {
                    errors.push(e);
                }
            }
        }
    }
    errors.extend(super::includes::include_errors(sets));

    let mut rule_ids: HashSet<&str> = HashSet::new();
    for rule in rules {
        let r = rule.item;
        if !rule_ids.insert(r.id.name.as_str()) {
            errors.push(
                err(
                    rule.file,
                    r.id.span,
                    format!("the rule id `{}` is used twice", r.id.name),
                )
                .with_code("P020"),
            );
        }
        if r.check.is_none() {
            if r.had_errors {
                continue;
            }
            errors.push(
                err(
                    rule.file,
                    r.id.span,
                    format!("the rule `{}` checks nothing", r.id.name),
                )
                .with_code("P021")
                .with_help("add a `forbid ...` or a `require ...` clause"),
            );
            continue;
        }
        let occurrences = rule_occurrences(r);
        for (occurrence, count_allowed) in occurrences {
            let (set, quantity) = match &occurrence.kind {
                OccurrenceKind::Says { set, quantity, .. } => (Some(set), quantity),
                OccurrenceKind::Act { set, quantity, .. } => (set.as_ref(), quantity),
                _ => (None, &None),
            };
            if let Some(e) = set.and_then(|set| unknown_set(rule.file, set, &known_sets)) {
                errors.push(e);
            }
            if quantity.is_some() && !count_allowed {
                errors.push(
                    err(
                        rule.file,
                        occurrence.span,
                        "a count (`at least N`) only makes sense in a condition".into(),
                    )
                    .with_code("P022")
                    .with_help("use it after `when` or in `require agent says at least ...`"),
                );
            }
        }
        errors.extend(
            timing_mistakes(r)
                .into_iter()
                .map(|(span, code, message, help)| {
                    err(rule.file, span, message.into())
                        .with_code(code)
                        .with_help(help)
                }),
        );
    }
    errors
}

/// `next` and `every` out of place, and `target` on a rule that counts no time.
fn timing_mistakes(rule: &RuleDef) -> Vec<(Span, &'static str, &'static str, &'static str)> {
    const NEXT_EVERY: &str = "P023";
    let mut out = Vec::new();
    let misplaced = |m: &Moment| matches!(m.position, Position::Next | Position::Every);
    let counts_time = match &rule.check {
        Some(Check::Require(Requirement::Timing {
            moment,
            anchors,
            span,
            ..
        })) => {
            let every = anchors.iter().any(|a| a.position == Position::Every);
            if every && (anchors.len() > 1 || moment.position != Position::Next) {
                out.push((
                    *span,
                    NEXT_EVERY,
                    "`every` counts from each occurrence, so it stands alone and the moment is the `next` one",
                    "write `require next agent message within 2 hours of every customer message`",
                ));
            } else if moment.position == Position::Next && !every {
                out.push((
                    *span,
                    NEXT_EVERY,
                    "`next` is counted from each of an `every` anchor",
                    "write `... of every customer message`, or `first` instead of `next`",
                ));
            } else if moment.position == Position::Every
                || anchors.iter().any(|a| a.position == Position::Next)
            {
                out.push((
                    *span,
                    NEXT_EVERY,
                    "`every` goes on the anchor (after `of`), `next` on what must happen in time",
                    "write `require next agent message within 2 hours of every customer message`",
                ));
            }
            true
        }
        Some(Check::Require(Requirement::Periodic { until, span, .. })) => {
            if until.as_ref().is_some_and(misplaced) {
                out.push((
                    *span,
                    NEXT_EVERY,
                    "`until` takes the `first` or `last` of something",
                    "write e.g. `until event resolved`",
                ));
            }
            true
        }
        _ => false,
    };
    if !counts_time {
        for target in &rule.targets {
            out.push((
                target.span,
                "P024",
                "`target` sets another time limit, and this rule counts no time",
                "use it with `require ... within ...` or `require ... at least every ...`",
            ));
        }
    }
    out
}

/// What checking one regex found.
enum RegexCheck {
    Fine,
    Bad(String),
    MatchesEmpty,
    OverBudget,
}

/// The memory the policy's regexes may still take. Each regex is compiled once, as the matcher
/// will run it; once the budget is spent, the rest are only parsed, so a policy of thousands of
/// big regexes costs no more than the budget's worth of compiling.
struct RegexBudget {
    left: usize,
    spent: bool,
}

impl RegexBudget {
    fn check(&mut self, pattern: &str) -> RegexCheck {
        if self.spent {
            return match super::pattern::check_syntax(pattern) {
                Ok(()) => RegexCheck::Fine,
                Err(reason) => RegexCheck::Bad(reason),
            };
        }
        match super::pattern::check(pattern) {
            Err(reason) => RegexCheck::Bad(reason),
            Ok(checked) if checked.bytes > self.left => {
                self.spent = true;
                RegexCheck::OverBudget
            }
            Ok(checked) => {
                self.left -= checked.bytes;
                if checked.matches_empty {
                    RegexCheck::MatchesEmpty
                } else {
                    RegexCheck::Fine
                }
            }
        }
    }
}

/// Every occurrence a rule names, with whether a count (`at least N`) is allowed where it stands.
pub(super) fn rule_occurrences(rule: &RuleDef) -> Vec<(&Occurrence, bool)> {
    let mut occurrences: Vec<(&Occurrence, bool)> = Vec::new();
    for cond in &rule.when {
        collect_cond(cond, &mut occurrences);
    }
    match &rule.check {
        Some(Check::Forbid { occurrence, near }) => {
            occurrences.push((occurrence, false));
            occurrences.extend(near.iter().flat_map(|n| &n.occurrences).map(|o| (o, false)));
        }
        Some(Check::Require(Requirement::Cond(c))) => collect_cond(c, &mut occurrences),
        Some(Check::Require(Requirement::Order { first, then })) => {
            occurrences.extend([(first, false), (then, false)]);
        }
        Some(Check::Require(Requirement::Timing {
            moment, anchors, ..
        })) => {
            occurrences.push((&moment.occurrence, false));
            occurrences.extend(anchors.iter().map(|a| (&a.occurrence, false)));
        }
        Some(Check::Require(Requirement::Periodic {
            occurrence, until, ..
        })) => {
            occurrences.push((occurrence, false));
            occurrences.extend(until.iter().map(|m| (&m.occurrence, false)));
        }
        None => {}
    }
    for target in &rule.targets {
        collect_cond(&target.when, &mut occurrences);
    }
    occurrences
}

/// Occurrences in a condition; counts are allowed there.
fn collect_cond<'a>(cond: &'a Cond, out: &mut Vec<(&'a Occurrence, bool)>) {
    match cond {
        Cond::Or(parts) | Cond::And(parts) => parts.iter().for_each(|c| collect_cond(c, out)),
        Cond::Not(inner) => collect_cond(inner, out),
        Cond::Occurs(o) => out.push((o, true)),
        Cond::Tagged(_) | Cond::Channel(_) | Cond::Priority(_) => {}
    }
}

/// The names of the phrase sets: a list in file order for suggestions, a set to look them up.
struct Known<'a> {
    names: Vec<&'a str>,
    lookup: HashSet<&'a str>,
}

fn unknown_set(file: &PolicySource, ident: &Ident, known: &Known<'_>) -> Option<PolicyError> {
    if known.lookup.contains(ident.name.as_str()) {
        return None;
    }
    let error = PolicyError::at(
        &file.path,
        &file.text,
        ident.span.start,
        ident.span.end,
        format!("unknown phrase set `{}`", ident.name),
    )
    .with_code("P014");
    Some(match did_you_mean(&ident.name, &known.names) {
        Some(best) => error.with_help(format!("did you mean `{best}`?")),
        None => error.with_help("define it with `phrases NAME \"...\"`"),
    })
}

/// The closest known name, when one is close enough to be a likely typo.
pub fn did_you_mean<'a>(name: &str, known: &[&'a str]) -> Option<&'a str> {
    known
        .iter()
        .map(|k| (strsim::jaro_winkler(name, k), *k))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, k)| k)
}

/// Warnings: the policy works, but something in it is probably not what its author meant.
pub(crate) fn warnings(
    sets: &[Located<'_, PhraseSetDef>],
    rules: &[Located<'_, RuleDef>],
) -> Vec<PolicyError> {
    let mut warnings = Vec::new();
    let mut used: HashSet<&str> = HashSet::new();
    for rule in rules {
        let occurrences = rule_occurrences(rule.item);
        for (o, _) in occurrences {
            match &o.kind {
                OccurrenceKind::Says { set, .. } | OccurrenceKind::Act { set: Some(set), .. } => {
                    used.insert(set.name.as_str());
                }
                _ => {}
            }
        }
    }
    let by_name: HashMap<&str, &PhraseSetDef> = sets
        .iter()
        .map(|s| (s.item.name.name.as_str(), s.item))
        .collect();
    let mut stack: Vec<&str> = used.iter().copied().collect();
    while let Some(name) = stack.pop() {
        if let Some(set) = by_name.get(name) {
            for included in super::includes::included_names(set) {
                if used.insert(included) {
                    stack.push(included);
                }
            }
        }
    }
    for set in sets {
        let name = set.item.name.name.as_str();
        if !used.contains(name) {
            warnings.push(
                set.error(
                    set.item.name.span,
                    format!("the phrase set `{name}` is never used"),
                )
                .with_code("W001")
                .with_help("use it in a rule (`agent says NAME`) or delete it"),
            );
        }
        for entry in set.item.entries.iter() {
            if let PhraseEntry::Regex { pattern, span, .. } = entry {
                if matches_almost_anything(pattern) {
                    warnings.push(
                        set.error(*span, "this regex matches almost any text")
                            .with_code("W002")
                            .with_help("anchor it on the words that matter"),
                    );
                }
            }
        }
    }
    warnings
}

/// Whether a regex finds a match in most ordinary words and replies.
fn matches_almost_anything(pattern: &str) -> bool {
    const PROBES: [&str; 10] = [
        "a", "i", "the", "and", "ok", "yes", "thanks", "hello", "order", "please",
    ];
    let regex = regex::RegexBuilder::new(&format!("(?i:{pattern})"))
        .size_limit(REGEX_SIZE_LIMIT)
        .build();
    let Ok(regex) = regex else {
        return false;
    };
    PROBES.iter().filter(|p| regex.is_match(p)).count() >= 5
}

/// Rules that can never fire, and phrases that can never match, where that is certain from the
/// text alone: contradictory `when` conditions, a requirement that always holds, a phrase its own
/// `but not` list removes.
pub(crate) fn never_firing(
    sets: &[Located<'_, PhraseSetDef>],
    rules: &[Located<'_, RuleDef>],
) -> Vec<PolicyError> {
    let mut warnings = Vec::new();
    for rule in rules {
        let r = rule.item;
        let at = |message: &str| rule.error(r.id.span, message).with_code("W003");
        let mut atoms = Vec::new();
        for cond in &r.when {
            conjuncts(cond, false, &mut atoms);
        }
        if contradicts(&atoms) {
            warnings.push(at(
                "this rule can never apply: its `when` conditions contradict each other",
            ));
        }
        if let Some(Check::Require(Requirement::Cond(cond))) = &r.check {
            // A requirement always holds when its negation can never hold.
            let mut negation = Vec::new();
            conjuncts(cond, true, &mut negation);
            if contradicts(&negation) {
                warnings.push(at("this rule can never fire: its requirement always holds"));
            }
        }
    }
    for set in sets {
        let removed: HashSet<String> = set
            .item
            .exceptions
            .iter()
            .filter_map(|e| match e {
                PhraseEntry::Literal { text, .. } => Some(crate::text::fold_phrase(text)),
                _ => None,
            })
            .collect();
        for entry in &set.item.entries {
            if let PhraseEntry::Literal { text, span, .. } = entry {
                if removed.contains(&crate::text::fold_phrase(text)) {
                    warnings.push(
                        set.error(
                            *span,
                            "this phrase can never match: its `but not` list removes it",
                        )
                        .with_code("W003"),
                    );
                }
            }
        }
    }
    warnings
}

/// Whether some condition appears both as itself and negated (one pass: a condition may have
/// thousands of parts).
fn contradicts(atoms: &[(String, bool)]) -> bool {
    let mut seen: HashMap<&str, bool> = HashMap::new();
    atoms
        .iter()
        .any(|(key, negated)| *seen.entry(key.as_str()).or_insert(*negated) != *negated)
}

/// The atoms a condition requires all of (under `and`), with whether each is negated.
fn conjuncts(cond: &Cond, negated: bool, out: &mut Vec<(String, bool)>) {
    match (cond, negated) {
        (Cond::And(parts), false) => parts.iter().for_each(|c| conjuncts(c, false, out)),
        (Cond::Or(parts), true) => parts.iter().for_each(|c| conjuncts(c, true, out)),
        (Cond::Not(inner), n) => conjuncts(inner, !n, out),
        (Cond::Tagged(_) | Cond::Channel(_) | Cond::Occurs(_), n) => out.push((cond_key(cond), n)),
        _ => {}
    }
}

/// A condition atom written out without its position, to compare two atoms.
fn cond_key(cond: &Cond) -> String {
    match cond {
        Cond::Tagged(t) => format!("tagged {}", t.name.to_lowercase()),
        Cond::Channel(c) => format!("channel {}", c.name.to_lowercase()),
        Cond::Occurs(o) => match &o.kind {
            OccurrenceKind::Says {
                speaker,
                set,
                quantity,
            } => format!("{speaker} says {quantity:?} {}", set.name),
            OccurrenceKind::Act {
                speaker,
                act,
                set,
                quantity,
            } => format!(
                "{speaker} {} {quantity:?} {}",
                act.as_str(),
                set.as_ref().map_or("", |s| s.name.as_str())
            ),
            OccurrenceKind::Message(s) => format!("{s} message"),
            OccurrenceKind::Event(e) => format!("event {}", e.name.to_lowercase()),
        },
        _ => String::new(),
    }
}
