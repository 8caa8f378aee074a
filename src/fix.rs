//! What a suggestion does to the agent's message: replace the offending words, or add the
//! missing sentence at the start. Used for the human diff and for `--fix`.

use crate::report::{FixKind, TextSpan};

/// Words that join a clause to the one before; at the start of a sentence of their own they
/// read as a fragment ("And check your bank..."), so they are dropped.
const JOINING_WORDS: [&str; 5] = ["and", "but", "or", "yet", "so"];

/// Words that start a clause that cannot stand as a sentence ("Because the charge..."): a fix
/// that would leave one is not made.
const DEPENDENT_WORDS: [&str; 22] = [
    "because", "which", "who", "whom", "whose", "that", "since", "as", "if", "unless", "although",
    "though", "while", "when", "whenever", "where", "whereas", "until", "after", "before", "once",
    "than",
];

/// Why a suggestion cannot be written into the text as it stands.
pub type Unfit = &'static str;

/// A replacement as an edit of the text: the bytes it takes out and what goes in their place.
///
/// A suggestion is a sentence of its own, so it only replaces words that begin a sentence (or a
/// Markdown list item), and that end it or end a clause of it. The punctuation after the words
/// goes with them when the suggestion ends a sentence itself; a clause that followed becomes a
/// sentence of its own: capitalised, without a joining "and"/"but", and not at all if it cannot
/// stand alone ("because ..."). A suggestion that announces what follows ("Here are two
/// options", "To recap where we are:") is only written where that follows. Otherwise the reason
/// is returned and the suggestion stays a suggestion.
pub fn replacement_edit(
    text: &str,
    span: TextSpan,
    suggestion: &str,
) -> Result<(TextSpan, String), Unfit> {
    check_span(text, span)?;
    if !starts_sentence(text, span.start) {
        return Err("the words do not begin a sentence, so a whole sentence cannot replace them");
    }
    let suggestion = suggestion.trim();
    let ends_sentence = suggestion.ends_with(['.', '!', '?']);
    let introduces = suggestion.ends_with(':');
    let mut end = span.end;
    let mut written = suggestion.to_string();
    let tail = &text[end..];
    let after_spaces = tail.trim_start_matches([' ', '\t']);
    let closes_emphasis = after_spaces
        .trim_start_matches(['*', '_'])
        .starts_with(['\n', '\r'])
        || (!after_spaces.is_empty() && after_spaces.trim_start_matches(['*', '_']).is_empty());
    match after_spaces.chars().next() {
        None | Some('\n' | '\r') => {}
        Some('*' | '_') if closes_emphasis => {}
        Some(mark @ ('.' | '!' | '?' | ':')) if ends_sentence || introduces => {
            end += tail.len() - after_spaces.len() + 1;
            // What followed a colon now follows a whole sentence: it starts a new one.
            let rest = &after_spaces[1..];
            let spaces = rest.len() - rest.trim_start_matches([' ', '\t']).len();
            let first = rest[spaces..].chars().next();
            if mark == ':' && ends_sentence {
                if let Some(first) = first.filter(char::is_ascii_lowercase) {
                    written.push_str(&rest[..spaces]);
                    written.push(first.to_ascii_uppercase());
                    end += spaces + 1;
                }
            }
        }
        Some('.' | '!' | '?') => {}
        Some(',' | ';') if ends_sentence || introduces => {
            let clause = &after_spaces[1..];
            let (skip, rest) = next_clause(clause)?;
            let spaces = clause.len() - clause.trim_start_matches([' ', '\t']).len();
            end += tail.len() - after_spaces.len() + 1 + skip;
            written.push_str(&clause[..spaces]);
            if ends_sentence {
                // The clause is now a sentence: its first letter a capital.
                if let Some(first) = rest.chars().next().filter(char::is_ascii_lowercase) {
                    written.push(first.to_ascii_uppercase());
                    end += 1;
                }
            }
        }
        _ => return Err("the words end mid-sentence, so a whole sentence cannot replace them"),
    }
    check_announcement(suggestion, &text[end..])?;
    Ok((
        TextSpan {
            start: span.start,
            end,
        },
        written,
    ))
}

/// Taking a phrase out: the span with the punctuation and spaces after it, when it is a whole
/// sentence, or the clause a sentence starts with (the next clause then starts the sentence,
/// capitalised, its joining "and" dropped). Returns the bytes to replace and what to write.
pub fn deletion_edit(text: &str, span: TextSpan) -> Result<(TextSpan, String), Unfit> {
    check_span(text, span)?;
    if !starts_sentence(text, span.start) {
        return Err("the words do not begin a sentence, so taking them out would break it");
    }
    let tail = &text[span.end..];
    let after_spaces = tail.trim_start_matches([' ', '\t']);
    let mut written = String::new();
    let end = match after_spaces.chars().next() {
        None | Some('\n' | '\r') => span.end + (tail.len() - after_spaces.len()),
        Some('.' | '!' | '?') => {
            let rest = &after_spaces[1..];
            span.end
                + (tail.len() - rest.len())
                + (rest.len() - rest.trim_start_matches([' ', '\t']).len())
        }
        Some(',' | ';') => {
            let clause = after_spaces[1..].trim_start_matches([' ', '\t']);
            let (skip, rest) = next_clause(clause)?;
            let mut end = span.end + (tail.len() - clause.len()) + skip;
            if let Some(first) = rest.chars().next().filter(char::is_ascii_lowercase) {
                written.push(first.to_ascii_uppercase());
                end += 1;
            }
            end
        }
        _ => return Err("the words end mid-sentence, so taking them out would break it"),
    };
    // A list item is not emptied: its marker would be left on a line of its own.
    let line_start = text[..span.start].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[end..].find('\n').map_or(text.len(), |i| end + i);
    let head = text[line_start..span.start].trim();
    if written.is_empty()
        && text[end..line_end].trim().is_empty()
        && !head.is_empty()
        && without_marker(head).is_empty()
    {
        return Err("taking the words out would leave an empty list item");
    }
    Ok((
        TextSpan {
            start: span.start,
            end,
        },
        written,
    ))
}

fn check_span(text: &str, span: TextSpan) -> Result<(), Unfit> {
    if span.start > span.end || text.get(span.start..span.end).is_none() {
        return Err("the words are not in the text");
    }
    Ok(())
}

/// Whether byte `at` begins a sentence: the start of the text, of a line or list item (after
/// `-`, `*`, `1.`, `>` or `**`), or after the punctuation ending the previous sentence.
fn starts_sentence(text: &str, at: usize) -> bool {
    let head = &text[..at];
    let line = &head[head.rfind('\n').map_or(0, |i| i + 1)..];
    without_marker(line)
        .trim_start_matches(['*', '_'])
        .is_empty()
        || head
            .trim_end_matches([' ', '\t'])
            .trim_end_matches(['"', '\'', ')', '\u{201d}', '*', '_'])
            .ends_with(['.', '!', '?'])
}

/// The start of a line without its Markdown list or quote marker.
fn without_marker(line: &str) -> &str {
    let mut rest = line.trim();
    for prefix in ["-", "*", "+", ">"] {
        if let Some(r) = rest
            .strip_prefix(prefix)
            .filter(|r| r.is_empty() || r.starts_with(' '))
        {
            rest = r.trim_start();
        }
    }
    let digits = rest.len() - rest.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    if digits > 0 {
        if let Some(r) = rest[digits..].strip_prefix(['.', ')']) {
            rest = r.trim_start();
        }
    }
    rest
}

/// The clause after a comma, as the start of a sentence: how many bytes of it to drop (a joining
/// word and its space) and what is left; an error when it cannot stand alone.
fn next_clause(clause: &str) -> Result<(usize, &str), Unfit> {
    let clause_start = clause.len() - clause.trim_start_matches([' ', '\t']).len();
    let clause = &clause[clause_start..];
    let word = |s: &str| -> String {
        s.chars()
            .take_while(|c| c.is_alphabetic() || *c == '\'')
            .collect::<String>()
            .to_lowercase()
    };
    let mut skip = clause_start;
    let mut rest = clause;
    let first = word(rest);
    if JOINING_WORDS.contains(&first.as_str()) {
        let after = &rest[first.len()..];
        let spaces = after.len() - after.trim_start_matches([' ', '\t']).len();
        if spaces > 0 {
            skip += first.len() + spaces;
            rest = &after[spaces..];
        }
    }
    let next = word(rest);
    if next.is_empty() || DEPENDENT_WORDS.contains(&next.as_str()) {
        return Err("what follows the words could not stand as a sentence of its own");
    }
    Ok((skip, rest))
}

/// A suggestion that announces what comes next needs it to come: two options need two list
/// items after the sentence; "here's what..." or a closing colon needs some text after it.
fn check_announcement(suggestion: &str, after: &str) -> Result<(), Unfit> {
    let lower = suggestion.to_lowercase();
    if lower.contains("options") {
        let items = after
            .lines()
            .skip(1)
            .skip_while(|l| l.trim().is_empty())
            .take_while(|l| is_list_item(l))
            .count();
        if items < 2 {
            return Err("the suggestion offers options that the text does not list after it");
        }
    } else if (lower.ends_with(':') || lower.contains("here's") || lower.contains("here is"))
        && after.trim().is_empty()
    {
        return Err("the suggestion announces something that the text does not go on to say");
    }
    Ok(())
}

/// `- x`, `* x`, `+ x`, `1. x`, `1) x`.
fn is_list_item(line: &str) -> bool {
    let line = line.trim_start();
    if line.starts_with("- ") || line.starts_with("* ") || line.starts_with("+ ") {
        return true;
    }
    let digits = line.len() - line.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    digits > 0 && (line[digits..].starts_with(". ") || line[digits..].starts_with(") "))
}

/// The message with the suggestion applied, or `None` when the span is not in the text.
pub fn apply(text: &str, span: TextSpan, suggestion: &str, kind: FixKind) -> Option<String> {
    match kind {
        FixKind::Replace => {
            let (range, written) = replacement_edit(text, span, suggestion).ok()?;
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
    fn what_followed_a_colon_starts_a_new_sentence() {
        let text = "Sorry, but that's our policy: we can't help with that.";
        let span = TextSpan { start: 0, end: 28 };
        let fixed = apply(text, span, "I'm sorry about this.", FixKind::Replace);
        assert_eq!(
            fixed.as_deref(),
            Some("I'm sorry about this. We can't help with that.")
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

    fn replaced(text: &str, phrase: &str, suggestion: &str) -> Result<String, Unfit> {
        let start = text.find(phrase).unwrap_or(0);
        let span = TextSpan {
            start,
            end: start + phrase.len(),
        };
        let (range, written) = replacement_edit(text, span, suggestion)?;
        Ok(format!(
            "{}{written}{}",
            &text[..range.start],
            &text[range.end..]
        ))
    }

    const OPTIONS: &str = "Here are two options; which would you prefer?";

    #[test]
    fn two_options_are_promised_only_where_two_are_listed() {
        let lone = "This is the only thing I can do. Take it or leave it.";
        assert!(replaced(lone, "This is the only thing I can do", OPTIONS).is_err());
        assert!(replaced(lone, "Take it or leave it", OPTIONS).is_err());
        let listed = "This is the only thing I can do:\n\n- a refund\n- a replacement\n";
        assert_eq!(
            replaced(listed, "This is the only thing I can do", OPTIONS).unwrap(),
            "Here are two options; which would you prefer?\n\n- a refund\n- a replacement\n"
        );
        let one = "This is the only thing I can do:\n\n- a refund\n\nBye.";
        assert!(replaced(one, "This is the only thing I can do", OPTIONS).is_err());
        // "Here's what I can do" with nothing after it announces nothing.
        assert!(replaced(
            "Sorry. That's our policy.",
            "That's our policy",
            "Here's what I can do:"
        )
        .is_err());
    }

    #[test]
    fn a_clause_left_behind_starts_a_sentence_without_its_conjunction() {
        let text = "Calm down, please, and check your bank statement again.";
        assert_eq!(
            replaced(
                text,
                "Calm down, please",
                "I understand how frustrating this is."
            )
            .unwrap(),
            "I understand how frustrating this is. Check your bank statement again."
        );
        let text = "Calm down, but we will look into it.";
        assert_eq!(
            replaced(text, "Calm down", "I understand how frustrating this is.").unwrap(),
            "I understand how frustrating this is. We will look into it."
        );
        // A clause that cannot stand alone is not left as a sentence.
        let text = "You're wrong, because our system never charges twice.";
        assert!(replaced(text, "You're wrong", "Let me check.").is_err());
    }

    #[test]
    fn a_sentence_only_replaces_words_that_start_a_sentence_and_end_a_clause() {
        // Mid-sentence, either side: the result would not be a sentence.
        let text = "I'm sorry but we don't understand the problem.";
        assert!(replaced(text, "sorry but", "I'm sorry about this.").is_err());
        let text = "Please try using a different web browser or device.";
        assert!(replaced(text, "a different web browser", "What happens?").is_err());
        let text = "**It is your responsibility as a consumer to use lockfiles**.";
        assert!(replaced(text, "It is your responsibility", "Let's look at it.").is_err());
        // After a sentence, a list marker or bold, at the end of a line: fine.
        let text = "Thanks.\n\n- **You're wrong**\n";
        assert_eq!(
            replaced(text, "You're wrong", "Let me check.").unwrap(),
            "Thanks.\n\n- **Let me check.**\n"
        );
    }

    #[test]
    fn taking_a_clause_out_leaves_a_whole_sentence() {
        let text = "Hi. Calm down, please, and check your statement. Thanks.";
        let start = text.find("Calm").unwrap();
        let span = TextSpan {
            start,
            end: start + "Calm down, please".len(),
        };
        let (range, written) = deletion_edit(text, span).unwrap();
        let out = format!("{}{written}{}", &text[..range.start], &text[range.end..]);
        assert_eq!(out, "Hi. Check your statement. Thanks.");
        let start = text.find("Thanks").unwrap();
        let whole = TextSpan {
            start,
            end: start + 6,
        };
        let (range, written) = deletion_edit(text, whole).unwrap();
        assert_eq!(
            format!("{}{written}{}", &text[..range.start], &text[range.end..]),
            "Hi. Calm down, please, and check your statement. "
        );
        let mid = TextSpan { start: 20, end: 26 };
        assert!(deletion_edit(text, mid).is_err());
    }

    #[test]
    fn span_outside_text_gives_none() {
        let span = TextSpan { start: 3, end: 99 };
        assert_eq!(apply("abc", span, "x", FixKind::Replace), None);
    }
}
