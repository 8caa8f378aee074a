//! What a name in a policy is: a phrase set or a rule, where it is defined, and where it is used.

use crate::dsl::ast::Span;
use crate::dsl::names::set_uses;

use super::workspace::PolicyView;

/// A name the cursor is on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Name {
    /// A phrase set, at its definition or a use.
    Set(String),
    /// A rule, at its definition.
    Rule(String),
}

/// A place in one of the policy's files: the index of its source, and the span.
pub type Place = (usize, Span);

/// The phrase set or rule named at `offset` of the document.
pub fn name_at(view: &PolicyView, offset: usize) -> Option<Name> {
    let file = view.files.get(view.this)?;
    let on = |span: Span| span.start <= offset && offset <= span.end;
    if let Some(set) = file.phrase_sets.iter().find(|s| on(s.name.span)) {
        return Some(Name::Set(set.name.name.clone()));
    }
    if let Some(rule) = file.rules.iter().find(|r| on(r.id.span)) {
        return Some(Name::Rule(rule.id.name.clone()));
    }
    set_uses(file)
        .into_iter()
        .find(|ident| on(ident.span))
        .map(|ident| Name::Set(ident.name.clone()))
}

/// Where a name is defined, in any file of the policy.
pub fn definitions(view: &PolicyView, name: &Name) -> Vec<Place> {
    let mut places = Vec::new();
    for (i, file) in view.files.iter().enumerate() {
        match name {
            Name::Set(set) => places.extend(
                file.phrase_sets
                    .iter()
                    .filter(|s| &s.name.name == set)
                    .map(|s| (i, s.name.span)),
            ),
            Name::Rule(rule) => places.extend(
                file.rules
                    .iter()
                    .filter(|r| &r.id.name == rule)
                    .map(|r| (i, r.id.span)),
            ),
        }
    }
    places
}

/// Where a phrase set is used, in any file of the policy (rules are not named by other rules).
pub fn uses(view: &PolicyView, name: &Name) -> Vec<Place> {
    let Name::Set(set) = name else {
        return Vec::new();
    };
    view.files
        .iter()
        .enumerate()
        .flat_map(|(i, file)| {
            set_uses(file)
                .into_iter()
                .filter(|ident| &ident.name == set)
                .map(move |ident| (i, ident.span))
        })
        .collect()
}
