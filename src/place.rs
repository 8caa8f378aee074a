//! Placing findings: where each violation is in the file as written and what its fix writes,
//! worked out once when a report is made for a conversation or a macro, so that renderers only
//! read the finding model and never reach into readers, the macro library or the fixer.

use crate::conversation::Conversation;
use crate::fix;
use crate::input::position::{text_location, text_positions};
use crate::macros::fix::file_edit;
use crate::macros::{line_col, MacroFile};
use crate::report::{ConversationReport, FileEdit, FixedText, Location, SourceLines, TextSpan};

/// Places the violations of a conversation: their words in the input file (where the reader
/// knew the file position of the text), and the message as the suggestion would leave it.
pub fn place_conversation(conversation: &Conversation, report: &mut ConversationReport) {
    for v in &mut report.violations {
        // The words' start and end, and the text's start, found in one reading of the record.
        let found = v
            .span
            .map(|span| text_positions(conversation, v.event, &[span.start, span.end, 0]));
        let ((line, column), (end_line, end_column)) = match found.as_deref() {
            Some(&[start, end, _]) => (start, end),
            _ => text_location(conversation, v.event, v.span),
        };
        v.place.location = Location {
            path: conversation.source.path.clone(),
            line,
            column,
            end_line,
            end_column,
        };
        let text = v
            .event
            .and_then(|i| conversation.events.get(i))
            .and_then(|e| e.text.as_deref());
        let (Some(span), Some(text)) = (v.span, text) else {
            continue;
        };
        v.place.text_start = found.as_deref().and_then(|f| f.get(2).copied());
        if let (Some(s), Some(kind)) = (&v.suggestion, v.fix) {
            v.place.fixed = fix::apply(text, span, s, kind).map(|after| FixedText {
                before: text.to_string(),
                after,
            });
        }
    }
}

/// Places the violations of macro `index` of a library file: the bytes they point at traced
/// back to the file, the lines around them, the macro's text once fixed, and the fix as an edit
/// of the file when `--fix` could write it.
pub fn place_macro(file: &MacroFile, index: usize, report: &mut ConversationReport) {
    let m = file.macros.get(index);
    for v in &mut report.violations {
        let (start, end) = file.byte_range(index, v.span);
        let (line, column) = line_col(&file.text, start);
        let (end_line, end_column) = line_col(&file.text, end);
        v.place.location = Location {
            path: file.path.clone(),
            line,
            column,
            end_line,
            end_column,
        };
        v.place.lines = Some(lines_around(file, start, end));
        let Some(m) = m else {
            continue;
        };
        if let (Some(s), Some(kind), Some(span)) = (&v.suggestion, v.fix, v.span) {
            v.place.fixed = fix::apply(&m.body, span, s, kind).map(|after| FixedText {
                before: m.body.clone(),
                after,
            });
        }
        if v.safe_fix {
            if let Ok(Some(((start, end), written, _, _))) = file_edit(m, v) {
                v.place.file_edit = Some(FileEdit {
                    start: line_col(&file.text, start),
                    end: line_col(&file.text, end),
                    written,
                });
            }
        }
    }
}

/// The whole lines of a library file that bytes `start..end` fall on, and where those bytes
/// are in them: all a diagnostic shows, without copying the whole file for each violation.
fn lines_around(file: &MacroFile, start: usize, end: usize) -> SourceLines {
    let text = file.text.as_str();
    let start = start.min(text.len());
    let end = end.clamp(start, text.len());
    let from = text
        .get(..start)
        .and_then(|t| t.rfind('\n'))
        .map_or(0, |i| i + 1);
    // Up to and with the line break, so that a CRLF ending stays a line break.
    let to = text
        .get(end..)
        .and_then(|t| t.find('\n'))
        .map_or(text.len(), |i| end + i + 1);
    SourceLines {
        text: text.get(from..to).unwrap_or("").to_string(),
        first_line: line_col(&file.text, from).0,
        span: TextSpan {
            start: start - from,
            end: end - from,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::macros::LibraryKind;

    /// The byte of `text` at a 1-based line and column (in characters).
    fn byte_at(text: &str, (line, column): (usize, usize)) -> usize {
        let start: usize = text
            .split_inclusive('\n')
            .take(line - 1)
            .map(str::len)
            .sum();
        let rest = &text[start..];
        start
            + rest
                .char_indices()
                .nth(column - 1)
                .map_or(rest.len(), |(i, _)| i)
    }

    #[test]
    fn a_placed_macro_violation_points_at_its_words_and_carries_its_fix() {
        let engine = crate::builtin_engine().unwrap();
        let text = include_str!("../examples/macros/library.yaml").to_string();
        let (file, errors) = MacroFile::read("library.yaml", text, LibraryKind::Yaml);
        assert!(errors.is_empty(), "{errors:?}");
        let mut located = 0;
        let mut edits = 0;
        for index in 0..file.macros.len() {
            let conversation = file.macros[index].conversation(&file.path, file.line_of(index));
            let mut report = engine.check_macro(&conversation);
            place_macro(&file, index, &mut report);
            for v in &report.violations {
                let at = &v.place.location;
                assert_eq!(at.path, "library.yaml");
                let lines = v.place.lines.as_ref().unwrap();
                let shown = lines.first_line..lines.first_line + lines.text.lines().count().max(1);
                assert!(shown.contains(&at.line), "{lines:?} {at:?}");
                if let Some(excerpt) = &v.excerpt {
                    let from = byte_at(&file.text, (at.line, at.column));
                    assert!(file.text[from..].starts_with(excerpt.as_str()), "{v:?}");
                    located += 1;
                }
                if let Some(edit) = &v.place.file_edit {
                    let from = byte_at(&file.text, edit.start);
                    let to = byte_at(&file.text, edit.end);
                    assert!(from < to && !edit.written.is_empty(), "{edit:?}");
                    edits += 1;
                }
                if let Some(fixed) = &v.place.fixed {
                    assert_ne!(fixed.before, fixed.after);
                }
            }
        }
        assert!(
            located >= 2 && edits >= 1,
            "{located} located, {edits} edits"
        );
    }

    #[test]
    fn a_placed_conversation_violation_has_its_line_and_its_fixed_message() {
        let engine = crate::builtin_engine().unwrap();
        let mut conversations = Vec::new();
        crate::input::read_bytes(
            "chat.txt",
            "chat",
            None,
            b"Customer: I was charged twice.\nAgent: Calm down, please. You're wrong, our system is fine.\n",
            &Default::default(),
            &mut |r| conversations.push(r.unwrap()),
        );
        let conversation = &conversations[0];
        let mut report = engine.check(conversation);
        place_conversation(conversation, &mut report);
        let spanned: Vec<_> = report
            .violations
            .iter()
            .filter(|v| v.span.is_some())
            .collect();
        assert!(!spanned.is_empty());
        for v in spanned {
            assert_eq!(v.place.location.path, "chat.txt");
            assert_eq!(v.place.location.line, 2, "{v:?}");
            assert_eq!(v.place.text_start, Some((2, 8)));
        }
        assert!(report.violations.iter().any(|v| v.place.fixed.is_some()));
    }
}
