//! Democratic evaluation (民主测评) in the office app: a target's evaluations, making one with its
//! one-time codes (printed at once as cut-out slips: the codes are shown this once), and the
//! results with bars — only from the threshold up.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use xuncha_api::evaluations::{CreatedEvaluation, Evaluation, NewEvaluation, Results, Slip};
use xuncha_api::users::Role;

use crate::api::Api;
use crate::components::{loaded, parse_count, FormError, Submission, TextField};
use crate::i18n::{t, use_lang, CaseMsg};
use crate::session::use_role;

#[component]
pub fn TargetEvaluations(target_id: Memo<String>) -> impl IntoView {
    let api = expect_context::<Api>();
    let role = use_role();
    let version = RwSignal::new(0u32);
    let list = LocalResource::new(move || {
        version.get();
        let target = target_id.get();
        async move { api.evaluations(&target).await }
    });
    let slips = RwSignal::new(None::<CreatedEvaluation>);
    view! {
        <section class="evaluations" aria-labelledby="evaluations-heading">
            <h2 id="evaluations-heading">{t(CaseMsg::Evaluations)}</h2>
            {loaded(list, move |list| {
                if list.is_empty() {
                    return view! { <p class="hint">{t(CaseMsg::NoEvaluations)}</p> }.into_any();
                }
                view! {
                    <ul class="evaluation-list">
                        {list.into_iter().map(|e| view! { <EvaluationItem evaluation=e/> }).collect_view()}
                    </ul>
                }.into_any()
            })}
            <Show when=move || matches!(role.get(), Some(Role::Admin | Role::Inspector))>
                <NewEvaluationForm target_id=target_id version=version slips=slips/>
            </Show>
            {move || slips.get().map(|made| view! { <Slips made=made/> })}
        </section>
    }
}

#[component]
fn EvaluationItem(evaluation: Evaluation) -> impl IntoView {
    let api = expect_context::<Api>();
    let lang = use_lang();
    let shown = RwSignal::new(false);
    let id = StoredValue::new(evaluation.id.clone());
    let results = LocalResource::new(move || async move {
        if shown.get() {
            api.evaluation_results(&id.get_value()).await.map(Some)
        } else {
            Ok(None)
        }
    });
    let counts = move || match lang.get() {
        xuncha_api::Lang::Zh => format!(
            "测评码 {} 个，已用 {} 个；收到测评 {} 份（至少 {} 份才显示结果）",
            evaluation.codes_total,
            evaluation.codes_used,
            evaluation.responses,
            evaluation.threshold
        ),
        xuncha_api::Lang::En => format!(
            "{} codes, {} used; {} responses (results show from {})",
            evaluation.codes_total,
            evaluation.codes_used,
            evaluation.responses,
            evaluation.threshold
        ),
    };
    view! {
        <li class="evaluation">
            <strong>{evaluation.title.clone()}</strong>
            <p class="hint">{counts}</p>
            <details on:toggle=move |_| shown.set(true)>
                <summary>{t(CaseMsg::ShowResults)}</summary>
                {loaded(results, |r| match r {
                    Some(r) => view! { <ResultsView results=r/> }.into_any(),
                    None => ().into_any(),
                })}
            </details>
        </li>
    }
}

#[component]
fn ResultsView(results: Results) -> impl IntoView {
    let lang = use_lang();
    if !results.shown {
        return view! { <p class="hint">{t(CaseMsg::BelowThreshold)}</p> }.into_any();
    }
    let rate = |v: Option<f64>| v.map(|p| format!("{p:.1}%")).unwrap_or_else(|| "—".into());
    view! {
        <dl class="facts three-rates">
            <dt>{t(CaseMsg::KnowRate)}</dt><dd>{rate(results.know_rate)}</dd>
            <dt>{t(CaseMsg::PartRate)}</dt><dd>{rate(results.part_rate)}</dd>
            <dt>{t(CaseMsg::SatisfiedRate)}</dt><dd>{rate(results.satisfied_rate)}</dd>
            <dt>{t(CaseMsg::OverallGood)}</dt><dd>{rate(results.overall_good_percent)}</dd>
        </dl>
        <table class="evaluation-results">
            <caption>{t(CaseMsg::GoodShare)}</caption>
            <thead><tr>
                <th scope="col">{t(CaseMsg::Rated)}</th>
                <th scope="col">{"好 / 较好 / 一般 / 差"}</th>
                <th scope="col">{t(CaseMsg::GoodShare)}</th>
            </tr></thead>
            <tbody>
                {results.rows.into_iter().map(|r| {
                    let (s, d, p) = (r.subject, r.dimension, r.good_percent);
                    view! {
                        <tr>
                            <th scope="row">{move || format!("{}·{}", s.label(lang.get()), d.label(lang.get()))}</th>
                            <td>{format!("{} / {} / {} / {}", r.counts[0], r.counts[1], r.counts[2], r.counts[3])}</td>
                            <td><meter min="0" max="100" value=p></meter>{format!(" {p:.1}%")}</td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
        {(!results.comments.is_empty()).then(|| view! {
            <h3>{t(CaseMsg::Comments)}</h3>
            <ul class="comments">{results.comments.into_iter().map(|c| view! { <li>{c}</li> }).collect_view()}</ul>
        })}
    }
    .into_any()
}

#[component]
fn NewEvaluationForm(
    target_id: Memo<String>,
    version: RwSignal<u32>,
    slips: RwSignal<Option<CreatedEvaluation>>,
) -> impl IntoView {
    let api = expect_context::<Api>();
    let title = RwSignal::new("民主测评".to_string());
    let codes = RwSignal::new("30".to_string());
    let threshold = RwSignal::new(xuncha_api::evaluations::THRESHOLD_DEFAULT.to_string());
    let save = Submission::new(move |req: NewEvaluation| async move {
        api.create_evaluation(&target_id.get_untracked(), &req)
            .await
    });
    save.on_done(move |made| {
        slips.set(Some(made));
        version.update(|v| *v += 1);
    });
    let error = save.error();
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let req = parse_count("codes", &codes.get_untracked()).and_then(|n| {
            parse_count("threshold", &threshold.get_untracked()).map(|k| NewEvaluation {
                title: title.get_untracked(),
                codes: n.unwrap_or(0),
                threshold: k.unwrap_or(xuncha_api::evaluations::THRESHOLD_DEFAULT),
            })
        });
        save.send(req);
    };
    view! {
        <details class="new-evaluation">
            <summary>{t(CaseMsg::AddEvaluation)}</summary>
            <form on:submit=submit novalidate>
                <TextField label=CaseMsg::EvaluationTitle name="title" value=title error=error/>
                <TextField label=CaseMsg::CodeCount name="codes" value=codes error=error inputmode="numeric"/>
                <TextField label=CaseMsg::Threshold name="threshold" value=threshold error=error inputmode="numeric"/>
                <FormError error=error/>
                <button type="submit" class="primary" disabled=move || save.pending()>{t(CaseMsg::MakeCodes)}</button>
            </form>
        </details>
    }
}

/// The codes as slips to cut out, printed now: they are not shown again.
#[component]
fn Slips(made: CreatedEvaluation) -> impl IntoView {
    let print = move |_| {
        let _ = window().print();
    };
    view! {
        <section class="slips" aria-labelledby="slips-heading">
            <h3 id="slips-heading">{t(CaseMsg::SlipsHeading)}</h3>
            <p class="hint">{t(CaseMsg::SlipsOnce)}</p>
            <button type="button" on:click=print>{t(CaseMsg::PrintSlips)}</button>
            <ol class="slip-sheet">
                {made.slips.into_iter().map(|s: Slip| view! {
                    <li class="slip">
                        <strong>{made.evaluation.title.clone()}</strong>
                        <span class="qr" inner_html=s.qr_svg></span>
                        <span class="slip-code">{s.code}</span>
                        <span class="hint">{t(CaseMsg::SlipHint)}</span>
                    </li>
                }).collect_view()}
            </ol>
        </section>
    }
}
