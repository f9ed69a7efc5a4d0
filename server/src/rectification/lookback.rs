//! 回头看: at a follow-up target the team sees every earlier finding of the organisation and
//! where its tasks stand, and may reopen one with a new task (created like any other).

use chrono::NaiveDate;
use sqlx::{AnyConnection, Row};
use xuncha_api::rectification::EarlierFinding;

use super::tasks::{task_from, SELECT};
use crate::access::{self, Actor, Grant, Object};
use crate::{Error, Result};

pub async fn earlier_findings(
    conn: &mut AnyConnection,
    actor: &Actor,
    target_id: &str,
    today: NaiveDate,
) -> Result<Vec<EarlierFinding>> {
    access::on_target(conn, actor, target_id, Object::Finding, Grant::Read).await?;
    let here = sqlx::query(
        "SELECT tg.org_id, r.start_date FROM targets tg JOIN rounds r ON r.id = tg.round_id WHERE tg.id = $1",
    )
    .bind(target_id)
    .fetch_optional(&mut *conn)
    .await?
    .ok_or(Error::NotFound)?;
    let org_id: String = here.try_get("org_id")?;
    let start: String = here.try_get("start_date")?;
    // Rounds that began before this one; a later round's findings are not "earlier".
    let findings = sqlx::query(
        "SELECT f.*, r.name AS round_name FROM findings f JOIN targets tg ON tg.id = f.target_id \
         JOIN rounds r ON r.id = tg.round_id \
         WHERE f.org_id = $1 AND f.target_id <> $2 AND r.start_date < $3 \
         ORDER BY r.start_date, f.created_at",
    )
    .bind(&org_id)
    .bind(target_id)
    .bind(&start)
    .fetch_all(&mut *conn)
    .await?;
    let mut out = Vec::new();
    for r in &findings {
        out.push(EarlierFinding {
            round_name: r.try_get("round_name")?,
            finding: crate::findings::from_row(r)?,
            tasks: Vec::new(),
        });
    }
    let tasks = sqlx::query(sqlx::AssertSqlSafe(format!(
        "{SELECT} WHERE t.org_id = $1 AND f.target_id <> $2 \
         AND f.target_id IN (SELECT tg.id FROM targets tg JOIN rounds r ON r.id = tg.round_id WHERE r.start_date < $3) \
         ORDER BY t.created_at, t.id"
    )))
    .bind(&org_id)
    .bind(target_id)
    .bind(&start)
    .fetch_all(&mut *conn)
    .await?;
    for r in &tasks {
        let task = task_from(r, today)?;
        if let Some(e) = out.iter_mut().find(|e| e.finding.id == task.finding_id) {
            e.tasks.push(task);
        }
    }
    Ok(out)
}
