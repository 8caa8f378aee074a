//! YAML, read one way everywhere (conversations, macro libraries, tact.yaml): serde-saphyr, a
//! maintained, panic-free parser with positions (`Spanned`) and budgets against alias bombs and
//! deep nesting. Chosen over serde_yaml (deprecated upstream), and its forks serde_yaml_ng and
//! serde_norway (the same libyaml-derived code, with no positions for values).
//!
//! Errors are one line, never an excerpt of the file: the file may not be the user's own.

use serde::de::DeserializeOwned;
pub use serde_saphyr::Spanned;

/// What is wrong with a YAML text, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YamlError {
    /// The 1-based line, when known.
    pub line: Option<usize>,
    /// The 1-based column, when known.
    pub column: Option<usize>,
    /// What is wrong, without the position.
    pub message: String,
}

impl std::fmt::Display for YamlError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

/// Parses YAML into `T`.
pub fn from_str<T: DeserializeOwned>(text: &str) -> Result<T, YamlError> {
    let mut budget = serde_saphyr::Budget::default();
    // Inputs are bounded in size before they get here (16 MiB by default); within that, a
    // long list of conversations is normal, so the node counts follow the size, while the
    // alias and depth limits that stop bombs keep their defaults.
    budget.max_nodes = 8_000_000;
    budget.max_events = 16_000_000;
    let mut options = serde_saphyr::Options::default();
    options.budget = Some(budget);
    options.with_snippet = false;
    // YAML 1.2, as people expect of ids: `id: y` or `id: no` is text, not a boolean, and
    // `id: 0042` keeps its zeros.
    options.strict_booleans = true;
    options.leading_zero_numbers_as_strings = true;
    options.underscored_numbers_as_strings = true;
    serde_saphyr::from_str_with_options(text, options).map_err(|e| {
        let location = e.location();
        let message = e.to_string();
        // "error: line 2 column 2: illegal placement..." -> "illegal placement..."
        let message = message.strip_prefix("error: ").unwrap_or(&message);
        let message = match message.split_once(": ") {
            Some((head, rest)) if head.starts_with("line ") => rest,
            _ => message,
        };
        let message = message.lines().next().unwrap_or_default();
        let message = match message.rfind(" at line ") {
            Some(at) => &message[..at],
            None => message,
        }
        .to_string();
        YamlError {
            line: location
                .as_ref()
                .and_then(|l| usize::try_from(l.line()).ok())
                .filter(|l| *l > 0),
            column: location
                .as_ref()
                .and_then(|l| usize::try_from(l.column()).ok())
                .filter(|c| *c > 0),
            message,
        }
    })
}

/// The 1-based line of a spanned value.
pub fn line_of<T>(value: &Spanned<T>) -> usize {
    usize::try_from(value.referenced.line()).unwrap_or(1).max(1)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests")]
    use super::*;
    use serde_json::Value;

    #[test]
    fn errors_are_one_line_with_a_position() {
        let e = from_str::<Value>("a: [1, 2\nb: c\n").unwrap_err();
        assert_eq!(e.line, Some(2));
        assert!(
            !e.message.contains('\n') && !e.message.contains("line 2"),
            "{e:?}"
        );
    }

    #[test]
    fn an_alias_bomb_is_refused() {
        let mut text = String::from("a: &a [x,x,x,x,x,x,x,x,x]\n");
        for (name, prev) in [
            ("b", "a"),
            ("c", "b"),
            ("d", "c"),
            ("e", "d"),
            ("f", "e"),
            ("g", "f"),
            ("h", "g"),
        ] {
            let refs = vec![format!("*{prev}"); 9].join(",");
            text.push_str(&format!("{name}: &{name} [{refs}]\n"));
        }
        assert!(from_str::<Value>(&text).is_err());
    }

    #[test]
    fn ids_that_yaml_1_1_would_change_stay_text() {
        let v: Value = from_str("a: y\nb: no\nc: 0042\nd: true\ne: 12\n").unwrap();
        assert_eq!(v["a"], "y");
        assert_eq!(v["b"], "no");
        assert_eq!(v["c"], "0042");
        assert_eq!(v["d"], true);
        assert_eq!(v["e"], 12);
    }

    #[test]
    fn list_items_know_their_lines() {
        let items: Vec<Spanned<Value>> = from_str("- id: a\n  n: 1\n\n- id: b\n").unwrap();
        let lines: Vec<usize> = items.iter().map(line_of).collect();
        assert_eq!(lines, [1, 4]);
    }
}
