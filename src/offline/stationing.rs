//! The stationing queue: what an inspector changed on a target's lists and visits during a
//! week with no signal, one entry per list item or visit, sent when the network returns.
//!
//! Each change goes on the version the inspector saw. The server refuses one made on an older
//! version (another inspector of the team changed it meanwhile): the entry then keeps both,
//! the server's and this device's, until the inspector picks one. A change the server already
//! holds from this device (its reply was lost) is recognised and not shown as a conflict.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use xuncha_api::stationing::{PrepDraft, PrepItem, Stationing, Visit, VisitDraft};
use xuncha_api::{ErrorCode, Problem};

use super::tasks::is_refusal;
use super::{store, Outbox};
use crate::api::AppError;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum StationChange {
    Item(PrepDraft),
    Visit(VisitDraft),
    RemoveItem,
    RemoveVisit,
}

impl StationChange {
    fn base(&self) -> Option<i64> {
        match self {
            StationChange::Item(d) => d.base_version,
            StationChange::Visit(d) => d.base_version,
            _ => None,
        }
    }

    /// The same change made on `version`.
    fn on(&self, version: Option<i64>) -> StationChange {
        let mut c = self.clone();
        match &mut c {
            StationChange::Item(d) => d.base_version = version,
            StationChange::Visit(d) => d.base_version = version,
            _ => {}
        }
        c
    }
}

/// What the server held when it refused a change made on an older version.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Theirs {
    Item(PrepItem),
    Visit(Visit),
}

impl Theirs {
    pub fn version(&self) -> i64 {
        match self {
            Theirs::Item(i) => i.version,
            Theirs::Visit(v) => v.version,
        }
    }

    /// Whether the server's version is what this device sent (a lost reply, not a conflict).
    fn is(&self, sent: &StationChange) -> bool {
        match (self, sent) {
            (Theirs::Item(i), StationChange::Item(d)) => i.says(d),
            (Theirs::Visit(v), StationChange::Visit(d)) => v.says(d),
            _ => false,
        }
    }
}

/// A change of one list item or visit, waiting on this device.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StationWork {
    pub target_id: String,
    /// The item's or visit's id.
    pub id: String,
    /// When it was first saved on this device (ms since the epoch): how long it has waited.
    pub made_at: f64,
    pub change: StationChange,
    /// What was put on the wire and never acknowledged, so that a lost reply (the server
    /// holds one of these) is told from another's edit.
    #[serde(default)]
    pub sent: Vec<StationChange>,
    /// The server's version, when it refused this one as made on an older version.
    #[serde(default)]
    pub theirs: Option<Theirs>,
    /// The server refused it for another reason: shown, not sent again.
    #[serde(default)]
    pub refused: Option<String>,
}

impl StationWork {
    pub fn key(target_id: &str, id: &str) -> String {
        format!("{target_id}/{id}")
    }

    pub fn waiting(&self) -> bool {
        self.theirs.is_none() && self.refused.is_none()
    }
}

/// The key under which a target's stationing is kept for reading with no network.
pub fn cache_key(target_id: &str) -> String {
    format!("stationing:{target_id}")
}

/// Puts what the server now holds into the kept copy (`None`: it is gone).
fn apply(s: &mut Stationing, id: &str, stored: Option<Theirs>) {
    for list in [&mut s.policies, &mut s.information, &mut s.expected] {
        list.retain(|i| i.id != id);
    }
    s.visits.retain(|v| v.id != id);
    match stored {
        Some(Theirs::Item(item)) => {
            let list = match item.content.list() {
                xuncha_api::stationing::PrepList::Policy => &mut s.policies,
                xuncha_api::stationing::PrepList::Information => &mut s.information,
                xuncha_api::stationing::PrepList::Expected => &mut s.expected,
            };
            list.push(item);
        }
        Some(Theirs::Visit(v)) => s.visits.push(v),
        None => {}
    }
}

/// The stored version of `id` in a target's stationing.
fn find(s: &Stationing, id: &str) -> Option<Theirs> {
    s.policies
        .iter()
        .chain(&s.information)
        .chain(&s.expected)
        .find(|i| i.id == id)
        .cloned()
        .map(Theirs::Item)
        .or_else(|| {
            s.visits
                .iter()
                .find(|v| v.id == id)
                .cloned()
                .map(Theirs::Visit)
        })
}

impl Outbox {
    /// Keeps a change of a list item or visit on the device, then tries to send it. A second
    /// change of the same one before it went replaces the first, on the version the first was
    /// made on, and keeps its place in the queue.
    pub async fn queue_station(
        self,
        target_id: &str,
        id: &str,
        change: StationChange,
    ) -> Result<(), AppError> {
        match &change {
            StationChange::Item(d) => d.validate()?,
            StationChange::Visit(d) => d.validate()?,
            _ => {}
        }
        let key = StationWork::key(target_id, id);
        let known: Option<StationWork> = store::get(store::STATION_WORK, &key).await?;
        let work = match known {
            // An edit made while a conflict was shown is made on the server's version, which
            // the inspector saw beside this device's.
            Some(k) => StationWork {
                change: change.on(match &k.theirs {
                    Some(t) => Some(t.version()),
                    None => k.change.base().or(change.base()),
                }),
                theirs: None,
                refused: None,
                ..k
            },
            None => StationWork {
                target_id: target_id.into(),
                id: id.into(),
                made_at: js_sys::Date::now(),
                change,
                sent: vec![],
                theirs: None,
                refused: None,
            },
        };
        store::put(store::STATION_WORK, &key, &work).await?;
        self.refresh_counts().await;
        self.kick();
        Ok(())
    }

    /// What this device holds for a target and has not sent, oldest first.
    pub async fn station_work(self, target_id: &str) -> Vec<StationWork> {
        let mut all: Vec<StationWork> = store::all(store::STATION_WORK).await.unwrap_or_default();
        all.retain(|w| w.target_id == target_id);
        all.sort_by(|a, b| a.made_at.total_cmp(&b.made_at));
        all
    }

    /// The inspector keeps this device's version over the server's: sent again on the
    /// server's version.
    pub async fn keep_my_station_work(self, work: &StationWork) -> Result<(), AppError> {
        let Some(theirs) = &work.theirs else {
            return Ok(());
        };
        let kept = StationWork {
            change: work.change.on(Some(theirs.version())),
            theirs: None,
            refused: None,
            ..work.clone()
        };
        store::put(
            store::STATION_WORK,
            &StationWork::key(&work.target_id, &work.id),
            &kept,
        )
        .await?;
        self.refresh_counts().await;
        self.kick();
        Ok(())
    }

    /// The inspector lets go of this device's change (the server's version stays).
    pub async fn discard_station_work(self, work: &StationWork) -> Result<(), AppError> {
        store::delete(
            store::STATION_WORK,
            &StationWork::key(&work.target_id, &work.id),
        )
        .await?;
        self.refresh_counts().await;
        Ok(())
    }

    /// Sends the changes in the order first made; a lost network or session stops and keeps
    /// them.
    /// Sends the waiting changes `which` picks, in the order they were made.
    pub(super) async fn send_station_work(
        self,
        which: fn(&StationChange) -> bool,
    ) -> Result<bool, AppError> {
        let mut work: Vec<StationWork> = store::all(store::STATION_WORK).await?;
        work.sort_by(|a, b| a.made_at.total_cmp(&b.made_at));
        let mut sent_any = false;
        for w in work.into_iter().filter(|w| w.waiting() && which(&w.change)) {
            let key = StationWork::key(&w.target_id, &w.id);
            let mut sending = w.clone();
            if !sending.sent.contains(&w.change) {
                sending.sent.push(w.change.clone());
            }
            store::put(store::STATION_WORK, &key, &sending).await?;
            match self.send_change(&w).await {
                Ok(stored) => {
                    self.kept_copy(&w.target_id, &w.id, stored.clone()).await?;
                    // Changed again while on the way: the newer change stays, now on the
                    // version the server has just stored.
                    let now: Option<StationWork> = store::get(store::STATION_WORK, &key).await?;
                    match now {
                        Some(n) if n.change != w.change => {
                            let version = stored.as_ref().map(Theirs::version);
                            let next = StationWork {
                                change: n.change.on(version.or(n.change.base())),
                                sent: vec![],
                                ..n
                            };
                            store::put(store::STATION_WORK, &key, &next).await?;
                        }
                        _ => store::delete(store::STATION_WORK, &key).await?,
                    }
                    sent_any = true;
                }
                Err(AppError::Api(e)) if e.code == ErrorCode::Conflict && stale(&e) => {
                    let fresh = self.api.stationing(&w.target_id).await?;
                    let _ = store::put(store::META, &cache_key(&w.target_id), &fresh).await;
                    let theirs = find(&fresh, &w.id);
                    match theirs {
                        // The server holds what this device sent: its reply was lost.
                        Some(t) if sending.sent.iter().any(|c| t.is(c)) => {
                            let next = StationWork {
                                change: w.change.on(Some(t.version())),
                                sent: vec![],
                                ..w.clone()
                            };
                            store::put(store::STATION_WORK, &key, &next).await?;
                            self.again.set(true);
                        }
                        Some(t) => {
                            let kept = StationWork {
                                theirs: Some(t),
                                ..sending.clone()
                            };
                            store::put(store::STATION_WORK, &key, &kept).await?;
                        }
                        // Removed by another inspector: an edit puts it back as new.
                        None => {
                            let next = StationWork {
                                change: w.change.on(None),
                                ..sending.clone()
                            };
                            store::put(store::STATION_WORK, &key, &next).await?;
                            self.again.set(true);
                        }
                    }
                    sent_any = true;
                }
                Err(AppError::Api(e)) if is_refusal(e.code) => {
                    let kept = StationWork {
                        refused: Some(e.message_in(self.api.lang.get_untracked())),
                        ..sending.clone()
                    };
                    store::put(store::STATION_WORK, &key, &kept).await?;
                }
                Err(e) => return Err(e),
            }
        }
        if sent_any {
            self.stationing_changed.update(|c| *c += 1);
        }
        Ok(sent_any)
    }

    async fn send_change(self, w: &StationWork) -> Result<Option<Theirs>, AppError> {
        let (t, id) = (&w.target_id, &w.id);
        Ok(match &w.change {
            StationChange::Item(d) => Some(Theirs::Item(self.api.put_prep_item(t, id, d).await?)),
            StationChange::Visit(d) => Some(Theirs::Visit(self.api.put_visit(t, id, d).await?)),
            StationChange::RemoveItem => {
                self.api.remove_prep_item(t, id).await?;
                None
            }
            StationChange::RemoveVisit => {
                self.api.remove_visit(t, id).await?;
                None
            }
        })
    }

    /// The kept copy of the target's stationing follows what the server stored, so that the
    /// next change offline is made on the right version.
    async fn kept_copy(
        self,
        target_id: &str,
        id: &str,
        stored: Option<Theirs>,
    ) -> Result<(), AppError> {
        let key = cache_key(target_id);
        if let Some(mut s) = store::get::<Stationing>(store::META, &key).await? {
            apply(&mut s, id, stored);
            store::put(store::META, &key, &s).await?;
        }
        Ok(())
    }
}

/// A refusal because the change was made on an older version (not a taken id).
fn stale(e: &xuncha_api::ApiError) -> bool {
    e.field.as_deref() == Some("base_version") || e.problem == Some(Problem::Stale)
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;
    use xuncha_api::stationing::{PolicyArea, PrepContent, StationingSummary};

    fn item(id: &str, title: &str, version: i64) -> PrepItem {
        PrepItem {
            id: id.into(),
            target_id: "t".into(),
            content: PrepContent::Policy {
                area: PolicyArea::Health,
                title: title.into(),
                evidence: String::new(),
            },
            origin: String::new(),
            default_id: None,
            files: Vec::new(),
            version,
            created_by: "u1".into(),
            created_by_name: "张伟".into(),
            created_at: Default::default(),
            updated_at: Default::default(),
        }
    }

    #[wasm_bindgen_test]
    fn the_kept_copy_follows_the_server_and_a_lost_reply_is_told_from_another_s_edit() {
        let mut s = Stationing {
            target_id: "t".into(),
            station_start: None,
            station_end: None,
            policies: vec![item("p1", "大病医疗救助", 1)],
            information: vec![],
            expected: vec![],
            visits: vec![],
            summary: StationingSummary::of(None, &[], &[], (0, 0)),
        };
        apply(
            &mut s,
            "p1",
            Some(Theirs::Item(item("p1", "大病医疗救助政策", 2))),
        );
        apply(&mut s, "p2", Some(Theirs::Item(item("p2", "危房改造", 1))));
        assert_eq!(s.policies.len(), 2);
        assert_eq!(find(&s, "p1").map(|t| t.version()), Some(2));
        apply(&mut s, "p2", None);
        assert!(find(&s, "p2").is_none());

        let sent = StationChange::Item(PrepDraft {
            content: PrepContent::Policy {
                area: PolicyArea::Health,
                title: " 大病医疗救助政策".into(),
                evidence: String::new(),
            },
            origin: String::new(),
            base_version: Some(1),
        });
        let stored = find(&s, "p1").unwrap();
        assert!(stored.is(&sent), "what this device sent, trimmed as stored");
        assert!(!Theirs::Item(item("p1", "大病救助", 3)).is(&sent));
        assert_eq!(sent.on(Some(2)).base(), Some(2));
    }
}
