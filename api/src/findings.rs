//! Findings (问题) of a target — its 问题清单 — with their severity and source, and what a
//! confidential source shows outside the team.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::checklists::FocusPoint;
use crate::validate;
use crate::{FieldError, Lang, Problem};

/// How serious a finding is.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// 一般
    General,
    /// 较重
    Serious,
    /// 严重
    Grave,
}

impl Severity {
    pub const ALL: [Severity; 3] = [Severity::General, Severity::Serious, Severity::Grave];

    pub fn as_str(self) -> &'static str {
        match self {
            Severity::General => "general",
            Severity::Serious => "serious",
            Severity::Grave => "grave",
        }
    }

    pub fn parse(s: &str) -> Option<Severity> {
        Severity::ALL.into_iter().find(|v| v.as_str() == s)
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            Severity::General => lang.pick("一般", "General"),
            Severity::Serious => lang.pick("较重", "Serious"),
            Severity::Grave => lang.pick("严重", "Grave"),
        }
    }
}

/// Where a finding came from.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FindingSource {
    /// A checklist item answered as a problem.
    Checklist,
    /// 查阅资料
    Documents,
    /// 个别谈话
    Talk,
    /// 走访
    Visit,
    /// 信访举报
    Petition,
}

impl FindingSource {
    pub const ALL: [FindingSource; 5] = [
        FindingSource::Checklist,
        FindingSource::Documents,
        FindingSource::Talk,
        FindingSource::Visit,
        FindingSource::Petition,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            FindingSource::Checklist => "checklist",
            FindingSource::Documents => "documents",
            FindingSource::Talk => "talk",
            FindingSource::Visit => "visit",
            FindingSource::Petition => "petition",
        }
    }

    pub fn parse(s: &str) -> Option<FindingSource> {
        FindingSource::ALL.into_iter().find(|v| v.as_str() == s)
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            FindingSource::Checklist => lang.pick("检查记录", "Checklist"),
            FindingSource::Documents => lang.pick("查阅资料", "Documents"),
            FindingSource::Talk => lang.pick("个别谈话", "Talk"),
            FindingSource::Visit => lang.pick("走访", "Visit"),
            FindingSource::Petition => lang.pick("信访举报", "Petition"),
        }
    }

    /// Whether what came from this source can point at whoever spoke (举报人保护): the title of
    /// such a finding, and measures written after it, are shown outside the team only in the
    /// plain words of [`FindingSource::plain_wording`].
    pub fn is_confidential(self) -> bool {
        matches!(self, FindingSource::Petition | FindingSource::Talk)
    }

    /// The problem and measures a confidential finding shows outside the team: the first for
    /// the public page (closed tasks), the second for the unit working on it. `None` when the
    /// source's own words may be shown.
    pub fn plain_wording(self, lang: Lang) -> Option<PlainWording> {
        let problem = match self {
            FindingSource::Petition => lang.pick("群众反映的问题", "A problem raised by residents"),
            FindingSource::Talk => {
                lang.pick("个别谈话中反映的问题", "A problem raised in an interview")
            }
            _ => return None,
        };
        Some(PlainWording {
            problem,
            measures_done: lang.pick("已按要求整改到位", "Put right as required"),
            measures_todo: lang.pick(
                "按巡察组当面反馈的要求整改",
                "Put right as the inspection team explained in person",
            ),
        })
    }
}

/// What stands in for a confidential finding's own words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PlainWording {
    pub problem: &'static str,
    /// On the public page, for a closed task.
    pub measures_done: &'static str,
    /// For the unit, while it works on the task.
    pub measures_todo: &'static str,
}

/// A finding (问题) of a target; the set of them is its 问题清单.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Finding {
    pub id: String,
    pub target_id: String,
    pub focus: FocusPoint,
    pub title: String,
    pub description: String,
    pub severity: Severity,
    pub source: FindingSource,
    /// The checklist answer it came from, if any.
    pub record_id: Option<String>,
    pub item_id: Option<String>,
    /// The talk record it came from, if any: an id, never who spoke.
    #[serde(default)]
    pub talk_id: Option<String>,
    /// The visit it came from, if any: an id, never whom the team saw.
    #[serde(default)]
    pub visit_id: Option<String>,
    pub created_by: String,
    pub created_at: DateTime<Utc>,
}

/// Records a finding; the id is generated on the device, so a retry records it once.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewFinding {
    pub focus: FocusPoint,
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 200))]
    pub title: String,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 5000))]
    pub description: String,
    pub severity: Severity,
    pub source: FindingSource,
    #[serde(default)]
    pub record_id: Option<String>,
    #[serde(default)]
    pub item_id: Option<String>,
    /// The talk record it came from (source 个别谈话), of the same target.
    #[serde(default)]
    pub talk_id: Option<String>,
    /// The visit it came from (source 走访), of the same target's visit list.
    #[serde(default)]
    pub visit_id: Option<String>,
}

impl NewFinding {
    pub fn validate(&self) -> Result<(), FieldError> {
        let mut c = validate::Checker::new();
        c.check("title", validate::required_text(&self.title, 200))
            .check(
                "description",
                validate::optional_text(&self.description, 5000),
            );
        if self.source == FindingSource::Checklist
            && self.item_id.as_deref().unwrap_or("").is_empty()
        {
            c.check("item_id", Err(Problem::Required));
        }
        if self.talk_id.is_some() && self.source != FindingSource::Talk {
            c.check("talk_id", Err(Problem::NotAllowed));
        }
        if self.visit_id.is_some() && self.source != FindingSource::Visit {
            c.check("visit_id", Err(Problem::NotAllowed));
        }
        c.finish()
    }
}
