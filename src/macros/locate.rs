//! Finding a macro's text in its file as written, byte by byte.
//!
//! serde's parsers give values without positions, so the value is found again in the file: the
//! next `body` (or `value`) key after the previous macro, its string decoded here with a map back
//! to the file's bytes, and the result compared with what serde read. Only an exact match is
//! trusted; otherwise the macro is located by its key alone and is not edited by `--fix`.

/// How replacement text must be written at a place in the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    /// As is (Markdown and text files, YAML literal blocks).
    Raw,
    /// Inside a JSON string.
    JsonString,
    /// Inside a YAML double-quoted scalar.
    YamlDouble,
    /// Inside a YAML single-quoted scalar.
    YamlSingle,
    /// A YAML plain scalar.
    YamlPlain,
}

impl Encoding {
    /// The text to write into the file for `text`, or `None` when it cannot be written there
    /// safely (a line break in a one-line scalar, `: ` or ` #` in a plain scalar).
    pub fn encode(self, text: &str) -> Option<String> {
        if text.contains(['\n', '\r']) {
            return None;
        }
        match self {
            Encoding::Raw => Some(text.to_string()),
            Encoding::JsonString => {
                let quoted = serde_json::to_string(text).ok()?;
                Some(quoted[1..quoted.len() - 1].to_string())
            }
            Encoding::YamlDouble => Some(text.replace('\\', "\\\\").replace('"', "\\\"")),
            Encoding::YamlSingle => Some(text.replace('\'', "''")),
            Encoding::YamlPlain => {
                (!(text.contains(": ") || text.contains(" #") || text.ends_with(':')))
                    .then(|| text.to_string())
            }
        }
    }
}

/// A macro's text found in the file.
#[derive(Debug)]
pub struct Located {
    pub map: Option<Vec<usize>>,
    pub anchor: usize,
    pub encoding: Option<Encoding>,
}

/// Where `key:` or `"key":` occurs in the file, in order: found once, so that naming the line of
/// each macro without a text body does not rescan the file.
pub fn key_offsets(text: &str, key: &str) -> Vec<usize> {
    let quoted = format!("\"{key}\"");
    let plain = format!("{key}:");
    let mut offsets: Vec<usize> = text
        .match_indices(&quoted)
        .map(|(i, _)| i)
        .chain(text.match_indices(&plain).map(|(i, _)| i))
        .collect();
    offsets.sort_unstable();
    offsets.dedup();
    offsets
}

/// How many keys a search for one macro's text looks at before giving up. A macro's own key is
/// among the first few after the previous macro (Zendesk lists several `value`s per macro); a
/// search that ran to the end of the file for every macro not found made reading quadratic.
const MAX_CANDIDATES: usize = 64;

/// The JSON string after the next `"key":` from `from` whose value decodes to `expected`.
/// When none of the first keys holds it, the text is placed (untraced) at the first key's
/// value, so the next search starts after it.
pub fn json_body(text: &str, key: &str, from: usize, expected: &str) -> Option<Located> {
    let needle = format!("\"{key}\"");
    let mut search = from;
    let mut first_value: Option<usize> = None;
    let mut candidates = 0;
    while let Some(found) = text.get(search..)?.find(&needle) {
        let after_key = search + found + needle.len();
        search = after_key;
        let rest = &text[after_key..];
        let colon = rest.len() - rest.trim_start().len();
        if !rest[colon..].starts_with(':') {
            continue;
        }
        candidates += 1;
        if candidates > MAX_CANDIDATES {
            break;
        }
        let value_rest = &rest[colon + 1..];
        let quote = after_key + colon + 1 + (value_rest.len() - value_rest.trim_start().len());
        first_value.get_or_insert(quote);
        if text.as_bytes().get(quote) != Some(&b'"') {
            continue;
        }
        if let Some((decoded, map)) = crate::json_string::decode(text, quote) {
            if decoded == expected {
                return Some(Located {
                    map: Some(map),
                    anchor: quote + 1,
                    encoding: Some(Encoding::JsonString),
                });
            }
        }
    }
    first_value.map(|anchor| Located {
        map: None,
        anchor,
        encoding: None,
    })
}

/// The YAML scalar after the next `key:` line from `from` that reads as `expected`.
pub fn yaml_body(text: &str, key: &str, from: usize, expected: &str) -> Option<Located> {
    // The previous macro's text starts on the line of `from - 1`; look from the next line.
    let mut line_start = if from == 0 {
        0
    } else {
        text.get(from..)?
            .find('\n')
            .map_or(text.len(), |i| from + i + 1)
    };
    let mut first_key: Option<usize> = None;
    let mut candidates = 0;
    for line in text[line_start..].split_inclusive('\n') {
        let start = line_start;
        line_start += line.len();
        let trimmed = line.trim_start();
        let trimmed = trimmed.strip_prefix("- ").map_or(trimmed, str::trim_start);
        let Some(after) = trimmed.strip_prefix(key).and_then(|r| r.strip_prefix(':')) else {
            continue;
        };
        candidates += 1;
        if candidates > MAX_CANDIDATES {
            break;
        }
        let value_at =
            start + (line.len() - after.len()) + (after.len() - after.trim_start().len());
        first_key.get_or_insert(value_at);
        if let Some(found) = yaml_scalar(text, value_at, line_start, expected) {
            return Some(found);
        }
        // Not this key's value (a nested `body:`?): the next one may be.
    }
    first_key.map(|anchor| Located {
        map: None,
        anchor,
        encoding: None,
    })
}

/// The scalar the YAML parser found at `at`, traced when it reads as `expected` on its line (a
/// quoted or plain scalar, in block or flow style); else located there, and not edited.
pub fn yaml_scalar_at(text: &str, at: usize, expected: &str) -> Located {
    let next_line = text
        .get(at..)
        .and_then(|t| t.find('\n'))
        .map_or(text.len(), |i| at + i + 1);
    let line = text.get(at..next_line).unwrap_or_default();
    // In a flow mapping the scalar ends at its closing quote, or before `,` or `}`.
    let quoted = line.starts_with(['"', '\'']);
    let traced = if quoted {
        yaml_scalar(text, at, next_line, expected)
    } else {
        let end = line.find([',', '}', ']']).map_or(next_line, |i| at + i);
        let content = text.get(at..end).unwrap_or_default().trim_end();
        (content == expected).then(|| Located {
            map: Some((at..=at + expected.len()).collect()),
            anchor: at,
            // Not written back: a plain scalar in a flow mapping cannot take `,` or `}`.
            encoding: None,
        })
    };
    traced.unwrap_or(Located {
        map: None,
        anchor: at,
        encoding: None,
    })
}

/// The scalar starting at `at` (its line ends before `next_line`), traced if it reads as
/// `expected`.
fn yaml_scalar(text: &str, at: usize, next_line: usize, expected: &str) -> Option<Located> {
    let line = text.get(at..next_line)?.trim_end_matches(['\n', '\r']);
    let identity = |start: usize, encoding| Located {
        map: Some((start..=start + expected.len()).collect()),
        anchor: start,
        encoding: Some(encoding),
    };
    match line.chars().next() {
        Some('|') => literal_block(text, next_line, expected),
        Some('>') => Some(Located {
            map: None,
            anchor: at,
            encoding: None,
        }),
        Some('"') => {
            let inner = &line[1..];
            let end = inner.find('"')?;
            let content = &inner[..end];
            (!content.contains('\\') && content == expected)
                .then(|| identity(at + 1, Encoding::YamlDouble))
        }
        Some('\'') => {
            let inner = &line[1..];
            let end = inner.find('\'')?;
            let content = &inner[..end];
            (inner[end..].get(1..2) != Some("'") && content == expected)
                .then(|| identity(at + 1, Encoding::YamlSingle))
        }
        Some(_) => {
            let content = line.split(" #").next().unwrap_or(line).trim_end();
            (content == expected).then(|| identity(at, Encoding::YamlPlain))
        }
        None => None,
    }
}

/// A `|` block: each line of the text is a line of the file after the block's indentation.
/// Lines are read only as far as `expected` reaches (reading them all to the end of the file
/// made each block cost the whole file).
fn literal_block(text: &str, from: usize, expected: &str) -> Option<Located> {
    let lines = text.get(from..)?.split_inclusive('\n').scan(from, |at, l| {
        let start = *at;
        *at += l.len();
        Some((start, l))
    });
    let indent = lines
        .clone()
        .find(|(_, l)| !l.trim().is_empty())
        .map(|(_, l)| l.len() - l.trim_start_matches(' ').len())?;
    let mut body = String::new();
    let mut map = Vec::new();
    for (start, line) in lines {
        let content = line.trim_end_matches(['\n', '\r']);
        let blank = content.trim().is_empty();
        if !blank && content.len() - content.trim_start_matches(' ').len() < indent {
            break;
        }
        if blank {
            map.push(start + content.len());
            body.push('\n');
        } else {
            for i in indent..content.len() {
                map.push(start + i);
            }
            body.push_str(&content[indent..]);
            map.push(start + content.len());
            body.push('\n');
        }
        if body.len() >= expected.len() {
            break;
        }
    }
    if !body.starts_with(expected) {
        return None;
    }
    if map.len() == expected.len() {
        // One past the last byte: the line break that ended the block's last line (the end
        // of the file, when its last line has none).
        let last = *map.last()?;
        map.push((last + 1).min(text.len()));
    }
    map.truncate(expected.len() + 1);
    if map.len() < expected.len() + 1 {
        return None;
    }
    let anchor = map.first().copied()?;
    Some(Located {
        map: Some(map),
        anchor,
        encoding: Some(Encoding::Raw),
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests")]
    use super::*;

    fn traced(text: &str, l: &Located, expected: &str) -> String {
        let map = l.map.as_ref().unwrap();
        expected
            .char_indices()
            .map(|(i, _)| text[map[i]..].chars().next().unwrap())
            .collect()
    }

    #[test]
    fn json_escapes_are_traced_to_their_backslash() {
        let text = "[{\"id\": \"a\", \"body\": \"Line\\none \\u00e9t\\u00e9 \\\"q\\\"\"}]";
        let expected = "Line\none été \"q\"";
        let l = json_body(text, "body", 0, expected).unwrap();
        let map = l.map.as_ref().unwrap();
        assert_eq!(&text[map[0]..map[0] + 4], "Line");
        assert_eq!(&text[map[4]..map[4] + 2], "\\n");
        assert_eq!(&text[map[9]..map[9] + 6], "\\u00e9");
        assert_eq!(map[expected.len()], text.len() - 3);
    }

    #[test]
    fn a_literal_block_ending_the_file_without_a_line_break_maps_inside_the_file() {
        // Found by the macro_locate fuzz target: one past the last byte was past the end.
        let text = "- id: a\n  body: |\n    hello I ";
        let from = text.find("    hello").unwrap_or(0);
        let located = literal_block(text, from, "hello I \n").unwrap_or_else(|| {
            panic!("the block is found");
        });
        let map = located.map.unwrap_or_default();
        assert!(map.iter().all(|&at| at <= text.len()), "{map:?}");
    }

    #[test]
    fn yaml_literal_blocks_map_line_by_line() {
        let text = "- id: a\n  body: |\n    Hello there.\n    You're wrong.\n- id: b\n  body: plain text # note\n";
        let expected = "Hello there.\nYou're wrong.\n";
        let l = yaml_body(text, "body", 0, expected).unwrap();
        assert_eq!(traced(text, &l, expected), expected);
        let map = l.map.as_ref().unwrap();
        assert_eq!(&text[map[13]..map[13] + 6], "You're");
        let next = yaml_body(text, "body", l.anchor + 1, "plain text").unwrap();
        assert_eq!(next.encoding, Some(Encoding::YamlPlain));
        assert_eq!(&text[next.anchor..next.anchor + 5], "plain");
    }

    #[test]
    fn quoted_yaml_is_traced_and_escaped_yaml_is_not() {
        let text = "- body: 'It''s fine'\n- body: \"You're wrong\"\n";
        let l = yaml_body(text, "body", 0, "It's fine").unwrap();
        assert_eq!(l.map, None, "'' cannot be traced byte by byte");
        let l = yaml_body(text, "body", l.anchor + 1, "You're wrong").unwrap();
        assert_eq!(l.encoding, Some(Encoding::YamlDouble));
        assert_eq!(&text[l.anchor..l.anchor + 6], "You're");
    }

    #[test]
    fn encodings_refuse_what_would_break_the_file() {
        assert_eq!(Encoding::YamlPlain.encode("a: b"), None);
        assert_eq!(
            Encoding::YamlSingle.encode("it's").as_deref(),
            Some("it''s")
        );
        assert_eq!(
            Encoding::JsonString.encode("say \"hi\"").as_deref(),
            Some("say \\\"hi\\\"")
        );
        assert_eq!(Encoding::Raw.encode("two\nlines"), None);
    }
}
