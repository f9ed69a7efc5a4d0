//! Problem clues and referral: every status rule and whose move it is, the referral's number
//! and feedback day, every read logged, and nothing of a clue reaching the unit, another team or
//! the public. On SQLite, and on PostgreSQL when XUNCHA_TEST_POSTGRES is set.

mod common;

use common::TestApp;
use reqwest::{Client, StatusCode};
use serde_json::{json, Value};
use xuncha_api::audit::ReadEntry;
use xuncha_api::clues::{Clue, ClueResult, ClueStatus, Disposal, Referral, ReferralStatus};
use xuncha_api::Problem;

const MATTER: &str = "村主任在2024年土地流转中收受承包方好处费约三万元";

struct Setup {
    app: TestApp,
    admin: Client,
    leader: Client,
    member: Client,
    discipline: Client,
    target: String,
}

async fn setup() -> Setup {
    let app = TestApp::spawn().await;
    let admin = app.login("admin").await;
    // 王芳 of the demo is the team's second inspector: a talk needs two present.
    let target = app
        .round_with_target(&admin, "zhangwei", &["wangfang"])
        .await;
    Setup {
        leader: app.login("zhangwei").await,
        member: app.login("wangfang").await,
        discipline: app.login("liuyang").await,
        app,
        admin,
        target,
    }
}

fn clue() -> Value {
    json!({
        "person_name": "李某某",
        "person_post": "村委会主任",
        "person_org": "青石村",
        "matter": MATTER,
        "matter_when": "2024年3月",
        "amount_yuan": 30000,
        "source": "other",
        "seriousness": "grave"
    })
}

impl Setup {
    async fn put(&self, who: &Client, id: &str, body: &Value) -> reqwest::Response {
        who.put(
            self.app
                .url(&format!("/api/targets/{}/clues/{id}", self.target)),
        )
        .json(body)
        .send()
        .await
        .unwrap()
    }

    async fn post(&self, who: &Client, path: &str, body: Value) -> reqwest::Response {
        who.post(self.app.url(path))
            .json(&body)
            .send()
            .await
            .unwrap()
    }

    async fn status_of(&self, id: &str) -> ClueStatus {
        let c: Clue = ok(self
            .admin
            .get(self.app.url(&format!("/api/clues/{id}")))
            .send()
            .await
            .unwrap())
        .await;
        c.status
    }
}

async fn ok<T: serde::de::DeserializeOwned>(r: reqwest::Response) -> T {
    let status = r.status();
    let text = r.text().await.unwrap();
    assert!(status.is_success(), "{status}: {text}");
    serde_json::from_str(&text).unwrap()
}

fn referral(number: &str, on: &str, ids: &[&str]) -> Value {
    json!({ "number": number, "referred_on": on, "cover_letter": "现将巡察中发现的问题线索移交你委。",
            "clue_ids": ids })
}

#[tokio::test]
async fn a_clue_goes_from_the_team_through_the_office_to_discipline_by_the_rules() {
    let s = setup().await;
    // The team records it; a source that is not this target's is refused.
    let mut from_nowhere = clue();
    from_nowhere["source"] = json!("talk");
    from_nowhere["source_id"] = json!("tk-none");
    common::assert_invalid(
        s.put(&s.member, "cl-1", &from_nowhere).await,
        "source_id",
        Problem::UnknownReference,
    )
    .await;
    let made: Clue = ok(s.put(&s.member, "cl-1", &clue()).await).await;
    assert_eq!(
        (made.status, made.amount_yuan),
        (ClueStatus::Draft, Some(30000))
    );
    assert_eq!(
        s.put(&s.admin, "cl-x", &clue()).await.status(),
        403,
        "the office does not record clues"
    );

    // Only the leader proposes; the office sends it back; the leader proposes again.
    let propose = json!({ "to": "proposed" });
    let moves = "/api/clues/cl-1/moves";
    assert_eq!(
        s.post(&s.member, moves, propose.clone()).await.status(),
        403
    );
    assert_eq!(
        s.post(&s.discipline, moves, propose.clone()).await.status(),
        403
    );
    let proposed: Clue = ok(s.post(&s.leader, moves, propose.clone()).await).await;
    assert_eq!(proposed.status, ClueStatus::Proposed);
    let mut edit = clue();
    edit["matter_when"] = json!("2024年4月");
    edit["base_version"] = json!(1);
    assert_eq!(
        s.put(&s.member, "cl-1", &edit).await.status(),
        409,
        "proposed: no longer the team's text"
    );
    let back: Clue = ok(s
        .post(
            &s.admin,
            moves,
            json!({ "to": "draft", "note": "请补充金额依据" }),
        )
        .await)
    .await;
    assert_eq!(back.status, ClueStatus::Draft);
    let edited: Clue = ok(s.put(&s.member, "cl-1", &edit).await).await;
    assert_eq!(edited.version, 2);
    ok::<Clue>(s.post(&s.leader, moves, propose.clone()).await).await;
    assert_eq!(
        s.post(&s.leader, moves, propose.clone()).await.status(),
        409,
        "proposed twice"
    );

    // The office assembles a referral: proposed clues only, a number used once.
    ok::<Clue>(s.put(&s.member, "cl-2", &clue()).await).await;
    common::assert_invalid(
        s.post(
            &s.admin,
            "/api/referrals",
            referral("青岚巡移〔2026〕3号", "2026-04-20", &["cl-1", "cl-2"]),
        )
        .await,
        "clue_ids",
        Problem::NotAllowed,
    )
    .await;
    assert_eq!(
        s.post(
            &s.leader,
            "/api/referrals",
            referral("x", "2026-04-20", &["cl-1"])
        )
        .await
        .status(),
        403
    );
    let r: Referral = ok(s
        .post(
            &s.admin,
            "/api/referrals",
            referral("青岚巡移〔2026〕3号", "2026-04-20", &["cl-1"]),
        )
        .await)
    .await;
    assert_eq!(
        (r.status, r.feedback_due.to_string(), r.clues.len()),
        (ReferralStatus::Draft, "2026-07-20".to_string(), 1)
    );
    let e = common::error(
        s.post(
            &s.admin,
            "/api/referrals",
            referral("青岚巡移〔2026〕3号", "2026-04-20", &["cl-1"]),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(
        e.field.as_deref(),
        Some("clue_ids"),
        "cl-1 is in a referral already"
    );
    assert_eq!(
        s.post(&s.leader, moves, json!({ "to": "draft" }))
            .await
            .status(),
        409,
        "in a referral being assembled"
    );
    let send = format!("/api/referrals/{}/send", r.id);
    let accept = format!("/api/referrals/{}/accept", r.id);
    assert_eq!(
        s.post(&s.discipline, &accept, json!({})).await.status(),
        409,
        "not sent yet"
    );
    let sent: Referral = ok(s.post(&s.admin, &send, json!({})).await).await;
    assert_eq!(sent.status, ReferralStatus::Sent);
    assert_eq!(s.status_of("cl-1").await, ClueStatus::Referred);
    assert_eq!(
        s.post(&s.admin, &send, json!({})).await.status(),
        409,
        "sent twice"
    );

    // Referred: read-only for the team.
    edit["base_version"] = json!(2);
    edit["matter_when"] = json!("2024年5月");
    assert_eq!(s.put(&s.member, "cl-1", &edit).await.status(), 409);
    let r2 = s
        .member
        .put(s.app.url("/api/clues/cl-1/files/f-1"))
        .header("content-type", "image/jpeg")
        .body(b"\xff\xd8\xff\xe0 x".to_vec())
        .send()
        .await
        .unwrap();
    assert_eq!(r2.status(), 409);
    assert_eq!(
        s.member
            .get(s.app.url("/api/clues/cl-1"))
            .send()
            .await
            .unwrap()
            .status(),
        200
    );

    // Discipline accepts and handles; no one else does.
    let handling = "/api/clues/cl-1/handling";
    let verify =
        json!({ "disposal": "verification", "on_date": "2026-05-10", "note": "成立核实组" });
    assert_eq!(
        s.post(&s.discipline, handling, verify.clone())
            .await
            .status(),
        409,
        "not accepted yet"
    );
    assert_eq!(s.post(&s.admin, &accept, json!({})).await.status(), 403);
    ok::<Referral>(s.post(&s.discipline, &accept, json!({})).await).await;
    assert_eq!(s.status_of("cl-1").await, ClueStatus::Accepted);
    assert_eq!(
        s.post(&s.admin, handling, verify.clone()).await.status(),
        403
    );
    assert_eq!(
        s.post(&s.leader, handling, verify.clone()).await.status(),
        403
    );
    common::assert_invalid(
        s.post(&s.discipline, handling, json!({ "on_date": "2026-05-10" }))
            .await,
        "disposal",
        Problem::Required,
    )
    .await;
    let h: Clue = ok(s.post(&s.discipline, handling, verify).await).await;
    assert_eq!(
        (h.status, h.disposal),
        (ClueStatus::Handling, Some(Disposal::Verification))
    );
    let done: Clue = ok(s
        .post(
            &s.discipline,
            handling,
            json!({ "result": "party_discipline", "on_date": "2026-06-30", "note": "给予党内警告处分" }),
        )
        .await)
    .await;
    assert_eq!(
        (
            done.status,
            done.result,
            done.feedback_on.map(|d| d.to_string())
        ),
        (
            ClueStatus::Concluded,
            Some(ClueResult::PartyDiscipline),
            Some("2026-06-30".to_string())
        )
    );
    let story: Vec<(Option<ClueStatus>, ClueStatus)> = done
        .events
        .iter()
        .map(|e| (e.from_status, e.to_status))
        .collect();
    use ClueStatus::*;
    assert_eq!(
        story,
        [
            (None, Draft),
            (Some(Draft), Proposed),
            (Some(Proposed), Draft),
            (Some(Draft), Proposed),
            (Some(Proposed), Referred),
            (Some(Referred), Accepted),
            (Some(Accepted), Handling),
            (Some(Handling), Concluded),
        ]
    );
    assert_eq!(done.events[2].note, "请补充金额依据");

    // The office's view: fed back, not overdue; an old referral without feedback is.
    ok::<Clue>(s.post(&s.leader, "/api/clues/cl-2/moves", propose).await).await;
    let old: Referral = ok(s
        .post(
            &s.admin,
            "/api/referrals",
            referral("青岚巡移〔2025〕9号", "2025-01-10", &["cl-2"]),
        )
        .await)
    .await;
    ok::<Referral>(
        s.post(
            &s.admin,
            &format!("/api/referrals/{}/send", old.id),
            json!({}),
        )
        .await,
    )
    .await;
    let list: Vec<Referral> = ok(s
        .admin
        .get(s.app.url("/api/referrals"))
        .send()
        .await
        .unwrap())
    .await;
    let by_number = |n: &str| list.iter().find(|r| r.number == n).unwrap();
    let fed_back = by_number("青岚巡移〔2026〕3号");
    assert_eq!((fed_back.concluded_count, fed_back.overdue), (1, false));
    assert!(by_number("青岚巡移〔2025〕9号").overdue);
    assert!(
        list.iter().all(|r| r.clues.is_empty()),
        "the list carries counts only"
    );
    assert_eq!(
        s.leader
            .get(s.app.url("/api/referrals"))
            .send()
            .await
            .unwrap()
            .status(),
        403
    );
}

#[tokio::test]
async fn every_read_of_a_clue_is_logged_and_nothing_of_it_reaches_the_unit_or_the_public() {
    let s = setup().await;
    ok::<Clue>(s.put(&s.member, "cl-1", &clue()).await).await;
    let r = s
        .member
        .put(s.app.url("/api/clues/cl-1/files/f-1"))
        .header("content-type", "application/pdf")
        .body(b"%PDF-1.4 evidence".to_vec())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    ok::<Vec<Clue>>(
        s.leader
            .get(s.app.url(&format!("/api/targets/{}/clues", s.target)))
            .send()
            .await
            .unwrap(),
    )
    .await;
    ok::<Clue>(
        s.discipline
            .get(s.app.url("/api/clues/cl-1"))
            .send()
            .await
            .unwrap(),
    )
    .await;
    ok::<Vec<Clue>>(
        s.admin
            .get(s.app.url("/api/clues?status=draft"))
            .send()
            .await
            .unwrap(),
    )
    .await;
    let reads: Vec<ReadEntry> = ok(s
        .discipline
        .get(s.app.url("/api/clues/cl-1/reads"))
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
            ("王建国", "GET /api/clues"),
            ("刘洋", "GET /api/clues/{id}"),
            ("张伟", "GET /api/targets/{id}/clues"),
        ]
    );

    let unit = s.app.login("qingshi").await;
    let other_team = s.app.login("lina").await;
    let anonymous = TestApp::client();
    let urls = |clue: &str| {
        vec![
            (
                reqwest::Method::GET,
                format!("/api/targets/{}/clues", s.target),
            ),
            (reqwest::Method::GET, format!("/api/clues/{clue}")),
            (reqwest::Method::GET, format!("/api/clues/{clue}/files/f-1")),
            (
                reqwest::Method::PUT,
                format!("/api/targets/{}/clues/{clue}", s.target),
            ),
            (reqwest::Method::POST, format!("/api/clues/{clue}/moves")),
            (reqwest::Method::POST, format!("/api/clues/{clue}/handling")),
        ]
    };
    for (name, who, status) in [
        ("unit", &unit, 404),
        ("other team", &other_team, 404),
        ("anonymous", &anonymous, 401),
    ] {
        for ((method, real), (_, made_up)) in urls("cl-1").into_iter().zip(urls("cl-none")) {
            let send = |url: String| {
                let body = if url.ends_with("/moves") {
                    json!({ "to": "proposed" })
                } else if url.ends_with("/handling") {
                    json!({ "disposal": "closed", "on_date": "2026-05-01" })
                } else {
                    clue()
                };
                who.request(method.clone(), s.app.url(&url)).json(&body)
            };
            let a = send(real.clone()).send().await.unwrap().status();
            let b = send(made_up).send().await.unwrap().status();
            assert_eq!(
                (a.as_u16(), b.as_u16()),
                (status, status),
                "{name} {method} {real}"
            );
        }
        for url in [
            "/api/clues/cl-1/reads",
            "/api/referrals",
            "/api/clues?status=draft",
        ] {
            let got = who.get(s.app.url(url)).send().await.unwrap().status();
            let by_role = if status == 401 { 401 } else { 403 };
            assert_eq!(got, by_role, "{name} GET {url}");
        }
    }
    s.app
        .nothing_shows(
            &s.admin,
            &[
                ("unit", &unit),
                ("other team", &other_team),
                ("anonymous", &anonymous),
            ],
            &s.target,
            &["cl-1".to_string(), "f-1".to_string()],
            &[MATTER, "李某某"],
        )
        .await;
}
