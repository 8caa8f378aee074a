//! The regexes' required literal sets kept between runs, in the user's cache folder: finding them
//! (parsing each regex into a syntax tree, then extracting) was over a third of a short run's
//! start-up, and they depend only on the regexes' text and on this build of tact.
//!
//! One file per set of regexes, named by the SHA-256 of the regexes and of the build (the
//! version and the executable's size and time, so that any rebuild starts afresh). The file is
//! untrusted input: its size is bounded, its content checked against a SHA-256 of the key and
//! the content, and every bound of [`super::literals`] validated. Anything amiss is a miss:
//! the sets are found again, and nothing fails because of the cache. The command line turns it
//! on ([`set_folder`]); the library alone never writes there.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::RwLock;

use sha2::{Digest, Sha256};

use super::literals::{Required, LITERAL_LENGTH, MAX_LITERALS, MAX_SETS};

/// Bumped whenever the file layout changes.
const FORMAT: &[u8] = b"tact literal sets 1\n";

/// Setting this environment variable (to anything but the empty string) turns the cache off.
pub const NO_CACHE_VAR: &str = "TACT_NO_CACHE";

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

/// Where the literal sets of `sources` (parsed as `kind` says) are kept, and the key their
/// file is checked against; `None` when the cache is off, there are no regexes, or this build
/// cannot be identified.
pub(crate) fn entry(kind: &str, sources: &[&str]) -> Option<(PathBuf, [u8; 32])> {
    if sources.is_empty() {
        return None;
    }
    let folder = FOLDER.read().ok()?.clone()?;
    let build = std::env::current_exe().and_then(std::fs::metadata).ok()?;
    let modified = build
        .modified()
        .ok()?
        .duration_since(std::time::UNIX_EPOCH)
        .ok()?;
    let mut hasher = Sha256::new();
    hasher.update(FORMAT);
    for part in [env!("CARGO_PKG_VERSION").as_bytes(), kind.as_bytes()] {
        hasher.update((part.len() as u64).to_le_bytes());
        hasher.update(part);
    }
    hasher.update(build.len().to_le_bytes());
    hasher.update(modified.as_nanos().to_le_bytes());
    hasher.update((sources.len() as u64).to_le_bytes());
    for source in sources {
        hasher.update((source.len() as u64).to_le_bytes());
        hasher.update(source.as_bytes());
    }
    let key: [u8; 32] = hasher.finalize().into();
    let name: String = key.iter().take(16).map(|b| format!("{b:02x}")).collect();
    Some((folder.join(format!("literals-{name}.bin")), key))
}

/// The sets kept for `count` regexes under `key`, if the file is there and sound.
pub(crate) fn load(path: &Path, key: &[u8; 32], count: usize) -> Option<Vec<Vec<Required>>> {
    let limit = FORMAT.len() + 32 + max_body(count);
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .ok()?
        .take(limit as u64 + 1)
        .read_to_end(&mut bytes)
        .ok()?;
    decode(&bytes, key, count)
}

/// Keeps `sets` under `key`, atomically, then prunes the folder to [`KEPT_ENTRIES`]; a failure
/// only means the next run finds them again.
pub(crate) fn store(path: &Path, key: &[u8; 32], sets: &[Vec<Required>]) {
    if let Some(folder) = path.parent() {
        if std::fs::create_dir_all(folder).is_ok()
            && crate::atomic::write_atomically(path, &encode(key, sets)).is_ok()
        {
            prune(folder, KEPT_ENTRIES);
        }
    }
}

/// How many entries the folder keeps. Every rebuild of tact and every edit of a policy's
/// regexes makes a new entry, so without a bound the folder would only grow; a few dozen
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

/// Whether `name` is `literals-<32 lowercase hex digits>.bin`, as [`entry`] names its files.
fn is_entry_name(name: &str) -> bool {
    name.strip_prefix("literals-")
        .and_then(|rest| rest.strip_suffix(".bin"))
        .is_some_and(|hex| {
            hex.len() == 32
                && hex
                    .bytes()
                    .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
        })
}

/// The largest body `count` regexes can have within the bounds of the literal sets.
fn max_body(count: usize) -> usize {
    let set = 2 + MAX_LITERALS * (1 + LITERAL_LENGTH);
    count.saturating_mul(1 + MAX_SETS * set).saturating_add(8)
}

/// The file: [`FORMAT`], the SHA-256 of the key and the body, the body. The body: the number
/// of regexes (u64), then for each the number of its sets (u8), for each set the number of its
/// literals (u16), for each literal its length (u8) and bytes.
fn encode(key: &[u8; 32], sets: &[Vec<Required>]) -> Vec<u8> {
    let mut body = (sets.len() as u64).to_le_bytes().to_vec();
    for regex in sets {
        body.push(regex.len() as u8);
        for set in regex {
            body.extend((set.len() as u16).to_le_bytes());
            for literal in set {
                body.push(literal.len() as u8);
                body.extend(literal);
            }
        }
    }
    let mut file = FORMAT.to_vec();
    file.extend(checksum(key, &body));
    file.extend(body);
    file
}

fn checksum(key: &[u8; 32], body: &[u8]) -> [u8; 32] {
    let mut hasher = Sha256::new();
    hasher.update(key);
    hasher.update(body);
    hasher.finalize().into()
}

/// The sets of a file [`encode`] wrote for `count` regexes under `key`; `None` if it is not
/// exactly that.
fn decode(file: &[u8], key: &[u8; 32], count: usize) -> Option<Vec<Vec<Required>>> {
    let rest = file.strip_prefix(FORMAT)?;
    let (sum, body) = rest.split_at_checked(32)?;
    if body.len() > max_body(count) || sum != checksum(key, body) {
        return None;
    }
    let mut reader = Reader(body);
    let regexes = u64::from_le_bytes(reader.take(8)?.try_into().ok()?);
    if regexes != count as u64 {
        return None;
    }
    let mut all = Vec::with_capacity(count);
    for _ in 0..count {
        let sets = usize::from(*reader.take(1)?.first()?);
        if sets > MAX_SETS {
            return None;
        }
        let mut regex = Vec::with_capacity(sets);
        for _ in 0..sets {
            let literals = usize::from(u16::from_le_bytes(reader.take(2)?.try_into().ok()?));
            if literals == 0 || literals > MAX_LITERALS {
                return None;
            }
            let mut set = Vec::with_capacity(literals);
            for _ in 0..literals {
                let len = usize::from(*reader.take(1)?.first()?);
                if len == 0 || len > LITERAL_LENGTH {
                    return None;
                }
                set.push(reader.take(len)?.to_vec());
            }
            regex.push(set);
        }
        all.push(regex);
    }
    reader.0.is_empty().then_some(all)
}

/// Reads a body front to back.
struct Reader<'a>(&'a [u8]);

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let (taken, rest) = self.0.split_at_checked(n)?;
        self.0 = rest;
        Some(taken)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: [u8; 32] = [7; 32];

    fn sample() -> Vec<Vec<Required>> {
        vec![
            vec![
                vec![b"sorry".to_vec()],
                vec![b"but".to_vec(), b"yet".to_vec()],
            ],
            vec![],
            vec![vec![b"refund".to_vec()]],
        ]
    }

    #[test]
    fn what_is_stored_is_read_back() {
        let file = encode(&KEY, &sample());
        assert_eq!(decode(&file, &KEY, 3), Some(sample()));
    }

    #[test]
    fn another_key_count_or_any_changed_byte_is_a_miss() {
        let file = encode(&KEY, &sample());
        assert_eq!(decode(&file, &[8; 32], 3), None);
        assert_eq!(decode(&file, &KEY, 2), None);
        for at in 0..file.len() {
            let mut changed = file.clone();
            changed[at] ^= 0x20;
            assert_eq!(decode(&changed, &KEY, 3), None, "byte {at}");
        }
        for len in 0..file.len() {
            assert_eq!(decode(&file[..len], &KEY, 3), None, "cut at {len}");
        }
        let mut longer = file.clone();
        longer.push(0);
        assert_eq!(decode(&longer, &KEY, 3), None);
    }

    /// A file whose checksum is right (as an attacker could write) but whose sets break the
    /// bounds is refused, without panicking or allocating without bound.
    #[test]
    fn sets_beyond_the_bounds_are_refused() {
        let too_long = vec![vec![vec![vec![b'a'; LITERAL_LENGTH + 1]]]];
        let empty_literal = vec![vec![vec![vec![]]]];
        let empty_set = vec![vec![vec![]]];
        let too_many_sets = vec![vec![vec![b"a".to_vec()]; MAX_SETS + 1]];
        for sets in [too_long, empty_literal, empty_set, too_many_sets] {
            assert_eq!(decode(&encode(&KEY, &sets), &KEY, 1), None, "{sets:?}");
        }
        let mut huge = FORMAT.to_vec();
        let body = u64::MAX.to_le_bytes();
        huge.extend(checksum(&KEY, &body));
        huge.extend(body);
        assert_eq!(decode(&huge, &KEY, 1), None);
    }

    /// Pruning keeps the newest entries and touches nothing that is not an entry: another
    /// file, a folder, or a symlink named like an entry (nor what it points to).
    #[cfg(unix)]
    #[test]
    fn pruning_keeps_the_newest_entries_and_nothing_else_is_touched() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let folder = dir.path();
        let name = |i: usize| format!("literals-{i:032x}.bin");
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

    #[test]
    fn a_missing_or_unreadable_file_is_a_miss() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(load(&dir.path().join("none.bin"), &KEY, 3), None);
        assert_eq!(load(dir.path(), &KEY, 3), None);
        let path = dir.path().join("sub/literals.bin");
        store(&path, &KEY, &sample());
        assert_eq!(load(&path, &KEY, 3), Some(sample()));
    }
}
