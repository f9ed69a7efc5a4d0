//! Rectification tasks over HTTP on SQLite and PostgreSQL: every status rule, who may make
//! which move, the liaison's own list, overdue and reminders.

mod common;

use common::{error, TestApp};
use reqwest::{Client, StatusCode};
use serde_json::{json, Value};
use xuncha_api::rectification::{Reminders, Task, TaskDetail, TaskEvent, TaskStatus};
use xuncha_api::Problem;

async fn with_finding(app: &TestApp) -> (Client, String, String) {
    let admin = app.login("admin").await;
    let target = app.round_with_target(&admin, "zhangwei", &[]).await;
    let zhang = app.login("zhangwei").await;
    let finding = json!({ "focus": "responsibility", "title": "村集体资金白条入账", "severity": "serious", "source": "documents" });
    let r = zhang
        .put(app.url(&format!("/api/targets/{target}/findings/f-1")))
        .json(&finding)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    (zhang, target, "f-1".to_string())
}

async fn create_tasks(app: &TestApp, c: &Client, target: &str, body: Value) -> Vec<Task> {
    let r = c
        .post(app.url(&format!("/api/targets/{target}/tasks")))
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    r.json().await.unwrap()
}

/// The status answered to a plain move (no reason).
async fn mv(app: &TestApp, c: &Client, id: &str, to: &str) -> StatusCode {
    move_task(app, c, id, json!({ "to": to })).await.status()
}

async fn report(app: &TestApp, c: &Client, id: &str, note: &str) -> reqwest::Response {
    app.report(c, id, note).await
}

/// Open tasks due soon, flattened from the reminders' groups.
async fn reminders(app: &TestApp, c: &Client, today: &str) -> Vec<Task> {
    let r: Reminders = app
        .get_json(c, &format!("/api/reminders?today={today}"))
        .await;
    r.groups.into_iter().flat_map(|g| g.tasks).collect()
}

async fn move_task(app: &TestApp, c: &Client, id: &str, body: Value) -> reqwest::Response {
    c.post(app.url(&format!("/api/tasks/{id}/move")))
        .json(&body)
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn a_task_moves_by_the_rules_each_move_by_whom_it_belongs_to() {
    let app = TestApp::spawn().await;
    let (zhang, target, finding) = with_finding(&app).await;
    let r = zhang
        .post(app.url(&format!("/api/targets/{target}/tasks")))
        .json(&json!([{ "finding_id": finding, "measures": "补齐票据，追回违规支出", "deadline": "2026-06-30" },
                      { "finding_id": "nope", "measures": "x" },
                      { "finding_id": finding, "measures": " " },
                      { "finding_id": finding, "measures": "x", "deadline": "+20260-06-30" }]))
        .send()
        .await
        .unwrap();
    let e = error(r, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(
        e.rows
            .iter()
            .map(|r| (r.row, r.field.as_str()))
            .collect::<Vec<_>>(),
        vec![(2, "finding_id"), (3, "measures"), (4, "deadline")]
    );
    let tasks = create_tasks(
        &app,
        &zhang,
        &target,
        json!([{ "finding_id": finding, "measures": "补齐票据，追回违规支出", "deadline": "2026-06-30" }]),
    )
    .await;
    let task = &tasks[0];
    assert_eq!(task.status, TaskStatus::Pending);
    assert!(
        !task.responsible_person.is_empty(),
        "the secretary by default"
    );

    let unit = app.login("qingshi").await;
    let mine: Vec<Task> = app.get_json(&unit, "/api/my/tasks").await;
    assert_eq!(mine.len(), 1);
    assert_eq!(
        mine[0].round_name, "2026年第一轮",
        "the task says its round"
    );
    assert_eq!(task.round_name, "2026年第一轮");
    // The liaison may not skip ahead or verify its own work.
    let e = error(
        move_task(&app, &unit, &task.id, json!({ "to": "submitted" })).await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(
        (e.field.as_deref(), e.problem),
        (Some("to"), Some(Problem::NotAllowed))
    );
    assert_eq!(
        mv(&app, &unit, &task.id, "in_progress").await,
        StatusCode::OK
    );
    // Done means shown: nothing reported yet, nothing to submit.
    let e = error(
        move_task(&app, &unit, &task.id, json!({ "to": "submitted" })).await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(e.field.as_deref(), Some("progress"));
    assert_eq!(
        report(&app, &unit, &task.id, "已补齐票据").await.status(),
        StatusCode::OK
    );
    assert_eq!(mv(&app, &unit, &task.id, "submitted").await, StatusCode::OK);
    // Nothing can be added to a task waiting for the team.
    assert_eq!(
        report(&app, &unit, &task.id, "再补一句").await.status(),
        StatusCode::CONFLICT
    );
    assert_eq!(
        mv(&app, &unit, &task.id, "accepted").await,
        StatusCode::FORBIDDEN
    );

    // The team returns it once (a reason is required), then accepts.
    let e = error(
        move_task(&app, &zhang, &task.id, json!({ "to": "in_progress" })).await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(e.field.as_deref(), Some("reason"));
    assert_eq!(
        move_task(
            &app,
            &zhang,
            &task.id,
            json!({ "to": "in_progress", "reason": "缺少追回凭证" })
        )
        .await
        .status(),
        StatusCode::OK
    );
    // A returned task needs something new before it goes back.
    assert_eq!(
        mv(&app, &unit, &task.id, "submitted").await,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(
        report(&app, &unit, &task.id, "追回凭证已上传")
            .await
            .status(),
        StatusCode::OK
    );
    assert_eq!(mv(&app, &unit, &task.id, "submitted").await, StatusCode::OK);
    assert_eq!(mv(&app, &zhang, &task.id, "accepted").await, StatusCode::OK);
    assert_eq!(
        mv(&app, &zhang, &task.id, "closed").await,
        StatusCode::FORBIDDEN
    );
    let admin = app.login("admin").await;
    let closed: Task = move_task(&app, &admin, &task.id, json!({ "to": "closed" }))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(closed.status, TaskStatus::Closed);
    assert_eq!(
        mv(&app, &admin, &task.id, "closed").await,
        StatusCode::UNPROCESSABLE_ENTITY
    );

    let history: Vec<TaskEvent> = app
        .get_json(&unit, &format!("/api/tasks/{}/events", task.id))
        .await;
    let moves: Vec<(TaskStatus, TaskStatus)> = history.iter().map(|e| (e.from, e.to)).collect();
    use TaskStatus::*;
    assert_eq!(
        moves,
        vec![
            (Pending, InProgress),
            (InProgress, Submitted),
            (Submitted, InProgress),
            (InProgress, Submitted),
            (Submitted, Accepted),
            (Accepted, Closed)
        ]
    );
    assert_eq!(history[2].reason, "缺少追回凭证");
    // The unit reads who moved it as a role, never the name of office staff or inspectors.
    assert_eq!(history[5].by, "巡察办");
    assert_eq!(history[2].by, "巡察组");
    let history: Vec<TaskEvent> = app
        .get_json(&admin, &format!("/api/tasks/{}/events", task.id))
        .await;
    assert_eq!(history[5].by, "王建国");
}

#[tokio::test]
async fn a_task_sent_again_under_its_id_is_created_once_and_another_under_that_id_is_refused() {
    let app = TestApp::spawn().await;
    let (zhang, target, finding) = with_finding(&app).await;
    let id = "0b6f3c1e-7a51-4c1b-9e3e-2f4a8d9c1a10";
    let body = json!([{ "id": id, "finding_id": finding, "measures": "补齐票据" }]);
    let first = create_tasks(&app, &zhang, &target, body.clone()).await;
    assert_eq!(first[0].id, id, "the task keeps the id it was sent with");
    // The reply was lost: the same request again, and twice at once.
    let again = create_tasks(&app, &zhang, &target, body.clone()).await;
    assert_eq!(again, first);
    let (a, b) = tokio::join!(
        create_tasks(&app, &zhang, &target, body.clone()),
        create_tasks(&app, &zhang, &target, body.clone())
    );
    assert_eq!((a[0].id.as_str(), b[0].id.as_str()), (id, id));
    let all: Vec<Task> = app
        .get_json(&zhang, &format!("/api/targets/{target}/tasks"))
        .await;
    assert_eq!(all.len(), 1, "{all:?}");

    // The same id for other measures, twice in one request, or not an id at all.
    let post = |body: Value| {
        zhang
            .post(app.url(&format!("/api/targets/{target}/tasks")))
            .json(&body)
            .send()
    };
    let e = error(
        post(json!([{ "id": id, "finding_id": finding, "measures": "另一项措施" }]))
            .await
            .unwrap(),
        StatusCode::CONFLICT,
    )
    .await;
    assert_eq!(e.field.as_deref(), Some("id"));
    let other = "5d0c1a2b-3e4f-4a5b-8c6d-7e8f9a0b1c2d";
    let e = error(
        post(
            json!([{ "id": other, "finding_id": finding, "measures": "x" },
                    { "id": other, "finding_id": finding, "measures": "x" },
                    { "id": "不是编号", "finding_id": finding, "measures": "x" }]),
        )
        .await
        .unwrap(),
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(
        e.rows
            .iter()
            .map(|r| (r.row, r.field.as_str()))
            .collect::<Vec<_>>(),
        [(2, "id"), (3, "id")]
    );
    let all: Vec<Task> = app
        .get_json(&zhang, &format!("/api/targets/{target}/tasks"))
        .await;
    assert_eq!(all.len(), 1, "all or none: {all:?}");
}

#[tokio::test]
async fn other_villages_and_other_teams_do_not_reach_a_task() {
    let app = TestApp::spawn().await;
    let (zhang, target, finding) = with_finding(&app).await;
    let tasks: Vec<Task> = create_tasks(
        &app,
        &zhang,
        &target,
        json!([{ "finding_id": finding, "measures": "补齐票据" }]),
    )
    .await;
    let id = &tasks[0].id;
    let admin = app.login("admin").await;
    let other_village = app
        .orgs(&admin)
        .await
        .into_iter()
        .find(|o| o.level == xuncha_api::orgs::OrgLevel::Village && o.name != "青石村")
        .unwrap();
    let r = admin
        .post(app.url("/api/users"))
        .json(&json!({ "username": "cun99", "display_name": "外村", "role": "unit", "org_id": other_village.id, "password": "other-village" }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let (other, _) = app.try_login("cun99", "other-village").await;
    let mine: Vec<Task> = app.get_json(&other, "/api/my/tasks").await;
    assert!(mine.is_empty());
    assert_eq!(
        mv(&app, &other, id, "in_progress").await,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        other
            .get(app.url(&format!("/api/tasks/{id}/events")))
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::NOT_FOUND
    );
    for path in [
        format!("/api/tasks/{id}"),
        format!("/api/tasks/{id}/files/any"),
    ] {
        assert_eq!(
            other.get(app.url(&path)).send().await.unwrap().status(),
            StatusCode::NOT_FOUND,
            "{path}"
        );
    }
    let wang = app.login("wangfang").await;
    assert_eq!(
        mv(&app, &wang, id, "in_progress").await,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        wang.get(app.url(&format!("/api/targets/{target}/tasks")))
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::NOT_FOUND
    );
    let unit = app.login("qingshi").await;
    assert_eq!(
        unit.get(app.url(&format!("/api/targets/{target}/tasks")))
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        unit.get(app.url("/api/reminders"))
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::FORBIDDEN
    );
    let r = unit
        .post(app.url(&format!("/api/targets/{target}/tasks")))
        .json(&json!([{ "finding_id": finding, "measures": "x" }]))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn overdue_is_derived_from_the_day_and_reminders_list_what_is_due() {
    let app = TestApp::spawn().await;
    let (zhang, target, finding) = with_finding(&app).await;
    let tasks: Vec<Task> = zhang
        .post(app.url(&format!("/api/targets/{target}/tasks")))
        .json(
            &json!([{ "finding_id": finding, "measures": "一", "deadline": "2026-06-10" },
                      { "finding_id": finding, "measures": "二", "deadline": "2026-06-20" },
                      { "finding_id": finding, "measures": "三", "deadline": "2026-06-05" }]),
        )
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let unit = app.login("qingshi").await;
    let mine: Vec<Task> = app.get_json(&unit, "/api/my/tasks?today=2026-06-08").await;
    assert_eq!(
        mine.iter().map(|t| t.measures.as_str()).collect::<Vec<_>>(),
        vec!["三", "一", "二"],
        "soonest first"
    );
    assert_eq!(
        mine.iter().map(|t| t.overdue).collect::<Vec<_>>(),
        vec![true, false, false]
    );
    let later: Vec<Task> = app.get_json(&unit, "/api/my/tasks?today=2026-06-30").await;
    assert!(later.iter().all(|t| t.overdue));

    // Due within 7 days of 2026-06-08, or overdue: 三 and 一, not 二.
    let due: Vec<Task> = reminders(&app, &zhang, "2026-06-08").await;
    assert_eq!(
        due.iter().map(|t| t.measures.as_str()).collect::<Vec<_>>(),
        vec!["三", "一"]
    );
    // A task done (submitted, accepted) no longer needs chasing once accepted.
    let three = tasks.iter().find(|t| t.measures == "三").unwrap();
    assert_eq!(
        report(&app, &unit, &three.id, "整改中").await.status(),
        StatusCode::OK
    );
    for (who, to) in [(&unit, "submitted"), (&zhang, "accepted")] {
        assert_eq!(
            move_task(&app, who, &three.id, json!({ "to": to }))
                .await
                .status(),
            StatusCode::OK
        );
    }
    let due: Vec<Task> = reminders(&app, &zhang, "2026-06-08").await;
    assert_eq!(
        due.iter().map(|t| t.measures.as_str()).collect::<Vec<_>>(),
        vec!["一"]
    );
    // The liaison's list puts what is still to do first.
    let mine: Vec<Task> = app.get_json(&unit, "/api/my/tasks?today=2026-06-08").await;
    assert_eq!(
        mine.iter().map(|t| t.measures.as_str()).collect::<Vec<_>>(),
        vec!["一", "二", "三"]
    );
    // A day at the end of the calendar is refused, not a crash.
    assert_eq!(
        zhang
            .get(app.url("/api/reminders?today=%2B262142-12-31"))
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::UNPROCESSABLE_ENTITY
    );
    let wang = app.login("wangfang").await;
    let none: Vec<Task> = reminders(&app, &wang, "2026-06-08").await;
    assert!(none.is_empty());
}

#[tokio::test]
async fn a_target_counts_as_effectively_covered_once_every_finding_is_rectified_and_closed() {
    let app = TestApp::spawn().await;
    let (zhang, target, finding) = with_finding(&app).await;
    let admin = app.login("admin").await;
    let terms: Vec<xuncha_api::rounds::Term> = app.get_json(&admin, "/api/terms").await;
    let ledger = || async {
        let l: xuncha_api::coverage::Ledger = app
            .get_json(&admin, &format!("/api/terms/{}/ledger", terms[0].id))
            .await;
        (l.overall.covered, l.overall.effective, l.overall.rectifying)
    };
    // Inspected, the findings not yet fed back: covered on paper only.
    assert_eq!(ledger().await, (1, 0, 0));
    let rounds: Vec<xuncha_api::rounds::Round> = app.get_json(&admin, "/api/rounds").await;
    app.advance_round(
        &admin,
        &rounds[0].id,
        xuncha_api::rounds::Phase::Rectification,
    )
    .await;
    // Fed back with a finding that has no task yet.
    assert_eq!(ledger().await, (1, 0, 1));
    let tasks: Vec<Task> = create_tasks(
        &app,
        &zhang,
        &target,
        json!([{ "finding_id": finding, "measures": "补齐票据" }]),
    )
    .await;
    let unit = app.login("qingshi").await;
    assert_eq!(
        report(&app, &unit, &tasks[0].id, "整改中").await.status(),
        StatusCode::OK
    );
    for (who, to) in [(&unit, "submitted"), (&zhang, "accepted")] {
        assert_eq!(
            move_task(&app, who, &tasks[0].id, json!({ "to": to }))
                .await
                .status(),
            StatusCode::OK
        );
    }
    assert_eq!(ledger().await, (1, 0, 1), "accepted is not yet closed");
    assert_eq!(
        mv(&app, &admin, &tasks[0].id, "closed").await,
        StatusCode::OK
    );
    assert_eq!(ledger().await, (1, 1, 0));
}

/// A task run through to 已销号 by the liaison, the team and the office.
async fn close(app: &TestApp, team: &Client, id: &str) {
    close_saying(app, team, id, "").await
}

/// The same, the office writing what the public page says was done.
async fn close_saying(app: &TestApp, team: &Client, id: &str, public_text: &str) {
    app.close_task(team, id, public_text).await
}

#[tokio::test]
async fn progress_and_photos_are_kept_once_and_reach_the_team_only() {
    let app = TestApp::spawn().await;
    let (zhang, target, finding) = with_finding(&app).await;
    let tasks = create_tasks(
        &app,
        &zhang,
        &target,
        json!([{ "finding_id": finding, "measures": "补齐票据" }]),
    )
    .await;
    let id = &tasks[0].id;
    let unit = app.login("qingshi").await;
    // The team does not write the liaison's report.
    assert_eq!(
        report(&app, &zhang, id, "代写").await.status(),
        StatusCode::FORBIDDEN
    );
    let e = error(
        unit.post(app.url(&format!("/api/tasks/{id}/progress")))
            .json(&json!({ "id": "p-1", "note": "  " }))
            .send()
            .await
            .unwrap(),
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(e.field.as_deref(), Some("note"));
    // The outbox may send the same report twice; it is kept once and starts the work.
    for _ in 0..2 {
        let r = unit
            .post(app.url(&format!("/api/tasks/{id}/progress")))
            .json(&json!({ "id": "p-1", "note": "已召开村两委会部署整改" }))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::OK);
    }
    let photo = b"\xff\xd8\xff\xe0 a jpeg".to_vec();
    let put = |file_id: &str, content_type: &str, body: Vec<u8>| {
        unit.put(app.url(&format!("/api/tasks/{id}/files/{file_id}")))
            .header("content-type", content_type)
            .body(body)
            .send()
    };
    for _ in 0..2 {
        assert_eq!(
            put("ph-1", "image/jpeg", photo.clone())
                .await
                .unwrap()
                .status(),
            StatusCode::OK
        );
    }
    let e = error(
        put("ph-1", "image/jpeg", b"\xff\xd8\xff\xe0 other".to_vec())
            .await
            .unwrap(),
        StatusCode::CONFLICT,
    )
    .await;
    assert_eq!(e.field.as_deref(), Some("file_id"));
    let e = error(
        put("ph-2", "text/html", b"<b>".to_vec()).await.unwrap(),
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(e.field.as_deref(), Some("file"));
    // A phone's photo of a few MiB goes through; past the 5 MiB limit it is refused whole.
    let mut big = vec![0u8; 3 * 1024 * 1024];
    big[..4].copy_from_slice(b"\xff\xd8\xff\xe0");
    assert_eq!(
        put("ph-big", "image/jpeg", big).await.unwrap().status(),
        StatusCode::OK
    );
    assert_eq!(
        put("ph-huge", "image/jpeg", vec![0u8; 6 * 1024 * 1024])
            .await
            .unwrap()
            .status(),
        StatusCode::PAYLOAD_TOO_LARGE
    );

    let detail: TaskDetail = app.get_json(&zhang, &format!("/api/tasks/{id}")).await;
    assert_eq!(detail.task.status, TaskStatus::InProgress);
    assert_eq!(detail.progress.len(), 1);
    assert_eq!(detail.progress[0].note, "已召开村两委会部署整改");
    assert_eq!(detail.files.len(), 2);
    assert_eq!(
        detail
            .events
            .iter()
            .map(|e| (e.from, e.to))
            .collect::<Vec<_>>(),
        vec![(TaskStatus::Pending, TaskStatus::InProgress)]
    );
    let bytes = zhang
        .get(app.url(&format!("/api/tasks/{id}/files/ph-1")))
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    assert_eq!(bytes.as_ref(), photo.as_slice());
    // The unit reads its task, not the team's notes on the finding.
    let mine: TaskDetail = app.get_json(&unit, &format!("/api/tasks/{id}")).await;
    assert!(mine.finding_description.is_empty());
    // Another team sees nothing of it.
    let wang = app.login("wangfang").await;
    for path in [
        format!("/api/tasks/{id}"),
        format!("/api/tasks/{id}/files/ph-1"),
    ] {
        assert_eq!(
            wang.get(app.url(&path)).send().await.unwrap().status(),
            StatusCode::NOT_FOUND,
            "{path}"
        );
    }
}

#[tokio::test]
async fn the_ledger_is_scoped_and_exported_and_the_public_page_shows_closed_tasks_in_plain_words() {
    let app = TestApp::spawn().await;
    let (zhang, target, finding) = with_finding(&app).await;
    let petition = json!({ "focus": "policies", "title": "张三举报村主任优亲厚友", "description": "举报人张三，电话13800000000", "severity": "general", "source": "petition" });
    let r = zhang
        .put(app.url(&format!("/api/targets/{target}/findings/f-2")))
        .json(&petition)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let talk = json!({ "focus": "organisation", "title": "李四反映支书优亲厚友", "severity": "general", "source": "talk" });
    let r = zhang
        .put(app.url(&format!("/api/targets/{target}/findings/f-3")))
        .json(&talk)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let tasks = create_tasks(
        &app,
        &zhang,
        &target,
        json!([{ "finding_id": finding, "measures": "补齐票据，追回违规支出", "responsible_person": "李书记" },
               { "finding_id": "f-2", "measures": "约谈张三所反映的村主任，重新评议低保对象", "responsible_person": "李书记" },
               { "finding_id": finding, "measures": "建立财务公开制度", "deadline": "2026-01-31" },
               { "finding_id": "f-3", "measures": "就李四所谈问题约谈支书" },
               { "finding_id": finding, "measures": "会计人员培训" }]),
    )
    .await;
    close(&app, &zhang, &tasks[0].id).await;
    close(&app, &zhang, &tasks[1].id).await;
    close(&app, &zhang, &tasks[3].id).await;
    close_saying(&app, &zhang, &tasks[4].id, "已组织会计人员培训2次").await;
    // The liaison reads a petition's task under plain words, not the petition's title.
    let unit = app.login("qingshi").await;
    let mine: Vec<Task> = app.get_json(&unit, "/api/my/tasks").await;
    let petition_task = mine.iter().find(|t| t.id == tasks[1].id).unwrap();
    assert_eq!(petition_task.finding_title, "群众反映的问题");
    let talk_task = mine.iter().find(|t| t.id == tasks[3].id).unwrap();
    assert_eq!(talk_task.finding_title, "个别谈话中反映的问题");
    let detail: TaskDetail = app
        .get_json(&unit, &format!("/api/tasks/{}", tasks[1].id))
        .await;
    assert!(!serde_json::to_string(&detail).unwrap().contains("张三举报"));

    let admin = app.login("admin").await;
    let rounds: Vec<Value> = app.get_json(&admin, "/api/rounds").await;
    let round = rounds[0]["id"].as_str().unwrap().to_string();
    let ledger: xuncha_api::rectification::TaskLedger = app
        .get_json(
            &admin,
            &format!("/api/rounds/{round}/rectification?today=2026-06-01"),
        )
        .await;
    assert_eq!(ledger.rows.len(), 5);
    assert_eq!((ledger.counts.closed, ledger.counts.pending), (4, 1));
    assert_eq!(ledger.counts.overdue, 1);
    assert!(ledger.rows.iter().filter(|r| r.closed_on.is_some()).count() == 4);
    // Two villages of one name are told apart by their township.
    assert!(
        ledger.rows.iter().all(|r| r.township == "青石镇"),
        "{:?}",
        ledger.rows.iter().map(|r| &r.township).collect::<Vec<_>>()
    );
    // An inspector on none of the round's teams does not learn the round exists (its title
    // included); the unit reads none of the ledger.
    let wang = app.login("wangfang").await;
    for path in ["rectification", "rectification.xlsx"] {
        let r = wang
            .get(app.url(&format!("/api/rounds/{round}/{path}")))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::NOT_FOUND, "{path}");
    }
    let unit = app.login("qingshi").await;
    assert_eq!(
        unit.get(app.url(&format!("/api/rounds/{round}/rectification")))
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::FORBIDDEN
    );
    // The export holds the same rows.
    use calamine::Reader;
    let mut book = app
        .xlsx(&admin, &format!("/api/rounds/{round}/rectification.xlsx"))
        .await;
    let sheet = book.worksheet_range("整改台账").unwrap();
    let head: Vec<String> = sheet
        .rows()
        .next()
        .unwrap()
        .iter()
        .map(|c| c.to_string())
        .collect();
    assert_eq!(&head[..3], ["轮次", "乡镇（街道）", "被巡察组织"]);
    assert_eq!(sheet.rows().nth(1).unwrap()[1].to_string(), "青石镇");
    let cells: Vec<String> = sheet.rows().flatten().map(|c| c.to_string()).collect();
    assert!(cells.iter().any(|c| c == "建立财务公开制度"));
    assert!(cells.iter().any(|c| c == "已销号"));
    // The export holds what the page's filters show, its total counting those.
    for (query, rows, total) in [
        ("today=2026-06-01&overdue=true", 1, "合计 1 项"),
        ("status=closed", 4, "合计 4 项"),
        ("status=open&township=青石镇", 1, "合计 1 项"),
        ("township=柳河镇", 0, "合计 0 项"),
    ] {
        let mut book = app
            .xlsx(
                &admin,
                &format!("/api/rounds/{round}/rectification.xlsx?{query}"),
            )
            .await;
        let sheet = book.worksheet_range("整改台账").unwrap();
        let lines: Vec<String> = sheet
            .rows()
            .map(|r| {
                r.iter()
                    .map(|c| c.to_string())
                    .collect::<Vec<_>>()
                    .join("|")
            })
            .filter(|l| !l.replace('|', "").is_empty())
            .collect();
        // The header, the rows, the total.
        assert_eq!(lines.len(), rows + 2, "{query}: {lines:?}");
        assert!(
            lines.last().unwrap().starts_with(total),
            "{query}: {lines:?}"
        );
    }
    let terms: Vec<xuncha_api::rounds::Term> = app.get_json(&admin, "/api/terms").await;
    let term: xuncha_api::rectification::TaskLedger = app
        .get_json(&admin, &format!("/api/terms/{}/rectification", terms[0].id))
        .await;
    assert_eq!(term.rows.len(), 5);

    // Anyone, signed in or not, sees the closed tasks and nothing restricted.
    let village = tasks[0].org_id.clone();
    let anyone = TestApp::client();
    let public: xuncha_api::rectification::PublicDisclosure = app
        .get_json(
            &anyone,
            &format!("/api/public/orgs/{village}/rectification"),
        )
        .await;
    assert_eq!(public.org_name, "青石村");
    assert_eq!(public.items.len(), 4, "the open task stays inside");
    let text = serde_json::to_string(&public).unwrap();
    for secret in [
        "张三",
        "李四",
        "13800000000",
        "李书记",
        "已整改",
        "建立财务公开制度",
        "\"会计人员培训\"",
    ] {
        assert!(!text.contains(secret), "{secret} leaked");
    }
    assert!(text.contains("村集体资金白条入账"));
    assert!(text.contains("群众反映的问题"));
    assert!(text.contains("个别谈话中反映的问题"));
    assert_eq!(
        text.matches("已按要求整改到位").count(),
        2,
        "a petition's and a talk's measures give way to plain wording"
    );
    assert!(
        text.contains("已组织会计人员培训2次"),
        "the office's public wording replaces the measures"
    );
    // Public wording belongs to closing only.
    let e = error(
        move_task(
            &app,
            &zhang,
            &tasks[2].id,
            json!({ "to": "in_progress", "public_text": "x" }),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(e.field.as_deref(), Some("public_text"));
    let page = anyone
        .get(app.url(&format!("/gongkai/{village}")))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    let html = page.text().await.unwrap();
    assert!(html.contains("青石村巡察整改情况公开"));
    assert!(html.contains("补齐票据，追回违规支出"));
    assert!(!html.contains("张三") && !html.contains("李书记"));
    assert!(
        !html.contains("/api/") && !html.contains(&tasks[0].id),
        "no evidence file is linked"
    );
    assert_eq!(
        anyone
            .get(app.url("/gongkai/no-such-org"))
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn a_follow_up_target_shows_earlier_findings_and_may_reopen_them() {
    let app = TestApp::spawn().await;
    let (zhang, target, finding) = with_finding(&app).await;
    let tasks = create_tasks(
        &app,
        &zhang,
        &target,
        json!([{ "finding_id": finding, "measures": "补齐票据" }]),
    )
    .await;
    close(&app, &zhang, &tasks[0].id).await;
    let admin = app.login("admin").await;
    let terms: Vec<xuncha_api::rounds::Term> = app.get_json(&admin, "/api/terms").await;
    let post = |path: String, body: Value| {
        let req = admin.post(app.url(&path)).json(&body);
        async move {
            let r = req.send().await.unwrap();
            assert!(r.status().is_success(), "POST {path}");
            r.json::<Value>().await.unwrap()
        }
    };
    let round = post(
        "/api/rounds".into(),
        json!({ "term_id": terms[0].id, "name": "2026年回头看", "kind": "follow_up", "start_date": "2026-09-01", "end_date": "2026-10-15" }),
    )
    .await;
    let rid = round["id"].as_str().unwrap();
    let users: Vec<xuncha_api::users::UserView> = app.get_json(&admin, "/api/users").await;
    let lina = users.iter().find(|u| u.username == "lina").unwrap();
    let team = post(
        format!("/api/rounds/{rid}/teams"),
        json!({ "name": "回头看组", "leader_id": lina.id, "member_ids": [] }),
    )
    .await;
    let targets = post(
        format!("/api/rounds/{rid}/targets"),
        json!({ "team_id": team["id"], "org_ids": [tasks[0].org_id] }),
    )
    .await;
    let again = targets[0]["id"].as_str().unwrap();
    let li = app.login("lina").await;
    let earlier: Vec<xuncha_api::rectification::EarlierFinding> = app
        .get_json(&li, &format!("/api/targets/{again}/earlier-findings"))
        .await;
    assert_eq!(earlier.len(), 1);
    assert_eq!(earlier[0].round_name, "2026年第一轮");
    assert_eq!(earlier[0].tasks[0].status, TaskStatus::Closed);
    // The old team has no part in the follow-up.
    assert_eq!(
        zhang
            .get(app.url(&format!("/api/targets/{again}/earlier-findings")))
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::NOT_FOUND
    );
    // Only the organisation's own findings can be reopened here: a finding at another
    // village of the first round is refused.
    let rounds: Vec<Value> = app.get_json(&admin, "/api/rounds").await;
    let first = rounds.iter().find(|r| r["name"] == "2026年第一轮").unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let teams: Vec<Value> = app
        .get_json(&admin, &format!("/api/rounds/{first}/teams"))
        .await;
    let other_village = app
        .orgs(&admin)
        .await
        .into_iter()
        .find(|o| o.level == xuncha_api::orgs::OrgLevel::Village && o.id != tasks[0].org_id)
        .unwrap();
    let other = post(
        format!("/api/rounds/{first}/targets"),
        json!({ "team_id": teams[0]["id"], "org_ids": [other_village.id] }),
    )
    .await;
    // The answer lists the round's targets; ours is the other village's.
    let other_target = other
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["org_id"] == other_village.id.as_str())
        .unwrap()["id"]
        .as_str()
        .unwrap();
    let r = zhang
        .put(app.url(&format!("/api/targets/{other_target}/findings/f-other")))
        .json(&json!({ "focus": "policies", "title": "别处的问题", "severity": "general", "source": "visit" }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let r = li
        .post(app.url(&format!("/api/targets/{again}/tasks")))
        .json(&json!([{ "finding_id": "f-other", "measures": "x" }]))
        .send()
        .await
        .unwrap();
    let e = error(r, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(e.rows[0].field, "finding_id");
    // Found to have slipped back: a new task on the old finding, followed in this round.
    let reopened = create_tasks(
        &app,
        &li,
        again,
        json!([{ "finding_id": finding, "measures": "票据问题反弹，重新整改" }]),
    )
    .await;
    assert_eq!(reopened[0].target_id, again);
    let earlier: Vec<xuncha_api::rectification::EarlierFinding> = app
        .get_json(&li, &format!("/api/targets/{again}/earlier-findings"))
        .await;
    assert_eq!(
        earlier[0]
            .tasks
            .iter()
            .map(|t| t.status)
            .collect::<Vec<_>>(),
        vec![TaskStatus::Closed, TaskStatus::Pending]
    );
}

#[tokio::test]
async fn the_demo_county_gives_the_liaison_open_tasks_and_the_office_something_to_chase() {
    let url = xuncha_server::testkit::fresh_database_url().await.unwrap();
    let db = xuncha_server::db::Db::connect(&url).await.unwrap();
    db.migrate().await.unwrap();
    assert!(
        xuncha_server::demo::seed_if_empty(&db, &xuncha_server::demo::Size::county())
            .await
            .unwrap()
    );
    let count = |sql: &'static str| {
        let pool = db.pool.clone();
        async move {
            sqlx::query_scalar::<_, i64>(sql)
                .fetch_one(&pool)
                .await
                .unwrap()
        }
    };
    assert!(count("SELECT COUNT(*) FROM rectification_tasks WHERE status = 'closed'").await > 100);
    assert!(
        count(
            "SELECT COUNT(*) FROM rectification_tasks t JOIN users u ON u.org_id = t.org_id \
             WHERE u.username = 'qingshi' AND t.status IN ('pending', 'in_progress', 'submitted')"
        )
        .await
            > 0,
        "the demo liaison has work to do"
    );
    // Every closed task has its closing day, which the ledger and the public page show.
    assert_eq!(
        count(
            "SELECT COUNT(*) FROM rectification_tasks t WHERE t.status = 'closed' AND NOT EXISTS \
             (SELECT 1 FROM task_events e WHERE e.task_id = t.id AND e.to_status = 'closed')"
        )
        .await,
        0
    );
}
