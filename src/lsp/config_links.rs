//! In `tact.yaml`: the policy files a path under `policies:` names, for go to definition.

use std::path::{Path, PathBuf};

use super::workspace::policy_files_in;

/// The policy files the path at `offset` of a `tact.yaml` names (a file, or a folder's
/// `.policy` files), resolved against the file's folder as tact does.
pub fn linked_policy_files(config_path: &Path, text: &str, offset: usize) -> Vec<PathBuf> {
    let offset = offset.min(text.len());
    if !text.is_char_boundary(offset) {
        return Vec::new();
    }
    let stop = |c: char| c.is_whitespace() || matches!(c, '"' | '\'' | ',' | '[' | ']' | '#');
    let start = text[..offset]
        .char_indices()
        .rev()
        .find(|(_, c)| stop(*c))
        .map_or(0, |(i, c)| i + c.len_utf8());
    let end = text[offset..].find(stop).map_or(text.len(), |i| offset + i);
    let token = text[start..end].trim_start_matches("- ");
    if token.is_empty() || token.ends_with(':') {
        return Vec::new();
    }
    let Some(folder) = config_path.parent() else {
        return Vec::new();
    };
    let Ok(target) = std::fs::canonicalize(folder.join(token)) else {
        return Vec::new();
    };
    // Only what lies under the configuration's folder: a path is not a way out of the project.
    let Ok(root) = std::fs::canonicalize(folder) else {
        return Vec::new();
    };
    if !target.starts_with(&root) {
        return Vec::new();
    }
    policy_files_in(&target)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_wide_space_before_the_cursor_is_no_crash() {
        let dir = std::env::temp_dir();
        let text = "policies:\n  - a\u{a0}b.policy\n";
        let offset = text.find("b.policy").unwrap_or(0) + 1;
        // The non-breaking space (two bytes) stops the token: `b.policy`, which does not exist.
        assert!(linked_policy_files(&dir.join("tact.yaml"), text, offset).is_empty());
    }
}
