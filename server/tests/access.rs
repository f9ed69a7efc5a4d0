//! Need-to-know as one table: every role against every kind of object, asserting both what the
//! access module answers and what the HTTP API does. A new kind of object adds a row.

mod common;

use common::TestApp;
use reqwest::{Client, StatusCode};
use serde_json::{json, Value};
use sqlx::Row;
use xuncha_api::checklists::Record;
use xuncha_api::rectification::Task;
use xuncha_api::users::Role;
use xuncha_server::access::{self, Actor, Grant, Object, Relation};

async fn actor(app: &TestApp, username: &str) -> Actor {
    let r = sqlx::query("SELECT id, display_name, role, org_id FROM users WHERE username = $1")
        .bind(username)
        .fetch_one(&app.state.db.pool)
        .await
        .unwrap();
    Actor {
        id: r.get("id"),
        username: username.into(),
        display_name: r.get("display_name"),
        role: Role::parse(&r.get::<String, _>("role")).unwrap(),
        org_id: r.get("org_id"),
    }
}

async fn ok(r: reqwest::Response) -> Value {
    assert!(r.status().is_success(), "{}", r.status());
    r.json().await.unwrap()
}

/// What the module says `who` may do with `object` where it sits (`at`).
async fn granted(app: &TestApp, who: Option<&Actor>, object: Object, at: &At) -> Grant {
    let Some(who) = who else {
        return Grant::None;
    };
    let mut conn = app.state.db.pool.acquire().await.unwrap();
    let relation = match at {
        At::Target(id) => access::to_target(&mut conn, who, id).await.unwrap(),
        At::Org(id) => access::to_org(&mut conn, who, id).await.unwrap(),
        At::Round(id) => access::to_round(&mut conn, who, id).await.unwrap(),
        At::Office => access::to_office(who),
    };
    access::grant(object, relation)
}

enum At {
    Target(String),
    Org(String),
    Round(String),
    /// What belongs to no target: referrals.
    Office,
}

#[tokio::test]
async fn every_role_against_every_kind_of_object() {
    let app = TestApp::spawn().await;
    let admin = app.login("admin").await;
    // 王芳 of the demo is the team's second inspector: a talk needs two present.
    let target = app
        .round_with_target(&admin, "zhangwei", &["wangfang"])
        .await;
    let zhang = app.login("zhangwei").await;
    let unit = app.login("qingshi").await;
    let targets: Value = app.get_json(&admin, "/api/rounds").await;
    let round = targets[0]["id"].as_str().unwrap().to_string();
    let term = targets[0]["term_id"].as_str().unwrap().to_string();
    let qingshi = app.org_named(&admin, "青石村").await.id;

    // Another village's liaison; lina inspects, but on no team of this round.
    let village_b = app
        .orgs(&admin)
        .await
        .into_iter()
        .find(|o| o.level == xuncha_api::orgs::OrgLevel::Village && o.name != "青石村")
        .unwrap();
    ok(admin
        .post(app.url("/api/users"))
        .json(
            &json!({ "username": "other_unit", "display_name": "别村联络员", "role": "unit",
                       "org_id": village_b.id, "password": xuncha_server::demo::PASSWORD }),
        )
        .send()
        .await
        .unwrap())
    .await;

    // One of everything: the team's record with a photo, the village's self-check with a photo,
    // a finding, its task and a photo on it.
    let record: Record = serde_json::from_value(
        ok(zhang
            .post(app.url("/api/checklists/records"))
            .json(&json!({ "kind": "inspection", "target_id": target }))
            .send()
            .await
            .unwrap())
        .await,
    )
    .unwrap();
    let self_check: Record = serde_json::from_value(
        ok(unit
            .post(app.url("/api/checklists/records"))
            .json(&json!({ "kind": "self_check" }))
            .send()
            .await
            .unwrap())
        .await,
    )
    .unwrap();
    let photo = b"\xff\xd8\xff\xe0 a small jpeg".to_vec();
    for (who, rec, item) in [(&zhang, &record, "o-01"), (&unit, &self_check, "p-01")] {
        let r = who
            .put(app.url(&format!(
                "/api/checklists/records/{}/evidence/ev-{item}?item_id={item}",
                rec.id
            )))
            .header("content-type", "image/jpeg")
            .body(photo.clone())
            .send()
            .await
            .unwrap();
        assert!(r.status().is_success(), "{item}: {}", r.status());
    }
    ok(zhang
        .put(app.url(&format!("/api/targets/{target}/findings/f-1")))
        .json(&json!({ "focus": "responsibility", "title": "村务公开不及时", "severity": "general", "source": "documents" }))
        .send()
        .await
        .unwrap())
    .await;
    let task: Task = serde_json::from_value::<Vec<Task>>(
        ok(zhang
            .post(app.url(&format!("/api/targets/{target}/tasks")))
            .json(&json!([{ "finding_id": "f-1", "measures": "每月公开一次" }]))
            .send()
            .await
            .unwrap())
        .await,
    )
    .unwrap()
    .remove(0);
    let r = unit
        .put(app.url(&format!("/api/tasks/{}/files/ph-1", task.id)))
        .header("content-type", "image/jpeg")
        .body(photo.clone())
        .send()
        .await
        .unwrap();
    assert!(r.status().is_success(), "task photo: {}", r.status());
    let inspectors = json!([
        actor(&app, "zhangwei").await.id,
        actor(&app, "wangfang").await.id
    ]);
    let talk = json!({ "kind": "talk", "person_name": "张建国", "held_on": "2026-03-10",
                       "inspectors": inspectors, "summary": "谈及集体资产发包。" });
    ok(zhang
        .put(app.url(&format!("/api/targets/{target}/talks/tk-1")))
        .json(&talk)
        .send()
        .await
        .unwrap())
    .await;
    let r = zhang
        .put(app.url("/api/talks/tk-1/files/tf-1"))
        .header("content-type", "image/jpeg")
        .body(photo.clone())
        .send()
        .await
        .unwrap();
    assert!(r.status().is_success(), "talk file: {}", r.status());
    let clue = json!({ "person_name": "李某某", "matter": "收受好处费", "source": "talk",
                       "source_id": "tk-1", "seriousness": "serious" });
    ok(zhang
        .put(app.url(&format!("/api/targets/{target}/clues/cl-1")))
        .json(&clue)
        .send()
        .await
        .unwrap())
    .await;
    let r = zhang
        .put(app.url("/api/clues/cl-1/files/cf-1"))
        .header("content-type", "image/jpeg")
        .body(photo.clone())
        .send()
        .await
        .unwrap();
    assert!(r.status().is_success(), "clue file: {}", r.status());
    let petition = json!({ "channel": "phone", "received_on": "2026-03-11",
                           "content": "来电反映村务不公开", "contact": "13900000000" });
    ok(zhang
        .put(app.url(&format!("/api/targets/{target}/petitions/pt-1")))
        .json(&petition)
        .send()
        .await
        .unwrap())
    .await;
    let r = zhang
        .put(app.url("/api/petitions/pt-1/files/pf-1"))
        .header("content-type", "image/jpeg")
        .body(photo.clone())
        .send()
        .await
        .unwrap();
    assert!(r.status().is_success(), "petition file: {}", r.status());
    ok(zhang
        .put(app.url(&format!("/api/targets/{target}/prep/in-1")))
        .json(&json!({ "content": { "list": "information", "source": "audit", "answered": true } }))
        .send()
        .await
        .unwrap())
    .await;
    let r = zhang
        .put(app.url("/api/prep/in-1/files/sf-1"))
        .header("content-type", "image/jpeg")
        .body(photo.clone())
        .send()
        .await
        .unwrap();
    assert!(r.status().is_success(), "report file: {}", r.status());

    let roles: Vec<(&str, Client, Option<Actor>)> = vec![
        ("admin", admin.clone(), Some(actor(&app, "admin").await)),
        (
            "discipline",
            app.login("liuyang").await,
            Some(actor(&app, "liuyang").await),
        ),
        ("team", zhang.clone(), Some(actor(&app, "zhangwei").await)),
        (
            "other_team",
            app.login("lina").await,
            Some(actor(&app, "lina").await),
        ),
        ("unit", unit.clone(), Some(actor(&app, "qingshi").await)),
        (
            "other_unit",
            app.login("other_unit").await,
            Some(actor(&app, "other_unit").await),
        ),
        ("anonymous", TestApp::client(), None),
    ];

    use Grant::{Lead as L, None as N, Read as R, Write as W};
    let t = &task.id;
    // Columns follow `roles`: admin, discipline, team, other team, unit, other unit, anonymous.
    type Row = (&'static str, Object, At, String, [Grant; 7], [u16; 7]);
    let table: Vec<Row> = vec![
        (
            "organisation",
            Object::Organisation,
            At::Org(qingshi.clone()),
            format!("/api/orgs/{qingshi}"),
            [L, R, R, N, W, N, N],
            [200, 200, 200, 404, 200, 404, 401],
        ),
        (
            "round",
            Object::Round,
            At::Round(round.clone()),
            format!("/api/rounds/{round}"),
            [L, R, R, N, N, N, N],
            [200, 200, 200, 404, 403, 403, 401],
        ),
        (
            "team",
            Object::Round,
            At::Round(round.clone()),
            format!("/api/rounds/{round}/teams"),
            [L, R, R, N, N, N, N],
            [200, 200, 200, 404, 403, 403, 401],
        ),
        (
            "target",
            Object::Round,
            At::Round(round.clone()),
            format!("/api/rounds/{round}/targets"),
            [L, R, R, N, N, N, N],
            [200, 200, 200, 404, 403, 403, 401],
        ),
        (
            "checklist record",
            Object::InspectionRecord,
            At::Target(target.clone()),
            format!("/api/checklists/records/{}", record.id),
            [R, R, L, N, N, N, N],
            [200, 200, 200, 404, 404, 404, 401],
        ),
        (
            "evidence file",
            Object::InspectionRecord,
            At::Target(target.clone()),
            format!("/api/checklists/records/{}/evidence/ev-o-01", record.id),
            [R, R, L, N, N, N, N],
            [200, 200, 200, 404, 404, 404, 401],
        ),
        (
            "self-check",
            Object::SelfCheck,
            At::Org(qingshi.clone()),
            format!("/api/checklists/records/{}", self_check.id),
            [L, R, R, N, W, N, N],
            [200, 200, 200, 404, 200, 404, 401],
        ),
        (
            "self-check evidence file",
            Object::SelfCheck,
            At::Org(qingshi.clone()),
            format!("/api/checklists/records/{}/evidence/ev-p-01", self_check.id),
            [L, R, R, N, W, N, N],
            [200, 200, 200, 404, 200, 404, 401],
        ),
        (
            "finding",
            Object::Finding,
            At::Target(target.clone()),
            format!("/api/targets/{target}/findings"),
            [R, R, W, N, N, N, N],
            [200, 200, 200, 404, 403, 403, 401],
        ),
        (
            "earlier findings",
            Object::Finding,
            At::Target(target.clone()),
            format!("/api/targets/{target}/earlier-findings"),
            [R, R, W, N, N, N, N],
            [200, 200, 200, 404, 403, 403, 401],
        ),
        (
            "task",
            Object::Task,
            At::Target(target.clone()),
            format!("/api/tasks/{t}"),
            [L, R, W, N, W, N, N],
            [200, 200, 200, 404, 200, 404, 401],
        ),
        (
            "task file",
            Object::Task,
            At::Target(target.clone()),
            format!("/api/tasks/{t}/files/ph-1"),
            [L, R, W, N, W, N, N],
            [200, 200, 200, 404, 200, 404, 401],
        ),
        (
            "a target's tasks",
            Object::TaskLedger,
            At::Target(target.clone()),
            format!("/api/targets/{target}/tasks"),
            [R, R, R, N, N, N, N],
            [200, 200, 200, 404, 403, 403, 401],
        ),
        (
            "rectification ledger",
            Object::TaskLedger,
            At::Round(round.clone()),
            format!("/api/rounds/{round}/rectification"),
            [R, R, R, N, N, N, N],
            [200, 200, 200, 404, 403, 403, 401],
        ),
        (
            "coverage ledger",
            Object::CoverageLedger,
            At::Round(round.clone()),
            format!("/api/terms/{term}/ledger"),
            [R, R, N, N, N, N, N],
            [200, 200, 403, 403, 403, 403, 401],
        ),
        (
            "a term's statistics",
            Object::Statistics,
            At::Round(round.clone()),
            format!("/api/terms/{term}/statistics"),
            [R, R, R, N, N, N, N],
            [200, 200, 200, 404, 403, 403, 401],
        ),
        (
            "confirmed common problems",
            Object::CommonProblem,
            At::Office,
            format!("/api/terms/{term}/confirmed-problems"),
            [L, R, N, N, N, N, N],
            [200, 200, 403, 403, 403, 403, 401],
        ),
        (
            "a target's stationing lists and visits",
            Object::Stationing,
            At::Target(target.clone()),
            format!("/api/targets/{target}/stationing"),
            [R, R, W, N, N, N, N],
            [200, 200, 200, 404, 404, 404, 401],
        ),
        (
            "a file an office sent about the village",
            Object::Stationing,
            At::Target(target.clone()),
            "/api/prep/in-1/files/sf-1".into(),
            [R, R, W, N, N, N, N],
            [200, 200, 200, 404, 404, 404, 401],
        ),
        (
            "the county's default policy list",
            Object::PolicyDefaults,
            At::Office,
            "/api/policy-defaults".into(),
            [L, R, N, N, N, N, N],
            [200, 200, 403, 403, 403, 403, 401],
        ),
        (
            "a target's talks",
            Object::Talk,
            At::Target(target.clone()),
            format!("/api/targets/{target}/talks"),
            [R, R, W, N, N, N, N],
            [200, 200, 200, 404, 404, 404, 401],
        ),
        (
            "who may be present at a talk",
            Object::Talk,
            At::Target(target.clone()),
            format!("/api/targets/{target}/inspectors"),
            [R, R, W, N, N, N, N],
            [200, 200, 200, 404, 404, 404, 401],
        ),
        (
            "talk",
            Object::Talk,
            At::Target(target.clone()),
            "/api/talks/tk-1".into(),
            [R, R, W, N, N, N, N],
            [200, 200, 200, 404, 404, 404, 401],
        ),
        (
            "talk file",
            Object::Talk,
            At::Target(target.clone()),
            "/api/talks/tk-1/files/tf-1".into(),
            [R, R, W, N, N, N, N],
            [200, 200, 200, 404, 404, 404, 401],
        ),
        (
            "a talk's read log",
            Object::ReadLog,
            At::Target(target.clone()),
            "/api/talks/tk-1/reads".into(),
            [R, R, N, N, N, N, N],
            [200, 200, 403, 403, 403, 403, 401],
        ),
        (
            "a target's clues",
            Object::Clue,
            At::Target(target.clone()),
            format!("/api/targets/{target}/clues"),
            [L, L, L, N, N, N, N],
            [200, 200, 200, 404, 404, 404, 401],
        ),
        (
            "clue",
            Object::Clue,
            At::Target(target.clone()),
            "/api/clues/cl-1".into(),
            [L, L, L, N, N, N, N],
            [200, 200, 200, 404, 404, 404, 401],
        ),
        (
            "clue file",
            Object::Clue,
            At::Target(target.clone()),
            "/api/clues/cl-1/files/cf-1".into(),
            [L, L, L, N, N, N, N],
            [200, 200, 200, 404, 404, 404, 401],
        ),
        (
            "a target's petitions",
            Object::Petition,
            At::Target(target.clone()),
            format!("/api/targets/{target}/petitions"),
            [R, R, W, N, N, N, N],
            [200, 200, 200, 404, 404, 404, 401],
        ),
        (
            "petition",
            Object::Petition,
            At::Target(target.clone()),
            "/api/petitions/pt-1".into(),
            [R, R, W, N, N, N, N],
            [200, 200, 200, 404, 404, 404, 401],
        ),
        (
            "petition file",
            Object::Petition,
            At::Target(target.clone()),
            "/api/petitions/pt-1/files/pf-1".into(),
            [R, R, W, N, N, N, N],
            [200, 200, 200, 404, 404, 404, 401],
        ),
        (
            "a round's petition ledger",
            Object::Petition,
            At::Round(round.clone()),
            format!("/api/rounds/{round}/petitions"),
            [R, R, W, N, N, N, N],
            [200, 200, 200, 404, 403, 403, 401],
        ),
        (
            "stationing notice",
            Object::Notice,
            At::Target(target.clone()),
            format!("/api/targets/{target}/notice"),
            [L, R, R, N, N, N, N],
            [200, 200, 200, 404, 403, 403, 401],
        ),
        (
            "a target's evaluations",
            Object::Evaluation,
            At::Target(target.clone()),
            format!("/api/targets/{target}/evaluations"),
            [L, R, W, N, N, N, N],
            [200, 200, 200, 404, 403, 403, 401],
        ),
        (
            "referrals",
            Object::Referral,
            At::Office,
            "/api/referrals".into(),
            [L, W, N, N, N, N, N],
            [200, 200, 403, 403, 403, 403, 401],
        ),
        (
            "every clue in a state",
            Object::Referral,
            At::Office,
            "/api/clues?status=draft".into(),
            [L, W, N, N, N, N, N],
            [200, 200, 403, 403, 403, 403, 401],
        ),
    ];

    let mut wrong = Vec::new();
    for (name, object, at, url, grants, statuses) in &table {
        for (((role, client, who), want_grant), want_status) in
            roles.iter().zip(grants).zip(statuses)
        {
            let got = granted(&app, who.as_ref(), *object, at).await;
            if got != *want_grant {
                wrong.push(format!(
                    "{role} on {name}: module grants {got:?}, expected {want_grant:?}"
                ));
            }
            let status = client.get(app.url(url)).send().await.unwrap().status();
            if status.as_u16() != *want_status {
                wrong.push(format!(
                    "{role} GET {url} ({name}): {status}, expected {want_status}"
                ));
            }
            // Whatever the module lets one read, the API serves, and nothing else.
            if (status == StatusCode::OK) != (got >= Grant::Read) {
                wrong.push(format!(
                    "{role} on {name}: the API ({status}) disagrees with the module ({got:?})"
                ));
            }
        }
    }
    assert!(wrong.is_empty(), "{wrong:#?}");

    // Every kind of object has a row.
    for object in Object::ALL {
        assert!(
            table.iter().any(|(_, o, ..)| *o == object),
            "{object:?} has no row"
        );
    }
    // Writes, role by role: each allowed write uses its own id, so that one role's success
    // does not change what the next is answered. What the module grants is in the read table.
    enum Body {
        Json(Value),
        Photo,
    }
    type Write = (
        &'static str,
        reqwest::Method,
        String,
        Box<dyn Fn(&str) -> Body>,
        [u16; 7],
    );
    let writes: Vec<Write> = vec![
        (
            "basic data",
            reqwest::Method::PATCH,
            format!("/api/orgs/{qingshi}"),
            Box::new(|_| Body::Json(json!({ "secretary": "王书记" }))),
            [200, 403, 403, 403, 200, 404, 401],
        ),
        (
            "a finding",
            reqwest::Method::PUT,
            format!("/api/targets/{target}/findings/f-{{who}}"),
            Box::new(|_| {
                Body::Json(
                    json!({ "focus": "responsibility", "title": "台账不全", "severity": "general", "source": "documents" }),
                )
            }),
            [403, 403, 200, 404, 403, 403, 401],
        ),
        (
            "the team's answers",
            reqwest::Method::POST,
            format!("/api/checklists/records/{}/changes", record.id),
            Box::new(|who| {
                Body::Json(
                    json!([{ "change_id": format!("c-{who}"), "base_version": 0, "item_id": "o-01", "value": { "type": "yes_no", "value": "yes" } }]),
                )
            }),
            [403, 403, 200, 404, 404, 404, 401],
        ),
        (
            "the self-check's answers",
            reqwest::Method::POST,
            format!("/api/checklists/records/{}/changes", self_check.id),
            Box::new(|who| {
                Body::Json(
                    json!([{ "change_id": format!("s-{who}"), "base_version": 0, "item_id": "p-03", "value": { "type": "yes_no", "value": "yes" } }]),
                )
            }),
            [200, 403, 403, 404, 200, 404, 401],
        ),
        (
            "a self-check photo",
            reqwest::Method::PUT,
            format!(
                "/api/checklists/records/{}/evidence/e-{{who}}?item_id=p-01",
                self_check.id
            ),
            Box::new(|_| Body::Photo),
            [200, 403, 403, 404, 200, 404, 401],
        ),
        (
            "a task report",
            reqwest::Method::POST,
            format!("/api/tasks/{t}/progress"),
            Box::new(|who| Body::Json(json!({ "id": format!("r-{who}"), "note": "已整改" }))),
            [403, 403, 403, 404, 200, 404, 401],
        ),
        (
            "a task photo",
            reqwest::Method::PUT,
            format!("/api/tasks/{t}/files/p-{{who}}"),
            Box::new(|_| Body::Photo),
            [403, 403, 403, 404, 200, 404, 401],
        ),
        (
            "a talk",
            reqwest::Method::PUT,
            format!("/api/targets/{target}/talks/tk-{{who}}"),
            Box::new(move |_| Body::Json(talk.clone())),
            [403, 403, 200, 404, 404, 404, 401],
        ),
        (
            "a talk file",
            reqwest::Method::PUT,
            "/api/talks/tk-1/files/tf-{who}".into(),
            Box::new(|_| Body::Photo),
            [403, 403, 200, 404, 404, 404, 401],
        ),
        (
            "a clue",
            reqwest::Method::PUT,
            format!("/api/targets/{target}/clues/cl-{{who}}"),
            Box::new(move |_| Body::Json(clue.clone())),
            [403, 403, 200, 404, 404, 404, 401],
        ),
        (
            "a clue file",
            reqwest::Method::PUT,
            "/api/clues/cl-1/files/cf-{who}".into(),
            Box::new(|_| Body::Photo),
            [403, 403, 200, 404, 404, 404, 401],
        ),
        (
            "a petition",
            reqwest::Method::PUT,
            format!("/api/targets/{target}/petitions/pt-{{who}}"),
            Box::new(move |_| Body::Json(petition.clone())),
            [403, 403, 200, 404, 404, 404, 401],
        ),
        (
            "a petition file",
            reqwest::Method::PUT,
            "/api/petitions/pt-1/files/pf-{who}".into(),
            Box::new(|_| Body::Photo),
            [403, 403, 200, 404, 404, 404, 401],
        ),
        (
            "an evaluation",
            reqwest::Method::POST,
            format!("/api/targets/{target}/evaluations"),
            Box::new(|_| Body::Json(json!({ "title": "民主测评", "codes": 5 }))),
            [200, 403, 200, 404, 403, 403, 401],
        ),
        (
            // The office passes the need-to-know and is told its finding is unknown.
            "a common problem",
            reqwest::Method::PUT,
            format!("/api/terms/{term}/common-problems/cp-{{who}}"),
            Box::new(|_| {
                Body::Json(
                    json!({ "label": "白条入账", "focus": "responsibility", "department": "县农业农村局",
                    "finding_ids": ["nope"], "threshold": 0.2 }),
                )
            }),
            [422, 403, 403, 403, 403, 403, 401],
        ),
        (
            "a visit on the team's list",
            reqwest::Method::PUT,
            format!("/api/targets/{target}/visits/vi-{{who}}"),
            Box::new(|_| Body::Json(json!({ "person_name": "李大爷", "household": true }))),
            [403, 403, 200, 404, 404, 404, 401],
        ),
        (
            "a pre-set problem",
            reqwest::Method::PUT,
            format!("/api/targets/{target}/prep/ex-{{who}}"),
            Box::new(|_| {
                Body::Json(json!({ "content": { "list": "expected", "problem": "白条入账" } }))
            }),
            [403, 403, 200, 404, 404, 404, 401],
        ),
        (
            "a file with the information collected",
            reqwest::Method::PUT,
            "/api/prep/in-1/files/sf-{who}".into(),
            Box::new(|_| Body::Photo),
            [403, 403, 200, 404, 404, 404, 401],
        ),
        (
            "a default policy",
            reqwest::Method::PUT,
            "/api/policy-defaults/pd-{who}".into(),
            Box::new(|_| Body::Json(json!({ "area": "health", "title": "家庭医生签约" }))),
            [200, 403, 403, 403, 403, 403, 401],
        ),
        (
            "the stationing notice",
            reqwest::Method::PUT,
            format!("/api/targets/{target}/notice"),
            Box::new(|_| Body::Json(json!({ "phone": "0571-1" }))),
            // No inspector ever writes it: refused by role, before any lookup.
            [200, 403, 403, 403, 403, 403, 401],
        ),
    ];
    for (name, method, url, body, statuses) in &writes {
        for ((role, client, _), want) in roles.iter().zip(statuses) {
            let who = role.replace('_', "-");
            let url = url.replace("{who}", &who);
            let req = client.request(method.clone(), app.url(&url));
            let req = match body(&who) {
                Body::Json(v) => req.json(&v),
                Body::Photo => req.header("content-type", "image/jpeg").body(photo.clone()),
            };
            let status = req.send().await.unwrap().status();
            if status.as_u16() != *want {
                wrong.push(format!(
                    "{role} {method} {url} ({name}): {status}, expected {want}"
                ));
            }
        }
    }
    assert!(wrong.is_empty(), "{wrong:#?}");

    // The relations the table rests on.
    let mut conn = app.state.db.pool.acquire().await.unwrap();
    for ((name, _, who), want) in roles.iter().zip([
        Relation::Office,
        Relation::Discipline,
        Relation::Leader,
        Relation::None,
        Relation::Liaison,
        Relation::None,
    ]) {
        let who = who.as_ref().unwrap();
        let got = access::to_target(&mut conn, who, &target).await.unwrap();
        assert_eq!(got, want, "{name}");
    }
}
