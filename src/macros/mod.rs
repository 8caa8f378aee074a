//! Macro (canned-response) libraries: a macro is one agent message, checked by the rules about
//! phrasing and about what one message must hold; rules about time, ticket history or the
//! customer do not apply to it.
//!
//! Read from YAML or JSON lists of `{id, title, body}`, JSONL (one such object per line), one
//! Markdown or text file per macro, or Zendesk's macro export. Each macro keeps a map from its text back to the bytes of the file as
//! written (inside YAML block scalars, JSON strings with escapes, Markdown), so every violation
//! points at its line and column, and `--fix` can edit the file by span without re-serializing it.

pub mod fix;
mod lines;
mod locate;

use serde_json::Value;

use crate::conversation::{Conversation, Event, Origin, Party};
use crate::input::InputError;
pub use lines::{FileText, LineIndex, LineLookup};
pub use locate::Encoding;

/// One canned response.
#[derive(Debug, Clone)]
pub struct Macro {
    /// Its id (the file name for one-file macros).
    pub id: String,
    /// Its title, if any.
    pub title: Option<String>,
    /// The text the agent sends, placeholders included.
    pub body: String,
    /// For each byte of `body` (and one past the end), the byte of the file it was read from;
    /// `None` when the text could not be traced byte by byte (then `anchor` is all we know).
    pub map: Option<Vec<usize>>,
    /// Where the macro's text starts in the file.
    pub anchor: usize,
    /// The 1-based line of `anchor`.
    pub line: usize,
    /// How text must be written into the file at that place, or `None` when tact must not edit it
    /// (HTML, folded YAML, escapes).
    pub encoding: Option<Encoding>,
    /// Rules this macro is exempt from, each with the reason given.
    pub suppressions: Vec<Suppression>,
}

/// `tact-ignore`: a rule a macro is knowingly exempt from, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suppression {
    /// The rule id.
    pub rule: String,
    /// Why (required).
    pub reason: String,
}

/// The key a YAML or JSON macro carries its suppressions under: `{rule: reason}`.
pub const SUPPRESS_KEYS: [&str; 2] = ["tact-ignore", "tact_ignore"];

/// Suppressions in a record (`tact-ignore: {rule: reason}`); one without a reason is an error.
fn record_suppressions(item: &Value, id: &str) -> (Vec<Suppression>, Vec<String>) {
    let mut found = Vec::new();
    let mut problems = Vec::new();
    let Some(value) = SUPPRESS_KEYS.iter().find_map(|k| item.get(*k)) else {
        return (found, problems);
    };
    match value {
        Value::Object(map) => {
            for (rule, reason) in map {
                match reason.as_str().map(str::trim).filter(|r| !r.is_empty()) {
                    Some(reason) => found.push(Suppression {
                        rule: rule.clone(),
                        reason: reason.to_string(),
                    }),
                    None => problems.push(format!(
                        "macro `{id}`: `tact-ignore` of `{rule}` needs a reason"
                    )),
                }
            }
        }
        _ => problems.push(format!(
            "macro `{id}`: `tact-ignore` must map rule ids to reasons, like `never-say-wrong: \"quotes the customer\"`"
        )),
    }
    (found, problems)
}

/// Suppressions in a Markdown or text macro: `<!-- tact-ignore RULE: reason -->`.
fn comment_suppressions(text: &str, id: &str) -> (Vec<Suppression>, Vec<String>) {
    let mut found = Vec::new();
    let mut problems = Vec::new();
    let Ok(pattern) =
        regex::Regex::new(r"<!--\s*tact-ignore\s+([A-Za-z][\w-]*)\s*(?::\s*(.*?))?\s*-->")
    else {
        return (found, problems);
    };
    for c in pattern.captures_iter(text) {
        let rule = c.get(1).map_or("", |m| m.as_str()).to_string();
        match c.get(2).map(|m| m.as_str().trim()).filter(|r| !r.is_empty()) {
            Some(reason) => found.push(Suppression {
                rule,
                reason: reason.to_string(),
            }),
            None => problems.push(format!(
                "macro `{id}`: `tact-ignore {rule}` needs a reason: `<!-- tact-ignore {rule}: why -->`"
            )),
        }
    }
    (found, problems)
}

impl Macro {
    /// The byte of the file where byte `at` of the body was written.
    pub fn file_offset(&self, at: usize) -> usize {
        self.map
            .as_ref()
            .and_then(|m| m.get(at).copied())
            .unwrap_or(self.anchor)
    }

    /// The bytes of the file holding `body[start..end]`, when they are the same text unescaped.
    pub fn file_range(&self, start: usize, end: usize) -> Option<(usize, usize)> {
        let map = self.map.as_ref()?;
        let (a, b) = (*map.get(start)?, *map.get(end)?);
        (b >= a && b - a == end - start).then_some((a, b))
    }

    /// The macro as a conversation of one agent message, placeholders blanked out of matching.
    pub fn conversation(&self, path: &str, line: usize) -> Conversation {
        Conversation {
            id: self.id.clone(),
            events: vec![Event {
                kind: "message".into(),
                at: None,
                from: Some(Party::Agent),
                text: Some(mask_placeholders(&self.body)),
                value: None,
            }],
            source: Origin {
                path: path.to_string(),
                line,
                ..Origin::default()
            },
            ..Conversation::default()
        }
    }
}

/// `{{ticket.requester.first_name}}` and the like, and `<!-- comments -->` (which the customer
/// never sees), replaced by spaces of the same length so that they match nothing and every
/// offset stays where it was.
pub fn mask_placeholders(text: &str) -> String {
    let mut out = text.to_string();
    for (open, close) in [("{{", "}}"), ("<!--", "-->")] {
        let mut from = 0;
        while let Some(start) = out[from..].find(open).map(|i| from + i) {
            let Some(end) = out[start..].find(close).map(|i| start + i + close.len()) else {
                break;
            };
            let blank = " ".repeat(end - start);
            out.replace_range(start..end, &blank);
            from = end;
        }
    }
    out
}

/// The 1-based line and column (in characters) of a byte of `text`.
/// A [`MacroFile`]'s text answers from its index; a plain `str` is counted.
pub fn line_col<T: LineLookup + ?Sized>(text: &T, at: usize) -> (usize, usize) {
    text.line_col_of(at)
}

/// What kind of file a macro library is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LibraryKind {
    /// One macro per file (Markdown or text).
    OneFile,
    /// A YAML list of `{id, title, body}`.
    Yaml,
    /// A JSON list of `{id, title, body}`.
    Json,
    /// Zendesk's export: `{"macros": [{id, title, actions: [...]}]}`.
    Zendesk,
    /// One JSON object per line: `{id, title, body}` (the text also as `text` or `content`).
    Jsonl,
}

/// Whether a conversation-or-macro file holds macros, told by its extension and shape.
pub fn detect(path: &str, text: &str) -> Option<LibraryKind> {
    let lower = path.to_ascii_lowercase();
    if lower.ends_with(".md") || lower.ends_with(".markdown") {
        return Some(LibraryKind::OneFile);
    }
    if lower.ends_with(".json") {
        let value: Value = serde_json::from_str(text).ok()?;
        if value.get("macros").is_some_and(Value::is_array) {
            return Some(LibraryKind::Zendesk);
        }
        return is_macro_list(&value).then_some(LibraryKind::Json);
    }
    if lower.ends_with(".jsonl") || lower.ends_with(".ndjson") {
        let first = text.lines().find(|l| !l.trim().is_empty())?;
        return is_jsonl_macro_line(first).then_some(LibraryKind::Jsonl);
    }
    if lower.ends_with(".yaml") || lower.ends_with(".yml") {
        let value: Value = crate::yaml::from_str(text).ok()?;
        return is_macro_list(&value).then_some(LibraryKind::Yaml);
    }
    None
}

/// The keys a JSONL macro's text may be under, in order of preference.
pub const JSONL_TEXT_KEYS: [&str; 3] = ["body", "text", "content"];

/// Whether a JSONL line is a macro: an object without `events` (a conversation's) holding a
/// `body`, or a `title` with a `text` or `content`.
pub fn is_jsonl_macro_line(line: &str) -> bool {
    let Ok(Value::Object(item)) = serde_json::from_str::<Value>(line.trim()) else {
        return false;
    };
    let text = |key: &str| item.get(key).is_some_and(Value::is_string);
    !item.contains_key("events")
        && (text("body") || (text("title") && (text("text") || text("content"))))
}

fn is_macro_list(value: &Value) -> bool {
    let items = match value {
        Value::Array(items) => items,
        Value::Object(o) => match o.get("macros") {
            Some(Value::Array(items)) => items,
            _ => return false,
        },
        _ => return false,
    };
    !items.is_empty()
        && items
            .iter()
            .all(|m| m.get("body").is_some() && m.get("events").is_none())
}

/// Reads the macros of one file. Errors name file:line; good macros are still returned.
pub fn read_library(path: &str, text: &str, kind: LibraryKind) -> (Vec<Macro>, Vec<InputError>) {
    match kind {
        LibraryKind::OneFile => {
            let (m, errors) = one_file_macro(path, text);
            (vec![m], errors)
        }
        LibraryKind::Yaml => match crate::yaml::from_str::<Value>(text) {
            Ok(value) => {
                let spans = yaml_body_offsets(text);
                list_macros(path, text, &value, locate::yaml_body, &spans)
            }
            Err(e) => (
                Vec::new(),
                vec![InputError::new(
                    path,
                    e.line,
                    format!("not valid YAML: {e}"),
                )],
            ),
        },
        LibraryKind::Jsonl => jsonl_macros(path, text),
        LibraryKind::Json | LibraryKind::Zendesk => match serde_json::from_str::<Value>(text) {
            Ok(value) if kind == LibraryKind::Zendesk => zendesk_macros(path, text, &value),
            Ok(value) => list_macros(path, text, &value, locate::json_body, &[]),
            Err(e) => (
                Vec::new(),
                vec![InputError::new(
                    path,
                    Some(e.line()),
                    format!("not valid JSON: {e}"),
                )],
            ),
        },
    }
}

/// Where a located text sits; the next one is looked for after it. Text that could not be
/// traced is placed at `search_from` and is not editable.
fn place(
    text: &str,
    located: Option<locate::Located>,
    search_from: &mut usize,
) -> (Option<Vec<usize>>, usize, Option<Encoding>) {
    match located {
        Some(l) => {
            // Just past the text's first character (not its first byte: it may be `é`).
            *search_from = l.anchor
                + text
                    .get(l.anchor..)
                    .and_then(|t| t.chars().next())
                    .map_or(1, char::len_utf8);
            (l.map, l.anchor, l.encoding)
        }
        None => (None, *search_from, None),
    }
}

fn one_file_macro(path: &str, text: &str) -> (Macro, Vec<InputError>) {
    let id = std::path::Path::new(path)
        .file_stem()
        .map_or_else(|| path.to_string(), |s| s.to_string_lossy().into_owned());
    let title = text
        .lines()
        .find(|l| !l.trim().is_empty())
        .map(|l| l.trim_start_matches('#').trim().to_string());
    let (suppressions, problems) = comment_suppressions(text, &id);
    let errors = problems
        .into_iter()
        .map(|p| InputError::new(path, None, p))
        .collect();
    (
        Macro {
            id,
            title,
            body: text.to_string(),
            map: Some((0..=text.len()).collect()),
            anchor: 0,
            line: 1,
            encoding: Some(Encoding::Raw),
            suppressions,
        },
        errors,
    )
}

type BodyLocator = fn(&str, &str, usize, &str) -> Option<locate::Located>;

/// Where the YAML parser found each macro's `body` value (a byte offset), for a list of macros
/// or `{macros: [...]}`; empty when the shape is something else. The parser knows every style
/// (flow mappings such as `- {id: a, body: "..."}` too), which the line-based search does not.
fn yaml_body_offsets(text: &str) -> Vec<Option<usize>> {
    #[derive(serde::Deserialize)]
    struct Item {
        #[serde(default)]
        body: Option<crate::yaml::Spanned<serde::de::IgnoredAny>>,
    }
    #[derive(serde::Deserialize)]
    struct Wrapped {
        macros: Vec<Item>,
    }
    let items = crate::yaml::from_str::<Vec<Item>>(text)
        .or_else(|_| crate::yaml::from_str::<Wrapped>(text).map(|w| w.macros))
        .unwrap_or_default();
    items
        .into_iter()
        .map(|item| {
            let at = item.body?.referenced.span().byte_offset()?;
            usize::try_from(at).ok().filter(|at| *at <= text.len())
        })
        .collect()
}

fn list_macros(
    path: &str,
    text: &str,
    value: &Value,
    locator: BodyLocator,
    parsed_offsets: &[Option<usize>],
) -> (Vec<Macro>, Vec<InputError>) {
    let items = match value {
        Value::Array(items) => items.as_slice(),
        Value::Object(o) => o
            .get("macros")
            .and_then(Value::as_array)
            .map_or(&[][..], Vec::as_slice),
        _ => &[],
    };
    let mut macros = Vec::new();
    let mut errors = Vec::new();
    let mut search_from = 0;
    let lines = LineIndex::new(text);
    let mut body_keys: Option<Vec<usize>> = None;
    for (index, item) in items.iter().enumerate() {
        let Some(body) = item.get("body").and_then(Value::as_str) else {
            let line = body_keys
                .get_or_insert_with(|| locate::key_offsets(text, "body"))
                .get(index)
                .map(|&at| lines.line(at));
            errors.push(InputError::new(
                path,
                line,
                format!("macro #{} has no text `body`", index + 1),
            ));
            continue;
        };
        let id = match item.get("id") {
            Some(Value::String(s)) => s.clone(),
            Some(Value::Number(n)) => n.to_string(),
            _ => format!("#{}", index + 1),
        };
        let title = item.get("title").and_then(Value::as_str).map(String::from);
        let mut located = locator(text, "body", search_from, body);
        if let Some(at) = parsed_offsets.get(index).copied().flatten() {
            // The parser knows the line: a search result on another line found another key.
            let same_line = located
                .as_ref()
                .is_some_and(|l| l.map.is_some() && lines.line(l.anchor) == lines.line(at));
            if !same_line {
                located = Some(locate::yaml_scalar_at(text, at, body));
            }
        }
        let (map, anchor, encoding) = place(text, located, &mut search_from);
        let (suppressions, problems) = record_suppressions(item, &id);
        let line = lines.line(anchor);
        errors.extend(
            problems
                .into_iter()
                .map(|p| InputError::new(path, Some(line), p)),
        );
        macros.push(Macro {
            id,
            title,
            body: body.to_string(),
            map,
            anchor,
            line,
            encoding,
            suppressions,
        });
    }
    (macros, errors)
}

/// One macro per line: each located in its own line (so a search never strays into the next
/// record), its text a JSON string that `--fix` may edit in place like a JSON library's.
fn jsonl_macros(path: &str, text: &str) -> (Vec<Macro>, Vec<InputError>) {
    let mut macros = Vec::new();
    let mut errors = Vec::new();
    let mut line_start = 0;
    for (index, raw_line) in text.split_inclusive('\n').enumerate() {
        let (line, start) = (index + 1, line_start);
        line_start += raw_line.len();
        let record = raw_line.trim_end_matches(['\n', '\r']);
        if record.trim().is_empty() {
            continue;
        }
        let fail = |message: String| InputError::new(path, Some(line), message);
        let item = match serde_json::from_str::<Value>(record) {
            Ok(item @ Value::Object(_)) => item,
            Ok(_) => {
                errors.push(fail("expected a macro object `{id, title, body}`".into()));
                continue;
            }
            Err(e) => {
                errors.push(fail(format!(
                    "not valid JSON: {} (column {})",
                    e.to_string().split(" at line ").next().unwrap_or_default(),
                    e.column()
                )));
                continue;
            }
        };
        let Some((key, body)) = JSONL_TEXT_KEYS
            .iter()
            .find_map(|k| item.get(*k).and_then(Value::as_str).map(|b| (*k, b)))
        else {
            errors.push(fail(
                "this macro has no text: expected a string `body` (or `text`, `content`)".into(),
            ));
            continue;
        };
        let id = match item.get("id") {
            Some(Value::String(s)) if !s.trim().is_empty() => s.clone(),
            Some(Value::Number(n)) => n.to_string(),
            _ => format!("line {line}"),
        };
        let title = ["title", "name"]
            .iter()
            .find_map(|k| item.get(*k).and_then(Value::as_str))
            .map(String::from);
        let located = locate::json_body(record, key, 0, body);
        let (map, anchor, encoding) = match located {
            Some(l) => (
                l.map.map(|m| m.into_iter().map(|at| at + start).collect()),
                l.anchor + start,
                l.encoding,
            ),
            None => (None, start, None),
        };
        let (suppressions, problems) = record_suppressions(&item, &id);
        errors.extend(problems.into_iter().map(fail));
        macros.push(Macro {
            id,
            title,
            body: body.to_string(),
            map,
            anchor,
            line,
            encoding,
            suppressions,
        });
    }
    if macros.is_empty() && errors.is_empty() {
        errors.push(InputError::new(path, None, "empty file: no macro in it"));
    }
    (macros, errors)
}

fn zendesk_macros(path: &str, text: &str, value: &Value) -> (Vec<Macro>, Vec<InputError>) {
    let mut macros = Vec::new();
    let mut errors = Vec::new();
    let items = value
        .get("macros")
        .and_then(Value::as_array)
        .map_or(&[][..], Vec::as_slice);
    let mut search_from = 0;
    let lines = LineIndex::new(text);
    for (index, item) in items.iter().enumerate() {
        let id = match item.get("id") {
            Some(Value::String(s)) => s.clone(),
            Some(Value::Number(n)) => n.to_string(),
            _ => format!("#{}", index + 1),
        };
        let title = item.get("title").and_then(Value::as_str).map(String::from);
        let actions = item
            .get("actions")
            .and_then(Value::as_array)
            .map_or(&[][..], Vec::as_slice);
        let comment = actions.iter().find_map(|a| {
            let field = a.get("field").and_then(Value::as_str)?;
            let html = match field {
                "comment_value" => false,
                "comment_value_html" => true,
                _ => return None,
            };
            // The value is a string, or a list whose last item is the text.
            let text = match a.get("value")? {
                Value::String(s) => s.clone(),
                Value::Array(parts) => parts.last()?.as_str()?.to_string(),
                _ => return None,
            };
            Some((html, text))
        });
        let Some((html, raw)) = comment else {
            // A macro that sets fields only says nothing to the customer.
            continue;
        };
        let (map, anchor, encoding) = place(
            text,
            locate::json_body(text, "value", search_from, &raw),
            &mut search_from,
        );
        let (body, map, encoding) = if html {
            let (plain, to_raw) = crate::html::strip(&raw);
            let map = map.map(|m| {
                to_raw
                    .iter()
                    .map(|&r| m.get(r).copied().unwrap_or(anchor))
                    .collect()
            });
            (plain, map, None)
        } else {
            (raw, map, encoding)
        };
        let line = lines.line(anchor);
        if body.trim().is_empty() {
            errors.push(InputError::new(
                path,
                Some(line),
                format!("macro `{id}` has an empty comment"),
            ));
            continue;
        }
        macros.push(Macro {
            id,
            title,
            body,
            map,
            anchor,
            line,
            encoding,
            suppressions: Vec::new(),
        });
    }
    (macros, errors)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests")]
    use super::*;

    #[test]
    fn placeholders_keep_their_length_and_match_nothing() {
        let masked = mask_placeholders("Hi {{ticket.requester.first_name}}, sorry!");
        assert_eq!(
            masked.len(),
            "Hi {{ticket.requester.first_name}}, sorry!".len()
        );
        assert!(masked.starts_with("Hi    "));
        assert!(masked.ends_with(", sorry!"));
        assert_eq!(mask_placeholders("a {{ b"), "a {{ b");
    }

    #[test]
    fn shapes_are_told_apart() {
        assert_eq!(
            detect("m.yaml", "- id: a\n  body: hi\n"),
            Some(LibraryKind::Yaml)
        );
        assert_eq!(detect("c.yaml", "id: a\nevents: []\n"), None);
        assert_eq!(
            detect("z.json", r#"{"macros": [{"id": 1, "actions": []}]}"#),
            Some(LibraryKind::Zendesk)
        );
        assert_eq!(
            detect("l.json", r#"[{"id": "a", "body": "hi"}]"#),
            Some(LibraryKind::Json)
        );
        assert_eq!(detect("c.json", r#"[{"id": "a", "events": []}]"#), None);
        assert_eq!(detect("x.md", "anything"), Some(LibraryKind::OneFile));
    }
}

/// A macro library file: its text as written and the macros read from it.
#[derive(Debug, Clone)]
pub struct MacroFile {
    /// The path, as reports show it.
    pub path: String,
    /// The file's text, indexed by line (it reads as a `str`).
    pub text: FileText,
    /// Its macros, in file order.
    pub macros: Vec<Macro>,
    /// How it was read.
    pub kind: LibraryKind,
}

impl MacroFile {
    /// Reads the macros of a file's text; errors name file:line.
    pub fn read(path: &str, text: String, kind: LibraryKind) -> (MacroFile, Vec<InputError>) {
        let (macros, errors) = read_library(path, &text, kind);
        (
            MacroFile {
                path: path.to_string(),
                text: FileText::new(text),
                macros,
                kind,
            },
            errors,
        )
    }

    /// The 1-based line where macro `index` starts.
    pub fn line_of(&self, index: usize) -> usize {
        self.macros.get(index).map_or(1, |m| m.line)
    }

    /// The bytes of the file a violation in macro `index` points at: its span traced back to
    /// the file, or the macro's first line when it has no span (or cannot be traced).
    pub fn byte_range(
        &self,
        index: usize,
        span: Option<crate::report::TextSpan>,
    ) -> (usize, usize) {
        let Some(m) = self.macros.get(index) else {
            return (0, 0);
        };
        if let Some(span) = span {
            if m.map.is_some() {
                let (a, b) = (m.file_offset(span.start), m.file_offset(span.end));
                if b > a {
                    return (a, b);
                }
            }
        }
        let mut anchor = m.anchor.min(self.text.len());
        while !self.text.is_char_boundary(anchor) {
            anchor -= 1;
        }
        let line_end = self.text[anchor..]
            .find('\n')
            .map_or(self.text.len(), |i| anchor + i);
        (anchor, line_end)
    }
}
