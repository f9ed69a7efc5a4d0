//! The statistics of a term (统计分析) the committee reads: findings by focus point and
//! township, by severity and source; the rectification rate; coverage; petitions; clues
//! (counts only) and the three rates (三率) per township. Every figure counts only the targets
//! the reader reaches: a team its own, the office and discipline all.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::checklists::FocusPoint;
use crate::clues::ClueStatus;
use crate::coverage::CoverageCount;
use crate::findings::{FindingSource, Severity};
use crate::petitions::{ChannelCount, OutcomeCount};
use crate::rectification::TaskStatus;
use crate::rounds::{RoundKind, Term};
use crate::{FieldError, Problem};

/// Which targets of the term the figures count.
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams, utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct StatisticsQuery {
    /// One round of the term.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub round_id: Option<String>,
    /// One township (or sub-district): the targets whose organisation lies directly under it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub township_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<RoundKind>,
    /// Rounds that start on or after this day.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::validate::de_opt_date"
    )]
    pub from: Option<NaiveDate>,
    /// Rounds that start on or before this day.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::validate::de_opt_date"
    )]
    pub to: Option<NaiveDate>,
    /// Counts (overdue, coverage) as of this day instead of today.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::validate::de_opt_date"
    )]
    pub today: Option<NaiveDate>,
}

impl StatisticsQuery {
    /// A period must not end before it starts.
    pub fn validate(&self) -> Result<(), FieldError> {
        match (self.from, self.to) {
            (Some(from), Some(to)) if to < from => Err(FieldError::new("to", Problem::NotAllowed)),
            _ => Ok(()),
        }
    }

    /// The filled-in filters as a query string (without `?`), for the page's request and its
    /// export link alike.
    pub fn to_query(&self) -> String {
        let date = |d: Option<NaiveDate>| d.map(|d| d.format("%Y-%m-%d").to_string());
        [
            ("round_id", self.round_id.clone()),
            ("township_id", self.township_id.clone()),
            ("kind", self.kind.map(|k| k.as_str().to_string())),
            ("from", date(self.from)),
            ("to", date(self.to)),
            ("today", date(self.today)),
        ]
        .into_iter()
        .filter_map(|(k, v)| {
            v.filter(|v| !v.is_empty())
                .map(|v| format!("{k}={}", encode(&v)))
        })
        .collect::<Vec<_>>()
        .join("&")
    }
}

/// Percent-encodes everything but unreserved characters (RFC 3986).
fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// A part of the figures: a township, or a round to filter by.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Named {
    pub id: String,
    pub name: String,
}

/// One focus point's findings, in total and per township (in the order of `townships`).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FocusRow {
    pub focus: FocusPoint,
    pub total: u32,
    pub by_township: Vec<u32>,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SeverityCount {
    pub severity: Severity,
    pub count: u32,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SourceCount {
    pub source: FindingSource,
    pub count: u32,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StatusCount {
    pub status: TaskStatus,
    pub count: u32,
}

/// Rectification of one township or of all: 整改率 is closed (已销号) over all tasks.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RectificationFigures {
    pub total: u32,
    pub closed: u32,
    /// Open and past the deadline.
    pub overdue: u32,
    /// 0–100, one decimal; none without tasks.
    pub rate_percent: Option<f64>,
}

impl RectificationFigures {
    pub fn add(&mut self, closed: bool, overdue: bool, n: u32) {
        self.total += n;
        self.closed += if closed { n } else { 0 };
        self.overdue += if overdue { n } else { 0 };
        self.rate_percent = percent(self.closed, self.total);
    }
}

/// `part` of `whole` in percent with one decimal; none of nothing.
pub fn percent(part: u32, whole: u32) -> Option<f64> {
    (whole > 0).then(|| (part as f64 * 1000.0 / whole as f64).round() / 10.0)
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TownshipRectification {
    pub township: Named,
    #[serde(flatten)]
    pub figures: RectificationFigures,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClueStatusCount {
    pub status: ClueStatus,
    pub count: u32,
}

/// The three rates (三率) of the evaluations of one township, or of all. Only evaluations that
/// reached their threshold count: below it no figure of them shows anywhere.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Rates {
    pub evaluations: u32,
    pub responses: u32,
    /// Those who answered yes to each question.
    pub know: u32,
    pub took_part: u32,
    pub satisfied: u32,
    /// 知晓率, 参与率, 满意率 in percent; none without responses.
    pub know_rate: Option<f64>,
    pub part_rate: Option<f64>,
    pub satisfied_rate: Option<f64>,
}

impl Rates {
    /// Adds one evaluation's responses and yes-counts.
    pub fn add(&mut self, responses: u32, know: u32, took_part: u32, satisfied: u32) {
        self.evaluations += 1;
        self.responses += responses;
        self.know += know;
        self.took_part += took_part;
        self.satisfied += satisfied;
        self.know_rate = percent(self.know, self.responses);
        self.part_rate = percent(self.took_part, self.responses);
        self.satisfied_rate = percent(self.satisfied, self.responses);
    }
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TownshipRates {
    pub township: Named,
    #[serde(flatten)]
    pub rates: Rates,
}

/// Every figure of the statistics page.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Statistics {
    pub term: Term,
    pub today: NaiveDate,
    /// A team member's figures count only their teams' targets.
    pub own_targets_only: bool,
    /// The rounds of the term the reader reaches, for the filter.
    pub rounds: Vec<Named>,
    /// The townships of the targets counted, by name; the columns of `by_focus`.
    pub townships: Vec<Named>,
    /// Every township with a target the reader reaches in the term, whatever the filters: the
    /// choices of the township filter.
    pub township_options: Vec<Named>,
    pub targets: u32,
    pub findings: u32,
    /// Every focus point, in its order, zero included.
    pub by_focus: Vec<FocusRow>,
    pub by_severity: Vec<SeverityCount>,
    pub by_source: Vec<SourceCount>,
    pub rectification: RectificationFigures,
    pub tasks_by_status: Vec<StatusCount>,
    /// From a task's creation to its 销号, over the tasks closed.
    pub average_days_to_close: Option<f64>,
    pub rectification_by_township: Vec<TownshipRectification>,
    /// The term's coverage of the committee's organisations (or of the township chosen); the
    /// office's and discipline's only, and not narrowed by round, kind or period.
    pub coverage: Option<CoverageCount>,
    pub petitions: u32,
    pub petitions_by_channel: Vec<ChannelCount>,
    pub petitions_by_outcome: Vec<OutcomeCount>,
    /// Counts only: no clue's person or matter reaches this page.
    pub clues: u32,
    pub clues_by_status: Vec<ClueStatusCount>,
    /// Clues handed to discipline (已移交 and after).
    pub clues_referred: u32,
    pub rates: Rates,
    pub rates_by_township: Vec<TownshipRates>,
}

/// How alike findings must be to be grouped, and which findings: the statistics' filters.
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams, utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct GroupingQuery {
    /// Cosine similarity a finding needs to join a group, 0.05–0.95; 0.2 when not given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub threshold: Option<f64>,
}

pub const THRESHOLD_MIN: f64 = 0.05;
pub const THRESHOLD_MAX: f64 = 0.95;
/// Findings grouped at once at most: a county's term, not a province's (filter by round or
/// township for more).
pub const GROUPING_MAX: usize = 5000;

impl GroupingQuery {
    pub fn validate(&self) -> Result<(), FieldError> {
        match self.threshold {
            Some(t) if !(THRESHOLD_MIN..=THRESHOLD_MAX).contains(&t) || t.is_nan() => Err(
                FieldError::new("threshold", Problem::OutOfRange { min: 0, max: 1 }),
            ),
            _ => Ok(()),
        }
    }
}

/// One finding in a group.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GroupedFinding {
    pub id: String,
    pub target_id: String,
    pub title: String,
    pub org_name: String,
    pub township: String,
}

/// Findings alike in their words across villages: a candidate 共性问题.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProblemGroup {
    /// The title of the most central finding.
    pub label: String,
    /// The focus point most of its findings are under.
    pub focus: FocusPoint,
    pub count: u32,
    /// Distinct organisations (villages, communities) it was found in.
    pub organisations: u32,
    pub townships: Vec<String>,
    /// The most central first.
    pub findings: Vec<GroupedFinding>,
    /// The confirmed 共性问题 holding one of these findings already: the office's and
    /// discipline's view only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub confirmed: Option<String>,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CommonProblems {
    pub threshold: f64,
    /// Findings looked at.
    pub findings: u32,
    /// Groups found in two organisations or more, the widest spread first.
    pub groups: Vec<ProblemGroup>,
}

pub const LABEL_MAX: usize = 100;
pub const DEPARTMENT_MAX: usize = 60;
pub const SUGGESTION_MAX: usize = 2000;

/// The office confirms a group as a 共性问题 and names the functional department it is
/// reported to (通报). Sent with an id made by the client, so a re-send changes nothing; sent
/// again with other words, it edits them.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConfirmProblem {
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 100))]
    pub label: String,
    pub focus: FocusPoint,
    /// The functional department concerned, e.g. 县民政局.
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 60))]
    pub department: String,
    /// What the notice suggests the department do.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 2000))]
    pub suggestion: String,
    /// The group's findings as confirmed; at least two organisations' findings.
    #[cfg_attr(feature = "openapi", schema(min_items = 1, max_items = 5000))]
    pub finding_ids: Vec<String>,
    /// The threshold the group was found at: later findings this alike join it.
    pub threshold: f64,
}

impl ConfirmProblem {
    pub fn validate(&self) -> Result<(), FieldError> {
        let mut c = crate::validate::Checker::new();
        c.check(
            "label",
            crate::validate::required_text(&self.label, LABEL_MAX),
        )
        .check(
            "department",
            crate::validate::required_text(&self.department, DEPARTMENT_MAX),
        )
        .check(
            "suggestion",
            crate::validate::optional_text(&self.suggestion, SUGGESTION_MAX),
        )
        .check(
            "finding_ids",
            if self.finding_ids.is_empty() {
                Err(Problem::Required)
            } else {
                crate::validate::at_most(&self.finding_ids, GROUPING_MAX)
            },
        );
        c.finish()?;
        GroupingQuery {
            threshold: Some(self.threshold),
        }
        .validate()
    }
}

/// A 共性问题 the office confirmed: its findings (those confirmed, then the later ones alike
/// enough), where they were found, and whom it is reported to.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConfirmedProblem {
    pub id: String,
    pub term_id: String,
    pub label: String,
    pub focus: FocusPoint,
    pub department: String,
    pub suggestion: String,
    pub threshold: f64,
    pub confirmed_by: String,
    pub confirmed_at: chrono::DateTime<chrono::Utc>,
    pub findings: Vec<GroupedFinding>,
    /// Of `findings`, how many came after the confirmation (the last ones).
    pub added: u32,
    pub organisations: u32,
    pub townships: Vec<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_query_string_carries_only_what_is_set_encoded() {
        let q = StatisticsQuery {
            township_id: Some("o 1&x".into()),
            kind: Some(RoundKind::Special),
            from: NaiveDate::from_ymd_opt(2026, 1, 2),
            round_id: Some(String::new()),
            ..Default::default()
        };
        assert_eq!(
            q.to_query(),
            "township_id=o%201%26x&kind=special&from=2026-01-02"
        );
        assert_eq!(StatisticsQuery::default().to_query(), "");
    }

    #[test]
    fn a_confirmation_needs_its_words_and_findings() {
        let ok = ConfirmProblem {
            label: "低保评议不规范".into(),
            focus: FocusPoint::Policies,
            department: "县民政局".into(),
            suggestion: String::new(),
            finding_ids: vec!["f1".into()],
            threshold: 0.2,
        };
        assert_eq!(ok.validate(), Ok(()));
        let field = |c: ConfirmProblem| c.validate().unwrap_err().field;
        assert_eq!(
            field(ConfirmProblem {
                department: " ".into(),
                ..ok.clone()
            }),
            "department"
        );
        assert_eq!(
            field(ConfirmProblem {
                finding_ids: vec![],
                ..ok.clone()
            }),
            "finding_ids"
        );
        assert_eq!(
            field(ConfirmProblem {
                threshold: 2.0,
                ..ok.clone()
            }),
            "threshold"
        );
    }

    #[test]
    fn rates_add_up_over_evaluations() {
        let mut r = Rates::default();
        r.add(10, 9, 5, 8);
        r.add(30, 21, 15, 24);
        assert_eq!(r.evaluations, 2);
        assert_eq!(r.responses, 40);
        assert_eq!(r.know_rate, Some(75.0));
        assert_eq!(r.part_rate, Some(50.0));
        assert_eq!(r.satisfied_rate, Some(80.0));
        assert_eq!(Rates::default().know_rate, None);
    }

    #[test]
    fn the_rectification_rate_is_closed_over_all() {
        let mut f = RectificationFigures::default();
        f.add(true, false, 2);
        f.add(false, true, 1);
        f.add(false, false, 3);
        assert_eq!((f.total, f.closed, f.overdue), (6, 2, 1));
        assert_eq!(f.rate_percent, Some(33.3));
    }
}
