//! 整改台账 of a round: counts by state, every task, the export, and the public pages.

use leptos::prelude::*;
use leptos_router::components::A;
use xuncha_api::rectification::{LedgerFilter, LedgerRow, TaskCounts, TaskStatus};

use crate::api::Api;
use crate::components::{load_failure, loaded, loaded_value, sort_header};
use crate::i18n::{t, use_lang, Msg, OfficeMsg};
use crate::routes::{href, REMINDERS};

use super::task_row::{TaskDetails, TaskMoves};
use super::TasksVersion;

/// 整改台账 of a round: counts by state, every task, the export, and the public pages.
#[component]
pub fn RectificationPage() -> impl IntoView {
    let api = expect_context::<Api>();
    let lang = use_lang();
    let version = TasksVersion(RwSignal::new(0));
    provide_context(version);
    let rounds = LocalResource::new(move || async move { api.rounds().await });
    let chosen = RwSignal::new(String::new());
    Effect::new(move |_| {
        if chosen.with(String::is_empty) {
            // The round in rectification is where the work is; else the newest.
            let pick = loaded_value(rounds).and_then(|rs| {
                rs.iter()
                    .find(|r| r.phase == xuncha_api::rounds::Phase::Rectification)
                    .or(rs.first())
                    .map(|r| r.id.clone())
            });
            if let Some(id) = pick {
                chosen.set(id);
            }
        }
    });
    let term_of = move |round: String| {
        rounds
            .get_untracked()
            .and_then(Result::ok)
            .and_then(|rs| rs.into_iter().find(|r| r.id == round).map(|r| r.term_id))
    };
    let ledger = LocalResource::new(move || {
        version.0.get();
        let id = chosen.get();
        async move {
            if id.is_empty() {
                return Ok(None);
            }
            api.task_ledger("rounds", &id).await.map(Some)
        }
    });
    view! {
        <section class="page rectification-page">
            <h1>{t(Msg::NavRectification)}</h1>
            <div class="field">
                <label for="ledger-round">{t(OfficeMsg::ChooseRound)}</label>
                <select id="ledger-round" on:change=move |ev| chosen.set(event_target_value(&ev))>
                    {move || loaded_value(rounds).into_iter().flatten().map(|r| {
                        let selected = chosen.get_untracked() == r.id;
                        view! { <option value=r.id.clone() selected=selected>{r.name.clone()}</option> }
                    }).collect_view()}
                </select>
                {load_failure(rounds)}
            </div>
            {loaded(ledger, move |r| match r {
                    Some(l) => {
                        let mut orgs: Vec<(String, String)> = l.rows.iter().map(|r| (r.task.org_id.clone(), r.task.org_name.clone())).collect();
                        orgs.sort();
                        orgs.dedup();
                        view! {
                            <LedgerTable rows=l.rows round=chosen.get_untracked() term=term_of(chosen.get_untracked())/>
                            <h2>{t(OfficeMsg::PublicPage)}</h2>
                            <ul class="public-links">
                                {orgs.into_iter().map(|(id, name)| view! {
                                    <li><a href=api.public_page_href(&id) target="_blank" rel="noopener">{move || format!("{name} · {}", OfficeMsg::PublicPage.text(lang.get()))}</a></li>
                                }).collect_view()}
                            </ul>
                        }.into_any()
                    }
                    None => ().into_any(),
                })}
            <p><A href=href::office(REMINDERS)>{t(Msg::NavReminders)}</A></p>
        </section>
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SortKey {
    Township,
    Org,
    Deadline,
    Status,
}

/// The ledger as offices keep it: one dense row per task, filtered and sorted, with counts of
/// what the filter shows.
#[component]
fn LedgerTable(rows: Vec<LedgerRow>, round: String, term: Option<String>) -> impl IntoView {
    let api = expect_context::<Api>();
    let lang = use_lang();
    let filter = RwSignal::new(LedgerFilter::default());
    // The export holds what the filters show.
    let export = move |scope: &str, id: &str| {
        let f = filter.get();
        let mut query = Vec::new();
        if let Some(s) = f.status.filter(|s| !s.is_empty()) {
            query.push(format!("status={s}"));
        }
        if let Some(t) = f.township.filter(|t| !t.is_empty()) {
            query.push(format!("township={}", js_sys::encode_uri_component(&t)));
        }
        if f.overdue == Some(true) {
            query.push("overdue=true".to_string());
        }
        let base = api.task_ledger_export_href(scope, id);
        if query.is_empty() {
            base
        } else {
            format!("{base}?{}", query.join("&"))
        }
    };
    let sort = RwSignal::new((SortKey::Deadline, true));
    let mut townships: Vec<String> = rows
        .iter()
        .map(|r| r.township.clone())
        .filter(|t| !t.is_empty())
        .collect();
    townships.sort();
    townships.dedup();
    let rows = StoredValue::new(rows);
    let shown = Memo::new(move |_| {
        let f = filter.get();
        let (key, ascending) = sort.get();
        let mut list: Vec<LedgerRow> =
            rows.with_value(|rs| rs.iter().filter(|r| f.keeps(r)).cloned().collect());
        list.sort_by(|a, b| {
            let order = match key {
                SortKey::Township => {
                    (&a.township, &a.task.org_name).cmp(&(&b.township, &b.task.org_name))
                }
                SortKey::Org => a.task.org_name.cmp(&b.task.org_name),
                SortKey::Deadline => a.task.deadline.cmp(&b.task.deadline),
                SortKey::Status => a.task.status.cmp(&b.task.status),
            }
            .then_with(|| a.task.deadline.cmp(&b.task.deadline))
            .then_with(|| a.task.id.cmp(&b.task.id));
            if ascending {
                order
            } else {
                order.reverse()
            }
        });
        list
    });
    let counts = move || {
        let mut c = TaskCounts::default();
        shown.with(|rs| rs.iter().for_each(|r| c.add(&r.task)));
        c
    };
    let summary = move || {
        let c = counts();
        let l = lang.get();
        let parts = [
            (TaskStatus::Pending.label(l), c.pending),
            (TaskStatus::InProgress.label(l), c.in_progress),
            (TaskStatus::Submitted.label(l), c.submitted),
            (TaskStatus::Accepted.label(l), c.accepted),
            (TaskStatus::Closed.label(l), c.closed),
            (Msg::Overdue.text(l), c.overdue),
        ]
        .map(|(label, n)| format!("{label} {n}"))
        .join(" · ");
        format!(
            "{} {}{}{parts}",
            OfficeMsg::TaskTotal.text(l),
            c.total(),
            l.pick("：", ": ")
        )
    };
    let status_options = move || {
        let l = lang.get();
        let mut options = vec![
            (String::new(), OfficeMsg::AllStatuses.text(l).to_string()),
            ("open".to_string(), OfficeMsg::OpenOnly.text(l).to_string()),
        ];
        options.extend(TaskStatus::ALL.map(|s| (s.as_str().to_string(), s.label(l).to_string())));
        options
    };
    view! {
        <p>
            <a class="button-link" href=move || export("rounds", &round) download>{t(OfficeMsg::ExportRectification)}</a>
            " "
            {term.map(|term| view! {
                <a href=move || export("terms", &term) download>{t(OfficeMsg::ExportTermRectification)}</a>
            })}
            <Show when=move || !filter.with(LedgerFilter::is_empty)>
                <span class="hint">{t(OfficeMsg::ExportFiltered)}</span>
            </Show>
        </p>
        <form class="filters" on:submit=|ev: leptos::ev::SubmitEvent| ev.prevent_default()>
            <div class="field">
                <label for="ledger-status">{t(OfficeMsg::StatusFilter)}</label>
                <select id="ledger-status" on:change=move |ev| filter.update(|f| f.status = Some(event_target_value(&ev)))>
                    {move || status_options().into_iter().map(|(v, label)| {
                        let selected = filter.with_untracked(|f| f.status.as_deref().unwrap_or_default() == v);
                        view! { <option value=v selected=selected>{label}</option> }
                    }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="ledger-township">{t(OfficeMsg::Township)}</label>
                <select id="ledger-township" on:change=move |ev| filter.update(|f| f.township = Some(event_target_value(&ev)))>
                    <option value="">{t(OfficeMsg::AllTownships)}</option>
                    {townships.into_iter().map(|tn| view! { <option value=tn.clone()>{tn.clone()}</option> }).collect_view()}
                </select>
            </div>
            <div class="field check">
                <input type="checkbox" id="ledger-overdue" on:change=move |ev| filter.update(|f| f.overdue = Some(event_target_checked(&ev)))/>
                <label for="ledger-overdue">{t(OfficeMsg::OverdueOnly)}</label>
            </div>
        </form>
        <p class="ledger-counts" role="status">{summary}</p>
        <div class="table-scroll">
            <table class="ledger-table">
                <thead><tr>
                    <th scope="col">{t(OfficeMsg::Round)}</th>
                    {sort_header(sort, SortKey::Township, |l| OfficeMsg::Township.text(l), false)}
                    {sort_header(sort, SortKey::Org, |l| OfficeMsg::InspectedOrg.text(l), false)}
                    <th scope="col">{t(OfficeMsg::FindingCount)}</th>
                    <th scope="col">{t(Msg::Measures)}</th>
                    <th scope="col">{t(OfficeMsg::Responsible)}</th>
                    {sort_header(sort, SortKey::Deadline, |l| Msg::TaskDeadline.text(l), false)}
                    {sort_header(sort, SortKey::Status, |l| OfficeMsg::StatusFilter.text(l), false)}
                    <th scope="col">{t(OfficeMsg::Handle)}</th>
                </tr></thead>
                <tbody>
                    {move || shown.get().into_iter().map(|r| view! { <LedgerLine r=r/> }).collect_view()}
                </tbody>
            </table>
        </div>
        <Show when=move || shown.with(Vec::is_empty)>
            <p class="hint">{t(OfficeMsg::NothingMatches)}</p>
        </Show>
    }
}

#[component]
fn LedgerLine(r: LedgerRow) -> impl IntoView {
    let lang = use_lang();
    let task = r.task;
    let status = task.status;
    let overdue = task.overdue;
    view! {
        <tr class:overdue=overdue>
            <td>{r.round_name.clone()}</td>
            <td>{r.township.clone()}</td>
            <td>{task.org_name.clone()}</td>
            <th scope="row" class="finding">{task.finding_title.clone()}<TaskDetails id=task.id.clone()/></th>
            <td class="measures">{task.measures.clone()}</td>
            <td>{task.responsible_person.clone()}</td>
            <td class="nowrap">{task.deadline.to_string()}</td>
            <td class="nowrap">
                {move || status.label(lang.get())}
                {overdue.then(|| view! { " " <strong class="late">{t(Msg::Overdue)}</strong> })}
            </td>
            <td class="moves"><TaskMoves id=task.id.clone() status=status title=task.finding_title.clone()/></td>
        </tr>
    }
}
