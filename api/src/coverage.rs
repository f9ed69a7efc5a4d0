//! The full-coverage ledger (全覆盖台账) of a term.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::orgs::OrgLevel;
use crate::rounds::{RoundKind, Term};
use crate::Lang;

/// Where an organisation stands in a term, from every target of it whose team has arrived.
///
/// Only a round that has passed 反馈 has settled findings, so until then an inspected
/// organisation is covered on paper only (有形覆盖), never effectively.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CoverageState {
    /// 尚未巡察: no team has arrived yet.
    Uncovered,
    /// 待反馈: stationed, the round not yet past feedback.
    PendingFeedback,
    /// 整改中: fed back, a finding without tasks or with a task not closed.
    Rectifying,
    /// 有效覆盖: fed back, every finding's tasks closed.
    Effective,
    /// 未发现问题: fed back with no findings; effective, and listed for the office to check.
    NoFindings,
}

impl CoverageState {
    pub const ALL: [CoverageState; 5] = [
        CoverageState::Uncovered,
        CoverageState::PendingFeedback,
        CoverageState::Rectifying,
        CoverageState::Effective,
        CoverageState::NoFindings,
    ];

    pub fn is_covered(self) -> bool {
        self != CoverageState::Uncovered
    }

    pub fn is_effective(self) -> bool {
        matches!(self, CoverageState::Effective | CoverageState::NoFindings)
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            CoverageState::Uncovered => lang.pick("尚未巡察", "Not yet inspected"),
            CoverageState::PendingFeedback => lang.pick("待反馈", "Awaiting feedback"),
            CoverageState::Rectifying => lang.pick("整改中", "Rectifying"),
            CoverageState::Effective => lang.pick("有效覆盖", "Effectively covered"),
            CoverageState::NoFindings => lang.pick("未发现问题", "No findings"),
        }
    }

    /// The state of one target: `settled` when its round has passed 反馈.
    pub fn of_target(settled: bool, findings: u32, open_findings: u32) -> CoverageState {
        match (settled, findings, open_findings) {
            (false, _, _) => CoverageState::PendingFeedback,
            (true, _, open) if open > 0 => CoverageState::Rectifying,
            (true, 0, _) => CoverageState::NoFindings,
            (true, _, _) => CoverageState::Effective,
        }
    }

    /// An organisation inspected more than once: an open finding anywhere keeps it 整改中; a
    /// settled target makes it effective even while a later round (a 回头看) is still on site.
    pub fn of_org(targets: impl IntoIterator<Item = CoverageState>) -> CoverageState {
        let mut any = [false; 5];
        for t in targets {
            any[t as usize] = true;
        }
        let has = |s: CoverageState| any[s as usize];
        if has(CoverageState::Rectifying) {
            CoverageState::Rectifying
        } else if has(CoverageState::Effective) {
            CoverageState::Effective
        } else if has(CoverageState::NoFindings) {
            CoverageState::NoFindings
        } else if has(CoverageState::PendingFeedback) {
            CoverageState::PendingFeedback
        } else {
            CoverageState::Uncovered
        }
    }
}

/// The ledger's columns, each with the one line that says what it counts, for the page and the
/// spreadsheet alike.
pub fn column_notes(lang: Lang) -> [(&'static str, &'static str); 5] {
    [
        (
            lang.pick("有形覆盖", "Inspected"),
            lang.pick(
                "巡察组已进驻的组织（按进驻日期；未填进驻日期的按轮次开始日期）。",
                "Organisations the team has arrived at (from the stationing date, or the round's start where none was set).",
            ),
        ),
        (
            CoverageState::Effective.label(lang),
            lang.pick(
                "所在轮次已过反馈阶段，且每个问题都已建立整改任务并全部销号；含未发现问题的对象。",
                "The round has passed feedback and every finding has rectification tasks, all closed; includes targets with no findings.",
            ),
        ),
        (
            CoverageState::PendingFeedback.label(lang),
            lang.pick(
                "已进驻，所在轮次尚未完成反馈，问题尚未确定。",
                "Stationed, but the round has not passed feedback, so its findings are not settled.",
            ),
        ),
        (
            CoverageState::Rectifying.label(lang),
            lang.pick(
                "已反馈，仍有问题未建立整改任务或任务尚未销号。",
                "Fed back, with findings that have no tasks yet or tasks not yet closed.",
            ),
        ),
        (
            CoverageState::NoFindings.label(lang),
            lang.pick(
                "已反馈但未发现问题：计入有效覆盖，单独列出，供巡察办判断是否走过场。",
                "Fed back with nothing found: counted as effective and listed apart, so the office can judge whether the inspection was a formality.",
            ),
        ),
    ]
}

/// Counts for one level of organisation (or all of them).
/// `covered` = `effective` + `pending_feedback` + `rectifying`; `no_findings` is part of
/// `effective`.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CoverageCount {
    pub total: u32,
    /// 有形覆盖: a team has arrived.
    pub covered: u32,
    /// 有效覆盖: fed back and every finding rectified and closed.
    pub effective: u32,
    /// 待反馈
    pub pending_feedback: u32,
    /// 整改中
    pub rectifying: u32,
    /// 未发现问题 (counted in `effective` too).
    pub no_findings: u32,
}

impl CoverageCount {
    /// Percentage covered, 0–100, one decimal.
    pub fn percent(&self) -> f64 {
        if self.total == 0 {
            0.0
        } else {
            (self.covered as f64 * 1000.0 / self.total as f64).round() / 10.0
        }
    }

    pub fn add(&mut self, state: CoverageState) {
        self.total += 1;
        self.covered += u32::from(state.is_covered());
        self.effective += u32::from(state.is_effective());
        self.pending_feedback += u32::from(state == CoverageState::PendingFeedback);
        self.rectifying += u32::from(state == CoverageState::Rectifying);
        self.no_findings += u32::from(state == CoverageState::NoFindings);
    }
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LevelCoverage {
    pub level: OrgLevel,
    #[serde(flatten)]
    pub count: CoverageCount,
}

/// A township (or sub-district) with the villages and communities under it.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TownshipCoverage {
    pub org_id: String,
    pub name: String,
    /// The township itself plus everything under it.
    #[serde(flatten)]
    pub count: CoverageCount,
    /// Behind the pace the term needs (share covered below share of the term elapsed).
    pub at_risk: bool,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CoveredBy {
    pub round_id: String,
    pub round_name: String,
    pub kind: RoundKind,
    pub team_name: String,
    /// The first day of stationing (the round's start where no dates were set).
    pub since: NaiveDate,
    /// This target's own state.
    pub state: CoverageState,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LedgerOrg {
    pub org_id: String,
    pub name: String,
    pub code: String,
    pub level: OrgLevel,
    pub township: Option<String>,
    pub state: CoverageState,
    pub covered_by: Vec<CoveredBy>,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Ledger {
    pub term: Term,
    pub today: NaiveDate,
    pub days_total: i64,
    pub days_left: i64,
    /// Everything under the committee.
    pub overall: CoverageCount,
    pub by_level: Vec<LevelCoverage>,
    pub townships: Vec<TownshipCoverage>,
    /// Coverage at the end of the term if the pace so far holds, 0–100.
    pub projected_percent: f64,
    pub on_track: bool,
    /// The organisations that match the list filter (at most `limit`).
    pub orgs: Vec<LedgerOrg>,
    pub orgs_matching: u32,
    /// Every organisation whose inspection found nothing (未发现问题), with its team, whatever
    /// the list filter: the office looks at these one by one.
    pub no_findings: Vec<LedgerOrg>,
}

/// Which organisations the ledger lists.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LedgerFilter {
    #[default]
    Uncovered,
    Covered,
    PendingFeedback,
    Rectifying,
    Effective,
    NoFindings,
    All,
}

impl LedgerFilter {
    pub const ALL: [LedgerFilter; 7] = [
        LedgerFilter::Uncovered,
        LedgerFilter::Covered,
        LedgerFilter::PendingFeedback,
        LedgerFilter::Rectifying,
        LedgerFilter::Effective,
        LedgerFilter::NoFindings,
        LedgerFilter::All,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            LedgerFilter::Uncovered => "uncovered",
            LedgerFilter::Covered => "covered",
            LedgerFilter::PendingFeedback => "pending_feedback",
            LedgerFilter::Rectifying => "rectifying",
            LedgerFilter::Effective => "effective",
            LedgerFilter::NoFindings => "no_findings",
            LedgerFilter::All => "all",
        }
    }

    pub fn parse(s: &str) -> Option<LedgerFilter> {
        LedgerFilter::ALL.into_iter().find(|f| f.as_str() == s)
    }

    pub fn matches(self, state: CoverageState) -> bool {
        match self {
            LedgerFilter::Uncovered => state == CoverageState::Uncovered,
            LedgerFilter::Covered => state.is_covered(),
            LedgerFilter::PendingFeedback => state == CoverageState::PendingFeedback,
            LedgerFilter::Rectifying => state == CoverageState::Rectifying,
            LedgerFilter::Effective => state.is_effective(),
            LedgerFilter::NoFindings => state == CoverageState::NoFindings,
            LedgerFilter::All => true,
        }
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            LedgerFilter::Uncovered => CoverageState::Uncovered.label(lang),
            LedgerFilter::Covered => lang.pick("有形覆盖（全部已巡察）", "Inspected (all)"),
            LedgerFilter::PendingFeedback => CoverageState::PendingFeedback.label(lang),
            LedgerFilter::Rectifying => CoverageState::Rectifying.label(lang),
            LedgerFilter::Effective => CoverageState::Effective.label(lang),
            LedgerFilter::NoFindings => CoverageState::NoFindings.label(lang),
            LedgerFilter::All => lang.pick("全部组织", "All organisations"),
        }
    }
}

/// Filters for the organisation list of the ledger.
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams, utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct LedgerQuery {
    /// Which organisations to list; `uncovered` when not given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<LedgerFilter>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub level: Option<OrgLevel>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub township_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<u32>,
    /// Counts as of this day instead of today (for reports and tests).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::validate::de_opt_date"
    )]
    pub today: Option<NaiveDate>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use CoverageState::*;

    #[test]
    fn a_target_is_effective_only_once_fed_back_and_closed() {
        assert_eq!(CoverageState::of_target(false, 0, 0), PendingFeedback);
        assert_eq!(CoverageState::of_target(false, 3, 0), PendingFeedback);
        assert_eq!(CoverageState::of_target(true, 3, 1), Rectifying);
        assert_eq!(CoverageState::of_target(true, 3, 0), Effective);
        assert_eq!(CoverageState::of_target(true, 0, 0), NoFindings);
    }

    #[test]
    fn an_organisation_takes_the_state_of_its_targets() {
        assert_eq!(CoverageState::of_org([]), Uncovered);
        assert_eq!(CoverageState::of_org([PendingFeedback]), PendingFeedback);
        assert_eq!(
            CoverageState::of_org([Effective, PendingFeedback]),
            Effective
        );
        assert_eq!(CoverageState::of_org([Effective, Rectifying]), Rectifying);
        assert_eq!(CoverageState::of_org([NoFindings, Effective]), Effective);
        assert_eq!(
            CoverageState::of_org([NoFindings, PendingFeedback]),
            NoFindings
        );
    }

    #[test]
    fn counts_add_up() {
        let mut c = CoverageCount::default();
        for s in CoverageState::ALL {
            c.add(s);
        }
        assert_eq!(
            (
                c.total,
                c.covered,
                c.effective,
                c.pending_feedback,
                c.rectifying,
                c.no_findings
            ),
            (5, 4, 2, 1, 1, 1)
        );
        assert_eq!(c.covered, c.effective + c.pending_feedback + c.rectifying);
        for f in LedgerFilter::ALL {
            assert_eq!(LedgerFilter::parse(f.as_str()), Some(f));
        }
    }
}
