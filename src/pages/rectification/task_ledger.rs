//! 整改台账 of a round: counts by state, every task, the export, and the public pages.

use leptos::prelude::*;
use leptos_router::components::A;
use xuncha_api::rectification::TaskStatus;

use crate::api::Api;
use crate::components::{load_failure, loaded, loaded_value};
use crate::i18n::{t, use_lang, Msg, OfficeMsg};
use crate::routes::{href, REMINDERS};

use super::task_row::TaskRow;
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
                        let c = l.counts.clone();
                        let summary = move || format!(
                            "{} {}：{} {} · {} {} · {} {} · {} {} · {} {} · {} {}",
                            OfficeMsg::TaskTotal.text(lang.get()), c.total(),
                            TaskStatus::Pending.label(lang.get()), c.pending,
                            TaskStatus::InProgress.label(lang.get()), c.in_progress,
                            TaskStatus::Submitted.label(lang.get()), c.submitted,
                            TaskStatus::Accepted.label(lang.get()), c.accepted,
                            TaskStatus::Closed.label(lang.get()), c.closed,
                            Msg::Overdue.text(lang.get()), c.overdue,
                        );
                        let mut orgs: Vec<(String, String)> = l.rows.iter().map(|r| (r.task.org_id.clone(), r.task.org_name.clone())).collect();
                        orgs.dedup();
                        view! {
                            <p>{summary}</p>
                            <p>
                                <a class="button-link" href=api.task_ledger_export_href("rounds", &chosen.get_untracked()) download>{t(OfficeMsg::ExportRectification)}</a>
                                " "
                                {term_of(chosen.get_untracked()).map(|term| view! {
                                    <a href=api.task_ledger_export_href("terms", &term) download>{t(OfficeMsg::ExportTermRectification)}</a>
                                })}
                            </p>
                            <ul class="task-list office">
                                {l.rows.into_iter().map(|r| view! { <TaskRow task=r.task show_org=true/> }).collect_view()}
                            </ul>
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
