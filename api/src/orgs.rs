use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::validate::{self, Checker};
use crate::{FieldError, Lang, Problem};

/// Where an organisation sits in the tree (DOMAIN.md "Organisation").
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OrgLevel {
    /// 市
    City,
    /// 县/区
    County,
    /// 乡镇
    Township,
    /// 街道
    Subdistrict,
    /// 村
    Village,
    /// 社区
    Community,
    /// 县直部门
    Department,
    /// 企事业单位
    Enterprise,
}

impl OrgLevel {
    pub const ALL: [OrgLevel; 8] = [
        OrgLevel::City,
        OrgLevel::County,
        OrgLevel::Township,
        OrgLevel::Subdistrict,
        OrgLevel::Village,
        OrgLevel::Community,
        OrgLevel::Department,
        OrgLevel::Enterprise,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            OrgLevel::City => "city",
            OrgLevel::County => "county",
            OrgLevel::Township => "township",
            OrgLevel::Subdistrict => "subdistrict",
            OrgLevel::Village => "village",
            OrgLevel::Community => "community",
            OrgLevel::Department => "department",
            OrgLevel::Enterprise => "enterprise",
        }
    }

    pub fn parse(s: &str) -> Option<OrgLevel> {
        OrgLevel::ALL.into_iter().find(|l| l.as_str() == s)
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            OrgLevel::City => lang.pick("市", "City"),
            OrgLevel::County => lang.pick("县（区）", "County"),
            OrgLevel::Township => lang.pick("乡镇", "Township"),
            OrgLevel::Subdistrict => lang.pick("街道", "Sub-district"),
            OrgLevel::Village => lang.pick("村", "Village"),
            OrgLevel::Community => lang.pick("社区", "Community"),
            OrgLevel::Department => lang.pick("部门", "Department"),
            OrgLevel::Enterprise => lang.pick("企事业单位", "Enterprise"),
        }
    }

    /// Parses the Chinese or English label or the code, as written in a spreadsheet.
    pub fn from_label(s: &str) -> Option<OrgLevel> {
        let s = s.trim();
        OrgLevel::ALL.into_iter().find(|l| {
            l.as_str().eq_ignore_ascii_case(s)
                || l.label(Lang::Zh) == s
                || l.label(Lang::En).eq_ignore_ascii_case(s)
                || (*l == OrgLevel::County && (s == "县" || s == "区"))
        })
    }

    /// Which levels may stand directly above this one; empty means it may be a root.
    pub fn allowed_parents(self) -> &'static [OrgLevel] {
        match self {
            OrgLevel::City => &[],
            OrgLevel::County => &[OrgLevel::City],
            OrgLevel::Township | OrgLevel::Subdistrict => &[OrgLevel::County],
            OrgLevel::Village => &[OrgLevel::Township],
            OrgLevel::Community => &[OrgLevel::Township, OrgLevel::Subdistrict],
            OrgLevel::Department | OrgLevel::Enterprise => &[OrgLevel::County, OrgLevel::City],
        }
    }

    pub fn may_be_root(self) -> bool {
        matches!(self, OrgLevel::City | OrgLevel::County)
    }

    /// Villages and communities are where liaisons and basic data (村情) live.
    pub fn is_grassroots(self) -> bool {
        matches!(self, OrgLevel::Village | OrgLevel::Community)
    }
}

/// Checks that `child` may sit under `parent` (None = at the root).
pub fn check_parent(child: OrgLevel, parent: Option<OrgLevel>) -> Result<(), Problem> {
    match parent {
        None if child.may_be_root() => Ok(()),
        None => Err(Problem::Required),
        Some(p) if child.allowed_parents().contains(&p) => Ok(()),
        Some(_) => Err(Problem::WrongParentLevel),
    }
}

/// One node of the tree as listed: enough to draw and search it.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OrgSummary {
    pub id: String,
    pub parent_id: Option<String>,
    pub name: String,
    pub code: String,
    pub level: OrgLevel,
    pub active: bool,
    /// Pinyin initials of the name, lower case, for search (e.g. 青石村 → "qsc").
    pub initials: String,
}

/// A node of the tree as it is loaded level by level: the organisation and how many children
/// under it the caller may see (none: a leaf, nothing to open).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OrgNode {
    #[serde(flatten)]
    pub org: OrgSummary,
    pub children: u32,
}

/// Which level of the tree to load: the children of `parent`, or the caller's top level.
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams, utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct OrgChildrenQuery {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
}

/// Organisations found by name, pinyin initials or code, a page at a time.
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams, utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct OrgSearchQuery {
    pub q: String,
    /// At most [`SEARCH_PAGE_MAX`]; 50 when not given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<u32>,
    /// The `next` of the page before.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub after: Option<String>,
}

pub const SEARCH_PAGE: u32 = 50;
pub const SEARCH_PAGE_MAX: u32 = 200;
/// The most organisations one subtree request answers (a city's ~5,000 fit; a province is
/// loaded level by level).
pub const SUBTREE_MAX: usize = 10_000;

/// One organisation found, with the names above it from the top down.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OrgHit {
    #[serde(flatten)]
    pub org: OrgSummary,
    pub path: Vec<String>,
}

/// The best matches first: exact name, name start, name part, initials, code.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OrgSearchPage {
    pub hits: Vec<OrgHit>,
    /// Give as `after` for the next page; none on the last.
    pub next: Option<String>,
}

/// 村情: the basic data of a village or community.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BasicData {
    /// 户数
    pub households: Option<i64>,
    /// 人口
    pub population: Option<i64>,
    /// 党员数
    pub party_members: Option<i64>,
    /// 村集体经济收入（万元）
    pub collective_income: Option<f64>,
    /// 村集体资产（万元）
    pub collective_assets: Option<f64>,
}

impl BasicData {
    pub fn validate(&self, c: &mut Checker) {
        c.check("households", validate::count(self.households, 1_000_000))
            .check("population", validate::count(self.population, 10_000_000))
            .check(
                "party_members",
                validate::count(self.party_members, 1_000_000),
            )
            .check(
                "collective_income",
                validate::amount(self.collective_income, 10_000_000),
            )
            .check(
                "collective_assets",
                validate::amount(self.collective_assets, 100_000_000),
            );
    }
}

/// A member of the leadership team (领导班子).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Leader {
    pub name: String,
    /// 职务, e.g. 党支部书记、村委会主任
    pub post: String,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OrgDetail {
    #[serde(flatten)]
    pub summary: OrgSummary,
    /// Names from the root down to the parent, for a breadcrumb.
    pub path: Vec<String>,
    /// The ids of `path`, for a tree loaded a level at a time to open the way down.
    #[serde(default)]
    pub path_ids: Vec<String>,
    /// 党组织书记（“一把手”）
    pub secretary: String,
    pub leaders: Vec<Leader>,
    pub basic: BasicData,
    pub updated_at: DateTime<Utc>,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CreateOrg {
    pub parent_id: Option<String>,
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 60))]
    pub name: String,
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 6, max_length = 18, pattern = "^[0-9A-Z]+$")
    )]
    pub code: String,
    pub level: OrgLevel,
    #[serde(default)]
    pub secretary: String,
    #[serde(default)]
    pub basic: BasicData,
}

impl CreateOrg {
    pub fn validate(&self) -> Result<(), FieldError> {
        let mut c = Checker::new();
        c.check(
            "name",
            validate::required_text(&self.name, validate::NAME_MAX),
        )
        .check("code", validate::org_code(&self.code))
        .check(
            "secretary",
            validate::optional_text(&self.secretary, validate::PERSON_MAX),
        );
        if self.parent_id.is_none() && !self.level.may_be_root() {
            c.check("parent_id", Err(Problem::Required));
        }
        self.basic.validate(&mut c);
        c.finish()
    }
}

/// A change to one organisation; absent fields stay as they are. Renaming, moving and
/// deactivating are the admin's; a unit liaison may change only its secretary, leaders and
/// basic data.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OrgPatch {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// Moves the organisation under another parent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub active: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secretary: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(max_items = 50))]
    pub leaders: Option<Vec<Leader>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub basic: Option<BasicData>,
}

impl OrgPatch {
    /// True when the patch touches only what a unit liaison may edit.
    pub fn is_basic_only(&self) -> bool {
        self.name.is_none()
            && self.code.is_none()
            && self.parent_id.is_none()
            && self.active.is_none()
    }

    pub fn validate(&self) -> Result<(), FieldError> {
        let mut c = Checker::new();
        if let Some(name) = &self.name {
            c.check("name", validate::required_text(name, validate::NAME_MAX));
        }
        if let Some(code) = &self.code {
            c.check("code", validate::org_code(code));
        }
        if let Some(s) = &self.secretary {
            c.check(
                "secretary",
                validate::optional_text(s, validate::PERSON_MAX),
            );
        }
        if let Some(leaders) = &self.leaders {
            c.check("leaders", validate::at_most(leaders, validate::LEADERS_MAX));
            for (i, l) in leaders.iter().enumerate() {
                c.check(
                    &format!("leaders.{i}.name"),
                    validate::required_text(&l.name, validate::PERSON_MAX),
                )
                .check(
                    &format!("leaders.{i}.post"),
                    validate::optional_text(&l.post, validate::PERSON_MAX),
                );
            }
        }
        if let Some(basic) = &self.basic {
            basic.validate(&mut c);
        }
        c.finish()
    }
}

/// What an import wrote. An import with any bad row writes nothing and answers 422 with
/// every bad row instead.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ImportReport {
    pub created: usize,
    pub updated: usize,
}

/// The columns of the organisation spreadsheet, in order, as offices write them.
pub const SHEET_COLUMNS: [(&str, &str); 10] = [
    ("code", "行政区划代码"),
    ("name", "名称"),
    ("level", "层级"),
    ("parent_code", "上级代码"),
    ("secretary", "书记"),
    ("households", "户数"),
    ("population", "人口"),
    ("party_members", "党员数"),
    ("collective_income", "集体收入（万元）"),
    ("collective_assets", "集体资产（万元）"),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parent_levels() {
        assert!(check_parent(OrgLevel::Village, Some(OrgLevel::Township)).is_ok());
        assert_eq!(
            check_parent(OrgLevel::Village, Some(OrgLevel::County)),
            Err(Problem::WrongParentLevel)
        );
        assert!(check_parent(OrgLevel::County, None).is_ok());
        assert_eq!(
            check_parent(OrgLevel::Village, None),
            Err(Problem::Required)
        );
    }

    #[test]
    fn level_labels_parse_back() {
        for l in OrgLevel::ALL {
            assert_eq!(OrgLevel::from_label(l.label(Lang::Zh)), Some(l));
            assert_eq!(OrgLevel::from_label(l.as_str()), Some(l));
        }
        assert_eq!(OrgLevel::from_label("县"), Some(OrgLevel::County));
    }
}
