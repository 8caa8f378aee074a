//! Texts with characters outside ASCII ("£40", "—", an emoji, "José", "ありがとう"), searched by
//! the ASCII forms of the policy's regexes.
//!
//! A policy regex has two compiled forms: one for ASCII texts (small, kept between runs,
//! searched by lazy DFAs throughout) and one for any text (Unicode classes and word boundaries:
//! compiled anew in each run the first time a text needs it, and its lazy DFAs give up at the
//! first byte outside ASCII). Most regexes cannot tell apart two characters outside ASCII of the
//! same kind, nor such a character from one ASCII character that stands in for its kind:
//! - a *symbol* (neither a letter, a digit, a word character nor white space: `£`, `—`, emoji)
//!   from NUL: both are non-word characters, and `.`, `[^.?!]`, `\W` hold all of them while
//!   `[a-z]`, `\s` hold none;
//! - a *letter* (alphabetic, so a word character: `é`, `ß`, `あ`) from `Z`: both are word
//!   characters, `\w`, `[^a-z]`, `.` hold all of them and `[a-z0-9_]`, `\W` none (texts are folded
//!   to lower case, so a regex without a capital letter is case-sensitive and `[a-z]` does not
//!   hold `Z`).
//!
//! Such a regex matches a text exactly where it matches the text's *stand-in*: the same text with
//! each symbol replaced by one NUL byte and each letter by one `Z`. The stand-in is ASCII, so
//! the regex's ASCII form searches it, and its matches are mapped back. Whether a regex cannot
//! tell them apart is read off its syntax tree: every class holds the stand-in and all of its
//! kind, or none of them.

use std::sync::LazyLock;

use regex_syntax::hir::{Class, ClassUnicode, Hir, HirKind, Look};

/// A kind of character outside ASCII, and the ASCII character that stands in for it.
struct Kind {
    /// The kind's characters, as the regex engine's tables have them.
    chars: LazyLock<ClassUnicode>,
    stand_in: char,
}

/// The class of the characters outside ASCII that `pattern` (a class) holds.
fn non_ascii(pattern: &str) -> ClassUnicode {
    match regex_syntax::parse(pattern).map(|hir| hir.into_kind()) {
        Ok(HirKind::Class(Class::Unicode(mut class))) => {
            class.difference(&ClassUnicode::new([
                regex_syntax::hir::ClassUnicodeRange::new('\0', '\x7F'),
            ]));
            class
        }
        // The classes are fixed and parse; should one not, no character is of its kind.
        _ => ClassUnicode::empty(),
    }
}

/// Symbols: not word characters (`\w`), white space, alphabetic or numeric.
static SYMBOLS: Kind = Kind {
    chars: LazyLock::new(|| non_ascii(r"[^\w\s\p{Alphabetic}\p{N}]")),
    stand_in: '\0',
};

/// Letters: alphabetic (all of them word characters).
static LETTERS: Kind = Kind {
    chars: LazyLock::new(|| non_ascii(r"[\p{Alphabetic}&&\w]")),
    stand_in: 'Z',
};

impl Kind {
    fn holds(&self, c: char) -> bool {
        self.chars
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

    /// Whether `class` holds the stand-in and every character of the kind, or none of them.
    fn alike_in(&self, class: &ClassUnicode) -> bool {
        let ranges = class.ranges();
        let holds_stand_in = ranges
            .iter()
            .any(|r| r.start() <= self.stand_in && self.stand_in <= r.end());
        // Most classes are of ASCII characters (`[a-z]`) or hold everything outside ASCII
        // (`[^.?!]`): no need to compare the kind's thousands of ranges.
        match ranges.last() {
            Some(last) if last.end() <= '\x7F' => return !holds_stand_in,
            Some(last) if last.start() <= '\u{80}' && last.end() == char::MAX => {
                return holds_stand_in
            }
            _ => {}
        }
        let mut chars = self.chars.clone();
        if holds_stand_in {
            chars.difference(class);
        } else {
            chars.intersect(class);
        }
        chars.ranges().is_empty()
    }
}

/// The kind of `c`, a character outside ASCII, if it has one. The matcher's own word tests
/// use the standard library's tables, which may be of another Unicode version: a character
/// both do not agree on has no kind.
fn kind_of(c: char) -> Option<&'static Kind> {
    if c.is_whitespace() {
        None
    } else if c.is_alphabetic() {
        LETTERS.holds(c).then_some(&LETTERS)
    } else if c.is_alphanumeric() {
        None
    } else {
        SYMBOLS.holds(c).then_some(&SYMBOLS)
    }
}

/// A text with each character outside ASCII replaced by the one that stands in for its kind,
/// and the way back.
#[derive(Debug)]
pub(crate) struct StandIn {
    text: String,
    /// `origin[i]` is the byte offset in the text of the stand-in's byte `i`; one more entry
    /// for the end.
    origin: Vec<usize>,
}

impl StandIn {
    /// The stand-in of `text`; `None` if it has a character outside ASCII of no kind (a
    /// digit of another script, a combining mark on its own).
    pub(crate) fn of(text: &str) -> Option<StandIn> {
        let mut stand_in = StandIn {
            text: String::with_capacity(text.len()),
            origin: Vec::with_capacity(text.len() + 1),
        };
        for (at, c) in text.char_indices() {
            if c.is_ascii() {
                stand_in.text.push(c);
            } else {
                stand_in.text.push(kind_of(c)?.stand_in);
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

/// Bumped whenever the layout of [`kept`]'s cache entry changes.
const FORMAT: &[u8] = b"tact stand-ins 1\n";

/// Per policy regex of `sources`, whether it takes stand-ins ([`takes_stand_ins`]), kept in
/// the cache: deciding means parsing each regex in its Unicode form, a tenth of a short run
/// outside ASCII. Built in for the built-in policy; for another, read from the user's cache
/// folder, or all decided (on the thread pool, unless called from it) and kept there. `None`
/// with the cache off: each regex is then decided the first time a text needs it.
pub(super) fn kept(sources: &[&str]) -> Option<Vec<bool>> {
    let entry = crate::cache::entry("stand-ins", FORMAT, "policy regexes", sources)?;
    if let Some(body) = entry.load(sources.len()) {
        if body.len() == sources.len() && body.iter().all(|&b| b <= 1) {
            return Some(body.iter().map(|&b| b == 1).collect());
        }
    }
    let decided: Vec<bool> = if rayon::current_thread_index().is_none() {
        use rayon::prelude::*;
        sources.par_iter().map(|s| takes_stand_ins(s)).collect()
    } else {
        sources.iter().map(|s| takes_stand_ins(s)).collect()
    };
    entry.store(&decided.iter().map(|&b| u8::from(b)).collect::<Vec<u8>>());
    Some(decided)
}

/// Whether the policy regex `source` matches a text where it matches the text's [`StandIn`].
pub(super) fn takes_stand_ins(source: &str) -> bool {
    crate::dsl::pattern::parse(source).is_ok_and(|hir| treats_kinds_alike(&hir))
}

/// Whether a regex's syntax tree (as compiled for any text: Unicode, case folded) cannot tell a
/// character of a kind from the one standing in for it, so that it matches a text where it
/// matches its [`StandIn`]: each class holds all of a kind and its stand-in or none of them,
/// and every literal is ASCII and holds no stand-in. Unicode word boundaries and line anchors see
/// a character and its stand-in alike (both word characters or both not, neither a line
/// break); ASCII word boundaries do not.
/// Recursion is bounded by the parser's nesting limit.
pub(crate) fn treats_kinds_alike(hir: &Hir) -> bool {
    match hir.kind() {
        HirKind::Empty => true,
        // An ASCII word boundary (`(?-u:\b)`) sees `é` as no word character, its stand-in `Z`
        // as one.
        HirKind::Look(look) => !matches!(
            look,
            Look::WordAscii
                | Look::WordAsciiNegate
                | Look::WordStartAscii
                | Look::WordEndAscii
                | Look::WordStartHalfAscii
                | Look::WordEndHalfAscii
        ),
        HirKind::Literal(literal) => literal
            .0
            .iter()
            .all(|&b| b.is_ascii() && b != b'\0' && b != b'Z'),
        HirKind::Class(Class::Unicode(class)) => SYMBOLS.alike_in(class) && LETTERS.alike_in(class),
        HirKind::Class(Class::Bytes(_)) => false,
        HirKind::Repetition(rep) => treats_kinds_alike(&rep.sub),
        HirKind::Capture(capture) => treats_kinds_alike(&capture.sub),
        HirKind::Concat(parts) | HirKind::Alternation(parts) => {
            parts.iter().all(treats_kinds_alike)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn alike(pattern: &str) -> bool {
        treats_kinds_alike(&regex_syntax::parse(pattern).unwrap())
    }

    #[test]
    fn characters_outside_ascii_have_the_kinds_word_tests_give_them() {
        for c in ['£', '€', '—', '–', '•', '😭', '🙏', '©', '→'] {
            assert!(std::ptr::eq(kind_of(c).unwrap(), &SYMBOLS), "{c}");
        }
        for c in ['é', 'ß', 'ก', '中', 'ſ', '\u{212A}', 'Ω'] {
            assert!(std::ptr::eq(kind_of(c).unwrap(), &LETTERS), "{c}");
        }
        for c in ['٣', '²', '\u{a0}', '\u{301}', '\u{2028}'] {
            assert!(kind_of(c).is_none(), "{c:?}");
        }
    }

    #[test]
    fn the_stand_in_maps_back_to_the_text() {
        let text = "refund £40 — José 😭!";
        let stand_in = StandIn::of(text).unwrap();
        assert_eq!(stand_in.as_str(), "refund \u{0}40 \u{0} JosZ \u{0}!");
        let at = stand_in.as_str().find("Jos").unwrap();
        assert_eq!(&text[stand_in.original(at)..], "José 😭!");
        assert_eq!(stand_in.original(stand_in.as_str().len()), text.len());
        assert!(StandIn::of("page ٣").is_none());
    }

    #[test]
    fn regexes_that_treat_kinds_alike() {
        for pattern in [
            r"refund(s)? ([^.?!]|\.[a-z0-9])* now",
            r"you('re| are) wrong\b",
            r"a.b\W+c\s*d\S\w",
            r"[^a-z]",
            r"[a-z0-9_]+ed",
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
            r"(?i)[a-z]",
            r"(?i)zone",
            r"\p{Greek}",
            r"[A-Z]",
            r"sorry (?-u:\b)",
            r"x(?-u:\B)",
            r"(?-u:\b{start})x",
        ] {
            assert!(!alike(pattern), "{pattern}");
        }
    }
}

#[cfg(test)]
mod pool {
    use super::*;
    use rand::{Rng, SeedableRng};

    type Spans = Vec<Vec<Option<(usize, usize)>>>;

    /// On every text of `eval/pool` that has a stand-in (and on ASCII ones with letters and
    /// symbols put in), each built-in regex that treats the kinds alike finds, in its ASCII
    /// form as the cache keeps it searching the stand-in, the matches and groups the full regex
    /// finds in the text.
    #[test]
    fn the_ascii_forms_find_in_stand_ins_what_the_regexes_find_in_texts() {
        let pool = crate::text::pool_texts();
        // Beside the real texts outside ASCII, ASCII ones with letters and symbols put in:
        // every fifth `e` an `é`, every third `,` a dash, every fourth `!` an emoji, every
        // seventh `o` an `ø`.
        let varied = pool.iter().filter(|t| t.is_ascii()).take(1500).map(|t| {
            let mut counts = [0usize; 4];
            t.chars()
                .map(|c| {
                    let (slot, every, with) = match c {
                        'e' => (0, 5, "é"),
                        ',' => (1, 3, " —"),
                        '!' => (2, 4, "! 🙂"),
                        'o' => (3, 7, "ø"),
                        _ => return c.to_string(),
                    };
                    counts[slot] += 1;
                    if counts[slot] % every == 0 {
                        with.to_string()
                    } else {
                        c.to_string()
                    }
                })
                .collect::<String>()
        });
        // And 1,500 more with characters of either kind put anywhere, inside words too, at
        // places drawn from a fixed seed: letters that fold oddly (`ſ`, the Kelvin sign),
        // capitals, other scripts, currency, dashes, emoji.
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(31);
        const ODD: [char; 14] = [
            'é', 'ſ', '\u{212A}', 'Ö', 'ß', 'あ', 'ก', 'Ж', '£', '€', '—', '…', '🙂', '™',
        ];
        let scattered: Vec<String> = pool
            .iter()
            .filter(|t| t.is_ascii() && !t.is_empty())
            .skip(1500)
            .take(1500)
            .map(|t| {
                let mut text = t.clone();
                for _ in 0..rng.random_range(1..=4) {
                    let boundaries: Vec<usize> = text
                        .char_indices()
                        .map(|(i, _)| i)
                        .chain([text.len()])
                        .collect();
                    let at = boundaries[rng.random_range(0..boundaries.len())];
                    text.insert(at, ODD[rng.random_range(0..ODD.len())]);
                }
                text
            })
            .collect();
        let texts: Vec<(String, StandIn)> = pool
            .iter()
            .filter(|t| !t.is_ascii())
            .cloned()
            .chain(varied)
            .chain(scattered)
            .filter_map(|t| StandIn::of(&t).map(|s| (t, s)))
            .collect();
        assert!(texts.len() > 3000, "{} texts with stand-ins", texts.len());
        let (mut alike, mut compared) = (0, 0);
        let patterns = crate::dsl::pattern::builtin_regexes();
        for pattern in &patterns {
            let hir = crate::dsl::pattern::parse(pattern).unwrap_or_else(|e| panic!("{e}"));
            if !treats_kinds_alike(&hir) {
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
