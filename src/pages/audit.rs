//! The audit log, for the office: who did what, when; newest first.

use leptos::prelude::*;
use xuncha_api::audit::{AuditBreakKind, AuditCheck, AuditEntry, AuditQuery};

use crate::api::Api;
use crate::components::{loaded, unique_id, FormError, Submission, TextField};
use crate::i18n::{t, use_lang, CaseMsg, Msg, OfficeMsg};

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
            <VerifyChain/>
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
                    <p>{CaseMsg::CurrentCheckpoint.text(l)}{"："}<code class="checkpoint">{head}</code></p>
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
