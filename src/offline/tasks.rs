//! The task queue: reports, photos and submissions a liaison made on this phone, sent in the
//! order made. The rules — order, hold-back behind a refusal, what is retried and what is a
//! refusal, a lost answer recognised — are pure functions here, tested without a server.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use xuncha_api::rectification::{MoveTask, NewProgress, TaskStatus};
use xuncha_api::ErrorCode;

use super::{new_id, store, Outbox};
use crate::api::AppError;

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
pub(super) fn work_key(made_at: f64, id: &str) -> String {
    format!("{:015}-{:06}-{id}", made_at as u64, next_seq())
}

/// Orders work made within the same millisecond.
fn next_seq() -> u32 {
    SEQ.with(|s| {
        s.set(s.get().wrapping_add(1) % 1_000_000);
        s.get()
    })
}

/// Which waiting work may go now. Behind a refusal a task's submission waits: it must not go
/// without the photo or the report refused before it. Reports and photos stand on their own
/// and still go.
pub(super) struct Queue {
    held: Vec<String>,
}

impl Queue {
    pub fn new(work: &[TaskWork]) -> Queue {
        Queue {
            held: work
                .iter()
                .filter(|w| w.refused.is_some())
                .map(|w| w.task_id.clone())
                .collect(),
        }
    }

    pub fn may_send(&self, w: &TaskWork) -> bool {
        w.refused.is_none() && !(w.step == TaskStep::Submit && self.held.contains(&w.task_id))
    }

    /// The server refused `w`: what its task still has waiting holds its submission back.
    pub fn refused(&mut self, w: &TaskWork) {
        self.held.push(w.task_id.clone());
    }
}

/// Whether an error answer is the server refusing the work (kept beside it for the user) or a
/// passing trouble (the session, the server, too many at once): then everything is kept and
/// sent again later.
pub(super) fn is_refusal(code: ErrorCode) -> bool {
    !matches!(
        code,
        ErrorCode::Unauthenticated | ErrorCode::Internal | ErrorCode::Throttled | ErrorCode::Busy
    )
}

/// A task standing at 已提交 or beyond was submitted, whatever the second try was told.
pub(super) fn went_through(status: TaskStatus) -> bool {
    !matches!(status, TaskStatus::Pending | TaskStatus::InProgress)
}

impl Outbox {
    /// Keeps a report, a photo or a submission of a task on the phone, then tries to send it.
    /// `made_at` is when the user acted (a photo is queued after it is scaled down), so the
    /// order sent is the order done.
    pub async fn queue_task_work(
        self,
        task_id: &str,
        step: TaskStep,
        photo: Option<&web_sys::Blob>,
        made_at: f64,
    ) -> Result<(), AppError> {
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
    pub async fn retry_task_work(self, work: &TaskWork) -> Result<(), AppError> {
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
    pub async fn discard_task_work(self, work: &TaskWork) -> Result<(), AppError> {
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

    /// Sends task work in the order it was made. A refusal is kept beside the work for the
    /// user to see; a lost network or session stops and keeps everything.
    pub(super) async fn send_task_work(self) -> Result<bool, AppError> {
        let work: Vec<TaskWork> = store::all(store::TASK_WORK).await?;
        let mut touched: Vec<String> = Vec::new();
        let mut queue = Queue::new(&work);
        for w in work {
            if !queue.may_send(&w) {
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
                    match store::get_blob(&w.id).await? {
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
                        Ok(d) if went_through(d.task.status) => Ok(()),
                        _ => result,
                    }
                }
                other => other,
            };
            match result {
                Ok(()) => {
                    store::delete(store::TASK_WORK, &w.key).await?;
                    self.photo_sent(&w.id).await?;
                }
                Err(AppError::Api(e)) if is_refusal(e.code) => {
                    queue.refused(&w);
                    // Another tab may have sent and removed it meanwhile.
                    let still: Option<TaskWork> = store::get(store::TASK_WORK, &w.key).await?;
                    if still.is_some() {
                        let mut kept = w.clone();
                        kept.refused = Some(e.message_in(self.api.lang.get_untracked()));
                        store::put(store::TASK_WORK, &kept.key, &kept).await?;
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
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    fn work(task: &str, step: TaskStep, refused: bool) -> TaskWork {
        let id = new_id();
        TaskWork {
            key: work_key(1_000.0, &id),
            id,
            task_id: task.into(),
            step,
            refused: refused.then(|| "任务已提交".into()),
        }
    }

    fn note() -> TaskStep {
        TaskStep::Progress {
            note: "已整改".into(),
        }
    }

    #[wasm_bindgen_test]
    fn work_goes_in_the_order_made_even_within_one_millisecond() {
        let keys: Vec<String> = (0..5)
            .map(|i| work_key(1_000.0, &format!("z{i}")))
            .collect();
        let mut sorted = keys.clone();
        sorted.sort();
        assert_eq!(sorted, keys);
        // A retry is made later: it goes to the back.
        assert!(work_key(2_000.0, "a") > keys[4]);
        assert!(work_key(999.0, "z") < keys[0]);
    }

    #[wasm_bindgen_test]
    fn behind_a_refusal_only_that_tasks_submission_waits() {
        let refused = work(
            "t1",
            TaskStep::Photo {
                content_type: "image/jpeg".into(),
            },
            true,
        );
        let waiting = vec![
            refused.clone(),
            work("t1", note(), false),
            work("t1", TaskStep::Submit, false),
            work("t2", TaskStep::Submit, false),
        ];
        let q = Queue::new(&waiting);
        let may: Vec<bool> = waiting.iter().map(|w| q.may_send(w)).collect();
        // The refused one is not sent again by itself; t1's report still goes, its submission
        // waits; t2 is not held by t1's trouble.
        assert_eq!(may, [false, true, false, true]);

        // A refusal met during this round holds the submission that follows it.
        let mut q = Queue::new(&[]);
        let submit = work("t3", TaskStep::Submit, false);
        assert!(q.may_send(&submit));
        q.refused(&work("t3", note(), false));
        assert!(!q.may_send(&submit));

        // Once the user discards (or retries) the refused work, the submission may go.
        let rest: Vec<TaskWork> = waiting.into_iter().filter(|w| w.id != refused.id).collect();
        let q = Queue::new(&rest);
        assert!(rest.iter().all(|w| q.may_send(w)));
    }

    #[wasm_bindgen_test]
    fn passing_trouble_is_retried_and_a_refusal_is_shown() {
        for code in [
            ErrorCode::Unauthenticated,
            ErrorCode::Internal,
            ErrorCode::Throttled,
            ErrorCode::Busy,
        ] {
            assert!(!is_refusal(code), "{code:?} is retried");
        }
        for code in [
            ErrorCode::Invalid,
            ErrorCode::Forbidden,
            ErrorCode::Conflict,
            ErrorCode::NotFound,
        ] {
            assert!(is_refusal(code), "{code:?} is shown");
        }
    }

    #[wasm_bindgen_test]
    fn a_submission_whose_answer_was_lost_is_recognised_by_the_tasks_state() {
        for s in [
            TaskStatus::Submitted,
            TaskStatus::Accepted,
            TaskStatus::Closed,
        ] {
            assert!(went_through(s), "{s:?}");
        }
        for s in [TaskStatus::Pending, TaskStatus::InProgress] {
            assert!(!went_through(s), "{s:?}");
        }
    }
}
