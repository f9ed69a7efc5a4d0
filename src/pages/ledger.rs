//! The full-coverage ledger (全覆盖台账): where a 巡察办 director starts the day.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use xuncha_api::coverage::{
    column_notes, CoverageCount, CoverageState, Ledger, LedgerFilter, LedgerOrg, LedgerQuery,
};
use xuncha_api::orgs::OrgLevel;
use xuncha_api::rounds::CreateTerm;
use xuncha_api::users::Role;

use crate::api::Api;
use crate::components::{
    load_failure, loaded, loaded_value, parse_date, unique_id, FormError, Submission, TextField,
};
use crate::i18n::{t, use_lang, Msg, OfficeMsg};
use crate::session::use_role;

#[component]
pub fn LedgerPage() -> impl IntoView {
    let api = expect_context::<Api>();
    let role = use_role();
    let version = RwSignal::new(0u32);
    let terms = LocalResource::new(move || {
        version.get();
        async move { api.terms().await }
    });
    let chosen = RwSignal::new(None::<String>);
    let term_id = Memo::new(move |_| {
        chosen.get().or_else(|| {
            terms
                .get()
                .and_then(|r| r.ok())
                .and_then(|t| t.first().map(|t| t.id.clone()))
        })
    });
    let select_id = unique_id("term");
    view! {
        <section class="page ledger">
            <h1>{t(Msg::NavLedger)}</h1>
            {loaded(terms, move |r| match r {
                    list if list.is_empty() => view! { <p class="hint">{t(OfficeMsg::NoTerms)}</p> }.into_any(),
                    list => view! {
                        <div class="field inline">
                            <label for=select_id.clone()>{t(OfficeMsg::Terms)}</label>
                            <select id=select_id.clone() on:change=move |ev| chosen.set(Some(event_target_value(&ev)))>
                                {list.into_iter().map(|term| {
                                    let id = term.id.clone();
                                    view! {
                                        <option value=term.id.clone() selected=move || term_id.get().as_deref() == Some(id.as_str())>
                                            {format!("{} · {}", term.committee_name, term.name)}
                                        </option>
                                    }
                                }).collect_view()}
                            </select>
                        </div>
                    }.into_any(),
                })}
            {move || term_id.get().map(|id| view! { <LedgerView term_id=id/> })}
            <Show when=move || role.get() == Some(Role::Admin)>
                <NewTermForm on_created=move |_| version.update(|v| *v += 1)/>
            </Show>
        </section>
    }
}

/// A bar that screen readers read as a percentage; red when behind pace.
#[component]
fn Bar(count: CoverageCount, #[prop(optional)] at_risk: bool) -> impl IntoView {
    let pct = count.percent();
    view! {
        <progress class:risk=at_risk max="100" value=pct.to_string() aria-label=format!("{pct}%")></progress>
        <span class="pct">{format!("{pct}%")}</span>
    }
}

#[component]
fn LedgerView(term_id: String) -> impl IntoView {
    let api = expect_context::<Api>();
    let status = RwSignal::new(LedgerFilter::Uncovered);
    let level = RwSignal::new(String::new());
    let township = RwSignal::new(String::new());
    let id = StoredValue::new(term_id);
    let ledger = LocalResource::new(move || {
        let q = LedgerQuery {
            status: Some(status.get()),
            level: OrgLevel::parse(&level.get()),
            township_id: Some(township.get()).filter(|t| !t.is_empty()),
            ..Default::default()
        };
        async move { api.ledger(&id.get_value(), &q).await }
    });
    view! {
        {loaded(ledger, move |l| view! { <LedgerBody ledger=l status=status level=level township=township/> }.into_any())}
        <p><a href=api.ledger_export_href(&id.get_value()) download="coverage-ledger.xlsx">{t(OfficeMsg::ExportLedger)}</a></p>
    }
}

#[component]
fn LedgerBody(
    ledger: Ledger,
    status: RwSignal<LedgerFilter>,
    level: RwSignal<String>,
    township: RwSignal<String>,
) -> impl IntoView {
    let lang = use_lang();
    let l = ledger;
    let status_id = unique_id("ledger-status");
    let level_id = unique_id("ledger-level");
    let township_id = unique_id("ledger-township");
    let townships: Vec<(String, String)> = l
        .townships
        .iter()
        .map(|t| (t.org_id.clone(), t.name.clone()))
        .collect();
    let levels: Vec<OrgLevel> = l.by_level.iter().map(|c| c.level).collect();
    let on_track = l.on_track;
    let projected = l.projected_percent;
    let o = l.overall.clone();
    let label = move |s: CoverageState| move || s.label(lang.get());
    view! {
        <div class="ledger-head">
            <p class="term">{move || format!("{} · {}{}", l.term.committee_name, l.term.name, crate::i18n::in_brackets(lang.get(), &format!("{} — {}", l.term.start_date, l.term.end_date)))}</p>
            <p><strong>{t(OfficeMsg::DaysLeft)}</strong>{move || format!("{}{}", lang.get().colon(), l.days_left)}</p>
            <div class="overall">
                <h2>{t(OfficeMsg::Coverage)}</h2>
                <Bar count=l.overall.clone() at_risk=!on_track/>
                <span>{format!(" {}/{}", l.overall.covered, l.overall.total)}</span>
                <p class:risk=!on_track>
                    {t(OfficeMsg::Projected)}{move || format!("{}{projected}% · ", lang.get().colon())}
                    {move || if on_track { t(OfficeMsg::OnTrack)() } else { t(OfficeMsg::AtRisk)() }}
                </p>
                <p class="states">
                    {label(CoverageState::Effective)}{format!(" {} · ", o.effective)}
                    {label(CoverageState::PendingFeedback)}{format!(" {} · ", o.pending_feedback)}
                    {label(CoverageState::Rectifying)}{format!(" {} · ", o.rectifying)}
                    {label(CoverageState::NoFindings)}{format!(" {}", o.no_findings)}
                </p>
            </div>
        </div>

        <h2>{t(OfficeMsg::ByLevel)}</h2>
        <table class="coverage">
            <thead><tr>
                <th scope="col">{t(Msg::Level)}</th><th scope="col">{t(OfficeMsg::Total)}</th>
                <th scope="col">{t(OfficeMsg::Covered)}</th><th scope="col">{t(OfficeMsg::Coverage)}</th>
                <th scope="col">{label(CoverageState::Effective)}</th>
                <th scope="col">{label(CoverageState::PendingFeedback)}</th>
                <th scope="col">{label(CoverageState::Rectifying)}</th>
                <th scope="col">{label(CoverageState::NoFindings)}</th>
            </tr></thead>
            <tbody>
                {l.by_level.into_iter().map(|c| view! {
                    <tr>
                        <th scope="row">{move || c.level.label(lang.get())}</th>
                        <td>{c.count.total}</td><td>{c.count.covered}</td>
                        <td><Bar count=c.count.clone()/></td>
                        <td>{c.count.effective}</td><td>{c.count.pending_feedback}</td>
                        <td>{c.count.rectifying}</td><td>{c.count.no_findings}</td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>

        <h2>{t(OfficeMsg::ByTownship)}</h2>
        <table class="coverage townships">
            <thead><tr>
                <th scope="col">{t(OfficeMsg::Township)}</th><th scope="col">{t(OfficeMsg::Total)}</th>
                <th scope="col">{t(OfficeMsg::Covered)}</th><th scope="col">{t(OfficeMsg::Coverage)}</th>
                <th scope="col">{label(CoverageState::Effective)}</th>
            </tr></thead>
            <tbody>
                {l.townships.into_iter().map(|tw| {
                    let risk = tw.at_risk;
                    view! {
                        <tr class:risk=risk>
                            <th scope="row">
                                {tw.name.clone()}
                                {risk.then(|| view! { <span class="badge">{t(OfficeMsg::AtRisk)}</span> })}
                            </th>
                            <td>{tw.count.total}</td><td>{tw.count.covered}</td>
                            <td><Bar count=tw.count.clone() at_risk=risk/></td>
                            <td>{tw.count.effective}</td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>

        <h2>{t(OfficeMsg::NoFindingsHead)}</h2>
        <p class="hint">{t(OfficeMsg::NoFindingsHint)}</p>
        {if l.no_findings.is_empty() {
            view! { <p>{t(OfficeMsg::NoneOfThese)}</p> }.into_any()
        } else {
            view! { <OrgTable orgs=l.no_findings/> }.into_any()
        }}

        <h2>{move || status.get().label(lang.get())}</h2>
        <div class="filters">
            <div class="field">
                <label for=status_id.clone()>{t(OfficeMsg::Show)}</label>
                <select id=status_id on:change=move |ev| {
                    if let Some(f) = LedgerFilter::parse(&event_target_value(&ev)) {
                        status.set(f);
                    }
                }>
                    {LedgerFilter::ALL.into_iter().map(|f| view! {
                        <option value=f.as_str() selected=move || status.get() == f>{move || f.label(lang.get())}</option>
                    }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for=level_id.clone()>{t(Msg::Level)}</label>
                <select id=level_id on:change=move |ev| level.set(event_target_value(&ev))>
                    <option value="">{t(OfficeMsg::AnyLevel)}</option>
                    {levels.into_iter().map(|lv| view! {
                        <option value=lv.as_str() selected=move || level.get() == lv.as_str()>{move || lv.label(lang.get())}</option>
                    }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for=township_id.clone()>{t(OfficeMsg::Township)}</label>
                <select id=township_id on:change=move |ev| township.set(event_target_value(&ev))>
                    <option value="">{t(OfficeMsg::AnyTownship)}</option>
                    {townships.into_iter().map(|(id, name)| {
                        let v = id.clone();
                        view! { <option value=id selected=move || township.get() == v>{name}</option> }
                    }).collect_view()}
                </select>
            </div>
        </div>
        <p class="count" role="status">{format!("{} {} {}", l.orgs_matching, t(OfficeMsg::Shown)(), l.orgs.len())}</p>
        <OrgTable orgs=l.orgs/>

        <h2>{t(OfficeMsg::ColumnNotes)}</h2>
        <dl class="facts column-notes">
            {move || column_notes(lang.get()).into_iter().map(|(name, meaning)| view! {
                <dt>{name}</dt><dd>{meaning}</dd>
            }).collect_view()}
        </dl>
    }
}

/// Organisations with their state and, for each inspection, the round, its kind and the team.
#[component]
fn OrgTable(orgs: Vec<LedgerOrg>) -> impl IntoView {
    let lang = use_lang();
    view! {
        <table class="coverage orgs">
            <thead><tr>
                <th scope="col">{t(OfficeMsg::Name)}</th><th scope="col">{t(Msg::Level)}</th>
                <th scope="col">{t(OfficeMsg::Township)}</th><th scope="col">{t(OfficeMsg::CoverageState)}</th>
                <th scope="col">{t(OfficeMsg::CoveredByCol)}</th><th scope="col">{t(OfficeMsg::Team)}</th>
            </tr></thead>
            <tbody>
                {orgs.into_iter().map(|o| {
                    let state = o.state;
                    let rounds = o.covered_by.clone();
                    let teams: Vec<String> = o.covered_by.iter().map(|c| c.team_name.clone()).collect();
                    view! {
                        <tr>
                            <td>{o.name.clone()}</td>
                            <td>{move || o.level.label(lang.get())}</td>
                            <td>{o.township.clone().unwrap_or_default()}</td>
                            <td>{move || state.label(lang.get())}</td>
                            <td>{move || rounds.iter().map(|c| format!("{}{}", c.round_name, crate::i18n::in_brackets(lang.get(), c.kind.label(lang.get())))).collect::<Vec<_>>().join(lang.get().pick("；", "; "))}</td>
                            <td>{move || teams.join(lang.get().pick("；", "; "))}</td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
}

#[component]
fn NewTermForm(#[prop(into)] on_created: Callback<()>) -> impl IntoView {
    let api = expect_context::<Api>();
    // The organisations to choose a committee from come when the form is opened: a province
    // office landing on the ledger is not sent its whole tree for a form it rarely opens.
    let opened = RwSignal::new(false);
    let orgs = LocalResource::new(move || {
        let wanted = opened.get();
        async move {
            if wanted {
                api.list_orgs().await
            } else {
                Ok(Vec::new())
            }
        }
    });
    let committee = RwSignal::new(String::new());
    let name = RwSignal::new(String::new());
    let start = RwSignal::new(String::new());
    let end = RwSignal::new(String::new());
    let committee_id = unique_id("committee");
    let create = Submission::new(move |req: CreateTerm| async move { api.create_term(&req).await });
    create.on_done(move |_| on_created.run(()));
    let error = create.error();
    view! {
        <details class="new-term">
            <summary on:click=move |_| opened.set(true)>{t(OfficeMsg::NewTerm)}</summary>
            <form on:submit=move |ev: SubmitEvent| {
                ev.prevent_default();
                let dates = parse_date("start_date", &start.get_untracked()).and_then(|s| Ok((s, parse_date("end_date", &end.get_untracked())?)));
                create.send(dates.map(|(start_date, end_date)| CreateTerm { committee_org_id: committee.get_untracked(), name: name.get_untracked(), start_date, end_date }));
            } novalidate>
                <div class="field">
                    <label for=committee_id.clone()>{t(OfficeMsg::Committee)}</label>
                    <select id=committee_id on:change=move |ev| committee.set(event_target_value(&ev))>
                        <option value="">{t(OfficeMsg::ChooseOrg)}</option>
                        {move || loaded_value(orgs).into_iter().flatten()
                            .filter(|o| matches!(o.level, OrgLevel::City | OrgLevel::County))
                            .map(|o| view! { <option value=o.id.clone()>{o.name.clone()}</option> })
                            .collect_view()}
                    </select>
                    {load_failure(orgs)}
                </div>
                <TextField label=OfficeMsg::TermName name="name" value=name error=error/>
                <TextField label=OfficeMsg::StartDate name="start_date" value=start error=error kind="date"/>
                <TextField label=OfficeMsg::EndDate name="end_date" value=end error=error kind="date"/>
                <FormError error=error/>
                <button type="submit" class="primary" disabled=move || create.pending()>{t(OfficeMsg::Create)}</button>
            </form>
        </details>
    }
}
