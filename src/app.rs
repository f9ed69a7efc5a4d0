use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes, A};
use xuncha_api::auth::SessionInfo;
use xuncha_api::users::Role;

use crate::api::Api;
use crate::api::AppError;
use crate::chunks::{chunk, FieldPages};
use crate::i18n::{self, t, use_lang, LangToggle, Msg, OfficeMsg};
use crate::offline::{Keeping, Outbox};
use crate::pages::account::AccountPage;
use crate::pages::audit::AuditPage;
use crate::pages::clues::CluePage;
use crate::pages::ledger::LedgerPage;
use crate::pages::login::{LoginForm, LoginPage};
use crate::pages::my_org::MyOrgPage;
use crate::pages::petitions::PetitionPage;
use crate::pages::referrals::{ReferralPage, ReferralsPage};
use crate::pages::statistics::StatisticsPage;

use crate::pages::orgs::OrgsPage;
use crate::pages::rectification::{RectificationPage, RemindersPage};
use crate::pages::rounds::{RoundPage, RoundsPage};
use crate::pages::target::TargetPage;
use crate::pages::templates::TemplatesPage;
use crate::pages::users::UsersPage;
use crate::routes::USERS;
use crate::routes::{self, href, ACCOUNT, AUDIT, LEDGER, MY, ORGS, RECTIFICATION, REMINDERS};
use crate::routes::{
    CLUES, PETITIONS, REFERRALS, ROUNDS, SELF_CHECK, STATISTICS, TARGETS, TASKS, TEMPLATES,
};
use crate::session::use_role;

/// Shared start of both apps: language, session and the one question at start, whether the
/// session cookie is still good.
///
/// With `offline`, a phone with no network (or an expired session) keeps working as whoever
/// was signed in on it last; nothing stored on it is dropped.
fn start(offline: bool) -> (RwSignal<bool>, Memo<bool>) {
    let lang = RwSignal::new(i18n::initial_lang());
    Effect::new(move |_| i18n::remember_lang(lang.get()));
    let session = RwSignal::new(None::<SessionInfo>);
    let api = Api::new(lang, session);
    provide_context(lang);
    provide_context(api);
    let checked = RwSignal::new(false);
    leptos::task::spawn_local(async move {
        match api.me().await {
            Ok(info) => session.set(Some(info)),
            Err(AppError::Network) | Err(AppError::Api(_)) if offline => {
                session.set(Api::cached_session())
            }
            Err(_) => {}
        }
        checked.set(true);
    });
    (checked, Memo::new(move |_| session.with(Option::is_some)))
}

/// Watches the server for a newer build of this app. The page keeps running what it loaded
/// until the user reloads; drafts live in IndexedDB and survive the update.
fn watch_for_update(ready: RwSignal<bool>) {
    let current = document()
        .query_selector("link[rel=preload][as=fetch]")
        .ok()
        .flatten()
        .and_then(|l| l.get_attribute("href"));
    let Some(current) = current else { return };
    let check = wasm_bindgen::closure::Closure::<dyn Fn()>::new(move || {
        let current = current.clone();
        leptos::task::spawn_local(async move {
            // Past the service worker's cache, which would answer with the page it holds.
            let fresh = gloo_net::http::Request::get("/")
                .cache(web_sys::RequestCache::NoStore)
                .send()
                .await;
            if let Ok(page) = fresh {
                if let Ok(html) = page.text().await {
                    if page.ok() && html.contains("_bg.wasm") && !html.contains(&current) {
                        ready.set(true);
                    }
                }
            }
        });
    });
    use wasm_bindgen::JsCast;
    let _ = window().set_interval_with_callback_and_timeout_and_arguments_0(
        check.as_ref().unchecked_ref(),
        5 * 60_000,
    );
    // And whenever the liaison comes back to the tab.
    let _ = document()
        .add_event_listener_with_callback("visibilitychange", check.as_ref().unchecked_ref());
    check.forget();
}

/// The entry page's own loading line goes once the app runs.
pub fn remove_boot_screen() {
    if let Some(boot) = document().get_element_by_id("boot") {
        boot.remove();
    }
}

/// Whether this page can have a service worker: not over plain http on an intranet name (not
/// a secure context, `navigator.serviceWorker` is missing), nor in some in-app browsers.
fn service_workers() -> bool {
    web_sys::window().is_some_and(|w| {
        w.is_secure_context()
            && js_sys::Reflect::get(&w.navigator(), &"serviceWorker".into())
                .is_ok_and(|sw| !sw.is_undefined() && !sw.is_null())
    })
}

/// A full page load: the other app is another bundle.
fn go(path: &str) {
    let _ = window().location().assign(path);
}

fn loading() -> AnyView {
    view! { <p class="boot" role="status">{t(Msg::Loading)}</p> }.into_any()
}

/// The field app: sign-in for everyone, then the liaison's own pages. Kept small for cheap
/// phones on weak networks; anyone else moves on to the office app.
#[component]
pub fn FieldApp(pages: FieldPages) -> impl IntoView {
    provide_context(pages);
    let (checked, signed_in) = start(true);
    let api = expect_context::<Api>();
    // The outbox's code comes with the first signed-in screen, not with the sign-in page.
    let outbox = RwSignal::new(None::<Outbox>);
    let outbox_missing = RwSignal::new(false);
    let owner = Owner::current().expect("the app has an owner");
    let start_outbox = Callback::new(move |()| {
        outbox_missing.set(false);
        let owner = owner.clone();
        leptos::task::spawn_local((pages.landing)());
        leptos::task::spawn_local(async move {
            match (pages.outbox)().await {
                // Under the app's owner: the outbox outlives the pages that use it.
                Ok(start) => outbox.set(Some(owner.with(|| start(api)))),
                Err(_) => outbox_missing.set(true),
            }
        });
    });
    // After one visit the app opens with no network, where the browser allows it.
    let no_offline_shell = !service_workers();
    if let (false, Some(w)) = (no_offline_shell, web_sys::window()) {
        let _ = w.navigator().service_worker().register("/sw.js");
    }
    let update_ready = RwSignal::new(false);
    watch_for_update(update_ready);
    let role = use_role();
    let office_user = move || role.get().is_some_and(|r| r != Role::Unit);
    // Once a liaison is signed in: the outbox and the landing page at once, then the pages
    // not yet opened in the background (and into the service worker's cache), so they open in
    // the field without a signal too.
    let started = StoredValue::new(false);
    Effect::new(move |_| {
        if role.get() == Some(Role::Unit) && !started.get_value() {
            started.set_value(true);
            start_outbox.run(());
            set_timeout(
                move || leptos::task::spawn_local((pages.warm)()),
                std::time::Duration::from_secs(2),
            );
        }
    });
    Effect::new(move |_| {
        if office_user() && !api.auth_lost.get() {
            go(&href::office_root());
        }
    });
    view! {
        {no_offline_shell.then(|| view! { <p class="banner" role="status">{t(Msg::NoOfflineShell)}</p> })}
        // Reloading a page-only store would lose what it holds: the offer waits until sent.
        <Show when=move || update_ready.get() && !outbox.get().is_some_and(|o| o.page_only() && o.pending.get() > 0)>
            <p class="banner" role="status">
                {t(Msg::NewVersion)}
                <button type="button" on:click=move |_| { let _ = window().location().reload(); }>{t(Msg::Reload)}</button>
            </p>
        </Show>
        <Router>
            {move || {
                if !checked.get() {
                    loading()
                } else if !signed_in.get() || (office_user() && api.auth_lost.get()) {
                    view! { <LoginPage/> }.into_any()
                } else if office_user() {
                    loading()
                } else if outbox_missing.get() {
                    view! {
                        <section class="page">
                            <p class="form-error" role="alert">{t(Msg::PageNotLoaded)}</p>
                            <button type="button" class="primary" on:click=move |_| start_outbox.run(())>{t(Msg::Retry)}</button>
                        </section>
                    }
                    .into_any()
                } else if let Some(outbox) = outbox.get() {
                    provide_context(outbox);
                    view! {
                        <Shell>
                            <Routes fallback=|| view! { <NotFound/> }>
                                <Route path=() view=|| chunk(|p| p.my_org)/>
                                <Route path=routes::field(MY) view=|| chunk(|p| p.my_org)/>
                                <Route path=routes::field(SELF_CHECK) view=|| chunk(|p| p.self_check)/>
                                <Route path=routes::field(TASKS) view=|| chunk(|p| p.tasks)/>
                                <Route path=routes::field_item(TASKS) view=|| chunk(|p| p.task)/>
                                <Route path=routes::field(ACCOUNT) view=|| chunk(|p| p.account)/>
                            </Routes>
                        </Shell>
                    }
                    .into_any()
                } else {
                    loading()
                }
            }}
        </Router>
    }
}

/// The office app: the organisation tree, rounds, the ledger, users and the audit log.
#[component]
pub fn OfficeApp() -> impl IntoView {
    // Inspectors work on site too: offline, the office app runs as whoever was signed in.
    let (checked, signed_in) = start(true);
    let api = expect_context::<Api>();
    // Teams fill checklists here too; their answers are kept on the device the same way.
    provide_context(Outbox::start(api));
    let role = use_role();
    // Signing in (and out) happens in the field app; liaisons belong there too.
    Effect::new(move |_| {
        if checked.get()
            && (!signed_in.get() || api.auth_lost.get() || role.get() == Some(Role::Unit))
        {
            go("/");
        }
    });
    view! {
        <Router>
            {move || {
                if !checked.get() || !signed_in.get() || role.get() == Some(Role::Unit) {
                    loading()
                } else {
                    view! {
                        <Shell>
                            <Routes fallback=|| view! { <NotFound/> }>
                                <Route path=routes::office_root() view=Home/>
                                <Route path=routes::office(LEDGER) view=|| only(LEDGER, || view! { <LedgerPage/> })/>
                                <Route path=routes::office(ROUNDS) view=|| only(ROUNDS, || view! { <RoundsPage/> })/>
                                <Route path=routes::office_item(ROUNDS) view=RoundPage/>
                                <Route path=routes::office_item(TARGETS) view=TargetPage/>
                                <Route path=routes::office(REMINDERS) view=|| only(REMINDERS, || view! { <RemindersPage/> })/>
                                <Route path=routes::office(RECTIFICATION) view=|| only(RECTIFICATION, || view! { <RectificationPage/> })/>
                                <Route path=routes::office(ORGS) view=|| only(ORGS, || view! { <OrgsPage/> })/>
                                <Route path=routes::office_item(ORGS) view=OrgsPage/>
                                <Route path=routes::office(TEMPLATES) view=|| only(TEMPLATES, || view! { <TemplatesPage/> })/>
                                <Route path=routes::office(USERS) view=|| only(USERS, || view! { <UsersPage/> })/>
                                <Route path=routes::office(AUDIT) view=|| only(AUDIT, || view! { <AuditPage/> })/>
                                <Route path=routes::office(STATISTICS) view=|| only(STATISTICS, || view! { <StatisticsPage/> })/>
                                <Route path=routes::office(REFERRALS) view=|| only(REFERRALS, || view! { <ReferralsPage/> })/>
                                <Route path=routes::office_item(REFERRALS) view=ReferralPage/>
                                <Route path=routes::office_item(CLUES) view=CluePage/>
                                <Route path=routes::office_item(PETITIONS) view=PetitionPage/>
                                <Route path=routes::office(ACCOUNT) view=|| only(ACCOUNT, || view! { <AccountPage/> })/>
                            </Routes>
                        </Shell>
                    }
                    .into_any()
                }
            }}
        </Router>
    }
}

/// Navigation for each role: the office app's pages, or the field app's for a liaison.
fn nav_links(role: Option<Role>) -> Vec<(String, Msg)> {
    let office: &[(&str, Msg)] = match role {
        Some(Role::Admin) => &[
            (LEDGER, Msg::NavLedger),
            (ROUNDS, Msg::NavRounds),
            (RECTIFICATION, Msg::NavRectification),
            (STATISTICS, Msg::NavStatistics),
            (REMINDERS, Msg::NavReminders),
            (ORGS, Msg::NavOrgs),
            (TEMPLATES, Msg::NavTemplates),
            (USERS, Msg::NavUsers),
            (REFERRALS, Msg::NavReferrals),
            (AUDIT, Msg::NavAudit),
            (ACCOUNT, Msg::NavAccount),
        ],
        Some(Role::Discipline) => &[
            (REFERRALS, Msg::NavReferrals),
            (LEDGER, Msg::NavLedger),
            (ROUNDS, Msg::NavRounds),
            (RECTIFICATION, Msg::NavRectification),
            (STATISTICS, Msg::NavStatistics),
            (REMINDERS, Msg::NavReminders),
            (ORGS, Msg::NavOrgs),
            (ACCOUNT, Msg::NavAccount),
        ],
        Some(Role::Inspector) => &[
            (ROUNDS, Msg::NavRounds),
            (RECTIFICATION, Msg::NavRectification),
            (STATISTICS, Msg::NavStatistics),
            (REMINDERS, Msg::NavReminders),
            (ORGS, Msg::NavOrgs),
            (ACCOUNT, Msg::NavAccount),
        ],
        Some(Role::Unit) => {
            return [
                (MY, Msg::NavMyOrg),
                (TASKS, Msg::NavTasks),
                (ACCOUNT, Msg::NavAccount),
            ]
            .into_iter()
            .map(|(name, msg)| (href::field(name), msg))
            .collect()
        }
        None => &[],
    };
    office
        .iter()
        .map(|(name, msg)| (href::office(name), *msg))
        .collect()
}

#[component]
fn Shell(children: Children) -> impl IntoView {
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
    let outbox = use_context::<Outbox>();
    let blocked = RwSignal::new(false);
    let sign_out = Action::new_local(move |_: &()| async move {
        // Signing out must not strand answers that only this phone holds.
        if outbox.is_some_and(|o| o.pending.get_untracked() > 0) {
            blocked.set(true);
            return;
        }
        let _ = api.logout().await;
    });
    let outbox_state = move || {
        outbox.map(|o| {
            let pending = o.pending.get();
            let offline = !o.online.get();
            view! {
                <span class="outbox" role="status">
                    {offline.then(|| view! { <span class="badge">{t(Msg::OfflineBadge)}</span> })}
                    {(pending > 0).then(|| format!(" {pending} {}", Msg::PendingChanges.text(lang.get())))}
                </span>
            }
        })
    };
    let home = move || {
        if role.get() == Some(Role::Unit) {
            "/".to_string()
        } else {
            href::office_root()
        }
    };
    // At phone width the office's many pages fold into a menu; the field app's few stay.
    let menu_open = RwSignal::new(false);
    let collapsible = move || nav_links(role.get()).len() > 4;
    let links = move || {
        nav_links(role.get())
            .into_iter()
            .map(|(href, msg)| {
                view! { <li><A href=href on:click=move |_| menu_open.set(false)>{move || msg.text(lang.get())}</A></li> }
            })
            .collect_view()
    };
    view! {
        <a class="skip" href="#main">{t(Msg::Skip)}</a>
        <header class="topbar">
            <A href=home attr:class="brand">{t(Msg::AppName)}</A>
            <Show when=collapsible>
                <button type="button" class="menu-toggle" aria-controls="main-nav"
                    aria-expanded=move || menu_open.get().to_string()
                    on:click=move |_| menu_open.update(|o| *o = !*o)>{t(Msg::Menu)}</button>
            </Show>
            <nav id="main-nav" aria-label=move || Msg::MainNav.text(lang.get()) class:collapsible=collapsible class:open=move || menu_open.get()>
                <ul>{links}</ul>
            </nav>
            <div class="who">
                {outbox_state}
                <span class="user" title=move || Msg::SignedInAs.text(lang.get())>{user_name}</span>
                <LangToggle/>
                <button type="button" on:click=move |_| { sign_out.dispatch(()); }>{t(Msg::SignOut)}</button>
            </div>
        </header>
        <Show when=move || blocked.get() && outbox.is_some_and(|o| o.pending.get() > 0)>
            <p class="banner" role="alert">{t(Msg::SignOutBlocked)}</p>
        </Show>
        {move || outbox.map(|o| view! { <StorageNotices outbox=o/> })}
        <Show when=move || api.auth_lost.get()>
            <div class="banner" role="alert">
                <p>{t(Msg::SessionExpired)}</p>
                <LoginForm/>
            </div>
        </Show>
        <main id="main" tabindex="-1">{children()}</main>
    }
}

/// Where this browser keeps the work, when that is less than a database; and work the
/// phone held unsent last time and no longer has.
#[component]
fn StorageNotices(outbox: Outbox) -> impl IntoView {
    let lang = use_lang();
    let keeping = move || match outbox.keeping.get() {
        Some(Keeping::SmallStore) => Some(Msg::StoreSmall),
        Some(Keeping::PageOnly) => Some(Msg::StorePageOnly),
        _ => None,
    };
    let gone = move || {
        let u = outbox.gone.get()?;
        let l = lang.get();
        let parts: Vec<String> = [
            (u.answers, Msg::GoneAnswers),
            (u.files, Msg::GoneFiles),
            (u.steps, Msg::GoneSteps),
            (u.talks, Msg::GoneTalks),
            (u.stationing, Msg::GoneStationing),
            (u.findings, Msg::GoneFindings),
            (u.petitions, Msg::GonePetitions),
            (u.new_tasks, Msg::GoneNewTasks),
        ]
        .into_iter()
        .filter(|(n, _)| *n > 0)
        .map(|(n, m)| format!("{n} {}", m.text(l)))
        .collect();
        let (sep, end) = (l.pick("、", ", "), l.pick("。", ". "));
        Some(view! {
            <div class="banner" role="alert">
                <p>{format!("{}{}{end}{}", Msg::WorkGone.text(l), parts.join(sep), Msg::WorkGoneAgain.text(l))}</p>
                <button type="button" on:click=move |_| outbox.gone.set(None)>{t(Msg::GotIt)}</button>
            </div>
        })
    };
    view! {
        {move || keeping().map(|m| view! { <p class="banner" role="status">{t(m)}</p> })}
        {gone}
    }
}

/// Each role starts where its work is.
#[component]
fn Home() -> impl IntoView {
    let role = use_role();
    move || match role.get() {
        Some(Role::Unit) => view! { <MyOrgPage/> }.into_any(),
        Some(Role::Admin) => view! { <LedgerPage/> }.into_any(),
        // Discipline's desk: the referrals received and the clues to handle.
        Some(Role::Discipline) => view! { <ReferralsPage/> }.into_any(),
        Some(Role::Inspector) => view! { <RoundsPage/> }.into_any(),
        None => view! { <OrgsPage/> }.into_any(),
    }
}

/// A page of the office app the signed-in role does not use (its nav does not list it) says
/// so, instead of showing a form the server would refuse. The server still decides every
/// request; this only spares a page of errors.
fn only<V: IntoView + 'static>(page: &'static str, show: impl FnOnce() -> V) -> AnyView {
    let role = use_role().get_untracked();
    let target = href::office(page);
    if nav_links(role).iter().any(|(h, _)| *h == target) {
        show().into_any()
    } else {
        view! { <Forbidden role=role/> }.into_any()
    }
}

#[component]
fn Forbidden(role: Option<Role>) -> impl IntoView {
    let lang = use_lang();
    let why = move || {
        let l = lang.get();
        let who = role.map(|r| r.label(l)).unwrap_or_default();
        format!(
            "{}{who}{}",
            OfficeMsg::ForbiddenFor.text(l),
            OfficeMsg::ForbiddenAsk.text(l)
        )
    };
    view! {
        <section class="page">
            <h1>{t(OfficeMsg::Forbidden)}</h1>
            <p>{why}</p>
            <p><A href=href::office_root()>{t(OfficeMsg::BackHome)}</A></p>
        </section>
    }
}

#[component]
fn NotFound() -> impl IntoView {
    view! { <h1>{t(Msg::NotFound)}</h1> }
}
