//! What a village phone feels, measured in headless Chromium (not a test): bytes on the first
//! and a repeat visit, and with the CPU throttled 4× the time to draw the self-check's items,
//! to switch focus point, to repaint after one answer, and to open the rectification task list
//! and one task. `cargo xtask bench` runs it.

use std::time::Duration;

use fantoccini::Locator;
use serde_json::{json, Value};
use xuncha_e2e::{workspace, Browser, Office};

const RUNS: usize = 15;

fn p50(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.partial_cmp(b).unwrap());
    v[v.len() / 2]
}

/// Bytes that crossed the network for the current page and everything it loaded.
async fn transferred(b: &Browser) -> f64 {
    b.eval(
        "const entries = [...performance.getEntriesByType('navigation'), ...performance.getEntriesByType('resource')];
         return entries.reduce((n, e) => n + (e.transferSize || 0), 0);",
    )
    .await
    .as_f64()
    .unwrap_or(0.0)
}

/// Clicks what `selector` finds and waits until `ready` holds; milliseconds, measured in the page.
async fn timed(b: &Browser, selector: &str, ready: &str) -> f64 {
    let script = format!(
        "const done = arguments[arguments.length - 1];
         const t0 = performance.now();
         document.evaluate({selector:?}, document, null, XPathResult.FIRST_ORDERED_NODE_TYPE, null).singleNodeValue.click();
         const check = () => ({ready}) ? done(performance.now() - t0) : requestAnimationFrame(check);
         requestAnimationFrame(check);"
    );
    b.client
        .execute_async(&script, vec![])
        .await
        .unwrap()
        .as_f64()
        .unwrap()
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let dist = workspace().join("dist");
    assert!(
        dist.join("index.html").exists(),
        "run `cargo xtask build` first"
    );
    let server = xuncha_server::testkit::Running::fresh(|c| c.dist = dist)
        .await
        .unwrap();
    let base = server.base.clone();
    let b = Browser::open(360, 740).await;

    // Bytes: a first visit with an empty cache, then a repeat visit once the service worker
    // has the shell.
    b.goto(&base).await;
    b.heading("巡察工作平台").await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let first = transferred(&b).await;
    let started = std::time::Instant::now();
    while b.eval("return !!navigator.serviceWorker.controller").await != json!(true)
        && started.elapsed().as_secs() < 20
    {
        tokio::time::sleep(Duration::from_millis(200)).await;
        b.client.refresh().await.unwrap();
    }
    b.client.refresh().await.unwrap();
    b.heading("巡察工作平台").await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let repeat = transferred(&b).await;
    println!("bytes transferred: first visit {first:.0}, repeat visit {repeat:.0}");

    // Twelve rectification tasks for the village, as a team would leave after feedback.
    let target = Office::sign_in(&base)
        .await
        .round_with_target("第一巡察组", "zhangwei")
        .await;
    let team = Office::sign_in_as(&base, "zhangwei").await;
    let mut tasks = Vec::new();
    for i in 0..12 {
        team.put(
            &format!("/api/targets/{target}/findings/f-{i}"),
            json!({ "focus": "responsibility", "title": format!("村务公开不及时（第{}项）", i + 1), "severity": "general", "source": "documents" }),
        )
        .await;
        tasks.push(json!({ "finding_id": format!("f-{i}"), "measures": "按季度更新公开栏，财务收支逐笔公开" }));
    }
    team.post(&format!("/api/targets/{target}/tasks"), Value::Array(tasks))
        .await;

    b.sign_in(&base, "qingshi").await;
    b.heading("青石村").await;
    b.cdp("Emulation.setCPUThrottlingRate", json!({ "rate": 4 }))
        .await;

    // The whole template: each of the four focus points drawn after a tap.
    let items = "document.querySelectorAll('li.item').length > 0";
    let open = timed(
        &b,
        "//a[normalize-space()='开展自查']",
        &format!("{items} && document.body.innerText.includes('已答')"),
    )
    .await;
    let tabs = ["惠民政策", "三资村务", "班子建设", "整改落实"];
    let mut switch = Vec::new();
    for i in 0..RUNS {
        let tab = tabs[(i + 1) % tabs.len()];
        let heading_ready = format!(
            "document.querySelector('button.current')?.innerText.trim() === '{tab}' && {items}"
        );
        switch.push(
            timed(
                &b,
                &format!("//button[normalize-space()='{tab}']"),
                &heading_ready,
            )
            .await,
        );
    }
    // Back to the first focus point, then answer its items one after another.
    timed(
        &b,
        "//button[normalize-space()='惠民政策']",
        "document.querySelector('button.current')?.innerText.trim() === '惠民政策'",
    )
    .await;
    let total: Value = b
        .eval("return document.querySelectorAll('li.item').length")
        .await;
    let mut answer = Vec::new();
    for i in 0..RUNS.min(total.as_u64().unwrap_or(0) as usize) {
        let item = format!("(//li[contains(@class,'item')])[{}]", i + 1);
        let label = format!("{item}//label[normalize-space()='不适用']");
        if b.client.find(Locator::XPath(&label)).await.is_err() {
            continue;
        }
        let ready = format!(
            "(() => {{ const li = document.evaluate({item:?}, document, null, XPathResult.FIRST_ORDERED_NODE_TYPE, null).singleNodeValue;
                       return li && li.querySelector('.state') !== null && li.querySelector('input:checked') !== null; }})()"
        );
        answer.push(timed(&b, &label, &ready).await);
    }
    // The rectification tasks: the list from the menu, then one task, then home again.
    let (mut list, mut task) = (Vec::new(), Vec::new());
    for _ in 0..5 {
        list.push(
            timed(
                &b,
                "//nav//a[normalize-space()='整改任务']",
                "document.querySelectorAll('li.task').length === 12",
            )
            .await,
        );
        task.push(
            timed(
                &b,
                "(//li[contains(@class,'task')]//a)[1]",
                "document.querySelector('dl.facts') !== null",
            )
            .await,
        );
        timed(
            &b,
            "//nav//a[normalize-space()='本单位']",
            "document.querySelector('dl.facts') === null && document.querySelector('li.task') === null",
        )
        .await;
    }
    println!(
        "CPU 4× slower, 360×740: task list of 12 p50 {:.0} ms, one task p50 {:.0} ms (5 runs each, \
         fetched from the server on 127.0.0.1)",
        p50(list),
        p50(task)
    );
    println!(
        "CPU 4× slower, 360×740: open the self-check {open:.0} ms; switch focus point p50 {:.0} ms ({RUNS} runs); \
         repaint after one answer p50 {:.0} ms ({} runs, saved to IndexedDB first)",
        p50(switch),
        p50(answer.clone()),
        answer.len()
    );
    b.close().await;
    server.stop().await;
}
