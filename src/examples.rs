//! The examples rules carry: each becomes a conversation, is checked by the engine, and the
//! rule's verdict is compared with what the example expects (`tact policy test`).

use std::sync::LazyLock;

use regex::Regex;

use crate::conversation::{Conversation, Event, Origin, Party};
use crate::dsl::ast::Example;
use crate::engine::Engine;
use crate::input::{parse_party, parse_time};

/// One example's outcome.
#[derive(Debug, Clone)]
pub struct ExampleResult {
    /// The rule it belongs to.
    pub rule: String,
    /// `file:line:col` of the example.
    pub location: String,
    /// Where the example is written in its policy file.
    pub span: crate::dsl::ast::Span,
    /// The conversation as written.
    pub lines: Vec<String>,
    /// Whether the rule had to fire.
    pub expected_to_fire: bool,
    /// What the rule reported: the excerpts (or messages) of its violations.
    pub found: Vec<String>,
    /// Why the example could not be run, if it could not.
    pub error: Option<String>,
}

impl ExampleResult {
    /// Whether the rule did what the example expects.
    pub fn passed(&self) -> bool {
        self.error.is_none() && self.found.is_empty() != self.expected_to_fire
    }

    /// What went wrong, in one line, when the example failed.
    pub fn failure(&self) -> Option<String> {
        if self.passed() {
            return None;
        }
        let expected = if self.expected_to_fire {
            "the rule to fire"
        } else {
            "the rule not to fire"
        };
        let but = match &self.error {
            Some(e) => format!("the example cannot be read: {e}"),
            None if self.found.is_empty() => "it did not fire".to_string(),
            None => format!(
                "it fired on {}",
                self.found
                    .iter()
                    .map(|f| format!("\"{f}\""))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        };
        Some(format!(
            "example of `{}`: expected {expected}, but {but}",
            self.rule
        ))
    }
}

static LINE: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(
        r"(?is)^\s*(?:\[(?P<at>[^\]]*)\]\s*)?(?:(?P<who>agent|customer|system|note)\s*:\s?(?P<text>.*)|event\s+(?P<kind>[a-z_][\w-]*)(?:\s+(?P<value>[\w-]+))?\s*)$",
    )
    .ok()
});

/// Builds the conversation an example describes. A line is `[time] speaker: text`
/// (agent, customer, system), `note: text` (an internal note), `event TYPE` (`event status
/// pending`: a status event and the status it sets), or plain text (a message from the agent).
pub fn example_conversation(lines: &[String]) -> Result<Conversation, String> {
    let line_re = LINE
        .as_ref()
        .ok_or("internal error: example line pattern")?;
    let mut events = Vec::with_capacity(lines.len());
    for (n, line) in lines.iter().enumerate() {
        let err = |m: String| format!("line {}: {m}", n + 1);
        let Some(caps) = line_re.captures(line) else {
            events.push(Event {
                kind: "message".into(),
                from: Some(Party::Agent),
                text: Some(line.clone()),
                ..Event::default()
            });
            continue;
        };
        let at = match caps.name("at") {
            Some(at) => Some(parse_time(at.as_str()).map_err(err)?),
            None => None,
        };
        let text = caps.name("text").map(|t| t.as_str().to_string());
        let event = match (caps.name("who"), caps.name("kind")) {
            (Some(who), _) if who.as_str().eq_ignore_ascii_case("note") => Event {
                kind: "note".into(),
                at,
                from: Some(Party::Agent),
                text,
                value: None,
            },
            (Some(who), _) => Event {
                kind: "message".into(),
                at,
                from: Some(parse_party(who.as_str()).map_err(err)?),
                text,
                value: None,
            },
            (None, Some(kind)) => Event {
                kind: kind.as_str().to_string(),
                at,
                value: caps.name("value").map(|v| v.as_str().to_string()),
                ..Event::default()
            },
            (None, None) => return Err(err("cannot read this line".into())),
        };
        events.push(event);
    }
    Ok(Conversation {
        id: "example".into(),
        events,
        source: Origin {
            path: "example".into(),
            line: 1,
            ..Origin::default()
        },
        ..Conversation::default()
    })
}

/// Runs every example of every rule of the engine's policy.
pub fn run_examples(engine: &Engine) -> Vec<ExampleResult> {
    let mut results = Vec::new();
    for rule in engine.rules() {
        for example in &rule.examples {
            results.push(run_one(engine, &rule.id, example));
        }
    }
    results
}

fn run_one(engine: &Engine, rule: &str, example: &Example) -> ExampleResult {
    let mut result = ExampleResult {
        rule: rule.to_string(),
        location: example.location.clone(),
        span: example.span,
        lines: example.lines.clone(),
        expected_to_fire: example.fires,
        found: Vec::new(),
        error: None,
    };
    match example_conversation(&example.lines) {
        Ok(conversation) => {
            result.found = engine
                .check(&conversation)
                .violations
                .into_iter()
                .filter(|v| &*v.rule == rule)
                .map(|v| v.excerpt.unwrap_or_else(|| v.message.to_string()))
                .collect();
        }
        Err(e) => result.error = Some(e),
    }
    result
}
