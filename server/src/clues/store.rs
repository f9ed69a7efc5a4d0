//! Clues in the database: recorded and proposed by the target's team, returned or referred by
//! the office, handled by discipline; each move a history line and an audit entry, every read
//! of their content logged.

use chrono::NaiveDate;
use serde_json::json;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};
use xuncha_api::clues::{
    Clue, ClueDraft, ClueEvent, ClueResult, ClueSource, ClueStatus, Disposal, Handling, MoveClue,
};
use xuncha_api::findings::Severity;
use xuncha_api::{FieldError, Problem};

use crate::access::{self, Access, Actor, Grant, Object, Relation};
use crate::db::{self, Columns, Tx};
use crate::restricted::CLUE;
use crate::{audit, Error, Result};

const SELECT: &str = "SELECT c.*, o.name AS org_name, r.number AS referral_number FROM clues c \
     JOIN targets t ON t.id = c.target_id JOIN orgs o ON o.id = t.org_id \
     LEFT JOIN referrals r ON r.id = c.referral_id";

fn from_row(r: &AnyRow) -> Result<Clue> {
    Ok(Clue {
        id: r.try_get("id")?,
        target_id: r.try_get("target_id")?,
        org_name: r.try_get("org_name")?,
        person_name: r.try_get("person_name")?,
        person_post: r.try_get("person_post")?,
        person_org: r.try_get("person_org")?,
        matter: r.try_get("matter")?,
        matter_when: r.try_get("matter_when")?,
        amount_yuan: r.try_get("amount_yuan")?,
        source: r.enumerated("source", ClueSource::parse)?,
        source_id: r.try_get("source_id")?,
        seriousness: r.enumerated("seriousness", Severity::parse)?,
        status: r.enumerated("status", ClueStatus::parse)?,
        disposal: r.enumerated_opt("disposal", Disposal::parse)?,
        result: r.enumerated_opt("result", ClueResult::parse)?,
        feedback_on: r.date_opt("feedback_on")?,
        referral_id: r.try_get("referral_id")?,
        referral_number: r.try_get("referral_number")?,
        version: r.try_get("version")?,
        created_by: r.try_get("created_by")?,
        created_at: r.timestamp("created_at")?,
        updated_at: r.timestamp("updated_at")?,
        files: Vec::new(),
        events: Vec::new(),
    })
}

/// Clues by a `WHERE` clause over `c` with `$1` bound to `key`.
pub(crate) async fn load(
    conn: &mut AnyConnection,
    filter: &'static str,
    key: &str,
) -> Result<Vec<Clue>> {
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "{SELECT} WHERE {filter} ORDER BY c.created_at"
    )))
    .bind(key)
    .fetch_all(conn)
    .await?;
    rows.iter().map(from_row).collect()
}

/// One clue with its files and story.
async fn full(conn: &mut AnyConnection, id: &str) -> Result<Option<Clue>> {
    let Some(mut clue) = load(conn, "c.id = $1", id).await?.pop() else {
        return Ok(None);
    };
    clue.files = CLUE.files.list(conn, id).await?;
    clue.events = sqlx::query(
        "SELECT e.*, u.display_name FROM clue_events e JOIN users u ON u.id = e.actor_id \
         WHERE e.clue_id = $1 ORDER BY e.at, e.id",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?
    .iter()
    .map(|r| {
        Ok(ClueEvent {
            at: r.timestamp("at")?,
            actor_name: r.try_get("display_name")?,
            from_status: r.enumerated_opt("from_status", ClueStatus::parse)?,
            to_status: r.enumerated("to_status", ClueStatus::parse)?,
            disposal: r.enumerated_opt("disposal", Disposal::parse)?,
            result: r.enumerated_opt("result", ClueResult::parse)?,
            on_date: r.date_opt("on_date")?,
            note: r.try_get("note")?,
        })
    })
    .collect::<Result<_>>()?;
    Ok(Some(clue))
}

/// The clue's target and the actor's access there.
async fn access_to(
    conn: &mut AnyConnection,
    actor: &Actor,
    id: &str,
    needed: Grant,
) -> Result<(String, Access)> {
    CLUE.access(conn, actor, id, needed).await
}

fn ids(clues: &[Clue]) -> Vec<&str> {
    clues.iter().map(|c| c.id.as_str()).collect()
}

/// A target's clues; the read is logged.
pub async fn for_target(
    tx: &mut Tx<'_>,
    actor: &Actor,
    target_id: &str,
    endpoint: &str,
) -> Result<Vec<Clue>> {
    access::on_target(tx, actor, target_id, Object::Clue, Grant::Read).await?;
    let clues = load(tx, "c.target_id = $1", target_id).await?;
    audit::record_read(tx, actor, "clue", &ids(&clues), endpoint).await?;
    Ok(clues)
}

/// Every clue in a state, for the office's referral desk and discipline; the read is logged.
pub async fn by_status(
    tx: &mut Tx<'_>,
    actor: &Actor,
    status: ClueStatus,
    endpoint: &str,
) -> Result<Vec<Clue>> {
    access::on_office(actor, Object::Referral, Grant::Read)?;
    let clues = load(tx, "c.status = $1", status.as_str()).await?;
    audit::record_read(tx, actor, "clue", &ids(&clues), endpoint).await?;
    Ok(clues)
}

/// One clue with its files and story; the read is logged.
pub async fn get(tx: &mut Tx<'_>, actor: &Actor, id: &str, endpoint: &str) -> Result<Clue> {
    access_to(tx, actor, id, Grant::Read).await?;
    let clue = full(tx, id).await?.ok_or(Error::NotFound)?;
    audit::record_read(tx, actor, "clue", &[id], endpoint).await?;
    Ok(clue)
}

async fn source_belongs(
    conn: &mut AnyConnection,
    target_id: &str,
    draft: &ClueDraft,
) -> Result<()> {
    let Some(source_id) = &draft.source_id else {
        return Ok(());
    };
    let sql = match draft.source {
        ClueSource::Talk => "SELECT target_id FROM talks WHERE id = $1",
        ClueSource::Finding => "SELECT target_id FROM findings WHERE id = $1",
        ClueSource::Checklist => "SELECT target_id FROM checklist_records WHERE id = $1",
        ClueSource::Petition => "SELECT target_id FROM petitions WHERE id = $1",
        ClueSource::Visit => "SELECT target_id FROM visits WHERE id = $1",
        ClueSource::Other => return Ok(()),
    };
    if db::of_target(conn, sql, source_id, target_id).await? {
        Ok(())
    } else {
        Err(Error::invalid("source_id", Problem::UnknownReference))
    }
}

/// Records a clue, or an edit of one still with the team (已登记) on its latest version.
pub async fn put(
    tx: &mut Tx<'_>,
    actor: &Actor,
    target_id: &str,
    id: &str,
    draft: &ClueDraft,
) -> Result<Clue> {
    let access = access::on_target(tx, actor, target_id, Object::Clue, Grant::Write).await?;
    if !on_team(access) {
        return Err(Error::Forbidden);
    }
    xuncha_api::validate::client_id(id).map_err(|p| Error::invalid("id", p))?;
    draft.validate().map_err(Error::Invalid)?;
    source_belongs(tx, target_id, draft).await?;
    let now = db::ts(db::now());
    let stored = load(tx, "c.id = $1", id).await?.pop();
    match &stored {
        Some(c) if c.target_id != target_id => {
            return Err(Error::Conflict(FieldError::new("id", Problem::Taken)));
        }
        Some(c) if c.says(draft) => return full(tx, id).await?.ok_or(Error::NotFound),
        Some(c) if c.status != ClueStatus::Draft => {
            // Proposed or referred: the team reads it, the text is no longer the team's.
            return Err(Error::Conflict(FieldError::new(
                "status",
                Problem::NotAllowed,
            )));
        }
        Some(c) if draft.base_version != Some(c.version) => {
            return Err(Error::Conflict(FieldError::new(
                "base_version",
                Problem::Stale,
            )));
        }
        Some(c) => {
            let updated = sqlx::query(
                "UPDATE clues SET person_name = $1, person_post = $2, person_org = $3, matter = $4, \
                 matter_when = $5, amount_yuan = $6, source = $7, source_id = $8, seriousness = $9, \
                 version = version + 1, updated_at = $10 \
                 WHERE id = $11 AND version = $12 AND status = 'draft'",
            )
            .bind(draft.person_name.trim())
            .bind(draft.person_post.trim())
            .bind(draft.person_org.trim())
            .bind(draft.matter.trim())
            .bind(draft.matter_when.trim())
            .bind(draft.amount_yuan)
            .bind(draft.source.as_str())
            .bind(&draft.source_id)
            .bind(draft.seriousness.as_str())
            .bind(&now)
            .bind(id)
            .bind(c.version)
            .execute(&mut **tx)
            .await?
            .rows_affected();
            if updated == 0 {
                return Err(Error::Conflict(FieldError::new(
                    "base_version",
                    Problem::Stale,
                )));
            }
            audit::record(
                tx,
                Some(actor),
                "clue.update",
                "clue",
                Some(id),
                json!({ "version": c.version + 1 }),
            );
        }
        None => {
            if draft.base_version.is_some() {
                return Err(Error::NotFound);
            }
            let inserted = sqlx::query(
                "INSERT INTO clues (id, target_id, person_name, person_post, person_org, matter, \
                 matter_when, amount_yuan, source, source_id, seriousness, status, version, \
                 created_by, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 'draft', 1, $12, $13, $13) \
                 ON CONFLICT (id) DO NOTHING",
            )
            .bind(id)
            .bind(target_id)
            .bind(draft.person_name.trim())
            .bind(draft.person_post.trim())
            .bind(draft.person_org.trim())
            .bind(draft.matter.trim())
            .bind(draft.matter_when.trim())
            .bind(draft.amount_yuan)
            .bind(draft.source.as_str())
            .bind(&draft.source_id)
            .bind(draft.seriousness.as_str())
            .bind(&actor.id)
            .bind(&now)
            .execute(&mut **tx)
            .await?
            .rows_affected();
            if inserted == 0 {
                return Err(Error::Conflict(FieldError::new("id", Problem::Taken)));
            }
            event(tx, actor, id, None, ClueStatus::Draft, None, None, None, "").await?;
            audit::record(
                tx,
                Some(actor),
                "clue.create",
                "clue",
                Some(id),
                json!({ "target_id": target_id, "source": draft.source, "seriousness": draft.seriousness }),
            );
        }
    }
    full(tx, id).await?.ok_or(Error::NotFound)
}

fn on_team(access: Access) -> bool {
    matches!(access.relation, Relation::Leader | Relation::Member)
}

/// A history line of a clue.
#[allow(clippy::too_many_arguments)]
pub(crate) async fn event(
    tx: &mut Tx<'_>,
    actor: &Actor,
    clue_id: &str,
    from: Option<ClueStatus>,
    to: ClueStatus,
    disposal: Option<Disposal>,
    result: Option<ClueResult>,
    on_date: Option<NaiveDate>,
    note: &str,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO clue_events (id, clue_id, at, actor_id, from_status, to_status, disposal, \
         result, on_date, note) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(db::new_id())
    .bind(clue_id)
    .bind(db::ts(db::now()))
    .bind(&actor.id)
    .bind(from.map(|s| s.as_str()))
    .bind(to.as_str())
    .bind(disposal.map(|d| d.as_str()))
    .bind(result.map(|r| r.as_str()))
    .bind(on_date.map(db::date_text))
    .bind(note.trim())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Moves a clue's status from `from` to `to` if it still stands there; of two moves made at
/// once only one happens.
pub(crate) async fn shift(
    tx: &mut Tx<'_>,
    clue_id: &str,
    from: ClueStatus,
    to: ClueStatus,
) -> Result<bool> {
    let moved =
        sqlx::query("UPDATE clues SET status = $1, updated_at = $2 WHERE id = $3 AND status = $4")
            .bind(to.as_str())
            .bind(db::ts(db::now()))
            .bind(clue_id)
            .bind(from.as_str())
            .execute(&mut **tx)
            .await?
            .rows_affected();
    Ok(moved == 1)
}

/// The leader proposes a clue for referral or takes it back; the office sends a proposed one
/// back to the team. Referring, accepting and handling have their own requests.
pub async fn move_to(tx: &mut Tx<'_>, actor: &Actor, id: &str, req: &MoveClue) -> Result<Clue> {
    let (_, access) = access_to(tx, actor, id, Grant::Write).await?;
    xuncha_api::validate::optional_text(&req.note, xuncha_api::clues::NOTE_MAX)
        .map_err(|p| Error::invalid("note", p))?;
    let clue = load(tx, "c.id = $1", id)
        .await?
        .pop()
        .ok_or(Error::NotFound)?;
    let leader = access.relation == Relation::Leader;
    let office = access.relation == Relation::Office;
    let (from, whose) = match req.to {
        ClueStatus::Proposed => (ClueStatus::Draft, leader),
        ClueStatus::Draft => (ClueStatus::Proposed, leader || office),
        _ => return Err(Error::invalid("to", Problem::NotAllowed)),
    };
    if !whose {
        return Err(Error::Forbidden);
    }
    if clue.status != from {
        return Err(Error::Conflict(FieldError::new(
            "status",
            Problem::NotAllowed,
        )));
    }
    if clue.referral_id.is_some() {
        // In a referral being assembled: the office takes it out of the referral first.
        return Err(Error::Conflict(FieldError::new(
            "status",
            Problem::NotAllowed,
        )));
    }
    if !shift(tx, id, clue.status, req.to).await? {
        return Err(Error::Conflict(FieldError::new(
            "status",
            Problem::NotAllowed,
        )));
    }
    event(
        tx,
        actor,
        id,
        Some(clue.status),
        req.to,
        None,
        None,
        None,
        &req.note,
    )
    .await?;
    audit::record(
        tx,
        Some(actor),
        "clue.move",
        "clue",
        Some(id),
        json!({ "from": clue.status, "to": req.to }),
    );
    full(tx, id).await?.ok_or(Error::NotFound)
}

/// Discipline records how an accepted clue is handled, or what came of it, which concludes it.
pub async fn handle(tx: &mut Tx<'_>, actor: &Actor, id: &str, req: &Handling) -> Result<Clue> {
    let (_, access) = access_to(tx, actor, id, Grant::Write).await?;
    if access.relation != Relation::Discipline {
        return Err(Error::Forbidden);
    }
    req.validate().map_err(Error::Invalid)?;
    let clue = load(tx, "c.id = $1", id)
        .await?
        .pop()
        .ok_or(Error::NotFound)?;
    if !matches!(clue.status, ClueStatus::Accepted | ClueStatus::Handling) {
        return Err(Error::Conflict(FieldError::new(
            "status",
            Problem::NotAllowed,
        )));
    }
    let to = if req.result.is_some() {
        ClueStatus::Concluded
    } else {
        ClueStatus::Handling
    };
    let updated = sqlx::query(
        "UPDATE clues SET status = $1, disposal = COALESCE($2, disposal), result = $3, \
         feedback_on = $4, updated_at = $5 WHERE id = $6 AND status = $7",
    )
    .bind(to.as_str())
    .bind(req.disposal.map(|d| d.as_str()))
    .bind(req.result.map(|r| r.as_str()))
    .bind(req.result.map(|_| db::date_text(req.on_date)))
    .bind(db::ts(db::now()))
    .bind(id)
    .bind(clue.status.as_str())
    .execute(&mut **tx)
    .await?
    .rows_affected();
    if updated == 0 {
        return Err(Error::Conflict(FieldError::new(
            "status",
            Problem::NotAllowed,
        )));
    }
    event(
        tx,
        actor,
        id,
        Some(clue.status),
        to,
        req.disposal,
        req.result,
        Some(req.on_date),
        &req.note,
    )
    .await?;
    audit::record(
        tx,
        Some(actor),
        "clue.handle",
        "clue",
        Some(id),
        json!({ "disposal": req.disposal, "result": req.result, "on_date": req.on_date }),
    );
    full(tx, id).await?.ok_or(Error::NotFound)
}

/// Keeps a file with a clue still with the team; a re-send stores nothing new.
pub async fn add_file(
    tx: &mut Tx<'_>,
    actor: &Actor,
    id: &str,
    file_id: &str,
    content_type: &str,
    bytes: &[u8],
) -> Result<String> {
    let (_, access) = access_to(tx, actor, id, Grant::Write).await?;
    if !on_team(access) {
        return Err(Error::Forbidden);
    }
    xuncha_api::validate::client_id(file_id).map_err(|p| Error::invalid("file_id", p))?;
    let file = crate::files::Upload::checked(content_type, bytes)?;
    let sha = file.sha.clone();
    if CLUE.files.holds(tx, id, file_id, &sha).await? {
        return Ok(sha);
    }
    let status: String = sqlx::query_scalar("SELECT status FROM clues WHERE id = $1")
        .bind(id)
        .fetch_one(&mut **tx)
        .await?;
    if status != ClueStatus::Draft.as_str() {
        return Err(Error::Conflict(FieldError::new(
            "status",
            Problem::NotAllowed,
        )));
    }
    if CLUE.files.add(tx, &actor.id, id, file_id, &file).await? {
        audit::record(
            tx,
            Some(actor),
            "clue.file",
            "clue",
            Some(id),
            json!({ "file_id": file_id, "size": bytes.len(), "sha256": sha }),
        );
    }
    Ok(sha)
}

/// Clues by id, in the order asked, each once.
pub(crate) async fn many(conn: &mut AnyConnection, ids: &[String]) -> Result<Vec<Clue>> {
    let mut out: Vec<Clue> = Vec::new();
    for id in ids {
        if out.iter().any(|c| &c.id == id) {
            continue;
        }
        out.extend(load(conn, "c.id = $1", id).await?.pop());
    }
    Ok(out)
}
