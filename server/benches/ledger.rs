//! The coverage ledger at province scale: ~100 counties, ~25,000 villages, 5 terms of rounds
//! each, on SQLite. Run with `cargo xtask bench` (or `cargo bench -p xuncha-server --bench
//! ledger`). The data set is generated once into target/bench/ and reused.

use std::time::{Duration, Instant};

use sqlx::Row;
use xuncha_api::coverage::LedgerQuery;
use xuncha_api::users::Role;
use xuncha_server::auth::Actor;
use xuncha_server::db::Db;
use xuncha_server::{demo, rounds};

const RUNS: usize = 200;

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> anyhow::Result<()> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/bench");
    std::fs::create_dir_all(&dir)?;
    let path = dir.join("province.db");
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
        "data set: {} organisations ({} villages and communities), {} terms, {} rounds, {} targets",
        count("SELECT COUNT(*) FROM orgs").await?,
        count("SELECT COUNT(*) FROM orgs WHERE level IN ('village', 'community')").await?,
        count("SELECT COUNT(*) FROM terms").await?,
        count("SELECT COUNT(*) FROM rounds").await?,
        count("SELECT COUNT(*) FROM targets").await?,
    );

    // The current term of the last county generated: the same work for any county.
    let row =
        sqlx::query("SELECT id FROM terms ORDER BY start_date DESC, committee_org_id DESC LIMIT 1")
            .fetch_one(&db.pool)
            .await?;
    let term_id: String = row.try_get("id")?;
    let admin_id: String = sqlx::query_scalar("SELECT id FROM users WHERE username = 'admin'")
        .fetch_one(&db.pool)
        .await?;
    let actor = Actor {
        id: admin_id,
        username: "admin".into(),
        display_name: "bench".into(),
        role: Role::Admin,
        org_id: None,
    };

    for (label, q) in [
        (
            "ledger, county term, not-covered list",
            LedgerQuery::default(),
        ),
        (
            "ledger, county term, full list",
            LedgerQuery {
                status: Some("all".into()),
                ..Default::default()
            },
        ),
    ] {
        let mut conn = db.pool.acquire().await?;
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
                "{}/{} covered, {} listed",
                l.overall.covered,
                l.overall.total,
                l.orgs.len()
            );
        }
        times.sort();
        println!(
            "{label}: p50 {:.2?}, p95 {:.2?}, max {:.2?} over {RUNS} runs ({summary})",
            percentile(&times, 0.5),
            percentile(&times, 0.95),
            times[times.len() - 1],
        );
    }
    Ok(())
}
