//! The language the Xuncha client and server speak: every request, response, enum and error
//! body is defined once here, together with the validation rules both sides apply.

#[macro_use]
mod words;

pub mod audit;
pub mod auth;
pub mod checklists;
pub mod clues;
pub mod coverage;
pub mod error;
pub mod evaluations;
pub mod findings;
pub mod i18n;
pub mod orgs;
pub mod petitions;
pub mod rectification;
pub mod rounds;
pub mod stationing;
pub mod statistics;
pub mod talks;
pub mod users;
pub mod validate;

pub use error::{ApiError, ErrorCode, FieldError, Problem, RowError};
pub use i18n::Lang;

/// The media type of the Word documents the server makes and the app saves.
pub const DOCX: &str = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
