//! A policy regex as tact compiles it: the one place that decides its flags, the boundary test
//! around it and its size limit, so that validation compiles exactly what the matcher will run
//! and reports at the regex's file:line what would otherwise fail later, far from it.

use regex::{Regex, RegexBuilder};
use regex_automata::meta;
use regex_automata::nfa::thompson::{self, pikevm::PikeVM, NFA};
use regex_syntax::hir::{
    Capture, Class, ClassUnicode, ClassUnicodeRange, Hir, HirKind, Look, Repetition,
};

use super::limits::{REGEX_COMPILE_LIMIT, REGEX_SIZE_LIMIT};

/// What validation learns of a policy regex by compiling it as the matcher will.
#[derive(Debug, Clone, Copy)]
pub struct Checked {
    /// The memory its automaton takes, in bytes.
    pub bytes: usize,
    /// Whether it matches the empty text (and so everywhere).
    pub matches_empty: bool,
}

/// Checks a policy regex: its syntax on its own (wrapped, `a)(b` would pass), then the two
/// automata the matcher builds for it (forward, and reverse to find where matches start), each
/// within [`REGEX_SIZE_LIMIT`]. Only automata are built, not a whole regex. The error is one
/// line.
pub fn check(pattern: &str) -> Result<Checked, String> {
    check_syntax(pattern)?;
    let wrapped = wrap(pattern);
    let build = |config: thompson::Config| {
        NFA::compiler()
            .configure(config.nfa_size_limit(Some(REGEX_SIZE_LIMIT)))
            .build(&wrapped)
            .map_err(|e| match e.size_limit() {
                Some(limit) => too_big(limit),
                None => last_line(&e.to_string()),
            })
    };
    let forward = build(thompson::Config::new())?;
    let reverse = build(
        thompson::Config::new()
            .reverse(true)
            .which_captures(thompson::WhichCaptures::None),
    )?;
    let bytes = forward.memory_usage() + reverse.memory_usage();
    let vm = PikeVM::new_from_nfa(forward).map_err(|e| last_line(&e.to_string()))?;
    let matches_empty = vm.is_match(&mut vm.create_cache(), "");
    Ok(Checked {
        bytes,
        matches_empty,
    })
}

/// Parses a policy regex on its own, without building anything.
pub fn check_syntax(pattern: &str) -> Result<(), String> {
    regex_automata::util::syntax::parse(pattern)
        .map(|_| ())
        .map_err(|e| last_line(&e.to_string()))
}

/// Parses a policy regex as the matcher runs it (with its case flag), without building anything.
pub(crate) fn parse(pattern: &str) -> Result<Hir, String> {
    let config =
        regex_automata::util::syntax::Config::new().case_insensitive(case_flag(pattern) == "i");
    regex_automata::util::syntax::parse_with(pattern, &config)
        .map_err(|e| last_line(&e.to_string()))
}

/// Compiles a policy regex as the matcher runs it (see [`wrap`]), within
/// [`REGEX_COMPILE_LIMIT`].
pub fn compile(pattern: &str) -> Result<Regex, String> {
    RegexBuilder::new(&wrap(pattern))
        .size_limit(REGEX_COMPILE_LIMIT)
        .build()
        .map_err(|e| match e {
            regex::Error::CompiledTooBig(limit) => too_big(limit),
            other => last_line(&other.to_string()),
        })
}

/// Compiles a policy regex as the matcher runs it on texts of ASCII characters only: the same
/// regex (see [`wrap`]) with Unicode classes cut to their ASCII part and Unicode word boundaries
/// made ASCII ones. On such a text it matches exactly where [`compile`]'s regex does, with the
/// same groups (every character is one byte, and Unicode and ASCII word characters agree on
/// ASCII); its automata are a fraction of the size (`\w` alone is hundreds of UTF-8 states),
/// so it compiles about four times faster. It is built without the literal prefilter: the
/// matcher runs it only on texts its own prefilter let through, and building it took a third
/// of compiling the regex.
///
/// The regex is parsed with Unicode off (on bytes: `\w`, `\b`, `.`, `[^..]` and case folding
/// are ASCII ones, and a class may also match bytes no ASCII text holds), which gives the ASCII
/// form directly; only a regex that needs Unicode to parse (`\p{L}`, a class of non-ASCII
/// letters) is parsed with it and cut to ASCII afterwards, as all were before (cutting the
/// large Unicode classes was half the compile).
pub fn compile_ascii(pattern: &str) -> Result<meta::Regex, String> {
    let hir = ascii_hir(&wrap(pattern))?;
    meta::Builder::new()
        .configure(meta_config().auto_prefilter(false))
        .build_from_hir(&hir)
        .map_err(|e| last_line(&e.to_string()))
}

/// The syntax tree [`compile_ascii`] compiles: of the regex as it runs, `None` if it does not
/// parse. The matcher keeps the automata compiled from it between runs (`crate::automata`).
pub(crate) fn parse_ascii(pattern: &str) -> Option<Hir> {
    ascii_hir(&wrap(pattern)).ok()
}

/// The ASCII form of a wrapped regex (see [`compile_ascii`]).
fn ascii_hir(wrapped: &str) -> Result<Hir, String> {
    let bytes = regex_automata::util::syntax::Config::new()
        .unicode(false)
        .utf8(false);
    match regex_automata::util::syntax::parse_with(wrapped, &bytes) {
        // A non-ASCII letter of the pattern (`ſ`, the Kelvin sign) may fold to an ASCII one,
        // which only Unicode case folding knows: such a regex goes the long way.
        Ok(hir) if !has_non_ascii_literal(&hir) => Ok(hir),
        _ => regex_automata::util::syntax::parse(wrapped)
            .map(|hir| ascii_only(&hir))
            .map_err(|e| last_line(&e.to_string())),
    }
}

/// [`compile`]'s regex as the regex engine's own type, for the matcher: the same syntax and
/// configuration as `regex::RegexBuilder` gives it.
pub fn compile_meta(pattern: &str) -> Result<meta::Regex, String> {
    meta::Builder::new()
        .configure(meta_config())
        .build(&wrap(pattern))
        .map_err(|e| last_line(&e.to_string()))
}

/// The configuration `regex::RegexBuilder` builds a `Regex` with, within
/// [`REGEX_COMPILE_LIMIT`].
fn meta_config() -> meta::Config {
    meta::Config::new()
        .nfa_size_limit(Some(REGEX_COMPILE_LIMIT))
        .hybrid_cache_capacity(2 * (1 << 20))
        .match_kind(regex_automata::MatchKind::LeftmostFirst)
        .utf8_empty(true)
}

/// Whether a syntax tree holds a literal byte outside ASCII. Recursion is bounded by the
/// parser's nesting limit.
fn has_non_ascii_literal(hir: &Hir) -> bool {
    match hir.kind() {
        HirKind::Literal(literal) => !literal.0.is_ascii(),
        HirKind::Repetition(rep) => has_non_ascii_literal(&rep.sub),
        HirKind::Capture(capture) => has_non_ascii_literal(&capture.sub),
        HirKind::Concat(parts) | HirKind::Alternation(parts) => {
            parts.iter().any(has_non_ascii_literal)
        }
        HirKind::Empty | HirKind::Class(_) | HirKind::Look(_) => false,
    }
}

/// `hir` on ASCII texts (see [`compile_ascii`]). Recursion is bounded by the parser's nesting
/// limit.
fn ascii_only(hir: &Hir) -> Hir {
    match hir.kind() {
        HirKind::Class(Class::Unicode(class)) => {
            let mut ascii = class.clone();
            ascii.intersect(&ClassUnicode::new([ClassUnicodeRange::new('\0', '\x7F')]));
            Hir::class(Class::Unicode(ascii))
        }
        HirKind::Look(look) => Hir::look(match look {
            Look::WordUnicode => Look::WordAscii,
            Look::WordUnicodeNegate => Look::WordAsciiNegate,
            Look::WordStartUnicode => Look::WordStartAscii,
            Look::WordEndUnicode => Look::WordEndAscii,
            Look::WordStartHalfUnicode => Look::WordStartHalfAscii,
            Look::WordEndHalfUnicode => Look::WordEndHalfAscii,
            other => *other,
        }),
        HirKind::Repetition(rep) => Hir::repetition(Repetition {
            sub: Box::new(ascii_only(&rep.sub)),
            ..rep.clone()
        }),
        HirKind::Capture(capture) => Hir::capture(Capture {
            sub: Box::new(ascii_only(&capture.sub)),
            ..capture.clone()
        }),
        HirKind::Concat(parts) => Hir::concat(parts.iter().map(ascii_only).collect()),
        HirKind::Alternation(parts) => Hir::alternation(parts.iter().map(ascii_only).collect()),
        HirKind::Empty | HirKind::Literal(_) | HirKind::Class(Class::Bytes(_)) => hir.clone(),
    }
}

/// The regex engine's reason: its message repeats the pattern with a caret, then says why.
fn last_line(message: &str) -> String {
    message.lines().last().unwrap_or("").trim().to_string()
}

fn too_big(limit: usize) -> String {
    format!(
        "too big: compiled, it would take more than {} KB, the limit for one regex \
         (repeat a class fewer times than in `\\w{{2,20}}`, or use a smaller one: `[a-z]`)",
        limit / 1024
    )
}

/// The group holding the author's whole pattern inside the compiled regex.
pub const MATCH_GROUP: &str = "tact_match";

/// A policy regex as it runs: case-insensitive, over folded text, and followed by a boundary
/// test, so that of several alternatives (`you|your account`) the engine itself picks one that
/// does not stop inside a word. The test (`\b`, or no boundary and a non-word character or the
/// end) fails only where the match ends on a word character that another word character follows.
fn wrap(pattern: &str) -> String {
    let flags = case_flag(pattern);
    format!("(?{flags}:(?P<{MATCH_GROUP}>{pattern}))(?:\\b|\\B(?:\\W|$))")
}

/// `i` (case-insensitive) unless the pattern cannot need it. The texts are folded to lower case
/// already, so a pattern whose letters are all lower-case ASCII matches the same without the
/// flag, and runs faster: smaller automata and case-sensitive literal prefilters. Anything
/// else (a capital letter, a non-ASCII letter, a Unicode class `\p{..}`) keeps the flag.
pub(crate) fn case_flag(pattern: &str) -> &'static str {
    let mut chars = pattern.chars();
    // How deep in character classes (`[a[b]]` nests), and whether a `]` here would be a
    // literal one (first in its class: `[]a]`, `[^]a]`).
    let mut classes = 0usize;
    let mut class_opened = false;
    while let Some(c) = chars.next() {
        let opened = std::mem::take(&mut class_opened);
        match c {
            '\\' => {
                if matches!(chars.next(), Some('p' | 'P')) {
                    return "i";
                }
            }
            '[' => {
                classes += 1;
                class_opened = true;
                if chars.as_str().starts_with('^') {
                    chars.next();
                }
            }
            ']' if classes > 0 && !opened => classes -= 1,
            // A named group's `P` (`(?P<hit>...)`) is syntax, not a letter to match; inside a
            // class it is a letter (`[(?P<]`).
            '(' if classes == 0 && chars.as_str().starts_with("?P<") => {
                chars.nth(2);
            }
            c if c.is_uppercase() || (!c.is_ascii() && c.is_alphabetic()) => return "i",
            _ => {}
        }
    }
    "-i"
}

/// Every regex of the built-in policy's phrase sets, once each (for tests that hold the
/// matcher's forms of them to the regex).
#[cfg(test)]
pub(crate) fn builtin_regexes() -> Vec<String> {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dsl::ast::PhraseEntry;
    use crate::dsl::{builtin_sources, parse_policy};

    #[test]
    fn the_builtin_regexes_fit_well_within_the_limits() {
        let policy = parse_policy(&builtin_sources()).unwrap_or_else(|e| panic!("{}", e[0]));
        let mut total = 0;
        let mut largest = 0;
        for set in &policy.phrase_sets {
            for entry in set.entries.iter().chain(&set.exceptions) {
                if let PhraseEntry::Regex { pattern, .. } = entry {
                    let checked = check(pattern).unwrap_or_else(|e| panic!("{pattern}: {e}"));
                    compile(pattern).unwrap_or_else(|e| panic!("{pattern}: {e}"));
                    total += checked.bytes;
                    largest = largest.max(checked.bytes);
                }
            }
        }
        assert!(largest * 2 < REGEX_SIZE_LIMIT, "largest {largest}");
        assert!(
            total * 2 < crate::dsl::limits::MAX_REGEX_TOTAL,
            "total {total}"
        );
    }

    /// The ASCII form of regexes the built-in policy does not hold (capitals, Unicode classes,
    /// non-ASCII letters, negated classes, any character) finds the same matches and groups on
    /// ASCII texts as the full regex, whether it parses with Unicode off or needs it.
    #[test]
    fn the_ascii_form_matches_as_the_regex_does_on_ascii_texts() {
        let patterns = [
            r"Refund(ed)?",
            r"\p{L}+ly",
            r"caf[eé]",
            r"[à-ÿ]|x\w+",
            r"we can(?:'|’)t",
            r"[^a-z ]+",
            r"a.c",
            r"\d{2,}\s+days?",
            r"(?P<hit>sorry)\W+but",
            r"(?i)kelvin|straße",
            "(?i)\u{17F}orry|\u{212A}ey",
            r"(?i)\x{17F}orry",
            r"\bstart\B\w*",
            r"(?u:\w)+ing",
        ];
        let texts = [
            "Refunded! We can't refund 12 days later; sorry -- but a-c abc cafe.",
            "KELVIN kelvin strasse quickly, startling startup 3 days, sorry!!but x_y9 key Sorry",
            "",
            "   \t\n a\nc 99\tdays",
        ];
        for pattern in patterns {
            let full = compile(pattern).unwrap_or_else(|e| panic!("{pattern}: {e}"));
            let ascii = compile_ascii(pattern).unwrap_or_else(|e| panic!("{pattern}: {e}"));
            for text in texts {
                let expected: Vec<Vec<Option<(usize, usize)>>> = full
                    .captures_iter(text)
                    .map(|c| c.iter().map(|m| m.map(|m| (m.start(), m.end()))).collect())
                    .collect();
                let got: Vec<Vec<Option<(usize, usize)>>> = ascii
                    .captures_iter(text)
                    .map(|c| c.iter().map(|m| m.map(|m| (m.start, m.end))).collect())
                    .collect();
                assert_eq!(got, expected, "/{pattern}/ on {text:?}");
            }
        }
    }
}
