//! `tact policy fmt`: one canonical layout for policy files. Items are separated by one blank
//! line; each clause and each phrase entry stands on its own line, indented two spaces, clause
//! keywords aligned; keywords are lowercase; optional colons go. Comments are kept: the parser
//! skips only white space, commas, colons and comments, so every `#` in a gap between two tokens
//! is a comment, kept on its own line or after the token it followed.

use pest::iterators::Pair;
use pest::Parser;

use super::error::PolicyError;
use super::grammar::{PolicyParser, Rule};

/// Clause keywords are padded to this width, so their values line up.
const KEYWORD_WIDTH: usize = 8;

/// One output line and the source span of its tokens, to place comments by.
struct Line {
    indent: usize,
    text: String,
    start: usize,
    end: usize,
}

/// The canonical layout of a policy file, or its syntax errors.
pub fn format_policy(path: &str, text: &str) -> Result<String, Vec<PolicyError>> {
    let pairs = PolicyParser::parse(Rule::policy, text)
        .map_err(|e| vec![PolicyError::syntax(path, text, e)])?;
    let mut items: Vec<Vec<Line>> = Vec::new();
    for policy in pairs {
        for item in policy.into_inner() {
            match item.as_rule() {
                Rule::phrases_def => items.push(phrases_lines(item)),
                Rule::rule_def => items.push(rule_lines(item)),
                _ => {}
            }
        }
    }
    Ok(render(text, items))
}

fn render(text: &str, items: Vec<Vec<Line>>) -> String {
    let mut comments = comments_between_tokens(text, &items);
    comments.reverse(); // pop from the front in source order
    let mut out = String::new();
    for (i, lines) in items.into_iter().enumerate() {
        let Some(first) = lines.first() else {
            continue;
        };
        if i > 0 {
            out.push('\n');
        }
        // Comments standing before this item go just above it.
        while comments
            .last()
            .is_some_and(|c| c.at < first.start && !c.trailing)
        {
            if let Some(c) = comments.pop() {
                out.push_str(&c.text);
                out.push('\n');
                if c.blank_after {
                    out.push('\n');
                }
            }
        }
        for (n, line) in lines.iter().enumerate() {
            if n > 0 {
                while comments
                    .last()
                    .is_some_and(|c| c.at < line.start && !c.trailing)
                {
                    if let Some(c) = comments.pop() {
                        out.push_str(&" ".repeat(line.indent));
                        out.push_str(&c.text);
                        out.push('\n');
                    }
                }
            }
            out.push_str(&" ".repeat(line.indent));
            out.push_str(&line.text);
            let next_start = lines.get(n + 1).map_or(usize::MAX, |l| l.start);
            while comments
                .last()
                .is_some_and(|c| c.trailing && c.at >= line.start && c.at < next_start)
            {
                if let Some(c) = comments.pop() {
                    out.push_str("  ");
                    out.push_str(&c.text);
                }
            }
            out.push('\n');
        }
    }
    let rest: Vec<_> = comments.into_iter().rev().collect();
    if !rest.is_empty() {
        if !out.is_empty() {
            out.push('\n');
        }
        for c in rest {
            out.push_str(&c.text);
            out.push('\n');
        }
    }
    out
}

struct Comment {
    at: usize,
    text: String,
    /// Code stands before it on the same source line.
    trailing: bool,
    /// A blank line follows it in the source.
    blank_after: bool,
}

/// Every comment in the file, found in the gaps between the tokens the lines were built from.
fn comments_between_tokens(text: &str, items: &[Vec<Line>]) -> Vec<Comment> {
    let mut spans: Vec<(usize, usize)> = items.iter().flatten().map(|l| (l.start, l.end)).collect();
    spans.sort_unstable();
    let mut comments = Vec::new();
    let mut gap_start = 0;
    for (start, end) in spans.into_iter().chain([(text.len(), text.len())]) {
        let gap = text.get(gap_start..start.max(gap_start)).unwrap_or("");
        let mut offset = gap_start;
        for piece in gap.split_inclusive('\n') {
            if let Some(hash) = piece.find('#') {
                let at = offset + hash;
                let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
                let trailing = !text[line_start..at].trim().is_empty();
                let after = &text[offset + piece.len()..];
                let blank_after = after
                    .split_inclusive('\n')
                    .next()
                    .is_some_and(|l| l.trim().is_empty() && l.ends_with('\n'));
                comments.push(Comment {
                    at,
                    text: piece[hash..].trim_end().to_string(),
                    trailing,
                    blank_after,
                });
            }
            offset += piece.len();
        }
        gap_start = gap_start.max(end);
    }
    comments
}

fn line(indent: usize, text: String, pair_start: usize, pair_end: usize) -> Line {
    Line {
        indent,
        text,
        start: pair_start,
        end: pair_end,
    }
}

fn phrases_lines(pair: Pair<'_, Rule>) -> Vec<Line> {
    let span = pair.as_span();
    let mut lines = Vec::new();
    for p in pair.into_inner() {
        match p.as_rule() {
            Rule::name => {
                let end = p.as_span().end();
                lines.push(line(
                    0,
                    format!("phrases {}", p.as_str()),
                    span.start(),
                    end,
                ));
            }
            Rule::phrase_list => entry_lines(p, &mut lines),
            Rule::exceptions => {
                let mut list = None;
                let (mut kw_start, mut kw_end) = (usize::MAX, 0);
                for q in p.into_inner() {
                    match q.as_rule() {
                        Rule::phrase_list => list = Some(q),
                        _ => {
                            kw_start = kw_start.min(q.as_span().start());
                            kw_end = q.as_span().end();
                        }
                    }
                }
                lines.push(line(0, "but not".into(), kw_start, kw_end));
                if let Some(list) = list {
                    entry_lines(list, &mut lines);
                }
            }
            _ => {}
        }
    }
    lines
}

/// The span from a pair's first token to its last. A pair's own span can run past its last
/// token: pest consumes the white space (and comments) before an optional part that then
/// matches nothing.
fn token_span(pair: &Pair<'_, Rule>) -> (usize, usize) {
    let mut first = usize::MAX;
    let mut last = 0;
    visit_tokens(pair.clone(), &mut |t| {
        first = first.min(t.as_span().start());
        last = last.max(t.as_span().end());
    });
    if first == usize::MAX {
        (pair.as_span().start(), pair.as_span().start())
    } else {
        (first, last)
    }
}

/// Calls `f` on every token (leaf) of a pair, in order.
fn visit_tokens<'i>(pair: Pair<'i, Rule>, f: &mut dyn FnMut(&Pair<'i, Rule>)) {
    match pair.as_rule() {
        Rule::string | Rule::regex | Rule::label => f(&pair),
        _ => {
            let mut inner = pair.clone().into_inner().peekable();
            if inner.peek().is_none() {
                f(&pair);
            }
            for p in inner {
                visit_tokens(p, f);
            }
        }
    }
}

fn entry_lines(list: Pair<'_, Rule>, lines: &mut Vec<Line>) {
    let entries: Vec<Pair<'_, Rule>> = list
        .into_inner()
        .filter(|p| p.as_rule() == Rule::phrase_entry)
        .collect();
    let count = entries.len();
    for (i, entry) in entries.into_iter().enumerate() {
        let (start, end) = token_span(&entry);
        let mut text = tokens(entry);
        if i + 1 < count {
            text.push(',');
        }
        lines.push(line(2, text, start, end));
    }
}

fn rule_lines(pair: Pair<'_, Rule>) -> Vec<Line> {
    let span = pair.as_span();
    let mut lines = Vec::new();
    for p in pair.into_inner() {
        if p.as_rule() == Rule::kw_rule {
            continue;
        }
        let (start, end) = token_span(&p);
        if p.as_rule() == Rule::name {
            lines.push(line(0, format!("rule {}", p.as_str()), span.start(), end));
            continue;
        }
        let mut parts = p.into_inner();
        let keyword = parts
            .next()
            .map(|k| k.as_str().to_ascii_lowercase())
            .unwrap_or_default();
        let rest: Vec<String> = parts.map(tokens).filter(|t| !t.is_empty()).collect();
        let text = format!("{keyword:<KEYWORD_WIDTH$} {}", join(&rest));
        lines.push(line(2, text.trim_end().to_string(), start, end));
    }
    lines
}

/// A pair's tokens, one space apart (none inside parentheses), keywords lowercase.
fn tokens(pair: Pair<'_, Rule>) -> String {
    let mut out = Vec::new();
    collect_tokens(pair, &mut out);
    join(&out)
}

fn collect_tokens(pair: Pair<'_, Rule>, out: &mut Vec<String>) {
    let text = pair.as_str();
    match pair.as_rule() {
        Rule::string | Rule::regex | Rule::label | Rule::name | Rule::number => {
            out.push(text.to_string())
        }
        Rule::arrow | Rule::open_paren | Rule::close_paren => out.push(text.to_string()),
        _ => {
            let mut inner = pair.into_inner().peekable();
            if inner.peek().is_none() {
                // The only other leaves are keywords.
                out.push(text.to_ascii_lowercase());
            }
            for p in inner {
                collect_tokens(p, out);
            }
        }
    }
}

fn join(tokens: &[String]) -> String {
    let mut out = String::new();
    for t in tokens {
        let glue = !(out.is_empty() || out.ends_with('(') || t == ")");
        if glue {
            out.push(' ');
        }
        out.push_str(t);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const MESSY: &str = "# header\n\nPHRASES greet: \"hi\" , /hello( there)?/ => \"Hello!\" # trailing\nbut not \"hi-fi\"\nrule   r:\n    severity   WARNING\n  # standalone\n  when tagged x and (channel is email or not channel is chat)\n  forbid agent says greet\n  example fires \"hi\"   \"agent: hello\"\n";

    #[test]
    fn canonical_layout() {
        let out = format_policy("t.policy", MESSY).unwrap_or_default();
        assert_eq!(
            out,
            "# header\n\nphrases greet\n  \"hi\",\n  /hello( there)?/ => \"Hello!\"  # trailing\nbut not\n  \"hi-fi\"\n\nrule r\n  severity warning\n  # standalone\n  when     tagged x and (channel is email or not channel is chat)\n  forbid   agent says greet\n  example  fires \"hi\" \"agent: hello\"\n"
        );
    }

    #[test]
    fn formatting_twice_changes_nothing_more() {
        let once = format_policy("t.policy", MESSY).unwrap_or_default();
        assert_eq!(format_policy("t.policy", &once).unwrap_or_default(), once);
    }

    #[test]
    fn syntax_errors_are_reported_not_formatted() {
        let errors = format_policy("t.policy", "rule r\n  severity fatal\n")
            .err()
            .unwrap_or_default();
        assert_eq!(errors.len(), 1);
        assert_eq!((errors[0].line, errors[0].col), (2, 12));
    }
}
