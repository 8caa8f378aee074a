//! `tact.yaml`: a project's settings, found by walking up from the checked path, so a macro
//! repository can pin its policy, what to check, per-rule severities, and its baseline.
//!
//! ```yaml
//! policies: [policies/]          # instead of the built-in policy (paths relative to this file)
//! include: ["macros/**"]         # when walking folders, only these files (globs)
//! exclude: ["macros/drafts/**"]  # ... and never these
//! input: macros                  # auto | conversations | macros
//! fail_on: warning               # error | warning | info | never
//! baseline: tact-baseline.json   # known findings that do not fail the run
//! max_record_size: 16MiB         # larger records are reported and skipped
//! calendar:                      # business hours (see `crate::calendar`)
//!   time_zone: Europe/Rome
//!   hours: {monday-friday: "09:00-17:00"}
//! rules:
//!   listen-first: off            # disable a rule
//!   say-what-you-can: warning    # or change its severity
//! ```
//! Flags on the command line win over the file.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use globset::{Glob, GlobSet, GlobSetBuilder};
use serde::Deserialize;

use crate::dsl::ast::Severity;
use crate::dsl::Policy;

/// The file names looked for, in each folder from the checked path up.
pub const FILE_NAMES: [&str; 2] = ["tact.yaml", ".tact.yaml"];

/// What a rule is set to in `rules:`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RuleSetting {
    /// Not checked at all.
    Off,
    /// Checked, at this severity.
    Error,
    /// Checked, at this severity.
    Warning,
    /// Checked, at this severity.
    Info,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "snake_case")]
struct RawConfig {
    #[serde(default)]
    policies: Vec<PathBuf>,
    #[serde(default)]
    include: Vec<String>,
    #[serde(default)]
    exclude: Vec<String>,
    input: Option<String>,
    fail_on: Option<String>,
    baseline: Option<PathBuf>,
    max_record_size: Option<String>,
    #[serde(default)]
    csv: crate::input::CsvColumns,
    calendar: Option<crate::calendar::CalendarSpec>,
    #[serde(default)]
    rules: BTreeMap<String, RuleSetting>,
}

/// A loaded `tact.yaml`.
#[derive(Debug)]
pub struct Config {
    /// The file it was read from.
    pub path: PathBuf,
    /// Policy files or folders, resolved against the file's folder.
    pub policies: Vec<PathBuf>,
    /// `auto`, `conversations` or `macros`, if set.
    pub input: Option<String>,
    /// `error`, `warning`, `info` or `never`, if set.
    pub fail_on: Option<String>,
    /// The baseline file, resolved against the file's folder.
    pub baseline: Option<PathBuf>,
    /// The largest record read, in bytes, if set.
    pub max_record_bytes: Option<usize>,
    /// Which CSV column holds what.
    pub csv: crate::input::CsvColumns,
    /// Business hours, if set.
    pub calendar: Option<crate::calendar::CalendarSpec>,
    /// Per-rule settings.
    pub rules: BTreeMap<String, RuleSetting>,
    root: PathBuf,
    include: Option<GlobSet>,
    exclude: Option<GlobSet>,
}

impl Config {
    /// Finds the nearest config file from `start` (a file or folder) upwards.
    pub fn discover(start: &Path) -> Option<PathBuf> {
        let start = std::fs::canonicalize(start).ok()?;
        let mut dir = if start.is_dir() {
            start.as_path()
        } else {
            start.parent()?
        };
        loop {
            for name in FILE_NAMES {
                let candidate = dir.join(name);
                if candidate.is_file() {
                    return Some(candidate);
                }
            }
            dir = dir.parent()?;
        }
    }

    /// Reads a config file; an error names file:line and what is wrong.
    pub fn load(path: &Path) -> Result<Config, String> {
        let shown = path.display();
        let text = std::fs::read_to_string(path).map_err(|e| format!("{shown}: {e}"))?;
        let raw: RawConfig = if text.trim().is_empty() {
            RawConfig::default()
        } else {
            crate::yaml::from_str(&text).map_err(|e| match e.line {
                Some(line) => format!("{shown}:{line}: {e}"),
                None => format!("{shown}: {e}"),
            })?
        };
        let root = path
            .parent()
            .map_or_else(|| PathBuf::from("."), Path::to_path_buf);
        let globs = |patterns: &[String], what: &str| -> Result<Option<GlobSet>, String> {
            if patterns.is_empty() {
                return Ok(None);
            }
            let mut builder = GlobSetBuilder::new();
            for p in patterns {
                builder.add(
                    Glob::new(p)
                        .map_err(|e| format!("{shown}: bad `{what}` pattern `{p}`: {e}"))?,
                );
            }
            builder
                .build()
                .map(Some)
                .map_err(|e| format!("{shown}: {e}"))
        };
        for (key, value, allowed) in [
            (
                "input",
                &raw.input,
                &["auto", "conversations", "macros"][..],
            ),
            (
                "fail_on",
                &raw.fail_on,
                &["error", "warning", "info", "never"][..],
            ),
        ] {
            if let Some(v) = value {
                if !allowed.contains(&v.as_str()) {
                    return Err(format!(
                        "{shown}: `{key}: {v}` is not one of {}",
                        allowed.join(", ")
                    ));
                }
            }
        }
        let max_record_bytes = raw
            .max_record_size
            .as_deref()
            .map(|size| {
                crate::input::parse_size(size)
                    .map_err(|e| format!("{shown}: `max_record_size`: {e}"))
            })
            .transpose()?;
        let inside = |entry: &Path, key: &str| {
            contained(&root, entry).map_err(|why| {
                format!(
                    "{shown}: `{key}` names `{}`, {why}: paths in tact.yaml stay inside the folder that holds it (name a file elsewhere on the command line instead)",
                    entry.display()
                )
            })
        };
        let policies = raw
            .policies
            .iter()
            .map(|p| inside(p, "policies"))
            .collect::<Result<Vec<_>, _>>()?;
        let baseline = raw
            .baseline
            .as_deref()
            .map(|b| inside(b, "baseline"))
            .transpose()?;
        Ok(Config {
            path: path.to_path_buf(),
            max_record_bytes,
            csv: raw.csv,
            calendar: raw.calendar,
            policies,
            input: raw.input,
            fail_on: raw.fail_on,
            baseline,
            rules: raw.rules,
            include: globs(&raw.include, "include")?,
            exclude: globs(&raw.exclude, "exclude")?,
            root,
        })
    }

    /// Whether a file found by walking a folder is checked: it matches `include` (if given) and
    /// not `exclude`, as a path relative to the config file's folder.
    pub fn wants(&self, file: &Path) -> bool {
        let relative = relative_to(&self.root, file);
        self.include.as_ref().is_none_or(|g| g.is_match(&relative))
            && !self.exclude.as_ref().is_some_and(|g| g.is_match(&relative))
    }

    /// Whether `include` or `exclude` leave any file out.
    pub fn filters(&self) -> bool {
        self.include.is_some() || self.exclude.is_some()
    }

    /// Applies `rules:` to a policy: rules set `off` are removed, others get their severity.
    /// Unknown rule ids are errors (with the closest id).
    pub fn apply(&self, policy: &mut Policy) -> Result<(), String> {
        let ids: Vec<String> = policy.rules.iter().map(|r| r.id.name.clone()).collect();
        for name in self.rules.keys() {
            if !ids.contains(name) {
                let refs: Vec<&str> = ids.iter().map(String::as_str).collect();
                let hint = crate::dsl::did_you_mean(name, &refs)
                    .map(|b| format!("; did you mean `{b}`?"))
                    .unwrap_or_default();
                return Err(format!(
                    "{}: `rules` names `{name}`, which is not in the policy{hint}",
                    self.path.display()
                ));
            }
        }
        policy
            .rules
            .retain(|r| self.rules.get(&r.id.name) != Some(&RuleSetting::Off));
        for rule in &mut policy.rules {
            rule.severity = match self.rules.get(&rule.id.name) {
                Some(RuleSetting::Error) => Some(Severity::Error),
                Some(RuleSetting::Warning) => Some(Severity::Warning),
                Some(RuleSetting::Info) => Some(Severity::Info),
                _ => rule.severity,
            };
        }
        Ok(())
    }
}

/// `root` joined with `entry`, if that stays inside `root`: not absolute, no `..` above it, and
/// no symbolic link out of it (checked on the part of the path that exists). A shared
/// tact.yaml must not make tact read or write elsewhere.
fn contained(root: &Path, entry: &Path) -> Result<PathBuf, &'static str> {
    use std::path::Component;
    let mut depth = 0usize;
    for part in entry.components() {
        match part {
            Component::Prefix(_) | Component::RootDir => return Err("an absolute path"),
            Component::ParentDir if depth == 0 => return Err("which is outside that folder"),
            Component::ParentDir => depth -= 1,
            Component::Normal(_) => depth += 1,
            Component::CurDir => {}
        }
    }
    let joined = root.join(entry);
    let Ok(real_root) = std::fs::canonicalize(root) else {
        return Ok(joined);
    };
    // The longest part of the path that exists, resolved: a link may point anywhere.
    let existing = joined.ancestors().find(|p| p.exists());
    if let Some(real) = existing.and_then(|p| std::fs::canonicalize(p).ok()) {
        if !real.starts_with(&real_root) {
            return Err("which leads outside that folder through a symbolic link");
        }
    }
    Ok(joined)
}

/// `file` relative to `root` when it is inside it (both made absolute), else as given.
pub fn relative_to(root: &Path, file: &Path) -> PathBuf {
    let absolute = |p: &Path| std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
    let (root, file) = (absolute(root), absolute(file));
    file.strip_prefix(&root)
        .map_or_else(|_| file.clone(), Path::to_path_buf)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests")]
    use super::*;

    #[test]
    fn include_and_exclude_are_relative_to_the_file() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("macros/drafts")).unwrap();
        let path = dir.path().join("tact.yaml");
        std::fs::write(
            &path,
            "include: [\"macros/**\"]\nexclude: [\"macros/drafts/**\"]\n",
        )
        .unwrap();
        for f in ["macros/a.yaml", "macros/drafts/b.yaml", "other.yaml"] {
            std::fs::write(dir.path().join(f), "").unwrap();
        }
        let config = Config::load(&path).unwrap();
        assert!(config.wants(&dir.path().join("macros/a.yaml")));
        assert!(!config.wants(&dir.path().join("macros/drafts/b.yaml")));
        assert!(!config.wants(&dir.path().join("other.yaml")));
        assert_eq!(
            Config::discover(&dir.path().join("macros/drafts")).unwrap(),
            path
        );
    }

    #[test]
    fn paths_in_the_file_cannot_leave_its_folder() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("tact.yaml");
        for (entry, why) in [
            (
                "policies: [../../proc/self/environ]",
                "which is outside that folder",
            ),
            ("policies: [/etc/passwd]", "an absolute path"),
            ("baseline: ../baseline.json", "which is outside that folder"),
            ("baseline: a/../../b.json", "which is outside that folder"),
        ] {
            std::fs::write(&path, entry).unwrap();
            let e = Config::load(&path).unwrap_err();
            assert!(e.contains(why), "{entry}: {e}");
            assert!(e.contains("stay inside the folder"), "{e}");
        }
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink("/etc", dir.path().join("etc")).unwrap();
            std::fs::write(&path, "policies: [etc/passwd]\n").unwrap();
            let e = Config::load(&path).unwrap_err();
            assert!(e.contains("through a symbolic link"), "{e}");
        }
        std::fs::write(
            &path,
            "policies: [rules/../rules/a.policy]\nbaseline: b.json\n",
        )
        .unwrap();
        let config = Config::load(&path).unwrap();
        assert_eq!(config.baseline.unwrap(), dir.path().join("b.json"));
    }

    #[test]
    fn mistakes_name_the_file_and_line() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("tact.yaml");
        std::fs::write(&path, "input: macros\nfail_on: sometimes\n").unwrap();
        let e = Config::load(&path).unwrap_err();
        assert!(e.contains("`fail_on: sometimes` is not one of"), "{e}");
        std::fs::write(&path, "input: macros\nrulez: {}\n").unwrap();
        let e = Config::load(&path).unwrap_err();
        assert!(e.contains("tact.yaml:2"), "{e}");
        assert!(e.contains("unknown field `rulez`"), "{e}");
    }
}
