//! Which of a policy's regexes are worth running on a text: one pass of one automaton over the
//! text's bytes for all of them. Each regex is loosened into one that matches wherever the
//! regex does and perhaps elsewhere, and is far cheaper to build and run: no word boundaries,
//! no captures, long counted repetitions (`[^.!?]{0,60}`) opened up (`[^.!?]*`), and Unicode
//! classes read as bytes (their ASCII part, or any run of non-ASCII bytes). The regex itself,
//! run afterwards on the candidates only, decides.

use regex_automata::meta;
use regex_automata::nfa::thompson::WhichCaptures;
use regex_automata::util::syntax;
use regex_automata::{Input, MatchKind, PatternSet};
use regex_syntax::hir::{
    Class, ClassBytes, ClassBytesRange, ClassUnicode, Hir, HirKind, Look, Repetition,
};

use crate::dsl::pattern::case_flag;

/// The most memory one prefilter automaton may take.
const SET_SIZE_LIMIT: usize = 64 << 20;

/// A counted repetition longer than this is opened up: `x{0,60}` costs 60 copies of `x`.
const LONGEST_COUNT: u32 = 4;

/// The prefilter over a policy's regexes.
#[derive(Debug)]
pub(crate) struct Prefilter {
    /// Automata over runs of the regexes, each with the index of its first one.
    sets: Vec<(meta::Regex, usize)>,
    /// Regexes that could not go in any automaton: they run on every text.
    always: Vec<usize>,
}

impl Prefilter {
    /// Builds the prefilter for `patterns` (policy regexes as written; validated).
    pub(crate) fn new(patterns: &[String]) -> Prefilter {
        let loosened: Vec<Option<Hir>> = patterns.iter().map(|p| loosen_pattern(p)).collect();
        let mut always: Vec<usize> = loosened
            .iter()
            .enumerate()
            .filter(|(_, h)| h.is_none())
            .map(|(i, _)| i)
            .collect();
        // Runs of consecutive loosened regexes, split where one could not be loosened.
        let mut runs = Vec::new();
        let mut start = 0;
        for (i, h) in loosened.iter().enumerate() {
            if h.is_none() {
                if start < i {
                    runs.push((start, i));
                }
                start = i + 1;
            }
        }
        if start < loosened.len() {
            runs.push((start, loosened.len()));
        }
        let hirs: Vec<Hir> = loosened
            .into_iter()
            .map(|h| h.unwrap_or(Hir::fail()))
            .collect();
        let mut sets = Vec::new();
        // A run too big for one automaton is halved, then its halves; the work stays linear
        // in the patterns' total size.
        while let Some((start, end)) = runs.pop() {
            let Some(run) = hirs.get(start..end).filter(|r| !r.is_empty()) else {
                continue;
            };
            match build(run) {
                Some(set) => sets.push((set, start)),
                None if run.len() > 1 => {
                    let middle = start + run.len() / 2;
                    runs.push((middle, end));
                    runs.push((start, middle));
                }
                None => always.push(start),
            }
        }
        always.sort_unstable();
        Prefilter { sets, always }
    }

    /// Adds to `out` the index of every regex that may match `haystack`.
    pub(crate) fn candidates(&self, haystack: &str, out: &mut Vec<usize>) {
        out.extend_from_slice(&self.always);
        for (set, first) in &self.sets {
            let mut found = PatternSet::new(set.pattern_len());
            set.which_overlapping_matches(&Input::new(haystack.as_bytes()), &mut found);
            out.extend(found.iter().map(|p| p.as_usize() + first));
        }
    }
}

fn build(run: &[Hir]) -> Option<meta::Regex> {
    meta::Regex::builder()
        .configure(
            meta::Config::new()
                .match_kind(MatchKind::All)
                .which_captures(WhichCaptures::None)
                .utf8_empty(false)
                .nfa_size_limit(Some(SET_SIZE_LIMIT))
                .hybrid_cache_capacity(SET_SIZE_LIMIT),
        )
        .build_many_from_hir(run)
        .ok()
}

/// A policy regex, as the matcher runs it (case flag included), loosened; `None` if it does
/// not parse (validation rules that out).
pub(crate) fn loosen_pattern(pattern: &str) -> Option<Hir> {
    let flags = case_flag(pattern);
    let hir = syntax::parse(&format!("(?{flags}:{pattern})")).ok()?;
    Some(loosen(&hir))
}

/// A pattern that matches wherever `hir` matches, on the text's bytes. Recursion is bounded by
/// the regex parser's nesting limit.
fn loosen(hir: &Hir) -> Hir {
    match hir.kind() {
        HirKind::Empty => Hir::empty(),
        HirKind::Literal(literal) => Hir::literal(literal.0.clone()),
        HirKind::Class(Class::Bytes(class)) => Hir::class(Class::Bytes(class.clone())),
        HirKind::Class(Class::Unicode(class)) => unicode_class_as_bytes(class),
        HirKind::Look(look) => match look {
            Look::Start
            | Look::End
            | Look::StartLF
            | Look::EndLF
            | Look::StartCRLF
            | Look::EndCRLF => Hir::look(*look),
            // Word boundaries, ASCII or Unicode: gone, so nothing is missed at either kind.
            _ => Hir::empty(),
        },
        HirKind::Repetition(rep) => {
            let long = rep.max.is_none_or(|max| max > LONGEST_COUNT);
            let (min, max) = if long {
                (rep.min.min(LONGEST_COUNT), None)
            } else {
                (rep.min, rep.max)
            };
            Hir::repetition(Repetition {
                min,
                max,
                greedy: true,
                sub: Box::new(loosen(&rep.sub)),
            })
        }
        HirKind::Capture(capture) => loosen(&capture.sub),
        HirKind::Concat(parts) => Hir::concat(parts.iter().map(loosen).collect()),
        HirKind::Alternation(parts) => Hir::alternation(parts.iter().map(loosen).collect()),
    }
}

/// A Unicode class as bytes: its ASCII part as a byte class, and any run of non-ASCII bytes
/// for the rest (a UTF-8 encoded non-ASCII character is one to four bytes of 0x80 and above).
fn unicode_class_as_bytes(class: &ClassUnicode) -> Hir {
    let mut ascii = Vec::new();
    let mut beyond_ascii = false;
    for range in class.ranges() {
        let (start, end) = (u32::from(range.start()), u32::from(range.end()));
        if start <= 0x7F {
            if let (Ok(s), Ok(e)) = (u8::try_from(start), u8::try_from(end.min(0x7F))) {
                ascii.push(ClassBytesRange::new(s, e));
            }
        }
        beyond_ascii |= end > 0x7F;
    }
    let mut alternatives = Vec::new();
    if !ascii.is_empty() {
        alternatives.push(Hir::class(Class::Bytes(ClassBytes::new(ascii))));
    }
    if beyond_ascii {
        alternatives.push(Hir::repetition(Repetition {
            min: 1,
            max: None,
            greedy: true,
            sub: Box::new(Hir::class(Class::Bytes(ClassBytes::new([
                ClassBytesRange::new(0x80, 0xFF),
            ])))),
        }));
    }
    if alternatives.is_empty() {
        Hir::fail()
    } else {
        Hir::alternation(alternatives)
    }
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

    #[test]
    fn long_counts_and_unicode_classes_are_loosened() {
        let hir = loosen_pattern(r"a[^.!?]{0,60}b\w").unwrap_or_else(Hir::fail);
        let shown = hir.to_string();
        assert!(!shown.contains("60"), "{shown}");
        assert!(
            hir.properties().is_utf8() || shown.contains("\\x80"),
            "{shown}"
        );
    }
}
