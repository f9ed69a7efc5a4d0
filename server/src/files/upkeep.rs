//! Keeping the store and the database in step: bytes are stored before the row that names
//! them is committed; bytes no row names any more are deleted by a sweep, never at once (a
//! photo sent again elsewhere may be on its way in); and the files earlier versions kept in
//! the database are moved out at start.

use std::time::Duration;

use sha2::{Digest, Sha256};
use sqlx::Row;

use crate::db::{self, Db, Tx};
use crate::Result;

/// Every table of files, each with `id`, `sha256` and the old `data` column.
pub const TABLES: [&str; 6] = [
    "evidence",
    "task_files",
    "talk_files",
    "clue_files",
    "petition_files",
    "prep_files",
];

/// How long a hash stays listed as released before the sweep may delete its bytes.
pub const GRACE: Duration = Duration::from_secs(10 * 60);

/// Stores an upload's bytes in the transaction that will name them. Taking the hash off the
/// released list first holds that row until commit, so a sweep cannot delete the bytes
/// between this write and the commit.
pub async fn keep(tx: &mut Tx<'_>, sha: &str, bytes: &[u8]) -> Result<()> {
    sqlx::query("DELETE FROM released_files WHERE sha256 = $1")
        .bind(sha)
        .execute(&mut **tx)
        .await?;
    let files = tx.files().clone();
    files.put(sha, bytes).await
}

/// Lists a hash whose row this transaction removes; the sweep decides later.
pub async fn release(tx: &mut Tx<'_>, sha: &str) -> Result<()> {
    sqlx::query(
        "INSERT INTO released_files (sha256, released_at) VALUES ($1, $2) \
         ON CONFLICT (sha256) DO UPDATE SET released_at = excluded.released_at",
    )
    .bind(sha)
    .bind(db::ts(db::now()))
    .execute(&mut **tx)
    .await?;
    Ok(())
}

async fn referenced(conn: &mut sqlx::AnyConnection, sha: &str) -> Result<bool> {
    let union = TABLES
        .iter()
        .map(|t| format!("SELECT 1 AS one FROM {t} WHERE sha256 = $1"))
        .collect::<Vec<_>>()
        .join(" UNION ALL ");
    let found: Option<i32> = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
        "SELECT one FROM ({union}) AS refs LIMIT 1"
    )))
    .bind(sha)
    .fetch_optional(conn)
    .await?;
    Ok(found.is_some())
}

/// Deletes the bytes of hashes released longer than `grace` ago that no row names; each in a
/// transaction of its own that first takes the hash off the list, so an upload of the same
/// bytes either waits for it and stores them again, or has already taken the hash off and
/// is left alone. The number of files deleted.
pub async fn sweep(db: &Db, grace: Duration) -> Result<usize> {
    let cutoff = db::ts(db::now() - chrono::Duration::from_std(grace).unwrap_or_default());
    let due: Vec<String> = sqlx::query_scalar(
        "SELECT sha256 FROM released_files WHERE released_at <= $1 ORDER BY released_at LIMIT 500",
    )
    .bind(&cutoff)
    .fetch_all(&db.pool)
    .await?;
    let mut deleted = 0;
    for sha in due {
        let mut tx = db.begin().await?;
        let taken =
            sqlx::query("DELETE FROM released_files WHERE sha256 = $1 AND released_at <= $2")
                .bind(&sha)
                .bind(&cutoff)
                .execute(&mut *tx)
                .await?
                .rows_affected();
        if taken == 1 && !referenced(&mut tx, &sha).await? {
            tx.files().clone().delete(&sha).await?;
            deleted += 1;
        }
        tx.commit().await?;
    }
    Ok(deleted)
}

/// Runs the sweep every few minutes for as long as the server runs.
pub async fn sweep_now_and_then(db: Db) {
    let mut tick = tokio::time::interval(Duration::from_secs(5 * 60));
    loop {
        tick.tick().await;
        match sweep(&db, GRACE).await {
            Ok(0) => {}
            Ok(n) => tracing::info!("deleted {n} files no record names any more"),
            Err(e) => tracing::warn!("sweeping released files: {e}"),
        }
    }
}

/// Moves the files an earlier version kept in the database (base64 in `data`) to the store,
/// a few at a time: each row's bytes are stored before its column is emptied, so a stop at any
/// moment leaves every file either still in its row or in the store. The number moved.
pub async fn move_out_of_database(db: &Db) -> anyhow::Result<u64> {
    let mut moved = 0u64;
    for table in TABLES {
        loop {
            let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
                "SELECT id, sha256, data FROM {table} WHERE data <> '' ORDER BY id LIMIT 50"
            )))
            .fetch_all(&db.pool)
            .await?;
            if rows.is_empty() {
                break;
            }
            for r in rows {
                let id: String = r.try_get("id")?;
                let noted: String = r.try_get("sha256")?;
                let bytes = super::decode(&r.try_get::<String, _>("data")?)?;
                // The address is what the bytes are, whatever the row said.
                let sha = hex::encode(Sha256::digest(&bytes));
                if sha != noted {
                    tracing::warn!("{table} {id}: stored hash {noted} is not its bytes' {sha}");
                }
                db.files.put(&sha, &bytes).await?;
                sqlx::query(sqlx::AssertSqlSafe(format!(
                    "UPDATE {table} SET data = '', sha256 = $1 WHERE id = $2"
                )))
                .bind(&sha)
                .bind(&id)
                .execute(&db.pool)
                .await?;
                moved += 1;
            }
        }
    }
    if moved > 0 {
        tracing::info!("moved {moved} files out of the database into the file store");
        if db.backend == db::Backend::Sqlite {
            // Gives the space back: a SQLite file does not shrink by itself.
            sqlx::query("VACUUM").execute(&db.pool).await?;
        }
    }
    Ok(moved)
}
