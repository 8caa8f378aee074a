//! JSON string literals as written in a file: decoded, with the file byte each decoded byte
//! came from, so words found in the decoded text can be pointed at in the file (through
//! escapes such as `\u2019`). Shared by the macro locator and the conversation readers.

/// Decodes the JSON string whose opening quote is at `quote`, with the file byte of each decoded
/// byte (and one past the end: the closing quote).
pub fn decode(text: &str, quote: usize) -> Option<(String, Vec<usize>)> {
    let mut out = String::new();
    let mut map = Vec::new();
    let mut chars = text.get(quote + 1..)?.char_indices().peekable();
    let base = quote + 1;
    while let Some((i, c)) = chars.next() {
        let at = base + i;
        let decoded = match c {
            '"' => {
                map.push(at);
                return Some((out, map));
            }
            '\\' => {
                let (_, e) = chars.next()?;
                match e {
                    'n' => '\n',
                    't' => '\t',
                    'r' => '\r',
                    'b' => '\u{8}',
                    'f' => '\u{c}',
                    '/' => '/',
                    '\\' => '\\',
                    '"' => '"',
                    'u' => {
                        let unit = hex4(&mut chars)?;
                        if (0xD800..0xDC00).contains(&unit) {
                            // A surrogate pair: `\uD83D\uDE00`.
                            if chars.next()?.1 != '\\' || chars.next()?.1 != 'u' {
                                return None;
                            }
                            let low = hex4(&mut chars)?;
                            let code =
                                0x10000 + ((unit - 0xD800) << 10) + (low.checked_sub(0xDC00)?);
                            char::from_u32(code)?
                        } else {
                            char::from_u32(unit)?
                        }
                    }
                    _ => return None,
                }
            }
            c => c,
        };
        for _ in 0..decoded.len_utf8() {
            map.push(at);
        }
        out.push(decoded);
    }
    None
}

fn hex4(chars: &mut std::iter::Peekable<std::str::CharIndices<'_>>) -> Option<u32> {
    let mut value = 0;
    for _ in 0..4 {
        value = value * 16 + chars.next()?.1.to_digit(16)?;
    }
    Some(value)
}
