//! The full-coverage ledger (全覆盖台账) of a term.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::orgs::OrgLevel;
use crate::rounds::{RoundKind, Term};

/// Counts for one level of organisation (or all of them).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CoverageCount {
    pub total: u32,
    pub covered: u32,
    /// Covered and every finding of its targets rectified and closed (有效覆盖).
    pub effective: Option<u32>,
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
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LedgerOrg {
    pub org_id: String,
    pub name: String,
    pub code: String,
    pub level: OrgLevel,
    pub township: Option<String>,
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
}

/// Filters for the organisation list of the ledger.
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams, utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct LedgerQuery {
    /// `uncovered` (default), `covered` or `all`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
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
