//! What a village phone feels, measured in headless Chromium (not a test): on a throttled 3G
//! profile (300 ms latency, 1.6 Mbit/s down, 768 kbit/s up, CPU 4× slower, 360×740) the bytes
//! and requests of a first visit and the time until each screen is usable, cold, after
//! sign-in, repeated and offline; bytes on the first
//! and a repeat visit, and with the CPU throttled 4× the time to draw the self-check's items,
//! to switch focus point, to repaint after one answer, and to open the rectification task list
//! and one task. `cargo xtask bench` runs it.

use std::time::Duration;

use fantoccini::Locator;
use serde_json::{json, Value};
use xuncha_e2e::{p50, workspace, Browser, Office};

const RUNS: usize = 15;

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

/// Marks, in the page itself, the first frame at which each screen is usable, measured from the
/// start of the navigation: `window.__usable[name]` in milliseconds.
const USABLE: &str = "
  window.__usable = {};
  const screens = {
    signin: () => !document.getElementById('boot') && document.querySelector('form button[type=submit]'),
    landing: () => [...document.querySelectorAll('h1')].some((h) => h.innerText.includes('青石村')),
    selfcheck: () => document.querySelectorAll('li.item').length > 0 && document.body.innerText.includes('已答'),
  };
  const look = () => {
    for (const [name, ready] of Object.entries(screens)) {
      if (!(name in window.__usable) && document.body && ready()) window.__usable[name] = performance.now();
    }
    requestAnimationFrame(look);
  };
  requestAnimationFrame(look);
";

/// Waits until `screen` was usable in the current page; its time since the navigation began.
async fn usable(b: &Browser, screen: &str) -> f64 {
    let started = std::time::Instant::now();
    loop {
        let v = b
            .eval(&format!(
                "return (window.__usable || {{}})['{screen}'] ?? null"
            ))
            .await;
        if let Some(ms) = v.as_f64() {
            return ms;
        }
        assert!(started.elapsed().as_secs() < 60, "{screen} never usable");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// The throttled 3G profile, each figure the median of `THREE_G_RUNS` fresh phones.
async fn three_g(base: &str) {
    const THREE_G_RUNS: usize = 5;
    let (mut bytes, mut requests, mut signin, mut landing, mut check) =
        (vec![], vec![], vec![], vec![], vec![]);
    let (mut cold_check, mut repeat, mut offline) = (vec![], vec![], vec![]);
    for _ in 0..THREE_G_RUNS {
        let b = Browser::open(360, 740).await;
        b.cdp("Page.enable", json!({})).await;
        b.cdp(
            "Page.addScriptToEvaluateOnNewDocument",
            json!({ "source": USABLE }),
        )
        .await;
        b.slow_3g(false).await;
        // A first visit: nothing cached.
        b.goto(base).await;
        signin.push(usable(&b, "signin").await);
        tokio::time::sleep(Duration::from_millis(300)).await;
        bytes.push(transferred(&b).await);
        requests.push(
            b.eval("return performance.getEntriesByType('resource').length + 1")
                .await
                .as_f64()
                .unwrap_or(0.0),
        );
        // Signing in: from the tap to the liaison's landing page.
        b.fill("用户名", "qingshi").await;
        b.fill("密码", xuncha_server::demo::PASSWORD).await;
        landing.push(
            timed(
                &b,
                "//button[normalize-space()='登录']",
                "[...document.querySelectorAll('h1')].some((h) => h.innerText.includes('青石村'))",
            )
            .await,
        );
        // The self-check from the landing page, its chunk fetched on the tap (or already
        // in the background).
        check.push(
            timed(
                &b,
                "//a[normalize-space()='开展自查']",
                "document.querySelectorAll('li.item').length > 0 && document.body.innerText.includes('已答')",
            )
            .await,
        );
        // Wait for the background fetch of the other pages and the service worker.
        let started = std::time::Instant::now();
        while b.eval("return !!navigator.serviceWorker.controller").await != json!(true)
            && started.elapsed().as_secs() < 30
        {
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        tokio::time::sleep(Duration::from_secs(8)).await;
        // A repeat visit straight to the self-check: the shell and its chunks from the
        // service worker.
        b.goto(&format!("{base}/self-check")).await;
        repeat.push(usable(&b, "selfcheck").await);
        // No network at all.
        b.slow_3g(true).await;
        b.goto(&format!("{base}/self-check")).await;
        offline.push(usable(&b, "selfcheck").await);
        b.slow_3g(false).await;
        // Opened cold with a session: the code caches emptied, the sign-in kept.
        b.cdp(
            "Storage.clearDataForOrigin",
            json!({ "origin": base, "storageTypes": "cache_storage,service_workers" }),
        )
        .await;
        b.cdp("Network.clearBrowserCache", json!({})).await;
        b.goto(&format!("{base}/self-check")).await;
        cold_check.push(usable(&b, "selfcheck").await);
        b.close().await;
    }
    println!(
        "3G (300 ms, 1.6 Mbit/s, CPU 4×, 360×740), median of {THREE_G_RUNS}: first visit {:.0} bytes in {:.0} requests; \
         sign-in usable {:.0} ms cold; landing page usable {:.0} ms after the sign-in tap; \
         self-check usable {:.0} ms after its tap; self-check opened cold with a session {:.0} ms; \
         repeat visit {:.0} ms; offline start {:.0} ms",
        p50(bytes),
        p50(requests),
        p50(signin),
        p50(landing),
        p50(check),
        p50(cold_check),
        p50(repeat),
        p50(offline),
    );
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
    three_g(&base).await;
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
    // Tap 否 where 否 is a problem: the 问题说明 field the answer calls for must show at once.
    let mut consequence = Vec::new();
    for i in 0..RUNS.min(total.as_u64().unwrap_or(0) as usize) {
        let item = format!("(//li[contains(@class,'item')])[{}]", i + 1);
        let label = format!("{item}//label[normalize-space()='否']");
        if b.client.find(Locator::XPath(&label)).await.is_err() {
            continue;
        }
        // Items where 否 is no problem draw no note field: those are left out.
        let script = format!(
            "const done = arguments[arguments.length - 1];
             const li = document.evaluate({item:?}, document, null, XPathResult.FIRST_ORDERED_NODE_TYPE, null).singleNodeValue;
             const t0 = performance.now();
             document.evaluate({label:?}, document, null, XPathResult.FIRST_ORDERED_NODE_TYPE, null).singleNodeValue.click();
             const check = () => {{
               if (li.querySelector('textarea')) return done(performance.now() - t0);
               if (performance.now() - t0 > 3000) return done(null);
               requestAnimationFrame(check);
             }};
             requestAnimationFrame(check);"
        );
        if let Some(ms) = b
            .client
            .execute_async(&script, vec![])
            .await
            .unwrap()
            .as_f64()
        {
            consequence.push(ms);
        }
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
         repaint after one answer p50 {:.0} ms ({} runs, its saved state shown); tap on 否 to the \
         问题说明 field shown p50 {:.0} ms ({} runs)",
        p50(switch),
        p50(answer.clone()),
        answer.len(),
        p50(consequence.clone()),
        consequence.len()
    );
    b.close().await;
    server.stop().await;
}
