//! Rectification (整改): each finding becomes tasks for the responsible organisation, followed
//! 待整改 → 整改中 → 已提交 → 已验收 → 已销号, with every move kept.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::validate::{self, Checker};
use crate::{FieldError, Lang, Problem};

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TaskStatus {
    /// 待整改
    Pending,
    /// 整改中
    InProgress,
    /// 已提交 (with evidence)
    Submitted,
    /// 已验收 (verified by the team)
    Accepted,
    /// 已销号 (closed by the office)
    Closed,
}

impl TaskStatus {
    pub const ALL: [TaskStatus; 5] = [
        TaskStatus::Pending,
        TaskStatus::InProgress,
        TaskStatus::Submitted,
        TaskStatus::Accepted,
        TaskStatus::Closed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            TaskStatus::Pending => "pending",
            TaskStatus::InProgress => "in_progress",
            TaskStatus::Submitted => "submitted",
            TaskStatus::Accepted => "accepted",
            TaskStatus::Closed => "closed",
        }
    }

    pub fn parse(s: &str) -> Option<TaskStatus> {
        TaskStatus::ALL.into_iter().find(|t| t.as_str() == s)
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            TaskStatus::Pending => lang.pick("待整改", "To do"),
            TaskStatus::InProgress => lang.pick("整改中", "In progress"),
            TaskStatus::Submitted => lang.pick("已提交", "Submitted"),
            TaskStatus::Accepted => lang.pick("已验收", "Accepted"),
            TaskStatus::Closed => lang.pick("已销号", "Closed"),
        }
    }

    /// The moves the rules allow: forward one step, or a return from 已提交 to 整改中.
    pub fn may_move_to(self, to: TaskStatus) -> bool {
        matches!(
            (self, to),
            (TaskStatus::Pending, TaskStatus::InProgress)
                | (TaskStatus::InProgress, TaskStatus::Submitted)
                | (TaskStatus::Submitted, TaskStatus::Accepted)
                | (TaskStatus::Submitted, TaskStatus::InProgress)
                | (TaskStatus::Accepted, TaskStatus::Closed)
        )
    }

    pub fn is_open(self) -> bool {
        !matches!(self, TaskStatus::Accepted | TaskStatus::Closed)
    }
}

/// A task as the inspection made it: to rectify after the feedback, or on the spot (立行立改)
/// while the team is still stationed, its deadline within the stationing period.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TaskKind {
    /// 常规整改
    #[default]
    Regular,
    /// 立行立改
    OnTheSpot,
}

impl TaskKind {
    pub const ALL: [TaskKind; 2] = [TaskKind::Regular, TaskKind::OnTheSpot];

    pub fn as_str(self) -> &'static str {
        match self {
            TaskKind::Regular => "regular",
            TaskKind::OnTheSpot => "on_the_spot",
        }
    }

    pub fn parse(s: &str) -> Option<TaskKind> {
        TaskKind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            TaskKind::Regular => lang.pick("常规整改", "Regular"),
            TaskKind::OnTheSpot => lang.pick("立行立改", "Fix on the spot"),
        }
    }
}

/// Overdue is derived from the deadline and the day, never stored.
pub fn is_overdue(status: TaskStatus, deadline: NaiveDate, today: NaiveDate) -> bool {
    status.is_open() && deadline < today
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Task {
    pub id: String,
    pub finding_id: String,
    pub finding_title: String,
    pub target_id: String,
    pub org_id: String,
    pub org_name: String,
    /// The round whose inspection found it: two tasks of the same wording from two rounds
    /// (a follow-up, 回头看) are told apart by it. Absent in lists a phone cached before.
    #[serde(default)]
    pub round_name: String,
    /// 第一责任人
    pub responsible_person: String,
    /// 整改措施
    pub measures: String,
    pub deadline: NaiveDate,
    pub status: TaskStatus,
    pub overdue: bool,
    pub updated_at: DateTime<Utc>,
    /// Absent in lists a phone cached before.
    #[serde(default)]
    pub kind: TaskKind,
}

/// One task for a finding; absent fields take the defaults (the organisation's secretary, a
/// deadline three months on).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewTask {
    pub finding_id: String,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 30))]
    pub responsible_person: Option<String>,
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 2000))]
    pub measures: String,
    /// Checked row by row with the rest of the request (2000 up to five years on; for 立行立改
    /// within the stationing period, its last day when absent).
    #[serde(default)]
    pub deadline: Option<NaiveDate>,
    #[serde(default)]
    pub kind: TaskKind,
    /// Made by the device that asks, so that a request sent again after a lost reply (or
    /// from the outbox of a phone that was offline) creates the task once; the server makes
    /// one when absent.
    #[serde(default)]
    #[cfg_attr(
        feature = "openapi",
        schema(max_length = 64, pattern = "^[A-Za-z0-9_-]+$")
    )]
    pub id: Option<String>,
}

impl NewTask {
    pub fn validate(&self) -> Result<(), FieldError> {
        let mut c = Checker::new();
        if let Some(id) = &self.id {
            c.check("id", validate::client_id(id));
        }
        c.check("measures", validate::required_text(&self.measures, 2000));
        if let Some(p) = &self.responsible_person {
            c.check(
                "responsible_person",
                validate::required_text(p, validate::PERSON_MAX),
            );
        }
        c.finish()
    }
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MoveTask {
    pub to: TaskStatus,
    /// Required when the team returns a task.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 500))]
    pub reason: String,
    /// On closing (销号): what the public page says was done, in the office's words.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 2000))]
    pub public_text: String,
}

impl MoveTask {
    pub fn validate(&self, from: TaskStatus) -> Result<(), FieldError> {
        if !from.may_move_to(self.to) {
            return Err(FieldError::new("to", Problem::NotAllowed));
        }
        if from == TaskStatus::Submitted && self.to == TaskStatus::InProgress {
            validate::required_text(&self.reason, 500).map_err(|p| FieldError::new("reason", p))?;
        } else if self.reason.chars().count() > 500 {
            return Err(FieldError::new("reason", Problem::TooLong { max: 500 }));
        }
        if self.public_text.chars().count() > 1000 {
            return Err(FieldError::new(
                "public_text",
                Problem::TooLong { max: 1000 },
            ));
        }
        if !self.public_text.trim().is_empty() && self.to != TaskStatus::Closed {
            return Err(FieldError::new("public_text", Problem::NotAllowed));
        }
        Ok(())
    }
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TaskEvent {
    pub from: TaskStatus,
    pub to: TaskStatus,
    pub by: String,
    pub at: DateTime<Utc>,
    pub reason: String,
}

/// A progress report (整改进展) from the liaison; the id is made on the phone, so a re-sent
/// report is stored once.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewProgress {
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 1, max_length = 64, pattern = "^[A-Za-z0-9_-]+$")
    )]
    pub id: String,
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 2000))]
    pub note: String,
}

impl NewProgress {
    pub fn validate(&self) -> Result<(), FieldError> {
        let mut c = Checker::new();
        c.check("id", validate::client_id(&self.id));
        c.check("note", validate::required_text(&self.note, 2000));
        c.finish()
    }
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Progress {
    pub id: String,
    pub note: String,
    pub by: String,
    pub at: DateTime<Utc>,
}

/// A photo or file of a task (整改佐证); the bytes are fetched separately.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TaskFile {
    pub id: String,
    pub content_type: String,
    pub size: u64,
    pub by: String,
    pub at: DateTime<Utc>,
}

/// One task with everything done on it.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TaskDetail {
    pub task: Task,
    /// The finding in the words of the team (not shown on the public page).
    pub finding_description: String,
    pub events: Vec<TaskEvent>,
    pub progress: Vec<Progress>,
    pub files: Vec<TaskFile>,
}

/// How many tasks stand at each status, and how many of the open ones are overdue.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TaskCounts {
    pub pending: u32,
    pub in_progress: u32,
    pub submitted: u32,
    pub accepted: u32,
    pub closed: u32,
    pub overdue: u32,
    /// 立行立改 tasks, and how many of them are done (accepted or closed).
    #[serde(default)]
    pub on_the_spot: u32,
    #[serde(default)]
    pub on_the_spot_done: u32,
}

impl TaskCounts {
    pub fn add(&mut self, t: &Task) {
        match t.status {
            TaskStatus::Pending => self.pending += 1,
            TaskStatus::InProgress => self.in_progress += 1,
            TaskStatus::Submitted => self.submitted += 1,
            TaskStatus::Accepted => self.accepted += 1,
            TaskStatus::Closed => self.closed += 1,
        }
        self.overdue += u32::from(t.overdue);
        if t.kind == TaskKind::OnTheSpot {
            self.on_the_spot += 1;
            self.on_the_spot_done += u32::from(!t.status.is_open());
        }
    }

    pub fn total(&self) -> u32 {
        self.pending + self.in_progress + self.submitted + self.accepted + self.closed
    }
}

/// The rectification ledger (整改台账) of a round or a term.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TaskLedger {
    /// The round's or the term's name.
    pub title: String,
    pub counts: TaskCounts,
    pub rows: Vec<LedgerRow>,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LedgerRow {
    pub round_name: String,
    /// The organisation above the task's (a village's township).
    #[serde(default)]
    pub township: String,
    pub severity: crate::findings::Severity,
    pub task: Task,
    /// The day it was closed (已销号), if it was.
    pub closed_on: Option<NaiveDate>,
}

/// Which rows of a ledger to show or export: the page's filters, sent along with the export
/// link so the spreadsheet holds what the office was looking at.
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams, utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct LedgerFilter {
    /// A status, or `open` for every one not yet 已验收 or 已销号.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub township: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub overdue: Option<bool>,
}

impl LedgerFilter {
    pub fn keeps(&self, r: &LedgerRow) -> bool {
        let status = match self.status.as_deref().unwrap_or_default() {
            "" => true,
            "open" => r.task.status.is_open(),
            s => r.task.status.as_str() == s,
        };
        let township = self
            .township
            .as_deref()
            .is_none_or(|t| t.is_empty() || r.township == t);
        status && township && (self.overdue != Some(true) || r.task.overdue)
    }

    /// Keeps the rows that pass, with the counts of those.
    pub fn apply(&self, ledger: &mut TaskLedger) {
        ledger.rows.retain(|r| self.keeps(r));
        let mut counts = TaskCounts::default();
        ledger.rows.iter().for_each(|r| counts.add(&r.task));
        ledger.counts = counts;
    }

    pub fn is_empty(&self) -> bool {
        self.status.as_deref().unwrap_or_default().is_empty()
            && self.township.as_deref().unwrap_or_default().is_empty()
            && self.overdue != Some(true)
    }
}

/// Open tasks due within a week or overdue (催办), grouped by organisation.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Reminders {
    pub groups: Vec<ReminderGroup>,
    /// Open tasks in scope that are due within a week or overdue, all of them.
    pub total: u32,
    /// Groups are cut after this many tasks; `total` still counts everything.
    pub truncated: bool,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReminderGroup {
    pub org_id: String,
    pub org_name: String,
    pub overdue: u32,
    pub tasks: Vec<Task>,
}

/// What the public disclosure page (整改情况公开) shows of one closed task: plain words only.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PublicItem {
    /// The focus area (重点) in words.
    pub area: String,
    /// The problem as the team titled it; a petition's problem is given only as its area.
    pub problem: String,
    pub measures: String,
    pub closed_on: NaiveDate,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PublicDisclosure {
    pub org_name: String,
    pub items: Vec<PublicItem>,
}

/// 回头看: an earlier finding of the same organisation and where its tasks stand.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EarlierFinding {
    pub round_name: String,
    pub finding: crate::findings::Finding,
    pub tasks: Vec<Task>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_move_by_the_rules_only() {
        use TaskStatus::*;
        assert!(Pending.may_move_to(InProgress));
        assert!(Submitted.may_move_to(InProgress), "a return");
        assert!(!Pending.may_move_to(Submitted));
        assert!(!Accepted.may_move_to(InProgress));
        assert!(!Closed.may_move_to(Pending));
        let d = |day| NaiveDate::from_ymd_opt(2026, 6, day).unwrap();
        assert!(is_overdue(InProgress, d(1), d(2)));
        assert!(!is_overdue(Accepted, d(1), d(2)));
        assert!(!is_overdue(Pending, d(2), d(2)));
        let back = MoveTask {
            to: InProgress,
            reason: " ".into(),
            public_text: String::new(),
        };
        assert_eq!(back.validate(Submitted).unwrap_err().field, "reason");
    }
}
