//! `--fix` and `--diff` for macro libraries: replacements applied to the file by span, so every
//! other byte (comments, quoting, ordering, indentation) stays as it was. The result is read back
//! and each macro compared with what the fix should give; if any differs, nothing is changed.

use crate::fix;
use crate::report::{ConversationReport, FixKind, TextSpan, Violation};

use super::{read_library, Macro, MacroFile};

/// A library file with its fixes applied.
#[derive(Debug)]
pub struct FixedFile {
    /// The new text of the file.
    pub text: String,
    /// How many replacements were made.
    pub applied: usize,
    /// Replacements that could not be made safely, with why.
    pub skipped: Vec<String>,
}

struct Edit {
    file: (usize, usize),
    written: String,
    index: usize,
    body: TextSpan,
    replacement: String,
    /// The suggestion, to tell when the same sentence would be written twice.
    suggestion: String,
    /// The edit that takes the phrase out instead: file bytes, what to write there, the same in
    /// the macro's text.
    deletion: Option<((usize, usize), String, TextSpan, String)>,
}

/// Taking a violation's phrase out (see [`fix::deletion_edit`]), as an edit of the file;
/// `None` when that would break the sentence or the bytes are not plain in the file.
fn deletion_edit(m: &Macro, v: &Violation) -> Option<((usize, usize), String, TextSpan, String)> {
    let (body, written) = fix::deletion_edit(&m.body, v.span?).ok()?;
    let range = m.file_range(body.start, body.end)?;
    let in_file = m.encoding?.encode(&written)?;
    Some((range, in_file, body, written))
}

/// Applies the replacement fixes of `reports` (one per macro, in order) to the file, or says why
/// the file cannot be fixed. `Ok(None)` when there is nothing to fix; `applied` is 0 when every
/// fix was refused (`skipped` says why).
pub fn fix_file(
    file: &MacroFile,
    reports: &[ConversationReport],
) -> Result<Option<FixedFile>, String> {
    let mut edits = Vec::new();
    let mut skipped = Vec::new();
    for (index, report) in reports.iter().enumerate() {
        let Some(m) = file.macros.get(index) else {
            continue;
        };
        for v in &report.violations {
            if !v.safe_fix {
                continue;
            }
            match file_edit(m, v) {
                Ok(Some((range, written, body, replacement))) => edits.push(Edit {
                    file: range,
                    written,
                    index,
                    body,
                    replacement,
                    suggestion: v.suggestion.as_deref().unwrap_or("").trim().to_string(),
                    deletion: deletion_edit(m, v),
                }),
                Ok(None) => {}
                Err(why) => skipped.push(format!("macro `{}`, {}: {why}", m.id, v.rule)),
            }
        }
    }
    edits.sort_by_key(|e| e.file);
    // Overlapping replacements: the first wins. A sentence the macro already says, or that an
    // earlier fix of it writes (two phrases of one idea), is not written twice: the phrase is
    // taken out instead, so a second `--fix` finds nothing left to do.
    let mut kept: Vec<Edit> = Vec::new();
    for mut e in edits {
        let repeats = file.macros[e.index].body.contains(&e.suggestion)
            || kept
                .iter()
                .any(|k| k.index == e.index && k.suggestion == e.suggestion);
        if repeats {
            let Some(deletion) = e.deletion.take() else {
                continue;
            };
            (e.file, e.written, e.body, e.replacement) = deletion;
        }
        if kept.last().is_none_or(|last| last.file.1 <= e.file.0) {
            kept.push(e);
        }
    }
    if kept.is_empty() {
        // Nothing to write, but why each suggestion was not written is still worth saying.
        return Ok((!skipped.is_empty()).then(|| FixedFile {
            text: file.text.to_string(),
            applied: 0,
            skipped,
        }));
    }
    let mut text = file.text.to_string();
    for e in kept.iter().rev() {
        text.replace_range(e.file.0..e.file.1, &e.written);
    }
    // What each macro's text must read after the fix.
    let mut expected: Vec<String> = file.macros.iter().map(|m| m.body.clone()).collect();
    for e in kept.iter().rev() {
        if let Some(body) = expected.get_mut(e.index) {
            body.replace_range(e.body.start..e.body.end, &e.replacement);
        }
    }
    let (reread, errors) = read_library(&file.path, &text, file.kind);
    let same = errors.is_empty()
        && reread.len() == expected.len()
        && reread
            .iter()
            .zip(&expected)
            .all(|(m, want)| m.body == *want);
    if !same {
        return Err(format!(
            "{}: the fixed file would not read back as intended, so it was left unchanged",
            file.path
        ));
    }
    Ok(Some(FixedFile {
        text,
        applied: kept.len(),
        skipped,
    }))
}

/// A violation's replacement as an edit of the file: the file's bytes to replace, what to write
/// there, and the same edit in the macro's text. `Ok(None)` when it has no replacement; an error
/// says why the file cannot be edited there safely.
#[allow(
    clippy::type_complexity,
    reason = "a private helper's tuple, named at its two uses"
)]
pub fn file_edit(
    m: &Macro,
    v: &Violation,
) -> Result<Option<((usize, usize), String, TextSpan, String)>, &'static str> {
    let (Some(FixKind::Replace), Some(span), Some(s)) = (v.fix, v.span, &v.suggestion) else {
        return Ok(None);
    };
    let (body, replacement) = fix::replacement_edit(&m.body, span, s)?;
    let encoding = m
        .encoding
        .ok_or("its text is not plain in the file (HTML, escapes or a folded block)")?;
    let range = m
        .file_range(body.start, body.end)
        .ok_or("the words are written with escapes in the file")?;
    let written = encoding
        .encode(&replacement)
        .ok_or("the suggestion cannot be written in this kind of value")?;
    Ok(Some((range, written, body, replacement)))
}

/// A unified diff of a file before and after, for `--diff`.
pub fn unified_diff(path: &str, before: &str, after: &str) -> String {
    similar::TextDiff::from_lines(before, after)
        .unified_diff()
        .context_radius(2)
        .header(&diff_name("a", path), &diff_name("b", path))
        .to_string()
}

/// `a/macros/x.yaml` for a relative path (as git writes it); an absolute path as it is.
fn diff_name(side: &str, path: &str) -> String {
    if path.starts_with('/') {
        path.to_string()
    } else {
        format!("{side}/{}", path.strip_prefix("./").unwrap_or(path))
    }
}
