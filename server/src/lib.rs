//! The Xuncha backend: a REST API under `/api` and the built client under `/`.

pub mod access;
pub mod audit;
pub mod auth;
pub mod checklists;
pub mod clues;
pub mod config;
pub mod db;
pub mod demo;
pub mod documents;
pub mod error;
pub mod evaluations;
pub mod extract;
pub mod files;
pub mod findings;
pub mod openapi;
pub mod operations;
pub mod orgs;
pub mod passwords;
pub mod petitions;
pub mod public;
pub mod rectification;
pub mod reports;
pub mod restricted;
pub mod rounds;
pub mod startup;
pub mod stationing;
pub mod statistics;
pub mod talks;
pub mod telemetry;
#[cfg(feature = "testkit")]
pub mod testkit;
pub mod tools;
pub mod users;
pub mod web;

pub use error::{Error, Result};
pub use startup::{AppState, Application};
