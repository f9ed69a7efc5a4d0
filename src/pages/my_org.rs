//! A village or community liaison's home: its own organisation and basic data.

use leptos::prelude::*;

use crate::api::Api;
use crate::i18n::{t, use_lang, Msg};
use crate::pages::org_form::{BasicDataForm, OrgFacts};

#[component]
pub fn MyOrgPage() -> impl IntoView {
    let api = expect_context::<Api>();
    let lang = use_lang();
    let org_id = move || {
        api.session
            .with(|s| s.as_ref().and_then(|s| s.user.org_id.clone()))
    };
    let detail = LocalResource::new(move || {
        let id = org_id();
        async move {
            match id {
                Some(id) => api.org(&id).await.map(Some),
                None => Ok(None),
            }
        }
    });
    view! {
        <section class="page narrow">
            <Transition fallback=move || view! { <p role="status">{t(Msg::Loading)}</p> }>
                {move || detail.get().map(|r| match r {
                    Ok(Some(d)) => {
                        let name = d.summary.name.clone();
                        view! {
                            <h1>{name}</h1>
                            <p class="intro">{t(Msg::MyOrgIntro)}</p>
                            <OrgFacts detail=d.clone()/>
                            <crate::pages::my_tasks::TasksLink/>
                            <crate::pages::checklist::SelfCheckLink/>
                            <Inspections/>
                            <BasicDataForm detail=d on_saved=move |_| {}/>
                        }.into_any()
                    }
                    Ok(None) => view! { <h1>{t(Msg::MyOrgTitle)}</h1> }.into_any(),
                    Err(e) => view! { <p class="form-error" role="alert">{e.message(lang.get())}</p> }.into_any(),
                })}
            </Transition>
        </section>
    }
}

/// The rounds that inspect this organisation: dates and the team's public contact only.
#[component]
fn Inspections() -> impl IntoView {
    let api = expect_context::<Api>();
    let lang = use_lang();
    let list =
        LocalResource::new(move || async move { api.my_inspections().await.unwrap_or_default() });
    view! {
        <section class="inspections" aria-labelledby="inspections-heading">
            <h2 id="inspections-heading">{t(Msg::OurInspections)}</h2>
            {move || list.get().map(|items| if items.is_empty() {
                view! { <p class="hint">{t(Msg::NotInspectedYet)}</p> }.into_any()
            } else {
                view! {
                    <ul>
                        {items.into_iter().map(|i| {
                            let dates = match (i.station_start, i.station_end) {
                                (Some(s), Some(e)) => format!("{s} — {e}"),
                                (Some(s), None) => s.to_string(),
                                _ => String::new(),
                            };
                            view! {
                                <li>
                                    <strong>{i.round_name.clone()}</strong>
                                    {move || format!(" · {} · {}", i.kind.label(lang.get()), i.phase.label(lang.get()))}
                                    <br/>{format!("{} · {} {}", i.team_name, dates, i.team_contact)}
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any()
            })}
        </section>
    }
}
