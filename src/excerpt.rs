//! A few lines of a file shown under a diagnostic: the one codespan "file" behind every
//! diagnostic tact prints (policy errors and conversation findings alike), numbered as in the
//! file they come from.

use std::borrow::Cow;
use std::io;
use std::ops::Range;

use codespan_reporting::files::{self, Files};

/// Lines of a file (or one message's text) whose first line is `first_line` of the file.
pub struct Excerpt<'a> {
    name: String,
    text: Cow<'a, str>,
    first_line: usize,
    line_starts: Vec<usize>,
    /// A byte of `text` and its line and column in the file as written, when the two differ
    /// (escaped text, a message inside a JSONL line): the `file:line:col` heading at that byte
    /// then points into the file rather than into the excerpt.
    anchor: Option<(usize, (usize, usize))>,
}

impl<'a> Excerpt<'a> {
    /// `text`, named `name`, starting at line `first_line` of its file.
    pub fn new(name: String, text: impl Into<Cow<'a, str>>, first_line: usize) -> Self {
        let text = text.into();
        let line_starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        Excerpt {
            name,
            text,
            first_line,
            line_starts,
            anchor: None,
        }
    }

    /// Says that byte `at` of the excerpt stands at `line` and `column` of the file.
    pub fn anchored(mut self, at: usize, line_and_column: (usize, usize)) -> Self {
        self.anchor = Some((at, line_and_column));
        self
    }
}

impl<'a> Files<'a> for Excerpt<'a> {
    type FileId = ();
    type Name = &'a str;
    type Source = &'a str;

    fn name(&'a self, _: ()) -> Result<&'a str, files::Error> {
        Ok(&self.name)
    }

    fn source(&'a self, _: ()) -> Result<&'a str, files::Error> {
        Ok(&self.text)
    }

    fn line_index(&'a self, _: (), byte_index: usize) -> Result<usize, files::Error> {
        Ok(self
            .line_starts
            .binary_search(&byte_index)
            .unwrap_or_else(|next| next.saturating_sub(1)))
    }

    fn line_number(&'a self, _: (), line_index: usize) -> Result<usize, files::Error> {
        Ok(self.first_line + line_index)
    }

    fn location(&'a self, id: (), byte_index: usize) -> Result<files::Location, files::Error> {
        if let Some((at, (line_number, column_number))) = self.anchor {
            if at == byte_index {
                return Ok(files::Location {
                    line_number,
                    column_number,
                });
            }
        }
        let line_index = self.line_index(id, byte_index)?;
        let line = self.line_range(id, line_index)?;
        Ok(files::Location {
            line_number: self.line_number(id, line_index)?,
            column_number: self.text[line.start..byte_index.min(self.text.len()).max(line.start)]
                .chars()
                .count()
                + 1,
        })
    }

    fn line_range(&'a self, _: (), line_index: usize) -> Result<Range<usize>, files::Error> {
        let start = *self
            .line_starts
            .get(line_index)
            .ok_or(files::Error::LineTooLarge {
                given: line_index,
                max: self.line_starts.len().saturating_sub(1),
            })?;
        let end = self
            .line_starts
            .get(line_index + 1)
            .copied()
            .unwrap_or(self.text.len());
        Ok(start..end)
    }
}

/// codespan's error as an I/O error, keeping an I/O failure's kind (a closed pipe stays one).
pub fn to_io(e: files::Error) -> io::Error {
    match e {
        files::Error::Io(e) => e,
        other => io::Error::other(other.to_string()),
    }
}
