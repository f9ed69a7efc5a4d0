//! One code path for SQLite and PostgreSQL through `sqlx::any`.

use std::path::{Path, PathBuf};
use std::str::FromStr;

use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};
use serde::de::DeserializeOwned;
use sqlx::any::{AnyConnectOptions, AnyPoolOptions, AnyRow};
use sqlx::AnyConnection;

use crate::audit;
use crate::files::Files;
use sqlx::{AnyPool, ConnectOptions, Row};

/// A write transaction. The audit entries recorded in it are appended to the hash chain at
/// commit, after every other write of the transaction: the chain head is then the last lock it
/// takes and is held only for the append, so two writers can never deadlock on it.
pub struct Tx<'a> {
    inner: sqlx::Transaction<'a, sqlx::Any>,
    audit: Vec<audit::chain::Pending>,
    files: Files,
}

impl Tx<'_> {
    /// Where the bytes of the files this transaction names are kept.
    pub fn files(&self) -> &Files {
        &self.files
    }

    pub(crate) fn defer_audit(&mut self, entry: audit::chain::Pending) {
        self.audit.push(entry);
    }

    pub async fn commit(mut self) -> Result<(), sqlx::Error> {
        let pending = std::mem::take(&mut self.audit);
        audit::chain::append(&mut self.inner, pending).await?;
        self.inner.commit().await
    }
}

impl std::ops::Deref for Tx<'_> {
    type Target = AnyConnection;
    fn deref(&self) -> &AnyConnection {
        &self.inner
    }
}

impl std::ops::DerefMut for Tx<'_> {
    fn deref_mut(&mut self) -> &mut AnyConnection {
        &mut self.inner
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

#[derive(Clone)]
pub struct Db {
    pub pool: AnyPool,
    pub backend: Backend,
    pub files: Files,
}

impl Db {
    /// The database at `url` with its files where [`default_files_folder`] says.
    pub async fn connect(url: &str) -> anyhow::Result<Db> {
        Db::open(url, &default_files_folder(url)).await
    }

    /// The database at `url` with the bytes of uploaded files kept in `files`.
    pub async fn open(url: &str, files: &Path) -> anyhow::Result<Db> {
        let files = Files::in_folder(files)?;
        sqlx::any::install_default_drivers();
        let backend = if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            Backend::Postgres
        } else if url.starts_with("sqlite:") {
            Backend::Sqlite
        } else {
            anyhow::bail!("DATABASE_URL must start with sqlite:// or postgres://");
        };
        let url = match backend {
            Backend::Sqlite => sqlite_url(url)?,
            Backend::Postgres => url.to_string(),
        };
        let options = AnyConnectOptions::from_str(&url)?.disable_statement_logging();
        let pool = AnyPoolOptions::new()
            .max_connections(if backend == Backend::Sqlite { 4 } else { 10 })
            .after_connect(move |conn, _| {
                Box::pin(async move {
                    if backend == Backend::Sqlite {
                        // Foreign keys are per connection in SQLite; the busy timeout lets
                        // concurrent writers wait their turn instead of failing.
                        sqlx::query("PRAGMA foreign_keys = ON")
                            .execute(&mut *conn)
                            .await?;
                        sqlx::query("PRAGMA busy_timeout = 5000")
                            .execute(&mut *conn)
                            .await?;
                    } else {
                        // Short queries only: PostgreSQL's JIT compiled the coverage ledger
                        // of a province-sized database for 0.9 s to run it in 25 ms, because
                        // a recursive query's rows are overestimated into its cost threshold.
                        sqlx::query("SET jit = off").execute(&mut *conn).await?;
                    }
                    Ok(())
                })
            })
            .connect_with(options)
            .await?;
        if backend == Backend::Sqlite {
            sqlx::query("PRAGMA journal_mode = WAL")
                .execute(&pool)
                .await?;
        }
        Ok(Db {
            pool,
            backend,
            files,
        })
    }

    pub async fn migrate(&self) -> anyhow::Result<()> {
        sqlx::migrate!("./migrations").run(&self.pool).await?;
        // What the two databases spell differently (triggers) lives in a folder of each's,
        // recorded in a table of its own so that neither set reads the other as unknown.
        let mut own = match self.backend {
            Backend::Sqlite => sqlx::migrate!("./migrations-sqlite"),
            Backend::Postgres => sqlx::migrate!("./migrations-postgres"),
        };
        own.dangerous_set_table_name("_xuncha_backend_migrations");
        own.run(&self.pool).await?;
        audit::chain::seal_legacy(self).await?;
        crate::files::upkeep::move_out_of_database(self).await?;
        Ok(())
    }

    /// Every write transaction of the server starts here. On SQLite it takes the write lock
    /// at once (`BEGIN IMMEDIATE`): a deferred transaction that reads first cannot be upgraded
    /// to a writer while another one writes, and fails with "database is locked" without ever
    /// waiting on the busy timeout. Taken at the start, the lock is waited for instead.
    pub async fn begin(&self) -> Result<Tx<'static>, sqlx::Error> {
        let inner = match self.backend {
            Backend::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await?,
            Backend::Postgres => self.pool.begin().await?,
        };
        Ok(Tx {
            inner,
            audit: Vec::new(),
            files: self.files.clone(),
        })
    }
}

impl Db {
    /// A random secret of the server's, made at the first start and kept in the database so
    /// that every server on it uses the same one.
    pub async fn server_key(&self, name: &str) -> anyhow::Result<Vec<u8>> {
        use argon2::password_hash::rand_core::{OsRng, RngCore};
        let mut fresh = [0u8; 32];
        OsRng.fill_bytes(&mut fresh);
        sqlx::query(
            "INSERT INTO server_keys (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING",
        )
        .bind(name)
        .bind(hex::encode(fresh))
        .execute(&self.pool)
        .await?;
        let stored: String = sqlx::query_scalar("SELECT value FROM server_keys WHERE name = $1")
            .bind(name)
            .fetch_one(&self.pool)
            .await?;
        Ok(hex::decode(stored)?)
    }
}

/// Uploaded files are kept beside a SQLite file (`data/xuncha.db` → `data/xuncha-files`); for
/// PostgreSQL in `data/xuncha-files` unless told otherwise (several servers on one database
/// must be told one shared place).
pub fn default_files_folder(url: &str) -> PathBuf {
    let rest = url
        .trim_start_matches("sqlite://")
        .trim_start_matches("sqlite:");
    let path = Path::new(rest.split_once('?').map_or(rest, |(p, _)| p));
    match (url.starts_with("sqlite:"), path.file_stem()) {
        (true, Some(stem)) if rest != ":memory:" => {
            let mut name = stem.to_os_string();
            name.push("-files");
            path.with_file_name(name)
        }
        _ => PathBuf::from("data/xuncha-files"),
    }
}

/// Makes sure the folder of a SQLite file exists and that the file is created if missing.
fn sqlite_url(url: &str) -> anyhow::Result<String> {
    let rest = url
        .trim_start_matches("sqlite://")
        .trim_start_matches("sqlite:");
    let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
    if path != ":memory:" {
        if let Some(dir) = Path::new(path).parent() {
            if !dir.as_os_str().is_empty() {
                std::fs::create_dir_all(dir)?;
            }
        }
    }
    let query = if query.contains("mode=") {
        query.to_string()
    } else if query.is_empty() {
        "mode=rwc".to_string()
    } else {
        format!("{query}&mode=rwc")
    };
    Ok(format!("sqlite://{path}?{query}"))
}

/// Timestamps are stored as fixed-width RFC 3339 UTC text so that text order is time order.
pub fn ts(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Micros, true)
}

pub fn now() -> DateTime<Utc> {
    Utc::now()
}

/// A stored timestamp; `None` when the text is not one.
pub fn parse_ts(s: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(s)
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

/// Dates are stored as `YYYY-MM-DD` text.
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
}

pub fn date_text(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

/// Typed reads of the columns the database keeps as text: an enum, a timestamp, a date. A
/// value that does not parse is an error naming the column and the row, never a default: a
/// defaulted status or source silently changes what a record means and who may read it.
pub trait Columns {
    fn enumerated<T>(&self, column: &str, parse: fn(&str) -> Option<T>) -> crate::Result<T>;
    fn enumerated_opt<T>(
        &self,
        column: &str,
        parse: fn(&str) -> Option<T>,
    ) -> crate::Result<Option<T>>;
    fn timestamp(&self, column: &str) -> crate::Result<DateTime<Utc>>;
    fn timestamp_opt(&self, column: &str) -> crate::Result<Option<DateTime<Utc>>>;
    fn date(&self, column: &str) -> crate::Result<NaiveDate>;
    fn date_opt(&self, column: &str) -> crate::Result<Option<NaiveDate>>;
    fn json<T: DeserializeOwned>(&self, column: &str) -> crate::Result<T>;
    fn json_opt<T: DeserializeOwned>(&self, column: &str) -> crate::Result<Option<T>>;
}

impl Columns for AnyRow {
    fn enumerated<T>(&self, column: &str, parse: fn(&str) -> Option<T>) -> crate::Result<T> {
        parsed(self, column, parse)
    }

    fn enumerated_opt<T>(
        &self,
        column: &str,
        parse: fn(&str) -> Option<T>,
    ) -> crate::Result<Option<T>> {
        parsed_opt(self, column, parse)
    }

    fn timestamp(&self, column: &str) -> crate::Result<DateTime<Utc>> {
        parsed(self, column, parse_ts)
    }

    fn timestamp_opt(&self, column: &str) -> crate::Result<Option<DateTime<Utc>>> {
        parsed_opt(self, column, parse_ts)
    }

    fn date(&self, column: &str) -> crate::Result<NaiveDate> {
        parsed(self, column, parse_date)
    }

    fn date_opt(&self, column: &str) -> crate::Result<Option<NaiveDate>> {
        parsed_opt(self, column, parse_date)
    }

    fn json<T: DeserializeOwned>(&self, column: &str) -> crate::Result<T> {
        parsed(self, column, |t| serde_json::from_str(t).ok())
    }

    fn json_opt<T: DeserializeOwned>(&self, column: &str) -> crate::Result<Option<T>> {
        parsed_opt(self, column, |t| serde_json::from_str(t).ok())
    }
}

/// A text column read through `parse`.
fn parsed<T>(row: &AnyRow, column: &str, parse: impl Fn(&str) -> Option<T>) -> crate::Result<T> {
    let text: String = row.try_get(column)?;
    parse(&text).ok_or_else(|| unreadable(row, column, &text))
}

/// The same for a column that may be NULL.
fn parsed_opt<T>(
    row: &AnyRow,
    column: &str,
    parse: impl Fn(&str) -> Option<T>,
) -> crate::Result<Option<T>> {
    match row.try_get::<Option<String>, _>(column)? {
        None => Ok(None),
        Some(text) => parse(&text)
            .map(Some)
            .ok_or_else(|| unreadable(row, column, &text)),
    }
}

fn unreadable(row: &AnyRow, column: &str, text: &str) -> crate::Error {
    let id = row
        .try_get::<String, _>("id")
        .unwrap_or_else(|_| "?".into());
    tracing::error!(column, row = %id, value = text, "unreadable value in the database");
    crate::Error::Internal(anyhow::anyhow!(
        "column {column} of row {id}: unreadable value {text:?}"
    ))
}

/// Whether the row `sql` finds under `$1 = id` (its one column a target id, possibly null)
/// belongs to `target_id`: what a record names must be of its own target.
pub async fn of_target(
    conn: &mut AnyConnection,
    sql: &'static str,
    id: &str,
    target_id: &str,
) -> crate::Result<bool> {
    let found: Option<Option<String>> = sqlx::query_scalar(sql)
        .bind(id)
        .fetch_optional(conn)
        .await?;
    Ok(found.flatten().as_deref() == Some(target_id))
}

pub fn new_id() -> String {
    uuid::Uuid::now_v7().to_string()
}

pub fn flag(b: bool) -> i64 {
    i64::from(b)
}
