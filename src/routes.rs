//! Every path of both apps, once. The routers match these segments and the nav and every link
//! build their `href` from the same ones, so a renamed page cannot leave a dead link behind.

use leptos_router::{ParamSegment, StaticSegment};

/// The office app lives under this segment; village phones load only the small field app at
/// `/`, office staff on desktops get the full app here.
pub const OFFICE: &str = "office";
pub const LEDGER: &str = "ledger";
pub const ROUNDS: &str = "rounds";
pub const TARGETS: &str = "targets";
pub const REMINDERS: &str = "reminders";
pub const RECTIFICATION: &str = "rectification";
pub const ORGS: &str = "orgs";
pub const TEMPLATES: &str = "templates";
pub const USERS: &str = "users";
pub const AUDIT: &str = "audit";
pub const STATISTICS: &str = "statistics";
pub const TALKS: &str = "talks";
pub const CLUES: &str = "clues";
pub const REFERRALS: &str = "referrals";
pub const PETITIONS: &str = "petitions";
pub const ACCOUNT: &str = "account";
pub const MY: &str = "my";
pub const SELF_CHECK: &str = "self-check";
pub const TASKS: &str = "tasks";
/// The one parameter routes take.
pub const ID: &str = "id";

/// A field page: `/name`.
pub fn field(name: &'static str) -> (StaticSegment<&'static str>,) {
    (StaticSegment(name),)
}

/// A field page of one thing: `/name/:id`.
pub fn field_item(name: &'static str) -> (StaticSegment<&'static str>, ParamSegment) {
    (StaticSegment(name), ParamSegment(ID))
}

/// The office home: `/office`.
pub fn office_root() -> (StaticSegment<&'static str>,) {
    (StaticSegment(OFFICE),)
}

/// An office page: `/office/name`.
pub fn office(name: &'static str) -> (StaticSegment<&'static str>, StaticSegment<&'static str>) {
    (StaticSegment(OFFICE), StaticSegment(name))
}

/// An office page of one thing: `/office/name/:id`.
pub fn office_item(
    name: &'static str,
) -> (
    StaticSegment<&'static str>,
    StaticSegment<&'static str>,
    ParamSegment,
) {
    (StaticSegment(OFFICE), StaticSegment(name), ParamSegment(ID))
}

/// Links.
pub mod href {
    use super::*;

    pub fn field(name: &str) -> String {
        format!("/{name}")
    }

    pub fn field_item(name: &str, id: &str) -> String {
        format!("/{name}/{id}")
    }

    pub fn office_root() -> String {
        format!("/{OFFICE}")
    }

    pub fn office(name: &str) -> String {
        format!("/{OFFICE}/{name}")
    }

    pub fn office_item(name: &str, id: &str) -> String {
        format!("/{OFFICE}/{name}/{id}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use leptos_router::PossibleRouteMatch;
    use wasm_bindgen_test::wasm_bindgen_test;

    /// A link matches the route made from the same name, whole, with its id as the parameter.
    #[wasm_bindgen_test]
    fn links_match_their_routes() {
        let whole = |m: Option<leptos_router::PartialPathMatch<'_>>| {
            m.is_some_and(|m| m.remaining().is_empty())
        };
        assert!(whole(office(ROUNDS).test(&href::office(ROUNDS))));
        let round = href::office_item(ROUNDS, "r-1");
        let m = office_item(ROUNDS).test(&round).unwrap();
        assert!(m.remaining().is_empty());
        assert_eq!(m.params()[0].1, "r-1");
        assert!(whole(
            field_item(TASKS).test(&href::field_item(TASKS, "t-1"))
        ));
        assert!(whole(office_root().test(&href::office_root())));
        assert!(!whole(office(ORGS).test(&href::office(ROUNDS))));
    }
}
