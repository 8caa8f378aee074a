//! Hover: on a rule id, what `tact explain` prints; on a phrase set, its phrases; on a keyword,
//! its entry in docs/language.md.

use crate::dsl::ast::PhraseEntry;
use crate::dsl::names::KEYWORDS;

use super::names::{definitions, name_at, Name};
use super::words::word_at;
use super::workspace::PolicyView;

/// The language reference, compiled in: hovers quote it.
const LANGUAGE_DOC: &str = include_str!("../../docs/language.md");

/// The most phrases a hover lists.
const MAX_PHRASES: usize = 40;

/// Markdown for what is at `offset` of the document, if anything.
pub fn hover(view: &PolicyView, offset: usize) -> Option<String> {
    match name_at(view, offset) {
        Some(Name::Rule(id)) => return Some(rule_hover(view, &id)),
        Some(Name::Set(set)) => return set_hover(view, &set),
        None => {}
    }
    let (_, word) = word_at(&view.source().text, offset)?;
    let word = word.to_ascii_lowercase();
    KEYWORDS
        .contains(&word.as_str())
        .then(|| keyword_entry(&word))
        .flatten()
}

/// `tact explain` for the rule, in a code block; if the policy has errors, says so.
fn rule_hover(view: &PolicyView, id: &str) -> String {
    let explained = view.engine.as_ref().and_then(|engine| {
        let rule = engine.rules().iter().find(|r| &*r.id == id)?;
        Some(crate::render::explain::explain(rule, None))
    });
    match explained {
        Some(text) => format!("```text\n{}\n```", text.trim_end().replace("```", "'''")),
        None => format!(
            "rule `{id}`: the policy has errors; fix them to see what `tact explain {id}` says"
        ),
    }
}

/// The phrases of a set, as written.
fn set_hover(view: &PolicyView, name: &str) -> Option<String> {
    let (file, _) = definitions(view, &Name::Set(name.to_string()))
        .into_iter()
        .next()?;
    let set = view
        .files
        .get(file)?
        .phrase_sets
        .iter()
        .find(|s| s.name.name == name)?;
    let mut lines = vec![format!("phrases {name}")];
    let entry = |e: &PhraseEntry| match e {
        PhraseEntry::Literal { text, .. } => format!("{text:?}"),
        PhraseEntry::Regex { pattern, .. } => format!("/{pattern}/"),
        PhraseEntry::Include(set) => format!("include {}", set.name),
        PhraseEntry::Learned(reader) => format!("learned {}", reader.name),
    };
    let total = set.entries.len();
    lines.extend(
        set.entries
            .iter()
            .take(MAX_PHRASES)
            .map(|e| format!("  {}", entry(e))),
    );
    if total > MAX_PHRASES {
        lines.push(format!("  ... and {} more", total - MAX_PHRASES));
    }
    if !set.exceptions.is_empty() {
        lines.push("but not".to_string());
        lines.extend(
            set.exceptions
                .iter()
                .take(MAX_PHRASES)
                .map(|e| format!("  {}", entry(e))),
        );
    }
    Some(format!(
        "```text\n{}\n```",
        lines.join("\n").replace("```", "'''")
    ))
}

/// The entry of docs/language.md about a keyword: the section whose heading names it (in code,
/// or as its title: `rule` and "Rules"), else the table row or paragraph whose code names it.
pub fn keyword_entry(keyword: &str) -> Option<String> {
    let sections = sections(LANGUAGE_DOC);
    let titled = |heading: &str| {
        heading
            .split(|c: char| !c.is_ascii_alphabetic())
            .any(|word| {
                word.eq_ignore_ascii_case(keyword) || singular(word).eq_ignore_ascii_case(keyword)
            })
    };
    if let Some((heading, body)) = sections
        .iter()
        .find(|(h, _)| code_names(h, keyword))
        // The document's own title (section 1, after the preamble) is about everything.
        .or_else(|| sections.iter().skip(2).find(|(h, _)| titled(h)))
    {
        return Some(format!("{heading}\n\n{}", first_paragraphs(body)));
    }
    sections.iter().find_map(|(heading, body)| {
        let row = body.lines().find(|line| {
            line.starts_with('|')
                && line
                    .split('|')
                    .nth(1)
                    .is_some_and(|cell| code_names(cell, keyword))
        });
        let entry = row.map(str::to_string).or_else(|| {
            body.split("\n\n")
                .find(|p| !p.trim_start().starts_with("```") && code_names(p, keyword))
                .map(|p| p.trim().to_string())
        })?;
        Some(format!("{heading}\n\n{entry}"))
    })
}

/// Whether a piece of code (between backticks) in `text` has `keyword` as one of its words.
fn code_names(text: &str, keyword: &str) -> bool {
    text.split('`').skip(1).step_by(2).any(|code| {
        code.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .any(|word| word.eq_ignore_ascii_case(keyword))
    })
}

/// A heading's word without its plural `s`.
fn singular(word: &str) -> &str {
    word.strip_suffix('s').unwrap_or(word)
}

/// The document's sections: each heading with the text under it.
fn sections(doc: &str) -> Vec<(String, String)> {
    let mut sections = Vec::new();
    let mut heading = String::new();
    let mut body = String::new();
    let mut in_code = false;
    for line in doc.lines() {
        if line.starts_with("```") {
            in_code = !in_code;
        }
        if !in_code && line.starts_with('#') {
            sections.push((std::mem::take(&mut heading), std::mem::take(&mut body)));
            heading = line.trim_start_matches('#').trim().to_string();
            heading = format!("**{heading}**");
        } else {
            body.push_str(line);
            body.push('\n');
        }
    }
    sections.push((heading, body));
    sections
}

/// The text of a section up to about 1,500 characters, whole paragraphs.
fn first_paragraphs(body: &str) -> String {
    let mut out = String::new();
    for paragraph in body.trim().split("\n\n") {
        if !out.is_empty() && out.len() + paragraph.len() > 1500 {
            break;
        }
        if !out.is_empty() {
            out.push_str("\n\n");
        }
        out.push_str(paragraph);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_keyword_finds_its_section_of_the_language_reference() {
        let forbid = keyword_entry("forbid").unwrap_or_default();
        assert!(
            forbid.starts_with("**`forbid`: never do this**"),
            "{forbid}"
        );
        assert!(
            KEYWORDS
                .iter()
                .filter(|k| keyword_entry(k).is_none())
                .count()
                < 10
        );
    }
}
