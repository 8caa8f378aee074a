//! A policy's version: a digest of its files' names and text, so a report or a `--version` line
//! says exactly which rules produced it (the built-in policy changes only with tact's releases,
//! a team's policy whenever its files do).

use sha2::{Digest, Sha256};

use super::PolicySource;

/// `sha256:` and the first 12 hex digits of the SHA-256 of every file's path and text, in
/// order.
pub fn fingerprint(sources: &[PolicySource]) -> String {
    let mut hasher = Sha256::new();
    for source in sources {
        // Lengths first, so that no two lists of files hash the same bytes.
        hasher.update((source.path.len() as u64).to_le_bytes());
        hasher.update(source.path.as_bytes());
        hasher.update((source.text.len() as u64).to_le_bytes());
        hasher.update(source.text.as_bytes());
    }
    let digest = hasher.finalize();
    let hex: String = digest.iter().take(6).map(|b| format!("{b:02x}")).collect();
    format!("sha256:{hex}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn source(path: &str, text: &str) -> PolicySource {
        PolicySource {
            path: path.to_string(),
            text: text.to_string(),
        }
    }

    #[test]
    fn changes_with_any_text_or_name() {
        let base = fingerprint(&[source("a.policy", "rule x"), source("b.policy", "")]);
        assert!(base.starts_with("sha256:") && base.len() == "sha256:".len() + 12);
        assert_eq!(
            base,
            fingerprint(&[source("a.policy", "rule x"), source("b.policy", "")])
        );
        assert_ne!(
            base,
            fingerprint(&[source("a.policy", "rule y"), source("b.policy", "")])
        );
        assert_ne!(
            base,
            fingerprint(&[source("a.policy", "rule "), source("b.policy", "x")])
        );
        assert_ne!(
            base,
            fingerprint(&[source("c.policy", "rule x"), source("b.policy", "")])
        );
    }
}
