//! Reads whose length tact does not choose — a line of JSONL, stdin, a FIFO, a file named on the
//! command line — each bounded, so hostile input (`/dev/zero`, a 500 MB record) costs at most
//! the limit in memory and is reported, not followed until the machine runs out.

use std::io::{self, BufRead, Read};

/// 16 MiB: far above any real conversation, far below what would hurt a CI runner.
pub const DEFAULT_MAX_RECORD_BYTES: usize = 16 << 20;

/// Whole documents (a JSON list, a YAML file) are read into memory at once; past this they
/// should be JSONL, which is streamed.
pub const MAX_DOCUMENT_BYTES: usize = 1 << 30;

/// A size as people write it: `16MiB`, `500KB`, `2G`, `1048576`.
pub fn parse_size(text: &str) -> Result<usize, String> {
    let t = text.trim();
    let split = t
        .find(|c: char| !c.is_ascii_digit() && c != '_')
        .unwrap_or(t.len());
    let (digits, unit) = t.split_at(split);
    let number: usize = digits
        .replace('_', "")
        .parse()
        .map_err(|_| format!("`{text}` is not a size (write e.g. 16MiB, 500KB or 1048576)"))?;
    let factor: usize = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1,
        "k" | "kb" => 1_000,
        "kib" => 1 << 10,
        "m" | "mb" => 1_000_000,
        "mib" => 1 << 20,
        "g" | "gb" => 1_000_000_000,
        "gib" => 1 << 30,
        _ => {
            return Err(format!(
                "`{text}`: unknown unit `{unit}` (use B, KB, KiB, MB, MiB, GB or GiB)"
            ))
        }
    };
    match number.checked_mul(factor) {
        Some(0) => Err(format!("`{text}`: the limit must be above zero")),
        Some(n) => Ok(n),
        None => Err(format!("`{text}` is too large")),
    }
}

/// `16 MiB`, `1500 bytes`.
pub fn format_size(bytes: usize) -> String {
    for (unit, size) in [("GiB", 1usize << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)] {
        if bytes >= size && bytes.is_multiple_of(size) {
            return format!("{} {unit}", bytes / size);
        }
    }
    format!("{bytes} bytes")
}

/// What [`read_line`] found.
#[derive(Debug, PartialEq, Eq)]
pub enum Line {
    /// Nothing left.
    End,
    /// A line (in the buffer, its newline kept).
    Read,
    /// A line longer than the limit, skipped up to its newline; at least this many bytes.
    TooLong(usize),
}

/// Reads one line into `buf` (cleared first), keeping at most `max` bytes of it; a longer line
/// is consumed to its end without being kept.
pub fn read_line(reader: &mut impl BufRead, buf: &mut Vec<u8>, max: usize) -> io::Result<Line> {
    buf.clear();
    let mut skipped = 0usize;
    let mut any = false;
    loop {
        let available = match reader.fill_buf() {
            Ok(a) => a,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if available.is_empty() {
            break;
        }
        any = true;
        let (take, done) = match memchr_newline(available) {
            Some(i) => (i + 1, true),
            None => (available.len(), false),
        };
        // The newline is not part of the record's size.
        let counted = take - usize::from(done);
        if skipped > 0 {
            skipped = skipped.saturating_add(counted);
        } else if buf.len() + take > max.saturating_add(2) {
            // The newline (and a CR before it) is not part of the record.
            skipped = buf.len() + counted;
            buf.clear();
        } else {
            buf.extend_from_slice(&available[..take]);
        }
        reader.consume(take);
        if done {
            break;
        }
    }
    if !any {
        return Ok(Line::End);
    }
    if skipped == 0 {
        let content = buf
            .strip_suffix(b"\n")
            .map_or(&buf[..], |b| b.strip_suffix(b"\r").unwrap_or(b));
        if content.len() <= max {
            return Ok(Line::Read);
        }
        skipped = content.len();
        buf.clear();
    }
    Ok(Line::TooLong(skipped))
}

fn memchr_newline(bytes: &[u8]) -> Option<usize> {
    bytes.iter().position(|b| *b == b'\n')
}

/// Reads everything from `reader` into `buf`, up to `max` bytes; `Err(n)` when there is more
/// (n bytes were seen; the rest is not read).
pub fn read_to_end(reader: &mut impl Read, buf: &mut Vec<u8>, max: usize) -> io::Result<bool> {
    let limit = u64::try_from(max).unwrap_or(u64::MAX).saturating_add(1);
    reader.take(limit).read_to_end(buf)?;
    Ok(buf.len() <= max)
}

/// Whether bytes hold a NUL: text never does, so it is binary (or `/dev/zero`).
pub fn looks_binary(bytes: &[u8]) -> bool {
    bytes.contains(&0)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests")]
    use super::*;

    #[test]
    fn a_long_line_is_skipped_to_its_end_and_the_next_is_read() {
        let text = format!("{}\nshort\r\n", "x".repeat(100));
        let mut reader = io::BufReader::with_capacity(7, text.as_bytes());
        let mut buf = Vec::new();
        assert_eq!(
            read_line(&mut reader, &mut buf, 10).unwrap(),
            Line::TooLong(100)
        );
        assert!(buf.is_empty());
        assert_eq!(read_line(&mut reader, &mut buf, 10).unwrap(), Line::Read);
        assert_eq!(buf, b"short\r\n");
        assert_eq!(read_line(&mut reader, &mut buf, 10).unwrap(), Line::End);
    }

    #[test]
    fn a_line_of_exactly_the_limit_is_read() {
        let mut reader = io::BufReader::new(&b"0123456789\n01234567890"[..]);
        let mut buf = Vec::new();
        assert_eq!(read_line(&mut reader, &mut buf, 10).unwrap(), Line::Read);
        assert_eq!(
            read_line(&mut reader, &mut buf, 10).unwrap(),
            Line::TooLong(11)
        );
    }

    #[test]
    fn an_endless_stream_is_read_only_to_the_limit() {
        let mut zeros = io::repeat(0);
        let mut buf = Vec::new();
        assert!(!read_to_end(&mut zeros, &mut buf, 1000).unwrap());
        assert_eq!(buf.len(), 1001);
        let mut reader = io::BufReader::new(io::repeat(b'{').take(1 << 20));
        assert_eq!(
            read_line(&mut reader, &mut buf, 1000).unwrap(),
            Line::TooLong(1 << 20)
        );
        assert!(buf.capacity() < 1 << 16, "the skipped line was not kept");
    }

    #[test]
    fn sizes_read_as_people_write_them() {
        assert_eq!(parse_size("16MiB").unwrap(), 16 << 20);
        assert_eq!(parse_size("500 KB").unwrap(), 500_000);
        assert_eq!(parse_size("1_048_576").unwrap(), 1 << 20);
        assert!(parse_size("0").is_err());
        assert!(parse_size("12 parsecs")
            .unwrap_err()
            .contains("unknown unit"));
        assert!(parse_size("lots").is_err());
        assert_eq!(format_size(16 << 20), "16 MiB");
        assert_eq!(format_size(1500), "1500 bytes");
    }
}
