//! The inspector's stationing week, measured in headless Chromium (not a test): at 360×740 an
//! inspector opens a target once with a network, then with none (the server stopped too)
//! works through the week of `xuncha_e2e::week::on_site` — twelve people to visit, one visit
//! recorded, what the audit office said, a problem expected, three findings, a 立行立改 task,
//! two talks and a petition — and reloads. Figures: the bytes the device keeps for that one
//! target, by IndexedDB store, and the time of the one sync once the signal returns on the
//! throttled 3G profile with the CPU 4× slower, from the network coming back to the server
//! holding all of it and the page saying nothing waits. `cargo xtask bench` runs it.

use std::time::{Duration, Instant};

use serde_json::Value;
use xuncha_e2e::{p50, week, workspace, Browser, Office};

const RUNS: usize = 3;
/// The stationing edits, and the records of the rest of the week: three findings, a task,
/// two talks and a petition.
const EDITS: usize = week::STATION_EDITS;
const RECORDS: usize = 7;

/// Bytes of what each IndexedDB store holds (values as UTF-8 JSON, blobs by size) and of the
/// kept copy of the target's lists.
const KEPT: &str = "
  const [target, done] = [arguments[0], arguments[arguments.length - 1]];
  const open = indexedDB.open('xuncha');
  open.onsuccess = () => {
    const db = open.result;
    const names = [...db.objectStoreNames];
    const tx = db.transaction(names, 'readonly');
    const sizes = {};
    const bytes = (v) => v instanceof Blob ? v.size
      : new Blob([typeof v === 'string' ? v : JSON.stringify(v)]).size;
    for (const name of names) {
      const all = tx.objectStore(name).getAll();
      all.onsuccess = () => { sizes[name] = all.result.reduce((n, v) => n + bytes(v), 0); };
    }
    const lists = tx.objectStore('meta').get('stationing:' + target);
    lists.onsuccess = () => { sizes['(the lists of this target)'] = lists.result ? bytes(lists.result) : 0; };
    tx.oncomplete = () => { db.close(); done(sizes); };
  };
  open.onerror = () => done(null);
";

struct Run {
    sizes: Vec<(String, f64)>,
    sync_ms: f64,
    /// Until the first record reached the server: the outbox noticing the signal.
    first_ms: f64,
}

/// What of the week the server holds: stationing rows, then the other records.
async fn on_server(office: &Office, target: &str) -> (usize, usize) {
    let s: xuncha_api::stationing::Stationing = office
        .get(&format!("/api/targets/{target}/stationing"))
        .await;
    let count = async |what: &str| {
        office
            .get::<Vec<Value>>(&format!("/api/targets/{target}/{what}"))
            .await
            .len()
    };
    let records = count("findings").await
        + count("tasks").await
        + count("talks").await
        + count("petitions").await;
    (
        s.visits.len() + s.information.len() + s.expected.len(),
        records,
    )
}

async fn one_week(dist: &std::path::Path) -> Run {
    let dist = dist.to_path_buf();
    let server = xuncha_server::testkit::Running::fresh(|c| c.dist = dist)
        .await
        .unwrap();
    let base = server.base.clone();
    let office = Office::sign_in(&base).await;
    let target = office
        .round_with_target_as(&xuncha_server::testkit::fixtures::RoundSetup {
            members: &["wangfang"],
            stationed: Some(("2026-03-09", "2026-03-20")),
            ..Default::default()
        })
        .await;

    let b = Browser::open(360, 740).await;
    b.sign_in(&base, "zhangwei").await;
    b.heading("巡察轮次").await;
    b.goto(&format!("{base}/office/targets/{target}")).await;
    b.heading("驻村工作清单").await;
    b.wait_for_service_worker().await;

    b.set_offline(true).await;
    let config = server.stop().await;
    week::on_site(&b).await;
    b.client.refresh().await.unwrap();
    b.heading("驻村工作清单").await;
    b.wait_for_text(&format!("{EDITS} 项修改待发送")).await;

    let kept = b
        .client
        .execute_async(KEPT, vec![Value::String(target.clone())])
        .await
        .unwrap();
    let mut sizes: Vec<(String, f64)> = kept
        .as_object()
        .expect("IndexedDB opens")
        .iter()
        .map(|(k, v)| (k.clone(), v.as_f64().unwrap_or(0.0)))
        .collect();
    sizes.sort_by(|a, b| b.1.total_cmp(&a.1));

    // The signal returns, slow: the server is back, then the phone's network.
    let server = xuncha_server::testkit::Running::start(config)
        .await
        .unwrap();
    let started = Instant::now();
    let mut first_ms = None;
    b.slow_3g(false).await;
    loop {
        // Neither a stationing edit nor a record of the week waits.
        let waiting = b.body_text().await.contains("待发送");
        let got = on_server(&office, &target).await;
        if first_ms.is_none() && got != (0, 0) {
            first_ms = Some(started.elapsed().as_secs_f64() * 1000.0);
        }
        if !waiting && got == (EDITS, RECORDS) {
            break;
        }
        assert!(started.elapsed().as_secs() < 180, "the week never synced");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let sync_ms = started.elapsed().as_secs_f64() * 1000.0;
    b.close().await;
    server.stop().await;
    Run {
        sizes,
        sync_ms,
        first_ms: first_ms.unwrap_or(sync_ms),
    }
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let dist = workspace().join("dist");
    assert!(
        dist.join("index.html").exists(),
        "run `cargo xtask build` first"
    );
    let mut runs = Vec::new();
    for _ in 0..RUNS {
        runs.push(one_week(&dist).await);
    }
    let first = &runs[0];
    let total: f64 = first
        .sizes
        .iter()
        .filter(|(k, _)| !k.starts_with('('))
        .map(|(_, v)| v)
        .sum();
    let by_store = first
        .sizes
        .iter()
        .filter(|(_, v)| *v > 0.0)
        .map(|(k, v)| format!("{k} {v:.0}"))
        .collect::<Vec<_>>()
        .join(", ");
    println!(
        "offline data for one target after a week of {EDITS} unsent stationing edits (12 visits) and {RECORDS} records (3 findings, a task, 2 talks, a petition): {total:.0} bytes in IndexedDB ({by_store})"
    );
    println!(
        "the one sync of those {EDITS} edits and {RECORDS} records on 3G (300 ms, 1.6 Mbit/s, CPU 4×), from the network back to the server holding all and nothing waiting: p50 {:.0} ms of {RUNS} runs (each {})",
        p50(runs.iter().map(|r| r.sync_ms).collect()),
        runs.iter()
            .map(|r| format!("{:.0}", r.sync_ms))
            .collect::<Vec<_>>()
            .join(", ")
    );
    println!(
        "  of which until the first record reached the server (the outbox's next try: emulated offline fires no `online` event): p50 {:.0} ms",
        p50(runs.iter().map(|r| r.first_ms).collect())
    );
}
