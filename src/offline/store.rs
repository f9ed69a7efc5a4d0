//! The device's own store: cached records and templates, drafts waiting to be sent, photos.
//! IndexedDB where the browser has it; where it is missing or refuses (some in-app browsers,
//! private windows), localStorage; where that refuses too, the open page's memory. Which one
//! holds the work is told to the user ([`keeping`]): a save is never shown as kept on the
//! phone when it only lives in the page.

use std::cell::RefCell;
use std::collections::BTreeMap;

use base64::Engine as _;
use indexed_db_futures::database::{Database, VersionChangeEvent};
use indexed_db_futures::prelude::*;
use indexed_db_futures::transaction::TransactionMode;
use serde::de::DeserializeOwned;
use serde::Serialize;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use crate::api::AppError;

pub const RECORDS: &str = "records";
pub const DRAFTS: &str = "drafts";
pub const PHOTOS: &str = "photos";
pub const BLOBS: &str = "blobs";
pub const META: &str = "meta";
/// Rectification tasks as last seen: each task's detail, and the liaison's list under "mine".
pub const TASKS: &str = "tasks";
/// Reports, photos and submissions of tasks, in the order they were made.
pub const TASK_WORK: &str = "task_work";
/// Talk records an inspector saved on this device and has not sent.
pub const TALK_WORK: &str = "talk_work";
/// Photos on the server that the user took off an item on this device, not yet sent.
pub const REMOVALS: &str = "removals";
/// Changes of a target's stationing lists and visits an inspector made here, not yet sent.
pub const STATION_WORK: &str = "station_work";
/// Findings an inspector recorded on this device and has not sent.
pub const FINDING_WORK: &str = "finding_work";
/// Petitions the team entered by hand (a letter, a call, the box) and has not sent.
pub const PETITION_WORK: &str = "petition_work";
/// Rectification tasks (立行立改 among them) created here with no network, not yet sent.
pub const NEW_TASK_WORK: &str = "new_task_work";
/// What the server last answered for pages read on site ([`fresh_or_kept`]): talks and
/// petitions among it, so it is emptied when the user signs out.
pub const KEPT: &str = "kept";

const STORES: [&str; 14] = [
    RECORDS,
    DRAFTS,
    PHOTOS,
    BLOBS,
    META,
    TASKS,
    TASK_WORK,
    TALK_WORK,
    REMOVALS,
    STATION_WORK,
    FINDING_WORK,
    PETITION_WORK,
    NEW_TASK_WORK,
    KEPT,
];

/// Where this browser lets the app keep what the user does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Keeping {
    /// IndexedDB: survives reloads and closed tabs, room for photos.
    Database,
    /// localStorage: survives reloads, but holds a few megabytes (a handful of photos).
    SmallStore,
    /// Nothing the browser keeps: lost when the page is closed or reloaded.
    PageOnly,
}

#[derive(Clone)]
enum Backend {
    Idb(Database),
    Local(web_sys::Storage),
    Memory,
}

thread_local! {
    static BACKEND: RefCell<Option<Backend>> = const { RefCell::new(None) };
    /// A database call failed: open the database again before the next one.
    static STALE: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
    /// The page-only store: store → key → JSON text, and blobs by key.
    static MEMORY: RefCell<BTreeMap<String, String>> = const { RefCell::new(BTreeMap::new()) };
    static MEMORY_BLOBS: RefCell<BTreeMap<String, web_sys::Blob>> = const { RefCell::new(BTreeMap::new()) };
}

pub type StoreResult<T> = Result<T, AppError>;

fn text(e: impl std::fmt::Display) -> AppError {
    AppError::Storage(e.to_string())
}

fn js_text(e: JsValue) -> AppError {
    AppError::Storage(e.as_string().unwrap_or_else(|| format!("{e:?}")))
}

/// A store failure said in so many words.
fn failure(what: &str) -> AppError {
    AppError::Storage(what.to_string())
}

async fn open_idb() -> StoreResult<Database> {
    // Some in-app browsers have no `indexedDB`, or one that throws when touched.
    let window = web_sys::window().ok_or_else(|| failure("no window"))?;
    let factory = js_sys::Reflect::get(&window, &"indexedDB".into()).map_err(js_text)?;
    if factory.is_undefined() || factory.is_null() {
        return Err(failure("no indexedDB"));
    }
    Database::open("xuncha")
        .with_version(7u32)
        .with_on_upgrade_needed(
            |_event: VersionChangeEvent, db: Database| -> indexed_db_futures::Result<()> {
                for name in STORES {
                    if !db.object_store_names().any(|n| n == name) {
                        db.create_object_store(name).build()?;
                    }
                }
                Ok(())
            },
        )
        .await
        .map_err(text)
}

/// localStorage, if it takes a write (Safari's private windows had one that threw on every
/// write; some WebViews have it switched off and answer null).
fn open_local() -> Option<web_sys::Storage> {
    let storage = web_sys::window()?.local_storage().ok().flatten()?;
    let probe = "xuncha:probe";
    storage.set_item(probe, "1").ok()?;
    storage.remove_item(probe).ok()?;
    Some(storage)
}

async fn backend() -> Backend {
    let known = BACKEND.with(|b| b.borrow().clone());
    match known {
        Some(Backend::Idb(_)) if STALE.get() => {
            // Once the page works in IndexedDB it stays there: a reopening that fails keeps
            // the dead connection (each call fails, visibly) rather than move the work to
            // another store the page has not told the user about.
            STALE.set(false);
            if let Ok(db) = open_idb().await {
                BACKEND.with(|b| *b.borrow_mut() = Some(Backend::Idb(db)));
            }
            BACKEND.with(|b| b.borrow().clone()).expect("a backend")
        }
        Some(b) => b,
        None => {
            let chosen = match open_idb().await {
                Ok(db) => Backend::Idb(db),
                Err(_) => match open_local() {
                    Some(s) => Backend::Local(s),
                    None => Backend::Memory,
                },
            };
            // Two calls may have raced to open: the first one chosen stays.
            BACKEND.with(|b| b.borrow_mut().get_or_insert(chosen).clone())
        }
    }
}

/// A failed database call has the next call open the database again: the browser closes
/// connections when the site's data is cleared under an open page, and a closed one would
/// fail every call after it.
fn forget_on_error<T>(result: StoreResult<T>) -> StoreResult<T> {
    if result.is_err() {
        STALE.set(true);
    }
    result
}

/// Where the work is kept on this browser.
pub async fn keeping() -> Keeping {
    match backend().await {
        Backend::Idb(_) => Keeping::Database,
        Backend::Local(_) => Keeping::SmallStore,
        Backend::Memory => Keeping::PageOnly,
    }
}

/// The localStorage (and memory) key of a value: sorted like IndexedDB keys within a store.
fn flat_key(store: &str, key: &str) -> String {
    format!("xuncha:{store}:{key}")
}

fn local_keys(s: &web_sys::Storage, store: &str) -> Vec<String> {
    let prefix = flat_key(store, "");
    let n = s.length().unwrap_or(0);
    let mut keys: Vec<String> = (0..n)
        .filter_map(|i| s.key(i).ok().flatten())
        .filter(|k| k.starts_with(&prefix))
        .collect();
    keys.sort();
    keys
}

/// One value under its key, in a transaction of its own.
async fn idb_put(db: &Database, store: &str, key: &str, value: JsValue) -> StoreResult<()> {
    let tx = db
        .transaction(store)
        .with_mode(TransactionMode::Readwrite)
        .build()
        .map_err(text)?;
    let os = tx.object_store(store).map_err(text)?;
    let _: String = os
        .put(value)
        .with_key(key.to_string())
        .primitive()
        .map_err(text)?
        .await
        .map_err(text)?;
    tx.commit().await.map_err(text)
}

// Values are stored as JSON text: the same serde code as the API reads and writes them,
// where a second (JS-object) serialiser would double the wasm of every type stored.

async fn put_text(store: &str, key: &str, json: String) -> StoreResult<()> {
    match backend().await {
        Backend::Idb(db) => {
            forget_on_error(idb_put(&db, store, key, JsValue::from_str(&json)).await)
        }
        // A full localStorage throws QuotaExceededError: the save fails, visibly.
        Backend::Local(s) => s.set_item(&flat_key(store, key), &json).map_err(js_text),
        Backend::Memory => {
            MEMORY.with(|m| m.borrow_mut().insert(flat_key(store, key), json));
            Ok(())
        }
    }
}

async fn get_text(store: &str, key: &str) -> StoreResult<Option<String>> {
    match backend().await {
        Backend::Idb(db) => forget_on_error(
            async {
                let tx = db.transaction(store).build().map_err(text)?;
                let os = tx.object_store(store).map_err(text)?;
                os.get(key).primitive().map_err(text)?.await.map_err(text)
            }
            .await,
        ),
        Backend::Local(s) => s.get_item(&flat_key(store, key)).map_err(js_text),
        Backend::Memory => Ok(MEMORY.with(|m| m.borrow().get(&flat_key(store, key)).cloned())),
    }
}

pub async fn put<T: Serialize>(store: &str, key: &str, value: &T) -> StoreResult<()> {
    let json = serde_json::to_string(value).map_err(text)?;
    put_text(store, key, json).await
}

pub async fn get<T: DeserializeOwned>(store: &str, key: &str) -> StoreResult<Option<T>> {
    get_text(store, key)
        .await?
        .map(|j| serde_json::from_str(&j).map_err(text))
        .transpose()
}

/// What the server answers, kept under `key` in [`KEPT`] for reading on site; with no network,
/// the kept copy (still a network error when nothing was kept). Other errors are the server's
/// word and are passed on.
pub async fn fresh_or_kept<T: Serialize + DeserializeOwned>(
    key: &str,
    fresh: impl std::future::Future<Output = Result<T, AppError>>,
) -> Result<T, AppError> {
    match fresh.await {
        Ok(v) => {
            let _ = put(KEPT, key, &v).await;
            Ok(v)
        }
        Err(AppError::Network) => {
            // Copies kept before they had a store of their own were in META.
            for store in [KEPT, META] {
                if let Ok(Some(v)) = get::<T>(store, key).await {
                    return Ok(v);
                }
            }
            Err(AppError::Network)
        }
        Err(e) => Err(e),
    }
}

/// Empties [`KEPT`] unless what it holds was kept for `user` (no one: signed out).
pub async fn keep_for(user: Option<String>) {
    const KEPT_FOR: &str = "kept-for";
    let before = get::<String>(META, KEPT_FOR).await.ok().flatten();
    if user.is_some() && before == user {
        return;
    }
    if clear(KEPT).await.is_ok() {
        let _ = match &user {
            Some(u) => put(META, KEPT_FOR, u).await,
            None => delete(META, KEPT_FOR).await,
        };
    }
}

/// A target's 问题清单, fresh or as kept: the findings list, the task form and the expected
/// problems read the same copy.
pub async fn findings_of(
    api: crate::api::Api,
    target: &str,
) -> Result<Vec<xuncha_api::findings::Finding>, AppError> {
    fresh_or_kept(&format!("findings:{target}"), api.findings(target)).await
}

/// Every value of a store, in key order.
pub async fn all<T: DeserializeOwned>(store: &str) -> StoreResult<Vec<T>> {
    let texts: Vec<String> = match backend().await {
        Backend::Idb(db) => forget_on_error(
            async {
                let tx = db.transaction(store).build().map_err(text)?;
                let os = tx.object_store(store).map_err(text)?;
                os.get_all::<String>()
                    .primitive()
                    .map_err(text)?
                    .await
                    .map_err(text)?
                    .collect::<indexed_db_futures::Result<Vec<String>>>()
                    .map_err(text)
            }
            .await,
        )?,
        Backend::Local(s) => local_keys(&s, store)
            .iter()
            .filter_map(|k| s.get_item(k).ok().flatten())
            .collect(),
        Backend::Memory => {
            let prefix = flat_key(store, "");
            MEMORY.with(|m| {
                m.borrow()
                    .range(prefix.clone()..)
                    .take_while(|(k, _)| k.starts_with(&prefix))
                    .map(|(_, v)| v.clone())
                    .collect()
            })
        }
    };
    texts
        .iter()
        .map(|j| serde_json::from_str(j).map_err(text))
        .collect()
}

/// How many values a store holds.
pub async fn count(store: &str) -> StoreResult<usize> {
    Ok(all::<serde::de::IgnoredAny>(store).await?.len())
}

pub async fn delete(store: &str, key: &str) -> StoreResult<()> {
    match backend().await {
        Backend::Idb(db) => forget_on_error(
            async {
                let tx = db
                    .transaction(store)
                    .with_mode(TransactionMode::Readwrite)
                    .build()
                    .map_err(text)?;
                let os = tx.object_store(store).map_err(text)?;
                os.delete(key).await.map_err(text)?;
                tx.commit().await.map_err(text)
            }
            .await,
        ),
        Backend::Local(s) => s.remove_item(&flat_key(store, key)).map_err(js_text),
        Backend::Memory => {
            let k = flat_key(store, key);
            MEMORY.with(|m| m.borrow_mut().remove(&k));
            MEMORY_BLOBS.with(|m| m.borrow_mut().remove(&k));
            Ok(())
        }
    }
}

/// Empties a store.
pub async fn clear(store: &str) -> StoreResult<()> {
    match backend().await {
        Backend::Idb(db) => forget_on_error(
            async {
                let tx = db
                    .transaction(store)
                    .with_mode(TransactionMode::Readwrite)
                    .build()
                    .map_err(text)?;
                let os = tx.object_store(store).map_err(text)?;
                os.clear().map_err(text)?.await.map_err(text)?;
                tx.commit().await.map_err(text)
            }
            .await,
        ),
        Backend::Local(s) => {
            for k in local_keys(&s, store) {
                s.remove_item(&k).map_err(js_text)?;
            }
            Ok(())
        }
        Backend::Memory => {
            let prefix = flat_key(store, "");
            MEMORY.with(|m| m.borrow_mut().retain(|k, _| !k.starts_with(&prefix)));
            Ok(())
        }
    }
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
) -> StoreResult<()> {
    let db = match backend().await {
        Backend::Idb(db) => db,
        // No await between the read and the write: nothing else on the page runs between.
        Backend::Local(s) => {
            let k = flat_key(store, key);
            let now = s.get_item(&k).map_err(js_text)?;
            return match decide(now.as_deref()) {
                Rewrite::Keep => Ok(()),
                Rewrite::Delete => s.remove_item(&k).map_err(js_text),
                Rewrite::Put(new) => s.set_item(&k, &new).map_err(js_text),
            };
        }
        Backend::Memory => {
            let k = flat_key(store, key);
            MEMORY.with(|m| {
                let mut m = m.borrow_mut();
                match decide(m.get(&k).map(String::as_str)) {
                    Rewrite::Keep => {}
                    Rewrite::Delete => {
                        m.remove(&k);
                    }
                    Rewrite::Put(new) => {
                        m.insert(k, new);
                    }
                }
            });
            return Ok(());
        }
    };
    forget_on_error(rewrite_idb(db, store, key, decide).await)
}

async fn rewrite_idb(
    db: Database,
    store: &str,
    key: &str,
    decide: &dyn Fn(Option<&str>) -> Rewrite,
) -> StoreResult<()> {
    let tx = db
        .transaction(store)
        .with_mode(TransactionMode::Readwrite)
        .build()
        .map_err(text)?;
    let os = tx.object_store(store).map_err(text)?;
    let json: Option<String> = os.get(key).primitive().map_err(text)?.await.map_err(text)?;
    match decide(json.as_deref()) {
        Rewrite::Keep => {}
        Rewrite::Delete => os.delete(key).await.map_err(text)?,
        Rewrite::Put(new) => {
            let _: String = os
                .put(new)
                .with_key(key.to_string())
                .primitive()
                .map_err(text)?
                .await
                .map_err(text)?;
        }
    }
    tx.commit().await.map_err(text)
}

pub async fn put_blob(key: &str, blob: &web_sys::Blob) -> StoreResult<()> {
    match backend().await {
        Backend::Idb(db) => forget_on_error(idb_put(&db, BLOBS, key, blob.clone().into()).await),
        // localStorage holds text only: the type, a line break, the bytes in base64.
        Backend::Local(s) => {
            let bytes = JsFuture::from(blob.array_buffer()).await.map_err(js_text)?;
            let bytes = js_sys::Uint8Array::new(&bytes).to_vec();
            let encoded = base64::engine::general_purpose::STANDARD.encode(bytes);
            s.set_item(
                &flat_key(BLOBS, key),
                &format!("{}\n{encoded}", blob.type_()),
            )
            .map_err(js_text)
        }
        Backend::Memory => {
            MEMORY_BLOBS.with(|m| m.borrow_mut().insert(flat_key(BLOBS, key), blob.clone()));
            Ok(())
        }
    }
}

pub async fn get_blob(key: &str) -> StoreResult<Option<web_sys::Blob>> {
    match backend().await {
        Backend::Idb(db) => forget_on_error(
            async {
                let tx = db.transaction(BLOBS).build().map_err(text)?;
                let os = tx.object_store(BLOBS).map_err(text)?;
                let js: Option<JsValue> =
                    os.get(key).primitive().map_err(text)?.await.map_err(text)?;
                Ok(js.and_then(|v| v.dyn_into::<web_sys::Blob>().ok()))
            }
            .await,
        ),
        Backend::Local(s) => {
            let Some(stored) = s.get_item(&flat_key(BLOBS, key)).map_err(js_text)? else {
                return Ok(None);
            };
            let (kind, encoded) = stored
                .split_once('\n')
                .ok_or_else(|| failure("damaged photo"))?;
            let bytes = base64::engine::general_purpose::STANDARD
                .decode(encoded)
                .map_err(text)?;
            let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(bytes.as_slice()));
            let options = web_sys::BlobPropertyBag::new();
            options.set_type(kind);
            web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &options)
                .map(Some)
                .map_err(js_text)
        }
        Backend::Memory => {
            Ok(MEMORY_BLOBS.with(|m| m.borrow().get(&flat_key(BLOBS, key)).cloned()))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::*;

    async fn kept_talks() -> Option<Vec<String>> {
        get::<Vec<String>>(KEPT, "talks:tg-1").await.unwrap()
    }

    #[wasm_bindgen_test]
    async fn what_was_kept_for_reading_goes_at_sign_out_and_when_someone_else_signs_in() {
        keep_for(Some("u-1".into())).await;
        put(KEPT, "talks:tg-1", &vec!["王五".to_string()])
            .await
            .unwrap();
        // The same user again (a reload, a sign-in after the session ran out) keeps it.
        keep_for(Some("u-1".into())).await;
        assert_eq!(kept_talks().await, Some(vec!["王五".to_string()]));
        // Kept copies are what a page falls back to with no network.
        let offline =
            fresh_or_kept::<Vec<String>>("talks:tg-1", async { Err(AppError::Network) }).await;
        assert_eq!(offline.unwrap(), ["王五"]);
        // Another user on this browser reads none of it, offline or not.
        keep_for(Some("u-2".into())).await;
        assert_eq!(kept_talks().await, None);
        put(KEPT, "talks:tg-1", &vec!["赵六".to_string()])
            .await
            .unwrap();
        keep_for(None).await;
        assert_eq!(kept_talks().await, None, "gone at sign-out");
        let offline =
            fresh_or_kept::<Vec<String>>("talks:tg-1", async { Err(AppError::Network) }).await;
        assert!(matches!(offline, Err(AppError::Network)), "{offline:?}");
    }
}
