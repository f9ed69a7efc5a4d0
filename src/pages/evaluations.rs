//! Democratic evaluation (民主测评) in the office app: a target's evaluations, making one with its
//! one-time codes (printed at once as cut-out slips: the codes are shown this once), and the
//! results with bars — only from the threshold up.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use xuncha_api::evaluations::{
    answer_label, question_label, questions, AnswerCount, CreatedEvaluation, Evaluation,
    NewEvaluation, PaperBallots, Results, Slip, SlipCodes,
};
use xuncha_api::users::Role;
use xuncha_api::Lang;

use crate::api::{Api, AppError};
use crate::components::{
    loaded, parse_count, save_file, unique_id, FormError, Submission, TextField,
};
use crate::i18n::{t, use_lang, CaseMsg, OfficeMsg};
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
    let role = use_role();
    let shown = RwSignal::new(false);
    let id = StoredValue::new(evaluation.id.clone());
    let title = evaluation.title.clone();
    // What the list said, then what each paper entry's answer says.
    let current = RwSignal::new(evaluation);
    let entered = RwSignal::new(None::<i64>);
    let results = LocalResource::new(move || async move {
        if shown.get() {
            api.evaluation_results(&id.get_value()).await.map(Some)
        } else {
            Ok(None)
        }
    });
    let counts = move || {
        current.with(|e| match lang.get() {
            Lang::Zh => format!(
                "测评码 {} 个，已用 {} 个；收到测评 {} 份（至少 {} 份才显示结果）",
                e.codes_total, e.codes_used, e.responses, e.threshold
            ),
            Lang::En => format!(
                "{} codes, {} used; {} responses (results show from {})",
                e.codes_total, e.codes_used, e.responses, e.threshold
            ),
        })
    };
    let on_paper = Callback::new(move |r: Results| {
        let before = current.with_untracked(|e| e.responses);
        entered.set(Some(r.evaluation.responses - before));
        current.set(r.evaluation);
        results.refetch();
    });
    view! {
        <li class="evaluation">
            <strong>{title}</strong>
            <p class="hint">{counts}</p>
            {move || entered.get().map(|n| view! {
                <p role="status">{move || match lang.get() {
                    Lang::Zh => format!("已录入 {n} 份纸质测评票。"),
                    Lang::En => format!("{n} paper ballots entered."),
                }}</p>
            })}
            <details on:toggle=move |_| shown.set(true)>
                <summary>{t(CaseMsg::ShowResults)}</summary>
                {loaded(results, |r| match r {
                    Some(r) => view! { <ResultsView results=r/> }.into_any(),
                    None => ().into_any(),
                })}
            </details>
            <Show when=move || matches!(role.get(), Some(Role::Admin | Role::Inspector))>
                <PaperForm evaluation_id=id on_done=on_paper/>
            </Show>
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
            <dt>{t(CaseMsg::PaperEntered)}</dt><dd>{results.paper}</dd>
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

/// The codes as slips to cut out, printed now: they are not shown again. Printed from the
/// page, or as a Word document made from them.
#[component]
fn Slips(made: CreatedEvaluation) -> impl IntoView {
    let api = expect_context::<Api>();
    // Only the slips go to paper. Marked on the body rather than found with `:has()`, which
    // office browsers before Chromium 105 do not know (they printed the whole page).
    let print = move |_| {
        let body = document().body();
        if let Some(b) = &body {
            let _ = b.class_list().add_1("print-slips");
        }
        let _ = window().print();
        if let Some(b) = &body {
            let _ = b.class_list().remove_1("print-slips");
        }
    };
    let id = StoredValue::new(made.evaluation.id.clone());
    let codes = SlipCodes {
        codes: made.slips.iter().map(|s| s.code.clone()).collect(),
    };
    let docx = Submission::new(move |codes: SlipCodes| async move {
        api.slips_docx(&id.get_value(), &codes).await
    });
    docx.on_done(|bytes: Vec<u8>| save_file(&bytes, "测评票.docx", xuncha_api::DOCX));
    let error = docx.error();
    view! {
        <section class="slips" aria-labelledby="slips-heading">
            <h3 id="slips-heading">{t(CaseMsg::SlipsHeading)}</h3>
            <p class="hint">{t(CaseMsg::SlipsOnce)}</p>
            <button type="button" on:click=print>{t(CaseMsg::PrintSlips)}</button>
            <button type="button" disabled=move || docx.pending()
                on:click=move |_| docx.send(Ok(codes.clone()))>{t(CaseMsg::SlipsDocx)}</button>
            <FormError error=error/>
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

/// One question's row of the paper form: a count for each answer it takes.
struct PaperRow {
    key: String,
    cells: Vec<(&'static str, RwSignal<String>)>,
}

/// Paper ballots the team counted (纸质测评票), entered at once as counts per answer: every
/// question's counts must add up to the ballots. Entering cannot be undone, so it is asked
/// twice; it goes under an id kept across retries, so a lost reply sent again counts nothing
/// twice.
#[component]
fn PaperForm(evaluation_id: StoredValue<String>, on_done: Callback<Results>) -> impl IntoView {
    let api = expect_context::<Api>();
    let lang = use_lang();
    let ballots = RwSignal::new(String::new());
    let rows = StoredValue::new(
        questions()
            .into_iter()
            .map(|(key, answers)| PaperRow {
                key,
                cells: answers
                    .into_iter()
                    .map(|a| (a, RwSignal::new(String::new())))
                    .collect(),
            })
            .collect::<Vec<_>>(),
    );
    let entry = StoredValue::new(crate::offline::new_id());
    let confirming = RwSignal::new(None::<PaperBallots>);
    let save = Submission::new(move |req: PaperBallots| async move {
        api.paper_ballots(&evaluation_id.get_value(), &req).await
    });
    let error = save.error();
    save.on_done(move |r: Results| {
        // The next entry is another one, with an id of its own.
        entry.set_value(crate::offline::new_id());
        ballots.set(String::new());
        rows.with_value(|rows| {
            for (_, v) in rows.iter().flat_map(|r| r.cells.iter()) {
                v.set(String::new());
            }
        });
        on_done.run(r);
    });
    let read = move || -> Result<PaperBallots, AppError> {
        let n = parse_count("ballots", &ballots.get_untracked())?.unwrap_or(0);
        let mut counts = Vec::new();
        rows.with_value(|rows| {
            for r in rows {
                for (answer, v) in &r.cells {
                    counts.push(AnswerCount {
                        question: r.key.clone(),
                        answer: answer.to_string(),
                        count: parse_count(&r.key, &v.get_untracked())?.unwrap_or(0),
                    });
                }
            }
            Ok::<_, AppError>(())
        })?;
        let req = PaperBallots {
            id: entry.get_value(),
            ballots: n,
            counts,
        };
        req.validate()?;
        Ok(req)
    };
    let check = move |ev: SubmitEvent| {
        ev.prevent_default();
        match read() {
            Ok(req) => {
                save.clear();
                confirming.set(Some(req));
            }
            Err(e) => {
                confirming.set(None);
                save.send(Err(e));
            }
        }
    };
    let row_error = move |key: &str| {
        error.with(|e| {
            e.as_ref()
                .filter(|e| e.field() == Some(key))
                .map(|_| CaseMsg::DoesNotAddUp.text(lang.get()))
        })
    };
    view! {
        <details class="paper-ballots">
            <summary>{t(CaseMsg::EnterPaper)}</summary>
            <form on:submit=check novalidate>
                <p class="hint">{t(CaseMsg::PaperHint)}</p>
                <TextField label=CaseMsg::PaperCount name="ballots" value=ballots error=error inputmode="numeric"/>
                <table class="paper-counts">
                    <thead><tr>
                        <th scope="col">{t(CaseMsg::Rated)}</th>
                        <th scope="col">{t(CaseMsg::PaperAnswers)}</th>
                    </tr></thead>
                    <tbody>
                        {rows.with_value(|rows| rows.iter().map(|r| {
                            let key = StoredValue::new(r.key.clone());
                            let name = move || question_label(&key.get_value(), lang.get());
                            let message = move || key.with_value(|k| row_error(k));
                            view! {
                                <tr class:invalid=move || message().is_some()>
                                    <th scope="row">{name}<span class="field-error" role="alert">{message}</span></th>
                                    <td class="paper-cells">
                                        {r.cells.iter().map(|(answer, value)| {
                                            let id = unique_id("paper");
                                            let (answer, value) = (*answer, *value);
                                            view! {
                                                <span class="paper-cell">
                                                    <label for=id.clone()>
                                                        <span class="visually-hidden">{name}" "</span>
                                                        {move || answer_label(answer, lang.get())}
                                                    </label>
                                                    <input id=id type="text" inputmode="numeric" size="4" bind:value=value/>
                                                </span>
                                            }
                                        }).collect_view()}
                                    </td>
                                </tr>
                            }
                        }).collect_view())}
                    </tbody>
                </table>
                <FormError error=error/>
                {move || match confirming.get() {
                    None => view! {
                        <button type="submit" class="primary" disabled=move || save.pending()>{t(CaseMsg::CheckPaper)}</button>
                    }.into_any(),
                    Some(req) => {
                        let n = req.ballots;
                        let req = StoredValue::new(req);
                        view! {
                            <div class="confirm" role="alertdialog" aria-labelledby="paper-confirm">
                                <p id="paper-confirm">{move || match lang.get() {
                                    Lang::Zh => format!("将 {n} 份纸质测评票计入结果？录入后不能撤回。"),
                                    Lang::En => format!("Count {n} paper ballots in the results? This cannot be undone."),
                                }}</p>
                                <button type="button" class="primary"
                                    on:click=move |_| { confirming.set(None); save.send(Ok(req.get_value())); }>
                                    {t(CaseMsg::EnterPaperNow)}
                                </button>
                                <button type="button" on:click=move |_| confirming.set(None)>{t(OfficeMsg::Cancel)}</button>
                            </div>
                        }.into_any()
                    }
                }}
            </form>
        </details>
    }
}
