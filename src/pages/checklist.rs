//! Filling in a checklist on a phone, with or without a network: every answer is saved on
//! the phone first and sent by the outbox; the state of each answer is always shown.

use leptos::prelude::*;
use leptos_router::components::A;
use wasm_bindgen::JsCast;
use xuncha_api::checklists::{
    AnswerType, AnswerValue, ChecklistKind, EvidenceInfo as Evidence, FocusPoint, Item, OpenRecord,
    RecordStatus, YesNo,
};
use xuncha_api::Lang;

use crate::api::{Api, AppError};
use crate::components::unique_id;
use crate::i18n::{in_brackets, t, use_lang, Msg};
use crate::offline::{store, CachedRecord, Draft, Outbox, PhotoMeta, Removal};
use crate::routes::{href, SELF_CHECK};

const SELF_CHECK_KEY: &str = "self_check";

/// The liaison's self-check: read from the phone at once, refreshed from the server when
/// there is a network.
#[component]
pub fn SelfCheckPage() -> impl IntoView {
    let api = expect_context::<Api>();
    let outbox = expect_context::<Outbox>();
    let record_id = RwSignal::new(None::<String>);
    let missing = RwSignal::new(false);
    leptos::task::spawn_local(async move {
        if let Ok(Some(id)) = store::get::<String>(store::META, SELF_CHECK_KEY).await {
            record_id.set(Some(id));
        }
        match api
            .open_record(&OpenRecord {
                kind: ChecklistKind::SelfCheck,
                target_id: None,
            })
            .await
        {
            Ok(record) => {
                let id = record.id.clone();
                if outbox.cache(record).await.is_ok() {
                    let _ = store::put(store::META, SELF_CHECK_KEY, &id).await;
                    record_id.set(Some(id));
                }
            }
            Err(_) if record_id.get_untracked().is_none() => missing.set(true),
            Err(_) => {}
        }
    });
    view! {
        <section class="page narrow checklist-page">
            <h1>{t(Msg::SelfCheck)}</h1>
            {move || match record_id.get() {
                Some(id) => view! { <ChecklistForm record_id=id/> }.into_any(),
                None if missing.get() => view! { <p class="hint">{t(Msg::NeverOpened)}</p> }.into_any(),
                None => view! { <p role="status">{t(Msg::LoadingOffline)}</p> }.into_any(),
            }}
        </section>
    }
}

/// What an item offers to something added under it.
#[derive(Clone)]
pub struct ItemContext {
    pub focus: FocusPoint,
    pub item_id: String,
    pub prompt: String,
    pub note: Memo<String>,
    /// Whether the current answer means a problem.
    pub problem: Signal<bool>,
    pub record_id: Option<String>,
}

pub type ItemExtra = Callback<ItemContext, AnyView>;

/// What the device holds for one record.
#[derive(Clone, PartialEq)]
struct Local {
    cached: Option<CachedRecord>,
    drafts: Vec<Draft>,
    photos: Vec<PhotoMeta>,
    /// Photos on the server taken off here: hidden while they wait, shown with the reason
    /// when the server refused.
    removals: Vec<Removal>,
}

impl Local {
    /// The record's photos on the server, less those taken off here and not yet sent.
    fn sent_evidence(&self) -> impl Iterator<Item = &Evidence> {
        self.cached
            .iter()
            .flat_map(|c| &c.record.evidence)
            .filter(|e| {
                !self
                    .removals
                    .iter()
                    .any(|r| r.photo_id == e.id && r.waiting())
            })
    }
}

#[component]
pub fn ChecklistForm(
    record_id: String,
    /// What the office adds under each item (the one-tap finding); the field app adds nothing,
    /// so its bundle carries none of it.
    #[prop(optional)]
    item_extra: Option<ItemExtra>,
) -> impl IntoView {
    let api = expect_context::<Api>();
    let outbox = expect_context::<Outbox>();
    let lang = use_lang();
    let id = StoredValue::new(record_id);
    let local = RwSignal::new(Local {
        cached: None,
        drafts: Vec::new(),
        photos: Vec::new(),
        removals: Vec::new(),
    });
    // Read the device's store again whenever it changed.
    Effect::new(move |_| {
        outbox.changed.get();
        leptos::task::spawn_local(async move {
            let id = id.get_value();
            let cached = store::get::<CachedRecord>(store::RECORDS, &id)
                .await
                .ok()
                .flatten();
            let drafts: Vec<Draft> = store::all::<Draft>(store::DRAFTS)
                .await
                .unwrap_or_default()
                .into_iter()
                .filter(|d| d.record_id == id)
                .collect();
            let photos: Vec<PhotoMeta> = store::all::<PhotoMeta>(store::PHOTOS)
                .await
                .unwrap_or_default()
                .into_iter()
                .filter(|p| p.record_id == id)
                .collect();
            let removals: Vec<Removal> = store::all::<Removal>(store::REMOVALS)
                .await
                .unwrap_or_default()
                .into_iter()
                .filter(|r| r.record_id == id)
                .collect();
            local.set(Local {
                cached,
                drafts,
                photos,
                removals,
            });
        });
    });
    let tab = RwSignal::new(FocusPoint::Policies);
    let template =
        Memo::new(move |_| local.with(|l| l.cached.as_ref().map(|c| c.template.clone())));
    let locked = Memo::new(move |_| {
        local.with(|l| {
            l.cached
                .as_ref()
                .is_some_and(|c| c.record.status == RecordStatus::Submitted)
        })
    });
    let submit = Action::new_local(move |_: &()| async move {
        let record = api.submit_record(&id.get_value()).await?;
        outbox.cache(record).await.map(|_| ())
    });
    let submit_error = Signal::derive(move || submit.value().get().and_then(Result::err));

    let status = move || {
        local.with(|l| {
            let record_status = l.cached.as_ref().map(|c| c.record.status);
            let state = if l.drafts.iter().any(|d| d.conflict.is_some()) {
                Msg::ConflictState
            } else if !l.drafts.is_empty()
                || !l.photos.is_empty()
                || l.removals.iter().any(Removal::waiting)
            {
                if outbox.online.get() {
                    Msg::WaitingToSend
                } else if outbox.page_only() {
                    Msg::SavedInPage
                } else {
                    Msg::SavedOnPhone
                }
            } else {
                Msg::SentState
            };
            let record = match record_status {
                Some(RecordStatus::Submitted) => {
                    format!(" · {}", Msg::SubmittedState.text(lang.get()))
                }
                Some(RecordStatus::Returned) => {
                    format!(" · {}", Msg::ReturnedState.text(lang.get()))
                }
                _ => String::new(),
            };
            format!("{}{record}", state.text(lang.get()))
        })
    };
    let progress = move || {
        local.with(|l| {
            l.cached.as_ref().map(|c| {
                let total = c.template.content.items().count();
                let answered = c
                    .template
                    .content
                    .items()
                    .filter(|(_, i)| {
                        l.drafts
                            .iter()
                            .any(|d| d.change.item_id == i.id && d.change.value.is_some())
                            || c.record
                                .answers
                                .iter()
                                .any(|a| a.item_id == i.id && a.value.is_some())
                    })
                    .count();
                format!("{} {answered} / {total}", Msg::Answered.text(lang.get()))
            })
        })
    };
    let can_submit = move || {
        local.with(|l| {
            l.drafts.is_empty() && l.photos.is_empty() && !l.removals.iter().any(Removal::waiting)
        }) && outbox.online.get()
    };
    // What the server found missing, each with the way to its item.
    let missing = move || match submit_error.get() {
        Some(AppError::Api(e)) if !e.rows.is_empty() => local.with(|l| {
            let Some(c) = &l.cached else {
                return Vec::new();
            };
            e.rows
                .iter()
                .map(|r| {
                    let item_id = r.field.split('.').next().unwrap_or("").to_string();
                    let found = c.template.content.item(&item_id);
                    let focus = found.map(|(s, _)| s.focus);
                    let prompt = found.map(|(_, i)| i.prompt.clone()).unwrap_or_default();
                    let number = number_of(&c.template, &item_id);
                    let what = if r.field.ends_with(".note") {
                        Msg::ProblemNote.text(lang.get()).to_string()
                    } else if r.field.ends_with(".evidence") {
                        Msg::AddEvidence.text(lang.get()).to_string()
                    } else {
                        r.problem.message(lang.get())
                    };
                    let number = number.map(|n| format!("{n}. ")).unwrap_or_default();
                    let what = in_brackets(lang.get(), &what);
                    (item_id, focus, format!("{number}{prompt}{what}"))
                })
                .collect()
        }),
        _ => Vec::new(),
    };
    let go_to = move |item_id: String, focus: Option<FocusPoint>| {
        if let Some(f) = focus {
            tab.set(f);
        }
        // After the tab's items are drawn.
        request_animation_frame(move || {
            if let Some(el) = document().get_element_by_id(&item_anchor(&item_id)) {
                el.scroll_into_view();
                if let Ok(Some(input)) = el.query_selector("input, textarea, select") {
                    if let Ok(input) = input.dyn_into::<web_sys::HtmlElement>() {
                        let _ = input.focus();
                    }
                }
            }
        });
    };
    let next_focus = move || {
        let now = tab.get();
        let i = FocusPoint::ALL.iter().position(|f| *f == now)?;
        FocusPoint::ALL.get(i + 1).copied()
    };

    view! {
        <p class="record-state" role="status" aria-live="polite">
            <strong>{status}</strong>" · "{progress}
        </p>
        {move || local.with(|l| l.cached.as_ref().filter(|c| c.record.status == RecordStatus::Returned).map(|c| {
            view! { <p class="form-error">{t(Msg::ReturnReason)}{format!("{}{}", use_lang().get_untracked().colon(), c.record.return_reason)}</p> }
        }))}
        <nav class="focus-tabs" aria-label=move || Msg::SelfCheck.text(lang.get())>
            {FocusPoint::ALL.into_iter().map(|f| view! {
                <button type="button" class:current=move || tab.get() == f aria-pressed=move || (tab.get() == f).to_string()
                    on:click=move |_| tab.set(f) title=move || f.label(lang.get())>
                    {move || f.short_label(lang.get())}
                </button>
            }).collect_view()}
        </nav>
        {move || template.get().map(|tpl| {
            // Drawn again only when the template or the tab changes; each item follows its own
            // answer, so typing and saving never rebuild the list.
            let section = tpl.content.sections.iter().find(|s| s.focus == tab.get()).cloned();
            section.map(|s| view! {
                <h2>{s.focus.label(lang.get())}</h2>
                <p class="hint">{s.title.clone()}</p>
                <ol class="items">
                    {s.items.into_iter().map(|item| {
                        let number = number_of(&tpl, &item.id).unwrap_or_default();
                        view! { <ItemView item=item number=number local=local locked=locked focus=s.focus extra=item_extra/> }
                    }).collect_view()}
                </ol>
            })
        })}
        {move || next_focus().map(|f| view! {
            <button type="button" class="next-focus" on:click=move |_| {
                tab.set(f);
                if let Some(tabs) = document().query_selector(".focus-tabs").ok().flatten() {
                    tabs.scroll_into_view();
                }
            }>
                {move || format!("{}{}", Msg::NextFocus.text(lang.get()), f.label(lang.get()))}
            </button>
        })}
        <div class="submit-bar">
            <ul class="form-error missing">{move || missing().into_iter().map(|(item_id, focus, text)| view! {
                <li><button type="button" class="link" on:click=move |_| go_to(item_id.clone(), focus)>{text}</button></li>
            }).collect_view()}</ul>
            {move || submit_error.get().filter(|e| !matches!(e, AppError::Api(a) if !a.rows.is_empty())).map(|e| view! {
                <p class="form-error" role="alert">{e.message(lang.get())}</p>
            })}
            <Show when=move || !can_submit()>
                <p class="hint">{t(Msg::SubmitNeedsNetwork)}</p>
            </Show>
            <button type="button" class="primary" disabled=move || !can_submit() || submit.pending().get()
                on:click=move |_| { submit.dispatch_local(()); }>
                {t(Msg::Submit)}
            </button>
        </div>
    }
}

fn value_text(v: &AnswerValue, lang: Lang) -> String {
    match v {
        AnswerValue::YesNo(YesNo::Yes) => Msg::AnswerYes.text(lang).into(),
        AnswerValue::YesNo(YesNo::No) => Msg::AnswerNo.text(lang).into(),
        AnswerValue::YesNo(YesNo::NotApplicable) => Msg::AnswerNa.text(lang).into(),
        AnswerValue::Choice(c) | AnswerValue::Text(c) => c.clone(),
        AnswerValue::Number(n) => n.to_string(),
        AnswerValue::Date(d) => d.to_string(),
    }
}

/// An item's number in the whole checklist, as on the paper form (1 to 35 across the tabs).
fn number_of(template: &xuncha_api::checklists::Template, item_id: &str) -> Option<usize> {
    template
        .content
        .items()
        .position(|(_, i)| i.id == item_id)
        .map(|i| i + 1)
}

fn item_anchor(item_id: &str) -> String {
    format!("item-{item_id}")
}

#[component]
fn ItemView(
    item: Item,
    number: usize,
    local: RwSignal<Local>,
    locked: Memo<bool>,
    focus: FocusPoint,
    extra: Option<ItemExtra>,
) -> impl IntoView {
    let outbox = expect_context::<Outbox>();
    let lang = use_lang();
    let item = StoredValue::new(item);
    let item_id = item.with_value(|i| i.id.clone());
    let key = item_id.clone();
    let draft = Memo::new(move |_| {
        local.with(|l| l.drafts.iter().find(|d| d.change.item_id == key).cloned())
    });
    let key2 = item_id.clone();
    let server = Memo::new(move |_| {
        local.with(|l| {
            l.cached
                .as_ref()
                .and_then(|c| c.record.answers.iter().find(|a| a.item_id == key2).cloned())
        })
    });
    // The answer just tapped, shown (with the note field it calls for) in the next frame,
    // before IndexedDB has it; the saved draft takes over as soon as it is there.
    let tapped = RwSignal::new(None::<Option<AnswerValue>>);
    Effect::new(move |_| {
        draft.track();
        tapped.set(None);
    });
    let value = Memo::new(move |_| match (tapped.get(), draft.get()) {
        (Some(v), _) => v,
        (None, Some(d)) => d.change.value,
        (None, None) => server.get().and_then(|a| a.value),
    });
    let note = Memo::new(move |_| match draft.get() {
        Some(d) => d.change.note,
        None => server.get().map(|a| a.note).unwrap_or_default(),
    });
    let problem = move || {
        value
            .get()
            .is_some_and(|v| item.with_value(|i| i.is_problem(&v)))
    };
    let local_error = RwSignal::new(None::<String>);

    let save = move |v: Option<AnswerValue>, n: String| {
        // The note explains a problem; once the answer is no longer one (不适用, say) the
        // hidden note would stay on the server unseen, so it goes with it.
        let n = if v
            .as_ref()
            .is_some_and(|v| item.with_value(|i| i.is_problem(v)))
        {
            n
        } else {
            String::new()
        };
        if let Some(val) = &v {
            if let Err(p) = item.with_value(|i| i.check(val)) {
                local_error.set(Some(p.message(lang.get_untracked())));
                return;
            }
        }
        local_error.set(None);
        let Some(cached) = local.with_untracked(|l| l.cached.clone()) else {
            return;
        };
        let item_id = item.with_value(|i| i.id.clone());
        tapped.set(Some(v.clone()));
        leptos::task::spawn_local(async move {
            if let Err(e) = outbox.save_answer(&cached, &item_id, v, n).await {
                tapped.set(None);
                local_error.set(Some(e.message(lang.get_untracked())));
            }
        });
    };

    let state = move || {
        let msg = match (draft.get(), server.get()) {
            (Some(d), _) if d.conflict.is_some() => Some(Msg::ConflictState),
            (Some(_), _) => Some(if outbox.online.get() {
                Msg::WaitingToSend
            } else if outbox.page_only() {
                Msg::SavedInPage
            } else {
                Msg::SavedOnPhone
            }),
            (None, Some(a)) if a.value.is_some() => Some(Msg::SentState),
            _ => None,
        };
        msg.map(|m| m.text(lang.get()))
    };
    let group = unique_id("item");
    let note_id = unique_id("note");
    let file_id = unique_id("evidence");
    let input_id = unique_id("answer");
    let prompt = item.with_value(|i| i.prompt.clone());
    let method = item.with_value(|i| i.method);
    let answer_type = item.with_value(|i| i.answer.clone());
    let evidence_required = item.with_value(|i| i.evidence_required);
    let key3 = item_id.clone();
    let photo_counts = Memo::new(move |_| {
        local.with(|l| {
            let waiting = l.photos.iter().filter(|p| p.item_id == key3).count();
            let sent = l.sent_evidence().filter(|e| e.item_id == key3).count();
            (sent, waiting)
        })
    });

    // This item's photos and files: (id, type, on the server), the server's first.
    let key4 = item_id.clone();
    let attached = Memo::new(move |_| {
        local.with(|l| {
            let refused = |id: &str| {
                l.removals
                    .iter()
                    .find(|r| r.photo_id == id)
                    .and_then(|r| r.refused.clone())
            };
            let sent = l
                .sent_evidence()
                .filter(|e| e.item_id == key4)
                .map(|e| (e.id.clone(), e.content_type.clone(), true, refused(&e.id)));
            let waiting = l
                .photos
                .iter()
                .filter(|p| p.item_id == key4)
                .map(|p| (p.id.clone(), p.content_type.clone(), false, None));
            sent.chain(waiting).collect::<Vec<_>>()
        })
    });
    let record_of = move || {
        local.with_untracked(|l| {
            l.cached
                .as_ref()
                .map(|c| c.record.id.clone())
                .unwrap_or_default()
        })
    };
    let input = match answer_type {
        AnswerType::YesNo => {
            let options = [(YesNo::Yes, Msg::AnswerYes), (YesNo::No, Msg::AnswerNo), (YesNo::NotApplicable, Msg::AnswerNa)];
            view! {
                <div class="choices" role="radiogroup" aria-labelledby=format!("{group}-q")>
                    {options.into_iter().map(|(v, m)| {
                        let rid = unique_id("opt");
                        view! {
                            <span class="choice">
                                <input type="radio" id=rid.clone() name=group.clone() disabled=move || locked.get()
                                    prop:checked=move || value.get() == Some(AnswerValue::YesNo(v))
                                    on:change=move |_| save(Some(AnswerValue::YesNo(v)), note.get_untracked())/>
                                <label for=rid>{t(m)}</label>
                            </span>
                        }
                    }).collect_view()}
                </div>
            }
            .into_any()
        }
        AnswerType::Choice { options } => view! {
            <div class="choices" role="radiogroup" aria-labelledby=format!("{group}-q")>
                {options.into_iter().map(|o| {
                    let rid = unique_id("opt");
                    let (o1, o2) = (o.clone(), o.clone());
                    view! {
                        <span class="choice">
                            <input type="radio" id=rid.clone() name=group.clone() disabled=move || locked.get()
                                prop:checked=move || value.get() == Some(AnswerValue::Choice(o1.clone()))
                                on:change=move |_| save(Some(AnswerValue::Choice(o2.clone())), note.get_untracked())/>
                            <label for=rid>{o}</label>
                        </span>
                    }
                }).collect_view()}
            </div>
        }
        .into_any(),
        AnswerType::Number { unit, .. } => view! {
            <div class="field">
                <label for=input_id.clone()>{format!("{} {unit}", Msg::Count.text(lang.get_untracked()))}</label>
                <input id=input_id.clone() type="number" inputmode="decimal" disabled=move || locked.get()
                    prop:value=move || match value.get() { Some(AnswerValue::Number(n)) => n.to_string(), _ => String::new() }
                    on:change=move |ev| {
                        let text = event_target_value(&ev);
                        if text.trim().is_empty() { save(None, note.get_untracked()); return; }
                        match text.trim().parse::<f64>() {
                            Ok(n) => save(Some(AnswerValue::Number(n)), note.get_untracked()),
                            Err(_) => local_error.set(Some(xuncha_api::Problem::BadFormat { expected: "数字".into() }.message(lang.get_untracked()))),
                        }
                    }/>
            </div>
        }
        .into_any(),
        AnswerType::Text { .. } => view! {
            <div class="field">
                <label for=input_id.clone()>{t(Msg::Detail)}</label>
                <textarea id=input_id.clone() rows="3" disabled=move || locked.get()
                    prop:value=move || match value.get() { Some(AnswerValue::Text(s)) => s, _ => String::new() }
                    on:change=move |ev| {
                        let text = event_target_value(&ev);
                        save(if text.trim().is_empty() { None } else { Some(AnswerValue::Text(text)) }, note.get_untracked())
                    }></textarea>
            </div>
        }
        .into_any(),
        AnswerType::Date => view! {
            <div class="field">
                <label for=input_id.clone()>{t(Msg::When)}</label>
                <input id=input_id.clone() type="date" disabled=move || locked.get()
                    prop:value=move || match value.get() { Some(AnswerValue::Date(d)) => d.to_string(), _ => String::new() }
                    on:change=move |ev| {
                        let text = event_target_value(&ev);
                        save(crate::components::iso_date(&text).map(AnswerValue::Date), note.get_untracked())
                    }/>
            </div>
        }
        .into_any(),
    };

    let on_photo = move |ev: leptos::ev::Event| {
        let input: web_sys::HtmlInputElement = event_target(&ev);
        let Some(file) = input.files().and_then(|f| f.get(0)) else {
            return;
        };
        let record_id = local
            .with_untracked(|l| l.cached.as_ref().map(|c| c.record.id.clone()))
            .unwrap_or_default();
        let item_id = item.with_value(|i| i.id.clone());
        input.set_value("");
        leptos::task::spawn_local(async move {
            let result = match crate::offline::photo::prepare(&file).await {
                Ok((blob, kind)) if blob.size() <= 5.0 * 1024.0 * 1024.0 => outbox
                    .save_photo(&record_id, &item_id, &blob, &kind)
                    .await
                    .map_err(|e| e.message(lang.get_untracked())),
                Ok(_) => Err(xuncha_api::ErrorCode::PayloadTooLarge
                    .message(lang.get_untracked())
                    .to_string()),
                Err(e) => Err(e.message(lang.get_untracked())),
            };
            if let Err(e) = result {
                local_error.set(Some(e));
            }
        });
    };

    view! {
        <li class="item" class:problem=problem id=item_anchor(&item.with_value(|i| i.id.clone()))>
            <p class="prompt" id=format!("{group}-q")><span class="num">{format!("{number}. ")}</span>{prompt}</p>
            <p class="meta">
                <span class="method">{move || method.label(lang.get())}</span>
                {move || state().map(|s| {
                    // A conflict, or an answer the phone cannot keep past this page.
                    let warn = draft.get().is_some_and(|d| {
                        d.conflict.is_some() || (outbox.page_only() && !outbox.online.get())
                    });
                    view! { <span class="state" class:warn=warn>{s}</span> }
                })}
            </p>
            {input}
            <p class="field-error" role="alert">{move || local_error.get()}</p>
            {move || draft.get().and_then(|d| d.conflict.clone().map(|server| (d, server))).map(|(d, server)| {
                let (d1, d2) = (d.clone(), d);
                view! {
                    <div class="conflict" role="alert">
                        <p>{t(Msg::ServerHas)}{server.value.as_ref().map(|v| value_text(v, lang.get())).unwrap_or_default()}
                            {(!server.note.is_empty()).then(|| in_brackets(lang.get(), &server.note))}</p>
                        <button type="button" on:click=move |_| { let d = d1.clone(); leptos::task::spawn_local(async move { let _ = outbox.keep_mine(&d).await; }); }>{t(Msg::KeepMine)}</button>
                        <button type="button" on:click=move |_| { let d = d2.clone(); leptos::task::spawn_local(async move { let _ = outbox.take_theirs(&d).await; }); }>{t(Msg::TakeServer)}</button>
                    </div>
                }
            })}
            {extra.map(|extra| {
                let ctx = ItemContext {
                    focus,
                    item_id: item.with_value(|i| i.id.clone()),
                    prompt: item.with_value(|i| i.prompt.clone()),
                    note,
                    problem: Signal::derive(problem),
                    record_id: local.with_untracked(|l| l.cached.as_ref().map(|c| c.record.id.clone())),
                };
                extra.run(ctx)
            })}
            <Show when=problem>
                <div class="field">
                    <label for=note_id.clone()>{t(Msg::ProblemNote)}</label>
                    <textarea id=note_id.clone() rows="2" disabled=move || locked.get() prop:value=move || note.get()
                        on:change=move |ev| save(value.get_untracked(), event_target_value(&ev))></textarea>
                </div>
                {evidence_required.then(|| view! {
                    <div class="field">
                        <label for=file_id.clone()>{t(Msg::AddEvidence)}</label>
                        <input id=file_id.clone() type="file" accept="image/*,application/pdf" capture="environment" disabled=move || locked.get() on:change=on_photo/>
                        <p class="hint">{move || {
                            let (sent, waiting) = photo_counts.get();
                            format!("{sent} {} · {waiting} {}", Msg::EvidenceOnServer.text(lang.get()), Msg::EvidenceWaiting.text(lang.get()))
                        }}</p>
                        <ul class="thumbs">
                            {move || attached.get().into_iter().enumerate().map(|(i, (id, content_type, sent, refused))| {
                                view! { <EvidenceThumb record_id=record_of() id=id content_type=content_type sent=sent refused=refused number=i + 1 locked=locked error=local_error/> }
                            }).collect_view()}
                        </ul>
                    </div>
                })}
            </Show>
        </li>
    }
}

/// One photo or file of an item: from the phone's store when it has the bytes (a photo taken
/// here, shown with no signal too), else from the server; with a button to take it off.
#[component]
fn EvidenceThumb(
    record_id: String,
    id: String,
    content_type: String,
    sent: bool,
    /// Why the server would not take it off, when it refused.
    refused: Option<String>,
    number: usize,
    locked: Memo<bool>,
    error: RwSignal<Option<String>>,
) -> impl IntoView {
    let outbox = expect_context::<Outbox>();
    let api = expect_context::<Api>();
    let lang = use_lang();
    let src = crate::offline::photo::shown_from_phone(
        id.clone(),
        sent.then(|| api.evidence_href(&record_id, &id)),
    );
    let is_image = content_type.starts_with("image/");
    let label = move || format!("{} {number}", Msg::EvidenceFile.text(lang.get()));
    let (rid, pid) = (StoredValue::new(record_id), StoredValue::new(id));
    let removing = RwSignal::new(false);
    let remove = move |_| {
        removing.set(true);
        error.set(None);
        leptos::task::spawn_local(async move {
            let result = outbox
                .remove_photo(&rid.get_value(), &pid.get_value(), sent)
                .await;
            removing.set(false);
            if let Err(e) = result {
                error.set(Some(e.message(lang.get_untracked())));
            }
        });
    };
    view! {
        <li class="thumb">
            {if is_image {
                view! { <img src=src alt=label width="88" height="88"/> }.into_any()
            } else {
                view! { <span class="file">{label}" (PDF)"</span> }.into_any()
            }}
            <button type="button" on:click=remove
                disabled=move || locked.get() || removing.get()>
                {move || format!("{} {}", Msg::RemoveFile.text(lang.get()), label())}
            </button>
            {refused.map(|why| view! {
                <p class="field-error" role="alert">{move || format!("{}{why}", Msg::RemoveRefused.text(lang.get()))}</p>
            })}
        </li>
    }
}

/// The link from the liaison's home to its self-check.
#[component]
pub fn SelfCheckLink() -> impl IntoView {
    view! { <p><A href=href::field(SELF_CHECK) attr:class="button-link">{t(Msg::StartSelfCheck)}</A></p> }
}
