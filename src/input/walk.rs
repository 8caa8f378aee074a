//! Which files to read: paths as given, folders walked (conversation and macro files only,
//! hidden entries skipped, in name order), FIFOs and devices as streams.

use std::path::{Path, PathBuf};

use super::{Format, Input, InputError};

/// Whether a file found in a folder is read: conversation files, and Markdown macros.
pub(super) fn is_input_file(path: &Path) -> bool {
    Format::from_path(path).is_some()
        || path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| e.eq_ignore_ascii_case("md") || e.eq_ignore_ascii_case("markdown"))
}

/// Expands paths into inputs: files as given, folders walked (conversation files only, hidden
/// entries skipped, in name order), `-` for stdin. Paths that do not exist are errors.
pub fn collect_inputs(paths: &[PathBuf]) -> (Vec<Input>, Vec<InputError>) {
    collect_inputs_where(paths, &|_| true)
}

/// As [`collect_inputs`], keeping only the files found in folders that `keep` accepts (files
/// named on the command line are always read).
pub fn collect_inputs_where(
    paths: &[PathBuf],
    keep: &dyn Fn(&Path) -> bool,
) -> (Vec<Input>, Vec<InputError>) {
    let mut inputs = Vec::new();
    let mut errors = Vec::new();
    for path in paths {
        if path.as_os_str() == "-" {
            inputs.push(Input::Stdin);
        } else if path.is_dir() {
            let walker = walkdir::WalkDir::new(path)
                .sort_by_file_name()
                .into_iter()
                .filter_entry(|e| {
                    e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.')
                });
            for entry in walker {
                match entry {
                    Ok(e)
                        if e.file_type().is_file() && is_input_file(e.path()) && keep(e.path()) =>
                    {
                        inputs.push(Input::File(e.into_path()))
                    }
                    Ok(_) => {}
                    Err(e) => errors.push(InputError::new(
                        &path.display().to_string(),
                        None,
                        format!("cannot walk: {e}"),
                    )),
                }
            }
        } else {
            match std::fs::metadata(path) {
                // FIFOs and devices are read as streams, like stdin.
                Ok(m) if m.is_file() || is_stream(&m) => inputs.push(Input::File(path.clone())),
                Ok(_) => errors.push(InputError::new(
                    &path.display().to_string(),
                    None,
                    "not a file, folder, FIFO or device that can be read",
                )),
                Err(e) => errors.push(InputError::new(
                    &path.display().to_string(),
                    None,
                    match e.kind() {
                        std::io::ErrorKind::NotFound => "no such file or folder".to_string(),
                        _ => format!("cannot read: {e}"),
                    },
                )),
            }
        }
    }
    (inputs, errors)
}

/// A FIFO or a character device: read as a stream of unknown length.
pub(super) fn is_stream(metadata: &std::fs::Metadata) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let kind = metadata.file_type();
        kind.is_fifo() || kind.is_char_device()
    }
    #[cfg(not(unix))]
    {
        let _ = metadata;
        false
    }
}
