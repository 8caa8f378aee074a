//! Texts that are ASCII but for a few symbols ("£40", "€", "—", an emoji), searched by the
//! ASCII forms of the policy's regexes.
//!
//! A policy regex has two compiled forms: one for ASCII texts (small, kept between runs,
//! searched by lazy DFAs throughout) and one for any text (Unicode classes and word boundaries:
//! compiled anew in each run the first time a text needs it, and its lazy DFAs give up at the
//! first byte outside ASCII). In support text most characters outside ASCII are symbols: neither
//! letters, digits, word characters nor white space. Such a symbol is not a word character to a
//! word boundary, and a regex whose every class holds either all symbols and the NUL character
//! (`.`, `[^.?!]`, `\W`) or none of them (`[a-z]`, `\s`) cannot tell one symbol from another,
//! nor from NUL. That regex matches a text exactly where it matches the *stand-in*: the same text
//! with each symbol replaced by one NUL byte. The stand-in is ASCII, so the regex's ASCII form
//! searches it, and its matches are mapped back.

use std::sync::LazyLock;

use regex_syntax::hir::{Class, ClassUnicode, Hir, HirKind};

/// The symbols: every character outside ASCII that is not a word character (`\w`), white
/// space, alphabetic or numeric, as the regex engine's tables have them.
static SYMBOLS: LazyLock<ClassUnicode> = LazyLock::new(|| {
    let others = r"[\x00-\x7F\w\s\p{Alphabetic}\p{N}]";
    match regex_syntax::parse(others).map(|hir| hir.into_kind()) {
        Ok(HirKind::Class(Class::Unicode(mut class))) => {
            class.negate();
            class
        }
        // The class is fixed and parses; should it not, nothing counts as a symbol.
        _ => ClassUnicode::empty(),
    }
});

/// Whether `c` is a symbol: in [`SYMBOLS`], and neither alphanumeric nor white space to the
/// standard library either (the matcher's word tests use it; its Unicode tables may be of
/// another version).
fn is_symbol(c: char) -> bool {
    !c.is_ascii()
        && !c.is_alphanumeric()
        && !c.is_whitespace()
        && SYMBOLS
            .ranges()
            .binary_search_by(|range| {
                if range.end() < c {
                    std::cmp::Ordering::Less
                } else if range.start() > c {
                    std::cmp::Ordering::Greater
                } else {
                    std::cmp::Ordering::Equal
                }
            })
            .is_ok()
}

/// A text with each symbol replaced by a NUL byte, and the way back.
#[derive(Debug)]
pub(crate) struct StandIn {
    text: String,
    /// `origin[i]` is the byte offset in the text of the stand-in's byte `i`; one more entry
    /// for the end.
    origin: Vec<usize>,
}

impl StandIn {
    /// The stand-in of `text`; `None` if it has a character outside ASCII that is not a symbol
    /// (a letter such as `é`, a digit of another script).
    pub(crate) fn of(text: &str) -> Option<StandIn> {
        let mut stand_in = StandIn {
            text: String::with_capacity(text.len()),
            origin: Vec::with_capacity(text.len() + 1),
        };
        for (at, c) in text.char_indices() {
            if c.is_ascii() {
                stand_in.text.push(c);
            } else if is_symbol(c) {
                stand_in.text.push('\0');
            } else {
                return None;
            }
            stand_in.origin.push(at);
        }
        stand_in.origin.push(text.len());
        Some(stand_in)
    }

    pub(crate) fn as_str(&self) -> &str {
        &self.text
    }

    /// The offset in the text of the stand-in's offset `at` (a character boundary of both).
    pub(crate) fn original(&self, at: usize) -> usize {
        self.origin.get(at).copied().unwrap_or(at)
    }
}

/// Whether a regex's syntax tree (as compiled for any text: Unicode, case folded) treats every
/// symbol as it treats NUL, so that it matches a text where it matches its [`StandIn`]: each
/// class holds all symbols and NUL or none of them, and no literal holds NUL or a byte outside
/// ASCII. Word boundaries and line anchors see a symbol and NUL alike (neither a word character
/// nor a line break). Recursion is bounded by the parser's nesting limit.
pub(crate) fn treats_symbols_alike(hir: &Hir) -> bool {
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => true,
        HirKind::Literal(literal) => literal.0.iter().all(|&b| b.is_ascii() && b != 0),
        HirKind::Class(Class::Unicode(class)) => {
            let holds_nul = class.ranges().first().is_some_and(|r| r.start() == '\0');
            let mut symbols = SYMBOLS.clone();
            if holds_nul {
                symbols.difference(class);
            } else {
                symbols.intersect(class);
            }
            symbols.ranges().is_empty()
        }
        HirKind::Class(Class::Bytes(_)) => false,
        HirKind::Repetition(rep) => treats_symbols_alike(&rep.sub),
        HirKind::Capture(capture) => treats_symbols_alike(&capture.sub),
        HirKind::Concat(parts) | HirKind::Alternation(parts) => {
            parts.iter().all(treats_symbols_alike)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn alike(pattern: &str) -> bool {
        treats_symbols_alike(&regex_syntax::parse(pattern).unwrap())
    }

    #[test]
    fn symbols_are_what_no_word_test_counts() {
        for c in ['£', '€', '—', '–', '•', '😭', '🙏', '©', '→'] {
            assert!(is_symbol(c), "{c}");
        }
        for c in [
            'é', 'ß', 'ก', '中', '٣', '²', '\u{a0}', '\u{301}', 'a', '\0', '_',
        ] {
            assert!(!is_symbol(c), "{c:?}");
        }
    }

    #[test]
    fn the_stand_in_maps_back_to_the_text() {
        let text = "refund £40 — now 😭!";
        let stand_in = StandIn::of(text).unwrap();
        assert_eq!(stand_in.as_str(), "refund \u{0}40 \u{0} now \u{0}!");
        let at = stand_in.as_str().find("now").unwrap();
        assert_eq!(&text[stand_in.original(at)..], "now 😭!");
        assert_eq!(stand_in.original(stand_in.as_str().len()), text.len());
        assert!(StandIn::of("café £4").is_none());
    }

    #[test]
    fn regexes_that_treat_symbols_alike() {
        for pattern in [
            r"refund(s)? ([^.?!]|\.[a-z0-9])* now",
            r"(?i)you('re| are) wrong\b",
            r"a.b\W+c\s*d\S",
            r"[^a-z]",
            r"^it$",
        ] {
            assert!(alike(pattern), "{pattern}");
        }
        for pattern in [
            r"\p{P}",
            r"[£$]\d+",
            "é",
            r"\x00",
            r"[\x00-\x1f]",
            r"[^\x00]",
        ] {
            assert!(!alike(pattern), "{pattern}");
        }
    }
}

#[cfg(test)]
mod pool {
    use super::*;

    type Spans = Vec<Vec<Option<(usize, usize)>>>;

    /// On every text of `eval/pool` that has a stand-in, each built-in regex that treats symbols
    /// alike finds, in its ASCII form as the cache keeps it searching the stand-in, the matches
    /// and groups the full regex finds in the text.
    #[test]
    fn the_ascii_forms_find_in_stand_ins_what_the_regexes_find_in_texts() {
        let texts: Vec<(String, StandIn)> = crate::text::pool_texts()
            .into_iter()
            .filter(|t| !t.is_ascii())
            .filter_map(|t| StandIn::of(&t).map(|s| (t, s)))
            .collect();
        assert!(texts.len() > 300, "{} texts with stand-ins", texts.len());
        let (mut alike, mut compared) = (0, 0);
        let patterns = crate::dsl::pattern::builtin_regexes();
        for pattern in &patterns {
            let hir = crate::dsl::pattern::parse(pattern).unwrap_or_else(|e| panic!("{e}"));
            if !treats_symbols_alike(&hir) {
                continue;
            }
            alike += 1;
            let full = crate::dsl::pattern::compile(pattern).unwrap_or_else(|e| panic!("{e}"));
            let kept =
                crate::automata::Regex::compile(&super::super::matcher::POLICY_ASCII, pattern)
                    .unwrap_or_else(|| panic!("{pattern}"));
            for (text, stand_in) in &texts {
                let expected: Spans = full
                    .captures_iter(text)
                    .map(|c| c.iter().map(|m| m.map(|m| (m.start(), m.end()))).collect())
                    .collect();
                compared += expected.len();
                let got: Spans = kept
                    .captures_spans(stand_in.as_str())
                    .into_iter()
                    .map(|groups| {
                        groups
                            .into_iter()
                            .map(|g| g.map(|(s, e)| (stand_in.original(s), stand_in.original(e))))
                            .collect()
                    })
                    .collect();
                assert_eq!(got, expected, "/{pattern}/ on {text:?}");
            }
        }
        assert!(
            alike * 10 > patterns.len() * 9,
            "{alike} of {}",
            patterns.len()
        );
        assert!(compared > 100, "{compared} matches compared");
    }
}
