//! `tact score --html-dir DIR`: the HTML report's folder on disk. Every file is written
//! atomically, only inside DIR (`index.html` and `chunks/`), and never through a symlink a
//! chunk's name might already be.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use crate::atomic::AtomicFile;
use crate::render::html::{ReportFolder, CHUNK_FOLDER};

/// The report folder: made if missing (its parent must exist, as a file's would).
pub(super) struct DiskFolder {
    dir: PathBuf,
}

impl DiskFolder {
    /// Opens `dir` for a report, making it and its `chunks/` folder when missing.
    pub(super) fn open(dir: &Path) -> io::Result<DiskFolder> {
        let named = |e: io::Error, path: &Path| {
            io::Error::new(e.kind(), format!("{}: {e}", path.display()))
        };
        make_dir(dir).map_err(|e| named(e, dir))?;
        let chunks = dir.join(CHUNK_FOLDER);
        make_dir(&chunks).map_err(|e| named(e, &chunks))?;
        Ok(DiskFolder {
            dir: dir.to_path_buf(),
        })
    }

    /// The page's path, `DIR/index.html`.
    pub(super) fn page(&self) -> PathBuf {
        self.dir.join("index.html")
    }
}

/// Makes `dir` unless it is already a folder; a symlink to one is followed only for the folder
/// the user named, not for `chunks/` (see `ReportFolder::write`).
fn make_dir(dir: &Path) -> io::Result<()> {
    match fs::create_dir(dir) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists && dir.is_dir() => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
            Err(io::Error::new(e.kind(), "exists and is not a folder"))
        }
        Err(e) => Err(e),
    }
}

impl ReportFolder for DiskFolder {
    fn write(&mut self, name: &str, bytes: &[u8]) -> io::Result<()> {
        let path = self.dir.join(name);
        let shown = |why: &str| {
            io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("{}: {why}", path.display()),
            )
        };
        // The chunks folder and its files are tact's own: a symlink there would send the report
        // outside the folder the user named.
        for part in [self.dir.join(CHUNK_FOLDER), path.clone()] {
            if fs::symlink_metadata(&part).is_ok_and(|m| m.file_type().is_symlink()) {
                return Err(shown(
                    "is a symlink; tact writes only plain files in a report folder",
                ));
            }
        }
        let mut file = AtomicFile::create(&path)
            .map_err(|e| io::Error::new(e.kind(), format!("{}: {e}", path.display())))?;
        io::Write::write_all(&mut file, bytes)?;
        file.commit()
    }

    fn finish(&mut self, chunks: usize) -> io::Result<()> {
        // Chunk files past this report's last, left by an earlier and larger one: only names
        // tact gives chunks (`<number>.js`), only plain files.
        let folder = self.dir.join(CHUNK_FOLDER);
        for entry in fs::read_dir(&folder)?.flatten() {
            let name = entry.file_name();
            let Some(number) = name.to_str().and_then(|n| n.strip_suffix(".js")) else {
                continue;
            };
            let Ok(number) = number.parse::<usize>() else {
                continue;
            };
            let ours = format!("{number}.js") == *name.to_string_lossy();
            if ours && number >= chunks && entry.file_type().is_ok_and(|t| t.is_file()) {
                fs::remove_file(entry.path())?;
            }
        }
        Ok(())
    }
}
