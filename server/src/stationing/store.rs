//! A target's preparation lists and visits in the database: written by its team under ids
//! the devices choose, each edit made on the latest version, read by the team, the office and
//! discipline. The county's default policy list is the office's.

use std::collections::HashMap;

use serde_json::json;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};
use xuncha_api::stationing::{
    PolicyArea, PolicyDefault, PolicyDefaultDraft, PrepContent, PrepDraft, PrepItem, PrepList,
    Stationing, StationingSummary, Visit, VisitDraft,
};
use xuncha_api::talks::{AttachedFile, TalkInspector};
use xuncha_api::{FieldError, Problem};

use crate::access::{self, Actor, Grant, Object};
use crate::db::{self, Columns, Tx};
use crate::files::PREP_FILES;
use crate::{audit, Error, Result};

/// What a `PUT` under a device's id does, given what is stored under it.
#[derive(Debug, PartialEq)]
enum Step {
    /// A re-send of what is stored (its reply was lost): answered unchanged.
    Same,
    Insert,
    /// An edit of the stored version.
    Update(i64),
}

/// `stored` is the stored row's owner (its target), version and whether it says what the
/// draft says.
fn step(stored: Option<(&str, i64, bool)>, owner: &str, base: Option<i64>) -> Result<Step> {
    match stored {
        Some((o, ..)) if o != owner => Err(Error::taken("id")),
        Some((_, _, true)) => Ok(Step::Same),
        Some((_, v, false)) if base == Some(v) => Ok(Step::Update(v)),
        Some(_) => Err(stale()),
        // An edit of a row that is not there: never made, made under another id, or removed.
        None if base.is_some() => Err(Error::NotFound),
        None => Ok(Step::Insert),
    }
}

fn stale() -> Error {
    Error::Conflict(FieldError::new("base_version", Problem::Stale))
}

/// Inserted or updated: one row, or another request got there first.
fn one_row(affected: u64) -> Result<()> {
    if affected == 1 {
        Ok(())
    } else {
        Err(stale())
    }
}

fn item_from_row(r: &AnyRow) -> Result<PrepItem> {
    Ok(PrepItem {
        id: r.try_get("id")?,
        target_id: r.try_get("target_id")?,
        content: r.json("content")?,
        origin: r.try_get("origin")?,
        default_id: r.try_get("default_id")?,
        files: Vec::new(),
        version: r.try_get("version")?,
        created_by: r.try_get("created_by")?,
        created_by_name: r.try_get("display_name")?,
        created_at: r.timestamp("created_at")?,
        updated_at: r.timestamp("updated_at")?,
    })
}

const ITEMS: &str =
    "SELECT p.*, u.display_name FROM prep_items p JOIN users u ON u.id = p.created_by";

/// A target's items with their files, in two queries whatever the number of items.
async fn items(conn: &mut AnyConnection, target_id: &str) -> Result<Vec<PrepItem>> {
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "{ITEMS} WHERE p.target_id = $1 ORDER BY p.created_at, p.id"
    )))
    .bind(target_id)
    .fetch_all(&mut *conn)
    .await?;
    let mut items = rows.iter().map(item_from_row).collect::<Result<Vec<_>>>()?;
    let files = sqlx::query(
        "SELECT f.id, f.item_id, f.content_type, f.size FROM prep_files f \
         JOIN prep_items p ON p.id = f.item_id WHERE p.target_id = $1 ORDER BY f.created_at, f.id",
    )
    .bind(target_id)
    .fetch_all(conn)
    .await?;
    let mut by_item: HashMap<String, Vec<AttachedFile>> = HashMap::new();
    for r in &files {
        by_item
            .entry(r.try_get("item_id")?)
            .or_default()
            .push(crate::files::attached(r)?);
    }
    for item in &mut items {
        item.files = by_item.remove(&item.id).unwrap_or_default();
    }
    Ok(items)
}

async fn item(conn: &mut AnyConnection, id: &str) -> Result<Option<PrepItem>> {
    let row = sqlx::query(sqlx::AssertSqlSafe(format!("{ITEMS} WHERE p.id = $1")))
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?;
    let Some(mut item) = row.as_ref().map(item_from_row).transpose()? else {
        return Ok(None);
    };
    item.files = PREP_FILES.list(conn, id).await?;
    Ok(Some(item))
}

/// The names of a target's team, by user id.
async fn team_names(conn: &mut AnyConnection, target_id: &str) -> Result<HashMap<String, String>> {
    let rows: Vec<(String, String)> = sqlx::query_as(
        "SELECT u.id, u.display_name FROM team_members m JOIN targets t ON t.team_id = m.team_id \
         JOIN users u ON u.id = m.user_id WHERE t.id = $1",
    )
    .bind(target_id)
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().collect())
}

fn visit_from_row(r: &AnyRow, names: &HashMap<String, String>) -> Result<Visit> {
    let ids: Vec<String> = r.json("visitors")?;
    let mut visitors: Vec<TalkInspector> = ids
        .into_iter()
        .map(|id| TalkInspector {
            // One who left the team since keeps their visit, under their id.
            name: names.get(&id).cloned().unwrap_or_else(|| id.clone()),
            user_id: id,
        })
        .collect();
    visitors.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(Visit {
        id: r.try_get("id")?,
        target_id: r.try_get("target_id")?,
        person_name: r.try_get("person_name")?,
        category: r.try_get("category")?,
        household: r.try_get::<i64, _>("household")? != 0,
        address: r.try_get("address")?,
        visited_on: r.date_opt("visited_on")?,
        visitors,
        note: r.try_get("note")?,
        version: r.try_get("version")?,
        created_by_name: r.try_get("display_name")?,
        updated_at: r.timestamp("updated_at")?,
    })
}

const VISITS: &str = "SELECT v.*, u.display_name FROM visits v JOIN users u ON u.id = v.created_by";

/// The visits `filter` picks (`$1` bound to `key`): the list by who to see first, then done.
async fn visits(conn: &mut AnyConnection, filter: &str, key: &str) -> Result<Vec<Visit>> {
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "{VISITS} WHERE v.{filter} = $1 ORDER BY v.created_at, v.id"
    )))
    .bind(key)
    .fetch_all(&mut *conn)
    .await?;
    let Some(first) = rows.first() else {
        return Ok(Vec::new());
    };
    let target_id: String = first.try_get("target_id")?;
    let names = team_names(conn, &target_id).await?;
    rows.iter().map(|r| visit_from_row(r, &names)).collect()
}

/// A target's lists, visits and figures, for whoever may read them.
pub async fn read(conn: &mut AnyConnection, actor: &Actor, target_id: &str) -> Result<Stationing> {
    access::on_target(conn, actor, target_id, Object::Stationing, Grant::Read).await?;
    let (start, end, households): (Option<String>, Option<String>, Option<i64>) = sqlx::query_as(
        "SELECT t.station_start, t.station_end, o.households FROM targets t \
         JOIN orgs o ON o.id = t.org_id WHERE t.id = $1",
    )
    .bind(target_id)
    .fetch_one(&mut *conn)
    .await?;
    let all = items(conn, target_id).await?;
    let visits = visits(conn, "target_id", target_id).await?;
    let on_the_spot: (i64, i64) = sqlx::query_as(
        "SELECT COUNT(*), COALESCE(SUM(CASE WHEN status IN ('accepted', 'closed') THEN 1 ELSE 0 END), 0) \
         FROM rectification_tasks WHERE target_id = $1 AND kind = 'on_the_spot'",
    )
    .bind(target_id)
    .fetch_one(&mut *conn)
    .await?;
    let summary = StationingSummary::of(households, &all, &visits, on_the_spot);
    let of = |list: PrepList| -> Vec<PrepItem> {
        all.iter()
            .filter(|i| i.content.list() == list)
            .cloned()
            .collect()
    };
    Ok(Stationing {
        target_id: target_id.into(),
        station_start: start.as_deref().and_then(db::parse_date),
        station_end: end.as_deref().and_then(db::parse_date),
        policies: of(PrepList::Policy),
        information: of(PrepList::Information),
        expected: of(PrepList::Expected),
        visits,
        summary,
    })
}

/// What an item's links name must be of its own target: the visits that test it and the
/// finding that confirms it.
async fn check_links(
    conn: &mut AnyConnection,
    target_id: &str,
    content: &PrepContent,
) -> Result<()> {
    let PrepContent::Expected {
        checklist_items,
        visit_ids,
        finding_id,
        ..
    } = content
    else {
        return Ok(());
    };
    if !checklist_items.is_empty() {
        // An item the checklist does not have would test nothing, and a typo is found here
        // rather than at the end of the week.
        let template = crate::checklists::templates::for_target(conn, target_id).await?;
        if checklist_items
            .iter()
            .any(|id| template.content.item(id).is_none())
        {
            return Err(Error::invalid("checklist_items", Problem::UnknownReference));
        }
    }
    const VISIT: &str = "SELECT target_id FROM visits WHERE id = $1";
    for id in visit_ids {
        if !db::of_target(conn, VISIT, id, target_id).await? {
            return Err(Error::invalid("visit_ids", Problem::UnknownReference));
        }
    }
    if let Some(id) = finding_id {
        if !db::of_target(
            conn,
            "SELECT target_id FROM findings WHERE id = $1",
            id,
            target_id,
        )
        .await?
        {
            return Err(Error::invalid("finding_id", Problem::UnknownReference));
        }
    }
    Ok(())
}

fn outcome_of(content: &PrepContent) -> Option<&'static str> {
    match content {
        PrepContent::Expected { outcome, .. } => Some(outcome.as_str()),
        _ => None,
    }
}

fn finding_of(content: &PrepContent) -> Option<&str> {
    match content {
        PrepContent::Expected { finding_id, .. } => finding_id.as_deref(),
        _ => None,
    }
}

/// Adds an item to one of a target's lists, or edits one on its latest version. An item does
/// not move from one list to another.
pub async fn put_item(
    tx: &mut Tx<'_>,
    actor: &Actor,
    target_id: &str,
    item_id: &str,
    draft: &PrepDraft,
) -> Result<PrepItem> {
    access::on_target(tx, actor, target_id, Object::Stationing, Grant::Write).await?;
    xuncha_api::validate::client_id(item_id).map_err(|p| Error::invalid("id", p))?;
    draft.validate().map_err(Error::Invalid)?;
    let content = draft.content.tidy();
    let stored = item(tx, item_id).await?;
    if stored
        .as_ref()
        .is_some_and(|s| s.target_id == target_id && s.content.list() != content.list())
    {
        return Err(Error::invalid("list", Problem::NotAllowed));
    }
    let found = stored
        .as_ref()
        .map(|s| (s.target_id.as_str(), s.version, s.says(draft)));
    let text = serde_json::to_string(&content).map_err(anyhow::Error::from)?;
    let now = db::ts(db::now());
    let step = step(found, target_id, draft.base_version)?;
    // After the version check: an edit made on an old version is a conflict to show with the
    // stored item, even when what it links to has gone since.
    if step != Step::Same {
        check_links(tx, target_id, &content).await?;
    }
    let version = match step {
        Step::Same => return stored.ok_or(Error::NotFound),
        Step::Update(v) => {
            let affected = sqlx::query(
                "UPDATE prep_items SET content = $1, origin = $2, outcome = $3, finding_id = $4, \
                 version = version + 1, updated_at = $5 WHERE id = $6 AND version = $7",
            )
            .bind(&text)
            .bind(draft.origin.trim())
            .bind(outcome_of(&content))
            .bind(finding_of(&content))
            .bind(&now)
            .bind(item_id)
            .bind(v)
            .execute(&mut **tx)
            .await?
            .rows_affected();
            one_row(affected)?;
            v + 1
        }
        Step::Insert => {
            let affected = sqlx::query(
                "INSERT INTO prep_items (id, target_id, list, content, origin, outcome, \
                 finding_id, version, created_by, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, 1, $8, $9, $9) ON CONFLICT (id) DO NOTHING",
            )
            .bind(item_id)
            .bind(target_id)
            .bind(content.list().as_str())
            .bind(&text)
            .bind(draft.origin.trim())
            .bind(outcome_of(&content))
            .bind(finding_of(&content))
            .bind(&actor.id)
            .bind(&now)
            .execute(&mut **tx)
            .await?
            .rows_affected();
            if affected == 0 {
                // The same send at the same moment from a retry got there first.
                return match item(tx, item_id).await? {
                    Some(s) if s.target_id == target_id && s.says(draft) => Ok(s),
                    _ => Err(stale()),
                };
            }
            1
        }
    };
    audit::record(
        tx,
        Some(actor),
        "stationing.item_put",
        "prep_item",
        Some(item_id),
        json!({ "target_id": target_id, "list": content.list(), "version": version }),
    );
    item(tx, item_id).await?.ok_or(Error::NotFound)
}

/// What can be taken off a target's stationing: a list item, or a person on the visit list.
#[derive(Debug, Clone, Copy)]
pub enum Removable {
    Item,
    Visit,
}

impl Removable {
    fn table(self) -> &'static str {
        match self {
            Removable::Item => "prep_items",
            Removable::Visit => "visits",
        }
    }

    /// What refers to the row (`$1` its id, `$2` its target), put right before it goes: a
    /// finding or a clue written from a visit keeps what it says, not the visit (an edit of
    /// the clue would otherwise be refused for naming what is gone). An item's files go with
    /// it, in `remove` (the audit log keeps their hashes).
    fn references(self) -> &'static [&'static str] {
        match self {
            Removable::Item => &[],
            Removable::Visit => &[
                "UPDATE findings SET visit_id = NULL WHERE visit_id = $1 AND target_id = $2",
                "UPDATE clues SET source_id = NULL WHERE source = 'visit' AND source_id = $1 \
                 AND target_id = $2",
            ],
        }
    }

    fn object_type(self) -> &'static str {
        match self {
            Removable::Item => "prep_item",
            Removable::Visit => "visit",
        }
    }
}

/// Takes an item off a target's list, or a person off its visit list. Taking one already gone
/// is no error, so a re-send of the removal is safe.
pub async fn remove(
    tx: &mut Tx<'_>,
    actor: &Actor,
    what: Removable,
    target_id: &str,
    id: &str,
) -> Result<()> {
    access::on_target(tx, actor, target_id, Object::Stationing, Grant::Write).await?;
    if matches!(what, Removable::Item) {
        let of_target: Option<String> =
            sqlx::query_scalar("SELECT id FROM prep_items WHERE id = $1 AND target_id = $2")
                .bind(id)
                .bind(target_id)
                .fetch_optional(&mut **tx)
                .await?;
        if of_target.is_some() {
            PREP_FILES.remove_all(tx, id).await?;
        }
    }
    for sql in what.references() {
        sqlx::query(*sql)
            .bind(id)
            .bind(target_id)
            .execute(&mut **tx)
            .await?;
    }
    let removed = sqlx::query(sqlx::AssertSqlSafe(format!(
        "DELETE FROM {} WHERE id = $1 AND target_id = $2",
        what.table()
    )))
    .bind(id)
    .bind(target_id)
    .execute(&mut **tx)
    .await?
    .rows_affected();
    if removed > 0 && matches!(what, Removable::Visit) {
        unlink_visit(tx, target_id, id).await?;
    }
    if removed > 0 {
        let action = format!("stationing.{}_removed", what.object_type());
        audit::record(
            tx,
            Some(actor),
            &action,
            what.object_type(),
            Some(id),
            json!({ "target_id": target_id }),
        );
    }
    Ok(())
}

/// A removed visit no longer tests the expected problems that named it. Each such item is a
/// new version, so a teammate's offline edit made on the old one is shown as a conflict rather
/// than putting the removed visit back unseen.
async fn unlink_visit(tx: &mut Tx<'_>, target_id: &str, visit_id: &str) -> Result<()> {
    let now = db::ts(db::now());
    for mut item in items(tx, target_id).await? {
        let PrepContent::Expected { visit_ids, .. } = &mut item.content else {
            continue;
        };
        let before = visit_ids.len();
        visit_ids.retain(|v| v != visit_id);
        if visit_ids.len() == before {
            continue;
        }
        let text = serde_json::to_string(&item.content).map_err(anyhow::Error::from)?;
        let affected = sqlx::query(
            "UPDATE prep_items SET content = $1, version = version + 1, updated_at = $2 \
             WHERE id = $3 AND version = $4",
        )
        .bind(&text)
        .bind(&now)
        .bind(&item.id)
        .bind(item.version)
        .execute(&mut **tx)
        .await?
        .rows_affected();
        one_row(affected)?;
    }
    Ok(())
}

/// Copies the county's default policies into a target's policy list, each once: asked again
/// (a lost reply, a second inspector) it copies only what the office added since.
pub async fn copy_defaults(
    tx: &mut Tx<'_>,
    actor: &Actor,
    target_id: &str,
) -> Result<Vec<PrepItem>> {
    access::on_target(tx, actor, target_id, Object::Stationing, Grant::Write).await?;
    let now = db::ts(db::now());
    let mut copied = 0;
    for d in load_defaults(tx).await? {
        let content = PrepContent::Policy {
            area: d.area,
            title: d.title.clone(),
            evidence: d.evidence.clone(),
        };
        let text = serde_json::to_string(&content).map_err(anyhow::Error::from)?;
        copied += sqlx::query(
            "INSERT INTO prep_items (id, target_id, list, content, origin, default_id, version, \
             created_by, created_at, updated_at) \
             VALUES ($1, $2, 'policy', $3, '县默认清单', $4, 1, $5, $6, $6) \
             ON CONFLICT (target_id, default_id) DO NOTHING",
        )
        .bind(db::new_id())
        .bind(target_id)
        .bind(&text)
        .bind(&d.id)
        .bind(&actor.id)
        .bind(&now)
        .execute(&mut **tx)
        .await?
        .rows_affected();
    }
    if copied > 0 {
        audit::record(
            tx,
            Some(actor),
            "stationing.defaults_copied",
            "target",
            Some(target_id),
            json!({ "copied": copied }),
        );
    }
    Ok(items(tx, target_id)
        .await?
        .into_iter()
        .filter(|i| i.content.list() == PrepList::Policy)
        .collect())
}

/// Adds a person or household to a target's visit list, or edits one (ticks it visited) on
/// its latest version.
pub async fn put_visit(
    tx: &mut Tx<'_>,
    actor: &Actor,
    target_id: &str,
    visit_id: &str,
    draft: &VisitDraft,
) -> Result<Visit> {
    access::on_target(tx, actor, target_id, Object::Stationing, Grant::Write).await?;
    xuncha_api::validate::client_id(visit_id).map_err(|p| Error::invalid("id", p))?;
    draft.validate().map_err(Error::Invalid)?;
    let visitors = crate::talks::store::inspectors_on_team(tx, target_id, &draft.visitor_ids())
        .await
        .map_err(|e| match e {
            Error::Invalid(f) => Error::Invalid(FieldError::new("visitors", f.problem)),
            other => other,
        })?;
    let stored = visits(tx, "id", visit_id).await?.pop();
    let found = stored
        .as_ref()
        .map(|s| (s.target_id.as_str(), s.version, s.says(draft)));
    let visitors = serde_json::to_string(&visitors).map_err(anyhow::Error::from)?;
    let visited_on = draft.visited_on.map(db::date_text);
    let now = db::ts(db::now());
    let version = match step(found, target_id, draft.base_version)? {
        Step::Same => return stored.ok_or(Error::NotFound),
        Step::Update(v) => {
            let affected = sqlx::query(
                "UPDATE visits SET person_name = $1, category = $2, household = $3, address = $4, \
                 visited_on = $5, visitors = $6, note = $7, version = version + 1, updated_at = $8 \
                 WHERE id = $9 AND version = $10",
            )
            .bind(draft.person_name.trim())
            .bind(draft.category.trim())
            .bind(db::flag(draft.household))
            .bind(draft.address.trim())
            .bind(&visited_on)
            .bind(&visitors)
            .bind(draft.note.trim())
            .bind(&now)
            .bind(visit_id)
            .bind(v)
            .execute(&mut **tx)
            .await?
            .rows_affected();
            one_row(affected)?;
            v + 1
        }
        Step::Insert => {
            let affected = sqlx::query(
                "INSERT INTO visits (id, target_id, person_name, category, household, address, \
                 visited_on, visitors, note, version, created_by, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 1, $10, $11, $11) \
                 ON CONFLICT (id) DO NOTHING",
            )
            .bind(visit_id)
            .bind(target_id)
            .bind(draft.person_name.trim())
            .bind(draft.category.trim())
            .bind(db::flag(draft.household))
            .bind(draft.address.trim())
            .bind(&visited_on)
            .bind(&visitors)
            .bind(draft.note.trim())
            .bind(&actor.id)
            .bind(&now)
            .execute(&mut **tx)
            .await?
            .rows_affected();
            if affected == 0 {
                return match visits(tx, "id", visit_id).await?.pop() {
                    Some(s) if s.target_id == target_id && s.says(draft) => Ok(s),
                    _ => Err(stale()),
                };
            }
            1
        }
    };
    // Whom the team visits is its working paper: the log keeps that a visit changed, not who.
    audit::record(
        tx,
        Some(actor),
        "stationing.visit_put",
        "visit",
        Some(visit_id),
        json!({ "target_id": target_id, "version": version, "visited": draft.visited_on.is_some() }),
    );
    visits(tx, "id", visit_id)
        .await?
        .pop()
        .ok_or(Error::NotFound)
}

fn default_from_row(r: &AnyRow) -> Result<PolicyDefault> {
    Ok(PolicyDefault {
        id: r.try_get("id")?,
        area: r.enumerated("area", PolicyArea::parse)?,
        title: r.try_get("title")?,
        evidence: r.try_get("evidence")?,
        version: r.try_get("version")?,
        updated_at: r.timestamp("updated_at")?,
    })
}

async fn load_defaults(conn: &mut AnyConnection) -> Result<Vec<PolicyDefault>> {
    let rows = sqlx::query("SELECT * FROM policy_defaults ORDER BY area, created_at, id")
        .fetch_all(conn)
        .await?;
    rows.iter().map(default_from_row).collect()
}

/// The county's default policy list.
pub async fn defaults(conn: &mut AnyConnection, actor: &Actor) -> Result<Vec<PolicyDefault>> {
    access::on_office(actor, Object::PolicyDefaults, Grant::Read)?;
    load_defaults(conn).await
}

/// Adds a policy to the default list or edits one; targets copied before keep their copy.
pub async fn put_default(
    tx: &mut Tx<'_>,
    actor: &Actor,
    id: &str,
    draft: &PolicyDefaultDraft,
) -> Result<PolicyDefault> {
    access::on_office(actor, Object::PolicyDefaults, Grant::Write)?;
    xuncha_api::validate::client_id(id).map_err(|p| Error::invalid("id", p))?;
    draft.validate().map_err(Error::Invalid)?;
    let row = sqlx::query("SELECT * FROM policy_defaults WHERE id = $1")
        .bind(id)
        .fetch_optional(&mut **tx)
        .await?;
    let stored = row.as_ref().map(default_from_row).transpose()?;
    let found = stored.as_ref().map(|s| ("", s.version, s.says(draft)));
    let now = db::ts(db::now());
    let affected = match step(found, "", draft.base_version)? {
        Step::Same => return stored.ok_or(Error::NotFound),
        Step::Update(v) => sqlx::query(
            "UPDATE policy_defaults SET area = $1, title = $2, evidence = $3, \
             version = version + 1, updated_at = $4 WHERE id = $5 AND version = $6",
        )
        .bind(draft.area.as_str())
        .bind(draft.title.trim())
        .bind(draft.evidence.trim())
        .bind(&now)
        .bind(id)
        .bind(v),
        Step::Insert => sqlx::query(
            "INSERT INTO policy_defaults (id, area, title, evidence, version, created_at, \
             updated_at) VALUES ($5, $1, $2, $3, 1, $4, $4) ON CONFLICT (id) DO NOTHING",
        )
        .bind(draft.area.as_str())
        .bind(draft.title.trim())
        .bind(draft.evidence.trim())
        .bind(&now)
        .bind(id),
    }
    .execute(&mut **tx)
    .await?
    .rows_affected();
    one_row(affected)?;
    audit::record(
        tx,
        Some(actor),
        "stationing.default_put",
        "policy_default",
        Some(id),
        json!({ "title": draft.title.trim() }),
    );
    let row = sqlx::query("SELECT * FROM policy_defaults WHERE id = $1")
        .bind(id)
        .fetch_one(&mut **tx)
        .await?;
    default_from_row(&row)
}

/// The target of an item of the information list, for a file kept with it: 404 for an item
/// there is none of, and for one of another list (its files have no place).
async fn information_item(
    conn: &mut AnyConnection,
    actor: &Actor,
    item_id: &str,
    needed: Grant,
) -> Result<String> {
    access::role_may(actor, Object::Stationing, needed)?;
    let found: Option<(String, String)> =
        sqlx::query_as("SELECT target_id, list FROM prep_items WHERE id = $1")
            .bind(item_id)
            .fetch_optional(&mut *conn)
            .await?;
    let (target_id, list) = found.ok_or(Error::NotFound)?;
    access::on_target(conn, actor, &target_id, Object::Stationing, needed).await?;
    if list != PrepList::Information.as_str() {
        return Err(Error::invalid("list", Problem::NotAllowed));
    }
    Ok(target_id)
}

/// Keeps a file an office sent with what it reported (a 情况通报 scanned, an audit report in
/// PDF) with its item, under the device's id; a re-send stores nothing new. The SHA-256 of
/// what the server holds.
pub async fn add_file(
    tx: &mut Tx<'_>,
    actor: &Actor,
    item_id: &str,
    file_id: &str,
    content_type: &str,
    bytes: &[u8],
) -> Result<String> {
    let target_id = information_item(tx, actor, item_id, Grant::Write).await?;
    xuncha_api::validate::client_id(file_id).map_err(|p| Error::invalid("file_id", p))?;
    let file = crate::files::Upload::checked(content_type, bytes)?;
    if PREP_FILES
        .add(tx, &actor.id, item_id, file_id, &file)
        .await?
    {
        audit::record(
            tx,
            Some(actor),
            "stationing.file",
            "prep_item",
            Some(item_id),
            json!({ "target_id": target_id, "file_id": file_id, "size": bytes.len(), "sha256": file.sha }),
        );
    }
    Ok(file.sha)
}

/// A file kept with an item, for whoever may read the target's lists.
pub async fn file(
    conn: &mut AnyConnection,
    actor: &Actor,
    item_id: &str,
    file_id: &str,
) -> Result<crate::files::Stored> {
    information_item(conn, actor, item_id, Grant::Read).await?;
    PREP_FILES.stored(conn, item_id, file_id).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_put_inserts_resends_edits_or_is_refused() {
        assert_eq!(step(None, "t", None).unwrap(), Step::Insert);
        assert!(matches!(step(None, "t", Some(1)), Err(Error::NotFound)));
        assert_eq!(
            step(Some(("t", 2, true)), "t", Some(1)).unwrap(),
            Step::Same
        );
        assert_eq!(
            step(Some(("t", 2, false)), "t", Some(2)).unwrap(),
            Step::Update(2)
        );
        assert!(
            matches!(step(Some(("t", 2, false)), "t", Some(1)), Err(Error::Conflict(f)) if f.problem == Problem::Stale)
        );
        assert!(matches!(
            step(Some(("t", 2, false)), "t", None),
            Err(Error::Conflict(_))
        ));
        assert!(
            matches!(step(Some(("u", 1, true)), "t", None), Err(Error::Conflict(f)) if f.field == "id")
        );
    }
}
