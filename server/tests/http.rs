//! HTTP tests against a real server on 127.0.0.1:0 with a fresh database each. They run on
//! SQLite, and on PostgreSQL when XUNCHA_TEST_POSTGRES is set (see `cargo xtask test`).

mod common;

use common::{error, TestApp};
use reqwest::StatusCode;
use serde_json::{json, Value};
use xuncha_api::auth::SessionInfo;
use xuncha_api::orgs::{ImportReport, OrgDetail, OrgLevel};
use xuncha_api::users::UserView;
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
    let e = error(r, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(
        (e.field.as_deref(), e.problem),
        (Some("new_password"), Some(Problem::TooShort { min: 8 }))
    );
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
    let e = error(r, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(
        (e.field.as_deref(), e.problem),
        (Some("password"), Some(Problem::Required))
    );

    let admin = app.login("admin").await;
    let r = admin
        .post(app.url("/api/users"))
        .json(&json!({ "username": "abc", "display_name": "x", "role": "boss", "password": "12345678" }))
        .send()
        .await
        .unwrap();
    let e = error(r, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(
        (e.field.as_deref(), e.problem),
        (Some("role"), Some(Problem::NotAllowed))
    );

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

// ---- need-to-know ----

#[tokio::test]
async fn a_unit_liaison_sees_and_edits_only_its_own_village() {
    let app = TestApp::spawn().await;
    let admin = app.login("admin").await;
    let all = app.orgs(&admin).await;
    let other = all
        .iter()
        .find(|o| o.level == OrgLevel::Village && o.name != "青石村")
        .unwrap();

    let unit = app.login("qingshi").await;
    let mine = app.orgs(&unit).await;
    assert_eq!(mine.len(), 1);
    assert_eq!(mine[0].name, "青石村");

    // Another village does not exist for it: not readable, not writable.
    let r = unit
        .get(app.url(&format!("/api/orgs/{}", other.id)))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    let r = unit
        .patch(app.url(&format!("/api/orgs/{}", other.id)))
        .json(&json!({ "basic": { "households": 1 } }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);

    // Its own basic data it keeps; its name is the office's.
    let r = unit
        .patch(app.url(&format!("/api/orgs/{}", mine[0].id)))
        .json(&json!({ "secretary": "陈秀英", "basic": { "households": 321, "population": 1002 } }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let d: OrgDetail = r.json().await.unwrap();
    assert_eq!(
        (d.basic.households, d.secretary.as_str()),
        (Some(321), "陈秀英")
    );
    let r = unit
        .patch(app.url(&format!("/api/orgs/{}", mine[0].id)))
        .json(&json!({ "name": "改名村" }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);

    for path in ["/api/users", "/api/audit", "/api/orgs/export.xlsx"] {
        assert_eq!(
            unit.get(app.url(path)).send().await.unwrap().status(),
            StatusCode::FORBIDDEN,
            "{path}"
        );
    }
    let r = unit
        .post(app.url("/api/orgs/import"))
        .body("code,name,level\n")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let r = unit
        .post(app.url("/api/orgs"))
        .json(&json!({ "parent_id": mine[0].id, "name": "x", "code": "990101999999", "level": "village" }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn bad_unit_basic_data_is_refused_at_the_field_and_nothing_changes() {
    let app = TestApp::spawn().await;
    let unit = app.login("qingshi").await;
    let mine = app.orgs(&unit).await.remove(0);
    let before: OrgDetail = unit
        .get(app.url(&format!("/api/orgs/{}", mine.id)))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let r = unit
        .patch(app.url(&format!("/api/orgs/{}", mine.id)))
        .json(&json!({ "secretary": "新书记", "basic": { "households": -5 } }))
        .send()
        .await
        .unwrap();
    let e = error(r, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(e.field.as_deref(), Some("households"));
    let after: OrgDetail = unit
        .get(app.url(&format!("/api/orgs/{}", mine.id)))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(before, after);
}

#[tokio::test]
async fn discipline_reads_the_tree_an_inspector_only_its_targets_and_neither_changes_it() {
    let app = TestApp::spawn().await;
    let discipline = app.login("liuyang").await;
    let orgs = app.orgs(&discipline).await;
    assert!(orgs.len() > 5);
    // An inspector on no team sees no organisation at all.
    let inspector = app.login("zhangwei").await;
    assert!(app.orgs(&inspector).await.is_empty());
    let r = inspector
        .get(app.url(&format!("/api/orgs/{}", orgs[0].id)))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    for c in [&discipline, &inspector] {
        let r = c
            .patch(app.url(&format!("/api/orgs/{}", orgs[0].id)))
            .json(&json!({ "name": "x" }))
            .send()
            .await
            .unwrap();
        assert!(r.status() == StatusCode::FORBIDDEN);
        assert_eq!(
            c.get(app.url("/api/users")).send().await.unwrap().status(),
            StatusCode::FORBIDDEN
        );
        assert_eq!(
            c.get(app.url("/api/audit")).send().await.unwrap().status(),
            StatusCode::FORBIDDEN
        );
    }
}

#[tokio::test]
async fn anonymous_callers_get_401_everywhere() {
    let app = TestApp::spawn().await;
    let c = TestApp::client();
    for path in [
        "/api/orgs",
        "/api/users",
        "/api/audit",
        "/api/auth/me",
        "/api/orgs/export.xlsx",
    ] {
        assert_eq!(
            c.get(app.url(path)).send().await.unwrap().status(),
            StatusCode::UNAUTHORIZED,
            "{path}"
        );
    }
}

// ---- organisations ----

#[tokio::test]
async fn admin_creates_renames_moves_and_deactivates_organisations() {
    let app = TestApp::spawn().await;
    let admin = app.login("admin").await;
    let county = app
        .orgs(&admin)
        .await
        .into_iter()
        .find(|o| o.level == OrgLevel::County)
        .unwrap();

    let r = admin
        .post(app.url("/api/orgs"))
        .json(&json!({ "parent_id": county.id, "name": "新建镇", "code": "990101050000", "level": "township" }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let town: OrgDetail = r.json().await.unwrap();
    assert_eq!(town.summary.initials, "xjz");

    // A village cannot hang directly under the county.
    let r = admin
        .post(app.url("/api/orgs"))
        .json(&json!({ "parent_id": county.id, "name": "错位村", "code": "990101050201", "level": "village" }))
        .send()
        .await
        .unwrap();
    let e = error(r, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(
        (e.field.as_deref(), e.problem),
        (Some("parent_id"), Some(Problem::WrongParentLevel))
    );

    let r = admin
        .post(app.url("/api/orgs"))
        .json(&json!({ "parent_id": town.summary.id, "name": "新村", "code": "990101050201", "level": "village",
                        "basic": { "households": 200 } }))
        .send()
        .await
        .unwrap();
    let village: OrgDetail = r.json().await.unwrap();
    assert_eq!(
        village.path,
        vec![county.name.clone(), "新建镇".to_string()]
    );

    // The same code twice is a conflict on the code.
    let r = admin
        .post(app.url("/api/orgs"))
        .json(&json!({ "parent_id": town.summary.id, "name": "另一村", "code": "990101050201", "level": "village" }))
        .send()
        .await
        .unwrap();
    let e = error(r, StatusCode::CONFLICT).await;
    assert_eq!(
        (e.field.as_deref(), e.problem),
        (Some("code"), Some(Problem::Taken))
    );

    // Rename, then move under another township.
    let other_town = app
        .orgs(&admin)
        .await
        .into_iter()
        .find(|o| o.level == OrgLevel::Township && o.id != town.summary.id)
        .unwrap();
    let r = admin
        .patch(app.url(&format!("/api/orgs/{}", village.summary.id)))
        .json(&json!({ "name": "新光村", "parent_id": other_town.id }))
        .send()
        .await
        .unwrap();
    let moved: OrgDetail = r.json().await.unwrap();
    assert_eq!(
        (
            moved.summary.name.as_str(),
            moved.summary.parent_id.as_deref()
        ),
        ("新光村", Some(other_town.id.as_str()))
    );

    // A township with active villages cannot be deactivated; an empty one can.
    let r = admin
        .patch(app.url(&format!("/api/orgs/{}", other_town.id)))
        .json(&json!({ "active": false }))
        .send()
        .await
        .unwrap();
    assert_eq!(
        error(r, StatusCode::CONFLICT).await.field.as_deref(),
        Some("active")
    );
    let r = admin
        .patch(app.url(&format!("/api/orgs/{}", town.summary.id)))
        .json(&json!({ "active": false }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);

    // Every write is in the audit log with who did it and what changed.
    let page = app
        .audit(&admin, &format!("?object_id={}", village.summary.id))
        .await;
    let actions: Vec<&str> = page.entries.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(actions, vec!["org.update", "org.create"]);
    assert_eq!(page.entries[0].actor_name.as_deref(), Some("王建国"));
    assert_eq!(page.entries[0].detail["name"], json!(["新村", "新光村"]));
}

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

// ---- import and export ----

#[tokio::test]
async fn an_import_with_a_bad_row_writes_nothing_and_lists_every_bad_row() {
    let app = TestApp::spawn().await;
    let admin = app.login("admin").await;
    let before = app.orgs(&admin).await.len();
    let csv = "行政区划代码,名称,层级,上级代码,户数\n\
               990101060000,新丰镇,乡镇,990101000000,\n\
               990101060201,新丰村,村,990101060000,300\n\
               990101060202,,村,990101060000,abc\n\
               990101060203,孤村,村,990101999999,10\n\
               990101060204,错层村,村,990101000000,10\n";
    let r = admin
        .post(app.url("/api/orgs/import"))
        .body(csv)
        .send()
        .await
        .unwrap();
    let e = error(r, StatusCode::UNPROCESSABLE_ENTITY).await;
    let rows: Vec<(usize, &str)> = e.rows.iter().map(|r| (r.row, r.field.as_str())).collect();
    assert_eq!(
        rows,
        vec![
            (4, "households"),
            (4, "name"),
            (5, "parent_code"),
            (6, "parent_code")
        ]
    );
    assert_eq!(app.orgs(&admin).await.len(), before, "nothing was written");

    let good: String = csv.lines().take(3).map(|l| format!("{l}\n")).collect();
    let r = admin
        .post(app.url("/api/orgs/import"))
        .body(good)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let report: ImportReport = r.json().await.unwrap();
    assert_eq!((report.created, report.updated), (2, 0));
    let v = app.org_named(&admin, "新丰村").await;
    let t = app.org_named(&admin, "新丰镇").await;
    assert_eq!(v.parent_id.as_deref(), Some(t.id.as_str()));
}

#[tokio::test]
async fn the_xlsx_export_imports_back_unchanged() {
    let app = TestApp::spawn().await;
    let admin = app.login("admin").await;
    let before = app.orgs(&admin).await;
    let r = admin
        .get(app.url("/api/orgs/export.xlsx"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert!(r.headers()["content-type"]
        .to_str()
        .unwrap()
        .contains("spreadsheetml"));
    let bytes = r.bytes().await.unwrap();
    assert!(bytes.starts_with(b"PK"));

    let r = admin
        .post(app.url("/api/orgs/import"))
        .body(bytes)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let report: ImportReport = r.json().await.unwrap();
    assert_eq!((report.created, report.updated), (0, before.len()));
    let after = app.orgs(&admin).await;
    assert_eq!(before, after);
    let qs = app.org_named(&admin, "青石村").await;
    let d: OrgDetail = admin
        .get(app.url(&format!("/api/orgs/{}", qs.id)))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(d.basic.households.is_some() && d.basic.collective_income.is_some());
}

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
    let e = error(r, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(
        (e.field.as_deref(), e.problem),
        (Some("org_id"), Some(Problem::Required))
    );

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
