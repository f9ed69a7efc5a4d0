//! Findings (问题) of a target — its 问题清单. The team of the target records them; the office
//! and discipline read them; the inspected unit never does (rectification tasks reach it).

use axum::extract::State;
use serde_json::json;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};
use xuncha_api::checklists::FocusPoint;
use xuncha_api::findings::{Finding, FindingSource, NewFinding, Severity};
use xuncha_api::{FieldError, Problem};

use crate::access::{self, Actor, Grant, Object};
use crate::db::Columns;
use crate::db::{self, Tx};
use crate::extract::{Json, Path};
use crate::{audit, AppState, Error, Result};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list))
        .routes(routes!(record))
}

async fn require(
    conn: &mut AnyConnection,
    actor: &Actor,
    target_id: &str,
    needed: Grant,
) -> Result<()> {
    access::on_target(conn, actor, target_id, Object::Finding, needed)
        .await
        .map(|_| ())
}

pub(crate) fn from_row(r: &AnyRow) -> Result<Finding> {
    Ok(Finding {
        id: r.try_get("id")?,
        target_id: r.try_get("target_id")?,
        focus: r.enumerated("focus", FocusPoint::parse)?,
        title: r.try_get("title")?,
        description: r.try_get("description")?,
        severity: r.enumerated("severity", Severity::parse)?,
        source: r.enumerated("source", FindingSource::parse)?,
        record_id: r.try_get("record_id")?,
        item_id: r.try_get("item_id")?,
        talk_id: r.try_get("talk_id")?,
        visit_id: r.try_get("visit_id")?,
        created_by: r.try_get("created_by")?,
        created_at: r.timestamp("created_at")?,
    })
}

pub async fn findings(
    conn: &mut AnyConnection,
    actor: &Actor,
    target_id: &str,
) -> Result<Vec<Finding>> {
    require(conn, actor, target_id, Grant::Read).await?;
    let rows = sqlx::query("SELECT * FROM findings WHERE target_id = $1 ORDER BY created_at")
        .bind(target_id)
        .fetch_all(conn)
        .await?;
    rows.iter().map(from_row).collect()
}

pub async fn add(
    tx: &mut Tx<'_>,
    actor: &Actor,
    target_id: &str,
    id: &str,
    req: &NewFinding,
) -> Result<Finding> {
    require(tx, actor, target_id, Grant::Write).await?;
    req.validate().map_err(Error::Invalid)?;
    xuncha_api::validate::client_id(id).map_err(|p| Error::invalid("id", p))?;
    // A retry of the same finding answers what was recorded; another one under the same id is
    // refused.
    let as_sent = |f: Finding| -> Result<Finding> {
        let same = f.target_id == target_id
            && f.focus == req.focus
            && f.title == req.title.trim()
            && f.description == req.description.trim()
            && f.severity == req.severity
            && f.source == req.source
            && f.record_id == req.record_id
            && f.item_id == req.item_id
            && f.talk_id == req.talk_id
            && f.visit_id == req.visit_id;
        if same {
            Ok(f)
        } else {
            Err(Error::Conflict(FieldError::new("id", Problem::Taken)))
        }
    };
    if let Some(existing) = sqlx::query("SELECT * FROM findings WHERE id = $1")
        .bind(id)
        .fetch_optional(&mut **tx)
        .await?
    {
        return as_sent(from_row(&existing)?);
    }
    for (field, sql, named) in [
        (
            "record_id",
            "SELECT target_id FROM checklist_records WHERE id = $1",
            &req.record_id,
        ),
        (
            "talk_id",
            "SELECT target_id FROM talks WHERE id = $1",
            &req.talk_id,
        ),
        (
            "visit_id",
            "SELECT target_id FROM visits WHERE id = $1",
            &req.visit_id,
        ),
    ] {
        if let Some(id) = named {
            if !db::of_target(tx, sql, id, target_id).await? {
                return Err(Error::invalid(field, Problem::UnknownReference));
            }
        }
    }
    let org_id: String = sqlx::query_scalar("SELECT org_id FROM targets WHERE id = $1")
        .bind(target_id)
        .fetch_one(&mut **tx)
        .await?;
    let inserted = sqlx::query(
        "INSERT INTO findings (id, target_id, org_id, focus, title, description, severity, source, record_id, item_id, \
           created_by, created_at, talk_id, visit_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) \
         ON CONFLICT (id) DO NOTHING",
    )
    .bind(id)
    .bind(target_id)
    .bind(&org_id)
    .bind(req.focus.as_str())
    .bind(req.title.trim())
    .bind(req.description.trim())
    .bind(req.severity.as_str())
    .bind(req.source.as_str())
    .bind(&req.record_id)
    .bind(&req.item_id)
    .bind(&actor.id)
    .bind(db::ts(db::now()))
    .bind(&req.talk_id)
    .bind(&req.visit_id)
    .execute(&mut **tx)
    .await?
    .rows_affected();
    let row = sqlx::query("SELECT * FROM findings WHERE id = $1")
        .bind(id)
        .fetch_one(&mut **tx)
        .await?;
    if inserted == 0 {
        // Recorded a moment ago by the same tap sent twice, or by another finding.
        return as_sent(from_row(&row)?);
    }
    audit::record(
        tx,
        Some(actor),
        "finding.create",
        "finding",
        Some(id),
        json!({ "target_id": target_id, "finding": req }),
    );
    from_row(&row)
}

#[utoipa::path(get, operation_id = "findings_list", path = "/api/targets/{id}/findings", tag = "findings",
    params(("id" = String, Path)), responses((status = 200, description = "The target's 问题清单", body = Vec<Finding>)))]
pub async fn list(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<String>,
) -> Result<Json<Vec<Finding>>> {
    let mut conn = state.db.pool.acquire().await?;
    Ok(Json(findings(&mut conn, &actor, &id).await?))
}

#[utoipa::path(put, operation_id = "findings_record", path = "/api/targets/{id}/findings/{finding_id}", tag = "findings",
    params(("id" = String, Path), ("finding_id" = String, Path)), request_body = NewFinding,
    responses((status = 200, body = Finding), (status = 422, body = xuncha_api::ApiError)))]
pub async fn record(
    State(state): State<AppState>,
    actor: Actor,
    Path((id, finding_id)): Path<(String, String)>,
    Json(req): Json<NewFinding>,
) -> Result<Json<Finding>> {
    let mut tx = state.db.begin().await?;
    let f = add(&mut tx, &actor, &id, &finding_id, &req).await?;
    tx.commit().await?;
    Ok(Json(f))
}
