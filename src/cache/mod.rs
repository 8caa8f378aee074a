//! What tact derives from regexes, kept between runs in the user's cache folder: the literal
//! sets of a policy's regexes (`prefilter/cache.rs`), the compiled automata of the message
//! analysis' cues and of a policy's regexes (`automata/`), and which policy regexes take ASCII
//! stand-ins (`engine/stand_in.rs`). Deriving them is most of a short run's start-up, and they
//! depend only on the regexes' text and on this build of tact.
//!
//! One file per set of regexes, named by the SHA-256 of the regexes and of the build (the
//! version and the executable's size and time, so that any rebuild starts afresh). The file is
//! untrusted input: its size is bounded, its key compared with the one expected, its content
//! checked against a CRC-32 (a torn or damaged file is a miss), and each kind of content
//! validates what it reads. Anything amiss is a miss: the
//! data are derived again, and nothing fails because of the cache. The command line turns it on
//! ([`set_folder`]); the library alone never writes there.
//!
//! The built-in policy's entries are built into the binary (`built_in.rs`) and found by the
//! SHA-256 of their sources and of the code deriving them, the cache on or off: a run with it
//! starts without compiling or reading anything.

mod built_in;

use std::borrow::Cow;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::RwLock;

use sha2::{Digest, Sha256};

/// Setting this environment variable (to anything but the empty string) turns the cache off.
pub const NO_CACHE_VAR: &str = "TACT_NO_CACHE";

/// The kinds of entry, the prefix of their file names: only files named so are ever pruned.
const KINDS: [&str; 3] = ["literals", "automata", "stand-ins"];

/// The folder the cache is read from and written to; `None`: no cache.
static FOLDER: RwLock<Option<PathBuf>> = RwLock::new(None);

/// Turns the cache on in `folder`, or off.
pub fn set_folder(folder: Option<PathBuf>) {
    if let Ok(mut current) = FOLDER.write() {
        *current = folder;
    }
}

/// The user's cache folder for tact: `$XDG_CACHE_HOME/tact`, else the platform's own
/// (`~/.cache/tact`, `~/Library/Caches/tact`, `%LOCALAPPDATA%\tact`); `None` if
/// [`NO_CACHE_VAR`] is set or no home is known.
pub fn user_folder() -> Option<PathBuf> {
    let set = |name: &str| std::env::var_os(name).filter(|v| !v.is_empty());
    if set(NO_CACHE_VAR).is_some() {
        return None;
    }
    let absolute = |name: &str| set(name).map(PathBuf::from).filter(|p| p.is_absolute());
    let base = if let Some(xdg) = absolute("XDG_CACHE_HOME") {
        xdg
    } else if cfg!(windows) {
        absolute("LOCALAPPDATA")?
    } else if cfg!(target_os = "macos") {
        absolute("HOME")?.join("Library/Caches")
    } else {
        absolute("HOME")?.join(".cache")
    };
    Some(base.join("tact"))
}

/// One entry of the cache: where it is (built into the binary, or a file of the user's
/// folder), the layout its content is in, and the key it is checked against.
#[derive(Debug, Clone)]
pub(crate) struct Entry {
    /// The file; `None` for an entry built in (or, in tests, being recorded).
    path: Option<PathBuf>,
    format: &'static [u8],
    key: [u8; 32],
    /// The body built into the binary for these sources (`built_in`).
    built_in: Option<&'static [u8]>,
}

/// The entry holding what was derived from `sources` (parsed as `parsing` says), in `format`
/// (the first line of the file, bumped whenever its layout changes); `kind` is one of
/// [`KINDS`]. The built-in policy's entries are built into the binary (`built_in`), so they are
/// found with the cache off too. `None` when neither holds them: the cache is off (or this build
/// cannot be identified), or there are no regexes.
pub(crate) fn entry(
    kind: &'static str,
    format: &'static [u8],
    parsing: &str,
    sources: &[&str],
) -> Option<Entry> {
    if sources.is_empty() || !KINDS.contains(&kind) {
        return None;
    }
    let content = content_key(kind, format, parsing, sources);
    let entry = |path, key, built_in| {
        Some(Entry {
            path,
            format,
            key,
            built_in,
        })
    };
    // Recording, an entry's key is its content's: `store` records it under that key.
    #[cfg(test)]
    if built_in::recording() {
        return entry(None, content, None);
    }
    if let Some(body) = built_in::body(&content) {
        return entry(None, content, Some(body));
    }
    let folder = FOLDER.read().ok()?.clone()?;
    let build = std::env::current_exe().and_then(std::fs::metadata).ok()?;
    let modified = build
        .modified()
        .ok()?
        .duration_since(std::time::UNIX_EPOCH)
        .ok()?;
    let mut hasher = Sha256::new();
    hasher.update(content);
    hasher.update(env!("CARGO_PKG_VERSION").as_bytes());
    hasher.update(build.len().to_le_bytes());
    hasher.update(modified.as_nanos().to_le_bytes());
    let key: [u8; 32] = hasher.finalize().into();
    let name: String = key.iter().take(16).map(|b| format!("{b:02x}")).collect();
    entry(Some(folder.join(format!("{kind}-{name}.bin"))), key, None)
}

/// The SHA-256 of what an entry is derived from: its kind and format, how its sources are
/// parsed, the sources, and the code that derives it (`build.rs` hashes it).
fn content_key(kind: &str, format: &[u8], parsing: &str, sources: &[&str]) -> [u8; 32] {
    let mut hasher = Sha256::new();
    let code = env!("TACT_DERIVING_CODE").as_bytes();
    for part in [code, kind.as_bytes(), format, parsing.as_bytes()] {
        hasher.update((part.len() as u64).to_le_bytes());
        hasher.update(part);
    }
    hasher.update((sources.len() as u64).to_le_bytes());
    for source in sources {
        hasher.update((source.len() as u64).to_le_bytes());
        hasher.update(source.as_bytes());
    }
    hasher.finalize().into()
}

impl Entry {
    /// The content kept in the entry: built in, or the file's if it is there, at most `limit`
    /// bytes long and sound (its format, key and checksum right). A file is read once into a
    /// buffer of its size, not copied again: the cues' and a policy's automata are megabytes.
    pub(crate) fn load(&self, limit: usize) -> Option<Body> {
        if let Some(body) = self.built_in {
            return (body.len() <= limit).then_some(Body {
                bytes: Cow::Borrowed(body),
                start: 0,
            });
        }
        let path = self.path.as_deref()?;
        let header = self.format.len() + 32 + 4;
        // Only a regular file: a FIFO or a device put at an entry's name would block or never end.
        if !std::fs::symlink_metadata(path).ok()?.file_type().is_file() {
            return None;
        }
        let file = std::fs::File::open(path).ok()?;
        let size = usize::try_from(file.metadata().ok()?.len()).ok()?;
        if size > header.saturating_add(limit) {
            return None;
        }
        let mut bytes = Vec::with_capacity(size);
        file.take(header.saturating_add(limit) as u64 + 1)
            .read_to_end(&mut bytes)
            .ok()?;
        let body = unwrap(&bytes, self.format, &self.key, limit)?.len();
        let start = bytes.len() - body;
        Some(Body {
            bytes: Cow::Owned(bytes),
            start,
        })
    }

    /// Keeps `body` in the entry's file, atomically, then prunes the folder to
    /// [`KEPT_ENTRIES`]; a failure only means the next run derives it again. A built-in entry
    /// has no file.
    pub(crate) fn store(&self, body: &[u8]) {
        #[cfg(test)]
        built_in::record(self.key, body);
        let Some(path) = self.path.as_deref() else {
            return;
        };
        // Never through a link or onto anything but a file of its own: writing follows links,
        // and an entry's name must not lead outside the folder.
        if std::fs::symlink_metadata(path).is_ok_and(|m| !m.file_type().is_file()) {
            return;
        }
        if let Some(folder) = path.parent() {
            if std::fs::create_dir_all(folder).is_ok()
                && crate::atomic::write_atomically(path, &wrap(self.format, &self.key, body))
                    .is_ok()
            {
                prune(folder, KEPT_ENTRIES);
            }
        }
    }

    #[cfg(test)]
    pub(crate) fn at(path: &Path, format: &'static [u8], key: [u8; 32]) -> Entry {
        Entry {
            path: Some(path.to_path_buf()),
            format,
            key,
            built_in: None,
        }
    }
}

/// The content of an entry as read: the file's bytes, less its header, or the built-in body.
#[derive(Debug)]
pub(crate) struct Body {
    bytes: Cow<'static, [u8]>,
    start: usize,
}

#[cfg(test)]
impl From<Vec<u8>> for Body {
    fn from(bytes: Vec<u8>) -> Body {
        Body {
            bytes: Cow::Owned(bytes),
            start: 0,
        }
    }
}

#[cfg(test)]
impl Body {
    /// Whether the body is built into the binary.
    pub(crate) fn is_built_in(&self) -> bool {
        matches!(self.bytes, Cow::Borrowed(_))
    }
}

impl std::ops::Deref for Body {
    type Target = [u8];

    fn deref(&self) -> &[u8] {
        self.bytes.get(self.start..).unwrap_or_default()
    }
}

/// How many entries the folder keeps. Every rebuild of tact and every edit of a policy's
/// regexes makes new entries, so without a bound the folder would only grow; a few dozen
/// cover every policy a user switches between.
const KEPT_ENTRIES: usize = 32;

/// Removes all but the `keep` most recently written entries of `folder`. Only regular files
/// named as [`entry`] names them are touched (never a symlink, a folder or another program's
/// file), and a file that cannot be removed is left: pruning is housekeeping, never an error.
fn prune(folder: &Path, keep: usize) {
    let Ok(listing) = std::fs::read_dir(folder) else {
        return;
    };
    let mut entries: Vec<(std::time::SystemTime, PathBuf)> = listing
        .filter_map(Result::ok)
        .filter(|item| is_entry_name(&item.file_name().to_string_lossy()))
        .filter_map(|item| {
            let meta = std::fs::symlink_metadata(item.path()).ok()?;
            if !meta.file_type().is_file() {
                return None;
            }
            Some((meta.modified().ok()?, item.path()))
        })
        .collect();
    if entries.len() <= keep {
        return;
    }
    entries.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    for (_, stale) in entries.into_iter().skip(keep) {
        let _ = std::fs::remove_file(stale);
    }
}

/// Whether `name` is `<kind>-<32 lowercase hex digits>.bin`, as [`entry`] names its files.
fn is_entry_name(name: &str) -> bool {
    KINDS.iter().any(|kind| {
        name.strip_prefix(kind)
            .and_then(|rest| rest.strip_prefix('-'))
            .and_then(|rest| rest.strip_suffix(".bin"))
            .is_some_and(|hex| {
                hex.len() == 32
                    && hex
                        .bytes()
                        .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
            })
    })
}

/// The file: `format`, the key, the CRC-32 of the body, the body.
fn wrap(format: &[u8], key: &[u8; 32], body: &[u8]) -> Vec<u8> {
    let mut file = format.to_vec();
    file.extend(key);
    file.extend(crc32fast::hash(body).to_le_bytes());
    file.extend(body);
    file
}

/// The body of a file [`wrap`] wrote in `format` under `key`, at most `limit` bytes; `None` if
/// it is not exactly that.
fn unwrap<'a>(file: &'a [u8], format: &[u8], key: &[u8; 32], limit: usize) -> Option<&'a [u8]> {
    let rest = file.strip_prefix(format)?.strip_prefix(key)?;
    let (sum, body) = rest.split_at_checked(4)?;
    (body.len() <= limit && sum == crc32fast::hash(body).to_le_bytes()).then_some(body)
}

/// Reads a body front to back; every read is bounded by what is left.
pub(crate) struct Reader<'a>(pub(crate) &'a [u8]);

impl<'a> Reader<'a> {
    pub(crate) fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let (taken, rest) = self.0.split_at_checked(n)?;
        self.0 = rest;
        Some(taken)
    }

    pub(crate) fn u8(&mut self) -> Option<u8> {
        self.take(1)?.first().copied()
    }

    pub(crate) fn u16(&mut self) -> Option<u16> {
        Some(u16::from_le_bytes(self.take(2)?.try_into().ok()?))
    }

    pub(crate) fn u32(&mut self) -> Option<u32> {
        Some(u32::from_le_bytes(self.take(4)?.try_into().ok()?))
    }

    pub(crate) fn u64(&mut self) -> Option<u64> {
        Some(u64::from_le_bytes(self.take(8)?.try_into().ok()?))
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: [u8; 32] = [7; 32];
    const FORMAT: &[u8] = b"test format 1\n";

    #[test]
    fn another_key_format_or_any_changed_byte_is_a_miss() {
        let body = b"some body of bytes".to_vec();
        let file = wrap(FORMAT, &KEY, &body);
        assert_eq!(unwrap(&file, FORMAT, &KEY, 100), Some(&body[..]));
        assert_eq!(unwrap(&file, FORMAT, &[8; 32], 100), None);
        assert_eq!(unwrap(&file, b"test format 2\n", &KEY, 100), None);
        assert_eq!(unwrap(&file, FORMAT, &KEY, body.len() - 1), None);
        for at in 0..file.len() {
            let mut changed = file.clone();
            changed[at] ^= 0x20;
            assert_eq!(unwrap(&changed, FORMAT, &KEY, 100), None, "byte {at}");
        }
        for len in 0..file.len() {
            assert_eq!(
                unwrap(&file[..len], FORMAT, &KEY, 100),
                None,
                "cut at {len}"
            );
        }
        let mut longer = file.clone();
        longer.push(0);
        assert_eq!(unwrap(&longer, FORMAT, &KEY, 100), None);
    }

    /// Pruning keeps the newest entries and touches nothing that is not an entry: another
    /// file, a folder, or a symlink named like an entry (nor what it points to).
    #[cfg(unix)]
    #[test]
    fn pruning_keeps_the_newest_entries_and_nothing_else_is_touched() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let folder = dir.path();
        let name = |i: usize| {
            let kind = KINDS[i % KINDS.len()];
            format!("{kind}-{i:032x}.bin")
        };
        let base =
            std::time::SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1_700_000_000);
        for i in 0..5 {
            let path = folder.join(name(i));
            std::fs::write(&path, b"x").unwrap_or_else(|e| panic!("{e}"));
            let file = std::fs::File::options()
                .write(true)
                .open(&path)
                .unwrap_or_else(|e| panic!("{e}"));
            file.set_modified(base + std::time::Duration::from_secs(i as u64 * 60))
                .unwrap_or_else(|e| panic!("{e}"));
        }
        let outside = dir.path().join("keep-me.txt");
        std::fs::write(&outside, b"mine").unwrap_or_else(|e| panic!("{e}"));
        std::os::unix::fs::symlink(&outside, folder.join(name(99)))
            .unwrap_or_else(|e| panic!("{e}"));
        std::fs::create_dir(folder.join(name(98))).unwrap_or_else(|e| panic!("{e}"));
        std::fs::write(folder.join("literals-notes.bin"), b"other")
            .unwrap_or_else(|e| panic!("{e}"));
        std::fs::write(folder.join(format!("others-{:032x}.bin", 1)), b"other")
            .unwrap_or_else(|e| panic!("{e}"));

        prune(folder, 2);

        let mut left: Vec<String> = std::fs::read_dir(folder)
            .unwrap_or_else(|e| panic!("{e}"))
            .map(|e| {
                e.unwrap_or_else(|e| panic!("{e}"))
                    .file_name()
                    .to_string_lossy()
                    .into_owned()
            })
            .collect();
        left.sort();
        let mut expected = vec![
            "keep-me.txt".to_string(),
            "literals-notes.bin".to_string(),
            format!("others-{:032x}.bin", 1),
            name(3),
            name(4),
            name(98),
            name(99),
        ];
        expected.sort();
        assert_eq!(left, expected);
        assert_eq!(
            std::fs::read(&outside).unwrap_or_else(|e| panic!("{e}")),
            b"mine"
        );
    }

    /// A link, a folder or a FIFO at an entry's name is neither read nor written through.
    #[cfg(unix)]
    #[test]
    fn only_regular_files_are_read_or_written() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let outside = dir.path().join("outside.txt");
        std::fs::write(&outside, b"mine").unwrap_or_else(|e| panic!("{e}"));
        let link = dir.path().join("link.bin");
        std::os::unix::fs::symlink(&outside, &link).unwrap_or_else(|e| panic!("{e}"));
        let entry = Entry::at(&link, FORMAT, KEY);
        entry.store(b"body");
        assert_eq!(std::fs::read(&outside).unwrap_or_default(), b"mine");
        assert!(entry.load(100).is_none());
        let fifo = dir.path().join("fifo.bin");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        if made.is_ok_and(|s| s.success()) {
            assert!(Entry::at(&fifo, FORMAT, KEY).load(100).is_none());
        }
    }

    #[test]
    fn a_missing_or_unreadable_file_is_a_miss() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        assert!(Entry::at(&dir.path().join("none.bin"), FORMAT, KEY)
            .load(100)
            .is_none());
        assert!(Entry::at(dir.path(), FORMAT, KEY).load(100).is_none());
        let entry = Entry::at(&dir.path().join("sub/literals.bin"), FORMAT, KEY);
        entry.store(b"body");
        assert_eq!(entry.load(100).as_deref(), Some(&b"body"[..]));
        assert!(entry.load(3).is_none());
    }
}
