//! Terms, rounds, teams, targets and the coverage ledger, over HTTP, on SQLite and PostgreSQL.

mod common;

use common::{assert_invalid, error, TestApp};
use reqwest::{Client, StatusCode};
use serde_json::{json, Value};
use xuncha_api::coverage::{CoverageCount, CoverageState, Ledger};
use xuncha_api::orgs::{OrgLevel, OrgSummary};
use xuncha_api::rounds::{Phase, Round, Target, Team, Term, UnitInspection};
use xuncha_api::users::UserView;
use xuncha_api::{ApiError, Problem};

struct World {
    app: TestApp,
    admin: Client,
    orgs: Vec<OrgSummary>,
    users: Vec<UserView>,
}

impl World {
    async fn new() -> World {
        let app = TestApp::spawn().await;
        let admin = app.login("admin").await;
        let orgs = app.orgs(&admin).await;
        let users: Vec<UserView> = admin
            .get(app.url("/api/users"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        World {
            app,
            admin,
            orgs,
            users,
        }
    }

    fn org(&self, name: &str) -> &OrgSummary {
        self.orgs
            .iter()
            .find(|o| o.name == name)
            .unwrap_or_else(|| panic!("{name}"))
    }

    fn children(&self, parent: &str) -> Vec<String> {
        let pid = &self.org(parent).id;
        self.orgs
            .iter()
            .filter(|o| o.parent_id.as_ref() == Some(pid))
            .map(|o| o.id.clone())
            .collect()
    }

    fn user(&self, username: &str) -> String {
        self.users
            .iter()
            .find(|u| u.username == username)
            .unwrap()
            .id
            .clone()
    }

    async fn post(&self, c: &Client, path: &str, body: Value) -> reqwest::Response {
        c.post(self.app.url(path)).json(&body).send().await.unwrap()
    }

    async fn get<T: serde::de::DeserializeOwned>(&self, c: &Client, path: &str) -> T {
        let r = c.get(self.app.url(path)).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::OK, "GET {path}");
        r.json().await.unwrap()
    }

    async fn term(&self, committee: &str, start: &str, end: &str) -> Term {
        let r = self
            .post(&self.admin, "/api/terms", json!({ "committee_org_id": self.org(committee).id, "name": "第十五届", "start_date": start, "end_date": end }))
            .await;
        assert_eq!(r.status(), StatusCode::OK);
        r.json().await.unwrap()
    }

    async fn round(&self, term: &Term, name: &str, kind: &str, start: &str) -> Round {
        let r = self
            .post(&self.admin, "/api/rounds", json!({ "term_id": term.id, "name": name, "kind": kind, "theme": "村集体“三资”", "start_date": start, "end_date": start }))
            .await;
        assert_eq!(r.status(), StatusCode::OK, "{:?}", r.text().await);
        r.json().await.unwrap()
    }

    async fn team(&self, round: &Round, name: &str, leader: &str, members: &[&str]) -> Team {
        let member_ids: Vec<String> = members.iter().map(|m| self.user(m)).collect();
        let r = self
            .post(&self.admin, &format!("/api/rounds/{}/teams", round.id),
                  json!({ "name": name, "leader_id": self.user(leader), "member_ids": member_ids, "contact": "0571-88001234" }))
            .await;
        assert_eq!(r.status(), StatusCode::OK);
        r.json().await.unwrap()
    }

    async fn assign(&self, round: &Round, team: &Team, org_ids: &[String]) -> reqwest::Response {
        self.post(&self.admin, &format!("/api/rounds/{}/targets", round.id),
                  json!({ "team_id": team.id, "org_ids": org_ids, "station_start": "2023-04-10", "station_end": "2023-05-20" }))
            .await
    }
}

#[tokio::test]
async fn terms_belong_to_a_committee_and_do_not_overlap() {
    let w = World::new().await;
    let r = w.post(&w.admin, "/api/terms", json!({ "committee_org_id": w.org("青石镇").id, "name": "x", "start_date": "2021-01-01", "end_date": "2025-12-31" })).await;
    assert_eq!(
        error(r, StatusCode::UNPROCESSABLE_ENTITY)
            .await
            .field
            .as_deref(),
        Some("committee_org_id")
    );
    let r = w.post(&w.admin, "/api/terms", json!({ "committee_org_id": w.org("青岚县").id, "name": "x", "start_date": "2025-01-01", "end_date": "2021-12-31" })).await;
    assert_eq!(
        error(r, StatusCode::UNPROCESSABLE_ENTITY)
            .await
            .field
            .as_deref(),
        Some("end_date")
    );
    w.term("青岚县", "2021-01-01", "2025-12-31").await;
    let r = w.post(&w.admin, "/api/terms", json!({ "committee_org_id": w.org("青岚县").id, "name": "y", "start_date": "2025-06-01", "end_date": "2030-05-31" })).await;
    assert_eq!(
        error(r, StatusCode::CONFLICT).await.field.as_deref(),
        Some("start_date")
    );
    let inspector = w.app.login("zhangwei").await;
    let r = w.post(&inspector, "/api/terms", json!({ "committee_org_id": w.org("青岚县").id, "name": "z", "start_date": "2031-01-01", "end_date": "2035-12-31" })).await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn rounds_start_inside_their_term_and_a_special_round_names_its_theme() {
    let w = World::new().await;
    let term = w.term("青岚县", "2021-01-01", "2025-12-31").await;
    let r = w.post(&w.admin, "/api/rounds", json!({ "term_id": term.id, "name": "早了", "kind": "regular", "start_date": "2020-03-01", "end_date": "2020-05-01" })).await;
    assert_eq!(
        error(r, StatusCode::UNPROCESSABLE_ENTITY)
            .await
            .field
            .as_deref(),
        Some("start_date")
    );
    let r = w.post(&w.admin, "/api/rounds", json!({ "term_id": term.id, "name": "专项", "kind": "special", "start_date": "2022-03-01", "end_date": "2022-05-01" })).await;
    assert_invalid(r, "theme", Problem::Required).await;
    let r = w.post(&w.admin, "/api/rounds", json!({ "term_id": term.id, "name": "x", "kind": "weekly", "start_date": "2022-03-01", "end_date": "2022-05-01" })).await;
    assert_eq!(
        error(r, StatusCode::UNPROCESSABLE_ENTITY)
            .await
            .field
            .as_deref(),
        Some("kind")
    );
}

#[tokio::test]
async fn phases_follow_their_order_one_step_at_a_time() {
    let w = World::new().await;
    let term = w.term("青岚县", "2021-01-01", "2025-12-31").await;
    let round = w
        .round(&term, "2023年第一轮巡察", "regular", "2023-03-01")
        .await;
    assert_eq!(round.phase, Phase::Preparation);
    let path = format!("/api/rounds/{}/phase", round.id);
    let phase = |to: &'static str| w.post(&w.admin, &path, json!({ "to": to }));

    let e = error(phase("report").await, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(
        (e.field.as_deref(), e.problem),
        (Some("to"), Some(Problem::NotAllowed))
    );
    for (to, expected) in [
        ("stationing", Phase::Stationing),
        ("report", Phase::Report),
        ("feedback", Phase::Feedback),
    ] {
        let r: Round = phase(to).await.json().await.unwrap();
        assert_eq!(r.phase, expected);
    }
    // No going back, no staying put.
    assert_eq!(
        phase("report").await.status(),
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(
        phase("feedback").await.status(),
        StatusCode::UNPROCESSABLE_ENTITY
    );
    let inspector = w.app.login("zhangwei").await;
    let r = w
        .post(
            &inspector,
            &format!("/api/rounds/{}/phase", round.id),
            json!({ "to": "rectification" }),
        )
        .await;
    assert!(r.status() == StatusCode::FORBIDDEN || r.status() == StatusCode::NOT_FOUND);
    let page = w
        .app
        .audit(
            &w.admin,
            &format!("?object_id={}&action=round.phase", round.id),
        )
        .await;
    assert_eq!(page.entries.len(), 3);
}

#[tokio::test]
async fn teams_are_formed_from_inspectors_and_an_organisation_is_a_target_once_per_round() {
    let w = World::new().await;
    let term = w.term("青岚县", "2021-01-01", "2025-12-31").await;
    let round = w
        .round(&term, "2023年第一轮巡察", "regular", "2023-03-01")
        .await;
    let r = w
        .post(
            &w.admin,
            &format!("/api/rounds/{}/teams", round.id),
            json!({ "name": "第一巡察组", "leader_id": w.user("liuyang") }),
        )
        .await;
    assert_invalid(r, "leader_id", Problem::NotAllowed).await;
    let team = w.team(&round, "第一巡察组", "zhangwei", &["lina"]).await;
    assert_eq!(team.members.len(), 2);
    assert!(team.members[0].leader);
    let r = w
        .post(
            &w.admin,
            &format!("/api/rounds/{}/teams", round.id),
            json!({ "name": "第一巡察组", "leader_id": w.user("lina") }),
        )
        .await;
    assert_eq!(
        error(r, StatusCode::CONFLICT).await.field.as_deref(),
        Some("name")
    );

    let villages = w.children("青石镇");
    assert_eq!(
        w.assign(&round, &team, &villages).await.status(),
        StatusCode::OK
    );
    // Again, with one new organisation: all refused, every duplicate named, nothing written.
    let mut again = villages.clone();
    again.insert(0, w.org("青石镇").id.clone());
    let e: ApiError = error(
        w.assign(&round, &team, &again).await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(
        e.rows.iter().map(|r| r.row).collect::<Vec<_>>(),
        vec![2, 3, 4]
    );
    assert!(e.rows.iter().all(|r| r.problem == Problem::Taken));
    let targets: Vec<Target> = w
        .get(&w.admin, &format!("/api/rounds/{}/targets", round.id))
        .await;
    assert_eq!(targets.len(), 3);
}

#[tokio::test]
async fn targets_come_from_the_committees_own_tree_and_follow_ups_from_what_was_inspected() {
    let w = World::new().await;
    let term = w.term("青岚县", "2021-01-01", "2025-12-31").await;
    let round = w
        .round(&term, "2023年第一轮巡察", "regular", "2023-03-01")
        .await;
    let team = w.team(&round, "第一巡察组", "zhangwei", &[]).await;

    // An organisation of another county is out of this committee's reach.
    let other = w
        .post(
            &w.admin,
            "/api/orgs",
            json!({ "name": "外县", "code": "990202000000", "level": "county" }),
        )
        .await;
    let other: Value = other.json().await.unwrap();
    let e = error(
        w.assign(&round, &team, &[other["id"].as_str().unwrap().to_string()])
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(e.rows[0].problem, Problem::UnknownReference);

    // A deactivated village is not inspected.
    let village = w.children("枫林街道")[0].clone();
    w.admin
        .patch(w.app.url(&format!("/api/orgs/{village}")))
        .json(&json!({ "active": false }))
        .send()
        .await
        .unwrap();
    let e = error(
        w.assign(&round, &team, &[village]).await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(e.rows[0].problem, Problem::NotAllowed);

    let qingshi = w.org("青石村").id.clone();
    let linliu = w
        .children("青石镇")
        .into_iter()
        .find(|id| *id != qingshi)
        .unwrap();
    assert_eq!(
        w.assign(&round, &team, std::slice::from_ref(&qingshi))
            .await
            .status(),
        StatusCode::OK
    );
    let follow = w
        .round(&term, "2024年巡察“回头看”", "follow_up", "2024-03-01")
        .await;
    let fteam = w.team(&follow, "回头看组", "lina", &[]).await;
    let e = error(
        w.assign(&follow, &fteam, &[linliu]).await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(e.rows[0].problem, Problem::NotAllowed);
    assert_eq!(
        w.assign(&follow, &fteam, &[qingshi]).await.status(),
        StatusCode::OK
    );
}

#[tokio::test]
async fn a_city_reaches_into_a_county_only_with_an_elevated_round() {
    let w = World::new().await;
    let city = w
        .post(
            &w.admin,
            "/api/orgs",
            json!({ "name": "江州市", "code": "990100000000", "level": "city" }),
        )
        .await;
    let city: Value = city.json().await.unwrap();
    let r = w
        .admin
        .patch(w.app.url(&format!("/api/orgs/{}", w.org("青岚县").id)))
        .json(&json!({ "parent_id": city["id"] }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let w = World {
        orgs: w.app.orgs(&w.admin).await,
        ..w
    };
    let term = w.term("江州市", "2021-01-01", "2025-12-31").await;
    let village = vec![w.org("青石村").id.clone()];

    let regular = w
        .round(&term, "市委2023年第一轮巡察", "regular", "2023-03-01")
        .await;
    let team = w.team(&regular, "市委第一巡察组", "zhangwei", &[]).await;
    let e = error(
        w.assign(&regular, &team, &village).await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(e.rows[0].problem, Problem::WrongParentLevel);
    // The county itself is the city's to inspect in a regular round.
    assert_eq!(
        w.assign(&regular, &team, &[w.org("青岚县").id.clone()])
            .await
            .status(),
        StatusCode::OK
    );

    let elevated = w
        .round(&term, "市委提级巡察", "elevated", "2023-09-01")
        .await;
    let team = w.team(&elevated, "提级巡察组", "lina", &[]).await;
    assert_eq!(
        w.assign(&elevated, &team, &village).await.status(),
        StatusCode::OK
    );
}

#[tokio::test]
async fn inspectors_see_only_their_teams_and_a_unit_sees_only_that_it_is_inspected() {
    let w = World::new().await;
    let term = w.term("青岚县", "2021-01-01", "2025-12-31").await;
    let round = w
        .round(&term, "2023年第一轮巡察", "regular", "2023-03-01")
        .await;
    let a = w.team(&round, "第一巡察组", "zhangwei", &[]).await;
    let b = w.team(&round, "第二巡察组", "lina", &[]).await;
    assert_eq!(
        w.assign(&round, &a, &w.children("青石镇")).await.status(),
        StatusCode::OK
    );
    assert_eq!(
        w.assign(&round, &b, &w.children("枫林街道")).await.status(),
        StatusCode::OK
    );

    let zhang = w.app.login("zhangwei").await;
    let rounds: Vec<Round> = w.get(&zhang, "/api/rounds").await;
    assert_eq!(rounds.len(), 1);
    // Even the count is of its own team's targets.
    assert_eq!(rounds[0].target_count, 3);
    let all: Vec<Round> = w.get(&w.admin, "/api/rounds").await;
    assert_eq!(all[0].target_count, 6);
    let teams: Vec<Team> = w
        .get(&zhang, &format!("/api/rounds/{}/teams", round.id))
        .await;
    assert_eq!(
        teams.iter().map(|t| t.name.as_str()).collect::<Vec<_>>(),
        vec!["第一巡察组"]
    );
    let targets: Vec<Target> = w
        .get(&zhang, &format!("/api/rounds/{}/targets", round.id))
        .await;
    assert!(targets.iter().all(|t| t.team_id == a.id) && targets.len() == 3);
    // The organisations it may read are its targets, no more.
    let orgs = w.app.orgs(&zhang).await;
    assert_eq!(orgs.len(), 3);
    let b_target = w.children("枫林街道")[0].clone();
    assert_eq!(
        zhang
            .get(w.app.url(&format!("/api/orgs/{b_target}")))
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        zhang
            .get(w.app.url(&format!("/api/terms/{}/ledger", term.id)))
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::FORBIDDEN
    );

    // An inspector on no team sees no round at all.
    let wang = w.app.login("wangfang").await;
    let none: Vec<Round> = w.get(&wang, "/api/rounds").await;
    assert!(none.is_empty());
    assert_eq!(
        wang.get(w.app.url(&format!("/api/rounds/{}", round.id)))
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        wang.get(w.app.url(&format!("/api/rounds/{}/targets", round.id)))
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::NOT_FOUND
    );

    // The liaison of 青石村 learns the round, the dates and the team's public contact.
    let unit = w.app.login("qingshi").await;
    assert_eq!(
        unit.get(w.app.url("/api/rounds"))
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        unit.get(w.app.url(&format!("/api/rounds/{}/teams", round.id)))
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::FORBIDDEN
    );
    let r = unit
        .get(w.app.url("/api/my/inspections"))
        .send()
        .await
        .unwrap();
    let text = r.text().await.unwrap();
    let mine: Vec<UnitInspection> = serde_json::from_str(&text).unwrap();
    assert_eq!(mine.len(), 1);
    assert_eq!(
        (mine[0].team_name.as_str(), mine[0].team_contact.as_str()),
        ("第一巡察组", "0571-88001234")
    );
    assert!(
        !text.contains("张伟") && !text.contains(&w.user("zhangwei")),
        "no member names or ids: {text}"
    );
}

#[tokio::test]
async fn the_ledger_counts_a_small_county_number_by_number() {
    let w = World::new().await;
    // Under the county: 2 townships (1 乡镇, 1 街道), 3 villages, 3 communities, 1 department,
    // 1 enterprise: 10 organisations.
    let term = w.term("青岚县", "2021-01-01", "2025-12-31").await;
    let round = w
        .round(&term, "2023年第一轮巡察", "regular", "2023-03-01")
        .await;
    let team = w.team(&round, "第一巡察组", "zhangwei", &[]).await;
    let mut orgs = w.children("青石镇");
    orgs.push(w.org("青石镇").id.clone());
    assert_eq!(
        w.assign(&round, &team, &orgs).await.status(),
        StatusCode::OK
    );

    // Half-way through the term (2023-07-02 is day 912 of 1825).
    let l: Ledger = w
        .get(
            &w.admin,
            &format!("/api/terms/{}/ledger?today=2023-07-02", term.id),
        )
        .await;
    assert_eq!((l.overall.total, l.overall.covered), (10, 4));
    assert_eq!(l.overall.percent(), 40.0);
    // Stationed, the round not yet past 反馈: covered on paper, not effectively.
    assert_eq!((l.overall.effective, l.overall.pending_feedback), (0, 4));
    let level = |lv: OrgLevel| {
        l.by_level
            .iter()
            .find(|c| c.level == lv)
            .map(|c| (c.count.total, c.count.covered))
    };
    assert_eq!(level(OrgLevel::Township), Some((1, 1)));
    assert_eq!(level(OrgLevel::Subdistrict), Some((1, 0)));
    assert_eq!(level(OrgLevel::Village), Some((3, 3)));
    assert_eq!(level(OrgLevel::Community), Some((3, 0)));
    assert_eq!(level(OrgLevel::Department), Some((1, 0)));
    assert_eq!(level(OrgLevel::Enterprise), Some((1, 0)));
    let t = |name: &str| l.townships.iter().find(|t| t.name == name).unwrap();
    assert_eq!(
        (
            t("青石镇").count.total,
            t("青石镇").count.covered,
            t("青石镇").at_risk
        ),
        (4, 4, false)
    );
    assert_eq!(
        (
            t("枫林街道").count.total,
            t("枫林街道").count.covered,
            t("枫林街道").at_risk
        ),
        (4, 0, true)
    );
    assert_eq!(l.days_total, 1825);
    assert_eq!(l.days_left, 913);
    assert!(
        (l.projected_percent - 80.0).abs() < 0.2,
        "{}",
        l.projected_percent
    );
    assert!(!l.on_track);
    // The default list is what is not yet covered.
    assert_eq!(l.orgs_matching, 6);
    assert!(l.orgs.iter().all(|o| o.covered_by.is_empty()));

    let covered: Ledger = w
        .get(
            &w.admin,
            &format!(
                "/api/terms/{}/ledger?status=covered&today=2023-07-02",
                term.id
            ),
        )
        .await;
    assert_eq!(covered.orgs_matching, 4);
    assert!(covered
        .orgs
        .iter()
        .all(|o| o.covered_by[0].round_name == "2023年第一轮巡察"));
    let communities: Ledger = w
        .get(
            &w.admin,
            &format!("/api/terms/{}/ledger?level=community", term.id),
        )
        .await;
    assert_eq!(communities.orgs_matching, 3);
    let in_town: Ledger = w
        .get(
            &w.admin,
            &format!(
                "/api/terms/{}/ledger?township_id={}",
                term.id,
                w.org("枫林街道").id
            ),
        )
        .await;
    assert_eq!(in_town.orgs_matching, 4);
    // Before the round started, nothing was covered yet.
    let before: Ledger = w
        .get(
            &w.admin,
            &format!("/api/terms/{}/ledger?today=2022-01-01", term.id),
        )
        .await;
    assert_eq!(before.overall.covered, 0);
    // Nor once the round began but before the team arrived (stationing from 2023-04-10).
    let assigned: Ledger = w
        .get(
            &w.admin,
            &format!("/api/terms/{}/ledger?today=2023-04-09", term.id),
        )
        .await;
    assert_eq!(assigned.overall.covered, 0);
    assert!(assigned.projected_percent < 1.0);

    // Discipline reads the ledger too; both exports are spreadsheets.
    let discipline = w.app.login("liuyang").await;
    let _: Ledger = w
        .get(&discipline, &format!("/api/terms/{}/ledger", term.id))
        .await;
    for path in [
        format!("/api/terms/{}/ledger.xlsx", term.id),
        format!("/api/rounds/{}/targets.xlsx", round.id),
    ] {
        let r = w.admin.get(w.app.url(&path)).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::OK);
        assert!(r.bytes().await.unwrap().starts_with(b"PK"), "{path}");
    }
    let unit = w.app.login("qingshi").await;
    assert_eq!(
        unit.get(w.app.url(&format!("/api/terms/{}/ledger", term.id)))
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::FORBIDDEN
    );
}

/// 有形 / 有效 / 待反馈 / 整改中 / 未发现问题 of a count.
fn states(c: &CoverageCount) -> (u32, u32, u32, u32, u32) {
    assert_eq!(c.covered, c.effective + c.pending_feedback + c.rectifying);
    (
        c.covered,
        c.effective,
        c.pending_feedback,
        c.rectifying,
        c.no_findings,
    )
}

#[tokio::test]
async fn the_ledger_follows_a_round_through_every_phase_with_and_without_findings() {
    let w = &World::new().await;
    let term = &w.term("青岚县", "2021-01-01", "2025-12-31").await;
    let round = w
        .round(term, "2023年第一轮巡察", "regular", "2023-03-01")
        .await;
    let team = w.team(&round, "第一巡察组", "zhangwei", &[]).await;
    // The three villages of 青石镇: 青石村 will have a finding rectified and closed, the second
    // nothing found, the third a finding still open.
    let villages = w.children("青石镇");
    assert_eq!(villages.len(), 3);
    assert_eq!(
        w.assign(&round, &team, &villages).await.status(),
        StatusCode::OK
    );
    let targets: Vec<Target> = w
        .get(&w.admin, &format!("/api/rounds/{}/targets", round.id))
        .await;
    let target = |org: &str| targets.iter().find(|t| t.org_id == org).unwrap().id.clone();
    let qingshi = w.org("青石村").id.clone();
    let (nothing, open) = {
        let others: Vec<&String> = villages.iter().filter(|v| **v != qingshi).collect();
        (others[0].clone(), others[1].clone())
    };
    let ledger = |query: &'static str| {
        let path = format!("/api/terms/{}/ledger?today=2023-07-02{query}", term.id);
        async move { w.get::<Ledger>(&w.admin, &path).await }
    };
    let overall = || async { states(&ledger("").await.overall) };

    // 准备: assigned in advance; once the stationing dates have come it counts as 有形 only.
    assert_eq!(overall().await, (3, 0, 3, 0, 0));
    let zhang = w.app.login("zhangwei").await;
    for (phase, findings_now) in [
        (Phase::Stationing, vec![&qingshi, &open]),
        (Phase::Report, vec![]),
        (Phase::Feedback, vec![]),
    ] {
        w.app.advance_round(&w.admin, &round.id, phase).await;
        for org in findings_now {
            let r = zhang
                .put(w.app.url(&format!("/api/targets/{}/findings/f-{org}", target(org))))
                .json(&json!({ "focus": "responsibility", "title": "村集体资金白条入账", "severity": "serious", "source": "documents" }))
                .send()
                .await
                .unwrap();
            assert_eq!(r.status(), StatusCode::OK);
        }
        // Findings are not settled until feedback is over: nothing is effective yet.
        assert_eq!(overall().await, (3, 0, 3, 0, 0), "{phase:?}");
        assert!(ledger("").await.no_findings.is_empty());
    }

    // 整改: fed back. Two findings without tasks are 整改中; the village with none is effective
    // and listed, with its team, under 未发现问题.
    w.app
        .advance_round(&w.admin, &round.id, Phase::Rectification)
        .await;
    let l = ledger("").await;
    assert_eq!(states(&l.overall), (3, 1, 0, 2, 1));
    assert_eq!(
        l.no_findings
            .iter()
            .map(|o| (o.org_id.as_str(), o.covered_by[0].team_name.as_str()))
            .collect::<Vec<_>>(),
        vec![(nothing.as_str(), "第一巡察组")]
    );
    let listed = |l: &Ledger| {
        let mut ids: Vec<String> = l.orgs.iter().map(|o| o.org_id.clone()).collect();
        ids.sort();
        ids
    };
    let mut both = vec![qingshi.clone(), open.clone()];
    both.sort();
    assert_eq!(listed(&ledger("&status=rectifying").await), both);
    assert_eq!(
        listed(&ledger("&status=no_findings").await),
        vec![nothing.clone()]
    );
    assert_eq!(
        listed(&ledger("&status=effective").await),
        vec![nothing.clone()]
    );
    assert!(listed(&ledger("&status=pending_feedback").await).is_empty());

    // Tasks for both findings; 青石村's is rectified and closed.
    let mut task_of = Vec::new();
    for org in [&qingshi, &open] {
        let r = zhang
            .post(w.app.url(&format!("/api/targets/{}/tasks", target(org))))
            .json(&json!([{ "finding_id": format!("f-{org}"), "measures": "补齐票据" }]))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::OK);
        let tasks: Vec<Value> = r.json().await.unwrap();
        task_of.push(tasks[0]["id"].as_str().unwrap().to_string());
    }
    assert_eq!(overall().await, (3, 1, 0, 2, 1), "tasks made, none closed");
    w.app.close_task(&zhang, &task_of[0], "").await;
    let l = ledger("&status=all").await;
    assert_eq!(states(&l.overall), (3, 2, 0, 1, 1));
    let state = |org: &str| l.orgs.iter().find(|o| o.org_id == org).unwrap().state;
    assert_eq!(
        (state(&qingshi), state(&nothing), state(&open)),
        (
            CoverageState::Effective,
            CoverageState::NoFindings,
            CoverageState::Rectifying
        )
    );
    let town = l.townships.iter().find(|t| t.name == "青石镇").unwrap();
    assert_eq!(
        (town.count.total, states(&town.count)),
        (4, (3, 2, 0, 1, 1))
    );

    // 结束: the round closing does not close the open finding.
    w.app
        .advance_round(&w.admin, &round.id, Phase::Closed)
        .await;
    assert_eq!(overall().await, (3, 2, 0, 1, 1));

    // The spreadsheet says the same and explains its columns in both languages.
    use calamine::Reader;
    let mut book = w
        .app
        .xlsx(&w.admin, &format!("/api/terms/{}/ledger.xlsx", term.id))
        .await;
    let summary = book.worksheet_range("汇总").unwrap();
    let head: Vec<String> = summary
        .rows()
        .next()
        .unwrap()
        .iter()
        .map(|c| c.to_string())
        .collect();
    let row: Vec<String> = summary
        .rows()
        .find(|r| r[0] == "青石镇")
        .unwrap()
        .iter()
        .map(|c| c.to_string())
        .collect();
    let cell = |name: &str| row[head.iter().position(|h| h == name).unwrap()].clone();
    assert_eq!(
        [
            "组织数",
            "有形覆盖",
            "有效覆盖",
            "待反馈",
            "整改中",
            "未发现问题"
        ]
        .map(cell),
        ["4", "3", "2", "0", "1", "1"]
    );
    let none_found = book.worksheet_range("未发现问题").unwrap();
    assert_eq!(none_found.rows().count(), 2, "a header and one village");
    let notes = book.worksheet_range("说明 Notes").unwrap();
    let text: Vec<String> = notes
        .rows()
        .flat_map(|r| r.iter().map(|c| c.to_string()))
        .collect();
    for word in ["有效覆盖", "走过场", "Effectively covered", "formality"] {
        assert!(text.iter().any(|t| t.contains(word)), "{word}");
    }
}

#[tokio::test]
async fn a_target_says_where_which_round_and_team_and_the_round_table_how_far_each_has_come() {
    let w = &World::new().await;
    let term = &w.term("青岚县", "2021-01-01", "2025-12-31").await;
    let round = w
        .round(term, "2023年第一轮巡察", "regular", "2023-03-01")
        .await;
    let team = w.team(&round, "第一巡察组", "zhangwei", &["lina"]).await;
    let villages = w.children("青石镇");
    assert_eq!(
        w.assign(&round, &team, &villages).await.status(),
        StatusCode::OK
    );
    let targets: Vec<Target> = w
        .get(&w.admin, &format!("/api/rounds/{}/targets", round.id))
        .await;
    // Every village of 青石镇 carries its township, nothing done yet.
    assert!(
        targets.iter().all(|t| t.township == "青石镇"),
        "{targets:?}"
    );
    assert!(targets
        .iter()
        .all(|t| t.progress == xuncha_api::rounds::TargetProgress::default()));
    let qingshi = w.org("青石村").id.clone();
    let target = targets
        .iter()
        .find(|t| t.org_id == qingshi)
        .unwrap()
        .id
        .clone();

    w.app
        .advance_round(&w.admin, &round.id, Phase::Stationing)
        .await;
    let lina = w.app.login("lina").await;
    let r = lina
        .post(w.app.url("/api/checklists/records"))
        .json(&json!({ "kind": "inspection", "target_id": target }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let record: xuncha_api::checklists::Record = r.json().await.unwrap();
    let template: xuncha_api::checklists::Template = w
        .get(
            &lina,
            &format!("/api/checklists/templates/{}", record.template_id),
        )
        .await;
    let items: Vec<String> = template
        .content
        .items()
        .map(|(_, i)| i.id.clone())
        .collect();
    let yes_no: Vec<&String> = template
        .content
        .items()
        .filter(|(_, i)| i.answer == xuncha_api::checklists::AnswerType::YesNo)
        .map(|(_, i)| &i.id)
        .take(2)
        .collect();
    let changes: Vec<Value> = yes_no
        .iter()
        .enumerate()
        .map(|(n, item)| json!({ "change_id": format!("c-{n}"), "base_version": 0, "item_id": item, "value": xuncha_api::checklists::AnswerValue::YesNo(xuncha_api::checklists::YesNo::Yes) }))
        .collect();
    let r = lina
        .post(
            w.app
                .url(&format!("/api/checklists/records/{}/changes", record.id)),
        )
        .json(&changes)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK, "{:?}", r.text().await);
    for n in 0..2 {
        let r = lina
            .put(w.app.url(&format!("/api/targets/{target}/findings/f-{n}")))
            .json(&json!({ "focus": "responsibility", "title": format!("问题{n}"), "severity": "general", "source": "documents" }))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::OK);
    }
    for phase in [Phase::Report, Phase::Feedback, Phase::Rectification] {
        w.app.advance_round(&w.admin, &round.id, phase).await;
    }
    let r = lina
        .post(w.app.url(&format!("/api/targets/{target}/tasks")))
        .json(
            &json!([{ "finding_id": "f-0", "measures": "补齐票据", "deadline": "2023-08-01" },
                      { "finding_id": "f-1", "measures": "公开账目", "deadline": "2030-01-01" }]),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK, "{:?}", r.text().await);

    let expect = xuncha_api::rounds::TargetProgress {
        record: Some(xuncha_api::rounds::RecordProgress {
            id: record.id.clone(),
            answered: 2,
            total: items.len() as i64,
            submitted: false,
        }),
        findings: 2,
        open_tasks: 2,
        overdue_tasks: 1,
    };
    for who in [&w.admin, &lina] {
        let targets: Vec<Target> = w
            .get(who, &format!("/api/rounds/{}/targets", round.id))
            .await;
        let row = targets.iter().find(|t| t.id == target).unwrap();
        assert_eq!(row.progress, expect);
        let others = targets.iter().filter(|t| t.id != target);
        assert!(others.clone().count() == 2 && others.clone().all(|t| t.progress.record.is_none()));
    }

    // The page's heading: the village, its township, the round, the team and its leader; the
    // checklist record is the team's to fill, which the office is told rather than refused.
    let detail = |c: &Client| {
        let c = c.clone();
        let path = format!("/api/targets/{target}");
        async move { w.get::<xuncha_api::rounds::TargetDetail>(&c, &path).await }
    };
    let d = detail(&w.admin).await;
    assert_eq!(
        (
            d.target.org_name.as_str(),
            d.target.township.as_str(),
            d.round_name.as_str(),
            d.target.team_name.as_str(),
            d.team_leader.as_str(),
            d.team_contact.as_str(),
            d.on_team,
            d.round_phase
        ),
        (
            "青石村",
            "青石镇",
            "2023年第一轮巡察",
            "第一巡察组",
            "张伟",
            "0571-88001234",
            false,
            Phase::Rectification
        )
    );
    assert_eq!(d.target.progress, expect);
    assert!(detail(&lina).await.on_team);
    assert!(!detail(&w.app.login("liuyang").await).await.on_team);
    // Another team's inspector and the village itself are refused.
    for who in ["wangfang", "qingshi"] {
        let c = w.app.login(who).await;
        let r = c
            .get(w.app.url(&format!("/api/targets/{target}")))
            .send()
            .await
            .unwrap();
        assert!(
            matches!(r.status(), StatusCode::FORBIDDEN | StatusCode::NOT_FOUND),
            "{who}: {}",
            r.status()
        );
    }
}
