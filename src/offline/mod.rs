//! Working without a network: what the user types is saved on the phone first, then sent by
//! the outbox, each change with an id made here so that a retry is applied once.

mod answers;
mod created;
pub mod photo;
mod stationing;
pub mod store;
mod tasks;
mod witness;

use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use xuncha_api::checklists::{Record, Template};
use xuncha_api::rectification::TaskDetail;

use crate::api::{Api, AppError};
pub use answers::{draft_key, Draft, PhotoMeta, Removal};
pub use created::{Creation, FindingWork, TalkWork};
pub use stationing::{cache_key as stationing_key, StationChange, StationWork, Theirs};
pub use store::Keeping;
pub use tasks::{TaskStep, TaskWork};

/// A record and the template version it was filled in, as last seen from the server.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CachedRecord {
    pub record: Record,
    pub template: Template,
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

/// An answer that says nothing about the request itself (no network, a reply cut off on the
/// way, a gateway's 5xx, a session to renew): what was made under its own id is kept and sent
/// again rather than shown as refused.
pub fn worth_sending_again(e: &AppError) -> bool {
    match e {
        AppError::Network | AppError::Unexpected(_) => true,
        AppError::Api(a) => !tasks::is_refusal(a.code),
        _ => false,
    }
}

/// What this phone holds and has not sent, by kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Unsent {
    pub answers: usize,
    /// Checklist evidence and task photos.
    pub files: usize,
    /// Task reports and submissions.
    pub steps: usize,
    /// Talk records an inspector saved.
    pub talks: usize,
    /// Changes of stationing lists and visits.
    pub stationing: usize,
    /// Findings an inspector recorded.
    pub findings: usize,
    /// Petitions the team entered by hand.
    pub petitions: usize,
    /// Rectification tasks created with no network.
    pub new_tasks: usize,
}

impl Unsent {
    pub fn total(self) -> usize {
        self.answers
            + self.files
            + self.steps
            + self.talks
            + self.stationing
            + self.findings
            + self.petitions
            + self.new_tasks
    }
}

/// What the header and the pages show about the outbox.
#[derive(Clone, Copy)]
pub struct Outbox {
    /// Answers, photos and photos taken off, saved on this phone and not yet on the server.
    pub pending: RwSignal<usize>,
    pub conflicts: RwSignal<usize>,
    pub online: RwSignal<bool>,
    /// Bumped whenever the device's store changed, so pages read it again.
    pub changed: RwSignal<u32>,
    /// Bumped when task work reached the server, so task pages read the task again (and not
    /// at every tick of the outbox).
    pub tasks_changed: RwSignal<u32>,
    /// Bumped when saved talks reached the server, so the target's list is read again.
    pub talks_changed: RwSignal<u32>,
    /// Bumped when saved findings reached the server.
    pub findings_changed: RwSignal<u32>,
    /// Bumped when petitions entered by hand reached the server.
    pub petitions_changed: RwSignal<u32>,
    /// Bumped when stationing changes reached the server, so the target's lists are read
    /// again.
    pub stationing_changed: RwSignal<u32>,
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
    /// Starts the outbox: it sends when the network comes back, every half minute (every ten
    /// seconds with no signal), and after every save.
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
            talks_changed: RwSignal::new(0),
            findings_changed: RwSignal::new(0),
            petitions_changed: RwSignal::new(0),
            stationing_changed: RwSignal::new(0),
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
            // Not every browser says when the signal returns (no `online` event from some
            // WebViews, nor from Chromium's emulated offline): with no signal the outbox tries
            // every three seconds (a try in the dark fails at once and reads nothing), with
            // one every thirty. At ten, a week's sync waited ten seconds before its first send.
            let ticks = std::cell::Cell::new(0u32);
            let tick = Closure::<dyn Fn()>::new(move || {
                ticks.set(ticks.get().wrapping_add(1));
                if !outbox.online.get_untracked() || ticks.get().is_multiple_of(10) {
                    outbox.kick();
                }
            });
            let _ = w.add_event_listener_with_callback("online", on.as_ref().unchecked_ref());
            let _ = w.add_event_listener_with_callback("offline", off.as_ref().unchecked_ref());
            let _ = w.set_interval_with_callback_and_timeout_and_arguments_0(
                tick.as_ref().unchecked_ref(),
                3_000,
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
        // What was kept for reading on site (talks and petitions among it) is the signed-in
        // user's: gone at sign-out, and when someone else signs in on this browser.
        Effect::new(move |_| {
            let user = api.session.with(|s| s.as_ref().map(|s| s.user.id.clone()));
            leptos::task::spawn_local(store::keep_for(user));
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
        if let Ok((drafts, photos, work, removals, station, created)) = Self::unsent().await {
            let removals = removals.iter().filter(|r| r.waiting()).count();
            self.pending.set(
                drafts.len()
                    + photos.len()
                    + removals
                    + work.len()
                    + station.len()
                    + created.iter().sum::<usize>(),
            );
            let files = work
                .iter()
                .filter(|w| matches!(w.step, TaskStep::Photo { .. }))
                .count();
            let unsent = Unsent {
                answers: drafts.len(),
                files: photos.len() + removals + files,
                steps: work.len() - files,
                talks: created[0],
                stationing: station.len(),
                findings: created[1],
                petitions: created[2],
                new_tasks: created[3],
            };
            if let Some(lost) = witness::record(unsent).await.filter(|l| l.total() > 0) {
                self.gone.set(Some(lost));
            }
            self.conflicts.set(
                drafts.iter().filter(|d| d.conflict.is_some()).count()
                    + station.iter().filter(|w| w.theirs.is_some()).count(),
            );
        }
        self.changed.update(|c| *c += 1);
    }

    #[allow(clippy::type_complexity)]
    async fn unsent() -> store::StoreResult<(
        Vec<Draft>,
        Vec<PhotoMeta>,
        Vec<TaskWork>,
        Vec<Removal>,
        Vec<StationWork>,
        [usize; 4],
    )> {
        Ok((
            store::all(store::DRAFTS).await?,
            store::all(store::PHOTOS).await?,
            store::all(store::TASK_WORK).await?,
            store::all(store::REMOVALS).await?,
            store::all(store::STATION_WORK).await?,
            // Talks, findings, petitions and new tasks: only how many.
            [
                store::count(store::TALK_WORK).await?,
                store::count(store::FINDING_WORK).await?,
                store::count(store::PETITION_WORK).await?,
                store::count(store::NEW_TASK_WORK).await?,
            ],
        ))
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
            let was_online = self.online.get_untracked();
            // Only a real exchange with the server says whether the network is there.
            let result = self.send_all().await;
            match result {
                Err(AppError::Network) => self.online.set(false),
                Ok(true) => self.online.set(true),
                _ => {}
            }
            // Still no signal: the store is as it was, and the pages (their open forms among
            // them) are not made to read it again at every try.
            if was_online || !matches!(result, Err(AppError::Network)) {
                self.refresh_counts().await;
            }
            // A kick during a failed try (the `online` event while a try made in the dark was
            // failing) is not lost: it runs once more.
            if !self.again.get_untracked() {
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
        let answers = self.send_answers().await?;
        // A visit (added or recorded) before the findings written from it; the lists and
        // removals after them, as an expected problem names the finding that confirms it.
        let visits = self
            .send_station_work(|c| matches!(c, StationChange::Visit(_)))
            .await?;
        let tasks = self.send_task_work().await?;
        let talks = self.send_created::<xuncha_api::talks::TalkDraft>().await?;
        // A finding before the tasks that may be made from it.
        let findings = self
            .send_created::<xuncha_api::findings::NewFinding>()
            .await?;
        let new_tasks = self
            .send_created::<xuncha_api::rectification::NewTask>()
            .await?;
        let petitions = self
            .send_created::<xuncha_api::petitions::PetitionDraft>()
            .await?;
        let stationing = self.send_station_work(|_| true).await?;
        Ok(answers || visits || tasks || talks || findings || new_tasks || petitions || stationing)
    }

    /// A photo (or a task's work, which may have one) reached the server. The phone keeps the
    /// bytes so the photo still shows with no signal; a small store has no room for that.
    async fn photo_sent(self, id: &str) -> Result<(), AppError> {
        if self.keeping.get_untracked() == Some(Keeping::Database) {
            return Ok(());
        }
        store::delete(store::BLOBS, id).await
    }

    /// Keeps a task's detail for reading with no network. Pages that read it learn of the
    /// change from the sync's count refresh, not from here: the page's own keep would loop.
    pub async fn keep_task(self, detail: &TaskDetail) -> Result<(), AppError> {
        store::put(store::TASKS, &detail.task.id, detail).await
    }

    async fn update_cache(self, record: Record) -> Result<(), AppError> {
        if let Some(mut cached) = store::get::<CachedRecord>(store::RECORDS, &record.id).await? {
            cached.record = record;
            store::put(store::RECORDS, &cached.record.id.clone(), &cached).await?;
        }
        Ok(())
    }

    /// Fetches a record and its template from the server into the device's store.
    pub async fn cache(self, record: Record) -> Result<CachedRecord, AppError> {
        let known: Option<CachedRecord> = store::get(store::RECORDS, &record.id).await?;
        let template = match known {
            Some(k) if k.template.id == record.template_id => k.template,
            _ => self.api.template(&record.template_id).await?,
        };
        let cached = CachedRecord { record, template };
        store::put(store::RECORDS, &cached.record.id.clone(), &cached).await?;
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
