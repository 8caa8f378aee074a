//! Reading conversations: files, folders (walked) and stdin, in JSON, JSONL, YAML or plain text.
//! A malformed record is an error naming file:line; the records around it are still read.

mod record;
mod transcript;

use std::fmt;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde_json::value::RawValue;
use serde_json::Value;

use crate::conversation::{Conversation, Origin};

pub use record::{conversation_from_value, parse_party, parse_time};
pub use transcript::parse_transcript;

/// Something in the input that could not be read as a conversation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputError {
    /// The file, or `<stdin>`.
    pub path: String,
    /// The 1-based line, when known.
    pub line: Option<usize>,
    /// What is wrong.
    pub message: String,
}

impl InputError {
    /// An error at `path:line`.
    pub fn new(path: &str, line: Option<usize>, message: impl Into<String>) -> Self {
        InputError {
            path: path.to_string(),
            line,
            message: message.into(),
        }
    }
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{}: {}", self.path, line, self.message),
            None => write!(f, "{}: {}", self.path, self.message),
        }
    }
}

impl std::error::Error for InputError {}

/// One input to read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    /// A file.
    File(PathBuf),
    /// Standard input.
    Stdin,
}

/// The ways a file can hold conversations.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// One object or an array of them.
    Json,
    /// One object per line.
    Jsonl,
    /// One object (or a list of them).
    Yaml,
    /// `Speaker: text` lines.
    Transcript,
}

impl Format {
    /// The format a file name implies, if any.
    pub fn from_path(path: &Path) -> Option<Format> {
        match path.extension()?.to_str()?.to_ascii_lowercase().as_str() {
            "json" => Some(Format::Json),
            "jsonl" | "ndjson" => Some(Format::Jsonl),
            "yaml" | "yml" => Some(Format::Yaml),
            "txt" => Some(Format::Transcript),
            _ => None,
        }
    }

    /// Guesses the format of text whose name says nothing (stdin, say).
    pub fn sniff(text: &str) -> Format {
        if looks_like_transcript(text) {
            return Format::Transcript;
        }
        let trimmed = text.trim_start();
        if trimmed.starts_with('[') {
            return Format::Json;
        }
        if trimmed.starts_with('{') {
            let mut lines = text.lines().map(str::trim).filter(|l| !l.is_empty());
            let first = lines.next().unwrap_or("");
            let looks_jsonl = first.starts_with('{')
                && first.ends_with('}')
                && serde_json::from_str::<&RawValue>(first).is_ok();
            return if looks_jsonl {
                Format::Jsonl
            } else {
                Format::Json
            };
        }
        Format::Yaml
    }
}

/// Whether the first non-blank line reads `[time] Agent: ...` or `Customer: ...`.
fn looks_like_transcript(text: &str) -> bool {
    let first = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    let mut head = first.trim_start();
    if head.starts_with('[') {
        head = head
            .split_once(']')
            .map_or(head, |(_, rest)| rest.trim_start());
    }
    let lower = head.to_ascii_lowercase();
    lower.starts_with("agent:") || lower.starts_with("customer:")
}

/// Whether a file found in a folder is read: conversation files, and Markdown macros.
fn is_input_file(path: &Path) -> bool {
    Format::from_path(path).is_some()
        || path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| e.eq_ignore_ascii_case("md") || e.eq_ignore_ascii_case("markdown"))
}

/// Expands paths into inputs: files as given, folders walked (conversation files only, hidden
/// entries skipped, in name order), `-` for stdin. Paths that do not exist are errors.
pub fn collect_inputs(paths: &[PathBuf]) -> (Vec<Input>, Vec<InputError>) {
    collect_inputs_where(paths, &|_| true)
}

/// As [`collect_inputs`], keeping only the files found in folders that `keep` accepts (files
/// named on the command line are always read).
pub fn collect_inputs_where(
    paths: &[PathBuf],
    keep: &dyn Fn(&Path) -> bool,
) -> (Vec<Input>, Vec<InputError>) {
    let mut inputs = Vec::new();
    let mut errors = Vec::new();
    for path in paths {
        if path.as_os_str() == "-" {
            inputs.push(Input::Stdin);
        } else if path.is_dir() {
            let walker = walkdir::WalkDir::new(path)
                .sort_by_file_name()
                .into_iter()
                .filter_entry(|e| {
                    e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.')
                });
            for entry in walker {
                match entry {
                    Ok(e)
                        if e.file_type().is_file() && is_input_file(e.path()) && keep(e.path()) =>
                    {
                        inputs.push(Input::File(e.into_path()))
                    }
                    Ok(_) => {}
                    Err(e) => errors.push(InputError::new(
                        &path.display().to_string(),
                        None,
                        format!("cannot walk: {e}"),
                    )),
                }
            }
        } else if path.is_file() {
            inputs.push(Input::File(path.clone()));
        } else {
            errors.push(InputError::new(
                &path.display().to_string(),
                None,
                "no such file or folder",
            ));
        }
    }
    (inputs, errors)
}

/// A record read but perhaps not parsed yet: JSONL lines are handed on as text, so the caller
/// can parse many of them in parallel ([`Pending::resolve`]).
#[derive(Debug)]
pub enum Pending {
    /// Parsed already, or an error.
    Ready(Result<Conversation, InputError>),
    /// One JSONL line, to parse.
    Line {
        /// The file, as reports show it.
        path: Arc<str>,
        /// Its 1-based line.
        line: usize,
        /// The line's text.
        text: String,
    },
}

impl Pending {
    /// The conversation, or what is wrong with the record.
    pub fn resolve(self) -> Result<Conversation, InputError> {
        match self {
            Pending::Ready(result) => result,
            Pending::Line { path, line, text } => parse_jsonl_line(&path, line, &text),
        }
    }

    /// How many bytes it holds, to bound the memory of a batch.
    pub fn weight(&self) -> usize {
        match self {
            Pending::Ready(_) => 1024,
            Pending::Line { text, .. } => text.len(),
        }
    }
}

fn parse_jsonl_line(path: &str, line: usize, text: &str) -> Result<Conversation, InputError> {
    let origin = Origin {
        path: path.to_string(),
        line,
        event_lines: None,
    };
    serde_json::from_str::<Value>(text)
        .map_err(|e| InputError::new(path, Some(line), format!("bad JSON: {}", json_reason(&e))))
        .and_then(|v| {
            conversation_from_value(v, origin).map_err(|m| InputError::new(path, Some(line), m))
        })
}

/// Reads every conversation of one input, handing each (or the error in its place) to `sink` as
/// soon as it is read. JSONL is streamed line by line.
pub fn read_input(input: &Input, sink: &mut dyn FnMut(Result<Conversation, InputError>)) {
    read_input_pending(input, &mut |p| sink(p.resolve()));
}

/// As [`read_input`], handing JSONL lines on unparsed.
pub fn read_input_pending(input: &Input, sink: &mut dyn FnMut(Pending)) {
    let mut ready = |r: Result<Conversation, InputError>| sink(Pending::Ready(r));
    match input {
        Input::Stdin => read_stream_pending("<stdin>", std::io::stdin().lock(), sink),
        Input::File(path) => {
            let shown = path.display().to_string();
            let format = Format::from_path(path);
            if format == Some(Format::Jsonl) {
                match std::fs::File::open(path) {
                    Ok(file) => read_jsonl(&shown, BufReader::new(file), sink),
                    Err(e) => ready(Err(InputError::new(
                        &shown,
                        None,
                        format!("cannot read: {e}"),
                    ))),
                }
                return;
            }
            match std::fs::read(path) {
                Ok(bytes) => {
                    let stem = path
                        .file_stem()
                        .map_or_else(|| shown.clone(), |s| s.to_string_lossy().into_owned());
                    read_bytes(&shown, &stem, format, &bytes, &mut ready)
                }
                Err(e) => ready(Err(InputError::new(
                    &shown,
                    None,
                    format!("cannot read: {e}"),
                ))),
            }
        }
    }
}

/// Reads a stream whose format is not named (stdin). When its first line is a whole JSON object
/// it is taken as JSONL and streamed line by line; anything else is read whole, then sniffed.
pub fn read_stream(
    path: &str,
    reader: impl BufRead,
    sink: &mut dyn FnMut(Result<Conversation, InputError>),
) {
    read_stream_pending(path, reader, &mut |p| sink(p.resolve()));
}

fn read_stream_pending(path: &str, mut reader: impl BufRead, sink: &mut dyn FnMut(Pending)) {
    let mut head = Vec::new();
    loop {
        let before = head.len();
        match reader.read_until(b'\n', &mut head) {
            Ok(0) => break,
            Ok(_) if head[before..].iter().all(u8::is_ascii_whitespace) => continue,
            Ok(_) => break,
            Err(e) => {
                sink(Pending::Ready(Err(InputError::new(
                    path,
                    None,
                    format!("cannot read: {e}"),
                ))));
                return;
            }
        }
    }
    let text = std::str::from_utf8(&head).ok();
    let first_line = text
        .and_then(|t| t.lines().rev().find(|l| !l.trim().is_empty()))
        .map(|l| l.trim().trim_start_matches('\u{feff}'));
    let is_jsonl = first_line
        .is_some_and(|l| l.starts_with('{') && serde_json::from_str::<&RawValue>(l).is_ok())
        && text.is_some_and(|t| !looks_like_transcript(t));
    if is_jsonl {
        read_jsonl(path, std::io::Cursor::new(head).chain(reader), sink);
        return;
    }
    if let Err(e) = reader.read_to_end(&mut head) {
        sink(Pending::Ready(Err(InputError::new(
            path,
            None,
            format!("cannot read: {e}"),
        ))));
        return;
    }
    read_bytes(path, "stdin", None, &head, &mut |r| sink(Pending::Ready(r)));
}

/// Reads conversations from bytes in memory, in `format` or a sniffed one.
pub fn read_bytes(
    path: &str,
    stem: &str,
    format: Option<Format>,
    bytes: &[u8],
    sink: &mut dyn FnMut(Result<Conversation, InputError>),
) {
    let Ok(text) = std::str::from_utf8(bytes) else {
        sink(Err(InputError::new(
            path,
            None,
            "not UTF-8 text (is it a binary file?)",
        )));
        return;
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim().is_empty() {
        sink(Err(InputError::new(
            path,
            None,
            "empty file: no conversation in it",
        )));
        return;
    }
    match format.unwrap_or_else(|| Format::sniff(text)) {
        Format::Jsonl => read_jsonl(path, text.as_bytes(), &mut |p| sink(p.resolve())),
        Format::Json => read_json(path, text, sink),
        Format::Yaml => read_yaml(path, text, sink),
        Format::Transcript => sink(parse_transcript(path, stem, text)),
    }
}

fn read_jsonl(path: &str, mut reader: impl BufRead, sink: &mut dyn FnMut(Pending)) {
    let shared: Arc<str> = Arc::from(path);
    let mut line = Vec::new();
    let mut line_no = 0;
    let mut records = 0usize;
    let fail = |line: Option<usize>, message: &str| {
        Pending::Ready(Err(InputError::new(path, line, message)))
    };
    loop {
        line.clear();
        match reader.read_until(b'\n', &mut line) {
            Ok(0) => break,
            Ok(_) => {}
            Err(e) => {
                sink(fail(Some(line_no + 1), &format!("cannot read: {e}")));
                return;
            }
        }
        line_no += 1;
        let Ok(text) = std::str::from_utf8(&line) else {
            sink(fail(Some(line_no), "not UTF-8 text"));
            continue;
        };
        let text = if line_no == 1 {
            text.trim_start_matches('\u{feff}')
        } else {
            text
        };
        if text.trim().is_empty() {
            continue;
        }
        records += 1;
        sink(Pending::Line {
            path: shared.clone(),
            line: line_no,
            text: text.to_string(),
        });
    }
    if records == 0 {
        sink(fail(None, "empty file: no conversation in it"));
    }
}

fn read_json(path: &str, text: &str, sink: &mut dyn FnMut(Result<Conversation, InputError>)) {
    if text.trim_start().starts_with('[') {
        let items: Vec<&RawValue> = match serde_json::from_str(text) {
            Ok(items) => items,
            Err(e) => {
                sink(Err(InputError::new(
                    path,
                    Some(e.line()),
                    format!("bad JSON: {}", json_reason(&e)),
                )));
                return;
            }
        };
        if items.is_empty() {
            sink(Err(InputError::new(
                path,
                Some(1),
                "an empty list: no conversation in it",
            )));
        }
        let base = text.as_ptr() as usize;
        let (mut counted_to, mut line) = (0usize, 1usize);
        for raw in items {
            let offset = (raw.get().as_ptr() as usize)
                .saturating_sub(base)
                .min(text.len());
            line += text.as_bytes()[counted_to..offset]
                .iter()
                .filter(|b| **b == b'\n')
                .count();
            counted_to = offset;
            let origin = Origin {
                path: path.to_string(),
                line,
                event_lines: None,
            };
            let result = serde_json::from_str::<Value>(raw.get())
                .map_err(|e| json_reason(&e))
                .and_then(|v| conversation_from_value(v, origin))
                .map_err(|m| InputError::new(path, Some(line), m));
            sink(result);
        }
        return;
    }
    let leading_space = text.len() - text.trim_start().len();
    let line = text[..leading_space].matches('\n').count() + 1;
    let origin = Origin {
        path: path.to_string(),
        line,
        event_lines: None,
    };
    let result = serde_json::from_str::<Value>(text)
        .map_err(|e| {
            InputError::new(
                path,
                Some(e.line()),
                format!("bad JSON: {}", json_reason(&e)),
            )
        })
        .and_then(|v| {
            conversation_from_value(v, origin).map_err(|m| InputError::new(path, Some(line), m))
        });
    sink(result);
}

fn read_yaml(path: &str, text: &str, sink: &mut dyn FnMut(Result<Conversation, InputError>)) {
    let value: Value = match serde_yaml::from_str(text) {
        Ok(v) => v,
        Err(e) => {
            let line = e.location().map(|l| l.line());
            let reason = e.to_string();
            let reason = reason
                .split(" at line ")
                .next()
                .unwrap_or(&reason)
                .to_string();
            sink(Err(InputError::new(
                path,
                line,
                format!("bad YAML: {reason}"),
            )));
            return;
        }
    };
    let origin = |line| Origin {
        path: path.to_string(),
        line,
        event_lines: None,
    };
    match value {
        Value::Array(items) => {
            for item in items {
                sink(
                    conversation_from_value(item, origin(1))
                        .map_err(|m| InputError::new(path, Some(1), m)),
                );
            }
        }
        other => sink(
            conversation_from_value(other, origin(1))
                .map_err(|m| InputError::new(path, Some(1), m)),
        ),
    }
}

/// serde_json's message without its trailing position (the caller names the line).
fn json_reason(e: &serde_json::Error) -> String {
    let text = e.to_string();
    match text.rfind(" at line ") {
        Some(at) => format!("{} (column {})", &text[..at], e.column()),
        None => text,
    }
}
