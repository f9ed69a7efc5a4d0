//! Problem clues (问题线索): a target's list and the team's form, and one clue's page with its
//! story, its read log and the move that is the viewer's to make — the leader proposes or
//! withdraws, the office sends it back, discipline records the handling and the result.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;
use xuncha_api::clues::{
    Clue, ClueDraft, ClueResult, ClueSource, ClueStatus, Disposal, Handling, MoveClue,
};
use xuncha_api::findings::Severity;
use xuncha_api::users::Role;

use crate::api::{Api, AppError};
use crate::components::{
    loaded, parse_count, parse_date, FormError, SelectField, Submission, TextArea, TextField,
};
use crate::i18n::{t, use_lang, CaseMsg, StationMsg};
use crate::offline::new_id;
use crate::pages::talks::{choices, cst, ReadLog};
use crate::routes::{href, CLUES};
use crate::session::use_role;

#[component]
pub fn TargetClues(target_id: Memo<String>, talks: RwSignal<u32>) -> impl IntoView {
    let api = expect_context::<Api>();
    let role = use_role();
    let version = RwSignal::new(0u32);
    let list = LocalResource::new(move || {
        version.get();
        let target = target_id.get();
        async move { api.clues(&target).await }
    });
    view! {
        <section class="clues restricted" aria-labelledby="clues-heading">
            <h2 id="clues-heading">{t(CaseMsg::Clues)}</h2>
            <p class="hint restricted-note">{t(CaseMsg::Restricted)}</p>
            {loaded(list, move |clues| {
                if clues.is_empty() {
                    view! { <p class="hint">{t(CaseMsg::NoClues)}</p> }.into_any()
                } else {
                    clue_table(clues).into_any()
                }
            })}
            <Show when=move || role.get() == Some(Role::Inspector)>
                <ClueForm target_id=target_id version=version talks_version=talks/>
            </Show>
        </section>
    }
}

/// Who a clue concerns, as one line: name, post and organisation, the empty ones left out.
pub fn concerning(c: &Clue) -> String {
    [&c.person_name, &c.person_post, &c.person_org]
        .into_iter()
        .filter(|s| !s.is_empty())
        .cloned()
        .collect::<Vec<_>>()
        .join(" · ")
}

/// Clues as a table with a link to each; also the referral desk's lists.
pub fn clue_table(clues: Vec<Clue>) -> impl IntoView {
    let lang = use_lang();
    view! {
        <table class="clue-table">
            <thead><tr>
                <th scope="col">{t(CaseMsg::CluePerson)}</th>
                <th scope="col">{t(CaseMsg::Matter)}</th>
                <th scope="col">{t(CaseMsg::Seriousness)}</th>
                <th scope="col">{t(CaseMsg::ClueState)}</th>
                <th scope="col">{t(CaseMsg::Number)}</th>
            </tr></thead>
            <tbody>
                {clues.into_iter().map(|c| {
                    let (status, seriousness) = (c.status, c.seriousness);
                    let person = concerning(&c);
                    view! {
                        <tr>
                            <td>{person}</td>
                            <td><A href=href::office_item(CLUES, &c.id)>{c.matter.clone()}</A></td>
                            <td>{move || seriousness.label(lang.get())}</td>
                            <td>{move || status.label(lang.get())}</td>
                            <td>{c.referral_number.clone().unwrap_or_default()}</td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
}

#[component]
fn ClueForm(
    target_id: Memo<String>,
    version: RwSignal<u32>,
    talks_version: RwSignal<u32>,
) -> impl IntoView {
    let api = expect_context::<Api>();
    let person_name = RwSignal::new(String::new());
    let person_post = RwSignal::new(String::new());
    let person_org = RwSignal::new(String::new());
    let matter = RwSignal::new(String::new());
    let matter_when = RwSignal::new(String::new());
    let amount = RwSignal::new(String::new());
    let source = RwSignal::new(ClueSource::Talk.as_str().to_string());
    let source_id = RwSignal::new(String::new());
    let seriousness = RwSignal::new(Severity::General.as_str().to_string());
    let lang = use_lang();
    // What the clue may name as its source: the target's talks (each list is a logged read)
    // or the visits made, fetched only once that source is chosen.
    let named = LocalResource::new(move || {
        talks_version.get();
        let wanted = ClueSource::parse(&source.get());
        let target = target_id.get();
        let l = lang.get();
        async move {
            match wanted {
                Some(ClueSource::Talk) => api.talks(&target).await.map(|talks| {
                    talks
                        .into_iter()
                        .map(|talk| {
                            let text = format!(
                                "{} · {} · {}",
                                talk.held_on,
                                talk.kind.label(l),
                                talk.person_name
                            );
                            (talk.id, text)
                        })
                        .collect::<Vec<_>>()
                }),
                Some(ClueSource::Visit) => api.stationing(&target).await.map(|s| {
                    s.visits
                        .into_iter()
                        .filter_map(|v| {
                            Some((v.id, format!("{} · {}", v.visited_on?, v.person_name)))
                        })
                        .collect()
                }),
                _ => Ok(Vec::new()),
            }
        }
    });
    let names_source = move || {
        matches!(
            ClueSource::parse(&source.get()),
            Some(ClueSource::Talk | ClueSource::Visit)
        )
    };
    // A visit's 登记为问题线索: the visit is the source, what was said the matter.
    let open = RwSignal::new(false);
    if let Some(from_visit) = use_context::<crate::pages::stationing::FromVisit>() {
        Effect::new(move |_| {
            if let Some(v) = from_visit.clue.get() {
                source.set(ClueSource::Visit.as_str().to_string());
                source_id.set(v.id);
                matter.set(v.note);
                open.set(true);
                from_visit.clue.set(None);
            }
        });
    }
    let clue_id = StoredValue::new(new_id());
    let save = Submission::new(move |draft: ClueDraft| async move {
        api.put_clue(&target_id.get_untracked(), &clue_id.get_value(), &draft)
            .await
    });
    save.on_done(move |_| {
        for field in [person_name, person_post, matter, matter_when, amount] {
            field.set(String::new());
        }
        clue_id.set_value(new_id());
        version.update(|v| *v += 1);
    });
    let error = save.error();
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let draft = parse_count("amount_yuan", &amount.get_untracked()).map(|amount_yuan| {
            let source = ClueSource::parse(&source.get_untracked()).unwrap_or(ClueSource::Other);
            ClueDraft {
                person_name: person_name.get_untracked(),
                person_post: person_post.get_untracked(),
                person_org: person_org.get_untracked(),
                matter: matter.get_untracked(),
                matter_when: matter_when.get_untracked(),
                amount_yuan,
                source,
                // Only what the chosen source lists: a talk picked before the source became a
                // visit is not sent.
                source_id: Some(source_id.get_untracked()).filter(|s| {
                    named
                        .get_untracked()
                        .and_then(Result::ok)
                        .is_some_and(|n| n.iter().any(|(id, _)| id == s))
                }),
                seriousness: Severity::parse(&seriousness.get_untracked())
                    .unwrap_or(Severity::General),
                base_version: None,
            }
        });
        save.send(draft);
    };
    let source_talk_id = crate::components::unique_id("source-talk");
    view! {
        <details class="new-clue" id="new-clue" prop:open=move || open.get()
            on:toggle=move |ev| open.set(event_target::<web_sys::Element>(&ev).has_attribute("open"))>
            <summary>{t(CaseMsg::AddClue)}</summary>
            <form on:submit=submit novalidate>
                <TextField label=CaseMsg::CluePerson name="person_name" value=person_name error=error/>
                <TextField label=CaseMsg::PersonPost name="person_post" value=person_post error=error/>
                <TextField label=CaseMsg::PersonOrg name="person_org" value=person_org error=error/>
                <TextArea label=CaseMsg::Matter name="matter" value=matter error=error/>
                <TextField label=CaseMsg::MatterWhen name="matter_when" value=matter_when error=error/>
                <TextField label=CaseMsg::Amount name="amount_yuan" value=amount error=error inputmode="numeric"/>
                <SelectField label=CaseMsg::ClueSource name="source" value=source error=error
                    options=choices(ClueSource::ALL, ClueSource::as_str, ClueSource::label)/>
                <Show when=names_source>
                    <div class="field">
                        <label for=source_talk_id.clone()>{move || if source.get() == ClueSource::Visit.as_str() {
                            StationMsg::FromVisit.text(lang.get())
                        } else {
                            CaseMsg::FromTalk.text(lang.get())
                        }}</label>
                        <select id=source_talk_id.clone() on:change=move |ev| source_id.set(event_target_value(&ev))>
                            <option value="">{t(CaseMsg::NoneChosen)}</option>
                            {move || named.get().and_then(Result::ok).unwrap_or_default().into_iter().map(|(id, text)| {
                                let chosen = id.clone();
                                view! { <option value=id selected=move || source_id.get() == chosen>{text}</option> }
                            }).collect_view()}
                        </select>
                        <p class="field-error" role="alert">{crate::components::field_message(error, "source_id")}</p>
                    </div>
                </Show>
                <SelectField label=CaseMsg::Seriousness name="seriousness" value=seriousness error=error
                    options=choices(&[Severity::General, Severity::Serious, Severity::Grave], Severity::as_str, Severity::label)/>
                <FormError error=error/>
                <button type="submit" class="primary" disabled=move || save.pending()>{t(CaseMsg::SaveClue)}</button>
            </form>
        </details>
    }
}

/// One clue: what it says, its files, its story and the viewer's move.
#[component]
pub fn CluePage() -> impl IntoView {
    let api = expect_context::<Api>();
    let params = use_params_map();
    let id = Memo::new(move |_| params.read().get("id").unwrap_or_default());
    let version = RwSignal::new(0u32);
    let clue = LocalResource::new(move || {
        version.get();
        let id = id.get();
        async move { api.clue(&id).await }
    });
    view! {
        <section class="page narrow clue-page restricted">
            <h1>{t(CaseMsg::Clues)}</h1>
            <p class="hint restricted-note">{t(CaseMsg::Restricted)}</p>
            {loaded(clue, move |c| view! { <ClueDetail clue=c version=version/> }.into_any())}
        </section>
    }
}

#[component]
fn ClueDetail(clue: Clue, version: RwSignal<u32>) -> impl IntoView {
    let lang = use_lang();
    let role = use_role();
    let (status, source, seriousness) = (clue.status, clue.source, clue.seriousness);
    let amount = clue.amount_yuan.map(|a| format!("{a}"));
    let events = clue.events.clone();
    let id = clue.id.clone();
    let may_propose = status == ClueStatus::Draft;
    let may_withdraw = status == ClueStatus::Proposed && clue.referral_id.is_none();
    let may_handle = matches!(status, ClueStatus::Accepted | ClueStatus::Handling);
    view! {
        <dl class="facts">
            <dt>{t(CaseMsg::CluePerson)}</dt>
            <dd>{concerning(&clue)}</dd>
            <dt>{t(CaseMsg::Matter)}</dt><dd>{clue.matter.clone()}</dd>
            <dt>{t(CaseMsg::MatterWhen)}</dt><dd>{Some(clue.matter_when.clone()).filter(|w| !w.is_empty()).unwrap_or_else(|| "—".into())}</dd>
            <dt>{t(CaseMsg::Amount)}</dt><dd>{amount.unwrap_or_else(|| "—".into())}</dd>
            <dt>{t(CaseMsg::ClueSource)}</dt><dd>{move || source.label(lang.get())}</dd>
            <dt>{t(CaseMsg::Seriousness)}</dt><dd>{move || seriousness.label(lang.get())}</dd>
            <dt>{t(CaseMsg::ClueState)}</dt><dd class="state">{move || status.label(lang.get())}</dd>
            <dt>{t(CaseMsg::Number)}</dt><dd>{clue.referral_number.clone().unwrap_or_else(|| "—".into())}</dd>
            <dt>{t(CaseMsg::Result)}</dt>
            <dd>{move || match clue.result {
                Some(r) => format!("{}{}", r.label(lang.get()), crate::i18n::in_brackets(lang.get(), &crate::components::show_opt(clue.feedback_on))),
                None => CaseMsg::NoResult.text(lang.get()).to_string(),
            }}</dd>
        </dl>
        <crate::pages::talks::Attachments kind="clues" owner_id=clue.id.clone() files=clue.files.clone()
            may_add=status == ClueStatus::Draft/>
        <section aria-labelledby="clue-history">
            <h2 id="clue-history">{t(CaseMsg::History)}</h2>
            <ol class="history">
                {events.into_iter().map(|e| {
                    let what = move || {
                        let l = lang.get();
                        let mut parts = vec![e.to_status.label(l).to_string()];
                        parts.extend(e.disposal.map(|d| d.label(l).to_string()));
                        parts.extend(e.result.map(|r| r.label(l).to_string()));
                        parts.extend(e.on_date.map(|d| d.to_string()));
                        parts.join(" · ")
                    };
                    view! {
                        <li>
                            {format!("{} {} ", cst(e.at), e.actor_name)}
                            <strong>{what}</strong>
                            {(!e.note.is_empty()).then(|| format!(" — {}", e.note))}
                        </li>
                    }
                }).collect_view()}
            </ol>
        </section>
        {move || {
            let id = id.clone();
            match role.get() {
                Some(Role::Inspector) if may_propose || may_withdraw => {
                    let to = if may_propose { ClueStatus::Proposed } else { ClueStatus::Draft };
                    view! { <MoveButton id=id to=to version=version/> }.into_any()
                }
                Some(Role::Admin) if may_withdraw => {
                    view! { <MoveButton id=id to=ClueStatus::Draft version=version/> }.into_any()
                }
                Some(Role::Discipline) if may_handle => {
                    view! { <HandlingForm id=id version=version/> }.into_any()
                }
                _ => ().into_any(),
            }
        }}
        <ReadLog kind="clues" id=clue.id.clone()/>
    }
}

#[component]
fn MoveButton(id: String, to: ClueStatus, version: RwSignal<u32>) -> impl IntoView {
    let api = expect_context::<Api>();
    let role = use_role();
    let id = StoredValue::new(id);
    let note = RwSignal::new(String::new());
    let go =
        Submission::new(
            move |req: MoveClue| async move { api.move_clue(&id.get_value(), &req).await },
        );
    go.on_done(move |_| version.update(|v| *v += 1));
    let error = go.error();
    let label = move || match (to, role.get()) {
        (ClueStatus::Proposed, _) => CaseMsg::Propose,
        (_, Some(Role::Admin)) => CaseMsg::ReturnToTeam,
        _ => CaseMsg::Withdraw,
    };
    let lang = use_lang();
    view! {
        <form class="clue-move" on:submit=move |ev: SubmitEvent| {
            ev.prevent_default();
            go.send(Ok(MoveClue { to, note: note.get_untracked() }));
        } novalidate>
            <TextField label=CaseMsg::Note name="note" value=note error=error/>
            <FormError error=error/>
            <button type="submit" disabled=move || go.pending()>{move || label().text(lang.get())}</button>
        </form>
    }
}

#[component]
fn HandlingForm(id: String, version: RwSignal<u32>) -> impl IntoView {
    let api = expect_context::<Api>();
    let id = StoredValue::new(id);
    let disposal = RwSignal::new(Disposal::Verification.as_str().to_string());
    let result = RwSignal::new(String::new());
    let on_date = RwSignal::new(chrono::Local::now().date_naive().to_string());
    let note = RwSignal::new(String::new());
    let save = Submission::new(move |req: Handling| async move {
        api.handle_clue(&id.get_value(), &req).await
    });
    save.on_done(move |_| version.update(|v| *v += 1));
    let error = save.error();
    let mut results = vec![("", "（尚未办结）", "(not concluded yet)")];
    results.extend(choices(
        ClueResult::ALL,
        ClueResult::as_str,
        ClueResult::label,
    ));
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let req: Result<Handling, AppError> =
            parse_date("on_date", &on_date.get_untracked()).map(|on_date| Handling {
                disposal: Disposal::parse(&disposal.get_untracked()),
                result: ClueResult::parse(&result.get_untracked()),
                on_date,
                note: note.get_untracked(),
            });
        save.send(req);
    };
    view! {
        <form class="handling" on:submit=submit novalidate>
            <h2>{t(CaseMsg::RecordHandling)}</h2>
            <SelectField label=CaseMsg::Disposal name="disposal" value=disposal error=error
                options=choices(Disposal::ALL, Disposal::as_str, Disposal::label)/>
            <SelectField label=CaseMsg::Result name="result" value=result error=error options=results/>
            <TextField label=CaseMsg::OnDate name="on_date" kind="date" value=on_date error=error/>
            <TextField label=CaseMsg::Note name="note" value=note error=error/>
            <FormError error=error/>
            <button type="submit" class="primary" disabled=move || save.pending()>{t(CaseMsg::RecordHandling)}</button>
        </form>
    }
}
