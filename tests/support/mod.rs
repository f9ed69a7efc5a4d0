//! Drives the real app in headless Chromium through ChromeDriver, the way a person uses it:
//! elements are found by their label, role and text, never by CSS paths.

use std::net::TcpListener;
use std::os::unix::process::CommandExt;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::elements::Element;
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::json;

pub mod week;

pub const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
pub const CHROMIUM: &str = "/usr/bin/chromium";
const WAIT: Duration = Duration::from_secs(15);

/// A small PNG on disk, standing in for a camera photo.
pub fn photo(name: &str) -> PathBuf {
    use base64::Engine;
    const PNG: &str = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==";
    let path = std::env::temp_dir().join(format!("xuncha-e2e-{name}.png"));
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(PNG)
        .expect("a PNG");
    std::fs::write(&path, bytes).expect("the photo is written");
    path
}

/// The median of a bench's runs (NaN when none were made).
pub fn p50(mut v: Vec<f64>) -> f64 {
    if v.is_empty() {
        return f64::NAN;
    }
    v.sort_by(|a, b| a.total_cmp(b));
    v[v.len() / 2]
}

pub fn workspace() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

/// The real server over a fresh database with the small demo county, serving the built client.
pub async fn spawn_app() -> String {
    let dist = workspace().join("dist");
    assert!(
        dist.join("index.html").exists(),
        "the client is not built: run `cargo xtask build` (cargo xtask test does it)"
    );
    let (base, _) = xuncha_server::testkit::spawn(|c| c.dist = dist)
        .await
        .expect("server starts");
    base
}

/// The real server over a fresh database with a demo of `size` (several cities, say),
/// serving the built client.
pub async fn spawn_app_of(size: xuncha_server::demo::Size) -> String {
    let mut config = xuncha_server::config::Config::for_tests(
        xuncha_server::testkit::fresh_database_url()
            .await
            .expect("a database"),
    );
    config.dist = workspace().join("dist");
    let app = xuncha_server::Application::build(config)
        .await
        .expect("server starts");
    xuncha_server::demo::seed_if_empty(&app.state.db, &size)
        .await
        .expect("demo data");
    let base = format!("http://{}", app.address());
    tokio::spawn(app.run_until_stopped());
    base
}

/// The same, as a server a test can stop and start again on its address (the network gone).
pub async fn stoppable_app() -> xuncha_server::testkit::Running {
    let dist = workspace().join("dist");
    xuncha_server::testkit::Running::fresh(|c| c.dist = dist)
        .await
        .expect("server starts")
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// One Chromium with its own profile and its own ChromeDriver, closed on drop.
pub struct Browser {
    pub client: Client,
    driver: Child,
    profile: PathBuf,
    /// Closed already: the group's id may be another's by the time of the drop.
    closed: bool,
}

impl Browser {
    pub async fn open(width: u32, height: u32) -> Browser {
        Browser::open_with(width, height, &[]).await
    }

    /// The same with more Chromium flags (e.g. a host name mapped to 127.0.0.1).
    pub async fn open_with(width: u32, height: u32, extra: &[&str]) -> Browser {
        let port = free_port();
        // In a process group of its own, so that a browser dropped without `close` (a test
        // that failed) takes its Chromium with it instead of leaving it running.
        let driver = Command::new(CHROMEDRIVER)
            .process_group(0)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts (cargo xtask test installs it)");
        // A profile of its own: named after the port alone, a port used again found the profile
        // of a Chromium that outlived its dropped driver still locked, and the new Chromium
        // exited at once ("session not created: Chrome instance exited", CI of 127d513).
        static OPENED: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let n = OPENED.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        let profile =
            std::env::temp_dir().join(format!("xuncha-chrome-{}-{n}-{port}", std::process::id()));
        let _ = std::fs::remove_dir_all(&profile);
        let caps = json!({
            "goog:chromeOptions": {
                "binary": CHROMIUM,
                "args": [
                    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--disable-quic", "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync", "--lang=zh-CN",
                    format!("--window-size={width},{height}"),
                    format!("--user-data-dir={}", profile.display()),
                ]
            }
        });
        let mut caps = caps.as_object().unwrap().clone();
        if let Some(args) = caps["goog:chromeOptions"]["args"].as_array_mut() {
            args.extend(extra.iter().map(|a| json!(a)));
        }
        // Headless windows are at least 500 px wide: a phone is emulated, as WeChat's browser
        // on a cheap Android phone.
        if width < 500 {
            caps["goog:chromeOptions"]["mobileEmulation"] = json!({
                "deviceMetrics": { "width": width, "height": height, "pixelRatio": 2.0, "touch": true },
                "userAgent": "Mozilla/5.0 (Linux; Android 10; V2036A) AppleWebKit/537.36 (KHTML, like Gecko) \
                              Chrome/116.0 Mobile Safari/537.36 MicroMessenger/8.0.50 NetType/4G Language/zh_CN"
            });
        }
        let started = Instant::now();
        let client = loop {
            let attempt =
                ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
                    .capabilities(caps.clone())
                    .connect(&format!("http://127.0.0.1:{port}"))
                    .await;
            match attempt {
                Ok(c) => break c,
                Err(e) if started.elapsed() < WAIT => {
                    let _ = e;
                    tokio::time::sleep(Duration::from_millis(200)).await;
                }
                Err(e) => panic!("chromedriver did not answer: {e}"),
            }
        };
        Browser {
            client,
            driver,
            profile,
            closed: false,
        }
    }

    pub async fn goto(&self, url: &str) {
        self.client.goto(url).await.expect("page opens");
    }

    /// Waits for an element; panics with what was on the page if it never comes.
    pub async fn find(&self, locator: Locator<'_>) -> Element {
        let started = Instant::now();
        loop {
            if let Ok(e) = self.client.find(locator).await {
                return e;
            }
            if started.elapsed() > WAIT {
                let text = self.body_text().await;
                self.screenshot("failure").await;
                panic!("not found: {locator:?}\npage text:\n{text}");
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// The input that a `<label>` with exactly this text points at.
    pub async fn field(&self, label: &str) -> Element {
        let label_el = self
            .find(Locator::XPath(&format!(
                "//label[normalize-space()='{label}']"
            )))
            .await;
        let id = label_el
            .attr("for")
            .await
            .unwrap()
            .expect("label has a for attribute");
        self.find(Locator::Id(&id)).await
    }

    pub async fn fill(&self, label: &str, value: &str) {
        let input = self.field(label).await;
        input.clear().await.unwrap();
        input.send_keys(value).await.unwrap();
    }

    /// Sets an input the way a date picker does (typing into date fields depends on locale).
    pub async fn set_value(&self, label: &str, value: &str) {
        let input = self.field(label).await;
        let arg = serde_json::to_value(&input).unwrap();
        self.client
            .execute(
                "arguments[0].value = arguments[1]; \
                 arguments[0].dispatchEvent(new Event('input', { bubbles: true })); \
                 arguments[0].dispatchEvent(new Event('change', { bubbles: true }));",
                vec![arg, serde_json::json!(value)],
            )
            .await
            .unwrap();
    }

    pub async fn button(&self, text: &str) -> Element {
        self.find(Locator::XPath(&format!(
            "//button[normalize-space()='{text}']"
        )))
        .await
    }

    pub async fn click_button(&self, text: &str) {
        self.button(text).await.click().await.unwrap();
    }

    pub async fn link(&self, text: &str) -> Element {
        self.find(Locator::XPath(&format!("//a[normalize-space()='{text}']")))
            .await
    }

    pub async fn heading(&self, text: &str) -> Element {
        self.find(Locator::XPath(&format!(
            "//*[self::h1 or self::h2][normalize-space()='{text}']"
        )))
        .await
    }

    pub async fn body_text(&self) -> String {
        match self.client.find(Locator::Css("body")).await {
            Ok(b) => b.text().await.unwrap_or_default(),
            Err(_) => String::new(),
        }
    }

    /// Waits until the page shows a text.
    pub async fn wait_for_text(&self, text: &str) {
        let started = Instant::now();
        while !self.body_text().await.contains(text) {
            if started.elapsed() > WAIT {
                self.screenshot("failure").await;
                panic!(
                    "text never appeared: {text}\npage text:\n{}",
                    self.body_text().await
                );
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    pub async fn sign_in(&self, base: &str, username: &str) {
        self.goto(base).await;
        self.fill("用户名", username).await;
        self.fill("密码", xuncha_server::demo::PASSWORD).await;
        self.click_button("登录").await;
    }

    /// Cuts or restores the page's network (DevTools `Network.emulateNetworkConditions`). It
    /// does not cut the service worker's own fetches: stop the server as well.
    pub async fn set_offline(&self, offline: bool) {
        self.cdp("Network.enable", json!({})).await;
        self.cdp(
            "Network.emulateNetworkConditions",
            json!({ "offline": offline, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1 }),
        )
        .await;
    }

    /// A cheap phone on 3G, for figures: 300 ms latency, 1.6 Mbit/s down, 768 kbit/s up and the
    /// CPU 4× slower; `offline` cuts the page's network as [`Browser::set_offline`] does.
    pub async fn slow_3g(&self, offline: bool) {
        self.cdp("Network.enable", json!({})).await;
        self.cdp(
            "Network.emulateNetworkConditions",
            json!({ "offline": offline, "latency": 300, "downloadThroughput": 200_000, "uploadThroughput": 96_000 }),
        )
        .await;
        self.cdp("Emulation.setCPUThrottlingRate", json!({ "rate": 4 }))
            .await;
    }

    /// Runs a script in every page before the page's own scripts: an old or restricted
    /// browser made from this one (an API removed, or made to throw).
    pub async fn before_each_page(&self, script: &str) {
        self.cdp("Page.enable", json!({})).await;
        self.cdp(
            "Page.addScriptToEvaluateOnNewDocument",
            json!({ "source": script }),
        )
        .await;
    }

    /// An engine without WebAssembly reference types (Chromium before 96), made from this
    /// one: its user agent, and a WebAssembly that fails the entry page's probe.
    pub async fn as_engine_without_reference_types(&self, user_agent: &str) {
        self.cdp(
            "Network.setUserAgentOverride",
            json!({ "userAgent": user_agent }),
        )
        .await;
        self.before_each_page("WebAssembly.validate = function () { return false; };")
            .await;
    }

    /// The `.wasm` files the current page has fetched, as URLs.
    pub async fn wasm_fetched(&self) -> Vec<String> {
        let names = self
            .eval("return performance.getEntriesByType('resource').map((e) => e.name)")
            .await;
        names
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|n| n.as_str())
            .filter(|n| n.ends_with(".wasm"))
            .map(str::to_string)
            .collect()
    }

    /// Waits until the service worker controls the page (it then holds the app shell).
    pub async fn wait_for_service_worker(&self) {
        let started = Instant::now();
        while self
            .eval("return !!(navigator.serviceWorker && navigator.serviceWorker.controller)")
            .await
            != json!(true)
        {
            assert!(started.elapsed() < WAIT, "no service worker took control");
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    }

    pub async fn cdp(&self, cmd: &str, params: serde_json::Value) -> serde_json::Value {
        self.client
            .issue_cmd(Cdp {
                cmd: cmd.to_string(),
                params,
            })
            .await
            .unwrap_or_else(|e| panic!("{cmd}: {e}"))
    }

    /// Runs a script in the page and returns what it returns.
    pub async fn eval(&self, script: &str) -> serde_json::Value {
        self.client.execute(script, vec![]).await.unwrap()
    }

    /// Runs a script that finishes by calling its last argument, and returns what it passed.
    pub async fn eval_async(&self, script: &str) -> serde_json::Value {
        self.client.execute_async(script, vec![]).await.unwrap()
    }

    /// Saves a PNG under tests/screenshots/ for people to look at.
    pub async fn screenshot(&self, name: &str) {
        if let Ok(png) = self.client.screenshot().await {
            let dir = workspace().join("tests/screenshots");
            let _ = std::fs::create_dir_all(&dir);
            let _ = std::fs::write(dir.join(format!("{name}.png")), png);
        }
    }

    pub async fn close(mut self) {
        let _ = self.client.clone().close().await;
        self.kill_all();
        let _ = std::fs::remove_dir_all(&self.profile);
        self.closed = true;
    }

    /// ChromeDriver and the Chromium it started: the whole process group.
    fn kill_all(&mut self) {
        let _ = Command::new("kill")
            .args(["-KILL", "--", &format!("-{}", self.driver.id())])
            .stderr(Stdio::null())
            .status();
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        if !self.closed {
            self.kill_all();
            let _ = std::fs::remove_dir_all(&self.profile);
        }
    }
}

/// A raw DevTools command, sent through ChromeDriver's `goog/cdp/execute` endpoint.
#[derive(Debug)]
struct Cdp {
    cmd: String,
    params: serde_json::Value,
}

impl fantoccini::wd::WebDriverCompatibleCommand for Cdp {
    fn endpoint(
        &self,
        base_url: &url::Url,
        session_id: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base_url.join(&format!(
            "session/{}/goog/cdp/execute",
            session_id.unwrap_or_default()
        ))
    }

    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        (
            http::Method::POST,
            Some(json!({ "cmd": self.cmd, "params": self.params }).to_string()),
        )
    }
}

/// The office's side through the API: the fixtures the HTTP tests use too.
pub use xuncha_server::testkit::fixtures::Office;

/// A relay between the browser and the server that can lose the server's next reply: the
/// server has done the work, the phone never hears of it (a village signal dropping just as
/// the answer comes back). The browser talks to `base`; everything else passes unchanged.
pub struct Relay {
    pub base: String,
    lose_next: std::sync::Arc<std::sync::atomic::AtomicBool>,
    /// Set when the lost reply should take the signal with it.
    dark_after: std::sync::Arc<std::sync::atomic::AtomicBool>,
    /// No connection gets through: the phone is out of signal.
    dark: std::sync::Arc<std::sync::atomic::AtomicBool>,
    /// Only the reply to a request whose first line has this text is lost (a page's other
    /// traffic, such as the service worker filling its cache, goes through).
    only: std::sync::Arc<std::sync::Mutex<Option<String>>>,
}

impl Relay {
    /// Relays to a server at `upstream` (`http://127.0.0.1:port`).
    pub async fn start(upstream: &str) -> Relay {
        use std::sync::atomic::{AtomicBool, Ordering};
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let target = upstream.trim_start_matches("http://").to_string();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let lose_next = std::sync::Arc::new(AtomicBool::new(false));
        let lose = lose_next.clone();
        let dark_after = std::sync::Arc::new(AtomicBool::new(false));
        let dark = std::sync::Arc::new(AtomicBool::new(false));
        let (then_dark, is_dark) = (dark_after.clone(), dark.clone());
        let only = std::sync::Arc::new(std::sync::Mutex::new(None::<String>));
        let wanted = only.clone();
        tokio::spawn(async move {
            while let Ok((browser, _)) = listener.accept().await {
                if is_dark.load(Ordering::SeqCst) {
                    drop(browser);
                    continue;
                }
                let Ok(server) = tokio::net::TcpStream::connect(&target).await else {
                    continue;
                };
                let (mut from_browser, mut to_browser) = browser.into_split();
                let (mut from_server, mut to_server) = server.into_split();
                let cut = is_dark.clone();
                // Whether the request on this connection now is the one whose reply to lose
                // (Chromium sends one request at a time on a connection).
                let matched = std::sync::Arc::new(AtomicBool::new(true));
                let (this_one, wanted) = (matched.clone(), wanted.clone());
                tokio::spawn(async move {
                    // A connection kept alive from before the signal went passes nothing on
                    // either: the request stops here and the connection closes.
                    let mut buf = vec![0u8; 64 * 1024];
                    loop {
                        let n = match from_browser.read(&mut buf).await {
                            Ok(0) | Err(_) => break,
                            Ok(n) => n,
                        };
                        let head = String::from_utf8_lossy(&buf[..n.min(200)]).into_owned();
                        let line = head.lines().next().unwrap_or("");
                        if line.ends_with("HTTP/1.1") {
                            let w = wanted.lock().unwrap().clone();
                            this_one.store(w.is_none_or(|w| line.contains(&w)), Ordering::SeqCst);
                        }
                        if cut.load(Ordering::SeqCst)
                            || to_server.write_all(&buf[..n]).await.is_err()
                        {
                            break;
                        }
                    }
                    let _ = to_server.shutdown().await;
                });
                let lose = lose.clone();
                let (then_dark, is_dark) = (then_dark.clone(), is_dark.clone());
                tokio::spawn(async move {
                    let mut buf = vec![0u8; 64 * 1024];
                    loop {
                        let n = match from_server.read(&mut buf).await {
                            Ok(0) | Err(_) => break,
                            Ok(n) => n,
                        };
                        // The reply breaks off after its first bytes and the connection
                        // goes: the browser sees the network fail, not an answer. (With no
                        // byte at all it would quietly send the request again.)
                        if matched.load(Ordering::SeqCst) && lose.swap(false, Ordering::SeqCst) {
                            // Before the phone hears anything, so no retry slips through.
                            if then_dark.swap(false, Ordering::SeqCst) {
                                is_dark.store(true, Ordering::SeqCst);
                            }
                            let _ = to_browser.write_all(&buf[..n.min(12)]).await;
                            break;
                        }
                        if to_browser.write_all(&buf[..n]).await.is_err() {
                            break;
                        }
                    }
                });
            }
        });
        Relay {
            base,
            lose_next,
            dark_after,
            dark,
            only,
        }
    }

    /// The reply to the next request whose first line (`PUT /api/…`) has `text` goes
    /// nowhere, and the signal goes with it until [`Relay::reconnect`].
    pub fn lose_reply_to_and_signal(&self, text: &str) {
        *self.only.lock().unwrap() = Some(text.to_string());
        self.lose_next_reply_and_signal();
    }

    /// The next reply from the server goes nowhere.
    pub fn lose_next_reply(&self) {
        self.lose_next
            .store(true, std::sync::atomic::Ordering::SeqCst);
    }

    /// The next reply from the server goes nowhere, and the signal goes with it until
    /// [`Relay::reconnect`]: the outbox's own retries (every half minute) cannot send the
    /// work again while the test looks at what the phone holds.
    pub fn lose_next_reply_and_signal(&self) {
        self.dark_after
            .store(true, std::sync::atomic::Ordering::SeqCst);
        self.lose_next_reply();
    }

    /// The signal is back.
    pub fn reconnect(&self) {
        self.dark.store(false, std::sync::atomic::Ordering::SeqCst);
    }

    /// Whether the reply asked to be lost has been lost yet.
    pub fn reply_lost(&self) -> bool {
        !self.lose_next.load(std::sync::atomic::Ordering::SeqCst)
    }
}
