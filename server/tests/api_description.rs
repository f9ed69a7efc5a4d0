//! /api/openapi.json: complete, consistent, and the same routes as the server answers.
//! On SQLite, and on PostgreSQL when XUNCHA_TEST_POSTGRES is set.

mod common;

use common::TestApp;
use reqwest::StatusCode;
use serde_json::Value;

#[tokio::test]
async fn openapi_describes_every_endpoint() {
    let app = TestApp::spawn().await;
    let spec: Value = TestApp::client()
        .get(app.url("/api/openapi.json"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let paths = spec["paths"].as_object().unwrap();
    for p in [
        "/api/auth/login",
        "/api/auth/me",
        "/api/users",
        "/api/users/{id}",
        "/api/orgs",
        "/api/orgs/{id}",
        "/api/orgs/import",
        "/api/orgs/export.xlsx",
        "/api/audit",
    ] {
        assert!(paths.contains_key(p), "{p} is documented");
    }
    assert!(spec["components"]["schemas"]["ApiError"].is_object());
    // Every schema the document points at is in it (a query-only type is easy to miss).
    fn refs(v: &Value, out: &mut Vec<String>) {
        match v {
            Value::Object(m) => {
                if let Some(Value::String(r)) = m.get("$ref") {
                    out.push(r.clone());
                }
                m.values().for_each(|v| refs(v, out));
            }
            Value::Array(a) => a.iter().for_each(|v| refs(v, out)),
            _ => {}
        }
    }
    let mut all = Vec::new();
    refs(&spec, &mut all);
    for r in all {
        let name = r.trim_start_matches("#/components/schemas/");
        assert!(
            spec["components"]["schemas"][name].is_object(),
            "{r} is not in the document"
        );
    }
}

/// The routes the server answers under /api and the ones /api/openapi.json describes are the
/// same, both ways: every described method of every described path is served (not 405, not the
/// catch-all), every other method of it is 405 (so the path is routed, and by nothing
/// undescribed), and no module adds an /api route outside `routes!` (which takes its path from
/// the description).
#[tokio::test]
async fn the_routes_served_and_the_routes_described_are_the_same() {
    let app = TestApp::spawn().await;
    let c = TestApp::client();
    let spec: Value = app.get_json(&c, "/api/openapi.json").await;
    let paths = spec["paths"].as_object().unwrap();
    assert!(paths.len() >= 50, "{} paths", paths.len());
    let methods = ["get", "post", "put", "patch", "delete"];
    let mut wrong = Vec::new();
    for (path, item) in paths {
        let url = path
            .split('/')
            .map(|seg| if seg.starts_with('{') { "x" } else { seg })
            .collect::<Vec<_>>()
            .join("/");
        for m in methods {
            let described = item.get(m).is_some();
            let method = reqwest::Method::from_bytes(m.to_uppercase().as_bytes()).unwrap();
            let r = c
                .request(method, app.url(&url))
                .header("content-type", "application/json")
                .body("{}")
                .send()
                .await
                .unwrap();
            let status = r.status();
            let code = r.json::<Value>().await.ok().map(|v| v["code"].clone());
            if described {
                // The catch-all answers not_found to an anonymous caller; a served route that
                // needs a session answers 401 first, a public one reads the request.
                let caught = status == StatusCode::NOT_FOUND
                    && path != "/api/public/orgs/{id}/rectification"
                    && !path.ends_with(".xlsx");
                if status == StatusCode::METHOD_NOT_ALLOWED || caught {
                    wrong.push(format!(
                        "{m} {path} is described but answers {status} {code:?}"
                    ));
                }
            } else if status != StatusCode::METHOD_NOT_ALLOWED {
                wrong.push(format!("{m} {path} is not described but answers {status}"));
            }
        }
    }
    assert!(wrong.is_empty(), "{wrong:#?}");

    // Nothing outside the catch-all routes /api by hand.
    fn sources(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                sources(&p, out);
            } else if p.extension().is_some_and(|x| x == "rs") {
                out.push(p);
            }
        }
    }
    let mut files = Vec::new();
    sources(
        &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
        &mut files,
    );
    for f in files {
        let text = std::fs::read_to_string(&f).unwrap();
        for (i, line) in text.lines().enumerate() {
            let by_hand = line.contains(".route(\"/api")
                || line.contains("\"/api/")
                    && line.trim_start().starts_with('"')
                    && text
                        .lines()
                        .nth(i.wrapping_sub(1))
                        .is_some_and(|l| l.trim_end().ends_with(".route("));
            if by_hand && !line.contains("/api/{*rest}") {
                panic!("{}:{} routes /api by hand: {line}", f.display(), i + 1);
            }
        }
    }
}
