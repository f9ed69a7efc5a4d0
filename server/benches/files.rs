//! What photos cost the database: 1,000 photos of 300 KB (a phone's 1600 px JPEG) sent to
//! self-checks through the API, then the SQLite file and the file store measured; then the
//! same rows as the versions before the file store kept them (base64 in the row) for the
//! comparison. Figures per 10,000 photos are the measured ones times ten.
//! `cargo bench -p xuncha-server --bench files`

use std::path::Path;
use std::time::Instant;

use base64::Engine;
use serde_json::json;
use xuncha_api::checklists::Record;
use xuncha_server::demo::PASSWORD;
use xuncha_server::testkit;

const PHOTOS: usize = 1_000;
const SIZE: usize = 300 * 1024;

fn folder_bytes(dir: &Path) -> u64 {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(|e| e.ok())
                .map(|e| {
                    let meta = e.metadata().unwrap();
                    if meta.is_dir() {
                        folder_bytes(&e.path())
                    } else {
                        meta.len()
                    }
                })
                .sum()
        })
        .unwrap_or(0)
}

fn db_bytes(url: &str) -> u64 {
    let path = url.trim_start_matches("sqlite://");
    ["", "-wal"]
        .iter()
        .map(|s| {
            std::fs::metadata(format!("{path}{s}"))
                .map(|m| m.len())
                .unwrap_or(0)
        })
        .sum()
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    std::env::remove_var(testkit::PG_ENV);
    let (base, state) = testkit::spawn(|_| {}).await?;
    let c = reqwest::Client::builder().cookie_store(true).build()?;
    c.post(format!("{base}/api/auth/login"))
        .json(&json!({ "username": "qingshi", "password": PASSWORD }))
        .send()
        .await?
        .error_for_status()?;
    let url = state.config.database_url.clone();
    let files = state.config.files_folder();
    let vacuumed = || async {
        sqlx::query("VACUUM").execute(&state.db.pool).await?;
        sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
            .execute(&state.db.pool)
            .await?;
        anyhow::Ok(db_bytes(&url))
    };
    let before = vacuumed().await?;

    let started = Instant::now();
    let mut record = String::new();
    for i in 0..PHOTOS {
        // A self-check holds a few dozen photos; a new one every 40.
        if i % 40 == 0 {
            let r: Record = c
                .post(format!("{base}/api/checklists/records"))
                .json(&json!({ "kind": "self_check" }))
                .send()
                .await?
                .json()
                .await?;
            record = r.id;
        }
        let mut photo = vec![0u8; SIZE];
        photo[..3].copy_from_slice(b"\xff\xd8\xff");
        // Different bytes each (JPEG data does not compress): a cheap generator.
        let mut x = (i as u64 + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        for b in photo[3..].iter_mut() {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            *b = x as u8;
        }
        c.put(format!(
            "{base}/api/checklists/records/{record}/evidence/photo-{i}?item_id=p-0{}",
            1 + i % 3
        ))
        .header("content-type", "image/jpeg")
        .body(photo)
        .send()
        .await?
        .error_for_status()?;
    }
    let took = started.elapsed();
    let now_db = vacuumed().await? - before;
    let now_files = folder_bytes(&files);

    // As the versions before kept them: every photo's bytes in its row, base64.
    let engine = base64::engine::general_purpose::STANDARD;
    let ids: Vec<(String, String)> = sqlx::query_as("SELECT id, sha256 FROM evidence")
        .fetch_all(&state.db.pool)
        .await?;
    for (id, sha) in &ids {
        let bytes = state.db.files.read(sha).await?;
        sqlx::query("UPDATE evidence SET data = $1 WHERE id = $2")
            .bind(engine.encode(&bytes))
            .bind(id)
            .execute(&state.db.pool)
            .await?;
    }
    let old_db = vacuumed().await? - before;

    let mb = |b: u64| b as f64 / 1_000_000.0;
    println!(
        "{PHOTOS} photos of {} KB sent in {took:.1?} ({:.0} photos/s)",
        SIZE / 1024,
        PHOTOS as f64 / took.as_secs_f64()
    );
    println!("| per 10,000 photos of 300 KB | database | file store |");
    println!("|---|---:|---:|");
    println!(
        "| before (base64 in the row) | {:.0} MB | — |",
        mb(old_db) * 10.0
    );
    println!(
        "| now (content-addressed files) | {:.1} MB | {:.0} MB |",
        mb(now_db) * 10.0,
        mb(now_files) * 10.0
    );
    Ok(())
}
