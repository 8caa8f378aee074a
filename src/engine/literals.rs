//! Literals that every match of a regex contains, for the prefilter (`prefilter.rs`): a regex
//! is run only on texts that hold one of its literals. Prefixes come from `regex_syntax`'s
//! `Extractor`; inner literals are the prefixes of each tail of a concatenation (how
//! regex-automata's "reverse inner" strategy finds them), or a part's own required literals;
//! an alternation needs one of its branches' literals. Of the sets found, the most selective
//! is kept: the longest shortest literal, then the fewest literals.

use regex_syntax::hir::literal::{Extractor, Seq};
use regex_syntax::hir::{Hir, HirKind};

/// The most literals one regex's set may have: a bigger set lets most texts through anyway.
const MAX_LITERALS: usize = 256;

/// The most prefix extractions for one regex. Each is linear in the regex, so this bounds the
/// work a hostile policy regex (a long concatenation, deeply nested) can cause at compile time.
const MAX_EXTRACTIONS: usize = 256;

/// Literals beyond this length (bytes) count no more towards a set's selectivity.
const ENOUGH_LENGTH: usize = 6;

/// A set of non-empty literals, lower-cased in ASCII (to be matched ASCII-case-insensitively),
/// sorted and without duplicates: every match of the regex contains one of them.
pub(crate) type Required = Vec<Vec<u8>>;

/// The literals every match of `hir` contains, or `None` if no small set of them exists
/// (`\w+ing`, `a?b?`).
pub(crate) fn required(hir: &Hir) -> Option<Required> {
    let mut budget = MAX_EXTRACTIONS;
    let set = best_required(hir, &mut budget)?;
    Some(without_redundant(set))
}

fn best_required(hir: &Hir, budget: &mut usize) -> Option<Required> {
    let mut best = prefixes(hir, budget);
    let mut consider = |candidate: Option<Required>| {
        if score(candidate.as_ref()) > score(best.as_ref()) {
            best = candidate;
        }
    };
    match hir.kind() {
        HirKind::Capture(capture) => consider(best_required(&capture.sub, budget)),
        HirKind::Repetition(rep) if rep.min >= 1 => consider(best_required(&rep.sub, budget)),
        HirKind::Concat(parts) => {
            // A tail that starts with an assertion has the prefixes of the tail after it.
            for (i, _) in parts
                .iter()
                .enumerate()
                .skip(1)
                .filter(|(_, p)| !matches!(p.kind(), HirKind::Look(_) | HirKind::Empty))
            {
                let tail = Hir::concat(parts.get(i..).unwrap_or_default().to_vec());
                consider(prefixes(&tail, budget));
            }
            for part in parts {
                consider(best_required(part, budget));
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
            consider(Some(union));
        }
        _ => {}
    }
    best
}

/// The literals every match of `hir` starts with, if there are few enough and none is empty.
fn prefixes(hir: &Hir, budget: &mut usize) -> Option<Required> {
    *budget = budget.checked_sub(1)?;
    let seq: Seq = Extractor::new().extract(hir);
    let literals = seq.literals()?;
    if literals.is_empty() || literals.len() > MAX_LITERALS {
        return None;
    }
    let mut set: Required = literals
        .iter()
        .map(|l| l.as_bytes().to_ascii_lowercase())
        .collect();
    if set.iter().any(Vec::is_empty) {
        return None;
    }
    set.sort_unstable();
    set.dedup();
    Some(set)
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

    fn literals(pattern: &str) -> Option<Vec<String>> {
        let hir = regex_automata::util::syntax::parse(pattern).ok()?;
        required(&hir).map(|set| {
            set.into_iter()
                .map(|l| String::from_utf8_lossy(&l).into_owned())
                .collect()
        })
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
            Some(vec![
                " money back".into(),
                " refund".into(),
                "credit ".into()
            ])
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
