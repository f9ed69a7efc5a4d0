//! What the server sends with pages and built files: security headers, entry pages per bundle, caching.
//! On SQLite, and on PostgreSQL when XUNCHA_TEST_POSTGRES is set.

mod common;

use common::TestApp;
use reqwest::StatusCode;

#[tokio::test]
async fn pages_carry_strict_security_headers_and_client_routes_fall_back_to_the_app() {
    let app = TestApp::spawn().await;
    let r = TestApp::client()
        .get(app.url("/orgs/some-id"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let csp = r.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(
        csp.contains("default-src 'self'")
            && csp.contains("frame-ancestors 'none'")
            && !csp.contains("unsafe-inline")
    );
    assert_eq!(r.headers()["x-content-type-options"], "nosniff");
    assert!(r.text().await.unwrap().contains("<html"));
}

#[tokio::test]
async fn each_bundle_gets_its_own_entry_page_and_the_csp_allows_exactly_their_loaders() {
    let dist = std::env::temp_dir().join(format!("xuncha-dist-{}", uuid_like()));
    std::fs::create_dir_all(dist.join("office")).unwrap();
    std::fs::write(
        dist.join("index.html"),
        "<html><script type=\"module\">field()</script>FIELD</html>",
    )
    .unwrap();
    std::fs::write(
        dist.join("office/index.html"),
        "<html><script type=\"module\">office()</script>OFFICE</html>",
    )
    .unwrap();
    let d = dist.clone();
    let app = TestApp::spawn_with(move |c| c.dist = d).await;
    let c = TestApp::client();
    for (path, expected) in [
        ("/", "FIELD"),
        ("/my", "FIELD"),
        ("/office", "OFFICE"),
        ("/office/orgs/x", "OFFICE"),
    ] {
        let r = c.get(app.url(path)).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::OK, "{path}");
        let csp = r.headers()["content-security-policy"]
            .to_str()
            .unwrap()
            .to_string();
        // sha256 of "field()" and of "office()", base64.
        assert!(
            csp.contains("'sha256-") && csp.matches("'sha256-").count() == 2,
            "{csp}"
        );
        assert!(r.text().await.unwrap().contains(expected), "{path}");
    }
    let _ = std::fs::remove_dir_all(dist);
}

/// Engines before 'wasm-unsafe-eval' (Chromium 97, Safari 16) compile WebAssembly only under
/// 'unsafe-eval': without it the baseline build would be a blank page on the very phones it
/// is for. Everyone else keeps the narrower keyword.
#[tokio::test]
async fn an_engine_before_wasm_unsafe_eval_gets_a_csp_it_can_run_the_app_under() {
    let app = TestApp::spawn().await;
    let c = TestApp::client();
    let webview_80 = "Mozilla/5.0 (Linux; Android 10; wv) AppleWebKit/537.36 (KHTML, like Gecko) \
                      Version/4.0 Chrome/80.0.3987.99 Mobile Safari/537.36";
    let current = "Mozilla/5.0 (Linux; Android 14; wv) AppleWebKit/537.36 (KHTML, like Gecko) \
                   Version/4.0 Chrome/130.0.6723.58 Mobile Safari/537.36";
    for (path, ua, old) in [
        ("/", webview_80, true),
        ("/self-check", webview_80, true),
        ("/", current, false),
        ("/office/", current, false),
    ] {
        let r = c
            .get(app.url(path))
            .header("user-agent", ua)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::OK, "{path}");
        assert_eq!(r.headers()["vary"], "User-Agent", "{path}");
        let csp = r.headers()["content-security-policy"].to_str().unwrap();
        assert_eq!(csp.contains(" 'unsafe-eval'"), old, "{path} {ua}: {csp}");
        assert_eq!(
            csp.contains("'wasm-unsafe-eval'"),
            !old,
            "{path} {ua}: {csp}"
        );
        assert!(csp.contains("script-src 'self' ") && !csp.contains("unsafe-inline"));
    }
    // An API reply is no page: never the wider policy.
    let r = c
        .get(app.url("/api/health"))
        .header("user-agent", webview_80)
        .send()
        .await
        .unwrap();
    let csp = r.headers()["content-security-policy"].to_str().unwrap();
    assert!(!csp.contains(" 'unsafe-eval'"), "{csp}");
}

#[tokio::test]
async fn built_files_are_cached_for_good_and_entry_pages_and_the_worker_are_revalidated() {
    let dist = std::env::temp_dir().join(format!("xuncha-dist-{}", uuid_like()));
    let build = dist.join("b/0123456789abcdef");
    std::fs::create_dir_all(&build).unwrap();
    std::fs::create_dir_all(dist.join("office/b/fedcba9876543210")).unwrap();
    for (path, body) in [
        ("index.html", "<html>FIELD</html>"),
        ("sw.js", "// worker"),
        ("favicon.svg", "<svg/>"),
        ("b/0123456789abcdef/xuncha-web_bg.wasm", "\0asm"),
        ("b/0123456789abcdef/xuncha-web.js", "export default 1"),
        ("office/index.html", "<html>OFFICE</html>"),
        ("office/b/fedcba9876543210/office.css", "p{}"),
    ] {
        std::fs::write(dist.join(path), body).unwrap();
    }
    let d = dist.clone();
    let app = TestApp::spawn_with(move |c| c.dist = d).await;
    let c = TestApp::client();
    for (path, cache) in [
        (
            "/b/0123456789abcdef/xuncha-web_bg.wasm",
            "public, max-age=31536000, immutable",
        ),
        (
            "/b/0123456789abcdef/xuncha-web.js",
            "public, max-age=31536000, immutable",
        ),
        (
            "/office/b/fedcba9876543210/office.css",
            "public, max-age=31536000, immutable",
        ),
        ("/", "no-cache"),
        ("/office/", "no-cache"),
        ("/sw.js", "no-cache"),
        ("/favicon.svg", "no-cache"),
    ] {
        let r = c.get(app.url(path)).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::OK, "{path}");
        assert_eq!(r.headers()["cache-control"], cache, "{path}");
    }
    // A chunk of a build that is not here is missing, never the entry page in its place.
    let r = c
        .get(app.url("/b/0123456789abcdef/split_self_check.wasm"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    assert_eq!(r.headers()["cache-control"], "no-cache");
    let _ = std::fs::remove_dir_all(dist);
}

fn uuid_like() -> String {
    format!(
        "{:x}",
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos()
    )
}
