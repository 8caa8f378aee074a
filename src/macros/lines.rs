//! Lines and columns of byte offsets in one file, from one pass over it: counting line breaks
//! from the start of the file for every macro and every violation made reading and reporting a
//! library quadratic.

use std::ops::Deref;

/// Characters are counted from a checkpoint every this many bytes, so that the column of a byte
/// on a very long line (minified JSON) is found without counting the whole line.
const CHECKPOINT: usize = 4096;

/// Where each line of a text starts, and how many characters come before each checkpoint.
#[derive(Debug, Clone, Default)]
pub struct LineIndex {
    starts: Vec<usize>,
    chars_before: Vec<usize>,
}

impl LineIndex {
    /// Indexes `text`.
    pub fn new(text: &str) -> LineIndex {
        let bytes = text.as_bytes();
        let starts = std::iter::once(0)
            .chain(positions_of(bytes, b'\n').map(|i| i + 1))
            .collect();
        let mut chars_before = Vec::with_capacity(bytes.len() / CHECKPOINT + 1);
        let mut chars = 0;
        for block in bytes.chunks(CHECKPOINT) {
            chars_before.push(chars);
            chars += count_chars(block);
        }
        chars_before.push(chars);
        LineIndex {
            starts,
            chars_before,
        }
    }

    /// The 1-based line holding byte `at`.
    pub fn line(&self, at: usize) -> usize {
        self.starts.partition_point(|&start| start <= at).max(1)
    }

    /// The 1-based line and column (in characters) of byte `at` of `text` (the text indexed).
    pub fn line_col(&self, text: &str, at: usize) -> (usize, usize) {
        let mut at = at.min(text.len());
        while !text.is_char_boundary(at) {
            at -= 1;
        }
        let line = self.line(at);
        let start = self.starts.get(line - 1).copied().unwrap_or(0);
        // A line shorter than a checkpoint's stretch is counted through; a longer one from the
        // checkpoints, so a long line costs no more than a short one.
        let col = if at - start <= CHECKPOINT {
            text.as_bytes().get(start..at).map_or(0, count_chars)
        } else {
            self.chars_until(text, at) - self.chars_until(text, start)
        } + 1;
        (line, col)
    }

    /// How many characters begin before byte `at`.
    fn chars_until(&self, text: &str, at: usize) -> usize {
        let block = at / CHECKPOINT;
        let from = block * CHECKPOINT;
        self.chars_before.get(block).copied().unwrap_or(0)
            + text.as_bytes().get(from..at).map_or(0, count_chars)
    }
}

fn positions_of(bytes: &[u8], wanted: u8) -> impl Iterator<Item = usize> + '_ {
    bytes
        .iter()
        .enumerate()
        .filter(move |&(_, &b)| b == wanted)
        .map(|(i, _)| i)
}

/// Characters in UTF-8 bytes: the bytes that are not continuation bytes (a byte in the middle of
/// a character counts as part of it).
fn count_chars(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| b & 0xC0 != 0x80).count()
}

/// A library file's text together with its [`LineIndex`]; reads as a `str`.
#[derive(Debug, Clone, Default)]
pub struct FileText {
    text: String,
    lines: LineIndex,
}

impl FileText {
    /// Indexes `text`.
    pub fn new(text: String) -> FileText {
        let lines = LineIndex::new(&text);
        FileText { text, lines }
    }

    /// The text.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The 1-based line and column (in characters) of a byte.
    pub fn line_col(&self, at: usize) -> (usize, usize) {
        self.lines.line_col(&self.text, at)
    }

    /// The 1-based line of a byte.
    pub fn line(&self, at: usize) -> usize {
        self.lines.line(at)
    }
}

impl Deref for FileText {
    type Target = str;

    fn deref(&self) -> &str {
        &self.text
    }
}

impl From<FileText> for String {
    fn from(text: FileText) -> String {
        text.text
    }
}

impl std::fmt::Display for FileText {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text)
    }
}

/// Text whose lines and columns can be looked up: a plain `str` by counting, a [`FileText`]
/// through its index.
pub trait LineLookup {
    /// The 1-based line and column (in characters) of byte `at`.
    fn line_col_of(&self, at: usize) -> (usize, usize);
}

impl LineLookup for str {
    fn line_col_of(&self, at: usize) -> (usize, usize) {
        let mut at = at.min(self.len());
        while !self.is_char_boundary(at) {
            at -= 1;
        }
        let before = &self[..at];
        let line = before.matches('\n').count() + 1;
        let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        (line, col)
    }
}

impl LineLookup for String {
    fn line_col_of(&self, at: usize) -> (usize, usize) {
        self.as_str().line_col_of(at)
    }
}

impl LineLookup for FileText {
    fn line_col_of(&self, at: usize) -> (usize, usize) {
        self.line_col(at)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_are_counted_from_one() {
        let index = LineIndex::new("ab\ncd\n\nef");
        assert_eq!(index.line(0), 1);
        assert_eq!(index.line(2), 1);
        assert_eq!(index.line(3), 2);
        assert_eq!(index.line(6), 3);
        assert_eq!(index.line(7), 4);
        assert_eq!(index.line(99), 4);
    }

    /// Every byte of a text of short and long lines gets the line and column a plain count
    /// gives.
    #[test]
    fn columns_agree_with_counting_on_short_and_long_lines() {
        let text = format!("ab\ncé\n\n{}z\n{}\nq", "é".repeat(3000), "x".repeat(5000));
        let file = FileText::new(text.clone());
        for at in (0..=text.len()).step_by(7).chain([text.len()]) {
            assert_eq!(
                file.line_col(at),
                text.as_str().line_col_of(at),
                "byte {at}"
            );
        }
    }

    #[test]
    fn columns_count_characters_across_checkpoints() {
        let line = "é".repeat(5000);
        let text = format!("x\n{line}y\nz");
        let at = text.find('y').unwrap_or(0);
        assert_eq!(FileText::new(text.clone()).line_col(at), (2, 5001));
        assert_eq!(text.as_str().line_col_of(at), (2, 5001));
        assert_eq!(FileText::new(text.clone()).line_col(text.len()), (3, 2));
    }
}
