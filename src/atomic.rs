//! Files tact writes are replaced atomically: written to a temporary file beside the file they
//! replace, synced, then renamed over it, so an interrupted run leaves the old file or the new
//! one, never half of one.
//!
//! What the user had is kept: a symlink is written through (the file it points to is replaced,
//! the link stays), the file's mode and owner carry over, a read-only file is refused, and a file
//! that changed since tact read it is refused rather than overwritten. Temporary files are named
//! `.tact-<pid>-<random>.tmp`; those of a run that was killed are removed by the next one
//! ([`sweep_stale_temps`]), and those of a run interrupted by SIGINT or SIGTERM by the run itself
//! ([`clean_up_on_signal`]).

use std::collections::BTreeSet;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, Once};
use std::time::{Duration, SystemTime};

/// How many symlinks are followed before a chain is refused as a loop.
const MAX_LINKS: usize = 40;

/// Temporary files without a pid in their name (older versions of tact) are removed only when
/// at least this old, so that a run in progress never loses one.
const STALE_AGE: Duration = Duration::from_secs(60 * 60);

/// The temporary files this process has open, removed if it is interrupted.
static LIVE_TEMPS: Mutex<BTreeSet<PathBuf>> = Mutex::new(BTreeSet::new());

/// A file being written; it replaces the target only on [`AtomicFile::commit`].
#[derive(Debug)]
pub struct AtomicFile {
    temp: tempfile::NamedTempFile,
    target: PathBuf,
    /// The target's content when it was read, to refuse replacing it if it has changed since.
    expected: Option<Vec<u8>>,
    _live: LiveTemp,
}

/// Keeps a temporary file on the list a signal cleans up, for as long as it is this process's
/// to clean up (after a commit it is the target; otherwise `NamedTempFile` deletes it).
#[derive(Debug)]
struct LiveTemp(PathBuf);

impl LiveTemp {
    fn new(path: &Path) -> LiveTemp {
        if let Ok(mut live) = LIVE_TEMPS.lock() {
            live.insert(path.to_path_buf());
        }
        LiveTemp(path.to_path_buf())
    }
}

impl Drop for LiveTemp {
    fn drop(&mut self) {
        if let Ok(mut live) = LIVE_TEMPS.lock() {
            live.remove(&self.0);
        }
    }
}

impl AtomicFile {
    /// Starts writing what will replace `target` (or, if it is a symlink, the file it points
    /// to). A read-only target is refused.
    pub fn create(target: &Path) -> io::Result<AtomicFile> {
        let target = resolve_symlinks(target)?;
        if let Ok(meta) = std::fs::metadata(&target) {
            if meta.permissions().readonly() {
                return Err(io::Error::new(
                    io::ErrorKind::PermissionDenied,
                    "the file is read-only; it was left unchanged",
                ));
            }
        }
        let dir = target
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let mut builder = tempfile::Builder::new();
        let prefix = format!(".tact-{}-", std::process::id());
        builder.prefix(&prefix).suffix(".tmp");
        // A new file gets the usual permissions, not the private ones of a temporary file; an
        // existing file keeps its own (see `commit`).
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            builder.permissions(std::fs::Permissions::from_mode(0o644));
        }
        let temp = builder.tempfile_in(dir)?;
        let live = LiveTemp::new(temp.path());
        Ok(AtomicFile {
            temp,
            target,
            expected: None,
            _live: live,
        })
    }

    /// Replaces the target only if its content is still `original` when the new content is
    /// committed: an edit made meanwhile (by a person or another tool) is not lost.
    #[must_use]
    pub fn unless_changed_from(mut self, original: &[u8]) -> AtomicFile {
        self.expected = Some(original.to_vec());
        self
    }

    /// Syncs the new content and renames it over the target, keeping the target's permissions
    /// and owner. Dropping an `AtomicFile` without committing deletes the temporary file.
    pub fn commit(mut self) -> io::Result<()> {
        self.temp.flush()?;
        self.temp.as_file().sync_all()?;
        if let Ok(meta) = std::fs::metadata(&self.target) {
            self.temp.as_file().set_permissions(meta.permissions())?;
            keep_owner(self.temp.as_file(), &meta)?;
        }
        if let Some(expected) = &self.expected {
            let now = std::fs::read(&self.target)?;
            if now != *expected {
                return Err(io::Error::other(
                    "the file changed while tact was fixing it; it was left as it now is (run again to fix it)",
                ));
            }
        }
        self.temp.persist(&self.target).map_err(|e| e.error)?;
        Ok(())
    }
}

impl Write for AtomicFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.temp.write(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.temp.flush()
    }
}

/// Replaces a file's content atomically.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut file = AtomicFile::create(path)?;
    file.write_all(bytes)?;
    file.commit()
}

/// Replaces a file's content atomically, unless it no longer reads as `original`.
pub fn replace_unless_changed(path: &Path, original: &[u8], bytes: &[u8]) -> io::Result<()> {
    let mut file = AtomicFile::create(path)?.unless_changed_from(original);
    file.write_all(bytes)?;
    file.commit()
}

/// The file a path names once every symlink is followed (the path itself if it is not a
/// symlink or does not exist). A dangling link or a loop is refused.
fn resolve_symlinks(path: &Path) -> io::Result<PathBuf> {
    let mut current = path.to_path_buf();
    for _ in 0..MAX_LINKS {
        match std::fs::symlink_metadata(&current) {
            Ok(meta) if meta.file_type().is_symlink() => {
                let link = std::fs::read_link(&current)?;
                current = match current.parent() {
                    Some(dir) if link.is_relative() => dir.join(link),
                    _ => link,
                };
            }
            Ok(_) => return Ok(current),
            Err(e) if e.kind() == io::ErrorKind::NotFound && current == path => return Ok(current),
            Err(_) => {
                return Err(io::Error::new(
                    io::ErrorKind::NotFound,
                    format!(
                        "it is a symlink to {}, which does not exist; nothing was written",
                        current.display()
                    ),
                ))
            }
        }
    }
    Err(io::Error::other(
        "it is a chain of too many symlinks (a loop?); nothing was written",
    ))
}

/// Gives the new file the owner and group of the one it replaces (when tact runs as root, or
/// as another member of the file's group); refuses when that is not allowed, since the file
/// would otherwise change hands.
#[cfg(unix)]
fn keep_owner(file: &std::fs::File, target: &std::fs::Metadata) -> io::Result<()> {
    use std::os::unix::fs::MetadataExt;
    let mine = file.metadata()?;
    if (mine.uid(), mine.gid()) == (target.uid(), target.gid()) {
        return Ok(());
    }
    std::os::unix::fs::fchown(file, Some(target.uid()), Some(target.gid())).map_err(|e| {
        io::Error::new(
            e.kind(),
            format!(
                "the file belongs to another user or group and tact cannot keep that ({e}); it was left unchanged"
            ),
        )
    })
}

#[cfg(not(unix))]
fn keep_owner(_file: &std::fs::File, _target: &std::fs::Metadata) -> io::Result<()> {
    Ok(())
}

/// On SIGINT or SIGTERM, removes this process's temporary files and exits with 128 + the
/// signal (130, 143), as a shell would report it. Installed once; later calls do nothing.
pub fn clean_up_on_signal() {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| {
        #[cfg(unix)]
        {
            use signal_hook::consts::{SIGINT, SIGTERM};
            let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGINT, SIGTERM]) else {
                return;
            };
            std::thread::spawn(move || {
                if let Some(signal) = signals.forever().next() {
                    // Holding the lock while exiting keeps a new temporary file from appearing.
                    let live = LIVE_TEMPS.lock();
                    if let Ok(live) = &live {
                        for temp in live.iter() {
                            let _ = std::fs::remove_file(temp);
                        }
                    }
                    std::process::exit(128 + signal);
                }
            });
        }
    });
}

/// Removes, from the folder holding `target` (its symlinks followed), the temporary files left
/// by a tact run that was killed: named `.tact-<pid>-<random>.tmp` with a pid no longer
/// running, or (the older `.tact-<random>` names) untouched for an hour. Returns how many.
pub fn sweep_stale_temps(target: &Path) -> usize {
    let Ok(target) = resolve_symlinks(target) else {
        return 0;
    };
    let dir = target
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    let mut removed = 0;
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(name) = name.to_str() else {
            continue;
        };
        let stale = match temp_owner(name) {
            Some(TempName::Pid(pid)) => pid != std::process::id() && !is_running(pid),
            Some(TempName::Legacy) => entry
                .metadata()
                .and_then(|m| m.modified())
                .ok()
                .and_then(|t| SystemTime::now().duration_since(t).ok())
                .is_some_and(|age| age >= STALE_AGE),
            None => false,
        };
        // Only regular files (never a symlink or folder that happens to match).
        let regular = entry.file_type().is_ok_and(|t| t.is_file());
        if stale && regular && std::fs::remove_file(entry.path()).is_ok() {
            removed += 1;
        }
    }
    removed
}

#[derive(Debug, PartialEq, Eq)]
enum TempName {
    /// `.tact-<pid>-<random>.tmp`
    Pid(u32),
    /// `.tact-<6 letters or digits>`, as tempfile names them by default.
    Legacy,
}

/// Whether a file name is one of tact's temporary files, and whose.
fn temp_owner(name: &str) -> Option<TempName> {
    let rest = name.strip_prefix(".tact-")?;
    if let Some((pid, random)) = rest.strip_suffix(".tmp").and_then(|r| r.split_once('-')) {
        let alphanumeric = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric());
        if pid.chars().all(|c| c.is_ascii_digit()) && alphanumeric(random) {
            return pid.parse().ok().map(TempName::Pid);
        }
        return None;
    }
    (rest.len() == 6 && rest.chars().all(|c| c.is_ascii_alphanumeric())).then_some(TempName::Legacy)
}

/// Whether a process is running. Without `/proc`, every process is taken to be running, so
/// only the age rule removes anything.
fn is_running(pid: u32) -> bool {
    let proc = Path::new("/proc");
    !proc.is_dir() || proc.join(pid.to_string()).exists()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests")]
    use super::*;

    #[test]
    fn only_tacts_own_temporary_names_are_recognised() {
        assert_eq!(temp_owner(".tact-123-aB3xYz.tmp"), Some(TempName::Pid(123)));
        assert_eq!(temp_owner(".tact-aB3xYz"), Some(TempName::Legacy));
        assert_eq!(temp_owner(".tact-123-aB3xYz.tmp.bak"), None);
        assert_eq!(temp_owner(".tact-12a-xyz.tmp"), None);
        assert_eq!(temp_owner(".tact-config.yaml"), None);
        assert_eq!(temp_owner("tact-123-abc.tmp"), None);
    }

    #[test]
    fn a_symlink_chain_is_followed_and_a_loop_refused() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real.yaml");
        std::fs::write(&real, "x").unwrap();
        #[cfg(unix)]
        {
            let a = dir.path().join("a.yaml");
            let b = dir.path().join("b.yaml");
            std::os::unix::fs::symlink("real.yaml", &b).unwrap();
            std::os::unix::fs::symlink(&b, &a).unwrap();
            assert_eq!(resolve_symlinks(&a).unwrap(), real);
            let l1 = dir.path().join("l1");
            let l2 = dir.path().join("l2");
            std::os::unix::fs::symlink("l2", &l1).unwrap();
            std::os::unix::fs::symlink("l1", &l2).unwrap();
            assert!(resolve_symlinks(&l1).is_err());
        }
        let new = dir.path().join("new.json");
        assert_eq!(resolve_symlinks(&new).unwrap(), new);
    }
}
