//! The audit log, for the office: who did what, when; newest first.

use leptos::prelude::*;
use xuncha_api::audit::{AuditBreakKind, AuditCheck, AuditEntry, AuditQuery};

use crate::api::Api;
use crate::components::{loaded, unique_id, FormError, Submission, TextField};
use crate::i18n::{t, use_lang, CaseMsg, Msg, OfficeMsg};
use crate::pages::audit_words;
use leptos_router::components::A;

#[component]
pub fn AuditPage() -> impl IntoView {
    let api = expect_context::<Api>();
    let lang = use_lang();
    let action = RwSignal::new(String::new());
    let actor = RwSignal::new(String::new());
    let kind = RwSignal::new(String::new());
    let from = RwSignal::new(String::new());
    let to = RwSignal::new(String::new());
    let before = RwSignal::new(None::<String>);
    let filter_id = unique_id("audit-action");
    let users = LocalResource::new(move || async move { api.list_users().await });
    let page = LocalResource::new(move || {
        let some = |s: String| (!s.trim().is_empty()).then_some(s);
        let q = AuditQuery {
            action: some(action.get()),
            actor_id: some(actor.get()),
            object_type: some(kind.get()),
            from: crate::components::iso_date(&from.get()),
            to: crate::components::iso_date(&to.get()),
            before: before.get(),
            limit: Some(50),
            ..Default::default()
        };
        async move { api.audit(&q).await }
    });
    // A changed filter starts again from the newest.
    let refilter = move |signal: RwSignal<String>, value: String| {
        before.set(None);
        signal.set(value);
    };
    view! {
        <section class="page">
            <h1>{t(OfficeMsg::AuditLog)}</h1>
            <VerifyChain/>
            <h2>{t(OfficeMsg::AuditEntries)}</h2>
            <form class="filters" on:submit=|ev: leptos::ev::SubmitEvent| ev.prevent_default()>
                <div class="field">
                    <label for="audit-actor">{t(OfficeMsg::Who)}</label>
                    <select id="audit-actor" on:change=move |ev| refilter(actor, event_target_value(&ev))>
                        <option value="">{t(OfficeMsg::Everyone)}</option>
                        {move || users.get().and_then(Result::ok).unwrap_or_default().into_iter().map(|u| {
                            view! { <option value=u.id.clone()>{format!("{} ({})", u.display_name, u.username)}</option> }
                        }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="audit-kind">{t(OfficeMsg::Object)}</label>
                    <select id="audit-kind" on:change=move |ev| refilter(kind, event_target_value(&ev))>
                        <option value="">{t(OfficeMsg::EveryKind)}</option>
                        {audit_words::KINDS.into_iter().map(|k| view! { <option value=k>{move || audit_words::kind_label(k, lang.get()).to_string()}</option> }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="audit-from">{t(OfficeMsg::FromDay)}</label>
                    <input id="audit-from" type="date" on:change=move |ev| refilter(from, event_target_value(&ev))/>
                </div>
                <div class="field">
                    <label for="audit-to">{t(OfficeMsg::ToDay)}</label>
                    <input id="audit-to" type="date" on:change=move |ev| refilter(to, event_target_value(&ev))/>
                </div>
                <details class="expert">
                    <summary>{t(OfficeMsg::ByActionCode)}</summary>
                    <div class="field">
                        <label for=filter_id.clone()>{t(OfficeMsg::FilterAction)}</label>
                        <input id=filter_id type="search" placeholder="org. / user. / auth."
                            on:input=move |ev| refilter(action, event_target_value(&ev))/>
                    </div>
                </details>
            </form>
            {loaded(page, move |p| {
                        let next = p.next_before.clone();
                        let empty = p.entries.is_empty();
                        view! {
                            <div class="table-scroll">
                                <table class="audit">
                                    <thead><tr>
                                        <th scope="col">{t(Msg::When)}</th>
                                        <th scope="col">{t(OfficeMsg::Who)}</th>
                                        <th scope="col">{t(OfficeMsg::WhatWasDone)}</th>
                                    </tr></thead>
                                    <tbody>{p.entries.into_iter().map(entry_row).collect_view()}</tbody>
                                </table>
                            </div>
                            {empty.then(|| view! { <p class="hint">{t(OfficeMsg::NoEntries)}</p> })}
                            {next.map(|n| view! {
                                <button type="button" on:click=move |_| before.set(Some(n.clone()))>{t(OfficeMsg::Older)}</button>
                            })}
                        }.into_any()
                    })}
        </section>
    }
}

fn entry_row(e: AuditEntry) -> impl IntoView {
    let lang = use_lang();
    // Offices work in China Standard Time whatever the device is set to.
    let cst = chrono::FixedOffset::east_opt(8 * 3600).expect("valid offset");
    let when =
        e.at.with_timezone(&cst)
            .format("%Y-%m-%d %H:%M:%S")
            .to_string();
    let who = e.actor_name.clone();
    let raw = serde_json::to_string_pretty(&serde_json::json!({
        "action": e.action, "object_type": e.object_type, "object_id": e.object_id, "detail": e.detail,
    }))
    .unwrap_or_default();
    let link = audit_words::object_href(&e);
    let e = StoredValue::new(e);
    let what = move || {
        let l = lang.get();
        let (head, name) = e.with_value(|e| audit_words::sentence(e, l));
        let name = name.map(|n| match &link {
            Some(href) => {
                view! { {l.pick("「", " \"")}<A href=href.clone()>{n}</A>{l.pick("」", "\"")} }
                    .into_any()
            }
            None => view! { {l.pick("「", " \"")}{n}{l.pick("」", "\"")} }.into_any(),
        });
        let changes = e.with_value(|e| audit_words::changes(&e.detail, l));
        view! {
            <p class="said">{head}{name}</p>
            {(!changes.is_empty()).then(|| view! {
                <ul class="changes">{changes.into_iter().map(|c| view! { <li>{c}</li> }).collect_view()}</ul>
            })}
        }
    };
    view! {
        <tr>
            <td class="nowrap">{when}</td>
            <td>{move || who.clone().unwrap_or_else(|| OfficeMsg::System.text(lang.get()).to_string())}</td>
            <td>
                {what}
                <details class="raw">
                    <summary>{t(OfficeMsg::RawRecord)}</summary>
                    <pre><code>{raw}</code></pre>
                </details>
            </td>
        </tr>
    }
}

/// Walks the hash chain on the server and says whether every entry still matches, and the
/// checkpoint to write down.
#[component]
fn VerifyChain() -> impl IntoView {
    let api = expect_context::<Api>();
    let lang = use_lang();
    let checkpoint = RwSignal::new(String::new());
    let check = Submission::new(move |written_down: String| async move {
        api.audit_verify(&written_down).await
    });
    let error = check.error();
    let outcome = move || {
        check.last().map(|c: AuditCheck| {
            let l = lang.get();
            let head = c.head.to_string();
            match c.broken {
                None => view! {
                    <p class="status ok" role="status">
                        {format!("{}{}{} {}", CaseMsg::ChainIntact.text(l), l.colon(), c.entries, CaseMsg::Entries.text(l))}
                    </p>
                    <p>{CaseMsg::CurrentCheckpoint.text(l)}{l.colon()}<code class="checkpoint">{head}</code></p>
                    <p class="hint">{CaseMsg::CheckpointHint.text(l)}</p>
                }
                .into_any(),
                Some(b) => {
                    let what = match b.kind {
                        AuditBreakKind::Altered => CaseMsg::BreakAltered,
                        AuditBreakKind::Unlinked => CaseMsg::BreakUnlinked,
                        AuditBreakKind::Missing => CaseMsg::BreakMissing,
                        AuditBreakKind::Head => CaseMsg::BreakHead,
                        AuditBreakKind::Checkpoint => CaseMsg::BreakCheckpoint,
                        AuditBreakKind::Outside => CaseMsg::BreakOutside,
                    };
                    view! {
                        <p class="form-error" role="alert">
                            {format!("{}{}{}{} {}{}", CaseMsg::ChainBroken.text(l), l.colon(), CaseMsg::EntryNo.text(l), b.seq,
                                what.text(l), crate::i18n::in_brackets(l, &b.entry_id.unwrap_or_default()))}
                        </p>
                    }
                    .into_any()
                }
            }
        })
    };
    view! {
        <section class="verify-chain" aria-labelledby="verify-heading">
            <h2 id="verify-heading">{t(CaseMsg::VerifyChain)}</h2>
            <form on:submit=move |ev: leptos::ev::SubmitEvent| {
                ev.prevent_default();
                check.send(Ok(checkpoint.get_untracked()));
            } novalidate>
                <TextField label=CaseMsg::CheckpointLabel name="checkpoint" value=checkpoint error=error/>
                <FormError error=error/>
                <button type="submit" disabled=move || check.pending()>
                    {move || if check.pending() { CaseMsg::Verifying.text(lang.get()) } else { CaseMsg::VerifyChain.text(lang.get()) }}
                </button>
            </form>
            {outcome}
        </section>
    }
}
