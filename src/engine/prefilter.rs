//! Which of a policy's regexes are worth running on a text: one Aho-Corasick pass over the
//! text finds which of the regexes' required literals (`literals.rs`) it holds, and a regex is
//! a candidate when one of its literals is there. Regexes without a small literal set run on
//! every text. The regex itself, run afterwards on the candidates only, decides.
//!
//! This replaced one overlapping lazy DFA over all the regexes: its states were built while
//! scanning, per thread, and building them was most of the work on short real texts.

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use regex_automata::util::syntax;

use super::literals;
use crate::dsl::pattern::case_flag;

/// The prefilter over a policy's regexes.
#[derive(Debug)]
pub(crate) struct Prefilter {
    /// Every regex's required literals, matched ASCII-case-insensitively, overlapping (a
    /// literal inside another's match is still found).
    automaton: Option<AhoCorasick>,
    /// For each literal of the automaton, the regexes that need it.
    needed_by: Vec<Vec<usize>>,
    /// Regexes without required literals: they run on every text.
    always: Vec<usize>,
}

impl Prefilter {
    /// Builds the prefilter for `patterns` (policy regexes as written; validated).
    pub(crate) fn new(patterns: &[String]) -> Prefilter {
        let mut ids: std::collections::HashMap<Vec<u8>, usize> = Default::default();
        let mut texts: Vec<Vec<u8>> = Vec::new();
        let mut needed_by: Vec<Vec<usize>> = Vec::new();
        let mut always = Vec::new();
        for (regex, pattern) in patterns.iter().enumerate() {
            let Some(set) = pattern_literals(pattern) else {
                always.push(regex);
                continue;
            };
            for literal in set {
                let id = *ids.entry(literal).or_insert_with_key(|literal| {
                    texts.push(literal.clone());
                    needed_by.push(Vec::new());
                    texts.len() - 1
                });
                if let Some(regexes) = needed_by.get_mut(id) {
                    regexes.push(regex);
                }
            }
        }
        let automaton = if texts.is_empty() {
            None
        } else {
            let built = AhoCorasickBuilder::new()
                .match_kind(MatchKind::Standard)
                .ascii_case_insensitive(true)
                .build(&texts);
            match built {
                Ok(automaton) => Some(automaton),
                // Cannot happen within the literal caps; should it, every regex runs.
                Err(_) => {
                    always = (0..patterns.len()).collect();
                    needed_by.clear();
                    None
                }
            }
        };
        Prefilter {
            automaton,
            needed_by,
            always,
        }
    }

    /// Adds to `out` the index of every regex that may match `haystack`, in order, once each.
    pub(crate) fn candidates(&self, haystack: &str, out: &mut Vec<usize>) {
        let start = out.len();
        out.extend_from_slice(&self.always);
        if let Some(automaton) = &self.automaton {
            let mut seen = vec![false; self.needed_by.len()];
            for found in automaton.find_overlapping_iter(haystack) {
                let id = found.pattern().as_usize();
                if let Some(first) = seen.get_mut(id).filter(|s| !**s) {
                    *first = true;
                    out.extend(self.needed_by.get(id).into_iter().flatten());
                }
            }
        }
        if let Some(added) = out.get_mut(start..) {
            added.sort_unstable();
        }
        out.dedup();
    }
}

/// The required literals of a policy regex as the matcher runs it (case flag included);
/// `None` if it has none, or does not parse (validation rules that out).
fn pattern_literals(pattern: &str) -> Option<literals::Required> {
    let flags = case_flag(pattern);
    let hir = syntax::parse(&format!("(?{flags}:{pattern})")).ok()?;
    literals::required(&hir)
}

#[cfg(test)]
mod tests {
    use super::*;

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
            let prefilter = Prefilter::new(&[pattern.to_string()]);
            let mut found = Vec::new();
            prefilter.candidates(&folded, &mut found);
            assert!(regex.is_match(&folded), "{pattern} should match {folded:?}");
            assert_eq!(found, [0], "{pattern} on {folded:?}");
        }
    }

    #[test]
    fn texts_without_the_words_are_left_out() {
        let prefilter = Prefilter::new(&[r"\bsorry\b[^.!?]{0,60}\bbut\b".into(), "refund".into()]);
        let mut found = Vec::new();
        prefilter.candidates("we can send a replacement today.", &mut found);
        assert!(found.is_empty(), "{found:?}");
        prefilter.candidates("a refund is on its way", &mut found);
        assert_eq!(found, [1]);
    }

    /// The built-in policy's regexes, as the matcher gets them.
    fn builtin_regexes() -> Vec<String> {
        let policy = crate::dsl::parse_policy(&crate::dsl::builtin_sources())
            .unwrap_or_else(|e| panic!("{}", e[0]));
        let mut patterns: Vec<String> = Vec::new();
        for set in &policy.phrase_sets {
            for entry in set.entries.iter().chain(&set.exceptions) {
                if let crate::dsl::ast::PhraseEntry::Regex { pattern, .. } = entry {
                    if !patterns.contains(pattern) {
                        patterns.push(pattern.clone());
                    }
                }
            }
        }
        patterns
    }

    /// Every text of the repository's real conversations and macros (`eval/pool`), folded as
    /// the matcher folds them.
    fn pool_texts() -> Vec<String> {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("eval/pool");
        let mut files: Vec<_> = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "jsonl"))
            .collect();
        files.sort();
        let mut texts = Vec::new();
        for file in files {
            let content = std::fs::read_to_string(&file).unwrap_or_default();
            for line in content.lines() {
                let value: serde_json::Value = serde_json::from_str(line).unwrap_or_default();
                let events = value.get("events").and_then(|e| e.as_array());
                for event in events.into_iter().flatten() {
                    if let Some(text) = event.get("text").and_then(|t| t.as_str()) {
                        texts.push(crate::text::Folded::new(text).as_str().to_string());
                    }
                }
            }
        }
        texts
    }

    /// Over all the built-in policy's regexes and every real text of the repository: no regex
    /// matches a text its prefilter leaves out. (And the prefilter does leave texts out.)
    #[test]
    fn no_builtin_regex_match_is_left_out_on_real_text() {
        let patterns = builtin_regexes();
        let prefilter = Prefilter::new(&patterns);
        assert!(
            prefilter.always.len() * 10 < patterns.len(),
            "{} of {} regexes have no literals",
            prefilter.always.len(),
            patterns.len()
        );
        let regexes: Vec<_> = patterns
            .iter()
            .map(|p| crate::dsl::pattern::compile(p).unwrap_or_else(|e| panic!("{p}: {e}")))
            .collect();
        let texts = pool_texts();
        assert!(texts.len() > 4000, "{} texts", texts.len());
        let (mut matched, mut left_out) = (0, 0);
        let mut candidates = Vec::new();
        for text in &texts {
            candidates.clear();
            prefilter.candidates(text, &mut candidates);
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
}
