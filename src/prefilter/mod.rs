//! Which of a policy's regexes are worth running on a text: one Aho-Corasick pass over the
//! text finds which of the regexes' required literals (`literals.rs`) it holds, and a regex is
//! a candidate when the text holds a literal of each of its required sets. Regexes without a
//! small literal set run on every text. The regex itself, run afterwards on the candidates
//! only, decides.
//!
//! The matcher uses it for the policy's regexes, the message analysis for its gated cues. It
//! replaced one overlapping lazy DFA over all the regexes: its states were built while
//! scanning, per thread, and building them was most of the work on short real texts.

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind};
use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::OnceLock;

use regex_syntax::hir::Hir;

pub(crate) mod cache;
mod literals;

/// Texts scanned with the first automaton before the DFA is built (see [`Prefilter::dfa`]):
/// building it over the built-in policy's 2,101 literals cost more than it saved on inputs of
/// a few megabytes (with 200, 1,000 macros took 7% more instructions), so only long inputs
/// build it.
const DFA_AFTER: usize = 20000;

/// The prefilter over a policy's regexes.
#[derive(Debug)]
pub(crate) struct Prefilter {
    /// Every regex's required literals (in lower case), matched as they are, overlapping (a
    /// literal inside another's match is still found); the automaton the builder picks, quick
    /// to build.
    automaton: Option<AhoCorasick>,
    /// The literals again, for [`Self::dfa`].
    literals: Vec<Vec<u8>>,
    /// The same automaton as a DFA, built once [`DFA_AFTER`] texts have been scanned: about
    /// twice as fast per text, but building it would be an eighth of a short run's start-up.
    dfa: OnceLock<Option<AhoCorasick>>,
    /// Texts scanned so far (by all threads).
    scanned: AtomicUsize,
    /// For each literal of the automaton, the regexes that need it, with the bit of the set
    /// it is in.
    needed_by: Vec<Vec<(usize, u8)>>,
    /// For each regex, the bits of all its sets; 0 if it has none and runs on every text.
    all_sets: Vec<u8>,
}

impl Prefilter {
    /// Builds the prefilter for regexes given as source, `parse` giving each one's syntax tree
    /// (`None`: the regex runs always); `kind` names the parsing, for the cache. The literal
    /// sets come from the cache when it is on and holds them; else they are found and kept.
    pub(crate) fn for_regexes<E>(
        kind: &str,
        sources: &[&str],
        parse: impl Fn(&str) -> Result<Option<Hir>, E>,
    ) -> Result<Prefilter, E> {
        let entry = cache::entry(kind, sources);
        if let Some(entry) = &entry {
            if let Some(sets) = cache::load(entry, sources.len()) {
                return Ok(Prefilter::from_sets(sets));
            }
        }
        let mut sets = Vec::with_capacity(sources.len());
        for source in sources {
            sets.push(
                parse(source)?
                    .as_ref()
                    .map(literals::required)
                    .unwrap_or_default(),
            );
        }
        if let Some(entry) = &entry {
            cache::store(entry, &sets);
        }
        Ok(Prefilter::from_sets(sets))
    }

    /// Builds the prefilter for regexes given as syntax trees; `None` runs always.
    #[cfg(test)]
    pub(crate) fn from_hirs(hirs: &[Option<Hir>]) -> Prefilter {
        let sets = hirs.iter().map(|hir| hir.as_ref().map(literals::required));
        Prefilter::from_sets(sets.map(Option::unwrap_or_default).collect())
    }

    /// Builds the prefilter from each regex's required literal sets (none: it runs always).
    fn from_sets(regex_sets: Vec<Vec<literals::Required>>) -> Prefilter {
        let mut ids: HashMap<Vec<u8>, usize> = HashMap::new();
        let mut texts: Vec<Vec<u8>> = Vec::new();
        let mut needed_by: Vec<Vec<(usize, u8)>> = Vec::new();
        let mut all_sets = Vec::with_capacity(regex_sets.len());
        for (regex, sets) in regex_sets.into_iter().enumerate() {
            let mut all = 0u8;
            for (set, bit) in sets
                .into_iter()
                .zip((0..literals::MAX_SETS).map(|k| 1u8 << k))
            {
                all |= bit;
                for literal in set {
                    let id = *ids.entry(literal).or_insert_with_key(|literal| {
                        texts.push(literal.clone());
                        needed_by.push(Vec::new());
                        texts.len() - 1
                    });
                    if let Some(regexes) = needed_by.get_mut(id) {
                        regexes.push((regex, bit));
                    }
                }
            }
            all_sets.push(all);
        }
        let automaton = if texts.is_empty() {
            None
        } else {
            match automaton(&texts, None) {
                Some(automaton) => Some(automaton),
                // Cannot happen within the literal caps; should it, every regex runs.
                None => {
                    all_sets.fill(0);
                    None
                }
            }
        };
        Prefilter {
            automaton,
            literals: texts,
            dfa: OnceLock::new(),
            scanned: AtomicUsize::new(0),
            needed_by,
            all_sets,
        }
    }

    /// Adds to `out` the index of every regex that may match `haystack`, in order. The
    /// haystack is text folded for matching (`text::Folded`), which has no ASCII capitals: the
    /// literals are lower case and matched case-sensitively (building the automaton
    /// ASCII-case-insensitively took a twentieth of a short run's start-up).
    pub(crate) fn candidates(&self, haystack: &[u8], out: &mut Vec<usize>) {
        debug_assert!(
            !haystack.iter().any(u8::is_ascii_uppercase),
            "the prefilter's haystack must be folded"
        );
        let mut met = vec![0u8; self.all_sets.len()];
        let mut automaton = self.automaton.as_ref();
        if automaton.is_some() && self.scanned.fetch_add(1, Ordering::Relaxed) >= DFA_AFTER {
            let dfa = self
                .dfa
                .get_or_init(|| self::automaton(&self.literals, Some(AhoCorasickKind::DFA)));
            automaton = dfa.as_ref().or(automaton);
        }
        if let Some(automaton) = automaton {
            let mut seen = vec![false; self.needed_by.len()];
            for found in automaton.find_overlapping_iter(haystack) {
                let id = found.pattern().as_usize();
                if let Some(first) = seen.get_mut(id).filter(|s| !**s) {
                    *first = true;
                    for &(regex, bit) in self.needed_by.get(id).into_iter().flatten() {
                        if let Some(m) = met.get_mut(regex) {
                            *m |= bit;
                        }
                    }
                }
            }
        }
        out.extend(
            self.all_sets
                .iter()
                .zip(&met)
                .enumerate()
                .filter(|(_, (all, met))| *all == *met)
                .map(|(regex, _)| regex),
        );
    }
}

/// The automaton over `literals`, of `kind` (`None`: the builder picks).
fn automaton(literals: &[Vec<u8>], kind: Option<AhoCorasickKind>) -> Option<AhoCorasick> {
    AhoCorasickBuilder::new()
        .match_kind(MatchKind::Standard)
        .kind(kind)
        .build(literals)
        .ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The prefilter of policy regexes, as the matcher builds it.
    fn prefilter_of(patterns: &[String]) -> Prefilter {
        let hirs: Vec<_> = patterns
            .iter()
            .map(|p| crate::dsl::pattern::parse(p).ok())
            .collect();
        Prefilter::from_hirs(&hirs)
    }

    /// Every text a regex finds, its prefilter finds too.
    #[test]
    fn the_prefilter_finds_everything_the_regex_finds() {
        let cases = [
            (
                r"\bsorry\b[^.!?]{0,60}\bbut\b",
                "sorry — the café was shut, but we tried",
            ),
            (r"\byou (must|should) have \w+ed\b", "you must have entéred"),
            (r"\bétait\b", "il était là"),
            (r"(?P<hit>refund)s?", "REFUNDS"),
            (r"\w{2,20}@\w+", "josé@exämple"),
            (r"[^a-z]{3}", "ééé"),
            (r"^only at the start", "only at the start and more"),
        ];
        for (pattern, text) in cases {
            let folded = text.to_lowercase();
            let regex = crate::dsl::pattern::compile(pattern).unwrap_or_else(|e| panic!("{e}"));
            let prefilter = prefilter_of(&[pattern.to_string()]);
            let mut found = Vec::new();
            prefilter.candidates(folded.as_bytes(), &mut found);
            assert!(regex.is_match(&folded), "{pattern} should match {folded:?}");
            assert_eq!(found, [0], "{pattern} on {folded:?}");
        }
    }

    #[test]
    fn texts_without_the_words_are_left_out() {
        let prefilter = prefilter_of(&[r"\bsorry\b[^.!?]{0,60}\bbut\b".into(), "refund".into()]);
        let mut found = Vec::new();
        prefilter.candidates(b"we can send a replacement today.", &mut found);
        assert!(found.is_empty(), "{found:?}");
        prefilter.candidates(b"a refund is on its way", &mut found);
        assert_eq!(found, [1]);
    }

    /// The built-in policy's regexes, as the matcher gets them.
    fn builtin_regexes() -> Vec<String> {
        crate::dsl::pattern::builtin_regexes()
    }

    /// Over all the built-in policy's regexes and every real text of the repository: no regex
    /// matches a text its prefilter leaves out. (And the prefilter does leave texts out.)
    #[test]
    fn no_builtin_regex_match_is_left_out_on_real_text() {
        let patterns = builtin_regexes();
        let prefilter = prefilter_of(&patterns);
        let always = prefilter.all_sets.iter().filter(|&&s| s == 0).count();
        assert!(
            always * 10 < patterns.len(),
            "{always} of {} regexes have no literals",
            patterns.len()
        );
        let regexes: Vec<_> = patterns
            .iter()
            .map(|p| crate::dsl::pattern::compile(p).unwrap_or_else(|e| panic!("{p}: {e}")))
            .collect();
        let texts = crate::text::pool_texts();
        assert!(texts.len() > 4000, "{} texts", texts.len());
        let (mut matched, mut left_out) = (0, 0);
        let mut candidates = Vec::new();
        for text in &texts {
            candidates.clear();
            prefilter.candidates(text.as_bytes(), &mut candidates);
            for (i, regex) in regexes.iter().enumerate() {
                let candidate = candidates.binary_search(&i).is_ok();
                if regex.is_match(text) {
                    matched += 1;
                    assert!(candidate, "/{}/ matches {text:?}", patterns[i]);
                } else if !candidate {
                    left_out += 1;
                }
            }
        }
        assert!(matched > 1000, "{matched} matches");
        assert!(
            left_out > texts.len() * patterns.len() / 2,
            "{left_out} left out"
        );
    }

    /// Every built-in regex, compiled as the cache keeps it, asks a search for far fewer
    /// capture slots than a cache file may (a file beyond the budget is refused).
    #[test]
    fn every_kept_regex_is_within_the_slot_budget() {
        for pattern in builtin_regexes() {
            let (slots, budget) =
                crate::automata::slots_of(&crate::engine::matcher::POLICY_ASCII, &pattern)
                    .unwrap_or_else(|| panic!("{pattern}"));
            assert!(slots * 4 < budget, "/{pattern}/: {slots} slots");
        }
    }

    /// On every text of `eval/pool`, each built-in regex as the matcher runs it (the regex
    /// engine's own type, and on ASCII texts the ASCII form, compiled as the cache keeps it)
    /// finds the same matches and groups as the regex `dsl::pattern::compile` gives
    /// (validation's).
    #[test]
    fn the_matchers_regexes_match_as_the_regexes_do() {
        use crate::dsl::pattern::{compile, compile_ascii, compile_meta};
        type Spans = Vec<Vec<Option<(usize, usize)>>>;
        let texts = crate::text::pool_texts();
        let ascii_texts = texts.iter().filter(|t| t.is_ascii()).count();
        assert!(ascii_texts > 2000, "{ascii_texts} ASCII texts");
        let meta_spans = |regex: &regex_automata::meta::Regex, text: &str| -> Spans {
            regex
                .captures_iter(text)
                .map(|c| c.iter().map(|m| m.map(|m| (m.start, m.end))).collect())
                .collect()
        };
        let mut compared = 0;
        for pattern in builtin_regexes() {
            let full = compile(&pattern).unwrap_or_else(|e| panic!("{pattern}: {e}"));
            let meta = compile_meta(&pattern).unwrap_or_else(|e| panic!("{pattern}: {e}"));
            let ascii = compile_ascii(&pattern).unwrap_or_else(|e| panic!("{pattern}: {e}"));
            let kept =
                crate::automata::Regex::compile(&crate::engine::matcher::POLICY_ASCII, &pattern)
                    .unwrap_or_else(|| panic!("{pattern}"));
            for text in &texts {
                let expected: Spans = full
                    .captures_iter(text)
                    .map(|c| c.iter().map(|m| m.map(|m| (m.start(), m.end()))).collect())
                    .collect();
                compared += expected.len();
                assert_eq!(meta_spans(&meta, text), expected, "/{pattern}/ on {text:?}");
                if text.is_ascii() {
                    assert_eq!(
                        meta_spans(&ascii, text),
                        expected,
                        "/{pattern}/ on {text:?}"
                    );
                    assert_eq!(
                        kept.captures_spans(text),
                        expected,
                        "/{pattern}/ on {text:?}"
                    );
                }
            }
        }
        assert!(compared > 1000, "{compared} matches compared");
    }
}
