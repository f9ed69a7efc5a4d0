//! A target's stationing: the three lists the team prepares (政策清单, 收集信息清单, 预设问题清单),
//! the visit list (走访重点人员清单) and the figures the team watches while on site.
//!
//! What the page shows is the copy this device keeps, with its own unsent changes laid over
//! it: a week in a village with no signal reads and edits the same lists as at the desk, and
//! every change waits in the outbox with the time it was saved.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use xuncha_api::findings::Finding;
use xuncha_api::stationing::{
    InfoSource, Outcome, PolicyArea, PrepContent, PrepDraft, PrepItem, PrepList, Stationing,
    StationingSummary, Visit, VisitDraft,
};
use xuncha_api::talks::TalkInspector;
use xuncha_api::Lang;

use crate::api::{Api, AppError};
use crate::components::{
    parse_opt_date, unique_id, FormError, SelectField, Submission, TextArea, TextField,
};
use crate::i18n::{t, use_lang, CaseMsg, Msg, StationMsg};
use crate::offline::{new_id, stationing_key, store, Outbox, StationChange, StationWork, Theirs};
use crate::pages::talks::{choices, cst, Attachments};

/// The kept stationing with this device's changes over it.
#[derive(Clone, PartialEq)]
struct Shown {
    policies: Vec<Row<PrepItem>>,
    information: Vec<Row<PrepItem>>,
    expected: Vec<Row<PrepItem>>,
    visits: Vec<Row<Visit>>,
    summary: StationingSummary,
    /// Changes waiting (removals included), and when the oldest was saved.
    waiting: usize,
    oldest: Option<f64>,
}

#[derive(Clone, Debug, PartialEq)]
struct Row<T> {
    value: T,
    /// This device's unsent change of it.
    work: Option<StationWork>,
}

/// What tells a row from its earlier self: everything it shows. Keyed by it, a list redraws
/// only the rows that changed, so an edit open on one row keeps what was typed while another
/// row is saved, sent or refused.
fn row_key<T: std::fmt::Debug>(row: &Row<T>) -> String {
    format!("{row:?}")
}

/// The version an edit of a row is made on: the one it came from on the server, if any.
fn base_of(version: i64) -> Option<i64> {
    (version > 0).then_some(version)
}

fn local_item(target: &str, id: &str, d: &PrepDraft, known: Option<&PrepItem>) -> PrepItem {
    PrepItem {
        id: id.into(),
        target_id: target.into(),
        content: d.content.tidy(),
        origin: d.origin.trim().into(),
        default_id: known.and_then(|k| k.default_id.clone()),
        files: known.map(|k| k.files.clone()).unwrap_or_default(),
        version: d.base_version.unwrap_or(0),
        created_by: known.map(|k| k.created_by.clone()).unwrap_or_default(),
        created_by_name: known.map(|k| k.created_by_name.clone()).unwrap_or_default(),
        created_at: known.map(|k| k.created_at).unwrap_or_default(),
        updated_at: known.map(|k| k.updated_at).unwrap_or_default(),
    }
}

fn local_visit(
    target: &str,
    id: &str,
    d: &VisitDraft,
    known: Option<&Visit>,
    team: &[TalkInspector],
) -> Visit {
    Visit {
        id: id.into(),
        target_id: target.into(),
        person_name: d.person_name.trim().into(),
        category: d.category.trim().into(),
        household: d.household,
        address: d.address.trim().into(),
        visited_on: d.visited_on,
        visitors: d
            .visitor_ids()
            .into_iter()
            .map(|user_id| TalkInspector {
                name: team
                    .iter()
                    .find(|p| p.user_id == user_id)
                    .map(|p| p.name.clone())
                    .unwrap_or_else(|| user_id.clone()),
                user_id,
            })
            .collect(),
        note: d.note.trim().into(),
        version: d.base_version.unwrap_or(0),
        created_by_name: known.map(|k| k.created_by_name.clone()).unwrap_or_default(),
        updated_at: known.map(|k| k.updated_at).unwrap_or_default(),
    }
}

/// Lays this device's changes over the kept copy.
fn shown(s: &Stationing, work: &[StationWork], team: &[TalkInspector]) -> Shown {
    let all_items: Vec<&PrepItem> = s
        .policies
        .iter()
        .chain(&s.information)
        .chain(&s.expected)
        .collect();
    let mut items: Vec<Row<PrepItem>> = all_items
        .iter()
        .map(|i| Row {
            value: (*i).clone(),
            work: None,
        })
        .collect();
    let mut visits: Vec<Row<Visit>> = s
        .visits
        .iter()
        .map(|v| Row {
            value: v.clone(),
            work: None,
        })
        .collect();
    for w in work {
        match &w.change {
            StationChange::Item(d) => {
                let known = all_items.iter().find(|i| i.id == w.id).copied();
                let row = Row {
                    value: local_item(&s.target_id, &w.id, d, known),
                    work: Some(w.clone()),
                };
                match items.iter_mut().find(|r| r.value.id == w.id) {
                    Some(r) => *r = row,
                    None => items.push(row),
                }
            }
            StationChange::Visit(d) => {
                let known = s.visits.iter().find(|v| v.id == w.id);
                let row = Row {
                    value: local_visit(&s.target_id, &w.id, d, known, team),
                    work: Some(w.clone()),
                };
                match visits.iter_mut().find(|r| r.value.id == w.id) {
                    Some(r) => *r = row,
                    None => visits.push(row),
                }
            }
            // A removal waits out of sight, unless the server refused it.
            StationChange::RemoveItem => match items.iter_mut().find(|r| r.value.id == w.id) {
                Some(r) if !w.waiting() => r.work = Some(w.clone()),
                _ => items.retain(|r| r.value.id != w.id),
            },
            StationChange::RemoveVisit => match visits.iter_mut().find(|r| r.value.id == w.id) {
                Some(r) if !w.waiting() => r.work = Some(w.clone()),
                _ => visits.retain(|r| r.value.id != w.id),
            },
        }
    }
    let plain_items: Vec<PrepItem> = items.iter().map(|r| r.value.clone()).collect();
    let plain_visits: Vec<Visit> = visits.iter().map(|r| r.value.clone()).collect();
    let summary = StationingSummary::of(
        s.summary.households,
        &plain_items,
        &plain_visits,
        (s.summary.on_the_spot, s.summary.on_the_spot_done),
    );
    let of = |list: PrepList| -> Vec<Row<PrepItem>> {
        items
            .iter()
            .filter(|r| r.value.content.list() == list)
            .cloned()
            .collect()
    };
    Shown {
        policies: of(PrepList::Policy),
        information: of(PrepList::Information),
        expected: of(PrepList::Expected),
        visits,
        summary,
        waiting: work.iter().filter(|w| w.waiting()).count(),
        oldest: work
            .iter()
            .filter(|w| w.waiting())
            .map(|w| w.made_at)
            .reduce(f64::min),
    }
}

/// What the page reads: the server's stationing, or with no network the kept copy.
#[derive(Clone, PartialEq)]
enum Kept {
    Fresh(Stationing),
    FromDevice(Stationing),
    Nothing,
}

#[component]
pub fn TargetStationing(target_id: Memo<String>, on_team: Signal<bool>) -> impl IntoView {
    let api = expect_context::<Api>();
    let outbox = expect_context::<Outbox>();
    let lang = use_lang();
    let version = RwSignal::new(0u32);
    let kept = LocalResource::new(move || {
        version.get();
        outbox.stationing_changed.get();
        let target = target_id.get();
        async move {
            let key = stationing_key(&target);
            match api.stationing(&target).await {
                Ok(s) => {
                    let _ = store::put(store::META, &key, &s).await;
                    Ok(Kept::Fresh(s))
                }
                Err(AppError::Network) => Ok(store::get::<Stationing>(store::META, &key)
                    .await
                    .ok()
                    .flatten()
                    .map_or(Kept::Nothing, Kept::FromDevice)),
                Err(e) => Err(e),
            }
        }
    });
    let work = LocalResource::new(move || {
        outbox.changed.get();
        let target = target_id.get();
        async move { outbox.station_work(&target).await }
    });
    let team = LocalResource::new(move || {
        let target = target_id.get();
        async move {
            store::fresh_or_kept::<Vec<TalkInspector>>(
                &format!("inspectors:{target}"),
                api.talk_inspectors(&target),
            )
            .await
            .unwrap_or_default()
        }
    });
    let team_list = Signal::derive(move || team.get().unwrap_or_default());
    // The 问题清单 as kept: the finding that confirms an expected problem (chosen on site with
    // no signal too) and the findings each visit led to.
    let findings = LocalResource::new(move || {
        outbox.findings_changed.get();
        let target = target_id.get();
        async move { store::findings_of(api, &target).await }
    });
    let from_visits = Memo::new(move |_| {
        let mut by_visit = std::collections::HashMap::<String, Vec<String>>::new();
        for f in findings.get().and_then(Result::ok).unwrap_or_default() {
            if let Some(v) = f.visit_id {
                by_visit.entry(v).or_default().push(f.title);
            }
        }
        by_visit
    });
    let stationing = Memo::new(move |_| match kept.get() {
        Some(Ok(Kept::Fresh(s) | Kept::FromDevice(s))) => Some(s),
        _ => None,
    });
    let view_of = Memo::new(move |_| {
        let s = stationing.get()?;
        let w = work.get().unwrap_or_default();
        Some(shown(&s, &w, &team_list.get()))
    });
    let removal_failed = RwSignal::new(None);
    provide_context(Ctx {
        target_id,
        on_team,
        team: team_list,
        view_of,
        reload: version,
        findings,
        from_visits,
        removal_failed,
    });
    let from_device = move || matches!(kept.get(), Some(Ok(Kept::FromDevice(_))));
    let refused = move || match kept.get() {
        // Not the reader's to see (a unit, another team): the section is not there.
        Some(Err(AppError::Api(_))) => true,
        _ => false,
    };
    view! {
        <Show when=move || !refused()>
            <section class="stationing" aria-labelledby="stationing-heading">
                <h2 id="stationing-heading">{t(StationMsg::Heading)}</h2>
                {move || from_device().then(|| view! { <p class="hint" role="note">{t(StationMsg::ShownFromDevice)}</p> })}
                {move || matches!(kept.get(), Some(Ok(Kept::Nothing))).then(|| view! { <p class="form-error" role="alert">{t(StationMsg::NotKept)}</p> })}
                {move || match kept.get() {
                    Some(Err(e)) if !matches!(e, AppError::Api(_)) => Some(view! {
                        <crate::components::LoadError error=e on_retry=move || kept.refetch()/>
                    }),
                    _ => None,
                }}
                {move || view_of.get().map(|v| view! {
                    <Figures summary=v.summary.clone()/>
                    {(v.waiting > 0).then(|| {
                        let oldest = v.oldest.map(local_time).unwrap_or_default();
                        view! { <p class="state waiting" role="status">{move || format!("{} {}{}", v.waiting, StationMsg::WaitingSince.text(lang.get()), lang.get().pick(" ", " "))}{oldest}</p> }
                    })}
                })}
                <FormError error=removal_failed/>
                <Show when=move || view_of.with(Option::is_some)>
                    <PrepSection list=PrepList::Policy/>
                    <PrepSection list=PrepList::Information/>
                    <PrepSection list=PrepList::Expected/>
                    <VisitSection/>
                </Show>
            </section>
        </Show>
    }
}

/// The time a change was saved, in China Standard Time.
fn local_time(ms: f64) -> String {
    chrono::DateTime::from_timestamp_millis(ms as i64)
        .map(cst)
        .unwrap_or_default()
}

#[derive(Clone, Copy)]
struct Ctx {
    target_id: Memo<String>,
    on_team: Signal<bool>,
    team: Signal<Vec<TalkInspector>>,
    view_of: Memo<Option<Shown>>,
    /// Read the lists from the server again (a file was added).
    reload: RwSignal<u32>,
    findings: LocalResource<Result<Vec<Finding>, AppError>>,
    /// The titles of the findings written from each visit, by visit id.
    from_visits: Memo<std::collections::HashMap<String, Vec<String>>>,
    /// Why the last removal could not be kept on the phone.
    removal_failed: RwSignal<Option<AppError>>,
}

impl Ctx {
    /// Takes a row off: the removal waits in the outbox like any other edit. If the phone
    /// cannot keep it (storage full or refused), the page says so: the row stays listed, and a
    /// silent failure would look like a removal that never happened.
    fn remove(self, outbox: Outbox, id: String, change: StationChange) {
        leptos::task::spawn_local(async move {
            let kept = outbox
                .queue_station(&self.target_id.get_untracked(), &id, change)
                .await;
            self.removal_failed.set(kept.err());
        });
    }
}

fn percent(x: f64) -> String {
    // One household of two hundred is 0.5%, not 0%.
    format!("{:.1}%", x * 100.0)
}

#[component]
fn Figures(summary: StationingSummary) -> impl IntoView {
    let lang = use_lang();
    let s = summary.clone();
    let text = move || {
        let l = lang.get();
        let sep = l.list_sep();
        let sources = |list: &[InfoSource]| {
            if list.is_empty() {
                // "已回复：；" reads as a fault; none is a word.
                return l.pick("无", "none").to_string();
            }
            list.iter()
                .map(|x| x.label(l))
                .collect::<Vec<_>>()
                .join(sep)
        };
        let visits = match (s.households, s.households_to_visit) {
            (Some(h), Some(n)) => l
                .pick(
                    "已走访 {made}/{planned} 人，其中农户 {hv} 户，占全村 {h} 户的 {share}（应不少于 {n} 户）",
                    "Visited {made} of {planned}, of them {hv} households: {share} of the village's {h} (at least {n} needed)",
                )
                .replace("{h}", &h.to_string())
                .replace("{n}", &n.to_string())
                .replace("{share}", &percent(s.visit_share.unwrap_or(0.0))),
            _ => l
                .pick(
                    "已走访 {made}/{planned} 人，其中农户 {hv} 户",
                    "Visited {made} of {planned}, of them {hv} households",
                )
                .to_string(),
        }
        .replace("{made}", &s.visits_made.to_string())
        .replace("{planned}", &s.visits_planned.to_string())
        .replace("{hv}", &s.households_visited.to_string());
        let expected = l
            .pick(
                "预设问题 {e} 个：已证实 {c}，未证实 {nc}，未核查 {nk}",
                "{e} pre-set problems: {c} confirmed, {nc} not confirmed, {nk} not checked",
            )
            .replace("{e}", &s.expected.to_string())
            .replace("{c}", &s.confirmed.to_string())
            .replace("{nc}", &s.not_confirmed.to_string())
            .replace("{nk}", &s.not_checked.to_string());
        let hit = s
            .hit_rate
            .map(|h| format!("{}{}{}", StationMsg::HitRate.text(l), l.colon(), percent(h)));
        let spot = l
            .pick(
                "立行立改 {n} 项，已完成 {m} 项",
                "{n} fix-on-the-spot tasks, {m} done",
            )
            .replace("{n}", &s.on_the_spot.to_string())
            .replace("{m}", &s.on_the_spot_done.to_string());
        let info = format!(
            "{}{}{}{}{}{}{}",
            StationMsg::Answered.text(l),
            l.colon(),
            sources(&s.sources_answered),
            l.pick("；", "; "),
            StationMsg::NotAnswered.text(l),
            l.colon(),
            sources(&s.sources_waiting)
        );
        (visits, info, expected, hit, spot)
    };
    let warn = move || {
        let l = lang.get();
        if summary.households.is_none() {
            Some(StationMsg::HouseholdsUnknown.text(l))
        } else if summary.below_share {
            Some(StationMsg::BelowShare.text(l))
        } else {
            None
        }
    };
    view! {
        <div class="stationing-figures" aria-label=move || StationMsg::Figures.text(lang.get())>
            {move || {
                let (visits, info, expected, hit, spot) = text();
                view! {
                    <ul class="facts-list">
                        <li>{visits}</li>
                        <li>{info}</li>
                        <li>{expected}{hit.map(|h| format!("{}{h}", lang.get().pick("，", ", ")))}</li>
                        <li>{spot}</li>
                    </ul>
                }
            }}
            {move || warn().map(|w| view! { <p class="warning" role="alert">{w}</p> })}
        </div>
    }
}

fn list_heading(list: PrepList, lang: Lang) -> &'static str {
    list.label(lang)
}

fn add_label(list: PrepList) -> StationMsg {
    match list {
        PrepList::Policy => StationMsg::AddPolicy,
        PrepList::Information => StationMsg::AddInformation,
        PrepList::Expected => StationMsg::AddExpected,
    }
}

/// One line that says what an item is, for its row and for a conflict's two versions.
fn item_text(c: &PrepContent, l: Lang) -> String {
    match c {
        PrepContent::Policy {
            area,
            title,
            evidence,
        } => {
            let mut s = format!("{}{}{title}", area.label(l), l.colon());
            if !evidence.is_empty() {
                s.push_str(&crate::i18n::in_brackets(l, evidence));
            }
            s
        }
        PrepContent::Information {
            source,
            answered,
            summary,
        } => format!(
            "{}{}{}{summary}",
            source.label(l),
            crate::i18n::in_brackets(
                l,
                if *answered {
                    StationMsg::Answered.text(l)
                } else {
                    StationMsg::NotAnswered.text(l)
                }
            ),
            l.colon(),
        ),
        PrepContent::Expected {
            problem,
            checklist_items,
            outcome,
            ..
        } => {
            let mut s = format!("{problem}{}", crate::i18n::in_brackets(l, outcome.label(l)));
            if !checklist_items.is_empty() {
                s.push_str(&format!(" · {}", checklist_items.join(", ")));
            }
            s
        }
    }
}

fn visit_text(v: &Visit, l: Lang) -> String {
    let mut parts = vec![v.person_name.clone()];
    if !v.category.is_empty() {
        parts.push(v.category.clone());
    }
    if !v.address.is_empty() {
        parts.push(v.address.clone());
    }
    match v.visited_on {
        Some(d) => {
            let who = v
                .visitors
                .iter()
                .map(|p| p.name.clone())
                .collect::<Vec<_>>()
                .join(l.list_sep());
            parts.push(format!("{d} {who}"));
        }
        None => parts.push(StationMsg::NotVisited.text(l).into()),
    }
    let mut s = parts.join(" · ");
    if !v.note.is_empty() {
        s.push_str(&format!("{}{}", l.pick("：", ": "), v.note));
    }
    s
}

#[component]
fn PrepSection(list: PrepList) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let lang = use_lang();
    let heading_id = unique_id("prep-heading");
    let rows = Memo::new(move |_| {
        ctx.view_of.with(|v| {
            v.as_ref()
                .map(|v| match list {
                    PrepList::Policy => v.policies.clone(),
                    PrepList::Information => v.information.clone(),
                    PrepList::Expected => v.expected.clone(),
                })
                .unwrap_or_default()
        })
    });
    let adding = RwSignal::new(false);
    view! {
        <section class="prep-list" aria-labelledby=heading_id.clone()>
            <h3 id=heading_id.clone()>{move || list_heading(list, lang.get())}</h3>
            {move || rows.with(Vec::is_empty).then(|| view! { <p class="hint">{t(StationMsg::NoItems)}</p> })}
            <ul class="prep-items" hidden=move || rows.with(Vec::is_empty)>
                <For each=move || rows.get() key=row_key let:r>
                    <ItemRow row=r/>
                </For>
            </ul>
            <Show when=move || ctx.on_team.get()>
                {(list == PrepList::Policy).then(|| view! { <CopyDefaults/> })}
                {move || if adding.get() {
                    view! { <ItemForm list=list id=new_id() known=None done=Callback::new(move |_| adding.set(false))/> }.into_any()
                } else {
                    view! { <button type="button" on:click=move |_| adding.set(true)>{t(add_label(list))}</button> }.into_any()
                }}
            </Show>
        </section>
    }
}

#[component]
fn CopyDefaults() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let api = expect_context::<Api>();
    let outbox = expect_context::<Outbox>();
    let copy = Submission::new(move |()| async move {
        api.copy_policy_defaults(&ctx.target_id.get_untracked())
            .await
    });
    copy.on_done(move |_| outbox.stationing_changed.update(|c| *c += 1));
    view! {
        <button type="button" disabled=move || copy.pending() on:click=move |_| copy.send(Ok(()))>
            {t(StationMsg::CopyDefaults)}
        </button>
        <FormError error=copy.error()/>
    }
}

/// A row's state: waiting, refused, or in conflict with the server's version (both shown).
#[component]
fn WorkState(work: Option<StationWork>, mine: String) -> impl IntoView {
    let outbox = expect_context::<Outbox>();
    let lang = use_lang();
    let Some(w) = work else {
        return ().into_any();
    };
    let held = StoredValue::new(w.clone());
    match (&w.theirs, &w.refused) {
        (Some(theirs), _) => {
            let their_text = StoredValue::new(theirs.clone());
            view! {
                <div class="conflict" role="alert">
                    <p>{t(StationMsg::Conflict)}</p>
                    <p>
                        <strong>{t(StationMsg::TheirVersion)}</strong>
                        {move || {
                            let l = lang.get();
                            let text = match their_text.get_value() {
                                Theirs::Item(i) => item_text(&i.content, l),
                                Theirs::Visit(v) => visit_text(&v, l),
                            };
                            format!("{}{text}", l.colon())
                        }}
                    </p>
                    <p><strong>{t(StationMsg::MyVersion)}</strong>{move || format!("{}{mine}", lang.get().colon())}</p>
                    <button type="button" on:click=move |_| {
                        leptos::task::spawn_local(async move { let _ = outbox.keep_my_station_work(&held.get_value()).await; });
                    }>{t(StationMsg::KeepMine)}</button>
                    <button type="button" on:click=move |_| {
                        leptos::task::spawn_local(async move { let _ = outbox.discard_station_work(&held.get_value()).await; });
                    }>{t(StationMsg::TakeTheirs)}</button>
                </div>
            }
            .into_any()
        }
        (None, Some(reason)) => {
            let reason = reason.clone();
            view! {
                <p class="state refused" role="alert">
                    {move || format!("{}{}{reason}", StationMsg::NotSaved.text(lang.get()), lang.get().colon())}
                    <button type="button" on:click=move |_| {
                        leptos::task::spawn_local(async move { let _ = outbox.discard_station_work(&held.get_value()).await; });
                    }>{t(Msg::Discard)}</button>
                </p>
            }
            .into_any()
        }
        (None, None) => {
            view! { <span class="state waiting">{t(StationMsg::Pending)}</span> }.into_any()
        }
    }
}

#[component]
fn ItemRow(row: Row<PrepItem>) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let outbox = expect_context::<Outbox>();
    let lang = use_lang();
    let editing = RwSignal::new(false);
    let item = StoredValue::new(row.value.clone());
    let content = row.value.content.clone();
    let mine = item_text(&content, Lang::Zh);
    let origin = row.value.origin.clone();
    let added_by = row.value.created_by_name.clone();
    // What the office sent with its report: added at the desk, with a network, to an item the
    // server already holds.
    let attachments = (content.list() == PrepList::Information && row.value.version > 0).then(|| {
        view! {
            <Attachments kind="prep" owner_id=row.value.id.clone() files=row.value.files.clone()
                may_add=ctx.on_team label=CaseMsg::ReportFiles on_added=Callback::new(move |_| ctx.reload.update(|v| *v += 1))/>
        }
    });
    let remove = move |_| ctx.remove(outbox, item.get_value().id, StationChange::RemoveItem);
    view! {
        <li class="prep-item">
            <p>
                {move || item_text(&content, lang.get())}
                {(!origin.is_empty() || !added_by.is_empty()).then(|| {
                    let (origin, added_by) = (origin.clone(), added_by.clone());
                    view! { <span class="hint">{move || {
                        let l = lang.get();
                        let mut parts = vec![];
                        if !origin.is_empty() { parts.push(origin.clone()); }
                        if !added_by.is_empty() { parts.push(format!("{}{}{added_by}", StationMsg::AddedBy.text(l), l.colon())); }
                        format!(" · {}", parts.join(" · "))
                    }}</span> }
                })}
                " "
                <WorkState work=row.work.clone() mine=mine/>
            </p>
            {attachments}
            <Show when=move || ctx.on_team.get()>
                {move || if editing.get() {
                    let i = item.get_value();
                    view! { <ItemForm list=i.content.list() id=i.id.clone() known=Some(i) done=Callback::new(move |_| editing.set(false))/> }.into_any()
                } else {
                    view! {
                        <div class="row-actions">
                            <button type="button" on:click=move |_| editing.set(true)>{t(StationMsg::Edit)}</button>
                            <button type="button" on:click=remove>{t(StationMsg::Remove)}</button>
                        </div>
                    }.into_any()
                }}
            </Show>
        </li>
    }
}

/// What a policy says, in a target's list and in the county's default list alike.
#[component]
pub fn PolicyFields(
    area: RwSignal<String>,
    title: RwSignal<String>,
    evidence: RwSignal<String>,
    #[prop(into)] error: Signal<Option<AppError>>,
) -> impl IntoView {
    view! {
        <SelectField label=StationMsg::Area name="area" value=area error=error
            options=choices(PolicyArea::ALL, PolicyArea::as_str, PolicyArea::label)/>
        <TextField label=StationMsg::PolicyTitle name="title" value=title error=error/>
        <TextArea label=StationMsg::Evidence name="evidence" value=evidence error=error rows=2/>
    }
}

/// Adds or edits an item of one of the three lists, saved on the device and then sent.
#[component]
fn ItemForm(
    list: PrepList,
    id: String,
    known: Option<PrepItem>,
    done: Callback<()>,
) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let outbox = expect_context::<Outbox>();
    let lang = use_lang();
    let s = |v: &str| RwSignal::new(v.to_string());
    let (area, title, evidence) = (s(PolicyArea::Farming.as_str()), s(""), s(""));
    let (source, answered, summary) = (
        s(InfoSource::Discipline.as_str()),
        RwSignal::new(false),
        s(""),
    );
    let (problem, checklist, outcome, finding) = (s(""), s(""), s(Outcome::Open.as_str()), s(""));
    let visit_ids = RwSignal::new(Vec::<String>::new());
    let origin = s(known.as_ref().map_or("", |k| k.origin.as_str()));
    match known.as_ref().map(|k| &k.content) {
        Some(PrepContent::Policy {
            area: a,
            title: ti,
            evidence: e,
        }) => {
            area.set(a.as_str().into());
            title.set(ti.clone());
            evidence.set(e.clone());
        }
        Some(PrepContent::Information {
            source: so,
            answered: an,
            summary: su,
        }) => {
            source.set(so.as_str().into());
            answered.set(*an);
            summary.set(su.clone());
        }
        Some(PrepContent::Expected {
            problem: p,
            checklist_items,
            visit_ids: v,
            outcome: o,
            finding_id,
        }) => {
            problem.set(p.clone());
            checklist.set(checklist_items.join(", "));
            visit_ids.set(v.clone());
            outcome.set(o.as_str().into());
            finding.set(finding_id.clone().unwrap_or_default());
        }
        None => {}
    }
    let base = known.as_ref().and_then(|k| base_of(k.version));
    let id = StoredValue::new(id);
    let save = Submission::new(move |draft: PrepDraft| async move {
        outbox
            .queue_station(
                &ctx.target_id.get_untracked(),
                &id.get_value(),
                StationChange::Item(draft),
            )
            .await
    });
    save.on_done(move |_| done.run(()));
    let error = save.error();
    let findings = ctx.findings;
    // The checklist the team answers at this target, as kept on the device: the items an
    // expected problem names are checked against it while typing, with no signal too.
    let template = LocalResource::new(move || {
        let target = ctx.target_id.get();
        async move {
            store::all::<crate::offline::CachedRecord>(store::RECORDS)
                .await
                .unwrap_or_default()
                .into_iter()
                .find(|c| c.record.target_id.as_deref() == Some(target.as_str()))
                .map(|c| c.template)
        }
    });
    let typed_items = move || {
        checklist
            .get()
            .split([',', '，', '、', ' '])
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(String::from)
            .collect::<Vec<_>>()
    };
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let unknown = template.get_untracked().flatten().is_some_and(|tpl| {
            typed_items()
                .iter()
                .any(|id| tpl.content.item(id).is_none())
        });
        if list == PrepList::Expected && unknown {
            save.send(Err(xuncha_api::FieldError::new(
                "checklist_items",
                xuncha_api::Problem::UnknownReference,
            )
            .into()));
            return;
        }
        let content = match list {
            PrepList::Policy => PrepContent::Policy {
                area: PolicyArea::parse(&area.get_untracked()).unwrap_or(PolicyArea::Other),
                title: title.get_untracked(),
                evidence: evidence.get_untracked(),
            },
            PrepList::Information => PrepContent::Information {
                source: InfoSource::parse(&source.get_untracked()).unwrap_or(InfoSource::Township),
                answered: answered.get_untracked(),
                summary: summary.get_untracked(),
            },
            PrepList::Expected => {
                let outcome = Outcome::parse(&outcome.get_untracked()).unwrap_or(Outcome::Open);
                PrepContent::Expected {
                    problem: problem.get_untracked(),
                    checklist_items: typed_items(),
                    visit_ids: visit_ids.get_untracked(),
                    outcome,
                    finding_id: (outcome == Outcome::Confirmed)
                        .then(|| finding.get_untracked())
                        .filter(|f| !f.is_empty()),
                }
            }
        };
        save.send(Ok(PrepDraft {
            content,
            origin: origin.get_untracked(),
            base_version: base,
        }));
    };
    let answered_id = unique_id("answered");
    let finding_id = unique_id("finding");
    let fields = match list {
        PrepList::Policy => {
            view! { <PolicyFields area=area title=title evidence=evidence error=error/> }.into_any()
        }
        PrepList::Information => view! {
            <SelectField label=StationMsg::Source name="source" value=source error=error
                options=choices(InfoSource::ALL, InfoSource::as_str, InfoSource::label)/>
            <div class="field check">
                <input type="checkbox" id=answered_id.clone() prop:checked=move || answered.get()
                    on:change=move |ev| answered.set(event_target_checked(&ev))/>
                <label for=answered_id>{t(StationMsg::Answered)}</label>
            </div>
            <TextArea label=StationMsg::Summary name="summary" value=summary error=error rows=3/>
        }
        .into_any(),
        PrepList::Expected => view! {
            <TextField label=StationMsg::Problem name="problem" value=problem error=error/>
            <TextField label=StationMsg::ChecklistItems name="checklist_items" value=checklist error=error/>
            {move || {
                let tpl = template.get().flatten()?;
                let l = lang.get();
                let lines = typed_items()
                    .into_iter()
                    .map(|id| match tpl.content.item(&id) {
                        Some((_, item)) => view! { <li>{format!("{id} {}", item.prompt)}</li> }.into_any(),
                        None => view! { <li class="field-error">{format!("{id}{}{}", l.colon(), StationMsg::NoSuchItem.text(l))}</li> }.into_any(),
                    })
                    .collect_view();
                Some(view! { <ul class="hint checklist-items" aria-live="polite">{lines}</ul> })
            }}
            <fieldset class="present">
                <legend>{t(StationMsg::LinkedVisits)}</legend>
                {move || ctx.view_of.get().map(|v| v.visits.into_iter().map(|r| {
                    let vid = r.value.id.clone();
                    let checked = vid.clone();
                    view! {
                        <label class="check">
                            <input type="checkbox" prop:checked=move || visit_ids.with(|s| s.contains(&checked))
                                on:change=move |ev| {
                                    let on = event_target_checked(&ev);
                                    visit_ids.update(|s| { s.retain(|x| x != &vid); if on { s.push(vid.clone()); } });
                                }/>
                            {r.value.person_name.clone()}
                        </label>
                    }
                }).collect_view())}
            </fieldset>
            <SelectField label=StationMsg::Outcome name="outcome" value=outcome error=error
                options=choices(Outcome::ALL, Outcome::as_str, Outcome::label)/>
            <Show when=move || outcome.get() == Outcome::Confirmed.as_str()>
                <div class="field">
                    <label for=finding_id.clone()>{t(StationMsg::Finding)}</label>
                    <select id=finding_id.clone() name="finding_id" prop:value=move || finding.get()
                        on:change=move |ev| finding.set(event_target_value(&ev))>
                        <option value="">{t(StationMsg::NoFinding)}</option>
                        {move || match findings.get() {
                            Some(Ok(list)) => list.into_iter().map(|f| {
                                let fid = f.id.clone();
                                let selected = fid.clone();
                                view! { <option value=fid selected=move || finding.get() == selected>{f.title}</option> }
                            }).collect_view().into_any(),
                            // Offline the chosen finding stays chosen.
                            _ => {
                                let chosen = finding.get_untracked();
                                (!chosen.is_empty()).then(|| view! { <option value=chosen.clone() selected=true>{chosen.clone()}</option> }).into_any()
                            }
                        }}
                    </select>
                    {move || matches!(findings.get(), Some(Err(AppError::Network))).then(|| view! { <p class="hint">{t(StationMsg::FindingsOffline)}</p> })}
                    <p class="field-error" role="alert">{crate::components::field_message(error, "finding_id")}</p>
                </div>
            </Show>
        }
        .into_any(),
    };
    view! {
        <form class="prep-form" on:submit=submit novalidate aria-label=move || add_label(list).text(lang.get())>
            {fields}
            <TextField label=StationMsg::Origin name="origin" value=origin error=error/>
            <FormError error=error/>
            <div class="row-actions">
                <button type="submit" class="primary" disabled=move || save.pending()>{t(StationMsg::SaveItem)}</button>
                <button type="button" on:click=move |_| done.run(())>{t(StationMsg::Cancel)}</button>
            </div>
        </form>
    }
}

#[component]
fn VisitSection() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let rows = Memo::new(move |_| {
        ctx.view_of
            .with(|v| v.as_ref().map(|v| v.visits.clone()).unwrap_or_default())
    });
    let adding = RwSignal::new(false);
    view! {
        <section class="visit-list" aria-labelledby="visits-heading">
            <h3 id="visits-heading">{t(StationMsg::Visits)}</h3>
            {move || rows.with(Vec::is_empty).then(|| view! { <p class="hint">{t(StationMsg::NoVisits)}</p> })}
            <ol class="visits" hidden=move || rows.with(Vec::is_empty)>
                <For each=move || rows.get() key=row_key let:r>
                    <VisitRow row=r/>
                </For>
            </ol>
            <Show when=move || ctx.on_team.get()>
                {move || if adding.get() {
                    view! { <VisitForm id=new_id() known=None visiting=false done=Callback::new(move |_| adding.set(false))/> }.into_any()
                } else {
                    view! { <button type="button" on:click=move |_| adding.set(true)>{t(StationMsg::AddVisit)}</button> }.into_any()
                }}
            </Show>
        </section>
    }
}

/// What a visit turns into on this page: the visit, set by a visited row's 据此登记问题 (for
/// the finding form) or 登记为信访举报 (for the petition form), taken by the form it opens.
#[derive(Clone, Copy)]
pub struct FromVisit {
    pub finding: RwSignal<Option<Visited>>,
    pub petition: RwSignal<Option<Visited>>,
    pub clue: RwSignal<Option<Visited>>,
}

/// A visit made, as a form it opens takes it: which, whom, and what was said.
#[derive(Clone, Debug, PartialEq)]
pub struct Visited {
    pub id: String,
    pub person_name: String,
    pub note: String,
}

impl Default for FromVisit {
    fn default() -> FromVisit {
        FromVisit {
            finding: RwSignal::new(None),
            petition: RwSignal::new(None),
            clue: RwSignal::new(None),
        }
    }
}

/// Sets `to` to the visit and brings the form `form_id` into view.
fn open_from_visit(to: RwSignal<Option<Visited>>, v: &Visit, form_id: &str) {
    to.set(Some(Visited {
        id: v.id.clone(),
        person_name: v.person_name.clone(),
        note: v.note.clone(),
    }));
    if let Some(form) = document().get_element_by_id(form_id) {
        form.scroll_into_view();
    }
}

#[component]
fn VisitRow(row: Row<Visit>) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let outbox = expect_context::<Outbox>();
    let lang = use_lang();
    // None: not editing; Some(true): recording the visit; Some(false): editing the entry.
    let editing = RwSignal::new(None::<bool>);
    let visit = StoredValue::new(row.value.clone());
    let mine = visit_text(&row.value, Lang::Zh);
    let made = row.value.visited_on.is_some();
    let remove = move |_| ctx.remove(outbox, visit.get_value().id, StationChange::RemoveVisit);
    let from_visit = use_context::<FromVisit>();
    view! {
        <li class="visit" class:visited=made>
            <p>{move || visit_text(&visit.get_value(), lang.get())}" "<WorkState work=row.work.clone() mine=mine/></p>
            {move || {
                let titles = ctx.from_visits.with(|m| m.get(&visit.get_value().id).cloned())?;
                let l = lang.get();
                Some(view! { <p class="hint">{StationMsg::FindingsFromVisit.text(l)}{titles.join(l.list_sep())}</p> })
            }}
            <Show when=move || ctx.on_team.get()>
                {move || match editing.get() {
                    Some(visiting) => {
                        let v = visit.get_value();
                        view! { <VisitForm id=v.id.clone() known=Some(v) visiting=visiting done=Callback::new(move |_| editing.set(None))/> }.into_any()
                    }
                    None => view! {
                        <div class="row-actions">
                            {(!made).then(|| view! { <button type="button" class="primary" on:click=move |_| editing.set(Some(true))>{t(StationMsg::RecordVisit)}</button> })}
                            <button type="button" on:click=move |_| editing.set(Some(false))>{t(StationMsg::Edit)}</button>
                            <button type="button" on:click=remove>{t(StationMsg::Remove)}</button>
                            // What a villager said on the visit: a finding, or a petition taken down.
                            {(made && from_visit.is_some()).then(|| {
                                let FromVisit { finding, petition, clue } = from_visit.expect("checked");
                                view! {
                                    <button type="button" on:click=move |_| open_from_visit(finding, &visit.get_value(), "new-finding")>{t(CaseMsg::ToFinding)}</button>
                                    <button type="button" on:click=move |_| open_from_visit(petition, &visit.get_value(), "new-petition")>{t(StationMsg::VisitToPetition)}</button>
                                    <button type="button" on:click=move |_| open_from_visit(clue, &visit.get_value(), "new-clue")>{t(StationMsg::VisitToClue)}</button>
                                }
                            })}
                        </div>
                    }.into_any(),
                }}
            </Show>
        </li>
    }
}

/// Adds a person to the visit list, edits one, or records the visit (`visiting`: the day is
/// today and the one recording it went, unless changed).
#[component]
fn VisitForm(
    id: String,
    known: Option<Visit>,
    visiting: bool,
    done: Callback<()>,
) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let api = expect_context::<Api>();
    let outbox = expect_context::<Outbox>();
    let lang = use_lang();
    let k = known.clone();
    let text =
        |f: fn(&Visit) -> &String| RwSignal::new(k.as_ref().map(f).cloned().unwrap_or_default());
    let person = text(|v| &v.person_name);
    let category = text(|v| &v.category);
    let address = text(|v| &v.address);
    let note = text(|v| &v.note);
    let household = RwSignal::new(known.as_ref().is_none_or(|v| v.household));
    let today = chrono::Local::now().date_naive();
    let visited_on = RwSignal::new(
        known
            .as_ref()
            .and_then(|v| v.visited_on)
            .or(visiting.then_some(today))
            .map(|d| d.to_string())
            .unwrap_or_default(),
    );
    let me = api
        .session
        .with_untracked(|s| s.as_ref().map(|s| s.user.id.clone()))
        .unwrap_or_default();
    let mut went: Vec<String> = known
        .as_ref()
        .map(|v| v.visitors.iter().map(|p| p.user_id.clone()).collect())
        .unwrap_or_default();
    if visiting && went.is_empty() && !me.is_empty() {
        went.push(me);
    }
    let visitors = RwSignal::new(went);
    let base = known.as_ref().and_then(|v| base_of(v.version));
    let id = StoredValue::new(id);
    let save = Submission::new(move |draft: VisitDraft| async move {
        outbox
            .queue_station(
                &ctx.target_id.get_untracked(),
                &id.get_value(),
                StationChange::Visit(draft),
            )
            .await
    });
    save.on_done(move |_| done.run(()));
    let error = save.error();
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let day = parse_opt_date("visited_on", &visited_on.get_untracked());
        save.send(day.map(|visited_on| VisitDraft {
            person_name: person.get_untracked(),
            category: category.get_untracked(),
            household: household.get_untracked(),
            address: address.get_untracked(),
            // Nobody went on a visit not made.
            visitors: if visited_on.is_some() {
                visitors.get_untracked()
            } else {
                vec![]
            },
            visited_on,
            note: note.get_untracked(),
            base_version: base,
        }));
    };
    let household_id = unique_id("household");
    let label = if visiting {
        StationMsg::RecordVisit
    } else {
        StationMsg::AddVisit
    };
    view! {
        <form class="visit-form" on:submit=submit novalidate aria-label=move || label.text(lang.get())>
            <TextField label=StationMsg::Person name="person_name" value=person error=error/>
            <TextField label=StationMsg::Category name="category" value=category error=error/>
            <div class="field check">
                <input type="checkbox" id=household_id.clone() prop:checked=move || household.get()
                    on:change=move |ev| household.set(event_target_checked(&ev))/>
                <label for=household_id>{t(StationMsg::Household)}</label>
            </div>
            <TextField label=StationMsg::Address name="address" value=address error=error/>
            <TextField label=StationMsg::VisitedOn name="visited_on" kind="date" value=visited_on error=error/>
            <fieldset class="present">
                <legend>{t(StationMsg::Visitors)}</legend>
                {move || ctx.team.get().into_iter().map(|p| {
                    let uid = p.user_id.clone();
                    let checked = uid.clone();
                    view! {
                        <label class="check">
                            <input type="checkbox" prop:checked=move || visitors.with(|s| s.contains(&checked))
                                on:change=move |ev| {
                                    let on = event_target_checked(&ev);
                                    visitors.update(|s| { s.retain(|x| x != &uid); if on { s.push(uid.clone()); } });
                                }/>
                            {p.name}
                        </label>
                    }
                }).collect_view()}
                <p class="field-error" role="alert">{crate::components::field_message(error, "visitors")}</p>
            </fieldset>
            <TextArea label=StationMsg::VisitNote name="note" value=note error=error rows=3/>
            <FormError error=error/>
            <div class="row-actions">
                <button type="submit" class="primary" disabled=move || save.pending()>{t(StationMsg::SaveItem)}</button>
                <button type="button" on:click=move |_| done.run(())>{t(StationMsg::Cancel)}</button>
            </div>
        </form>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;
    use wasm_bindgen_test::wasm_bindgen_test;

    fn policy(title: &str, version: i64) -> PrepDraft {
        PrepDraft {
            content: PrepContent::Policy {
                area: PolicyArea::Farming,
                title: title.into(),
                evidence: String::new(),
            },
            origin: String::new(),
            base_version: base_of(version),
        }
    }

    fn visit(name: &str, visited: bool) -> VisitDraft {
        VisitDraft {
            person_name: name.into(),
            category: String::new(),
            household: true,
            address: String::new(),
            visited_on: visited.then(|| NaiveDate::from_ymd_opt(2026, 3, 10).unwrap()),
            visitors: if visited { vec!["u1".into()] } else { vec![] },
            note: String::new(),
            base_version: None,
        }
    }

    fn work(id: &str, change: StationChange, made_at: f64) -> StationWork {
        StationWork {
            target_id: "t".into(),
            id: id.into(),
            made_at,
            change,
            sent: vec![],
            theirs: None,
            refused: None,
        }
    }

    #[wasm_bindgen_test]
    fn the_device_s_changes_lie_over_the_kept_copy_and_the_figures_follow_them() {
        let team = [TalkInspector {
            user_id: "u1".into(),
            name: "张伟".into(),
        }];
        let mut kept_policy = local_item("t", "p1", &policy("耕地地力保护补贴", 0), None);
        kept_policy.version = 1;
        kept_policy.created_by_name = "王芳".into();
        let kept_visit = local_visit("t", "v1", &visit("村民甲", false), None, &team);
        let s = Stationing {
            target_id: "t".into(),
            station_start: None,
            station_end: None,
            policies: vec![kept_policy],
            information: vec![],
            expected: vec![],
            visits: vec![kept_visit],
            summary: StationingSummary::of(Some(20), &[], &[], (1, 0)),
        };
        let mut removal = work("v1", StationChange::RemoveVisit, 3.0);
        let w = [
            work(
                "p1",
                StationChange::Item(policy("耕地地力保护补贴发放到户", 1)),
                2.0,
            ),
            work("v2", StationChange::Visit(visit("村民乙", true)), 1.0),
            removal.clone(),
        ];
        let v = shown(&s, &w, &team);
        assert_eq!(v.policies.len(), 1);
        let p = &v.policies[0];
        assert!(
            matches!(&p.value.content, PrepContent::Policy { title, .. } if title == "耕地地力保护补贴发放到户")
        );
        assert_eq!(p.value.version, 1, "edited on the kept version");
        assert_eq!(p.value.created_by_name, "王芳", "who added it stays");
        assert!(p.work.is_some());
        // The removal waits out of sight; the new visit shows with its visitor's name.
        assert_eq!(v.visits.len(), 1);
        assert_eq!(v.visits[0].value.visitors[0].name, "张伟");
        assert_eq!(
            (v.summary.visits_planned, v.summary.households_visited),
            (1, 1)
        );
        assert_eq!(v.summary.households_to_visit, Some(2));
        assert_eq!(v.summary.on_the_spot, 1);
        assert_eq!((v.waiting, v.oldest), (3, Some(1.0)));
        // A refused removal shows the row again, with its reason.
        removal.refused = Some("无权限".into());
        let v = shown(&s, &[removal], &team);
        assert_eq!(v.visits.len(), 1);
        assert_eq!(v.visits[0].value.person_name, "村民甲");
        assert_eq!(v.waiting, 0);
    }
}
