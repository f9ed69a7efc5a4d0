//! The liaison's bad days, at 360×740 in a WeChat-like browser: a slow network (3 s per
//! answer), answers lost after the server took the change, an old WebView without
//! `crypto.randomUUID`. Nothing typed may be lost, and no false state may be shown.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use fantoccini::Locator;
use serde_json::json;
use xuncha_api::checklists::{AnswerValue, Record, YesNo};
use xuncha_e2e::{Browser, Office, Relay};
use xuncha_server::testkit::Running;

/// A server over a fresh demo county whose `/api` answers can be slowed down while it runs.
async fn slow_server() -> (Running, Arc<AtomicU64>) {
    let slow = Arc::new(AtomicU64::new(0));
    let dist = xuncha_e2e::workspace().join("dist");
    let handle = slow.clone();
    let server = Running::fresh(move |c| {
        c.dist = dist;
        c.slow_replies_ms = handle;
    })
    .await
    .unwrap();
    (server, slow)
}

/// An item of the self-check, by words of its question.
fn item(words: &str) -> String {
    format!("//li[contains(@class,'item')][.//p[contains(@class,'prompt')][contains(.,'{words}')]]")
}

async fn tap(b: &Browser, item: &str, answer: &str) {
    b.find(Locator::XPath(&format!(
        "{item}//label[normalize-space()='{answer}']"
    )))
    .await
    .click()
    .await
    .unwrap();
}

/// Types a note and leaves the field, as a person does.
async fn write_note(b: &Browser, item: &str, text: &str) {
    let note = b.find(Locator::XPath(&format!("{item}//textarea"))).await;
    note.send_keys(text).await.unwrap();
    b.find(Locator::XPath(&format!(
        "{item}//p[contains(@class,'prompt')]"
    )))
    .await
    .click()
    .await
    .unwrap();
}

async fn open_self_check(b: &Browser, base: &str) {
    b.sign_in(base, "qingshi").await;
    b.heading("青石村").await;
    b.link("开展自查").await.click().await.unwrap();
    b.heading("自查").await;
    b.wait_for_text("已答 0 /").await;
}

/// Waits until the phone holds nothing unsent (slow answers take a while).
async fn outbox_empty(b: &Browser) {
    let started = Instant::now();
    // Give the outbox a moment to pick the work up before judging it empty.
    tokio::time::sleep(Duration::from_millis(500)).await;
    while b.body_text().await.contains("项待发送") {
        if started.elapsed() > Duration::from_secs(60) {
            b.screenshot("failure-outbox").await;
            panic!("the outbox did not empty:\n{}", b.body_text().await);
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
}

/// The liaison's self-check as the server holds it.
async fn server_record(base: &str) -> Record {
    let liaison = Office::sign_in_as(base, "qingshi").await;
    let record = liaison
        .post("/api/checklists/records", json!({ "kind": "self_check" }))
        .await;
    serde_json::from_value(record).unwrap()
}

#[tokio::test]
async fn on_a_slow_network_a_note_typed_at_once_and_a_quickly_changed_answer_reach_the_server() {
    let (server, slow) = slow_server().await;
    let base = server.base.clone();
    let b = Browser::open(360, 740).await;
    open_self_check(&b, &base).await;
    slow.store(3000, Ordering::Relaxed);

    // 否, then the note at once while the first answer is still on its way.
    let p01 = item("低保对象是否经户申请");
    tap(&b, &p01, "否").await;
    write_note(&b, &p01, "3户未经民主评议").await;
    // 是, then straight away 不适用.
    let p03 = item("耕地地力保护补贴");
    tap(&b, &p03, "是").await;
    tap(&b, &p03, "不适用").await;
    b.screenshot("slow-network-typing").await;
    outbox_empty(&b).await;
    slow.store(0, Ordering::Relaxed);

    let record = server_record(&base).await;
    let answer = |id: &str| {
        record
            .answers
            .iter()
            .find(|a| a.item_id == id)
            .cloned()
            .unwrap()
    };
    assert_eq!(answer("p-01").value, Some(AnswerValue::YesNo(YesNo::No)));
    assert_eq!(
        answer("p-01").note,
        "3户未经民主评议",
        "the note is not lost"
    );
    assert_eq!(
        answer("p-03").value,
        Some(AnswerValue::YesNo(YesNo::NotApplicable)),
        "the last tap wins"
    );
    // The page still shows the note the user wrote.
    let note = b.find(Locator::XPath(&format!("{p01}//textarea"))).await;
    assert_eq!(
        note.prop("value").await.unwrap().as_deref(),
        Some("3户未经民主评议")
    );

    // A problem answer turned 不适用 takes its now hidden note with it.
    tap(&b, &p01, "不适用").await;
    outbox_empty(&b).await;
    let record = server_record(&base).await;
    let p01 = record.answers.iter().find(|a| a.item_id == "p-01").unwrap();
    assert_eq!(p01.value, Some(AnswerValue::YesNo(YesNo::NotApplicable)));
    assert_eq!(p01.note, "", "no hidden note stays on the server");
    b.close().await;
    server.stop().await;
}

#[tokio::test]
async fn an_answer_whose_reply_was_lost_then_edited_is_not_shown_as_a_conflict_with_itself() {
    let (server, _) = slow_server().await;
    let relay = Relay::start(&server.base).await;
    let base = relay.base.clone();
    let b = Browser::open(360, 740).await;
    open_self_check(&b, &base).await;

    // The server takes the answer, and its reply never reaches the phone. Only the answer's
    // reply: with the write held 3 s, another reply (a file, a read) came first and was lost
    // instead (CI of 90ef116).
    relay.lose_reply_to_and_signal("/changes HTTP/1.1");
    let p01 = item("低保对象是否经户申请");
    tap(&b, &p01, "否").await;
    let started = Instant::now();
    while !relay.reply_lost() {
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "nothing was sent"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let record = server_record(&server.base).await;
    assert!(
        record.answers.iter().any(|a| a.item_id == "p-01"),
        "the server took the first answer"
    );
    // The phone still holds it as unsent; the liaison explains the problem, and once the
    // signal is back the outbox sends again.
    b.wait_for_text("项待发送").await;
    write_note(&b, &p01, "2户材料不全").await;
    b.wait_for_text("项待发送").await;
    relay.reconnect();
    b.eval("window.dispatchEvent(new Event('online')); return null")
        .await;
    outbox_empty(&b).await;
    let text = b.body_text().await;
    assert!(
        !text.contains("有冲突"),
        "her own answer is no conflict:\n{text}"
    );
    b.screenshot("lost-reply-no-conflict").await;
    let record = server_record(&server.base).await;
    let p01 = record.answers.iter().find(|a| a.item_id == "p-01").unwrap();
    assert_eq!(p01.note, "2户材料不全");
    assert_eq!(p01.value, Some(AnswerValue::YesNo(YesNo::No)));
    b.close().await;
    server.stop().await;
}

#[tokio::test]
async fn without_crypto_random_uuid_answers_are_still_saved_and_sent() {
    let (server, _) = slow_server().await;
    let base = server.base.clone();
    let b = Browser::open(360, 740).await;
    // An old WebView (Chromium before 92): no crypto.randomUUID.
    b.before_each_page("delete Crypto.prototype.randomUUID;")
        .await;
    open_self_check(&b, &base).await;
    assert_eq!(
        b.eval("return typeof crypto.randomUUID").await,
        json!("undefined")
    );
    let p03 = item("耕地地力保护补贴");
    tap(&b, &p03, "是").await;
    outbox_empty(&b).await;
    b.wait_for_text("已发送").await;
    b.client.refresh().await.unwrap();
    b.heading("自查").await;
    b.wait_for_text("已答 1 /").await;
    let record = server_record(&base).await;
    assert_eq!(
        record
            .answers
            .iter()
            .find(|a| a.item_id == "p-03")
            .and_then(|a| a.value.clone()),
        Some(AnswerValue::YesNo(YesNo::Yes))
    );
    b.close().await;
    server.stop().await;
}

/// Android WebView 80 (the system WebView of phones that get no updates; older WeChat and QQ
/// kernels are of its age) and Safari 14 have WebAssembly without reference types, which the
/// split build needs. They get the same app as one module made for the first WebAssembly
/// version (the build checks it uses nothing more), and the server gives them a CSP their
/// WebAssembly compiles under. Made here from this Chromium: WebView 80's user agent, and a
/// WebAssembly that fails the entry page's reference-types probe.
#[tokio::test]
async fn an_engine_without_reference_types_runs_the_whole_baseline_build_and_answers_arrive() {
    let (server, _) = slow_server().await;
    let base = server.base.clone();

    // A current engine takes the split build and never downloads the whole one.
    let b = Browser::open(360, 740).await;
    open_self_check(&b, &base).await;
    let wasm = b.wasm_fetched().await;
    assert!(
        wasm.iter().any(|w| w.ends_with("/xuncha-web_bg.wasm"))
            && !wasm.iter().any(|w| w.contains("-baseline")),
        "{wasm:?}"
    );
    b.close().await;

    let b = Browser::open(360, 740).await;
    b.as_engine_without_reference_types(
        "Mozilla/5.0 (Linux; Android 10; V1938T Build/QP1A.190711.020; wv) AppleWebKit/537.36 \
         (KHTML, like Gecko) Version/4.0 Chrome/80.0.3987.99 Mobile Safari/537.36",
    )
    .await;
    open_self_check(&b, &base).await;
    let p03 = item("耕地地力保护补贴");
    tap(&b, &p03, "是").await;
    outbox_empty(&b).await;
    b.wait_for_text("已发送").await;
    // Every page of the app is in the one module: no chunk is fetched.
    b.link("本单位").await.click().await.unwrap();
    b.heading("青石村").await;
    let wasm = b.wasm_fetched().await;
    assert!(
        wasm.len() == 1 && wasm[0].ends_with("/xuncha-web-baseline_bg.wasm"),
        "{wasm:?}"
    );
    b.screenshot("baseline-engine-phone").await;
    b.client.refresh().await.unwrap();
    b.heading("青石村").await;
    let record = server_record(&base).await;
    assert_eq!(
        record
            .answers
            .iter()
            .find(|a| a.item_id == "p-03")
            .and_then(|a| a.value.clone()),
        Some(AnswerValue::YesNo(YesNo::Yes))
    );
    b.close().await;
    server.stop().await;
}

#[tokio::test]
async fn the_entry_page_says_what_it_is_before_any_script_and_what_to_do_without_webassembly() {
    let (server, _) = slow_server().await;
    let base = server.base.clone();
    // On slow 3G the HTML arrives seconds before the app: it already shows name and a line.
    let html = reqwest::get(&base).await.unwrap().text().await.unwrap();
    let body = &html[html.find("<body").unwrap()..];
    let before_scripts = &body[..body.find("<script").unwrap_or(body.len())];
    assert!(before_scripts.contains("巡察工作平台") && before_scripts.contains("正在加载"));

    // An engine without WebAssembly (or one whose wasm does not compile) gets words, not a
    // blank page.
    let b = Browser::open(360, 740).await;
    b.before_each_page("delete window.WebAssembly;").await;
    b.goto(&base).await;
    b.wait_for_text("当前浏览器无法运行本应用").await;
    b.wait_for_text("Open the page in the system browser").await;
    b.screenshot("no-webassembly-phone").await;
    b.close().await;
    server.stop().await;
}

#[tokio::test]
async fn over_plain_http_on_an_intranet_name_the_app_works_online_and_says_offline_needs_https() {
    let (server, _) = slow_server().await;
    let port = server.base.rsplit(':').next().unwrap().to_string();
    // A county intranet name over http: not a secure context, no service worker.
    let base = format!("http://xuncha.intranet:{port}");
    let b = Browser::open_with(
        360,
        740,
        &["--host-resolver-rules=MAP xuncha.intranet 127.0.0.1"],
    )
    .await;
    open_self_check(&b, &base).await;
    assert_eq!(
        b.eval("return typeof navigator.serviceWorker").await,
        json!("undefined")
    );
    b.wait_for_text("此地址不能离线打开本应用").await;
    let p03 = item("耕地地力保护补贴");
    tap(&b, &p03, "是").await;
    outbox_empty(&b).await;
    b.screenshot("plain-http-phone").await;
    let record = server_record(&server.base).await;
    assert!(record.answers.iter().any(|a| a.item_id == "p-03"));
    b.close().await;
    server.stop().await;
}

/// A copy of the built field app that looks like the next build: its files in another
/// build folder, whose name is returned with it.
fn next_build() -> (std::path::PathBuf, &'static str) {
    let from = xuncha_e2e::workspace().join("dist");
    let to = std::env::temp_dir().join(format!("xuncha-next-build-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&to);
    let index = std::fs::read_to_string(from.join("index.html")).unwrap();
    let wasm = index
        .split(['\'', '"'])
        .find(|s| s.ends_with("_bg.wasm"))
        .unwrap();
    let hash = wasm.trim_start_matches("/b/").split('/').next().unwrap();
    let next = if hash == "0123456789abcdef" {
        "fedcba9876543210"
    } else {
        "0123456789abcdef"
    };
    copy_tree(&from, &to, &|name| name.replace(hash, next));
    std::fs::write(to.join("index.html"), index.replace(hash, next)).unwrap();
    let _ = std::fs::remove_file(to.join("index.html.br"));
    let _ = std::fs::remove_file(to.join("index.html.gz"));
    (to, next)
}

fn copy_tree(from: &std::path::Path, to: &std::path::Path, rename: &dyn Fn(&str) -> String) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let path = entry.unwrap().path();
        let name = rename(path.file_name().unwrap().to_str().unwrap());
        if path.is_dir() {
            copy_tree(&path, &to.join(name), rename);
        } else {
            std::fs::copy(&path, to.join(name)).unwrap();
        }
    }
}

#[tokio::test]
async fn a_new_build_is_offered_under_the_service_worker_and_taking_it_keeps_unsent_work() {
    let (server, _) = slow_server().await;
    let base = server.base.clone();
    let b = Browser::open(360, 740).await;
    open_self_check(&b, &base).await;
    b.wait_for_service_worker().await;
    // The server goes away; the liaison answers meanwhile; it comes back with a new build.
    let mut config = server.stop().await;
    let p03 = item("耕地地力保护补贴");
    tap(&b, &p03, "是").await;
    b.wait_for_text("项待发送").await;
    let (dist, next) = next_build();
    config.dist = dist;
    let server = Running::start(config).await.unwrap();
    // The liaison comes back to the tab: the app looks for a newer build past the cache.
    b.eval("document.dispatchEvent(new Event('visibilitychange')); return true")
        .await;
    b.wait_for_text("新版本已就绪").await;
    b.screenshot("new-build-offered").await;
    b.click_button("刷新使用新版本").await;
    b.heading("自查").await;
    let wasm = b
        .eval("return document.querySelector('link[rel=preload][as=fetch]').href")
        .await;
    assert!(
        wasm.as_str().unwrap().contains(&format!("/b/{next}/")),
        "{wasm} is not in the new build"
    );
    outbox_empty(&b).await;
    let record = server_record(&base).await;
    assert!(
        record.answers.iter().any(|a| a.item_id == "p-03"),
        "the answer given before the update reached the server"
    );
    b.close().await;
    server.stop().await;
}

/// The chunk files of the built field app, as URLs.
fn field_chunks(dist: &std::path::Path) -> Vec<String> {
    let index = std::fs::read_to_string(dist.join("index.html")).unwrap();
    let wasm = index
        .split(['\'', '"'])
        .find(|s| s.ends_with("_bg.wasm"))
        .unwrap();
    let folder = &wasm[..wasm.rfind('/').unwrap() + 1];
    let mut chunks: Vec<String> = std::fs::read_dir(dist.join(folder.trim_start_matches('/')))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".wasm") && !n.ends_with("_bg.wasm"))
        .map(|n| format!("{folder}{n}"))
        .collect();
    chunks.sort();
    assert!(chunks.len() >= 5, "the field app is split: {chunks:?}");
    chunks
}

/// What the service worker's cache holds, as paths.
async fn cached_paths(b: &Browser) -> Vec<String> {
    let v = b
        .eval_async(
            "const done = arguments[arguments.length - 1];
             caches.keys()
               .then((keys) => Promise.all(keys.map((k) => caches.open(k).then((c) => c.keys()))))
               .then((lists) => done(lists.flat().map((r) => new URL(r.url).pathname)))
               .catch(() => done([]));",
        )
        .await;
    serde_json::from_value(v).unwrap()
}

#[tokio::test]
async fn after_sign_in_every_page_comes_down_so_it_opens_later_with_no_signal() {
    let (server, _) = slow_server().await;
    let chunks = field_chunks(&server.config.dist);
    let b = Browser::open(360, 740).await;
    b.sign_in(&server.base, "qingshi").await;
    b.heading("青石村").await;
    // Only the landing page was opened; the rest arrives in the background.
    let started = Instant::now();
    loop {
        let cached = cached_paths(&b).await;
        let missing: Vec<&String> = chunks.iter().filter(|c| !cached.contains(c)).collect();
        if missing.is_empty() {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "not cached: {missing:?}"
        );
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
    // No network at all now: a page never opened before still opens.
    server.stop().await;
    b.set_offline(true).await;
    b.link("我的账号").await.click().await.unwrap();
    b.heading("我的账号").await;
    assert!(!b.body_text().await.contains("没有下载完成"));
    b.screenshot("account-offline-never-opened").await;
    b.close().await;
}

#[tokio::test]
async fn a_page_whose_code_does_not_arrive_says_so_and_opens_on_retry() {
    // A build whose account page chunk is missing on the server, as on a signal that drops.
    let dist = std::env::temp_dir().join(format!("xuncha-chunkless-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dist);
    copy_tree(&xuncha_e2e::workspace().join("dist"), &dist, &|n| {
        n.to_string()
    });
    let chunk = field_chunks(&dist)
        .into_iter()
        .find(|c| c.ends_with("split_account.wasm"))
        .unwrap();
    let chunk_file = dist.join(chunk.trim_start_matches('/'));
    let kept = std::env::temp_dir().join(format!("xuncha-account-chunk-{}", std::process::id()));
    std::fs::rename(&chunk_file, &kept).unwrap();
    for ext in ["br", "gz"] {
        let _ = std::fs::remove_file(format!("{}.{ext}", chunk_file.display()));
    }
    let d = dist.clone();
    let server = Running::fresh(move |c| c.dist = d).await.unwrap();

    let b = Browser::open(360, 740).await;
    b.sign_in(&server.base, "qingshi").await;
    b.heading("青石村").await;
    b.link("我的账号").await.click().await.unwrap();
    b.wait_for_text("本页没有下载完成").await;
    b.screenshot("page-chunk-missing").await;
    // The app is alive: the rest of it still works, and a retry fetches the page afresh.
    std::fs::rename(&kept, &chunk_file).unwrap();
    b.click_button("重试").await;
    b.heading("我的账号").await;
    b.link("本单位").await.click().await.unwrap();
    b.heading("青石村").await;
    b.close().await;
    server.stop().await;
    let _ = std::fs::remove_dir_all(dist);
}

/// An in-app browser whose IndexedDB throws when touched (private mode, some WeChat kernels).
const NO_INDEXED_DB: &str = "Object.defineProperty(window, 'indexedDB', { get() { throw new DOMException('denied', 'SecurityError'); } });";
/// And one whose localStorage throws too.
const NO_LOCAL_STORAGE: &str = "Object.defineProperty(window, 'localStorage', { get() { throw new DOMException('denied', 'SecurityError'); } });";

#[tokio::test]
async fn without_indexeddb_answers_and_a_photo_are_kept_in_local_storage_through_an_offline_reload()
{
    let (server, _) = slow_server().await;
    let base = server.base.clone();
    let b = Browser::open(360, 740).await;
    b.before_each_page(NO_INDEXED_DB).await;
    open_self_check(&b, &base).await;
    b.wait_for_text("已改用简易存储").await;
    b.wait_for_service_worker().await;
    b.set_offline(true).await;
    let config = server.stop().await;

    let p01 = item("低保对象是否经户申请");
    tap(&b, &p01, "否").await;
    write_note(&b, &p01, "3户未经民主评议").await;
    b.find(Locator::XPath(&format!("{p01}//input[@type='file']")))
        .await
        .send_keys(&xuncha_e2e::photo("local-storage").display().to_string())
        .await
        .unwrap();
    b.wait_for_text("1 份材料待发送").await;
    let p03 = item("耕地地力保护补贴");
    tap(&b, &p03, "是").await;
    b.wait_for_text("已保存在本机").await;
    assert_eq!(
        b.eval(
            "return Object.keys(localStorage).filter(k => k.startsWith('xuncha:drafts:')).length"
        )
        .await,
        json!(2),
        "the drafts are in localStorage"
    );

    // Reload with no network: everything is still there.
    b.client.refresh().await.unwrap();
    b.heading("自查").await;
    b.wait_for_text("已答 2 /").await;
    b.wait_for_text("1 份材料待发送").await;
    let note = b.find(Locator::XPath(&format!("{p01}//textarea"))).await;
    assert_eq!(
        note.prop("value").await.unwrap().as_deref(),
        Some("3户未经民主评议")
    );
    b.screenshot("no-indexeddb-offline-reload").await;

    let server = Running::start(config).await.unwrap();
    b.set_offline(false).await;
    outbox_empty(&b).await;
    let record = server_record(&base).await;
    let p01 = record.answers.iter().find(|a| a.item_id == "p-01").unwrap();
    assert_eq!(p01.value, Some(AnswerValue::YesNo(YesNo::No)));
    assert_eq!(p01.note, "3户未经民主评议");
    assert!(record.answers.iter().any(|a| a.item_id == "p-03"));
    assert_eq!(
        record.evidence.len(),
        1,
        "the photo came through localStorage"
    );
    b.close().await;
    server.stop().await;
}

#[tokio::test]
async fn with_no_storage_at_all_the_page_says_so_and_after_a_reload_says_what_was_lost() {
    let (server, _) = slow_server().await;
    let base = server.base.clone();
    let b = Browser::open(360, 740).await;
    b.before_each_page(&format!("{NO_INDEXED_DB}{NO_LOCAL_STORAGE}"))
        .await;
    open_self_check(&b, &base).await;
    b.wait_for_text("此浏览器不允许在本机保存").await;
    b.wait_for_service_worker().await;

    // Online, an answer still goes: the page holds it until the server has it.
    let p03 = item("耕地地力保护补贴");
    tap(&b, &p03, "是").await;
    outbox_empty(&b).await;
    b.wait_for_text("已发送").await;

    // Offline, the page never claims the phone keeps it. (The server stops too: DevTools'
    // offline does not reach every request of a page a service worker controls.)
    b.set_offline(true).await;
    let config = server.stop().await;
    let p01 = item("低保对象是否经户申请");
    tap(&b, &p01, "否").await;
    b.wait_for_text("仅保存在本页").await;
    assert!(!b.body_text().await.contains("已保存在本机"));
    b.screenshot("no-storage-page-only").await;

    // The page is reloaded before the signal returns: that answer is gone, and the liaison
    // is told so once back.
    b.client.refresh().await.unwrap();
    let server = Running::start(config).await.unwrap();
    b.set_offline(false).await;
    b.client.refresh().await.unwrap();
    b.heading("自查").await;
    b.wait_for_text("当时尚未发送的内容已找不到").await;
    b.wait_for_text("1 条自查答案").await;
    b.screenshot("no-storage-work-gone").await;
    b.click_button("知道了").await;
    assert!(!b.body_text().await.contains("内容已找不到"));
    let record = server_record(&base).await;
    assert!(record.answers.iter().any(|a| a.item_id == "p-03"));
    assert!(!record.answers.iter().any(|a| a.item_id == "p-01"));
    b.close().await;
    server.stop().await;
}

#[tokio::test]
async fn when_wechat_clears_the_phones_storage_the_liaison_is_told_what_was_not_sent() {
    let (server, _) = slow_server().await;
    let base = server.base.clone();
    let b = Browser::open(360, 740).await;
    open_self_check(&b, &base).await;
    assert!(!b.body_text().await.contains("简易存储"));
    b.set_offline(true).await;
    let p01 = item("低保对象是否经户申请");
    tap(&b, &p01, "否").await;
    write_note(&b, &p01, "3户未经民主评议").await;
    let p03 = item("耕地地力保护补贴");
    tap(&b, &p03, "是").await;
    b.wait_for_text("已保存在本机").await;

    // WeChat's sign-out clears the page's storage while the page is closed; the session
    // cookie happens to survive.
    let clear = json!({ "origin": base, "storageTypes": "indexeddb,local_storage" });
    let config = server.stop().await;
    b.goto("about:blank").await;
    b.cdp("Storage.clearDataForOrigin", clear.clone()).await;
    let server = Running::start(config).await.unwrap();
    b.set_offline(false).await;
    b.goto(&format!("{base}/self-check")).await;
    b.heading("自查").await;
    b.wait_for_text("已答 0 /").await;
    b.wait_for_text("2 条自查答案").await;
    b.wait_for_text("请核对后补填并发送").await;
    b.screenshot("storage-cleared-work-gone").await;
    b.click_button("知道了").await;
    assert!(server_record(&base).await.answers.is_empty());

    // A cleaner can also empty the store under the open page: found at the outbox's next look.
    b.set_offline(true).await;
    tap(&b, &p03, "否").await;
    b.wait_for_text("已保存在本机").await;
    b.cdp("Storage.clearDataForOrigin", clear).await;
    b.set_offline(false).await;
    b.wait_for_text("1 条自查答案").await;
    b.close().await;
    server.stop().await;
}

#[tokio::test]
async fn the_app_can_be_put_on_the_home_screen() {
    let (server, _) = slow_server().await;
    let b = Browser::open(360, 740).await;
    b.goto(&server.base).await;
    b.field("用户名").await;
    b.cdp("Page.enable", json!({})).await;
    let manifest = b.cdp("Page.getAppManifest", json!({})).await;
    assert!(
        manifest["url"]
            .as_str()
            .is_some_and(|u| u.ends_with("/manifest.webmanifest")),
        "{manifest}"
    );
    assert_eq!(manifest["errors"], json!([]), "{manifest}");
    let data: serde_json::Value = serde_json::from_str(manifest["data"].as_str().unwrap()).unwrap();
    assert_eq!(data["short_name"], json!("巡察"));
    for icon in data["icons"].as_array().unwrap() {
        let src = icon["src"].as_str().unwrap();
        let status = b
            .eval_async(&format!(
                "const done = arguments[0]; fetch('{src}').then(r => done(r.status + ' ' + r.headers.get('content-type')), e => done(String(e)));"
            ))
            .await;
        assert!(
            status.as_str().is_some_and(|s| s.starts_with("200 image/")),
            "{src}: {status}"
        );
    }
    b.close().await;
    server.stop().await;
}

/// Every element a thumb taps that is shorter or narrower than 44 px, with its text.
async fn small_targets(b: &Browser) -> serde_json::Value {
    b.eval(
        "return [...document.querySelectorAll('button, a, .choice label, input[type=file]')]
            // What is on screen (the skip link waits off screen until focused).
            .filter(e => e.offsetParent !== null && e.getBoundingClientRect().right > 0)
            .map(e => [e.textContent.trim(), e.getBoundingClientRect()])
            .filter(([_, r]) => r.height < 44 || r.width < 44)
            .map(([t, r]) => `${t} ${Math.round(r.width)}×${Math.round(r.height)}`)",
    )
    .await
}

/// How wide the page is, counting what sticks out of a scrolled box (a nav bar, say).
async fn page_width(b: &Browser) -> i64 {
    b.eval(
        "return Math.max(document.documentElement.scrollWidth,
            ...[...document.querySelectorAll('a, button, label, h1, h2, p')]
                .filter(e => e.offsetParent !== null && e.getBoundingClientRect().right > 0)
                .map(e => Math.ceil(e.getBoundingClientRect().right)))",
    )
    .await
    .as_i64()
    .unwrap()
}

#[tokio::test]
async fn at_360_px_targets_are_44_px_items_are_numbered_and_every_missing_answer_is_one_tap_away() {
    let (server, _) = slow_server().await;
    let base = server.base.clone();
    let b = Browser::open(360, 740).await;
    b.sign_in(&base, "qingshi").await;
    b.heading("青石村").await;
    b.wait_for_text("项未完成").await;
    assert_eq!(small_targets(&b).await, json!([]), "home");
    b.link("开展自查").await.click().await.unwrap();
    b.heading("自查").await;
    b.wait_for_text("已答 0 /").await;
    assert_eq!(small_targets(&b).await, json!([]), "self-check");
    b.find(Locator::XPath(
        "//li[contains(@class,'item')][1]//p[contains(@class,'prompt')][starts-with(normalize-space(), '1. ')]",
    ))
    .await;

    // The end of a tab leads to the next one.
    b.find(Locator::XPath(
        "//button[starts-with(normalize-space(), '下一部分：')]",
    ))
    .await
    .click()
    .await
    .unwrap();
    b.find(Locator::XPath(
        "//nav[contains(@class,'focus-tabs')]/button[2][@aria-pressed='true']",
    ))
    .await;

    // Submitting with answers missing lists them; each entry opens its item.
    b.click_button("提交").await;
    let missing = b
        .find(Locator::XPath(
            "//ul[contains(@class,'missing')]/li[last()]/button",
        ))
        .await;
    let text = missing.text().await.unwrap();
    let number: usize = text.split('.').next().unwrap().trim().parse().unwrap();
    missing.click().await.unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;
    let focused = b
        .eval("const li = document.activeElement.closest('li.item'); return li ? li.querySelector('.num').textContent : null")
        .await;
    assert_eq!(focused, json!(format!("{number}. ")), "{text}");
    b.screenshot("missing-answer-opened").await;

    // In English nothing is wider than the phone.
    b.click_button("English").await;
    b.wait_for_text("Self-check").await;
    assert!(page_width(&b).await <= 360, "self-check in English");
    for (link, heading) in [
        ("Rectification tasks", "Rectification tasks"),
        ("My account", "My account"),
        ("My organisation", "青石村"),
    ] {
        b.link(link).await.click().await.unwrap();
        b.heading(heading).await;
        assert!(page_width(&b).await <= 360, "{link} in English");
        assert_eq!(small_targets(&b).await, json!([]), "{link} in English");
    }
    b.screenshot("home-english-phone").await;
    b.close().await;
    server.stop().await;
}

/// Whether the thumbnail of that name has an image loaded (not a broken one).
async fn thumbnail_shows(b: &Browser, name: &str) -> bool {
    let started = Instant::now();
    loop {
        let shown = b
            .eval(&format!(
                "const i = [...document.querySelectorAll('img')].find(i => i.alt === '{name}'); return !!i && i.complete && i.naturalWidth > 0"
            ))
            .await;
        if shown == json!(true) {
            return true;
        }
        if started.elapsed() > Duration::from_secs(10) {
            return false;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

#[tokio::test]
async fn photos_show_as_thumbnails_offline_too_and_can_be_taken_off_before_submitting() {
    let (server, _) = slow_server().await;
    let base = server.base.clone();
    let b = Browser::open(360, 740).await;
    open_self_check(&b, &base).await;
    b.wait_for_service_worker().await;
    let p01 = item("低保对象是否经户申请");
    let attach = async |name: &str| {
        b.find(Locator::XPath(&format!("{p01}//input[@type='file']")))
            .await
            .send_keys(&xuncha_e2e::photo(name).display().to_string())
            .await
            .unwrap();
    };
    tap(&b, &p01, "否").await;
    attach("thumb-1").await;
    b.wait_for_text("1 份材料已上传").await;
    assert!(thumbnail_shows(&b, "材料 1").await, "the sent photo shows");

    // No signal, and the page reloaded: the photo on the server still shows from the phone.
    b.set_offline(true).await;
    let config = server.stop().await;
    b.client.refresh().await.unwrap();
    b.heading("自查").await;
    assert!(
        thumbnail_shows(&b, "材料 1").await,
        "offline, from the phone"
    );
    // A photo taken now shows before it is sent, and can be taken off.
    attach("thumb-2").await;
    b.wait_for_text("1 份材料待发送").await;
    assert!(thumbnail_shows(&b, "材料 2").await, "the queued photo");
    b.screenshot("photo-thumbnails-offline").await;
    b.click_button("移除 材料 2").await;
    b.wait_for_text("0 份材料待发送").await;
    // The one on the server comes off with no signal too, and stays off through a reload.
    b.click_button("移除 材料 1").await;
    b.wait_for_text("0 份材料已上传").await;
    b.wait_for_text("已保存在本机").await;
    b.client.refresh().await.unwrap();
    b.heading("自查").await;
    b.wait_for_text("0 份材料已上传").await;
    assert_eq!(
        b.eval("return document.querySelectorAll('img[alt=\"材料 1\"]').length")
            .await,
        json!(0),
        "taken off on the phone"
    );

    // Back online: the outbox takes it off the server.
    let server = Running::start(config).await.unwrap();
    b.set_offline(false).await;
    outbox_empty(&b).await;
    let record = server_record(&base).await;
    assert!(record.evidence.is_empty(), "{:?}", record.evidence);
    b.wait_for_text("0 份材料已上传").await;
    b.close().await;
    server.stop().await;
}
