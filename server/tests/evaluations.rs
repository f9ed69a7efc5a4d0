//! Democratic evaluation: one-time codes that work once (also twenty at once), answers kept
//! only as counts with no link to a code, a moment or a person (the schema and the rows are
//! read to prove it), results only from the threshold up, paper ballots, and need-to-know. On
//! SQLite, and on PostgreSQL when XUNCHA_TEST_POSTGRES is set.

mod common;

use common::TestApp;
use reqwest::{Client, StatusCode};
use serde_json::{json, Value};
use sqlx::{Column, Row};
use xuncha_api::evaluations::{questions, CreatedEvaluation, Results};
use xuncha_api::Problem;

struct Setup {
    app: TestApp,
    admin: Client,
    team: Client,
    target: String,
}

async fn setup() -> Setup {
    let app = TestApp::spawn().await;
    let admin = app.login("admin").await;
    let target = app
        .round_with_target(&admin, "zhangwei", &["wangfang"])
        .await;
    let team = app.login("zhangwei").await;
    Setup {
        app,
        admin,
        team,
        target,
    }
}

async fn create(s: &Setup, who: &Client, codes: i64) -> CreatedEvaluation {
    let r = who
        .post(s.app.url(&format!("/api/targets/{}/evaluations", s.target)))
        .json(&json!({ "title": "2026年民主测评", "codes": codes }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    r.json().await.unwrap()
}

/// Every question answered: each rating `rating`, the three rates yes.
fn answers(code: &str, rating: &str, comment: &str) -> Vec<(String, String)> {
    let mut form = vec![("code".to_string(), code.to_string())];
    for (key, options) in questions() {
        let answer = if options.contains(&rating) {
            rating
        } else {
            "yes"
        };
        form.push((key, answer.to_string()));
    }
    form.push(("comment".into(), comment.into()));
    form
}

async fn respond(app: &TestApp, form: &[(String, String)]) -> (StatusCode, String) {
    let r = TestApp::client()
        .post(app.url("/ceping"))
        .form(form)
        .send()
        .await
        .unwrap();
    (r.status(), r.text().await.unwrap())
}

async fn results(s: &Setup, who: &Client, id: &str) -> Results {
    s.app
        .get_json(who, &format!("/api/evaluations/{id}/results"))
        .await
}

#[tokio::test]
async fn answers_are_counted_with_no_link_to_a_code_a_moment_or_a_person() {
    let s = setup().await;
    let made = create(&s, &s.team, 6).await;
    let id = made.evaluation.id.clone();
    assert_eq!(made.slips.len(), 6);
    assert!(made.slips[0].qr_svg.starts_with("<svg"));
    assert!(made.slips[0].path.ends_with(&made.slips[0].code));

    // The slip's QR code opens the questions; a respondent answers.
    let page = TestApp::client()
        .get(s.app.url(&made.slips[0].path))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("领导班子·廉洁自律") && page.contains("巡察组进驻"));
    for (i, slip) in made.slips.iter().take(3).enumerate() {
        let (status, _) = respond(
            &s.app,
            &answers(&slip.code, "good", &format!("意见{i}：希望村务公开更及时")),
        )
        .await;
        assert_eq!(status, StatusCode::OK);
    }

    // The schema: no column that could hold a code, an address, a device, a person or a time
    // finer than the day, in any table the answers are kept in.
    let pool = &s.app.state.db.pool;
    let forbidden = [
        "code", "hash", "address", "ip", "device", "agent", "user", "actor", "created", "at",
        "time", "session", "token",
    ];
    for table in [
        "evaluation_tallies",
        "evaluation_ballots",
        "evaluation_comments",
    ] {
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!("SELECT * FROM {table}")))
            .fetch_all(pool)
            .await
            .unwrap();
        assert!(!rows.is_empty(), "{table} holds the answers");
        for column in rows[0].columns() {
            let name = column.name().to_lowercase();
            assert!(
                !forbidden
                    .iter()
                    .any(|f| name.split('_').any(|part| part == *f)),
                "{table}.{name} could tie an answer to someone"
            );
        }
        // And the rows: no code or its hash, no moment beyond the day.
        for row in &rows {
            for (i, column) in row.columns().iter().enumerate() {
                let Ok(text) = row.try_get::<String, _>(i) else {
                    continue;
                };
                for slip in &made.slips {
                    assert!(
                        !text.contains(&slip.code),
                        "{table}.{} holds a code",
                        column.name()
                    );
                }
                assert!(text.len() != 64 || !text.chars().all(|c| c.is_ascii_hexdigit()));
                if column.name() == "day" {
                    assert_eq!(text.len(), 10, "a day, no time: {text}");
                }
                if column.name() == "id" {
                    // Random, not the time-ordered ids (UUIDv7) that tell when a row was made.
                    assert_eq!(text.as_bytes()[14], b'4', "{text}");
                }
            }
        }
    }
    // The codes are apart: their table has no answer, and a used one is only "used".
    let code_columns: Vec<String> = sqlx::query("SELECT * FROM evaluation_codes")
        .fetch_all(pool)
        .await
        .unwrap()[0]
        .columns()
        .iter()
        .map(|c| c.name().to_string())
        .collect();
    assert_eq!(code_columns, ["code_hash", "evaluation_id", "used"]);
    // The log says a response arrived for this evaluation, and nothing more.
    let log = s.app.audit(&s.admin, "?action=evaluation.response").await;
    assert_eq!(log.entries.len(), 3);
    for e in &log.entries {
        assert_eq!(e.object_id.as_deref(), Some(id.as_str()));
        assert_eq!(e.detail, json!({}));
        assert!(e.actor_id.is_none());
    }
}

#[tokio::test]
async fn results_show_from_the_threshold_and_count_paper_ballots() {
    let s = setup().await;
    let made = create(&s, &s.admin, 8).await;
    let id = made.evaluation.id.clone();
    for slip in made.slips.iter().take(4) {
        assert_eq!(
            respond(&s.app, &answers(&slip.code, "fair", "意见"))
                .await
                .0,
            StatusCode::OK
        );
    }
    // Four: nothing shows, not even the comments.
    let r = results(&s, &s.team, &id).await;
    assert!(!r.shown && r.rows.is_empty() && r.comments.is_empty() && r.know_rate.is_none());
    assert_eq!(r.evaluation.responses, 4);
    let (status, _) = respond(&s.app, &answers(&made.slips[4].code, "poor", "")).await;
    assert_eq!(status, StatusCode::OK);
    let r = results(&s, &s.team, &id).await;
    assert!(r.shown);
    let row = &r.rows[0];
    assert_eq!(row.counts, [0, 4, 0, 1]);
    assert_eq!(row.good_percent, 80.0);
    assert_eq!(r.know_rate, Some(100.0));
    assert_eq!(r.comments, vec!["意见"; 4]);

    // Paper ballots: three, all 一般, two knew of the inspection.
    let mut counts = Vec::new();
    for (key, options) in questions() {
        if options.contains(&"average") {
            counts.push(json!({ "question": key, "answer": "average", "count": 3 }));
        } else {
            counts.push(json!({ "question": key, "answer": "yes", "count": 2 }));
            counts.push(json!({ "question": key, "answer": "no", "count": 1 }));
        }
    }
    let r = s
        .team
        .post(s.app.url(&format!("/api/evaluations/{id}/paper")))
        .json(&json!({ "id": "paper-1", "ballots": 3, "counts": counts }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let r: Results = r.json().await.unwrap();
    assert_eq!((r.evaluation.responses, r.paper), (8, 3));
    assert_eq!(r.rows[0].counts, [0, 4, 3, 1]);
    assert_eq!(r.know_rate, Some(87.5));
    // Counts that do not add up to the ballots are refused, and nothing is added.
    let bad = s
        .team
        .post(s.app.url(&format!("/api/evaluations/{id}/paper")))
        .json(&json!({ "id": "paper-2", "ballots": 2, "counts": counts }))
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(results(&s, &s.team, &id).await.evaluation.responses, 8);

    // A threshold below 3 is refused.
    let r = s
        .admin
        .post(s.app.url(&format!("/api/targets/{}/evaluations", s.target)))
        .json(&json!({ "title": "测评", "codes": 5, "threshold": 2 }))
        .send()
        .await
        .unwrap();
    common::assert_invalid(r, "threshold", Problem::OutOfRange { min: 3, max: 500 }).await;
}

#[tokio::test]
async fn a_code_works_once_even_twenty_times_at_once() {
    let s = setup().await;
    let made = create(&s, &s.team, 2).await;
    let form = answers(&made.slips[0].code, "good", "");
    let sends = (0..20).map(|_| respond(&s.app, &form));
    let statuses: Vec<StatusCode> = futures::future::join_all(sends)
        .await
        .into_iter()
        .map(|(s, _)| s)
        .collect();
    let ok = statuses.iter().filter(|s| **s == StatusCode::OK).count();
    let used = statuses
        .iter()
        .filter(|s| **s == StatusCode::CONFLICT)
        .count();
    assert_eq!((ok, used), (1, 19), "{statuses:?}");
    let (status, page) = respond(&s.app, &form).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(page.contains("已经使用过了"));
    let opened = TestApp::client()
        .get(s.app.url(&made.slips[0].path))
        .send()
        .await
        .unwrap();
    assert_eq!(opened.status(), StatusCode::CONFLICT);

    // Half answered: told which questions are left, the choices kept, the code still good.
    let mut half = answers(&made.slips[1].code, "good", "留言");
    half.retain(|(k, _)| !k.starts_with("secretary.") && k != "satisfied");
    let (status, page) = respond(&s.app, &half).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("党组织书记·廉洁自律") && page.contains("留言"));
    assert!(page.contains("value=\"good\" checked"));
    let (status, _) = respond(&s.app, &answers(&made.slips[1].code, "good", "")).await;
    assert_eq!(status, StatusCode::OK);
    // A made-up code is told so, whatever its shape.
    for wrong in ["ABCDE-FGHJK", "x"] {
        let (status, page) = respond(&s.app, &answers(wrong, "good", "")).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        assert!(page.contains("测评码不正确"));
    }
    assert_eq!(
        results(&s, &s.team, &made.evaluation.id)
            .await
            .evaluation
            .responses,
        2
    );
}

/// `n` paper ballots, every rating 好 and every rate question yes.
fn all_good(n: i64) -> Vec<Value> {
    let mut counts = Vec::new();
    for (key, options) in questions() {
        let answer = if options.contains(&"good") {
            "good"
        } else {
            "yes"
        };
        counts.push(json!({ "question": key, "answer": answer, "count": n }));
    }
    counts
}

#[tokio::test]
async fn paper_ballots_sent_again_or_twenty_times_at_once_are_counted_once() {
    let s = setup().await;
    let made = create(&s, &s.team, 3).await;
    let id = made.evaluation.id.clone();
    let url = s.app.url(&format!("/api/evaluations/{id}/paper"));
    let entry = json!({ "id": "0195f1c2-entry", "ballots": 4, "counts": all_good(4) });
    // The reply to the first send is lost; the phone sends the same entry again.
    for _ in 0..2 {
        let r = s.team.post(&url).json(&entry).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::OK);
        let r: Results = r.json().await.unwrap();
        assert_eq!((r.evaluation.responses, r.paper), (4, 4));
    }
    // Twenty sends of another entry at the same moment: one counted, each told the results.
    let other = json!({ "id": "0195f1c2-other", "ballots": 2, "counts": all_good(2) });
    let sends = (0..20).map(|_| s.team.post(&url).json(&other).send());
    for r in futures::future::join_all(sends).await {
        assert_eq!(r.unwrap().status(), StatusCode::OK);
    }
    let r = results(&s, &s.team, &id).await;
    assert_eq!((r.evaluation.responses, r.paper), (6, 6));
    assert_eq!(r.rows[0].counts, [6, 0, 0, 0]);
    // The same id with other counts is another entry under a taken id: refused, nothing added.
    let r = s
        .team
        .post(&url)
        .json(&json!({ "id": "0195f1c2-entry", "ballots": 1, "counts": all_good(1) }))
        .send()
        .await
        .unwrap();
    common::assert_refused(r, StatusCode::CONFLICT, "id", Problem::Taken).await;
    assert_eq!(results(&s, &s.team, &id).await.evaluation.responses, 6);
    // An entry without its id is refused before anything is counted.
    let r = s
        .team
        .post(&url)
        .json(&json!({ "id": " ", "ballots": 1, "counts": all_good(1) }))
        .send()
        .await
        .unwrap();
    common::assert_invalid(r, "id", Problem::Required).await;
}

#[tokio::test]
async fn the_slips_print_as_a_word_document_from_unused_codes_only() {
    let s = setup().await;
    let made = create(&s, &s.admin, 3).await;
    let id = made.evaluation.id.clone();
    let url = s.app.url(&format!("/api/evaluations/{id}/slips.docx"));
    let codes: Vec<String> = made.slips.iter().map(|s| s.code.clone()).collect();
    let r = s
        .admin
        .post(&url)
        .json(&json!({ "codes": codes }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.headers()["content-type"], xuncha_server::documents::DOCX);
    assert_eq!(r.headers()["cache-control"], "no-store");
    let bytes = r.bytes().await.unwrap();
    let text = xuncha_server::documents::paragraphs(&bytes).unwrap();
    assert_eq!(text[0], "2026年民主测评（共 3 张，沿虚线裁开）");
    for code in &codes {
        assert_eq!(text.iter().filter(|t| *t == code).count(), 1, "{code}");
    }
    assert!(text
        .iter()
        .any(|t| t.contains("/ceping") && t.contains("每码限用一次")));
    assert_eq!(xuncha_server::documents::images(&bytes).unwrap(), 3);
    // The log says how many were printed, never which.
    let log = s.app.audit(&s.admin, "?action=evaluation.slips").await;
    assert_eq!(log.entries.len(), 1);
    assert_eq!(log.entries[0].detail, json!({ "slips": 3 }));
    // A used code, a made-up one and a malformed one: refused, whichever it is.
    assert_eq!(
        respond(&s.app, &answers(&codes[0], "good", "")).await.0,
        StatusCode::OK
    );
    for wrong in [codes[0].clone(), "ABCDE-FGHJK".into(), "x".into()] {
        let r = s
            .admin
            .post(&url)
            .json(&json!({ "codes": [codes[1].clone(), wrong] }))
            .send()
            .await
            .unwrap();
        common::assert_invalid(r, "codes", Problem::UnknownReference).await;
    }
    // Typed in lower case, the codes still print, in their printed form.
    let r = s
        .team
        .post(&url)
        .json(&json!({ "codes": [codes[2].to_lowercase()] }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let text = xuncha_server::documents::paragraphs(&r.bytes().await.unwrap()).unwrap();
    assert!(text.contains(&codes[2]));
    let r = s
        .admin
        .post(&url)
        .json(&json!({ "codes": [] }))
        .send()
        .await
        .unwrap();
    common::assert_invalid(r, "codes", Problem::Required).await;
}

#[tokio::test]
async fn only_the_office_the_team_and_discipline_reach_an_evaluation() {
    let s = setup().await;
    let made = create(&s, &s.team, 5).await;
    let id = made.evaluation.id.clone();
    let discipline = s.app.login("liuyang").await;
    let list: Vec<Value> = s
        .app
        .get_json(
            &discipline,
            &format!("/api/targets/{}/evaluations", s.target),
        )
        .await;
    assert_eq!(list.len(), 1);
    let unit = s.app.login("qingshi").await;
    let other_team = s.app.login("lina").await;
    let anonymous = TestApp::client();
    for (name, who, status) in [
        ("unit", &unit, 403),
        ("other team", &other_team, 404),
        ("anonymous", &anonymous, 401),
    ] {
        for url in [
            format!("/api/targets/{}/evaluations", s.target),
            format!("/api/evaluations/{id}/results"),
        ] {
            let r = who.get(s.app.url(&url)).send().await.unwrap();
            assert_eq!(r.status().as_u16(), status, "{name} GET {url}");
        }
        let r = who
            .post(s.app.url(&format!("/api/targets/{}/evaluations", s.target)))
            .json(&json!({ "title": "测评", "codes": 5 }))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status().as_u16(), status, "{name} creates");
        let r = who
            .post(s.app.url(&format!("/api/evaluations/{id}/slips.docx")))
            .json(&json!({ "codes": [made.slips[0].code.clone()] }))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status().as_u16(), status, "{name} prints slips");
        let r = who
            .post(s.app.url(&format!("/api/evaluations/{id}/paper")))
            .json(&json!({ "id": "p", "ballots": 1, "counts": all_good(1) }))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status().as_u16(), status, "{name} enters paper ballots");
    }
    assert_eq!(results(&s, &s.team, &id).await.evaluation.responses, 0);
    // Discipline reads; it does not make one.
    let r = discipline
        .post(s.app.url(&format!("/api/targets/{}/evaluations", s.target)))
        .json(&json!({ "title": "测评", "codes": 5 }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
}
