//! The way up from SQLite: every table of a county's SQLite database copied into an empty
//! PostgreSQL database of the same schema, in one transaction, parents before children, then
//! each table's rows counted on both sides and the audit chain walked on the copy.

use std::collections::{BTreeMap, BTreeSet};

use sqlx::any::AnyArguments;
use sqlx::{Arguments, Row};

use crate::db::{Backend, Db};

/// Rows sent in one INSERT: well under PostgreSQL's 65,535 parameters for the widest table.
const BATCH: usize = 200;

#[derive(Debug)]
pub struct Moved {
    /// Each table with its rows in SQLite and in PostgreSQL.
    pub tables: Vec<(String, i64, i64)>,
    pub audit_entries: i64,
}

impl Moved {
    pub fn matches(&self) -> bool {
        self.tables.iter().all(|(_, a, b)| a == b)
    }
}

pub async fn copy(source: &Db, target: &Db) -> anyhow::Result<Moved> {
    if source.backend != Backend::Sqlite || target.backend != Backend::Postgres {
        anyhow::bail!("migrate-to copies a SQLite database (DATABASE_URL) into PostgreSQL");
    }
    let tables = in_dependency_order(source).await?;
    refuse_unless_empty(target, &tables).await?;
    let mut tx = target.pool.begin().await?;
    for table in &tables {
        let columns = columns_of(target, table).await?;
        copy_table(source, &mut tx, table, &columns).await?;
    }
    tx.commit().await?;

    let mut counted = Vec::new();
    for table in &tables {
        let count = |db: &Db| {
            let sql = format!("SELECT COUNT(*) FROM {table}");
            let pool = db.pool.clone();
            async move {
                sqlx::query_scalar::<_, i64>(sqlx::AssertSqlSafe(sql))
                    .fetch_one(&pool)
                    .await
            }
        };
        counted.push((table.clone(), count(source).await?, count(target).await?));
    }
    let check = crate::audit::chain::verify(target, None).await?;
    if check.broken.is_some() {
        anyhow::bail!(
            "the audit log copied does not verify: {}",
            crate::tools::report(&check)
        );
    }
    Ok(Moved {
        tables: counted,
        audit_entries: check.entries,
    })
}

/// Tables that refer to others come after them (SQLite's own foreign key list decides).
async fn in_dependency_order(db: &Db) -> anyhow::Result<Vec<String>> {
    let tables = super::tables(db).await?;
    let mut needs: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for table in &tables {
        let parents: Vec<String> = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
            "SELECT \"table\" FROM pragma_foreign_key_list('{table}')"
        )))
        .fetch_all(&db.pool)
        .await?;
        needs.insert(
            table.clone(),
            parents.into_iter().filter(|p| p != table).collect(),
        );
    }
    let mut ordered: Vec<String> = Vec::new();
    while ordered.len() < tables.len() {
        let ready: Vec<String> = tables
            .iter()
            .filter(|t| !ordered.contains(t))
            .filter(|t| needs[*t].iter().all(|p| ordered.contains(p)))
            .cloned()
            .collect();
        if ready.is_empty() {
            anyhow::bail!("the tables refer to each other in a circle: cannot order the copy");
        }
        ordered.extend(ready);
    }
    Ok(ordered)
}

/// A database that holds anything but what its migrations put there is not written into.
async fn refuse_unless_empty(target: &Db, tables: &[String]) -> anyhow::Result<()> {
    for table in tables {
        let rows: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
            "SELECT COUNT(*) FROM {table}{}",
            if table == "audit_head" {
                " WHERE seq <> 0"
            } else {
                ""
            }
        )))
        .fetch_one(&target.pool)
        .await?;
        if rows > 0 {
            anyhow::bail!("the PostgreSQL database is not empty ({table} has {rows} rows)");
        }
    }
    Ok(())
}

#[derive(Debug, Clone, Copy)]
enum Kind {
    Text,
    Int,
    BigInt,
}

async fn columns_of(target: &Db, table: &str) -> anyhow::Result<Vec<(String, Kind)>> {
    let rows = sqlx::query(
        "SELECT column_name::text AS column_name, data_type::text AS data_type \
         FROM information_schema.columns \
         WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position",
    )
    .bind(table)
    .fetch_all(&target.pool)
    .await?;
    rows.iter()
        .map(|r| {
            let name: String = r.try_get("column_name")?;
            let kind = match r.try_get::<String, _>("data_type")?.as_str() {
                "text" | "character varying" => Kind::Text,
                "integer" | "smallint" => Kind::Int,
                "bigint" => Kind::BigInt,
                other => anyhow::bail!("{table}.{name}: no copy for PostgreSQL type {other}"),
            };
            Ok((name, kind))
        })
        .collect()
}

async fn copy_table(
    source: &Db,
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    table: &str,
    columns: &[(String, Kind)],
) -> anyhow::Result<()> {
    let names = columns
        .iter()
        .map(|(n, _)| format!("\"{n}\""))
        .collect::<Vec<_>>()
        .join(", ");
    let mut after: i64 = i64::MIN;
    loop {
        // In the order rows were written, which keeps a parent before its children within
        // a table that refers to itself (organisations under organisations).
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT rowid AS copy_rowid, {names} FROM {table} WHERE rowid > $1 \
             ORDER BY rowid LIMIT {BATCH}"
        )))
        .bind(after)
        .fetch_all(&source.pool)
        .await?;
        let Some(last) = rows.last() else {
            break;
        };
        after = last.try_get("copy_rowid")?;
        if table == "audit_head" {
            let r = &rows[0];
            sqlx::query("UPDATE audit_head SET seq = $1, hash = $2 WHERE id = $3")
                .bind(r.try_get::<i64, _>("seq")?)
                .bind(r.try_get::<String, _>("hash")?)
                .bind(r.try_get::<i64, _>("id")?)
                .execute(&mut **tx)
                .await?;
            continue;
        }
        let mut args = AnyArguments::default();
        let mut values = Vec::with_capacity(rows.len());
        let mut n = 0;
        for r in &rows {
            let mut placeholders = Vec::with_capacity(columns.len());
            for (name, kind) in columns {
                n += 1;
                placeholders.push(format!("${n}"));
                let name = name.as_str();
                match kind {
                    Kind::Text => args.add(r.try_get::<Option<String>, _>(name)?),
                    Kind::Int => args.add(r.try_get::<Option<i64>, _>(name)?.map(|v| v as i32)),
                    Kind::BigInt => args.add(r.try_get::<Option<i64>, _>(name)?),
                }
                .map_err(|e| anyhow::anyhow!("{table}.{name}: {e}"))?;
            }
            values.push(format!("({})", placeholders.join(", ")));
        }
        sqlx::query_with(
            sqlx::AssertSqlSafe(format!(
                "INSERT INTO {table} ({names}) VALUES {}",
                values.join(", ")
            )),
            args,
        )
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}
