//! The audit log, for the office: who did what, when; newest first.

use leptos::prelude::*;
use xuncha_api::audit::{AuditEntry, AuditQuery};

use crate::api::Api;
use crate::components::{loaded, unique_id};
use crate::i18n::{t, Msg, OfficeMsg};

#[component]
pub fn AuditPage() -> impl IntoView {
    let api = expect_context::<Api>();
    let action = RwSignal::new(String::new());
    let before = RwSignal::new(None::<String>);
    let filter_id = unique_id("audit-action");
    let page = LocalResource::new(move || {
        let q = AuditQuery {
            action: Some(action.get()),
            before: before.get(),
            limit: Some(50),
            ..Default::default()
        };
        async move { api.audit(&q).await }
    });
    view! {
        <section class="page">
            <h1>{t(OfficeMsg::AuditLog)}</h1>
            <div class="field">
                <label for=filter_id.clone()>{t(OfficeMsg::FilterAction)}</label>
                <input id=filter_id type="search" placeholder="org. / user. / auth." bind:value=action
                    on:input=move |_| before.set(None)/>
            </div>
            {loaded(page, move |p| {
                        let next = p.next_before.clone();
                        view! {
                            <table class="audit">
                                <thead><tr>
                                    <th scope="col">{t(Msg::When)}</th>
                                    <th scope="col">{t(OfficeMsg::Who)}</th>
                                    <th scope="col">{t(OfficeMsg::Action)}</th>
                                    <th scope="col">{t(OfficeMsg::Object)}</th>
                                    <th scope="col">{t(Msg::Detail)}</th>
                                </tr></thead>
                                <tbody>{p.entries.into_iter().map(entry_row).collect_view()}</tbody>
                            </table>
                            {next.map(|n| view! {
                                <button type="button" on:click=move |_| before.set(Some(n.clone()))>{t(OfficeMsg::Older)}</button>
                            })}
                        }.into_any()
                    })}
        </section>
    }
}

fn entry_row(e: AuditEntry) -> impl IntoView {
    // Offices work in China Standard Time whatever the device is set to.
    let cst = chrono::FixedOffset::east_opt(8 * 3600).expect("valid offset");
    let when =
        e.at.with_timezone(&cst)
            .format("%Y-%m-%d %H:%M:%S")
            .to_string();
    let who = e.actor_name.clone();
    let detail = e.detail.to_string();
    view! {
        <tr>
            <td>{when}</td>
            <td>{move || who.clone().unwrap_or_else(|| t(OfficeMsg::System)().to_string())}</td>
            <td><code>{e.action}</code></td>
            <td>{format!("{} {}", e.object_type, e.object_id.unwrap_or_default())}</td>
            <td class="detail"><code>{detail}</code></td>
        </tr>
    }
}
