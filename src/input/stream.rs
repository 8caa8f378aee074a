//! Streams of unknown length and shape (stdin, FIFOs): a look at the first byte and line
//! decides between JSONL (streamed) and a document read whole (bounded), then sniffed.

use std::io::{BufRead, Read};

use serde_json::value::RawValue;

use super::bounded;
use super::ReadOptions;
use super::{
    cannot_read, jsonl::read_jsonl, looks_like_transcript, read_bytes, InputError, Pending,
};

/// A whole file or stream, up to the document limit (a regular file's size is looked at first,
/// so an oversized one is not read at all).
pub(super) fn read_whole(
    path: &str,
    mut reader: impl Read,
    options: &ReadOptions,
) -> Result<Vec<u8>, InputError> {
    let max = options.max_document_bytes();
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

pub(super) fn read_stream_pending(
    path: &str,
    mut reader: impl BufRead,
    options: &ReadOptions,
    sink: &mut dyn FnMut(Pending),
) {
    let fail = |sink: &mut dyn FnMut(Pending), line: Option<usize>, message: String| {
        sink(Pending::Ready(Box::new(Err(InputError::new(
            path, line, message,
        )))))
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
        if head.len() > options.max_document_bytes() {
            return fail(sink, None, "nothing but blank space".to_string());
        }
    };
    if first == Some(0) {
        return fail(sink, None, "binary data, not text".to_string());
    }
    let blank_lines = head.iter().filter(|b| **b == b'\n').count();
    if first == Some(b'{') {
        let mut line = Vec::new();
        match bounded::read_line(&mut reader, &mut line, options.max_record_bytes) {
            Err(e) => return fail(sink, Some(blank_lines + 1), cannot_read(&e)),
            Ok(bounded::Line::TooLong(size)) => {
                // No JSON document of many records starts with a line this long and `{`.
                fail(sink, Some(blank_lines + 1), options.too_large(size, false));
                read_jsonl(path, reader, options, blank_lines + 1, sink);
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
                options,
                0,
                sink,
            );
            return;
        }
    }
    let mut rest = match read_whole(path, reader, options) {
        Ok(rest) => rest,
        Err(e) => return sink(Pending::Ready(Box::new(Err(e)))),
    };
    head.append(&mut rest);
    if bounded::looks_binary(&head) {
        return fail(sink, None, "binary data, not text".to_string());
    }
    read_bytes(path, "stdin", None, &head, options, &mut |r| {
        sink(Pending::Ready(Box::new(r)))
    });
}
