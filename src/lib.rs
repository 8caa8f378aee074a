//! tact: a policy-rules engine and coaching linter for customer-support conversations.
//!
//! Policies are written in a small language ([`dsl`]), compiled once into an [`engine::Engine`],
//! and applied to conversations read by [`input`]; [`render`] turns the findings into reports.
//! The library never prints; the `tact` binary is a thin shell over it.

#![warn(missing_docs)]

pub mod analysis;
pub mod atomic;
pub(crate) mod automata;
pub mod baseline;
pub mod cache;
pub mod calendar;
pub mod cli;
pub mod config;
pub mod conversation;
pub mod dsl;
pub mod engine;
pub mod examples;
pub mod excerpt;
pub mod fix;
pub mod html;
pub mod input;
pub mod json_string;
pub mod lsp;
pub mod macros;
pub mod place;
pub(crate) mod prefilter;
pub mod render;
pub mod report;
pub mod score;
pub mod text;
pub mod yaml;

/// Compiles the built-in policy (the `rules/` folder, compiled into the binary).
pub fn builtin_engine() -> Result<engine::Engine, String> {
    let policy = dsl::builtin_policy().map_err(|errors| {
        errors
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("\n")
    })?;
    engine::Engine::new(&policy)
}
