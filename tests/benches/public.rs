//! The plain pages a villager opens from a QR code, on the throttled 3G profile of the field
//! app's bench (300 ms latency, 1.6 Mbit/s down, 768 kbit/s up, CPU 4× slower, 360×740), each
//! figure the median of 5 fresh phones: bytes over the wire (page and stylesheet, brotli) and
//! the time until the page is usable (its load event: no script, so nothing comes after), for
//! the petition form, the page after sending, the status lookup, and the evaluation's questions. `cargo xtask bench` runs it.

use std::time::{Duration, Instant};

use serde_json::json;
use xuncha_e2e::{p50, Browser, Office};

const RUNS: usize = 5;

/// Bytes of the current page and what it loaded, and its load event, in ms from its start.
async fn page_figures(b: &Browser) -> (f64, f64) {
    let started = Instant::now();
    loop {
        let v = b
            .eval(
                "const n = performance.getEntriesByType('navigation')[0];
                 if (!n || !n.loadEventEnd) return null;
                 const all = [n, ...performance.getEntriesByType('resource')];
                 return [all.reduce((s, e) => s + (e.transferSize || 0), 0), n.loadEventEnd];",
            )
            .await;
        if let Some(a) = v.as_array() {
            return (a[0].as_f64().unwrap_or(0.0), a[1].as_f64().unwrap_or(0.0));
        }
        assert!(started.elapsed().as_secs() < 60, "the page never loaded");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let server = xuncha_server::testkit::Running::fresh(|_| {})
        .await
        .unwrap();
    let base = server.base.clone();
    let office = Office::sign_in(&base).await;
    office.round_with_target("第一巡察组", "zhangwei").await;
    let rounds: serde_json::Value = office.get("/api/rounds").await;
    let round = rounds[0]["id"].as_str().unwrap().to_string();
    office
        .post(
            &format!("/api/rounds/{round}/phase"),
            json!({ "to": "stationing" }),
        )
        .await;
    let page = format!("{base}/xinfang/{}", office.org_id("青石村").await);
    let target = office
        .get::<serde_json::Value>(&format!("/api/rounds/{round}/targets"))
        .await[0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let made: serde_json::Value = office
        .post(
            &format!("/api/targets/{target}/evaluations"),
            json!({ "title": "民主测评", "codes": RUNS }),
        )
        .await;

    let (mut form_bytes, mut form_ms, mut done_bytes, mut done_ms) =
        (vec![], vec![], vec![], vec![]);
    let (mut status_bytes, mut status_ms) = (vec![], vec![]);
    let (mut survey_bytes, mut survey_ms) = (vec![], vec![]);
    for run in 0..RUNS {
        let b = Browser::open(360, 740).await;
        b.slow_3g(false).await;
        b.goto(&page).await;
        let (bytes, ms) = page_figures(&b).await;
        form_bytes.push(bytes);
        form_ms.push(ms);
        b.fill(
            "反映的问题（必填）",
            "村里的集体收入去向不明，账目一直没有公开。",
        )
        .await;
        b.click_button("提交").await;
        b.heading("已收到您反映的问题").await;
        let (bytes, ms) = page_figures(&b).await;
        done_bytes.push(bytes);
        done_ms.push(ms);
        b.goto(&format!("{base}/chaxun")).await;
        let (bytes, ms) = page_figures(&b).await;
        status_bytes.push(bytes);
        status_ms.push(ms);
        // A fresh phone for the evaluation slip: its QR code opens the questions.
        b.close().await;
        let b = Browser::open(360, 740).await;
        b.slow_3g(false).await;
        let path = made["slips"][run]["path"].as_str().unwrap();
        b.goto(&format!("{base}{path}")).await;
        let (bytes, ms) = page_figures(&b).await;
        survey_bytes.push(bytes);
        survey_ms.push(ms);
        b.close().await;
    }
    println!(
        "public pages on 3G (300 ms, 1.6 Mbit/s, CPU 4×, 360×740), median of {RUNS}, first visit: \
         petition form {:.0} bytes usable {:.0} ms; after sending {:.0} bytes usable {:.0} ms (from the \
         tap's navigation); status lookup {:.0} bytes usable {:.0} ms; evaluation questions from a \
         slip's QR code {:.0} bytes usable {:.0} ms",
        p50(form_bytes),
        p50(form_ms),
        p50(done_bytes),
        p50(done_ms),
        p50(status_bytes),
        p50(status_ms),
        p50(survey_bytes),
        p50(survey_ms),
    );
}
