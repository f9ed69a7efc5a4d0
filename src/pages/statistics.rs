//! 统计分析: what the committee reads of a term. Each figure is a chart drawn by the app beside
//! the table of its numbers; the filters go to the server, which counts only what the reader
//! reaches, and the export link carries them too.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use xuncha_api::checklists::FocusPoint;
use xuncha_api::coverage::CoverageState;
use xuncha_api::rounds::RoundKind;
use xuncha_api::statistics::{
    ConfirmProblem, ConfirmedProblem, ProblemGroup, Rates, Statistics, StatisticsQuery,
};
use xuncha_api::users::Role;
use xuncha_api::Lang;

use crate::api::{Api, AppError};
use crate::components::charts::{BarChart, Chart};
use crate::components::{
    iso_date, loaded, loaded_value, unique_id, FormError, Submission, TextArea, TextField,
};
use crate::i18n::{t, use_lang, Msg, OfficeMsg, StatsMsg};
use crate::session::use_role;

#[component]
pub fn StatisticsPage() -> impl IntoView {
    let api = expect_context::<Api>();
    let terms = LocalResource::new(move || async move { api.terms().await });
    let chosen = RwSignal::new(None::<String>);
    let term_id = Memo::new(move |_| {
        chosen
            .get()
            .or_else(|| loaded_value(terms).and_then(|t| t.first().map(|t| t.id.clone())))
    });
    let select_id = unique_id("stats-term");
    view! {
        <section class="page statistics">
            <h1>{t(Msg::NavStatistics)}</h1>
            {loaded(terms, move |list| match list {
                list if list.is_empty() => view! { <p class="hint">{t(OfficeMsg::NoTerms)}</p> }.into_any(),
                list => view! {
                    <div class="field inline">
                        <label for=select_id.clone()>{t(OfficeMsg::Terms)}</label>
                        <select id=select_id.clone() on:change=move |ev| chosen.set(Some(event_target_value(&ev)))>
                            {list.into_iter().map(|term| {
                                let id = term.id.clone();
                                view! {
                                    <option value=term.id.clone() selected=move || term_id.get().as_deref() == Some(id.as_str())>
                                        {format!("{} · {}", term.committee_name, term.name)}
                                    </option>
                                }
                            }).collect_view()}
                        </select>
                    </div>
                }.into_any(),
            })}
            {move || term_id.get().map(|id| view! { <TermStatistics term_id=id/> })}
        </section>
    }
}

/// The filters as typed: texts, so that a half-typed date stays in its field.
#[derive(Debug, Clone, Default, PartialEq)]
struct Filters {
    round: String,
    township: String,
    kind: String,
    from: String,
    to: String,
}

impl Filters {
    fn query(&self) -> StatisticsQuery {
        let some = |s: &str| Some(s.to_string()).filter(|s| !s.is_empty());
        StatisticsQuery {
            round_id: some(&self.round),
            township_id: some(&self.township),
            kind: RoundKind::parse(&self.kind),
            from: iso_date(&self.from),
            to: iso_date(&self.to),
            today: None,
        }
    }
}

#[component]
fn TermStatistics(term_id: String) -> impl IntoView {
    let api = expect_context::<Api>();
    let lang = use_lang();
    let id = StoredValue::new(term_id);
    let filters = RwSignal::new(Filters::default());
    // A period the wrong way round is said at its field; the figures stay those of the last
    // filters that made sense.
    let query = Memo::new(move |prev: Option<&StatisticsQuery>| {
        let q = filters.with(Filters::query);
        match (q.validate(), prev) {
            (Err(_), Some(prev)) => prev.clone(),
            _ => q,
        }
    });
    let reversed = move || filters.with(|f| f.query().validate().is_err());
    let stats = LocalResource::new(move || {
        let q = query.get();
        async move { api.statistics(&id.get_value(), &q).await }
    });
    // The choices come from the last answer, which lists every round and township the
    // reader reaches whatever the filters.
    type Choices = RwSignal<Vec<(String, String)>>;
    let (round_choices, township_choices): (Choices, Choices) =
        (RwSignal::new(Vec::new()), RwSignal::new(Vec::new()));
    Effect::new(move |_| {
        if let Some(s) = loaded_value(stats) {
            let named = |v: &[xuncha_api::statistics::Named]| {
                v.iter()
                    .map(|n| (n.id.clone(), n.name.clone()))
                    .collect::<Vec<_>>()
            };
            round_choices.set(named(&s.rounds));
            township_choices.set(named(&s.township_options));
        }
    });
    let ids = [
        "stats-round",
        "stats-township",
        "stats-kind",
        "stats-from",
        "stats-to",
    ]
    .map(unique_id);
    let [round_id, township_id, kind_id, from_id, to_id] = ids;
    let options = move |list: Choices, current: fn(&Filters) -> &String| {
        list.get()
            .into_iter()
            .map(|(id, name)| {
                let selected = filters.with_untracked(|f| *current(f) == id);
                view! { <option value=id selected=selected>{name}</option> }
            })
            .collect_view()
    };
    let bad_date = move |text: fn(&Filters) -> &String| {
        filters.with(|f| {
            let s = text(f);
            !s.is_empty() && iso_date(s).is_none()
        })
    };
    view! {
        <form class="filters" role="search" on:submit=|ev| ev.prevent_default()>
            <div class="field">
                <label for=round_id.clone()>{t(StatsMsg::Round)}</label>
                <select id=round_id on:change=move |ev| filters.update(|f| f.round = event_target_value(&ev))>
                    <option value="">{t(StatsMsg::AllRounds)}</option>
                    {move || options(round_choices, |f| &f.round)}
                </select>
            </div>
            <div class="field">
                <label for=township_id.clone()>{t(OfficeMsg::Township)}</label>
                <select id=township_id on:change=move |ev| filters.update(|f| f.township = event_target_value(&ev))>
                    <option value="">{t(StatsMsg::AllTownships)}</option>
                    {move || options(township_choices, |f| &f.township)}
                </select>
            </div>
            <div class="field">
                <label for=kind_id.clone()>{t(StatsMsg::Kind)}</label>
                <select id=kind_id on:change=move |ev| filters.update(|f| f.kind = event_target_value(&ev))>
                    <option value="">{t(StatsMsg::AllKinds)}</option>
                    {RoundKind::ALL.into_iter().map(|k| view! {
                        <option value=k.as_str()>{move || k.label(lang.get())}</option>
                    }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for=from_id.clone()>{t(StatsMsg::From)}</label>
                <input id=from_id type="date" placeholder="2026-01-01"
                    aria-invalid=move || bad_date(|f| &f.from).to_string()
                    on:change=move |ev| filters.update(|f| f.from = event_target_value(&ev).trim().to_string())/>
            </div>
            <div class="field">
                <label for=to_id.clone()>{t(StatsMsg::To)}</label>
                <input id=to_id type="date" placeholder="2026-12-31"
                    aria-invalid=move || bad_date(|f| &f.to).to_string()
                    on:change=move |ev| filters.update(|f| f.to = event_target_value(&ev).trim().to_string())/>
            </div>
            <Show when=move || bad_date(|f| &f.from) || bad_date(|f| &f.to)>
                <p class="field-error" role="alert">{t(StatsMsg::DateHint)}</p>
            </Show>
            <Show when=reversed>
                <p class="field-error" role="alert">{t(StatsMsg::PeriodReversed)}</p>
            </Show>
        </form>
        <p><a href=move || api.statistics_export_href(&id.get_value(), &query.get()) download="statistics.xlsx">{t(StatsMsg::Export)}</a></p>
        {loaded(stats, move |s| view! { <Figures stats=s/> }.into_any())}
        <CommonProblemsSection term_id=id.get_value() query=query/>
    }
}

/// 共性问题: groups of findings alike in their words, found in two villages or more.
#[component]
fn CommonProblemsSection(term_id: String, query: Memo<StatisticsQuery>) -> impl IntoView {
    let api = expect_context::<Api>();
    let lang = use_lang();
    let id = StoredValue::new(term_id);
    let threshold = RwSignal::new(0.2f64);
    let role = use_role();
    // Bumped by a confirmation: the groups show it, and the confirmed list grows.
    let version = RwSignal::new(0u32);
    let groups = LocalResource::new(move || {
        let (q, th) = (query.get(), threshold.get());
        version.track();
        async move { api.common_problems(&id.get_value(), &q, th).await }
    });
    let select_id = unique_id("stats-threshold");
    let choices = [
        (0.1, Some(StatsMsg::Loose)),
        (0.2, Some(StatsMsg::DefaultThreshold)),
        (0.3, None),
        (0.4, Some(StatsMsg::Strict)),
    ];
    view! {
        <section aria-labelledby="stats-common" class="common-problems">
            <h2 id="stats-common">{t(StatsMsg::CommonProblems)}</h2>
            <p class="hint">{t(StatsMsg::CommonNote)}</p>
            <div class="field inline">
                <label for=select_id.clone()>{t(StatsMsg::Threshold)}</label>
                <select id=select_id on:change=move |ev| {
                    if let Ok(v) = event_target_value(&ev).parse::<f64>() {
                        threshold.set(v);
                    }
                }>
                    {choices.into_iter().map(|(v, note)| view! {
                        <option value=v.to_string() selected=v == 0.2>
                            {move || match note {
                                Some(n) => format!("{v}{}", crate::i18n::in_brackets(lang.get(), n.text(lang.get()))),
                                None => v.to_string(),
                            }}
                        </option>
                    }).collect_view()}
                </select>
            </div>
            {loaded(groups, move |c| {
                let lang = lang.get_untracked();
                let looked = format!("{}{}{}", StatsMsg::LookedAt.text(lang), lang.colon(), c.findings);
                if c.groups.is_empty() {
                    return view! { <p class="hint">{looked}</p><p>{StatsMsg::NoCommon.text(lang)}</p> }.into_any();
                }
                view! {
                    <p class="hint">{looked}</p>
                    <ol class="groups">
                        {c.groups.into_iter().map(|g| {
                            let summary = format!(
                                "{} · {} {} · {} {}{}{}",
                                g.label,
                                g.count,
                                StatsMsg::FindingsCount.text(lang),
                                g.organisations,
                                StatsMsg::OrgsCount.text(lang),
                                crate::i18n::in_brackets(lang, &g.townships.join(lang.list_sep())),
                                if g.confirmed.is_some() {
                                    format!(" · {}", StatsMsg::ConfirmedMark.text(lang))
                                } else {
                                    String::new()
                                },
                            );
                            view! {
                                <li>
                                    <details>
                                        <summary>{summary}</summary>
                                        <p class="hint">{format!("{}{}{}", StatsMsg::Focus.text(lang), lang.colon(), g.focus.label(lang))}</p>
                                        <ul>
                                            {g.findings.iter().map(|f| view! {
                                                <li>
                                                    <a href=crate::routes::href::office_item(crate::routes::TARGETS, &f.target_id)>{format!("{} · {}", f.township, f.org_name)}</a>
                                                    {format!("{}{}", lang.colon(), f.title)}
                                                </li>
                                            }).collect_view()}
                                        </ul>
                                        {match (&g.confirmed, role.get_untracked()) {
                                            (Some(_), _) => view! { <p class="confirmed">{StatsMsg::Confirmed.text(lang)}</p> }.into_any(),
                                            (None, Some(Role::Admin)) => view! {
                                                <ConfirmForm term_id=id.get_value() group=g.clone() threshold=c.threshold version=version/>
                                            }.into_any(),
                                            _ => ().into_any(),
                                        }}
                                    </details>
                                </li>
                            }
                        }).collect_view()}
                    </ol>
                }.into_any()
            })}
            <Show when=move || matches!(role.get(), Some(Role::Admin | Role::Discipline))>
                <ConfirmedList term_id=id.get_value() version=version/>
            </Show>
        </section>
    }
}

/// The office names a group a 共性问题 and the department it is reported to. The id is made
/// once per form, so a second tap after a lost reply confirms nothing twice.
#[component]
fn ConfirmForm(
    term_id: String,
    group: ProblemGroup,
    threshold: f64,
    version: RwSignal<u32>,
) -> impl IntoView {
    let api = expect_context::<Api>();
    let term = StoredValue::new(term_id);
    let problem_id = StoredValue::new(crate::offline::new_id());
    let label = RwSignal::new(group.label.clone());
    let department = RwSignal::new(String::new());
    let suggestion = RwSignal::new(String::new());
    let group = StoredValue::new(group);
    let save = Submission::new(move |req: ConfirmProblem| async move {
        api.confirm_problem(&term.get_value(), &problem_id.get_value(), &req)
            .await
    });
    save.on_done(move |_| version.update(|v| *v += 1));
    let error = save.error();
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let g = group.get_value();
        save.send(Ok(ConfirmProblem {
            label: label.get_untracked(),
            focus: g.focus,
            department: department.get_untracked(),
            suggestion: suggestion.get_untracked(),
            finding_ids: g.findings.iter().map(|f| f.id.clone()).collect(),
            threshold,
        }));
    };
    view! {
        <form class="confirm-problem" on:submit=submit novalidate>
            <TextField label=StatsMsg::ProblemLabel name="label" value=label error=error required=true/>
            <TextField label=StatsMsg::Department name="department" value=department error=error required=true/>
            <p class="hint">{t(StatsMsg::DepartmentHint)}</p>
            <TextArea label=StatsMsg::Suggestion name="suggestion" value=suggestion error=error rows=3/>
            <FormError error=error/>
            <GroupError error=error/>
            <button type="submit" class="primary" disabled=move || save.pending()>{t(StatsMsg::Confirm)}</button>
        </form>
    }
}

/// What is wrong with the group itself (its findings changed meanwhile): no field shows it.
#[component]
fn GroupError(error: Signal<Option<AppError>>) -> impl IntoView {
    let lang = use_lang();
    let text = move || {
        error.with(|e| {
            e.as_ref()
                .filter(|e| matches!(e.field(), Some("finding_ids" | "threshold" | "id")))
                .map(|e| e.message(lang.get()))
        })
    };
    view! { <p class="form-error" role="alert">{text}</p> }
}

/// The confirmed 共性问题 of the term, each with its notice to download.
#[component]
fn ConfirmedList(term_id: String, version: RwSignal<u32>) -> impl IntoView {
    let api = expect_context::<Api>();
    let lang = use_lang();
    let term = StoredValue::new(term_id);
    let list = LocalResource::new(move || {
        version.track();
        async move { api.confirmed_problems(&term.get_value()).await }
    });
    view! {
        <section aria-labelledby="stats-confirmed" class="confirmed-problems">
            <h3 id="stats-confirmed">{t(StatsMsg::ConfirmedHeading)}</h3>
            {loaded(list, move |list: Vec<ConfirmedProblem>| {
                let lang = lang.get_untracked();
                if list.is_empty() {
                    return view! { <p class="hint">{StatsMsg::NoConfirmed.text(lang)}</p> }.into_any();
                }
                view! {
                    <ul>
                        {list.into_iter().map(|p| {
                            let added = if p.added > 0 {
                                crate::i18n::in_brackets(lang, &format!("{} {}", StatsMsg::Added.text(lang), p.added))
                            } else {
                                String::new()
                            };
                            view! {
                                <li>
                                    <strong>{p.label.clone()}</strong>
                                    <span>{format!(
                                        " · {}{}{} · {} {} · {} {}{added}",
                                        StatsMsg::NotifiedTo.text(lang),
                                        lang.colon(),
                                        p.department,
                                        p.organisations,
                                        StatsMsg::OrgsCount.text(lang),
                                        p.findings.len(),
                                        StatsMsg::FindingsCount.text(lang),
                                    )}</span>
                                    <a class="button" href=api.problem_notice_href(&p.id) download="通报.docx">
                                        {format!("{}{}", StatsMsg::DownloadNotice.text(lang), crate::i18n::in_brackets(lang, &p.label))}
                                    </a>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any()
            })}
        </section>
    }
}

fn pct(v: Option<f64>) -> String {
    v.map(|v| format!("{v:.1}%")).unwrap_or_else(|| "—".into())
}

/// A heading, the chart and the table of its numbers.
#[component]
fn Figure(title: StatsMsg, chart: Chart, children: Children) -> impl IntoView {
    let lang = use_lang();
    view! {
        <figure class="stat">
            <figcaption><h3>{t(title)}</h3></figcaption>
            <BarChart chart=chart label=Signal::derive(move || format!("{}{}", title.text(lang.get()), StatsMsg::Chart.text(lang.get())))/>
            <div class="table-scroll">{children()}</div>
        </figure>
    }
}

/// A two-column table of labels and counts, with their total.
fn count_table(lang: Lang, head: StatsMsg, rows: &[(String, u32)]) -> impl IntoView {
    let total: u32 = rows.iter().map(|r| r.1).sum();
    view! {
        <table>
            <thead><tr><th scope="col">{head.text(lang)}</th><th scope="col">{StatsMsg::Count.text(lang)}</th></tr></thead>
            <tbody>
                {rows.iter().map(|(label, n)| view! { <tr><th scope="row">{label.clone()}</th><td class="num">{*n}</td></tr> }).collect_view()}
            </tbody>
            <tfoot><tr><th scope="row">{StatsMsg::Total.text(lang)}</th><td class="num">{total}</td></tr></tfoot>
        </table>
    }
}

fn bars(rows: &[(String, u32)]) -> Chart {
    Chart {
        series: vec![String::new()],
        rows: rows
            .iter()
            .map(|(l, n)| (l.clone(), vec![f64::from(*n)]))
            .collect(),
        stacked: false,
        max: None,
        unit: "",
    }
}

fn rates_cells(r: &Rates) -> impl IntoView {
    view! {
        <td class="num">{r.evaluations}</td>
        <td class="num">{r.responses}</td>
        <td class="num">{pct(r.know_rate)}</td>
        <td class="num">{pct(r.part_rate)}</td>
        <td class="num">{pct(r.satisfied_rate)}</td>
    }
}

#[component]
fn Figures(stats: Statistics) -> impl IntoView {
    let lang = use_lang();
    let s = StoredValue::new(stats);
    move || {
        let lang = lang.get();
        figures(lang, s.get_value())
    }
}

fn figures(lang: Lang, s: Statistics) -> AnyView {
    let towns: Vec<String> = s.townships.iter().map(|t| t.name.clone()).collect();
    let focus_label = |f: FocusPoint| f.short_label(lang).to_string();
    // Townships as bars, each stacked by focus point.
    let by_focus = Chart {
        series: s.by_focus.iter().map(|r| focus_label(r.focus)).collect(),
        rows: towns
            .iter()
            .enumerate()
            .map(|(i, name)| {
                (
                    name.clone(),
                    s.by_focus
                        .iter()
                        .map(|r| f64::from(r.by_township[i]))
                        .collect(),
                )
            })
            .collect(),
        stacked: true,
        max: None,
        unit: "",
    };
    let severity: Vec<(String, u32)> = s
        .by_severity
        .iter()
        .map(|c| (c.severity.label(lang).to_string(), c.count))
        .collect();
    let source: Vec<(String, u32)> = s
        .by_source
        .iter()
        .map(|c| (c.source.label(lang).to_string(), c.count))
        .collect();
    let status: Vec<(String, u32)> = s
        .tasks_by_status
        .iter()
        .map(|c| (c.status.label(lang).to_string(), c.count))
        .collect();
    let rate_chart = Chart {
        series: vec![StatsMsg::RectificationRate.text(lang).to_string()],
        rows: s
            .rectification_by_township
            .iter()
            .map(|t| {
                (
                    t.township.name.clone(),
                    vec![t.figures.rate_percent.unwrap_or(0.0)],
                )
            })
            .collect(),
        stacked: false,
        max: Some(100.0),
        unit: "%",
    };
    let channel: Vec<(String, u32)> = s
        .petitions_by_channel
        .iter()
        .map(|c| (c.channel.label(lang).to_string(), c.count as u32))
        .collect();
    let outcome: Vec<(String, u32)> = s
        .petitions_by_outcome
        .iter()
        .map(|c| {
            (
                c.outcome
                    .map_or(StatsMsg::NotTriaged.text(lang), |o| o.label(lang))
                    .to_string(),
                c.count as u32,
            )
        })
        .collect();
    let clues: Vec<(String, u32)> = s
        .clues_by_status
        .iter()
        .map(|c| (c.status.label(lang).to_string(), c.count))
        .collect();
    let rates_chart = Chart {
        series: [
            StatsMsg::KnowRate,
            StatsMsg::PartRate,
            StatsMsg::SatisfiedRate,
        ]
        .map(|m| m.text(lang).to_string())
        .to_vec(),
        rows: s
            .rates_by_township
            .iter()
            .map(|t| {
                let r = &t.rates;
                (
                    t.township.name.clone(),
                    [r.know_rate, r.part_rate, r.satisfied_rate]
                        .map(|v| v.unwrap_or(0.0))
                        .to_vec(),
                )
            })
            .collect(),
        stacked: false,
        max: Some(100.0),
        unit: "%",
    };
    let r = s.rectification.clone();
    let late = r.overdue > 0;
    // What the tables inside the figures show, owned by them.
    let (severity_chart, source_chart, status_chart) =
        (bars(&severity), bars(&source), bars(&status));
    let (channel_chart, outcome_chart) = (bars(&channel), bars(&outcome));
    let focus_rows = s.by_focus.clone();
    let town_heads = towns.clone();
    let rect_rows = s.rectification_by_township.clone();
    let rates_rows = s.rates_by_township.clone();
    let rates_total = s.rates.clone();
    let r_total = r.clone();
    let coverage = s.coverage.clone().map(|c| {
        let rows: Vec<(String, u32)> = vec![
            (StatsMsg::ShouldCover.text(lang).to_string(), c.total),
            (
                lang.pick("有形覆盖", "Inspected").to_string(),
                c.covered,
            ),
            (
                CoverageState::Effective.label(lang).to_string(),
                c.effective,
            ),
            (
                CoverageState::PendingFeedback.label(lang).to_string(),
                c.pending_feedback,
            ),
            (
                CoverageState::Rectifying.label(lang).to_string(),
                c.rectifying,
            ),
            (
                CoverageState::NoFindings.label(lang).to_string(),
                c.no_findings,
            ),
        ];
        view! {
            <section aria-labelledby="stats-coverage">
                <h2 id="stats-coverage">{StatsMsg::Coverage.text(lang)}</h2>
                <p class="hint">{StatsMsg::CoverageNote.text(lang)}</p>
                <figure class="stat">
                    <BarChart chart=Chart { max: Some(f64::from(c.total)), ..bars(&rows) } label=StatsMsg::Coverage.text(lang).to_string()/>
                    <div class="table-scroll">
                        <table>
                            <thead><tr><th scope="col">{StatsMsg::Coverage.text(lang)}</th><th scope="col">{StatsMsg::Organisations.text(lang)}</th><th scope="col">"%"</th></tr></thead>
                            <tbody>
                                {rows.iter().map(|(label, n)| view! {
                                    <tr><th scope="row">{label.clone()}</th><td class="num">{*n}</td>
                                    <td class="num">{pct(xuncha_api::statistics::percent(*n, c.total))}</td></tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                </figure>
            </section>
        }
    });
    view! {
        <div class="stats-body">
            {s.own_targets_only.then(|| view! { <p class="hint" role="note">{StatsMsg::OwnTargetsOnly.text(lang)}</p> })}
            <section aria-labelledby="stats-figures">
                <h2 id="stats-figures">{StatsMsg::Figures.text(lang)}</h2>
                <p class="hint">{format!("{}{}{}", StatsMsg::AsOf.text(lang), lang.colon(), s.today)}</p>
                <dl class="key-figures">
                    <div><dt>{StatsMsg::Targets.text(lang)}</dt><dd>{s.targets}</dd></div>
                    <div><dt>{StatsMsg::Findings.text(lang)}</dt><dd>{s.findings}</dd></div>
                    <div><dt>{StatsMsg::RectificationRate.text(lang)}</dt><dd>{pct(r.rate_percent)}</dd></div>
                    <div><dt>{StatsMsg::Overdue.text(lang)}</dt><dd class:overdue=late>{r.overdue}</dd></div>
                    {s.coverage.as_ref().map(|c| view! {
                        <div><dt>{StatsMsg::Coverage.text(lang)}</dt><dd>{format!("{:.1}%", c.percent())}<small>{format!("{}/{}", c.covered, c.total)}</small></dd></div>
                    })}
                    <div><dt>{StatsMsg::Petitions.text(lang)}</dt><dd>{s.petitions}</dd></div>
                    <div><dt>{StatsMsg::Clues.text(lang)}</dt><dd>{s.clues}</dd></div>
                </dl>
            </section>
            <section aria-labelledby="stats-findings">
                <h2 id="stats-findings">{StatsMsg::Findings.text(lang)}</h2>
                <Figure title=StatsMsg::FindingsByFocus chart=by_focus>
                    <table>
                        <thead><tr>
                            <th scope="col">{StatsMsg::Focus.text(lang)}</th>
                            {town_heads.iter().map(|n| view! { <th scope="col">{n.clone()}</th> }).collect_view()}
                            <th scope="col">{StatsMsg::Total.text(lang)}</th>
                        </tr></thead>
                        <tbody>
                            {focus_rows.iter().map(|row| view! {
                                <tr>
                                    <th scope="row" title=row.focus.label(lang)>{row.focus.short_label(lang)}</th>
                                    {row.by_township.iter().map(|n| view! { <td class="num">{*n}</td> }).collect_view()}
                                    <td class="num">{row.total}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </Figure>
                <Figure title=StatsMsg::BySeverity chart=severity_chart>
                    {count_table(lang, StatsMsg::Severity, &severity)}
                </Figure>
                <Figure title=StatsMsg::BySource chart=source_chart>
                    {count_table(lang, StatsMsg::Source, &source)}
                </Figure>
            </section>
            <section aria-labelledby="stats-rectification">
                <h2 id="stats-rectification">{StatsMsg::Rectification.text(lang)}</h2>
                <p class="hint">{StatsMsg::RateNote.text(lang)}</p>
                <p>
                    {format!("{}{}{}", StatsMsg::AverageDays.text(lang), lang.colon(),
                        s.average_days_to_close.map(|d| format!("{d:.1} {}", StatsMsg::Days.text(lang))).unwrap_or_else(|| "—".into()))}
                </p>
                <Figure title=StatsMsg::RateByTownship chart=rate_chart>
                    <table>
                        <thead><tr>
                            <th scope="col">{OfficeMsg::Township.text(lang)}</th>
                            <th scope="col">{StatsMsg::Tasks.text(lang)}</th>
                            <th scope="col">{StatsMsg::Closed.text(lang)}</th>
                            <th scope="col">{StatsMsg::RectificationRate.text(lang)}</th>
                            <th scope="col">{StatsMsg::Overdue.text(lang)}</th>
                        </tr></thead>
                        <tbody>
                            {rect_rows.iter().map(|t| view! {
                                <tr>
                                    <th scope="row">{t.township.name.clone()}</th>
                                    <td class="num">{t.figures.total}</td>
                                    <td class="num">{t.figures.closed}</td>
                                    <td class="num">{pct(t.figures.rate_percent)}</td>
                                    <td class="num">{t.figures.overdue}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                        <tfoot><tr>
                            <th scope="row">{StatsMsg::Total.text(lang)}</th>
                            <td class="num">{r_total.total}</td>
                            <td class="num">{r_total.closed}</td>
                            <td class="num">{pct(r_total.rate_percent)}</td>
                            <td class="num">{r_total.overdue}</td>
                        </tr></tfoot>
                    </table>
                </Figure>
                <Figure title=StatsMsg::ByStatus chart=status_chart>
                    {count_table(lang, StatsMsg::Status, &status)}
                </Figure>
            </section>
            {coverage}
            <section aria-labelledby="stats-petitions">
                <h2 id="stats-petitions">{format!("{}{}{}", StatsMsg::Petitions.text(lang), lang.list_sep(), StatsMsg::Clues.text(lang))}</h2>
                <Figure title=StatsMsg::ByChannel chart=channel_chart>
                    {count_table(lang, StatsMsg::Channel, &channel)}
                </Figure>
                <Figure title=StatsMsg::ByOutcome chart=outcome_chart>
                    {count_table(lang, StatsMsg::Outcome, &outcome)}
                </Figure>
                <h3>{StatsMsg::Clues.text(lang)}</h3>
                <p class="hint">{StatsMsg::CluesNote.text(lang)}</p>
                <p>{format!("{}{}{}", StatsMsg::Referred.text(lang), lang.colon(), s.clues_referred)}</p>
                <div class="table-scroll">{count_table(lang, StatsMsg::Status, &clues)}</div>
            </section>
            <section aria-labelledby="stats-rates">
                <h2 id="stats-rates">{StatsMsg::Rates.text(lang)}</h2>
                <p class="hint">{StatsMsg::RatesNote.text(lang)}</p>
                {if s.rates.evaluations == 0 {
                    view! { <p>{StatsMsg::NoRates.text(lang)}</p> }.into_any()
                } else {
                    view! {
                        <Figure title=StatsMsg::Rates chart=rates_chart>
                            <table>
                                <thead><tr>
                                    <th scope="col">{OfficeMsg::Township.text(lang)}</th>
                                    <th scope="col">{StatsMsg::Evaluations.text(lang)}</th>
                                    <th scope="col">{StatsMsg::Responses.text(lang)}</th>
                                    <th scope="col">{StatsMsg::KnowRate.text(lang)}</th>
                                    <th scope="col">{StatsMsg::PartRate.text(lang)}</th>
                                    <th scope="col">{StatsMsg::SatisfiedRate.text(lang)}</th>
                                </tr></thead>
                                <tbody>
                                    {rates_rows.iter().map(|t| view! {
                                        <tr><th scope="row">{t.township.name.clone()}</th>{rates_cells(&t.rates)}</tr>
                                    }).collect_view()}
                                </tbody>
                                <tfoot><tr><th scope="row">{StatsMsg::Total.text(lang)}</th>{rates_cells(&rates_total)}</tr></tfoot>
                            </table>
                        </Figure>
                    }.into_any()
                }}
            </section>
        </div>
    }
    .into_any()
}
