//! Running a server over the years: backups of a SQLite database with its files, putting one
//! back, and the move of a county's database up to PostgreSQL.

pub mod backup;
pub mod to_postgres;

use crate::db::{Backend, Db};

/// The application's tables (not the migration bookkeeping), by name.
pub async fn tables(db: &Db) -> anyhow::Result<Vec<String>> {
    let sql = match db.backend {
        Backend::Sqlite => {
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite%' \
             AND substr(name, 1, 1) <> '_' ORDER BY name"
        }
        Backend::Postgres => {
            "SELECT table_name::text FROM information_schema.tables \
             WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' \
             AND substr(table_name, 1, 1) <> '_' ORDER BY table_name COLLATE \"C\""
        }
    };
    Ok(sqlx::query_scalar(sql).fetch_all(&db.pool).await?)
}
