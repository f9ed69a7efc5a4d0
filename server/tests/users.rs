//! Accounts: the office creates, changes and disables them.
//! On SQLite, and on PostgreSQL when XUNCHA_TEST_POSTGRES is set.

mod common;

use common::{assert_invalid, error, TestApp};
use reqwest::StatusCode;
use serde_json::json;
use xuncha_api::auth::SessionInfo;
use xuncha_api::users::UserView;
use xuncha_api::Problem;

// ---- accounts ----

#[tokio::test]
async fn admin_manages_accounts_and_a_disabled_account_is_signed_out() {
    let app = TestApp::spawn().await;
    let admin = app.login("admin").await;
    let village = app.org_named(&admin, "青石村").await;

    let r = admin
        .post(app.url("/api/users"))
        .json(&json!({ "username": "cun02", "display_name": "赵六", "role": "unit", "password": "liaison-pass" }))
        .send()
        .await
        .unwrap();
    assert_invalid(r, "org_id", Problem::Required).await;

    let r = admin
        .post(app.url("/api/users"))
        .json(&json!({ "username": "cun02", "display_name": "赵六", "role": "unit", "org_id": village.id, "password": "liaison-pass" }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let user: UserView = r.json().await.unwrap();
    assert_eq!(user.org_name.as_deref(), Some("青石村"));

    let r = admin
        .post(app.url("/api/users"))
        .json(&json!({ "username": "cun02", "display_name": "重复", "role": "inspector", "password": "liaison-pass" }))
        .send()
        .await
        .unwrap();
    assert_eq!(
        error(r, StatusCode::CONFLICT).await.field.as_deref(),
        Some("username")
    );

    let (liaison, r) = app.try_login("cun02", "liaison-pass").await;
    assert_eq!(r.status(), StatusCode::OK);
    let r = admin
        .patch(app.url(&format!("/api/users/{}", user.id)))
        .json(&json!({ "active": false }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(
        liaison
            .get(app.url("/api/orgs"))
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        app.try_login("cun02", "liaison-pass").await.1.status(),
        StatusCode::UNAUTHORIZED
    );

    admin
        .patch(app.url(&format!("/api/users/{}", user.id)))
        .json(&json!({ "active": true }))
        .send()
        .await
        .unwrap();
    let r = admin
        .post(app.url(&format!("/api/users/{}/password", user.id)))
        .json(&json!({ "new_password": "reset-by-office" }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        app.try_login("cun02", "reset-by-office").await.1.status(),
        StatusCode::OK
    );

    // An admin cannot disable themselves.
    let me: SessionInfo = admin
        .get(app.url("/api/auth/me"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let r = admin
        .patch(app.url(&format!("/api/users/{}", me.user.id)))
        .json(&json!({ "active": false }))
        .send()
        .await
        .unwrap();
    assert_eq!(
        error(r, StatusCode::UNPROCESSABLE_ENTITY)
            .await
            .field
            .as_deref(),
        Some("active")
    );
}
