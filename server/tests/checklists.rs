//! Checklists over HTTP on SQLite and PostgreSQL: versioned templates, idempotent changes from
//! devices, conflicts, validation, submission, evidence and who may touch which record.

mod common;

use common::{error, TestApp};
use reqwest::{Client, StatusCode};
use serde_json::{json, Value};
use xuncha_api::checklists::{
    AnswerType, AnswerValue, ChangesResult, ChecklistKind, Record, RecordStatus, Template, YesNo,
};
use xuncha_api::{ApiError, Problem};

async fn get<T: serde::de::DeserializeOwned>(app: &TestApp, c: &Client, path: &str) -> T {
    let r = c.get(app.url(path)).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK, "GET {path}");
    r.json().await.unwrap()
}

fn change(id: &str, base: i64, item: &str, value: Value, note: &str) -> Value {
    json!({ "change_id": id, "base_version": base, "item_id": item, "value": value, "note": note })
}

async fn send(app: &TestApp, c: &Client, record: &str, changes: Value) -> reqwest::Response {
    c.post(app.url(&format!("/api/checklists/records/{record}/changes")))
        .json(&changes)
        .send()
        .await
        .unwrap()
}

/// An answer to every item that is not a problem.
fn good_answers(t: &Template, base: i64) -> Value {
    let changes: Vec<Value> = t
        .content
        .items()
        .enumerate()
        .map(|(i, (_, item))| {
            let value = match &item.answer {
                AnswerType::YesNo => AnswerValue::YesNo(if item.problem.yes_no == Some(YesNo::No) { YesNo::Yes } else { YesNo::No }),
                AnswerType::Choice { options } => {
                    AnswerValue::Choice(options.iter().find(|o| !item.problem.options.contains(o)).unwrap().clone())
                }
                AnswerType::Number { .. } => AnswerValue::Number(item.problem.below.unwrap_or(0.0)),
                AnswerType::Text { .. } => AnswerValue::Text("无".into()),
                AnswerType::Date => AnswerValue::Date(chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap()),
            };
            json!({ "change_id": format!("fill-{i}"), "base_version": base, "item_id": item.id, "value": value })
        })
        .collect();
    Value::Array(changes)
}

#[tokio::test]
async fn the_built_in_templates_are_there_and_a_published_version_never_changes() {
    let app = TestApp::spawn().await;
    let admin = app.login("admin").await;
    let all: Vec<Template> = get(&app, &admin, "/api/checklists/templates").await;
    let village = all
        .iter()
        .find(|t| t.kind == ChecklistKind::Inspection)
        .unwrap();
    assert!(village.published && village.version == 1);
    assert!((40..=60).contains(&village.content.items().count()));
    assert!(all
        .iter()
        .any(|t| t.kind == ChecklistKind::SelfCheck && t.published));

    let body = json!({ "name": "改", "content": village.content });
    let r = admin
        .put(app.url(&format!("/api/checklists/templates/{}", village.id)))
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(
        error(r, StatusCode::CONFLICT).await.field.as_deref(),
        Some("published")
    );

    let draft: Template = admin
        .post(app.url(&format!("/api/checklists/templates/{}/copy", village.id)))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        (draft.version, draft.published, draft.family.as_str()),
        (2, false, village.family.as_str())
    );
    let mut content = draft.content.clone();
    content.sections[0].items.remove(0);
    let r = admin
        .put(app.url(&format!("/api/checklists/templates/{}", draft.id)))
        .json(&json!({ "name": "村（社区）巡察检查清单（2027版）", "content": content }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    // Drafts are the office's; others see published versions only.
    let unit = app.login("qingshi").await;
    assert_eq!(
        unit.get(app.url(&format!("/api/checklists/templates/{}", draft.id)))
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::NOT_FOUND
    );
    let published: Template = admin
        .post(app.url(&format!("/api/checklists/templates/{}/publish", draft.id)))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(published.published);
    let r = admin
        .post(app.url(&format!("/api/checklists/templates/{}/publish", draft.id)))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::CONFLICT);
    // Duplicate item ids are refused at the field.
    let copy: Template = admin
        .post(app.url(&format!("/api/checklists/templates/{}/copy", draft.id)))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let mut bad = copy.content.clone();
    let dup = bad.sections[0].items[0].clone();
    bad.sections[1].items.push(dup);
    let r = admin
        .put(app.url(&format!("/api/checklists/templates/{}", copy.id)))
        .json(&json!({ "name": "x", "content": bad }))
        .send()
        .await
        .unwrap();
    let e = error(r, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(e.problem, Some(Problem::Taken));
}

#[tokio::test]
async fn a_retried_change_is_applied_once_and_a_stale_one_is_a_conflict() {
    let app = TestApp::spawn().await;
    let unit = app.login("qingshi").await;
    let record = app.open_self_check(&unit).await;
    assert_eq!(
        app.open_self_check(&unit).await.id,
        record.id,
        "the open self-check is reused"
    );
    assert_eq!(record.version, 0);

    let batch = json!([
        change(
            "phone-1",
            0,
            "p-01",
            json!({ "type": "yes_no", "value": "no" }),
            "3户未公示"
        ),
        change(
            "phone-2",
            0,
            "p-09",
            json!({ "type": "number", "value": 12 }),
            ""
        ),
    ]);
    let first: ChangesResult = send(&app, &unit, &record.id, batch.clone())
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(first.applied, vec!["phone-1", "phone-2"]);
    assert_eq!(first.record.version, 2);
    // The network dropped the answer; the phone sends the same batch again.
    let again: ChangesResult = send(&app, &unit, &record.id, batch)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(again.applied, vec!["phone-1", "phone-2"]);
    assert_eq!(again.record.version, 2, "nothing applied twice");
    assert_eq!(again.record.answers.len(), 2);

    // A second device that last saw version 0 changes the same item: a conflict, not an overwrite.
    let stale = json!([change(
        "laptop-1",
        0,
        "p-01",
        json!({ "type": "yes_no", "value": "yes" }),
        ""
    )]);
    let result: ChangesResult = send(&app, &unit, &record.id, stale)
        .await
        .json()
        .await
        .unwrap();
    assert!(result.applied.is_empty());
    assert_eq!(result.conflicts.len(), 1);
    assert_eq!(
        result.conflicts[0].server.value,
        Some(AnswerValue::YesNo(YesNo::No))
    );
    assert_eq!(result.conflicts[0].server.note, "3户未公示");
    // A different item from the same stale device goes through.
    let other = json!([change(
        "laptop-2",
        0,
        "p-03",
        json!({ "type": "yes_no", "value": "yes" }),
        ""
    )]);
    let result: ChangesResult = send(&app, &unit, &record.id, other)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(result.applied, vec!["laptop-2"]);
    // The user saw the conflict and chose their own answer.
    let mut chosen = change(
        "laptop-3",
        0,
        "p-01",
        json!({ "type": "yes_no", "value": "yes" }),
        "",
    );
    chosen["overwrite"] = json!(true);
    let result: ChangesResult = send(&app, &unit, &record.id, json!([chosen]))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(result.applied, vec!["laptop-3"]);
    let p01 = result
        .record
        .answers
        .iter()
        .find(|a| a.item_id == "p-01")
        .unwrap();
    assert_eq!(p01.value, Some(AnswerValue::YesNo(YesNo::Yes)));
}

#[tokio::test]
async fn bad_answers_are_refused_item_by_item_and_nothing_is_applied() {
    let app = TestApp::spawn().await;
    let unit = app.login("qingshi").await;
    let record = app.open_self_check(&unit).await;
    let batch = json!([
        change(
            "a",
            0,
            "p-01",
            json!({ "type": "yes_no", "value": "yes" }),
            ""
        ),
        change(
            "b",
            0,
            "p-09",
            json!({ "type": "number", "value": 99999 }),
            ""
        ),
        change(
            "c",
            0,
            "p-01x",
            json!({ "type": "yes_no", "value": "yes" }),
            ""
        ),
        change(
            "d",
            0,
            "r-11",
            json!({ "type": "choice", "value": "从不更新" }),
            ""
        ),
        change("e", 0, "p-03", json!({ "type": "number", "value": 1 }), ""),
    ]);
    let e: ApiError = error(
        send(&app, &unit, &record.id, batch).await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    let rows: Vec<(usize, &str)> = e.rows.iter().map(|r| (r.row, r.field.as_str())).collect();
    assert_eq!(
        rows,
        vec![(2, "p-09"), (3, "p-01x"), (4, "r-11"), (5, "p-03")]
    );
    assert_eq!(e.rows[0].problem, Problem::OutOfRange { min: 0, max: 1000 });
    let now: Record = get(
        &app,
        &unit,
        &format!("/api/checklists/records/{}", record.id),
    )
    .await;
    assert_eq!((now.version, now.answers.len()), (0, 0));
}

#[tokio::test]
async fn submitting_needs_every_answer_a_note_and_evidence_for_problems_and_then_locks() {
    let app = TestApp::spawn().await;
    let unit = app.login("qingshi").await;
    let record = app.open_self_check(&unit).await;
    let template: Template = get(
        &app,
        &unit,
        &format!("/api/checklists/templates/{}", record.template_id),
    )
    .await;
    let submit = || {
        unit.post(app.url(&format!("/api/checklists/records/{}/submit", record.id)))
            .send()
    };

    let e = error(submit().await.unwrap(), StatusCode::UNPROCESSABLE_ENTITY).await;
    let required = template.content.items().filter(|(_, i)| i.required).count();
    assert_eq!(e.rows.len(), required);

    let all: ChangesResult = send(&app, &unit, &record.id, good_answers(&template, 0))
        .await
        .json()
        .await
        .unwrap();
    assert!(all.conflicts.is_empty());
    // One problem answer without a note or a photo.
    let v = all.record.version;
    send(
        &app,
        &unit,
        &record.id,
        json!([change(
            "p",
            v,
            "p-01",
            json!({ "type": "yes_no", "value": "no" }),
            ""
        )]),
    )
    .await;
    let e = error(submit().await.unwrap(), StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(
        e.rows.iter().map(|r| r.field.as_str()).collect::<Vec<_>>(),
        vec!["p-01.note", "p-01.evidence"]
    );

    send(
        &app,
        &unit,
        &record.id,
        json!([change(
            "n",
            v + 1,
            "p-01",
            json!({ "type": "yes_no", "value": "no" }),
            "3户未经评议"
        )]),
    )
    .await;
    let photo = b"\xff\xd8\xff\xe0 a small jpeg".to_vec();
    let put = |id: &str, body: Vec<u8>, ct: &str| {
        unit.put(app.url(&format!(
            "/api/checklists/records/{}/evidence/{id}?item_id=p-01",
            record.id
        )))
        .header("content-type", ct.to_string())
        .body(body)
        .send()
    };
    let r = put("photo-1", b"%PDF".to_vec(), "text/plain")
        .await
        .unwrap();
    assert_eq!(
        error(r, StatusCode::UNPROCESSABLE_ENTITY)
            .await
            .field
            .as_deref(),
        Some("file")
    );
    assert_eq!(
        put("photo-1", photo.clone(), "image/jpeg")
            .await
            .unwrap()
            .status(),
        StatusCode::OK
    );
    // Sent again after a dropped answer: stored once.
    assert_eq!(
        put("photo-1", photo.clone(), "image/jpeg")
            .await
            .unwrap()
            .status(),
        StatusCode::OK
    );
    let r = put(
        "photo-1",
        b"\xff\xd8\xff\xe0 other bytes".to_vec(),
        "image/jpeg",
    )
    .await
    .unwrap();
    assert_eq!(r.status(), StatusCode::CONFLICT);
    let big = vec![0u8; 6 * 1024 * 1024];
    assert_eq!(
        put("photo-2", big, "image/jpeg").await.unwrap().status(),
        StatusCode::PAYLOAD_TOO_LARGE
    );

    let r = submit().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let submitted: Record = r.json().await.unwrap();
    assert_eq!(submitted.status, RecordStatus::Submitted);
    assert_eq!(submitted.evidence.len(), 1);
    let bytes = unit
        .get(app.url(&format!(
            "/api/checklists/records/{}/evidence/photo-1",
            record.id
        )))
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    assert_eq!(bytes.to_vec(), photo);

    // Locked: no more changes until it is returned.
    let late = json!([change(
        "late",
        submitted.version,
        "p-03",
        json!({ "type": "yes_no", "value": "no" }),
        ""
    )]);
    assert_eq!(
        send(&app, &unit, &record.id, late.clone()).await.status(),
        StatusCode::CONFLICT
    );
    let r = unit
        .post(app.url(&format!("/api/checklists/records/{}/return", record.id)))
        .json(&json!({ "reason": "x" }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let admin = app.login("admin").await;
    let r = admin
        .post(app.url(&format!("/api/checklists/records/{}/return", record.id)))
        .json(&json!({ "reason": "" }))
        .send()
        .await
        .unwrap();
    assert_eq!(
        error(r, StatusCode::UNPROCESSABLE_ENTITY)
            .await
            .field
            .as_deref(),
        Some("reason")
    );
    let r = admin
        .post(app.url(&format!("/api/checklists/records/{}/return", record.id)))
        .json(&json!({ "reason": "请补充三资台账照片" }))
        .send()
        .await
        .unwrap();
    let returned: Record = r.json().await.unwrap();
    assert_eq!(
        (returned.status, returned.return_reason.as_str()),
        (RecordStatus::Returned, "请补充三资台账照片")
    );
    assert_eq!(
        send(&app, &unit, &record.id, late).await.status(),
        StatusCode::OK
    );
}

#[tokio::test]
async fn only_the_team_writes_its_targets_record_and_only_the_village_its_self_check() {
    let app = TestApp::spawn().await;
    let admin = app.login("admin").await;
    let target = app.round_with_target(&admin, "zhangwei", &["lina"]).await;
    let open = |c: &Client| {
        c.post(app.url("/api/checklists/records"))
            .json(&json!({ "kind": "inspection", "target_id": target }))
            .send()
    };

    // Another inspector: the target does not exist for them. The office and discipline read only.
    let wang = app.login("wangfang").await;
    assert_eq!(open(&wang).await.unwrap().status(), StatusCode::NOT_FOUND);
    assert_eq!(open(&admin).await.unwrap().status(), StatusCode::FORBIDDEN);
    let lina = app.login("lina").await;
    let record: Record = open(&lina).await.unwrap().json().await.unwrap();
    assert_eq!(record.kind, ChecklistKind::Inspection);
    let zhang = app.login("zhangwei").await;
    let same: Record = open(&zhang).await.unwrap().json().await.unwrap();
    assert_eq!(same.id, record.id, "one record per target");
    let ok = json!([change(
        "t1",
        0,
        "o-01",
        json!({ "type": "yes_no", "value": "yes" }),
        ""
    )]);
    assert_eq!(
        send(&app, &lina, &record.id, ok).await.status(),
        StatusCode::OK
    );
    for (who, c) in [("admin", &admin), ("wangfang", &wang)] {
        let r = send(
            &app,
            c,
            &record.id,
            json!([change(
                &format!("x-{who}"),
                1,
                "o-01",
                json!({ "type": "yes_no", "value": "no" }),
                ""
            )]),
        )
        .await;
        assert!(
            r.status() == StatusCode::FORBIDDEN || r.status() == StatusCode::NOT_FOUND,
            "{who}"
        );
    }
    let discipline = app.login("liuyang").await;
    let _: Record = get(
        &app,
        &discipline,
        &format!("/api/checklists/records/{}", record.id),
    )
    .await;
    // The inspected village never sees the team's record.
    let unit = app.login("qingshi").await;
    assert_eq!(
        unit.get(app.url(&format!("/api/checklists/records/{}", record.id)))
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(open(&unit).await.unwrap().status(), StatusCode::NOT_FOUND);

    // Its self-check is its own: the team reads it, other villages and teams do not.
    let own = app.open_self_check(&unit).await;
    let _: Record = get(&app, &lina, &format!("/api/checklists/records/{}", own.id)).await;
    assert_eq!(
        wang.get(app.url(&format!("/api/checklists/records/{}", own.id)))
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::NOT_FOUND
    );
    let r = lina
        .post(app.url("/api/checklists/records"))
        .json(&json!({ "kind": "self_check" }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let r = send(
        &app,
        &lina,
        &own.id,
        json!([change(
            "z",
            0,
            "p-01",
            json!({ "type": "yes_no", "value": "no" }),
            ""
        )]),
    )
    .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_problem_answer_becomes_a_finding_once_and_only_the_team_sees_the_list() {
    let app = TestApp::spawn().await;
    let admin = app.login("admin").await;
    let target = app.round_with_target(&admin, "zhangwei", &[]).await;

    let zhang = app.login("zhangwei").await;
    let record: Record = zhang
        .post(app.url("/api/checklists/records"))
        .json(&json!({ "kind": "inspection", "target_id": target }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let finding = json!({
        "focus": "responsibility", "title": "村集体资金白条入账", "description": "2025年有3笔支出无正规票据",
        "severity": "serious", "source": "checklist", "record_id": record.id, "item_id": "r-04"
    });
    let put = |c: &Client, id: &str, body: &Value| {
        c.put(app.url(&format!("/api/targets/{target}/findings/{id}")))
            .json(body)
            .send()
    };
    assert_eq!(
        put(&zhang, "f-1", &finding).await.unwrap().status(),
        StatusCode::OK
    );
    assert_eq!(
        put(&zhang, "f-1", &finding).await.unwrap().status(),
        StatusCode::OK,
        "a retry"
    );
    let list: Vec<xuncha_api::findings::Finding> =
        get(&app, &zhang, &format!("/api/targets/{target}/findings")).await;
    assert_eq!(list.len(), 1);
    assert_eq!(list[0].item_id.as_deref(), Some("r-04"));

    let mut by_hand = finding.clone();
    by_hand["source"] = json!("checklist");
    by_hand["item_id"] = Value::Null;
    let e = error(
        put(&zhang, "f-2", &by_hand).await.unwrap(),
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(e.field.as_deref(), Some("item_id"));
    let talk = json!({ "focus": "organisation", "title": "“三会一课”记录补写", "severity": "general", "source": "talk" });
    assert_eq!(
        put(&zhang, "f-3", &talk).await.unwrap().status(),
        StatusCode::OK
    );

    // The office reads; another team and the village do not.
    let _: Vec<Value> = get(&app, &admin, &format!("/api/targets/{target}/findings")).await;
    assert_eq!(
        put(&admin, "f-4", &talk).await.unwrap().status(),
        StatusCode::FORBIDDEN
    );
    let wang = app.login("wangfang").await;
    assert_eq!(
        wang.get(app.url(&format!("/api/targets/{target}/findings")))
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::NOT_FOUND
    );
    let unit = app.login("qingshi").await;
    assert_eq!(
        unit.get(app.url(&format!("/api/targets/{target}/findings")))
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn a_photo_can_be_taken_off_an_item_before_submitting_and_only_by_who_may_write() {
    let app = TestApp::spawn().await;
    let unit = app.login("qingshi").await;
    let record = app.open_self_check(&unit).await;
    let url = |id: &str| {
        app.url(&format!(
            "/api/checklists/records/{}/evidence/{id}",
            record.id
        ))
    };
    let photo = b"\xff\xd8\xff\xe0 a blurred photo".to_vec();
    let r = unit
        .put(format!("{}?item_id=p-01", url("blurred")))
        .header("content-type", "image/jpeg")
        .body(photo)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);

    // An inspector not on the village's team may not touch it; the team and discipline
    // read the self-check but do not write it; nobody signed in gets nothing.
    let other = app.login("wangfang").await;
    let r = other.delete(url("blurred")).send().await.unwrap();
    assert!(
        matches!(r.status(), StatusCode::FORBIDDEN | StatusCode::NOT_FOUND),
        "{}",
        r.status()
    );
    let admin = app.login("admin").await;
    app.round_with_target(&admin, "zhangwei", &["lina"]).await;
    for reader in ["lina", "liuyang"] {
        let r = app
            .login(reader)
            .await
            .delete(url("blurred"))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::FORBIDDEN, "{reader}");
    }
    let r = Client::new().delete(url("blurred")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    let held: Record = get(
        &app,
        &unit,
        &format!("/api/checklists/records/{}", record.id),
    )
    .await;
    assert_eq!(held.evidence.len(), 1);

    // Removed, and removing again (a retry after a lost reply) is no error.
    for _ in 0..2 {
        let r = unit.delete(url("blurred")).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::NO_CONTENT);
    }
    let held: Record = get(
        &app,
        &unit,
        &format!("/api/checklists/records/{}", record.id),
    )
    .await;
    assert!(held.evidence.is_empty());
    let r = unit.get(url("blurred")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
}
