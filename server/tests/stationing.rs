//! The stationing week of a team: the county's default policy list copied into a target's,
//! the information collected and the pre-set problems with their outcome, and the visits with
//! the tenth of the households; each written once under a device's id and edited only on its
//! latest version, read by the team, the office and discipline and by nobody else. On SQLite,
//! and on PostgreSQL when XUNCHA_TEST_POSTGRES is set.

mod common;

use common::TestApp;
use reqwest::{Client, StatusCode};
use serde_json::{json, Value};
use xuncha_api::stationing::{
    InfoSource, Outcome, PolicyDefault, PrepContent, PrepItem, Stationing, Visit,
};
use xuncha_api::Problem;

/// Whom the team plans to see: never for the unit's eyes.
const KEY_PERSON: &str = "曾反映问题的村民孙某";

struct Setup {
    app: TestApp,
    admin: Client,
    team: Client,
    target: String,
    zhang: String,
    wang: String,
}

async fn setup() -> Setup {
    let app = TestApp::spawn().await;
    let admin = app.login("admin").await;
    let target = app
        .round_with_target(&admin, "zhangwei", &["wangfang"])
        .await;
    let office = xuncha_server::testkit::fixtures::Office::with(admin.clone(), &app.base);
    let (zhang, wang) = (
        office.user_id("zhangwei").await,
        office.user_id("wangfang").await,
    );
    let team = app.login("zhangwei").await;
    Setup {
        app,
        admin,
        team,
        target,
        zhang,
        wang,
    }
}

async fn ok<T: serde::de::DeserializeOwned>(r: reqwest::Response) -> T {
    let status = r.status();
    let text = r.text().await.unwrap();
    assert!(status.is_success(), "{status}: {text}");
    serde_json::from_str(&text).unwrap()
}

impl Setup {
    async fn put(&self, who: &Client, path: &str, body: &Value) -> reqwest::Response {
        who.put(
            self.app
                .url(&format!("/api/targets/{}/{path}", self.target)),
        )
        .json(body)
        .send()
        .await
        .unwrap()
    }

    async fn read(&self, who: &Client) -> reqwest::Response {
        who.get(
            self.app
                .url(&format!("/api/targets/{}/stationing", self.target)),
        )
        .send()
        .await
        .unwrap()
    }

    async fn copy_defaults(&self) -> Vec<PrepItem> {
        ok(self
            .team
            .post(
                self.app
                    .url(&format!("/api/targets/{}/prep/copy-defaults", self.target)),
            )
            .send()
            .await
            .unwrap())
        .await
    }

    async fn default(&self, id: &str, title: &str) -> PolicyDefault {
        ok(self
            .admin
            .put(self.app.url(&format!("/api/policy-defaults/{id}")))
            .json(&json!({ "area": "farming", "title": title, "evidence": "发放花名册和银行流水" }))
            .send()
            .await
            .unwrap())
        .await
    }

    fn visit(&self, name: &str, household: bool, visited: bool) -> Value {
        if visited {
            json!({ "person_name": name, "category": "困难群众", "household": household,
                    "visited_on": "2026-03-11", "visitors": [self.zhang, self.wang],
                    "note": "反映低保评定不公开" })
        } else {
            json!({ "person_name": name, "category": "老党员", "household": household })
        }
    }
}

#[tokio::test]
async fn the_default_policies_are_copied_once_and_the_lists_keep_their_source_and_author() {
    let s = setup().await;
    let first = s.default("pd-1", "耕地地力保护补贴").await;
    s.default("pd-2", "农村低保").await;
    // A re-send of the office's edit changes nothing; an edit on an old version is refused.
    assert_eq!(s.default("pd-1", "耕地地力保护补贴").await, first);
    let stale = s
        .admin
        .put(s.app.url("/api/policy-defaults/pd-1"))
        .json(&json!({ "area": "farming", "title": "改名", "base_version": 0 }))
        .send()
        .await
        .unwrap();
    assert_eq!(
        common::error(stale, StatusCode::CONFLICT).await.problem,
        Some(Problem::Stale)
    );

    let copied = s.copy_defaults().await;
    assert_eq!(copied.len(), 2);
    assert!(copied.iter().all(|p| p.origin == "县默认清单"
        && p.created_by_name == "张伟"
        && p.default_id.is_some()));
    // Asked again (a lost reply, the second inspector): nothing twice; what the office added
    // since comes in.
    assert_eq!(s.copy_defaults().await.len(), 2);
    s.default("pd-3", "农村危房改造").await;
    assert_eq!(s.copy_defaults().await.len(), 3);

    // The target's copy is edited there; the county's list stays.
    let copy = &copied[0];
    let mut edit = json!({ "content": { "list": "policy", "area": "farming",
        "title": "耕地地力保护补贴（本村2025年）", "evidence": "补贴发放公示照片" },
        "origin": copy.origin, "base_version": copy.version });
    let edited: PrepItem = ok(s.put(&s.team, &format!("prep/{}", copy.id), &edit).await).await;
    assert_eq!(edited.version, 2);
    let defaults: Vec<PolicyDefault> = s.app.get_json(&s.admin, "/api/policy-defaults").await;
    assert!(defaults.iter().any(|d| d.title == "耕地地力保护补贴"));
    // An item stays on its list.
    edit["content"] = json!({ "list": "expected", "problem": "挪到预设问题" });
    edit["base_version"] = json!(2);
    common::assert_invalid(
        s.put(&s.team, &format!("prep/{}", copy.id), &edit).await,
        "list",
        Problem::NotAllowed,
    )
    .await;

    // Information from each office, and which have answered.
    for (id, source, answered) in [("in-1", "audit", true), ("in-2", "discipline", false)] {
        let body = json!({ "content": { "list": "information", "source": source,
            "answered": answered, "summary": "2025年审计发现集体资金往来不清" }, "origin": "函询回复" });
        ok::<PrepItem>(s.put(&s.team, &format!("prep/{id}"), &body).await).await;
    }
    let read: Stationing = ok(s.read(&s.team).await).await;
    assert_eq!((read.policies.len(), read.information.len()), (3, 2));
    assert_eq!(read.summary.sources_answered, [InfoSource::Audit]);
    assert_eq!(
        read.summary.sources_waiting.len(),
        InfoSource::ALL.len() - 1
    );

    // Removing is safe to send twice.
    for _ in 0..2 {
        let r = s
            .team
            .delete(s.app.url(&format!("/api/targets/{}/prep/in-2", s.target)))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::NO_CONTENT);
    }
    let read: Stationing = ok(s.read(&s.team).await).await;
    assert_eq!(read.information.len(), 1);
}

#[tokio::test]
async fn pre_set_problems_link_their_visits_and_finding_and_make_the_teams_hit_rate() {
    let s = setup().await;
    let problem = |outcome: &str, finding: Value, visits: Value| {
        json!({ "content": { "list": "expected", "problem": "低保评定未经民主评议",
            "checklist_items": ["p-01"], "visit_ids": visits, "outcome": outcome,
            "finding_id": finding }, "origin": "信访件" })
    };
    // The visit it names must be on this target's list first.
    common::assert_invalid(
        s.put(
            &s.team,
            "prep/ex-1",
            &problem("open", Value::Null, json!(["vi-1"])),
        )
        .await,
        "visit_ids",
        Problem::UnknownReference,
    )
    .await;
    ok::<Visit>(
        s.put(&s.team, "visits/vi-1", &s.visit(KEY_PERSON, true, false))
            .await,
    )
    .await;
    // The checklist items it names are items of the checklist the team answers.
    let mut typo = problem("open", Value::Null, json!(["vi-1"]));
    typo["content"]["checklist_items"] = json!(["p-01", "p-1"]);
    common::assert_invalid(
        s.put(&s.team, "prep/ex-1", &typo).await,
        "checklist_items",
        Problem::UnknownReference,
    )
    .await;
    let ex: PrepItem = ok(s
        .put(
            &s.team,
            "prep/ex-1",
            &problem("open", Value::Null, json!(["vi-1"])),
        )
        .await)
    .await;
    assert_eq!(ex.version, 1);

    // Confirmed names a finding of this target.
    let mut confirm = problem("confirmed", json!("f-1"), json!(["vi-1"]));
    confirm["base_version"] = json!(1);
    common::assert_invalid(
        s.put(&s.team, "prep/ex-1", &confirm).await,
        "finding_id",
        Problem::UnknownReference,
    )
    .await;
    common::assert_invalid(
        s.put(
            &s.team,
            "prep/ex-1",
            &problem("confirmed", Value::Null, json!([])),
        )
        .await,
        "finding_id",
        Problem::Required,
    )
    .await;
    ok::<Value>(
        s.put(
            &s.team,
            "findings/f-1",
            &json!({ "focus": "responsibility", "title": "低保评定未经民主评议",
                     "severity": "general", "source": "visit" }),
        )
        .await,
    )
    .await;
    let confirmed: PrepItem = ok(s.put(&s.team, "prep/ex-1", &confirm).await).await;
    assert!(matches!(
        confirmed.content,
        PrepContent::Expected { outcome: Outcome::Confirmed, finding_id: Some(ref f), .. } if f == "f-1"
    ));
    // Its reply lost, the phone sends it again: the same version. Another phone's edit made
    // on version 1 meanwhile is refused, not written over it.
    let again: PrepItem = ok(s.put(&s.team, "prep/ex-1", &confirm).await).await;
    assert_eq!(again.version, 2);
    let mut late = problem("not_checked", Value::Null, json!([]));
    late["base_version"] = json!(1);
    let r = s.put(&s.team, "prep/ex-1", &late).await;
    assert_eq!(
        common::error(r, StatusCode::CONFLICT).await.problem,
        Some(Problem::Stale)
    );

    for (id, outcome) in [
        ("ex-2", "not_confirmed"),
        ("ex-3", "not_checked"),
        ("ex-4", "open"),
    ] {
        ok::<PrepItem>(
            s.put(
                &s.team,
                &format!("prep/{id}"),
                &problem(outcome, Value::Null, json!([])),
            )
            .await,
        )
        .await;
    }
    let read: Stationing = ok(s.read(&s.team).await).await;
    let m = &read.summary;
    assert_eq!(
        (m.expected, m.confirmed, m.not_confirmed, m.not_checked),
        (4, 1, 1, 1)
    );
    // One of the two checked was found.
    assert_eq!(m.hit_rate, Some(0.5));

    // The visit taken off the list no longer tests the problem, which is a new version: an
    // edit made on the old one is a conflict, not the removed visit put back.
    let r = s
        .team
        .delete(s.app.url(&format!("/api/targets/{}/visits/vi-1", s.target)))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    let read: Stationing = ok(s.read(&s.team).await).await;
    let ex1 = read.expected.iter().find(|i| i.id == "ex-1").unwrap();
    assert_eq!(ex1.version, 3);
    assert!(matches!(
        &ex1.content,
        PrepContent::Expected { visit_ids, outcome: Outcome::Confirmed, .. } if visit_ids.is_empty()
    ));
    let mut old = problem("confirmed", json!("f-1"), json!(["vi-1"]));
    old["base_version"] = json!(2);
    let r = s.put(&s.team, "prep/ex-1", &old).await;
    assert_eq!(
        common::error(r, StatusCode::CONFLICT).await.problem,
        Some(Problem::Stale)
    );
}

#[tokio::test]
async fn visits_are_ticked_by_the_team_and_a_tenth_of_the_households_is_watched() {
    let s = setup().await;
    let qingshi = s.app.org_named(&s.admin, "青石村").await.id;
    ok::<Value>(
        s.admin
            .patch(s.app.url(&format!("/api/orgs/{qingshi}")))
            .json(&json!({ "basic": { "households": 80 } }))
            .send()
            .await
            .unwrap(),
    )
    .await;
    // Twelve on the list: seven households visited, two persons who are not households, three
    // still to see.
    for i in 0..12 {
        let (household, visited) = (i != 7 && i != 8, i < 9);
        let body = s.visit(&format!("走访对象{i}"), household, visited);
        let v: Visit = ok(s.put(&s.team, &format!("visits/vi-{i}"), &body).await).await;
        assert_eq!(v.visitors.len(), usize::from(visited) * 2);
    }
    let read: Stationing = ok(s.read(&s.team).await).await;
    let m = &read.summary;
    assert_eq!(
        (m.households, m.households_to_visit, m.households_visited),
        (Some(80), Some(8), 7)
    );
    assert_eq!((m.visits_planned, m.visits_made), (12, 9));
    assert!(m.below_share, "7 of 80 is short of a tenth");

    // The eighth household is ticked off by the team's other inspector, on the latest version.
    let wang = s.app.login("wangfang").await;
    let mut tick = s.visit("走访对象9", true, true);
    tick["base_version"] = json!(1);
    let ticked: Visit = ok(s.put(&wang, "visits/vi-9", &tick).await).await;
    assert_eq!((ticked.version, ticked.visitors.len()), (2, 2));
    let read: Stationing = ok(s.read(&s.admin).await).await;
    assert!(!read.summary.below_share);
    assert_eq!(read.summary.visit_share, Some(0.1));

    // Who went must be on the team; a visit made names who; one planned names nobody.
    let office = xuncha_server::testkit::fixtures::Office::with(s.admin.clone(), &s.app.base);
    let mut outsider = s.visit("走访对象12", true, true);
    outsider["visitors"] = json!([office.user_id("lina").await]);
    common::assert_invalid(
        s.put(&s.team, "visits/vi-12", &outsider).await,
        "visitors",
        Problem::UnknownReference,
    )
    .await;
    let mut nobody = s.visit("走访对象12", true, true);
    nobody["visitors"] = json!([]);
    common::assert_invalid(
        s.put(&s.team, "visits/vi-12", &nobody).await,
        "visitors",
        Problem::TooFew { min: 1 },
    )
    .await;
    let mut bad_day = s.visit("走访对象12", true, true);
    bad_day["visited_on"] = json!("2026-02-30");
    let r = s.put(&s.team, "visits/vi-12", &bad_day).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let read: Stationing = ok(s.read(&s.team).await).await;
    assert_eq!(read.visits.len(), 12, "nothing refused was stored");

    // One taken off the list, the removal sent twice.
    for _ in 0..2 {
        let r = s
            .team
            .delete(
                s.app
                    .url(&format!("/api/targets/{}/visits/vi-11", s.target)),
            )
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::NO_CONTENT);
    }
    let read: Stationing = ok(s.read(&s.team).await).await;
    assert_eq!(read.summary.visits_planned, 11);
    let log = s
        .app
        .audit(&s.admin, "?action=stationing.visit_removed")
        .await;
    assert_eq!(log.entries.len(), 1);
    assert!(
        !format!("{:?}", log.entries).contains("走访对象11"),
        "the log names nobody"
    );
}

#[tokio::test]
async fn a_finding_or_clue_written_from_a_visit_names_it_until_the_visit_comes_off_the_list() {
    let s = setup().await;
    ok::<Visit>(
        s.put(&s.team, "visits/vi-1", &s.visit(KEY_PERSON, true, true))
            .await,
    )
    .await;
    let finding = |visit: &str, source: &str| {
        json!({ "focus": "responsibility", "title": "低保评定不公开", "severity": "general",
                "source": source, "description": "反映低保评定不公开", "visit_id": visit })
    };
    let made: xuncha_api::findings::Finding = ok(s
        .put(&s.team, "findings/f-1", &finding("vi-1", "visit"))
        .await)
    .await;
    assert_eq!(made.visit_id.as_deref(), Some("vi-1"));
    // Sent again after a lost reply: the same finding; under another visit it is another.
    let again: xuncha_api::findings::Finding = ok(s
        .put(&s.team, "findings/f-1", &finding("vi-1", "visit"))
        .await)
    .await;
    assert_eq!(again, made);
    ok::<Visit>(
        s.put(&s.team, "visits/vi-2", &s.visit("村民乙", true, true))
            .await,
    )
    .await;
    let other = s
        .put(&s.team, "findings/f-1", &finding("vi-2", "visit"))
        .await;
    common::assert_refused(other, StatusCode::CONFLICT, "id", Problem::Taken).await;
    // A visit of no such (or another) target, or a finding not from a visit, names none.
    for (body, field, problem) in [
        (
            finding("nope", "visit"),
            "visit_id",
            Problem::UnknownReference,
        ),
        (
            finding("vi-1", "documents"),
            "visit_id",
            Problem::NotAllowed,
        ),
    ] {
        let r = s.put(&s.team, "findings/f-2", &body).await;
        common::assert_invalid(r, field, problem).await;
    }
    // The finding says nothing of whom the team saw, and keeps what it says when the visit
    // comes off the list.
    let text = s
        .team
        .get(s.app.url(&format!("/api/targets/{}/findings", s.target)))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(!text.contains(KEY_PERSON), "{text}");
    // A clue from the same visit names it as its source.
    let clue = |visit: &str| {
        json!({ "person_name": "村会计李某", "matter": "反映低保评定不公开", "source": "visit",
                "source_id": visit, "seriousness": "general" })
    };
    let made: xuncha_api::clues::Clue = ok(s.put(&s.team, "clues/cl-1", &clue("vi-1")).await).await;
    assert_eq!(made.source_id.as_deref(), Some("vi-1"));
    let r = s.put(&s.team, "clues/cl-2", &clue("nope")).await;
    common::assert_invalid(r, "source_id", Problem::UnknownReference).await;
    let r = s
        .team
        .delete(s.app.url(&format!("/api/targets/{}/visits/vi-1", s.target)))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    let found: Vec<xuncha_api::findings::Finding> = ok(s
        .team
        .get(s.app.url(&format!("/api/targets/{}/findings", s.target)))
        .send()
        .await
        .unwrap())
    .await;
    assert_eq!(found.len(), 1);
    assert_eq!(
        (found[0].visit_id.as_deref(), found[0].description.as_str()),
        (None, "反映低保评定不公开")
    );
    // The clue keeps its words, and an edit of it is not refused for naming what is gone.
    let kept: xuncha_api::clues::Clue = ok(s
        .team
        .get(s.app.url("/api/clues/cl-1"))
        .send()
        .await
        .unwrap())
    .await;
    assert_eq!(
        (kept.source_id.as_deref(), kept.matter.as_str()),
        (None, "反映低保评定不公开")
    );
    let edit = json!({ "person_name": "村会计李某", "matter": "反映低保评定不公开，涉及3户",
        "source": "visit", "seriousness": "general", "base_version": kept.version });
    ok::<xuncha_api::clues::Clue>(s.put(&s.team, "clues/cl-1", &edit).await).await;
}

impl Setup {
    async fn put_file(
        &self,
        who: &Client,
        item: &str,
        file: &str,
        ct: &str,
        bytes: &[u8],
    ) -> reqwest::Response {
        who.put(self.app.url(&format!("/api/prep/{item}/files/{file}")))
            .header("content-type", ct)
            .body(bytes.to_vec())
            .send()
            .await
            .unwrap()
    }

    async fn get_file(&self, who: &Client, item: &str, file: &str) -> reqwest::Response {
        who.get(self.app.url(&format!("/api/prep/{item}/files/{file}")))
            .send()
            .await
            .unwrap()
    }
}

#[tokio::test]
async fn an_offices_report_keeps_its_files_with_its_item_for_the_team_the_office_and_discipline() {
    let s = setup().await;
    ok::<PrepItem>(
        s.put(
            &s.team,
            "prep/in-1",
            &json!({ "content": { "list": "information", "source": "audit",
            "answered": true, "summary": "2025年审计发现白条入账3笔" }, "origin": "县审计局" }),
        )
        .await,
    )
    .await;
    let report = b"%PDF-1.7\n1 0 obj << >> endobj\n%%EOF\n";
    let sha: String = ok(s
        .put_file(&s.team, "in-1", "sf-1", "application/pdf", report)
        .await)
    .await;
    // Sent again after a lost reply: the same answer, one file.
    let again: String = ok(s
        .put_file(&s.team, "in-1", "sf-1", "application/pdf", report)
        .await)
    .await;
    assert_eq!(sha, again);
    let other = s
        .put_file(
            &s.team,
            "in-1",
            "sf-1",
            "image/jpeg",
            b"\xff\xd8\xff\xe0 another",
        )
        .await;
    common::assert_refused(other, StatusCode::CONFLICT, "file_id", Problem::Taken).await;
    let page = s
        .put_file(
            &s.team,
            "in-1",
            "sf-2",
            "application/pdf",
            b"<html>not a pdf</html>",
        )
        .await;
    common::assert_invalid(
        page,
        "file",
        Problem::BadFormat {
            expected: "application/pdf".into(),
        },
    )
    .await;
    let read: Stationing = ok(s.read(&s.team).await).await;
    let files = &read.information[0].files;
    assert_eq!(files.len(), 1);
    assert_eq!(
        (files[0].id.as_str(), files[0].content_type.as_str()),
        ("sf-1", "application/pdf")
    );
    assert_eq!(files[0].size, report.len() as i64);

    let discipline = s.app.login("liuyang").await;
    for who in [&s.team, &s.admin, &discipline] {
        let r = s.get_file(who, "in-1", "sf-1").await;
        assert_eq!(r.status(), StatusCode::OK);
        assert_eq!(r.headers()["content-disposition"], "attachment");
        assert_eq!(r.bytes().await.unwrap().as_ref(), report);
    }
    // The office and discipline read and do not add.
    let r = s
        .put_file(&s.admin, "in-1", "sf-3", "application/pdf", report)
        .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let unit = s.app.login("qingshi").await;
    let other_team = s.app.login("lina").await;
    for who in [&unit, &other_team] {
        assert_eq!(
            s.get_file(who, "in-1", "sf-1").await.status(),
            StatusCode::NOT_FOUND
        );
        let r = s
            .put_file(who, "in-1", "sf-4", "application/pdf", report)
            .await;
        assert_eq!(r.status(), StatusCode::NOT_FOUND);
    }
    // Files belong to what an office reported, not to a policy or an expected problem.
    ok::<PrepItem>(
        s.put(
            &s.team,
            "prep/ex-1",
            &json!({ "content": { "list": "expected", "problem": "白条入账" } }),
        )
        .await,
    )
    .await;
    let r = s
        .put_file(&s.team, "ex-1", "sf-5", "application/pdf", report)
        .await;
    common::assert_invalid(r, "list", Problem::NotAllowed).await;
    assert_eq!(
        s.put_file(&s.team, "nope", "sf-6", "application/pdf", report)
            .await
            .status(),
        StatusCode::NOT_FOUND
    );

    // Taking the item off the list takes its files with it, and no 500 for the reference.
    let r = s
        .team
        .delete(s.app.url(&format!("/api/targets/{}/prep/in-1", s.target)))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        s.get_file(&s.team, "in-1", "sf-1").await.status(),
        StatusCode::NOT_FOUND
    );
    let read: Stationing = ok(s.read(&s.team).await).await;
    assert!(read.information.is_empty());
}

#[tokio::test]
async fn the_unit_and_other_teams_never_learn_whom_the_team_plans_to_see() {
    let s = setup().await;
    ok::<Visit>(
        s.put(&s.team, "visits/vi-1", &s.visit(KEY_PERSON, true, false))
            .await,
    )
    .await;
    let unit = s.app.login("qingshi").await;
    let other_team = s.app.login("lina").await;
    let discipline = s.app.login("liuyang").await;
    for who in [&s.admin, &discipline] {
        let read: Stationing = ok(s.read(who).await).await;
        assert_eq!(read.visits[0].person_name, KEY_PERSON);
    }
    for who in [&unit, &other_team] {
        assert_eq!(s.read(who).await.status(), StatusCode::NOT_FOUND);
        let r = s
            .put(who, "visits/vi-2", &s.visit("冒名", true, false))
            .await;
        assert_eq!(r.status(), StatusCode::NOT_FOUND);
    }
    // The office and discipline read, and do not write the team's papers.
    for who in [&s.admin, &discipline] {
        let r = s
            .put(who, "visits/vi-3", &s.visit("办公室", true, false))
            .await;
        assert_eq!(r.status(), StatusCode::FORBIDDEN);
    }
    let r = unit
        .get(s.app.url("/api/policy-defaults"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    s.app
        .nothing_shows(
            &s.admin,
            &[("unit", &unit), ("other team", &other_team)],
            &s.target,
            &["vi-1".into()],
            &[KEY_PERSON],
        )
        .await;
}

#[tokio::test]
async fn a_fix_on_the_spot_falls_within_the_stationing_and_its_completion_shows_on_the_target_and_ledger(
) {
    let s = setup().await;
    ok::<Value>(
        s.put(
            &s.team,
            "findings/f-1",
            &json!({ "focus": "responsibility", "title": "村务公开栏内容未更新",
                     "severity": "general", "source": "visit" }),
        )
        .await,
    )
    .await;
    let create = |deadline: Value| {
        let target = s.target.clone();
        let team = s.team.clone();
        let url = s.app.url(&format!("/api/targets/{target}/tasks"));
        async move {
            team.post(url)
                .json(&json!([{ "finding_id": "f-1", "measures": "当场更新公开栏",
                               "kind": "on_the_spot", "deadline": deadline }]))
                .send()
                .await
                .unwrap()
        }
    };
    // Without a stationing period there is no "while the team is there".
    let e = common::error(create(Value::Null).await, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(
        e.rows
            .iter()
            .map(|r| (r.field.as_str(), r.problem.clone()))
            .collect::<Vec<_>>(),
        [("kind", Problem::NotAllowed)]
    );
    sqlx::query(
        "UPDATE targets SET station_start = '2026-03-09', station_end = '2026-03-20' WHERE id = $1",
    )
    .bind(&s.target)
    .execute(&s.app.state.db.pool)
    .await
    .unwrap();
    let e = common::error(
        create(json!("2026-04-30")).await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(e.rows[0].field, "deadline", "after the team has left");
    // No deadline: the last day of the stationing.
    let tasks: Vec<xuncha_api::rectification::Task> = ok(create(Value::Null).await).await;
    let task = &tasks[0];
    assert_eq!(
        (task.kind, task.deadline.to_string().as_str()),
        (xuncha_api::rectification::TaskKind::OnTheSpot, "2026-03-20")
    );
    // The liaison sees it as any task of its own, with its kind.
    let unit = s.app.login("qingshi").await;
    let mine: Vec<xuncha_api::rectification::Task> = s.app.get_json(&unit, "/api/my/tasks").await;
    assert_eq!(mine[0].kind, xuncha_api::rectification::TaskKind::OnTheSpot);

    let read: Stationing = ok(s.read(&s.team).await).await;
    assert_eq!(
        (read.summary.on_the_spot, read.summary.on_the_spot_done),
        (1, 0)
    );
    s.app.close_task(&s.team, &task.id, "公开栏已更新").await;
    let read: Stationing = ok(s.read(&s.team).await).await;
    assert_eq!(
        (read.summary.on_the_spot, read.summary.on_the_spot_done),
        (1, 1)
    );

    let rounds: Value = s.app.get_json(&s.admin, "/api/rounds").await;
    let round = rounds[0]["id"].as_str().unwrap();
    let ledger: xuncha_api::rectification::TaskLedger = s
        .app
        .get_json(&s.admin, &format!("/api/rounds/{round}/rectification"))
        .await;
    assert_eq!(
        (ledger.counts.on_the_spot, ledger.counts.on_the_spot_done),
        (1, 1)
    );
    let mut sheet = s
        .app
        .xlsx(&s.admin, &format!("/api/rounds/{round}/rectification.xlsx"))
        .await;
    use calamine::Reader;
    let range = sheet.worksheet_range("整改台账").unwrap();
    let text = format!("{:?}", range.rows().collect::<Vec<_>>());
    assert!(text.contains("立行立改"), "{text}");
    assert!(text.contains("其中立行立改 1 项，已完成 1"), "{text}");
}
