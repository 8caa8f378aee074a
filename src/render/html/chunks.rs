//! The report as a folder: the page, and the conversations' sections in chunk files the page
//! loads with `<script src>` when one is opened (a page opened from `file://` may not `fetch`).
//! The page stays a few megabytes however many conversations there are, so it opens quickly.
//!
//! A chunk is JavaScript, `tactChunk(3, ["<section…>", …]);`, its strings JSON made safe to
//! hold in a script (see [`script_json`]).

use std::io;

use serde::Serialize;

/// Conversations per chunk file: opening one loads its chunk, about a megabyte and a half.
pub const CHUNK: usize = 100;

/// The folder beside the page that holds the chunk files.
pub const CHUNK_FOLDER: &str = "chunks";

/// Where the report folder's files go. The command line provides it (writing each file
/// atomically); the renderer only says what each file holds.
pub trait ReportFolder {
    /// Writes the file `name` (relative to the folder, e.g. `chunks/3.js`).
    fn write(&mut self, name: &str, bytes: &[u8]) -> io::Result<()>;
    /// Called once all `chunks` chunk files are written: chunk files of an earlier, larger
    /// report in the same folder may be removed.
    fn finish(&mut self, chunks: usize) -> io::Result<()>;
}

/// The name of the chunk file numbered `chunk`, relative to the folder.
pub fn chunk_name(chunk: usize) -> String {
    format!("{CHUNK_FOLDER}/{chunk}.js")
}

/// Sections collected into chunk files as they come, `CHUNK` at a time, so that only one
/// chunk is ever held in memory.
pub(super) struct Chunks {
    folder: Box<dyn ReportFolder>,
    pending: Vec<String>,
    written: usize,
}

impl Chunks {
    pub(super) fn new(folder: Box<dyn ReportFolder>) -> Chunks {
        Chunks {
            folder,
            pending: Vec::with_capacity(CHUNK),
            written: 0,
        }
    }

    /// Adds the next conversation's section (its markup).
    pub(super) fn add(&mut self, section: String) -> io::Result<()> {
        self.pending.push(section);
        if self.pending.len() == CHUNK {
            self.flush()?;
        }
        Ok(())
    }

    fn flush(&mut self) -> io::Result<()> {
        if self.pending.is_empty() {
            return Ok(());
        }
        let body = format!(
            "tactChunk({}, {});\n",
            self.written,
            chunk_json(&self.pending)?
        );
        self.folder
            .write(&chunk_name(self.written), body.as_bytes())?;
        self.pending.clear();
        self.written += 1;
        Ok(())
    }

    /// Writes the last chunk and tells the folder how many there are.
    pub(super) fn finish(mut self) -> io::Result<()> {
        self.flush()?;
        self.folder.finish(self.written)
    }
}

/// `value` as JSON that is safe inside an HTML `<script>` element, for the page's own data:
/// every `<` is written `\u003c`, so no tag of any kind appears in it, and the line separators
/// U+2028 and U+2029 (line ends to older JavaScript) as escapes. Outside strings JSON has none
/// of these, so the text means the same.
pub fn script_json<T: Serialize + ?Sized>(value: &T) -> io::Result<String> {
    escaped_json(value, |_| true)
}

/// The same for a chunk file, which is JavaScript loaded by a script element and never read as
/// HTML: only a `<` before `/` or `!` (what could end a script, `</script`, or open a comment,
/// `<!--`, were the text ever put in a page) is escaped. A section's markup is mostly tags, and
/// escaping every `<` made the chunk files a tenth larger.
pub fn chunk_json<T: Serialize + ?Sized>(value: &T) -> io::Result<String> {
    escaped_json(value, |next| matches!(next, Some('/' | '!')))
}

fn escaped_json<T: Serialize + ?Sized>(
    value: &T,
    escape_lt: impl Fn(Option<&char>) -> bool,
) -> io::Result<String> {
    let json = serde_json::to_string(value).map_err(io::Error::other)?;
    let mut out = String::with_capacity(json.len() + json.len() / 16);
    let mut chars = json.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '<' if escape_lt(chars.peek()) => out.push_str("\\u003c"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests")]
    use super::*;
    use std::cell::RefCell;
    use std::rc::Rc;

    #[test]
    fn escaped_json_cannot_end_its_script_and_reads_back_the_same() {
        let text = "</script><!-- a\u{2028}b\u{2029}c \"q\" \\ é </SCRIPT <p>";
        let page = script_json(&[text]).unwrap();
        assert!(!page.contains('<'), "{page}");
        let chunk = chunk_json(&[text]).unwrap();
        assert!(!chunk.contains("</") && !chunk.contains("<!"), "{chunk}");
        assert!(
            chunk.contains("<p>"),
            "other tags are left in a chunk: {chunk}"
        );
        for json in [page, chunk] {
            assert!(
                !json.contains('\u{2028}') && !json.contains('\u{2029}'),
                "{json}"
            );
            let back: Vec<String> = serde_json::from_str(&json).unwrap();
            assert_eq!(back, [text]);
        }
    }

    type Written = Rc<RefCell<Vec<(String, String)>>>;

    struct Memory(Written, Rc<RefCell<Option<usize>>>);

    impl ReportFolder for Memory {
        fn write(&mut self, name: &str, bytes: &[u8]) -> io::Result<()> {
            let text = String::from_utf8(bytes.to_vec()).unwrap();
            self.0.borrow_mut().push((name.to_string(), text));
            Ok(())
        }
        fn finish(&mut self, chunks: usize) -> io::Result<()> {
            *self.1.borrow_mut() = Some(chunks);
            Ok(())
        }
    }

    #[test]
    fn sections_go_into_numbered_chunks_of_a_hundred() {
        let written = Written::default();
        let finished = Rc::new(RefCell::new(None));
        let mut chunks = Chunks::new(Box::new(Memory(written.clone(), finished.clone())));
        for i in 0..(CHUNK + 1) {
            chunks
                .add(format!("<section id=\"c-{i}\"></section>"))
                .unwrap();
        }
        assert_eq!(
            written.borrow().len(),
            1,
            "the first chunk is written when full"
        );
        chunks.finish().unwrap();
        let written = written.borrow();
        let names: Vec<&str> = written.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["chunks/0.js", "chunks/1.js"]);
        assert!(written[1]
            .1
            .starts_with("tactChunk(1, [\"<section id=\\\"c-100\\\">\\u003c/section>\"]);"));
        assert_eq!(written[0].1.matches("\\u003c/section>").count(), CHUNK);
        assert_eq!(*finished.borrow(), Some(2));
    }
}
