//! A SQLite server's backup: a consistent copy of the database taken while it serves
//! (`VACUUM INTO`, which reads one snapshot), and the file store beside it. The store is
//! content-addressed, so backing up into the same folder again copies only new files.

use std::path::{Path, PathBuf};

use crate::db::{Backend, Db};

pub const DATABASE: &str = "xuncha.db";
pub const FILES: &str = "files";

/// What a backup or a restore holds, to print and to compare.
#[derive(Debug)]
pub struct Copied {
    pub database: PathBuf,
    pub rows: Vec<(String, i64)>,
    pub files: usize,
}

impl Copied {
    pub fn summary(&self) -> String {
        let rows: i64 = self.rows.iter().map(|(_, n)| n).sum();
        format!(
            "{}: {} tables, {rows} rows; {} files",
            self.database.display(),
            self.rows.len(),
            self.files
        )
    }
}

/// Copies the database (as one snapshot) and its files into `dir`.
pub async fn backup(db: &Db, files: &Path, dir: &Path) -> anyhow::Result<Copied> {
    if db.backend != Backend::Sqlite {
        anyhow::bail!(
            "backup copies a SQLite database; back up PostgreSQL with pg_dump (see the README)"
        );
    }
    std::fs::create_dir_all(dir)?;
    let database = dir.join(DATABASE);
    // VACUUM INTO will not write over a file; an earlier backup in this folder is replaced
    // only once the new one is complete.
    let fresh = dir.join(format!("{DATABASE}.partial"));
    let _ = std::fs::remove_file(&fresh);
    sqlx::query("VACUUM INTO $1")
        .bind(fresh.to_string_lossy().into_owned())
        .execute(&db.pool)
        .await?;
    let copy = Db::open(&sqlite_url(&fresh), &dir.join(FILES)).await?;
    check_integrity(&copy).await?;
    let rows = row_counts(&copy).await?;
    copy.pool.close().await;
    std::fs::rename(&fresh, &database)?;
    // The files after the snapshot: whatever it names was stored before its row committed.
    let copied = copy_tree(files, &dir.join(FILES))?;
    Ok(Copied {
        database,
        rows,
        files: copied,
    })
}

/// Puts a backup in place of the database at `url` and copies its files into `files`. An
/// existing database is moved aside (never deleted) when `replace` is given, else refused.
pub async fn restore(url: &str, files: &Path, dir: &Path, replace: bool) -> anyhow::Result<Copied> {
    let target = sqlite_path(url)
        .ok_or_else(|| anyhow::anyhow!("restore puts back a SQLite database (DATABASE_URL)"))?;
    let source = dir.join(DATABASE);
    if !source.is_file() {
        anyhow::bail!("{} holds no backup ({DATABASE} is missing)", dir.display());
    }
    let checked = Db::open(&sqlite_url(&source), &dir.join(FILES)).await?;
    check_integrity(&checked).await?;
    checked.pool.close().await;
    if target.exists() {
        if !replace {
            anyhow::bail!(
                "{} exists; stop the server and pass --replace to move it aside",
                target.display()
            );
        }
        let aside = format!(
            "before-restore-{}",
            chrono::Utc::now().format("%Y%m%dT%H%M%S")
        );
        for suffix in ["", "-wal", "-shm"] {
            let from = PathBuf::from(format!("{}{suffix}", target.display()));
            if from.exists() {
                std::fs::rename(&from, format!("{}.{aside}{suffix}", target.display()))?;
            }
        }
    }
    if let Some(parent) = target.parent() {
        std::fs::create_dir_all(parent)?;
    }
    let copied_files = copy_tree(&dir.join(FILES), files)?;
    let partial = PathBuf::from(format!("{}.partial", target.display()));
    std::fs::copy(&source, &partial)?;
    std::fs::File::open(&partial)?.sync_all()?;
    std::fs::rename(&partial, &target)?;
    let restored = Db::open(url, files).await?;
    let rows = row_counts(&restored).await?;
    restored.pool.close().await;
    Ok(Copied {
        database: target,
        rows,
        files: copied_files,
    })
}

async fn check_integrity(db: &Db) -> anyhow::Result<()> {
    let said: String = sqlx::query_scalar("PRAGMA integrity_check")
        .fetch_one(&db.pool)
        .await?;
    if said != "ok" {
        anyhow::bail!("the copy is damaged: {said}");
    }
    Ok(())
}

/// Every table's rows, by name: what a backup, a restore and a move to PostgreSQL compare.
pub async fn row_counts(db: &Db) -> anyhow::Result<Vec<(String, i64)>> {
    let mut counts = Vec::new();
    for table in super::tables(db).await? {
        let n: i64 =
            sqlx::query_scalar(sqlx::AssertSqlSafe(format!("SELECT COUNT(*) FROM {table}")))
                .fetch_one(&db.pool)
                .await?;
        counts.push((table, n));
    }
    Ok(counts)
}

/// Copies every file under `from` that `to` lacks (same relative path); the number copied.
fn copy_tree(from: &Path, to: &Path) -> anyhow::Result<usize> {
    if !from.is_dir() {
        return Ok(0);
    }
    std::fs::create_dir_all(to)?;
    let mut copied = 0;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let there = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copied += copy_tree(&entry.path(), &there)?;
        } else if !there.exists() && !entry.file_name().to_string_lossy().starts_with('.') {
            // Staged under another name first, so a stopped copy never leaves half a file
            // under a hash's name.
            let partial = to.join(format!(".{}.partial", entry.file_name().to_string_lossy()));
            std::fs::copy(entry.path(), &partial)?;
            std::fs::File::open(&partial)?.sync_all()?;
            std::fs::rename(&partial, &there)?;
            copied += 1;
        }
    }
    Ok(copied)
}

fn sqlite_path(url: &str) -> Option<PathBuf> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))?;
    let path = rest.split_once('?').map_or(rest, |(p, _)| p);
    (path != ":memory:").then(|| PathBuf::from(path))
}

fn sqlite_url(path: &Path) -> String {
    format!("sqlite://{}", path.display())
}
