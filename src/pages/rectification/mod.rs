//! Rectification for the office and the teams: tasks created from a target's findings and
//! verified there, 回头看 of earlier findings, the reminders view (催办) and the ledger
//! (整改台账) of a round.

mod reminders;
mod target_tasks;
mod task_ledger;
mod task_row;

use leptos::prelude::*;

pub use reminders::RemindersPage;
pub use target_tasks::TargetTasks;
pub use task_ledger::RectificationPage;

/// Bumped when tasks changed, so every list on the page reads them again.
#[derive(Clone, Copy)]
struct TasksVersion(RwSignal<u32>);
