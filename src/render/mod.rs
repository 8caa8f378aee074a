//! Reports in every format the contract names.

pub mod ci;
pub mod html;
pub mod human;
pub mod json;
pub mod quality;
pub mod scores;
pub mod subject;
