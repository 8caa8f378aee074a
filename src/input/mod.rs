//! Reading conversations: files, folders (walked) and stdin, in JSON, JSONL, YAML or plain text.
//! A malformed record is an error naming file:line; the records around it are still read.

mod amazon_connect;
mod bounded;
mod csv;
mod fields;
mod freshdesk;
mod front;
mod genesys;
mod google_ccai;
mod help_scout;
mod intercom;
mod json;
mod jsonl;
pub mod position;
mod record;
mod stream;
mod transcript;
mod walk;
mod yaml;
mod zendesk;
mod zendesk_events;

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde_json::value::RawValue;

use crate::conversation::{self, Conversation};
use json::read_json;
use jsonl::{parse_jsonl_line, read_jsonl};
use stream::{read_stream_pending, read_whole};
use yaml::read_yaml;

pub use bounded::{format_size, parse_size, DEFAULT_MAX_RECORD_BYTES};
pub use csv::CsvColumns;
pub use record::{conversation_from_value, parse_party, parse_time};
pub use transcript::parse_transcript;
pub use walk::{collect_inputs, collect_inputs_where};

/// How inputs are read: how much of one is held at once, and how CSV columns are named.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadOptions {
    /// The largest record (a JSONL line, a JSON or YAML document holding one conversation, a
    /// transcript, one element of a JSON list, the rows of one CSV conversation).
    pub max_record_bytes: usize,
    /// Which CSV column holds what (`csv:` in tact.yaml).
    pub csv: CsvColumns,
    /// The helpdesk the records come from, when the user names it (`--input zendesk`): each
    /// record must then have that shape, instead of being told by its fields.
    pub vendor: Option<Vendor>,
}

/// A helpdesk's or contact center's record shape, as `--input` names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Vendor {
    /// Zendesk tickets with comments, ticket audits, incremental ticket events.
    Zendesk,
    /// Intercom conversations with conversation parts.
    Intercom,
    /// Freshdesk tickets with conversations.
    Freshdesk,
    /// Help Scout conversations with threads.
    HelpScout,
    /// Front conversations with messages and comments.
    Front,
    /// Amazon Connect Contact Lens output and Transcribe Call Analytics.
    AmazonConnect,
    /// Google Contact Center AI Insights conversations.
    GoogleCcai,
    /// Genesys Cloud transcripts.
    Genesys,
}

impl Vendor {
    /// How error messages name it.
    pub fn name(self) -> &'static str {
        match self {
            Vendor::Zendesk => "Zendesk",
            Vendor::Intercom => "Intercom",
            Vendor::Freshdesk => "Freshdesk",
            Vendor::HelpScout => "Help Scout",
            Vendor::Front => "Front",
            Vendor::AmazonConnect => "Amazon Connect",
            Vendor::GoogleCcai => "Google CCAI Insights",
            Vendor::Genesys => "Genesys Cloud",
        }
    }

    /// Whether a record has this vendor's shape.
    fn fits(self, value: &serde_json::Value) -> bool {
        match self {
            Vendor::Zendesk => zendesk::looks_like(value),
            Vendor::Intercom => intercom::looks_like(value),
            Vendor::Freshdesk => freshdesk::looks_like(value),
            Vendor::HelpScout => help_scout::looks_like(value),
            Vendor::Front => front::looks_like(value),
            Vendor::AmazonConnect => amazon_connect::looks_like(value),
            Vendor::GoogleCcai => google_ccai::looks_like(value),
            Vendor::Genesys => genesys::looks_like(value),
        }
    }
}

impl Default for ReadOptions {
    fn default() -> Self {
        ReadOptions {
            max_record_bytes: DEFAULT_MAX_RECORD_BYTES,
            csv: CsvColumns::default(),
            vendor: None,
        }
    }
}

impl ReadOptions {
    /// The largest document read whole: 1 GiB, or the record limit if that is larger.
    pub fn max_document_bytes(&self) -> usize {
        self.max_record_bytes.max(bounded::MAX_DOCUMENT_BYTES)
    }

    /// What to say about a record of `size` bytes (or more) over the limit.
    pub fn too_large(&self, size: usize, at_least: bool) -> String {
        format!(
            "record too large: {}{} bytes, over the limit of {} (raise it with --max-record-size or `max_record_size` in tact.yaml); skipped",
            if at_least { "more than " } else { "" },
            size,
            bounded::format_size(self.max_record_bytes)
        )
    }
}

/// A parsed record as a conversation: tact's own shape or a helpdesk's (Zendesk, Intercom,
/// Freshdesk, Help Scout, Front, Amazon Connect / Transcribe, Google CCAI Insights, Genesys
/// Cloud), told apart by their fields, so a batch may mix them; or, when the user names the
/// vendor, read as that vendor's or refused. Each vendor's module cites the documentation it
/// follows.
fn conversation_from_record(
    value: serde_json::Value,
    users: &zendesk::Users,
    origin: conversation::Origin,
    vendor: Option<Vendor>,
) -> Result<Conversation, String> {
    if let Some(vendor) = vendor {
        if !vendor.fits(&value) {
            return Err(format!(
                "not in {}'s shape, which `--input` names: {}",
                vendor.name(),
                if value.get("events").is_some() {
                    "this is one of tact's own conversations (`--input conversations` reads them)"
                } else {
                    "its fields are no format tact knows (docs/formats.md lists each vendor's)"
                }
            ));
        }
        return match vendor {
            Vendor::Zendesk => zendesk::conversation_from_ticket(value, users, origin),
            Vendor::Intercom => intercom::conversation_from_intercom(value, origin),
            Vendor::Freshdesk => freshdesk::conversation_from_ticket(value, origin),
            Vendor::HelpScout => help_scout::conversation_from_help_scout(value, origin),
            Vendor::Front => front::conversation_from_front(value, origin),
            Vendor::AmazonConnect => amazon_connect::conversation_from_contact(value, origin),
            Vendor::GoogleCcai => google_ccai::conversation_from_ccai(value, origin),
            Vendor::Genesys => genesys::conversation_from_genesys(value, origin),
        };
    }
    // tact's own records carry `events`: decided first, since they are the bulk of a batch.
    if value.get("events").is_some() {
        conversation_from_value(value, origin)
    } else if zendesk::looks_like(&value) {
        zendesk::conversation_from_ticket(value, users, origin)
    } else if intercom::looks_like(&value) {
        intercom::conversation_from_intercom(value, origin)
    } else if amazon_connect::looks_like(&value) {
        amazon_connect::conversation_from_contact(value, origin)
    } else if google_ccai::looks_like(&value) {
        google_ccai::conversation_from_ccai(value, origin)
    } else if genesys::looks_like(&value) {
        genesys::conversation_from_genesys(value, origin)
    } else if freshdesk::looks_like(&value) {
        freshdesk::conversation_from_ticket(value, origin)
    } else if help_scout::looks_like(&value) {
        help_scout::conversation_from_help_scout(value, origin)
    } else if front::looks_like(&value) {
        front::conversation_from_front(value, origin)
    } else {
        conversation_from_value(value, origin)
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

/// Input errors are plain data of the finding model, so reports read them without the readers.
pub use crate::report::InputError;

/// One input to read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    /// A file.
    File(PathBuf),
    /// Standard input.
    Stdin,
    /// Standard input, read already and reported as the file `name` (`--stdin-filename`): its
    /// extension says what it holds, as a file's would.
    Named {
        /// The name it is reported by.
        name: PathBuf,
        /// What stdin held.
        bytes: Arc<[u8]>,
    },
}

impl Input {
    /// Reads standard input whole (up to the document limit) as the file `name`.
    pub fn stdin_named(name: &Path, options: &ReadOptions) -> Result<Input, InputError> {
        let shown = name.display().to_string();
        let bytes = stream::read_whole(&shown, std::io::stdin().lock(), options)?;
        if bytes.contains(&0) {
            return Err(InputError::new(&shown, None, "binary data, not text"));
        }
        Ok(Input::Named {
            name: name.to_path_buf(),
            bytes: bytes.into(),
        })
    }
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
    /// One message per row, comma-separated, with a header.
    Csv,
    /// One message per row, tab-separated, with a header.
    Tsv,
}

impl Format {
    /// The format a file name implies, if any.
    pub fn from_path(path: &Path) -> Option<Format> {
        match path.extension()?.to_str()?.to_ascii_lowercase().as_str() {
            "json" => Some(Format::Json),
            "jsonl" | "ndjson" => Some(Format::Jsonl),
            "yaml" | "yml" => Some(Format::Yaml),
            "txt" => Some(Format::Transcript),
            "csv" => Some(Format::Csv),
            "tsv" | "tab" => Some(Format::Tsv),
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

/// A record read but perhaps not parsed yet: JSONL lines are handed on as text, so the caller
/// can parse many of them in parallel ([`Pending::resolve`]).
#[derive(Debug)]
pub enum Pending {
    /// Parsed already, or an error (boxed: a conversation is far larger than a line's
    /// handle, and most records travel as lines).
    Ready(Box<Result<Conversation, InputError>>),
    /// One JSONL line, to parse.
    Line {
        /// The file, as reports show it.
        path: Arc<str>,
        /// Its 1-based line.
        line: usize,
        /// The line's text.
        text: String,
        /// The vendor `--input` names, if any.
        vendor: Option<Vendor>,
    },
}

impl Pending {
    /// The conversation, or what is wrong with the record.
    pub fn resolve(self) -> Result<Conversation, InputError> {
        match self {
            Pending::Ready(result) => *result,
            Pending::Line {
                path,
                line,
                text,
                vendor,
            } => parse_jsonl_line(&path, line, text, vendor),
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

/// Reads every conversation of one input, handing each (or the error in its place) to `sink` as
/// soon as it is read. JSONL is streamed line by line.
pub fn read_input(input: &Input, sink: &mut dyn FnMut(Result<Conversation, InputError>)) {
    read_input_pending(input, &ReadOptions::default(), &mut |p| sink(p.resolve()));
}

/// As [`read_input`], within `options`, handing JSONL lines on unparsed.
pub fn read_input_pending(input: &Input, options: &ReadOptions, sink: &mut dyn FnMut(Pending)) {
    let mut ready = |r: Result<Conversation, InputError>| sink(Pending::Ready(Box::new(r)));
    match input {
        Input::Stdin => read_stream_pending("<stdin>", std::io::stdin().lock(), options, sink),
        Input::Named { name, bytes } => read_named(name, bytes, options, sink),
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
            match format {
                Some(Format::Jsonl) => {
                    read_jsonl(&shown, BufReader::new(file), options, 0, sink);
                    return;
                }
                Some(kind @ (Format::Csv | Format::Tsv)) => {
                    let delimiter = if kind == Format::Tsv { b'\t' } else { b',' };
                    let reader = BufReader::new(file);
                    let (csv, max) = (&options.csv, options.max_record_bytes);
                    csv::read_csv(&shown, reader, delimiter, csv, max, &mut ready);
                    return;
                }
                _ => {}
            }
            let regular = file.metadata().is_ok_and(|m| m.is_file());
            if format.is_none() && !regular {
                // A FIFO or a device: a stream, like stdin.
                read_stream_pending(&shown, BufReader::new(file), options, sink);
                return;
            }
            let stem = path
                .file_stem()
                .map_or_else(|| shown.clone(), |s| s.to_string_lossy().into_owned());
            match read_whole(&shown, file, options) {
                Ok(bytes) => read_bytes(&shown, &stem, format, &bytes, options, &mut ready),
                Err(e) => ready(Err(e)),
            }
        }
    }
}

/// Reads text held in memory as the file `name` would be read.
fn read_named(name: &Path, bytes: &[u8], options: &ReadOptions, sink: &mut dyn FnMut(Pending)) {
    let mut ready = |r: Result<Conversation, InputError>| sink(Pending::Ready(Box::new(r)));
    let shown = name.display().to_string();
    match Format::from_path(name) {
        Some(Format::Jsonl) => read_jsonl(&shown, bytes, options, 0, sink),
        Some(kind @ (Format::Csv | Format::Tsv)) => {
            let delimiter = if kind == Format::Tsv { b'\t' } else { b',' };
            let (csv, max) = (&options.csv, options.max_record_bytes);
            csv::read_csv(&shown, bytes, delimiter, csv, max, &mut ready);
        }
        format => {
            let stem = name
                .file_stem()
                .map_or_else(|| shown.clone(), |s| s.to_string_lossy().into_owned());
            read_bytes(&shown, &stem, format, bytes, options, &mut ready);
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
    read_stream_pending(path, reader, &ReadOptions::default(), &mut |p| {
        sink(p.resolve())
    });
}

/// Reads conversations from bytes in memory, in `format` or a sniffed one, each record within
/// `options`.
pub fn read_bytes(
    path: &str,
    stem: &str,
    format: Option<Format>,
    bytes: &[u8],
    options: &ReadOptions,
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
        Format::Jsonl | Format::Csv | Format::Tsv => false,
        Format::Json => !text.trim_start().starts_with('['),
        // Read whole into memory, unlike a JSON list, so bounded as one record.
        Format::Yaml | Format::Transcript => true,
    };
    if one_record && text.len() > options.max_record_bytes {
        sink(Err(InputError::new(
            path,
            Some(1),
            options.too_large(text.len(), false),
        )));
        return;
    }
    match format {
        Format::Jsonl => read_jsonl(path, text.as_bytes(), options, 0, &mut |p| {
            sink(p.resolve())
        }),
        Format::Json => read_json(path, text, options, sink),
        Format::Yaml => read_yaml(path, text, options.vendor, sink),
        Format::Transcript => sink(parse_transcript(path, stem, text)),
        Format::Csv | Format::Tsv => {
            let delimiter = if format == Format::Tsv { b'\t' } else { b',' };
            let (csv, max) = (&options.csv, options.max_record_bytes);
            csv::read_csv(path, text.as_bytes(), delimiter, csv, max, sink)
        }
    }
}
