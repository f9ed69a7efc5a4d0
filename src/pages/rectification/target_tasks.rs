//! A target's tasks: the list, their creation from its 问题清单, and 回头看.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use xuncha_api::findings::{Finding, NewFinding};
use xuncha_api::rectification::{NewTask, Task, TaskKind};
use xuncha_api::users::Role;

use crate::api::{Api, AppError};
use crate::components::{load_failure, loaded, loaded_value, FormError, TextField};
use crate::i18n::{t, use_lang, CaseMsg, Msg, OfficeMsg};
use crate::offline::{new_id, store, worth_sending_again, Outbox};
use crate::pages::talks::SavedWork;
use crate::session::use_role;

use super::task_row::TaskRow;
use super::TasksVersion;

/// A finding a task may be made from: its id, its title, and whether it waits on this
/// device (recorded with no network and not yet sent).
#[derive(Debug, Clone, PartialEq)]
struct Untasked {
    id: String,
    title: String,
    waiting: bool,
}

/// The tasks of one target, their creation from its findings, and 回头看.
#[component]
pub fn TargetTasks(target_id: Memo<String>, findings_version: RwSignal<u32>) -> impl IntoView {
    let api = expect_context::<Api>();
    let outbox = expect_context::<Outbox>();
    let version = TasksVersion(RwSignal::new(0));
    provide_context(version);
    // Tasks created on this device reaching the server join the list.
    Effect::new(move |_| {
        if outbox.tasks_changed.get() > 0 {
            version.0.update(|v| *v += 1);
        }
    });
    // Both kept on the device, so a 立行立改 task can be made on site with no signal.
    let tasks = LocalResource::new(move || {
        version.0.get();
        let target = target_id.get();
        async move { store::fresh_or_kept(&format!("tasks:{target}"), api.target_tasks(&target)).await }
    });
    let findings = LocalResource::new(move || {
        findings_version.get();
        version.0.get();
        let target = target_id.get();
        async move { store::findings_of(api, &target).await }
    });
    // What waits on the device: findings recorded and tasks created with no network.
    let waiting = LocalResource::new(move || {
        outbox.changed.get();
        let target = target_id.get();
        async move {
            (
                outbox.created_work::<NewFinding>(&target).await,
                outbox.created_work::<NewTask>(&target).await,
            )
        }
    });
    // Every finding known here, sent or waiting; a memo, so that the outbox's every tick
    // does not rebuild the form below and wipe what is being typed.
    let known = Memo::new(move |_| {
        let mut all: Vec<Untasked> = loaded_value(findings)
            .into_iter()
            .flatten()
            .map(|f| Untasked {
                id: f.id,
                title: f.title,
                waiting: false,
            })
            .collect();
        if let Some((found, _)) = waiting.get() {
            all.extend(
                found
                    .into_iter()
                    .filter(|w| w.refused.is_none())
                    .map(|w| Untasked {
                        id: w.id,
                        title: w.draft.title,
                        waiting: true,
                    }),
            );
        }
        all
    });
    // Findings with no task yet, on the server or on the way, are offered for creation.
    let untasked = Memo::new(move |_| {
        let mut have: Vec<String> = tasks
            .get()
            .and_then(Result::ok)
            .map(|ts| ts.into_iter().map(|t| t.finding_id).collect())
            .unwrap_or_default();
        if let Some((_, made)) = waiting.get() {
            have.extend(made.into_iter().map(|w| w.draft.finding_id));
        }
        known
            .get()
            .into_iter()
            .filter(|f| !have.contains(&f.id))
            .collect::<Vec<_>>()
    });
    let label = Callback::new(move |(task, l): (NewTask, xuncha_api::Lang)| {
        let title = known.with_untracked(|all| {
            all.iter()
                .find(|f| f.id == task.finding_id)
                .map(|f| f.title.clone())
                .unwrap_or_default()
        });
        format!("{} · {title} · {}", task.kind.label(l), task.measures)
    });
    view! {
        <section class="tasks" aria-labelledby="tasks-heading">
            <h2 id="tasks-heading">{t(Msg::NavTasks)}</h2>
            {loaded(tasks, move |items| if items.is_empty() {
                // Tasks waiting on the device are tasks: the list is not said to be empty.
                view! {
                    <Show when=move || waiting.get().is_none_or(|(_, made)| made.is_empty())>
                        <p class="hint">{t(Msg::NoTasks)}</p>
                    </Show>
                }.into_any()
            } else {
                view! { <TaskTable tasks=items/> }.into_any()
            })}
            <SavedWork target_id=target_id label=label heading=CaseMsg::SavedNewTasks/>
            {load_failure(findings)}
            {move || {
                let open = untasked.get();
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
/// the deadline left to the server's defaults unless typed. Each row has its id from the
/// start, so a request sent again after a lost reply creates nothing twice; with no network
/// (or for a finding still on the device) the tasks wait in the outbox.
#[component]
fn CreateTasks(target_id: Memo<String>, findings: Vec<Untasked>) -> impl IntoView {
    let api = expect_context::<Api>();
    let outbox = expect_context::<Outbox>();
    let lang = use_lang();
    let role = use_role();
    let version = expect_context::<TasksVersion>();
    // Each finding: its measures, the new task's id, and whether it is made now (a 立行立改
    // is one problem fixed while the team is there, the rest wait for the feedback).
    let rows: Vec<(Untasked, RwSignal<String>, String, RwSignal<bool>)> = findings
        .into_iter()
        .map(|f| {
            // Measures are the team's own words for the unit and, once closed, the public: the
            // finding's title (perhaps a petition's) is not copied into them.
            (
                f,
                RwSignal::new("查明原因，制定措施，限期整改到位".to_string()),
                new_id(),
                RwSignal::new(true),
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
        let (tasks, on_device): (Vec<NewTask>, bool) = rows.with_value(|rows| {
            let chosen = || rows.iter().filter(|r| r.3.get_untracked());
            let tasks = chosen()
                .map(|(f, m, id, _)| NewTask {
                    finding_id: f.id.clone(),
                    responsible_person: (!person.trim().is_empty()).then(|| person.clone()),
                    measures: m.get_untracked(),
                    deadline,
                    kind: if on_the_spot.get_untracked() {
                        TaskKind::OnTheSpot
                    } else {
                        TaskKind::Regular
                    },
                    id: Some(id.clone()),
                })
                .collect();
            (tasks, chosen().any(|(f, ..)| f.waiting))
        });
        if tasks.is_empty() {
            return Err(xuncha_api::FieldError::new("tasks", xuncha_api::Problem::Required).into());
        }
        let target = target_id.get_untracked();
        // A finding still on the device is not on the server yet: its task follows it there.
        // With no network, or no reply, the tasks wait in the outbox under the same ids.
        let sent = if on_device {
            Err(AppError::Network)
        } else {
            api.create_tasks(&target, &tasks).await.map(drop)
        };
        match sent {
            Err(e) if worth_sending_again(&e) => {
                for task in &tasks {
                    let id = task.id.clone().unwrap_or_default();
                    outbox.queue_created(&target, &id, task).await?;
                }
                Ok(())
            }
            Ok(()) => {
                version.0.update(|n| *n += 1);
                Ok(())
            }
            Err(e) => {
                // Another request made these tasks already: the list says so.
                if matches!(&e, AppError::Api(a) if a.code == xuncha_api::ErrorCode::Conflict) {
                    version.0.update(|n| *n += 1);
                }
                Err(e)
            }
        }
    });
    let error = Signal::derive(move || create.value().get().and_then(Result::err));
    // The server numbers the rows sent: the chosen ones.
    let row_error = move |i: usize| {
        let sent_as = rows.with_value(|rows| rows[..i].iter().filter(|r| r.3.get()).count() + 1);
        error.with(|e| match e {
            Some(AppError::Api(e)) => e
                .rows
                .iter()
                .find(|r| r.row == sent_as)
                .map(|r| r.problem.message(lang.get()).to_string()),
            _ => None,
        })
    };
    move || {
        (role.get() == Some(Role::Inspector)).then(|| view! {
            <form class="create-tasks" on:submit=move |ev: SubmitEvent| { ev.prevent_default(); create.dispatch_local(()); } novalidate>
                <h3>{t(OfficeMsg::CreateTasks)}</h3>
                <p class="hint">{t(OfficeMsg::CreateTasksHint)}</p>
                {rows.with_value(|rows| rows.iter().enumerate().map(|(i, (f, m, _, chosen))| {
                    let (m, chosen) = (*m, *chosen);
                    let field_id = format!("measures-{}", f.id);
                    let check_id = format!("make-{}", f.id);
                    let title = f.title.clone();
                    view! {
                        <div class="field check">
                            <input type="checkbox" id=check_id.clone() prop:checked=move || chosen.get()
                                on:change=move |ev| chosen.set(event_target_checked(&ev))/>
                            <label for=check_id>{move || format!("{}{}", OfficeMsg::MakeTaskFor.text(lang.get()), lang.get().colon())}{title.clone()}</label>
                        </div>
                        <div class="field" prop:hidden=move || !chosen.get()>
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
    // One id per finding reopened on this page: a tap again after a lost reply makes no
    // second task.
    let ids = StoredValue::new(Vec::<(String, String)>::new());
    let reopen = Action::new_local(move |f: &Finding| {
        let id = ids.with_value(|ids| {
            ids.iter()
                .find(|(of, _)| of == &f.id)
                .map(|(_, id)| id.clone())
        });
        let id = id.unwrap_or_else(|| {
            let id = new_id();
            ids.update_value(|ids| ids.push((f.id.clone(), id.clone())));
            id
        });
        let task = NewTask {
            finding_id: f.id.clone(),
            responsible_person: None,
            measures: "回头看发现整改不到位，重新整改".to_string(),
            deadline: None,
            kind: TaskKind::Regular,
            id: Some(id),
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
