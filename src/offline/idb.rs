//! The device's own store (IndexedDB): cached records and templates, drafts waiting to be
//! sent, photos. Opened once per page load.

use std::cell::RefCell;

use indexed_db_futures::database::{Database, VersionChangeEvent};
use indexed_db_futures::prelude::*;
use indexed_db_futures::transaction::TransactionMode;
use serde::de::DeserializeOwned;
use serde::Serialize;
use wasm_bindgen::{JsCast, JsValue};

pub const RECORDS: &str = "records";
pub const DRAFTS: &str = "drafts";
pub const PHOTOS: &str = "photos";
pub const BLOBS: &str = "blobs";
pub const META: &str = "meta";
/// Rectification tasks as last seen: each task's detail, and the liaison's list under "mine".
pub const TASKS: &str = "tasks";
/// Reports, photos and submissions of tasks, in the order they were made.
pub const TASK_WORK: &str = "task_work";

thread_local! {
    static DB: RefCell<Option<Database>> = const { RefCell::new(None) };
}

pub type IdbResult<T> = Result<T, String>;

async fn db() -> IdbResult<Database> {
    if let Some(db) = DB.with(|d| d.borrow().clone()) {
        return Ok(db);
    }
    let db = Database::open("xuncha")
        .with_version(2u32)
        .with_on_upgrade_needed(
            |_event: VersionChangeEvent, db: Database| -> indexed_db_futures::Result<()> {
                for name in [RECORDS, DRAFTS, PHOTOS, BLOBS, META, TASKS, TASK_WORK] {
                    if !db.object_store_names().any(|n| n == name) {
                        db.create_object_store(name).build()?;
                    }
                }
                Ok(())
            },
        )
        .await
        .map_err(|e| e.to_string())?;
    DB.with(|d| *d.borrow_mut() = Some(db.clone()));
    Ok(db)
}

// Values are stored as JSON text: the same serde code as the API reads and writes them,
// where a second (JS-object) serialiser would double the wasm of every type stored.

pub async fn put<T: Serialize>(store: &str, key: &str, value: &T) -> IdbResult<()> {
    let json = serde_json::to_string(value).map_err(|e| e.to_string())?;
    let db = db().await?;
    let tx = db
        .transaction(store)
        .with_mode(TransactionMode::Readwrite)
        .build()
        .map_err(|e| e.to_string())?;
    let os = tx.object_store(store).map_err(|e| e.to_string())?;
    let _: String = os
        .put(json)
        .with_key(key.to_string())
        .primitive()
        .map_err(|e| e.to_string())?
        .await
        .map_err(|e| e.to_string())?;
    tx.commit().await.map_err(|e| e.to_string())
}

pub async fn get<T: DeserializeOwned>(store: &str, key: &str) -> IdbResult<Option<T>> {
    let db = db().await?;
    let tx = db.transaction(store).build().map_err(|e| e.to_string())?;
    let os = tx.object_store(store).map_err(|e| e.to_string())?;
    let json: Option<String> = os
        .get(key)
        .primitive()
        .map_err(|e| e.to_string())?
        .await
        .map_err(|e| e.to_string())?;
    json.map(|j| serde_json::from_str(&j).map_err(|e| e.to_string()))
        .transpose()
}

pub async fn all<T: DeserializeOwned>(store: &str) -> IdbResult<Vec<T>> {
    let db = db().await?;
    let tx = db.transaction(store).build().map_err(|e| e.to_string())?;
    let os = tx.object_store(store).map_err(|e| e.to_string())?;
    let texts = os
        .get_all::<String>()
        .primitive()
        .map_err(|e| e.to_string())?
        .await
        .map_err(|e| e.to_string())?
        .collect::<indexed_db_futures::Result<Vec<String>>>()
        .map_err(|e| e.to_string())?;
    texts
        .iter()
        .map(|j| serde_json::from_str(j).map_err(|e| e.to_string()))
        .collect()
}

pub async fn delete(store: &str, key: &str) -> IdbResult<()> {
    let db = db().await?;
    let tx = db
        .transaction(store)
        .with_mode(TransactionMode::Readwrite)
        .build()
        .map_err(|e| e.to_string())?;
    let os = tx.object_store(store).map_err(|e| e.to_string())?;
    os.delete(key).await.map_err(|e| e.to_string())?;
    tx.commit().await.map_err(|e| e.to_string())
}

/// What [`rewrite`] does with the value it read.
pub enum Rewrite {
    Keep,
    Delete,
    Put(String),
}

/// Reads the value under `key` (JSON text) and, in the same transaction, keeps, deletes or
/// replaces it as `decide` says: a value saved meanwhile by another part of the page is never
/// overwritten by a decision made on an older read.
pub async fn rewrite(
    store: &str,
    key: &str,
    decide: &dyn Fn(Option<&str>) -> Rewrite,
) -> IdbResult<()> {
    let db = db().await?;
    let tx = db
        .transaction(store)
        .with_mode(TransactionMode::Readwrite)
        .build()
        .map_err(|e| e.to_string())?;
    let os = tx.object_store(store).map_err(|e| e.to_string())?;
    let json: Option<String> = os
        .get(key)
        .primitive()
        .map_err(|e| e.to_string())?
        .await
        .map_err(|e| e.to_string())?;
    match decide(json.as_deref()) {
        Rewrite::Keep => {}
        Rewrite::Delete => os.delete(key).await.map_err(|e| e.to_string())?,
        Rewrite::Put(new) => {
            let _: String = os
                .put(new)
                .with_key(key.to_string())
                .primitive()
                .map_err(|e| e.to_string())?
                .await
                .map_err(|e| e.to_string())?;
        }
    }
    tx.commit().await.map_err(|e| e.to_string())
}

pub async fn put_blob(key: &str, blob: &web_sys::Blob) -> IdbResult<()> {
    let db = db().await?;
    let tx = db
        .transaction(BLOBS)
        .with_mode(TransactionMode::Readwrite)
        .build()
        .map_err(|e| e.to_string())?;
    let os = tx.object_store(BLOBS).map_err(|e| e.to_string())?;
    let js: JsValue = blob.clone().into();
    let _: String = os
        .put(js)
        .with_key(key.to_string())
        .primitive()
        .map_err(|e| e.to_string())?
        .await
        .map_err(|e| e.to_string())?;
    tx.commit().await.map_err(|e| e.to_string())
}

pub async fn get_blob(key: &str) -> IdbResult<Option<web_sys::Blob>> {
    let db = db().await?;
    let tx = db.transaction(BLOBS).build().map_err(|e| e.to_string())?;
    let os = tx.object_store(BLOBS).map_err(|e| e.to_string())?;
    let js: Option<JsValue> = os
        .get(key)
        .primitive()
        .map_err(|e| e.to_string())?
        .await
        .map_err(|e| e.to_string())?;
    Ok(js.and_then(|v| v.dyn_into::<web_sys::Blob>().ok()))
}
