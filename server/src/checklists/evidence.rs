//! Evidence files (佐证材料) on a record's items: added and removed while the record is open,
//! read by whoever may read the record.

use serde_json::json;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};
use xuncha_api::{FieldError, Problem};

use super::records::{load_open_for_writing, load_with};
use super::templates::template;
use crate::access::{Actor, Grant};
use crate::db::{self, Tx};
use crate::files::Stored;
use crate::{audit, Error, Result};

/// Stores a photo or file for an item; `evidence_id` comes from the device, so a re-send
/// stores nothing new.
pub async fn add_evidence(
    tx: &mut Tx<'_>,
    actor: &Actor,
    record_id: &str,
    item_id: &str,
    evidence_id: &str,
    content_type: &str,
    bytes: &[u8],
) -> Result<String> {
    let record = load_open_for_writing(tx, actor, record_id).await?;
    let template = template(tx, &record.template_id).await?;
    if template.content.item(item_id).is_none() {
        return Err(Error::invalid("item_id", Problem::UnknownReference));
    }
    xuncha_api::validate::client_id(evidence_id).map_err(|p| Error::invalid("evidence_id", p))?;
    let sha = crate::files::check(content_type, bytes)?;
    // The same bytes for the same record and item under the same id are a re-send.
    let stored_as_sent = |r: &AnyRow| -> Result<bool> {
        Ok(r.try_get::<String, _>("record_id")? == record_id
            && r.try_get::<String, _>("item_id")? == item_id
            && r.try_get::<String, _>("sha256")? == sha)
    };
    let taken = || Error::Conflict(FieldError::new("evidence_id", Problem::Taken));
    let existing = sqlx::query("SELECT record_id, item_id, sha256 FROM evidence WHERE id = $1")
        .bind(evidence_id)
        .fetch_optional(&mut **tx)
        .await?;
    if let Some(r) = existing {
        return if stored_as_sent(&r)? {
            Ok(sha)
        } else {
            Err(taken())
        };
    }
    crate::files::upkeep::keep(tx, &sha, bytes).await?;
    // Sent twice at once (two tabs, a retry racing its original): the second finds the first.
    let inserted = sqlx::query(
        "INSERT INTO evidence (id, record_id, item_id, content_type, size, sha256, data, created_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, '', $7, $8) ON CONFLICT (id) DO NOTHING",
    )
    .bind(evidence_id)
    .bind(record_id)
    .bind(item_id)
    .bind(content_type)
    .bind(bytes.len() as i64)
    .bind(&sha)
    .bind(&actor.id)
    .bind(db::ts(db::now()))
    .execute(&mut **tx)
    .await?
    .rows_affected();
    if inserted == 0 {
        let r = sqlx::query("SELECT record_id, item_id, sha256 FROM evidence WHERE id = $1")
            .bind(evidence_id)
            .fetch_one(&mut **tx)
            .await?;
        return if stored_as_sent(&r)? {
            Ok(sha)
        } else {
            Err(taken())
        };
    }
    audit::record(
        tx,
        Some(actor),
        "checklist.evidence",
        "checklist",
        Some(record_id),
        json!({ "item_id": item_id, "size": bytes.len(), "sha256": sha }),
    );
    Ok(sha)
}

/// Takes an evidence file off a record that is not submitted, for whoever may write it.
pub async fn remove_evidence(
    tx: &mut Tx<'_>,
    actor: &Actor,
    record_id: &str,
    evidence_id: &str,
) -> Result<()> {
    load_open_for_writing(tx, actor, record_id).await?;
    let sha: Option<String> =
        sqlx::query_scalar("SELECT sha256 FROM evidence WHERE id = $1 AND record_id = $2")
            .bind(evidence_id)
            .bind(record_id)
            .fetch_optional(&mut **tx)
            .await?;
    if let Some(sha) = sha {
        crate::files::upkeep::release(tx, &sha).await?;
    }
    let removed = sqlx::query("DELETE FROM evidence WHERE id = $1 AND record_id = $2")
        .bind(evidence_id)
        .bind(record_id)
        .execute(&mut **tx)
        .await?
        .rows_affected();
    if removed > 0 {
        audit::record(
            tx,
            Some(actor),
            "checklist.evidence_removed",
            "checklist",
            Some(record_id),
            json!({ "evidence_id": evidence_id }),
        );
    }
    Ok(())
}

/// Where one evidence file's bytes are, for whoever may read its record.
pub async fn evidence_file(
    conn: &mut AnyConnection,
    actor: &Actor,
    record_id: &str,
    evidence_id: &str,
) -> Result<Stored> {
    load_with(conn, actor, record_id, Grant::Read).await?;
    let row = sqlx::query(
        "SELECT content_type, sha256, size FROM evidence WHERE id = $1 AND record_id = $2",
    )
    .bind(evidence_id)
    .bind(record_id)
    .fetch_optional(conn)
    .await?
    .ok_or(Error::NotFound)?;
    crate::files::stored(&row)
}
