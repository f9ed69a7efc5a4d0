//! The inspector's stationing week, measured in headless Chromium (not a test): at 360×740 an
//! inspector opens a target once with a network, then with none (the server stopped too)
//! lists twelve people to visit, records one visit, notes what the audit office said and a
//! problem expected from it, and reloads. Figures: the bytes the device keeps for that one
//! target, by IndexedDB store, and the time of the one sync once the signal returns on the
//! throttled 3G profile with the CPU 4× slower, from the network coming back to the server
//! holding all of it and the page saying nothing waits. `cargo xtask bench` runs it.

use std::time::{Duration, Instant};

use fantoccini::Locator;
use serde_json::Value;
use xuncha_e2e::{p50, workspace, Browser, Office};

const RUNS: usize = 3;
/// Twelve visits (the first one recorded, which merges with its unsent addition), what the
/// audit office said and a problem expected.
const EDITS: usize = 14;

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
}

async fn visits_on_server(office: &Office, target: &str) -> usize {
    let s: xuncha_api::stationing::Stationing = office
        .get(&format!("/api/targets/{target}/stationing"))
        .await;
    s.visits.len() + s.information.len() + s.expected.len()
}

async fn one_week(dist: &std::path::Path) -> Run {
    let dist = dist.to_path_buf();
    let server = xuncha_server::testkit::Running::fresh(|c| c.dist = dist)
        .await
        .unwrap();
    let base = server.base.clone();
    let office = Office::sign_in(&base).await;
    let target = office.round_with_target("第一巡察组", "zhangwei").await;

    let b = Browser::open(360, 740).await;
    b.sign_in(&base, "zhangwei").await;
    b.heading("巡察轮次").await;
    b.goto(&format!("{base}/office/targets/{target}")).await;
    b.heading("驻村工作清单").await;
    b.wait_for_service_worker().await;

    b.set_offline(true).await;
    let config = server.stop().await;
    for i in 1..=12 {
        b.click_button("添加走访对象").await;
        b.fill("走访对象姓名", &format!("村民{i:02}")).await;
        b.click_button("保存到本机并发送").await;
        b.wait_for_text(&format!("村民{i:02} · 未走访")).await;
    }
    b.find(Locator::XPath(
        "//li[contains(@class,'visit')][contains(.,'村民01')]//button[normalize-space()='记录走访']",
    ))
    .await
    .click()
    .await
    .unwrap();
    b.fill("走访情况", "反映低保评定不公开").await;
    b.click_button("保存到本机并发送").await;
    b.wait_for_text("反映低保评定不公开").await;
    b.click_button("添加收集的信息").await;
    b.fill("反映的情况", "2025年审计发现集体资金白条入账").await;
    b.click_button("保存到本机并发送").await;
    b.wait_for_text("2025年审计发现集体资金白条入账").await;
    b.click_button("添加预设问题").await;
    b.fill("预设问题", "低保评定未公示").await;
    b.click_button("保存到本机并发送").await;
    b.wait_for_text("低保评定未公示").await;
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
    b.slow_3g(false).await;
    loop {
        let waiting = b.body_text().await.contains("项修改待发送");
        if !waiting && visits_on_server(&office, &target).await == 14 {
            break;
        }
        assert!(started.elapsed().as_secs() < 180, "the week never synced");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let sync_ms = started.elapsed().as_secs_f64() * 1000.0;
    b.close().await;
    server.stop().await;
    Run { sizes, sync_ms }
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
        "offline data for one target after a week of {EDITS} unsent edits (12 visits): {total:.0} bytes in IndexedDB ({by_store})"
    );
    println!(
        "the one sync of those {EDITS} edits on 3G (300 ms, 1.6 Mbit/s, CPU 4×), from the network back to the server holding all and nothing waiting: p50 {:.0} ms of {RUNS} runs (each {})",
        p50(runs.iter().map(|r| r.sync_ms).collect()),
        runs.iter()
            .map(|r| format!("{:.0}", r.sync_ms))
            .collect::<Vec<_>>()
            .join(", ")
    );
}
