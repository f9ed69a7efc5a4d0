//! Rectification for the office and the teams: tasks created from a target's findings and
//! verified there, 回头看 of earlier findings, the reminders view (催办) and the ledger
//! (整改台账) of a round.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_router::components::A;
use xuncha_api::checklists::Finding;
use xuncha_api::rectification::{MoveTask, NewTask, Task, TaskStatus};
use xuncha_api::users::Role;

use crate::api::{Api, AppError};
use crate::components::{load_failure, loaded, loaded_value, FormError, TextField};
use crate::i18n::{t, use_lang, Msg, OfficeMsg};
use crate::routes::{href, REMINDERS};
use crate::session::use_role;

/// Bumped when tasks changed, so every list on the page reads them again.
#[derive(Clone, Copy)]
struct TasksVersion(RwSignal<u32>);

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

/// One task with its state, what the liaison reported, and the moves the viewer may make.
#[component]
fn TaskRow(task: Task, show_org: bool) -> impl IntoView {
    let api = expect_context::<Api>();
    let lang = use_lang();
    let status = task.status;
    let overdue = task.overdue;
    let id = task.id.clone();
    let deadline = task.deadline;
    // Read when opened: a ledger of hundreds of rows asks for none of them up front.
    let opened = RwSignal::new(false);
    let detail = LocalResource::new({
        let id = id.clone();
        move || {
            let id = id.clone();
            let open = opened.get();
            async move {
                if open {
                    api.task(&id).await.map(Some)
                } else {
                    Ok(None)
                }
            }
        }
    });
    let org = show_org.then(|| format!("{} · ", task.org_name));
    view! {
        <li class="task" class:overdue=overdue>
            <p>
                <strong>{org}{task.finding_title.clone()}</strong>
                <br/>{task.measures.clone()}
            </p>
            <p>
                {move || format!("{} · {} · {} {deadline}", status.label(lang.get()), task.responsible_person, Msg::TaskDeadline.text(lang.get()))}
                {overdue.then(|| view! { " " <strong class="late">{t(Msg::Overdue)}</strong> })}
            </p>
            <details on:toggle=move |_| opened.set(true)>
                <summary>{t(Msg::ProgressHistory)}</summary>
                {move || detail.get().map(|r| match r {
                    Ok(None) => ().into_any(),
                    Ok(Some(d)) => {
                        let task_id = d.task.id.clone();
                        view! {
                            {d.progress.is_empty().then(|| view! { <p class="hint">{t(Msg::NoProgressYet)}</p> })}
                            <ol class="progress">
                                {d.progress.iter().map(|p| view! { <li>{p.note.clone()}<span class="hint">{format!(" — {} {}", p.by, p.at.format("%Y-%m-%d %H:%M"))}</span></li> }).collect_view()}
                            </ol>
                            <ul class="photos">
                                {d.files.iter().enumerate().map(|(n, f)| {
                                    let href = api.task_file_href(&task_id, &f.id);
                                    view! { <li><crate::pages::my_tasks::FileLink href=href file_id=f.id.clone() image=f.content_type.starts_with("image/") n=n + 1/></li> }
                                }).collect_view()}
                            </ul>
                            <h3>{t(OfficeMsg::TaskHistory)}</h3>
                            <ol class="history">
                                {d.events.iter().map(|e| {
                                    let (from, to) = (e.from, e.to);
                                    let line = format!("{} {} {}", e.at.format("%Y-%m-%d %H:%M"), e.by, e.reason);
                                    view! { <li>{move || format!("{} → {} ", from.label(lang.get()), to.label(lang.get()))}{line}</li> }
                                }).collect_view()}
                            </ol>
                        }.into_any()
                    }
                    Err(e) => view! { <p class="form-error" role="alert">{e.message(lang.get())}</p> }.into_any(),
                })}
            </details>
            <TaskMoves id=id status=status/>
        </li>
    }
}

/// The team verifies a submitted task (accept, or return with a reason); the office closes an
/// accepted one. The server decides who may; the buttons only spare a refused click.
#[component]
fn TaskMoves(id: String, status: TaskStatus) -> impl IntoView {
    let api = expect_context::<Api>();
    let role = use_role();
    let version = use_context::<TasksVersion>();
    let reason = RwSignal::new(String::new());
    let public_text = RwSignal::new(String::new());
    let id = StoredValue::new(id);
    let act = Action::new_local(move |req: &MoveTask| {
        let req = req.clone();
        async move {
            let r = api.move_task(&id.get_value(), &req).await;
            if r.is_ok() {
                if let Some(v) = version {
                    v.0.update(|n| *n += 1);
                }
            }
            r
        }
    });
    let error = Signal::derive(move || act.value().get().and_then(Result::err));
    let go = move |to: TaskStatus| {
        act.dispatch_local(MoveTask {
            to,
            reason: reason.get_untracked(),
            public_text: if to == TaskStatus::Closed {
                public_text.get_untracked()
            } else {
                String::new()
            },
        });
    };
    move || {
        match (role.get(), status) {
        (Some(Role::Inspector), TaskStatus::Submitted) => view! {
            <form class="task-moves" on:submit=move |ev: SubmitEvent| { ev.prevent_default(); go(TaskStatus::InProgress); } novalidate>
                <button type="button" class="primary" disabled=move || act.pending().get() on:click=move |_| go(TaskStatus::Accepted)>{t(OfficeMsg::AcceptTask)}</button>
                <TextField label=Msg::ReturnReason name="reason" value=reason error=error/>
                <button type="submit" disabled=move || act.pending().get()>{t(OfficeMsg::ReturnTask)}</button>
                <FormError error=error/>
            </form>
        }.into_any(),
        (Some(Role::Admin), TaskStatus::Accepted) => view! {
            <form class="task-moves" on:submit=move |ev: SubmitEvent| { ev.prevent_default(); go(TaskStatus::Closed); } novalidate>
                <TextField label=OfficeMsg::PublicText name="public_text" value=public_text error=error/>
                <button type="submit" class="primary" disabled=move || act.pending().get()>{t(OfficeMsg::CloseTask)}</button>
                <FormError error=error/>
            </form>
        }.into_any(),
        _ => ().into_any(),
    }
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
                            <label for=field_id.clone()>{move || format!("{}：", Msg::Measures.text(lang.get()))}{f.title.clone()}</label>
                            <textarea id=field_id rows="2" prop:value=move || m.get() on:input=move |ev| m.set(event_target_value(&ev))></textarea>
                            <p class="field-error" role="alert">{move || row_error(i)}</p>
                        </div>
                    }
                }).collect_view())}
                <TextField label=Msg::ResponsiblePerson name="responsible_person" value=person error=error/>
                <TextField label=Msg::TaskDeadline name="deadline" kind="date" value=deadline error=error/>
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
            {move || list.get().map(|r| match r {
                Ok(items) if items.is_empty() => view! { <p class="hint">{t(OfficeMsg::NoEarlierFindings)}</p> }.into_any(),
                Ok(items) => view! {
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
                Err(e) => view! { <p class="form-error" role="alert">{e.message(lang.get())}</p> }.into_any(),
            })}
            <FormError error=error/>
        </section>
    }
}

/// 催办: open tasks due within a week or overdue, by organisation.
#[component]
pub fn RemindersPage() -> impl IntoView {
    let api = expect_context::<Api>();
    let lang = use_lang();
    let version = TasksVersion(RwSignal::new(0));
    provide_context(version);
    let data = LocalResource::new(move || {
        version.0.get();
        async move { api.reminders().await }
    });
    view! {
        <section class="page reminders-page">
            <h1>{t(Msg::NavReminders)}</h1>
            <p class="intro">{t(OfficeMsg::RemindersIntro)}</p>
            {loaded(data, move |r| match r {
                    r if r.groups.is_empty() => view! { <p class="hint">{t(OfficeMsg::NoReminders)}</p> }.into_any(),
                    r => view! {
                        <p>{move || format!("{} {}", OfficeMsg::TaskTotal.text(lang.get()), r.total)}
                           {r.truncated.then(|| view! { " · " {t(OfficeMsg::MoreReminders)} })}</p>
                        {r.groups.into_iter().map(|g| view! {
                            <section class="reminder-group">
                                <h2>{g.org_name.clone()}{(g.overdue > 0).then(|| view! { " " <span class="badge">{move || format!("{} {}", Msg::Overdue.text(lang.get()), g.overdue)}</span> })}</h2>
                                <ul class="task-list office">
                                    {g.tasks.into_iter().map(|task| view! { <TaskRow task=task show_org=false/> }).collect_view()}
                                </ul>
                            </section>
                        }).collect_view()}
                    }.into_any(),
                })}
        </section>
    }
}

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
