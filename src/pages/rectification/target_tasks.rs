//! A target's tasks: the list, their creation from its 问题清单, and 回头看.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use xuncha_api::findings::Finding;
use xuncha_api::rectification::{NewTask, Task, TaskKind};
use xuncha_api::users::Role;

use crate::api::{Api, AppError};
use crate::components::{load_failure, loaded, loaded_value, FormError, TextField};
use crate::i18n::{t, use_lang, Msg, OfficeMsg};
use crate::session::use_role;

use super::task_row::TaskRow;
use super::TasksVersion;

/// The tasks of one target, their creation from its findings, and 回头看.
#[component]
pub fn TargetTasks(target_id: Memo<String>, findings_version: RwSignal<u32>) -> impl IntoView {
    let api = expect_context::<Api>();
    let version = TasksVersion(RwSignal::new(0));
    provide_context(version);
    let tasks = LocalResource::new(move || {
        version.0.get();
        let target = target_id.get();
        async move { api.target_tasks(&target).await }
    });
    let findings = LocalResource::new(move || {
        findings_version.get();
        version.0.get();
        let target = target_id.get();
        async move { api.findings(&target).await }
    });
    // Findings with no task yet are offered for creation.
    let untasked = move || {
        let have: Vec<String> = tasks
            .get()
            .and_then(Result::ok)
            .map(|ts| ts.into_iter().map(|t| t.finding_id).collect())
            .unwrap_or_default();
        loaded_value(findings)
            .into_iter()
            .flatten()
            .filter(|f| !have.contains(&f.id))
            .collect::<Vec<_>>()
    };
    view! {
        <section class="tasks" aria-labelledby="tasks-heading">
            <h2 id="tasks-heading">{t(Msg::NavTasks)}</h2>
            {loaded(tasks, |items| if items.is_empty() {
                view! { <p class="hint">{t(Msg::NoTasks)}</p> }.into_any()
            } else {
                view! { <TaskTable tasks=items/> }.into_any()
            })}
            {load_failure(findings)}
            {move || {
                let open = untasked();
                (!open.is_empty()).then(|| view! { <CreateTasks target_id=target_id findings=open/> })
            }}
        </section>
        <EarlierFindings target_id=target_id/>
    }
}

#[component]
fn TaskTable(tasks: Vec<Task>) -> impl IntoView {
    view! {
        <ul class="task-list office">
            {tasks.into_iter().map(|task| view! { <TaskRow task=task show_org=false/> }).collect_view()}
        </ul>
    }
}

/// Bulk creation from the 问题清单: one task per finding, measures prefilled, the person and
/// the deadline left to the server's defaults unless typed.
#[component]
fn CreateTasks(target_id: Memo<String>, findings: Vec<Finding>) -> impl IntoView {
    let api = expect_context::<Api>();
    let lang = use_lang();
    let role = use_role();
    let version = expect_context::<TasksVersion>();
    let rows: Vec<(Finding, RwSignal<String>)> = findings
        .into_iter()
        .map(|f| {
            // Measures are the team's own words for the unit and, once closed, the public: the
            // finding's title (perhaps a petition's) is not copied into them.
            (
                f,
                RwSignal::new("查明原因，制定措施，限期整改到位".to_string()),
            )
        })
        .collect();
    let rows = StoredValue::new(rows);
    let person = RwSignal::new(String::new());
    let deadline = RwSignal::new(String::new());
    let on_the_spot = RwSignal::new(false);
    let create = Action::new_local(move |_: &()| async move {
        let deadline = crate::components::parse_opt_date("deadline", &deadline.get_untracked())?;
        let person = person.get_untracked();
        let tasks: Vec<NewTask> = rows.with_value(|rows| {
            rows.iter()
                .map(|(f, m)| NewTask {
                    finding_id: f.id.clone(),
                    responsible_person: (!person.trim().is_empty()).then(|| person.clone()),
                    measures: m.get_untracked(),
                    deadline,
                    kind: if on_the_spot.get_untracked() {
                        TaskKind::OnTheSpot
                    } else {
                        TaskKind::Regular
                    },
                })
                .collect()
        });
        let r = api.create_tasks(&target_id.get_untracked(), &tasks).await;
        if r.is_ok() {
            version.0.update(|n| *n += 1);
        }
        r.map(|_| ())
    });
    let error = Signal::derive(move || create.value().get().and_then(Result::err));
    let row_error = move |i: usize| {
        error.with(|e| match e {
            Some(AppError::Api(e)) => e
                .rows
                .iter()
                .find(|r| r.row == i + 1)
                .map(|r| r.problem.message(lang.get()).to_string()),
            _ => None,
        })
    };
    move || {
        (role.get() == Some(Role::Inspector)).then(|| view! {
            <form class="create-tasks" on:submit=move |ev: SubmitEvent| { ev.prevent_default(); create.dispatch_local(()); } novalidate>
                <h3>{t(OfficeMsg::CreateTasks)}</h3>
                <p class="hint">{t(OfficeMsg::CreateTasksHint)}</p>
                {rows.with_value(|rows| rows.iter().enumerate().map(|(i, (f, m))| {
                    let m = *m;
                    let field_id = format!("measures-{}", f.id);
                    view! {
                        <div class="field">
                            <label for=field_id.clone()>{move || format!("{}{}", Msg::Measures.text(lang.get()), lang.get().colon())}{f.title.clone()}</label>
                            <textarea id=field_id rows="2" prop:value=move || m.get() on:input=move |ev| m.set(event_target_value(&ev))></textarea>
                            <p class="field-error" role="alert">{move || row_error(i)}</p>
                        </div>
                    }
                }).collect_view())}
                <TextField label=Msg::ResponsiblePerson name="responsible_person" value=person error=error/>
                <TextField label=Msg::TaskDeadline name="deadline" kind="date" value=deadline error=error/>
                <div class="field check">
                    <input type="checkbox" id="on-the-spot" prop:checked=move || on_the_spot.get()
                        on:change=move |ev| on_the_spot.set(event_target_checked(&ev))/>
                    <label for="on-the-spot">{t(OfficeMsg::OnTheSpotTasks)}</label>
                </div>
                <FormError error=error/>
                <button type="submit" class="primary" disabled=move || create.pending().get()>{t(OfficeMsg::CreateTasks)}</button>
            </form>
        })
    }
}

/// 回头看: the organisation's findings in earlier rounds and where their tasks stand; the team
/// may reopen one with a new task in this round.
#[component]
fn EarlierFindings(target_id: Memo<String>) -> impl IntoView {
    let api = expect_context::<Api>();
    let lang = use_lang();
    let role = use_role();
    let version = expect_context::<TasksVersion>();
    let list = LocalResource::new(move || {
        version.0.get();
        let target = target_id.get();
        async move { api.earlier_findings(&target).await }
    });
    let reopen = Action::new_local(move |f: &Finding| {
        let task = NewTask {
            finding_id: f.id.clone(),
            responsible_person: None,
            measures: "回头看发现整改不到位，重新整改".to_string(),
            deadline: None,
            kind: TaskKind::Regular,
        };
        async move {
            let r = api.create_tasks(&target_id.get_untracked(), &[task]).await;
            if r.is_ok() {
                version.0.update(|n| *n += 1);
            }
            r
        }
    });
    let error = Signal::derive(move || reopen.value().get().and_then(Result::err));
    view! {
        <section class="earlier" aria-labelledby="earlier-heading">
            <h2 id="earlier-heading">{t(OfficeMsg::EarlierFindings)}</h2>
            {loaded(list, move |r| match r {
                items if items.is_empty() => view! { <p class="hint">{t(OfficeMsg::NoEarlierFindings)}</p> }.into_any(),
                items => view! {
                    <ul>
                        {items.into_iter().map(|e| {
                            let states = e.tasks.iter().map(|t| (t.status, t.overdue)).collect::<Vec<_>>();
                            let f = StoredValue::new(e.finding.clone());
                            view! {
                                <li>
                                    <strong>{e.finding.title.clone()}</strong>
                                    {format!(" · {}", e.round_name)}
                                    <br/>
                                    {move || states.iter().map(|(s, late)| format!("{}{} ", s.label(lang.get()), if *late { Msg::Overdue.text(lang.get()) } else { "" })).collect::<String>()}
                                    {move || (role.get() == Some(Role::Inspector)).then(|| view! {
                                        <button type="button" disabled=move || reopen.pending().get() on:click=move |_| { reopen.dispatch_local(f.get_value()); }>{t(OfficeMsg::Reopen)}</button>
                                    })}
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any(),
            })}
            <FormError error=error/>
        </section>
    }
}
