//! Literals that every match of a regex contains, for the prefilter (`prefilter/mod.rs`): a regex
//! is run only on texts that hold one of its literals. Prefixes come from `regex_syntax`'s
//! `Extractor`; inner literals are the prefixes of each tail of a concatenation (how
//! regex-automata's "reverse inner" strategy finds them), or a part's own required literals;
//! an alternation needs one of its branches' literals. Of the sets found, the most selective
//! is kept: the longest shortest literal, then the fewest literals. Each part of a
//! concatenation must match too, so its set is required as well: a regex gets up to
//! [`MAX_SETS`] sets, all of which a text must meet (`sorry` and `but` for
//! `\bsorry\b[^.!?]{0,60}\bbut\b`).

use regex_syntax::hir::literal::{Extractor, Seq};
use regex_syntax::hir::{Class, Hir, HirKind};

/// The most sets one regex requires at once.
pub(crate) const MAX_SETS: usize = 3;

/// A regex's further sets have at most this many literals ...
const MORE_SET_LITERALS: usize = 64;
/// ... each at least this many bytes long: a weak set adds literals to the automaton and
/// matches to every scan for little.
const MORE_SET_LENGTH: usize = 3;

/// The most literals one regex's set may have: a bigger set lets most texts through anyway.
pub(crate) const MAX_LITERALS: usize = 256;

/// The most prefix extractions for one regex. Each is linear in the regex, so this bounds the
/// work a hostile policy regex (a long concatenation, deeply nested) can cause at compile time.
const MAX_EXTRACTIONS: usize = 64;

/// Literals are cut to this many bytes (a literal's prefix is in every text the literal is):
/// longer ones are hardly more selective, and cost more to extract and to build into the
/// automaton.
pub(crate) const LITERAL_LENGTH: usize = 8;

/// A class of more characters than this is not spelled out (the extractor's own limit).
const CLASS_LETTERS: usize = 10;

/// Literals beyond this length (bytes) count no more towards a set's selectivity.
const ENOUGH_LENGTH: usize = 6;

/// A set of non-empty literals, lower-cased in ASCII (to be matched ASCII-case-insensitively),
/// sorted and without duplicates: every match of the regex contains one of them.
pub(crate) type Required = Vec<Vec<u8>>;

/// Sets of literals such that every match of `hir` contains a literal of each, the most
/// selective first; none if no small set exists (`\w+ing`, `a?b?`).
pub(crate) fn required(hir: &Hir) -> Vec<Required> {
    let mut budget = MAX_EXTRACTIONS;
    let mut top = hir;
    while let HirKind::Capture(capture) = top.kind() {
        top = &capture.sub;
    }
    let mut sets: Vec<Required> = match top.kind() {
        HirKind::Concat(parts) => {
            let mut sets = vec![tail_prefixes(parts, &mut budget)];
            sets.extend(parts.iter().map(|part| best_required(part, &mut budget)));
            sets.into_iter().flatten().collect()
        }
        _ => best_required(top, &mut budget).into_iter().collect(),
    };
    sets.sort_by_key(|set| std::cmp::Reverse(score(Some(set))));
    let mut distinct: Vec<Required> = Vec::with_capacity(MAX_SETS);
    for set in sets {
        // A further set is worth its literals only if it is small and selective.
        let worth = distinct.is_empty()
            || (set.len() <= MORE_SET_LITERALS && set.iter().all(|l| l.len() >= MORE_SET_LENGTH));
        if worth && distinct.len() < MAX_SETS && !distinct.contains(&set) {
            distinct.push(set);
        }
    }
    distinct.into_iter().map(without_redundant).collect()
}

fn best_required(hir: &Hir, budget: &mut usize) -> Option<Required> {
    // A group's prefixes are its inside's, an alternation's its branches': found below.
    let mut best = match hir.kind() {
        HirKind::Concat(_) | HirKind::Capture(_) | HirKind::Alternation(_) => None,
        _ => prefixes(hir, budget),
    };
    let consider = |candidate: Option<Required>, best: &mut Option<Required>| {
        if score(candidate.as_ref()) > score(best.as_ref()) {
            *best = candidate;
        }
    };
    match hir.kind() {
        HirKind::Capture(capture) => consider(best_required(&capture.sub, budget), &mut best),
        HirKind::Repetition(rep) if rep.min >= 1 => {
            consider(best_required(&rep.sub, budget), &mut best);
        }
        HirKind::Concat(parts) => {
            best = tail_prefixes(parts, budget);
            for part in parts {
                if is_ideal(best.as_ref()) {
                    return best;
                }
                consider(best_required(part, budget), &mut best);
            }
        }
        HirKind::Alternation(branches) => {
            let mut union = Vec::new();
            for branch in branches {
                match best_required(branch, budget) {
                    Some(set) if union.len() + set.len() <= MAX_LITERALS => union.extend(set),
                    _ => return best,
                }
            }
            union.sort_unstable();
            union.dedup();
            consider(Some(union), &mut best);
        }
        _ => {}
    }
    best
}

/// The most selective prefixes of a tail of a concatenation: of each tail from a part that can
/// start a literal, up to the next part after which the extractor finds nothing more exact (a
/// large class, a repetition); the prefixes of a prefix of a match are in the match too.
fn tail_prefixes(parts: &[Hir], budget: &mut usize) -> Option<Required> {
    let mut best = None;
    for (i, part) in parts.iter().enumerate() {
        if is_ideal(best.as_ref()) {
            break;
        }
        if matches!(part.kind(), HirKind::Look(_) | HirKind::Empty) || ends_literals(part) {
            continue;
        }
        let end = parts
            .iter()
            .skip(i + 1)
            .position(ends_literals)
            .map_or(parts.len(), |k| i + k + 2);
        let tail = Hir::concat(parts.get(i..end).unwrap_or_default().to_vec());
        let found = prefixes(&tail, budget);
        if score(found.as_ref()) > score(best.as_ref()) {
            best = found;
        }
    }
    best
}

/// Whether the literals of a concatenation's prefix end at `part`: a class too large to spell
/// out, or a repetition.
fn ends_literals(part: &Hir) -> bool {
    match part.kind() {
        HirKind::Class(Class::Unicode(class)) => {
            class.ranges().iter().map(|r| r.len()).sum::<usize>() > CLASS_LETTERS
        }
        HirKind::Class(Class::Bytes(class)) => {
            class.ranges().iter().map(|r| r.len()).sum::<usize>() > CLASS_LETTERS
        }
        HirKind::Repetition(_) => true,
        _ => false,
    }
}

/// A set that no other can beat: one literal of at least [`ENOUGH_LENGTH`] bytes.
fn is_ideal(set: Option<&Required>) -> bool {
    set.is_some_and(|s| s.len() == 1 && s.iter().all(|l| l.len() >= ENOUGH_LENGTH))
}

/// The literals every match of `hir` starts with, if there are few enough and none is empty.
fn prefixes(hir: &Hir, budget: &mut usize) -> Option<Required> {
    if let HirKind::Literal(literal) = hir.kind() {
        return Some(vec![cut(&literal.0)]);
    }
    *budget = budget.checked_sub(1)?;
    let seq: Seq = Extractor::new()
        .limit_literal_len(LITERAL_LENGTH)
        .extract(hir);
    let literals = seq.literals()?;
    if literals.is_empty() || literals.len() > MAX_LITERALS {
        return None;
    }
    let mut set: Required = literals.iter().map(|l| cut(l.as_bytes())).collect();
    if set.iter().any(Vec::is_empty) {
        return None;
    }
    set.sort_unstable();
    set.dedup();
    Some(set)
}

/// A literal as the automaton gets it: at most [`LITERAL_LENGTH`] bytes, lower-cased in ASCII.
fn cut(literal: &[u8]) -> Vec<u8> {
    let mut cut = literal.get(..LITERAL_LENGTH).unwrap_or(literal).to_vec();
    cut.make_ascii_lowercase();
    cut
}

/// How selective a set is (higher is better): no set is worst; then the length of its shortest
/// literal, up to [`ENOUGH_LENGTH`]; then fewer literals.
fn score(set: Option<&Required>) -> (bool, usize, usize) {
    match set {
        None => (false, 0, 0),
        Some(set) => {
            let shortest = set.iter().map(Vec::len).min().unwrap_or(0);
            (
                true,
                shortest.min(ENOUGH_LENGTH),
                MAX_LITERALS.saturating_sub(set.len()),
            )
        }
    }
}

/// `set` without the literals that contain another of its literals: wherever they occur, so
/// does the shorter one.
fn without_redundant(mut set: Required) -> Required {
    set.sort_by_key(Vec::len);
    let mut kept: Required = Vec::with_capacity(set.len());
    for literal in set {
        let covered = kept
            .iter()
            .any(|k| literal.windows(k.len()).any(|w| w == k.as_slice()));
        if !covered {
            kept.push(literal);
        }
    }
    kept.sort_unstable();
    kept
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every required set of a pattern, as text.
    fn sets(pattern: &str) -> Vec<Vec<String>> {
        let hir = regex_automata::util::syntax::parse(pattern)
            .unwrap_or_else(|e| panic!("{pattern}: {e}"));
        required(&hir)
            .into_iter()
            .map(|set| {
                set.into_iter()
                    .map(|l| String::from_utf8_lossy(&l).into_owned())
                    .collect()
            })
            .collect()
    }

    /// The most selective set of a pattern.
    fn literals(pattern: &str) -> Option<Vec<String>> {
        sets(pattern).into_iter().next()
    }

    #[test]
    fn every_part_of_a_concatenation_is_required() {
        assert_eq!(
            sets(r"\bsorry\b[^.!?]{0,60}\bbut\b"),
            [vec!["sorry".to_string()], vec!["but".to_string()]]
        );
        assert_eq!(
            sets(r"(?:sorry|apolog)\w* but"),
            [vec!["apolog", "sorry"], vec![" but"]]
        );
    }

    #[test]
    fn inner_literals_beat_short_prefixes() {
        assert_eq!(
            literals(r"\b(i|we) [^.]{0,40}(?P<hit>refund\w*)"),
            Some(vec!["refund".into()])
        );
        assert_eq!(
            literals(r"\bsorry\b[^.!?]{0,60}\bbut\b"),
            Some(vec!["sorry".into()])
        );
    }

    #[test]
    fn alternations_need_a_literal_of_every_branch() {
        assert_eq!(
            literals(r"\w+ (refund|money back)|credit \w+"),
            Some(vec![" money b".into(), " refund".into(), "credit ".into()])
        );
        assert_eq!(
            literals(r"\w+ing|refund"),
            Some(vec!["ing".into(), "refund".into()])
        );
        assert_eq!(literals(r"\w+|refund"), None);
    }

    #[test]
    fn case_insensitive_literals_are_lower_cased_once() {
        let set = literals(r"(?i)refund").unwrap_or_default();
        assert_eq!(set, ["refund"]);
        // The Kelvin sign is a `k` to a case-insensitive regex, and not an ASCII letter.
        let set = literals(r"(?i)kit").unwrap_or_default();
        assert_eq!(set, ["kit", "\u{212A}it"]);
    }

    #[test]
    fn regexes_that_need_no_literal_have_none() {
        for pattern in [r"\w+", r"a?", r"[^.]{3}", r"x*y*", r"\d+\s*%?"] {
            let found = literals(pattern);
            assert!(
                found
                    .as_ref()
                    .is_none_or(|s| s.iter().all(|l| !l.is_empty())),
                "{pattern}: {found:?}"
            );
        }
        assert_eq!(literals(r"\w+"), None);
        assert_eq!(literals(r"x*y*"), None);
    }

    #[test]
    fn redundant_literals_are_dropped() {
        assert_eq!(literals(r"refunds?"), Some(vec!["refund".into()]));
    }
}
