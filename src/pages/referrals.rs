//! The referral desk (问题线索移交): the office assembles proposed clues under a number and
//! sends them; discipline accepts what was sent and works through the clues; both see which
//! referrals are past their feedback day, in red. One referral prints as its list.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;
use xuncha_api::clues::{ClueStatus, NewReferral, Referral, ReferralStatus};
use xuncha_api::users::Role;

use crate::api::Api;
use crate::components::{
    loaded, parse_count, parse_date, FormError, Submission, TextArea, TextField,
};
use crate::i18n::{t, use_lang, CaseMsg};
use crate::pages::clues::{clue_table, concerning};
use crate::routes::{href, CLUES, REFERRALS};
use crate::session::use_role;

#[component]
pub fn ReferralsPage() -> impl IntoView {
    let role = use_role();
    let version = RwSignal::new(0u32);
    view! {
        <section class="page referrals restricted">
            <h1>{t(CaseMsg::Referrals)}</h1>
            <p class="hint restricted-note">{t(CaseMsg::Restricted)}</p>
            <Show when=move || role.get() == Some(Role::Admin)>
                <Assemble version=version/>
            </Show>
            <ReferralList version=version/>
            <Show when=move || role.get() == Some(Role::Discipline)>
                <ToHandle version=version/>
            </Show>
        </section>
    }
}

#[component]
fn Assemble(version: RwSignal<u32>) -> impl IntoView {
    let api = expect_context::<Api>();
    let lang = use_lang();
    let proposed = LocalResource::new(move || {
        version.get();
        async move { api.clues_in(ClueStatus::Proposed).await }
    });
    let chosen = RwSignal::new(Vec::<String>::new());
    let number = RwSignal::new(String::new());
    let referred_on = RwSignal::new(chrono::Local::now().date_naive().to_string());
    let letter = RwSignal::new(String::new());
    let months = RwSignal::new("3".to_string());
    let make =
        Submission::new(move |req: NewReferral| async move { api.create_referral(&req).await });
    make.on_done(move |_| {
        chosen.set(Vec::new());
        number.set(String::new());
        version.update(|v| *v += 1);
    });
    let error = make.error();
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let req = parse_date("referred_on", &referred_on.get_untracked()).and_then(|on| {
            parse_count("feedback_months", &months.get_untracked()).map(|m| NewReferral {
                number: number.get_untracked(),
                referred_on: on,
                cover_letter: letter.get_untracked(),
                clue_ids: chosen.get_untracked(),
                feedback_months: m.unwrap_or(3).clamp(0, 100) as u32,
            })
        });
        make.send(req);
    };
    view! {
        <section aria-labelledby="proposed-heading">
            <h2 id="proposed-heading">{t(CaseMsg::ProposedClues)}</h2>
            <form on:submit=submit novalidate>
                {loaded(proposed, move |clues| {
                    // Clues already in a referral being assembled wait for it to be sent.
                    let free: Vec<_> = clues.into_iter().filter(|c| c.referral_id.is_none()).collect();
                    if free.is_empty() {
                        return view! { <p class="hint">{t(CaseMsg::NoProposed)}</p> }.into_any();
                    }
                    view! {
                        <fieldset>
                            <legend>{t(CaseMsg::Include)}</legend>
                            {free.into_iter().map(|c| {
                                let id = c.id.clone();
                                let checked = id.clone();
                                let text = format!("{} · {} · {} · {}", c.org_name, c.person_name, c.matter, c.seriousness.label(lang.get_untracked()));
                                view! {
                                    <label class="check">
                                        <input type="checkbox"
                                            prop:checked=move || chosen.with(|s| s.contains(&checked))
                                            on:change=move |ev| {
                                                let on = event_target_checked(&ev);
                                                chosen.update(|s| {
                                                    s.retain(|x| x != &id);
                                                    if on { s.push(id.clone()); }
                                                });
                                            }/>
                                        {text}
                                    </label>
                                }
                            }).collect_view()}
                            <p class="field-error" role="alert">{crate::components::field_message(error, "clue_ids")}</p>
                        </fieldset>
                    }.into_any()
                })}
                <TextField label=CaseMsg::Number name="number" value=number error=error/>
                <TextField label=CaseMsg::ReferredOn name="referred_on" kind="date" value=referred_on error=error/>
                <TextArea label=CaseMsg::CoverLetter name="cover_letter" value=letter error=error rows=5/>
                <TextField label=CaseMsg::FeedbackMonths name="feedback_months" value=months error=error inputmode="numeric"/>
                <FormError error=error/>
                <button type="submit" class="primary" disabled=move || make.pending()>{t(CaseMsg::Assemble)}</button>
            </form>
        </section>
    }
}

#[component]
fn ReferralList(version: RwSignal<u32>) -> impl IntoView {
    let api = expect_context::<Api>();
    let list = LocalResource::new(move || {
        version.get();
        async move { api.referrals().await }
    });
    view! {
        <section aria-labelledby="referral-list-heading">
            <h2 id="referral-list-heading">{t(CaseMsg::ReferralList)}</h2>
            {loaded(list, move |referrals| {
                if referrals.is_empty() {
                    return view! { <p class="hint">{t(CaseMsg::NoReferrals)}</p> }.into_any();
                }
                view! {
                    <table class="referral-table">
                        <thead><tr>
                            <th scope="col">{t(CaseMsg::Number)}</th>
                            <th scope="col">{t(CaseMsg::ReferredOn)}</th>
                            <th scope="col">{t(CaseMsg::ReferralState)}</th>
                            <th scope="col">{t(CaseMsg::ClueCount)}</th>
                            <th scope="col">{t(CaseMsg::FedBack)}</th>
                            <th scope="col">{t(CaseMsg::FeedbackDue)}</th>
                            <th scope="col"><span class="visually-hidden">{t(crate::i18n::OfficeMsg::Action)}</span></th>
                        </tr></thead>
                        <tbody>{referrals.into_iter().map(|r| view! { <ReferralRow referral=r version=version/> }).collect_view()}</tbody>
                    </table>
                }.into_any()
            })}
        </section>
    }
}

#[component]
fn ReferralRow(referral: Referral, version: RwSignal<u32>) -> impl IntoView {
    let api = expect_context::<Api>();
    let lang = use_lang();
    let role = use_role();
    let status = referral.status;
    let id = StoredValue::new(referral.id.clone());
    let step = Submission::new(move |step: &'static str| async move {
        api.advance_referral(&id.get_value(), step).await
    });
    step.on_done(move |_| version.update(|v| *v += 1));
    let error = step.error();
    let action = move || match (status, role.get()) {
        (ReferralStatus::Draft, Some(Role::Admin)) => Some(("send", CaseMsg::Send)),
        (ReferralStatus::Sent, Some(Role::Discipline)) => Some(("accept", CaseMsg::Accept)),
        _ => None,
    };
    view! {
        <tr class:overdue=referral.overdue>
            <td><A href=href::office_item(REFERRALS, &referral.id)>{referral.number.clone()}</A></td>
            <td>{referral.referred_on.to_string()}</td>
            <td>{move || status.label(lang.get())}</td>
            <td>{referral.clue_count}</td>
            <td>{referral.concluded_count}</td>
            <td>
                {referral.feedback_due.to_string()}
                {referral.overdue.then(|| view! { <strong class="overdue-note">{" "}{t(CaseMsg::FeedbackOverdue)}</strong> })}
            </td>
            <td>
                {move || action().map(|(name, label)| view! {
                    <button type="button" disabled=move || step.pending() on:click=move |_| step.send(Ok(name))>
                        {move || label.text(lang.get())}
                    </button>
                })}
                <FormError error=error/>
            </td>
        </tr>
    }
}

/// Discipline's work list: every clue accepted and not yet concluded.
#[component]
fn ToHandle(version: RwSignal<u32>) -> impl IntoView {
    let api = expect_context::<Api>();
    let clues = LocalResource::new(move || {
        version.get();
        async move {
            let mut all = api.clues_in(ClueStatus::Accepted).await?;
            all.extend(api.clues_in(ClueStatus::Handling).await?);
            Ok(all)
        }
    });
    view! {
        <section aria-labelledby="handle-heading">
            <h2 id="handle-heading">{t(CaseMsg::Handled)}</h2>
            {loaded(clues, move |clues| {
                if clues.is_empty() {
                    view! { <p class="hint">{t(CaseMsg::NothingToHandle)}</p> }.into_any()
                } else {
                    clue_table(clues).into_any()
                }
            })}
        </section>
    }
}

/// One referral as it is printed: number, date, the cover letter and the list of clues.
#[component]
pub fn ReferralPage() -> impl IntoView {
    let api = expect_context::<Api>();
    let lang = use_lang();
    let params = use_params_map();
    let id = Memo::new(move |_| params.read().get("id").unwrap_or_default());
    let referral = LocalResource::new(move || {
        let id = id.get();
        async move { api.referral(&id).await }
    });
    let printer = move || {
        api.session.with(|s| {
            s.as_ref()
                .map(|s| s.user.display_name.clone())
                .unwrap_or_default()
        })
    };
    view! {
        <section class="page narrow referral-print restricted">
            {loaded(referral, move |r| {
                let status = r.status;
                view! {
                    <h1>{format!("{} {}", CaseMsg::Referrals.text(lang.get_untracked()), r.number)}</h1>
                    <p>{format!("{}{}{}{}{}{}{}", CaseMsg::ReferredOn.text(lang.get_untracked()), lang.get_untracked().colon(), r.referred_on, lang.get_untracked().pick("　", "; "),
                        CaseMsg::FeedbackDue.text(lang.get_untracked()), lang.get_untracked().colon(), r.feedback_due)}
                        {" · "}{move || status.label(lang.get())}</p>
                    <p class="letter">{r.cover_letter.clone()}</p>
                    <ol class="referral-clues">
                        {r.clues.into_iter().map(|c| {
                            let st = c.status;
                            let who = format!(" — {} · {}", c.org_name, concerning(&c));
                            view! {
                                <li>
                                    <A href=href::office_item(CLUES, &c.id)>{c.matter.clone()}</A>
                                    {who}
                                    {move || crate::i18n::in_brackets(lang.get(), st.label(lang.get()))}
                                </li>
                            }
                        }).collect_view()}
                    </ol>
                    // Every printed copy names who printed it and when.
                    <p class="watermark">{move || format!("{}{} {}", CaseMsg::PrintedBy.text(lang.get()), printer(), crate::pages::talks::cst(chrono::Utc::now()))}</p>
                    <button type="button" class="no-print" on:click=move |_| { let _ = window().print(); }>{t(CaseMsg::PrintList)}</button>
                }.into_any()
            })}
        </section>
    }
}
