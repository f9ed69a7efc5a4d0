//! Rounds (轮次): the office creates them and moves them through their phases, forms teams and
//! assigns targets; an inspector sees the rounds of their own teams.

use std::collections::HashSet;

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;
use xuncha_api::orgs::OrgLevel;
use xuncha_api::rounds::{
    AssignTargets, ChangePhase, CreateRound, CreateTeam, Round, RoundKind, Target,
};
use xuncha_api::users::Role;

use crate::api::{Api, AppError};
use crate::components::{
    load_failure, loaded, loaded_value, parse_date, parse_opt_date, sort_header, unique_id,
    FormError, Submission, TextField,
};
use crate::i18n::{t, use_lang, Msg, OfficeMsg};
use crate::routes::{href, ROUNDS, TARGETS};
use crate::session::use_role;
use crate::tree::OrgIndex;

#[component]
pub fn RoundsPage() -> impl IntoView {
    let api = expect_context::<Api>();
    let lang = use_lang();
    let role = use_role();
    let version = RwSignal::new(0u32);
    let rounds = LocalResource::new(move || {
        version.get();
        async move { api.rounds().await }
    });
    view! {
        <section class="page">
            <h1>{t(OfficeMsg::Rounds)}</h1>
            <Show when=move || role.get() == Some(Role::Admin)>
                <NewRoundForm on_created=move |_| version.update(|v| *v += 1)/>
            </Show>
            {loaded(rounds, move |r| match r {
                    list if list.is_empty() => view! { <p class="hint">{t(OfficeMsg::NoRounds)}</p> }.into_any(),
                    list => view! {
                        <table class="rounds">
                            <thead><tr>
                                <th scope="col">{t(OfficeMsg::RoundName)}</th><th scope="col">{t(OfficeMsg::Kind)}</th>
                                <th scope="col">{t(OfficeMsg::Phase)}</th><th scope="col">{t(OfficeMsg::StartDate)}</th>
                                <th scope="col">{t(OfficeMsg::Targets)}</th>
                            </tr></thead>
                            <tbody>
                                {list.into_iter().map(|r| view! {
                                    <tr>
                                        <td><A href=href::office_item(ROUNDS, &r.id)>{r.name.clone()}</A></td>
                                        <td>{move || r.kind.label(lang.get())}</td>
                                        <td>{move || r.phase.label(lang.get())}</td>
                                        <td>{r.start_date.to_string()}</td>
                                        <td>{r.target_count}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    }.into_any(),
                })}
        </section>
    }
}

#[component]
fn NewRoundForm(#[prop(into)] on_created: Callback<Round>) -> impl IntoView {
    let api = expect_context::<Api>();
    let lang = use_lang();
    let terms = LocalResource::new(move || async move { api.terms().await });
    let term = RwSignal::new(String::new());
    let name = RwSignal::new(String::new());
    let kind = RwSignal::new(RoundKind::Regular.as_str().to_string());
    let theme = RwSignal::new(String::new());
    let start = RwSignal::new(String::new());
    let end = RwSignal::new(String::new());
    let (term_id, kind_id) = (unique_id("round-term"), unique_id("round-kind"));
    let create =
        Submission::new(move |req: CreateRound| async move { api.create_round(&req).await });
    create.on_done(move |r| on_created.run(r));
    let error = create.error();
    view! {
        <details class="new-round">
            <summary>{t(OfficeMsg::NewRound)}</summary>
            <form on:submit=move |ev: SubmitEvent| {
                ev.prevent_default();
                let first_term = terms.get_untracked().and_then(Result::ok).and_then(|t| t.first().map(|t| t.id.clone())).unwrap_or_default();
                let term_id = Some(term.get_untracked()).filter(|t| !t.is_empty()).unwrap_or(first_term);
                let dates = parse_date("start_date", &start.get_untracked()).and_then(|s| Ok((s, parse_date("end_date", &end.get_untracked())?)));
                create.send(dates.map(|(start_date, end_date)| CreateRound {
                    term_id,
                    name: name.get_untracked(),
                    kind: RoundKind::parse(&kind.get_untracked()).unwrap_or(RoundKind::Regular),
                    theme: theme.get_untracked(),
                    start_date,
                    end_date,
                }));
            } novalidate>
                <div class="field">
                    <label for=term_id.clone()>{t(OfficeMsg::Terms)}</label>
                    <select id=term_id on:change=move |ev| term.set(event_target_value(&ev))>
                        {move || loaded_value(terms).into_iter().flatten().map(|tm| view! {
                            <option value=tm.id.clone()>{format!("{} · {}", tm.committee_name, tm.name)}</option>
                        }).collect_view()}
                    </select>
                    {load_failure(terms)}
                </div>
                <TextField label=OfficeMsg::RoundName name="name" value=name error=error/>
                <div class="field">
                    <label for=kind_id.clone()>{t(OfficeMsg::Kind)}</label>
                    <select id=kind_id on:change=move |ev| kind.set(event_target_value(&ev))>
                        {RoundKind::ALL.into_iter().map(|k| view! {
                            <option value=k.as_str() selected=move || kind.get() == k.as_str()>{move || k.label(lang.get())}</option>
                        }).collect_view()}
                    </select>
                </div>
                <Show when=move || kind.get() == RoundKind::Special.as_str()>
                    <TextField label=OfficeMsg::Theme name="theme" value=theme error=error/>
                </Show>
                <TextField label=OfficeMsg::StartDate name="start_date" value=start error=error kind="date"/>
                <TextField label=OfficeMsg::EndDate name="end_date" value=end error=error kind="date"/>
                <FormError error=error/>
                <button type="submit" class="primary" disabled=move || create.pending()>{t(OfficeMsg::Create)}</button>
            </form>
        </details>
    }
}

#[component]
pub fn RoundPage() -> impl IntoView {
    let api = expect_context::<Api>();
    let lang = use_lang();
    let role = use_role();
    let params = use_params_map();
    let id = Memo::new(move |_| params.read().get("id").unwrap_or_default());
    let version = RwSignal::new(0u32);
    let round = LocalResource::new(move || {
        version.get();
        let id = id.get();
        async move { api.round(&id).await }
    });
    let teams = LocalResource::new(move || {
        version.get();
        let id = id.get();
        async move { api.teams(&id).await }
    });
    let targets = LocalResource::new(move || {
        version.get();
        let id = id.get();
        async move { api.targets(&id).await }
    });
    let advance = Action::new_local(move |req: &(String, ChangePhase)| {
        let (id, req) = req.clone();
        async move { api.change_phase(&id, &req).await }
    });
    Effect::new(move |_| {
        if let Some(Ok(_)) = advance.value().get() {
            version.update(|v| *v += 1);
        }
    });
    let advance_error = Signal::derive(move || advance.value().get().and_then(Result::err));
    let admin = move || role.get() == Some(Role::Admin);
    let bump = move |_| version.update(|v| *v += 1);
    view! {
        <section class="page">
            {loaded(round, move |r| {
                        let next = r.phase.next();
                        let rid = r.id.clone();
                        view! {
                            <h1>{r.name.clone()}</h1>
                            <dl class="facts">
                                <dt>{t(OfficeMsg::Kind)}</dt><dd>{move || r.kind.label(lang.get())}{(!r.theme.is_empty()).then_some(move || format!("{}{}", lang.get().colon(), r.theme))}</dd>
                                <dt>{t(OfficeMsg::Phase)}</dt><dd class="phase">{move || r.phase.label(lang.get())}</dd>
                                <dt>{t(OfficeMsg::StartDate)}</dt><dd>{format!("{} — {}", r.start_date, r.end_date)}</dd>
                            </dl>
                            {(admin() && next.is_some()).then(|| {
                                let to = next.unwrap_or(r.phase);
                                // A phase once left is not returned to: asked once, naming it.
                                let confirming = RwSignal::new(false);
                                let rid = StoredValue::new(rid.clone());
                                let name = StoredValue::new(r.name.clone());
                                view! {
                                    <Show when=move || confirming.get() fallback=move || view! {
                                        <button type="button" on:click=move |_| confirming.set(true)>
                                            {t(OfficeMsg::NextPhase)}{move || format!("{}{}", lang.get().colon(), to.label(lang.get()))}
                                        </button>
                                    }>
                                        <div class="confirm" role="alertdialog" aria-labelledby="phase-confirm">
                                            <p id="phase-confirm">{move || {
                                                let l = lang.get();
                                                format!("{}{}{}{}{}{}", l.pick("确认", ""), name.get_value(), l.pick("进入「", " moves to \""), to.label(l), l.pick("」阶段？", "\"? "), OfficeMsg::PhaseNoReturn.text(l))
                                            }}</p>
                                            <button type="button" class="primary" disabled=move || advance.pending().get()
                                                on:click=move |_| { confirming.set(false); advance.dispatch_local((rid.get_value(), ChangePhase { to })); }>
                                                {t(OfficeMsg::NextPhase)}{move || format!("{}{}", lang.get().colon(), to.label(lang.get()))}
                                            </button>
                                            <button type="button" on:click=move |_| confirming.set(false)>{t(OfficeMsg::Cancel)}</button>
                                        </div>
                                    </Show>
                                    <FormError error=advance_error/>
                                }
                            })}
                        }.into_any()
                    })}

            <Show when=move || matches!(role.get(), Some(Role::Admin | Role::Discipline | Role::Inspector))>
                <crate::pages::petitions::PetitionLedgerLink round_id=id/>
            </Show>
            <h2>{t(OfficeMsg::Teams)}</h2>
            {loaded(teams, move |list| view! {
                <ul class="teams">
                    {list.into_iter().map(|tm| {
                        let line = move || {
                            let l = lang.get();
                            let names = tm.members.iter().map(|m| if m.leader { format!("{}{}", m.display_name, crate::i18n::in_brackets(l, OfficeMsg::Leader.text(l))) } else { m.display_name.clone() }).collect::<Vec<_>>().join(l.list_sep());
                            let contact = if tm.contact.is_empty() { String::new() } else { format!(" · {}", tm.contact) };
                            format!("{}{names}{contact}", l.colon())
                        };
                        view! { <li><strong>{tm.name.clone()}</strong>{line}</li> }
                    }).collect_view()}
                </ul>
            })}
            <Show when=admin>
                <NewTeamForm round_id=id on_created=bump/>
            </Show>

            <h2>{t(OfficeMsg::Targets)}</h2>
            {loaded(targets, move |list| {
                if list.is_empty() {
                    view! { <p class="hint">{t(OfficeMsg::NoTargets)}</p> }.into_any()
                } else {
                    view! { <TargetTable targets=list/> }.into_any()
                }
            })}
            <p><a href=move || api.targets_export_href(&id.get()) download="round-targets.xlsx">{t(OfficeMsg::ExportTargets)}</a></p>
            <Show when=admin>
                <AssignForm round_id=id teams=teams on_assigned=bump/>
            </Show>
        </section>
    }
}

#[component]
fn NewTeamForm(round_id: Memo<String>, #[prop(into)] on_created: Callback<()>) -> impl IntoView {
    let api = expect_context::<Api>();
    let inspectors = LocalResource::new(move || async move {
        api.list_users().await.map(|users| {
            users
                .into_iter()
                .filter(|u| u.role == Role::Inspector && u.active)
                .collect::<Vec<_>>()
        })
    });
    let name = RwSignal::new(String::new());
    let contact = RwSignal::new(String::new());
    let leader = RwSignal::new(String::new());
    let members = RwSignal::new(HashSet::<String>::new());
    let leader_id = unique_id("leader");
    let create = Submission::new(move |req: CreateTeam| async move {
        api.create_team(&round_id.get_untracked(), &req).await
    });
    create.on_done(move |_| {
        name.set(String::new());
        on_created.run(());
    });
    let error = create.error();
    view! {
        <details class="new-team">
            <summary>{t(OfficeMsg::NewTeam)}</summary>
            <form on:submit=move |ev: SubmitEvent| {
                ev.prevent_default();
                create.send(Ok(CreateTeam {
                    name: name.get_untracked(),
                    leader_id: leader.get_untracked(),
                    member_ids: members.get_untracked().into_iter().collect(),
                    contact: contact.get_untracked(),
                }));
            } novalidate>
                <TextField label=OfficeMsg::TeamName name="name" value=name error=error/>
                <div class="field">
                    <label for=leader_id.clone()>{t(OfficeMsg::Leader)}</label>
                    <select id=leader_id on:change=move |ev| leader.set(event_target_value(&ev))>
                        <option value="">{t(OfficeMsg::Leader)}</option>
                        {move || loaded_value(inspectors).into_iter().flatten().map(|u| view! {
                            <option value=u.id.clone()>{u.display_name.clone()}</option>
                        }).collect_view()}
                    </select>
                    {load_failure(inspectors)}
                </div>
                <fieldset>
                    <legend>{t(OfficeMsg::Members)}</legend>
                    {move || loaded_value(inspectors).into_iter().flatten().map(|u| {
                        let id = u.id.clone();
                        let cb = unique_id("member");
                        view! {
                            <div class="check">
                                <input type="checkbox" id=cb.clone() on:change=move |ev| {
                                    let on = event_target_checked(&ev);
                                    members.update(|m| { if on { m.insert(id.clone()); } else { m.remove(&id); } });
                                }/>
                                <label for=cb>{u.display_name.clone()}</label>
                            </div>
                        }
                    }).collect_view()}
                </fieldset>
                <TextField label=OfficeMsg::Contact name="contact" value=contact error=error kind="tel"/>
                <FormError error=error/>
                <button type="submit" class="primary" disabled=move || create.pending()>{t(OfficeMsg::NewTeam)}</button>
            </form>
        </details>
    }
}

/// Pick a township, tick its villages (all by default), pick a team and the stationing dates.
#[component]
fn AssignForm(
    round_id: Memo<String>,
    teams: LocalResource<Result<Vec<xuncha_api::rounds::Team>, AppError>>,
    #[prop(into)] on_assigned: Callback<()>,
) -> impl IntoView {
    let api = expect_context::<Api>();
    let lang = use_lang();
    let orgs = LocalResource::new(move || async move { api.list_orgs().await.map(OrgIndex::new) });
    let township = RwSignal::new(String::new());
    let picked = RwSignal::new(HashSet::<String>::new());
    let team = RwSignal::new(String::new());
    let start = RwSignal::new(String::new());
    let end = RwSignal::new(String::new());
    let (township_id, team_id) = (unique_id("assign-township"), unique_id("assign-team"));
    // The township itself and everything directly under it.
    let candidates = move || {
        let tw = township.get();
        loaded_value(orgs)
            .map(|idx| {
                let mut list: Vec<(String, String)> = idx
                    .get(&tw)
                    .map(|o| vec![(o.id.clone(), o.name.clone())])
                    .unwrap_or_default();
                list.extend(
                    idx.children(&tw)
                        .into_iter()
                        .filter(|o| o.active)
                        .map(|o| (o.id.clone(), o.name.clone())),
                );
                list
            })
            .unwrap_or_default()
    };
    Effect::new(move |_| picked.set(candidates().into_iter().map(|(id, _)| id).collect()));
    let assign = Submission::new(move |req: AssignTargets| async move {
        api.assign_targets(&round_id.get_untracked(), &req).await
    });
    assign.on_done(move |_| on_assigned.run(()));
    let error = assign.error();
    let row_problems = move || match error.get() {
        Some(AppError::Api(e)) if !e.rows.is_empty() => {
            let picked_list: Vec<String> = candidates()
                .into_iter()
                .filter(|(id, _)| picked.with(|p| p.contains(id)))
                .map(|(_, n)| n)
                .collect();
            e.rows
                .iter()
                .map(|r| {
                    format!(
                        "{}：{}",
                        picked_list.get(r.row - 1).cloned().unwrap_or_default(),
                        r.problem.message(lang.get())
                    )
                })
                .collect::<Vec<_>>()
        }
        _ => Vec::new(),
    };
    view! {
        <form class="assign" on:submit=move |ev: SubmitEvent| {
            ev.prevent_default();
            let dates = parse_opt_date("station_start", &start.get_untracked())
                .and_then(|s| Ok((s, parse_opt_date("station_end", &end.get_untracked())?)));
            assign.send(dates.map(|(station_start, station_end)| {
                let order: Vec<String> = candidates().into_iter().map(|(id, _)| id).filter(|id| picked.with_untracked(|p| p.contains(id))).collect();
                let team_id = Some(team.get_untracked()).filter(|t| !t.is_empty())
                    .or_else(|| teams.get_untracked().and_then(Result::ok).and_then(|t| t.first().map(|t| t.id.clone())))
                    .unwrap_or_default();
                AssignTargets { team_id, org_ids: order, station_start, station_end }
            }));
        } novalidate>
            <h3>{t(OfficeMsg::AssignTargets)}</h3>
            <div class="field">
                <label for=township_id.clone()>{t(OfficeMsg::PickTownship)}</label>
                <select id=township_id on:change=move |ev| township.set(event_target_value(&ev))>
                    <option value="">{t(OfficeMsg::PickTownship)}</option>
                    {move || loaded_value(orgs).map(|idx| idx.possible_parents(OrgLevel::Community).into_iter()
                        .map(|o| view! { <option value=o.id.clone()>{o.name.clone()}</option> }).collect_view())}
                </select>
                {load_failure(orgs)}
            </div>
            <fieldset>
                <legend>{t(OfficeMsg::Targets)}</legend>
                {move || candidates().into_iter().map(|(id, name)| {
                    let cb = unique_id("target");
                    let (id2, id3) = (id.clone(), id.clone());
                    view! {
                        <div class="check">
                            <input type="checkbox" id=cb.clone() prop:checked=move || picked.with(|p| p.contains(&id2)) on:change=move |ev| {
                                let on = event_target_checked(&ev);
                                picked.update(|p| { if on { p.insert(id3.clone()); } else { p.remove(&id3); } });
                            }/>
                            <label for=cb>{name}</label>
                        </div>
                    }
                }).collect_view()}
            </fieldset>
            <div class="field">
                <label for=team_id.clone()>{t(OfficeMsg::Team)}</label>
                <select id=team_id on:change=move |ev| team.set(event_target_value(&ev))>
                    {move || loaded_value(teams).into_iter().flatten().map(|tm| view! {
                        <option value=tm.id.clone()>{tm.name.clone()}</option>
                    }).collect_view()}
                </select>
            </div>
            <TextField label=OfficeMsg::StationStart name="station_start" value=start error=error kind="date"/>
            <TextField label=OfficeMsg::StationEnd name="station_end" value=end error=error kind="date"/>
            <ul class="form-error">{move || row_problems().into_iter().map(|p| view! { <li>{p}</li> }).collect_view()}</ul>
            <FormError error=Signal::derive(move || error.get().filter(|e| !matches!(e, AppError::Api(a) if !a.rows.is_empty())))/>
            <button type="submit" class="primary" disabled=move || assign.pending()>{t(OfficeMsg::Assign)}</button>
        </form>
    }
}

/// What the round's table can be sorted by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SortKey {
    Name,
    Township,
    Team,
    Stationing,
    Progress,
    Findings,
    OpenTasks,
}

/// A record's share answered, submitted ones last (they are done), unopened first.
fn progress_rank(tg: &Target) -> (u8, i64) {
    match &tg.progress.record {
        None => (0, 0),
        Some(p) if p.submitted => (2, 0),
        Some(p) => (1, p.answered * 1000 / p.total.max(1)),
    }
}

fn sort_targets(list: &mut [Target], key: SortKey, ascending: bool) {
    list.sort_by(|a, b| {
        let order = match key {
            SortKey::Name => a.org_name.cmp(&b.org_name),
            SortKey::Township => a.township.cmp(&b.township),
            SortKey::Team => a.team_name.cmp(&b.team_name),
            SortKey::Stationing => a.station_start.cmp(&b.station_start),
            SortKey::Progress => progress_rank(a).cmp(&progress_rank(b)),
            SortKey::Findings => a.progress.findings.cmp(&b.progress.findings),
            SortKey::OpenTasks => (a.progress.overdue_tasks, a.progress.open_tasks)
                .cmp(&(b.progress.overdue_tasks, b.progress.open_tasks)),
        };
        // Ties keep the township and name order the office reads in.
        let order = order.then_with(|| (&a.township, &a.org_name).cmp(&(&b.township, &b.org_name)));
        if ascending {
            order
        } else {
            order.reverse()
        }
    });
}

/// The round's targets: where each is, its team and dates, and how far the work has come.
#[component]
fn TargetTable(targets: Vec<Target>) -> impl IntoView {
    let sort = RwSignal::new((SortKey::Township, true));
    let rows = move || {
        let mut list = targets.clone();
        let (key, ascending) = sort.get();
        sort_targets(&mut list, key, ascending);
        list
    };
    view! {
        <div class="table-scroll">
            <table class="targets">
                <thead><tr>
                    {sort_header(sort, SortKey::Name, |l| OfficeMsg::Name.text(l), false)}
                    {sort_header(sort, SortKey::Township, |l| OfficeMsg::Township.text(l), false)}
                    {sort_header(sort, SortKey::Team, |l| OfficeMsg::Team.text(l), false)}
                    {sort_header(sort, SortKey::Stationing, |l| OfficeMsg::Stationing.text(l), false)}
                    {sort_header(sort, SortKey::Progress, |l| OfficeMsg::Progress.text(l), false)}
                    {sort_header(sort, SortKey::Findings, |l| OfficeMsg::FindingCount.text(l), true)}
                    {sort_header(sort, SortKey::OpenTasks, |l| OfficeMsg::OpenTasks.text(l), true)}
                </tr></thead>
                <tbody>
                    {move || rows().into_iter().map(|tg| view! { <TargetRow tg=tg/> }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

#[component]
fn TargetRow(tg: Target) -> impl IntoView {
    let lang = use_lang();
    let dates = match (tg.station_start, tg.station_end) {
        (Some(s), Some(e)) => format!("{} — {}", s.format("%m-%d"), e.format("%m-%d")),
        (Some(s), None) => s.to_string(),
        _ => String::new(),
    };
    let record = tg.progress.record.clone();
    let progress = move || {
        let l = lang.get();
        match &record {
            None => OfficeMsg::NotStarted.text(l).to_string(),
            Some(p) if p.submitted => format!(
                "{} {}/{}",
                OfficeMsg::RecordSubmitted.text(l),
                p.answered,
                p.total
            ),
            Some(p) => format!("{}/{}", p.answered, p.total),
        }
    };
    let submitted = tg.progress.record.as_ref().is_some_and(|p| p.submitted);
    let (open, overdue) = (tg.progress.open_tasks, tg.progress.overdue_tasks);
    view! {
        <tr>
            <th scope="row">
                <A href=href::office_item(TARGETS, &tg.id)>{tg.org_name.clone()}</A>
                <span class="level">{move || crate::i18n::in_brackets(lang.get(), tg.org_level.label(lang.get()))}</span>
            </th>
            <td>{tg.township.clone()}</td>
            <td>{tg.team_name.clone()}</td>
            <td class="nowrap">{dates}</td>
            <td class="num" class:done=submitted>{progress}</td>
            <td class="num">{tg.progress.findings}</td>
            <td class="num">
                {open}
                {(overdue > 0).then(|| view! { <span class="overdue">{move || format!(" · {} {overdue}", Msg::Overdue.text(lang.get()))}</span> })}
            </td>
        </tr>
    }
}
