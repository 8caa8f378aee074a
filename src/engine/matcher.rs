//! All phrase sets of a policy compiled together, so that each text is folded once and scanned
//! once for every set: one Aho-Corasick pass finds every literal, the prefilter (`crate::prefilter`:
//! one more Aho-Corasick pass, over the regexes' required literals) says which regexes may
//! match, and only those are run to find where.
//!
//! Each entry belongs to the set that defines it. A set's `include`s are resolved per text, after
//! the scan: the included sets' matches are added to the including set's, sets in an order where
//! every set comes after the sets it includes. Compiling is thus linear in the policy's size
//! however the includes are shared (expanding them path by path is exponential in a lattice).

use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use regex_automata::meta::Regex;
use regex_automata::util::captures::{Captures, GroupInfo};
use regex_automata::{Input, PatternID};

use super::stand_in::{self, StandIn};
use crate::automata::{self, Kept, Settings};
use crate::dsl::ast::{PhraseEntry, PhraseSetDef};
use crate::dsl::pattern::{self, MATCH_GROUP};
use crate::prefilter::Prefilter;
use crate::text::{fold_phrase, is_word_char, Folded};

/// A regex group of this name marks the part of a match that is reported (and ordered by):
/// `/\b(i|we) [^.]{0,40}(?P<hit>refund\w*)/` reports `refunded`, not the whole clause.
pub const HIT_GROUP: &str = "hit";

/// Index of a phrase set in the policy.
pub type SetId = usize;

/// One match of a phrase set in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    /// Start, in bytes of the original text.
    pub start: usize,
    /// End, in bytes of the original text.
    pub end: usize,
    /// The set entry that matched (distinct entries are distinct phrases).
    pub entry: usize,
    /// The replacement the entry suggests, if any.
    pub replacement: Option<Arc<str>>,
}

/// What one text holds of each phrase set.
#[derive(Debug, Clone, Default)]
pub struct Scan {
    /// Per set: its matches, in text order, none overlapping.
    pub sets: Vec<Vec<Hit>>,
    /// Per set: where its phrases matched but a `but not` entry took the match away (the
    /// set's words are there, as a mention), in bytes of the original text: sorted by start,
    /// each with the furthest end reached by it and those before it, for [`Scan::has_words`].
    pub excepted: Vec<Vec<(usize, usize)>>,
}

impl Scan {
    /// Whether any word of `set` stands in `start..end`, kept or taken away by `but not`.
    pub fn has_words(&self, set: SetId, (start, end): (usize, usize)) -> bool {
        // Kept matches do not overlap and are in text order, so their ends are sorted too.
        let kept = self.sets.get(set).is_some_and(|hits| {
            let i = hits.partition_point(|h| h.end <= start);
            hits.get(i).is_some_and(|h| h.start < end)
        });
        let excepted = self.excepted.get(set).is_some_and(|x| {
            let k = x.partition_point(|&(s, _)| s < end);
            k > 0 && x[k - 1].1 > start
        });
        kept || excepted
    }
}

/// A match in folded text before exceptions and overlaps are resolved: start, end, entry,
/// replacement.
type RawHit = (usize, usize, usize, Option<Arc<str>>);

#[derive(Debug, Clone)]
struct Owner {
    set: SetId,
    /// Which entry of the set (for counting distinct phrases).
    entry: usize,
    exception: bool,
    replacement: Option<Arc<str>>,
}

#[derive(Debug)]
struct Literal {
    /// The last word may run on (`refund*` matches `refunded`).
    open_end: bool,
    owners: Vec<Owner>,
}

/// How a policy's regexes are compiled for ASCII texts (`pattern::compile_ascii`'s regex):
/// every group kept, empty matches only between characters, the regex crate's limits.
pub(crate) const POLICY_ASCII: Settings = Settings::new(
    "policy regexes, ASCII",
    pattern::parse_ascii,
    true,
    regex_automata::nfa::thompson::WhichCaptures::All,
    crate::dsl::limits::REGEX_COMPILE_LIMIT,
    2 * (1 << 20),
);

/// A confirming regex, compiled the first time its prefilter lets a text through. Most texts
/// reach few of a policy's regexes, and compiling all of them took a third of start-up. Texts
/// of ASCII characters only get the regex compiled for them (`pattern::compile_ascii`): the
/// same matches, for a fraction of the compile time; with the cache on, its automata are read
/// back from the user's cache folder (`crate::automata`). So do other texts, through their
/// ASCII stand-in (`super::stand_in`: `£` and emoji stand in as NUL, `é` as `Z`), when the regex
/// cannot tell the characters from their stand-ins. The rest get the regex engine's own type
/// (`pattern::compile_meta` is `pattern::compile`'s regex).
#[derive(Debug)]
struct LazyRegex {
    source: String,
    /// Where the regex is among the matcher's [`Kept`] ones.
    index: usize,
    /// The regex and whether it has a `hit` group; `None` if it does not compile, which
    /// validation rules out (it builds the same automata, within a smaller limit).
    compiled: OnceLock<Option<(Confirming, bool)>>,
    /// The same for ASCII texts.
    ascii: OnceLock<Option<(Confirming, bool)>>,
    /// Whether the ASCII form may search a text's stand-in (`stand_in`).
    kinds_alike: OnceLock<bool>,
}

/// A compiled confirming regex: the regex engine's own, or one kept between runs.
#[derive(Debug)]
enum Confirming {
    Meta(Regex),
    Kept(automata::Regex),
}

impl Confirming {
    fn group_info(&self) -> &GroupInfo {
        match self {
            Confirming::Meta(regex) => regex.group_info(),
            Confirming::Kept(regex) => regex.group_info(),
        }
    }

    fn search(&self, input: &Input<'_>) -> Option<regex_automata::Match> {
        match self {
            Confirming::Meta(regex) => regex.search(input),
            Confirming::Kept(regex) => regex.find(input.clone()),
        }
    }

    fn create_captures(&self) -> Captures {
        match self {
            Confirming::Meta(regex) => regex.create_captures(),
            Confirming::Kept(regex) => regex.create_captures(),
        }
    }

    fn search_captures(&self, input: &Input<'_>, caps: &mut Captures) {
        match self {
            Confirming::Meta(regex) => regex.search_captures(input, caps),
            Confirming::Kept(regex) => regex.search_captures(input, caps),
        }
    }
}

impl LazyRegex {
    /// The regex `source`, the `index`th of the matcher's; `kinds_alike` if already known.
    fn new(source: String, index: usize, kinds_alike: Option<bool>) -> LazyRegex {
        LazyRegex {
            source,
            index,
            compiled: OnceLock::new(),
            ascii: OnceLock::new(),
            kinds_alike: kinds_alike.map_or_else(OnceLock::new, OnceLock::from),
        }
    }

    /// Whether the regex matches a text where it matches the text's [`StandIn`].
    fn treats_kinds_alike(&self) -> bool {
        *self
            .kinds_alike
            .get_or_init(|| stand_in::takes_stand_ins(&self.source))
    }

    /// The regex for a text, `ascii` if the text is ASCII only.
    fn get(&self, ascii: bool, kept: &Kept) -> Option<&(Confirming, bool)> {
        let with_hit = |regex: Confirming| {
            let has_hit = regex
                .group_info()
                .to_index(PatternID::ZERO, HIT_GROUP)
                .is_some();
            (regex, has_hit)
        };
        if ascii {
            let found = self
                .ascii
                .get_or_init(|| kept.regex(self.index).map(Confirming::Kept).map(with_hit));
            if found.is_some() {
                return found.as_ref();
            }
        }
        self.compiled
            .get_or_init(|| {
                pattern::compile_meta(&self.source)
                    .ok()
                    .map(Confirming::Meta)
                    .map(with_hit)
            })
            .as_ref()
    }
}

/// The compiled phrase sets of a policy. Immutable, `Send + Sync`.
#[derive(Debug)]
pub struct Matcher {
    names: Vec<String>,
    literals: Vec<Literal>,
    automaton: Option<AhoCorasick>,
    /// Which regexes may match a text.
    prefilter: Prefilter,
    /// Each confirming regex and who owns it.
    regexes: Vec<(LazyRegex, Vec<Owner>)>,
    /// The regexes' automata for ASCII texts: built in for the built-in policy, else kept
    /// between runs when the cache is on.
    kept: Kept,
    /// The sets that include others, each after every set it includes.
    includes: Vec<Includes>,
    /// Per set: whether it names the learned remedy reader (`learned remedies`).
    learned: Vec<bool>,
}

/// The sets one set includes.
#[derive(Debug, Default)]
struct Includes {
    set: SetId,
    /// Included among the entries: their matches are the set's, their exceptions its own.
    entries: Vec<SetId>,
    /// Included after `but not`: their matches are exceptions (and their exceptions matches).
    exceptions: Vec<SetId>,
}

#[derive(Default)]
struct Builder {
    literal_ids: HashMap<(String, bool), usize>,
    literal_texts: Vec<String>,
    literals: Vec<Literal>,
    regex_ids: HashMap<String, usize>,
    regexes: Vec<(String, Vec<Owner>)>,
    /// The entry number each label of each set stands for.
    labels: HashMap<(SetId, String), usize>,
    /// Entries numbered so far, over all sets: an entry keeps its number in the sets that
    /// include it, so one entry reached by two paths counts once.
    entries: usize,
}

impl Matcher {
    /// Compiles every set. The sets must be validated (names resolve, regexes compile).
    pub fn new(sets: &[PhraseSetDef]) -> Result<Matcher, String> {
        let index: HashMap<&str, usize> = sets
            .iter()
            .enumerate()
            .map(|(i, s)| (s.name.name.as_str(), i))
            .collect();
        let mut builder = Builder::default();
        for (set_id, set) in sets.iter().enumerate() {
            builder.add_set(set_id, set);
        }
        let includes = include_order(sets, &index);
        // Only the set that names the reader: a set including it takes its words, not its
        // reader, whose veto would drop that set's other words ("sorry" beside a remedy).
        let learned: Vec<bool> = sets
            .iter()
            .map(|s| {
                s.entries
                    .iter()
                    .any(|e| matches!(e, PhraseEntry::Learned(_)))
            })
            .collect();
        let automaton = if builder.literal_texts.is_empty() {
            None
        } else {
            Some(
                AhoCorasickBuilder::new()
                    .match_kind(MatchKind::Standard)
                    .build(&builder.literal_texts)
                    .map_err(|e| format!("cannot compile the phrases: {e}"))?,
            )
        };
        let sources: Vec<&str> = builder.regexes.iter().map(|(s, _)| s.as_str()).collect();
        let prefilter = Prefilter::for_regexes("policy regexes", &sources, |source| {
            pattern::parse(source)
                .map(Some)
                .map_err(|e| format!("cannot compile the regex /{source}/: {e}"))
        })?;
        let kept = Kept::new(
            POLICY_ASCII,
            sources.iter().map(|s| s.to_string()).collect(),
        );
        if !sources.is_empty() {
            kept.prepare();
        }
        let alike = stand_in::kept(&sources);
        let regexes = builder
            .regexes
            .into_iter()
            .enumerate()
            .map(|(index, (source, owners))| {
                let kinds_alike = alike.as_ref().and_then(|a| a.get(index).copied());
                (LazyRegex::new(source, index, kinds_alike), owners)
            })
            .collect();
        Ok(Matcher {
            names: sets.iter().map(|s| s.name.name.clone()).collect(),
            literals: builder.literals,
            automaton,
            prefilter,
            regexes,
            kept,
            includes,
            learned,
        })
    }

    /// Per set: whether the learned remedy reader corrects its phrases.
    pub fn learned(&self) -> &[bool] {
        &self.learned
    }

    /// The id of a set by name.
    pub fn set_id(&self, name: &str) -> Option<SetId> {
        self.names.iter().position(|n| n == name)
    }

    /// Scans `text` for every set. `folded` is a buffer reused between calls.
    pub fn scan(&self, text: &str, folded: &mut Folded) -> Scan {
        folded.fold_into(text);
        let haystack = folded.as_str();
        let mut positives: Vec<Vec<RawHit>> = vec![Vec::new(); self.names.len()];
        let mut exceptions: Vec<Vec<RawHit>> = vec![Vec::new(); self.names.len()];
        let mut record = |start: usize, end: usize, owners: &[Owner]| {
            for o in owners {
                let hit = (start, end, o.entry, o.replacement.clone());
                if o.exception {
                    exceptions[o.set].push(hit);
                } else {
                    positives[o.set].push(hit);
                }
            }
        };
        if let Some(ac) = &self.automaton {
            for m in ac.find_overlapping_iter(haystack) {
                let Some(lit) = self.literals.get(m.pattern().as_usize()) else {
                    continue;
                };
                let mut end = m.end();
                if lit.open_end {
                    end += haystack[end..]
                        .char_indices()
                        .find(|(_, c)| !is_word_char(*c))
                        .map_or(haystack.len() - end, |(i, _)| i);
                }
                if whole_words(haystack, m.start(), end) {
                    record(m.start(), end, &lit.owners);
                }
            }
        }
        if !self.regexes.is_empty() {
            let mut candidates = Vec::new();
            self.prefilter
                .candidates(haystack.as_bytes(), &mut candidates);
            let ascii = haystack.is_ascii();
            // The text's stand-in, made the first time a regex could search it.
            let mut made: Option<Option<StandIn>> = None;
            for i in candidates {
                let Some((lazy, owners)) = self.regexes.get(i) else {
                    continue;
                };
                // A text outside ASCII is searched through its stand-in where the regex allows.
                let stand_in = if ascii || !lazy.treats_kinds_alike() {
                    None
                } else {
                    made.get_or_insert_with(|| StandIn::of(haystack)).as_ref()
                };
                let Some((regex, has_hit)) = lazy.get(ascii || stand_in.is_some(), &self.kept)
                else {
                    continue;
                };
                let mut found =
                    regex_hits(regex, *has_hit, stand_in.map_or(haystack, StandIn::as_str));
                if let Some(stand_in) = stand_in {
                    for hit in &mut found {
                        *hit = (stand_in.original(hit.0), stand_in.original(hit.1));
                    }
                }
                for (start, end) in found {
                    // A hit is its words: a regex that opens on the punctuation before them
                    // ("(^|[.!?] )close") must not pin the phrase on the sentence before.
                    let start = haystack
                        .get(start..end)
                        .and_then(|hit| hit.find(is_word_char))
                        .map_or(start, |skip| start + skip);
                    record(start, end, owners);
                }
            }
        }
        self.add_included(&mut positives, &mut exceptions);
        let mut excepted = Vec::with_capacity(positives.len());
        let sets = positives
            .into_iter()
            .zip(exceptions)
            .map(|(hits, excluded)| {
                // Each match is tested against the exceptions once: kept, or taken away.
                let (taken, mut hits): (Vec<RawHit>, Vec<RawHit>) = hits
                    .into_iter()
                    .partition(|(s, e, ..)| excluded.iter().any(|(xs, xe, ..)| s < xe && xs < e));
                let mut taken: Vec<(usize, usize)> = taken
                    .iter()
                    .map(|h| folded.original_range(h.0, h.1, text))
                    .collect();
                taken.sort_unstable();
                let mut reach = 0;
                for range in &mut taken {
                    reach = reach.max(range.1);
                    range.1 = reach;
                }
                excepted.push(taken);
                hits.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
                let mut kept: Vec<Hit> = Vec::with_capacity(hits.len());
                let mut reach = 0;
                for (start, end, entry, replacement) in hits {
                    if !kept.is_empty() && start < reach {
                        continue;
                    }
                    reach = end;
                    let (start, end) = folded.original_range(start, end, text);
                    kept.push(Hit {
                        start,
                        end,
                        entry,
                        replacement,
                    });
                }
                kept
            })
            .collect();
        Scan { sets, excepted }
    }

    /// Adds to each set's matches and exceptions those of the sets it includes. One match
    /// reached by several paths is kept once.
    fn add_included(&self, positives: &mut [Vec<RawHit>], exceptions: &mut [Vec<RawHit>]) {
        for includes in &self.includes {
            let mut found = Vec::new();
            let mut excluded = Vec::new();
            let lists = [(&includes.entries, false), (&includes.exceptions, true)];
            for (included, flipped) in lists {
                for &other in included {
                    let (hits, excepts) = match (positives.get(other), exceptions.get(other)) {
                        (Some(h), Some(x)) => (h, x),
                        _ => continue,
                    };
                    let (to_found, to_excluded) = if flipped {
                        (excepts, hits)
                    } else {
                        (hits, excepts)
                    };
                    found.extend(to_found.iter().cloned());
                    excluded.extend(to_excluded.iter().cloned());
                }
            }
            for (list, more) in [(&mut *positives, found), (&mut *exceptions, excluded)] {
                if more.is_empty() {
                    continue;
                }
                if let Some(own) = list.get_mut(includes.set) {
                    // Own matches first, then the included ones in order: of two entries matching
                    // the same words, the first keeps them (see the sort in `scan`).
                    own.extend(more);
                    let mut seen = foldhash::HashSet::default();
                    own.retain(|h| seen.insert((h.0, h.1, h.2)));
                }
            }
        }
    }
}

/// The sets that include others, each after every set it includes (a depth-first post-order,
/// iterative so that no chain of includes can exhaust the stack). Validation rejects cycles;
/// should one get here, the include that closes it is followed no further.
fn include_order(sets: &[PhraseSetDef], index: &HashMap<&str, usize>) -> Vec<Includes> {
    let resolve = |entries: &[PhraseEntry]| -> Vec<SetId> {
        entries
            .iter()
            .filter_map(|e| match e {
                PhraseEntry::Include(name) => index.get(name.name.as_str()).copied(),
                _ => None,
            })
            .collect()
    };
    let direct: Vec<Includes> = sets
        .iter()
        .enumerate()
        .map(|(set, def)| Includes {
            set,
            entries: resolve(&def.entries),
            exceptions: resolve(&def.exceptions),
        })
        .collect();
    let targets = |set: SetId| -> Vec<SetId> {
        direct
            .get(set)
            .map(|i| i.entries.iter().chain(&i.exceptions).copied().collect())
            .unwrap_or_default()
    };
    let mut state = vec![Visit::New; sets.len()];
    let mut order = Vec::new();
    for root in 0..sets.len() {
        if state[root] != Visit::New {
            continue;
        }
        state[root] = Visit::Open;
        let mut stack = vec![(root, targets(root), 0usize)];
        while let Some((set, next, at)) = stack.last_mut() {
            if let Some(&other) = next.get(*at) {
                *at += 1;
                if state.get(other) == Some(&Visit::New) {
                    state[other] = Visit::Open;
                    stack.push((other, targets(other), 0));
                }
            } else {
                let set = *set;
                state[set] = Visit::Done;
                order.push(set);
                stack.pop();
            }
        }
    }
    let mut direct: Vec<Option<Includes>> = direct.into_iter().map(Some).collect();
    order
        .into_iter()
        .filter_map(|set| direct.get_mut(set).and_then(Option::take))
        .filter(|i| !i.entries.is_empty() || !i.exceptions.is_empty())
        .collect()
}

/// Where a depth-first walk stands with a set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Visit {
    New,
    Open,
    Done,
}

impl Builder {
    /// Adds the entries a set defines itself; its includes are resolved per text.
    fn add_set(&mut self, owner: SetId, set: &PhraseSetDef) {
        for (entries, exception) in [(&set.entries, false), (&set.exceptions, true)] {
            for entry in entries {
                match entry {
                    PhraseEntry::Literal {
                        text,
                        replacement,
                        label,
                        ..
                    } => {
                        let o = self.owner(owner, exception, replacement, label);
                        self.add_literal(text, o);
                    }
                    PhraseEntry::Regex {
                        pattern,
                        replacement,
                        label,
                        ..
                    } => {
                        let o = self.owner(owner, exception, replacement, label);
                        self.add_regex(pattern, o);
                    }
                    PhraseEntry::Include(_) | PhraseEntry::Learned(_) => {}
                }
            }
        }
    }

    fn owner(
        &mut self,
        set: SetId,
        exception: bool,
        replacement: &Option<String>,
        label: &Option<String>,
    ) -> Owner {
        self.entries += 1;
        let entry = match label {
            Some(label) => *self
                .labels
                .entry((set, label.clone()))
                .or_insert(self.entries),
            None => self.entries,
        };
        Owner {
            set,
            entry,
            exception,
            replacement: replacement.as_deref().map(Arc::from),
        }
    }

    fn add_literal(&mut self, text: &str, owner: Owner) {
        let open_end = text.trim_end().ends_with('*');
        let folded = fold_phrase(text.trim_end().trim_end_matches('*'));
        if folded.is_empty() {
            return;
        }
        let key = (folded.clone(), open_end);
        let id = *self.literal_ids.entry(key).or_insert_with(|| {
            self.literal_texts.push(folded);
            self.literals.push(Literal {
                open_end,
                owners: Vec::new(),
            });
            self.literals.len() - 1
        });
        if let Some(lit) = self.literals.get_mut(id) {
            lit.owners.push(owner);
        }
    }

    fn add_regex(&mut self, pattern: &str, owner: Owner) {
        let id = *self
            .regex_ids
            .entry(pattern.to_string())
            .or_insert_with(|| {
                self.regexes.push((pattern.to_string(), Vec::new()));
                self.regexes.len() - 1
            });
        if let Some((_, owners)) = self.regexes.get_mut(id) {
            owners.push(owner);
        }
    }
}

/// Where a compiled policy regex matches `haystack`, as the reported part (the `hit` group, else
/// the whole pattern). A match that starts inside a word is retried one character later.
fn regex_hits(regex: &Confirming, has_hit: bool, haystack: &str) -> Vec<(usize, usize)> {
    let mut hits = Vec::new();
    let mut at = 0;
    let mut caps: Option<Captures> = None;
    while at <= haystack.len() {
        let from = |start: usize| Input::new(haystack).span(start..haystack.len());
        let Some(found) = regex.search(&from(at)) else {
            break;
        };
        // A match ending on a letter, an ASCII digit or `_` took nothing from the boundary test
        // (it can only take a non-word character), so it is the author's match itself and the
        // slower search for groups is not needed.
        let ends_in_word = haystack
            .get(found.range())
            .and_then(|s| s.chars().next_back())
            .is_some_and(|c| c.is_alphabetic() || c.is_ascii_digit() || c == '_');
        let (whole, reported) = if !has_hit && ends_in_word {
            (found.span(), found.span())
        } else {
            let caps = caps.get_or_insert_with(|| regex.create_captures());
            regex.search_captures(&from(found.start()), caps);
            let Some(whole) = caps
                .get_group_by_name(MATCH_GROUP)
                .or_else(|| caps.get_group(0))
            else {
                break;
            };
            (whole, caps.get_group_by_name(HIT_GROUP).unwrap_or(whole))
        };
        let ok = reported.start < reported.end
            && whole_words(haystack, whole.start, whole.end)
            && whole_words(haystack, reported.start, reported.end);
        let next = if ok {
            hits.push((reported.start, reported.end));
            whole.end
        } else {
            whole.start
        };
        // Always move forward by at least one character.
        at = if next > at {
            next
        } else {
            at + haystack[at..].chars().next().map_or(1, char::len_utf8)
        };
    }
    hits
}

/// A match stands on word boundaries wherever its own edge is a word character. An apostrophe
/// followed by a letter continues a word (`can't`, `you're`), so `we can` is not found in
/// `we can't`; an apostrophe used as a quote mark does not.
fn whole_words(text: &str, start: usize, end: usize) -> bool {
    let alnum = |c: char| c.is_alphanumeric() || c == '_';
    let first = text[start..].chars().next();
    let last = text[..end].chars().next_back();
    let before = text[..start].chars().next_back();
    let mut after = text[end..].chars();
    let next = after.next();
    let continues = match next {
        Some('\'') => after.next().is_some_and(alnum),
        Some(c) => alnum(c),
        None => false,
    };
    let left_ok = !(first.is_some_and(alnum) && before.is_some_and(alnum));
    let right_ok = !(last.is_some_and(is_word_char) && continues);
    left_ok && right_ok
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dsl::pattern::case_flag;
    use crate::dsl::{parse_policy, PolicySource};

    /// The built-in policy's regexes are built into the binary: no run compiles them.
    #[test]
    fn the_built_in_regexes_are_read_built_in() {
        let policy = crate::dsl::builtin_policy().unwrap_or_else(|_| panic!("builtin compiles"));
        let matcher = Matcher::new(&policy.phrase_sets).unwrap_or_else(|e| panic!("{e}"));
        assert!(matcher.kept.reads_built_in());
    }

    fn matcher(policy: &str) -> Matcher {
        let source = PolicySource {
            path: "t.policy".into(),
            text: format!("{policy}\nrule r forbid agent says s"),
        };
        let policy = parse_policy(&[source]).unwrap_or_else(|e| panic!("{}", e[0]));
        Matcher::new(&policy.phrase_sets).unwrap_or_else(|e| panic!("{e}"))
    }

    fn found(m: &Matcher, text: &str) -> Vec<String> {
        let scan = m.scan(text, &mut Folded::default());
        let id = m.set_id("s").unwrap_or(0);
        scan.sets[id]
            .iter()
            .map(|h| text[h.start..h.end].to_string())
            .collect()
    }

    #[test]
    fn literals_match_whole_words_across_case_quotes_and_spacing() {
        let m = matcher(r#"phrases s "we can", "you're wrong""#);
        assert_eq!(found(&m, "We  CAN do it"), ["We  CAN"]);
        assert!(found(&m, "we can't do it").is_empty());
        assert!(found(&m, "we cannot").is_empty());
        assert_eq!(
            found(&m, "Sadly YOU\u{2019}RE\twrong."),
            ["YOU\u{2019}RE\twrong"]
        );
        assert_eq!(found(&m, "'you're wrong'"), ["you're wrong"]);
    }

    #[test]
    fn a_star_lets_the_last_word_run_on() {
        let m = matcher(r#"phrases s "apologi*""#);
        assert_eq!(
            found(&m, "We apologise. Apologies!"),
            ["apologise", "Apologies"]
        );
        assert!(found(&m, "unapologetic").is_empty());
    }

    #[test]
    fn regex_alternatives_do_not_stop_inside_a_word() {
        let m = matcher(r"phrases s /credited (you|your account)/");
        assert_eq!(
            found(&m, "I credited your account."),
            ["credited your account"]
        );
        assert_eq!(found(&m, "I credited you."), ["credited you"]);
        let q = matcher(r"phrases s /\?/");
        assert_eq!(found(&q, "Why? Why?"), ["?", "?"]);
    }

    /// A regex that opens on the punctuation before its words finds the words only, so the
    /// phrase belongs to its own sentence; a match of punctuation alone stays as it is.
    #[test]
    fn a_regex_hit_starts_at_its_first_word() {
        let m = matcher(r"phrases s /(^|[.!?] )close (the|your) app/");
        assert_eq!(found(&m, "Hello there. Close the app."), ["Close the app"]);
        assert_eq!(found(&m, "Close your app"), ["Close your app"]);
        let q = matcher(r"phrases s /\?!/");
        assert_eq!(found(&q, "Why?!"), ["?!"]);
    }

    #[test]
    fn a_regex_match_starting_inside_a_word_is_retried_later() {
        let m = matcher(r"phrases s /fund/");
        assert_eq!(found(&m, "refund fund"), ["fund"]);
    }

    #[test]
    fn but_not_removes_overlapping_matches_only() {
        let m = matcher(r#"phrases s "wrong" but not "nothing is wrong""#);
        assert!(found(&m, "Nothing is wrong here.").is_empty());
        assert_eq!(found(&m, "Nothing is wrong, but this is wrong."), ["wrong"]);
    }

    #[test]
    fn the_hit_group_is_what_is_reported() {
        let m = matcher(r"phrases s /\b(i|we)\b[^.]{0,30}(?P<hit>refund\w*)/");
        assert_eq!(found(&m, "I'm sorry, I've refunded you."), ["refunded"]);
    }

    #[test]
    fn overlapping_matches_keep_the_longest() {
        let m = matcher(r#"phrases s "refund", "full refund""#);
        assert_eq!(found(&m, "a full refund"), ["full refund"]);
    }

    #[test]
    fn lower_case_ascii_patterns_drop_the_case_flag_and_others_keep_it() {
        assert_eq!(case_flag(r"\bsorry\b\W\S"), "-i");
        assert_eq!(case_flag("I'm sorry"), "i");
        assert_eq!(case_flag("désolé"), "i");
        assert_eq!(case_flag(r"\p{Lu}x"), "i");
        assert_eq!(case_flag(r"we (?P<hit>refund)"), "-i");
        assert_eq!(case_flag(r"(?P<hit>Refund)"), "i");
        assert_eq!(case_flag(r"[(]?Paid"), "i");
        // Inside a class `(?P<` is letters, the `P` a capital to match.
        assert_eq!(case_flag(r"[(?P<]ay"), "i");
        assert_eq!(case_flag(r"a[^(?P<]"), "i");
        assert_eq!(case_flag(r"[\\(?P<]ay"), "i");
        assert_eq!(case_flag(r"[]a(?P<]x"), "i");
        assert_eq!(case_flag(r"[^]a](?P<hit>x)"), "-i");
        assert_eq!(case_flag(r"[a[b]](?P<hit>x)"), "-i");
        assert_eq!(case_flag(r"\[(?P<hit>x)"), "-i");
        let m = matcher(r"phrases s /[(?P<]ay/");
        assert_eq!(found(&m, "Pay now"), ["Pay"]);
        // An ASCII word boundary sees `é` as no word character: such a regex does not search
        // stand-ins, where `é` would be a `Z`.
        let m = matcher(r"phrases s /sorry (?-u:\b)/");
        assert!(found(&m, "Sorry é").is_empty());
        assert!(!found(&m, "Sorry x").is_empty());
        let m = matcher(r"phrases s /sorry (?-u:\B)/");
        assert!(!found(&m, "Sorry é").is_empty());
        // Upper-case text still matches lower-case patterns: texts are folded first.
        let m = matcher(r"phrases s /we regret/");
        assert_eq!(found(&m, "WE REGRET the delay"), ["WE REGRET"]);
        let m = matcher(r"phrases s /We Regret/");
        assert_eq!(found(&m, "we regret the delay"), ["we regret"]);
    }

    #[test]
    fn non_ascii_text_still_matches() {
        let m = matcher(r"phrases s /\bsorry\b/");
        assert_eq!(found(&m, "Désolé 😀 sorry!"), ["sorry"]);
    }

    #[test]
    fn labels_make_entries_one_phrase_for_counting() {
        let m = matcher(r#"phrases s refund: "refund", refund: "money back", "voucher""#);
        let scan = m.scan("refund or money back or voucher", &mut Folded::default());
        let mut entries: Vec<usize> = scan.sets[0].iter().map(|h| h.entry).collect();
        entries.dedup();
        assert_eq!(scan.sets[0].len(), 3);
        assert_eq!(entries.len(), 2, "refund and money back share a label");
    }
}
