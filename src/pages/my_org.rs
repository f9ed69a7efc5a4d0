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
