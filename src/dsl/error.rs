//! Policy errors: each names file:line:col, shows the line with a caret, and says what is wrong.

use std::fmt;

use pest::error::{Error as PestError, ErrorVariant, LineColLocation};

use super::ast::Span;
use super::grammar::Rule;
use super::PolicySource;

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
    /// 1-based column.
    pub col: usize,
    /// What is wrong, in one line.
    pub message: String,
    /// How to fix it, when known.
    pub help: Option<String>,
    /// The stable code (`P014`; `W001` for warnings), documented in docs/language.md.
    pub code: &'static str,
    rendered: String,
}

impl PolicyError {
    /// An error at a byte range of `text`.
    pub fn at(
        path: &str,
        text: &str,
        start: usize,
        end: usize,
        message: impl Into<String>,
    ) -> Self {
        let message = message.into();
        let start = floor_boundary(text, start.min(text.len()));
        let end = floor_boundary(text, end.clamp(start, text.len()));
        let variant = ErrorVariant::CustomError {
            message: message.clone(),
        };
        let error = match pest::Span::new(text, start, end) {
            Some(span) => PestError::new_from_span(variant, span),
            None => match pest::Position::new(text, start) {
                Some(pos) => PestError::new_from_pos(variant, pos),
                None => PestError::new_from_pos(variant, pest::Position::from_start(text)),
            },
        };
        Self::from_pest(path, error, message)
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

    /// A syntax error reported by pest, its positions already in the whole file.
    pub(crate) fn syntax(path: &str, error: PestError<Rule>) -> Self {
        let error = error.renamed_rules(describe_rule);
        let message = error.variant.message().into_owned();
        Self::from_pest(path, error, message).with_code("P001")
    }

    fn from_pest(path: &str, error: PestError<Rule>, message: String) -> Self {
        let (line, col) = match error.line_col {
            LineColLocation::Pos(at) | LineColLocation::Span(at, _) => at,
        };
        let rendered = error.with_path(path).to_string();
        // pest ends with `= message`; the header already says it.
        let rendered = match rendered.rsplit_once('\n') {
            Some((body, last)) if last.trim_start().starts_with('=') => body.to_string(),
            _ => rendered,
        };
        PolicyError {
            path: path.to_string(),
            line,
            col,
            message,
            help: None,
            code: "P000",
            rendered,
        }
    }

    /// An error about a file as a whole (it cannot be read, say).
    pub fn file(path: &str, message: impl Into<String>) -> Self {
        let message = message.into();
        PolicyError {
            path: path.to_string(),
            line: 1,
            col: 1,
            rendered: format!("{path}: {message}"),
            message,
            help: None,
            code: "P100",
        }
    }
}

impl fmt::Display for PolicyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let level = if self.is_warning() {
            "warning"
        } else {
            "error"
        };
        writeln!(f, "{level}[{}]: {}", self.code, self.message)?;
        write!(f, "{}", self.rendered)?;
        if let Some(help) = &self.help {
            write!(f, "\n  = help: {help}")?;
        }
        Ok(())
    }
}

impl std::error::Error for PolicyError {}

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
