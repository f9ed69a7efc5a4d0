//! Talk records: recorded by the target's team under device ids, edited only on the latest
//! version, read by the team, the office and discipline with every read logged, and invisible
//! to everyone else. On SQLite, and on PostgreSQL when XUNCHA_TEST_POSTGRES is set.

mod common;

use common::TestApp;
use reqwest::{Client, StatusCode};
use serde_json::{json, Value};
use xuncha_api::audit::ReadEntry;
use xuncha_api::talks::Talk;
use xuncha_api::Problem;

const SECRET_SUMMARY: &str = "反映村主任在土地流转中收取好处费";
const PRIVATE_PERSON: &str = "不愿具名的村民赵某";

struct Setup {
    app: TestApp,
    admin: Client,
    team: Client,
    target: String,
    inspectors: Value,
}

async fn setup() -> Setup {
    let app = TestApp::spawn().await;
    let admin = app.login("admin").await;
    // 王芳 of the demo is the team's second inspector: a talk needs two present.
    let target = app
        .round_with_target(&admin, "zhangwei", &["wangfang"])
        .await;
    let office = xuncha_server::testkit::fixtures::Office::with(admin.clone(), &app.base);
    let inspectors = json!([
        office.user_id("zhangwei").await,
        office.user_id("wangfang").await
    ]);
    let team = app.login("zhangwei").await;
    Setup {
        app,
        admin,
        team,
        target,
        inspectors,
    }
}

impl Setup {
    fn talk(&self) -> Value {
        json!({
            "kind": "talk",
            "person_name": PRIVATE_PERSON,
            "person_post": "村民",
            "person_org": "青石村",
            "held_on": "2026-03-10",
            "place": "村委会二楼",
            "inspectors": self.inspectors,
            "summary": SECRET_SUMMARY,
            "private": true
        })
    }

    async fn put(&self, who: &Client, id: &str, body: &Value) -> reqwest::Response {
        who.put(
            self.app
                .url(&format!("/api/targets/{}/talks/{id}", self.target)),
        )
        .json(body)
        .send()
        .await
        .unwrap()
    }
}

async fn ok<T: serde::de::DeserializeOwned>(r: reqwest::Response) -> T {
    assert!(r.status().is_success(), "{}", r.status());
    r.json().await.unwrap()
}

#[tokio::test]
async fn a_talk_is_recorded_once_edited_on_its_latest_version_and_refused_when_wrong() {
    let s = setup().await;
    let talk: Talk = ok(s.put(&s.team, "tk-1", &s.talk()).await).await;
    assert_eq!((talk.version, talk.private), (1, true));
    assert_eq!(talk.inspectors.len(), 2);

    // The reply was lost and the phone sends again: nothing new.
    let again: Talk = ok(s.put(&s.team, "tk-1", &s.talk()).await).await;
    assert_eq!(again, talk);

    // An edit on version 1, then another phone's edit still on version 1.
    let mut edit = s.talk();
    edit["place"] = json!("村民家中");
    edit["base_version"] = json!(1);
    let edited: Talk = ok(s.put(&s.team, "tk-1", &edit).await).await;
    assert_eq!((edited.version, edited.place.as_str()), (2, "村民家中"));
    let mut late = s.talk();
    late["summary"] = json!("另一部手机上的修改");
    late["base_version"] = json!(1);
    let r = s.put(&s.team, "tk-1", &late).await;
    let e = common::error(r, StatusCode::CONFLICT).await;
    assert_eq!(e.problem, Some(Problem::Stale));
    // The edit's own re-send (its reply lost) is answered with what it made.
    let resent: Talk = ok(s.put(&s.team, "tk-1", &edit).await).await;
    assert_eq!(resent.version, 2);

    // Bad input, each at its field, nothing stored.
    let mut one = s.talk();
    one["inspectors"] = json!([s.inspectors[0]]);
    common::assert_invalid(
        s.put(&s.team, "tk-2", &one).await,
        "inspectors",
        Problem::TooFew { min: 2 },
    )
    .await;
    let office = xuncha_server::testkit::fixtures::Office::with(s.admin.clone(), &s.app.base);
    let mut outsider = s.talk();
    outsider["inspectors"] = json!([s.inspectors[0], office.user_id("lina").await]);
    common::assert_invalid(
        s.put(&s.team, "tk-2", &outsider).await,
        "inspectors",
        Problem::UnknownReference,
    )
    .await;
    let mut empty = s.talk();
    empty["summary"] = json!("  ");
    common::assert_invalid(
        s.put(&s.team, "tk-2", &empty).await,
        "summary",
        Problem::Required,
    )
    .await;
    let mut phantom = s.talk();
    phantom["base_version"] = json!(3);
    assert_eq!(s.put(&s.team, "tk-2", &phantom).await.status(), 404);
    let listed: Vec<Talk> = ok(s
        .team
        .get(s.app.url(&format!("/api/targets/{}/talks", s.target)))
        .send()
        .await
        .unwrap())
    .await;
    assert_eq!(listed.len(), 1, "no refused talk was stored");
}

#[tokio::test]
async fn every_read_of_a_talk_is_logged_and_the_office_and_discipline_see_who_read_it() {
    let s = setup().await;
    ok::<Talk>(s.put(&s.team, "tk-1", &s.talk()).await).await;
    ok::<Talk>(
        s.put(&s.team, "tk-2", &{
            let mut t = s.talk();
            t["private"] = json!(false);
            t
        })
        .await,
    )
    .await;
    let r = s
        .team
        .put(s.app.url("/api/talks/tk-1/files/tf-1"))
        .header("content-type", "application/pdf")
        .body(b"%PDF-1.4 signed transcript".to_vec())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let discipline = s.app.login("liuyang").await;

    let list_url = format!("/api/targets/{}/talks", s.target);
    ok::<Vec<Talk>>(s.team.get(s.app.url(&list_url)).send().await.unwrap()).await;
    ok::<Talk>(
        s.admin
            .get(s.app.url("/api/talks/tk-1"))
            .send()
            .await
            .unwrap(),
    )
    .await;
    let r = discipline
        .get(s.app.url("/api/talks/tk-1/files/tf-1"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(
        r.bytes().await.unwrap().as_ref(),
        b"%PDF-1.4 signed transcript"
    );

    // One entry for the list, naming both talks.
    let page = s.app.audit(&s.admin, "?action=talk.read").await;
    let list_entry = page
        .entries
        .iter()
        .find(|e| e.detail["endpoint"] == "GET /api/targets/{id}/talks")
        .expect("the list read is logged");
    assert_eq!(list_entry.detail["ids"], json!(["tk-1", "tk-2"]));
    assert_eq!(page.entries.len(), 3, "{:#?}", page.entries);

    for who in [&s.admin, &discipline] {
        let reads: Vec<ReadEntry> = ok(who
            .get(s.app.url("/api/talks/tk-1/reads"))
            .send()
            .await
            .unwrap())
        .await;
        let seen: Vec<(&str, &str)> = reads
            .iter()
            .map(|r| (r.actor_name.as_deref().unwrap(), r.endpoint.as_str()))
            .collect();
        assert_eq!(
            seen,
            [
                ("刘洋", "GET /api/talks/{id}/files/{file_id}"),
                ("王建国", "GET /api/talks/{id}"),
                ("张伟", "GET /api/targets/{id}/talks"),
            ],
            "newest first; discipline sees the office's read too"
        );
    }
    let tk2: Vec<ReadEntry> = ok(s
        .admin
        .get(s.app.url("/api/talks/tk-2/reads"))
        .send()
        .await
        .unwrap())
    .await;
    assert_eq!(tk2.len(), 1, "only the list showed tk-2");
    // The team does not read the log of its readers.
    assert_eq!(
        s.team
            .get(s.app.url("/api/talks/tk-1/reads"))
            .send()
            .await
            .unwrap()
            .status(),
        403
    );
    // The chain holds with the reads in it.
    let check: xuncha_api::audit::AuditCheck = ok(s
        .admin
        .get(s.app.url("/api/audit/verify"))
        .send()
        .await
        .unwrap())
    .await;
    assert_eq!(check.broken, None);
}

#[tokio::test]
async fn the_unit_another_team_and_the_public_learn_nothing_of_a_talk() {
    let s = setup().await;
    ok::<Talk>(s.put(&s.team, "tk-1", &s.talk()).await).await;
    let r = s
        .team
        .put(s.app.url("/api/talks/tk-1/files/tf-1"))
        .header("content-type", "image/jpeg")
        .body(b"\xff\xd8\xff\xe0 photo".to_vec())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let unit = s.app.login("qingshi").await;
    let other_team = s.app.login("lina").await;
    let anonymous = TestApp::client();

    // Every talk URL answers as it does for a talk that was never made.
    let urls = |talk: &str| {
        vec![
            (
                reqwest::Method::GET,
                format!("/api/targets/{}/talks", s.target),
            ),
            (reqwest::Method::GET, format!("/api/talks/{talk}")),
            (
                reqwest::Method::GET,
                format!("/api/talks/{talk}/files/tf-1"),
            ),
            (reqwest::Method::GET, format!("/api/talks/{talk}/reads")),
            (
                reqwest::Method::PUT,
                format!("/api/targets/{}/talks/{talk}", s.target),
            ),
            (
                reqwest::Method::PUT,
                format!("/api/talks/{talk}/files/tf-2"),
            ),
        ]
    };
    for (name, who, status) in [
        ("unit", &unit, 404),
        ("other team", &other_team, 404),
        ("anonymous", &anonymous, 401),
    ] {
        for ((method, real), (_, made_up)) in urls("tk-1").into_iter().zip(urls("tk-none")) {
            let send = |url: String| {
                let req = who.request(method.clone(), s.app.url(&url));
                if url.contains("/files/") {
                    req.header("content-type", "image/jpeg")
                        .body(b"\xff\xd8\xff\xe0 x".to_vec())
                } else {
                    req.json(&s.talk())
                }
            };
            let a = send(real.clone()).send().await.unwrap().status();
            let b = send(made_up).send().await.unwrap().status();
            let expected = if real.ends_with("/reads") && status == 404 {
                403 // by role, before any lookup
            } else {
                status
            };
            assert_eq!(
                (a.as_u16(), b.as_u16()),
                (expected, expected),
                "{name} {method} {real}"
            );
        }
    }

    // Nothing any of them can GET holds the talk's words; the same look finds them where they
    // belong.
    let own = s
        .team
        .get(s.app.url("/api/talks/tk-1"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(own.contains(SECRET_SUMMARY) && own.contains(PRIVATE_PERSON));
    let extra = ["tk-1".to_string(), "tf-1".to_string()];
    s.app
        .nothing_shows(
            &s.admin,
            &[
                ("unit", &unit),
                ("other team", &other_team),
                ("anonymous", &anonymous),
            ],
            &s.target,
            &extra,
            &[SECRET_SUMMARY, PRIVATE_PERSON],
        )
        .await;
}

#[tokio::test]
async fn a_finding_can_come_from_a_talk_of_the_same_target_and_names_only_its_id() {
    let s = setup().await;
    ok::<Talk>(s.put(&s.team, "tk-1", &s.talk()).await).await;
    let finding = |talk: &str, source: &str| {
        json!({ "focus": "responsibility", "title": "土地流转中收受好处费", "severity": "grave",
                "source": source, "talk_id": talk })
    };
    let url = |id: &str| {
        s.app
            .url(&format!("/api/targets/{}/findings/{id}", s.target))
    };
    let put = |id: &'static str, body: Value| {
        let req = s.team.put(url(id)).json(&body);
        async move { req.send().await.unwrap() }
    };
    common::assert_invalid(
        put("f-1", finding("tk-none", "talk")).await,
        "talk_id",
        Problem::UnknownReference,
    )
    .await;
    common::assert_invalid(
        put("f-1", finding("tk-1", "documents")).await,
        "talk_id",
        Problem::NotAllowed,
    )
    .await;
    let made: xuncha_api::findings::Finding = ok(put("f-1", finding("tk-1", "talk")).await).await;
    assert_eq!(made.talk_id.as_deref(), Some("tk-1"));
    let text = serde_json::to_string(&made).unwrap();
    assert!(
        !text.contains(PRIVATE_PERSON),
        "the finding names the talk, not who spoke"
    );
}
