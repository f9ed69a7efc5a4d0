//! An inspection team at one target: its checklist record and its findings (问题清单).

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use xuncha_api::checklists::{ChecklistKind, FocusPoint, OpenRecord, RecordStatus, ReturnRecord};
use xuncha_api::findings::{FindingSource, NewFinding, Severity};

use crate::api::{Api, AppError};
use crate::components::{loaded, unique_id, FormError, Submission, TextField};
use crate::i18n::{t, use_lang, CaseMsg, Msg, OfficeMsg};
use crate::offline::{new_id, store, CachedRecord, Outbox};
use crate::pages::checklist::ChecklistForm;

/// Bumped when the findings changed.
#[derive(Clone, Copy)]
pub struct FindingsVersion(pub RwSignal<u32>);

#[component]
pub fn TargetPage() -> impl IntoView {
    let api = expect_context::<Api>();
    let outbox = expect_context::<Outbox>();
    let params = use_params_map();
    let target_id = Memo::new(move |_| params.read().get("id").unwrap_or_default());
    let version = FindingsVersion(RwSignal::new(0));
    // Bumped when a talk is recorded: the clue form offers it as a source at once.
    let talks = RwSignal::new(0u32);
    provide_context(version);
    provide_context(crate::pages::talks::FromTalk(RwSignal::new(None)));
    // On site with no network, the record this device holds for the target is used.
    let record = LocalResource::new(move || {
        let target = target_id.get();
        async move {
            let key = format!("target:{target}");
            let opened = api
                .open_record(&OpenRecord {
                    kind: ChecklistKind::Inspection,
                    target_id: Some(target),
                })
                .await;
            match opened {
                Ok(record) => {
                    let cached = outbox.cache(record).await?;
                    let _ = store::put(store::META, &key, &cached.record.id).await;
                    Ok(cached)
                }
                Err(AppError::Network) => {
                    let id: Option<String> = store::get(store::META, &key).await.ok().flatten();
                    let cached = match id {
                        Some(id) => store::get::<CachedRecord>(store::RECORDS, &id)
                            .await
                            .ok()
                            .flatten(),
                        None => None,
                    };
                    cached.ok_or(AppError::Network)
                }
                Err(e) => Err(e),
            }
        }
    });
    view! {
        <section class="page narrow checklist-page">
            <h1>{t(OfficeMsg::ChecklistRecord)}</h1>
            {loaded(record, move |c| {
                        let submitted = c.record.status == RecordStatus::Submitted;
                        let id = c.record.id.clone();
                        view! {
                            <ChecklistForm record_id=c.record.id.clone() item_extra=finding_button(target_id.get_untracked())/>
                            {submitted.then(|| view! { <ReturnForm record_id=id/> })}
                        }.into_any()
                    })}
            <Findings target_id=target_id/>
            <crate::pages::talks::TargetTalks target_id=target_id version=talks/>
            <crate::pages::clues::TargetClues target_id=target_id talks=talks/>
            <crate::pages::petitions::TargetPetitions target_id=target_id/>
            <crate::pages::evaluations::TargetEvaluations target_id=target_id/>
            <crate::pages::rectification::TargetTasks target_id=target_id findings_version=version.0/>
        </section>
    }
}

/// The team leader sends a submitted record back with a reason.
#[component]
fn ReturnForm(record_id: String) -> impl IntoView {
    let api = expect_context::<Api>();
    let outbox = expect_context::<Outbox>();
    let reason = RwSignal::new(String::new());
    let id = StoredValue::new(record_id);
    let send = Action::new_local(move |r: &String| {
        let req = ReturnRecord { reason: r.clone() };
        async move {
            let record = api.return_record(&id.get_value(), &req).await?;
            outbox.cache(record).await.map(|_| ())
        }
    });
    let error = Signal::derive(move || send.value().get().and_then(Result::err));
    view! {
        <form class="return" on:submit=move |ev: SubmitEvent| { ev.prevent_default(); send.dispatch_local(reason.get_untracked()); } novalidate>
            <TextField label=Msg::ReturnReason name="reason" value=reason error=error/>
            <FormError error=error/>
            <button type="submit">{t(OfficeMsg::ReturnRecord)}</button>
        </form>
    }
}

#[component]
fn Findings(target_id: Memo<String>) -> impl IntoView {
    let api = expect_context::<Api>();
    let lang = use_lang();
    let version = expect_context::<FindingsVersion>().0;
    let list = LocalResource::new(move || {
        version.get();
        let target = target_id.get();
        async move { api.findings(&target).await }
    });
    view! {
        <section class="findings" aria-labelledby="findings-heading">
            <h2 id="findings-heading">{t(OfficeMsg::Findings)}</h2>
            {loaded(list, move |r| match r {
                items if items.is_empty() => view! { <p class="hint">{t(OfficeMsg::NoFindings)}</p> }.into_any(),
                items => view! {
                    <ol>
                        {items.into_iter().map(|f| view! {
                            <li>
                                <strong>{f.title.clone()}</strong>
                                {move || format!(" · {} · {}", f.severity.label(lang.get()), f.focus.label(lang.get()))}
                                {(!f.description.is_empty()).then(|| view! { <p>{f.description.clone()}</p> })}
                            </li>
                        }).collect_view()}
                    </ol>
                }.into_any(),
            })}
            <NewFindingForm target_id=target_id/>
        </section>
    }
}

#[component]
fn NewFindingForm(target_id: Memo<String>) -> impl IntoView {
    let api = expect_context::<Api>();
    let lang = use_lang();
    let version = expect_context::<FindingsVersion>().0;
    let title = RwSignal::new(String::new());
    let description = RwSignal::new(String::new());
    let focus = RwSignal::new(FocusPoint::Policies.as_str().to_string());
    let severity = RwSignal::new(Severity::General.as_str().to_string());
    let source = RwSignal::new(FindingSource::Documents.as_str().to_string());
    let (focus_id, severity_id, source_id) = (
        unique_id("focus"),
        unique_id("severity"),
        unique_id("source"),
    );
    // A talk's 据此登记问题 opens the form with the talk as its source.
    let from_talk = expect_context::<crate::pages::talks::FromTalk>().0;
    let open = RwSignal::new(false);
    Effect::new(move |_| {
        if from_talk.get().is_some() {
            source.set(FindingSource::Talk.as_str().to_string());
            open.set(true);
        }
    });
    // One id per finding being written, so a retry records it once.
    let finding_id = StoredValue::new(new_id());
    let add = Submission::new(move |req: NewFinding| async move {
        api.record_finding(&target_id.get_untracked(), &finding_id.get_value(), &req)
            .await
    });
    add.on_done(move |_| {
        title.set(String::new());
        description.set(String::new());
        from_talk.set(None);
        finding_id.set_value(new_id());
        version.update(|v| *v += 1);
    });
    let error = add.error();
    let sources = [
        FindingSource::Documents,
        FindingSource::Talk,
        FindingSource::Visit,
        FindingSource::Petition,
    ];
    let source_label = move |s: FindingSource| match s {
        FindingSource::Documents => xuncha_api::checklists::Method::Documents
            .label(lang.get())
            .to_string(),
        FindingSource::Talk => xuncha_api::checklists::Method::Talk
            .label(lang.get())
            .to_string(),
        FindingSource::Visit => xuncha_api::checklists::Method::Visit
            .label(lang.get())
            .to_string(),
        FindingSource::Petition => lang.get().pick("信访举报", "Petition").to_string(),
        FindingSource::Checklist => OfficeMsg::ChecklistRecord.text(lang.get()).to_string(),
    };
    view! {
        <details class="new-finding" id="new-finding" prop:open=move || open.get()
            on:toggle=move |ev| open.set(event_target::<web_sys::Element>(&ev).has_attribute("open"))>
            <summary>{t(OfficeMsg::AddFinding)}</summary>
            {move || from_talk.get().map(|(_, label)| view! {
                <p class="from-talk">
                    {t(CaseMsg::FindingFromTalk)}{label}" "
                    <button type="button" on:click=move |_| from_talk.set(None)>{t(CaseMsg::NotFromTalk)}</button>
                </p>
            })}
            <form on:submit=move |ev: SubmitEvent| {
                ev.prevent_default();
                add.send(Ok(NewFinding {
                    focus: FocusPoint::parse(&focus.get_untracked()).unwrap_or(FocusPoint::Policies),
                    title: title.get_untracked(),
                    description: description.get_untracked(),
                    severity: Severity::parse(&severity.get_untracked()).unwrap_or(Severity::General),
                    source: FindingSource::parse(&source.get_untracked()).unwrap_or(FindingSource::Documents),
                    record_id: None,
                    item_id: None,
                    talk_id: from_talk
                        .get_untracked()
                        .map(|(id, _)| id)
                        .filter(|_| source.get_untracked() == FindingSource::Talk.as_str()),
                }));
            } novalidate>
                <TextField label=OfficeMsg::FindingTitle name="title" value=title error=error/>
                <TextField label=OfficeMsg::FindingDescription name="description" value=description error=error/>
                <div class="field">
                    <label for=focus_id.clone()>{t(OfficeMsg::FocusLabel)}</label>
                    <select id=focus_id on:change=move |ev| focus.set(event_target_value(&ev))>
                        {FocusPoint::ALL.into_iter().map(|f| view! { <option value=f.as_str()>{move || f.label(lang.get())}</option> }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for=severity_id.clone()>{t(OfficeMsg::Severity)}</label>
                    <select id=severity_id on:change=move |ev| severity.set(event_target_value(&ev))>
                        {[Severity::General, Severity::Serious, Severity::Grave].into_iter().map(|s| view! { <option value=s.as_str()>{move || s.label(lang.get())}</option> }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for=source_id.clone()>{t(OfficeMsg::Source)}</label>
                    <select id=source_id on:change=move |ev| source.set(event_target_value(&ev)) prop:value=move || source.get()>
                        {sources.into_iter().map(|s| view! { <option value=s.as_str()>{move || source_label(s)}</option> }).collect_view()}
                    </select>
                </div>
                <FormError error=error/>
                <button type="submit" class="primary" disabled=move || add.pending()>{t(OfficeMsg::AddFinding)}</button>
            </form>
        </details>
    }
}

/// One tap under a problem answer: a finding prefilled from the item, the answer and its note.
fn finding_button(target: String) -> crate::pages::checklist::ItemExtra {
    Callback::new(move |ctx: crate::pages::checklist::ItemContext| {
        let api = expect_context::<Api>();
        let lang = use_lang();
        let version = use_context::<FindingsVersion>();
        let finding_id = StoredValue::new(new_id());
        let target = target.clone();
        let problem = ctx.problem;
        let to_finding = Action::new_local(move |_: &()| {
            let target = target.clone();
            let req = NewFinding {
                focus: ctx.focus,
                title: ctx.prompt.chars().take(200).collect(),
                description: ctx.note.get_untracked(),
                severity: Severity::General,
                source: FindingSource::Checklist,
                record_id: ctx.record_id.clone(),
                item_id: Some(ctx.item_id.clone()),
                talk_id: None,
            };
            async move {
                let result = api
                    .record_finding(&target, &finding_id.get_value(), &req)
                    .await;
                if result.is_ok() {
                    if let Some(v) = version {
                        v.0.update(|n| *n += 1);
                    }
                }
                result
            }
        });
        view! {
            <Show when=move || problem.get()>
                {move || match to_finding.value().get() {
                    Some(Ok(_)) => view! { <p class="status">{t(OfficeMsg::BecameFinding)}</p> }.into_any(),
                    other => view! {
                        <button type="button" disabled=move || to_finding.pending().get() on:click=move |_| { to_finding.dispatch_local(()); }>
                            {t(OfficeMsg::ToFinding)}
                        </button>
                        {other.and_then(Result::err).map(|e| view! { <p class="field-error" role="alert">{e.message(lang.get())}</p> })}
                    }.into_any(),
                }}
            </Show>
        }
        .into_any()
    })
}
