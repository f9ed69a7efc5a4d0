//! A target's talk records (个别谈话记录): the team records them, the office and discipline read
//! them and see who else did. Every list and detail shown here is a logged read on the server.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use xuncha_api::audit::ReadEntry;
use xuncha_api::talks::{AttachedFile, Talk, TalkDraft, TalkKind};
use xuncha_api::users::Role;
use xuncha_api::Lang;

use crate::api::{Api, ApiResult};
use crate::components::{
    loaded, parse_date, unique_id, FormError, SelectField, Submission, TextArea, TextField,
};
use crate::i18n::{t, use_lang, CaseMsg, Msg};
use crate::offline::{new_id, store, Creation, Outbox};
use crate::session::use_role;

/// `(value, 中文, English)` for a select, from a vocabulary of the shared crate.
pub fn choices<T: Copy>(
    all: &[T],
    as_str: fn(T) -> &'static str,
    label: fn(T, Lang) -> &'static str,
) -> Vec<(&'static str, &'static str, &'static str)> {
    all.iter()
        .map(|v| (as_str(*v), label(*v, Lang::Zh), label(*v, Lang::En)))
        .collect()
}

/// Offices work in China Standard Time whatever the device is set to.
pub fn cst(at: chrono::DateTime<chrono::Utc>) -> String {
    let cst = chrono::FixedOffset::east_opt(8 * 3600).expect("valid offset");
    at.with_timezone(&cst).format("%Y-%m-%d %H:%M").to_string()
}

/// The talk a finding is being written from: its id and how the form names it. Set from a
/// talk's 据此登记问题, read by the target's finding form.
#[derive(Clone, Copy)]
pub struct FromTalk(pub RwSignal<Option<(String, String)>>);

#[component]
pub fn TargetTalks(target_id: Memo<String>, version: RwSignal<u32>) -> impl IntoView {
    let api = expect_context::<Api>();
    let outbox = expect_context::<Outbox>();
    let role = use_role();
    // Talks saved on this device reaching the server show in the list as they arrive.
    Effect::new(move |_| {
        if outbox.talks_changed.get() > 0 {
            version.update(|v| *v += 1);
        }
    });
    // Kept on the device (emptied at sign-out), so on site with no signal the team still has
    // its talks; each was a logged read when it came.
    let list = LocalResource::new(move || {
        version.get();
        let target = target_id.get();
        async move { store::fresh_or_kept(&format!("talks:{target}"), api.talks(&target)).await }
    });
    view! {
        <section class="talks restricted" aria-labelledby="talks-heading">
            <h2 id="talks-heading">{t(CaseMsg::Talks)}</h2>
            <p class="hint restricted-note">{t(CaseMsg::Restricted)}</p>
            {loaded(list, move |talks| {
                if talks.is_empty() {
                    view! { <p class="hint">{t(CaseMsg::NoTalks)}</p> }.into_any()
                } else {
                    view! { <ol class="talk-list">{talks.into_iter().map(talk_item).collect_view()}</ol> }.into_any()
                }
            })}
            <Show when=move || role.get() == Some(Role::Inspector)>
                <SavedWork target_id=target_id label=Callback::new(talk_label) heading=CaseMsg::SavedTalks/>
                <TalkForm target_id=target_id/>
            </Show>
        </section>
    }
}

fn talk_item(talk: Talk) -> impl IntoView {
    let lang = use_lang();
    let kind = talk.kind;
    let person = [
        talk.person_name.clone(),
        talk.person_post.clone(),
        talk.person_org.clone(),
    ]
    .into_iter()
    .filter(|s| !s.is_empty())
    .collect::<Vec<_>>()
    .join(" · ");
    let present = talk
        .inspectors
        .iter()
        .map(|i| i.name.clone())
        .collect::<Vec<_>>()
        .join("、");
    let place = talk.place.clone();
    view! {
        <li class="talk">
            <p>
                <strong>{move || kind.label(lang.get())}</strong>
                {format!(" · {} · {person}", talk.held_on)}
                {talk.private.then(|| view! { <span class="badge">{t(CaseMsg::NotNamed)}</span> })}
            </p>
            <p class="hint">{move || { let l = lang.get(); format!("{}{}{place}{}{}{}{present}", CaseMsg::Place.text(l), l.colon(), l.pick("　", "; "), CaseMsg::PresentShort.text(l), l.colon()) }}</p>
            <p>{talk.summary.clone()}</p>
            <Attachments kind="talks" owner_id=talk.id.clone() files=talk.files.clone() may_add=true/>
            <ToFinding talk_id=talk.id.clone() label=format!("{} · {}", talk.held_on, talk.person_name)/>
            <ReadLog kind="talks" id=talk.id.clone()/>
        </li>
    }
}

/// 据此登记问题: opens the target's finding form with this talk as its source.
#[component]
fn ToFinding(talk_id: String, label: String) -> impl IntoView {
    let role = use_role();
    let from = use_context::<FromTalk>();
    let chosen = StoredValue::new((talk_id, label));
    view! {
        <Show when=move || from.is_some() && role.get() == Some(Role::Inspector)>
            <button type="button" on:click=move |_| {
                if let Some(FromTalk(from)) = from {
                    from.set(Some(chosen.get_value()));
                }
                if let Some(form) = document().get_element_by_id("new-finding") {
                    form.scroll_into_view();
                }
            }>{t(CaseMsg::ToFinding)}</button>
        </Show>
    }
}

/// The files kept with a talk or a clue (a signed transcript, a photo of a document), each a
/// link whose opening the server logs; the team adds one while it may still write.
#[component]
pub fn Attachments(
    /// `talks`, `clues`, `petitions` or `prep` (an item of the information collected).
    kind: &'static str,
    owner_id: String,
    files: Vec<AttachedFile>,
    /// Whether this reader may add (the team, while it may still write): known once the
    /// target's page has loaded.
    #[prop(into)]
    may_add: Signal<bool>,
    /// Told once a file is kept on the server.
    #[prop(optional)]
    on_added: Option<Callback<()>>,
    /// The file input's label, when not a talk's or a clue's.
    #[prop(optional)]
    label: Option<CaseMsg>,
) -> impl IntoView {
    let api = expect_context::<Api>();
    let lang = use_lang();
    let role = use_role();
    let files = RwSignal::new(files);
    let error = RwSignal::new(None::<String>);
    let owner = StoredValue::new(owner_id);
    let input_id = unique_id("attachment");
    let on_file = move |ev: leptos::ev::Event| {
        let input: web_sys::HtmlInputElement = event_target(&ev);
        let Some(file) = input.files().and_then(|f| f.get(0)) else {
            return;
        };
        input.set_value("");
        leptos::task::spawn_local(async move {
            let id = new_id();
            let sent = match crate::offline::photo::prepare(&file).await {
                Ok((blob, content_type)) => api
                    .put_attached(kind, &owner.get_value(), &id, &content_type, &blob)
                    .await
                    .map(|_| AttachedFile {
                        id,
                        content_type,
                        size: blob.size() as i64,
                    }),
                Err(e) => Err(e),
            };
            match sent {
                Ok(f) => {
                    error.set(None);
                    files.update(|all| all.push(f));
                    if let Some(added) = on_added {
                        added.run(());
                    }
                }
                Err(e) => error.set(Some(e.message(lang.get_untracked()))),
            }
        });
    };
    view! {
        <div class="attachments">
            <ul>
                {move || files.get().into_iter().enumerate().map(|(i, f)| {
                    let href = api.attached_href(kind, &owner.get_value(), &f.id);
                    let what = if f.content_type == "application/pdf" { "PDF" } else { "JPG/PNG" };
                    view! {
                        <li><a href=href target="_blank" rel="noopener">
                            {move || format!("{} {} · {what} · {} KB", CaseMsg::Attachment.text(lang.get()), i + 1, (f.size + 1023) / 1024)}
                        </a></li>
                    }
                }).collect_view()}
            </ul>
            <Show when=move || may_add.get() && role.get() == Some(Role::Inspector)>
                <div class="field">
                    <label for=input_id.clone()>{t(label.unwrap_or(CaseMsg::Attachments))}</label>
                    <input id=input_id.clone() type="file" accept="image/*,application/pdf" on:change=on_file/>
                    <p class="field-error" role="alert">{move || error.get()}</p>
                </div>
            </Show>
        </div>
    }
}

/// Who read a talk, clue or petition: for the office and discipline, on demand.
#[component]
pub fn ReadLog(
    /// `talks`, `clues` or `petitions`.
    kind: &'static str,
    id: String,
) -> impl IntoView {
    let api = expect_context::<Api>();
    let role = use_role();
    let shown = RwSignal::new(false);
    let id = StoredValue::new(id);
    let reads = LocalResource::new(move || async move {
        if !shown.get() {
            return ApiResult::Ok(Vec::<ReadEntry>::new());
        }
        api.reads(kind, &id.get_value()).await
    });
    view! {
        <Show when=move || matches!(role.get(), Some(Role::Admin | Role::Discipline))>
            <details class="read-log" on:toggle=move |_| shown.set(true)>
                <summary>{t(CaseMsg::ShowReads)}</summary>
                {loaded(reads, move |entries| {
                    if entries.is_empty() {
                        return view! { <p class="hint">{t(CaseMsg::NoReads)}</p> }.into_any();
                    }
                    view! {
                        <table>
                            <caption>{t(CaseMsg::ReadLog)}</caption>
                            <thead><tr>
                                <th scope="col">{t(crate::i18n::Msg::When)}</th>
                                <th scope="col">{t(crate::i18n::OfficeMsg::Who)}</th>
                                <th scope="col">{t(CaseMsg::Endpoint)}</th>
                            </tr></thead>
                            <tbody>
                                {entries.into_iter().map(|e| view! {
                                    <tr>
                                        <td>{cst(e.at)}</td>
                                        <td>{e.actor_name.unwrap_or_default()}</td>
                                        <td><code>{e.endpoint}</code></td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    }.into_any()
                })}
            </details>
        </Show>
    }
}

/// Records of a target saved on this device and not yet on the server (talks, findings):
/// waiting, or refused with the reason and a way to let go of them. `label` names one.
#[component]
pub fn SavedWork<D: Creation>(
    target_id: Memo<String>,
    label: Callback<(D, Lang), String>,
    heading: CaseMsg,
) -> impl IntoView {
    let outbox = expect_context::<Outbox>();
    let lang = use_lang();
    let saved = LocalResource::new(move || {
        outbox.changed.get();
        let target = target_id.get();
        async move { outbox.created_work::<D>(&target).await }
    });
    move || {
        let work = saved.get().unwrap_or_default();
        (!work.is_empty()).then(|| view! {
            <ul class="saved-work" aria-label=move || heading.text(lang.get())>
                {work.into_iter().map(|w| {
                    let refused = w.refused.clone();
                    let was_refused = refused.is_some();
                    let item = StoredValue::new(w.clone());
                    view! {
                        <li class:refused=was_refused>
                            {move || format!("{}　", label.run((w.draft.clone(), lang.get())))}
                            {match refused {
                                None => view! { <span class="state waiting">{t(Msg::WaitingToSend)}</span> }.into_any(),
                                Some(reason) => view! {
                                    <span class="state refused">{move || format!("{}{}{reason}", Msg::RefusedByServer.text(lang.get()), lang.get().colon())}</span>
                                    <button type="button" on:click=move |_| {
                                        leptos::task::spawn_local(async move {
                                            let _ = outbox.discard_created(&item.get_value()).await;
                                        });
                                    }>{t(Msg::Discard)}</button>
                                }.into_any(),
                            }}
                        </li>
                    }
                }).collect_view()}
            </ul>
        })
    }
}

fn talk_label((d, lang): (TalkDraft, Lang)) -> String {
    format!("{} · {} · {}", d.held_on, d.kind.label(lang), d.person_name)
}

#[component]
fn TalkForm(target_id: Memo<String>) -> impl IntoView {
    let api = expect_context::<Api>();
    let outbox = expect_context::<Outbox>();
    let kind = RwSignal::new(TalkKind::Talk.as_str().to_string());
    let person_name = RwSignal::new(String::new());
    let person_post = RwSignal::new(String::new());
    let person_org = RwSignal::new(String::new());
    let held_on = RwSignal::new(chrono::Local::now().date_naive().to_string());
    let place = RwSignal::new(String::new());
    let summary = RwSignal::new(String::new());
    let private = RwSignal::new(false);
    let present = RwSignal::new(Vec::<String>::new());
    let team = LocalResource::new(move || {
        let target = target_id.get();
        async move {
            store::fresh_or_kept(
                &format!("inspectors:{target}"),
                api.talk_inspectors(&target),
            )
            .await
        }
    });
    // One id per talk being written: a re-send after a lost reply records it once. Saved on
    // the device first, so a talk typed in a village with no signal is never lost.
    let talk_id = StoredValue::new(new_id());
    let save = Submission::new(move |draft: TalkDraft| async move {
        outbox
            .queue_created(&target_id.get_untracked(), &talk_id.get_value(), &draft)
            .await
    });
    save.on_done(move |_| {
        person_name.set(String::new());
        person_post.set(String::new());
        summary.set(String::new());
        private.set(false);
        talk_id.set_value(new_id());
    });
    let error = save.error();
    let lang = use_lang();
    let private_id = unique_id("private");
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        save.send(
            parse_date("held_on", &held_on.get_untracked()).map(|held_on| TalkDraft {
                kind: TalkKind::parse(&kind.get_untracked()).unwrap_or(TalkKind::Talk),
                person_name: person_name.get_untracked(),
                person_post: person_post.get_untracked(),
                person_org: person_org.get_untracked(),
                held_on,
                place: place.get_untracked(),
                inspectors: present.get_untracked(),
                summary: summary.get_untracked(),
                private: private.get_untracked(),
                base_version: None,
            }),
        );
    };
    view! {
        <details class="new-talk">
            <summary>{t(CaseMsg::AddTalk)}</summary>
            <form on:submit=submit novalidate>
                <SelectField label=CaseMsg::TalkKind name="kind" value=kind error=error
                    options=choices(&TalkKind::ALL, TalkKind::as_str, TalkKind::label)/>
                <TextField label=CaseMsg::TalkPerson name="person_name" value=person_name error=error/>
                <TextField label=CaseMsg::PersonPost name="person_post" value=person_post error=error/>
                <TextField label=CaseMsg::PersonOrg name="person_org" value=person_org error=error/>
                <TextField label=CaseMsg::HeldOn name="held_on" kind="date" value=held_on error=error/>
                <TextField label=CaseMsg::Place name="place" value=place error=error/>
                <fieldset class="present">
                    <legend>{t(CaseMsg::Present)}</legend>
                    {loaded(team, move |people| people.into_iter().map(|p| {
                        let id = p.user_id.clone();
                        let checked_id = id.clone();
                        view! {
                            <label class="check">
                                <input type="checkbox" value=id.clone()
                                    prop:checked=move || present.with(|s| s.contains(&checked_id))
                                    on:change=move |ev| {
                                        let on = event_target_checked(&ev);
                                        present.update(|s| {
                                            s.retain(|x| x != &id);
                                            if on { s.push(id.clone()); }
                                        });
                                    }/>
                                {p.name}
                            </label>
                        }
                    }).collect_view().into_any())}
                    <p class="field-error" role="alert">{crate::components::field_message(error, "inspectors")}</p>
                </fieldset>
                <TextArea label=CaseMsg::TalkSummary name="summary" value=summary error=error rows=6/>
                <div class="field check">
                    <input type="checkbox" id=private_id.clone() prop:checked=move || private.get()
                        on:change=move |ev| private.set(event_target_checked(&ev))/>
                    <label for=private_id>{t(CaseMsg::PrivateTalk)}</label>
                </div>
                <FormError error=error/>
                <button type="submit" class="primary" disabled=move || save.pending()>{t(CaseMsg::SaveTalk)}</button>
                <crate::components::StatusLine text=Signal::derive(move || save.succeeded().then(|| CaseMsg::TalkSaved.text(lang.get()).to_string()))/>
            </form>
        </details>
    }
}
