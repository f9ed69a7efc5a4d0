//! The audit log as a hash chain. Entry `seq` stores the hash of entry `seq - 1` and its own
//! SHA-256 over the canonical encoding of its content (`canonical`), so an entry changed,
//! removed or slipped in behind the triggers breaks the chain at a place `verify` names. The
//! head (last seq and hash) is one row, updated in the writing transaction: concurrent writers
//! wait on it in turn and cannot fork the chain.

use futures_util::TryStreamExt;
use sha2::{Digest, Sha256};
use sqlx::AnyConnection;
use sqlx::Row;
use xuncha_api::audit::{AuditBreak, AuditBreakKind, AuditCheck, AuditCheckpoint};

use crate::db::Db;

/// The hash entry 1 links to.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// An entry recorded in a transaction, appended to the chain when the transaction commits.
#[derive(Debug, Clone)]
pub struct Pending {
    pub id: String,
    pub at: String,
    pub actor_id: Option<String>,
    pub actor_name: Option<String>,
    pub action: String,
    pub object_type: String,
    pub object_id: Option<String>,
    /// Stored and hashed as this exact text.
    pub detail: String,
}

/// The bytes an entry's hash is taken over: a JSON array of its place, the previous hash and
/// every stored field, in this order, `null` for an absent one. serde_json writes an array of
/// strings, numbers and nulls one way only, so anyone can recompute it from the rows.
pub fn canonical(seq: i64, prev_hash: &str, e: &Pending) -> String {
    serde_json::json!([
        seq,
        prev_hash,
        e.id,
        e.at,
        e.actor_id,
        e.actor_name,
        e.action,
        e.object_type,
        e.object_id,
        e.detail
    ])
    .to_string()
}

pub fn hash(seq: i64, prev_hash: &str, e: &Pending) -> String {
    hex::encode(Sha256::digest(canonical(seq, prev_hash, e).as_bytes()))
}

/// Takes the head (waiting for any other writer's commit), links the entries after it and
/// moves it. Called by `Tx::commit` as the transaction's last write.
pub(crate) async fn append(
    conn: &mut AnyConnection,
    pending: Vec<Pending>,
) -> Result<(), sqlx::Error> {
    if pending.is_empty() {
        return Ok(());
    }
    let count = pending.len() as i64;
    let head = sqlx::query("UPDATE audit_head SET seq = seq + $1 WHERE id = 1 RETURNING seq, hash")
        .bind(count)
        .fetch_one(&mut *conn)
        .await?;
    let last: i64 = head.try_get("seq")?;
    let mut prev: String = head.try_get("hash")?;
    for (seq, entry) in (last - count + 1..).zip(pending) {
        let own = hash(seq, &prev, &entry);
        sqlx::query(
            "INSERT INTO audit_log (id, at, actor_id, actor_name, action, object_type, object_id, \
             detail, seq, prev_hash, hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
        )
        .bind(entry.id)
        .bind(entry.at)
        .bind(entry.actor_id)
        .bind(entry.actor_name)
        .bind(entry.action)
        .bind(entry.object_type)
        .bind(entry.object_id)
        .bind(entry.detail)
        .bind(seq)
        .bind(prev)
        .bind(&own)
        .execute(&mut *conn)
        .await?;
        prev = own;
    }
    sqlx::query("UPDATE audit_head SET hash = $1 WHERE id = 1")
        .bind(prev)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Entries written before the chain existed are linked once, in the order they were written
/// (ids are UUIDv7), at the first start after the upgrade. Once the chain has begun, an entry
/// without a place is never adopted: `verify` reports it.
pub(crate) async fn seal_legacy(db: &Db) -> anyhow::Result<()> {
    let mut tx = db.begin().await?;
    let head: i64 = sqlx::query_scalar("SELECT seq FROM audit_head WHERE id = 1")
        .fetch_one(&mut *tx)
        .await?;
    if head != 0 {
        return Ok(());
    }
    let rows = sqlx::query(
        "SELECT id, at, actor_id, actor_name, action, object_type, object_id, detail \
         FROM audit_log WHERE seq IS NULL ORDER BY id",
    )
    .fetch_all(&mut *tx)
    .await?;
    if rows.is_empty() {
        return Ok(());
    }
    let mut prev = GENESIS.to_string();
    let mut seq = 0;
    for row in &rows {
        seq += 1;
        let own = hash(seq, &prev, &pending_from(row)?);
        sqlx::query("UPDATE audit_log SET seq = $1, prev_hash = $2, hash = $3 WHERE id = $4")
            .bind(seq)
            .bind(&prev)
            .bind(&own)
            .bind(row.try_get::<String, _>("id")?)
            .execute(&mut *tx)
            .await?;
        prev = own;
    }
    sqlx::query("UPDATE audit_head SET seq = $1, hash = $2 WHERE id = 1")
        .bind(seq)
        .bind(&prev)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    tracing::info!(
        entries = seq,
        "audit log: earlier entries linked into the chain"
    );
    Ok(())
}

fn pending_from(row: &sqlx::any::AnyRow) -> Result<Pending, sqlx::Error> {
    Ok(Pending {
        id: row.try_get("id")?,
        at: row.try_get("at")?,
        actor_id: row.try_get("actor_id")?,
        actor_name: row.try_get("actor_name")?,
        action: row.try_get("action")?,
        object_type: row.try_get("object_type")?,
        object_id: row.try_get("object_id")?,
        detail: row.try_get("detail")?,
    })
}

/// The chain's head now: what to write down outside the system and check later.
pub async fn checkpoint(db: &Db) -> Result<AuditCheckpoint, sqlx::Error> {
    let row = sqlx::query("SELECT seq, hash FROM audit_head WHERE id = 1")
        .fetch_one(&db.pool)
        .await?;
    Ok(AuditCheckpoint {
        seq: row.try_get("seq")?,
        hash: row.try_get("hash")?,
    })
}

/// Writes the head to the server's log at start and once a day: a copy of each checkpoint
/// outside the database, for `verify --checkpoint` later.
pub async fn log_checkpoints(db: Db) {
    let mut every_day = tokio::time::interval(std::time::Duration::from_secs(24 * 3600));
    loop {
        every_day.tick().await;
        match checkpoint(&db).await {
            Ok(head) => tracing::info!(checkpoint = %head, "audit log checkpoint"),
            Err(e) => tracing::warn!(error = %e, "audit log checkpoint not read"),
        }
    }
}

/// Walks the chain from the first entry to the head and names the first entry that does not
/// match. With a checkpoint written down earlier, also checks that its entry still has its
/// hash (which an attacker rewriting the whole chain from some entry on cannot keep).
pub async fn verify(db: &Db, written_down: Option<&AuditCheckpoint>) -> anyhow::Result<AuditCheck> {
    // The head first: everything up to it was committed with it, and later appends do not
    // disturb the walk.
    let head = checkpoint(db).await?;
    let broken = walk(db, &head, written_down).await?;
    let broken = match broken {
        Some(b) => Some(b),
        None => unlinked(db).await?,
    };
    Ok(AuditCheck {
        entries: head.seq,
        head,
        broken,
    })
}

async fn walk(
    db: &Db,
    head: &AuditCheckpoint,
    written_down: Option<&AuditCheckpoint>,
) -> anyhow::Result<Option<AuditBreak>> {
    let mut rows = sqlx::query(
        "SELECT seq, prev_hash, hash, id, at, actor_id, actor_name, action, object_type, \
         object_id, detail FROM audit_log WHERE seq IS NOT NULL AND seq <= $1 ORDER BY seq",
    )
    .bind(head.seq)
    .fetch(&db.pool);
    let mut expected = 1_i64;
    let mut prev = GENESIS.to_string();
    let broken = |kind, seq, entry_id: Option<String>| {
        Some(AuditBreak {
            kind,
            seq,
            entry_id,
        })
    };
    while let Some(row) = rows.try_next().await? {
        let seq: i64 = row.try_get("seq")?;
        let entry = pending_from(&row)?;
        if seq != expected {
            return Ok(broken(AuditBreakKind::Missing, expected, None));
        }
        let prev_hash: Option<String> = row.try_get("prev_hash")?;
        if prev_hash.as_deref() != Some(prev.as_str()) {
            return Ok(broken(AuditBreakKind::Unlinked, seq, Some(entry.id)));
        }
        let stored: Option<String> = row.try_get("hash")?;
        let own = hash(seq, &prev, &entry);
        if stored.as_deref() != Some(own.as_str()) {
            return Ok(broken(AuditBreakKind::Altered, seq, Some(entry.id)));
        }
        if written_down.is_some_and(|c| c.seq == seq && c.hash != own) {
            return Ok(broken(AuditBreakKind::Checkpoint, seq, Some(entry.id)));
        }
        prev = own;
        expected += 1;
    }
    if expected <= head.seq {
        return Ok(broken(AuditBreakKind::Missing, expected, None));
    }
    if prev != head.hash {
        return Ok(broken(AuditBreakKind::Head, head.seq, None));
    }
    if let Some(c) = written_down {
        if c.seq > head.seq || (c.seq == 0 && c.hash != GENESIS) {
            return Ok(broken(AuditBreakKind::Checkpoint, c.seq, None));
        }
    }
    Ok(None)
}

/// An entry outside the chain: added behind the triggers, or with its place wiped.
async fn unlinked(db: &Db) -> Result<Option<AuditBreak>, sqlx::Error> {
    let id: Option<String> =
        sqlx::query_scalar("SELECT id FROM audit_log WHERE seq IS NULL ORDER BY id LIMIT 1")
            .fetch_optional(&db.pool)
            .await?;
    Ok(id.map(|id| AuditBreak {
        kind: AuditBreakKind::Outside,
        seq: 0,
        entry_id: Some(id),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry() -> Pending {
        Pending {
            id: "0192".into(),
            at: "2026-12-01T08:00:00.000000Z".into(),
            actor_id: Some("u1".into()),
            actor_name: Some("王芳".into()),
            action: "clue.read".into(),
            object_type: "clue".into(),
            object_id: None,
            detail: r#"{"ids":["c1"]}"#.into(),
        }
    }

    #[test]
    fn the_canonical_encoding_is_fixed_and_every_field_counts() {
        assert_eq!(
            canonical(7, GENESIS, &entry()),
            format!(
                r#"[7,"{GENESIS}","0192","2026-12-01T08:00:00.000000Z","u1","王芳","clue.read","clue",null,"{{\"ids\":[\"c1\"]}}"]"#
            )
        );
        let base = hash(7, GENESIS, &entry());
        assert_eq!(base.len(), 64);
        let mut other = entry();
        other.object_id = Some(String::new());
        assert_ne!(hash(7, GENESIS, &other), base, "null and empty differ");
        assert_ne!(hash(8, GENESIS, &entry()), base, "the place counts");
        let mut moved = entry();
        moved.actor_name = Some("王".into());
        moved.action = "芳clue.read".into();
        assert_ne!(
            hash(7, GENESIS, &moved),
            base,
            "no field can lend to the next"
        );
    }
}
