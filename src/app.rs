use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes, A};
use leptos_router::path;
use xuncha_api::auth::SessionInfo;
use xuncha_api::users::Role;

use crate::api::Api;
use crate::i18n::{self, t, use_lang, Lang, Msg};
use crate::pages::{
    account::AccountPage, audit::AuditPage, login::LoginPage, my_org::MyOrgPage, orgs::OrgsPage,
    users::UsersPage,
};

#[component]
pub fn App() -> impl IntoView {
    let lang = RwSignal::new(i18n::initial_lang());
    Effect::new(move |_| i18n::remember_lang(lang.get()));
    let session = RwSignal::new(None::<SessionInfo>);
    let api = Api::new(lang, session);
    provide_context(lang);
    provide_context(api);

    // One question at start: is the session cookie still good?
    let checked = RwSignal::new(false);
    leptos::task::spawn_local(async move {
        if let Ok(info) = api.me().await {
            session.set(Some(info));
        }
        checked.set(true);
    });
    let signed_in = Memo::new(move |_| session.with(Option::is_some));

    view! {
        <Router>
            {move || {
                if !checked.get() {
                    view! { <p class="boot" role="status">{t(Msg::Loading)}</p> }.into_any()
                } else if signed_in.get() {
                    view! { <Shell/> }.into_any()
                } else {
                    view! { <LoginPage/> }.into_any()
                }
            }}
        </Router>
    }
}

/// The role of whoever is signed in.
pub fn use_role() -> Memo<Option<Role>> {
    let api = expect_context::<Api>();
    Memo::new(move |_| api.session.with(|s| s.as_ref().map(|s| s.user.role)))
}

#[component]
pub fn LangToggle() -> impl IntoView {
    let lang = use_lang();
    view! {
        <button
            type="button"
            class="lang"
            aria-label=move || Msg::SwitchLanguage.text(lang.get())
            on:click=move |_| lang.update(|l| *l = if *l == Lang::Zh { Lang::En } else { Lang::Zh })
        >
            {t(Msg::Language)}
        </button>
    }
}

#[component]
fn Shell() -> impl IntoView {
    let api = expect_context::<Api>();
    let lang = use_lang();
    let role = use_role();
    let user_name = move || {
        api.session.with(|s| {
            s.as_ref()
                .map(|s| s.user.display_name.clone())
                .unwrap_or_default()
        })
    };
    let sign_out = Action::new_local(move |_: &()| async move {
        let _ = api.logout().await;
    });
    let links = move || {
        let items: &[(&str, Msg)] = match role.get() {
            Some(Role::Admin) => &[
                ("/orgs", Msg::NavOrgs),
                ("/users", Msg::NavUsers),
                ("/audit", Msg::NavAudit),
                ("/account", Msg::NavAccount),
            ],
            Some(Role::Unit) => &[("/my", Msg::NavMyOrg), ("/account", Msg::NavAccount)],
            Some(_) => &[("/orgs", Msg::NavOrgs), ("/account", Msg::NavAccount)],
            None => &[],
        };
        items
            .iter()
            .map(|(href, msg)| {
                let msg = *msg;
                view! { <li><A href=*href>{move || msg.text(lang.get())}</A></li> }
            })
            .collect_view()
    };
    view! {
        <a class="skip" href="#main">{t(Msg::Skip)}</a>
        <header class="topbar">
            <A href="/" attr:class="brand">{t(Msg::AppName)}</A>
            <nav aria-label=move || Msg::MainNav.text(lang.get())>
                <ul>{links}</ul>
            </nav>
            <div class="who">
                <span class="user" title=move || Msg::SignedInAs.text(lang.get())>{user_name}</span>
                <LangToggle/>
                <button type="button" on:click=move |_| { sign_out.dispatch(()); }>{t(Msg::SignOut)}</button>
            </div>
        </header>
        <main id="main" tabindex="-1">
            <Routes fallback=|| view! { <NotFound/> }>
                <Route path=path!("/") view=Home/>
                <Route path=path!("/orgs") view=OrgsPage/>
                <Route path=path!("/orgs/:id") view=OrgsPage/>
                <Route path=path!("/users") view=UsersPage/>
                <Route path=path!("/audit") view=AuditPage/>
                <Route path=path!("/account") view=AccountPage/>
                <Route path=path!("/my") view=MyOrgPage/>
            </Routes>
        </main>
    }
}

/// Each role starts where its work is.
#[component]
fn Home() -> impl IntoView {
    let role = use_role();
    move || match role.get() {
        Some(Role::Unit) => view! { <MyOrgPage/> }.into_any(),
        _ => view! { <OrgsPage/> }.into_any(),
    }
}

#[component]
fn NotFound() -> impl IntoView {
    view! { <h1>{t(Msg::NotFound)}</h1> }
}
