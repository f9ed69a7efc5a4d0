//! Sign-in, sessions, lockout and password change.
//! On SQLite, and on PostgreSQL when XUNCHA_TEST_POSTGRES is set.

mod common;

use common::{assert_invalid, error, TestApp};
use reqwest::StatusCode;
use serde_json::json;
use xuncha_api::auth::SessionInfo;
use xuncha_api::{ErrorCode, Problem};
use xuncha_server::demo::PASSWORD;

// ---- sign-in and sessions ----

#[tokio::test]
async fn sign_in_sets_an_http_only_cookie_and_me_answers() {
    let app = TestApp::spawn().await;
    let (c, r) = app.try_login("admin", PASSWORD).await;
    assert_eq!(r.status(), StatusCode::OK);
    let cookie = r
        .headers()
        .get("set-cookie")
        .unwrap()
        .to_str()
        .unwrap()
        .to_string();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"),
        "{cookie}"
    );
    let info: SessionInfo = r.json().await.unwrap();
    assert_eq!(info.user.username, "admin");

    let me: SessionInfo = c
        .get(app.url("/api/auth/me"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(me.user.role, xuncha_api::users::Role::Admin);
}

#[tokio::test]
async fn wrong_password_names_the_field_and_unknown_users_answer_the_same() {
    let app = TestApp::spawn().await;
    let (_, r) = app.try_login("admin", "wrong-password").await;
    let e = error(r, StatusCode::UNAUTHORIZED).await;
    assert_eq!(e.field.as_deref(), Some("password"));
    assert_eq!(e.problem, Some(Problem::WrongPassword));

    let (_, r) = app.try_login("nobody", "wrong-password").await;
    let e2 = error(r, StatusCode::UNAUTHORIZED).await;
    assert_eq!(e2, e);
}

#[tokio::test]
async fn repeated_failures_lock_the_user_name_even_for_the_right_password() {
    let app = TestApp::spawn_with(|c| c.max_failed_logins = 3).await;
    for _ in 0..3 {
        let (_, r) = app.try_login("zhangwei", "guess-guess").await;
        assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    }
    let (_, r) = app.try_login("zhangwei", PASSWORD).await;
    assert!(r.headers().get("retry-after").is_some());
    let e = error(r, StatusCode::TOO_MANY_REQUESTS).await;
    assert_eq!(e.code, ErrorCode::Throttled);
    assert!(e.retry_after_secs.unwrap() > 0);
    // Another user is not affected.
    app.login("lina").await;
}

#[tokio::test]
async fn a_success_resets_the_failure_count() {
    let app = TestApp::spawn_with(|c| c.max_failed_logins = 3).await;
    for _ in 0..2 {
        app.try_login("lina", "guess-guess").await;
    }
    app.login("lina").await;
    for _ in 0..2 {
        app.try_login("lina", "guess-guess").await;
    }
    app.login("lina").await;
}

#[tokio::test]
async fn sessions_expire() {
    let app = TestApp::spawn_with(|c| c.session_ttl_secs = 1).await;
    let c = app.login("admin").await;
    assert_eq!(
        c.get(app.url("/api/auth/me"))
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::OK
    );
    tokio::time::sleep(std::time::Duration::from_millis(1600)).await;
    let e = error(
        c.get(app.url("/api/auth/me")).send().await.unwrap(),
        StatusCode::UNAUTHORIZED,
    )
    .await;
    assert_eq!(e.code, ErrorCode::Unauthenticated);
}

#[tokio::test]
async fn logout_ends_the_session() {
    let app = TestApp::spawn().await;
    let c = app.login("admin").await;
    assert_eq!(
        c.post(app.url("/api/auth/logout"))
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        c.get(app.url("/api/orgs")).send().await.unwrap().status(),
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn change_password_checks_the_old_one() {
    let app = TestApp::spawn().await;
    let c = app.login("lina").await;
    let r = c
        .post(app.url("/api/auth/password"))
        .json(&json!({ "old_password": "not-it", "new_password": "a-new-secret" }))
        .send()
        .await
        .unwrap();
    assert_eq!(
        error(r, StatusCode::UNPROCESSABLE_ENTITY)
            .await
            .field
            .as_deref(),
        Some("old_password")
    );
    let r = c
        .post(app.url("/api/auth/password"))
        .json(&json!({ "old_password": PASSWORD, "new_password": "short" }))
        .send()
        .await
        .unwrap();
    assert_invalid(r, "new_password", Problem::TooShort { min: 8 }).await;
    let r = c
        .post(app.url("/api/auth/password"))
        .json(&json!({ "old_password": PASSWORD, "new_password": "a-new-secret" }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        app.try_login("lina", PASSWORD).await.1.status(),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        app.try_login("lina", "a-new-secret").await.1.status(),
        StatusCode::OK
    );
}
