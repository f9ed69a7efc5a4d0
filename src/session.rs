//! Who is signed in, for any page to ask without reaching into the app shell.

use leptos::prelude::*;
use xuncha_api::users::Role;

use crate::api::Api;

/// The role of whoever is signed in.
pub fn use_role() -> Memo<Option<Role>> {
    let api = expect_context::<Api>();
    Memo::new(move |_| api.session.with(|s| s.as_ref().map(|s| s.user.role)))
}
