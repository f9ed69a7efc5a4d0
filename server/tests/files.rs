//! Uploaded files live in the file store under their SHA-256, not in the database: stored once
//! however often they are sent, served as sent, deleted only when no record names them, and
//! moved out of the database from rows an earlier version wrote.

mod common;

use std::time::Duration;

use base64::Engine;
use common::TestApp;
use reqwest::{Client, StatusCode};
use sha2::{Digest, Sha256};
use xuncha_server::files::upkeep;

fn sha(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

struct Photos<'a> {
    app: &'a TestApp,
    unit: Client,
    record: String,
}

impl Photos<'_> {
    fn url(&self, id: &str) -> String {
        self.app.url(&format!(
            "/api/checklists/records/{}/evidence/{id}",
            self.record
        ))
    }

    async fn add(&self, id: &str, item: &str, bytes: &[u8]) -> StatusCode {
        self.app
            .put_evidence(&self.unit, &self.record, id, item, bytes)
            .await
    }

    async fn remove(&self, id: &str) {
        let r = self.unit.delete(self.url(id)).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::NO_CONTENT);
    }

    async fn get(&self, id: &str) -> reqwest::Response {
        self.unit.get(self.url(id)).send().await.unwrap()
    }
}

async fn photos(app: &TestApp) -> Photos<'_> {
    let unit = app.login("qingshi").await;
    let record = app.open_self_check(&unit).await.id;
    Photos { app, unit, record }
}

fn in_store(app: &TestApp, sha: &str) -> bool {
    app.state
        .config
        .files_folder()
        .join(&sha[..2])
        .join(sha)
        .exists()
}

async fn data_column(app: &TestApp, id: &str) -> String {
    sqlx::query_scalar("SELECT data FROM evidence WHERE id = $1")
        .bind(id)
        .fetch_one(&app.state.db.pool)
        .await
        .unwrap()
}

#[tokio::test]
async fn a_photo_is_kept_once_in_the_file_store_and_served_as_sent() {
    let app = TestApp::spawn().await;
    let p = photos(&app).await;
    let photo = [b"\xff\xd8\xff\xe0".as_slice(), &[7u8; 300_000]].concat();
    let hash = sha(&photo);
    assert_eq!(p.add("first", "p-01", &photo).await, StatusCode::OK);
    // The same photo on another item, and a re-send after a lost reply.
    assert_eq!(p.add("second", "p-02", &photo).await, StatusCode::OK);
    assert_eq!(p.add("second", "p-02", &photo).await, StatusCode::OK);

    assert!(in_store(&app, &hash));
    let folder = app.state.config.files_folder();
    let kept: usize = std::fs::read_dir(folder.join(&hash[..2])).unwrap().count();
    assert_eq!(kept, 1, "one file for one photo sent three times");
    assert_eq!(
        data_column(&app, "first").await,
        "",
        "no bytes in the database"
    );

    let r = p.get("second").await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.headers()["content-type"], "image/jpeg");
    assert_eq!(r.headers()["content-length"], photo.len().to_string());
    assert_eq!(r.bytes().await.unwrap().as_ref(), photo.as_slice());
    // Not a file of this record: nothing about the store shows.
    let r = p.get("nothing-here").await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn removed_photos_leave_the_store_only_when_no_record_names_them() {
    let app = TestApp::spawn().await;
    let p = photos(&app).await;
    let shared = b"\xff\xd8\xff\xe0 the same photo on two items".to_vec();
    let alone = b"\xff\xd8\xff\xe0 a blurred photo".to_vec();
    assert_eq!(p.add("a", "p-01", &shared).await, StatusCode::OK);
    assert_eq!(p.add("b", "p-02", &shared).await, StatusCode::OK);
    assert_eq!(p.add("c", "p-03", &alone).await, StatusCode::OK);

    p.remove("a").await;
    p.remove("c").await;
    // Within the grace period nothing is deleted: the same bytes may be on their way again.
    assert_eq!(
        upkeep::sweep(&app.state.db, upkeep::GRACE).await.unwrap(),
        0
    );
    assert!(in_store(&app, &sha(&alone)));

    assert_eq!(
        upkeep::sweep(&app.state.db, Duration::ZERO).await.unwrap(),
        1
    );
    assert!(in_store(&app, &sha(&shared)), "still on item p-02");
    assert!(!in_store(&app, &sha(&alone)));
    assert_eq!(p.get("b").await.bytes().await.unwrap().as_ref(), shared);

    p.remove("b").await;
    assert_eq!(
        upkeep::sweep(&app.state.db, Duration::ZERO).await.unwrap(),
        1
    );
    assert!(!in_store(&app, &sha(&shared)));
    // Nothing is left listed, and a sweep with nothing to do does nothing.
    let listed: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM released_files")
        .fetch_one(&app.state.db.pool)
        .await
        .unwrap();
    assert_eq!(listed, 0);
    assert_eq!(
        upkeep::sweep(&app.state.db, Duration::ZERO).await.unwrap(),
        0
    );
}

/// A liaison takes a photo off one item and sends it on another while the sweep runs: the
/// photo that was accepted is always there to read.
#[tokio::test]
async fn a_photo_sent_again_while_the_sweep_runs_is_never_lost() {
    let app = TestApp::spawn().await;
    let p = photos(&app).await;
    for round in 0..12 {
        let photo = format!("\u{ff}photo of round {round}").into_bytes();
        let photo = [b"\xff\xd8\xff".as_slice(), &photo].concat();
        let first = format!("first-{round}");
        let again = format!("again-{round}");
        assert_eq!(p.add(&first, "p-01", &photo).await, StatusCode::OK);
        p.remove(&first).await;
        let (sent, swept) = tokio::join!(
            p.add(&again, "p-02", &photo),
            upkeep::sweep(&app.state.db, Duration::ZERO)
        );
        assert_eq!(sent, StatusCode::OK);
        swept.unwrap();
        let r = p.get(&again).await;
        assert_eq!(r.status(), StatusCode::OK, "round {round}");
        assert_eq!(r.bytes().await.unwrap().as_ref(), photo.as_slice());
        // A sweep after it deletes nothing that is named.
        upkeep::sweep(&app.state.db, Duration::ZERO).await.unwrap();
        assert!(in_store(&app, &sha(&photo)), "round {round}");
    }
}

/// Files an earlier version kept in the database (base64 in `data`) are in the store after
/// the next start, and the rows no longer hold them.
#[tokio::test]
async fn files_kept_in_the_database_by_an_earlier_version_move_out_at_start() {
    let app = TestApp::spawn().await;
    let p = photos(&app).await;
    let photo = b"\xff\xd8\xff\xe0 sent before the file store".to_vec();
    let other = b"\xff\xd8\xff\xe0 its hash was written wrong".to_vec();
    assert_eq!(p.add("old", "p-01", &photo).await, StatusCode::OK);
    assert_eq!(p.add("odd", "p-02", &other).await, StatusCode::OK);
    // As an earlier version left them: the bytes in the row, none in the store.
    let engine = base64::engine::general_purpose::STANDARD;
    for (id, bytes, noted) in [
        ("old", &photo, sha(&photo)),
        ("odd", &other, "0".repeat(64)),
    ] {
        sqlx::query("UPDATE evidence SET data = $1, sha256 = $2 WHERE id = $3")
            .bind(engine.encode(bytes))
            .bind(&noted)
            .bind(id)
            .execute(&app.state.db.pool)
            .await
            .unwrap();
        app.state.db.files.delete(&sha(bytes)).await.unwrap();
    }
    assert!(!in_store(&app, &sha(&photo)));

    // The next start moves them.
    let again = xuncha_server::Application::build((*app.state.config).clone())
        .await
        .unwrap();
    drop(again);
    for (id, bytes) in [("old", &photo), ("odd", &other)] {
        assert_eq!(data_column(&app, id).await, "", "{id}");
        assert!(in_store(&app, &sha(bytes)), "{id}");
        let r = p.get(id).await;
        assert_eq!(r.status(), StatusCode::OK);
        assert_eq!(r.bytes().await.unwrap().as_ref(), bytes.as_slice());
    }
    let noted: String = sqlx::query_scalar("SELECT sha256 FROM evidence WHERE id = 'odd'")
        .fetch_one(&app.state.db.pool)
        .await
        .unwrap();
    assert_eq!(noted, sha(&other), "the address is what the bytes are");
    // Nothing left to move.
    assert_eq!(
        upkeep::move_out_of_database(&app.state.db).await.unwrap(),
        0
    );
}
