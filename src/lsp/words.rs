//! The words of a policy line around the cursor: what a keyword hover and completion look at.

use crate::dsl::ast::Span;

fn is_name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || c == '-'
}

/// The name-like word (letters, digits, `-`, `_`) at `offset`, outside strings, regexes and
/// comments.
pub fn word_at(text: &str, offset: usize) -> Option<(Span, &str)> {
    let offset = offset.min(text.len());
    if !text.is_char_boundary(offset) || in_literal(text, offset) {
        return None;
    }
    let start = text[..offset]
        .char_indices()
        .rev()
        .take_while(|&(_, c)| is_name_char(c))
        .last()
        .map_or(offset, |(i, _)| i);
    let end = text[offset..]
        .find(|c: char| !is_name_char(c))
        .map_or(text.len(), |i| offset + i);
    (start < end).then(|| (Span { start, end }, &text[start..end]))
}

/// The word before the one being typed at `offset` (`severity` in `severity er|`).
pub fn previous_word(text: &str, offset: usize) -> Option<&str> {
    let offset = offset.min(text.len());
    if !text.is_char_boundary(offset) {
        return None;
    }
    let before = text[..offset].trim_end_matches(is_name_char).trim_end();
    let start = before
        .char_indices()
        .rev()
        .take_while(|&(_, c)| is_name_char(c))
        .last()
        .map(|(i, _)| i)?;
    Some(&before[start..])
}

/// Whether `offset` is inside a "string", a /regex/ or a `#` comment of its line.
pub fn in_literal(text: &str, offset: usize) -> bool {
    let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let mut open: Option<char> = None;
    let mut escaped = false;
    for c in text[line_start..offset].chars() {
        match open {
            Some(_) if escaped => escaped = false,
            Some(_) if c == '\\' => escaped = true,
            Some(quote) if c == quote => open = None,
            Some(_) => {}
            None if c == '"' || c == '/' => open = Some(c),
            None if c == '#' => return true,
            None => {}
        }
    }
    open.is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_found_outside_strings_and_comments() {
        let text = "rule a-b\n  forbid agent says \"forbid\" # forbid\n";
        let at = |needle: &str| text.find(needle).unwrap_or(0);
        assert_eq!(word_at(text, at("a-b") + 1).map(|w| w.1), Some("a-b"));
        assert_eq!(word_at(text, at("forbid")).map(|w| w.1), Some("forbid"));
        assert_eq!(word_at(text, at("\"forbid") + 2), None);
        assert_eq!(word_at(text, at("# forbid") + 3), None);
        assert_eq!(previous_word(text, at("says") + 4), Some("agent"));
        assert_eq!(previous_word(text, at("says") + 5), Some("says"));
    }
}
