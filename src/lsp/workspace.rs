//! The documents the editor has open, and the policy a document belongs to: the `.policy` files
//! of its `tact.yaml` when that names it, else those of its folder (not below), open documents
//! read as the editor holds them rather than as saved.

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::rc::Rc;

use lsp_types::Url;

use crate::config::Config;
use crate::dsl::ast::PolicyFile;
use crate::dsl::{self, Policy, PolicyError, PolicySource};
use crate::engine::Engine;

/// The largest document analysed: policies are small; a bigger file is not one.
pub const MAX_DOCUMENT_BYTES: usize = 16 << 20;

/// The most `.policy` files read beside an open one.
const MAX_POLICY_FILES: usize = 500;

/// The open documents, by URI.
#[derive(Default)]
pub struct Documents {
    open: HashMap<Url, String>,
    /// Documents opened as policies whose names do not say so (an unsaved buffer).
    policies: HashSet<Url>,
    /// The last policy checked and compiled, with the files it was read from: that takes most
    /// of an analysis, and a hover or another document of the same policy need not redo it.
    checked: RefCell<Option<(FilesRead, Checked)>>,
}

impl Documents {
    /// Records a document the editor opened; `is_policy` when the editor says it is one.
    pub fn open(&mut self, uri: Url, text: String, is_policy: bool) {
        if is_policy {
            self.policies.insert(uri.clone());
        }
        self.open.insert(uri, text);
    }

    /// Records a document's text as the editor holds it.
    pub fn set(&mut self, uri: Url, text: String) {
        self.open.insert(uri, text);
    }

    /// Forgets a closed document.
    pub fn close(&mut self, uri: &Url) {
        self.open.remove(uri);
        self.policies.remove(uri);
    }

    /// A document's text.
    pub fn text(&self, uri: &Url) -> Option<&str> {
        self.open.get(uri).map(String::as_str)
    }

    /// The open `.policy` documents.
    pub fn policy_documents(&self) -> Vec<Url> {
        let mut uris: Vec<Url> = self
            .open
            .keys()
            .filter(|u| u.path().ends_with(".policy") || self.policies.contains(u))
            .cloned()
            .collect();
        uris.sort();
        uris
    }
}

/// A document and the policy it belongs to, parsed.
pub struct PolicyView {
    /// Every file of the policy; the document is one of them.
    pub sources: Vec<PolicySource>,
    /// Each file's syntax tree, in the order of `sources`.
    pub files: Vec<PolicyFile>,
    /// Which source is the document.
    pub this: usize,
    /// The whole policy, or every error in it.
    pub policy: Rc<Result<Policy, Vec<PolicyError>>>,
    /// The policy compiled, when it has no errors.
    pub engine: Option<Rc<Engine>>,
}

/// The files of a policy: each path with its text.
type FilesRead = Vec<(String, String)>;

/// A policy checked, and compiled when it has no errors.
type Checked = (Rc<Result<Policy, Vec<PolicyError>>>, Option<Rc<Engine>>);

impl PolicyView {
    /// The document's own source.
    pub fn source(&self) -> &PolicySource {
        &self.sources[self.this]
    }
}

/// The path a URI names, canonical when it exists, as tact names files.
pub fn path_of(uri: &Url) -> Option<PathBuf> {
    let path = uri.to_file_path().ok()?;
    Some(std::fs::canonicalize(&path).unwrap_or(path))
}

/// The URI of a path tact names.
pub fn uri_of(path: &str) -> Option<Url> {
    Url::from_file_path(path).ok()
}

/// Reads the policy `uri` belongs to and parses it.
pub fn view(uri: &Url, documents: &Documents) -> Option<PolicyView> {
    let text = documents.text(uri)?;
    if text.len() > MAX_DOCUMENT_BYTES {
        return None;
    }
    let (this_path, others) = match path_of(uri) {
        Some(path) => {
            let others = policy_files(&path);
            (path.display().to_string(), others)
        }
        None => (uri.to_string(), Vec::new()),
    };
    let mut sources: Vec<PolicySource> = Vec::new();
    for file in others {
        let shown = file.display().to_string();
        if shown == this_path {
            continue;
        }
        let open = uri_of(&shown).and_then(|u| documents.text(&u).map(str::to_string));
        match open {
            Some(text) if text.len() <= MAX_DOCUMENT_BYTES => {
                sources.push(PolicySource { path: shown, text })
            }
            Some(_) => {}
            None => {
                if let Ok(read) = dsl::read_sources(&[file]) {
                    sources.extend(read);
                }
            }
        }
    }
    sources.push(PolicySource {
        path: this_path.clone(),
        text: text.to_string(),
    });
    sources.sort_by(|a, b| a.path.cmp(&b.path));
    let this = sources.iter().position(|s| s.path == this_path)?;
    let files = sources
        .iter()
        .map(|s| dsl::parse_file(&s.path, &s.text).0)
        .collect();
    let (policy, engine) = documents.check(&sources);
    Some(PolicyView {
        sources,
        files,
        this,
        policy,
        engine,
    })
}

impl Documents {
    /// The policy of these files checked and compiled: the last one when the files are the same.
    fn check(&self, sources: &[PolicySource]) -> Checked {
        let key: FilesRead = sources
            .iter()
            .map(|s| (s.path.clone(), s.text.clone()))
            .collect();
        let mut checked = self.checked.borrow_mut();
        if let Some((last, found)) = checked.as_ref() {
            if *last == key {
                return found.clone();
            }
        }
        let policy = dsl::parse_policy(sources);
        let engine = policy
            .as_ref()
            .ok()
            .and_then(|p| Engine::new(p).ok())
            .map(Rc::new);
        let found = (Rc::new(policy), engine);
        *checked = Some((key, found.clone()));
        found
    }
}

/// The policy files that go with `path`: its `tact.yaml`'s policies when they hold it, else the
/// `.policy` files of its folder.
fn policy_files(path: &Path) -> Vec<PathBuf> {
    if let Some(config) = Config::discover(path).and_then(|c| Config::load(&c).ok()) {
        let named: Vec<PathBuf> = config
            .policies
            .iter()
            .filter_map(|p| std::fs::canonicalize(p).ok())
            .collect();
        if named.iter().any(|p| path.starts_with(p)) {
            return named.iter().flat_map(|p| policy_files_in(p)).collect();
        }
    }
    // The folder itself, not below it: the user named no folder to walk.
    let Some(folder) = path.parent() else {
        return Vec::new();
    };
    let Ok(entries) = std::fs::read_dir(folder) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_file() && p.extension().is_some_and(|x| x == "policy"))
        .take(MAX_POLICY_FILES)
        .collect();
    files.sort();
    files
}

/// A policy file, or the `.policy` files of a folder a `tact.yaml` names (walked, as
/// `tact policy check` does).
pub fn policy_files_in(path: &Path) -> Vec<PathBuf> {
    if path.is_file() {
        return vec![path.to_path_buf()];
    }
    let mut files: Vec<PathBuf> = walkdir::WalkDir::new(path)
        .max_depth(8)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(walkdir::DirEntry::into_path)
        .filter(|p| p.extension().is_some_and(|x| x == "policy"))
        .take(MAX_POLICY_FILES)
        .collect();
    files.sort();
    files
}
