//! An inspection team at one target: its checklist record and its findings (问题清单).

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;
use xuncha_api::checklists::{ChecklistKind, FocusPoint, OpenRecord, RecordStatus, ReturnRecord};
use xuncha_api::findings::{FindingSource, NewFinding, Severity};
use xuncha_api::rounds::TargetDetail;

use crate::api::{Api, AppError};
use crate::components::{loaded, unique_id, FormError, Submission, TextField};
use crate::i18n::{t, use_lang, CaseMsg, Msg, OfficeMsg, StationMsg};
use crate::offline::{new_id, store, CachedRecord, Outbox};
use crate::pages::checklist::ChecklistForm;
use crate::pages::talks::SavedWork;
use crate::routes::{href, ROUNDS};

/// Bumped when the findings changed.
#[derive(Clone, Copy)]
pub struct FindingsVersion(pub RwSignal<u32>);

#[component]
pub fn TargetPage() -> impl IntoView {
    let api = expect_context::<Api>();
    let params = use_params_map();
    let target_id = Memo::new(move |_| params.read().get("id").unwrap_or_default());
    let version = FindingsVersion(RwSignal::new(0));
    // Bumped when a talk is recorded: the clue form offers it as a source at once.
    let talks = RwSignal::new(0u32);
    provide_context(version);
    provide_context(crate::pages::talks::FromTalk(RwSignal::new(None)));
    provide_context(crate::pages::stationing::FromVisit::default());
    // Kept on the device with the record, so the heading shows on site without a network.
    let detail = LocalResource::new(move || {
        let target = target_id.get();
        async move {
            store::fresh_or_kept::<TargetDetail>(
                &format!("target-detail:{target}"),
                api.target(&target),
            )
            .await
        }
    });
    // With no network and nothing kept, the team's own record is still tried from the device.
    let on_team = Signal::derive(move || match detail.get() {
        Some(Ok(d)) => d.on_team,
        Some(Err(AppError::Network)) => true,
        _ => false,
    });
    let settled = Signal::derive(move || detail.get().is_some());
    view! {
        <section class="page narrow checklist-page">
            {move || match detail.get() {
                Some(Ok(d)) => view! { <TargetHeading detail=d/> }.into_any(),
                Some(Err(AppError::Network)) | None => view! { <h1>{t(OfficeMsg::ChecklistRecord)}</h1> }.into_any(),
                Some(Err(e)) => view! {
                    <h1>{t(OfficeMsg::ChecklistRecord)}</h1>
                    <crate::components::LoadError error=e on_retry=move || detail.refetch()/>
                }.into_any(),
            }}
            <Show when=move || settled.get()>
                {move || if on_team.get() {
                    view! { <TeamRecord target_id=target_id/> }.into_any()
                } else {
                    view! { <RecordProgressNote detail=detail/> }.into_any()
                }}
            </Show>
            <Findings target_id=target_id on_team=on_team/>
            <crate::pages::stationing::TargetStationing target_id=target_id on_team=on_team/>
            <crate::pages::talks::TargetTalks target_id=target_id version=talks/>
            <crate::pages::clues::TargetClues target_id=target_id talks=talks/>
            <crate::pages::petitions::TargetPetitions target_id=target_id/>
            <crate::pages::evaluations::TargetEvaluations target_id=target_id/>
            <crate::pages::rectification::TargetTasks target_id=target_id findings_version=version.0/>
        </section>
    }
}

/// Where the page is: the village and its township, the round, the team and its dates.
#[component]
fn TargetHeading(detail: TargetDetail) -> impl IntoView {
    let lang = use_lang();
    let d = detail;
    let tg = d.target.clone();
    let dates = match (tg.station_start, tg.station_end) {
        (Some(s), Some(e)) => format!("{s} — {e}"),
        (Some(s), None) => format!("{s} —"),
        _ => String::new(),
    };
    let (leader, contact) = (d.team_leader.clone(), d.team_contact.clone());
    let team = move || {
        let l = lang.get();
        let mut parts = vec![tg.team_name.clone()];
        if !leader.is_empty() {
            parts.push(format!("{} {leader}", OfficeMsg::Leader.text(l)));
        }
        if !contact.is_empty() {
            parts.push(contact.clone());
        }
        parts.join(" · ")
    };
    let round_href = href::office_item(ROUNDS, &d.target.round_id);
    let report = expect_context::<Api>().village_report_href(&d.target.id);
    let phase = d.round_phase;
    view! {
        <header class="target-head">
            <p class="township">{d.target.township.clone()}</p>
            <h1>{d.target.org_name.clone()}</h1>
            <dl class="facts">
                <dt>{t(OfficeMsg::Round)}</dt>
                <dd><A href=round_href>{d.round_name.clone()}</A>{move || crate::i18n::in_brackets(lang.get(), phase.label(lang.get()))}</dd>
                <dt>{t(OfficeMsg::Team)}</dt>
                <dd>{team}</dd>
                <dt>{t(OfficeMsg::Stationing)}</dt>
                <dd>{move || if dates.is_empty() { OfficeMsg::NotScheduled.text(lang.get()).to_string() } else { dates.clone() }}</dd>
            </dl>
            <p><a href=report download="">{t(OfficeMsg::VillageReport)}</a></p>
        </header>
    }
}

/// The checklist record is the team's working paper: others are told how far it is and who
/// fills it, not refused.
#[component]
fn RecordProgressNote(detail: LocalResource<Result<TargetDetail, AppError>>) -> impl IntoView {
    let lang = use_lang();
    let text = move || {
        let l = lang.get();
        let progress = detail
            .get()
            .and_then(Result::ok)
            .and_then(|d| d.target.progress.record);
        let state = match progress {
            None => OfficeMsg::RecordNotOpened.text(l).to_string(),
            Some(p) => format!(
                "{}{}{} / {}{}",
                if p.submitted {
                    OfficeMsg::RecordSubmitted.text(l)
                } else {
                    OfficeMsg::RecordFilling.text(l)
                },
                l.pick("，已答 ", ", answered "),
                p.answered,
                p.total,
                l.pick(" 项", ""),
            ),
        };
        format!(
            "{}{}{state}",
            OfficeMsg::RecordIsTeams.text(l),
            l.pick("当前：", "Now: ")
        )
    };
    view! {
        <section class="record-note" aria-labelledby="record-heading">
            <h2 id="record-heading">{t(OfficeMsg::ChecklistRecord)}</h2>
            <p class="hint" role="note">{text}</p>
        </section>
    }
}

/// The team's own checklist record; on site with no network, the one this device holds.
#[component]
fn TeamRecord(target_id: Memo<String>) -> impl IntoView {
    let api = expect_context::<Api>();
    let outbox = expect_context::<Outbox>();
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
        <section class="team-record" aria-labelledby="record-heading">
            <h2 id="record-heading">{t(OfficeMsg::ChecklistRecord)}</h2>
            {loaded(record, move |c| {
                let submitted = c.record.status == RecordStatus::Submitted;
                let id = c.record.id.clone();
                view! {
                    <ChecklistForm record_id=c.record.id.clone() item_extra=finding_button(target_id.get_untracked())/>
                    {submitted.then(|| view! { <ReturnForm record_id=id/> })}
                }.into_any()
            })}
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
fn Findings(target_id: Memo<String>, on_team: Signal<bool>) -> impl IntoView {
    let api = expect_context::<Api>();
    let outbox = expect_context::<Outbox>();
    let lang = use_lang();
    let version = expect_context::<FindingsVersion>().0;
    // Findings recorded offline reaching the server join the list (and the task form).
    Effect::new(move |_| {
        if outbox.findings_changed.get() > 0 {
            version.update(|v| *v += 1);
        }
    });
    // Kept on the device, so on site with no signal the team still sees what it found.
    let list = LocalResource::new(move || {
        version.get();
        let target = target_id.get();
        async move { store::findings_of(api, &target).await }
    });
    // Findings waiting on the device are findings: the list is not said to be empty.
    let waiting = LocalResource::new(move || {
        outbox.changed.get();
        let target = target_id.get();
        async move { outbox.created_work::<NewFinding>(&target).await.len() }
    });
    view! {
        <section class="findings" aria-labelledby="findings-heading">
            <h2 id="findings-heading">{t(OfficeMsg::Findings)}</h2>
            {loaded(list, move |r| match r {
                items if items.is_empty() => view! {
                    <Show when=move || waiting.get().unwrap_or(0) == 0>
                        <p class="hint">{t(OfficeMsg::NoFindings)}</p>
                    </Show>
                }.into_any(),
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
            // Findings are the team's to record.
            <Show when=move || on_team.get()>
                <SavedWork target_id=target_id label=Callback::new(finding_label) heading=CaseMsg::SavedFindings/>
                <NewFindingForm target_id=target_id/>
            </Show>
        </section>
    }
}

fn finding_label((f, lang): (NewFinding, xuncha_api::Lang)) -> String {
    format!("{} · {}", f.title, f.severity.label(lang))
}

#[component]
fn NewFindingForm(target_id: Memo<String>) -> impl IntoView {
    let outbox = expect_context::<Outbox>();
    let lang = use_lang();
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
    // A visit's 据此登记问题: what was said is the description, the title is the team's, and
    // the finding names the visit (its id; whom the team saw stays on the visit list).
    let from_visit = expect_context::<crate::pages::stationing::FromVisit>().finding;
    let visited = RwSignal::new(None::<(String, String)>);
    Effect::new(move |_| {
        if let Some(v) = from_visit.get() {
            from_talk.set(None);
            source.set(FindingSource::Visit.as_str().to_string());
            description.set(v.note);
            visited.set(Some((v.id, v.person_name)));
            open.set(true);
            from_visit.set(None);
        }
    });
    Effect::new(move |_| {
        if from_talk.get().is_some() {
            visited.set(None);
        }
    });
    // One id per finding being written, so a retry records it once. Saved on the device
    // first: a finding written in a village with no signal waits in the outbox.
    let finding_id = StoredValue::new(new_id());
    let add = Submission::new(move |req: NewFinding| async move {
        outbox
            .queue_created(&target_id.get_untracked(), &finding_id.get_value(), &req)
            .await
    });
    add.on_done(move |_| {
        title.set(String::new());
        description.set(String::new());
        from_talk.set(None);
        visited.set(None);
        finding_id.set_value(new_id());
    });
    let error = add.error();
    let sources = [
        FindingSource::Documents,
        FindingSource::Talk,
        FindingSource::Visit,
        FindingSource::Petition,
    ];
    let source_label = move |s: FindingSource| s.label(lang.get()).to_string();
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
            {move || visited.get().map(|(_, person)| view! {
                <p class="from-talk">
                    {t(StationMsg::FindingFromVisit)}{person}" "
                    <button type="button" on:click=move |_| visited.set(None)>{t(StationMsg::NotFromVisit)}</button>
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
                    visit_id: visited
                        .get_untracked()
                        .map(|(id, _)| id)
                        .filter(|_| source.get_untracked() == FindingSource::Visit.as_str()),
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
        let outbox = expect_context::<Outbox>();
        let lang = use_lang();
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
                visit_id: None,
            };
            // Saved on the device first, like the finding form: a tap in a village with no
            // signal waits in the outbox under its id.
            async move {
                outbox
                    .queue_created(&target, &finding_id.get_value(), &req)
                    .await
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
