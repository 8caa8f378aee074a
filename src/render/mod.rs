//! Reports in every format the contract names.

pub mod html;
pub mod human;
pub mod json;
pub mod scores;
