//! The tasks themselves: creation from findings, the status rules and who may move what,
//! and the lists each role reads.

use chrono::{Datelike, Months, NaiveDate};
use serde_json::json;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};
use xuncha_api::findings::FindingSource;
use xuncha_api::rectification::{
    is_overdue, MoveTask, NewTask, Task, TaskEvent, TaskKind, TaskStatus,
};
use xuncha_api::users::Role;
use xuncha_api::{FieldError, Problem, RowError};

use crate::access::{self, Actor, Grant, Object, Relation};
use crate::db::{self, date_text, Columns, Tx};
use crate::{audit, Error, Result};

pub(crate) const SELECT: &str =
    "SELECT t.*, f.title AS finding_title, f.source AS finding_source, o.name AS org_name, \
     task_round.name AS round_name \
     FROM rectification_tasks t JOIN findings f ON f.id = t.finding_id JOIN orgs o ON o.id = t.org_id \
     JOIN targets task_target ON task_target.id = t.target_id \
     JOIN rounds task_round ON task_round.id = task_target.round_id";

/// What the inspected unit reads of a task: the wording of a petition or a private talk can
/// point at whoever spoke (举报人保护), in the title and in measures written after it, so the
/// unit gets the same plain words as the public page.
fn mask_for_unit(r: &AnyRow, task: &mut Task) -> Result<()> {
    if let Some(plain) = r
        .enumerated("finding_source", FindingSource::parse)?
        .plain_wording(xuncha_api::Lang::Zh)
    {
        task.finding_title = plain.problem.into();
        task.measures = plain.measures_todo.into();
    }
    Ok(())
}

/// A task row as the actor may read it: the unit's copy masked.
pub(crate) fn task_seen_by(r: &AnyRow, actor: &Actor, today: NaiveDate) -> Result<Task> {
    let mut task = task_from(r, today)?;
    if actor.role == Role::Unit {
        mask_for_unit(r, &mut task)?;
    }
    Ok(task)
}

pub(crate) fn task_from(r: &AnyRow, today: NaiveDate) -> Result<Task> {
    let status = r.enumerated("status", TaskStatus::parse)?;
    let deadline = r.date("deadline")?;
    Ok(Task {
        id: r.try_get("id")?,
        finding_id: r.try_get("finding_id")?,
        finding_title: r.try_get("finding_title")?,
        target_id: r.try_get("target_id")?,
        org_id: r.try_get("org_id")?,
        org_name: r.try_get("org_name")?,
        round_name: r.try_get("round_name")?,
        responsible_person: r.try_get("responsible_person")?,
        measures: r.try_get("measures")?,
        deadline,
        status,
        overdue: is_overdue(status, deadline, today),
        updated_at: r.timestamp("updated_at")?,
        kind: r.enumerated("kind", TaskKind::parse)?,
    })
}

/// Bulk creation from a/// Bulk creation from a 问题清单: all or none, every refused row named.
pub async fn create_tasks(
    tx: &mut Tx<'_>,
    actor: &Actor,
    target_id: &str,
    tasks: &[NewTask],
) -> Result<Vec<Task>> {
    // Tasks are made from the 问题清单 by those who write it: the target's team.
    access::on_target(tx, actor, target_id, Object::Finding, Grant::Write).await?;
    if tasks.is_empty() {
        return Err(Error::invalid("tasks", Problem::Required));
    }
    xuncha_api::validate::at_most(tasks, xuncha_api::validate::TASKS_MAX)
        .map_err(|p| Error::invalid("tasks", p))?;
    let target = sqlx::query(
        "SELECT tg.org_id, tg.station_start, tg.station_end, o.secretary, r.start_date \
         FROM targets tg JOIN orgs o ON o.id = tg.org_id \
         JOIN rounds r ON r.id = tg.round_id WHERE tg.id = $1",
    )
    .bind(target_id)
    .fetch_one(&mut **tx)
    .await?;
    let org_id: String = target.try_get("org_id")?;
    let secretary: String = target.try_get("secretary")?;
    // The first responsible person (第一责任人): as given, else the organisation's secretary.
    let person_of = |t: &NewTask| -> String {
        t.responsible_person
            .as_deref()
            .unwrap_or(&secretary)
            .trim()
            .to_string()
    };
    let round_start: String = target.try_get("start_date")?;
    let stationed = (
        target.date_opt("station_start")?,
        target.date_opt("station_end")?,
    );
    let today = chrono::Utc::now().date_naive();
    let mut errors = Vec::new();
    // Rows already created under their ids: a retry after a lost reply answers them again.
    let mut done = Vec::new();
    for (i, t) in tasks.iter().enumerate() {
        if let Some(id) = &t.id {
            if tasks[..i].iter().any(|o| o.id.as_ref() == Some(id)) {
                errors.push(RowError {
                    row: i + 1,
                    field: "id".into(),
                    problem: Problem::Taken,
                });
                continue;
            }
            if created_as(tx, id, target_id, t).await? {
                done.push(i);
                continue;
            }
        }
        if let Err(e) = t.validate() {
            errors.push(RowError {
                row: i + 1,
                field: e.field,
                problem: e.problem,
            });
            continue;
        }
        // A finding of this target, or an earlier one of the same organisation reopened in a
        // follow-up (回头看).
        let finding_org: Option<String> = sqlx::query_scalar(
            "SELECT f.org_id FROM findings f JOIN targets tg ON tg.id = f.target_id \
             JOIN rounds r ON r.id = tg.round_id WHERE f.id = $1 AND (f.target_id = $2 OR r.start_date < $3)",
        )
        .bind(&t.finding_id)
        .bind(target_id)
        .bind(&round_start)
        .fetch_optional(&mut **tx)
        .await?;
        if finding_org.as_deref() != Some(org_id.as_str()) {
            errors.push(RowError {
                row: i + 1,
                field: "finding_id".into(),
                problem: Problem::UnknownReference,
            });
        }
        // Within reach of a term; a deadline already passed is allowed (tasks entered after
        // the fact, 立行立改 already due), a year like 20260 is a typo.
        if let Some(d) = t.deadline {
            if d.year() < 2000 || d > today + Months::new(60) {
                errors.push(RowError {
                    row: i + 1,
                    field: "deadline".into(),
                    problem: Problem::NotAllowed,
                });
            }
        }
        if let Err(e) = on_the_spot(t, stationed) {
            errors.push(RowError {
                row: i + 1,
                field: e.field,
                problem: e.problem,
            });
        }
        if person_of(t).is_empty() {
            errors.push(RowError {
                row: i + 1,
                field: "responsible_person".into(),
                problem: Problem::Required,
            });
        }
    }
    if !errors.is_empty() {
        return Err(Error::BadRows(errors));
    }
    let now = db::ts(db::now());
    let mut ids = Vec::new();
    for (i, t) in tasks.iter().enumerate() {
        let id = t.id.clone().unwrap_or_else(db::new_id);
        if done.contains(&i) {
            ids.push(id);
            continue;
        }
        let deadline = match (t.kind, t.deadline, stationed.1) {
            (_, Some(d), _) => d,
            (TaskKind::OnTheSpot, None, Some(end)) => end,
            _ => today + Months::new(3),
        };
        let inserted = sqlx::query(
            "INSERT INTO rectification_tasks (id, finding_id, target_id, org_id, responsible_person, measures, deadline, status, \
               created_by, created_at, updated_at, kind) VALUES ($1, $2, $3, $4, $5, $6, $7, 'pending', $8, $9, $9, $10) \
             ON CONFLICT (id) DO NOTHING",
        )
        .bind(&id)
        .bind(&t.finding_id)
        .bind(target_id)
        .bind(&org_id)
        .bind(person_of(t))
        .bind(t.measures.trim())
        .bind(date_text(deadline))
        .bind(&actor.id)
        .bind(&now)
        .bind(t.kind.as_str())
        .execute(&mut **tx)
        .await?
        .rows_affected();
        if inserted == 0 {
            // The same request, sent twice at once, created it a moment ago.
            if !created_as(tx, &id, target_id, t).await? {
                return Err(Error::Conflict(FieldError::new("id", Problem::Taken)));
            }
            ids.push(id);
            continue;
        }
        audit::record(
            tx,
            Some(actor),
            "task.create",
            "task",
            Some(&id),
            json!({ "finding_id": t.finding_id, "deadline": deadline, "kind": t.kind }),
        );
        ids.push(id);
    }
    let mut out = Vec::new();
    for id in ids {
        let r = sqlx::query(sqlx::AssertSqlSafe(format!("{SELECT} WHERE t.id = $1")))
            .bind(&id)
            .fetch_one(&mut **tx)
            .await?;
        out.push(task_from(&r, today)?);
    }
    Ok(out)
}

/// Whether a task was already created under `id` from this same row; a task under that id
/// made from something else is refused.
async fn created_as(tx: &mut Tx<'_>, id: &str, target_id: &str, t: &NewTask) -> Result<bool> {
    let Some(row) = sqlx::query(
        "SELECT target_id, finding_id, kind, measures FROM rectification_tasks WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(&mut **tx)
    .await?
    else {
        return Ok(false);
    };
    let same = row.try_get::<String, _>("target_id")? == target_id
        && row.try_get::<String, _>("finding_id")? == t.finding_id
        && row.try_get::<String, _>("kind")? == t.kind.as_str()
        && row.try_get::<String, _>("measures")? == t.measures.trim();
    if same {
        Ok(true)
    } else {
        Err(Error::Conflict(FieldError::new("id", Problem::Taken)))
    }
}

/// A 立行立改 task is fixed while the team is there: the target has a stationing period and
/// the deadline (its last day when none is given) falls within it.
fn on_the_spot(
    t: &NewTask,
    (start, end): (Option<NaiveDate>, Option<NaiveDate>),
) -> std::result::Result<(), FieldError> {
    if t.kind != TaskKind::OnTheSpot {
        return Ok(());
    }
    // Without a stationing period there is no "while the team is there".
    let (Some(start), Some(end)) = (start, end) else {
        return Err(FieldError::new("kind", Problem::NotAllowed));
    };
    match t.deadline {
        Some(d) if d < start || d > end => Err(FieldError::new("deadline", Problem::NotAllowed)),
        _ => Ok(()),
    }
}

/// The tasks of one target, for its team, the office and discipline.
pub async fn for_target(
    conn: &mut AnyConnection,
    actor: &Actor,
    target_id: &str,
    today: NaiveDate,
) -> Result<Vec<Task>> {
    // A target's tasks unmasked are a ledger's rows; the liaison reads its own through `mine`.
    access::on_target(conn, actor, target_id, Object::TaskLedger, Grant::Read).await?;
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "{SELECT} WHERE t.target_id = $1 ORDER BY t.deadline, t.id"
    )))
    .bind(target_id)
    .fetch_all(conn)
    .await?;
    rows.iter().map(|r| task_from(r, today)).collect()
}

/// A liaison's own organisation's tasks: the ones still to work on first, soonest deadline first.
pub async fn mine(conn: &mut AnyConnection, actor: &Actor, today: NaiveDate) -> Result<Vec<Task>> {
    actor.require(&[Role::Unit])?;
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "{SELECT} WHERE t.org_id = $1 \
         ORDER BY CASE WHEN t.status IN ('accepted', 'closed') THEN 1 ELSE 0 END, t.deadline, t.id"
    )))
    .bind(actor.org_id.as_deref().unwrap_or(""))
    .fetch_all(conn)
    .await?;
    rows.iter().map(|r| task_seen_by(r, actor, today)).collect()
}

/// Moves a task by the rules, each move by whom it belongs to.
pub async fn move_to(tx: &mut Tx<'_>, actor: &Actor, id: &str, req: &MoveTask) -> Result<Task> {
    let part = part(tx, actor, id).await?;
    let from = part.status;
    req.validate(from).map_err(Error::Invalid)?;
    let allowed = match (from, req.to) {
        (TaskStatus::Pending, TaskStatus::InProgress)
        | (TaskStatus::InProgress, TaskStatus::Submitted) => part.own_unit(),
        (TaskStatus::Submitted, TaskStatus::Accepted)
        | (TaskStatus::Submitted, TaskStatus::InProgress) => part.team(),
        (TaskStatus::Accepted, TaskStatus::Closed) => part.access.may(Grant::Lead),
        _ => false,
    };
    if !allowed {
        return Err(Error::Forbidden);
    }
    if req.to == TaskStatus::Submitted {
        // Done means shown: a report or a photo since the task was last returned.
        let since: Option<String> = sqlx::query_scalar(
            "SELECT MAX(at) FROM task_events WHERE task_id = $1 AND to_status = 'in_progress' AND from_status = 'submitted'",
        )
        .bind(id)
        .fetch_one(&mut **tx)
        .await?;
        let since = since.unwrap_or_default();
        let evidence: i64 = sqlx::query_scalar(
            "SELECT (SELECT COUNT(*) FROM task_progress WHERE task_id = $1 AND created_at > $2) \
                  + (SELECT COUNT(*) FROM task_files WHERE task_id = $1 AND created_at > $2)",
        )
        .bind(id)
        .bind(&since)
        .fetch_one(&mut **tx)
        .await?;
        if evidence == 0 {
            return Err(Error::invalid("progress", Problem::Required));
        }
    }
    if !record_move(tx, actor, id, from, req).await? {
        return Err(Error::Conflict(FieldError::new(
            "status",
            Problem::NotAllowed,
        )));
    }
    let row = sqlx::query(sqlx::AssertSqlSafe(format!("{SELECT} WHERE t.id = $1")))
        .bind(id)
        .fetch_one(&mut **tx)
        .await?;
    task_seen_by(&row, actor, chrono::Utc::now().date_naive())
}

/// Writes a move, its history line and its audit entry, if the task still stands at `from`:
/// of two moves made at once (an accept and a return, two closes) only one happens.
pub(crate) async fn record_move(
    tx: &mut Tx<'_>,
    actor: &Actor,
    id: &str,
    from: TaskStatus,
    req: &MoveTask,
) -> Result<bool> {
    let now = db::ts(db::now());
    let moved = sqlx::query(
        "UPDATE rectification_tasks SET status = $1, updated_at = $2, \
           public_text = CASE WHEN $1 = 'closed' THEN $5 ELSE public_text END \
         WHERE id = $3 AND status = $4",
    )
    .bind(req.to.as_str())
    .bind(&now)
    .bind(id)
    .bind(from.as_str())
    .bind(req.public_text.trim())
    .execute(&mut **tx)
    .await?
    .rows_affected();
    if moved != 1 {
        return Ok(false);
    }
    sqlx::query("INSERT INTO task_events (id, task_id, from_status, to_status, by_user, at, reason) VALUES ($1, $2, $3, $4, $5, $6, $7)")
        .bind(db::new_id())
        .bind(id)
        .bind(from.as_str())
        .bind(req.to.as_str())
        .bind(&actor.id)
        .bind(&now)
        .bind(req.reason.trim())
        .execute(&mut **tx)
        .await?;
    audit::record(
        tx,
        Some(actor),
        "task.move",
        "task",
        Some(id),
        json!({ "status": [from, req.to], "reason": req.reason, "public_text": req.public_text }),
    );
    Ok(true)
}

/// Who the actor is to a task.
pub(crate) struct Part {
    pub status: TaskStatus,
    pub access: access::Access,
}

impl Part {
    /// The liaison of the responsible organisation.
    pub fn own_unit(&self) -> bool {
        self.access.relation == Relation::Liaison
    }

    /// On the team of the task's target.
    pub fn team(&self) -> bool {
        matches!(self.access.relation, Relation::Leader | Relation::Member)
    }
}

pub(crate) async fn part(conn: &mut AnyConnection, actor: &Actor, id: &str) -> Result<Part> {
    let r = sqlx::query("SELECT status, target_id FROM rectification_tasks WHERE id = $1")
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(Error::NotFound)?;
    let status = r.enumerated("status", TaskStatus::parse)?;
    let target_id: String = r.try_get("target_id")?;
    Ok(Part {
        status,
        access: access::on_target(conn, actor, &target_id, Object::Task, Grant::Read).await?,
    })
}

/// Every move of a task. The unit reads who moved it as a role (巡察组, 巡察办), never the name
/// of an inspector or of office staff; its own liaisons it knows by name.
pub async fn history(conn: &mut AnyConnection, actor: &Actor, id: &str) -> Result<Vec<TaskEvent>> {
    part(conn, actor, id).await?;
    let rows = sqlx::query(
        "SELECT e.from_status, e.to_status, u.display_name, u.role, e.at, e.reason FROM task_events e \
         JOIN users u ON u.id = e.by_user WHERE e.task_id = $1 ORDER BY e.at, e.id",
    )
    .bind(id)
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|e| {
            Ok(TaskEvent {
                from: e.enumerated("from_status", TaskStatus::parse)?,
                to: e.enumerated("to_status", TaskStatus::parse)?,
                by: match e.enumerated("role", Role::parse)? {
                    _ if actor.role != Role::Unit => e.try_get("display_name")?,
                    Role::Unit => e.try_get("display_name")?,
                    role => role.label(xuncha_api::Lang::Zh).to_string(),
                },
                at: e.timestamp("at")?,
                reason: e.try_get("reason")?,
            })
        })
        .collect()
}
