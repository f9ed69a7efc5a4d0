//! The checklist queue: answers and evidence photos typed on this phone, kept in its store
//! and sent record by record. The rules that decide what a reply settles are pure functions
//! here, tested without a server.

use leptos::prelude::*;
use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use xuncha_api::checklists::{Answer, AnswerValue, Change, Conflict};

use super::{new_id, store, CachedRecord, Outbox};
use crate::api::AppError;

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

/// A photo on the server that the user took off its item on this device. It is hidden from
/// the item at once and goes to the server with the other changes; a refusal (the record was
/// submitted meanwhile) shows the photo again with the reason.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Removal {
    pub photo_id: String,
    pub record_id: String,
    #[serde(default)]
    pub refused: Option<String>,
}

impl Removal {
    /// Still to be sent, so the photo is not shown.
    pub fn waiting(&self) -> bool {
        self.refused.is_none()
    }
}

pub fn draft_key(record_id: &str, item_id: &str) -> String {
    format!("{record_id}/{item_id}")
}

/// How a new draft of an item follows what this phone holds for it.
#[derive(Debug, PartialEq)]
pub(super) struct Follow {
    pub base_version: i64,
    pub overwrite: bool,
    pub supersedes: Vec<String>,
}

/// The base is what the server had when this item was last seen: an unsent earlier draft of
/// the same item keeps its base (and its choice to overwrite). The earlier draft may have
/// reached the server with its answer lost on the way: the new one names it (and what it
/// named), so that the server does not show the user their own answer as a conflict.
pub(super) fn follow(earlier: Option<&Draft>, seen_version: i64) -> Follow {
    match earlier {
        None => Follow {
            base_version: seen_version,
            overwrite: false,
            supersedes: Vec::new(),
        },
        Some(d) => {
            let mut ids = d.change.supersedes.clone();
            ids.push(d.change.change_id.clone());
            let skip = ids.len().saturating_sub(Change::SUPERSEDES_MAX);
            Follow {
                base_version: d.change.base_version,
                overwrite: d.change.overwrite,
                supersedes: ids.split_off(skip),
            }
        }
    }
}

/// What a reply does to the draft the phone holds now for an item.
#[derive(Debug, PartialEq)]
pub(super) enum Settle {
    /// The user typed on while the send was on its way: the newer draft stays and goes next.
    Keep,
    /// The very change sent was applied.
    Delete,
    /// The very change sent met a newer answer on the server: the user chooses.
    Conflict(Draft),
}

/// Only the exact change that was sent is settled by its reply.
pub(super) fn settle(now: Option<Draft>, sent: &str, conflict: Option<&Conflict>) -> Settle {
    match now.filter(|d| d.change.change_id == sent) {
        None => Settle::Keep,
        Some(_) if conflict.is_none() => Settle::Delete,
        Some(mut d) => {
            d.conflict = conflict.map(|c| c.server.clone());
            Settle::Conflict(d)
        }
    }
}

/// The drafts to send, record by record; one waiting for the user's choice stays.
pub(super) fn batches(drafts: Vec<Draft>) -> BTreeMap<String, Vec<Draft>> {
    let mut by_record: BTreeMap<String, Vec<Draft>> = BTreeMap::new();
    for d in drafts.into_iter().filter(|d| d.conflict.is_none()) {
        by_record.entry(d.record_id.clone()).or_default().push(d);
    }
    by_record
}

impl Outbox {
    /// Saves an answer on the phone, then tries to send it.
    pub async fn save_answer(
        self,
        cached: &CachedRecord,
        item_id: &str,
        value: Option<AnswerValue>,
        note: String,
    ) -> Result<(), AppError> {
        let key = draft_key(&cached.record.id, item_id);
        let earlier: Option<Draft> = store::get(store::DRAFTS, &key).await?;
        let Follow {
            base_version,
            overwrite,
            supersedes,
        } = follow(earlier.as_ref(), cached.record.version);
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
    pub async fn keep_mine(self, draft: &Draft) -> Result<(), AppError> {
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
    pub async fn take_theirs(self, draft: &Draft) -> Result<(), AppError> {
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
    ) -> Result<(), AppError> {
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

    /// Takes a photo off an item: one still waiting here is dropped; one on the server is
    /// queued like an answer, so it comes off with no signal too (the record not submitted).
    pub async fn remove_photo(
        self,
        record_id: &str,
        photo_id: &str,
        sent: bool,
    ) -> Result<(), AppError> {
        if sent {
            let removal = Removal {
                photo_id: photo_id.into(),
                record_id: record_id.into(),
                refused: None,
            };
            store::put(store::REMOVALS, photo_id, &removal).await?;
        } else {
            store::delete(store::PHOTOS, photo_id).await?;
        }
        store::delete(store::BLOBS, photo_id).await?;
        self.refresh_counts().await;
        self.kick();
        Ok(())
    }

    /// Sends the photos taken off items; whether any reached the server.
    async fn send_removals(self) -> Result<bool, AppError> {
        let removals: Vec<Removal> = store::all(store::REMOVALS).await?;
        let mut touched: Vec<String> = Vec::new();
        for r in removals.into_iter().filter(Removal::waiting) {
            // Taking off a photo already gone is no error, so a lost reply is retried safely.
            match self.api.remove_evidence(&r.record_id, &r.photo_id).await {
                Ok(()) => store::delete(store::REMOVALS, &r.photo_id).await?,
                Err(AppError::Api(e)) if super::tasks::is_refusal(e.code) => {
                    let refused = Removal {
                        refused: Some(e.message_in(self.api.lang.get_untracked())),
                        ..r.clone()
                    };
                    store::put(store::REMOVALS, &r.photo_id, &refused).await?;
                }
                Err(e) => return Err(e),
            }
            if !touched.contains(&r.record_id) {
                touched.push(r.record_id);
            }
        }
        for id in &touched {
            let record = self.api.record(id).await?;
            self.update_cache(record).await?;
        }
        Ok(!touched.is_empty())
    }

    /// Sends answers record by record, then photos; whether anything was sent.
    pub(super) async fn send_answers(self) -> Result<bool, AppError> {
        let mut sent = self.send_removals().await?;
        let drafts: Vec<Draft> = store::all(store::DRAFTS).await?;
        for (record_id, drafts) in batches(drafts) {
            let changes: Vec<Change> = drafts.iter().map(|d| d.change.clone()).collect();
            let result = self.api.send_changes(&record_id, &changes).await?;
            sent = true;
            // The user may have typed on while these were on their way: only the very change
            // that was sent is settled by the answer; a newer draft of the item stays and
            // goes next.
            for d in &drafts {
                let sent = &d.change.change_id;
                let conflict = result.conflicts.iter().find(|c| &c.change_id == sent);
                if !result.applied.contains(sent) && conflict.is_none() {
                    continue;
                }
                let decide = |now: Option<&str>| {
                    let now = now.and_then(|j| serde_json::from_str::<Draft>(j).ok());
                    match settle(now, sent, conflict) {
                        Settle::Keep => store::Rewrite::Keep,
                        Settle::Delete => store::Rewrite::Delete,
                        Settle::Conflict(d) => serde_json::to_string(&d)
                            .map(store::Rewrite::Put)
                            .unwrap_or(store::Rewrite::Keep),
                    }
                };
                store::rewrite(
                    store::DRAFTS,
                    &draft_key(&record_id, &d.change.item_id),
                    &decide,
                )
                .await?;
            }
            self.update_cache(result.record).await?;
        }
        let photos: Vec<PhotoMeta> = store::all(store::PHOTOS).await?;
        for p in photos {
            let Some(blob) = store::get_blob(&p.id).await? else {
                store::delete(store::PHOTOS, &p.id).await?;
                continue;
            };
            self.api
                .put_evidence(&p.record_id, &p.id, &p.item_id, &p.content_type, &blob)
                .await?;
            sent = true;
            store::delete(store::PHOTOS, &p.id).await?;
            self.photo_sent(&p.id).await?;
            let record = self.api.record(&p.record_id).await?;
            self.update_cache(record).await?;
        }
        Ok(sent)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    fn draft(record: &str, item: &str, id: &str, base: i64) -> Draft {
        Draft {
            record_id: record.into(),
            change: Change {
                change_id: id.into(),
                base_version: base,
                item_id: item.into(),
                value: None,
                note: String::new(),
                overwrite: false,
                supersedes: Vec::new(),
            },
            conflict: None,
        }
    }

    fn conflict(id: &str) -> Conflict {
        Conflict {
            change_id: id.into(),
            item_id: "p-01".into(),
            server: Answer {
                item_id: "p-01".into(),
                value: None,
                note: "服务器上的答案".into(),
                version: 7,
            },
        }
    }

    #[wasm_bindgen_test]
    fn a_new_draft_keeps_the_base_of_the_unsent_one_and_names_it() {
        assert_eq!(
            follow(None, 5),
            Follow {
                base_version: 5,
                overwrite: false,
                supersedes: vec![]
            }
        );
        let mut earlier = draft("r", "p-01", "c2", 3);
        earlier.change.supersedes = vec!["c1".into()];
        earlier.change.overwrite = true;
        // The record was seen at 5 since; the item's unsent answer was based on 3.
        assert_eq!(
            follow(Some(&earlier), 5),
            Follow {
                base_version: 3,
                overwrite: true,
                supersedes: vec!["c1".into(), "c2".into()]
            }
        );
        // The chain stays within what the server reads.
        earlier.change.supersedes = (0..Change::SUPERSEDES_MAX)
            .map(|i| format!("o{i}"))
            .collect();
        let f = follow(Some(&earlier), 5);
        assert_eq!(f.supersedes.len(), Change::SUPERSEDES_MAX);
        assert_eq!(f.supersedes.last().map(String::as_str), Some("c2"));
        assert_eq!(f.supersedes.first().map(String::as_str), Some("o1"));
    }

    #[wasm_bindgen_test]
    fn a_reply_settles_only_the_change_it_answers() {
        // Applied, and nothing newer typed: the draft goes.
        assert_eq!(
            settle(Some(draft("r", "p-01", "c1", 1)), "c1", None),
            Settle::Delete
        );
        // Typed on while it was on its way: the newer draft stays and goes next.
        assert_eq!(
            settle(Some(draft("r", "p-01", "c2", 1)), "c1", None),
            Settle::Keep
        );
        assert_eq!(
            settle(
                Some(draft("r", "p-01", "c2", 1)),
                "c1",
                Some(&conflict("c1"))
            ),
            Settle::Keep
        );
        // Cleared meanwhile (taken the server's answer in another tab): nothing to do.
        assert_eq!(settle(None, "c1", None), Settle::Keep);
        // The very change met a newer answer: kept, with the server's for the user to choose.
        match settle(
            Some(draft("r", "p-01", "c1", 1)),
            "c1",
            Some(&conflict("c1")),
        ) {
            Settle::Conflict(d) => {
                assert_eq!(d.change.change_id, "c1");
                assert_eq!(d.conflict.map(|a| a.note), Some("服务器上的答案".into()));
            }
            other => panic!("{other:?}"),
        }
    }

    #[wasm_bindgen_test]
    fn drafts_go_record_by_record_and_a_conflict_waits_for_the_user() {
        let mut waiting = draft("r1", "p-03", "c3", 1);
        waiting.conflict = Some(conflict("c3").server);
        let b = batches(vec![
            draft("r2", "p-01", "c1", 1),
            draft("r1", "p-01", "c2", 1),
            waiting,
            draft("r1", "p-02", "c4", 1),
        ]);
        let ids =
            |r: &str| -> Vec<String> { b[r].iter().map(|d| d.change.change_id.clone()).collect() };
        assert_eq!(b.len(), 2);
        assert_eq!(ids("r1"), ["c2", "c4"]);
        assert_eq!(ids("r2"), ["c1"]);
    }
}
