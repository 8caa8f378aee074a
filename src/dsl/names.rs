//! Where names stand in a policy file: each phrase set's uses, for tools that navigate a policy
//! (the language server's go to definition and find references).

use super::ast::{Ident, OccurrenceKind, PhraseEntry, PolicyFile};
use super::validate::rule_occurrences;

/// The keywords of the language, as written in policies, for completion and hover.
pub const KEYWORDS: &[&str] = &[
    "phrases",
    "include",
    "learned",
    "but",
    "not",
    "rule",
    "title",
    "why",
    "severity",
    "weight",
    "critical",
    "source",
    "message",
    "suggest",
    "when",
    "forbid",
    "require",
    "example",
    "fires",
    "passes",
    "unless",
    "after",
    "in",
    "the",
    "same",
    "sentence",
    "next",
    "within",
    "words",
    "of",
    "else",
    "first",
    "last",
    "minutes",
    "hours",
    "days",
    "weeks",
    "business",
    "before",
    "or",
    "and",
    "tagged",
    "channel",
    "is",
    "says",
    "at",
    "least",
    "distinct",
    "event",
    "agent",
    "customer",
    "asks",
    "apologizes",
    "acknowledges",
    "offers",
    "promises",
    "instructs",
    "refuses",
    "thanks",
];

/// The severities a rule may have.
pub const SEVERITIES: &[&str] = &["error", "warning", "info"];

/// Every place a phrase set is named in `file` other than its definition: `include`s, and
/// `says`, `offers ...` and the like in rules.
pub fn set_uses(file: &PolicyFile) -> Vec<&Ident> {
    let mut uses = Vec::new();
    for set in &file.phrase_sets {
        for entry in set.entries.iter().chain(&set.exceptions) {
            if let PhraseEntry::Include(name) = entry {
                uses.push(name);
            }
        }
    }
    for rule in &file.rules {
        for (occurrence, _) in rule_occurrences(rule) {
            match &occurrence.kind {
                OccurrenceKind::Says { set, .. } => uses.push(set),
                OccurrenceKind::Act { set: Some(set), .. } => uses.push(set),
                _ => {}
            }
        }
    }
    uses.sort_by_key(|ident| ident.span.start);
    uses
}

/// The event types a file's rules name (`event follow_up`).
pub fn event_types(file: &PolicyFile) -> Vec<&str> {
    let mut types: Vec<&str> = file
        .rules
        .iter()
        .flat_map(rule_occurrences)
        .filter_map(|(o, _)| match &o.kind {
            OccurrenceKind::Event(kind) => Some(kind.name.as_str()),
            _ => None,
        })
        .collect();
    types.sort_unstable();
    types.dedup();
    types
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uses_of_sets_are_found_in_includes_and_rules() {
        let text = "phrases a \"x\"\nphrases b include a\nrule r\n  forbid agent says b\n  when event follow_up\n";
        let (file, errors) = super::super::lower::parse_file("p.policy", text);
        assert!(errors.is_empty(), "{errors:?}");
        let uses: Vec<(&str, usize)> = set_uses(&file)
            .iter()
            .map(|i| (i.name.as_str(), i.span.start))
            .collect();
        let include_a = text.find("include a").map(|i| i + "include ".len());
        let says_b = text.find("says b").map(|i| i + "says ".len());
        assert_eq!(
            uses.iter()
                .map(|&(n, at)| (n, Some(at)))
                .collect::<Vec<_>>(),
            [("a", include_a), ("b", says_b)]
        );
        assert_eq!(event_types(&file), ["follow_up"]);
    }
}
