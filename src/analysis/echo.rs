//! Words in an agent message that are not the agent's own: quoted text, reported speech ("you
//! said it never arrived", "I see you'd like a refund"), and runs of words copied from what the
//! customer wrote earlier.

use super::segment::Range;
use super::speech_act::LEXICON;

/// Runs of this many words or more, copied from a customer message, are an echo.
const COPIED_WORDS: usize = 5;

/// Quoted stretches of `text`: between straight or curly double quotes, or single quotes that
/// open at the start of a word and close at the end of one (not an apostrophe inside a word),
/// at most 300 bytes.
pub fn quoted(text: &str) -> Vec<Range> {
    let mut out = single_quoted(text);
    let mut open: Option<usize> = None;
    for (i, c) in marks(text, &['"', '\u{201c}', '\u{201d}']) {
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

fn single_quoted(text: &str) -> Vec<Range> {
    let mut out = Vec::new();
    let mut open: Option<usize> = None;
    // Only the quote marks and the characters either side of them are looked at.
    for (i, c) in marks(text, &['\'', '\u{2018}', '\u{2019}']) {
        let before = text[..i].chars().next_back();
        let after = text[i + c.len_utf8()..].chars().next();
        let opens = before.is_none_or(|b| b.is_whitespace() || b == '(')
            && after.is_some_and(char::is_alphanumeric);
        let closes = before.is_some_and(|b| !b.is_whitespace())
            && after.is_none_or(|a| a.is_whitespace() || ".,;:!?)".contains(a));
        match open {
            Some(start) if closes => {
                let end = i + c.len_utf8();
                let inner = &text[start..end];
                if end - start <= 300 && inner.split_whitespace().count() >= 2 {
                    out.push((start, end));
                }
                open = None;
            }
            None if opens => open = Some(i),
            _ => {}
        }
    }
    out
}

/// Where the characters `wanted` (ASCII, or starting with the byte E2: the quote marks) stand
/// in `text`, in order. Only those bytes are decoded.
fn marks<'t>(text: &'t str, wanted: &'t [char]) -> impl Iterator<Item = (usize, char)> + 't {
    let bytes = text.as_bytes();
    let mut from = 0;
    std::iter::from_fn(move || {
        let rest = bytes.get(from..)?;
        let i = from
            + rest
                .iter()
                .position(|&b| b == b'"' || b == b'\'' || b == 0xE2)?;
        from = i + 1;
        Some(i)
    })
    .filter_map(move |i| text.get(i..)?.chars().next().map(|c| (i, c)))
    .filter(move |(_, c)| wanted.contains(c))
}

/// Reported speech in the clause `clause` of `lower`: from the reporting words to the clause's
/// end.
pub fn reported(lower: &str, clause: Range) -> Option<Range> {
    let text = lower.get(clause.0..clause.1)?;
    LEXICON
        .reported
        .find(text.as_bytes())
        .map(|m| (clause.0 + m.start(), clause.1))
}

/// Word spans of a text with a hash of each word in lower case: (start, end, hash).
pub(crate) fn words(text: &str) -> Vec<(usize, usize, u64)> {
    let mut out = Vec::new();
    let mut start = None;
    let mut hash = FNV_OFFSET;
    let bytes = text.as_bytes();
    let mut i = 0;
    while let Some(&byte) = bytes.get(i) {
        // ASCII, most of any text, is read a byte at a time, without decoding characters.
        let c = match byte {
            0..=0x7F => char::from(byte),
            _ => text.get(i..).and_then(|t| t.chars().next()).unwrap_or(' '),
        };
        let at = i;
        i += c.len_utf8();
        let c = if c == '\u{2019}' { '\'' } else { c };
        let wordy = if byte.is_ascii() {
            byte.is_ascii_alphanumeric() || byte == b'\''
        } else {
            c.is_alphanumeric() || c == '\''
        };
        match (wordy, start) {
            (true, s) => {
                if s.is_none() {
                    start = Some(at);
                    hash = FNV_OFFSET;
                }
                if c.is_ascii() {
                    let l = c.to_ascii_lowercase();
                    hash = (hash ^ u64::from(u32::from(l))).wrapping_mul(FNV_PRIME);
                } else {
                    for l in c.to_lowercase() {
                        hash = (hash ^ u64::from(u32::from(l))).wrapping_mul(FNV_PRIME);
                    }
                }
            }
            (false, Some(s)) => {
                out.push((s, at, hash));
                start = None;
            }
            (false, None) => {}
        }
    }
    if let Some(s) = start {
        out.push((s, text.len(), hash));
    }
    out
}

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const FNV_PRIME: u64 = 0x0100_0000_01b3;

fn run_hash(run: &[(usize, usize, u64)]) -> u64 {
    run.iter().fold(FNV_OFFSET, |h, w| {
        (h ^ w.2).wrapping_mul(FNV_PRIME).rotate_left(17)
    })
}

/// Hashes of every run of [`COPIED_WORDS`] consecutive words of `text`.
pub fn word_runs(text: &str) -> Vec<u64> {
    runs(&words(text))
}

/// Hashes of every run of [`COPIED_WORDS`] consecutive words (from [`words`]).
pub(crate) fn runs(words: &[(usize, usize, u64)]) -> Vec<u64> {
    words.windows(COPIED_WORDS).map(run_hash).collect()
}

/// Stretches of `text` that repeat at least [`COPIED_WORDS`] consecutive words the other side
/// wrote (`heard` says whether a run's hash, from [`word_runs`], was said before).
pub fn copied(text: &str, heard: impl Fn(u64) -> bool) -> Vec<Range> {
    let mine = words(text);
    let mut out: Vec<Range> = Vec::new();
    for (i, window) in mine.windows(COPIED_WORDS).enumerate() {
        if heard(run_hash(window)) {
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
    fn single_quotes_but_not_apostrophes() {
        let t = "I won't hide behind 'that's just our policy'. It's fine.";
        let q = quoted(t);
        assert_eq!(q.len(), 1);
        assert_eq!(&t[q[0].0..q[0].1], "'that's just our policy'");
        assert!(quoted("The customers' orders aren't late, it's fine.").is_empty());
    }

    #[test]
    fn copied_runs_of_customer_words() {
        let c: std::collections::HashSet<u64> =
            word_runs("The parcel arrived with the screen cracked in half")
                .into_iter()
                .collect();
        let t = "Sorry that the parcel arrived with the screen cracked, we'll fix it.";
        let r = copied(t, |run| c.contains(&run));
        assert_eq!(r.len(), 1);
        assert_eq!(
            &t[r[0].0..r[0].1],
            "the parcel arrived with the screen cracked"
        );
        assert!(copied("We will send a new one today.", |run| c.contains(&run)).is_empty());
    }
}
