//! Records an inspector creates on site — talk records, findings, petitions entered by hand,
//! rectification tasks (立行立改 among them) — kept on the device and sent
//! when there is a network, each under the id it was made with so a re-send after a lost reply
//! records it once. What the server refuses (too few inspectors, a finding that names what is
//! not there) stays beside the form with the reason until the inspector corrects or lets go
//! of it.

use leptos::prelude::*;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use xuncha_api::findings::NewFinding;
use xuncha_api::petitions::PetitionDraft;
use xuncha_api::rectification::NewTask;
use xuncha_api::talks::TalkDraft;

use super::tasks::{is_refusal, work_key};
use super::{store, Outbox};
use crate::api::{Api, AppError};

/// What can be created on the device: where it waits, the server's own checks, and its `PUT`.
// The app runs on the browser's one thread: no caller needs the futures to be `Send`.
#[allow(async_fn_in_trait)]
pub trait Creation:
    Clone + PartialEq + Send + Sync + Serialize + DeserializeOwned + 'static
{
    const STORE: &'static str;
    fn validate(&self) -> Result<(), AppError>;
    async fn send(&self, api: Api, target_id: &str, id: &str) -> Result<(), AppError>;
    /// Bumped when some of these reached the server, so the target's list is read again.
    fn changed(outbox: Outbox) -> RwSignal<u32>;
}

impl Creation for TalkDraft {
    const STORE: &'static str = store::TALK_WORK;
    fn validate(&self) -> Result<(), AppError> {
        Ok(TalkDraft::validate(self)?)
    }
    async fn send(&self, api: Api, target_id: &str, id: &str) -> Result<(), AppError> {
        api.put_talk(target_id, id, self).await.map(drop)
    }
    fn changed(outbox: Outbox) -> RwSignal<u32> {
        outbox.talks_changed
    }
}

impl Creation for NewFinding {
    const STORE: &'static str = store::FINDING_WORK;
    fn validate(&self) -> Result<(), AppError> {
        Ok(NewFinding::validate(self)?)
    }
    async fn send(&self, api: Api, target_id: &str, id: &str) -> Result<(), AppError> {
        api.record_finding(target_id, id, self).await.map(drop)
    }
    fn changed(outbox: Outbox) -> RwSignal<u32> {
        outbox.findings_changed
    }
}

impl Creation for PetitionDraft {
    const STORE: &'static str = store::PETITION_WORK;
    fn validate(&self) -> Result<(), AppError> {
        Ok(PetitionDraft::validate(self)?)
    }
    async fn send(&self, api: Api, target_id: &str, id: &str) -> Result<(), AppError> {
        api.put_petition(target_id, id, self).await.map(drop)
    }
    fn changed(outbox: Outbox) -> RwSignal<u32> {
        outbox.petitions_changed
    }
}

impl Creation for NewTask {
    const STORE: &'static str = store::NEW_TASK_WORK;
    fn validate(&self) -> Result<(), AppError> {
        Ok(NewTask::validate(self)?)
    }
    async fn send(&self, api: Api, target_id: &str, id: &str) -> Result<(), AppError> {
        let task = NewTask {
            id: Some(id.to_string()),
            ..self.clone()
        };
        api.create_tasks(target_id, &[task]).await.map(drop)
    }
    fn changed(outbox: Outbox) -> RwSignal<u32> {
        outbox.tasks_changed
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(bound = "D: Creation")]
pub struct Created<D> {
    /// The store key: the time it was saved, then the id.
    pub key: String,
    pub target_id: String,
    /// Talks kept before findings joined them were stored under `talk_id`.
    #[serde(alias = "talk_id")]
    pub id: String,
    pub draft: D,
    /// The server refused it: shown with the reason, not sent again.
    pub refused: Option<String>,
}

pub type TalkWork = Created<TalkDraft>;
pub type FindingWork = Created<NewFinding>;

impl Outbox {
    /// Keeps a record on the device, then tries to send it. Checked first by the rules the
    /// server applies, so one that can never go is not kept.
    pub async fn queue_created<D: Creation>(
        self,
        target_id: &str,
        id: &str,
        draft: &D,
    ) -> Result<(), AppError> {
        draft.validate()?;
        let work = Created {
            key: work_key(js_sys::Date::now(), id),
            target_id: target_id.to_string(),
            id: id.to_string(),
            draft: draft.clone(),
            refused: None,
        };
        store::put(D::STORE, &work.key, &work).await?;
        self.refresh_counts().await;
        self.kick();
        Ok(())
    }

    /// What this device holds for a target and has not sent.
    pub async fn created_work<D: Creation>(self, target_id: &str) -> Vec<Created<D>> {
        let all: Vec<Created<D>> = store::all(D::STORE).await.unwrap_or_default();
        all.into_iter()
            .filter(|w| w.target_id == target_id)
            .collect()
    }

    /// The inspector lets go of a record the server refused.
    pub async fn discard_created<D: Creation>(self, work: &Created<D>) -> Result<(), AppError> {
        store::delete(D::STORE, &work.key).await?;
        self.refresh_counts().await;
        Ok(())
    }

    /// Sends saved records in the order made; a lost network or session stops and keeps them.
    pub(super) async fn send_created<D: Creation>(self) -> Result<bool, AppError> {
        let work: Vec<Created<D>> = store::all(D::STORE).await?;
        let mut sent = false;
        for w in work.into_iter().filter(|w| w.refused.is_none()) {
            match w.draft.send(self.api, &w.target_id, &w.id).await {
                Ok(()) => {
                    store::delete(D::STORE, &w.key).await?;
                    sent = true;
                }
                Err(AppError::Api(e)) if is_refusal(e.code) => {
                    let mut kept = w.clone();
                    let lang = self.api.lang.get_untracked();
                    // One record a request: a refused row is this record's own reason.
                    kept.refused = Some(match e.rows.first() {
                        Some(row) => row.problem.message(lang).to_string(),
                        None => e.message_in(lang),
                    });
                    store::put(D::STORE, &kept.key, &kept).await?;
                }
                Err(e) => return Err(e),
            }
        }
        if sent {
            D::changed(self).update(|c| *c += 1);
        }
        self.refresh_counts().await;
        Ok(sent)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::*;

    #[wasm_bindgen_test]
    fn a_talk_kept_before_findings_joined_the_queue_still_reads() {
        let kept = r#"{"key":"000001764000000-000001-t-1","target_id":"tg-1","talk_id":"t-1",
            "draft":{"kind":"talk","person_name":"王五","held_on":"2026-11-30",
                     "inspectors":["u-1","u-2"],"summary":"反映低保评定不公开"},
            "refused":null}"#;
        let w: TalkWork = serde_json::from_str(kept).unwrap();
        assert_eq!(
            (w.id.as_str(), w.draft.person_name.as_str()),
            ("t-1", "王五")
        );
        let again: TalkWork = serde_json::from_str(&serde_json::to_string(&w).unwrap()).unwrap();
        assert_eq!(again, w);
    }
}
