//! Bounds on what a policy may ask of tact. A hostile or generated policy must get a clear error
//! at its file:line, never a stack overflow, an out-of-memory abort or minutes of work: the
//! parser and every pass over conditions recurse once per level of parentheses, and every
//! phrase set's matches reach the sets that include it.

/// The deepest nesting of parentheses in a condition. Hand-written conditions use two or three
/// levels; each level costs the parser several stack frames.
pub const MAX_NESTING: usize = 64;

/// The longest chain of `include`s (a set including a set including ...).
pub const MAX_INCLUDE_DEPTH: usize = 64;

/// The most memory each automaton of one policy regex may take, in bytes, when it is checked.
/// The largest built-in regex takes about 0.6 MB; a pattern that needs more than this is almost
/// always a counted repetition run wild (`\w{1000}`).
pub const REGEX_SIZE_LIMIT: usize = 4 << 20;

/// The limit the matcher compiles each regex with: above [`REGEX_SIZE_LIMIT`], so that a regex
/// whose automata passed the check always compiles.
pub const REGEX_COMPILE_LIMIT: usize = 2 * REGEX_SIZE_LIMIT;

/// The most memory all of a policy's regexes may take together, in bytes, as measured when they
/// are checked (the matcher's copies take a small multiple of it).
pub const MAX_REGEX_TOTAL: usize = 64 << 20;

/// The byte offset of the first `(` that opens a level deeper than [`MAX_NESTING`], if any.
/// Parentheses inside strings, regexes and comments do not count. This runs on the raw text
/// before the parser sees it, because the parser itself recurses once per level.
pub fn too_deep_paren(text: &str) -> Option<usize> {
    let mut depth = 0usize;
    let mut bytes = text.bytes().enumerate();
    while let Some((at, byte)) = bytes.next() {
        match byte {
            b'"' | b'/' => skip_quoted(&mut bytes, byte),
            b'#' => {
                for (_, b) in bytes.by_ref() {
                    if b == b'\n' {
                        break;
                    }
                }
            }
            b'(' => {
                depth += 1;
                if depth > MAX_NESTING {
                    return Some(at);
                }
            }
            b')' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    None
}

/// Moves past a string or regex body up to its closing `delimiter` (or the end of the line,
/// where the grammar ends it too); a backslash escapes the next byte.
fn skip_quoted(bytes: &mut impl Iterator<Item = (usize, u8)>, delimiter: u8) {
    while let Some((_, b)) = bytes.next() {
        match b {
            b'\\' => {
                bytes.next();
            }
            b'\n' => break,
            b if b == delimiter => break,
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_only_parentheses_outside_strings_regexes_and_comments() {
        let deep = "(".repeat(MAX_NESTING + 1);
        assert_eq!(too_deep_paren(&deep), Some(MAX_NESTING));
        assert_eq!(too_deep_paren(&"(".repeat(MAX_NESTING)), None);
        let hidden = format!("\"{deep}\" /{deep}/ # {deep}\n\"a\\\"{deep}\"");
        assert_eq!(too_deep_paren(&hidden), None);
        let closed = "()".repeat(MAX_NESTING * 4);
        assert_eq!(too_deep_paren(&closed), None);
    }
}
