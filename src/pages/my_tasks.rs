//! The liaison's own rectification tasks: the list, soonest deadline first, and one task with
//! its progress reports and photos. Everything typed here is kept on the phone first and sent
//! by the outbox, so a report written with no signal is never lost.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;
use xuncha_api::rectification::{is_overdue, Task, TaskDetail, TaskKind, TaskStatus};

use crate::api::{Api, AppError};
use crate::components::{loaded, LoadError};
use crate::i18n::{in_brackets, t, use_lang, Msg};
use crate::offline::{store, Outbox, TaskStep, TaskWork};
use crate::routes::{href, TASKS};

/// Today on this phone: overdue is worked out again on every showing, never taken from what
/// was cached days ago.
pub fn today() -> chrono::NaiveDate {
    let d = js_sys::Date::new_0();
    chrono::NaiveDate::from_ymd_opt(d.get_full_year() as i32, d.get_month() + 1, d.get_date())
        .unwrap_or_default()
}

/// A moment in the phone's own time zone; chrono's strftime would add tens of KB to the
/// village bundle for this one line.
pub fn local_stamp(at: chrono::DateTime<chrono::Utc>) -> String {
    let d = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(
        at.timestamp_millis() as f64
    ));
    format!(
        "{}-{:02}-{:02} {:02}:{:02}",
        d.get_full_year(),
        d.get_month() + 1,
        d.get_date(),
        d.get_hours(),
        d.get_minutes()
    )
}

/// The cached list is kept per organisation: on a phone shared by two liaisons, one never
/// reads the other's tasks offline.
fn mine_key(api: &Api) -> String {
    format!("mine:{}", own_org(api))
}

fn own_org(api: &Api) -> String {
    api.session.with_untracked(|s| {
        s.as_ref()
            .and_then(|s| s.user.org_id.clone())
            .unwrap_or_default()
    })
}

/// The liaison's tasks from the server, kept on the phone; with no network, the copy kept.
async fn mine(api: Api) -> Result<Vec<Task>, AppError> {
    match api.my_tasks().await {
        Ok(tasks) => {
            let _ = store::put(store::TASKS, &mine_key(&api), &tasks).await;
            // The list was once kept under one key for whoever signed in.
            let _ = store::delete(store::TASKS, "mine").await;
            Ok(tasks)
        }
        Err(AppError::Network) => store::get::<Vec<Task>>(store::TASKS, &mine_key(&api))
            .await
            .ok()
            .flatten()
            .ok_or(AppError::Network),
        Err(e) => Err(e),
    }
}

#[component]
pub fn MyTasksPage() -> impl IntoView {
    let api = expect_context::<Api>();
    let outbox = expect_context::<Outbox>();
    let list = LocalResource::new(move || {
        outbox.tasks_changed.get();
        mine(api)
    });
    view! {
        <section class="page narrow tasks-page">
            <h1>{t(Msg::NavTasks)}</h1>
            {loaded(list, move |r| match r {
                    tasks if tasks.is_empty() => view! { <p class="hint">{t(Msg::NoTasks)}</p> }.into_any(),
                    tasks => view! {
                        <ul class="task-list">
                            {tasks.into_iter().map(|task| view! { <TaskLine task=task/> }).collect_view()}
                        </ul>
                    }.into_any(),
                })}
        </section>
    }
}

#[component]
fn TaskLine(task: Task) -> impl IntoView {
    let lang = use_lang();
    let overdue = is_overdue(task.status, task.deadline, today());
    let status = task.status;
    let deadline = task.deadline;
    let on_the_spot = task.kind == TaskKind::OnTheSpot;
    view! {
        <li class="task" class:overdue=overdue>
            <A href=href::field_item(TASKS, &task.id)>{task.finding_title.clone()}</A>
            {(!task.round_name.is_empty()).then(|| view! { <p class="round">{task.round_name.clone()}</p> })}
            {on_the_spot.then(|| view! { <p class="badge">{move || TaskKind::OnTheSpot.label(lang.get())}</p> })}
            <p>
                {move || format!("{} · {} {deadline}", status.label(lang.get()), Msg::TaskDeadline.text(lang.get()))}
                {overdue.then(|| view! { <strong class="late">{t(Msg::Overdue)}</strong> })}
            </p>
        </li>
    }
}

#[component]
pub fn TaskPage() -> impl IntoView {
    let api = expect_context::<Api>();
    let outbox = expect_context::<Outbox>();
    let params = use_params_map();
    let id = Memo::new(move |_| params.read().get("id").unwrap_or_default());
    let detail = LocalResource::new(move || {
        outbox.tasks_changed.get();
        let id = id.get();
        async move {
            match api.task(&id).await {
                Ok(d) => {
                    let _ = outbox.keep_task(&d).await;
                    Ok(d)
                }
                Err(AppError::Network) => store::get::<TaskDetail>(store::TASKS, &id)
                    .await
                    .ok()
                    .flatten()
                    .filter(|d| d.task.org_id == own_org(&api))
                    .ok_or(AppError::Network),
                Err(e) => Err(e),
            }
        }
    });
    let waiting = LocalResource::new(move || {
        outbox.changed.get();
        let id = id.get();
        async move { outbox.task_work(&id).await }
    });
    let status = Memo::new(move |_| detail.get().and_then(Result::ok).map(|d| d.task.status));
    let submit_waiting = Memo::new(move |_| {
        waiting.get().is_some_and(|w| {
            w.iter()
                .any(|w| w.step == TaskStep::Submit && w.refused.is_none())
        })
    });
    // The form lives outside the task's view and is drawn again only when the task opens
    // or closes for reports: typing is never interrupted by a sync.
    let form_open = Memo::new(move |_| {
        matches!(
            status.get(),
            Some(TaskStatus::Pending | TaskStatus::InProgress)
        ) && !submit_waiting.get()
    });
    view! {
        <section class="page narrow task-page">
            <Transition fallback=move || view! { <p role="status">{t(Msg::Loading)}</p> }>
                {move || detail.get().map(|r| match r {
                    Ok(d) => view! { <TaskView detail=d waiting=waiting submit_waiting=submit_waiting/> }.into_any(),
                    Err(e) => view! {
                        <h1>{t(Msg::NavTasks)}</h1>
                        <LoadError error=e on_retry=move || detail.refetch()/>
                    }.into_any(),
                })}
            </Transition>
            // Drawn again only when the task changes: one task's notes never go to another.
            {move || {
                let task_id = id.get();
                view! {
                    <Show when=move || form_open.get()>
                        <ProgressForm task_id=task_id.clone()/>
                    </Show>
                }
            }}
        </section>
    }
}

#[component]
fn TaskView(
    detail: TaskDetail,
    waiting: LocalResource<Vec<TaskWork>>,
    submit_waiting: Memo<bool>,
) -> impl IntoView {
    let api = expect_context::<Api>();
    let lang = use_lang();
    let task = detail.task.clone();
    let overdue = is_overdue(task.status, task.deadline, today());
    let returned = detail
        .events
        .iter()
        .rev()
        .find(|e| e.from == TaskStatus::Submitted && e.to == TaskStatus::InProgress)
        .filter(|_| task.status == TaskStatus::InProgress)
        .map(|e| e.reason.clone());
    let status = task.status;
    let task_id = task.id.clone();
    let photos = detail
        .files
        .iter()
        .enumerate()
        .map(|(n, f)| {
            let href = api.task_file_href(&task_id, &f.id);
            view! {
                <li><FileLink href=href file_id=f.id.clone() image=f.content_type.starts_with("image/") n=n + 1/></li>
            }
        })
        .collect_view();
    view! {
        <h1>{task.finding_title.clone()}</h1>
        <dl class="facts">
            <dt>{t(Msg::Status)}</dt>
            <dd>
                {move || status.label(lang.get())}
                {move || submit_waiting.get().then(|| format!(" → {}{}", TaskStatus::Submitted.label(lang.get()), in_brackets(lang.get(), Msg::WaitingToSend.text(lang.get()))))}
            </dd>
            <dt>{t(Msg::Measures)}</dt>
            <dd>{task.measures.clone()}</dd>
            <dt>{t(Msg::ResponsiblePerson)}</dt>
            <dd>{task.responsible_person.clone()}</dd>
            <dt>{t(Msg::TaskDeadline)}</dt>
            <dd class:late=overdue>{task.deadline.to_string()} {overdue.then(|| view! { <strong>{t(Msg::Overdue)}</strong> })}</dd>
        </dl>
        {returned.map(|reason| view! { <p class="banner" role="note">{t(Msg::ReturnReason)}"："{reason}</p> })}
        <section aria-labelledby="progress-heading">
            <h2 id="progress-heading">{t(Msg::ProgressHistory)}</h2>
            {detail.progress.is_empty().then(|| view! { <p class="hint">{t(Msg::NoProgressYet)}</p> })}
            <ol class="progress">
                {detail.progress.iter().map(|p| view! {
                    <li><p>{p.note.clone()}</p><p class="hint">{format!("{} · {}", p.by, local_stamp(p.at))}</p></li>
                }).collect_view()}
            </ol>
            <ul class="photos">{photos}</ul>
            <Waiting waiting=waiting/>
        </section>
    }
}

/// What this phone still holds for the task, and what the server refused.
#[component]
fn Waiting(waiting: LocalResource<Vec<TaskWork>>) -> impl IntoView {
    let outbox = expect_context::<Outbox>();
    let lang = use_lang();
    move || {
        waiting.get().map(|items| {
            items
                .into_iter()
                .map(|w| {
                    let text = match &w.step {
                        TaskStep::Progress { note } => note.clone(),
                        TaskStep::Photo { .. } => Msg::TaskPhoto.text(lang.get()).to_string(),
                        TaskStep::Submit => Msg::SubmitTask.text(lang.get()).to_string(),
                    };
                    let refused = w.refused.clone();
                    let is_refused = refused.is_some();
                    let work = StoredValue::new(w);
                    view! {
                        <p class="waiting" class:refused=is_refused>
                            <span class="badge">{move || if is_refused { Msg::RefusedByServer } else { Msg::WaitingToSend }.text(lang.get())}</span>
                            " "{text}
                            {refused.clone().map(|why| view! {
                                " — "{why}" "
                                <button type="button" on:click=move |_| {
                                    leptos::task::spawn_local(async move { let _ = outbox.retry_task_work(&work.get_value()).await; });
                                }>{t(Msg::Retry)}</button>
                                " "
                                <button type="button" on:click=move |_| {
                                    leptos::task::spawn_local(async move { let _ = outbox.discard_task_work(&work.get_value()).await; });
                                }>{t(Msg::Discard)}</button>
                            })}
                        </p>
                    }
                })
                .collect_view()
        })
    }
}

#[component]
fn ProgressForm(task_id: String) -> impl IntoView {
    let outbox = expect_context::<Outbox>();
    let lang = use_lang();
    let task_id = StoredValue::new(task_id);
    // Typed words survive a reload or a closed WeChat tab until they are saved.
    let draft_key = format!("xuncha.progress.{}", task_id.get_value());
    let storage = window().local_storage().ok().flatten();
    let note = RwSignal::new(
        storage
            .as_ref()
            .and_then(|s| s.get_item(&draft_key).ok().flatten())
            .unwrap_or_default(),
    );
    let draft_key = StoredValue::new(draft_key);
    let keep_draft = move |text: &str| {
        if let Some(s) = window().local_storage().ok().flatten() {
            let key = draft_key.get_value();
            let _ = if text.is_empty() {
                s.remove_item(&key)
            } else {
                s.set_item(&key, text)
            };
        }
    };
    let error = RwSignal::new(None::<String>);
    let saved = RwSignal::new(false);
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let text = note.get_untracked();
        if text.trim().is_empty() {
            error.set(Some(
                xuncha_api::Problem::Required
                    .message(lang.get_untracked())
                    .to_string(),
            ));
            return;
        }
        leptos::task::spawn_local(async move {
            let step = TaskStep::Progress { note: text };
            match outbox
                .queue_task_work(&task_id.get_value(), step, None, js_sys::Date::now())
                .await
            {
                Ok(()) => {
                    note.set(String::new());
                    keep_draft("");
                    error.set(None);
                    saved.set(true);
                }
                Err(e) => error.set(Some(e.message(lang.get_untracked()))),
            }
        });
    };
    let on_photo = move |ev: leptos::ev::Event| {
        let input: web_sys::HtmlInputElement = event_target(&ev);
        let Some(file) = input.files().and_then(|f| f.get(0)) else {
            return;
        };
        input.set_value("");
        let made_at = js_sys::Date::now();
        leptos::task::spawn_local(async move {
            let result = match crate::offline::photo::prepare(&file).await {
                Ok((blob, kind)) if blob.size() <= 5.0 * 1024.0 * 1024.0 => {
                    let step = TaskStep::Photo { content_type: kind };
                    outbox
                        .queue_task_work(&task_id.get_value(), step, Some(&blob), made_at)
                        .await
                        .map_err(|e| e.message(lang.get_untracked()))
                }
                Ok(_) => Err(xuncha_api::ErrorCode::PayloadTooLarge
                    .message(lang.get_untracked())
                    .to_string()),
                Err(e) => Err(e.message(lang.get_untracked())),
            };
            error.set(result.err());
        });
    };
    let submit = move |_| {
        leptos::task::spawn_local(async move {
            let r = outbox
                .queue_task_work(
                    &task_id.get_value(),
                    TaskStep::Submit,
                    None,
                    js_sys::Date::now(),
                )
                .await;
            error.set(r.err().map(|e| e.message(lang.get_untracked())));
        });
    };
    view! {
        <form class="progress-form" on:submit=save novalidate>
            <div class="field">
                <label for="progress-note">{t(Msg::ProgressNote)}</label>
                <textarea id="progress-note" rows="4" prop:value=move || note.get()
                    on:input=move |ev| { let text = event_target_value(&ev); keep_draft(&text); note.set(text); saved.set(false); }></textarea>
            </div>
            <div class="field">
                <label for="progress-photo">{t(Msg::AddTaskPhoto)}</label>
                <input id="progress-photo" type="file" accept="image/*,application/pdf" capture="environment" on:change=on_photo/>
            </div>
            <p class="form-error" role="alert">{move || error.get()}</p>
            <p class="status" role="status">{move || saved.get().then(|| Msg::Saved.text(lang.get()))}</p>
            <button type="submit" class="primary">{t(Msg::SaveProgress)}</button>
            " "
            <button type="button" on:click=submit>{t(Msg::SubmitTask)}</button>
        </form>
    }
}

/// A photo shown small (the phone's own copy when it took it, so it shows offline), or a file
/// (a PDF) as a link; numbered for screen readers.
#[component]
pub fn FileLink(href: String, file_id: String, image: bool, n: usize) -> impl IntoView {
    let lang = use_lang();
    if image {
        view! {
            <a href=href.clone()><img src=crate::offline::photo::shown_from_phone(file_id, Some(href.clone())) alt=move || format!("{} {n}", Msg::TaskPhoto.text(lang.get())) loading="lazy"/></a>
        }
        .into_any()
    } else {
        view! { <a href=href>{move || format!("{} {n}", Msg::TaskFile.text(lang.get()))}</a> }
            .into_any()
    }
}

/// The link from the liaison's home to its tasks, with how many are still open and overdue.
#[component]
pub fn TasksLink() -> impl IntoView {
    let api = expect_context::<Api>();
    let lang = use_lang();
    let list = LocalResource::new(move || mine(api));
    let counts = move || {
        let tasks = list.get()?.ok()?;
        let today = today();
        let open = tasks
            .iter()
            .filter(|t| !matches!(t.status, TaskStatus::Accepted | TaskStatus::Closed))
            .count();
        let overdue = tasks
            .iter()
            .filter(|t| is_overdue(t.status, t.deadline, today))
            .count();
        let l = lang.get();
        Some(view! {
            <span class="counts">
                {format!("{open} {}", Msg::TasksOpen.text(l))}
                {(overdue > 0).then(|| view! { <strong class="late">{format!(" · {overdue} {}", Msg::TasksOverdue.text(l))}</strong> })}
            </span>
        })
    };
    view! {
        <p class="tasks-link">
            <A href=href::field(TASKS) attr:class="button-link">{t(Msg::NavTasks)}</A>
            {counts}
        </p>
    }
}
