//! What a suggestion does to the agent's message: replace the offending words, or add the
//! missing sentence at the start. Used for the human diff and for `--fix`.

use serde::Serialize;

use crate::report::TextSpan;

/// How a violation's suggestion applies to the text of its event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum FixKind {
    /// The suggestion replaces the span (a forbidden phrase).
    Replace,
    /// The suggestion is added at the start of the message (something that must come first).
    InsertBefore,
}

/// A replacement as an edit of the text: the bytes it takes out and what goes in their place.
/// Besides the span, it takes the punctuation right after it when the suggestion ends a sentence
/// itself ("... together." followed by ", our ..." would double it), and then starts the next
/// word with a capital ("... together. Our ..."). `None` when the span is not in the text.
pub fn replacement_edit(
    text: &str,
    span: TextSpan,
    suggestion: &str,
) -> Option<(TextSpan, String)> {
    text.get(..span.start)?;
    let mut end = span.end;
    let mut tail = text.get(end..)?;
    let mut written = suggestion.to_string();
    if suggestion.ends_with(['.', '!', '?', ';', ':']) {
        if let Some(rest) = tail.strip_prefix([',', '.', ';', ':', '!', '?']) {
            end += 1;
            tail = rest;
        }
    }
    if suggestion.ends_with(['.', '!', '?']) {
        let spaces = tail.len() - tail.trim_start_matches([' ', '\t']).len();
        if let Some(first) = tail[spaces..]
            .chars()
            .next()
            .filter(char::is_ascii_lowercase)
        {
            written.push_str(&tail[..spaces]);
            written.push(first.to_ascii_uppercase());
            end += spaces + 1;
        }
    }
    Some((
        TextSpan {
            start: span.start,
            end,
        },
        written,
    ))
}

/// The message with the suggestion applied, or `None` when the span is not in the text.
pub fn apply(text: &str, span: TextSpan, suggestion: &str, kind: FixKind) -> Option<String> {
    match kind {
        FixKind::Replace => {
            let (range, written) = replacement_edit(text, span, suggestion)?;
            let head = text.get(..range.start)?;
            let tail = text.get(range.end..)?;
            Some(format!("{head}{written}{tail}"))
        }
        FixKind::InsertBefore => {
            let sep = if suggestion.ends_with(char::is_whitespace) {
                ""
            } else {
                " "
            };
            Some(format!("{suggestion}{sep}{text}"))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replace_joins_punctuation() {
        let text = "Calm down, please. You're wrong, our system is fine.";
        let span = TextSpan { start: 19, end: 31 };
        let fixed = apply(text, span, "I can see how that happened.", FixKind::Replace);
        assert_eq!(
            fixed.as_deref(),
            Some("Calm down, please. I can see how that happened. Our system is fine.")
        );
    }

    #[test]
    fn insert_before_adds_a_sentence() {
        let fixed = apply(
            "Refund issued.",
            TextSpan { start: 0, end: 6 },
            "I'm sorry.",
            FixKind::InsertBefore,
        );
        assert_eq!(fixed.as_deref(), Some("I'm sorry. Refund issued."));
    }

    #[test]
    fn span_outside_text_gives_none() {
        let span = TextSpan { start: 3, end: 99 };
        assert_eq!(apply("abc", span, "x", FixKind::Replace), None);
    }
}
