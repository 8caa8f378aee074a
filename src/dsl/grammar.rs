//! The pest parser generated from `grammar/policy.pest`.

#![allow(missing_docs)]

use pest_derive::Parser;

/// The policy language parser.
#[derive(Parser)]
#[grammar = "../grammar/policy.pest"]
pub struct PolicyParser;
