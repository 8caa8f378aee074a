//! Policy errors: each names file:line:col, shows the line with the span underlined (in the
//! codespan style every tact diagnostic uses), and says what is wrong.

use std::fmt;
use std::io;
use std::ops::Range;

use codespan_reporting::diagnostic::{Diagnostic, Label, Severity as CsSeverity};
use codespan_reporting::term::termcolor::{NoColor, WriteColor};
use codespan_reporting::term::{self, Config};
use pest::error::{Error as PestError, InputLocation};

use super::ast::Span;
use super::grammar::Rule;
use super::PolicySource;
use crate::excerpt::{to_io, Excerpt as ExcerptFile};

/// A rule or phrase set with the file it came from.
pub(crate) struct Located<'a, T> {
    pub file: &'a PolicySource,
    pub item: &'a T,
}

impl<T> Located<'_, T> {
    /// A diagnostic at `span` of this item's file.
    pub(crate) fn error(&self, span: Span, message: impl Into<String>) -> PolicyError {
        PolicyError::at(
            &self.file.path,
            &self.file.text,
            span.start,
            span.end,
            message,
        )
    }
}

/// One error in a policy file.
#[derive(Debug, Clone)]
pub struct PolicyError {
    /// The file, as given.
    pub path: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub col: usize,
    /// 1-based line where the underlined text ends.
    pub end_line: usize,
    /// 1-based column just past the underlined text, in characters.
    pub end_col: usize,
    /// The underlined bytes of the file (empty for an error about the file as a whole).
    pub span: Span,
    /// What is wrong, in one line.
    pub message: String,
    /// How to fix it, when known.
    pub help: Option<String>,
    /// The stable code (`P014`; `W001` for warnings), documented in docs/language.md.
    pub code: &'static str,
    excerpt: Option<Excerpt>,
}

/// The lines of the file an error underlines, made safe to print, with the span in them.
#[derive(Debug, Clone)]
struct Excerpt {
    text: String,
    first_line: usize,
    span: Range<usize>,
}

/// The most lines of a file an error shows.
const MAX_EXCERPT_LINES: usize = 6;

impl PolicyError {
    /// An error at a byte range of `text`.
    pub fn at(
        path: &str,
        text: &str,
        start: usize,
        end: usize,
        message: impl Into<String>,
    ) -> Self {
        let start = floor_boundary(text, start.min(text.len()));
        let end = floor_boundary(text, end.clamp(start, text.len()));
        let (line, col) = line_col(text, start);
        let (end_line, end_col) = line_col(text, end);
        PolicyError {
            path: path.to_string(),
            line,
            col,
            end_line,
            end_col,
            span: Span { start, end },
            message: message.into(),
            help: None,
            code: "P000",
            excerpt: Some(Excerpt::of(text, start, end)),
        }
    }

    /// Sets the stable code.
    pub fn with_code(mut self, code: &'static str) -> Self {
        self.code = code;
        self
    }

    /// Whether this is a warning (the policy still works) rather than an error.
    pub fn is_warning(&self) -> bool {
        self.code.starts_with('W')
    }

    /// Adds a help line.
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// A syntax error reported by pest, its positions already in the whole file `text`. A
    /// position is widened to the word that stands there, so an editor has something to
    /// underline.
    pub(crate) fn syntax(path: &str, text: &str, error: PestError<Rule>) -> Self {
        let error = error.renamed_rules(describe_rule);
        let message = error.variant.message().into_owned();
        let (start, end) = match error.location {
            InputLocation::Span(span) => span,
            InputLocation::Pos(at) => {
                let at = floor_boundary(text, at.min(text.len()));
                let word = text[at..]
                    .find(char::is_whitespace)
                    .unwrap_or(text.len() - at);
                (at, at + word)
            }
        };
        Self::at(path, text, start, end, message).with_code("P001")
    }

    /// An error about a file as a whole (it cannot be read, say).
    pub fn file(path: &str, message: impl Into<String>) -> Self {
        PolicyError {
            path: path.to_string(),
            line: 1,
            col: 1,
            end_line: 1,
            end_col: 1,
            span: Span::default(),
            message: message.into(),
            help: None,
            code: "P100",
            excerpt: None,
        }
    }

    /// `error` or `warning`.
    pub fn level(&self) -> &'static str {
        if self.is_warning() {
            "warning"
        } else {
            "error"
        }
    }

    /// Writes the diagnostic as every tact diagnostic is written (codespan's style, colored
    /// where `out` has colors): the heading, the file's lines with the span underlined, the help.
    pub fn write_to(&self, out: &mut dyn WriteColor) -> io::Result<()> {
        let severity = if self.is_warning() {
            CsSeverity::Warning
        } else {
            CsSeverity::Error
        };
        let notes = self
            .help
            .iter()
            .map(|help| format!("help: {}", visible(help)))
            .collect();
        let diagnostic = Diagnostic::new(severity)
            .with_code(self.code)
            .with_notes(notes);
        let Some(excerpt) = &self.excerpt else {
            // No lines to show: the file as a whole, named in the heading.
            let diagnostic = diagnostic.with_message(format!(
                "{}: {}",
                visible(&self.path),
                visible(&self.message)
            ));
            let file = ExcerptFile::new(String::new(), "", 1);
            return term::emit(out, &config(), &file, &diagnostic).map_err(to_io);
        };
        let diagnostic = diagnostic
            .with_message(visible(&self.message))
            .with_labels(vec![Label::primary((), excerpt.span.clone())]);
        let file = ExcerptFile::new(
            visible(&self.path).into_owned(),
            excerpt.text.as_str(),
            excerpt.first_line,
        )
        .anchored(excerpt.span.start, (self.line, self.col));
        term::emit(out, &config(), &file, &diagnostic).map_err(to_io)
    }
}

impl fmt::Display for PolicyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut out = NoColor::new(Vec::new());
        self.write_to(&mut out).map_err(|_| fmt::Error)?;
        let text = String::from_utf8_lossy(out.get_ref());
        f.write_str(text.trim_end())
    }
}

impl std::error::Error for PolicyError {}

/// The lines of a diagnostic: the same layout as the conversation reports.
fn config() -> Config {
    Config::default()
}

/// 1-based line and column (in characters) of a byte of `text`.
fn line_col(text: &str, at: usize) -> (usize, usize) {
    let before = &text[..at];
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (
        before.matches('\n').count() + 1,
        before[line_start..].chars().count() + 1,
    )
}

impl Excerpt {
    /// The whole lines of `text` that `start..end` touches (at most [`MAX_EXCERPT_LINES`]),
    /// control characters made visible.
    fn of(text: &str, start: usize, end: usize) -> Excerpt {
        let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
        let mut line_end = text[end..].find('\n').map_or(text.len(), |i| end + i);
        if let Some((i, _)) = text[line_start..line_end]
            .match_indices('\n')
            .nth(MAX_EXCERPT_LINES - 1)
        {
            line_end = line_start + i;
        }
        let end = end.min(line_end);
        let before = visible(&text[line_start..start]);
        let inside = visible(&text[start..end]);
        let after = visible(&text[end..line_end]);
        let span = before.len()..before.len() + inside.len();
        Excerpt {
            text: format!("{before}{inside}{after}"),
            first_line: text[..line_start].matches('\n').count() + 1,
            span,
        }
    }
}

/// Text as it may reach a terminal: control characters (but tab and line feed) and
/// bidirectional overrides become visible escapes, so a policy file cannot move the cursor or
/// reorder what an error shows.
fn visible(text: &str) -> std::borrow::Cow<'_, str> {
    let hidden = |c: char| {
        (c.is_control() && c != '\t' && c != '\n')
            || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
    };
    if !text.contains(hidden) {
        return std::borrow::Cow::Borrowed(text);
    }
    text.chars()
        .map(|c| {
            if hidden(c) {
                c.escape_unicode().to_string()
            } else {
                c.to_string()
            }
        })
        .collect::<String>()
        .into()
}

fn floor_boundary(text: &str, mut at: usize) -> usize {
    while at > 0 && !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// Grammar rules in the words a trainer would use.
fn describe_rule(rule: &Rule) -> String {
    let text = match rule {
        Rule::EOI => "end of file",
        Rule::item | Rule::chunk | Rule::policy => "`rule` or `phrases`",
        Rule::phrases_def | Rule::kw_phrases => "`phrases`",
        Rule::rule_def | Rule::kw_rule => "`rule`",
        Rule::phrase_list | Rule::phrase_entry | Rule::pattern => {
            "a phrase (\"in quotes\"), a /regex/ or `include`"
        }
        Rule::exceptions => "`but not`",
        Rule::include | Rule::kw_include => "`include`",
        Rule::learned | Rule::kw_learned => "`learned`",
        Rule::label => "a label (`refund:`)",
        Rule::replacement | Rule::arrow => "`=>`",
        Rule::clause => {
            "a clause (`title`, `severity`, `when`, `forbid`, `require`, `example`, ...)"
        }
        Rule::title | Rule::kw_title => "`title`",
        Rule::why | Rule::kw_why => "`why`",
        Rule::severity | Rule::kw_severity => "`severity`",
        Rule::level => "`error`, `warning` or `info`",
        Rule::kw_error => "`error`",
        Rule::kw_warning => "`warning`",
        Rule::kw_info => "`info`",
        Rule::weight | Rule::kw_weight => "`weight`",
        Rule::critical | Rule::kw_critical => "`critical`",
        Rule::source | Rule::kw_source => "`source`",
        Rule::message | Rule::kw_message => "`message`",
        Rule::suggest | Rule::kw_suggest => "`suggest`",
        Rule::when | Rule::kw_when => "`when`",
        Rule::forbid | Rule::kw_forbid => "`forbid`",
        Rule::example | Rule::kw_example => "`example`",
        Rule::expectation => "`fires` or `passes`",
        Rule::kw_fires => "`fires`",
        Rule::kw_passes => "`passes`",
        Rule::require | Rule::kw_require => "`require`",
        Rule::unless_near | Rule::kw_unless => "`unless`",
        Rule::after_near | Rule::kw_after => "`after`",
        Rule::scope => "`in the same message`, `in the same sentence`, `in the same or next sentence`, `in the next sentence` or `within N words`",
        Rule::same_message | Rule::same_sentence | Rule::same_or_next_sentence | Rule::next_sentence => "`in the same ...`",
        Rule::within_words => "`within N words`",
        Rule::kw_sentence => "`sentence`",
        Rule::kw_next => "`next`",
        Rule::kw_words => "`words`",
        Rule::act => "an act such as `agent asks`",
        Rule::act_verb => "`asks`, `apologizes`, `acknowledges`, `offers`, `promises`, `instructs`, `refuses` or `thanks`",
        Rule::kw_asks => "`asks`",
        Rule::kw_apologizes => "`apologizes`",
        Rule::kw_acknowledges => "`acknowledges`",
        Rule::kw_offers => "`offers`",
        Rule::kw_promises => "`promises`",
        Rule::kw_instructs => "`instructs`",
        Rule::kw_refuses => "`refuses`",
        Rule::kw_thanks => "`thanks`",
        Rule::kw_in => "`in`",
        Rule::kw_the => "`the`",
        Rule::kw_same => "`same`",
        Rule::timing => "a time requirement (`... within 4 hours of ...`)",
        Rule::moment => "an occurrence (`first agent message`, `event created`, ...)",
        Rule::position => "`first`, `last`, `next` or `every`",
        Rule::kw_first => "`first`",
        Rule::kw_every => "`every`",
        Rule::periodic => "a periodic requirement (`agent message at least every 24 hours`)",
        Rule::kw_until => "`until`",
        Rule::pause | Rule::kw_paused => "`paused while ...`",
        Rule::kw_while => "`while`",
        Rule::target | Rule::kw_target => "`target`",
        Rule::priority | Rule::kw_priority => "`priority`",
        Rule::kw_last => "`last`",
        Rule::duration => "a duration (`4 hours`)",
        Rule::unit => "a unit (`minutes`, `hours`, `days` or `weeks`)",
        Rule::kw_minutes => "`minutes`",
        Rule::kw_hours => "`hours`",
        Rule::kw_business => "`business`",
        Rule::kw_days => "`days`",
        Rule::kw_weeks => "`weeks`",
        Rule::kw_within => "`within`",
        Rule::kw_of => "`of`",
        Rule::kw_else => "`else`",
        Rule::order | Rule::kw_before => "`before`",
        Rule::cond | Rule::cond_and | Rule::cond_not | Rule::cond_atom => {
            "a condition (`agent says ...`, `event ...`, `tagged ...`, `channel is ...`, `priority is ...`)"
        }
        Rule::negation | Rule::kw_not => "`not`",
        Rule::kw_but => "`but`",
        Rule::tagged | Rule::kw_tagged => "`tagged`",
        Rule::channel | Rule::kw_channel => "`channel`",
        Rule::kw_is => "`is`",
        Rule::kw_or => "`or`",
        Rule::kw_and => "`and`",
        Rule::occurrence => "`agent says ...`, `customer says ...`, `agent message` or `event ...`",
        Rule::says | Rule::kw_says => "`says`",
        Rule::quantity | Rule::kw_at => "`at least`",
        Rule::kw_least => "`least`",
        Rule::distinct | Rule::kw_distinct => "`distinct`",
        Rule::speaker_message => "`agent message` or `customer message`",
        Rule::event_of | Rule::kw_event => "`event`",
        Rule::speaker => "`agent` or `customer`",
        Rule::kw_agent => "`agent`",
        Rule::kw_customer => "`customer`",
        Rule::name => "a name (a letter, then letters, digits, `-` or `_`)",
        Rule::number => "a number",
        Rule::string | Rule::string_body => "a \"quoted string\"",
        Rule::regex | Rule::regex_body => "a /regex/",
        Rule::open_paren => "`(`",
        Rule::close_paren => "`)`",
        Rule::keyword => "a keyword",
        Rule::ident_char => "a letter, digit, `-` or `_`",
        Rule::WHITESPACE | Rule::COMMENT => "white space",
    };
    text.to_string()
}
