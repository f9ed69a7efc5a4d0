//! The append-only audit log: every write records who, when, which object and what changed,
//! in the same transaction as the write; entries form a hash chain (`chain`).

pub mod chain;
mod names;

use axum::extract::State;
use serde_json::Value;
use sqlx::Row;
use xuncha_api::audit::{
    AuditCheck, AuditCheckpoint, AuditEntry, AuditPage, AuditQuery, AuditVerifyQuery, ReadEntry,
};

use crate::access::Actor;
use crate::db::Columns;
use crate::db::{self, Tx};
use crate::extract::{Json, Query};
use crate::{AppState, Error, Result};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use xuncha_api::{users::Role, Problem};

/// Records an entry in the transaction; it joins the chain when the transaction commits.
pub fn record(
    tx: &mut Tx<'_>,
    actor: Option<&Actor>,
    action: &str,
    object_type: &str,
    object_id: Option<&str>,
    detail: Value,
) {
    tx.defer_audit(chain::Pending {
        id: db::new_id(),
        at: db::ts(db::now()),
        actor_id: actor.map(|a| a.id.clone()),
        actor_name: actor.map(|a| a.display_name.clone()),
        action: action.to_string(),
        object_type: object_type.to_string(),
        object_id: object_id.map(str::to_string),
        detail: detail.to_string(),
    });
}

/// Records that `actor` was shown these restricted records (clues, talks, petitions), in the
/// transaction that reads them: a read that cannot be logged is not answered. A list is one
/// entry naming every id it showed.
pub async fn record_read(
    tx: &mut Tx<'_>,
    actor: &Actor,
    object_type: &str,
    ids: &[&str],
    endpoint: &str,
) -> Result<()> {
    if ids.is_empty() {
        return Ok(());
    }
    let entry = chain::Pending {
        id: db::new_id(),
        at: db::ts(db::now()),
        actor_id: Some(actor.id.clone()),
        actor_name: Some(actor.display_name.clone()),
        action: format!("{object_type}.read"),
        object_type: object_type.to_string(),
        object_id: (ids.len() == 1).then(|| ids[0].to_string()),
        detail: serde_json::json!({ "ids": ids, "endpoint": endpoint }).to_string(),
    };
    for id in ids {
        sqlx::query(
            "INSERT INTO restricted_reads (object_type, object_id, entry_id) VALUES ($1, $2, $3) \
             ON CONFLICT DO NOTHING",
        )
        .bind(object_type)
        .bind(*id)
        .bind(&entry.id)
        .execute(&mut **tx)
        .await?;
    }
    tx.defer_audit(entry);
    Ok(())
}

/// Who read one restricted record, when and through which request; newest first.
pub async fn reads(
    conn: &mut sqlx::AnyConnection,
    object_type: &str,
    object_id: &str,
) -> Result<Vec<ReadEntry>> {
    let rows = sqlx::query(
        "SELECT a.at, a.actor_id, a.actor_name, a.detail FROM restricted_reads r \
         JOIN audit_log a ON a.id = r.entry_id \
         WHERE r.object_type = $1 AND r.object_id = $2 ORDER BY a.seq DESC",
    )
    .bind(object_type)
    .bind(object_id)
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|r| {
            let detail: Value = r.json("detail")?;
            Ok(ReadEntry {
                at: r.timestamp("at")?,
                actor_id: r.try_get("actor_id")?,
                actor_name: r.try_get("actor_name")?,
                endpoint: detail["endpoint"].as_str().unwrap_or_default().to_string(),
            })
        })
        .collect()
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
    OpenApiRouter::new()
        .routes(routes!(list))
        .routes(routes!(verify))
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
    // A day in China Standard Time starts at 16:00 UTC the day before; stored times are
    // RFC 3339 UTC text, which sorts as time does.
    let cst_start = |d: chrono::NaiveDate| -> Result<String> {
        let start = d
            .and_hms_opt(0, 0, 0)
            .and_then(|t| t.checked_sub_signed(chrono::Duration::hours(8)))
            .ok_or_else(|| Error::invalid("from", Problem::NotAllowed))?;
        Ok(db::ts(start.and_utc()))
    };
    let from = q.from.map(cst_start).transpose()?.unwrap_or_default();
    let to = match q.to {
        Some(d) => cst_start(
            d.succ_opt()
                .ok_or_else(|| Error::invalid("to", Problem::NotAllowed))?,
        )
        .map_err(|_| Error::invalid("to", Problem::NotAllowed))?,
        None => String::new(),
    };
    let rows = sqlx::query(
        "SELECT id, at, actor_id, actor_name, action, object_type, object_id, detail FROM audit_log \
         WHERE ($1 = '' OR actor_id = $1) AND ($2 = '' OR object_type = $2) \
           AND ($3 = '' OR object_id = $3) AND ($4 = '' OR action LIKE $4 || '%') \
           AND ($5 = '' OR id < $5) AND ($7 = '' OR at >= $7) AND ($8 = '' OR at < $8) \
         ORDER BY id DESC LIMIT $6",
    )
    .bind(q.actor_id.unwrap_or_default())
    .bind(q.object_type.unwrap_or_default())
    .bind(q.object_id.unwrap_or_default())
    .bind(q.action.unwrap_or_default())
    .bind(q.before.unwrap_or_default())
    .bind(i64::from(limit) + 1)
    .bind(&from)
    .bind(&to)
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
                object_name: None,
                detail: r.json("detail")?,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    let mut conn = state.db.pool.acquire().await?;
    names::fill(&mut conn, &mut entries).await?;
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

#[utoipa::path(get, operation_id = "audit_verify", path = "/api/audit/verify", tag = "audit",
    params(AuditVerifyQuery),
    responses((status = 200, body = AuditCheck), (status = 403, body = xuncha_api::ApiError),
        (status = 422, body = xuncha_api::ApiError)))]
/// Walks the whole chain. The office and discipline may: the inspectors' own trail is
/// discipline's to check too.
pub async fn verify(
    State(state): State<AppState>,
    actor: Actor,
    Query(q): Query<AuditVerifyQuery>,
) -> Result<Json<AuditCheck>> {
    actor.require(&[Role::Admin, Role::Discipline])?;
    let written_down = match q.checkpoint.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(text) => Some(AuditCheckpoint::parse(text).ok_or_else(|| {
            Error::invalid(
                "checkpoint",
                Problem::BadFormat {
                    expected: "seq:hash (64 hex digits)".into(),
                },
            )
        })?),
    };
    Ok(Json(chain::verify(&state.db, written_down.as_ref()).await?))
}
