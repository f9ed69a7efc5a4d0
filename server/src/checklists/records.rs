//! Checklist records and their answers. Who may read and write one is the access module's
//! answer: an inspection record belongs to the team of its target, a self-check to its
//! organisation's liaison; the office and discipline read both.

use serde_json::json;
use sqlx::{AnyConnection, Row};
use xuncha_api::checklists::{
    submission_problems, Answer, Change, ChangesResult, ChecklistKind, Conflict, EvidenceInfo,
    Record, RecordStatus,
};
use xuncha_api::users::Role;
use xuncha_api::{FieldError, Problem, RowError};

use super::templates::{latest_published, template};
use crate::access::{self, Actor, Grant, Object, Relation};
use crate::db::Columns;
use crate::db::{self, Tx};
use crate::{audit, Error, Result};

fn object(kind: ChecklistKind) -> Object {
    match kind {
        ChecklistKind::Inspection => Object::InspectionRecord,
        ChecklistKind::SelfCheck => Object::SelfCheck,
    }
}

/// Who the actor is to a record: a team's record belongs to its target, a self-check to its
/// organisation.
async fn relation(
    conn: &mut AnyConnection,
    actor: &Actor,
    kind: ChecklistKind,
    org_id: &str,
    target_id: Option<&str>,
) -> Result<Relation> {
    match kind {
        ChecklistKind::Inspection => access::to_target(conn, actor, target_id.unwrap_or("")).await,
        ChecklistKind::SelfCheck => access::to_org(conn, actor, org_id).await,
    }
}

async fn load(conn: &mut AnyConnection, id: &str) -> Result<Record> {
    let r = sqlx::query(
        "SELECT c.*, t.version AS template_version FROM checklist_records c \
         JOIN checklist_templates t ON t.id = c.template_id WHERE c.id = $1",
    )
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?
    .ok_or(Error::NotFound)?;
    let answers = sqlx::query("SELECT item_id, value, note, version FROM checklist_answers WHERE record_id = $1 ORDER BY item_id")
        .bind(id)
        .fetch_all(&mut *conn)
        .await?
        .iter()
        .map(|a| {
            Ok(Answer {
                item_id: a.try_get("item_id")?,
                value: a.json_opt("value")?,
                note: a.try_get("note")?,
                version: a.try_get("version")?,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    let evidence = sqlx::query("SELECT id, item_id, content_type, size, sha256 FROM evidence WHERE record_id = $1 ORDER BY created_at")
        .bind(id)
        .fetch_all(&mut *conn)
        .await?
        .iter()
        .map(|e| {
            Ok(EvidenceInfo {
                id: e.try_get("id")?,
                item_id: e.try_get("item_id")?,
                content_type: e.try_get("content_type")?,
                size: e.try_get("size")?,
                sha256: e.try_get("sha256")?,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(Record {
        id: r.try_get("id")?,
        kind: r.enumerated("kind", ChecklistKind::parse)?,
        template_id: r.try_get("template_id")?,
        template_version: r.try_get("template_version")?,
        org_id: r.try_get("org_id")?,
        target_id: r.try_get("target_id")?,
        status: r.enumerated("status", RecordStatus::parse)?,
        return_reason: r.try_get("return_reason")?,
        version: r.try_get("version")?,
        answers,
        evidence,
        updated_at: r.timestamp("updated_at")?,
    })
}

/// A record if the actor has `needed` on it.
pub(super) async fn load_with(
    conn: &mut AnyConnection,
    actor: &Actor,
    id: &str,
    needed: Grant,
) -> Result<Record> {
    let r = load(conn, id).await?;
    let relation = relation(conn, actor, r.kind, &r.org_id, r.target_id.as_deref()).await?;
    access::require(actor, object(r.kind), relation, needed)?;
    Ok(r)
}

/// A record the actor may write and that is not submitted (locked until it is returned).
pub(super) async fn load_open_for_writing(
    conn: &mut AnyConnection,
    actor: &Actor,
    id: &str,
) -> Result<Record> {
    let record = load_with(conn, actor, id, Grant::Write).await?;
    if record.status == RecordStatus::Submitted {
        return Err(Error::Conflict(FieldError::new(
            "status",
            Problem::NotAllowed,
        )));
    }
    Ok(record)
}

pub async fn record(conn: &mut AnyConnection, actor: &Actor, id: &str) -> Result<Record> {
    load_with(conn, actor, id, Grant::Read).await
}

/// Finds the open record of a target (or the caller's self-check), creating it from the latest
/// published template when there is none.
pub async fn open(
    tx: &mut Tx<'_>,
    actor: &Actor,
    kind: ChecklistKind,
    target_id: Option<&str>,
) -> Result<Record> {
    let (org_id, target_id) = match kind {
        ChecklistKind::Inspection => {
            let target = target_id.ok_or_else(|| Error::invalid("target_id", Problem::Required))?;
            let org: Option<String> =
                sqlx::query_scalar("SELECT org_id FROM targets WHERE id = $1")
                    .bind(target)
                    .fetch_optional(&mut **tx)
                    .await?;
            (org.ok_or(Error::NotFound)?, Some(target.to_string()))
        }
        ChecklistKind::SelfCheck => {
            if actor.role != Role::Unit {
                return Err(Error::Forbidden);
            }
            (actor.org_id.clone().ok_or(Error::Forbidden)?, None)
        }
    };
    let relation = relation(tx, actor, kind, &org_id, target_id.as_deref()).await?;
    access::require(actor, object(kind), relation, Grant::Write)?;
    let existing: Option<String> = match &target_id {
        Some(t) => sqlx::query_scalar("SELECT id FROM checklist_records WHERE target_id = $1")
            .bind(t)
            .fetch_optional(&mut **tx)
            .await?,
        None => sqlx::query_scalar(
            "SELECT id FROM checklist_records WHERE org_id = $1 AND kind = 'self_check' AND status <> 'submitted' \
             ORDER BY created_at DESC",
        )
        .bind(&org_id)
        .fetch_optional(&mut **tx)
        .await?,
    };
    if let Some(id) = existing {
        return load(tx, &id).await;
    }
    let template = latest_published(tx, kind).await?;
    let id = db::new_id();
    let now = db::ts(db::now());
    sqlx::query(
        "INSERT INTO checklist_records (id, kind, template_id, org_id, target_id, status, version, created_by, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, 'draft', 0, $6, $7, $7)",
    )
    .bind(&id)
    .bind(kind.as_str())
    .bind(&template.id)
    .bind(&org_id)
    .bind(&target_id)
    .bind(&actor.id)
    .bind(&now)
    .execute(&mut **tx)
    .await?;
    audit::record(
        tx,
        Some(actor),
        "checklist.open",
        "checklist",
        Some(&id),
        json!({ "template_id": template.id, "target_id": target_id }),
    );
    load(tx, &id).await
}

/// Whether the server's answer was written by one of the device's own earlier changes of the
/// item (it sent one, the reply was lost, the user changed the answer again).
async fn follows_own_change(tx: &mut Tx<'_>, record_id: &str, c: &Change) -> Result<bool> {
    if c.supersedes.is_empty() {
        return Ok(false);
    }
    let last: Option<Option<String>> = sqlx::query_scalar(
        "SELECT change_id FROM checklist_answers WHERE record_id = $1 AND item_id = $2",
    )
    .bind(record_id)
    .bind(&c.item_id)
    .fetch_optional(&mut **tx)
    .await?;
    Ok(last
        .flatten()
        .is_some_and(|last| c.supersedes.contains(&last)))
}

/// The most changes one batch may carry (a record has a few dozen items; a phone sends what
/// it holds in one go).
pub const CHANGES_MAX: usize = 1000;

/// What a change says, as a short hash: its item's value and note.
fn change_digest(c: &Change) -> String {
    use sha2::{Digest, Sha256};
    let said = serde_json::json!([c.value, c.note.trim()]);
    hex::encode(Sha256::digest(said.to_string().as_bytes()))
}

/// Applies changes made on a device: each at most once, and none over an answer that changed
/// on the server since the device last saw it (unless the user chose to overwrite).
pub async fn apply_changes(
    tx: &mut Tx<'_>,
    actor: &Actor,
    id: &str,
    changes: &[Change],
) -> Result<ChangesResult> {
    // Take the record's row first, so concurrent batches for it queue up.
    sqlx::query("UPDATE checklist_records SET updated_at = updated_at WHERE id = $1")
        .bind(id)
        .execute(&mut **tx)
        .await?;
    let record = load_with(tx, actor, id, Grant::Write).await?;
    let template = template(tx, &record.template_id).await?;

    xuncha_api::validate::at_most(changes, CHANGES_MAX)
        .map_err(|p| Error::invalid("changes", p))?;
    let mut errors = Vec::new();
    for (i, c) in changes.iter().enumerate() {
        if let Err(problem) = xuncha_api::validate::client_id(&c.change_id)
            .and_then(|()| xuncha_api::validate::at_most(&c.supersedes, Change::SUPERSEDES_MAX))
        {
            errors.push(RowError {
                row: i + 1,
                field: "change_id".into(),
                problem,
            });
            continue;
        }
        let problem = match template.content.item(&c.item_id) {
            None => Some(Problem::UnknownReference),
            Some((_, item)) => c.value.as_ref().and_then(|v| item.check(v).err()),
        };
        if let Some(problem) =
            problem.or_else(|| xuncha_api::validate::optional_text(&c.note, 2000).err())
        {
            errors.push(RowError {
                row: i + 1,
                field: c.item_id.clone(),
                problem,
            });
        }
    }
    if !errors.is_empty() {
        return Err(Error::BadRows(errors));
    }

    let mut version = record.version;
    let mut applied = Vec::new();
    let mut conflicts = Vec::new();
    let mut locked = false;
    for c in changes {
        let digest = change_digest(c);
        let done = sqlx::query(
            "SELECT record_id, item_id, digest FROM applied_changes WHERE change_id = $1",
        )
        .bind(&c.change_id)
        .fetch_optional(&mut **tx)
        .await?;
        if let Some(done) = done {
            // A retry carries the same change; another change under a used id would be lost
            // without a word if it were taken as one.
            let same = done.try_get::<String, _>("record_id")? == id
                && done
                    .try_get::<Option<String>, _>("item_id")?
                    .is_none_or(|item| item == c.item_id)
                && done
                    .try_get::<Option<String>, _>("digest")?
                    .is_none_or(|d| d == digest);
            if !same {
                return Err(Error::Conflict(FieldError::new(
                    "change_id",
                    Problem::Taken,
                )));
            }
            applied.push(c.change_id.clone());
            continue;
        }
        if matches!(record.status, RecordStatus::Submitted) {
            locked = true;
            continue;
        }
        let server = record.answers.iter().find(|a| a.item_id == c.item_id);
        if let Some(s) = server {
            if s.version > c.base_version
                && !c.overwrite
                && (s.value != c.value || s.note != c.note)
                && !follows_own_change(tx, id, c).await?
            {
                conflicts.push(Conflict {
                    change_id: c.change_id.clone(),
                    item_id: c.item_id.clone(),
                    server: s.clone(),
                });
                continue;
            }
        }
        version += 1;
        let value = c
            .value
            .as_ref()
            .map(|v| serde_json::to_string(v).unwrap_or_default());
        let now = db::ts(db::now());
        sqlx::query(
            "INSERT INTO checklist_answers (record_id, item_id, value, note, version, updated_by, updated_at, change_id) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
             ON CONFLICT (record_id, item_id) DO UPDATE SET value = $3, note = $4, version = $5, updated_by = $6, updated_at = $7, change_id = $8",
        )
        .bind(id)
        .bind(&c.item_id)
        .bind(&value)
        .bind(c.note.trim())
        .bind(version)
        .bind(&actor.id)
        .bind(&now)
        .bind(&c.change_id)
        .execute(&mut **tx)
        .await?;
        sqlx::query(
            "INSERT INTO applied_changes (change_id, record_id, applied_at, item_id, digest) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(&c.change_id)
        .bind(id)
        .bind(&now)
        .bind(&c.item_id)
        .bind(&digest)
        .execute(&mut **tx)
        .await?;
        applied.push(c.change_id.clone());
    }
    if locked {
        // A submitted record is locked until the team leader returns it.
        return Err(Error::Conflict(FieldError::new(
            "status",
            Problem::NotAllowed,
        )));
    }
    if version != record.version {
        sqlx::query("UPDATE checklist_records SET version = $1, updated_at = $2 WHERE id = $3")
            .bind(version)
            .bind(db::ts(db::now()))
            .bind(id)
            .execute(&mut **tx)
            .await?;
        audit::record(
            tx,
            Some(actor),
            "checklist.answer",
            "checklist",
            Some(id),
            json!({ "changes": applied.len(), "version": version }),
        );
    }
    Ok(ChangesResult {
        applied,
        conflicts,
        record: load(tx, id).await?,
    })
}

pub async fn submit(tx: &mut Tx<'_>, actor: &Actor, id: &str) -> Result<Record> {
    let record = load_open_for_writing(tx, actor, id).await?;
    let template = template(tx, &record.template_id).await?;
    let evidence: Vec<String> =
        sqlx::query_scalar("SELECT DISTINCT item_id FROM evidence WHERE record_id = $1")
            .bind(id)
            .fetch_all(&mut **tx)
            .await?;
    let problems = submission_problems(&template.content, &record.answers, &evidence);
    if !problems.is_empty() {
        return Err(Error::BadRows(
            problems
                .into_iter()
                .enumerate()
                .map(|(i, (field, problem))| RowError {
                    row: i + 1,
                    field,
                    problem,
                })
                .collect(),
        ));
    }
    set_status(tx, id, RecordStatus::Submitted, "").await?;
    audit::record(
        tx,
        Some(actor),
        "checklist.submit",
        "checklist",
        Some(id),
        json!({ "version": record.version }),
    );
    load(tx, id).await
}

pub async fn return_record(
    tx: &mut Tx<'_>,
    actor: &Actor,
    id: &str,
    reason: &str,
) -> Result<Record> {
    let record = load_with(tx, actor, id, Grant::Lead).await?;
    xuncha_api::validate::required_text(reason, 500).map_err(|p| Error::invalid("reason", p))?;
    if record.status != RecordStatus::Submitted {
        return Err(Error::Conflict(FieldError::new(
            "status",
            Problem::NotAllowed,
        )));
    }
    set_status(tx, id, RecordStatus::Returned, reason.trim()).await?;
    audit::record(
        tx,
        Some(actor),
        "checklist.return",
        "checklist",
        Some(id),
        json!({ "reason": reason }),
    );
    load(tx, id).await
}

async fn set_status(tx: &mut Tx<'_>, id: &str, status: RecordStatus, reason: &str) -> Result<()> {
    sqlx::query("UPDATE checklist_records SET status = $1, return_reason = $2, updated_at = $3 WHERE id = $4")
        .bind(status.as_str())
        .bind(reason)
        .bind(db::ts(db::now()))
        .bind(id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}
