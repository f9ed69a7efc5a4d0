//! The error format: bad bodies, languages and sizes get the one JSON error, never a 500.
//! On SQLite, and on PostgreSQL when XUNCHA_TEST_POSTGRES is set.

mod common;

use common::{assert_invalid, error, TestApp};
use reqwest::StatusCode;
use serde_json::json;
use xuncha_api::{ErrorCode, Problem};

// ---- the error format ----

#[tokio::test]
async fn malformed_and_incomplete_bodies_get_the_error_format_not_a_500() {
    let app = TestApp::spawn().await;
    let c = TestApp::client();
    let r = c
        .post(app.url("/api/auth/login"))
        .header("content-type", "application/json")
        .body("{\"username\":")
        .send()
        .await
        .unwrap();
    assert_eq!(
        error(r, StatusCode::BAD_REQUEST).await.code,
        ErrorCode::BadRequest
    );

    let r = c
        .post(app.url("/api/auth/login"))
        .json(&json!({ "username": "admin" }))
        .send()
        .await
        .unwrap();
    assert_invalid(r, "password", Problem::Required).await;

    let admin = app.login("admin").await;
    let r = admin
        .post(app.url("/api/users"))
        .json(&json!({ "username": "abc", "display_name": "x", "role": "boss", "password": "12345678" }))
        .send()
        .await
        .unwrap();
    assert_invalid(r, "role", Problem::NotAllowed).await;

    let r = c.get(app.url("/api/no-such-thing")).send().await.unwrap();
    assert_eq!(
        error(r, StatusCode::NOT_FOUND).await.code,
        ErrorCode::NotFound
    );
}

#[tokio::test]
async fn errors_speak_english_when_asked() {
    let app = TestApp::spawn().await;
    let r = TestApp::client()
        .post(app.url("/api/auth/login"))
        .header("accept-language", "en-US,en;q=0.9")
        .json(&json!({ "username": "admin", "password": "nope-nope" }))
        .send()
        .await
        .unwrap();
    let e = error(r, StatusCode::UNAUTHORIZED).await;
    assert_eq!(e.message, "Wrong user name or password");
}

#[tokio::test]
async fn oversized_bodies_are_refused_with_413() {
    let app = TestApp::spawn().await;
    let big = "x".repeat(2 * 1024 * 1024);
    let r = TestApp::client()
        .post(app.url("/api/auth/login"))
        .json(&json!({ "username": big, "password": "x" }))
        .send()
        .await
        .unwrap();
    assert_eq!(
        error(r, StatusCode::PAYLOAD_TOO_LARGE).await.code,
        ErrorCode::PayloadTooLarge
    );
}
