//! Reports in every format the contract names. Renderers read the finding model
//! ([`crate::report`]) and conversations only: where a violation is and what its fix writes were
//! placed before ([`crate::place`]).

pub mod calibration;
pub mod ci;
pub mod explain;
pub mod html;
pub mod human;
pub mod json;
pub mod policy_errors;
pub mod quality;
pub mod scores;
pub mod source_root;
pub mod statistics;
