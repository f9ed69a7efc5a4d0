//! 一村一报告: the Word report of one village's inspection says what the target's own pages
//! say, counted again from them, and reaches only those who read those pages. On SQLite, and on
//! PostgreSQL when XUNCHA_TEST_POSTGRES is set.

mod common;

use common::TestApp;
use reqwest::StatusCode;
use serde_json::Value;
use xuncha_api::findings::Finding;
use xuncha_api::rectification::{Task, TaskStatus};

#[tokio::test]
async fn a_villages_report_counts_what_its_pages_show_and_only_they_read_it() {
    let app = TestApp::spawn().await;
    let admin = app.login("admin").await;
    let target_id = app
        .round_with_target(&admin, "zhangwei", &["wangfang"])
        .await;
    let target: xuncha_api::rounds::TargetDetail = app
        .get_json(&admin, &format!("/api/targets/{target_id}"))
        .await;
    let target = target.target;
    // The demo's whole inspection on it: findings and tasks, petitions, evaluations.
    let mut tx = app.state.db.begin().await.unwrap();
    xuncha_server::demo::seed_cases(&mut tx, &target.org_id, &target.id)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let petitions: Vec<Value> = app
        .get_json(&admin, &format!("/api/targets/{}/petitions", target.id))
        .await;
    assert!(petitions.len() >= 4, "{petitions:?}");
    let findings: Vec<Finding> = app
        .get_json(&admin, &format!("/api/targets/{}/findings", target.id))
        .await;
    let tasks: Vec<Task> = app
        .get_json(&admin, &format!("/api/targets/{}/tasks", target.id))
        .await;
    let evaluations: Vec<Value> = app
        .get_json(&admin, &format!("/api/targets/{}/evaluations", target.id))
        .await;

    let r = admin
        .get(app.url(&format!("/api/targets/{}/report.docx", target.id)))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.headers()["content-type"], xuncha_server::documents::DOCX);
    let text = xuncha_server::documents::paragraphs(&r.bytes().await.unwrap()).unwrap();
    assert_eq!(text[0], format!("关于{}的巡察情况报告", target.org_name));
    for h in [
        "一、基本情况",
        "二、发现的主要问题",
        "三、信访举报办理情况",
        "四、民主测评情况",
        "五、整改情况",
    ] {
        assert!(text.iter().any(|t| t == h), "{h} in {text:#?}");
    }
    let has = |want: &str| text.iter().any(|t| t.contains(want));
    assert!(
        has(&format!("巡察共发现问题{}个。", findings.len())),
        "{text:#?}"
    );
    for f in &findings {
        assert!(
            has(f.title.trim_end_matches('。')),
            "{} in {text:#?}",
            f.title
        );
    }
    assert!(
        has(&format!("巡察期间收到信访举报{}件", petitions.len())),
        "{text:#?}"
    );
    if tasks.is_empty() {
        assert!(has("尚未建立整改任务。"));
    } else {
        let closed = tasks
            .iter()
            .filter(|t| t.status == TaskStatus::Closed)
            .count();
        assert!(has(&format!("建立整改任务{}项（", tasks.len())));
        assert!(has(&format!(
            "整改完成率{:.1}%",
            closed as f64 * 100.0 / tasks.len() as f64
        )));
    }
    for e in &evaluations {
        assert!(
            has(&format!(
                "{}：收到测评{}份",
                e["title"].as_str().unwrap(),
                e["responses"]
            )),
            "{e} in {text:#?}"
        );
    }
    // Counts only: no petitioner, no petition's words, no respondent's comment.
    for p in &petitions {
        let content = p["content"].as_str().unwrap_or_default();
        assert!(!content.is_empty() && !has(content), "{content}");
    }

    // Discipline reads it; the unit inspected never, nor anyone signed out.
    let discipline = app.login("liuyang").await;
    let r = discipline
        .get(app.url(&format!("/api/targets/{}/report.docx", target.id)))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let unit = app.login("qingshi").await;
    let r = unit
        .get(app.url(&format!("/api/targets/{}/report.docx", target.id)))
        .send()
        .await
        .unwrap();
    assert!(
        matches!(r.status().as_u16(), 403 | 404),
        "the unit: {}",
        r.status()
    );
    let r = TestApp::client()
        .get(app.url(&format!("/api/targets/{}/report.docx", target.id)))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    let r = admin
        .get(app.url("/api/targets/no-such-target/report.docx"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
}
