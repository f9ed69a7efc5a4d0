//! The organisation tree with search, a detail panel, and the office's editing tools.

use std::collections::HashSet;

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_params_map};
use xuncha_api::orgs::{
    CreateOrg, ImportReport, OrgDetail, OrgHit, OrgLevel, OrgNode, OrgPatch, OrgSearchPage,
    OrgSummary,
};
use xuncha_api::users::Role;

use crate::api::{Api, AppError};
use crate::components::{loaded, unique_id, FormError, StatusLine, Submission, TextField};
use crate::i18n::{t, use_lang, Msg, OfficeMsg};
use crate::pages::org_form::{BasicDataForm, OrgFacts};
use crate::routes::{href, ORGS};
use crate::session::use_role;
use crate::tree::OrgIndex;

/// Bumped after every write so the tree and the panel read again.
#[derive(Clone, Copy)]
struct Version(RwSignal<u32>);

/// Which nodes are open.
#[derive(Clone, Copy)]
struct Expanded(RwSignal<HashSet<String>>);

/// A level that failed to load: why, shown above the tree until the next one loads.
#[derive(Clone, Copy)]
struct TreeError(RwSignal<Option<AppError>>);

/// What one load under a node brought: a county's whole tree, or one level.
enum Under {
    Tree(Vec<OrgNode>),
    Level(Vec<OrgNode>),
}

/// The children of `id`: a county comes whole in one request (its villages are what the
/// office opens next), anything above it a level at a time.
async fn fetch_under(api: Api, id: &str, county: bool) -> Result<Under, AppError> {
    Ok(if county {
        Under::Tree(api.org_subtree(id).await?)
    } else {
        Under::Level(api.org_children(Some(id)).await?)
    })
}

impl Under {
    fn apply(self, index: &mut OrgIndex, id: &str) {
        match self {
            Under::Tree(nodes) => index.add_subtree(nodes),
            Under::Level(nodes) => index.add(nodes, Some(id)),
        }
    }
}

fn is_county(index: &OrgIndex, id: &str) -> bool {
    index.get(id).is_some_and(|o| o.level == OrgLevel::County)
}

/// The top level with every county at the top whole; then what was open before (a write
/// reloads the tree), parents before children.
async fn first_load(api: Api, open: Vec<String>) -> Result<OrgIndex, AppError> {
    let mut index = OrgIndex::default();
    index.add(api.org_children(None).await?, None);
    let mut wanted: Vec<String> = index
        .roots()
        .iter()
        .filter(|o| o.level == OrgLevel::County)
        .map(|o| o.id.clone())
        .chain(open)
        .collect();
    loop {
        let ready: Vec<String> = wanted
            .iter()
            .filter(|id| index.get(id).is_some() && !index.is_loaded(id))
            .cloned()
            .collect();
        if ready.is_empty() {
            return Ok(index);
        }
        for id in ready {
            let county = is_county(&index, &id);
            fetch_under(api, &id, county).await?.apply(&mut index, &id);
        }
        wanted.retain(|id| index.get(id).is_none() || !index.is_loaded(id));
    }
}

/// Loads the children of `id` into the tree unless they are there.
fn load_under(api: Api, index: RwSignal<OrgIndex>, error: RwSignal<Option<AppError>>, id: String) {
    if index.with_untracked(|i| i.is_loaded(&id)) {
        return;
    }
    let county = index.with_untracked(|i| is_county(i, &id));
    leptos::task::spawn_local(async move {
        match fetch_under(api, &id, county).await {
            Ok(under) => {
                index.update(|i| under.apply(i, &id));
                error.set(None);
            }
            Err(e) => error.set(Some(e)),
        }
    });
}

#[component]
pub fn OrgsPage() -> impl IntoView {
    let api = expect_context::<Api>();
    let lang = use_lang();
    let role = use_role();
    let params = use_params_map();
    let selected = Memo::new(move |_| params.read().get("id"));
    let version = Version(RwSignal::new(0));
    let expanded = Expanded(RwSignal::new(HashSet::new()));
    let error = TreeError(RwSignal::new(None));
    provide_context(version);
    provide_context(expanded);
    provide_context(error);

    // A province's tree is never sent whole: the top level first, a county in one request,
    // the rest as it is opened.
    let index = RwSignal::new(OrgIndex::default());
    let list = LocalResource::new(move || {
        version.0.get();
        let open: Vec<String> = expanded.0.get_untracked().into_iter().collect();
        async move { first_load(api, open).await }
    });
    Effect::new(move |_| {
        if let Some(Ok(loaded)) = list.get() {
            index.set(loaded);
        }
    });
    // Open the roots that are there whole, and the way down to whatever is selected.
    Effect::new(move |_| {
        let open: Vec<String> = index.with(|idx| {
            let mut ids: Vec<String> = idx
                .roots()
                .iter()
                .filter(|o| idx.is_loaded(&o.id))
                .map(|o| o.id.clone())
                .collect();
            if let Some(sel) = selected.get() {
                ids.extend(idx.ancestors(&sel).iter().map(|o| o.id.clone()));
            }
            ids
        });
        expanded.0.update(|set| set.extend(open));
    });
    // An organisation opened from a link or a search that the tree has not loaded: load the
    // levels above it, top down.
    Effect::new(move |_| {
        let Some(sel) = selected.get() else {
            return;
        };
        if list.with(|l| !matches!(l, Some(Ok(_))))
            || index.with_untracked(|i| i.get(&sel).is_some())
        {
            return;
        }
        leptos::task::spawn_local(async move {
            let Ok(detail) = api.org(&sel).await else {
                return;
            };
            for id in detail.path_ids {
                let (there, loaded, county) = index.with_untracked(|i| {
                    (i.get(&id).is_some(), i.is_loaded(&id), is_county(i, &id))
                });
                if !there {
                    break;
                }
                if !loaded {
                    match fetch_under(api, &id, county).await {
                        Ok(under) => index.update(|i| under.apply(i, &id)),
                        Err(e) => return error.0.set(Some(e)),
                    }
                }
                expanded.0.update(|s| {
                    s.insert(id.clone());
                });
            }
        });
    });

    // Search on the server: the best matches first, a page at a time.
    let query = RwSignal::new(String::new());
    let search_id = unique_id("org-search");
    let search = LocalResource::new(move || {
        let q = query.get();
        async move {
            let q = q.trim();
            if q.is_empty() {
                return Ok(None);
            }
            api.search_orgs(q, None).await.map(Some)
        }
    });
    let hits = RwSignal::new(Vec::<OrgHit>::new());
    let next = RwSignal::new(None::<String>);
    Effect::new(move |_| {
        if let Some(Ok(page)) = search.get() {
            let page = page.unwrap_or(OrgSearchPage {
                hits: Vec::new(),
                next: None,
            });
            hits.set(page.hits);
            next.set(page.next);
        }
    });
    let more = move || {
        let Some(after) = next.get_untracked() else {
            return;
        };
        let q = query.get_untracked();
        leptos::task::spawn_local(async move {
            match api.search_orgs(q.trim(), Some(&after)).await {
                Ok(page) if query.get_untracked() == q => {
                    hits.update(|h| h.extend(page.hits));
                    next.set(page.next);
                }
                Ok(_) => {}
                Err(e) => error.0.set(Some(e)),
            }
        });
    };
    let results = move || {
        hits.get()
            .into_iter()
            .map(|h| (h.org, h.path.join(" / ")))
            .collect::<Vec<_>>()
    };
    let is_admin = move || role.get() == Some(Role::Admin);

    view! {
        <div class="orgs-page">
            <section class="tree-pane" aria-labelledby="tree-heading">
                <h1 id="tree-heading">{t(Msg::NavOrgs)}</h1>
                <div class="field search">
                    <label for=search_id.clone()>{t(OfficeMsg::Search)}</label>
                    <input
                        id=search_id
                        type="search"
                        placeholder=move || OfficeMsg::SearchHint.text(lang.get())
                        bind:value=query
                    />
                </div>
                <Show when=move || !query.get().trim().is_empty()>
                    <SearchResults results=Signal::derive(results) clear=query/>
                    <Show when=move || next.with(Option::is_some)>
                        <button type="button" class="secondary" on:click=move |_| more()>
                            {t(OfficeMsg::MoreResults)}
                        </button>
                    </Show>
                </Show>
                {move || error.0.get().map(|e| view! { <p class="error" role="alert">{e.message(lang.get())}</p> })}
                {loaded(list, move |_| view! { <TreeView index=index selected=selected/> }.into_any())}
                <Show when=is_admin>
                    <ImportExport/>
                </Show>
            </section>
            <section class="detail-pane" aria-live="polite">
                {move || match selected.get() {
                    Some(id) => view! { <OrgPanel id=id index=index/> }.into_any(),
                    None => view! { <p class="hint">{t(OfficeMsg::SelectOrg)}</p> }.into_any(),
                }}
            </section>
        </div>
    }
}

#[component]
fn SearchResults(
    results: Signal<Vec<(OrgSummary, String)>>,
    clear: RwSignal<String>,
) -> impl IntoView {
    let lang = use_lang();
    view! {
        <div class="search-results">
            <p class="count" role="status">
                {move || {
                    let n = results.with(Vec::len);
                    if n == 0 { OfficeMsg::NoMatches.text(lang.get()).to_string() } else { format!("{n} {}", OfficeMsg::Matches.text(lang.get())) }
                }}
            </p>
            <ul>
                <For each=move || results.get() key=|(o, _)| o.id.clone() let((org, path))>
                    <li>
                        <A href=href::office_item(ORGS, &org.id) on:click=move |_| clear.set(String::new())>
                            <span class="name">{org.name.clone()}</span>
                            <span class="path">{path}</span>
                            <span class="level">{move || org.level.label(lang.get())}</span>
                        </A>
                    </li>
                </For>
            </ul>
        </div>
    }
}

#[component]
fn TreeView(index: RwSignal<OrgIndex>, selected: Memo<Option<String>>) -> impl IntoView {
    let lang = use_lang();
    let roots = move || index.with(|i| i.roots().into_iter().cloned().collect::<Vec<_>>());
    view! {
        <nav class="tree" aria-label=move || OfficeMsg::OrgTree.text(lang.get())>
            <ul>
                {move || roots().into_iter().map(|o| tree_node(o, index, selected)).collect_view()}
            </ul>
        </nav>
    }
}

/// One node and, when open, its children. Children are drawn only when open, so a province
/// of 25,000 villages costs what is on screen.
fn tree_node(
    org: OrgSummary,
    index: RwSignal<OrgIndex>,
    selected: Memo<Option<String>>,
) -> AnyView {
    let lang = use_lang();
    let expanded = expect_context::<Expanded>().0;
    let id = StoredValue::new(org.id.clone());
    let has_children = index.with_untracked(|i| i.has_children(&org.id));
    let is_open = move || expanded.with(|s| s.contains(&id.get_value()));
    let api = expect_context::<Api>();
    let error = expect_context::<TreeError>().0;
    let toggle = move |_| {
        let opening = expanded.try_update(|s| {
            let id = id.get_value();
            if s.remove(&id) {
                false
            } else {
                s.insert(id);
                true
            }
        });
        if opening == Some(true) {
            load_under(api, index, error, id.get_value());
        }
    };
    let name = org.name.clone();
    let toggle_label = move || {
        let verb = if is_open() {
            OfficeMsg::Collapse
        } else {
            OfficeMsg::Expand
        };
        format!("{} {}", verb.text(lang.get()), name)
    };
    let children = move || {
        is_open().then(|| {
            let kids = index.with(|i| i.children(&id.get_value()).into_iter().cloned().collect::<Vec<_>>());
            view! { <ul>{kids.into_iter().map(|k| tree_node(k, index, selected)).collect_view()}</ul> }
        })
    };
    let current = move || selected.with(|s| s.as_deref() == Some(id.get_value().as_str()));
    view! {
        <li class:inactive=!org.active>
            <div class="node" class:current=current>
                {has_children.then(|| view! {
                    <button type="button" class="toggle" aria-expanded=move || is_open().to_string() aria-label=toggle_label on:click=toggle>
                        {move || if is_open() { "▾" } else { "▸" }}
                    </button>
                })}
                <A href=href::office_item(ORGS, &org.id) attr:aria-current=move || current().then_some("true")>
                    {org.name.clone()}
                </A>
                <span class="level">{move || org.level.label(lang.get())}</span>
            </div>
            {children}
        </li>
    }
    .into_any()
}

#[component]
fn OrgPanel(id: String, index: RwSignal<OrgIndex>) -> impl IntoView {
    let api = expect_context::<Api>();
    let role = use_role();
    let version = expect_context::<Version>().0;
    let id = StoredValue::new(id);
    let detail = LocalResource::new(move || {
        version.get();
        let id = id.get_value();
        async move { api.org(&id).await }
    });
    let bump = move |_: OrgDetail| version.update(|v| *v += 1);
    view! {
        {loaded(detail, move |d| {
                    let admin = role.get() == Some(Role::Admin);
                    let key = format!("{}-{}", d.summary.id, d.updated_at);
                    view! {
                        <article class="org-detail" data-key=key>
                            <h2 class="org-name">{d.summary.name.clone()}</h2>
                            <OrgFacts detail=d.clone()/>
                            {if admin || d.summary.level.is_grassroots() && role.get() == Some(Role::Unit) {
                                view! { <BasicDataForm detail=d.clone() on_saved=bump/> }.into_any()
                            } else {
                                view! { <BasicDataView detail=d.clone()/> }.into_any()
                            }}
                            {admin.then(|| view! { <AdminTools detail=d.clone() index=index/> })}
                        </article>
                    }.into_any()
                })}
    }
}

#[component]
fn BasicDataView(detail: OrgDetail) -> impl IntoView {
    let b = detail.basic;
    let show = |v: Option<String>| v.unwrap_or_else(|| "—".into());
    view! {
        <h3>{t(Msg::BasicData)}</h3>
        <dl class="facts">
            <dt>{t(Msg::Households)}</dt><dd>{show(b.households.map(|v| v.to_string()))}</dd>
            <dt>{t(Msg::Population)}</dt><dd>{show(b.population.map(|v| v.to_string()))}</dd>
            <dt>{t(Msg::PartyMembers)}</dt><dd>{show(b.party_members.map(|v| v.to_string()))}</dd>
            <dt>{t(Msg::CollectiveIncome)}</dt><dd>{show(b.collective_income.map(|v| v.to_string()))}</dd>
            <dt>{t(Msg::CollectiveAssets)}</dt><dd>{show(b.collective_assets.map(|v| v.to_string()))}</dd>
        </dl>
    }
}

/// Rename, move, add a sub-organisation, deactivate: the office's tools.
#[component]
fn AdminTools(detail: OrgDetail, index: RwSignal<OrgIndex>) -> impl IntoView {
    let api = expect_context::<Api>();
    let lang = use_lang();
    let version = expect_context::<Version>().0;
    let navigate = use_navigate();
    let id = StoredValue::new(detail.summary.id.clone());
    let level = detail.summary.level;
    let active = detail.summary.active;

    // ---- rename / recode ----
    let name = RwSignal::new(detail.summary.name.clone());
    let code = RwSignal::new(detail.summary.code.clone());
    let edit = Submission::new(move |patch: OrgPatch| async move {
        api.patch_org(&id.get_value(), &patch).await
    });
    let edit_error = edit.error();
    edit.on_done(move |_| version.update(|v| *v += 1));

    // ---- move ----
    let parents = move || {
        index.with(|i| {
            i.possible_parents(level)
                .into_iter()
                .map(|o| (o.id.clone(), o.name.clone()))
                .collect::<Vec<_>>()
        })
    };
    let current_parent = detail.summary.parent_id.clone().unwrap_or_default();
    let new_parent = RwSignal::new(current_parent.clone());
    let move_id = unique_id("move-parent");

    // ---- add child ----
    let child_levels: Vec<OrgLevel> = OrgLevel::ALL
        .into_iter()
        .filter(|l| l.allowed_parents().contains(&level))
        .collect();
    let child_name = RwSignal::new(String::new());
    let child_code = RwSignal::new(String::new());
    let child_level = RwSignal::new(
        child_levels
            .first()
            .map(|l| l.as_str().to_string())
            .unwrap_or_default(),
    );
    let child_level_id = unique_id("child-level");
    let create = Submission::new(move |req: CreateOrg| async move { api.create_org(&req).await });
    let create_error = create.error();
    create.on_done(move |d| {
        version.update(|v| *v += 1);
        navigate(&href::office_item(ORGS, &d.summary.id), Default::default());
    });
    let has_child_levels = !child_levels.is_empty();
    let child_levels = StoredValue::new(child_levels);

    view! {
        <section class="admin-tools" aria-labelledby="edit-heading">
            <h3 id="edit-heading">{t(OfficeMsg::EditOrg)}</h3>
            <form on:submit=move |ev: SubmitEvent| {
                ev.prevent_default();
                edit.send(Ok(OrgPatch { name: Some(name.get_untracked()), code: Some(code.get_untracked()), ..Default::default() }));
            } novalidate>
                <TextField label=OfficeMsg::Name name="name" value=name error=edit_error/>
                <TextField label=Msg::Code name="code" value=code error=edit_error inputmode="numeric"/>
                <FormError error=edit_error/>
                <button type="submit" disabled=move || edit.pending()>{t(Msg::Save)}</button>
            </form>

            {(!parents().is_empty()).then(|| view! {
                <form on:submit=move |ev: SubmitEvent| {
                    ev.prevent_default();
                    edit.send(Ok(OrgPatch { parent_id: Some(new_parent.get_untracked()), ..Default::default() }));
                }>
                    <div class="field">
                        <label for=move_id.clone()>{t(OfficeMsg::MoveTo)}</label>
                        <select id=move_id.clone() prop:value=move || new_parent.get() on:change=move |ev| new_parent.set(event_target_value(&ev))>
                            {parents().into_iter().map(|(pid, pname)| {
                                let selected = pid == current_parent;
                                view! { <option value=pid selected=selected>{pname}</option> }
                            }).collect_view()}
                        </select>
                    </div>
                    <button type="submit" disabled=move || edit.pending()>{t(OfficeMsg::Move)}</button>
                </form>
            })}

            <button type="button" class="danger" on:click=move |_| {
                edit.send(Ok(OrgPatch { active: Some(!active), ..Default::default() }));
            }>
                {if active { t(OfficeMsg::Deactivate) } else { t(OfficeMsg::Reactivate) }}
            </button>

            {has_child_levels.then(|| view! {
                <form class="add-child" on:submit=move |ev: SubmitEvent| {
                    ev.prevent_default();
                    let level = OrgLevel::parse(&child_level.get_untracked()).unwrap_or(OrgLevel::Village);
                    create.send(Ok(CreateOrg {
                        parent_id: Some(id.get_value()),
                        name: child_name.get_untracked(),
                        code: child_code.get_untracked(),
                        level,
                        secretary: String::new(),
                        basic: Default::default(),
                    }));
                } novalidate>
                    <h3>{t(OfficeMsg::AddChild)}</h3>
                    <TextField label=OfficeMsg::Name name="name" value=child_name error=create_error/>
                    <TextField label=Msg::Code name="code" value=child_code error=create_error inputmode="numeric"/>
                    <div class="field">
                        <label for=child_level_id.clone()>{t(Msg::Level)}</label>
                        <select id=child_level_id.clone() on:change=move |ev| child_level.set(event_target_value(&ev))>
                            {move || child_levels.get_value().into_iter().map(|l| view! {
                                <option value=l.as_str() selected=move || child_level.get() == l.as_str()>{l.label(lang.get())}</option>
                            }).collect_view()}
                        </select>
                    </div>
                    <FormError error=create_error/>
                    <button type="submit" class="primary" disabled=move || create.pending()>{t(OfficeMsg::Create)}</button>
                </form>
            })}
        </section>
    }
}

/// Import a whole tree from a spreadsheet; export it back.
#[component]
fn ImportExport() -> impl IntoView {
    let api = expect_context::<Api>();
    let lang = use_lang();
    let version = expect_context::<Version>().0;
    let file_input = NodeRef::<leptos::html::Input>::new();
    let input_id = unique_id("import-file");
    let import = Action::new_local(move |file: &web_sys::File| {
        let file = file.clone();
        async move { api.import_orgs(&file).await }
    });
    Effect::new(move |_| {
        if let Some(Ok(_)) = import.value().get() {
            version.update(|v| *v += 1);
        }
    });
    let report = Signal::derive(move || match import.value().get() {
        Some(Ok(ImportReport { created, updated })) => Some(format!(
            "{}：{} {created}，{} {updated}",
            OfficeMsg::ImportDone.text(lang.get()),
            OfficeMsg::Created.text(lang.get()),
            OfficeMsg::Updated.text(lang.get())
        )),
        _ => None,
    });
    let error = Signal::derive(move || import.value().get().and_then(Result::err));
    let rows = move || match error.get() {
        Some(AppError::Api(e)) if !e.rows.is_empty() => Some(e.rows),
        _ => None,
    };
    view! {
        <section class="import-export">
            <form on:submit=move |ev: SubmitEvent| {
                ev.prevent_default();
                let file = file_input.get().and_then(|i| i.files()).and_then(|f| f.get(0));
                if let Some(file) = file {
                    import.dispatch_local(file);
                }
            }>
                <div class="field">
                    <label for=input_id.clone()>{t(OfficeMsg::ImportOrgs)}</label>
                    <input id=input_id type="file" accept=".xlsx,.csv" node_ref=file_input/>
                </div>
                <button type="submit" disabled=move || import.pending().get()>{t(OfficeMsg::Import)}</button>
            </form>
            <StatusLine text=report/>
            {move || match rows() {
                Some(rows) => view! {
                    <div role="alert">
                        <p class="form-error">{t(OfficeMsg::ImportFailed)}</p>
                        <table>
                            <thead><tr><th scope="col">{t(OfficeMsg::Row)}</th><th scope="col">{t(OfficeMsg::Field)}</th><th scope="col">{t(OfficeMsg::Problem)}</th></tr></thead>
                            <tbody>
                                {rows.into_iter().map(|r| view! {
                                    <tr><td>{r.row}</td><td>{r.field.clone()}</td><td>{r.problem.message(lang.get())}</td></tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }.into_any(),
                None => view! { <FormError error=error/> }.into_any(),
            }}
            <p><a href=api.org_export_href() download="orgs.xlsx">{t(OfficeMsg::ExportOrgs)}</a></p>
        </section>
    }
}
