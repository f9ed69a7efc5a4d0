//! Puts the API and the built client behind one router with the cross-cutting layers.

use std::path::Path;

use axum::extract::{DefaultBodyLimit, Request};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode, Uri};
use axum::middleware::{self, Next};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use base64::Engine;
use sha2::{Digest, Sha256};
use tower_http::compression::CompressionLayer;
use tower_http::services::ServeDir;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;
use xuncha_api::{ApiError, Lang};

use crate::{openapi, public, AppState, Error};

/// JSON bodies are small; file uploads set their own limit on their route.
const JSON_LIMIT: usize = 1024 * 1024;

pub fn router(state: AppState) -> anyhow::Result<Router> {
    let dist = state.config.dist.clone();
    let index = Index::load(&dist);
    let csp = HeaderValue::from_str(&index.csp)?;

    let (api, doc) = openapi::api();
    let api = api
        .layer(axum::Extension(openapi::Document::of(&doc)))
        .route(
            "/api/{*rest}",
            axum::routing::any(|| async { Error::NotFound }),
        )
        // axum adds the `Allow` header with the methods the path takes.
        .method_not_allowed_fallback(|| async { Error::MethodNotAllowed })
        .layer(DefaultBodyLimit::max(JSON_LIMIT))
        .layer(middleware::from_fn(localize_errors))
        .layer(middleware::from_fn_with_state(
            state.config.slow_replies_ms.clone(),
            slow_replies,
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-store"),
        ))
        .with_state(state.clone());

    let (field_html, office_html) = (index.field.clone(), index.office.clone());
    let older_engines_csp = HeaderValue::from_str(&index.older_engines_csp)?;
    let spa_fallback = move |method: Method, uri: Uri, headers: HeaderMap| {
        // Client routes under /office belong to the office app, the rest to the field app.
        let html = if uri.path() == "/office" || uri.path().starts_with("/office/") {
            office_html.clone()
        } else {
            field_html.clone()
        };
        let missing_build_file = is_built_file(uri.path());
        let csp = headers
            .get(header::USER_AGENT)
            .and_then(|ua| ua.to_str().ok())
            .is_some_and(wasm_needs_unsafe_eval)
            .then(|| older_engines_csp.clone());
        async move {
            if method != Method::GET && method != Method::HEAD {
                return StatusCode::METHOD_NOT_ALLOWED.into_response();
            }
            // A file of a build that is not there (an old build's chunk after an update) is
            // missing, not a page: the app's loader must see it fail.
            if missing_build_file {
                return StatusCode::NOT_FOUND.into_response();
            }
            let mut r = Html(html).into_response();
            r.headers_mut()
                .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
            r.headers_mut()
                .insert(header::VARY, HeaderValue::from_static("User-Agent"));
            if let Some(csp) = csp {
                r.headers_mut().insert(header::CONTENT_SECURITY_POLICY, csp);
            }
            r
        }
    };
    let assets = ServeDir::new(&dist)
        .precompressed_br()
        .precompressed_gzip()
        .append_index_html_on_directories(false)
        .fallback(axum::routing::any(spa_fallback.clone()).with_state(()));

    // Browsers that once reached the server over HTTPS keep to it.
    let hsts = state.config.secure_cookie.then(|| {
        SetResponseHeaderLayer::if_not_present(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000"),
        )
    });
    Ok(Router::new()
        .merge(api)
        .merge(public::router().with_state(state.clone()))
        .route("/", get(spa_fallback))
        .fallback_service(assets)
        .layer(middleware::from_fn(cache_static))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CONTENT_SECURITY_POLICY,
            csp,
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_FRAME_OPTIONS,
            HeaderValue::from_static("DENY"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::REFERRER_POLICY,
            HeaderValue::from_static("no-referrer"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::HeaderName::from_static("permissions-policy"),
            HeaderValue::from_static("camera=(self), geolocation=(), microphone=()"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::HeaderName::from_static("cross-origin-opener-policy"),
            HeaderValue::from_static("same-origin"),
        ))
        .layer(tower::util::option_layer(hsts))
        .layer(CompressionLayer::new())
        .layer(TraceLayer::new_for_http()))
}

/// The two entry pages as `cargo xtask build` wrote them (the small field app at `/`, the office app under
/// `/office/`), and a CSP that allows exactly their inline loader scripts.
struct Index {
    field: String,
    office: String,
    csp: String,
    /// The same, for engines that compile WebAssembly only under 'unsafe-eval'.
    older_engines_csp: String,
}

impl Index {
    fn load(dist: &Path) -> Index {
        let read = |path: &Path| {
            std::fs::read_to_string(path).unwrap_or_else(|_| {
                tracing::warn!(path = %path.display(), "no built client; run `cargo xtask run`");
                "<!doctype html><html lang=\"zh-CN\"><meta charset=\"utf-8\"><title>巡察</title>\
                 <main><h1>巡察</h1><p>The client is not built. Run <code>cargo xtask run</code>.</p></main></html>"
                    .to_string()
            })
        };
        let field = read(&dist.join("index.html"));
        let office = read(&dist.join("office/index.html"));
        let hashes: Vec<String> = inline_scripts(&field)
            .into_iter()
            .chain(inline_scripts(&office))
            .map(|s| {
                format!(
                    "'sha256-{}'",
                    base64::engine::general_purpose::STANDARD.encode(Sha256::digest(s.as_bytes()))
                )
            })
            .collect();
        let csp = |wasm: &str| {
            format!(
                "default-src 'self'; script-src 'self' {wasm} {}; style-src 'self'; \
                 img-src 'self' data: blob:; connect-src 'self'; font-src 'self'; object-src 'none'; \
                 base-uri 'none'; frame-ancestors 'none'; form-action 'self'; worker-src 'self'; manifest-src 'self'",
                hashes.join(" ")
            )
        };
        Index {
            field,
            office,
            csp: csp("'wasm-unsafe-eval'"),
            older_engines_csp: csp("'unsafe-eval'"),
        }
    }
}

/// Whether a browser compiles WebAssembly only where the page's CSP allows 'unsafe-eval'.
/// 'wasm-unsafe-eval' came with Chromium 97, Safari 16 and Firefox 102; under a CSP without
/// 'unsafe-eval' the engines before them refuse to compile the app ("Refused to compile or
/// instantiate WebAssembly module"), and those are the phones the baseline build is for
/// (Android WebView 80, older WeChat and QQ kernels, iOS 14). They get 'unsafe-eval' in
/// place of 'wasm-unsafe-eval'; scripts stay limited to this server's files and the
/// page's own hashed loaders, and the app has no eval of its own. A user agent can only
/// loosen its own page.
fn wasm_needs_unsafe_eval(user_agent: &str) -> bool {
    let major = |after: &str| -> Option<u32> {
        let rest = &user_agent[user_agent.find(after)? + after.len()..];
        let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
        digits.parse().ok()
    };
    if let Some(chromium) = major("Chrome/") {
        return chromium < 97;
    }
    if let Some(firefox) = major("Firefox/") {
        return firefox < 102;
    }
    if user_agent.contains("AppleWebKit") {
        // Every browser on iOS is the system's WebKit, in-app ones (WeChat) without a
        // Version/: the system's version tells.
        if let Some(ios) = major(" OS ").filter(|_| user_agent.contains("like Mac OS X")) {
            return ios < 16;
        }
        if let Some(safari) = major("Version/") {
            return safari < 16;
        }
    }
    false
}

/// The bodies of `<script>` elements that have one (the module loader, the boot guard).
fn inline_scripts(html: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find("<script") {
        let after = &rest[start..];
        let Some(open_end) = after.find('>') else {
            break;
        };
        let body = &after[open_end + 1..];
        let Some(close) = body.find("</script>") else {
            break;
        };
        // A data block (the build description) is no script.
        let data = after[..open_end].contains("application/json");
        if !data && !body[..close].trim().is_empty() {
            out.push(&body[..close]);
        }
        rest = &body[close..];
    }
    out
}

/// A build's files live in a folder named by their content hash (`/b/<hash>/…`, the office's
/// under `/office/b/<hash>/…`) and never change there.
fn is_built_file(path: &str) -> bool {
    let path = path.strip_prefix("/office").unwrap_or(path);
    path.strip_prefix("/b/")
        .and_then(|rest| rest.split_once('/'))
        .is_some_and(|(hash, file)| {
            hash.len() == 16 && hash.chars().all(|c| c.is_ascii_hexdigit()) && !file.is_empty()
        })
}

/// Built files are cached for good; everything else (entry pages, the service worker, the
/// icon) is checked with the server each time.
async fn cache_static(req: Request, next: Next) -> Response {
    let path = req.uri().path().to_string();
    let mut response = next.run(req).await;
    if path.starts_with("/api/") || response.headers().contains_key(header::CACHE_CONTROL) {
        return response;
    }
    let value = if is_built_file(&path) && response.status().is_success() {
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    };
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static(value));
    response
}

/// Holds answers back after the work is done, when a test asks for a slow network.
async fn slow_replies(
    axum::extract::State(delay): axum::extract::State<std::sync::Arc<std::sync::atomic::AtomicU64>>,
    req: Request,
    next: Next,
) -> Response {
    let response = next.run(req).await;
    let ms = delay.load(std::sync::atomic::Ordering::Relaxed);
    if ms > 0 {
        tokio::time::sleep(std::time::Duration::from_millis(ms)).await;
    }
    response
}

/// Errors are rendered in Chinese; an English request gets them re-rendered in English.
async fn localize_errors(req: Request, next: Next) -> Response {
    let lang = req
        .headers()
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .map(Lang::from_accept_language)
        .unwrap_or_default();
    let mut response = next.run(req).await;
    if lang == Lang::Zh {
        return response;
    }
    if let Some(mut body) = response.extensions_mut().remove::<ApiError>() {
        body.message = body.message_in(lang);
        let status = response.status();
        let headers = response.headers().clone();
        let mut localized = (status, axum::Json(body)).into_response();
        for (name, value) in headers.iter() {
            if name != header::CONTENT_LENGTH {
                localized.headers_mut().insert(name.clone(), value.clone());
            }
        }
        return localized;
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit;

    #[test]
    fn finds_inline_scripts_only() {
        let html =
            r#"<script src="/a.js"></script><script type="module">import x from '/x.js';</script>"#;
        assert_eq!(inline_scripts(html), vec!["import x from '/x.js';"]);
    }

    #[test]
    fn older_engines_are_told_apart_by_their_user_agent() {
        for old in [
            // Android WebView 80 (phones that get no WebView updates).
            "Mozilla/5.0 (Linux; Android 10; V1938T Build/QP1A.190711.020; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/80.0.3987.99 Mobile Safari/537.36",
            // WeChat on an older XWEB kernel.
            "Mozilla/5.0 (Linux; Android 9; MI 8 Build/PKQ1.180729.001; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/86.0.4240.99 XWEB/3263 MMWEBSDK/20211001 Mobile Safari/537.36 MMWEBID/1234 MicroMessenger/8.0.16.2040(0x28001053) Process/toolsmp WeChat/arm64 Weixin NetType/4G Language/zh_CN ABI/arm64",
            // WeChat on iOS 14 (the system's WebKit, no Version/).
            "Mozilla/5.0 (iPhone; CPU iPhone OS 14_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.2(0x18000239) NetType/WIFI Language/zh_CN",
            "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/15.6 Safari/605.1.15",
            "Mozilla/5.0 (X11; Linux x86_64; rv:91.0) Gecko/20100101 Firefox/91.0",
        ] {
            assert!(wasm_needs_unsafe_eval(old), "{old}");
        }
        for new in [
            "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/156.0.0.0 Safari/537.36",
            "Mozilla/5.0 (Linux; Android 13; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/122.0.6261.120 Mobile Safari/537.36 XWEB/1220099 MicroMessenger/8.0.47",
            "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.44",
            "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Safari/605.1.15",
            "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0",
            "curl/8.5.0",
            "",
        ] {
            assert!(!wasm_needs_unsafe_eval(new), "{new}");
        }
    }

    #[test]
    fn only_files_of_a_build_folder_are_immutable() {
        assert!(is_built_file("/b/0123456789abcdef/xuncha-web_bg.wasm"));
        assert!(is_built_file("/office/b/0123456789abcdef/main.css"));
        for path in [
            "/",
            "/index.html",
            "/sw.js",
            "/b/0123456789abcdef/",
            "/b/short/x.js",
            "/b/0123456789abcdeg/x.js",
            "/office/",
        ] {
            assert!(!is_built_file(path), "{path}");
        }
    }

    #[test]
    fn audit_diff_lists_changed_fields() {
        let d = audit::diff(
            &serde_json::json!({"a": 1, "b": 2}),
            &serde_json::json!({"a": 1, "b": 3}),
        );
        assert_eq!(d, serde_json::json!({"b": [2, 3]}));
    }
}
