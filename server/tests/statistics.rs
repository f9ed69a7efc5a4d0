//! The statistics of a term over HTTP on SQLite and PostgreSQL, checked number by number on a
//! small set: four targets in two townships over two rounds, and who counts what.

mod common;

use common::{assert_invalid, TestApp};
use reqwest::{Client, StatusCode};
use serde_json::{json, Value};
use xuncha_api::checklists::FocusPoint;
use xuncha_api::evaluations::questions;
use xuncha_api::orgs::{OrgLevel, OrgSummary};
use xuncha_api::statistics::{ConfirmedProblem, Statistics};
use xuncha_api::Problem;

struct Set {
    app: TestApp,
    admin: Client,
    term: String,
    round_a: String,
    /// The townships of 青石村 (two targets there) and the other one (two targets).
    t1: OrgSummary,
    t2: OrgSummary,
}

async fn post(app: &TestApp, c: &Client, path: &str, body: Value) -> Value {
    let r = c.post(app.url(path)).json(&body).send().await.unwrap();
    let status = r.status();
    let answer: Value = r.json().await.unwrap();
    assert_eq!(status, StatusCode::OK, "POST {path}: {answer}");
    answer
}

async fn put(app: &TestApp, c: &Client, path: &str, body: Value) -> Value {
    let r = c.put(app.url(path)).json(&body).send().await.unwrap();
    let status = r.status();
    let answer: Value = r.json().await.unwrap();
    assert_eq!(status, StatusCode::OK, "PUT {path}: {answer}");
    answer
}

async fn finding(
    app: &TestApp,
    c: &Client,
    target: &str,
    id: &str,
    focus: &str,
    severity: &str,
    source: &str,
) {
    put(
        app,
        c,
        &format!("/api/targets/{target}/findings/{id}"),
        json!({ "focus": focus, "title": format!("问题{id}"), "severity": severity, "source": source }),
    )
    .await;
}

/// Paper ballots on one evaluation: `n` ballots, every rating 好, and `yes` answers of yes to
/// the three questions in order.
async fn paper(app: &TestApp, c: &Client, evaluation: &str, n: i64, yes: [i64; 3]) {
    let mut counts = Vec::new();
    for (key, options) in questions() {
        if options.contains(&"good") {
            counts.push(json!({ "question": key, "answer": "good", "count": n }));
        } else {
            let y = match key.as_str() {
                "know" => yes[0],
                "took_part" => yes[1],
                _ => yes[2],
            };
            counts.push(json!({ "question": key, "answer": "yes", "count": y }));
            counts.push(json!({ "question": key, "answer": "no", "count": n - y }));
        }
    }
    post(
        app,
        c,
        &format!("/api/evaluations/{evaluation}/paper"),
        json!({ "id": format!("paper-{evaluation}"), "ballots": n, "counts": counts }),
    )
    .await;
}

async fn set() -> Set {
    let app = TestApp::spawn().await;
    let admin = app.login("admin").await;
    let orgs = app.orgs(&admin).await;
    let qingshi = orgs.iter().find(|o| o.name == "青石村").unwrap().clone();
    let t1 = orgs
        .iter()
        .find(|o| Some(&o.id) == qingshi.parent_id.as_ref())
        .unwrap()
        .clone();
    let t2 = orgs
        .iter()
        .find(|o| {
            o.parent_id == t1.parent_id
                && o.id != t1.id
                && matches!(o.level, OrgLevel::Township | OrgLevel::Subdistrict)
        })
        .unwrap()
        .clone();
    let under = |t: &OrgSummary| -> Vec<String> {
        orgs.iter()
            .filter(|o| o.parent_id.as_ref() == Some(&t.id))
            .map(|o| o.id.clone())
            .collect()
    };
    let (v1, v2) = (
        qingshi.id.clone(),
        under(&t1).into_iter().find(|v| *v != qingshi.id).unwrap(),
    );
    let (v3, v4) = (under(&t2)[0].clone(), under(&t2)[1].clone());
    let county = app.org_named(&admin, "青岚县").await.id;
    let term = post(&app, &admin, "/api/terms", json!({ "committee_org_id": county, "name": "2022—2026年届", "start_date": "2022-01-01", "end_date": "2026-12-31" })).await["id"].as_str().unwrap().to_string();
    let round = |name: &str, kind: &str, start: &str, end: &str| json!({ "term_id": term, "name": name, "kind": kind, "theme": if kind == "special" { "农村集体“三资”管理" } else { "" }, "start_date": start, "end_date": end });
    let round_a = post(
        &app,
        &admin,
        "/api/rounds",
        round("2026年第一轮巡察", "regular", "2026-03-01", "2026-05-01"),
    )
    .await["id"]
        .as_str()
        .unwrap()
        .to_string();
    let round_b = post(
        &app,
        &admin,
        "/api/rounds",
        round("2026年专项巡察", "special", "2026-09-01", "2026-10-31"),
    )
    .await["id"]
        .as_str()
        .unwrap()
        .to_string();
    let office = xuncha_server::testkit::fixtures::Office::with(admin.clone(), &app.base);
    let (zhang, lina) = (
        office.user_id("zhangwei").await,
        office.user_id("lina").await,
    );
    let mut targets = Vec::new();
    for (round, team, leader, orgs) in [
        (&round_a, "第一巡察组", &zhang, vec![v1.clone(), v2.clone()]),
        (&round_a, "第二巡察组", &lina, vec![v3.clone()]),
        (&round_b, "第一巡察组", &lina, vec![v4.clone()]),
    ] {
        let team = post(
            &app,
            &admin,
            &format!("/api/rounds/{round}/teams"),
            json!({ "name": team, "leader_id": leader }),
        )
        .await;
        let made = post(
            &app,
            &admin,
            &format!("/api/rounds/{round}/targets"),
            json!({ "team_id": team["id"], "org_ids": orgs }),
        )
        .await;
        for t in made.as_array().unwrap() {
            targets.push((
                t["org_id"].as_str().unwrap().to_string(),
                t["id"].as_str().unwrap().to_string(),
            ));
        }
    }
    let target = |org: &str| targets.iter().find(|(o, _)| o == org).unwrap().1.clone();
    let (g1, g2, g3, g4) = (target(&v1), target(&v2), target(&v3), target(&v4));

    let zhangwei = app.login("zhangwei").await;
    let lina = app.login("lina").await;
    finding(
        &app,
        &zhangwei,
        &g1,
        "f-1",
        "responsibility",
        "serious",
        "documents",
    )
    .await;
    finding(
        &app, &zhangwei, &g1, "f-2", "policies", "general", "petition",
    )
    .await;
    finding(
        &app,
        &zhangwei,
        &g2,
        "f-3",
        "responsibility",
        "general",
        "talk",
    )
    .await;
    finding(
        &app,
        &lina,
        &g3,
        "f-4",
        "organisation",
        "grave",
        "documents",
    )
    .await;
    finding(
        &app,
        &lina,
        &g4,
        "f-5",
        "responsibility",
        "general",
        "visit",
    )
    .await;

    // 青石村: one task overdue on 2026-06-01, one closed; the other township: one not yet due.
    let tasks = post(
        &app,
        &zhangwei,
        &format!("/api/targets/{g1}/tasks"),
        json!([
        { "finding_id": "f-1", "measures": "补齐票据", "deadline": "2026-04-30" },
        { "finding_id": "f-2", "measures": "重新评议低保对象", "deadline": "2026-12-31" }]),
    )
    .await;
    app.close_task(&zhangwei, tasks[1]["id"].as_str().unwrap(), "已重新评议")
        .await;
    post(
        &app,
        &lina,
        &format!("/api/targets/{g3}/tasks"),
        json!([
        { "finding_id": "f-4", "measures": "调整班子分工", "deadline": "2026-12-31" }]),
    )
    .await;

    for (id, channel) in [("p-1", "phone"), ("p-2", "letter")] {
        put(
            &app,
            &zhangwei,
            &format!("/api/targets/{g1}/petitions/{id}"),
            json!({
            "channel": channel, "received_on": "2026-03-12", "content": "反映低保评定不公" }),
        )
        .await;
    }
    put(&app, &zhangwei, "/api/petitions/p-2/triage", json!({
        "outcome": "no_action", "reason": "不属于受理范围", "status": "concluded", "public_answer": "经核实，不属于本次巡察受理范围。", "base_version": 1 }))
    .await;
    put(&app, &zhangwei, &format!("/api/targets/{g1}/clues/c-1"), json!({
        "person_name": "李某某", "matter": "虚报冒领补贴资金", "source": "other", "seriousness": "grave" }))
    .await;

    // 青石村's evaluation counts (4 of threshold 3); the other's (2 of 5) shows nowhere.
    let e1 = post(
        &app,
        &zhangwei,
        &format!("/api/targets/{g1}/evaluations"),
        json!({ "title": "民主测评", "codes": 3, "threshold": 3 }),
    )
    .await;
    paper(
        &app,
        &zhangwei,
        e1["evaluation"]["id"].as_str().unwrap(),
        4,
        [3, 2, 4],
    )
    .await;
    let e3 = post(
        &app,
        &lina,
        &format!("/api/targets/{g3}/evaluations"),
        json!({ "title": "民主测评", "codes": 3 }),
    )
    .await;
    paper(
        &app,
        &lina,
        e3["evaluation"]["id"].as_str().unwrap(),
        2,
        [2, 2, 2],
    )
    .await;

    Set {
        app,
        admin,
        term,
        round_a,
        t1,
        t2,
    }
}

impl Set {
    async fn stats(&self, who: &Client, query: &str) -> Statistics {
        let r = who
            .get(self.app.url(&format!(
                "/api/terms/{}/statistics?today=2026-06-01&{query}",
                self.term
            )))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::OK, "{query}");
        r.json().await.unwrap()
    }
}

fn focus(s: &Statistics, f: FocusPoint) -> (u32, Vec<u32>) {
    let row = s.by_focus.iter().find(|r| r.focus == f).unwrap();
    (row.total, row.by_township.clone())
}

#[tokio::test]
async fn every_figure_counts_what_the_reader_reaches_and_the_filters_keep() {
    let s = set().await;
    let all = s.stats(&s.admin, "").await;
    assert!(!all.own_targets_only);
    assert_eq!((all.targets, all.findings), (4, 5));
    assert_eq!(all.rounds.len(), 2);
    // Townships are columns in name order; find each one's.
    let names: Vec<&str> = all.townships.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(names.len(), 2);
    let i1 = all.townships.iter().position(|t| t.id == s.t1.id).unwrap();
    let i2 = 1 - i1;
    let per = |a: u32, b: u32| {
        let mut v = vec![0; 2];
        v[i1] = a;
        v[i2] = b;
        v
    };
    assert_eq!(focus(&all, FocusPoint::Responsibility), (3, per(2, 1)));
    assert_eq!(focus(&all, FocusPoint::Policies), (1, per(1, 0)));
    assert_eq!(focus(&all, FocusPoint::Organisation), (1, per(0, 1)));
    assert_eq!(focus(&all, FocusPoint::Rectification), (0, per(0, 0)));
    let sev: Vec<(&str, u32)> = all
        .by_severity
        .iter()
        .map(|c| (c.severity.as_str(), c.count))
        .collect();
    assert_eq!(sev, [("general", 3), ("serious", 1), ("grave", 1)]);
    let src: Vec<(&str, u32)> = all
        .by_source
        .iter()
        .map(|c| (c.source.as_str(), c.count))
        .collect();
    assert_eq!(
        src,
        [
            ("checklist", 0),
            ("documents", 2),
            ("talk", 1),
            ("visit", 1),
            ("petition", 1)
        ]
    );

    let r = &all.rectification;
    assert_eq!(
        (r.total, r.closed, r.overdue, r.rate_percent),
        (3, 1, 1, Some(33.3))
    );
    let by_t = &all.rectification_by_township;
    assert_eq!(by_t[i1].township.id, s.t1.id);
    assert_eq!(
        (
            by_t[i1].figures.total,
            by_t[i1].figures.closed,
            by_t[i1].figures.rate_percent
        ),
        (2, 1, Some(50.0))
    );
    assert_eq!(
        (
            by_t[i2].figures.total,
            by_t[i2].figures.closed,
            by_t[i2].figures.rate_percent
        ),
        (1, 0, Some(0.0))
    );
    let closed = all
        .tasks_by_status
        .iter()
        .find(|c| c.status.as_str() == "closed")
        .unwrap();
    assert_eq!(closed.count, 1);
    let days = all.average_days_to_close.expect("one task closed");
    assert!((0.0..1.0).contains(&days), "{days}");

    assert_eq!(all.petitions, 2);
    let ch: Vec<(&str, i64)> = all
        .petitions_by_channel
        .iter()
        .filter(|c| c.count > 0)
        .map(|c| (c.channel.as_str(), c.count))
        .collect();
    assert_eq!(ch, [("phone", 1), ("letter", 1)]);
    let out: Vec<(Option<&str>, i64)> = all
        .petitions_by_outcome
        .iter()
        .map(|c| (c.outcome.map(|o| o.as_str()), c.count))
        .collect();
    assert_eq!(out, [(None, 1), (Some("no_action"), 1)]);
    assert_eq!((all.clues, all.clues_referred), (1, 0));

    // 4 ballots: 3 knew, 2 took part, all 4 satisfied; the evaluation below its threshold
    // adds nothing, and its township has no row.
    let rt = &all.rates;
    assert_eq!((rt.evaluations, rt.responses), (1, 4));
    assert_eq!(
        (rt.know_rate, rt.part_rate, rt.satisfied_rate),
        (Some(75.0), Some(50.0), Some(100.0))
    );
    assert_eq!(all.rates_by_township.len(), 1);
    assert_eq!(all.rates_by_township[0].township.id, s.t1.id);

    // Coverage is the ledger's own figure.
    let ledger: xuncha_api::coverage::Ledger = s
        .app
        .get_json(
            &s.admin,
            &format!("/api/terms/{}/ledger?today=2026-06-01", s.term),
        )
        .await;
    assert_eq!(all.coverage.as_ref(), Some(&ledger.overall));
    assert_eq!(
        all.coverage.as_ref().unwrap().covered,
        3,
        "round B has not started by June"
    );

    // Filters: a township, a kind, a round, a period.
    let t2 = s.stats(&s.admin, &format!("township_id={}", s.t2.id)).await;
    assert_eq!(
        (
            t2.targets,
            t2.findings,
            t2.rectification.total,
            t2.petitions
        ),
        (2, 2, 1, 0)
    );
    assert_eq!(t2.townships.len(), 1);
    let ledger_t2 = ledger
        .townships
        .iter()
        .find(|t| t.org_id == s.t2.id)
        .unwrap();
    assert_eq!(t2.coverage.as_ref(), Some(&ledger_t2.count));
    let special = s.stats(&s.admin, "kind=special").await;
    assert_eq!((special.targets, special.findings), (1, 1));
    assert_eq!(focus(&special, FocusPoint::Responsibility).0, 1);
    let a = s.stats(&s.admin, &format!("round_id={}", s.round_a)).await;
    assert_eq!((a.targets, a.findings), (3, 4));
    let autumn = s.stats(&s.admin, "from=2026-06-01&to=2026-12-31").await;
    assert_eq!((autumn.targets, autumn.findings), (1, 1));
    let r = s
        .admin
        .get(s.app.url(&format!(
            "/api/terms/{}/statistics?from=2026-06-01&to=2026-05-01",
            s.term
        )))
        .send()
        .await
        .unwrap();
    assert_invalid(r, "to", Problem::NotAllowed).await;

    // Discipline reads it all.
    let discipline = s.app.login("liuyang").await;
    assert_eq!(s.stats(&discipline, "").await.findings, 5);

    // A team leader counts only their teams' targets, and sees no coverage.
    let zhang = s.app.login("zhangwei").await;
    let mine = s.stats(&zhang, "").await;
    assert!(mine.own_targets_only);
    assert_eq!(
        (
            mine.targets,
            mine.findings,
            mine.rectification.total,
            mine.petitions,
            mine.clues
        ),
        (2, 3, 2, 2, 1)
    );
    assert_eq!(mine.rounds.len(), 1);
    assert!(mine.coverage.is_none());
    let lina = s.app.login("lina").await;
    let hers = s.stats(&lina, "").await;
    assert_eq!(
        (
            hers.targets,
            hers.findings,
            hers.rectification.total,
            hers.rates.evaluations
        ),
        (2, 2, 1, 0)
    );
    assert_eq!(hers.rounds.len(), 2);

    // An inspector on no team of the term does not learn it exists; the unit reads none.
    let wang = s.app.login("wangfang").await;
    let unit = s.app.login("qingshi").await;
    for (who, status) in [
        (&wang, StatusCode::NOT_FOUND),
        (&unit, StatusCode::FORBIDDEN),
    ] {
        for path in ["statistics", "statistics.xlsx"] {
            let r = who
                .get(s.app.url(&format!("/api/terms/{}/{path}", s.term)))
                .send()
                .await
                .unwrap();
            assert_eq!(r.status(), status, "{path}");
        }
    }
}

#[tokio::test]
async fn the_workbook_holds_the_figures_of_the_page() {
    use calamine::{Data, Reader};
    let s = set().await;
    let mut book = s
        .app
        .xlsx(
            &s.admin,
            &format!("/api/terms/{}/statistics.xlsx?today=2026-06-01", s.term),
        )
        .await;
    assert_eq!(
        book.sheet_names(),
        ["问题", "整改", "覆盖", "信访与线索", "三率"]
    );
    let rows = |book: &mut calamine::Xlsx<_>, name: &str| -> Vec<Vec<Data>> {
        book.worksheet_range(name)
            .unwrap()
            .rows()
            .map(|r| r.to_vec())
            .collect()
    };
    let row_of = |rows: &[Vec<Data>], label: &str| -> Vec<Data> {
        rows.iter()
            .find(|r| r[0] == label)
            .unwrap_or_else(|| panic!("{label}"))
            .clone()
    };
    let findings = rows(&mut book, "问题");
    let policies = row_of(
        &findings,
        FocusPoint::Responsibility.label(xuncha_api::Lang::Zh),
    );
    assert_eq!(policies[1], Data::Float(3.0));
    assert_eq!(row_of(&findings, "严重")[1], Data::Float(1.0));
    let rect = rows(&mut book, "整改");
    let total = row_of(&rect, "合计");
    assert_eq!(
        &total[1..5],
        [
            Data::Float(3.0),
            Data::Float(1.0),
            Data::Float(33.3),
            Data::Float(1.0)
        ]
    );
    let rates = rows(&mut book, "三率");
    assert_eq!(row_of(&rates, "合计")[3], Data::Float(75.0));
    // A team's workbook has no coverage sheet.
    let zhang = s.app.login("zhangwei").await;
    let book = s
        .app
        .xlsx(&zhang, &format!("/api/terms/{}/statistics.xlsx", s.term))
        .await;
    assert!(!book.sheet_names().contains(&"覆盖".to_string()));
}

#[tokio::test]
async fn findings_alike_across_villages_are_grouped_as_the_reader_reaches_them() {
    let s = set().await;
    // (organisation, township, target) of every target of the term.
    let mut targets: Vec<(String, String, String)> = Vec::new();
    let rounds: Vec<Value> = s.app.get_json(&s.admin, "/api/rounds").await;
    for r in rounds {
        let list: Vec<Value> = s
            .app
            .get_json(
                &s.admin,
                &format!("/api/rounds/{}/targets", r["id"].as_str().unwrap()),
            )
            .await;
        for t in list {
            let text = |k: &str| t[k].as_str().unwrap_or_default().to_string();
            targets.push((text("org_name"), text("township"), text("id")));
        }
    }
    let zhang = s.app.login("zhangwei").await;
    let lina = s.app.login("lina").await;
    let qingshi = targets.iter().find(|t| t.0 == "青石村").unwrap().2.clone();
    let neighbour = targets
        .iter()
        .find(|t| t.1 == s.t1.name && t.0 != "青石村")
        .unwrap()
        .2
        .clone();
    let other: Vec<String> = targets
        .iter()
        .filter(|t| t.1 == s.t2.name)
        .map(|t| t.2.clone())
        .collect();
    for (who, target, id, focus, title) in [
        (
            &zhang,
            &qingshi,
            "g-1",
            "responsibility",
            "村集体资金白条入账",
        ),
        (
            &zhang,
            &neighbour,
            "g-2",
            "responsibility",
            "部分村级支出以白条列支入账",
        ),
        (
            &zhang,
            &qingshi,
            "g-3",
            "responsibility",
            "村务公开栏长期未更新",
        ),
        (
            &lina,
            &other[0],
            "g-4",
            "organisation",
            "发展党员程序不规范",
        ),
        (
            &lina,
            &other[1],
            "g-5",
            "organisation",
            "发展党员未按规定公示，程序不规范",
        ),
    ] {
        put(
            &s.app,
            who,
            &format!("/api/targets/{target}/findings/{id}"),
            json!({ "focus": focus, "title": title, "severity": "general", "source": "documents" }),
        )
        .await;
    }
    let groups = |who: &Client, query: &str| {
        let url = s
            .app
            .url(&format!("/api/terms/{}/common-problems?{query}", s.term));
        let who = who.clone();
        async move {
            let r = who.get(url).send().await.unwrap();
            assert_eq!(r.status(), StatusCode::OK);
            r.json::<xuncha_api::statistics::CommonProblems>()
                .await
                .unwrap()
        }
    };
    let find = |c: &xuncha_api::statistics::CommonProblems, id: &str| {
        c.groups
            .iter()
            .find(|g| g.findings.iter().any(|f| f.id == id))
            .cloned()
    };
    let all = groups(&s.admin, "").await;
    assert_eq!(all.threshold, 0.2);
    assert_eq!(all.findings, 10);
    let baitiao = find(&all, "g-1").expect("白条 grouped");
    let mut ids: Vec<&str> = baitiao.findings.iter().map(|f| f.id.as_str()).collect();
    ids.sort();
    assert_eq!(ids, ["g-1", "g-2"]);
    assert_eq!((baitiao.count, baitiao.organisations), (2, 2));
    assert_eq!(baitiao.townships, vec![s.t1.name.clone()]);
    assert_eq!(baitiao.focus, FocusPoint::Responsibility);
    let party = find(&all, "g-4").expect("发展党员 grouped");
    assert_eq!(party.count, 2);
    assert_eq!(party.focus, FocusPoint::Organisation);
    // Found in one village only: no common problem.
    assert!(find(&all, "g-3").is_none());
    // Strict enough, nothing of different words is put together.
    let strict = groups(&s.admin, "threshold=0.95").await;
    assert!(find(&strict, "g-1").is_none());
    // A team groups only its own targets' findings; a filter narrows as on the statistics.
    let mine = groups(&zhang, "").await;
    assert!(find(&mine, "g-1").is_some() && find(&mine, "g-4").is_none());
    let t2 = groups(&s.admin, &format!("township_id={}", s.t2.id)).await;
    assert!(find(&t2, "g-4").is_some() && find(&t2, "g-1").is_none());
    // A threshold out of range is the field at fault.
    let r = s
        .admin
        .get(s.app.url(&format!(
            "/api/terms/{}/common-problems?threshold=2",
            s.term
        )))
        .send()
        .await
        .unwrap();
    assert_invalid(r, "threshold", Problem::OutOfRange { min: 0, max: 1 }).await;
    let unit = s.app.login("qingshi").await;
    let r = unit
        .get(s.app.url(&format!("/api/terms/{}/common-problems", s.term)))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);

    // The office confirms the 白条 group as a 共性问题 for the department concerned.
    let confirm = json!({ "label": baitiao.label, "focus": "responsibility", "department": "县农业农村局",
        "suggestion": "", "finding_ids": ["g-1", "g-2"], "threshold": 0.2 });
    let path = format!("/api/terms/{}/common-problems/cp-1", s.term);
    let first: ConfirmedProblem =
        serde_json::from_value(put(&s.app, &s.admin, &path, confirm.clone()).await).unwrap();
    assert_eq!(
        (first.organisations, first.added, first.findings.len()),
        (2, 0, 2)
    );
    assert_eq!(first.department, "县农业农村局");
    // Sent again after its reply was lost: the same problem, logged once.
    let again: ConfirmedProblem =
        serde_json::from_value(put(&s.app, &s.admin, &path, confirm.clone()).await).unwrap();
    assert_eq!(again, first);
    let logged: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM audit_log WHERE object_id = 'cp-1' AND action LIKE 'common_problem.%'",
    )
    .fetch_one(&s.app.state.db.pool)
    .await
    .unwrap();
    assert_eq!(logged, 1);
    // The grouping shows the group as confirmed, to the office; a team is not told.
    let marked = groups(&s.admin, "").await;
    assert_eq!(
        find(&marked, "g-1").unwrap().confirmed.as_deref(),
        Some("cp-1")
    );
    assert_eq!(
        find(&groups(&zhang, "").await, "g-1").unwrap().confirmed,
        None
    );

    // A finding of the same problem recorded later, in the other township, joins it.
    put(
        &s.app,
        &lina,
        &format!("/api/targets/{}/findings/g-6", other[0]),
        json!({ "focus": "responsibility", "title": "村级支出白条入账问题突出", "severity": "general", "source": "documents" }),
    )
    .await;
    let later: ConfirmedProblem = s.app.get_json(&s.admin, "/api/common-problems/cp-1").await;
    assert_eq!(later.added, 1);
    assert_eq!(later.findings.last().unwrap().id, "g-6");
    assert_eq!(later.organisations, 3);
    assert_eq!(later.townships.len(), 2);
    let listed: Vec<ConfirmedProblem> = s
        .app
        .get_json(
            &s.admin,
            &format!("/api/terms/{}/confirmed-problems", s.term),
        )
        .await;
    assert_eq!(listed, vec![later.clone()]);

    // Discipline reads it; no team, no unit, and only the office confirms.
    let liuyang = s.app.login("liuyang").await;
    for (who, method, want) in [
        (&liuyang, "GET", StatusCode::OK),
        (&zhang, "GET", StatusCode::FORBIDDEN),
        (&unit, "GET", StatusCode::FORBIDDEN),
        (&liuyang, "PUT", StatusCode::FORBIDDEN),
        (&zhang, "PUT", StatusCode::FORBIDDEN),
    ] {
        let r = if method == "GET" {
            who.get(s.app.url("/api/common-problems/cp-1"))
        } else {
            who.put(s.app.url(&path)).json(&confirm)
        };
        assert_eq!(r.send().await.unwrap().status(), want, "{method}");
    }

    // A mistake is said at its field and stores nothing.
    for (change, field, problem) in [
        (
            json!({ "department": "  " }),
            "department",
            Problem::Required,
        ),
        (
            json!({ "finding_ids": ["g-1", "g-3"] }),
            "finding_ids",
            Problem::TooFew { min: 2 },
        ),
        (
            json!({ "finding_ids": ["g-1", "nope"] }),
            "finding_ids",
            Problem::UnknownReference,
        ),
        (
            json!({ "threshold": 0.01 }),
            "threshold",
            Problem::OutOfRange { min: 0, max: 1 },
        ),
    ] {
        let mut body = confirm.clone();
        for (k, v) in change.as_object().unwrap() {
            body[k] = v.clone();
        }
        let r = s
            .admin
            .put(
                s.app
                    .url(&format!("/api/terms/{}/common-problems/cp-2", s.term)),
            )
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_invalid(r, field, problem).await;
    }
    let r = s
        .admin
        .get(s.app.url("/api/common-problems/cp-2"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);

    // The notice to the department, as Word reads it.
    let r = s
        .admin
        .get(s.app.url("/api/common-problems/cp-1/notice.docx"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(
        r.headers()["content-type"],
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    );
    let bytes = r.bytes().await.unwrap();
    let text = xuncha_server::documents::paragraphs(&bytes).unwrap();
    assert_eq!(text[0], format!("关于{}问题的通报", baitiao.label));
    assert!(text.contains(&"县农业农村局：".to_string()), "{text:#?}");
    assert!(
        text.iter()
            .any(|t| t.contains("在3个村（社区）发现同类问题3个，涉及2个乡镇（街道）")),
        "{text:#?}"
    );
    assert!(text
        .iter()
        .any(|t| t.contains("村级支出白条入账问题突出。")));
    assert!(!text.iter().any(|t| t.contains("发展党员")));
}
