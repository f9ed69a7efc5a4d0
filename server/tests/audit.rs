//! The audit log: append-only, filtered and paged.
//! On SQLite, and on PostgreSQL when XUNCHA_TEST_POSTGRES is set.

mod common;

use common::TestApp;

#[tokio::test]
async fn the_audit_log_cannot_be_changed_through_the_api() {
    let app = TestApp::spawn().await;
    let admin = app.login("admin").await;
    let page = app.audit(&admin, "").await;
    let id = &page.entries[0].id;
    for method in [
        reqwest::Method::DELETE,
        reqwest::Method::PUT,
        reqwest::Method::PATCH,
        reqwest::Method::POST,
    ] {
        let r = admin
            .request(method.clone(), app.url("/api/audit"))
            .send()
            .await
            .unwrap();
        assert!(r.status().is_client_error(), "{method} /api/audit");
        let r = admin
            .request(method.clone(), app.url(&format!("/api/audit/{id}")))
            .send()
            .await
            .unwrap();
        assert!(r.status().is_client_error(), "{method} /api/audit/id");
    }
    let again = app.audit(&admin, "").await;
    assert!(again.entries.iter().any(|e| &e.id == id));
}

#[tokio::test]
async fn the_audit_log_filters_and_pages() {
    let app = TestApp::spawn().await;
    let admin = app.login("admin").await;
    app.login("lina").await;
    app.try_login("lina", "wrong-wrong").await;
    let logins = app.audit(&admin, "?action=auth.login").await;
    assert!(logins
        .entries
        .iter()
        .all(|e| e.action.starts_with("auth.login")));
    assert!(logins
        .entries
        .iter()
        .any(|e| e.action == "auth.login_failed"));
    let first = app.audit(&admin, "?limit=2").await;
    assert_eq!(first.entries.len(), 2);
    let next = first.next_before.unwrap();
    let second = app.audit(&admin, &format!("?limit=2&before={next}")).await;
    assert!(second.entries.iter().all(|e| e.id < next));
}
