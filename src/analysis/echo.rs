//! Words in an agent message that are not the agent's own: quoted text, reported speech ("you
//! said it never arrived", "I see you'd like a refund"), and runs of words copied from what the
//! customer wrote earlier.

use super::segment::Range;
use super::speech_act::LEXICON;

/// Runs of this many words or more, copied from a customer message, are an echo.
const COPIED_WORDS: usize = 5;

/// Quoted stretches of `text`: between straight or curly double quotes, at most 300 bytes.
pub fn quoted(text: &str) -> Vec<Range> {
    let mut out = Vec::new();
    let mut open: Option<usize> = None;
    for (i, c) in text.char_indices() {
        match (c, open) {
            ('"' | '\u{201c}', None) => open = Some(i),
            ('"' | '\u{201d}', Some(start)) => {
                let end = i + c.len_utf8();
                if end - start <= 300 {
                    out.push((start, end));
                }
                open = None;
            }
            _ => {}
        }
    }
    out
}

/// Reported speech in the clause `clause` of `lower`: from the reporting words to the clause's
/// end.
pub fn reported(lower: &str, clause: Range) -> Option<Range> {
    let text = lower.get(clause.0..clause.1)?;
    LEXICON
        .reported
        .find(text)
        .map(|m| (clause.0 + m.start(), clause.1))
}

/// Word spans of a text: (start, end, lower-case word).
fn words(text: &str) -> Vec<(usize, usize, String)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices() {
        let wordy = c.is_alphanumeric() || c == '\'' || c == '\u{2019}';
        match (wordy, start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                out.push((s, i, normalize(&text[s..i])));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push((s, text.len(), normalize(&text[s..])));
    }
    out
}

fn normalize(word: &str) -> String {
    word.chars()
        .map(|c| if c == '\u{2019}' { '\'' } else { c })
        .flat_map(char::to_lowercase)
        .collect()
}

/// Stretches of `text` that repeat at least [`COPIED_WORDS`] consecutive words of `earlier`.
pub fn copied(text: &str, earlier: &[&str]) -> Vec<Range> {
    if earlier.is_empty() {
        return Vec::new();
    }
    let mine = words(text);
    if mine.len() < COPIED_WORDS {
        return Vec::new();
    }
    let mut grams = std::collections::HashSet::new();
    for other in earlier {
        let theirs: Vec<String> = words(other).into_iter().map(|w| w.2).collect();
        for window in theirs.windows(COPIED_WORDS) {
            grams.insert(window.join(" "));
        }
    }
    let mut out: Vec<Range> = Vec::new();
    for (i, window) in mine.windows(COPIED_WORDS).enumerate() {
        let key = window
            .iter()
            .map(|w| w.2.as_str())
            .collect::<Vec<_>>()
            .join(" ");
        if grams.contains(&key) {
            let (start, end) = (mine[i].0, mine[i + COPIED_WORDS - 1].1);
            match out.last_mut() {
                Some(last) if last.1 >= start => last.1 = last.1.max(end),
                _ => out.push((start, end)),
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_straight_and_curly() {
        let t = "You said \u{201c}you're wrong\u{201d} and \"never again\".";
        let q = quoted(t);
        assert_eq!(q.len(), 2);
        assert_eq!(&t[q[0].0..q[0].1], "\u{201c}you're wrong\u{201d}");
    }

    #[test]
    fn copied_runs_of_customer_words() {
        let c = ["The parcel arrived with the screen cracked in half"];
        let t = "Sorry that the parcel arrived with the screen cracked, we'll fix it.";
        let r = copied(t, &c);
        assert_eq!(r.len(), 1);
        assert_eq!(
            &t[r[0].0..r[0].1],
            "the parcel arrived with the screen cracked"
        );
        assert!(copied("We will send a new one today.", &c).is_empty());
    }
}
