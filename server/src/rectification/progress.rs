//! What the liaison reports on a task and the photos and files it sends, and the whole story
//! of one task for whoever has a part in it.

use serde_json::json;
use sqlx::{AnyConnection, Row};
use xuncha_api::rectification::{
    MoveTask, NewProgress, Progress, TaskDetail, TaskFile, TaskStatus,
};
use xuncha_api::{FieldError, Problem};

use super::tasks::{self, part, record_move, SELECT};
use crate::access::Actor;
use crate::db::Columns;
use crate::db::{self, Tx};
use crate::files::TASK_FILES;
use crate::{audit, Error, Result};

/// Only the responsible organisation's liaison reports, and only while the task is its to
/// work on; the first report starts the work (待整改 → 整改中).
async fn may_report(tx: &mut Tx<'_>, actor: &Actor, task_id: &str) -> Result<()> {
    let p = part(tx, actor, task_id).await?;
    if !p.own_unit() {
        return Err(Error::Forbidden);
    }
    match p.status {
        TaskStatus::InProgress => Ok(()),
        TaskStatus::Pending => {
            let start = MoveTask {
                to: TaskStatus::InProgress,
                reason: String::new(),
                public_text: String::new(),
            };
            // Another report may have started it a moment ago; that is as good.
            if record_move(tx, actor, task_id, TaskStatus::Pending, &start).await? {
                return Ok(());
            }
            match part(tx, actor, task_id).await?.status {
                TaskStatus::InProgress => Ok(()),
                _ => Err(Error::Conflict(FieldError::new(
                    "status",
                    Problem::NotAllowed,
                ))),
            }
        }
        _ => Err(Error::Conflict(FieldError::new(
            "status",
            Problem::NotAllowed,
        ))),
    }
}

pub async fn add_progress(
    tx: &mut Tx<'_>,
    actor: &Actor,
    task_id: &str,
    req: &NewProgress,
) -> Result<()> {
    req.validate().map_err(Error::Invalid)?;
    // A re-send is the same report for the same task; anything else under its id is refused.
    let stored_as_sent = |r: &sqlx::any::AnyRow| -> Result<bool> {
        Ok(r.try_get::<String, _>("task_id")? == task_id
            && r.try_get::<String, _>("note")? == req.note.trim())
    };
    let taken = || Error::Conflict(FieldError::new("id", Problem::Taken));
    let existing = sqlx::query("SELECT task_id, note FROM task_progress WHERE id = $1")
        .bind(&req.id)
        .fetch_optional(&mut **tx)
        .await?;
    if let Some(r) = existing {
        return if stored_as_sent(&r)? {
            part(tx, actor, task_id).await.map(|_| ())
        } else {
            Err(taken())
        };
    }
    may_report(tx, actor, task_id).await?;
    // Two tabs may send the same report at once: the second finds it there.
    let inserted = sqlx::query(
        "INSERT INTO task_progress (id, task_id, note, created_by, created_at) VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (id) DO NOTHING",
    )
    .bind(&req.id)
    .bind(task_id)
    .bind(req.note.trim())
    .bind(&actor.id)
    .bind(db::ts(db::now()))
    .execute(&mut **tx)
    .await?
    .rows_affected();
    if inserted == 0 {
        let r = sqlx::query("SELECT task_id, note FROM task_progress WHERE id = $1")
            .bind(&req.id)
            .fetch_one(&mut **tx)
            .await?;
        return if stored_as_sent(&r)? {
            Ok(())
        } else {
            Err(taken())
        };
    }
    sqlx::query("UPDATE rectification_tasks SET updated_at = $1 WHERE id = $2")
        .bind(db::ts(db::now()))
        .bind(task_id)
        .execute(&mut **tx)
        .await?;
    audit::record(
        tx,
        Some(actor),
        "task.progress",
        "task",
        Some(task_id),
        json!({ "progress_id": req.id }),
    );
    Ok(())
}

/// Stores a photo or file; the id comes from the phone, so a re-send stores nothing new.
pub async fn add_file(
    tx: &mut Tx<'_>,
    actor: &Actor,
    task_id: &str,
    file_id: &str,
    content_type: &str,
    bytes: &[u8],
) -> Result<String> {
    xuncha_api::validate::client_id(file_id).map_err(|p| Error::invalid("file_id", p))?;
    let file = crate::files::Upload::checked(content_type, bytes)?;
    let sha = file.sha.clone();
    // A re-send is answered for whoever reads the task, even once it has moved on.
    if TASK_FILES.holds(tx, task_id, file_id, &sha).await? {
        return part(tx, actor, task_id).await.map(|_| sha);
    }
    may_report(tx, actor, task_id).await?;
    if !TASK_FILES
        .add(tx, &actor.id, task_id, file_id, &file)
        .await?
    {
        // Sent twice at once: the other request stored it.
        return Ok(sha);
    }
    let now = db::ts(db::now());
    sqlx::query("UPDATE rectification_tasks SET updated_at = $1 WHERE id = $2")
        .bind(&now)
        .bind(task_id)
        .execute(&mut **tx)
        .await?;
    audit::record(
        tx,
        Some(actor),
        "task.file",
        "task",
        Some(task_id),
        json!({ "file_id": file_id, "size": bytes.len(), "sha256": sha }),
    );
    Ok(sha)
}

pub async fn file(
    conn: &mut AnyConnection,
    actor: &Actor,
    task_id: &str,
    file_id: &str,
) -> Result<crate::files::Stored> {
    part(conn, actor, task_id).await?;
    TASK_FILES.stored(conn, task_id, file_id).await
}

pub async fn detail(
    conn: &mut AnyConnection,
    actor: &Actor,
    task_id: &str,
    today: chrono::NaiveDate,
) -> Result<TaskDetail> {
    let events = tasks::history(conn, actor, task_id).await?;
    let r = sqlx::query(sqlx::AssertSqlSafe(format!("{SELECT} WHERE t.id = $1")))
        .bind(task_id)
        .fetch_one(&mut *conn)
        .await?;
    let task = tasks::task_seen_by(&r, actor, today)?;
    // The unit reads the task, not the team's working notes on the finding.
    let finding_description: String = if actor.role == xuncha_api::users::Role::Unit {
        String::new()
    } else {
        sqlx::query_scalar("SELECT description FROM findings WHERE id = $1")
            .bind(&task.finding_id)
            .fetch_one(&mut *conn)
            .await?
    };
    let progress = sqlx::query(
        "SELECT p.id, p.note, u.display_name, p.created_at FROM task_progress p \
         JOIN users u ON u.id = p.created_by WHERE p.task_id = $1 ORDER BY p.created_at, p.id",
    )
    .bind(task_id)
    .fetch_all(&mut *conn)
    .await?
    .iter()
    .map(|r| {
        Ok(Progress {
            id: r.try_get("id")?,
            note: r.try_get("note")?,
            by: r.try_get("display_name")?,
            at: r.timestamp("created_at")?,
        })
    })
    .collect::<Result<Vec<_>>>()?;
    let files = sqlx::query(
        "SELECT f.id, f.content_type, f.size, u.display_name, f.created_at FROM task_files f \
         JOIN users u ON u.id = f.created_by WHERE f.task_id = $1 ORDER BY f.created_at, f.id",
    )
    .bind(task_id)
    .fetch_all(&mut *conn)
    .await?
    .iter()
    .map(|r| {
        Ok(TaskFile {
            id: r.try_get("id")?,
            content_type: r.try_get("content_type")?,
            size: r.try_get::<i64, _>("size")? as u64,
            by: r.try_get("display_name")?,
            at: r.timestamp("created_at")?,
        })
    })
    .collect::<Result<Vec<_>>>()?;
    Ok(TaskDetail {
        task,
        finding_description,
        events,
        progress,
        files,
    })
}
