//! The policy language: parsing, lowering to a typed tree, and semantic validation.

pub mod ast;
mod error;
pub mod fingerprint;
pub mod format;
pub mod grammar;
mod includes;
pub mod limits;
mod lower;
pub mod names;
pub mod pattern;
mod validate;

use std::path::{Path, PathBuf};

pub use error::PolicyError;
pub use validate::did_you_mean;

use ast::{PhraseSetDef, RuleDef};

/// The text of one policy file and the name to report it by.
#[derive(Debug, Clone)]
pub struct PolicySource {
    /// The path, as shown in errors.
    pub path: String,
    /// The file's text.
    pub text: String,
}

/// A validated policy: every name resolves, every id is unique, every pattern compiles.
#[derive(Debug, Clone, Default)]
pub struct Policy {
    /// All phrase sets of all files.
    pub phrase_sets: Vec<PhraseSetDef>,
    /// All rules of all files, in file order.
    pub rules: Vec<RuleDef>,
    /// What is probably a mistake but does not stop the policy from working.
    pub warnings: Vec<PolicyError>,
}

/// The built-in policy's files, compiled into the binary.
pub fn builtin_sources() -> Vec<PolicySource> {
    [
        (
            "rules/phrases.policy",
            include_str!("../../rules/phrases.policy"),
        ),
        (
            "rules/complaints.policy",
            include_str!("../../rules/complaints.policy"),
        ),
    ]
    .into_iter()
    .map(|(path, text)| PolicySource {
        path: path.to_string(),
        text: text.to_string(),
    })
    .collect()
}

/// The built-in policy, parsed without validation: validation compiles every regex to check it,
/// which took half of every command's start-up, and the built-in text cannot change after the
/// build. The test `builtin_policy_is_valid_as_parsed_here` holds this to what
/// [`parse_policy`] makes of the same files, with no errors and no warnings.
pub fn builtin_policy() -> Result<Policy, Vec<PolicyError>> {
    let mut policy = Policy::default();
    let mut errors = Vec::new();
    for source in builtin_sources() {
        let (file, file_errors) = lower::parse_file(&source.path, &source.text);
        errors.extend(file_errors);
        policy.phrase_sets.extend(file.phrase_sets);
        policy.rules.extend(file.rules);
    }
    if errors.is_empty() {
        Ok(policy)
    } else {
        Err(errors)
    }
}

/// Parses one file into its syntax tree, with its syntax errors; names are not checked (that
/// needs every file of the policy: [`parse_policy`]).
pub fn parse_file(path: &str, text: &str) -> (ast::PolicyFile, Vec<PolicyError>) {
    lower::parse_file(path, text)
}

/// Parses and validates policy files together (names are shared across files). Every error of
/// every file is returned, not just the first.
pub fn parse_policy(sources: &[PolicySource]) -> Result<Policy, Vec<PolicyError>> {
    let mut errors = Vec::new();
    let mut parsed = Vec::with_capacity(sources.len());
    for source in sources {
        let (file, file_errors) = lower::parse_file(&source.path, &source.text);
        errors.extend(file_errors);
        parsed.push((source, file));
    }
    let sets: Vec<error::Located<'_, PhraseSetDef>> = parsed
        .iter()
        .flat_map(|(file, f)| {
            f.phrase_sets
                .iter()
                .map(move |item| error::Located { file, item })
        })
        .collect();
    let rules: Vec<error::Located<'_, RuleDef>> = parsed
        .iter()
        .flat_map(|(file, f)| {
            f.rules
                .iter()
                .map(move |item| error::Located { file, item })
        })
        .collect();
    errors.extend(validate::validate(&sets, &rules));
    if !errors.is_empty() {
        return Err(errors);
    }
    let mut warnings = validate::warnings(&sets, &rules);
    warnings.extend(validate::never_firing(&sets, &rules));
    let mut policy = Policy {
        warnings,
        ..Policy::default()
    };
    for (_, file) in parsed {
        policy.phrase_sets.extend(file.phrase_sets);
        policy.rules.extend(file.rules);
    }
    Ok(policy)
}

/// Reads policy files: each path is a file, or a folder whose `*.policy` files are read in name
/// order.
pub fn read_sources(paths: &[PathBuf]) -> Result<Vec<PolicySource>, Vec<PolicyError>> {
    let mut sources = Vec::new();
    let mut errors = Vec::new();
    for path in paths {
        let files = if path.is_dir() {
            let mut files: Vec<PathBuf> = walkdir::WalkDir::new(path)
                .into_iter()
                .filter_map(Result::ok)
                .filter(|e| e.file_type().is_file())
                .map(|e| e.into_path())
                .filter(|p| p.extension().is_some_and(|x| x == "policy"))
                .collect();
            files.sort();
            if files.is_empty() {
                errors.push(PolicyError::file(
                    &path.display().to_string(),
                    "no `.policy` files in this folder",
                ));
            }
            files
        } else {
            vec![path.clone()]
        };
        for file in files {
            match read_text(&file) {
                Ok(text) => sources.push(PolicySource {
                    path: file.display().to_string(),
                    text,
                }),
                Err(message) => {
                    errors.push(PolicyError::file(&file.display().to_string(), message))
                }
            }
        }
    }
    if errors.is_empty() {
        Ok(sources)
    } else {
        Err(errors)
    }
}

/// A policy file's text, or what is wrong with it.
/// The largest policy file read: policies are small; a bigger file is not one.
const MAX_POLICY_BYTES: u64 = 16 << 20;

/// A policy file's text. Bounded, and refused when it is binary (NUL bytes, such as
/// `/proc/self/environ`): a file that is not a policy is never echoed in an error excerpt.
fn read_text(path: &Path) -> Result<String, String> {
    use std::io::Read;
    let file = std::fs::File::open(path).map_err(|e| format!("cannot read: {e}"))?;
    let mut bytes = Vec::new();
    file.take(MAX_POLICY_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("cannot read: {e}"))?;
    if bytes.len() as u64 > MAX_POLICY_BYTES {
        return Err("larger than 16 MiB: not a policy file".to_string());
    }
    if bytes.contains(&0) {
        return Err("binary data (NUL bytes): not a policy file".to_string());
    }
    String::from_utf8(bytes).map_err(|_| "not UTF-8 text".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// [`builtin_policy`] skips validation: this is where the built-in files are validated.
    #[test]
    fn builtin_policy_is_valid_as_parsed_here() {
        let validated = parse_policy(&builtin_sources()).unwrap_or_else(|e| panic!("{}", e[0]));
        assert!(
            validated.warnings.is_empty(),
            "the built-in policy has warnings: {:?}",
            validated.warnings
        );
        let unvalidated = builtin_policy().unwrap_or_else(|e| panic!("{}", e[0]));
        assert!(!unvalidated.rules.is_empty());
        assert_eq!(
            format!("{:?}{:?}", validated.phrase_sets, validated.rules),
            format!("{:?}{:?}", unvalidated.phrase_sets, unvalidated.rules)
        );
    }
}
