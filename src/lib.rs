//! The Xuncha browser client: a Leptos client-side-rendered app.

pub mod api;
pub mod app;
pub mod components;
pub mod i18n;
pub mod pages;
pub mod tree;

pub use app::App;
