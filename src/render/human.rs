//! The human report, in the style of rustc and clippy: where, what, the offending excerpt
//! underlined, the rule id, the suggestion, and for a forbidden phrase a word diff of the agent's
//! message with the suggested phrasing in its place.

use std::borrow::Cow;
use std::io;
use std::ops::Range;

use codespan_reporting::diagnostic::{Diagnostic, Label, Severity as CsSeverity};
use codespan_reporting::term::termcolor::{Color, ColorSpec, WriteColor};
use codespan_reporting::term::{self, Config};
use similar::{ChangeTag, TextDiff};

use crate::conversation::Conversation;
use crate::dsl::ast::Severity;
use crate::excerpt::{to_io, Excerpt};
use crate::report::{ConversationReport, FixKind, SourceLines, Violation};

/// Counts for the closing summary line.
#[derive(Debug, Default, Clone, Copy)]
pub struct Totals {
    /// Conversations checked.
    pub conversations: usize,
    /// Macros checked.
    pub macros: usize,
    /// Violations of severity error.
    pub errors: usize,
    /// Violations of severity warning.
    pub warnings: usize,
    /// Violations of severity info.
    pub infos: usize,
}

impl Totals {
    /// Adds one conversation's violations.
    pub fn add(&mut self, report: &ConversationReport) {
        self.conversations += 1;
        self.count(report);
    }

    /// Adds one macro's violations.
    pub fn add_macro(&mut self, report: &ConversationReport) {
        self.macros += 1;
        self.count(report);
    }

    fn count(&mut self, report: &ConversationReport) {
        for v in &report.violations {
            match v.severity {
                Severity::Error => self.errors += 1,
                Severity::Warning => self.warnings += 1,
                Severity::Info => self.infos += 1,
            }
        }
    }
}

/// Input text as it may reach a terminal: control characters (C0 but tab and line breaks, DEL,
/// C1) and bidirectional overrides become visible escapes (`\u{1b}`), so a record cannot move
/// the cursor, recolor or retitle the terminal, or reorder what it shows.
pub fn terminal_text(text: &str) -> Cow<'_, str> {
    escape_for_terminal(text, true)
}

/// As [`terminal_text`], line breaks escaped too: for names and one-line messages.
pub fn terminal_line(text: &str) -> Cow<'_, str> {
    escape_for_terminal(text, false)
}

fn escape_for_terminal(text: &str, keep_line_breaks: bool) -> Cow<'_, str> {
    escape_moving(text, keep_line_breaks, &mut [])
}

/// `text` made safe for the terminal, and `range` moved to where it falls in the result.
fn escape_span(text: &str, range: Range<usize>) -> (Cow<'_, str>, Range<usize>) {
    let mut ends = [range.start, range.end];
    let safe = escape_moving(text, true, &mut ends);
    (safe, ends[0]..ends[1])
}

/// The escaping itself; each of `offsets` (into `text`) is moved by what the escapes before it
/// add, so it points at the same character in the result.
fn escape_moving<'t>(text: &'t str, keep_line_breaks: bool, offsets: &mut [usize]) -> Cow<'t, str> {
    let unsafe_at = |c: char, next: Option<char>| match c {
        '\t' => false,
        '\n' => !keep_line_breaks,
        '\r' => !(keep_line_breaks && next == Some('\n')),
        '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' => true,
        c => c.is_control(),
    };
    let originals = offsets.to_vec();
    let mut safe = String::new();
    let mut copied = 0;
    let mut chars = text.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        if unsafe_at(c, chars.peek().map(|&(_, next)| next)) {
            safe.push_str(text.get(copied..at).unwrap_or(""));
            safe.extend(c.escape_default());
            copied = at + c.len_utf8();
            let growth = safe.len() - copied;
            for (offset, original) in offsets.iter_mut().zip(&originals) {
                if *original > at {
                    *offset = original + growth;
                }
            }
        }
    }
    if copied == 0 {
        return Cow::Borrowed(text);
    }
    safe.push_str(text.get(copied..).unwrap_or(""));
    Cow::Owned(safe)
}

fn cs_severity(severity: Severity) -> CsSeverity {
    match severity {
        Severity::Error => CsSeverity::Error,
        Severity::Warning => CsSeverity::Warning,
        Severity::Info => CsSeverity::Note,
    }
}

/// Writes every violation of one conversation.
pub fn write_conversation(
    out: &mut dyn WriteColor,
    conversation: &Conversation,
    report: &ConversationReport,
) -> io::Result<()> {
    let config = Config::default();
    for v in &report.violations {
        let event_text = v
            .event
            .and_then(|i| conversation.events.get(i))
            .and_then(|e| e.text.as_deref());
        let level = match v.severity {
            Severity::Info => "info",
            s => s.as_str(),
        };
        match (v.span, event_text) {
            (Some(span), Some(text)) => {
                let event = v.event.unwrap_or(0);
                let (safe, range) = escape_span(text, span.start..span.end);
                // Where the message's words are in the file, when the reader knew: the gutter
                // counts from the line its text starts on, the heading names the file line and
                // column of the words.
                let fallback = (conversation.source.event_line(event), 1);
                let text_start = v.place.text_start.unwrap_or(fallback);
                let mut file = Excerpt::new(
                    terminal_line(&conversation.source.path).into_owned(),
                    safe,
                    text_start.0,
                );
                let words = (v.place.location.line, v.place.location.column);
                if text_start != fallback || words != fallback {
                    file = file.anchored(range.start, words);
                }
                let mut notes = vec![format!(
                    "in conversation `{}`, event {event}",
                    terminal_line(&conversation.id)
                )];
                if let Some(s) = &v.suggestion {
                    let s = terminal_line(s);
                    notes.push(match v.fix {
                        Some(FixKind::InsertBefore) => format!("help: say first: \"{s}\""),
                        _ => format!("help: say instead: \"{s}\""),
                    });
                }
                let diagnostic = Diagnostic::new(cs_severity(v.severity))
                    .with_message(terminal_line(&v.message))
                    .with_code(v.rule.to_string())
                    .with_labels(vec![
                        Label::primary((), range).with_message(format!("{level}: {}", v.rule))
                    ])
                    .with_notes(notes);
                term::emit(out, &config, &file, &diagnostic).map_err(to_io)?;
                if let Some(fixed) = &v.place.fixed {
                    write_fix_diff(out, &fixed.before, &fixed.after)?;
                }
            }
            _ => write_whole_conversation(out, conversation, v)?,
        }
    }
    Ok(())
}

/// Writes every violation of one macro, pointing into its library file as written.
pub fn write_macro(
    out: &mut dyn WriteColor,
    conversation: &Conversation,
    report: &ConversationReport,
) -> io::Result<()> {
    let config = Config::default();
    for v in &report.violations {
        let level = match v.severity {
            Severity::Info => "info",
            s => s.as_str(),
        };
        let (file, range) = source_file(&v.place.location.path, v.place.lines.as_ref());
        let mut notes = vec![format!("in macro `{}`", terminal_line(&conversation.id))];
        if let Some(detail) = &v.detail {
            notes.push(format!("note: {}", terminal_line(detail)));
        }
        if let Some(s) = &v.suggestion {
            let s = terminal_line(s);
            notes.push(match v.fix {
                Some(FixKind::Replace) => format!("help: say instead: \"{s}\""),
                Some(FixKind::InsertBefore) => format!("help: say first: \"{s}\""),
                None => format!("help: {s}"),
            });
        }
        let label = if v.span.is_some() {
            format!("{level}: {}", v.rule)
        } else {
            format!("{level}: {} (the macro as a whole)", v.rule)
        };
        let diagnostic = Diagnostic::new(cs_severity(v.severity))
            .with_message(terminal_line(&v.message))
            .with_code(v.rule.to_string())
            .with_labels(vec![Label::primary((), range).with_message(label)])
            .with_notes(notes);
        term::emit(out, &config, &file, &diagnostic).map_err(to_io)?;
        if let Some(fixed) = &v.place.fixed {
            write_fix_diff(out, &fixed.before, &fixed.after)?;
        }
    }
    Ok(())
}

/// The lines of a file a violation is on, made safe for the terminal, and where the violation
/// is in them.
fn source_file<'a>(path: &str, lines: Option<&'a SourceLines>) -> (Excerpt<'a>, Range<usize>) {
    let (text, first_line, span) = lines.map_or(("", 1, 0..0), |l| {
        (l.text.as_str(), l.first_line, l.span.start..l.span.end)
    });
    let (safe, range) = escape_span(text, span);
    let name = terminal_line(path).into_owned();
    (Excerpt::new(name, safe, first_line), range)
}

/// A violation about the conversation as a whole (something missing, or late).
fn write_whole_conversation(
    out: &mut dyn WriteColor,
    conversation: &Conversation,
    v: &Violation,
) -> io::Result<()> {
    let (color, word) = match v.severity {
        Severity::Error => (Color::Red, "error"),
        Severity::Warning => (Color::Yellow, "warning"),
        Severity::Info => (Color::Green, "note"),
    };
    out.set_color(ColorSpec::new().set_fg(Some(color)).set_bold(true))?;
    write!(out, "{word}[{}]", v.rule)?;
    out.set_color(ColorSpec::new().set_bold(true))?;
    writeln!(out, ": {}", terminal_line(&v.message))?;
    out.reset()?;
    out.set_color(ColorSpec::new().set_fg(Some(Color::Blue)).set_bold(true))?;
    write!(out, "  ┌─ ")?;
    out.reset()?;
    let line = v.event.map_or(conversation.source.line, |e| {
        conversation.source.event_line(e)
    });
    write!(out, "{}:{}", terminal_line(&conversation.source.path), line)?;
    let id = terminal_line(&conversation.id);
    match v.event {
        Some(e) => writeln!(out, " (conversation `{id}`, event {e})")?,
        None => writeln!(out, " (conversation `{id}`)")?,
    }
    if let Some(detail) = &v.detail {
        out.set_color(ColorSpec::new().set_fg(Some(Color::Blue)).set_bold(true))?;
        write!(out, "  =")?;
        out.reset()?;
        writeln!(out, " note: {}", terminal_line(detail))?;
    }
    if let Some(s) = &v.suggestion {
        out.set_color(ColorSpec::new().set_fg(Some(Color::Blue)).set_bold(true))?;
        write!(out, "  =")?;
        out.reset()?;
        writeln!(out, " help: {}", terminal_line(s))?;
    }
    writeln!(out)
}

/// The agent's message before and after the suggested phrasing replaces the excerpt, as a word
/// diff: removed words in red, added words in green.
fn write_fix_diff(out: &mut dyn WriteColor, text: &str, fixed: &str) -> io::Result<()> {
    // Line by line, so a macro's Markdown (lists, paragraphs) keeps its shape; within a changed
    // line, the words that change stand out.
    let lines = TextDiff::from_lines(text, fixed);
    for group in lines.grouped_ops(0) {
        let (mut old, mut new) = (Vec::new(), Vec::new());
        for op in &group {
            for change in lines.iter_changes(op) {
                match change.tag() {
                    ChangeTag::Delete => old.push(change.value()),
                    ChangeTag::Insert => new.push(change.value()),
                    ChangeTag::Equal => {}
                }
            }
        }
        for i in 0..old.len().max(new.len()) {
            let (before, after) = (old.get(i).copied(), new.get(i).copied());
            if let Some(line) = before {
                write_diff_line(out, '-', Color::Red, line, after, ChangeTag::Delete)?;
            }
            if let Some(line) = after {
                write_diff_line(out, '+', Color::Green, line, before, ChangeTag::Insert)?;
            }
        }
    }
    writeln!(out)
}

/// One line of a fix's diff, the words it does not share with `other` (its counterpart) in
/// bold.
fn write_diff_line(
    out: &mut dyn WriteColor,
    sign: char,
    color: Color,
    line: &str,
    other: Option<&str>,
    wanted: ChangeTag,
) -> io::Result<()> {
    out.set_color(ColorSpec::new().set_fg(Some(color)))?;
    write!(out, "  {sign} ")?;
    out.reset()?;
    let line = line.trim_end_matches(['\n', '\r']);
    let other = other.map(|o| o.trim_end_matches(['\n', '\r']));
    let (old, new) = match wanted {
        ChangeTag::Delete => (line, other.unwrap_or("")),
        _ => (other.unwrap_or(""), line),
    };
    let words = TextDiff::from_words(old, new);
    for change in words.iter_all_changes() {
        let tag = change.tag();
        if tag != ChangeTag::Equal && tag != wanted {
            continue;
        }
        let value = terminal_line(change.value()).into_owned();
        if tag == wanted && other.is_some() {
            out.set_color(ColorSpec::new().set_fg(Some(color)).set_bold(true))?;
            write!(out, "{value}")?;
            out.reset()?;
        } else {
            write!(out, "{value}")?;
        }
    }
    writeln!(out)
}

/// The closing line: how many conversations, how many findings of each severity.
pub fn write_summary(
    out: &mut dyn WriteColor,
    totals: &Totals,
    input_errors: usize,
) -> io::Result<()> {
    let found = totals.errors + totals.warnings + totals.infos;
    out.set_color(ColorSpec::new().set_bold(true))?;
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    let checked = match (totals.conversations, totals.macros) {
        (c, 0) => plural(c, "conversation"),
        (0, m) => plural(m, "macro"),
        (c, m) => format!("{} and {}", plural(c, "conversation"), plural(m, "macro")),
    };
    write!(out, "checked {checked}")?;
    out.reset()?;
    if found == 0 {
        write!(out, ": no violations")?;
    } else {
        write!(
            out,
            ": {}, {}, {}",
            plural(totals.errors, "error"),
            plural(totals.warnings, "warning"),
            plural(totals.infos, "info")
        )?;
    }
    if input_errors > 0 {
        // Not always a record: a missing file, a bad `tact-ignore` are input errors too.
        write!(out, "; {}", plural(input_errors, "input error"))?;
    }
    writeln!(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_become_visible_escapes() {
        assert_eq!(
            terminal_text("a\u{1b}[2J\u{9b}b\r\nc\td\u{202E}e\rf"),
            "a\\u{1b}[2J\\u{9b}b\r\nc\td\\u{202e}e\\rf"
        );
        assert_eq!(terminal_line("x\ny"), "x\\ny");
        assert!(matches!(terminal_text("plain text\n"), Cow::Borrowed(_)));
    }

    #[test]
    fn spans_follow_the_text_they_point_at() {
        let text = "\u{1b}[31mYou're wrong";
        let (safe, range) = escape_span(text, 5..17);
        assert_eq!(&safe[range], "You're wrong");
        // A line break kept as it is moves nothing, even at the end of a span.
        let text = "\u{7}line one\r\nline two";
        let (safe, range) = escape_span(text, 1..10);
        assert_eq!(&safe[range], "line one\r");
    }
}
