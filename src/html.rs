//! HTML (Zendesk's `comment_value_html`, Intercom's message bodies) as the customer reads it: tags dropped, block ends and `<br>` as
//! line breaks, entities decoded; each byte of the text keeps the offset of the HTML it came from.

/// The text of an HTML fragment, and for each of its bytes (and one past the end) the byte of the
/// HTML it was read from.
pub fn strip(html: &str) -> (String, Vec<usize>) {
    let mut out = String::with_capacity(html.len());
    let mut map = Vec::with_capacity(html.len() + 1);
    let mut i = 0;
    while i < html.len() {
        let rest = &html[i..];
        if rest.starts_with('<') {
            let end = rest.find('>').map_or(html.len(), |e| i + e + 1);
            let tag = html[i..end]
                .trim_start_matches(['<', '/'])
                .to_ascii_lowercase();
            let name: String = tag
                .chars()
                .take_while(char::is_ascii_alphanumeric)
                .collect();
            let breaks = matches!(
                name.as_str(),
                "br" | "p" | "div" | "li" | "tr" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6"
            );
            if breaks && !out.is_empty() && !out.ends_with('\n') {
                out.push('\n');
                map.push(i);
            }
            i = end;
            continue;
        }
        if rest.starts_with('&') {
            if let Some((decoded, len)) = entity(rest) {
                for _ in 0..decoded.len_utf8() {
                    map.push(i);
                }
                out.push(decoded);
                i += len;
                continue;
            }
        }
        let Some(c) = rest.chars().next() else {
            break;
        };
        for _ in 0..c.len_utf8() {
            map.push(i);
        }
        out.push(c);
        i += c.len_utf8();
    }
    while out.ends_with('\n') {
        out.pop();
        map.pop();
    }
    map.push(html.len());
    (out, map)
}

/// The character an entity at the start of `text` stands for, and the entity's length.
fn entity(text: &str) -> Option<(char, usize)> {
    let end = text
        .get(..12)?
        .find(';')
        .or_else(|| text.find(';').filter(|&e| e < 12))?;
    let name = &text[1..end];
    let c = match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" => ' ',
        "rsquo" => '’',
        "lsquo" => '‘',
        _ => {
            let digits = name.strip_prefix('#')?;
            let code = match digits.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                None => digits.parse().ok()?,
            };
            char::from_u32(code)?
        }
    };
    Some((c, end + 1))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests")]
    use super::*;

    #[test]
    fn tags_go_entities_decode_and_offsets_follow() {
        let html = "<p>Hi&nbsp;there,</p><p>you&#39;re <b>wrong</b>.</p>";
        let (text, map) = strip(html);
        assert_eq!(text, "Hi there,\nyou're wrong.");
        let at = text.find("wrong").unwrap();
        assert_eq!(&html[map[at]..map[at] + 5], "wrong");
        assert_eq!(map.len(), text.len() + 1);
    }
}
