//! What was found by trying the server from outside: concurrent writes, sign-in under load and
//! spraying, ids reused by careless devices, control characters, need-to-know leaks, input that
//! must be refused, and the API description. On SQLite and, in CI, PostgreSQL.

mod common;

use common::{assert_invalid, error, TestApp};
use futures::future::join_all;
use reqwest::{Client, StatusCode};
use serde_json::{json, Value};
use xuncha_api::checklists::{AnswerType, Record, Template};
use xuncha_api::rectification::{Task, TaskDetail, TaskEvent};
use xuncha_api::users::UserView;
use xuncha_api::{ErrorCode, Problem};

/// A target of 青石村 for zhangwei's team, a finding of `source` on it and one task for it.
async fn task_from(app: &TestApp, source: &str) -> (Client, String, Task) {
    let admin = app.login("admin").await;
    let target = app.round_with_target(&admin, "zhangwei", &[]).await;
    let zhang = app.login("zhangwei").await;
    let r = zhang
        .put(app.url(&format!("/api/targets/{target}/findings/f-{source}")))
        .json(&json!({ "focus": "responsibility", "title": "张三反映村会计白条入账", "severity": "serious", "source": source }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let r = zhang
        .post(app.url(&format!("/api/targets/{target}/tasks")))
        .json(&json!([{ "finding_id": format!("f-{source}"), "measures": "约谈张三所指的村会计，追回资金" }]))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let task = r.json::<Vec<Task>>().await.unwrap().remove(0);
    (zhang, target, task)
}

/// The field an error answer of `status` names.
async fn field_of(r: reqwest::Response, status: StatusCode) -> Option<String> {
    error(r, status).await.field
}

fn jpeg(tag: &str) -> Vec<u8> {
    let mut bytes = b"\xff\xd8\xff\xe0".to_vec();
    bytes.extend_from_slice(tag.as_bytes());
    bytes
}

#[tokio::test]
async fn sixteen_writes_at_once_on_one_task_and_one_record_all_succeed_each_stored_once() {
    let app = TestApp::spawn().await;
    let (_, _, task) = task_from(&app, "documents").await;
    let unit = app.login("qingshi").await;
    let id = &task.id;

    // Reports: 16 different ones and the same one twice, all at the same moment.
    let mut sends = Vec::new();
    for i in 0..16 {
        sends.push(
            unit.post(app.url(&format!("/api/tasks/{id}/progress")))
                .json(&json!({ "id": format!("rep-{i}"), "note": format!("第{i}次进展") }))
                .send(),
        );
    }
    for _ in 0..2 {
        sends.push(
            unit.post(app.url(&format!("/api/tasks/{id}/progress")))
                .json(&json!({ "id": "rep-twice", "note": "同一条进展" }))
                .send(),
        );
    }
    for r in join_all(sends).await {
        assert_eq!(r.unwrap().status(), StatusCode::OK);
    }
    // Photos: 16 and one twice.
    let mut sends = Vec::new();
    for i in 0..18 {
        let file_id = if i < 16 {
            format!("ph-{i}")
        } else {
            "ph-twice".into()
        };
        sends.push(
            unit.put(app.url(&format!("/api/tasks/{id}/files/{file_id}")))
                .header("content-type", "image/jpeg")
                .body(jpeg(&file_id))
                .send(),
        );
    }
    for r in join_all(sends).await {
        assert_eq!(r.unwrap().status(), StatusCode::OK);
    }
    let d: TaskDetail = app.get_json(&unit, &format!("/api/tasks/{id}")).await;
    assert_eq!(d.progress.len(), 17);
    assert_eq!(d.files.len(), 17);
    // The first report started the work, once.
    assert_eq!(d.events.len(), 1);

    // A self-check: 16 evidence files and 16 one-item batches on one record, at once.
    let r = unit
        .post(app.url("/api/checklists/records"))
        .json(&json!({ "kind": "self_check" }))
        .send()
        .await
        .unwrap();
    let record: Record = r.json().await.unwrap();
    let template: Template = app
        .get_json(
            &unit,
            &format!("/api/checklists/templates/{}", record.template_id),
        )
        .await;
    let items: Vec<String> = template
        .content
        .items()
        .filter(|(_, i)| matches!(i.answer, AnswerType::YesNo))
        .map(|(_, i)| i.id.clone())
        .take(16)
        .collect();
    assert_eq!(items.len(), 16);
    let mut sends = Vec::new();
    for (i, item) in items.iter().enumerate() {
        sends.push(
            unit.put(app.url(&format!(
                "/api/checklists/records/{}/evidence/ev-{i}?item_id={item}",
                record.id
            )))
            .header("content-type", "image/jpeg")
            .body(jpeg(&format!("ev-{i}")))
            .send(),
        );
        sends.push(
            unit.post(app.url(&format!("/api/checklists/records/{}/changes", record.id)))
                .json(
                    &json!([{ "change_id": format!("ch-{i}"), "base_version": 0, "item_id": item,
                                "value": { "type": "yes_no", "value": "yes" } }]),
                )
                .send(),
        );
    }
    for r in join_all(sends).await {
        assert_eq!(r.unwrap().status(), StatusCode::OK);
    }
    let record: Record = app
        .get_json(&unit, &format!("/api/checklists/records/{}", record.id))
        .await;
    assert_eq!(record.evidence.len(), 16);
    assert_eq!(record.answers.len(), 16);
    assert_eq!(record.version, 16);
}

#[tokio::test]
async fn sign_ins_beyond_the_hashing_queue_get_503_with_retry_after_never_500() {
    let app = TestApp::spawn_with(|c| {
        c.hash_concurrency = Some(1);
        c.hash_wait_ms = 1;
    })
    .await;
    let sends = (0..16).map(|i| {
        TestApp::client()
            .post(app.url("/api/auth/login"))
            .json(&json!({ "username": format!("nobody{i}"), "password": "whatever1" }))
            .send()
    });
    let mut busy = 0;
    for r in join_all(sends).await {
        let r = r.unwrap();
        match r.status() {
            StatusCode::UNAUTHORIZED => {}
            StatusCode::SERVICE_UNAVAILABLE => {
                assert!(r.headers().contains_key("retry-after"));
                let e: xuncha_api::ApiError = r.json().await.unwrap();
                assert_eq!(e.code, ErrorCode::Busy);
                busy += 1;
            }
            other => panic!("sign-in answered {other}"),
        }
    }
    assert!(
        busy > 0,
        "one hash at a time, 1 ms of waiting: some are turned away"
    );
}

#[tokio::test]
async fn spraying_many_names_from_one_address_is_throttled_and_an_admin_reset_lifts_a_lock() {
    let app = TestApp::spawn_with(|c| c.max_failed_logins_per_address = 4).await;
    for name in ["ann", "bob", "cat", "dan"] {
        let (_, r) = app.try_login(name, "Spray@2026").await;
        assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    }
    // A fifth name, even a real one with its right password, waits.
    let (_, r) = app
        .try_login("zhangwei", xuncha_server::demo::PASSWORD)
        .await;
    assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);

    let app = TestApp::spawn().await;
    let admin = app.login("admin").await;
    for _ in 0..5 {
        app.try_login("lina", "wrong-password").await;
    }
    let (_, r) = app.try_login("lina", xuncha_server::demo::PASSWORD).await;
    assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
    let users: Vec<UserView> = app.get_json(&admin, "/api/users").await;
    let lina = users.iter().find(|u| u.username == "lina").unwrap();
    let r = admin
        .post(app.url(&format!("/api/users/{}/password", lina.id)))
        .json(&json!({ "new_password": "Reset@2026x" }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    let (_, r) = app.try_login("lina", "Reset@2026x").await;
    assert_eq!(r.status(), StatusCode::OK, "the reset lifted the lock");
}

#[tokio::test]
async fn an_old_hash_is_replaced_at_sign_in_and_unknown_names_are_kept_only_as_a_keyed_hash() {
    let app = TestApp::spawn().await;
    // A hash from weaker parameters, as an older server would have stored.
    use argon2::password_hash::{rand_core::OsRng, PasswordHasher, SaltString};
    let old = argon2::Argon2::new(
        argon2::Algorithm::Argon2id,
        argon2::Version::V0x13,
        argon2::Params::new(4096, 1, 1, None).unwrap(),
    )
    .hash_password(
        xuncha_server::demo::PASSWORD.as_bytes(),
        &SaltString::generate(&mut OsRng),
    )
    .unwrap()
    .to_string();
    sqlx::query("UPDATE users SET password_hash = $1 WHERE username = 'lina'")
        .bind(&old)
        .execute(&app.state.db.pool)
        .await
        .unwrap();
    app.login("lina").await;
    let stored: String =
        sqlx::query_scalar("SELECT password_hash FROM users WHERE username = 'lina'")
            .fetch_one(&app.state.db.pool)
            .await
            .unwrap();
    assert!(
        stored.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
        "{stored}"
    );
    app.login("lina").await;

    // A password typed into the user-name box is not kept in clear anywhere.
    let (_, r) = app.try_login("mysecret-pw1", "x-password").await;
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    let audit: Vec<String> = sqlx::query_scalar("SELECT detail FROM audit_log")
        .fetch_all(&app.state.db.pool)
        .await
        .unwrap();
    let throttle: Vec<String> = sqlx::query_scalar("SELECT username FROM login_throttle")
        .fetch_all(&app.state.db.pool)
        .await
        .unwrap();
    assert!(audit.iter().any(|d| d.contains("username_hash")));
    assert!(!audit
        .iter()
        .chain(throttle.iter())
        .any(|d| d.contains("mysecret")));
}

#[tokio::test]
async fn a_reused_client_id_with_other_content_is_a_conflict_never_a_silent_drop() {
    let app = TestApp::spawn().await;
    let (zhang, target, task) = task_from(&app, "documents").await;
    let unit = app.login("qingshi").await;
    let record: Record = unit
        .post(app.url("/api/checklists/records"))
        .json(&json!({ "kind": "self_check" }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let changes = |body: Value| {
        unit.post(app.url(&format!("/api/checklists/records/{}/changes", record.id)))
            .json(&body)
            .send()
    };
    let yes = json!({ "type": "yes_no", "value": "yes" });
    let r =
        changes(json!([{ "change_id": "", "base_version": 0, "item_id": "p-01", "value": yes }]))
            .await
            .unwrap();
    let e = error(r, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(e.rows[0].field, "change_id");
    let r = changes(
        json!([{ "change_id": "c-1", "base_version": 0, "item_id": "p-01", "value": yes }]),
    )
    .await
    .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    // The same id again for another item, or for another answer: refused.
    for (item, value) in [
        ("p-02", yes.clone()),
        ("p-01", json!({ "type": "yes_no", "value": "no" })),
    ] {
        let r = changes(
            json!([{ "change_id": "c-1", "base_version": 0, "item_id": item, "value": value }]),
        )
        .await
        .unwrap();
        assert_eq!(
            field_of(r, StatusCode::CONFLICT).await.as_deref(),
            Some("change_id")
        );
    }
    // The very same change again is a retry.
    let r = changes(
        json!([{ "change_id": "c-1", "base_version": 0, "item_id": "p-01", "value": yes }]),
    )
    .await
    .unwrap();
    assert_eq!(r.status(), StatusCode::OK);

    let progress = |id: &str, note: &str| {
        unit.post(app.url(&format!("/api/tasks/{}/progress", task.id)))
            .json(&json!({ "id": id, "note": note }))
            .send()
    };
    assert_eq!(
        progress("r-1", "召开会议").await.unwrap().status(),
        StatusCode::OK
    );
    assert_eq!(
        progress("r-1", "召开会议").await.unwrap().status(),
        StatusCode::OK
    );
    let r = progress("r-1", "另一条进展").await.unwrap();
    assert_eq!(
        field_of(r, StatusCode::CONFLICT).await.as_deref(),
        Some("id")
    );
    let r = progress("r/1", "格式").await.unwrap();
    assert_eq!(
        field_of(r, StatusCode::UNPROCESSABLE_ENTITY)
            .await
            .as_deref(),
        Some("id")
    );

    let finding = |title: &str| {
        zhang
            .put(app.url(&format!("/api/targets/{target}/findings/f-x")))
            .json(&json!({ "focus": "policies", "title": title, "severity": "general", "source": "visit" }))
            .send()
    };
    assert_eq!(
        finding("惠民政策未公示").await.unwrap().status(),
        StatusCode::OK
    );
    assert_eq!(
        finding("惠民政策未公示").await.unwrap().status(),
        StatusCode::OK
    );
    let r = zhang
        .put(app.url(&format!("/api/targets/{target}/findings/f-x")))
        .json(&json!({ "focus": "policies", "title": "惠民政策未公示", "severity": "serious", "source": "visit" }))
        .send()
        .await
        .unwrap();
    assert_eq!(
        field_of(r, StatusCode::CONFLICT).await.as_deref(),
        Some("id")
    );
}

#[tokio::test]
async fn control_characters_are_refused_at_the_edge_naming_the_field() {
    let app = TestApp::spawn().await;
    let (_, target, task) = task_from(&app, "documents").await;
    let admin = app.login("admin").await;
    let unit = app.login("qingshi").await;

    let r = TestApp::client()
        .post(app.url("/api/auth/login"))
        .json(&json!({ "username": "admin\u{0}", "password": "whatever1" }))
        .send()
        .await
        .unwrap();
    let e = error(r, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(e.field.as_deref(), Some("username"));
    assert_eq!(e.problem, Some(Problem::ControlCharacter));

    let org = app.org_named(&admin, "青石村").await;
    let r = admin
        .patch(app.url(&format!("/api/orgs/{}", org.id)))
        .json(&json!({ "leaders": [{ "name": "李\u{0}四", "post": "主任" }] }))
        .send()
        .await
        .unwrap();
    let e = error(r, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(e.field.as_deref(), Some("leaders[0].name"));

    let r = unit
        .post(app.url(&format!("/api/tasks/{}/progress", task.id)))
        .json(&json!({ "id": "r-nul", "note": "已\u{1b}整改" }))
        .send()
        .await
        .unwrap();
    assert_eq!(
        field_of(r, StatusCode::UNPROCESSABLE_ENTITY)
            .await
            .as_deref(),
        Some("note")
    );
    // In a path id and a query parameter too.
    let r = admin
        .get(app.url("/api/tasks/abc%00def"))
        .send()
        .await
        .unwrap();
    assert_eq!(
        field_of(r, StatusCode::UNPROCESSABLE_ENTITY)
            .await
            .as_deref(),
        Some("id")
    );
    let r = admin
        .get(app.url("/api/audit?action=org.%00"))
        .send()
        .await
        .unwrap();
    assert_eq!(
        field_of(r, StatusCode::UNPROCESSABLE_ENTITY)
            .await
            .as_deref(),
        Some("action")
    );
    let r = admin
        .get(app.url(&format!("/api/targets/{target}/tasks?today=2026-01-0%00")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    // Line breaks are text.
    let r = unit
        .post(app.url(&format!("/api/tasks/{}/progress", task.id)))
        .json(&json!({ "id": "r-lines", "note": "第一步\n第二步\t完成" }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
}

#[tokio::test]
async fn dates_outside_1900_to_2200_unknown_fields_long_lists_and_invisible_text_are_refused() {
    let app = TestApp::spawn().await;
    let admin = app.login("admin").await;
    let county = app.org_named(&admin, "青岚县").await;
    for bad in ["+10000-01-01", "-0100-01-01", "1899-12-31"] {
        let r = admin
            .post(app.url("/api/terms"))
            .json(&json!({ "committee_org_id": county.id, "name": "届", "start_date": bad, "end_date": "2026-12-31" }))
            .send()
            .await
            .unwrap();
        let e = error(r, StatusCode::UNPROCESSABLE_ENTITY).await;
        assert_eq!(e.field.as_deref(), Some("start_date"), "{bad}");
        assert_eq!(
            e.problem,
            Some(Problem::OutOfRange {
                min: 1900,
                max: 2200
            })
        );
    }
    let r = admin
        .get(app.url("/api/reminders?today=%2B10000-01-01"))
        .send()
        .await
        .unwrap();
    assert_eq!(
        field_of(r, StatusCode::UNPROCESSABLE_ENTITY)
            .await
            .as_deref(),
        Some("today")
    );

    let village = app.org_named(&admin, "青石村").await;
    let r = admin
        .patch(app.url(&format!("/api/orgs/{}", village.id)))
        .json(&json!({ "secretary_typo": "李四" }))
        .send()
        .await
        .unwrap();
    let e = error(r, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(e.field.as_deref(), Some("secretary_typo"));
    let leaders: Vec<Value> = (0..51)
        .map(|i| json!({ "name": format!("委员{i}"), "post": "委员" }))
        .collect();
    let r = admin
        .patch(app.url(&format!("/api/orgs/{}", village.id)))
        .json(&json!({ "leaders": leaders }))
        .send()
        .await
        .unwrap();
    let e = error(r, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(e.field.as_deref(), Some("leaders"));
    let r = admin
        .patch(app.url(&format!("/api/orgs/{}", village.id)))
        .json(&json!({ "name": "\u{200B}\u{FEFF}" }))
        .send()
        .await
        .unwrap();
    assert_invalid(r, "name", Problem::Required).await;
    let detail: Value = app
        .get_json(&admin, &format!("/api/orgs/{}", village.id))
        .await;
    assert_eq!(detail["name"], "青石村", "nothing changed");

    let (zhang, target, task) = task_from(&app, "documents").await;
    let many: Vec<Value> = (0..201)
        .map(|_| json!({ "finding_id": task.finding_id, "measures": "整改" }))
        .collect();
    let r = zhang
        .post(app.url(&format!("/api/targets/{target}/tasks")))
        .json(&many)
        .send()
        .await
        .unwrap();
    assert_eq!(
        field_of(r, StatusCode::UNPROCESSABLE_ENTITY)
            .await
            .as_deref(),
        Some("tasks")
    );
    let unit = app.login("qingshi").await;
    let record: Record = unit
        .post(app.url("/api/checklists/records"))
        .json(&json!({ "kind": "self_check" }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let changes: Vec<Value> = (0..1001)
        .map(|i| json!({ "change_id": format!("c{i}"), "base_version": 0, "item_id": "p-01", "value": null }))
        .collect();
    let r = unit
        .post(app.url(&format!("/api/checklists/records/{}/changes", record.id)))
        .json(&changes)
        .send()
        .await
        .unwrap();
    assert_eq!(
        field_of(r, StatusCode::UNPROCESSABLE_ENTITY)
            .await
            .as_deref(),
        Some("changes")
    );
}

#[tokio::test]
async fn files_must_be_what_they_say_and_documents_download_rather_than_open() {
    let app = TestApp::spawn().await;
    let (zhang, _, task) = task_from(&app, "documents").await;
    let unit = app.login("qingshi").await;
    let put = |file_id: &str, ct: &str, body: Vec<u8>| {
        unit.put(app.url(&format!("/api/tasks/{}/files/{file_id}", task.id)))
            .header("content-type", ct.to_string())
            .body(body)
            .send()
    };
    let r = put(
        "x-1",
        "image/jpeg",
        b"<html><script>alert(1)</script>".to_vec(),
    )
    .await
    .unwrap();
    assert_eq!(
        field_of(r, StatusCode::UNPROCESSABLE_ENTITY)
            .await
            .as_deref(),
        Some("file")
    );
    let r = put("doc-1", "application/pdf", b"%PDF-1.7\n%%EOF".to_vec())
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let r = put("ph-1", "image/png", b"\x89PNG\r\n\x1a\n....".to_vec())
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let get = |file_id: &str| {
        zhang
            .get(app.url(&format!("/api/tasks/{}/files/{file_id}", task.id)))
            .send()
    };
    let r = get("doc-1").await.unwrap();
    assert_eq!(r.headers()["content-disposition"], "attachment");
    assert_eq!(r.headers()["x-content-type-options"], "nosniff");
    let r = get("ph-1").await.unwrap();
    assert_eq!(r.headers()["content-disposition"], "inline");
    assert_eq!(r.headers()["content-type"], "image/png");
}

/// Who reaches what of rectification, role by role: the status every role gets on every URL,
/// and what the unit reads inside the answers it may have.
#[tokio::test]
async fn every_role_against_every_rectification_url() {
    let app = TestApp::spawn().await;
    let (zhang, target, task) = task_from(&app, "petition").await;
    let admin = app.login("admin").await;
    // A second round, term-mate of the first, whose team zhangwei is not on.
    let rounds: Vec<Value> = app.get_json(&admin, "/api/rounds").await;
    let round_id = rounds[0]["id"].as_str().unwrap().to_string();
    let term_id = rounds[0]["term_id"].as_str().unwrap().to_string();
    let other_round = admin
        .post(app.url("/api/rounds"))
        .json(&json!({ "term_id": term_id, "name": "2026年第二轮", "kind": "regular", "start_date": "2026-06-01", "end_date": "2026-08-01" }))
        .send()
        .await
        .unwrap()
        .json::<Value>()
        .await
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    // zhangwei moves it along so that the history has an inspector's name in it.
    let unit = app.login("qingshi").await;
    assert_eq!(
        unit.post(app.url(&format!("/api/tasks/{}/progress", task.id)))
            .json(&json!({ "id": "rep-1", "note": "已开会部署" }))
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::OK
    );
    for (who, to) in [(&unit, "submitted"), (&zhang, "in_progress")] {
        let r = who
            .post(app.url(&format!("/api/tasks/{}/move", task.id)))
            .json(&json!({ "to": to, "reason": "佐证不足" }))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::OK, "{to}");
    }

    // Another village's liaison, another team's inspector, discipline and nobody.
    let village_b = app
        .orgs(&admin)
        .await
        .into_iter()
        .find(|o| o.level == xuncha_api::orgs::OrgLevel::Village && o.name != "青石村")
        .unwrap();
    let r = admin
        .post(app.url("/api/users"))
        .json(&json!({ "username": "other_unit", "display_name": "别村联络员", "role": "unit", "org_id": village_b.id, "password": xuncha_server::demo::PASSWORD }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let roles: Vec<(&str, Client)> = vec![
        ("admin", admin.clone()),
        ("discipline", app.login("liuyang").await),
        ("team", zhang.clone()),
        ("other_team", app.login("lina").await),
        ("unit", unit.clone()),
        ("other_unit", app.login("other_unit").await),
        ("anonymous", TestApp::client()),
    ];
    let t = &task.id;
    let urls = [
        format!("/api/tasks/{t}"),
        format!("/api/tasks/{t}/events"),
        format!("/api/tasks/{t}/files/none"),
        format!("/api/targets/{target}/tasks"),
        "/api/targets/no-such-target/tasks".to_string(),
        format!("/api/rounds/{round_id}/rectification"),
        format!("/api/rounds/{round_id}/rectification.xlsx"),
        format!("/api/rounds/{other_round}/rectification"),
        format!("/api/rounds/{other_round}/rectification.xlsx"),
        format!("/api/terms/{term_id}/rectification"),
        format!("/api/terms/{term_id}/rectification.xlsx"),
        "/api/reminders".to_string(),
        "/api/my/tasks".to_string(),
    ];
    // Rows follow `urls`; columns follow `roles`.
    let expected: [[u16; 7]; 13] = [
        [200, 200, 200, 404, 200, 404, 401],
        [200, 200, 200, 404, 200, 404, 401],
        [404, 404, 404, 404, 404, 404, 401],
        [200, 200, 200, 404, 403, 403, 401],
        [404, 404, 404, 404, 403, 403, 401],
        [200, 200, 200, 404, 403, 403, 401],
        [200, 200, 200, 404, 403, 403, 401],
        [200, 200, 404, 404, 403, 403, 401],
        [200, 200, 404, 404, 403, 403, 401],
        [200, 200, 200, 404, 403, 403, 401],
        [200, 200, 200, 404, 403, 403, 401],
        [200, 200, 200, 200, 403, 403, 401],
        [403, 403, 403, 403, 200, 200, 401],
    ];
    let mut wrong = Vec::new();
    for (url, row) in urls.iter().zip(expected) {
        for ((role, c), want) in roles.iter().zip(row) {
            let got = c.get(app.url(url)).send().await.unwrap().status().as_u16();
            if got != want {
                wrong.push(format!("{role} GET {url}: {got}, expected {want}"));
            }
        }
    }
    assert!(wrong.is_empty(), "{wrong:#?}");

    // What the unit may read holds no inspector's or office member's name, and a petition's
    // words reach it neither in the title nor in the measures.
    let d: TaskDetail = app.get_json(&unit, &format!("/api/tasks/{t}")).await;
    let events: Vec<TaskEvent> = app.get_json(&unit, &format!("/api/tasks/{t}/events")).await;
    let mine: Vec<Task> = app.get_json(&unit, "/api/my/tasks").await;
    let text = serde_json::to_string(&(&d, &events, &mine)).unwrap();
    for secret in ["张伟", "王建国", "张三", "村会计", "白条"] {
        assert!(!text.contains(secret), "the unit reads {secret:?}: {text}");
    }
    assert!(events.iter().any(|e| e.by == "巡察组"));
    assert_eq!(d.task.finding_title, "群众反映的问题");
    assert_eq!(d.task.measures, "按巡察组当面反馈的要求整改");
    // The team still reads its own words.
    let d: TaskDetail = app.get_json(&zhang, &format!("/api/tasks/{t}")).await;
    assert!(d.task.measures.contains("村会计"));
    assert!(d.events.iter().any(|e| e.by == "张伟"));
}

#[tokio::test]
async fn methods_a_path_lacks_get_405_with_allow_and_https_servers_send_hsts() {
    let app = TestApp::spawn().await;
    let admin = app.login("admin").await;
    let r = admin.delete(app.url("/api/users")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::METHOD_NOT_ALLOWED);
    let allow = r.headers()["allow"].to_str().unwrap().to_string();
    assert!(allow.contains("GET") && allow.contains("POST"), "{allow}");
    let e: xuncha_api::ApiError = r.json().await.unwrap();
    assert_eq!(e.code, ErrorCode::MethodNotAllowed);
    let r = admin.get(app.url("/api/health")).send().await.unwrap();
    assert!(!r.headers().contains_key("strict-transport-security"));

    let app = TestApp::spawn_with(|c| c.secure_cookie = true).await;
    let r = TestApp::client()
        .get(app.url("/api/health"))
        .send()
        .await
        .unwrap();
    assert!(r.headers()["strict-transport-security"]
        .to_str()
        .unwrap()
        .starts_with("max-age="));
}

#[tokio::test]
async fn the_api_description_puts_query_parameters_in_the_query_and_lists_the_errors() {
    let app = TestApp::spawn().await;
    let spec: Value = app.get_json(&TestApp::client(), "/api/openapi.json").await;
    let mut wrong = Vec::new();
    for (path, item) in spec["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            for p in op["parameters"].as_array().into_iter().flatten() {
                let name = p["name"].as_str().unwrap();
                let in_path = path.contains(&format!("{{{name}}}"));
                let declared = p["in"].as_str().unwrap();
                if in_path != (declared == "path") {
                    wrong.push(format!("{method} {path}: {name} is in {declared}"));
                }
            }
            let responses = op["responses"].as_object().unwrap();
            let mut needed = vec!["422", "500"];
            if !path.starts_with("/api/public/") && path != "/api/auth/login" {
                needed.extend(["401", "403", "404"]);
            }
            if method != "get" {
                needed.push("409");
            }
            for code in needed {
                if !responses.contains_key(code) {
                    wrong.push(format!("{method} {path}: no {code}"));
                }
            }
        }
    }
    assert!(wrong.is_empty(), "{wrong:#?}");
    let login = &spec["paths"]["/api/auth/login"]["post"]["responses"];
    assert!(login["429"].is_object() && login["503"].is_object());
    let login_body = &spec["components"]["schemas"]["LoginRequest"]["properties"];
    assert_eq!(login_body["username"]["maxLength"], 64);
}

/// A value the code does not know (written by a newer build, or by hand) stops the read with a
/// 500 instead of turning into a default: an unknown source must not lose a petition's masking,
/// an unknown status must not reopen a closed task.
#[tokio::test]
async fn an_unknown_value_in_the_database_is_an_error_never_a_default() {
    let app = TestApp::spawn().await;
    let (zhang, _, task) = task_from(&app, "petition").await;
    let unit = app.login("qingshi").await;
    let status = |c: &Client, path: String| {
        let r = c.get(app.url(&path)).send();
        async move { r.await.unwrap().status() }
    };
    assert_eq!(status(&unit, "/api/my/tasks".into()).await, StatusCode::OK);

    sqlx::query("UPDATE findings SET source = 'hotline' WHERE id = 'f-petition'")
        .execute(&app.state.db.pool)
        .await
        .unwrap();
    assert_eq!(
        status(&unit, "/api/my/tasks".into()).await,
        StatusCode::INTERNAL_SERVER_ERROR
    );
    let r = unit.get(app.url("/api/my/tasks")).send().await.unwrap();
    let body = r.text().await.unwrap();
    assert!(!body.contains("张三"), "{body}");
    sqlx::query("UPDATE findings SET source = 'petition' WHERE id = 'f-petition'")
        .execute(&app.state.db.pool)
        .await
        .unwrap();

    sqlx::query("UPDATE rectification_tasks SET status = 'escalated' WHERE id = $1")
        .bind(&task.id)
        .execute(&app.state.db.pool)
        .await
        .unwrap();
    for path in [
        format!("/api/tasks/{}", task.id),
        format!("/api/tasks/{}/events", task.id),
    ] {
        assert_eq!(
            status(&zhang, path.clone()).await,
            StatusCode::INTERNAL_SERVER_ERROR,
            "{path}"
        );
    }
}

/// A fuzzer driven by the API's own description: every operation, as each kind of user and
/// as nobody, with every path parameter set to a real id and to junk, and bodies of the wrong
/// shape, far too long, or not JSON at all. Whatever the answer, it is never a 500.
#[tokio::test]
async fn no_operation_answers_500_to_junk() {
    let app = TestApp::spawn().await;
    let admin = app.login("admin").await;
    let target = app
        .round_with_target(&admin, "zhangwei", &["wangfang"])
        .await;
    let spec: Value = app.get_json(&TestApp::client(), "/api/openapi.json").await;
    let long = "长".repeat(100_000);
    // A body: its content type and bytes.
    type Body = (&'static str, Vec<u8>);
    let bodies: Vec<Body> = vec![
        ("application/json", br#"{"junk":[1,2,{"x":null}]}"#.to_vec()),
        ("application/json", br#"[]"#.to_vec()),
        ("application/json", br#""text""#.to_vec()),
        ("application/json", br#"{"id":"x","to":"concluded","status":"nonsense","on_date":"2026-02-30","inspectors":["a","a"],"clue_ids":[""],"amount_yuan":-1}"#.to_vec()),
        ("application/json", format!(r#"{{"summary":"{long}","matter":"{long}"}}"#).into_bytes()),
        ("text/plain", b"\x00\xff not json".to_vec()),
        ("image/jpeg", b"\xff\xd8\xff\xe0 not really".to_vec()),
    ];
    let mut failures = Vec::new();
    let mut asked = 0;
    for username in ["admin", "zhangwei", "liuyang", "qingshi", ""] {
        let client = if username.is_empty() {
            TestApp::client()
        } else {
            app.login(username).await
        };
        let mut answered = 0;
        for (path, item) in spec["paths"].as_object().unwrap() {
            for (method, _) in item.as_object().unwrap() {
                // Signing out would only end this run's session; signing in is tried elsewhere.
                if path.starts_with("/api/auth/") {
                    continue;
                }
                for id in [
                    target.as_str(),
                    "x%00'\"<>",
                    "00000000-0000-0000-0000-000000000000",
                ] {
                    let mut url = String::new();
                    let mut rest = path.as_str();
                    while let Some(open) = rest.find('{') {
                        url.push_str(&rest[..open]);
                        url.push_str(id);
                        rest = &rest[rest[open..].find('}').unwrap() + open + 1..];
                    }
                    url.push_str(rest);
                    let base_url = url;
                    let method =
                        reqwest::Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
                    // A GET with no query, with wrong values, and with a control character
                    // (refused before any handler); other methods with each body.
                    let sends: Vec<(String, Option<&Body>)> = if method == reqwest::Method::GET {
                        [
                            "",
                            "?status=nonsense&checkpoint=1:zz&limit=-5&before=zz",
                            "?before=%00",
                        ]
                        .iter()
                        .map(|q| (format!("{base_url}{q}"), None))
                        .collect()
                    } else {
                        bodies.iter().map(|b| (base_url.clone(), Some(b))).collect()
                    };
                    for (url, body) in sends {
                        let mut req = client.request(method.clone(), app.url(&url));
                        if let Some((kind, bytes)) = body {
                            req = req.header("content-type", *kind).body(bytes.clone());
                        }
                        let status = req.send().await.unwrap().status();
                        asked += 1;
                        answered += usize::from(status.is_success());
                        if status.is_server_error() {
                            failures.push(format!(
                                "{username} {method} {url} {}: {status}",
                                body.map(|b| b.0).unwrap_or("-")
                            ));
                        }
                    }
                }
            }
        }
        // A signed-in user's session lasted through it: not everything was a 401.
        if !username.is_empty() {
            assert!(answered > 10, "{username}: {answered} answered");
        }
    }
    assert!(asked > 1000, "{asked} requests");
    assert!(failures.is_empty(), "{failures:#?}");
}
