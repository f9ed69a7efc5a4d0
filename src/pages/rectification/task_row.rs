//! One task as the office and the teams see it in any list, with the moves the viewer may make.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use xuncha_api::rectification::{MoveTask, Task, TaskKind, TaskStatus};
use xuncha_api::users::Role;

use crate::api::Api;
use crate::components::{loaded, FormError, TextField};
use crate::i18n::{t, use_lang, Msg, OfficeMsg};
use crate::session::use_role;

use super::TasksVersion;

/// One task with its state, what the liaison reported, and the moves the viewer may make.
#[component]
pub(super) fn TaskRow(task: Task, show_org: bool) -> impl IntoView {
    let lang = use_lang();
    let status = task.status;
    let overdue = task.overdue;
    let id = task.id.clone();
    let deadline = task.deadline;
    let org = show_org.then(|| format!("{} · ", task.org_name));
    let on_the_spot = task.kind == TaskKind::OnTheSpot;
    view! {
        <li class="task" class:overdue=overdue>
            <p>
                <strong>{org}{task.finding_title.clone()}</strong>
                {on_the_spot.then(|| view! { " " <span class="badge">{move || TaskKind::OnTheSpot.label(lang.get())}</span> })}
                <br/>{task.measures.clone()}
            </p>
            <p>
                {move || format!("{} · {} · {} {deadline}", status.label(lang.get()), task.responsible_person, Msg::TaskDeadline.text(lang.get()))}
                {overdue.then(|| view! { " " <strong class="late">{t(Msg::Overdue)}</strong> })}
            </p>
            <TaskDetails id=id.clone()/>
            <TaskMoves id=id status=status title=task.finding_title.clone()/>
        </li>
    }
}

/// A task's progress reports, files and history, read when opened: a ledger of hundreds of
/// rows asks for none of them up front.
#[component]
pub(super) fn TaskDetails(id: String) -> impl IntoView {
    let api = expect_context::<Api>();
    let lang = use_lang();
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
    view! {
            <details on:toggle=move |_| opened.set(true)>
                <summary>{t(Msg::ProgressHistory)}</summary>
                {loaded(detail, move |r| match r {
                    None => ().into_any(),
                    Some(d) => {
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
                })}
            </details>
    }
}

/// The team verifies a submitted task (accept, or return with a reason); the office closes an
/// accepted one. The server decides who may; the buttons only spare a refused click.
#[component]
pub(super) fn TaskMoves(id: String, status: TaskStatus, title: String) -> impl IntoView {
    let api = expect_context::<Api>();
    let lang = use_lang();
    // 验收通过 and 销号 cannot be taken back by whoever made them: asked once, naming the task.
    let confirming = RwSignal::new(None::<TaskStatus>);
    let title = StoredValue::new(title);
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
        confirming.set(None);
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
    let ask = move |to: TaskStatus| {
        view! {
            <div class="confirm" role="alertdialog" aria-labelledby="confirm-text">
                <p id="confirm-text">{move || {
                    let l = lang.get();
                    let (verb, note) = match to {
                        TaskStatus::Closed => (OfficeMsg::ConfirmClose.text(l), OfficeMsg::ConfirmCloseNote.text(l)),
                        _ => (OfficeMsg::ConfirmAccept.text(l), OfficeMsg::ConfirmAcceptNote.text(l)),
                    };
                    format!("{verb}{}{}{}{note}", l.pick("「", "\""), title.get_value(), l.pick("」？", "\"? "))
                }}</p>
                <button type="button" class="primary" disabled=move || act.pending().get() on:click=move |_| go(to)>
                    {move || match to { TaskStatus::Closed => OfficeMsg::CloseTask.text(lang.get()), _ => OfficeMsg::AcceptTask.text(lang.get()) }}
                </button>
                <button type="button" on:click=move |_| confirming.set(None)>{t(OfficeMsg::Cancel)}</button>
            </div>
        }
    };
    move || {
        if let Some(to) = confirming.get() {
            return ask(to).into_any();
        }
        match (role.get(), status) {
        (Some(Role::Inspector), TaskStatus::Submitted) => view! {
            <form class="task-moves" on:submit=move |ev: SubmitEvent| { ev.prevent_default(); go(TaskStatus::InProgress); } novalidate>
                <button type="button" class="primary" disabled=move || act.pending().get() on:click=move |_| confirming.set(Some(TaskStatus::Accepted))>{t(OfficeMsg::AcceptTask)}</button>
                <TextField label=Msg::ReturnReason name="reason" value=reason error=error/>
                <button type="submit" disabled=move || act.pending().get()>{t(OfficeMsg::ReturnTask)}</button>
                <FormError error=error/>
            </form>
        }.into_any(),
        (Some(Role::Admin), TaskStatus::Accepted) => view! {
            <form class="task-moves" on:submit=move |ev: SubmitEvent| { ev.prevent_default(); confirming.set(Some(TaskStatus::Closed)); } novalidate>
                <TextField label=OfficeMsg::PublicText name="public_text" value=public_text error=error/>
                <button type="submit" class="primary" disabled=move || act.pending().get()>{t(OfficeMsg::CloseTask)}</button>
                <FormError error=error/>
            </form>
        }.into_any(),
        _ => ().into_any(),
    }
    }
}
