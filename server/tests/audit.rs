//! The audit log: append-only, filtered and paged.
//! On SQLite, and on PostgreSQL when XUNCHA_TEST_POSTGRES is set.

mod common;

use common::TestApp;

#[tokio::test]
async fn the_audit_log_cannot_be_changed_through_the_api() {
    let app = TestApp::spawn().await;
    let admin = app.login("admin").await;
    let page = app.audit(&admin, "").await;
    let id = &page.entries[0].id;
    for method in [
        reqwest::Method::DELETE,
        reqwest::Method::PUT,
        reqwest::Method::PATCH,
        reqwest::Method::POST,
    ] {
        let r = admin
            .request(method.clone(), app.url("/api/audit"))
            .send()
            .await
            .unwrap();
        assert!(r.status().is_client_error(), "{method} /api/audit");
        let r = admin
            .request(method.clone(), app.url(&format!("/api/audit/{id}")))
            .send()
            .await
            .unwrap();
        assert!(r.status().is_client_error(), "{method} /api/audit/id");
    }
    let again = app.audit(&admin, "").await;
    assert!(again.entries.iter().any(|e| &e.id == id));
}

#[tokio::test]
async fn the_audit_log_filters_and_pages() {
    let app = TestApp::spawn().await;
    let admin = app.login("admin").await;
    app.login("lina").await;
    app.try_login("lina", "wrong-wrong").await;
    let logins = app.audit(&admin, "?action=auth.login").await;
    assert!(logins
        .entries
        .iter()
        .all(|e| e.action.starts_with("auth.login")));
    assert!(logins
        .entries
        .iter()
        .any(|e| e.action == "auth.login_failed"));
    let first = app.audit(&admin, "?limit=2").await;
    assert_eq!(first.entries.len(), 2);
    let next = first.next_before.unwrap();
    let second = app.audit(&admin, &format!("?limit=2&before={next}")).await;
    assert!(second.entries.iter().all(|e| e.id < next));
}

#[tokio::test]
async fn the_log_names_each_object_by_day_in_china_time_but_never_a_restricted_record() {
    let app = TestApp::spawn().await;
    let admin = app.login("admin").await;
    let village = app.org_named(&admin, "青石村").await;
    let r = admin
        .patch(app.url(&format!("/api/orgs/{}", village.id)))
        .json(&serde_json::json!({ "secretary": "李四" }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), reqwest::StatusCode::OK);
    let users: Vec<xuncha_api::users::UserView> = app.get_json(&admin, "/api/users").await;
    let admin_id = &users.iter().find(|u| u.username == "admin").unwrap().id;
    let page = app
        .audit(&admin, &format!("?object_type=org&actor_id={admin_id}"))
        .await;
    let e = page
        .entries
        .iter()
        .find(|e| e.action == "org.update")
        .expect("the update");
    assert_eq!(e.object_name.as_deref(), Some("青石村"));
    assert_eq!(e.detail["secretary"][1], "李四");
    // Sign-ins name the user.
    let logins = app.audit(&admin, "?action=auth.login").await;
    assert!(logins
        .entries
        .iter()
        .all(|e| e.object_name.as_deref() == Some("王建国")));

    // Days are China's: an entry made now falls on today's date there, not yesterday's.
    let today = (chrono::Utc::now() + chrono::Duration::hours(8)).date_naive();
    let yesterday = today.pred_opt().unwrap();
    let on = |from: chrono::NaiveDate, to: chrono::NaiveDate| {
        let admin = admin.clone();
        let app = &app;
        async move {
            app.audit(&admin, &format!("?object_type=org&from={from}&to={to}"))
                .await
                .entries
                .len()
        }
    };
    assert!(on(today, today).await >= 1);
    assert_eq!(on(yesterday, yesterday).await, 0);
    assert_eq!(
        on(today.succ_opt().unwrap(), today.succ_opt().unwrap()).await,
        0
    );
    let r = admin
        .get(app.url("/api/audit?from=2026-13-01"))
        .send()
        .await
        .unwrap();
    assert!(r.status().is_client_error(), "{}", r.status());

    // A talk's entries carry its id, never a name from it.
    let target = app
        .round_with_target(&admin, "zhangwei", &["wangfang"])
        .await;
    let office = xuncha_server::testkit::fixtures::Office::with(admin.clone(), &app.base);
    let inspectors = serde_json::json!([
        office.user_id("zhangwei").await,
        office.user_id("wangfang").await
    ]);
    let zhang = app.login("zhangwei").await;
    let r = zhang
        .put(app.url(&format!("/api/targets/{target}/talks/talk-1")))
        .json(&serde_json::json!({ "kind": "talk", "person_name": "村会计王某", "held_on": "2026-03-12",
            "inspectors": inspectors, "summary": "反映白条入账", "private": true }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), reqwest::StatusCode::OK, "{:?}", r.text().await);
    let talks = app.audit(&admin, "?object_type=talk").await;
    assert!(!talks.entries.is_empty());
    assert!(talks.entries.iter().all(|e| e.object_name.is_none()));
}

// ---- the hash chain ----

use xuncha_api::audit::{AuditBreakKind, AuditCheck, AuditCheckpoint};
use xuncha_server::audit::{self, chain};
use xuncha_server::db::{Backend, Db};

/// As an attacker with database access would: the triggers first.
async fn drop_triggers(db: &Db) {
    let statements: &[&'static str] = match db.backend {
        Backend::Sqlite => &[
            "DROP TRIGGER audit_log_no_update",
            "DROP TRIGGER audit_log_no_delete",
        ],
        Backend::Postgres => &["DROP TRIGGER audit_log_no_change ON audit_log"],
    };
    for s in statements {
        sqlx::query(*s).execute(&db.pool).await.unwrap();
    }
}

async fn write_entries(db: &Db, n: usize) {
    for i in 0..n {
        let mut tx = db.begin().await.unwrap();
        audit::record(
            &mut tx,
            None,
            "test.entry",
            "test",
            Some(&format!("t{i}")),
            serde_json::json!({ "i": i }),
        );
        tx.commit().await.unwrap();
    }
}

async fn check(app: &TestApp, query: &str) -> AuditCheck {
    let admin = app.login("admin").await;
    let r = admin
        .get(app.url(&format!("/api/audit/verify{query}")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    r.json().await.unwrap()
}

/// The server binary's own `audit verify`, as an operator runs it.
fn verify_command(app: &TestApp, checkpoint: Option<&AuditCheckpoint>) -> (i32, String) {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_xuncha-server"));
    cmd.env("DATABASE_URL", &app.state.config.database_url)
        .args(["audit", "verify"]);
    if let Some(c) = checkpoint {
        cmd.arg("--checkpoint").arg(c.to_string());
    }
    let out = cmd.output().unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

#[tokio::test]
async fn the_database_refuses_to_change_or_delete_an_audit_entry() {
    let app = TestApp::spawn().await;
    let db = &app.state.db;
    write_entries(db, 1).await;
    for statement in [
        "UPDATE audit_log SET detail = '{}'",
        "UPDATE audit_log SET seq = NULL, hash = NULL",
        "DELETE FROM audit_log",
        "DELETE FROM audit_head",
    ] {
        let refused = sqlx::query(statement).execute(&db.pool).await;
        let message = refused.expect_err(statement).to_string();
        assert!(
            message.contains("append-only") || message.contains("never removed"),
            "{statement}: {message}"
        );
    }
    if db.backend == Backend::Postgres {
        let refused = sqlx::query("TRUNCATE audit_log").execute(&db.pool).await;
        assert!(refused.is_err(), "TRUNCATE");
    }
    let c = check(&app, "").await;
    assert_eq!(c.broken, None);
    assert!(
        c.entries >= 1,
        "the demo seed and the test's entry are in the chain"
    );
    assert_eq!(chain::checkpoint(db).await.unwrap(), c.head);
}

#[tokio::test]
async fn an_entry_changed_behind_the_triggers_is_named_by_verify() {
    let app = TestApp::spawn().await;
    let db = &app.state.db;
    write_entries(db, 5).await;
    let (code, text) = verify_command(&app, None);
    assert_eq!(code, 0, "{text}");
    assert!(text.contains("intact"), "{text}");
    let head = check(&app, "").await.head;
    let target = head.seq - 2;
    let id: String = sqlx::query_scalar("SELECT id FROM audit_log WHERE seq = $1")
        .bind(target)
        .fetch_one(&db.pool)
        .await
        .unwrap();
    drop_triggers(db).await;
    sqlx::query("UPDATE audit_log SET detail = '{\"i\":99}' WHERE seq = $1")
        .bind(target)
        .execute(&db.pool)
        .await
        .unwrap();
    let c = check(&app, "").await;
    let broken = c.broken.expect("the change is found");
    assert_eq!(
        (broken.kind, broken.seq, broken.entry_id.as_deref()),
        (AuditBreakKind::Altered, target, Some(id.as_str()))
    );
    let (code, text) = verify_command(&app, None);
    assert_eq!(code, 1, "{text}");
    assert!(
        text.contains(&format!("#{target}")) && text.contains(&id),
        "{text}"
    );
    // With the changed entry's own hash recomputed, the break is its link to the next one.
    let row = sqlx::query(
        "SELECT id, at, actor_id, actor_name, action, object_type, object_id, detail, prev_hash \
         FROM audit_log WHERE seq = $1",
    )
    .bind(target)
    .fetch_one(&db.pool)
    .await
    .unwrap();
    use sqlx::Row;
    let entry = chain::Pending {
        id: row.get("id"),
        at: row.get("at"),
        actor_id: row.get("actor_id"),
        actor_name: row.get("actor_name"),
        action: row.get("action"),
        object_type: row.get("object_type"),
        object_id: row.get("object_id"),
        detail: row.get("detail"),
    };
    let prev: String = row.get("prev_hash");
    sqlx::query("UPDATE audit_log SET hash = $1 WHERE seq = $2")
        .bind(chain::hash(target, &prev, &entry))
        .bind(target)
        .execute(&db.pool)
        .await
        .unwrap();
    let broken = check(&app, "").await.broken.expect("the change is found");
    assert_eq!(
        (broken.kind, broken.seq),
        (AuditBreakKind::Unlinked, target + 1)
    );
}

#[tokio::test]
async fn an_entry_deleted_or_added_behind_the_triggers_is_named_by_verify() {
    let app = TestApp::spawn().await;
    let db = &app.state.db;
    write_entries(db, 5).await;
    let head = check(&app, "").await.head;
    drop_triggers(db).await;

    // The last entry gone: the head still counts it.
    sqlx::query("DELETE FROM audit_log WHERE seq = $1")
        .bind(head.seq)
        .execute(&db.pool)
        .await
        .unwrap();
    let broken = check(&app, "").await.broken.expect("the deletion is found");
    assert_eq!(
        (broken.kind, broken.seq),
        (AuditBreakKind::Missing, head.seq)
    );

    // One in the middle gone.
    sqlx::query("DELETE FROM audit_log WHERE seq = $1")
        .bind(head.seq - 3)
        .execute(&db.pool)
        .await
        .unwrap();
    let broken = check(&app, "").await.broken.expect("the deletion is found");
    assert_eq!(
        (broken.kind, broken.seq),
        (AuditBreakKind::Missing, head.seq - 3)
    );
    let (code, text) = verify_command(&app, None);
    assert_eq!(code, 1);
    assert!(text.contains(&format!("#{}", head.seq - 3)), "{text}");
}

#[tokio::test]
async fn a_chain_cut_back_at_the_end_is_caught_by_a_checkpoint_written_down_earlier() {
    let app = TestApp::spawn().await;
    let db = &app.state.db;
    write_entries(db, 4).await;
    let written_down = chain::checkpoint(db).await.unwrap();
    write_entries(db, 2).await;
    let query = format!("?checkpoint={written_down}");
    assert_eq!(check(&app, &query).await.broken, None);
    assert_eq!(verify_command(&app, Some(&written_down)).0, 0);

    // Entries from the checkpoint on removed and the head set back to the one before: the
    // chain alone holds together.
    drop_triggers(db).await;
    let before: String = sqlx::query_scalar("SELECT hash FROM audit_log WHERE seq = $1")
        .bind(written_down.seq - 1)
        .fetch_one(&db.pool)
        .await
        .unwrap();
    sqlx::query("DELETE FROM audit_log WHERE seq >= $1")
        .bind(written_down.seq)
        .execute(&db.pool)
        .await
        .unwrap();
    sqlx::query("UPDATE audit_head SET seq = $1, hash = $2")
        .bind(written_down.seq - 1)
        .bind(&before)
        .execute(&db.pool)
        .await
        .unwrap();
    assert_eq!(check(&app, "").await.broken, None);
    let broken = check(&app, &query)
        .await
        .broken
        .expect("the checkpoint catches it");
    assert_eq!(
        (broken.kind, broken.seq),
        (AuditBreakKind::Checkpoint, written_down.seq)
    );
    let (code, text) = verify_command(&app, Some(&written_down));
    assert_eq!(code, 1, "{text}");

    // A row slipped in without a place in the chain.
    sqlx::query(
        "INSERT INTO audit_log (id, at, action, object_type, detail) \
         VALUES ('zzzz', '2026-12-01T00:00:00.000000Z', 'x', 'x', '{}')",
    )
    .execute(&db.pool)
    .await
    .unwrap();
    let broken = check(&app, "")
        .await
        .broken
        .expect("the stray row is found");
    assert_eq!(
        (broken.kind, broken.entry_id.as_deref()),
        (AuditBreakKind::Outside, Some("zzzz"))
    );
}

#[tokio::test]
async fn a_thousand_concurrent_writes_leave_one_unbroken_chain() {
    let app = TestApp::spawn().await;
    let db = app.state.db.clone();
    let before = chain::checkpoint(&db).await.unwrap().seq;
    let writers = (0..1000).map(|i| {
        let db = db.clone();
        tokio::spawn(async move {
            let mut tx = db.begin().await?;
            audit::record(
                &mut tx,
                None,
                "test.concurrent",
                "test",
                Some(&i.to_string()),
                serde_json::json!({ "i": i }),
            );
            tx.commit().await
        })
    });
    for w in futures::future::join_all(writers).await {
        w.unwrap().expect("every write commits");
    }
    let c = check(&app, "").await;
    assert_eq!(c.broken, None);
    assert_eq!(c.entries, before + 1000 + 1, "1000 writes and the sign-in");
    let seqs: Vec<i64> = sqlx::query_scalar("SELECT seq FROM audit_log ORDER BY seq")
        .fetch_all(&db.pool)
        .await
        .unwrap();
    assert_eq!(seqs, (1..=c.entries).collect::<Vec<_>>(), "no gap, no fork");
}

#[tokio::test]
async fn only_the_office_and_discipline_verify_and_a_bad_checkpoint_is_a_field_error() {
    let app = TestApp::spawn().await;
    for (user, status) in [
        ("admin", 200),
        ("liuyang", 200),
        ("zhangwei", 403),
        ("qingshi", 403),
    ] {
        let c = app.login(user).await;
        let r = c.get(app.url("/api/audit/verify")).send().await.unwrap();
        assert_eq!(r.status(), status, "{user}");
    }
    let r = TestApp::client()
        .get(app.url("/api/audit/verify"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    let admin = app.login("admin").await;
    let r = admin
        .get(app.url("/api/audit/verify?checkpoint=12:nothex"))
        .send()
        .await
        .unwrap();
    common::assert_invalid(
        r,
        "checkpoint",
        xuncha_api::Problem::BadFormat {
            expected: "seq:hash (64 hex digits)".into(),
        },
    )
    .await;
}

#[tokio::test]
async fn entries_from_before_the_chain_are_linked_once_at_the_upgrade() {
    let url = xuncha_server::testkit::fresh_database_url().await.unwrap();
    let db = Db::connect(&url).await.unwrap();
    // The database as the release before the chain left it.
    sqlx::migrate!("./migrations")
        .run_to(8, &db.pool)
        .await
        .unwrap();
    for (id, action) in [
        ("0001", "org.create"),
        ("0002", "user.create"),
        ("0003", "auth.login"),
    ] {
        sqlx::query(
            "INSERT INTO audit_log (id, at, action, object_type, detail) \
             VALUES ($1, '2026-11-01T00:00:00.000000Z', $2, 'x', '{}')",
        )
        .bind(id)
        .bind(action)
        .execute(&db.pool)
        .await
        .unwrap();
    }
    db.migrate().await.unwrap();
    let check = chain::verify(&db, None).await.unwrap();
    assert_eq!((check.entries, &check.broken), (3, &None));
    let order: Vec<String> = sqlx::query_scalar("SELECT action FROM audit_log ORDER BY seq")
        .fetch_all(&db.pool)
        .await
        .unwrap();
    assert_eq!(order, ["org.create", "user.create", "auth.login"]);
    // Sealed now: the triggers hold for them too, and a second start changes nothing.
    assert!(sqlx::query("UPDATE audit_log SET action = 'x'")
        .execute(&db.pool)
        .await
        .is_err());
    db.migrate().await.unwrap();
    assert_eq!(chain::verify(&db, None).await.unwrap(), check);
}
