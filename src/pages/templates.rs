//! Checklist templates, for the office: a published version never changes; a copy becomes the
//! next version's draft, edited here and then published.

use leptos::prelude::*;
use xuncha_api::checklists::{Template, UpdateTemplate};
use xuncha_api::stationing::{PolicyArea, PolicyDefault, PolicyDefaultDraft};

use crate::api::{Api, AppError};
use crate::components::{loaded, unique_id, FormError, Submission};
use crate::i18n::{t, use_lang, Msg, OfficeMsg, StationMsg};
use crate::offline::new_id;
use crate::pages::stationing::PolicyFields;

#[component]
pub fn TemplatesPage() -> impl IntoView {
    let api = expect_context::<Api>();
    let version = RwSignal::new(0u32);
    let list = LocalResource::new(move || {
        version.get();
        async move { api.templates().await }
    });
    let editing = RwSignal::new(None::<Template>);
    let act = Action::new_local(move |(id, publish): &(String, bool)| {
        let (id, publish) = (id.clone(), *publish);
        async move {
            let t = if publish {
                api.publish_template(&id).await?
            } else {
                api.copy_template(&id).await?
            };
            Ok::<Template, AppError>(t)
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(t)) = act.value().get() {
            editing.set((!t.published).then_some(t));
            version.update(|v| *v += 1);
        }
    });
    let error = Signal::derive(move || act.value().get().and_then(Result::err));
    view! {
        <section class="page">
            <h1>{t(Msg::NavTemplates)}</h1>
            <p class="hint">{t(OfficeMsg::PublishedNeverChanges)}</p>
            <FormError error=error/>
            {loaded(list, move |items| view! {
                        <table class="templates">
                            <thead><tr>
                                <th scope="col">{t(OfficeMsg::TemplateName)}</th><th scope="col">{t(OfficeMsg::Version)}</th>
                                <th scope="col">{t(Msg::Status)}</th><th scope="col">{t(Msg::Count)}</th><th scope="col">{t(OfficeMsg::Action)}</th>
                            </tr></thead>
                            <tbody>
                                {items.into_iter().map(|tpl| {
                                    let (id1, id2) = (tpl.id.clone(), tpl.id.clone());
                                    let draft = tpl.clone();
                                    let published = tpl.published;
                                    view! {
                                        <tr>
                                            <td>{tpl.name.clone()}</td>
                                            <td>{format!("v{}", tpl.version)}</td>
                                            <td>{if published { t(OfficeMsg::Published) } else { t(OfficeMsg::Draft) }}</td>
                                            <td>{tpl.content.items().count()}</td>
                                            <td class="actions">
                                                <button type="button" on:click=move |_| { act.dispatch_local((id1.clone(), false)); }>{t(OfficeMsg::CopyAsNewVersion)}</button>
                                                {(!published).then(|| view! {
                                                    <button type="button" on:click=move |_| editing.set(Some(draft.clone()))>{t(OfficeMsg::EditDraft)}</button>
                                                    <button type="button" class="primary" on:click=move |_| { act.dispatch_local((id2.clone(), true)); }>{t(OfficeMsg::Publish)}</button>
                                                })}
                                            </td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                    }.into_any())}
            {move || editing.get().map(|tpl| view! { <DraftEditor template=tpl on_saved=move |_| version.update(|v| *v += 1)/> })}
            <PolicyDefaults/>
        </section>
    }
}

/// The county's default policy list (县默认政策清单): the policies every village should see
/// reach it, which a team copies into its target's policy list and edits there.
#[component]
fn PolicyDefaults() -> impl IntoView {
    let api = expect_context::<Api>();
    let lang = use_lang();
    let version = RwSignal::new(0u32);
    let list = LocalResource::new(move || {
        version.get();
        async move { api.policy_defaults().await }
    });
    // The policy being edited, or a new one (`None` inside) being added.
    let editing = RwSignal::new(None::<Option<PolicyDefault>>);
    let saved = Callback::new(move |_| {
        editing.set(None);
        version.update(|v| *v += 1);
    });
    view! {
        <section aria-labelledby="policy-defaults-heading">
            <h2 id="policy-defaults-heading">{t(OfficeMsg::PolicyDefaults)}</h2>
            <p class="hint">{t(OfficeMsg::PolicyDefaultsHint)}</p>
            {loaded(list, move |items| {
                if items.is_empty() {
                    return view! { <p>{t(OfficeMsg::NoPolicyDefaults)}</p> }.into_any();
                }
                view! {
                    <table class="policy-defaults">
                        <thead><tr>
                            <th scope="col">{t(StationMsg::Area)}</th><th scope="col">{t(StationMsg::PolicyTitle)}</th>
                            <th scope="col">{t(StationMsg::Evidence)}</th><th scope="col">{t(OfficeMsg::Action)}</th>
                        </tr></thead>
                        <tbody>
                            {items.into_iter().map(|p| {
                                let title = p.title.clone();
                                let area = p.area;
                                let edit = p.clone();
                                view! {
                                    <tr>
                                        <td>{move || area.label(lang.get())}</td>
                                        <td>{p.title.clone()}</td>
                                        <td>{p.evidence.clone()}</td>
                                        <td class="actions">
                                            <button type="button" aria-label=move || format!("{}{}{title}", StationMsg::Edit.text(lang.get()), lang.get().colon())
                                                on:click=move |_| editing.set(Some(Some(edit.clone())))>{t(StationMsg::Edit)}</button>
                                        </td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any()
            })}
            {move || match editing.get() {
                Some(known) => view! { <PolicyDefaultForm known=known done=saved cancel=Callback::new(move |_| editing.set(None))/> }.into_any(),
                None => view! {
                    <button type="button" on:click=move |_| editing.set(Some(None))>{t(OfficeMsg::AddPolicyDefault)}</button>
                }.into_any(),
            }}
        </section>
    }
}

#[component]
fn PolicyDefaultForm(
    known: Option<PolicyDefault>,
    done: Callback<()>,
    cancel: Callback<()>,
) -> impl IntoView {
    let api = expect_context::<Api>();
    let lang = use_lang();
    let area = RwSignal::new(
        known
            .as_ref()
            .map_or(PolicyArea::Farming, |k| k.area)
            .as_str()
            .to_string(),
    );
    let title = RwSignal::new(known.as_ref().map(|k| k.title.clone()).unwrap_or_default());
    let evidence = RwSignal::new(
        known
            .as_ref()
            .map(|k| k.evidence.clone())
            .unwrap_or_default(),
    );
    // A new policy keeps its id across a retry, so a lost reply does not make two.
    let id = StoredValue::new(known.as_ref().map_or_else(new_id, |k| k.id.clone()));
    let base = known.as_ref().map(|k| k.version);
    let save = Submission::new(move |draft: PolicyDefaultDraft| async move {
        api.put_policy_default(&id.get_value(), &draft).await
    });
    save.on_done(move |_| done.run(()));
    let error = save.error();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        save.send(Ok(PolicyDefaultDraft {
            area: PolicyArea::parse(&area.get_untracked()).unwrap_or(PolicyArea::Other),
            title: title.get_untracked(),
            evidence: evidence.get_untracked(),
            base_version: base,
        }));
    };
    view! {
        <form class="prep-form" on:submit=submit novalidate
            aria-label=move || if base.is_some() { StationMsg::Edit.text(lang.get()) } else { OfficeMsg::AddPolicyDefault.text(lang.get()) }>
            <PolicyFields area=area title=title evidence=evidence error=error/>
            <FormError error=error/>
            <div class="row-actions">
                <button type="submit" class="primary" disabled=move || save.pending()>{t(Msg::Save)}</button>
                <button type="button" on:click=move |_| cancel.run(())>{t(StationMsg::Cancel)}</button>
            </div>
        </form>
    }
}

/// Edits a draft: its name, and each item's prompt, whether it must be answered and whether
/// a problem needs evidence; items can be removed.
#[component]
fn DraftEditor(template: Template, #[prop(into)] on_saved: Callback<()>) -> impl IntoView {
    let api = expect_context::<Api>();
    let lang = use_lang();
    let draft = RwSignal::new(template);
    let name_id = unique_id("template-name");
    let save = Action::new_local(move |_: &()| {
        let d = draft.get_untracked();
        async move {
            api.update_template(
                &d.id,
                &UpdateTemplate {
                    name: d.name.clone(),
                    content: d.content.clone(),
                },
            )
            .await
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(_)) = save.value().get() {
            on_saved.run(());
        }
    });
    let error = Signal::derive(move || save.value().get().and_then(Result::err));
    view! {
        <section class="draft-editor" aria-labelledby="draft-heading">
            <h2 id="draft-heading">{t(OfficeMsg::EditDraft)}{move || format!(" · v{}", draft.with(|d| d.version))}</h2>
            <div class="field">
                <label for=name_id.clone()>{t(OfficeMsg::TemplateName)}</label>
                <input id=name_id prop:value=move || draft.with(|d| d.name.clone())
                    on:change=move |ev| draft.update(|d| d.name = event_target_value(&ev))/>
            </div>
            {move || draft.with(|d| d.content.sections.clone()).into_iter().enumerate().map(|(si, section)| view! {
                <h3>{section.focus.label(lang.get_untracked())}</h3>
                <ol class="items">
                    {section.items.into_iter().enumerate().map(|(ii, item)| {
                        let (prompt_id, req_id, ev_id) = (unique_id("prompt"), unique_id("required"), unique_id("evidence"));
                        view! {
                            <li class="item">
                                <div class="field">
                                    <label for=prompt_id.clone()>{t(OfficeMsg::Prompt)}{move || crate::i18n::in_brackets(use_lang().get(), &item.id)}</label>
                                    <input id=prompt_id value=item.prompt.clone()
                                        on:change=move |ev| draft.update(|d| d.content.sections[si].items[ii].prompt = event_target_value(&ev))/>
                                </div>
                                <div class="check">
                                    <input type="checkbox" id=req_id.clone() checked=item.required
                                        on:change=move |ev| draft.update(|d| d.content.sections[si].items[ii].required = event_target_checked(&ev))/>
                                    <label for=req_id>{t(OfficeMsg::Required)}</label>
                                </div>
                                <div class="check">
                                    <input type="checkbox" id=ev_id.clone() checked=item.evidence_required
                                        on:change=move |ev| draft.update(|d| d.content.sections[si].items[ii].evidence_required = event_target_checked(&ev))/>
                                    <label for=ev_id>{t(OfficeMsg::EvidenceRequired)}</label>
                                </div>
                                <button type="button" class="danger" on:click=move |_| draft.update(|d| { d.content.sections[si].items.remove(ii); })>
                                    {t(OfficeMsg::RemoveItem)}
                                </button>
                            </li>
                        }
                    }).collect_view()}
                </ol>
            }).collect_view()}
            <FormError error=error/>
            <button type="button" class="primary" disabled=move || save.pending().get() on:click=move |_| { save.dispatch_local(()); }>{t(Msg::Save)}</button>
        </section>
    }
}
