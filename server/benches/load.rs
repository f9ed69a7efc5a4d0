//! Load from outside, against a real server process on 127.0.0.1 with the demo county on a
//! fresh SQLite file: sign-ins with unknown names at 8 and 64 connections (latency, and the
//! server's resident memory), and 16 progress reports sent at once on one task (how many
//! succeed). Run with `cargo bench -p xuncha-server --bench load` after
//! `cargo build --release -p xuncha-server`; `XUNCHA_BENCH_SERVER` names another server binary
//! to compare (an older build).

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use futures::future::join_all;
use serde_json::{json, Value};

struct Server {
    child: Child,
    base: String,
    _dir: std::path::PathBuf,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    /// Peak and current resident memory of the server process, in MiB.
    fn memory(&self) -> (f64, f64) {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id()))
            .unwrap_or_default();
        let kib = |key: &str| {
            status
                .lines()
                .find(|l| l.starts_with(key))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse::<f64>().ok())
                .unwrap_or(0.0)
        };
        (kib("VmHWM:") / 1024.0, kib("VmRSS:") / 1024.0)
    }
}

async fn start(binary: &str) -> anyhow::Result<Server> {
    let port = std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port();
    let dir = std::env::temp_dir().join(format!("xuncha-load-{port}"));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir)?;
    let child = Command::new(binary)
        .arg("--demo")
        .env("DATABASE_URL", format!("sqlite://{}/x.db", dir.display()))
        .env("XUNCHA_BIND", format!("127.0.0.1:{port}"))
        .env("XUNCHA_DIST", dir.join("no-dist"))
        // Spraying protection would answer most of these sign-ins 429 without hashing.
        .env("XUNCHA_MAX_FAILED_LOGINS_PER_ADDRESS", "100000000")
        .env("RUST_LOG", "error")
        .stdout(Stdio::null())
        .spawn()?;
    let base = format!("http://127.0.0.1:{port}");
    let client = reqwest::Client::new();
    for _ in 0..600 {
        if client
            .get(format!("{base}/api/health"))
            .send()
            .await
            .is_ok()
        {
            return Ok(Server {
                child,
                base,
                _dir: dir,
            });
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    anyhow::bail!("the server did not start")
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

/// `connections` clients each sign in `per_connection` times with unknown names.
async fn sign_ins(server: &Server, connections: usize, per_connection: usize) -> String {
    let (_, idle) = server.memory();
    let started = Instant::now();
    let runs = (0..connections).map(|c| {
        let url = format!("{}/api/auth/login", server.base);
        async move {
            let client = reqwest::Client::new();
            let mut times = Vec::new();
            let mut statuses = Vec::new();
            for i in 0..per_connection {
                let t = Instant::now();
                let status = client
                    .post(&url)
                    .json(
                        &json!({ "username": format!("nobody{c}x{i}"), "password": "Guess@2026" }),
                    )
                    .send()
                    .await
                    .map(|r| r.status().as_u16())
                    .unwrap_or(0);
                times.push(t.elapsed());
                statuses.push(status);
            }
            (times, statuses)
        }
    });
    let (mut times, mut statuses) = (Vec::new(), Vec::new());
    for (t, s) in join_all(runs).await {
        times.extend(t);
        statuses.extend(s);
    }
    let wall = started.elapsed();
    times.sort();
    let (peak, now) = server.memory();
    let count = |code: u16| statuses.iter().filter(|s| **s == code).count();
    format!(
        "| {connections} | {} | {:.0} ms | {:.0} ms | {:.0}/s | {} / {} / {} | {idle:.0} MiB | {peak:.0} MiB | {now:.0} MiB |",
        times.len(),
        percentile(&times, 0.5).as_secs_f64() * 1000.0,
        percentile(&times, 0.99).as_secs_f64() * 1000.0,
        times.len() as f64 / wall.as_secs_f64(),
        count(401),
        count(503),
        times.len() - count(401) - count(503),
    )
}

/// 16 reports at once on one task of the demo liaison's, `rounds` times: how many got 2xx.
async fn concurrent_reports(server: &Server, rounds: usize) -> anyhow::Result<String> {
    let client = reqwest::Client::builder().cookie_store(true).build()?;
    let r = client
        .post(format!("{}/api/auth/login", server.base))
        .json(&json!({ "username": "qingshi", "password": "Xuncha@2026" }))
        .send()
        .await?;
    anyhow::ensure!(r.status().is_success(), "the liaison signs in");
    let tasks: Vec<Value> = client
        .get(format!("{}/api/my/tasks", server.base))
        .send()
        .await?
        .json()
        .await?;
    let task = tasks
        .iter()
        .find(|t| t["status"] == "in_progress" || t["status"] == "pending")
        .ok_or_else(|| anyhow::anyhow!("the demo liaison has an open task"))?["id"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let (mut ok, mut all) = (0, 0);
    for round in 0..rounds {
        let sends = (0..16).map(|i| {
            client
                .post(format!("{}/api/tasks/{task}/progress", server.base))
                .json(&json!({ "id": format!("load-{round}-{i}"), "note": format!("第{round}轮第{i}条") }))
                .send()
        });
        for r in join_all(sends).await {
            all += 1;
            if r.map(|r| r.status().is_success()).unwrap_or(false) {
                ok += 1;
            }
        }
    }
    Ok(format!(
        "16 reports at once on one task, {rounds} times: {ok} of {all} succeeded ({:.0}%)",
        ok as f64 * 100.0 / all as f64
    ))
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let binary = std::env::var("XUNCHA_BENCH_SERVER").unwrap_or_else(|_| {
        concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../target/release/xuncha-server"
        )
        .to_string()
    });
    println!("server: {binary}");
    println!(
        "| connections | sign-ins | p50 | p99 | rate | 401 / 503 / other | RSS before | peak RSS | RSS after |"
    );
    println!("|---:|---:|---:|---:|---:|---|---:|---:|---:|");
    for connections in [8, 64] {
        // A fresh process for each, so the peak belongs to that load alone.
        let server = start(&binary).await?;
        println!(
            "{}",
            sign_ins(&server, connections, 512 / connections * 2).await
        );
    }
    let server = start(&binary).await?;
    println!("{}", concurrent_reports(&server, 20).await?);
    Ok(())
}
