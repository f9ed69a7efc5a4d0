//! The coverage ledger and rectification at province scale: ~100 counties, ~25,000 villages,
//! 5 terms of rounds each and ~200,000 rectification tasks, on SQLite and, with
//! `XUNCHA_TEST_POSTGRES` set (as `cargo xtask bench` does), the same data copied into
//! PostgreSQL by `migrate-to` and the same queries side by side. On PostgreSQL each query's
//! sequential scans of big tables are counted from the server's statistics: a hot query that
//! reads a whole big table is named and fails the bench. Run with `cargo xtask bench` (or
//! `cargo bench -p xuncha-server --bench ledger`). The data set is generated once into
//! target/bench/ and reused.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use sqlx::{AnyConnection, Row};
use xuncha_api::coverage::{LedgerFilter, LedgerQuery};
use xuncha_api::users::Role;
use xuncha_server::access::Actor;
use xuncha_server::db::{Backend, Db};
use xuncha_server::{demo, orgs, rectification, rounds, statistics};

const RUNS: usize = 200;

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> anyhow::Result<()> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/bench");
    std::fs::create_dir_all(&dir)?;
    let path = dir.join("province.db");
    // A data set from before rectification is made again.
    if path.exists() {
        let old = Db::connect(&format!("sqlite://{}", path.display())).await?;
        old.migrate().await?;
        let tasks: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM rectification_tasks")
            .fetch_one(&old.pool)
            .await?;
        old.pool.close().await;
        if tasks == 0 {
            std::fs::remove_file(&path)?;
        }
    }
    let db = Db::connect(&format!("sqlite://{}", path.display())).await?;
    db.migrate().await?;
    let started = Instant::now();
    if demo::seed_if_empty(&db, &demo::Size::province()).await? {
        println!(
            "generated the province data set in {:.1?}",
            started.elapsed()
        );
    }
    let count = |sql: &'static str| {
        let pool = db.pool.clone();
        async move { sqlx::query_scalar::<_, i64>(sql).fetch_one(&pool).await }
    };
    println!(
        "data set: {} organisations ({} villages and communities), {} terms, {} rounds, {} targets, \
         {} findings, {} rectification tasks ({} open)",
        count("SELECT COUNT(*) FROM orgs").await?,
        count("SELECT COUNT(*) FROM orgs WHERE level IN ('village', 'community')").await?,
        count("SELECT COUNT(*) FROM terms").await?,
        count("SELECT COUNT(*) FROM rounds").await?,
        count("SELECT COUNT(*) FROM targets").await?,
        count("SELECT COUNT(*) FROM findings").await?,
        count("SELECT COUNT(*) FROM rectification_tasks").await?,
        count("SELECT COUNT(*) FROM rectification_tasks WHERE status IN ('pending', 'in_progress', 'submitted')").await?,
    );

    let sqlite = queries(&db).await?;
    let Ok(admin_url) = std::env::var("XUNCHA_TEST_POSTGRES") else {
        println!("PostgreSQL: skipped (set XUNCHA_TEST_POSTGRES, or run `cargo xtask bench`)");
        return Ok(());
    };
    let pg = copied_to_postgres(&db, &admin_url).await?;
    let postgres = queries(&pg).await?;
    println!("\n| query | SQLite p50 | SQLite p95 | PostgreSQL p50 | PostgreSQL p95 |");
    println!("|---|---:|---:|---:|---:|");
    for (a, b) in sqlite.iter().zip(&postgres) {
        println!(
            "| {} | {:.2?} | {:.2?} | {:.2?} | {:.2?} |",
            a.label, a.p50, a.p95, b.p50, b.p95
        );
    }
    // Search by a part of a name reads every organisation by nature (LIKE '%…%'): 28,000
    // short rows, measured above; every other query must not read a big table whole.
    let scanning: Vec<&Figure> = postgres
        .iter()
        .filter(|f| !f.seq_scans.is_empty() && !f.label.starts_with(SEARCH))
        .collect();
    for f in &scanning {
        println!(
            "sequential scans on PostgreSQL in {}: {:?}",
            f.label, f.seq_scans
        );
    }
    if !scanning.is_empty() {
        anyhow::bail!(
            "{} hot queries read a big table whole on PostgreSQL",
            scanning.len()
        );
    }
    println!("no hot query reads a big table whole on PostgreSQL");
    Ok(())
}

/// The province data set copied into a fresh PostgreSQL database by `migrate-to`'s copy.
async fn copied_to_postgres(sqlite: &Db, admin_url: &str) -> anyhow::Result<Db> {
    let base = admin_url.rsplit_once('/').map_or(admin_url, |(b, _)| b);
    let admin = Db::connect(admin_url).await?;
    sqlx::query("DROP DATABASE IF EXISTS xuncha_bench_province")
        .execute(&admin.pool)
        .await?;
    sqlx::query("CREATE DATABASE xuncha_bench_province")
        .execute(&admin.pool)
        .await?;
    admin.pool.close().await;
    let pg = Db::connect(&format!("{base}/xuncha_bench_province")).await?;
    pg.migrate().await?;
    let started = Instant::now();
    let moved = xuncha_server::operations::to_postgres::copy(sqlite, &pg).await?;
    anyhow::ensure!(moved.matches(), "the copy differs: {:?}", moved.tables);
    sqlx::query("ANALYZE").execute(&pg.pool).await?;
    // Connections that end hand in their statistics: the copy's own counting scans are then
    // not taken for the first query's.
    pg.pool.close().await;
    let pg = Db::connect(&format!("{base}/xuncha_bench_province")).await?;
    let rows: i64 = moved.tables.iter().map(|(_, n, _)| n).sum();
    println!(
        "\ncopied {rows} rows into PostgreSQL in {:.1?} (migrate-to's copy, then ANALYZE)",
        started.elapsed()
    );
    Ok(pg)
}

struct Figure {
    label: String,
    p50: Duration,
    p95: Duration,
    /// PostgreSQL only: big tables read whole by the query, with how many times.
    seq_scans: BTreeMap<String, i64>,
}

/// Sequential scans so far per table of over 10,000 rows (PostgreSQL's statistics, flushed
/// from this connection first); nothing on SQLite.
async fn seq_scans(db: &Db, conn: &mut AnyConnection) -> anyhow::Result<BTreeMap<String, i64>> {
    if db.backend != Backend::Postgres {
        return Ok(BTreeMap::new());
    }
    sqlx::query("SELECT pg_stat_force_next_flush()")
        .execute(&mut *conn)
        .await?;
    sqlx::query("SELECT pg_stat_clear_snapshot()")
        .execute(&mut *conn)
        .await?;
    let rows = sqlx::query(
        "SELECT relname::text AS name, seq_scan FROM pg_stat_user_tables WHERE n_live_tup > 10000",
    )
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|r| Ok((r.try_get("name")?, r.try_get("seq_scan")?)))
        .collect()
}

/// Times every query of the bench on one database, in the same order on each.
async fn queries(db: &Db) -> anyhow::Result<Vec<Figure>> {
    println!("\n{:?}:", db.backend);
    let mut figures = Vec::new();
    let mut conn = db.pool.acquire().await?;
    // Everything the queries are asked with is looked up first, on the one connection the
    // scans are counted from.
    // The current term of the last county generated: the same work for any county.
    let row =
        sqlx::query("SELECT id FROM terms ORDER BY start_date DESC, committee_org_id DESC LIMIT 1")
            .fetch_one(&mut *conn)
            .await?;
    let term_id: String = row.try_get("id")?;
    let admin_id: String = sqlx::query_scalar("SELECT id FROM users WHERE username = 'admin'")
        .fetch_one(&mut *conn)
        .await?;
    let actor = Actor {
        id: admin_id,
        username: "admin".into(),
        display_name: "bench".into(),
        role: Role::Admin,
        org_id: None,
    };
    // Rectification: the liaison of the organisation with the most tasks, the demo liaison,
    // the reminders of the office (the whole province) and of an inspector who sits on teams
    // in every county, and one round's ledger.
    let today = chrono::Utc::now().date_naive();
    let busiest: String = sqlx::query_scalar(
        "SELECT org_id FROM rectification_tasks GROUP BY org_id ORDER BY COUNT(*) DESC, org_id LIMIT 1",
    )
    .fetch_one(&mut *conn)
    .await?;
    let liaison_org: String =
        sqlx::query_scalar("SELECT org_id FROM users WHERE username = 'qingshi'")
            .fetch_one(&mut *conn)
            .await?;
    let unit_busiest = Actor {
        org_id: Some(busiest),
        ..user(&mut conn, "qingshi", Role::Unit, None).await?
    };
    let unit_demo = user(&mut conn, "qingshi", Role::Unit, Some(liaison_org)).await?;
    let inspector = user(&mut conn, "zhangwei", Role::Inspector, None).await?;
    let round_id: String = sqlx::query_scalar(
        "SELECT r.id FROM rounds r WHERE r.term_id = $1 AND r.phase = 'rectification'",
    )
    .bind(&term_id)
    .fetch_one(&mut *conn)
    .await?;
    // The organisation tree for the office of the whole province: the full list the office
    // app loads today, against what loading it a level at a time sends.
    let full = orgs::store::list(&mut conn, &actor).await?;
    let top = orgs::tree::children(&mut conn, &actor, None).await?;
    let second = orgs::tree::children(&mut conn, &actor, Some(&top[0].org.id)).await?;
    let county_id: String = sqlx::query_scalar("SELECT committee_org_id FROM terms WHERE id = $1")
        .bind(&term_id)
        .fetch_one(&mut *conn)
        .await?;
    let county = orgs::tree::subtree(&mut conn, &actor, &county_id).await?;
    let bytes = |v: usize| format!("{v} B");
    println!(
        "organisation tree for the province office: the whole list {} ({} organisations); \
         a level at a time: the top {} + the next level {} ({} organisations), a county in one \
         request {} ({} organisations)",
        bytes(serde_json::to_vec(&full)?.len()),
        full.len(),
        bytes(serde_json::to_vec(&top)?.len()),
        bytes(serde_json::to_vec(&second)?.len()),
        second.len(),
        bytes(serde_json::to_vec(&county)?.len()),
        county.len()
    );
    let mut scans = seq_scans(db, &mut conn).await?;
    let mut record =
        |label: &str, times: Vec<Duration>, summary: &str, now: BTreeMap<String, i64>| {
            let (p50, p95) = report(label, times, summary);
            let seq_scans = now
                .iter()
                .filter_map(|(t, n)| {
                    let before = scans.get(t).copied().unwrap_or(0);
                    (*n > before).then(|| (t.clone(), n - before))
                })
                .collect();
            scans = now;
            figures.push(Figure {
                label: label.to_string(),
                p50,
                p95,
                seq_scans,
            });
        };

    for (label, q) in [
        (
            "ledger, county term, not-covered list",
            LedgerQuery::default(),
        ),
        (
            "ledger, county term, full list",
            LedgerQuery {
                status: Some(LedgerFilter::All),
                ..Default::default()
            },
        ),
    ] {
        let mut times = Vec::with_capacity(RUNS);
        let mut summary = String::new();
        for _ in 0..RUNS {
            let t = Instant::now();
            let l = rounds::coverage::ledger(
                &mut conn,
                &actor,
                &term_id,
                &q,
                rounds::coverage::LIST_LIMIT,
            )
            .await?;
            times.push(t.elapsed());
            summary = format!(
                "{}/{} covered, {} effective ({} with no findings), {} awaiting feedback, \
                 {} rectifying, {} listed",
                l.overall.covered,
                l.overall.total,
                l.overall.effective,
                l.overall.no_findings,
                l.overall.pending_feedback,
                l.overall.rectifying,
                l.orgs.len()
            );
        }
        record(label, times, &summary, seq_scans(db, &mut conn).await?);
    }

    for (label, who) in [
        ("unit task list, busiest organisation", &unit_busiest),
        ("unit task list, demo village", &unit_demo),
    ] {
        let mut times = Vec::with_capacity(RUNS);
        let mut n = 0;
        for _ in 0..RUNS {
            let t = Instant::now();
            n = rectification::mine(&mut conn, who, today).await?.len();
            times.push(t.elapsed());
        }
        record(
            label,
            times,
            &format!("{n} tasks"),
            seq_scans(db, &mut conn).await?,
        );
    }
    for (label, who) in [
        ("reminders, office (whole province)", &actor),
        ("reminders, inspector on teams in every county", &inspector),
    ] {
        let mut times = Vec::with_capacity(RUNS);
        let mut summary = String::new();
        for _ in 0..RUNS {
            let t = Instant::now();
            let r = rectification::ledger::reminders(&mut conn, who, today).await?;
            times.push(t.elapsed());
            summary = format!(
                "{} due or overdue, {} shown in {} organisations",
                r.total,
                r.groups.iter().map(|g| g.tasks.len()).sum::<usize>(),
                r.groups.len()
            );
        }
        record(label, times, &summary, seq_scans(db, &mut conn).await?);
    }
    let mut times = Vec::with_capacity(RUNS / 4);
    let mut n = 0;
    for _ in 0..RUNS / 4 {
        let t = Instant::now();
        let l = rectification::ledger::ledger(
            &mut conn,
            &actor,
            rectification::ledger::Scope::Round(&round_id),
            today,
        )
        .await?;
        times.push(t.elapsed());
        n = l.rows.len();
    }
    record(
        "整改台账 of a county round",
        times,
        &format!("{n} tasks"),
        seq_scans(db, &mut conn).await?,
    );

    // 统计分析 and 共性问题 of the county's term, for the office and for an inspector on teams
    // in every county (their own targets only).
    let q = xuncha_api::statistics::StatisticsQuery::default();
    for (label, who) in [
        ("统计分析 of a county term, office", &actor),
        (
            "统计分析 of a county term, inspector (own targets)",
            &inspector,
        ),
    ] {
        let mut times = Vec::with_capacity(RUNS / 4);
        let mut summary = String::new();
        for _ in 0..RUNS / 4 {
            let t = Instant::now();
            let s = statistics::store::statistics(&mut conn, who, &term_id, &q).await?;
            times.push(t.elapsed());
            summary = format!(
                "{} targets, {} findings, {} tasks ({:?}% closed), {} townships",
                s.targets,
                s.findings,
                s.rectification.total,
                s.rectification.rate_percent,
                s.townships.len()
            );
        }
        record(label, times, &summary, seq_scans(db, &mut conn).await?);
    }
    let mut times = Vec::with_capacity(RUNS / 4);
    let mut summary = String::new();
    for _ in 0..RUNS / 4 {
        let t = Instant::now();
        let c = statistics::common::common_problems(
            &mut conn,
            &actor,
            &term_id,
            &q,
            &Default::default(),
        )
        .await?;
        times.push(t.elapsed());
        summary = format!(
            "{} findings into {} groups across villages, the largest in {} villages",
            c.findings,
            c.groups.len(),
            c.groups.first().map_or(0, |g| g.organisations)
        );
    }
    record(
        "共性问题 of a county term, office",
        times,
        &summary,
        seq_scans(db, &mut conn).await?,
    );

    let mut times = Vec::with_capacity(RUNS);
    for _ in 0..RUNS {
        let t = Instant::now();
        orgs::tree::children(&mut conn, &actor, Some(&top[0].org.id)).await?;
        times.push(t.elapsed());
    }
    record(
        "orgs: the level under the top",
        times,
        &format!("{} organisations", second.len()),
        seq_scans(db, &mut conn).await?,
    );
    let mut times = Vec::with_capacity(RUNS);
    for _ in 0..RUNS {
        let t = Instant::now();
        orgs::tree::subtree(&mut conn, &actor, &county_id).await?;
        times.push(t.elapsed());
    }
    record(
        "orgs: a county's subtree",
        times,
        &format!("{} organisations", county.len()),
        seq_scans(db, &mut conn).await?,
    );
    let q = xuncha_api::orgs::OrgSearchQuery {
        q: "青石".into(),
        limit: None,
        after: None,
    };
    let mut times = Vec::with_capacity(RUNS);
    let mut n = 0;
    for _ in 0..RUNS {
        let t = Instant::now();
        n = orgs::tree::search(&mut conn, &actor, &q).await?.hits.len();
        times.push(t.elapsed());
    }
    record(
        &format!("{SEARCH} 青石, first page"),
        times,
        &format!("{n} hits"),
        seq_scans(db, &mut conn).await?,
    );
    Ok(figures)
}

const SEARCH: &str = "orgs: search";

async fn user(
    conn: &mut AnyConnection,
    username: &str,
    role: Role,
    org_id: Option<String>,
) -> anyhow::Result<Actor> {
    let id: String = sqlx::query_scalar("SELECT id FROM users WHERE username = $1")
        .bind(username)
        .fetch_one(&mut *conn)
        .await?;
    Ok(Actor {
        id,
        username: username.to_string(),
        display_name: "bench".into(),
        role,
        org_id,
    })
}

fn report(label: &str, mut times: Vec<Duration>, summary: &str) -> (Duration, Duration) {
    times.sort();
    let (p50, p95) = (percentile(&times, 0.5), percentile(&times, 0.95));
    println!(
        "{label}: p50 {p50:.2?}, p95 {p95:.2?}, max {:.2?} over {} runs ({summary})",
        times[times.len() - 1],
        times.len(),
    );
    (p50, p95)
}
