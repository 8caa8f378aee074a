//! A baseline: the findings a team already knows about, so tact can be adopted on an existing
//! macro library and fail only on new violations. A finding is known by its file (relative to
//! the baseline's folder), the macro or conversation id, the rule and the offending text, not by
//! its line, so edits elsewhere in the file do not make old findings new.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::config::relative_to;

/// One known finding, as the baseline file stores it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Finding {
    /// The file, relative to the baseline's folder, with `/` separators.
    pub path: String,
    /// The macro or conversation id.
    pub id: String,
    /// The rule id.
    pub rule: String,
    /// The offending text, white space collapsed and lowercased ("" when there is none).
    pub excerpt: String,
}

#[derive(Debug, Serialize, Deserialize)]
struct BaselineFile {
    version: u32,
    findings: Vec<Counted>,
}

#[derive(Debug, Serialize, Deserialize)]
struct Counted {
    #[serde(flatten)]
    finding: Finding,
    count: usize,
}

/// Known findings, each with how many times it may still occur.
#[derive(Debug, Default)]
pub struct Baseline {
    root: PathBuf,
    remaining: BTreeMap<Finding, usize>,
    /// Findings hidden so far.
    pub hidden: usize,
}

impl Baseline {
    /// An empty baseline for a file at `path` (to be written).
    pub fn empty(path: &Path) -> Baseline {
        Baseline {
            root: folder_of(path),
            ..Baseline::default()
        }
    }

    /// Reads a baseline file.
    pub fn load(path: &Path) -> Result<Baseline, String> {
        let shown = path.display();
        let text = std::fs::read_to_string(path).map_err(|e| format!("{shown}: {e}"))?;
        let file: BaselineFile = serde_json::from_str(&text)
            .map_err(|e| format!("{shown}:{}: not a tact baseline: {e}", e.line()))?;
        if file.version != 1 {
            return Err(format!(
                "{shown}: baseline version {} is not 1",
                file.version
            ));
        }
        let mut remaining = BTreeMap::new();
        for c in file.findings {
            *remaining.entry(c.finding).or_insert(0) += c.count;
        }
        Ok(Baseline {
            root: folder_of(path),
            remaining,
            hidden: 0,
        })
    }

    /// The finding a violation is, as this baseline names it.
    pub fn finding(&self, file: &str, id: &str, rule: &str, excerpt: Option<&str>) -> Finding {
        let path = relative_to(&self.root, Path::new(file))
            .to_string_lossy()
            .replace('\\', "/");
        Finding {
            path,
            id: id.to_string(),
            rule: rule.to_string(),
            excerpt: excerpt
                .unwrap_or("")
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
                .to_lowercase(),
        }
    }

    /// Whether a finding is known (and then counts it used).
    pub fn take(&mut self, finding: &Finding) -> bool {
        match self.remaining.get_mut(finding) {
            Some(n) if *n > 0 => {
                *n -= 1;
                self.hidden += 1;
                true
            }
            _ => false,
        }
    }

    /// Records a finding, for `--update-baseline`.
    pub fn record(&mut self, finding: Finding) {
        *self.remaining.entry(finding).or_insert(0) += 1;
    }

    /// How many findings are recorded.
    pub fn len(&self) -> usize {
        self.remaining.values().sum()
    }

    /// Whether none is.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The baseline file's text: findings sorted, so the file diffs well in review.
    pub fn to_json(&self) -> String {
        let file = BaselineFile {
            version: 1,
            findings: self
                .remaining
                .iter()
                .filter(|(_, &n)| n > 0)
                .map(|(f, &count)| Counted {
                    finding: f.clone(),
                    count,
                })
                .collect(),
        };
        let mut text = serde_json::to_string_pretty(&file).unwrap_or_default();
        text.push('\n');
        text
    }
}

fn folder_of(path: &Path) -> PathBuf {
    path.parent()
        .filter(|p| !p.as_os_str().is_empty())
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests")]
    use super::*;

    #[test]
    fn a_finding_is_known_as_often_as_it_was_recorded() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("baseline.json");
        let mut b = Baseline::empty(&path);
        let f = b.finding("x.yaml", "m1", "never-say-wrong", Some("You're   WRONG"));
        assert_eq!(f.excerpt, "you're wrong");
        b.record(f.clone());
        std::fs::write(&path, b.to_json()).unwrap();
        let mut loaded = Baseline::load(&path).unwrap();
        assert!(loaded.take(&f));
        assert!(!loaded.take(&f), "recorded once, hidden once");
        assert_eq!(loaded.hidden, 1);
    }
}
