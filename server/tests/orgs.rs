//! The organisation tree: who reads and edits which organisation, changes to the tree, and the .xlsx import and export.
//! On SQLite, and on PostgreSQL when XUNCHA_TEST_POSTGRES is set.

mod common;

use common::{assert_invalid, error, TestApp};
use reqwest::StatusCode;
use serde_json::json;
use xuncha_api::orgs::{ImportReport, OrgDetail, OrgLevel, OrgNode, OrgSearchPage};
use xuncha_api::Problem;

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
    assert_invalid(r, "parent_id", Problem::WrongParentLevel).await;

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

// ---- the tree a level at a time, and search on the server ----

async fn nodes(app: &TestApp, c: &reqwest::Client, path: &str) -> Vec<OrgNode> {
    let r = c.get(app.url(path)).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK, "{path}");
    r.json().await.unwrap()
}

async fn found(app: &TestApp, c: &reqwest::Client, query: &str) -> OrgSearchPage {
    let r = c
        .get(app.url(&format!("/api/orgs/search?{query}")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK, "{query}");
    r.json().await.unwrap()
}

#[tokio::test]
async fn the_office_loads_the_tree_a_level_at_a_time_and_a_county_in_one_request() {
    let app = TestApp::spawn().await;
    let admin = app.login("admin").await;
    let all = app.orgs(&admin).await;

    let top = nodes(&app, &admin, "/api/orgs/children").await;
    assert_eq!(top.len(), 1);
    let county = &top[0];
    assert_eq!(county.org.level, OrgLevel::County);
    let level = nodes(
        &app,
        &admin,
        &format!("/api/orgs/children?parent={}", county.org.id),
    )
    .await;
    assert_eq!(county.children as usize, level.len());
    // Each node counts its children, which is what the next request returns.
    for n in &level {
        let under = all
            .iter()
            .filter(|o| o.parent_id.as_deref() == Some(&n.org.id))
            .count();
        assert_eq!(n.children as usize, under, "{}", n.org.name);
    }
    let township = level
        .iter()
        .find(|n| n.org.level == OrgLevel::Township)
        .unwrap();
    assert_eq!(township.children, 3);
    let villages = nodes(
        &app,
        &admin,
        &format!("/api/orgs/children?parent={}", township.org.id),
    )
    .await;
    assert!(villages.iter().all(|v| v.children == 0));

    // The county's whole tree in one request: the same organisations as the full list.
    let tree = nodes(
        &app,
        &admin,
        &format!("/api/orgs/{}/subtree", county.org.id),
    )
    .await;
    let mut ids: Vec<&str> = tree.iter().map(|n| n.org.id.as_str()).collect();
    let mut every: Vec<&str> = all.iter().map(|o| o.id.as_str()).collect();
    ids.sort();
    every.sort();
    assert_eq!(ids, every);
    let one = nodes(
        &app,
        &admin,
        &format!("/api/orgs/{}/subtree", villages[0].org.id),
    )
    .await;
    assert_eq!(one.len(), 1);

    for path in [
        "/api/orgs/children?parent=no-such-org".to_string(),
        "/api/orgs/no-such-org/subtree".to_string(),
    ] {
        let r = admin.get(app.url(&path)).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::NOT_FOUND, "{path}");
    }
}

#[tokio::test]
async fn search_on_the_server_finds_by_name_initials_and_code_a_page_at_a_time() {
    let app = TestApp::spawn().await;
    let admin = app.login("admin").await;
    let qingshi = app.org_named(&admin, "青石村").await;

    let page = found(&app, &admin, "q=青石村").await;
    assert_eq!(page.hits[0].org.id, qingshi.id, "the exact name first");
    assert_eq!(page.hits[0].path.len(), 2, "county and township above it");
    assert_eq!(
        found(&app, &admin, "q=qsc").await.hits[0].org.id,
        qingshi.id
    );
    let by_code = found(&app, &admin, &format!("q={}", qingshi.code)).await;
    assert_eq!(by_code.hits[0].org.id, qingshi.id);
    // What is typed is text: % and _ are no wildcards.
    assert!(found(&app, &admin, "q=%25").await.hits.is_empty());

    // Page by page, the same hits in the same order as one large page.
    let orgs = app.orgs(&admin).await;
    let county = orgs.iter().find(|o| o.level == OrgLevel::County).unwrap();
    let county_code = county.code[..4].to_string();
    let whole = found(&app, &admin, &format!("q={county_code}&limit=200")).await;
    assert!(whole.next.is_none());
    assert!(whole.hits.len() > 5);
    let mut paged = Vec::new();
    let mut after: Option<String> = None;
    loop {
        let q = match &after {
            Some(a) => format!("q={county_code}&limit=2&after={a}"),
            None => format!("q={county_code}&limit=2"),
        };
        let page = found(&app, &admin, &q).await;
        assert!(page.hits.len() <= 2);
        paged.extend(page.hits.into_iter().map(|h| h.org.id));
        match page.next {
            Some(n) => after = Some(n),
            None => break,
        }
    }
    let whole_ids: Vec<String> = whole.hits.into_iter().map(|h| h.org.id).collect();
    assert_eq!(paged, whole_ids);

    for (query, field) in [
        ("q=%20", "q"),
        ("q=x&limit=0", "limit"),
        ("q=x&limit=201", "limit"),
        ("q=x&after=nonsense", "after"),
    ] {
        let r = admin
            .get(app.url(&format!("/api/orgs/search?{query}")))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "{query}");
        assert_eq!(
            error(r, StatusCode::UNPROCESSABLE_ENTITY)
                .await
                .field
                .as_deref(),
            Some(field)
        );
    }
}

#[tokio::test]
async fn a_liaison_and_an_inspector_load_and_find_only_what_they_see() {
    let app = TestApp::spawn().await;
    let admin = app.login("admin").await;
    let orgs = app.orgs(&admin).await;
    let county = orgs.iter().find(|o| o.level == OrgLevel::County).unwrap();
    let unit = app.login("qingshi").await;
    let own = nodes(&app, &unit, "/api/orgs/children").await;
    assert_eq!(own.len(), 1);
    assert_eq!(own[0].org.name, "青石村");
    assert_eq!(own[0].children, 0);
    let mine = nodes(&app, &unit, &format!("/api/orgs/{}/subtree", own[0].org.id)).await;
    assert_eq!(mine.len(), 1);
    let r = unit
        .get(app.url(&format!("/api/orgs/{}/subtree", county.id)))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    assert!(nodes(
        &app,
        &unit,
        &format!("/api/orgs/children?parent={}", county.id)
    )
    .await
    .is_empty());
    let hits = found(&app, &unit, "q=村").await.hits;
    assert_eq!(hits.len(), 1, "only its own village");
    assert_eq!(hits[0].org.name, "青石村");

    // An inspector on no team finds nothing; on the team of 青石村, that village only.
    let inspector = app.login("zhangwei").await;
    assert!(found(&app, &inspector, "q=村").await.hits.is_empty());
    assert!(nodes(&app, &inspector, "/api/orgs/children")
        .await
        .is_empty());
    app.round_with_target(&admin, "zhangwei", &["lina"]).await;
    let seen = nodes(&app, &inspector, "/api/orgs/children").await;
    let hits = found(&app, &inspector, "q=村").await.hits;
    assert_eq!(seen.len(), hits.len());
    assert!(
        seen.iter().all(|n| n.children == 0),
        "no counts of what lies under"
    );
    let r = inspector
        .get(app.url(&format!("/api/orgs/{}/subtree", county.id)))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
}
