//! Talk records (个别谈话记录): who a target's team talked to, when, where and with which
//! inspectors present, what was said. Restricted: the team, the office and discipline read
//! them, every read leaves a trace, and the inspected unit never learns one exists.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::validate;
use crate::{FieldError, Lang, Problem};

/// 个别谈话 / 座谈 / 走访
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TalkKind {
    /// 个别谈话: one person.
    Talk,
    /// 座谈: a group.
    Forum,
    /// 走访: a visit to a household or a site.
    Visit,
}

impl TalkKind {
    pub const ALL: [TalkKind; 3] = [TalkKind::Talk, TalkKind::Forum, TalkKind::Visit];

    pub fn as_str(self) -> &'static str {
        match self {
            TalkKind::Talk => "talk",
            TalkKind::Forum => "forum",
            TalkKind::Visit => "visit",
        }
    }

    pub fn parse(s: &str) -> Option<TalkKind> {
        TalkKind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            TalkKind::Talk => lang.pick("个别谈话", "Individual talk"),
            TalkKind::Forum => lang.pick("座谈", "Group discussion"),
            TalkKind::Visit => lang.pick("走访", "Visit"),
        }
    }
}

/// At least two inspectors are present at every talk: a rule of practice.
pub const INSPECTORS_MIN: usize = 2;
pub const SUMMARY_MAX: usize = 5000;
pub const PLACE_MAX: usize = 100;
pub const ORG_MAX: usize = 100;

/// A talk as the team writes it; `PUT` under an id the device chose, so a re-send after a lost
/// reply stores nothing twice.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TalkDraft {
    pub kind: TalkKind,
    /// Who was talked to (for a group discussion: who it was with).
    pub person_name: String,
    #[serde(default)]
    pub person_post: String,
    #[serde(default)]
    pub person_org: String,
    #[serde(deserialize_with = "validate::de_date")]
    pub held_on: NaiveDate,
    #[serde(default)]
    pub place: String,
    /// User ids of the inspectors present, members of the target's team.
    pub inspectors: Vec<String>,
    pub summary: String,
    /// The person asked not to be named: outside the team they show as 谈话对象不具名.
    #[serde(default)]
    pub private: bool,
    /// The version this text was edited from; `None` for a new talk. An edit made on an older
    /// version than the stored one is refused (409) with the stored talk, never overwritten.
    #[serde(default)]
    pub base_version: Option<i64>,
}

impl TalkDraft {
    pub fn validate(&self) -> Result<(), FieldError> {
        let mut c = validate::Checker::new();
        person(
            &mut c,
            &self.person_name,
            &self.person_post,
            &self.person_org,
        )
        .check("held_on", validate::date(self.held_on))
        .check("place", validate::optional_text(&self.place, PLACE_MAX))
        .check("inspectors", inspectors(&self.inspectors))
        .check(
            "summary",
            validate::required_text(&self.summary, SUMMARY_MAX),
        );
        c.finish()
    }
}

/// A person a record is about (who was talked to, whom a clue concerns): a name, and a post
/// and an organisation where known.
pub(crate) fn person<'c>(
    c: &'c mut validate::Checker,
    name: &str,
    post: &str,
    org: &str,
) -> &'c mut validate::Checker {
    c.check(
        "person_name",
        validate::required_text(name, validate::PERSON_MAX),
    )
    .check(
        "person_post",
        validate::optional_text(post, validate::NAME_MAX),
    )
    .check("person_org", validate::optional_text(org, ORG_MAX))
}

fn inspectors(ids: &[String]) -> Result<(), Problem> {
    validate::at_most(ids, validate::TEAM_MAX)?;
    let mut distinct: Vec<&str> = ids.iter().map(|s| s.trim()).collect();
    distinct.sort_unstable();
    distinct.dedup();
    if distinct.len() < INSPECTORS_MIN {
        return Err(Problem::TooFew {
            min: INSPECTORS_MIN,
        });
    }
    Ok(())
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TalkInspector {
    pub user_id: String,
    pub name: String,
}

/// A photo or PDF kept with a talk (the signed transcript).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttachedFile {
    pub id: String,
    pub content_type: String,
    pub size: i64,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Talk {
    pub id: String,
    pub target_id: String,
    pub kind: TalkKind,
    pub person_name: String,
    pub person_post: String,
    pub person_org: String,
    pub held_on: NaiveDate,
    pub place: String,
    pub inspectors: Vec<TalkInspector>,
    pub summary: String,
    pub private: bool,
    pub version: i64,
    pub created_by: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    #[serde(default)]
    pub files: Vec<AttachedFile>,
}

impl Talk {
    /// Whether the stored talk is what this draft says (a re-send).
    pub fn says(&self, d: &TalkDraft) -> bool {
        let mut mine: Vec<&str> = d.inspectors.iter().map(|s| s.trim()).collect();
        mine.sort_unstable();
        mine.dedup();
        let mut stored: Vec<&str> = self.inspectors.iter().map(|i| i.user_id.as_str()).collect();
        stored.sort_unstable();
        self.kind == d.kind
            && self.person_name == d.person_name.trim()
            && self.person_post == d.person_post.trim()
            && self.person_org == d.person_org.trim()
            && self.held_on == d.held_on
            && self.place == d.place.trim()
            && self.summary == d.summary.trim()
            && self.private == d.private
            && stored == mine
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft() -> TalkDraft {
        TalkDraft {
            kind: TalkKind::Talk,
            person_name: "张建国".into(),
            person_post: "村党支部书记".into(),
            person_org: "青石村".into(),
            held_on: NaiveDate::from_ymd_opt(2026, 11, 20).unwrap(),
            place: "村委会".into(),
            inspectors: vec!["a".into(), "b".into()],
            summary: "谈及集体资产发包情况。".into(),
            private: false,
            base_version: None,
        }
    }

    #[test]
    fn a_talk_needs_two_distinct_inspectors_a_person_and_a_summary() {
        assert_eq!(draft().validate(), Ok(()));
        let mut d = draft();
        d.inspectors = vec!["a".into(), " a".into()];
        assert_eq!(
            d.validate().unwrap_err(),
            FieldError::new("inspectors", Problem::TooFew { min: 2 })
        );
        let mut d = draft();
        d.person_name = " ".into();
        assert_eq!(d.validate().unwrap_err().field, "person_name");
        let mut d = draft();
        d.summary = "说".repeat(SUMMARY_MAX + 1);
        assert_eq!(d.validate().unwrap_err().field, "summary");
    }
}
