//! Files tact writes are replaced atomically: written to a temporary file in the same folder,
//! synced, then renamed over the target, so an interrupted run leaves the old file or the new
//! one, never half of one.

use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// A file being written; it replaces the target only on [`AtomicFile::commit`].
#[derive(Debug)]
pub struct AtomicFile {
    temp: tempfile::NamedTempFile,
    target: PathBuf,
}

impl AtomicFile {
    /// Starts writing what will replace `target`.
    pub fn create(target: &Path) -> io::Result<AtomicFile> {
        let dir = target
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let mut builder = tempfile::Builder::new();
        builder.prefix(".tact-");
        // A new file gets the usual permissions, not the private ones of a temporary file; an
        // existing file keeps its own (see `commit`).
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            builder.permissions(std::fs::Permissions::from_mode(0o644));
        }
        Ok(AtomicFile {
            temp: builder.tempfile_in(dir)?,
            target: target.to_path_buf(),
        })
    }

    /// Syncs the new content and renames it over the target, keeping the target's permissions.
    /// Dropping an `AtomicFile` without committing deletes the temporary file.
    pub fn commit(mut self) -> io::Result<()> {
        self.temp.flush()?;
        self.temp.as_file().sync_all()?;
        if let Ok(meta) = std::fs::metadata(&self.target) {
            self.temp.as_file().set_permissions(meta.permissions())?;
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
