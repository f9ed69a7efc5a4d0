//! The Xuncha browser client: a Leptos client-side-rendered app.

pub mod api;
pub mod app;
pub mod chunks;
pub mod components;
pub mod i18n;
pub mod offline;
pub mod pages;
pub mod routes;
pub mod session;
pub mod tree;

pub use app::{FieldApp, OfficeApp};

// Client tests run in headless Chromium, where the DOM and localStorage are real.
#[cfg(test)]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);
