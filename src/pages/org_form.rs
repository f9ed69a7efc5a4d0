//! The basic-data form (村情) shared by a liaison's own page and the office's detail panel.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use xuncha_api::orgs::{BasicData, OrgDetail, OrgPatch};

use crate::api::{Api, AppError};
use crate::components::{
    parse_amount, parse_count, show_opt, FormError, StatusLine, Submission, TextField,
};
use crate::i18n::{t, use_lang, Msg};

fn read_form(
    secretary: &str,
    households: &str,
    population: &str,
    party_members: &str,
    income: &str,
    assets: &str,
) -> Result<OrgPatch, AppError> {
    Ok(OrgPatch {
        secretary: Some(secretary.trim().to_string()),
        basic: Some(BasicData {
            households: parse_count("households", households)?,
            population: parse_count("population", population)?,
            party_members: parse_count("party_members", party_members)?,
            collective_income: parse_amount("collective_income", income)?,
            collective_assets: parse_amount("collective_assets", assets)?,
        }),
        ..OrgPatch::default()
    })
}

#[component]
pub fn BasicDataForm(
    detail: OrgDetail,
    #[prop(into)] on_saved: Callback<OrgDetail>,
) -> impl IntoView {
    let api = expect_context::<Api>();
    let lang = use_lang();
    let id = detail.summary.id.clone();
    let secretary = RwSignal::new(detail.secretary.clone());
    let households = RwSignal::new(show_opt(detail.basic.households));
    let population = RwSignal::new(show_opt(detail.basic.population));
    let party_members = RwSignal::new(show_opt(detail.basic.party_members));
    let income = RwSignal::new(show_opt(detail.basic.collective_income));
    let assets = RwSignal::new(show_opt(detail.basic.collective_assets));
    let save = Submission::new(move |patch: OrgPatch| {
        let id = id.clone();
        async move { api.patch_org(&id, &patch).await }
    });
    save.on_done(move |d| on_saved.run(d));
    let error = save.error();
    let saved = Signal::derive(move || {
        save.succeeded()
            .then(|| Msg::Saved.text(lang.get()).to_string())
    });

    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        save.send(read_form(
            &secretary.get_untracked(),
            &households.get_untracked(),
            &population.get_untracked(),
            &party_members.get_untracked(),
            &income.get_untracked(),
            &assets.get_untracked(),
        ));
    };

    view! {
        <form class="basic-data" on:submit=on_submit novalidate>
            <h2>{t(Msg::BasicData)}</h2>
            <TextField label=Msg::Secretary name="secretary" value=secretary error=error autocomplete="name"/>
            <div class="grid">
                <TextField label=Msg::Households name="households" value=households error=error inputmode="numeric"/>
                <TextField label=Msg::Population name="population" value=population error=error inputmode="numeric"/>
                <TextField label=Msg::PartyMembers name="party_members" value=party_members error=error inputmode="numeric"/>
                <TextField label=Msg::CollectiveIncome name="collective_income" value=income error=error inputmode="decimal"/>
                <TextField label=Msg::CollectiveAssets name="collective_assets" value=assets error=error inputmode="decimal"/>
            </div>
            <FormError error=error/>
            <StatusLine text=saved/>
            <button type="submit" class="primary" disabled=move || save.pending()>
                {move || if save.pending() { t(Msg::Saving)() } else { t(Msg::Save)() }}
            </button>
        </form>
    }
}

/// The read-only facts of an organisation.
#[component]
pub fn OrgFacts(detail: OrgDetail) -> impl IntoView {
    let lang = use_lang();
    let d = StoredValue::new(detail);
    let path = move || d.with_value(|d| d.path.join(" / "));
    let leaders = move || {
        d.with_value(|d| {
            if d.leaders.is_empty() {
                Msg::NoLeaders.text(lang.get()).to_string()
            } else {
                d.leaders
                    .iter()
                    .map(|l| format!("{} {}", l.post, l.name))
                    .collect::<Vec<_>>()
                    .join("、")
            }
        })
    };
    view! {
        <p class="breadcrumb">{path}</p>
        <dl class="facts">
            <dt>{t(Msg::Level)}</dt><dd>{move || d.with_value(|d| d.summary.level.label(lang.get()))}</dd>
            <dt>{t(Msg::Code)}</dt><dd>{move || d.with_value(|d| d.summary.code.clone())}</dd>
            <dt>{t(Msg::Secretary)}</dt><dd>{move || d.with_value(|d| d.secretary.clone())}</dd>
            <dt>{t(Msg::Leaders)}</dt><dd>{leaders}</dd>
            <dt>{t(Msg::Status)}</dt>
            <dd>{move || if d.with_value(|d| d.summary.active) { t(Msg::Active)() } else { t(Msg::Inactive)() }}</dd>
        </dl>
    }
}
