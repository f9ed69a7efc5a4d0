//! The audit log's hash chain: how many entries per second it takes (one per transaction, as a
//! write or a restricted read makes them, from 1 and from 16 writers at once) and how long
//! `audit verify` takes over 1,000,000 entries. On SQLite; also on PostgreSQL when
//! XUNCHA_TEST_POSTGRES is set. Run with `cargo bench -p xuncha-server --bench audit`.

use std::time::Instant;

use xuncha_server::audit::{self, chain};
use xuncha_server::db::Db;
use xuncha_server::testkit;

const ENTRIES: i64 = 1_000_000;
const BATCH: i64 = 2_000;

async fn one_per_transaction(db: &Db, writers: usize, each: usize) -> anyhow::Result<f64> {
    let started = Instant::now();
    let tasks = (0..writers).map(|w| {
        let db = db.clone();
        tokio::spawn(async move {
            for i in 0..each {
                let mut tx = db.begin().await?;
                audit::record(
                    &mut tx,
                    None,
                    "bench.write",
                    "bench",
                    Some(&format!("{w}-{i}")),
                    serde_json::json!({ "writer": w, "i": i }),
                );
                tx.commit().await?;
            }
            anyhow::Ok(())
        })
    });
    for t in futures::future::join_all(tasks).await {
        t??;
    }
    Ok((writers * each) as f64 / started.elapsed().as_secs_f64())
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let url = testkit::fresh_database_url().await?;
    let db = Db::connect(&url).await?;
    db.migrate().await?;
    println!("audit chain on {:?}", db.backend);

    let single = one_per_transaction(&db, 1, 2_000).await?;
    println!("append, 1 writer, 1 entry per transaction: {single:.0} entries/s");
    let many = one_per_transaction(&db, 16, 250).await?;
    println!("append, 16 writers, 1 entry per transaction: {many:.0} entries/s");

    let started = Instant::now();
    let mut written = chain::checkpoint(&db).await?.seq;
    while written < ENTRIES {
        let mut tx = db.begin().await?;
        for i in 0..BATCH.min(ENTRIES - written) {
            audit::record(
                &mut tx,
                None,
                "bench.fill",
                "bench",
                Some(&(written + i).to_string()),
                serde_json::json!({ "i": written + i, "note": "一条审计记录" }),
            );
        }
        tx.commit().await?;
        written = chain::checkpoint(&db).await?.seq;
    }
    println!(
        "filled to {written} entries in {:.1?} ({BATCH} per transaction)",
        started.elapsed()
    );

    let started = Instant::now();
    let check = chain::verify(&db, None).await?;
    let took = started.elapsed();
    assert_eq!(check.broken, None);
    println!(
        "audit verify over {} entries: {:.2?} ({:.0} entries/s)",
        check.entries,
        took,
        check.entries as f64 / took.as_secs_f64()
    );
    db.pool.close().await;
    if let Some(path) = url.strip_prefix("sqlite://") {
        let _ = std::fs::remove_file(path);
    }
    Ok(())
}
