//! The cache entries of the built-in policy, built into the binary: what every run with it
//! derives from its regexes (the message analysis' cues and the policy's own: their automata
//! and their required literals, and which policy regexes take stand-ins). With them a run
//! starts as fast as with a warm cache on its first run, with `--no-cache`, and where no cache
//! folder lasts between runs (CI).
//!
//! `built_in.bin` is written by the test below from what the built-in policy derives, and the
//! same test fails when it is stale: after changing a cue or a built-in rule's regex, run
//! `TACT_BLESS_BUILT_IN=1 cargo test --lib cache::built_in` and commit the file. A stale file
//! is never wrong, only slow: entries are found by the SHA-256 of their sources and of the code
//! that derives them (`build.rs`), so a changed regex or a change to that code misses, and the
//! entry is derived as before.

use crate::cache::Reader;

/// The file's first line, bumped whenever its layout changes.
const HEADER: &[u8] = b"tact built-in cache 1\n";

/// [`HEADER`], then for each entry: the SHA-256 of what it is derived from (`content_key`), the
/// body's length (u32, little-endian) and the body.
static BLOB: &[u8] = include_bytes!("built_in.bin");

/// The built-in body of the entry derived from `content`, if there is one.
pub(super) fn body(content: &[u8; 32]) -> Option<&'static [u8]> {
    find(BLOB, content)
}

/// The body kept under `content` in `blob`; `None` if there is none or the blob is not laid out
/// as [`BLOB`] is.
fn find<'a>(blob: &'a [u8], content: &[u8; 32]) -> Option<&'a [u8]> {
    let mut reader = Reader(blob.strip_prefix(HEADER)?);
    while !reader.is_empty() {
        let key = reader.take(32)?;
        let len = usize::try_from(reader.u32()?).ok()?;
        let body = reader.take(len)?;
        if key == content {
            return Some(body);
        }
    }
    None
}

/// A blob holding `entries`, in the order given.
#[cfg(test)]
fn encode(entries: &[([u8; 32], Vec<u8>)]) -> Option<Vec<u8>> {
    let mut blob = HEADER.to_vec();
    for (key, body) in entries {
        blob.extend(key);
        blob.extend(u32::try_from(body.len()).ok()?.to_le_bytes());
        blob.extend(body);
    }
    Some(blob)
}

/// Entries: the key of what each is derived from, and its body.
#[cfg(test)]
type Entries = Vec<([u8; 32], Vec<u8>)>;

#[cfg(test)]
thread_local! {
    /// The entries stored on this thread while [`recorded`] runs.
    static RECORDED: std::cell::RefCell<Option<Entries>> = const { std::cell::RefCell::new(None) };
}

/// Whether this thread is recording: its entries are then neither built in nor in a folder,
/// so everything is derived afresh and stored.
#[cfg(test)]
pub(super) fn recording() -> bool {
    RECORDED.with(|r| r.borrow().is_some())
}

/// Keeps a stored entry while this thread records.
#[cfg(test)]
pub(super) fn record(content: [u8; 32], body: &[u8]) {
    RECORDED.with(|r| {
        if let Some(entries) = r.borrow_mut().as_mut() {
            entries.push((content, body.to_vec()));
        }
    });
}

/// The entries `derive` stores on this thread, by key.
#[cfg(test)]
fn recorded(derive: impl FnOnce()) -> Entries {
    RECORDED.with(|r| *r.borrow_mut() = Some(Vec::new()));
    derive();
    let mut entries = RECORDED.with(|r| r.borrow_mut().take()).unwrap_or_default();
    entries.sort();
    entries.dedup_by(|a, b| a.0 == b.0);
    entries
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What the built-in policy derives, as a blob.
    fn derived() -> Vec<u8> {
        let entries = recorded(|| {
            crate::analysis::speech_act::derive_cue_entries();
            if let Err(e) = crate::builtin_engine() {
                panic!("the built-in policy compiles: {e}");
            }
        });
        // The cues' automata and literals; the policy regexes' automata, literals and
        // stand-ins.
        assert_eq!(entries.len(), 5, "entries derived");
        encode(&entries).unwrap_or_else(|| panic!("an entry over 4 GB"))
    }

    /// `built_in.bin` holds exactly what the built-in policy derives now.
    #[test]
    fn the_built_in_entries_are_current() {
        let blob = derived();
        if std::env::var_os("TACT_BLESS_BUILT_IN").is_some_and(|v| !v.is_empty()) {
            let path =
                std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/cache/built_in.bin");
            if let Err(e) = crate::atomic::write_atomically(&path, &blob) {
                panic!("cannot write {}: {e}", path.display());
            }
            return;
        }
        assert!(
            blob == BLOB,
            "src/cache/built_in.bin is not what the built-in policy derives now (a cue or a \
             built-in regex changed): run `TACT_BLESS_BUILT_IN=1 cargo test --lib \
             cache::built_in` and commit the file"
        );
    }

    /// Entries are found by their key; a blob of another layout, cut short or overlong,
    /// finds nothing and panics nowhere.
    #[test]
    fn entries_are_found_by_key_in_a_sound_blob_only() {
        let entries = [([1; 32], b"first".to_vec()), ([2; 32], b"second".to_vec())];
        let blob = encode(&entries).unwrap_or_default();
        assert_eq!(find(&blob, &[1; 32]), Some(&b"first"[..]));
        assert_eq!(find(&blob, &[2; 32]), Some(&b"second"[..]));
        assert_eq!(find(&blob, &[3; 32]), None);
        assert_eq!(find(&blob[1..], &[1; 32]), None);
        // Cut inside the second entry: the first is still found before the cut is reached.
        let cut = &blob[..blob.len() - 2];
        assert_eq!(find(cut, &[1; 32]), Some(&b"first"[..]));
        assert_eq!(find(cut, &[2; 32]), None);
        let mut overlong = blob.clone();
        let at = HEADER.len() + 32;
        overlong[at..at + 4].copy_from_slice(&u32::MAX.to_le_bytes());
        assert_eq!(find(&overlong, &[1; 32]), None);
    }
}
