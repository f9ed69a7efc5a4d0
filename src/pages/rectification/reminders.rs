//! 催办: open tasks due within a week or overdue, by organisation.

use leptos::prelude::*;

use crate::api::Api;
use crate::components::loaded;
use crate::i18n::{t, use_lang, Msg, OfficeMsg};

use super::task_row::TaskRow;
use super::TasksVersion;

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
