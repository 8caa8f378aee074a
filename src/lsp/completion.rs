//! Completion: what may come next where the cursor is. After `severity`, the severities; after
//! `says`, `include` or a speech act, the phrase sets; after `event`, the event types; else the
//! keywords and the phrase sets. In `tact.yaml`, its keys and the weekday names of a calendar.

use lsp_types::{CompletionItem, CompletionItemKind};

use crate::dsl::ast::SpeechAct;
use crate::dsl::names::{event_types, KEYWORDS, SEVERITIES};

use super::words::{in_literal, previous_word};
use super::workspace::PolicyView;

/// The event types of the conversation format, which rules may name with `event`.
const EVENT_TYPES: &[&str] = &[
    "created",
    "message",
    "status",
    "note",
    "follow_up",
    "resolved",
];

/// What `tact.yaml` holds at the top level.
const CONFIG_KEYS: &[&str] = &[
    "policies",
    "include",
    "exclude",
    "input",
    "fail_on",
    "baseline",
    "max_record_size",
    "csv",
    "calendar",
    "rules",
];

/// The calendar's names: its keys and the days its `hours` are given for.
const CALENDAR_NAMES: &[&str] = &[
    "time_zone",
    "hours",
    "holidays",
    "applies_to",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "monday-friday",
];

/// The completions at `offset` of a policy document.
pub fn policy_completions(view: &PolicyView, offset: usize) -> Vec<CompletionItem> {
    let text = &view.source().text;
    if in_literal(text, offset.min(text.len())) {
        return Vec::new();
    }
    let sets = || {
        let mut names: Vec<&str> = view
            .files
            .iter()
            .flat_map(|f| f.phrase_sets.iter().map(|s| s.name.name.as_str()))
            .collect();
        names.sort_unstable();
        names.dedup();
        items(&names, CompletionItemKind::VARIABLE, "phrase set")
    };
    let acts = [
        SpeechAct::Asks,
        SpeechAct::Apologizes,
        SpeechAct::Acknowledges,
        SpeechAct::Offers,
        SpeechAct::Promises,
        SpeechAct::Instructs,
        SpeechAct::Refuses,
        SpeechAct::Thanks,
    ];
    match previous_word(text, offset)
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        Some("severity") => items(SEVERITIES, CompletionItemKind::ENUM_MEMBER, "severity"),
        Some("event") => {
            let mut types: Vec<&str> = EVENT_TYPES.to_vec();
            types.extend(view.files.iter().flat_map(event_types));
            types.sort_unstable();
            types.dedup();
            items(&types, CompletionItemKind::ENUM_MEMBER, "event type")
        }
        Some(word)
            if word == "says" || word == "include" || acts.iter().any(|a| a.as_str() == word) =>
        {
            sets()
        }
        _ => {
            let mut all = items(KEYWORDS, CompletionItemKind::KEYWORD, "keyword");
            all.extend(sets());
            all
        }
    }
}

/// The completions of `tact.yaml`: its keys and the calendar's names.
pub fn config_completions() -> Vec<CompletionItem> {
    let mut all = items(CONFIG_KEYS, CompletionItemKind::PROPERTY, "tact.yaml key");
    all.extend(items(
        CALENDAR_NAMES,
        CompletionItemKind::ENUM_MEMBER,
        "calendar",
    ));
    all
}

fn items(labels: &[&str], kind: CompletionItemKind, detail: &str) -> Vec<CompletionItem> {
    labels
        .iter()
        .map(|label| CompletionItem {
            label: (*label).to_string(),
            kind: Some(kind),
            detail: Some(detail.to_string()),
            ..CompletionItem::default()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use std::rc::Rc;

    use super::*;
    use crate::dsl::{self, PolicySource};

    fn view(text: &str) -> PolicyView {
        let sources = vec![PolicySource {
            path: "p.policy".into(),
            text: text.into(),
        }];
        PolicyView {
            files: vec![dsl::parse_file("p.policy", text).0],
            policy: Rc::new(dsl::parse_policy(&sources)),
            sources,
            this: 0,
            engine: None,
        }
    }

    fn labels(text: &str, cursor: &str) -> Vec<String> {
        let offset = text.find(cursor).map_or(text.len(), |i| i + cursor.len());
        policy_completions(&view(text), offset)
            .into_iter()
            .map(|item| item.label)
            .collect()
    }

    #[test]
    fn what_comes_next_depends_on_the_word_before() {
        let text =
            "phrases sorry \"sorry\"\nrule r\n  when event \n  forbid agent offers \n  severity \n";
        let events = labels(text, "when event ");
        assert!(events.contains(&"follow_up".to_string()), "{events:?}");
        assert!(!events.contains(&"forbid".to_string()), "{events:?}");
        assert_eq!(labels(text, "agent offers "), ["sorry"]);
        assert_eq!(labels(text, "severity "), ["error", "warning", "info"]);
        let anywhere = labels(text, "rule r\n");
        assert!(
            anywhere.contains(&"forbid".to_string()) && anywhere.contains(&"sorry".to_string())
        );
        // Inside a string: nothing.
        assert!(labels(text, "\"sor").is_empty());
    }
}
