//! The talk queue: talk records an inspector saved during stationing, kept on the device and
//! sent when there is a network, each under the id it was made with so a re-send after a lost
//! reply records it once. What the server refuses (too few inspectors, someone's newer edit)
//! stays beside the form with the reason until the inspector corrects or lets go of it.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use xuncha_api::talks::TalkDraft;

use super::tasks::{is_refusal, work_key};
use super::{store, Outbox};
use crate::api::AppError;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TalkWork {
    /// The store key: the time it was saved, then the id.
    pub key: String,
    pub target_id: String,
    pub talk_id: String,
    pub draft: TalkDraft,
    /// The server refused it: shown with the reason, not sent again.
    pub refused: Option<String>,
}

impl Outbox {
    /// Keeps a talk record on the device, then tries to send it. Checked first by the rules
    /// the server applies, so a talk that can never go is not kept.
    pub async fn queue_talk(
        self,
        target_id: &str,
        talk_id: &str,
        draft: &TalkDraft,
    ) -> Result<(), AppError> {
        draft.validate()?;
        let work = TalkWork {
            key: work_key(js_sys::Date::now(), talk_id),
            target_id: target_id.to_string(),
            talk_id: talk_id.to_string(),
            draft: draft.clone(),
            refused: None,
        };
        store::put(store::TALK_WORK, &work.key, &work).await?;
        self.refresh_counts().await;
        self.kick();
        Ok(())
    }

    /// What this device holds for a target and has not sent.
    pub async fn talk_work(self, target_id: &str) -> Vec<TalkWork> {
        let all: Vec<TalkWork> = store::all(store::TALK_WORK).await.unwrap_or_default();
        all.into_iter()
            .filter(|w| w.target_id == target_id)
            .collect()
    }

    /// The inspector lets go of a talk the server refused.
    pub async fn discard_talk_work(self, work: &TalkWork) -> Result<(), AppError> {
        store::delete(store::TALK_WORK, &work.key).await?;
        self.refresh_counts().await;
        Ok(())
    }

    /// Sends saved talks in the order made; a lost network or session stops and keeps them.
    pub(super) async fn send_talk_work(self) -> Result<bool, AppError> {
        let work: Vec<TalkWork> = store::all(store::TALK_WORK).await?;
        let mut sent = false;
        for w in work.into_iter().filter(|w| w.refused.is_none()) {
            match self.api.put_talk(&w.target_id, &w.talk_id, &w.draft).await {
                Ok(_) => {
                    store::delete(store::TALK_WORK, &w.key).await?;
                    sent = true;
                }
                Err(AppError::Api(e)) if is_refusal(e.code) => {
                    let mut kept = w.clone();
                    kept.refused = Some(e.message_in(self.api.lang.get_untracked()));
                    store::put(store::TALK_WORK, &kept.key, &kept).await?;
                }
                Err(e) => return Err(e),
            }
        }
        if sent {
            self.talks_changed.update(|c| *c += 1);
        }
        self.refresh_counts().await;
        Ok(sent)
    }
}
