//! Text as people write it: matching ignores case, curly versus straight quotes, runs of white
//! space, compatibility forms (NFKC: a fullwidth `＇` is `'`) and invisible characters (a soft
//! hyphen or a zero-width space inside "you're wrong" does not hide it), while every match
//! still points at bytes of the original text.

use unicode_normalization::char::{compose, decompose_compatible};

/// A text folded for matching, with a map from each folded byte back to the original.
#[derive(Debug, Clone, Default)]
pub struct Folded {
    text: String,
    /// `origin[i]` is the original byte offset of folded byte `i`; one extra entry for the end.
    origin: Vec<usize>,
}

impl Folded {
    /// Folds `original`: compatibility forms decomposed and recomposed (NFKC), invisible
    /// (default-ignorable) characters dropped, lowercase, curly quotes and apostrophes made
    /// straight, every run of white space made one space, leading and trailing white space
    /// dropped.
    pub fn new(original: &str) -> Self {
        let mut folded = Folded {
            text: String::with_capacity(original.len()),
            origin: Vec::with_capacity(original.len() + 1),
        };
        folded.fold_into(original);
        folded
    }

    /// Folds `original` into this buffer, reusing its allocations.
    pub fn fold_into(&mut self, original: &str) {
        self.text.clear();
        self.origin.clear();
        let mut pending_space: Option<usize> = None;
        let bytes = original.as_bytes();
        let mut at = 0;
        while let Some(&byte) = bytes.get(at) {
            if byte.is_ascii() && !is_ascii_space(byte) {
                // Most text is ASCII: a run of it, single spaces between words included, is
                // copied at once, lower-cased in place, one origin per byte. It ends before any
                // other white space or character, and before a space that is not followed by
                // one more ASCII character of a word.
                let word = |b: &u8| b.is_ascii() && !is_ascii_space(*b);
                let mut run = at;
                while let Some(b) = bytes.get(run) {
                    if word(b) || (*b == b' ' && bytes.get(run + 1).is_some_and(word)) {
                        run += 1;
                    } else {
                        break;
                    }
                }
                if let Some(space_at) = pending_space.take() {
                    if !self.text.is_empty() {
                        self.push(' ', space_at);
                    }
                }
                self.push_ascii(&original[at..run], at);
                at = run;
                continue;
            }
            let Some(ch) = original[at..].chars().next() else {
                break;
            };
            let start = at;
            at += ch.len_utf8();
            if ch.is_whitespace() {
                if pending_space.is_none() {
                    pending_space = Some(start);
                }
                continue;
            }
            if let Some(space_at) = pending_space.take() {
                if !self.text.is_empty() {
                    self.push(' ', space_at);
                }
            }
            if !is_default_ignorable(ch) {
                decompose_compatible(ch, |part| self.push_composed(part, start));
            }
        }
        let end = pending_space.unwrap_or(original.len());
        self.origin.push(end);
    }

    /// Pushes one character of a compatibility decomposition, composing a combining mark with
    /// the character before it where Unicode has one for the pair (NFKC).
    fn push_composed(&mut self, c: char, origin: usize) {
        if let Some(last) = self.text.chars().next_back() {
            if let Some(both) = compose(last, c) {
                let last_origin = self.origin[self.text.len() - last.len_utf8()];
                self.origin.truncate(self.text.len() - last.len_utf8());
                self.text.pop();
                self.push_folded(both, last_origin);
                return;
            }
        }
        // The decomposition may hold white space (a no-break space is a space).
        if c.is_whitespace() {
            if !self.text.is_empty() && !self.text.ends_with(' ') {
                self.push(' ', origin);
            }
            return;
        }
        self.push_folded(c, origin);
    }

    fn push_folded(&mut self, ch: char, origin: usize) {
        match fold_char(ch) {
            Folding::One(c) => self.push(c, origin),
            Folding::Lower(lower) => {
                for c in lower {
                    self.push(c, origin);
                }
            }
        }
    }

    /// Pushes a run of ASCII characters, white space only single spaces between others,
    /// starting at original byte `origin`: folded as [`fold_char`] folds each of them.
    fn push_ascii(&mut self, run: &str, origin: usize) {
        let from = self.text.len();
        self.text.push_str(run);
        self.text[from..].make_ascii_lowercase();
        if run.contains('`') {
            let tail = self.text.split_off(from);
            self.text.push_str(&tail.replace('`', "'"));
        }
        self.origin.extend(origin..origin + run.len());
    }

    fn push(&mut self, c: char, origin: usize) {
        let mut buf = [0u8; 4];
        for _ in 0..c.encode_utf8(&mut buf).len() {
            self.origin.push(origin);
        }
        self.text.push(c);
    }

    /// The folded text.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The folded byte offset where the original byte `original` (a character boundary) lands:
    /// the first folded byte that comes from at or after it.
    pub fn folded_offset(&self, original: usize) -> usize {
        self.origin
            .partition_point(|&o| o < original)
            .min(self.text.len())
    }

    /// The original byte range of the folded range `start..end`.
    pub fn original_range(&self, start: usize, end: usize, original: &str) -> (usize, usize) {
        let from = self.origin.get(start).copied().unwrap_or(original.len());
        let to = if end == 0 {
            from
        } else {
            // The end is just past the last folded byte's original character.
            let last = self.origin.get(end - 1).copied().unwrap_or(original.len());
            original[last..]
                .chars()
                .next()
                .map_or(original.len(), |c| last + c.len_utf8())
        };
        (from, to.max(from))
    }
}

enum Folding {
    One(char),
    Lower(std::char::ToLowercase),
}

fn fold_char(ch: char) -> Folding {
    match ch {
        '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}' | '\u{2032}' | '\u{02BC}'
        | '\u{00B4}' | '`' => Folding::One('\''),
        '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' | '\u{2033}' | '\u{00AB}'
        | '\u{00BB}' => Folding::One('"'),
        '\u{2010}' | '\u{2011}' => Folding::One('-'),
        c if c.is_ascii() => Folding::One(c.to_ascii_lowercase()),
        c => Folding::Lower(c.to_lowercase()),
    }
}

/// The ASCII characters that `char::is_whitespace` holds (tab to carriage return, space).
fn is_ascii_space(byte: u8) -> bool {
    matches!(byte, b'\t'..=b'\r' | b' ')
}

/// Unicode's Default_Ignorable_Code_Point (DerivedCoreProperties.txt): characters that are not
/// shown, such as the soft hyphen, zero-width spaces and joiners, bidi controls and variation
/// selectors.
fn is_default_ignorable(c: char) -> bool {
    matches!(
        c as u32,
        0x00AD
            | 0x034F
            | 0x061C
            | 0x115F..=0x1160
            | 0x17B4..=0x17B5
            | 0x180B..=0x180F
            | 0x200B..=0x200F
            | 0x202A..=0x202E
            | 0x2060..=0x206F
            | 0x3164
            | 0xFE00..=0xFE0F
            | 0xFEFF
            | 0xFFA0
            | 0xFFF0..=0xFFF8
            | 0x1BCA0..=0x1BCA3
            | 0x1D173..=0x1D17A
            | 0xE0000..=0xE0FFF
    )
}

/// Whether `c` is part of a word for phrase boundaries. The apostrophe counts, so that `we can`
/// does not match inside `we can't`, nor `you` inside `you're`.
pub fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_' || c == '\''
}

/// Folds a phrase written by a policy author the same way as the texts it is matched against.
pub fn fold_phrase(phrase: &str) -> String {
    Folded::new(phrase).text
}

/// Every text of the repository's real conversations and macros (`eval/pool`), folded as the
/// matcher and the message analysis fold them: what tests hold the automata to.
#[cfg(test)]
pub(crate) fn pool_texts() -> Vec<String> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("eval/pool");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "jsonl"))
        .collect();
    files.sort();
    let mut texts = Vec::new();
    for file in files {
        let content = std::fs::read_to_string(&file).unwrap_or_default();
        for line in content.lines() {
            let value: serde_json::Value = serde_json::from_str(line).unwrap_or_default();
            let events = value.get("events").and_then(|e| e.as_array());
            for event in events.into_iter().flatten() {
                if let Some(text) = event.get("text").and_then(|t| t.as_str()) {
                    texts.push(Folded::new(text).as_str().to_string());
                }
            }
        }
    }
    texts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_case_quotes_and_space_and_maps_back() {
        let original = "  You\u{2019}re   WRONG\n\tabout “that”. ";
        let folded = Folded::new(original);
        assert_eq!(folded.as_str(), "you're wrong about \"that\".");
        let start = folded.as_str().find("wrong about").unwrap_or(0);
        let (from, to) = folded.original_range(start, start + "wrong about".len(), original);
        assert_eq!(&original[from..to], "WRONG\n\tabout");
        let q = folded.as_str().find("you're").unwrap_or(9);
        let (from, to) = folded.original_range(q, q + 6, original);
        assert_eq!(&original[from..to], "You\u{2019}re");
    }

    #[test]
    fn multibyte_lowercase_maps_to_whole_characters() {
        let original = "ÉCHEC İstanbul";
        let folded = Folded::new(original);
        let s = folded.as_str();
        assert!(s.starts_with("échec"));
        let (from, to) = folded.original_range(0, "échec".len(), original);
        assert_eq!(&original[from..to], "ÉCHEC");
        let (from, to) = folded.original_range(0, s.len(), original);
        assert_eq!(&original[from..to], original);
    }

    #[test]
    fn invisible_and_compatibility_characters_do_not_hide_a_phrase() {
        for original in [
            "You\u{FF07}re wrong",               // fullwidth apostrophe
            "You're wr\u{00AD}ong",              // soft hyphen
            "You're\u{200B} wrong",              // zero-width space after the word
            "Yo\u{200D}u're wrong",              // zero-width joiner inside it
            "\u{FF39}\u{FF4F}\u{FF55}'re wrong", // fullwidth letters
            "You're\u{00A0}wrong",               // no-break space
        ] {
            let folded = Folded::new(original);
            assert_eq!(folded.as_str(), "you're wrong", "{original:?}");
            let (from, to) = folded.original_range(0, folded.as_str().len(), original);
            assert_eq!((from, to), (0, original.len()), "{original:?}");
        }
        // Decomposed accents compose, as in NFKC, so "café" matches however it is written.
        assert_eq!(Folded::new("cafe\u{0301}").as_str(), "café");
        assert_eq!(fold_phrase("ﬁle"), "file");
    }

    /// The ASCII fast path folds as the character path does, byte for byte and origin for
    /// origin.
    #[test]
    fn ascii_runs_fold_like_single_characters() {
        let all: String = (0u8..128).map(char::from).collect();
        for original in [
            all.as_str(),
            "Hello `World`\x0b\tOK \u{301}e\u{301} X\u{00A0}Y ",
            "A`",
        ] {
            let fast = Folded::new(original);
            let mut slow = Folded::default();
            for (at, ch) in original.char_indices() {
                if ch.is_whitespace() {
                    if !slow.text.is_empty() && !slow.text.ends_with(' ') {
                        slow.push(' ', at);
                    }
                } else if ch.is_ascii() {
                    slow.push_folded(ch, at);
                } else if !is_default_ignorable(ch) {
                    decompose_compatible(ch, |part| slow.push_composed(part, at));
                }
            }
            assert!(!fast.text.ends_with(' '));
            assert_eq!(fast.text, slow.text.trim_end(), "{original:?}");
            assert_eq!(
                fast.origin[..fast.text.len()],
                slow.origin[..fast.text.len()],
                "{original:?}"
            );
        }
    }

    #[test]
    fn empty_and_blank_texts() {
        assert_eq!(Folded::new("").as_str(), "");
        let blank = Folded::new(" \n ");
        assert_eq!(blank.as_str(), "");
        assert_eq!(blank.original_range(0, 0, " \n "), (0, 0));
    }

    #[test]
    fn apostrophe_is_a_word_character() {
        assert!(is_word_char('\''));
        assert!(is_word_char('é'));
        assert!(!is_word_char(' '));
        assert!(!is_word_char(','));
    }
}
