//! Reading conversations: files, folders (walked) and stdin, in JSON, JSONL, YAML or plain text.
//! A malformed record is an error naming file:line; the records around it are still read.

mod bounded;
pub mod position;
mod record;
mod transcript;

use std::fmt;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde_json::value::RawValue;
use serde_json::Value;

use crate::conversation::{Conversation, Origin, TextAt, TextPositions, TextStyle};
use crate::yaml::Spanned;

pub use bounded::{format_size, parse_size, Limits, DEFAULT_MAX_RECORD_BYTES};
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
        } else {
            match std::fs::metadata(path) {
                // FIFOs and devices are read as streams, like stdin.
                Ok(m) if m.is_file() || is_stream(&m) => inputs.push(Input::File(path.clone())),
                Ok(_) => errors.push(InputError::new(
                    &path.display().to_string(),
                    None,
                    "not a file, folder, FIFO or device that can be read",
                )),
                Err(e) => errors.push(InputError::new(
                    &path.display().to_string(),
                    None,
                    match e.kind() {
                        std::io::ErrorKind::NotFound => "no such file or folder".to_string(),
                        _ => format!("cannot read: {e}"),
                    },
                )),
            }
        }
    }
    (inputs, errors)
}

/// A FIFO or a character device: read as a stream of unknown length.
fn is_stream(metadata: &std::fs::Metadata) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let kind = metadata.file_type();
        kind.is_fifo() || kind.is_char_device()
    }
    #[cfg(not(unix))]
    {
        let _ = metadata;
        false
    }
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
            Pending::Line { path, line, text } => parse_jsonl_line(&path, line, text),
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

fn parse_jsonl_line(path: &str, line: usize, text: String) -> Result<Conversation, InputError> {
    let value = serde_json::from_str::<Value>(&text);
    let origin = Origin {
        path: path.to_string(),
        line,
        event_lines: None,
        // The line itself, kept (not copied) to locate words when a violation is reported.
        positions: TextPositions::Json {
            raw: text,
            line,
            column: 1,
        },
    };
    value
        .map_err(|e| InputError::new(path, Some(line), format!("bad JSON: {}", json_reason(&e))))
        .and_then(|v| {
            conversation_from_value(v, origin).map_err(|m| InputError::new(path, Some(line), m))
        })
}

/// Reads every conversation of one input, handing each (or the error in its place) to `sink` as
/// soon as it is read. JSONL is streamed line by line.
pub fn read_input(input: &Input, sink: &mut dyn FnMut(Result<Conversation, InputError>)) {
    read_input_pending(input, Limits::default(), &mut |p| sink(p.resolve()));
}

/// As [`read_input`], within `limits`, handing JSONL lines on unparsed.
pub fn read_input_pending(input: &Input, limits: Limits, sink: &mut dyn FnMut(Pending)) {
    let mut ready = |r: Result<Conversation, InputError>| sink(Pending::Ready(r));
    match input {
        Input::Stdin => read_stream_pending("<stdin>", std::io::stdin().lock(), limits, sink),
        Input::File(path) => {
            let shown = path.display().to_string();
            let file = match std::fs::File::open(path) {
                Ok(file) => file,
                Err(e) => {
                    ready(Err(InputError::new(&shown, None, cannot_read(&e))));
                    return;
                }
            };
            let format = Format::from_path(path);
            if format == Some(Format::Jsonl) {
                read_jsonl(&shown, BufReader::new(file), limits, 0, sink);
                return;
            }
            let regular = file.metadata().is_ok_and(|m| m.is_file());
            if format.is_none() && !regular {
                // A FIFO or a device: a stream, like stdin.
                read_stream_pending(&shown, BufReader::new(file), limits, sink);
                return;
            }
            let stem = path
                .file_stem()
                .map_or_else(|| shown.clone(), |s| s.to_string_lossy().into_owned());
            match read_whole(&shown, file, limits) {
                Ok(bytes) => read_bytes(&shown, &stem, format, &bytes, limits, &mut ready),
                Err(e) => ready(Err(e)),
            }
        }
    }
}

/// What an I/O error means to the user; "not found" for a file that went away.
fn cannot_read(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file".to_string(),
        std::io::ErrorKind::PermissionDenied => "cannot read: permission denied".to_string(),
        _ => format!("cannot read: {e}"),
    }
}

/// A whole file or stream, up to the document limit (a regular file's size is looked at first,
/// so an oversized one is not read at all).
fn read_whole(path: &str, mut reader: impl Read, limits: Limits) -> Result<Vec<u8>, InputError> {
    let max = limits.max_document_bytes();
    let too_big = || {
        InputError::new(
            path,
            None,
            format!(
                "more than {} to read whole: write it as JSONL (one conversation per line), which is streamed",
                bounded::format_size(max)
            ),
        )
    };
    let mut bytes = Vec::new();
    match bounded::read_to_end(&mut reader, &mut bytes, max) {
        Ok(true) => Ok(bytes),
        Ok(false) => Err(too_big()),
        Err(e) => Err(InputError::new(path, None, cannot_read(&e))),
    }
}

/// Reads a stream whose format is not named (stdin). When its first line is a whole JSON object
/// it is taken as JSONL and streamed line by line; anything else is read whole, then sniffed.
pub fn read_stream(
    path: &str,
    reader: impl BufRead,
    sink: &mut dyn FnMut(Result<Conversation, InputError>),
) {
    read_stream_pending(path, reader, Limits::default(), &mut |p| sink(p.resolve()));
}

fn read_stream_pending(
    path: &str,
    mut reader: impl BufRead,
    limits: Limits,
    sink: &mut dyn FnMut(Pending),
) {
    let fail = |sink: &mut dyn FnMut(Pending), line: Option<usize>, message: String| {
        sink(Pending::Ready(Err(InputError::new(path, line, message))))
    };
    // The blank start, kept byte for byte so line numbers stay true; then a look at the first
    // byte, before anything long is read: NUL means binary (or /dev/zero), `{` may be JSONL.
    let mut head = Vec::new();
    let first = loop {
        let available = match reader.fill_buf() {
            Ok(a) => a,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return fail(sink, None, cannot_read(&e)),
        };
        if available.starts_with("\u{feff}".as_bytes()) {
            reader.consume(3);
            continue;
        }
        let blank = available
            .iter()
            .take_while(|b| b.is_ascii_whitespace())
            .count();
        if blank == 0 || available.is_empty() {
            break available.first().copied();
        }
        head.extend_from_slice(&available[..blank]);
        reader.consume(blank);
        if head.len() > limits.max_document_bytes() {
            return fail(sink, None, "nothing but blank space".to_string());
        }
    };
    if first == Some(0) {
        return fail(sink, None, "binary data, not text".to_string());
    }
    let blank_lines = head.iter().filter(|b| **b == b'\n').count();
    if first == Some(b'{') {
        let mut line = Vec::new();
        match bounded::read_line(&mut reader, &mut line, limits.max_record_bytes) {
            Err(e) => return fail(sink, Some(blank_lines + 1), cannot_read(&e)),
            Ok(bounded::Line::TooLong(size)) => {
                // No JSON document of many records starts with a line this long and `{`.
                fail(sink, Some(blank_lines + 1), limits.too_large(size, false));
                read_jsonl(path, reader, limits, blank_lines + 1, sink);
                return;
            }
            Ok(_) => {}
        }
        let text = std::str::from_utf8(&line).ok();
        let is_jsonl = text.is_some_and(|l| {
            let l = l.trim();
            serde_json::from_str::<&RawValue>(l).is_ok() && !looks_like_transcript(l)
        });
        head.extend_from_slice(&line);
        if is_jsonl {
            read_jsonl(
                path,
                std::io::Cursor::new(head).chain(reader),
                limits,
                0,
                sink,
            );
            return;
        }
    }
    let mut rest = match read_whole(path, reader, limits) {
        Ok(rest) => rest,
        Err(e) => return sink(Pending::Ready(Err(e))),
    };
    head.append(&mut rest);
    if bounded::looks_binary(&head) {
        return fail(sink, None, "binary data, not text".to_string());
    }
    read_bytes(path, "stdin", None, &head, limits, &mut |r| {
        sink(Pending::Ready(r))
    });
}

/// Reads conversations from bytes in memory, in `format` or a sniffed one, each record within
/// `limits`.
pub fn read_bytes(
    path: &str,
    stem: &str,
    format: Option<Format>,
    bytes: &[u8],
    limits: Limits,
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
    let format = format.unwrap_or_else(|| Format::sniff(text));
    let one_record = match format {
        Format::Jsonl => false,
        Format::Json => !text.trim_start().starts_with('['),
        // Read whole into memory, unlike a JSON list, so bounded as one record.
        Format::Yaml | Format::Transcript => true,
    };
    if one_record && text.len() > limits.max_record_bytes {
        sink(Err(InputError::new(
            path,
            Some(1),
            limits.too_large(text.len(), false),
        )));
        return;
    }
    match format {
        Format::Jsonl => read_jsonl(path, text.as_bytes(), limits, 0, &mut |p| sink(p.resolve())),
        Format::Json => read_json(path, text, limits, sink),
        Format::Yaml => read_yaml(path, text, sink),
        Format::Transcript => sink(parse_transcript(path, stem, text)),
    }
}

/// Streams JSONL: one record per line, each within the record limit. `lines_before` lines of
/// the file were read already (by the sniff).
fn read_jsonl(
    path: &str,
    mut reader: impl BufRead,
    limits: Limits,
    lines_before: usize,
    sink: &mut dyn FnMut(Pending),
) {
    let shared: Arc<str> = Arc::from(path);
    let mut line = Vec::new();
    let mut line_no = lines_before;
    let mut records = usize::from(lines_before > 0);
    let fail = |line: Option<usize>, message: &str| {
        Pending::Ready(Err(InputError::new(path, line, message)))
    };
    loop {
        match bounded::read_line(&mut reader, &mut line, limits.max_record_bytes) {
            Ok(bounded::Line::End) => break,
            Ok(bounded::Line::Read) => {}
            Ok(bounded::Line::TooLong(size)) => {
                line_no += 1;
                records += 1;
                sink(fail(Some(line_no), &limits.too_large(size, false)));
                continue;
            }
            Err(e) => {
                sink(fail(Some(line_no + 1), &cannot_read(&e)));
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

fn read_json(
    path: &str,
    text: &str,
    limits: Limits,
    sink: &mut dyn FnMut(Result<Conversation, InputError>),
) {
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
            if raw.get().len() > limits.max_record_bytes {
                sink(Err(InputError::new(
                    path,
                    Some(line),
                    limits.too_large(raw.get().len(), false),
                )));
                continue;
            }
            let line_start = text[..offset].rfind('\n').map_or(0, |nl| nl + 1);
            let origin = Origin {
                path: path.to_string(),
                line,
                event_lines: None,
                positions: TextPositions::Json {
                    raw: raw.get().to_string(),
                    line,
                    column: text[line_start..offset].chars().count() + 1,
                },
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
    let line_start = text[..leading_space].rfind('\n').map_or(0, |nl| nl + 1);
    let origin = Origin {
        path: path.to_string(),
        line,
        event_lines: None,
        positions: TextPositions::Json {
            raw: text[leading_space..].to_string(),
            line,
            column: text[line_start..leading_space].chars().count() + 1,
        },
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

/// One conversation, or a list of them, each located at the line where it starts.
fn read_yaml(path: &str, text: &str, sink: &mut dyn FnMut(Result<Conversation, InputError>)) {
    let bad = |e: crate::yaml::YamlError| {
        let column = e
            .column
            .map(|c| format!(" (column {c})"))
            .unwrap_or_default();
        InputError::new(path, e.line, format!("bad YAML: {}{column}", e.message))
    };
    let whole: Spanned<Value> = match crate::yaml::from_str(text) {
        Ok(v) => v,
        Err(e) => return sink(Err(bad(e))),
    };
    let is_list = whole.value.is_array();
    let items = match whole.value {
        Value::Array(_) => match crate::yaml::from_str::<Vec<Spanned<Value>>>(text) {
            Ok(items) => items,
            Err(e) => return sink(Err(bad(e))),
        },
        _ => vec![whole],
    };
    let mut positions = yaml_text_positions(text, is_list).into_iter();
    for item in items {
        let line = crate::yaml::line_of(&item);
        let origin = Origin {
            path: path.to_string(),
            line,
            event_lines: None,
            positions: positions.next().unwrap_or_default(),
        };
        sink(
            conversation_from_value(item.value, origin)
                .map_err(|m| InputError::new(path, Some(line), m)),
        );
    }
}

/// Where each event's text is written, for each record of a YAML document (a list or one);
/// best effort (a record whose shape is wrong is reported anyway, and then locates nothing).
fn yaml_text_positions(text: &str, is_list: bool) -> Vec<TextPositions> {
    #[derive(serde::Deserialize)]
    struct Record {
        #[serde(default)]
        events: Vec<Event>,
    }
    #[derive(serde::Deserialize)]
    struct Event {
        #[serde(default)]
        text: Option<Spanned<serde::de::IgnoredAny>>,
    }
    let records: Vec<Record> = if is_list {
        crate::yaml::from_str::<Vec<Record>>(text)
    } else {
        crate::yaml::from_str::<Record>(text).map(|r| vec![r])
    }
    .unwrap_or_default();
    records
        .into_iter()
        .map(|record| {
            TextPositions::Known(
                record
                    .events
                    .into_iter()
                    .map(|event| {
                        let at = event.text?.referenced;
                        let offset = usize::try_from(at.span().byte_offset()?).ok()?;
                        // A quoted scalar's location is its quote; the words start after it.
                        let quoted = text
                            .get(offset..)
                            .is_some_and(|t| t.starts_with(['"', '\'']));
                        Some(TextAt {
                            line: usize::try_from(at.line()).ok()?,
                            column: usize::try_from(at.column()).ok()? + usize::from(quoted),
                            style: TextStyle::Verbatim,
                        })
                    })
                    .collect(),
            )
        })
        .collect()
}

/// serde_json's message without its trailing position (the caller names the line).
fn json_reason(e: &serde_json::Error) -> String {
    let text = e.to_string();
    match text.rfind(" at line ") {
        Some(at) => format!("{} (column {})", &text[..at], e.column()),
        None => text,
    }
}
