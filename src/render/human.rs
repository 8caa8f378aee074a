//! The human report, in the style of rustc and clippy: where, what, the offending excerpt
//! underlined, the rule id, the suggestion, and for a forbidden phrase a word diff of the agent's
//! message with the suggested phrasing in its place.

use std::io;
use std::ops::Range;

use codespan_reporting::diagnostic::{Diagnostic, Label, Severity as CsSeverity};
use codespan_reporting::files::{self, Files};
use codespan_reporting::term::termcolor::{Color, ColorSpec, WriteColor};
use codespan_reporting::term::{self, Config};
use similar::{ChangeTag, TextDiff};

use codespan_reporting::files::SimpleFile;

use crate::conversation::Conversation;
use crate::dsl::ast::Severity;
use crate::fix::{self, FixKind};
use crate::macros::MacroFile;
use crate::report::{ConversationReport, Violation};

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

/// One message's text presented as a file whose lines start at its line in the input.
struct MessageFile<'a> {
    name: String,
    text: &'a str,
    first_line: usize,
    line_starts: Vec<usize>,
}

impl<'a> MessageFile<'a> {
    fn new(name: String, text: &'a str, first_line: usize) -> Self {
        let line_starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        MessageFile {
            name,
            text,
            first_line,
            line_starts,
        }
    }
}

impl<'a> Files<'a> for MessageFile<'a> {
    type FileId = ();
    type Name = &'a str;
    type Source = &'a str;

    fn name(&'a self, _: ()) -> Result<&'a str, files::Error> {
        Ok(&self.name)
    }

    fn source(&'a self, _: ()) -> Result<&'a str, files::Error> {
        Ok(self.text)
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
                let file = MessageFile::new(
                    conversation.source.path.clone(),
                    text,
                    conversation.source.event_line(event),
                );
                let mut notes = vec![format!(
                    "in conversation `{}`, event {event}",
                    conversation.id
                )];
                if let Some(s) = &v.suggestion {
                    notes.push(match v.fix {
                        Some(FixKind::InsertBefore) => format!("help: say first: \"{s}\""),
                        _ => format!("help: say instead: \"{s}\""),
                    });
                }
                let diagnostic = Diagnostic::new(cs_severity(v.severity))
                    .with_message(format!("{}", v.message))
                    .with_code(v.rule.to_string())
                    .with_labels(vec![Label::primary((), span.start..span.end)
                        .with_message(format!("{level}: {}", v.rule))])
                    .with_notes(notes);
                term::emit(out, &config, &file, &diagnostic).map_err(to_io)?;
                if let (Some(s), Some(kind)) = (&v.suggestion, v.fix) {
                    if let Some(fixed) = fix::apply(text, span, s, kind) {
                        write_fix_diff(out, text, &fixed)?;
                    }
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
    file: &MacroFile,
    index: usize,
    conversation: &Conversation,
    report: &ConversationReport,
) -> io::Result<()> {
    let config = Config::default();
    let source = SimpleFile::new(file.path.as_str(), file.text.as_str());
    let text = conversation.events.first().and_then(|e| e.text.as_deref());
    for v in &report.violations {
        let level = match v.severity {
            Severity::Info => "info",
            s => s.as_str(),
        };
        let (start, end) = file.byte_range(index, v.span);
        let mut notes = vec![format!("in macro `{}`", conversation.id)];
        if let Some(detail) = &v.detail {
            notes.push(format!("note: {detail}"));
        }
        if let Some(s) = &v.suggestion {
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
            .with_message(v.message.to_string())
            .with_code(v.rule.to_string())
            .with_labels(vec![Label::primary((), start..end).with_message(label)])
            .with_notes(notes);
        term::emit(out, &config, &source, &diagnostic).map_err(to_io)?;
        if let (Some(s), Some(kind), Some(span), Some(text)) = (&v.suggestion, v.fix, v.span, text)
        {
            let body = file.macros.get(index).map_or(text, |m| m.body.as_str());
            if let Some(fixed) = fix::apply(body, span, s, kind) {
                write_fix_diff(out, body, &fixed)?;
            }
        }
    }
    Ok(())
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
    writeln!(out, ": {}", v.message)?;
    out.reset()?;
    out.set_color(ColorSpec::new().set_fg(Some(Color::Blue)).set_bold(true))?;
    write!(out, "  ┌─ ")?;
    out.reset()?;
    let line = v.event.map_or(conversation.source.line, |e| {
        conversation.source.event_line(e)
    });
    write!(out, "{}:{}", conversation.source.path, line)?;
    match v.event {
        Some(e) => writeln!(out, " (conversation `{}`, event {e})", conversation.id)?,
        None => writeln!(out, " (conversation `{}`)", conversation.id)?,
    }
    if let Some(detail) = &v.detail {
        out.set_color(ColorSpec::new().set_fg(Some(Color::Blue)).set_bold(true))?;
        write!(out, "  =")?;
        out.reset()?;
        writeln!(out, " note: {detail}")?;
    }
    if let Some(s) = &v.suggestion {
        out.set_color(ColorSpec::new().set_fg(Some(Color::Blue)).set_bold(true))?;
        write!(out, "  =")?;
        out.reset()?;
        writeln!(out, " help: {s}")?;
    }
    writeln!(out)
}

/// The agent's message before and after the suggested phrasing replaces the excerpt, as a word
/// diff: removed words in red, added words in green.
fn write_fix_diff(out: &mut dyn WriteColor, text: &str, fixed: &str) -> io::Result<()> {
    let diff = TextDiff::from_words(text, fixed);
    for (sign, wanted, color) in [
        ('-', ChangeTag::Delete, Color::Red),
        ('+', ChangeTag::Insert, Color::Green),
    ] {
        out.set_color(ColorSpec::new().set_fg(Some(color)))?;
        write!(out, "  {sign} ")?;
        out.reset()?;
        for change in diff.iter_all_changes() {
            let tag = change.tag();
            if tag != ChangeTag::Equal && tag != wanted {
                continue;
            }
            let value = change.value().replace('\n', " ");
            if tag == wanted {
                out.set_color(ColorSpec::new().set_fg(Some(color)).set_bold(true))?;
                write!(out, "{value}")?;
                out.reset()?;
            } else {
                write!(out, "{value}")?;
            }
        }
        writeln!(out)?;
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

fn to_io(e: files::Error) -> io::Error {
    match e {
        files::Error::Io(e) => e,
        other => io::Error::other(other.to_string()),
    }
}
