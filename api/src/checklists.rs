//! Checklists (检查清单): versioned templates, records filled in for a target or as a
//! village's self-check (自查), and the rules that decide what an answer means.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::validate;
use crate::{FieldError, Lang, Problem};

/// The four focus points of political inspection (政治巡察“四个落实”).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FocusPoint {
    /// 贯彻落实党的路线方针政策和党中央重大决策部署
    Policies,
    /// 落实全面从严治党主体责任和监督责任
    Responsibility,
    /// 落实新时代党的组织路线
    Organisation,
    /// 落实巡视巡察整改和成果运用
    Rectification,
}

impl FocusPoint {
    pub const ALL: [FocusPoint; 4] = [
        FocusPoint::Policies,
        FocusPoint::Responsibility,
        FocusPoint::Organisation,
        FocusPoint::Rectification,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            FocusPoint::Policies => "policies",
            FocusPoint::Responsibility => "responsibility",
            FocusPoint::Organisation => "organisation",
            FocusPoint::Rectification => "rectification",
        }
    }

    pub fn parse(s: &str) -> Option<FocusPoint> {
        FocusPoint::ALL.into_iter().find(|f| f.as_str() == s)
    }

    /// A tab-sized name.
    pub fn short_label(self, lang: Lang) -> &'static str {
        match self {
            FocusPoint::Policies => lang.pick("惠民政策", "Policies"),
            FocusPoint::Responsibility => lang.pick("三资村务", "Funds & affairs"),
            FocusPoint::Organisation => lang.pick("班子建设", "Party branch"),
            FocusPoint::Rectification => lang.pick("整改落实", "Rectification"),
        }
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            FocusPoint::Policies => lang.pick(
                "贯彻落实党的路线方针政策和党中央重大决策部署",
                "Carrying out the Party's line, policies and major decisions",
            ),
            FocusPoint::Responsibility => lang.pick(
                "落实全面从严治党主体责任和监督责任",
                "Primary and supervisory responsibility for strict Party governance",
            ),
            FocusPoint::Organisation => {
                lang.pick("落实新时代党的组织路线", "The Party's organisational line")
            }
            FocusPoint::Rectification => lang.pick(
                "落实巡视巡察整改和成果运用",
                "Rectification of earlier inspection findings",
            ),
        }
    }
}

/// How an item is checked.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Method {
    /// 查阅资料
    Documents,
    /// 个别谈话
    Talk,
    /// 走访
    Visit,
    /// 问卷
    Survey,
}

impl Method {
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            Method::Documents => lang.pick("查阅资料", "Documents"),
            Method::Talk => lang.pick("个别谈话", "Talk"),
            Method::Visit => lang.pick("走访", "Visit"),
            Method::Survey => lang.pick("问卷", "Survey"),
        }
    }
}

/// What kind of answer an item takes, with its limits.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum AnswerType {
    /// 是 / 否 / 不适用
    YesNo,
    Choice {
        options: Vec<String>,
    },
    Number {
        min: f64,
        max: f64,
        #[serde(default)]
        unit: String,
    },
    Text {
        max_len: usize,
    },
    Date,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum YesNo {
    Yes,
    No,
    /// 不适用
    NotApplicable,
}

/// One answer as given.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", content = "value", rename_all = "snake_case")]
pub enum AnswerValue {
    YesNo(YesNo),
    Choice(String),
    Number(f64),
    Text(String),
    Date(NaiveDate),
}

/// Which answers mean a problem.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ProblemRule {
    /// For yes/no: the answer that is a problem.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub yes_no: Option<YesNo>,
    /// For a choice: the options that are problems.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub options: Vec<String>,
    /// For a number: below this is a problem.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub below: Option<f64>,
    /// For a number: above this is a problem.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub above: Option<f64>,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Item {
    /// Stable within a template family, so answers survive a new version.
    pub id: String,
    pub prompt: String,
    pub method: Method,
    pub answer: AnswerType,
    pub required: bool,
    /// A problem answer needs a photo or file.
    pub evidence_required: bool,
    #[serde(default)]
    pub problem: ProblemRule,
}

impl Item {
    /// Checks that a value fits the item's answer type and limits.
    pub fn check(&self, value: &AnswerValue) -> Result<(), Problem> {
        match (&self.answer, value) {
            (AnswerType::YesNo, AnswerValue::YesNo(_)) => Ok(()),
            (AnswerType::Date, AnswerValue::Date(d)) => validate::date(*d),
            (AnswerType::Choice { options }, AnswerValue::Choice(c)) => {
                if options.contains(c) {
                    Ok(())
                } else {
                    Err(Problem::NotAllowed)
                }
            }
            (AnswerType::Number { min, max, .. }, AnswerValue::Number(n)) => {
                if n.is_finite() && *n >= *min && *n <= *max {
                    Ok(())
                } else {
                    Err(Problem::OutOfRange {
                        min: *min as i64,
                        max: *max as i64,
                    })
                }
            }
            (AnswerType::Text { max_len }, AnswerValue::Text(t)) => {
                validate::optional_text(t, *max_len)
            }
            _ => Err(Problem::BadFormat {
                expected: self.answer.expected().into(),
            }),
        }
    }

    /// Whether this answer means a problem (问题).
    pub fn is_problem(&self, value: &AnswerValue) -> bool {
        let rule = &self.problem;
        match value {
            AnswerValue::YesNo(v) => rule.yes_no == Some(*v),
            AnswerValue::Choice(c) => rule.options.contains(c),
            AnswerValue::Number(n) => {
                rule.below.is_some_and(|b| *n < b) || rule.above.is_some_and(|a| *n > a)
            }
            AnswerValue::Text(_) | AnswerValue::Date(_) => false,
        }
    }
}

impl AnswerType {
    fn expected(&self) -> &'static str {
        match self {
            AnswerType::YesNo => "yes_no",
            AnswerType::Choice { .. } => "choice",
            AnswerType::Number { .. } => "number",
            AnswerType::Text { .. } => "text",
            AnswerType::Date => "date",
        }
    }
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Section {
    pub focus: FocusPoint,
    pub title: String,
    pub items: Vec<Item>,
}

/// What a template asks, in order.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TemplateContent {
    pub sections: Vec<Section>,
}

impl TemplateContent {
    pub fn items(&self) -> impl Iterator<Item = (&Section, &Item)> {
        self.sections
            .iter()
            .flat_map(|s| s.items.iter().map(move |i| (s, i)))
    }

    pub fn item(&self, id: &str) -> Option<(&Section, &Item)> {
        self.items().find(|(_, i)| i.id == id)
    }

    /// Every item id once, every prompt filled, every choice with options.
    pub fn validate(&self) -> Result<(), FieldError> {
        let mut seen = std::collections::HashSet::new();
        for (s, section) in self.sections.iter().enumerate() {
            for (i, item) in section.items.iter().enumerate() {
                let field = |name: &str| format!("sections.{s}.items.{i}.{name}");
                if item.id.trim().is_empty() || !seen.insert(item.id.clone()) {
                    return Err(FieldError::new(field("id"), Problem::Taken));
                }
                validate::required_text(&item.prompt, 500)
                    .map_err(|p| FieldError::new(field("prompt"), p))?;
                if let AnswerType::Choice { options } = &item.answer {
                    if options.len() < 2 {
                        return Err(FieldError::new(
                            field("answer"),
                            Problem::TooShort { min: 2 },
                        ));
                    }
                }
            }
        }
        if seen.is_empty() {
            return Err(FieldError::new("sections", Problem::Required));
        }
        Ok(())
    }
}

/// An inspection team's checklist, or a village's own self-check.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChecklistKind {
    Inspection,
    /// 自查
    SelfCheck,
}

impl ChecklistKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ChecklistKind::Inspection => "inspection",
            ChecklistKind::SelfCheck => "self_check",
        }
    }

    pub fn parse(s: &str) -> Option<ChecklistKind> {
        [ChecklistKind::Inspection, ChecklistKind::SelfCheck]
            .into_iter()
            .find(|k| k.as_str() == s)
    }
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Template {
    pub id: String,
    /// Versions of one template share a family.
    pub family: String,
    pub name: String,
    pub kind: ChecklistKind,
    pub version: i64,
    /// A published version never changes.
    pub published: bool,
    pub content: TemplateContent,
}

/// Edits a draft version.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UpdateTemplate {
    pub name: String,
    pub content: TemplateContent,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RecordStatus {
    Draft,
    /// Locked until the team leader returns it.
    Submitted,
    Returned,
}

impl RecordStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            RecordStatus::Draft => "draft",
            RecordStatus::Submitted => "submitted",
            RecordStatus::Returned => "returned",
        }
    }

    pub fn parse(s: &str) -> Option<RecordStatus> {
        [
            RecordStatus::Draft,
            RecordStatus::Submitted,
            RecordStatus::Returned,
        ]
        .into_iter()
        .find(|k| k.as_str() == s)
    }
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Answer {
    pub item_id: String,
    pub value: Option<AnswerValue>,
    pub note: String,
    /// The record version at which this answer last changed.
    pub version: i64,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Record {
    pub id: String,
    pub kind: ChecklistKind,
    pub template_id: String,
    pub template_version: i64,
    pub org_id: String,
    pub target_id: Option<String>,
    pub status: RecordStatus,
    pub return_reason: String,
    /// Bumped by every accepted change; a change based on an older version of the same item
    /// is a conflict.
    pub version: i64,
    pub answers: Vec<Answer>,
    /// Photos and files the server holds for this record.
    pub evidence: Vec<EvidenceInfo>,
    pub updated_at: DateTime<Utc>,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EvidenceInfo {
    /// Generated on the device, so a re-sent file is stored once.
    pub id: String,
    pub item_id: String,
    pub content_type: String,
    pub size: i64,
    pub sha256: String,
}

/// Opens (or finds) the record of a target, or the self-check of the caller's organisation.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OpenRecord {
    pub kind: ChecklistKind,
    /// Required for an inspection record.
    #[serde(default)]
    pub target_id: Option<String>,
}

/// One edit made on a device, possibly offline. `change_id` is generated on the device, so a
/// retry is applied once; `base_version` is the record version the device last saw.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Change {
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 1, max_length = 64, pattern = "^[A-Za-z0-9_-]+$")
    )]
    pub change_id: String,
    pub base_version: i64,
    pub item_id: String,
    pub value: Option<AnswerValue>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 2000))]
    pub note: String,
    /// Apply even if the item changed on the server since `base_version` (the user chose
    /// their version after seeing the conflict).
    #[serde(default)]
    pub overwrite: bool,
    /// Earlier changes of this item from this device whose answer never came back: if one
    /// of them is what the server holds, this change follows it and is no conflict.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(feature = "openapi", schema(max_items = 20))]
    pub supersedes: Vec<String>,
}

impl Change {
    /// How many earlier changes one change may name.
    pub const SUPERSEDES_MAX: usize = 20;
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Conflict {
    pub change_id: String,
    pub item_id: String,
    /// What the server holds now.
    pub server: Answer,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChangesResult {
    /// Applied now or already before (a retry).
    pub applied: Vec<String>,
    pub conflicts: Vec<Conflict>,
    pub record: Record,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReturnRecord {
    pub reason: String,
}

/// What a submission lacks, item by item: the items are the `rows` of the 422.
pub fn submission_problems(
    content: &TemplateContent,
    answers: &[Answer],
    evidence: &[String],
) -> Vec<(String, Problem)> {
    let mut out = Vec::new();
    for (_, item) in content.items() {
        let answer = answers.iter().find(|a| a.item_id == item.id);
        let value = answer.and_then(|a| a.value.as_ref());
        match value {
            None if item.required => out.push((item.id.clone(), Problem::Required)),
            Some(v) if item.is_problem(v) => {
                if answer.is_some_and(|a| a.note.trim().is_empty()) {
                    out.push((format!("{}.note", item.id), Problem::Required));
                }
                if item.evidence_required && !evidence.contains(&item.id) {
                    out.push((format!("{}.evidence", item.id), Problem::Required));
                }
            }
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn yes_no_item() -> Item {
        Item {
            id: "p1".into(),
            prompt: "低保对象是否经过民主评议并公示？".into(),
            method: Method::Documents,
            answer: AnswerType::YesNo,
            required: true,
            evidence_required: true,
            problem: ProblemRule {
                yes_no: Some(YesNo::No),
                ..Default::default()
            },
        }
    }

    #[test]
    fn answers_are_checked_against_their_item() {
        let item = yes_no_item();
        assert!(item.check(&AnswerValue::YesNo(YesNo::No)).is_ok());
        assert!(matches!(
            item.check(&AnswerValue::Number(1.0)),
            Err(Problem::BadFormat { .. })
        ));
        let n = Item {
            answer: AnswerType::Number {
                min: 0.0,
                max: 12.0,
                unit: "次".into(),
            },
            ..yes_no_item()
        };
        assert_eq!(
            n.check(&AnswerValue::Number(13.0)),
            Err(Problem::OutOfRange { min: 0, max: 12 })
        );
        let c = Item {
            answer: AnswerType::Choice {
                options: vec!["按月".into(), "按季".into()],
            },
            ..yes_no_item()
        };
        assert_eq!(
            c.check(&AnswerValue::Choice("按年".into())),
            Err(Problem::NotAllowed)
        );
    }

    #[test]
    fn problem_answers_need_a_note_and_evidence() {
        let content = TemplateContent {
            sections: vec![Section {
                focus: FocusPoint::Policies,
                title: "惠民政策".into(),
                items: vec![yes_no_item()],
            }],
        };
        assert_eq!(
            submission_problems(&content, &[], &[]),
            vec![("p1".to_string(), Problem::Required)]
        );
        let answer = Answer {
            item_id: "p1".into(),
            value: Some(AnswerValue::YesNo(YesNo::No)),
            note: String::new(),
            version: 1,
        };
        let problems = submission_problems(&content, std::slice::from_ref(&answer), &[]);
        assert_eq!(
            problems.iter().map(|p| p.0.as_str()).collect::<Vec<_>>(),
            vec!["p1.note", "p1.evidence"]
        );
        let noted = Answer {
            note: "3户未公示".into(),
            ..answer
        };
        assert!(submission_problems(&content, &[noted], &["p1".into()]).is_empty());
    }
}
