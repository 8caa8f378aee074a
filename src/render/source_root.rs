//! Where SARIF's file URIs start. Code scanning places a result by its path from the
//! repository's root, whatever folder tact ran in, so SARIF names each file relative to that
//! root (`uriBaseId: %SRCROOT%`) and says in `originalUriBaseIds` where the root is. A file
//! outside the root keeps an absolute `file:` URI.

use std::path::{Component, Path, PathBuf};

/// The root files are named from, and the folder tact ran in (both absolute).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceRoot {
    root: PathBuf,
    current: PathBuf,
}

/// A file as SARIF names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileUri {
    /// Relative to the root (`uriBaseId: %SRCROOT%`).
    Relative(String),
    /// Outside the root: an absolute `file:` URI.
    Absolute(String),
}

impl SourceRoot {
    /// `root` (say, the repository's) for a run in the folder `current` (inside it or not).
    pub fn new(root: PathBuf, current: PathBuf) -> SourceRoot {
        SourceRoot {
            root: normalized(&root),
            current: normalized(&current),
        }
    }

    /// The root as an absolute `file:` URI ending in `/`, as `originalUriBaseIds` wants it.
    pub fn uri(&self) -> String {
        let mut uri = file_uri(&self.root);
        if !uri.ends_with('/') {
            uri.push('/');
        }
        uri
    }

    /// How SARIF names the file a report calls `path` (relative to the folder tact ran in, or
    /// absolute).
    pub fn locate(&self, path: &str) -> FileUri {
        let given = Path::new(path);
        let absolute = normalized(&self.current.join(given));
        match absolute.strip_prefix(&self.root) {
            Ok(relative) => FileUri::Relative(relative_uri(&relative.to_string_lossy())),
            Err(_) => FileUri::Absolute(file_uri(&absolute)),
        }
    }
}

/// `.` and `..` worked out without touching the file system (a report may name a file that is
/// gone, and a symlink is named as the user named it).
fn normalized(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// A relative path as a URI: forward slashes, no leading `./`, every byte but the unreserved
/// ones percent-encoded.
pub fn relative_uri(path: &str) -> String {
    let path = path.replace('\\', "/");
    let path = path.strip_prefix("./").unwrap_or(&path);
    path.split('/')
        .map(encode_segment)
        .collect::<Vec<_>>()
        .join("/")
}

/// An absolute path as a `file:` URI (`file:///home/x`, `file:///C:/x` on Windows).
fn file_uri(path: &Path) -> String {
    let text = path.to_string_lossy().replace('\\', "/");
    let segments: Vec<String> = text
        .split('/')
        .filter(|s| !s.is_empty())
        .map(|s| {
            let drive = s.len() == 2 && s.ends_with(':') && s.as_bytes()[0].is_ascii_alphabetic();
            if drive {
                s.to_string()
            } else {
                encode_segment(s)
            }
        })
        .collect();
    format!("file:///{}", segments.join("/"))
}

fn encode_segment(segment: &str) -> String {
    segment
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn repo() -> SourceRoot {
        SourceRoot::new("/work/repo".into(), "/work/repo/support".into())
    }

    #[test]
    fn files_are_named_from_the_root_whatever_folder_tact_ran_in() {
        let r = repo();
        assert_eq!(
            r.locate("macros/a b.yaml"),
            FileUri::Relative("support/macros/a%20b.yaml".into())
        );
        assert_eq!(
            r.locate("./x/../macros.json"),
            FileUri::Relative("support/macros.json".into())
        );
        assert_eq!(
            r.locate("../rules/x.md"),
            FileUri::Relative("rules/x.md".into())
        );
        assert_eq!(
            r.locate("/work/repo/top.yaml"),
            FileUri::Relative("top.yaml".into())
        );
        assert_eq!(r.uri(), "file:///work/repo/");
    }

    #[test]
    fn files_outside_the_root_keep_an_absolute_uri() {
        let r = repo();
        assert_eq!(
            r.locate("../../tmp/x y.json"),
            FileUri::Absolute("file:///work/tmp/x%20y.json".into())
        );
        assert_eq!(
            r.locate("/etc/passwd"),
            FileUri::Absolute("file:///etc/passwd".into())
        );
        // A sibling whose name starts like the root's is not inside it.
        assert_eq!(
            r.locate("/work/repository/x"),
            FileUri::Absolute("file:///work/repository/x".into())
        );
    }

    #[test]
    fn uris_are_percent_encoded() {
        assert_eq!(
            relative_uri("./macros/Refund macros.yaml"),
            "macros/Refund%20macros.yaml"
        );
        assert_eq!(relative_uri("a\\b#c?.md"), "a/b%23c%3F.md");
    }
}
