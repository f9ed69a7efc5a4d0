//! Petitions (信访举报) in the office app: a target's list, the stationing notice that invites
//! them, the team's form for those received by phone, letter, the box or in person, and one
//! petition's page with its photos, triage and read log.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;
use xuncha_api::checklists::FocusPoint;
use xuncha_api::clues::{ClueDraft, ClueSource};
use xuncha_api::findings::{FindingSource, NewFinding, Severity};
use xuncha_api::petitions::{
    Channel, NoticeDraft, Outcome, Petition, PetitionDraft, PetitionStatus, StationingNotice,
    Triage,
};
use xuncha_api::users::Role;

use crate::api::{Api, AppError};
use crate::components::{
    loaded, parse_count, parse_date, FormError, SelectField, Submission, TextArea, TextField,
};
use crate::i18n::{t, use_lang, CaseMsg};
use crate::offline::{new_id, store, Outbox};
use crate::pages::talks::{choices, Attachments, ReadLog, SavedWork};
use crate::routes::{href, PETITIONS};
use crate::session::use_role;

#[component]
pub fn TargetPetitions(target_id: Memo<String>) -> impl IntoView {
    let api = expect_context::<Api>();
    let outbox = expect_context::<Outbox>();
    let role = use_role();
    let version = RwSignal::new(0u32);
    // Petitions entered on this device reaching the server show in the list as they arrive.
    Effect::new(move |_| {
        if outbox.petitions_changed.get() > 0 {
            version.update(|v| *v += 1);
        }
    });
    // Kept on the device (emptied at sign-out) for the stationing week with no signal.
    let list = LocalResource::new(move || {
        version.get();
        let target = target_id.get();
        async move { store::fresh_or_kept(&format!("petitions:{target}"), api.petitions(&target)).await }
    });
    let lang = use_lang();
    view! {
        <section class="petitions restricted" aria-labelledby="petitions-heading">
            <h2 id="petitions-heading">{t(CaseMsg::Petitions)}</h2>
            <p class="hint restricted-note">{t(CaseMsg::Restricted)}</p>
            <Notice target_id=target_id/>
            {loaded(list, move |petitions| {
                if petitions.is_empty() {
                    return view! { <p class="hint">{t(CaseMsg::NoPetitions)}</p> }.into_any();
                }
                view! {
                    <table class="petition-table">
                        <thead><tr>
                            <th scope="col">{t(CaseMsg::ReceivedOn)}</th>
                            <th scope="col">{t(CaseMsg::Channel)}</th>
                            <th scope="col">{t(CaseMsg::PetitionContent)}</th>
                            <th scope="col">{t(CaseMsg::PetitionState)}</th>
                            <th scope="col">{t(CaseMsg::Outcome)}</th>
                        </tr></thead>
                        <tbody>
                            {petitions.into_iter().map(|p| {
                                let (channel, status, outcome) = (p.channel, p.status, p.outcome);
                                let excerpt: String = p.content.chars().take(40).collect();
                                view! {
                                    <tr class:waiting=outcome.is_none()>
                                        <td>{p.received_on.to_string()}</td>
                                        <td>{move || channel.label(lang.get())}</td>
                                        <td><A href=href::office_item(PETITIONS, &p.id)>{excerpt}</A></td>
                                        <td>{move || status.label(lang.get())}</td>
                                        <td>{move || outcome.map_or(CaseMsg::NotTriaged.text(lang.get()), |o| o.label(lang.get()))}</td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any()
            })}
            <Show when=move || role.get() == Some(Role::Inspector)>
                <SavedWork target_id=target_id label=Callback::new(petition_label) heading=CaseMsg::SavedPetitions/>
                <PetitionForm target_id=target_id/>
            </Show>
        </section>
    }
}

/// The stationing notice: whether the public page takes petitions, the page itself, the
/// printable notice with its QR code, and for the office what it says.
#[component]
fn Notice(target_id: Memo<String>) -> impl IntoView {
    let api = expect_context::<Api>();
    let role = use_role();
    let version = RwSignal::new(0u32);
    let notice = LocalResource::new(move || {
        version.get();
        let target = target_id.get();
        async move { store::fresh_or_kept(&format!("notice:{target}"), api.notice(&target)).await }
    });
    view! {
        <div class="notice">
            <h3>{t(CaseMsg::Notice)}</h3>
            {loaded(notice, move |n: StationingNotice| {
                let print = api.notice_print_href(&n.target_id);
                let state = if n.open { CaseMsg::PageOpen } else { CaseMsg::PageClosed };
                let draft = n.clone();
                view! {
                    <p>
                        <a href=n.petition_path.clone() target="_blank" rel="noopener">{t(CaseMsg::PublicPage)}</a>
                        {move || crate::i18n::in_brackets(use_lang().get(), state.text(use_lang().get()))}
                        " · "
                        <a href=print target="_blank" rel="noopener">{t(CaseMsg::PrintNotice)}</a>
                        " · "
                        <a href=api.notice_docx_href(&n.target_id) download="">{t(CaseMsg::NoticeDocx)}</a>
                    </p>
                    <Show when=move || role.get() == Some(Role::Admin)>
                        <NoticeForm target_id=target_id notice=draft.clone() version=version/>
                    </Show>
                }.into_any()
            })}
        </div>
    }
}

#[component]
fn NoticeForm(
    target_id: Memo<String>,
    notice: StationingNotice,
    version: RwSignal<u32>,
) -> impl IntoView {
    let api = expect_context::<Api>();
    let phone = RwSignal::new(notice.phone);
    let box_location = RwSignal::new(notice.box_location);
    let grace_days = RwSignal::new(notice.grace_days.to_string());
    let save = Submission::new(move |draft: NoticeDraft| async move {
        api.put_notice(&target_id.get_untracked(), &draft).await
    });
    save.on_done(move |_| version.update(|v| *v += 1));
    let error = save.error();
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let draft =
            parse_count("grace_days", &grace_days.get_untracked()).map(|days| NoticeDraft {
                phone: phone.get_untracked(),
                box_location: box_location.get_untracked(),
                scope: String::new(),
                grace_days: days.unwrap_or(0),
            });
        save.send(draft);
    };
    view! {
        <details class="notice-form">
            <summary>{t(CaseMsg::EditNotice)}</summary>
            <form on:submit=submit novalidate>
                <TextField label=CaseMsg::NoticePhone name="phone" value=phone error=error kind="tel"/>
                <TextField label=CaseMsg::BoxLocation name="box_location" value=box_location error=error/>
                <TextField label=CaseMsg::GraceDays name="grace_days" value=grace_days error=error inputmode="numeric"/>
                <FormError error=error/>
                <button type="submit" disabled=move || save.pending()>{t(CaseMsg::SaveNotice)}</button>
            </form>
        </details>
    }
}

fn petition_label((p, lang): (PetitionDraft, xuncha_api::Lang)) -> String {
    let excerpt: String = p.content.chars().take(40).collect();
    format!("{} · {} · {excerpt}", p.received_on, p.channel.label(lang))
}

/// What the team enters for a petition received another way than the public page: saved on
/// the device first, so one taken down in a village with no signal waits in the outbox.
#[component]
fn PetitionForm(target_id: Memo<String>) -> impl IntoView {
    let outbox = expect_context::<Outbox>();
    let lang = use_lang();
    let channel = RwSignal::new(Channel::Phone.as_str().to_string());
    let received_on = RwSignal::new(chrono::Local::now().date_naive().to_string());
    let content = RwSignal::new(String::new());
    let concerns = RwSignal::new(String::new());
    let contact = RwSignal::new(String::new());
    let id = StoredValue::new(new_id());
    let save = Submission::new(move |draft: PetitionDraft| async move {
        outbox
            .queue_created(&target_id.get_untracked(), &id.get_value(), &draft)
            .await
    });
    save.on_done(move |_| {
        for field in [content, concerns, contact] {
            field.set(String::new());
        }
        id.set_value(new_id());
    });
    let error = save.error();
    // A visit's 登记为信访举报: received in person, in the villager's words as noted.
    let open = RwSignal::new(false);
    if let Some(from_visit) = use_context::<crate::pages::stationing::FromVisit>() {
        Effect::new(move |_| {
            if let Some(visited) = from_visit.petition.get() {
                channel.set(Channel::Visit.as_str().to_string());
                content.set(visited.note);
                open.set(true);
                from_visit.petition.set(None);
            }
        });
    }
    let offline_channels: Vec<Channel> = Channel::ALL
        .iter()
        .copied()
        .filter(|c| *c != Channel::Online)
        .collect();
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let draft = parse_date("received_on", &received_on.get_untracked()).map(|received_on| {
            PetitionDraft {
                channel: Channel::parse(&channel.get_untracked()).unwrap_or(Channel::Phone),
                received_on,
                content: content.get_untracked(),
                concerns: concerns.get_untracked(),
                contact: contact.get_untracked(),
            }
        });
        save.send(draft);
    };
    view! {
        <details class="new-petition" id="new-petition" prop:open=move || open.get()
            on:toggle=move |ev| open.set(event_target::<web_sys::Element>(&ev).has_attribute("open"))>
            <summary>{t(CaseMsg::AddPetition)}</summary>
            <form on:submit=submit novalidate>
                <SelectField label=CaseMsg::Channel name="channel" value=channel error=error
                    options=choices(&offline_channels, Channel::as_str, Channel::label)/>
                <TextField label=CaseMsg::ReceivedOn name="received_on" kind="date" value=received_on error=error/>
                <TextArea label=CaseMsg::PetitionContent name="content" value=content error=error/>
                <TextField label=CaseMsg::Concerns name="concerns" value=concerns error=error/>
                <TextField label=CaseMsg::Contact name="contact" value=contact error=error kind="tel"/>
                <FormError error=error/>
                <button type="submit" class="primary" disabled=move || save.pending()>{t(CaseMsg::SavePetition)}</button>
                <crate::components::StatusLine text=Signal::derive(move || save.succeeded().then(|| CaseMsg::PetitionSaved.text(lang.get()).to_string()))/>
            </form>
        </details>
    }
}

/// One petition: what it says, its photos, the triage and who read it.
#[component]
pub fn PetitionPage() -> impl IntoView {
    let api = expect_context::<Api>();
    let params = use_params_map();
    let id = Memo::new(move |_| params.read().get("id").unwrap_or_default());
    let version = RwSignal::new(0u32);
    let petition = LocalResource::new(move || {
        version.get();
        let id = id.get();
        async move { api.petition(&id).await }
    });
    view! {
        <section class="page narrow petition-page restricted">
            <h1>{t(CaseMsg::Petitions)}</h1>
            <p class="hint restricted-note">{t(CaseMsg::Restricted)}</p>
            {loaded(petition, move |p| view! { <PetitionDetail petition=p version=version/> }.into_any())}
        </section>
    }
}

#[component]
fn PetitionDetail(petition: Petition, version: RwSignal<u32>) -> impl IntoView {
    let lang = use_lang();
    let role = use_role();
    let (channel, status, outcome) = (petition.channel, petition.status, petition.outcome);
    let contact = match (&petition.contact, petition.anonymous) {
        (Some(c), _) => c.clone(),
        (None, true) => CaseMsg::Anonymous.text(lang.get_untracked()).to_string(),
        (None, false) => CaseMsg::ContactHidden
            .text(lang.get_untracked())
            .to_string(),
    };
    let dash = |s: &str| {
        if s.is_empty() {
            "—".to_string()
        } else {
            s.to_string()
        }
    };
    // Where it went, or why nothing: the team's own words.
    let linked = if petition.transfer_to.is_empty() {
        petition.reason.clone()
    } else {
        petition.transfer_to.clone()
    };
    view! {
        <dl class="facts">
            <dt>{t(CaseMsg::Village)}</dt><dd>{petition.org_name.clone()}</dd>
            <dt>{t(CaseMsg::Channel)}</dt><dd>{move || channel.label(lang.get())}</dd>
            <dt>{t(CaseMsg::ReceivedOn)}</dt><dd>{petition.received_on.to_string()}</dd>
            <dt>{t(CaseMsg::PetitionContent)}</dt><dd class="content">{petition.content.clone()}</dd>
            <dt>{t(CaseMsg::Concerns)}</dt><dd>{dash(&petition.concerns)}</dd>
            <dt>{t(CaseMsg::Contact)}</dt><dd>{contact}</dd>
            <dt>{t(CaseMsg::PetitionState)}</dt><dd class="state">{move || status.label(lang.get())}</dd>
            <dt>{t(CaseMsg::Outcome)}</dt>
            <dd class="outcome">{move || outcome.map_or(CaseMsg::NotTriaged.text(lang.get()).to_string(), |o| o.label(lang.get()).to_string())}
                {(!linked.is_empty()).then_some(move || format!("{}{linked}", lang.get().colon()))}</dd>
            <dt>{t(CaseMsg::PublicAnswer)}</dt><dd>{dash(&petition.public_answer)}</dd>
        </dl>
        <Attachments kind="petitions" owner_id=petition.id.clone() files=petition.files.clone() may_add=true label=CaseMsg::PetitionFiles/>
        <ReadLog kind="petitions" id=petition.id.clone()/>
        {(role.get_untracked() == Some(Role::Inspector)).then(|| view! { <TriageForm petition=petition version=version/> })}
    }
}

#[component]
fn TriageForm(petition: Petition, version: RwSignal<u32>) -> impl IntoView {
    let api = expect_context::<Api>();
    let outcome = RwSignal::new(
        petition
            .outcome
            .unwrap_or(Outcome::Clue)
            .as_str()
            .to_string(),
    );
    let title = RwSignal::new(String::new());
    let person = RwSignal::new(petition.concerns.clone());
    let matter = RwSignal::new(String::new());
    let transfer_to = RwSignal::new(petition.transfer_to.clone());
    let reason = RwSignal::new(petition.reason.clone());
    let status = RwSignal::new(PetitionStatus::Handling.as_str().to_string());
    let answer = RwSignal::new(petition.public_answer.clone());
    // The finding or clue made from it keeps one id across retries: a lost reply never makes two.
    let made_id = StoredValue::new(new_id());
    let (target_id, petition_id, base_version) = (
        petition.target_id.clone(),
        petition.id.clone(),
        petition.version,
    );
    let (finding_id, clue_id) = (petition.finding_id.clone(), petition.clue_id.clone());
    let save = Submission::new(move |t: Triage| {
        let (target_id, petition_id) = (target_id.clone(), petition_id.clone());
        let (title, person, matter) = (
            title.get_untracked(),
            person.get_untracked(),
            matter.get_untracked(),
        );
        async move {
            let mut t = t;
            let id = made_id.get_value();
            match t.outcome {
                Outcome::Finding if t.finding_id.is_none() => {
                    let f = NewFinding {
                        focus: FocusPoint::Responsibility,
                        title,
                        description: String::new(),
                        severity: Severity::General,
                        source: FindingSource::Petition,
                        record_id: None,
                        item_id: None,
                        talk_id: None,
                        visit_id: None,
                    };
                    t.finding_id = Some(api.record_finding(&target_id, &id, &f).await?.id);
                }
                Outcome::Clue if t.clue_id.is_none() => {
                    let c = ClueDraft {
                        person_name: person,
                        person_post: String::new(),
                        person_org: String::new(),
                        matter,
                        matter_when: String::new(),
                        amount_yuan: None,
                        source: ClueSource::Petition,
                        source_id: Some(petition_id.clone()),
                        seriousness: Severity::General,
                        base_version: None,
                    };
                    t.clue_id = Some(api.put_clue(&target_id, &id, &c).await?.id);
                }
                _ => {}
            }
            api.triage_petition(&petition_id, &t).await
        }
    });
    save.on_done(move |_| version.update(|v| *v += 1));
    let error = save.error();
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let chosen = Outcome::parse(&outcome.get_untracked()).unwrap_or(Outcome::NoAction);
        save.send(Ok::<_, AppError>(Triage {
            outcome: chosen,
            // Already made: the triage names it again rather than making another.
            finding_id: finding_id.clone().filter(|_| chosen == Outcome::Finding),
            clue_id: clue_id.clone().filter(|_| chosen == Outcome::Clue),
            transfer_to: transfer_to.get_untracked(),
            reason: reason.get_untracked(),
            status: PetitionStatus::parse(&status.get_untracked())
                .unwrap_or(PetitionStatus::Handling),
            public_answer: answer.get_untracked(),
            base_version,
        }));
    };
    let (has_finding, has_clue) = (petition.finding_id.is_some(), petition.clue_id.is_some());
    let needs_new = move |o: Outcome| {
        outcome.get() == o.as_str()
            && match o {
                Outcome::Finding => !has_finding,
                _ => !has_clue,
            }
    };
    view! {
        <form class="triage" on:submit=submit novalidate>
            <h2>{t(CaseMsg::Triage)}</h2>
            <SelectField label=CaseMsg::Outcome name="outcome" value=outcome error=error
                options=choices(Outcome::ALL, Outcome::as_str, Outcome::label)/>
            <Show when=move || needs_new(Outcome::Finding)>
                <TextField label=CaseMsg::FindingTitle name="title" value=title error=error/>
            </Show>
            <Show when=move || needs_new(Outcome::Clue)>
                <TextField label=CaseMsg::CluePerson name="person_name" value=person error=error/>
                <TextArea label=CaseMsg::Matter name="matter" value=matter error=error rows=2/>
            </Show>
            <Show when=move || outcome.get() == Outcome::Transfer.as_str()>
                <TextField label=CaseMsg::TransferTo name="transfer_to" value=transfer_to error=error/>
            </Show>
            <Show when=move || outcome.get() == Outcome::NoAction.as_str()>
                <TextArea label=CaseMsg::Reason name="reason" value=reason error=error rows=2/>
            </Show>
            <SelectField label=CaseMsg::PetitionState name="status" value=status error=error
                options=choices(&[PetitionStatus::Handling, PetitionStatus::Concluded], PetitionStatus::as_str, PetitionStatus::label)/>
            <TextArea label=CaseMsg::PublicAnswer name="public_answer" value=answer error=error rows=2/>
            <FormError error=error/>
            <button type="submit" class="primary" disabled=move || save.pending()>{t(CaseMsg::SaveTriage)}</button>
        </form>
    }
}

/// The link to a round's petition ledger as a spreadsheet.
#[component]
pub fn PetitionLedgerLink(round_id: Memo<String>) -> impl IntoView {
    let api = expect_context::<Api>();
    view! {
        <p><a href=move || api.petition_ledger_href(&round_id.get()) download="">{t(CaseMsg::PetitionLedger)}</a></p>
    }
}
