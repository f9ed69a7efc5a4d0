//! A village or community liaison's home: its own organisation and basic data.

use leptos::prelude::*;

use crate::api::Api;
use crate::components::loaded;
use crate::i18n::{t, use_lang, Msg};
use crate::pages::org_form::{BasicDataForm, OrgFacts};

#[component]
pub fn MyOrgPage() -> impl IntoView {
    let api = expect_context::<Api>();
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
            {loaded(detail, move |r| match r {
                    Some(d) => {
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
                    None => view! { <h1>{t(Msg::MyOrgTitle)}</h1> }.into_any(),
                })}
        </section>
    }
}

/// The rounds that inspect this organisation: dates and the team's public contact only.
#[component]
fn Inspections() -> impl IntoView {
    let api = expect_context::<Api>();
    let lang = use_lang();
    let list = LocalResource::new(move || async move { api.my_inspections().await });
    view! {
        <section class="inspections" aria-labelledby="inspections-heading">
            <h2 id="inspections-heading">{t(Msg::OurInspections)}</h2>
            {loaded(list, move |items| if items.is_empty() {
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
                                    <br/>{i.team_name.clone()}
                                    {(!dates.is_empty()).then(|| view! { <br/>{move || format!("{}{dates}", Msg::StationDates.text(lang.get()))} })}
                                    {(!i.team_contact.is_empty()).then(|| { let phone = i.team_contact.clone(); view! {
                                        <br/>{t(Msg::TeamContact)}{contact_view(phone.clone())}
                                    } })}
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any()
            })}
        </section>
    }
}

/// A phone number can be tapped to call; a mailbox or other text stays text.
fn contact_view(contact: String) -> AnyView {
    let is_phone = contact
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '-' | '+' | '(' | ')'))
        && contact.chars().filter(char::is_ascii_digit).count() >= 5;
    if is_phone {
        let dial: String = contact
            .chars()
            .filter(|c| !matches!(c, ' ' | '(' | ')'))
            .collect();
        view! { <a href=format!("tel:{dial}")>{contact}</a> }.into_any()
    } else {
        contact.into_any()
    }
}
