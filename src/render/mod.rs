//! Reports in every format the contract names.

pub mod human;
pub mod json;
