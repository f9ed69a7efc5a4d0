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
    /// 第一责任人
    pub responsible_person: String,
    /// 整改措施
    pub measures: String,
    pub deadline: NaiveDate,
    pub status: TaskStatus,
    pub overdue: bool,
    pub updated_at: DateTime<Utc>,
}

/// One task for a finding; absent fields take the defaults (the organisation's secretary, a
/// deadline three months on).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewTask {
    pub finding_id: String,
    #[serde(default)]
    pub responsible_person: Option<String>,
    pub measures: String,
    #[serde(default)]
    pub deadline: Option<NaiveDate>,
}

impl NewTask {
    pub fn validate(&self) -> Result<(), FieldError> {
        let mut c = Checker::new();
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
pub struct MoveTask {
    pub to: TaskStatus,
    /// Required when the team returns a task.
    #[serde(default)]
    pub reason: String,
}

impl MoveTask {
    pub fn validate(&self, from: TaskStatus) -> Result<(), FieldError> {
        if !from.may_move_to(self.to) {
            return Err(FieldError::new("to", Problem::NotAllowed));
        }
        if from == TaskStatus::Submitted && self.to == TaskStatus::InProgress {
            validate::required_text(&self.reason, 500).map_err(|p| FieldError::new("reason", p))?;
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
        };
        assert_eq!(back.validate(Submitted).unwrap_err().field, "reason");
    }
}
