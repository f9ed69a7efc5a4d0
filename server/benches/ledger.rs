//! The coverage ledger and rectification at province scale: ~100 counties, ~25,000 villages,
//! 5 terms of rounds each and ~200,000 rectification tasks, on SQLite. Run with `cargo xtask
//! bench` (or `cargo bench -p xuncha-server --bench ledger`). The data set is generated once
//! into target/bench/ and reused.

use std::time::{Duration, Instant};

use sqlx::Row;
use xuncha_api::coverage::{LedgerFilter, LedgerQuery};
use xuncha_api::users::Role;
use xuncha_server::access::Actor;
use xuncha_server::db::Db;
use xuncha_server::{demo, rectification, rounds, statistics};

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
                status: Some(LedgerFilter::All),
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
        report(label, times, &summary);
    }

    // Rectification: the liaison of the organisation with the most tasks, the demo liaison,
    // the reminders of the office (the whole province) and of an inspector who sits on teams
    // in every county, and one round's ledger.
    let today = chrono::Utc::now().date_naive();
    let busiest: String = sqlx::query_scalar(
        "SELECT org_id FROM rectification_tasks GROUP BY org_id ORDER BY COUNT(*) DESC, org_id LIMIT 1",
    )
    .fetch_one(&db.pool)
    .await?;
    let liaison_org: String =
        sqlx::query_scalar("SELECT org_id FROM users WHERE username = 'qingshi'")
            .fetch_one(&db.pool)
            .await?;
    let user = |username: &str, role: Role, org_id: Option<String>| {
        let pool = db.pool.clone();
        let username = username.to_string();
        async move {
            let id: String = sqlx::query_scalar("SELECT id FROM users WHERE username = $1")
                .bind(&username)
                .fetch_one(&pool)
                .await?;
            anyhow::Ok(Actor {
                id,
                username,
                display_name: "bench".into(),
                role,
                org_id,
            })
        }
    };
    let unit_busiest = Actor {
        org_id: Some(busiest),
        ..user("qingshi", Role::Unit, None).await?
    };
    let unit_demo = user("qingshi", Role::Unit, Some(liaison_org)).await?;
    let inspector = user("zhangwei", Role::Inspector, None).await?;
    let mut conn = db.pool.acquire().await?;
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
        report(label, times, &format!("{n} tasks"));
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
        report(label, times, &summary);
    }
    let round_id: String = sqlx::query_scalar(
        "SELECT r.id FROM rounds r WHERE r.term_id = $1 AND r.phase = 'rectification'",
    )
    .bind(&term_id)
    .fetch_one(&db.pool)
    .await?;
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
    report("整改台账 of a county round", times, &format!("{n} tasks"));

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
        report(label, times, &summary);
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
    report("共性问题 of a county term, office", times, &summary);
    Ok(())
}

fn report(label: &str, mut times: Vec<Duration>, summary: &str) {
    times.sort();
    println!(
        "{label}: p50 {:.2?}, p95 {:.2?}, max {:.2?} over {} runs ({summary})",
        percentile(&times, 0.5),
        percentile(&times, 0.95),
        times[times.len() - 1],
        times.len(),
    );
}
