//! Working without a network: what the user types is saved on the phone first, then sent by
//! the outbox, each change with an id made here so that a retry is applied once.

pub mod photo;
pub mod store;
mod witness;

use std::collections::BTreeMap;

use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use xuncha_api::checklists::{Answer, AnswerValue, Change, Record, Template};
use xuncha_api::rectification::{MoveTask, NewProgress, TaskDetail, TaskStatus};
use xuncha_api::ErrorCode;

use crate::api::{Api, AppError};
pub use store::Keeping;

/// A record and the template version it was filled in, as last seen from the server.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CachedRecord {
    pub record: Record,
    pub template: Template,
}

/// An answer typed on this device and not yet accepted by the server.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Draft {
    pub record_id: String,
    pub change: Change,
    /// The server holds a newer answer; the user chooses.
    pub conflict: Option<Answer>,
}

/// A photo or file waiting to be sent; its bytes are in the blob store under the same id.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PhotoMeta {
    pub id: String,
    pub record_id: String,
    pub item_id: String,
    pub content_type: String,
    pub size: f64,
}

/// Something done on a task on this phone, waiting to be sent; sent in the order made.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TaskWork {
    /// The store key: the time it was made, then the id.
    pub key: String,
    /// Made here, so a re-send is applied once.
    pub id: String,
    pub task_id: String,
    pub step: TaskStep,
    /// The server refused it (the task moved on meanwhile): shown, not sent again.
    pub refused: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum TaskStep {
    Progress {
        note: String,
    },
    /// The bytes are in the blob store under the work's id.
    Photo {
        content_type: String,
    },
    Submit,
}

thread_local! {
    static SEQ: std::cell::Cell<u32> = const { std::cell::Cell::new(0) };
}

/// The store key of task work: when it was made, then a counter for the same millisecond.
fn work_key(made_at: f64, id: &str) -> String {
    format!("{:015}-{:06}-{id}", made_at as u64, next_seq())
}

/// Orders work made within the same millisecond.
fn next_seq() -> u32 {
    SEQ.with(|s| {
        s.set(s.get().wrapping_add(1) % 1_000_000);
        s.get()
    })
}

pub fn draft_key(record_id: &str, item_id: &str) -> String {
    format!("{record_id}/{item_id}")
}

/// An id made on this device, shaped as a random UUID. From `crypto.getRandomValues`, which
/// every browser a village phone has knows: `crypto.randomUUID` is missing before Chromium 92
/// (older WeChat kernels, WebViews that get no updates), and calling it there threw, so that
/// nothing was saved.
pub fn new_id() -> String {
    let mut bytes = [0u8; 16];
    let filled = web_sys::window()
        .and_then(|w| w.crypto().ok())
        .is_some_and(|c| c.get_random_values_with_u8_array(&mut bytes).is_ok());
    if !filled {
        for b in bytes.iter_mut() {
            *b = (js_sys::Math::random() * 256.0) as u8;
        }
    }
    uuid_text(bytes)
}

/// The text form of a version 4 UUID from 16 random bytes.
pub fn uuid_text(mut bytes: [u8; 16]) -> String {
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(36);
    for (i, b) in bytes.iter().enumerate() {
        if matches!(i, 4 | 6 | 8 | 10) {
            out.push('-');
        }
        out.push(HEX[usize::from(b >> 4)] as char);
        out.push(HEX[usize::from(b & 15)] as char);
    }
    out
}

/// What this phone holds and has not sent, by kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Unsent {
    pub answers: usize,
    /// Checklist evidence and task photos.
    pub files: usize,
    /// Task reports and submissions.
    pub steps: usize,
}

impl Unsent {
    pub fn total(self) -> usize {
        self.answers + self.files + self.steps
    }
}

/// What the header and the pages show about the outbox.
#[derive(Clone, Copy)]
pub struct Outbox {
    /// Answers and photos saved on this phone and not yet on the server.
    pub pending: RwSignal<usize>,
    pub conflicts: RwSignal<usize>,
    pub online: RwSignal<bool>,
    /// Bumped whenever the device's store changed, so pages read it again.
    pub changed: RwSignal<u32>,
    /// Bumped when task work reached the server, so task pages read the task again (and not
    /// at every tick of the outbox).
    pub tasks_changed: RwSignal<u32>,
    /// Where this browser keeps the work, once the store is open.
    pub keeping: RwSignal<Option<Keeping>>,
    /// Work this phone held unsent last time and no longer has (storage cleared).
    pub gone: RwSignal<Option<Unsent>>,
    syncing: RwSignal<bool>,
    /// A send was asked for while one ran: run once more at its end.
    again: RwSignal<bool>,
    api: Api,
}

impl Outbox {
    /// Starts the outbox: it sends when the network comes back, every half minute, and after
    /// every save.
    pub fn start(api: Api) -> Outbox {
        let online = web_sys::window()
            .map(|w| w.navigator().on_line())
            .unwrap_or(true);
        let outbox = Outbox {
            pending: RwSignal::new(0),
            conflicts: RwSignal::new(0),
            online: RwSignal::new(online),
            changed: RwSignal::new(0),
            tasks_changed: RwSignal::new(0),
            keeping: RwSignal::new(None),
            gone: RwSignal::new(None),
            syncing: RwSignal::new(false),
            again: RwSignal::new(false),
            api,
        };
        if let Some(w) = web_sys::window() {
            let on = Closure::<dyn Fn()>::new(move || {
                outbox.online.set(true);
                // Back in signal: what the team did meanwhile is worth a look.
                outbox.tasks_changed.update(|c| *c += 1);
                outbox.kick();
            });
            // A liaison comes back to the WeChat tab: task pages read the task again, so a
            // return by the team shows without a reload.
            let shown = Closure::<dyn Fn()>::new(move || {
                if web_sys::window()
                    .and_then(|w| w.document())
                    .is_some_and(|d| !d.hidden())
                {
                    outbox.tasks_changed.update(|c| *c += 1);
                    outbox.kick();
                }
            });
            if let Some(d) = w.document() {
                let _ = d.add_event_listener_with_callback(
                    "visibilitychange",
                    shown.as_ref().unchecked_ref(),
                );
            }
            let off = Closure::<dyn Fn()>::new(move || outbox.online.set(false));
            let tick = Closure::<dyn Fn()>::new(move || outbox.kick());
            let _ = w.add_event_listener_with_callback("online", on.as_ref().unchecked_ref());
            let _ = w.add_event_listener_with_callback("offline", off.as_ref().unchecked_ref());
            let _ = w.set_interval_with_callback_and_timeout_and_arguments_0(
                tick.as_ref().unchecked_ref(),
                30_000,
            );
            // They live as long as the page.
            on.forget();
            off.forget();
            tick.forget();
            shown.forget();
            // Ask the browser not to evict what is stored here when space runs low.
            if let Ok(storage) = js_sys::Reflect::get(&w.navigator(), &"storage".into()) {
                if !storage.is_undefined() {
                    let _ = w.navigator().storage().persist();
                }
            }
        }
        leptos::task::spawn_local(async move {
            outbox.keeping.set(Some(store::keeping().await));
            let gone = witness::check().await;
            outbox.gone.set(gone.filter(|g| g.total() > 0));
            outbox.refresh_counts().await;
        });
        // Sending resumes after sign-in.
        Effect::new(move |_| {
            if !api.auth_lost.get() && api.session.with(Option::is_some) {
                outbox.kick();
            }
        });
        outbox.kick();
        outbox
    }

    /// The work lives only in this page: a reload or a closed tab loses what is unsent.
    pub fn page_only(self) -> bool {
        self.keeping.get() == Some(Keeping::PageOnly)
    }

    pub fn kick(self) {
        leptos::task::spawn_local(async move {
            self.sync().await;
        });
    }

    async fn refresh_counts(self) {
        // A store that cannot be read says nothing about what it holds: the counts shown (and
        // the witness cookie) stay as they were rather than fall to zero.
        if let Ok((drafts, photos, work)) = Self::unsent().await {
            self.pending.set(drafts.len() + photos.len() + work.len());
            let files = work
                .iter()
                .filter(|w| matches!(w.step, TaskStep::Photo { .. }))
                .count();
            let unsent = Unsent {
                answers: drafts.len(),
                files: photos.len() + files,
                steps: work.len() - files,
            };
            if let Some(lost) = witness::record(unsent).await.filter(|l| l.total() > 0) {
                self.gone.set(Some(lost));
            }
            self.conflicts
                .set(drafts.iter().filter(|d| d.conflict.is_some()).count());
        }
        self.changed.update(|c| *c += 1);
    }

    async fn unsent() -> store::StoreResult<(Vec<Draft>, Vec<PhotoMeta>, Vec<TaskWork>)> {
        Ok((
            store::all(store::DRAFTS).await?,
            store::all(store::PHOTOS).await?,
            store::all(store::TASK_WORK).await?,
        ))
    }

    /// Saves an answer on the phone, then tries to send it.
    pub async fn save_answer(
        self,
        cached: &CachedRecord,
        item_id: &str,
        value: Option<AnswerValue>,
        note: String,
    ) -> Result<(), String> {
        let key = draft_key(&cached.record.id, item_id);
        let earlier: Option<Draft> = store::get(store::DRAFTS, &key).await?;
        // The base is what the server had when this item was last seen; an unsent earlier
        // draft of the same item keeps its base.
        let base_version = earlier
            .as_ref()
            .map(|d| d.change.base_version)
            .unwrap_or(cached.record.version);
        let overwrite = earlier.as_ref().is_some_and(|d| d.change.overwrite);
        // The earlier draft may have reached the server with its answer lost on the way: this
        // one follows it, and the server is told so, so that the user is not shown their own
        // answer as a conflict.
        let supersedes = earlier
            .map(|d| {
                let mut ids = d.change.supersedes;
                ids.push(d.change.change_id);
                let skip = ids.len().saturating_sub(Change::SUPERSEDES_MAX);
                ids.split_off(skip)
            })
            .unwrap_or_default();
        let draft = Draft {
            record_id: cached.record.id.clone(),
            change: Change {
                change_id: new_id(),
                base_version,
                item_id: item_id.to_string(),
                value,
                note,
                overwrite,
                supersedes,
            },
            conflict: None,
        };
        store::put(store::DRAFTS, &key, &draft).await?;
        self.refresh_counts().await;
        self.kick();
        Ok(())
    }

    /// The user keeps their answer over the server's.
    pub async fn keep_mine(self, draft: &Draft) -> Result<(), String> {
        let mut d = draft.clone();
        d.conflict = None;
        d.change.overwrite = true;
        d.change.change_id = new_id();
        store::put(
            store::DRAFTS,
            &draft_key(&d.record_id, &d.change.item_id),
            &d,
        )
        .await?;
        self.refresh_counts().await;
        self.kick();
        Ok(())
    }

    /// The user takes the server's answer.
    pub async fn take_theirs(self, draft: &Draft) -> Result<(), String> {
        store::delete(
            store::DRAFTS,
            &draft_key(&draft.record_id, &draft.change.item_id),
        )
        .await?;
        self.refresh_counts().await;
        Ok(())
    }

    pub async fn save_photo(
        self,
        record_id: &str,
        item_id: &str,
        blob: &web_sys::Blob,
        content_type: &str,
    ) -> Result<(), String> {
        let id = new_id();
        store::put_blob(&id, blob).await?;
        let meta = PhotoMeta {
            id: id.clone(),
            record_id: record_id.into(),
            item_id: item_id.into(),
            content_type: content_type.into(),
            size: blob.size(),
        };
        store::put(store::PHOTOS, &id, &meta).await?;
        self.refresh_counts().await;
        self.kick();
        Ok(())
    }

    /// Takes a photo off an item: one still waiting here, or one on the server (which needs
    /// the network, and the record not yet submitted).
    pub async fn remove_photo(
        self,
        record_id: &str,
        photo_id: &str,
        sent: bool,
    ) -> Result<(), String> {
        let lang = self.api.lang.get_untracked();
        if sent {
            self.api
                .remove_evidence(record_id, photo_id)
                .await
                .map_err(|e| e.message(lang))?;
            let record = self
                .api
                .record(record_id)
                .await
                .map_err(|e| e.message(lang))?;
            self.update_cache(record)
                .await
                .map_err(|e| e.message(lang))?;
        } else {
            store::delete(store::PHOTOS, photo_id).await?;
        }
        store::delete(store::BLOBS, photo_id).await?;
        self.refresh_counts().await;
        Ok(())
    }

    /// Keeps a report, a photo or a submission of a task on the phone, then tries to send it.
    /// `made_at` is when the user acted (a photo is queued after it is scaled down), so the
    /// order sent is the order done.
    pub async fn queue_task_work(
        self,
        task_id: &str,
        step: TaskStep,
        photo: Option<&web_sys::Blob>,
        made_at: f64,
    ) -> Result<(), String> {
        if step == TaskStep::Submit {
            // A new submission replaces one refused before.
            for old in self.task_work(task_id).await {
                if old.step == TaskStep::Submit && old.refused.is_some() {
                    store::delete(store::TASK_WORK, &old.key).await?;
                }
            }
        }
        let id = new_id();
        if let Some(blob) = photo {
            store::put_blob(&id, blob).await?;
        }
        let work = TaskWork {
            key: work_key(made_at, &id),
            id,
            task_id: task_id.to_string(),
            step,
            refused: None,
        };
        store::put(store::TASK_WORK, &work.key, &work).await?;
        self.refresh_counts().await;
        self.kick();
        Ok(())
    }

    /// The user asks to send a refused item again (after the team returned the task, say).
    /// It goes to the back of the queue, after what was added since.
    pub async fn retry_task_work(self, work: &TaskWork) -> Result<(), String> {
        // Another tab may have discarded or sent it meanwhile.
        if store::get::<TaskWork>(store::TASK_WORK, &work.key)
            .await?
            .is_none()
        {
            return Ok(());
        }
        store::delete(store::TASK_WORK, &work.key).await?;
        let mut w = work.clone();
        w.refused = None;
        w.key = work_key(js_sys::Date::now(), &w.id);
        store::put(store::TASK_WORK, &w.key, &w).await?;
        self.refresh_counts().await;
        self.kick();
        Ok(())
    }

    /// The user lets go of something the server refused.
    pub async fn discard_task_work(self, work: &TaskWork) -> Result<(), String> {
        store::delete(store::TASK_WORK, &work.key).await?;
        store::delete(store::BLOBS, &work.id).await?;
        self.refresh_counts().await;
        // What waited behind it may go now.
        self.kick();
        Ok(())
    }

    /// What this phone holds for a task and has not sent.
    pub async fn task_work(self, task_id: &str) -> Vec<TaskWork> {
        let all: Vec<TaskWork> = store::all(store::TASK_WORK).await.unwrap_or_default();
        all.into_iter().filter(|w| w.task_id == task_id).collect()
    }

    /// Sends what waits, record by record; stops at the first network failure or lost session
    /// and keeps everything for the next try.
    async fn sync(self) {
        if self.syncing.get_untracked() {
            self.again.set(true);
            return;
        }
        self.syncing.set(true);
        loop {
            self.again.set(false);
            // Only a real exchange with the server says whether the network is there.
            let result = self.send_all().await;
            match result {
                Err(AppError::Network) => self.online.set(false),
                Ok(true) => self.online.set(true),
                _ => {}
            }
            self.refresh_counts().await;
            if result.is_err() || !self.again.get_untracked() {
                break;
            }
        }
        self.syncing.set(false);
    }

    /// Whether anything was sent (false when there was nothing to send or nobody to send as).
    async fn send_all(self) -> Result<bool, AppError> {
        if self.api.auth_lost.get_untracked() || self.api.session.with_untracked(Option::is_none) {
            return Ok(false);
        }
        let mut sent = false;
        let store_err = |e: String| AppError::Unexpected(e);
        let drafts: Vec<Draft> = store::all(store::DRAFTS).await.map_err(store_err)?;
        let mut by_record: BTreeMap<String, Vec<Draft>> = BTreeMap::new();
        for d in drafts.into_iter().filter(|d| d.conflict.is_none()) {
            by_record.entry(d.record_id.clone()).or_default().push(d);
        }
        for (record_id, drafts) in by_record {
            let changes: Vec<Change> = drafts.iter().map(|d| d.change.clone()).collect();
            let result = self.api.send_changes(&record_id, &changes).await?;
            sent = true;
            // The user may have typed on while these were on their way: only the very change
            // that was sent is settled by the answer; a newer draft of the item stays and
            // goes next.
            for d in &drafts {
                let sent = &d.change.change_id;
                let applied = result.applied.contains(sent);
                let conflict = result.conflicts.iter().find(|c| &c.change_id == sent);
                if !applied && conflict.is_none() {
                    continue;
                }
                let decide = |now: Option<&str>| {
                    let still_sent = now
                        .and_then(|j| serde_json::from_str::<Draft>(j).ok())
                        .filter(|now| &now.change.change_id == sent);
                    match (still_sent, conflict) {
                        (None, _) => store::Rewrite::Keep,
                        (Some(_), None) => store::Rewrite::Delete,
                        (Some(mut now), Some(c)) => {
                            now.conflict = Some(c.server.clone());
                            serde_json::to_string(&now)
                                .map(store::Rewrite::Put)
                                .unwrap_or(store::Rewrite::Keep)
                        }
                    }
                };
                store::rewrite(
                    store::DRAFTS,
                    &draft_key(&record_id, &d.change.item_id),
                    &decide,
                )
                .await
                .map_err(store_err)?;
            }
            self.update_cache(result.record).await?;
        }
        let photos: Vec<PhotoMeta> = store::all(store::PHOTOS).await.map_err(store_err)?;
        for p in photos {
            let Some(blob) = store::get_blob(&p.id).await.map_err(store_err)? else {
                store::delete(store::PHOTOS, &p.id)
                    .await
                    .map_err(store_err)?;
                continue;
            };
            self.api
                .put_evidence(&p.record_id, &p.id, &p.item_id, &p.content_type, &blob)
                .await?;
            sent = true;
            store::delete(store::PHOTOS, &p.id)
                .await
                .map_err(store_err)?;
            self.photo_sent(&p.id).await?;
            let record = self.api.record(&p.record_id).await?;
            self.update_cache(record).await?;
        }
        sent |= self.send_task_work().await?;
        Ok(sent)
    }

    /// Sends task work in the order it was made. A refusal is kept beside the work for the
    /// user to see; a lost network or session stops and keeps everything.
    async fn send_task_work(self) -> Result<bool, AppError> {
        let store_err = |e: String| AppError::Unexpected(e);
        let work: Vec<TaskWork> = store::all(store::TASK_WORK).await.map_err(store_err)?;
        let mut touched: Vec<String> = Vec::new();
        // Behind a refusal a task's submission waits: it must not go without the photo or the
        // report refused before it. Reports and photos stand on their own and still go.
        let mut held: Vec<String> = work
            .iter()
            .filter(|w| w.refused.is_some())
            .map(|w| w.task_id.clone())
            .collect();
        for w in work {
            if w.refused.is_some() || (w.step == TaskStep::Submit && held.contains(&w.task_id)) {
                continue;
            }
            let result = match &w.step {
                TaskStep::Progress { note } => {
                    let req = NewProgress {
                        id: w.id.clone(),
                        note: note.clone(),
                    };
                    self.api.add_progress(&w.task_id, &req).await.map(|_| ())
                }
                TaskStep::Photo { content_type } => {
                    match store::get_blob(&w.id).await.map_err(store_err)? {
                        Some(blob) => self
                            .api
                            .put_task_file(&w.task_id, &w.id, content_type, &blob)
                            .await
                            .map(|_| ()),
                        // The phone lost the bytes (storage cleared): say so rather than let a
                        // submission go as if the photo were there.
                        None => Err(AppError::Api(xuncha_api::ApiError::invalid(
                            &xuncha_api::FieldError::new("file", xuncha_api::Problem::Required),
                            self.api.lang.get_untracked(),
                        ))),
                    }
                }
                TaskStep::Submit => {
                    let req = MoveTask {
                        to: TaskStatus::Submitted,
                        reason: String::new(),
                        public_text: String::new(),
                    };
                    self.api.move_task(&w.task_id, &req).await.map(|_| ())
                }
            };
            // A submission whose answer was lost comes back refused the second time; the task
            // standing at 已提交 or beyond says it went through.
            let result = match result {
                Err(AppError::Api(_)) if w.step == TaskStep::Submit => {
                    match self.api.task(&w.task_id).await {
                        Ok(d)
                            if !matches!(
                                d.task.status,
                                TaskStatus::Pending | TaskStatus::InProgress
                            ) =>
                        {
                            Ok(())
                        }
                        _ => result,
                    }
                }
                other => other,
            };
            match result {
                Ok(()) => {
                    store::delete(store::TASK_WORK, &w.key)
                        .await
                        .map_err(store_err)?;
                    self.photo_sent(&w.id).await?;
                }
                Err(AppError::Api(e))
                    if !matches!(
                        e.code,
                        ErrorCode::Unauthenticated
                            | ErrorCode::Internal
                            | ErrorCode::Throttled
                            | ErrorCode::Busy
                    ) =>
                {
                    held.push(w.task_id.clone());
                    // Another tab may have sent and removed it meanwhile.
                    let still: Option<TaskWork> = store::get(store::TASK_WORK, &w.key)
                        .await
                        .map_err(store_err)?;
                    if still.is_some() {
                        let mut kept = w.clone();
                        kept.refused = Some(e.message_in(self.api.lang.get_untracked()));
                        store::put(store::TASK_WORK, &kept.key, &kept)
                            .await
                            .map_err(store_err)?;
                    }
                }
                Err(e) => return Err(e),
            }
            if !touched.contains(&w.task_id) {
                touched.push(w.task_id.clone());
            }
        }
        for id in &touched {
            let detail = self.api.task(id).await?;
            self.keep_task(&detail).await?;
        }
        if !touched.is_empty() {
            self.tasks_changed.update(|c| *c += 1);
        }
        Ok(!touched.is_empty())
    }

    /// A photo (or a task's work, which may have one) reached the server. The phone keeps the
    /// bytes so the photo still shows with no signal; a small store has no room for that.
    async fn photo_sent(self, id: &str) -> Result<(), AppError> {
        if self.keeping.get_untracked() == Some(Keeping::Database) {
            return Ok(());
        }
        store::delete(store::BLOBS, id)
            .await
            .map_err(AppError::Unexpected)
    }

    /// Keeps a task's detail for reading with no network. Pages that read it learn of the
    /// change from the sync's count refresh, not from here: the page's own keep would loop.
    pub async fn keep_task(self, detail: &TaskDetail) -> Result<(), AppError> {
        store::put(store::TASKS, &detail.task.id, detail)
            .await
            .map_err(AppError::Unexpected)
    }

    async fn update_cache(self, record: Record) -> Result<(), AppError> {
        let store_err = |e: String| AppError::Unexpected(e);
        if let Some(mut cached) = store::get::<CachedRecord>(store::RECORDS, &record.id)
            .await
            .map_err(store_err)?
        {
            cached.record = record;
            store::put(store::RECORDS, &cached.record.id.clone(), &cached)
                .await
                .map_err(store_err)?;
        }
        Ok(())
    }

    /// Fetches a record and its template from the server into the device's store.
    pub async fn cache(self, record: Record) -> Result<CachedRecord, AppError> {
        let store_err = |e: String| AppError::Unexpected(e);
        let known: Option<CachedRecord> = store::get(store::RECORDS, &record.id)
            .await
            .map_err(store_err)?;
        let template = match known {
            Some(k) if k.template.id == record.template_id => k.template,
            _ => self.api.template(&record.template_id).await?,
        };
        let cached = CachedRecord { record, template };
        store::put(store::RECORDS, &cached.record.id.clone(), &cached)
            .await
            .map_err(store_err)?;
        self.changed.update(|c| *c += 1);
        Ok(cached)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen::JsValue;
    use wasm_bindgen_test::*;

    #[wasm_bindgen_test]
    fn ids_are_uuids_and_need_no_random_uuid() {
        assert_eq!(
            uuid_text([0xff; 16]),
            "ffffffff-ffff-4fff-bfff-ffffffffffff"
        );
        // An old WebView: crypto.randomUUID is not there.
        let crypto = web_sys::window().unwrap().crypto().unwrap();
        let _ = js_sys::Reflect::set(&crypto, &"randomUUID".into(), &JsValue::UNDEFINED);
        let a = new_id();
        let b = new_id();
        assert_ne!(a, b);
        assert_eq!(a.len(), 36);
        assert!(xuncha_api::validate::client_id(&a).is_ok());
    }
}
