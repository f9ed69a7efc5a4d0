//! Terms (届), rounds (轮次), teams (巡察组) and targets (巡察对象).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::orgs::OrgLevel;
use crate::validate::{self, Checker};
use crate::{FieldError, Lang, Problem};

/// A Party committee's five-year term, within which everything under it is inspected once.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Term {
    pub id: String,
    pub committee_org_id: String,
    pub committee_name: String,
    pub name: String,
    pub start_date: NaiveDate,
    pub end_date: NaiveDate,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CreateTerm {
    pub committee_org_id: String,
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 60))]
    pub name: String,
    #[serde(deserialize_with = "validate::de_date")]
    pub start_date: NaiveDate,
    #[serde(deserialize_with = "validate::de_date")]
    pub end_date: NaiveDate,
}

impl CreateTerm {
    pub fn validate(&self) -> Result<(), FieldError> {
        let mut c = Checker::new();
        c.check(
            "name",
            validate::required_text(&self.name, validate::NAME_MAX),
        );
        if self.end_date <= self.start_date {
            c.check("end_date", Err(Problem::NotAllowed));
        }
        c.finish()
    }
}

/// The six kinds of round.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RoundKind {
    /// 常规
    Regular,
    /// 专项 (with a theme)
    Special,
    /// 机动
    Mobile,
    /// 提级: a higher level inspects a lower unit directly
    Elevated,
    /// 联动: city and county together
    Linked,
    /// 回头看: re-inspects organisations already inspected in the term
    FollowUp,
}

impl RoundKind {
    pub const ALL: [RoundKind; 6] = [
        RoundKind::Regular,
        RoundKind::Special,
        RoundKind::Mobile,
        RoundKind::Elevated,
        RoundKind::Linked,
        RoundKind::FollowUp,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            RoundKind::Regular => "regular",
            RoundKind::Special => "special",
            RoundKind::Mobile => "mobile",
            RoundKind::Elevated => "elevated",
            RoundKind::Linked => "linked",
            RoundKind::FollowUp => "follow_up",
        }
    }

    pub fn parse(s: &str) -> Option<RoundKind> {
        RoundKind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            RoundKind::Regular => lang.pick("常规巡察", "Regular"),
            RoundKind::Special => lang.pick("专项巡察", "Special"),
            RoundKind::Mobile => lang.pick("机动巡察", "Mobile"),
            RoundKind::Elevated => lang.pick("提级巡察", "Elevated"),
            RoundKind::Linked => lang.pick("联动巡察", "Linked"),
            RoundKind::FollowUp => lang.pick("巡察“回头看”", "Follow-up"),
        }
    }
}

/// 准备 → 进驻 → 报告 → 反馈 → 整改 → 结束, one step at a time.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    Preparation,
    Stationing,
    Report,
    Feedback,
    Rectification,
    Closed,
}

impl Phase {
    pub const ALL: [Phase; 6] = [
        Phase::Preparation,
        Phase::Stationing,
        Phase::Report,
        Phase::Feedback,
        Phase::Rectification,
        Phase::Closed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Phase::Preparation => "preparation",
            Phase::Stationing => "stationing",
            Phase::Report => "report",
            Phase::Feedback => "feedback",
            Phase::Rectification => "rectification",
            Phase::Closed => "closed",
        }
    }

    pub fn parse(s: &str) -> Option<Phase> {
        Phase::ALL.into_iter().find(|p| p.as_str() == s)
    }

    pub fn next(self) -> Option<Phase> {
        Phase::ALL.into_iter().find(|p| *p > self)
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            Phase::Preparation => lang.pick("准备", "Preparation"),
            Phase::Stationing => lang.pick("进驻", "Stationing"),
            Phase::Report => lang.pick("报告", "Report"),
            Phase::Feedback => lang.pick("反馈", "Feedback"),
            Phase::Rectification => lang.pick("整改", "Rectification"),
            Phase::Closed => lang.pick("结束", "Closed"),
        }
    }
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Round {
    pub id: String,
    pub term_id: String,
    pub name: String,
    pub kind: RoundKind,
    /// The theme of a special (专项) round, e.g. 农村集体“三资”管理.
    pub theme: String,
    pub start_date: NaiveDate,
    pub end_date: NaiveDate,
    pub phase: Phase,
    pub target_count: i64,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CreateRound {
    pub term_id: String,
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 60))]
    pub name: String,
    pub kind: RoundKind,
    #[serde(default)]
    pub theme: String,
    #[serde(deserialize_with = "validate::de_date")]
    pub start_date: NaiveDate,
    #[serde(deserialize_with = "validate::de_date")]
    pub end_date: NaiveDate,
}

impl CreateRound {
    pub fn validate(&self) -> Result<(), FieldError> {
        let mut c = Checker::new();
        c.check(
            "name",
            validate::required_text(&self.name, validate::NAME_MAX),
        );
        if self.kind == RoundKind::Special {
            c.check(
                "theme",
                validate::required_text(&self.theme, validate::NAME_MAX),
            );
        } else {
            c.check(
                "theme",
                validate::optional_text(&self.theme, validate::NAME_MAX),
            );
        }
        if self.end_date < self.start_date {
            c.check("end_date", Err(Problem::NotAllowed));
        }
        c.finish()
    }
}

/// Moves a round to its next phase; `to` must be exactly the next one.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChangePhase {
    pub to: Phase,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TeamMember {
    pub user_id: String,
    pub display_name: String,
    pub leader: bool,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Team {
    pub id: String,
    pub round_id: String,
    pub name: String,
    /// The team's public contact (phone or mailbox), shown to the inspected unit and the public.
    pub contact: String,
    pub members: Vec<TeamMember>,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CreateTeam {
    pub name: String,
    pub leader_id: String,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_items = 50))]
    pub member_ids: Vec<String>,
    #[serde(default)]
    pub contact: String,
}

impl CreateTeam {
    pub fn validate(&self) -> Result<(), FieldError> {
        let mut c = Checker::new();
        c.check(
            "name",
            validate::required_text(&self.name, validate::NAME_MAX),
        )
        .check("leader_id", validate::required_text(&self.leader_id, 64))
        .check(
            "member_ids",
            validate::at_most(&self.member_ids, validate::TEAM_MAX),
        )
        .check(
            "contact",
            validate::optional_text(&self.contact, validate::NAME_MAX),
        );
        c.finish()
    }
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Target {
    pub id: String,
    pub round_id: String,
    pub org_id: String,
    pub org_name: String,
    pub org_level: OrgLevel,
    pub team_id: String,
    pub team_name: String,
    /// 进驻
    pub station_start: Option<NaiveDate>,
    /// 撤离
    pub station_end: Option<NaiveDate>,
    /// The organisation above it (a village's township, 乡镇/街道): two villages named 五里村
    /// in different townships are told apart by it.
    #[serde(default)]
    pub township: String,
    #[serde(default)]
    pub progress: TargetProgress,
}

/// How far the work at a target has come, as the round's table shows it.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TargetProgress {
    /// The team's checklist record, once opened.
    pub record: Option<RecordProgress>,
    pub findings: i64,
    /// Tasks not yet 已验收 or 已销号.
    pub open_tasks: i64,
    pub overdue_tasks: i64,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RecordProgress {
    pub id: String,
    pub answered: i64,
    pub total: i64,
    pub submitted: bool,
}

/// One target as its page heads it: where, which round, which team, and what the viewer may
/// do there.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TargetDetail {
    pub target: Target,
    pub round_name: String,
    pub round_phase: Phase,
    pub team_contact: String,
    pub team_leader: String,
    /// The viewer is on the target's team: the checklist record is theirs to fill.
    pub on_team: bool,
}

/// Assigns several organisations at once (e.g. every village of a township) to one team.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AssignTargets {
    pub team_id: String,
    #[cfg_attr(feature = "openapi", schema(min_items = 1, max_items = 2000))]
    pub org_ids: Vec<String>,
    #[serde(default, deserialize_with = "validate::de_opt_date")]
    pub station_start: Option<NaiveDate>,
    #[serde(default, deserialize_with = "validate::de_opt_date")]
    pub station_end: Option<NaiveDate>,
}

impl AssignTargets {
    pub fn validate(&self) -> Result<(), FieldError> {
        let mut c = Checker::new();
        if self.org_ids.is_empty() {
            c.check("org_ids", Err(Problem::Required));
        }
        c.check(
            "org_ids",
            validate::at_most(&self.org_ids, validate::TARGETS_MAX),
        );
        if let (Some(s), Some(e)) = (self.station_start, self.station_end) {
            if e < s {
                c.check("station_end", Err(Problem::NotAllowed));
            }
        }
        c.finish()
    }
}

/// What an inspected unit sees of the rounds that inspect it: nothing internal.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UnitInspection {
    pub round_name: String,
    pub kind: RoundKind,
    pub phase: Phase,
    pub team_name: String,
    pub team_contact: String,
    pub station_start: Option<NaiveDate>,
    pub station_end: Option<NaiveDate>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phases_move_one_step_forward() {
        assert_eq!(Phase::Preparation.next(), Some(Phase::Stationing));
        assert_eq!(Phase::Rectification.next(), Some(Phase::Closed));
        assert_eq!(Phase::Closed.next(), None);
    }

    #[test]
    fn a_special_round_needs_a_theme() {
        let d = NaiveDate::from_ymd_opt(2025, 3, 1).unwrap();
        let r = CreateRound {
            term_id: "t".into(),
            name: "2025年第一轮巡察".into(),
            kind: RoundKind::Special,
            theme: " ".into(),
            start_date: d,
            end_date: d,
        };
        assert_eq!(r.validate().unwrap_err().field, "theme");
    }
}
