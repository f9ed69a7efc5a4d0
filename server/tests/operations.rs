//! Operations an office's technician runs: a backup taken while the server serves and put
//! back elsewhere, and the move of a county's SQLite database up to PostgreSQL. Each is
//! checked the way a technician would: every table's rows, the audit chain, a photo, a
//! sign-in on the copy.

mod common;

use std::path::PathBuf;

use common::TestApp;
use reqwest::StatusCode;
use xuncha_server::config::{Command, Config};
use xuncha_server::db::Backend;
use xuncha_server::operations::backup;
use xuncha_server::{demo, testkit, tools, Application};

fn temp(name: &str) -> PathBuf {
    std::env::temp_dir().join(format!("xuncha-{name}-{}", uuid::Uuid::new_v4().simple()))
}

/// A server on `config` with the small demo county, as the HTTP tests have it.
async fn serve(config: Config) -> TestApp {
    let app = Application::build(config).await.unwrap();
    demo::seed_if_empty(&app.state.db, &testkit::small_size())
        .await
        .unwrap();
    let base = format!("http://{}", app.address());
    let state = app.state.clone();
    tokio::spawn(app.run_until_stopped());
    TestApp { base, state }
}

const PHOTO: &[u8] = b"\xff\xd8\xff\xe0 the village's notice board";

/// A liaison's self-check with a photo: rows in several tables, a file, audit entries.
async fn some_work(app: &TestApp) -> String {
    let unit = app.login("qingshi").await;
    let record = app.open_self_check(&unit).await;
    let sent = app
        .put_evidence(&unit, &record.id, "board", "p-01", PHOTO)
        .await;
    assert_eq!(sent, StatusCode::OK);
    record.id
}

async fn photo_of(app: &TestApp, record: &str) -> Vec<u8> {
    let unit = app.login("qingshi").await;
    let r = unit
        .get(app.url(&format!("/api/checklists/records/{record}/evidence/board")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    r.bytes().await.unwrap().to_vec()
}

async fn audit_intact(app: &TestApp) -> i64 {
    let check = xuncha_server::audit::chain::verify(&app.state.db, None)
        .await
        .unwrap();
    assert!(check.broken.is_none(), "{}", tools::report(&check));
    check.entries
}

#[tokio::test]
async fn a_backup_taken_while_serving_puts_back_every_row_and_file() {
    let app = TestApp::spawn().await;
    let dir = temp("backup");
    let config = (*app.state.config).clone();
    if app.state.db.backend == Backend::Postgres {
        let refused = tools::run(&config, &Command::Backup { dir }).await;
        assert!(format!("{:?}", refused.unwrap_err()).contains("pg_dump"));
        return postgres_backup_as_the_readme_says(&app).await;
    }
    let record = some_work(&app).await;
    let entries = audit_intact(&app).await;
    let code = tools::run(&config, &Command::Backup { dir: dir.clone() })
        .await
        .unwrap();
    assert_eq!(code, 0);
    // The server goes on; backing up into the same folder again takes the new rows and
    // copies no file twice.
    app.login("lina").await;
    let before = backup::row_counts(&app.state.db).await.unwrap();
    let again = backup::backup(&app.state.db, &config.files_folder(), &dir)
        .await
        .unwrap();
    assert_eq!(again.files, 0);
    assert_eq!(again.rows, before);
    // What is written after the backup is not in it.
    app.login("liuyang").await;
    assert_ne!(backup::row_counts(&app.state.db).await.unwrap(), before);

    let restored_at = temp("restored");
    let mut restored = Config::for_tests(format!(
        "sqlite://{}",
        restored_at.join("xuncha.db").display()
    ));
    restored.files = Some(restored_at.join("files"));
    let code = tools::run(
        &restored,
        &Command::Restore {
            dir: dir.clone(),
            replace: false,
        },
    )
    .await
    .unwrap();
    assert_eq!(code, 0);
    // Over a database that exists, only when told; the one replaced is kept aside.
    let refused = tools::run(
        &restored,
        &Command::Restore {
            dir: dir.clone(),
            replace: false,
        },
    )
    .await
    .unwrap_err();
    assert!(refused.to_string().contains("--replace"), "{refused}");
    tools::run(
        &restored,
        &Command::Restore {
            dir: dir.clone(),
            replace: true,
        },
    )
    .await
    .unwrap();
    let aside = std::fs::read_dir(&restored_at)
        .unwrap()
        .filter(|e| {
            let name = e.as_ref().unwrap().file_name();
            name.to_string_lossy().contains("before-restore")
        })
        .count();
    assert!(aside >= 1, "the replaced database is kept");

    let copy = serve(restored).await;
    // Every table as it was when the backup was taken, not after (the sign-in since).
    assert_eq!(backup::row_counts(&copy.state.db).await.unwrap(), before);
    assert!(audit_intact(&copy).await > entries);
    assert_eq!(photo_of(&copy, &record).await, PHOTO);
}

#[tokio::test]
async fn a_county_moves_from_sqlite_to_postgres_with_every_row_and_its_audit_chain() {
    if std::env::var(testkit::PG_ENV).map_or(true, |v| v.is_empty()) {
        eprintln!(
            "skipped here: runs in the PostgreSQL pass ({})",
            testkit::PG_ENV
        );
        return;
    }
    let at = temp("county");
    let mut county = Config::for_tests(format!("sqlite://{}", at.join("xuncha.db").display()));
    county.files = Some(at.join("files"));
    let app = serve(county.clone()).await;
    let record = some_work(&app).await;
    let entries = audit_intact(&app).await;

    let url = testkit::fresh_database_url().await.unwrap();
    assert!(url.starts_with("postgres"));
    let code = tools::run(&county, &Command::MigrateTo { url: url.clone() })
        .await
        .unwrap();
    assert_eq!(code, 0);
    // Into a database that holds anything: refused, nothing written twice.
    let refused = tools::run(&county, &Command::MigrateTo { url: url.clone() })
        .await
        .unwrap_err();
    assert!(refused.to_string().contains("not empty"), "{refused}");

    let mut moved = Config::for_tests(url);
    moved.files = county.files.clone();
    let pg = serve(moved).await;
    assert_eq!(pg.state.db.backend, Backend::Postgres);
    assert_eq!(
        backup::row_counts(&pg.state.db).await.unwrap(),
        backup::row_counts(&app.state.db).await.unwrap()
    );
    assert_eq!(audit_intact(&pg).await, entries);
    assert_eq!(photo_of(&pg, &record).await, PHOTO);
    // And it goes on from there: a new entry links to the copied chain.
    pg.login("lina").await;
    assert!(audit_intact(&pg).await > entries);
}

/// The PostgreSQL tools of the newest version installed (Debian keeps them by version).
fn pg_tool(name: &str) -> PathBuf {
    let mut found: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .expect("PostgreSQL is installed")
        .filter_map(|e| e.ok())
        .map(|e| e.path().join("bin").join(name))
        .filter(|p| p.exists())
        .collect();
    found.sort_by_key(|p| {
        p.components()
            .nth(4)
            .and_then(|c| c.as_os_str().to_str()?.parse::<u32>().ok())
    });
    found.pop().unwrap_or_else(|| panic!("{name} is installed"))
}

/// `pg_dump -Fc` and `pg_restore` into a new database, with the same file folder: every row,
/// the audit chain and a photo are there.
async fn postgres_backup_as_the_readme_says(app: &TestApp) {
    let record = some_work(app).await;
    let entries = audit_intact(app).await;
    let before = backup::row_counts(&app.state.db).await.unwrap();
    let url = app.state.config.database_url.clone();
    let dump = temp("dump");
    let ran = std::process::Command::new(pg_tool("pg_dump"))
        .args(["-Fc", "-f"])
        .arg(&dump)
        .arg(&url)
        .output()
        .unwrap();
    assert!(
        ran.status.success(),
        "{}",
        String::from_utf8_lossy(&ran.stderr)
    );
    let restored_url = testkit::fresh_database_url().await.unwrap();
    let ran = std::process::Command::new(pg_tool("pg_restore"))
        .args(["--no-owner", "-d", &restored_url])
        .arg(&dump)
        .output()
        .unwrap();
    assert!(
        ran.status.success(),
        "{}",
        String::from_utf8_lossy(&ran.stderr)
    );
    let mut restored = Config::for_tests(restored_url);
    restored.files = app.state.config.files.clone();
    let copy = serve(restored).await;
    assert_eq!(backup::row_counts(&copy.state.db).await.unwrap(), before);
    assert_eq!(audit_intact(&copy).await, entries);
    assert_eq!(photo_of(&copy, &record).await, PHOTO);
}
