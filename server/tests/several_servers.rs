//! Several `xuncha-server` processes on one PostgreSQL behind one address (nginx, round robin,
//! no stickiness) serve one user as one server would: the session, the sign-in throttle,
//! the ids that make a retry safe, the files and the audit chain all live in the database
//! (and the shared file folder), none in a process. Runs in the PostgreSQL pass of
//! `cargo xtask test`, which installs nginx.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use reqwest::{Client, StatusCode};
use serde_json::json;
use xuncha_api::checklists::{ChangesResult, Record};
use xuncha_server::db::Db;
use xuncha_server::demo::{self, PASSWORD};
use xuncha_server::testkit;

/// A child process killed when the test ends, however it ends.
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

async fn wait_until_up(base: &str, what: &str, log: &Path) {
    for _ in 0..300 {
        if let Ok(r) = reqwest::get(format!("{base}/api/health")).await {
            if r.status() == StatusCode::OK {
                return;
            }
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!(
        "{what} did not answer: {}",
        std::fs::read_to_string(log).unwrap_or_default()
    );
}

async fn server(url: &str, files: &Path, dir: &Path, n: usize) -> (Running, String) {
    let port = free_port();
    let log = dir.join(format!("server-{n}.log"));
    let child = Command::new(env!("CARGO_BIN_EXE_xuncha-server"))
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("DATABASE_URL", url)
        .env("XUNCHA_FILES", files)
        .env("XUNCHA_BIND", format!("127.0.0.1:{port}"))
        .env("XUNCHA_TRUST_FORWARDED_FOR", "true")
        .env("XUNCHA_HASH_CONCURRENCY", "1")
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(&log).unwrap())
        .spawn()
        .expect("xuncha-server starts");
    let base = format!("http://127.0.0.1:{port}");
    let running = Running(child);
    wait_until_up(&base, "xuncha-server", &log).await;
    (running, base)
}

fn nginx_binary() -> PathBuf {
    let found = ["/usr/sbin/nginx", "/usr/bin/nginx"]
        .into_iter()
        .map(PathBuf::from)
        .find(|p| p.exists());
    found.expect("nginx is installed (cargo xtask test --with-postgres installs it)")
}

/// nginx in front of the servers, taking turns per request; each answer says which server
/// gave it (`X-Upstream`).
async fn nginx(upstreams: &[String], dir: &Path) -> (Running, String) {
    let port = free_port();
    let servers: String = upstreams
        .iter()
        .map(|b| format!("server {};", b.trim_start_matches("http://")))
        .collect();
    let d = dir.display();
    let conf = format!(
        "daemon off; master_process off; pid {d}/nginx.pid; error_log {d}/nginx.log warn;
         events {{ worker_connections 512; }}
         http {{
           access_log off;
           client_body_temp_path {d}/body; proxy_temp_path {d}/proxy;
           fastcgi_temp_path {d}/fastcgi; uwsgi_temp_path {d}/uwsgi; scgi_temp_path {d}/scgi;
           upstream xuncha {{ {servers} }}
           server {{
             listen 127.0.0.1:{port};
             client_max_body_size 8m;
             location / {{
               proxy_pass http://xuncha;
               proxy_set_header Host $host;
               proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
               proxy_next_upstream off;
               add_header X-Upstream $upstream_addr always;
             }}
           }}
         }}"
    );
    let path = dir.join("nginx.conf");
    std::fs::write(&path, conf).unwrap();
    let log = dir.join("nginx.log");
    let child = Command::new(nginx_binary())
        .args(["-p", &d.to_string(), "-e"])
        .arg(&log)
        .arg("-c")
        .arg(&path)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("nginx starts");
    let base = format!("http://127.0.0.1:{port}");
    let running = Running(child);
    wait_until_up(&base, "nginx", &log).await;
    (running, base)
}

fn client() -> Client {
    Client::builder().cookie_store(true).build().unwrap()
}

async fn sign_in(c: &Client, base: &str, user: &str, password: &str) -> StatusCode {
    c.post(format!("{base}/api/auth/login"))
        .json(&json!({ "username": user, "password": password }))
        .send()
        .await
        .unwrap()
        .status()
}

/// Sends a request straight to one server (with the cookies got through the proxy).
async fn ok_json<T: serde::de::DeserializeOwned>(req: reqwest::RequestBuilder) -> T {
    let r = req.send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK, "{}", r.url());
    r.json().await.unwrap()
}

#[tokio::test]
async fn two_servers_behind_nginx_serve_one_user_as_one_server_would() {
    if std::env::var(testkit::PG_ENV).map_or(true, |v| v.is_empty()) {
        eprintln!(
            "skipped here: runs in the PostgreSQL pass ({})",
            testkit::PG_ENV
        );
        return;
    }
    let dir = std::env::temp_dir().join(format!("xuncha-several-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(&dir).unwrap();
    let files = dir.join("files");
    let url = testkit::fresh_database_url().await.unwrap();
    let db = Db::open(&url, &files).await.unwrap();
    db.migrate().await.unwrap();
    demo::seed_if_empty(&db, &testkit::small_size())
        .await
        .unwrap();

    let (_a, a) = server(&url, &files, &dir, 1).await;
    let (_b, b) = server(&url, &files, &dir, 2).await;
    let (_proxy, proxy) = nginx(&[a.clone(), b.clone()], &dir).await;

    // Signed in once, through whichever server; every request after it is served by
    // both in turn with the one session.
    let liaison = client();
    assert_eq!(
        sign_in(&liaison, &proxy, "qingshi", PASSWORD).await,
        StatusCode::OK
    );
    let mut served_by = BTreeSet::new();
    for _ in 0..6 {
        let r = liaison
            .get(format!("{proxy}/api/auth/me"))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::OK);
        served_by.insert(r.headers()["x-upstream"].to_str().unwrap().to_string());
    }
    assert_eq!(served_by.len(), 2, "both servers answered: {served_by:?}");

    // A change acknowledged by one server is seen by the other, and its retry sent to the
    // other (the reply was lost on the way back) is applied once.
    let record: Record = liaison
        .post(format!("{proxy}/api/checklists/records"))
        .json(&json!({ "kind": "self_check" }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let change = json!([{ "change_id": "across-1", "base_version": record.version,
        "item_id": "p-01", "value": { "type": "yes_no", "value": "yes" }, "note": "" }]);
    let changes = |base: &str| {
        liaison
            .post(format!(
                "{base}/api/checklists/records/{}/changes",
                record.id
            ))
            .json(&change)
    };
    let first: ChangesResult = ok_json(changes(&a)).await;
    let retry: ChangesResult = ok_json(changes(&b)).await;
    assert_eq!(first.applied, vec!["across-1".to_string()]);
    assert_eq!(
        retry.applied,
        vec!["across-1".to_string()],
        "a retry is acknowledged"
    );
    assert_eq!(
        retry.record.version, first.record.version,
        "and applied once"
    );
    let seen: Record =
        ok_json(liaison.get(format!("{b}/api/checklists/records/{}", record.id))).await;
    assert_eq!(seen.version, first.record.version);

    // A photo stored by one server is read from the other.
    let photo = b"\xff\xd8\xff\xe0 taken on the phone".to_vec();
    let r = liaison
        .put(format!(
            "{a}/api/checklists/records/{}/evidence/across?item_id=p-01",
            record.id
        ))
        .header("content-type", "image/jpeg")
        .body(photo.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let r = liaison
        .get(format!(
            "{b}/api/checklists/records/{}/evidence/across",
            record.id
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.bytes().await.unwrap().to_vec(), photo);

    // The sign-in throttle counts the failures made on either server.
    for _ in 0..5 {
        assert_eq!(
            sign_in(&client(), &proxy, "lina", "wrong password").await,
            StatusCode::UNAUTHORIZED
        );
    }
    for base in [&a, &b] {
        assert_eq!(
            sign_in(&client(), base, "lina", PASSWORD).await,
            StatusCode::TOO_MANY_REQUESTS,
            "locked on {base} too"
        );
    }

    // Writes on both at once keep one audit chain: photos from four phones in parallel.
    let sends = (0..16).map(|i| {
        let c = liaison.clone();
        let url = format!(
            "{proxy}/api/checklists/records/{}/evidence/busy-{i}?item_id=p-0{}",
            record.id,
            1 + i % 3
        );
        let body = format!("\u{ff}busy {i}").into_bytes();
        async move {
            c.put(url)
                .header("content-type", "image/jpeg")
                .body([b"\xff\xd8\xff".as_slice(), &body].concat())
                .send()
                .await
                .unwrap()
                .status()
        }
    });
    for status in futures::future::join_all(sends).await {
        assert_eq!(status, StatusCode::OK);
    }
    let verified = Command::new(env!("CARGO_BIN_EXE_xuncha-server"))
        .args(["audit", "verify"])
        .env_clear()
        .env("DATABASE_URL", &url)
        .env("XUNCHA_FILES", &files)
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&verified.stdout);
    assert!(verified.status.success(), "{said}");
    assert!(said.contains("intact"), "{said}");
}
