//! Diagnostics for a policy document: its syntax and semantic errors and warnings (the text
//! `tact policy check` prints), and its rules' failing examples as warnings on their lines.

use lsp_types::{Diagnostic, DiagnosticSeverity, NumberOrString};

use super::positions::LineIndex;
use super::workspace::PolicyView;
use crate::dsl::ast::Span;
use crate::dsl::PolicyError;

/// Every diagnostic of the document `view` is about.
pub fn diagnostics(view: &PolicyView) -> Vec<Diagnostic> {
    let source = view.source();
    let index = LineIndex::new(&source.text);
    let mine = |e: &&PolicyError| e.path == source.path;
    match view.policy.as_ref() {
        Err(errors) => errors
            .iter()
            .filter(mine)
            .map(|e| policy_error(&index, e))
            .collect(),
        Ok(policy) => {
            let mut found: Vec<Diagnostic> = policy
                .warnings
                .iter()
                .filter(mine)
                .map(|e| policy_error(&index, e))
                .collect();
            found.extend(failing_examples(view, &index));
            found
        }
    }
}

/// A policy error as the protocol's diagnostic: its message and help, as `tact policy check`
/// writes them.
fn policy_error(index: &LineIndex<'_>, e: &PolicyError) -> Diagnostic {
    let message = match &e.help {
        Some(help) => format!("{}\nhelp: {help}", e.message),
        None => e.message.clone(),
    };
    Diagnostic {
        range: index.range(e.span),
        severity: Some(if e.is_warning() {
            DiagnosticSeverity::WARNING
        } else {
            DiagnosticSeverity::ERROR
        }),
        code: Some(NumberOrString::String(e.code.to_string())),
        source: Some("tact".to_string()),
        message,
        ..Diagnostic::default()
    }
}

/// The document's examples that do not do what they say (`tact policy test`), as warnings.
fn failing_examples(view: &PolicyView, index: &LineIndex<'_>) -> Vec<Diagnostic> {
    let Some(engine) = &view.engine else {
        return Vec::new();
    };
    let prefix = format!("{}:", view.source().path);
    crate::examples::run_examples(engine)
        .iter()
        .filter(|r| r.location.starts_with(&prefix))
        .filter_map(|r| {
            // The example's words, not the line break after them.
            let text = &view.source().text;
            let written = text.get(r.span.start..r.span.end)?.trim_end();
            let span = Span {
                start: r.span.start,
                end: r.span.start + written.len(),
            };
            Some(Diagnostic {
                range: index.range(span),
                severity: Some(DiagnosticSeverity::WARNING),
                code: Some(NumberOrString::String("example".to_string())),
                source: Some("tact".to_string()),
                message: r.failure()?,
                ..Diagnostic::default()
            })
        })
        .collect()
}
