//! The append-only audit log: every write records who, when, which object and what changed,
//! in the same transaction as the write.

use axum::extract::State;
use serde_json::Value;
use sqlx::Row;
use xuncha_api::audit::{AuditEntry, AuditPage, AuditQuery};

use crate::access::Actor;
use crate::db::Columns;
use crate::db::{self, Tx};
use crate::extract::{Json, Query};
use crate::{AppState, Result};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub async fn record(
    tx: &mut Tx<'_>,
    actor: Option<&Actor>,
    action: &str,
    object_type: &str,
    object_id: Option<&str>,
    detail: Value,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO audit_log (id, at, actor_id, actor_name, action, object_type, object_id, detail) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(db::new_id())
    .bind(db::ts(db::now()))
    .bind(actor.map(|a| a.id.clone()))
    .bind(actor.map(|a| a.display_name.clone()))
    .bind(action)
    .bind(object_type)
    .bind(object_id.map(str::to_string))
    .bind(detail.to_string())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// `{field: [old, new]}` for the fields that differ between two JSON objects.
pub fn diff(old: &Value, new: &Value) -> Value {
    let mut out = serde_json::Map::new();
    if let (Some(o), Some(n)) = (old.as_object(), new.as_object()) {
        for (k, nv) in n {
            let ov = o.get(k).unwrap_or(&Value::Null);
            if ov != nv {
                out.insert(k.clone(), Value::Array(vec![ov.clone(), nv.clone()]));
            }
        }
    }
    Value::Object(out)
}

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list))
}

const PAGE_MAX: u32 = 200;

#[utoipa::path(get, operation_id = "audit_list", path = "/api/audit", tag = "audit", params(AuditQuery),
    responses((status = 200, body = AuditPage), (status = 403, body = xuncha_api::ApiError)))]
pub async fn list(
    State(state): State<AppState>,
    actor: Actor,
    Query(q): Query<AuditQuery>,
) -> Result<Json<AuditPage>> {
    actor.require_admin()?;
    let limit = q.limit.unwrap_or(50).clamp(1, PAGE_MAX);
    // Every filter is a fixed clause with a bound value; an absent one matches everything.
    let rows = sqlx::query(
        "SELECT id, at, actor_id, actor_name, action, object_type, object_id, detail FROM audit_log \
         WHERE ($1 = '' OR actor_id = $1) AND ($2 = '' OR object_type = $2) \
           AND ($3 = '' OR object_id = $3) AND ($4 = '' OR action LIKE $4 || '%') \
           AND ($5 = '' OR id < $5) \
         ORDER BY id DESC LIMIT $6",
    )
    .bind(q.actor_id.unwrap_or_default())
    .bind(q.object_type.unwrap_or_default())
    .bind(q.object_id.unwrap_or_default())
    .bind(q.action.unwrap_or_default())
    .bind(q.before.unwrap_or_default())
    .bind(i64::from(limit) + 1)
    .fetch_all(&state.db.pool)
    .await?;
    let mut entries = rows
        .iter()
        .map(|r| {
            Ok(AuditEntry {
                id: r.try_get("id")?,
                at: r.timestamp("at")?,
                actor_id: r.try_get("actor_id")?,
                actor_name: r.try_get("actor_name")?,
                action: r.try_get("action")?,
                object_type: r.try_get("object_type")?,
                object_id: r.try_get("object_id")?,
                detail: r.json("detail")?,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    let next_before = if entries.len() > limit as usize {
        entries.truncate(limit as usize);
        entries.last().map(|e| e.id.clone())
    } else {
        None
    };
    Ok(Json(AuditPage {
        entries,
        next_before,
    }))
}
