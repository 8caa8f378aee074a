//! Reading a macro library is linear in its size: 20,000 macros in one file. Locating each
//! macro by rescanning the file (as it once did) makes this take minutes; linear, it takes well
//! under a second. Each shape includes macros that cannot be traced byte by byte, whose failed
//! search must not run to the end of the file either.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test fails loudly on what it did not expect"
)]

use std::fmt::Write as _;

use tact::macros::{LibraryKind, MacroFile};

const MACROS: usize = 20_000;

/// The 1-based line of the first occurrence of `needle` in `text`.
fn line_of(text: &str, needle: &str) -> usize {
    let at = text.find(needle).unwrap();
    text[..at].matches('\n').count() + 1
}

/// All macros read, and the last one placed on the line where its text starts.
fn assert_read_in_full(file: &MacroFile, last_line: usize) {
    assert_eq!(file.macros.len(), MACROS);
    assert_eq!(file.line_of(MACROS - 1), last_line);
}

#[test]
fn a_yaml_library_of_20000_macros_is_read_in_one_pass() {
    let mut text = String::from("# generated\n");
    for i in 0..MACROS {
        if i % 3 == 0 {
            // `''` cannot be traced byte by byte: the search for it fails.
            writeln!(text, "- id: m{i}\n  body: 'It''s order {i}, we''re on it.'").unwrap();
        } else {
            writeln!(
                text,
                "- id: m{i}\n  title: Macro {i}\n  body: |\n    Hi there,\n\n    Thanks for writing in about order {i}. We will look into it.\n"
            )
            .unwrap();
        }
    }
    let (file, errors) = MacroFile::read("big.yaml", text.clone(), LibraryKind::Yaml);
    assert!(errors.is_empty(), "{errors:?}");
    // Its block starts three lines below its `- id:`.
    assert_read_in_full(&file, line_of(&text, "- id: m19999\n") + 3);
    let traced = file.macros.iter().filter(|m| m.map.is_some()).count();
    assert_eq!(traced, MACROS - MACROS.div_ceil(3));
    // The untraceable ones are still placed on their own line.
    assert_eq!(file.line_of(19_998), line_of(&text, "order 19998,"));
}

#[test]
fn a_json_library_of_20000_macros_is_read_in_one_pass() {
    let mut text = String::from("[\n");
    for i in 0..MACROS {
        let sep = if i + 1 == MACROS { "" } else { "," };
        writeln!(
            text,
            "  {{\"id\": \"m{i}\", \"body\": \"Thanks for order {i}.\\nWe will look \\u0069nto it.\"}}{sep}"
        )
        .unwrap();
    }
    text.push_str("]\n");
    let (file, errors) = MacroFile::read("big.json", text.clone(), LibraryKind::Json);
    assert!(errors.is_empty(), "{errors:?}");
    assert_read_in_full(&file, line_of(&text, "order 19999."));
    assert!(file.macros.iter().all(|m| m.map.is_some()));
}

#[test]
fn a_zendesk_export_of_20000_macros_is_read_in_one_pass() {
    let mut text = String::from("{\"macros\": [\n");
    for i in 0..MACROS {
        let sep = if i + 1 == MACROS { "" } else { "," };
        // Every other comment is a list (`[channel, text]`), which is not traced in the file.
        let comment = if i % 2 == 0 {
            format!("\"Thanks for order {i}.\"")
        } else {
            format!("[\"all\", \"Thanks for order {i}.\"]")
        };
        writeln!(
            text,
            "  {{\"id\": {i}, \"title\": \"M{i}\", \"actions\": [{{\"field\": \"status\", \"value\": \"open\"}}, {{\"field\": \"priority\", \"value\": \"high\"}}, {{\"field\": \"comment_value\", \"value\": {comment}}}]}}{sep}"
        )
        .unwrap();
    }
    text.push_str("]}\n");
    let (file, errors) = MacroFile::read("z.json", text.clone(), LibraryKind::Zendesk);
    assert!(errors.is_empty(), "{errors:?}");
    assert_read_in_full(&file, line_of(&text, "order 19999."));
    let traced = file.macros.iter().filter(|m| m.map.is_some()).count();
    assert_eq!(traced, MACROS / 2);
}

#[test]
fn many_macros_without_a_body_are_each_named_by_line() {
    let mut text = String::new();
    for i in 0..MACROS {
        writeln!(text, "- id: m{i}\n  body: [not, text]").unwrap();
    }
    let (file, errors) = MacroFile::read("nobody.yaml", text.clone(), LibraryKind::Yaml);
    assert!(file.macros.is_empty());
    assert_eq!(errors.len(), MACROS);
    assert_eq!(errors[MACROS - 1].line, Some(2 * MACROS));
}

/// Reports ask for the line and column of every violation (`macros::line_col(&file.text, at)`):
/// answered from the file's line index, not by counting from the start of the file each time.
#[test]
fn line_and_column_of_20000_places_are_looked_up_not_counted() {
    // 500-byte macros: 10 MB, so that counting from the start for each would scan 100 GB.
    let padding = " We will look into it today.".repeat(17);
    let mut text = String::new();
    for i in 0..MACROS {
        writeln!(
            text,
            "- id: m{i}\n  body: \"Café order {i}: you're wrong.{padding}\""
        )
        .unwrap();
    }
    let (file, errors) = MacroFile::read("big.yaml", text, LibraryKind::Yaml);
    assert!(errors.is_empty(), "{errors:?}");
    for (i, m) in file.macros.iter().enumerate() {
        let wrong = m.body.find("you're").unwrap();
        let at = m.file_offset(wrong);
        // `  body: "` is 9 characters, `Café order {i}: ` 13 more plus the digits of i.
        let col = 9 + 13 + i.to_string().len() + 1;
        assert_eq!(tact::macros::line_col(&file.text, at), (2 * i + 2, col));
    }
}
