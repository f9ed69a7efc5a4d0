//! The stationing of a team at one target: the three lists it builds before it arrives
//! (政策清单, 收集信息清单, 预设问题清单) and the key persons and households it visits while
//! there (走访重点人员清单). Everything is written under ids the inspector's device chooses
//! and edited on its latest version, so a week of offline work is sent once and an edit made
//! on another phone meanwhile is refused (409), never overwritten.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::talks::{AttachedFile, TalkInspector};
use crate::validate;
use crate::{FieldError, Lang, Problem};

macro_rules! labelled_enum {
    ($(#[$doc:meta])* $name:ident { $($(#[$vdoc:meta])* $variant:ident = $text:literal, $zh:literal, $en:literal;)+ }) => {
        $(#[$doc])*
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name {
            $($(#[$vdoc])* $variant,)+
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant,)+];

            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text,)+
                }
            }

            pub fn parse(s: &str) -> Option<$name> {
                Self::ALL.iter().copied().find(|v| v.as_str() == s)
            }

            pub fn label(self, lang: Lang) -> &'static str {
                match self {
                    $($name::$variant => lang.pick($zh, $en),)+
                }
            }
        }
    };
}

labelled_enum! {
    /// Which of the three preparation lists an item is on.
    PrepList {
        /// 政策清单
        Policy = "policy", "政策清单", "Policy list";
        /// 收集信息清单
        Information = "information", "收集信息清单", "Information collected";
        /// 预设问题清单
        Expected = "expected", "预设问题清单", "Pre-set problems";
    }
}

labelled_enum! {
    /// The field a policy that should reach the village belongs to.
    PolicyArea {
        Farming = "farming", "农业农村", "Farming and rural affairs";
        Education = "education", "教育", "Education";
        Health = "health", "医疗卫生", "Health";
        Housing = "housing", "住房", "Housing";
        SocialSecurity = "social_security", "社会保障", "Social security";
        Other = "other", "其他", "Other";
    }
}

labelled_enum! {
    /// The offices a team asks about a village before it goes (情况通报).
    InfoSource {
        Discipline = "discipline", "纪委监委", "Discipline commission";
        Organisation = "organisation", "组织部", "Organisation department";
        Audit = "audit", "审计", "Audit office";
        Finance = "finance", "财政", "Finance bureau";
        Petition = "petition", "信访", "Petitions bureau";
        Township = "township", "乡镇（街道）", "Township";
    }
}

labelled_enum! {
    /// What became of a problem the team expected to find.
    Outcome {
        /// Not yet tested.
        Open = "open", "待核实", "To be checked";
        /// Found: linked to the finding that records it.
        Confirmed = "confirmed", "已证实", "Confirmed";
        NotConfirmed = "not_confirmed", "未证实", "Not confirmed";
        NotChecked = "not_checked", "未核查", "Not checked";
    }
}

pub const TITLE_MAX: usize = 200;
pub const TEXT_MAX: usize = 2000;
pub const ORIGIN_MAX: usize = 100;
pub const LINKS_MAX: usize = 50;
pub const ITEM_ID_MAX: usize = 20;
/// A team visits at least this share of the village's households (走访不少于10%).
pub const VISIT_SHARE_MIN: f64 = 0.10;

/// What an item of a list says, by list.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "list", rename_all = "snake_case")]
pub enum PrepContent {
    /// A policy that should reach this village, and what the village should be able to show.
    Policy {
        area: PolicyArea,
        title: String,
        #[serde(default)]
        evidence: String,
    },
    /// What one office reported about the village; `answered` once it has.
    Information {
        source: InfoSource,
        #[serde(default)]
        answered: bool,
        #[serde(default)]
        summary: String,
    },
    /// A problem the team expects, the checklist items and visits that will test it, and at
    /// the end what became of it.
    Expected {
        problem: String,
        /// Checklist item ids (e.g. `p-01`).
        #[serde(default)]
        checklist_items: Vec<String>,
        /// Visits of the same target.
        #[serde(default)]
        visit_ids: Vec<String>,
        #[serde(default = "open")]
        outcome: Outcome,
        /// With `confirmed`: a finding of the same target.
        #[serde(default)]
        finding_id: Option<String>,
    },
}

fn open() -> Outcome {
    Outcome::Open
}

impl PrepContent {
    pub fn list(&self) -> PrepList {
        match self {
            PrepContent::Policy { .. } => PrepList::Policy,
            PrepContent::Information { .. } => PrepList::Information,
            PrepContent::Expected { .. } => PrepList::Expected,
        }
    }

    /// The same content with its texts trimmed and its lists without repeats, as stored.
    pub fn tidy(&self) -> PrepContent {
        let mut c = self.clone();
        match &mut c {
            PrepContent::Policy {
                title, evidence, ..
            } => {
                *title = title.trim().into();
                *evidence = evidence.trim().into();
            }
            PrepContent::Information { summary, .. } => *summary = summary.trim().into(),
            PrepContent::Expected {
                problem,
                checklist_items,
                visit_ids,
                finding_id,
                ..
            } => {
                *problem = problem.trim().into();
                for list in [checklist_items, visit_ids] {
                    *list = list.iter().map(|s| s.trim().to_string()).collect();
                    list.sort_unstable();
                    list.dedup();
                }
                *finding_id = finding_id
                    .as_deref()
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(String::from);
            }
        }
        c
    }

    fn check(&self, c: &mut validate::Checker) {
        match self {
            PrepContent::Policy {
                title, evidence, ..
            } => {
                c.check("title", validate::required_text(title, TITLE_MAX))
                    .check("evidence", validate::optional_text(evidence, TEXT_MAX));
            }
            PrepContent::Information { summary, .. } => {
                c.check("summary", validate::optional_text(summary, TEXT_MAX));
            }
            PrepContent::Expected {
                problem,
                checklist_items,
                visit_ids,
                outcome,
                finding_id,
            } => {
                c.check("problem", validate::required_text(problem, TITLE_MAX))
                    .check("checklist_items", item_ids(checklist_items))
                    .check("visit_ids", client_ids(visit_ids))
                    .check("finding_id", finding(*outcome, finding_id.as_deref()));
            }
        }
    }
}

fn item_ids(ids: &[String]) -> Result<(), Problem> {
    validate::at_most(ids, LINKS_MAX)?;
    for id in ids {
        validate::required_text(id, ITEM_ID_MAX)?;
        validate::no_control(id)?;
    }
    Ok(())
}

fn client_ids(ids: &[String]) -> Result<(), Problem> {
    validate::at_most(ids, LINKS_MAX)?;
    ids.iter().try_for_each(|id| validate::client_id(id.trim()))
}

/// A confirmed problem names the finding that records it; no other outcome names one.
fn finding(outcome: Outcome, finding_id: Option<&str>) -> Result<(), Problem> {
    match (outcome, finding_id.map(str::trim).filter(|s| !s.is_empty())) {
        (Outcome::Confirmed, None) => Err(Problem::Required),
        (Outcome::Confirmed, Some(id)) => validate::client_id(id),
        (_, Some(_)) => Err(Problem::NotAllowed),
        (_, None) => Ok(()),
    }
}

/// An item of a target's lists as the team writes it; `PUT` under an id the device chose.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PrepDraft {
    pub content: PrepContent,
    /// Where it came from (县默认清单, 审计报告, 村民反映).
    #[serde(default)]
    pub origin: String,
    /// The version this was edited from; `None` for a new item.
    #[serde(default)]
    pub base_version: Option<i64>,
}

impl PrepDraft {
    pub fn validate(&self) -> Result<(), FieldError> {
        let mut c = validate::Checker::new();
        self.content.check(&mut c);
        c.check("origin", validate::optional_text(&self.origin, ORIGIN_MAX));
        c.finish()
    }
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PrepItem {
    pub id: String,
    pub target_id: String,
    pub content: PrepContent,
    pub origin: String,
    /// The county's default policy it was copied from.
    pub default_id: Option<String>,
    /// What the office sent with its report (information list only), oldest first.
    #[serde(default)]
    pub files: Vec<AttachedFile>,
    pub version: i64,
    /// Who added it.
    pub created_by: String,
    pub created_by_name: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl PrepItem {
    /// Whether the stored item is what this draft says (a re-send).
    pub fn says(&self, d: &PrepDraft) -> bool {
        self.content == d.content.tidy() && self.origin == d.origin.trim()
    }
}

/// A policy of the county's default list (the office's), copied into each target's list.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PolicyDefaultDraft {
    pub area: PolicyArea,
    pub title: String,
    #[serde(default)]
    pub evidence: String,
    #[serde(default)]
    pub base_version: Option<i64>,
}

impl PolicyDefaultDraft {
    pub fn validate(&self) -> Result<(), FieldError> {
        let mut c = validate::Checker::new();
        c.check("title", validate::required_text(&self.title, TITLE_MAX))
            .check(
                "evidence",
                validate::optional_text(&self.evidence, TEXT_MAX),
            );
        c.finish()
    }
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PolicyDefault {
    pub id: String,
    pub area: PolicyArea,
    pub title: String,
    pub evidence: String,
    pub version: i64,
    pub updated_at: DateTime<Utc>,
}

impl PolicyDefault {
    pub fn says(&self, d: &PolicyDefaultDraft) -> bool {
        self.area == d.area && self.title == d.title.trim() && self.evidence == d.evidence.trim()
    }
}

/// A key person or household on the visit list (走访重点人员清单); ticked with the day, the
/// inspectors and a note once visited.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VisitDraft {
    pub person_name: String,
    /// Why this person (困难群众, 老党员, 信访人, 致富带头人).
    #[serde(default)]
    pub category: String,
    /// A household visit, counted towards the tenth of the village's households.
    #[serde(default)]
    pub household: bool,
    #[serde(default)]
    pub address: String,
    #[serde(default, deserialize_with = "validate::de_opt_date")]
    pub visited_on: Option<NaiveDate>,
    /// User ids of the inspectors who went, members of the target's team.
    #[serde(default)]
    pub visitors: Vec<String>,
    #[serde(default)]
    pub note: String,
    #[serde(default)]
    pub base_version: Option<i64>,
}

impl VisitDraft {
    pub fn validate(&self) -> Result<(), FieldError> {
        let mut c = validate::Checker::new();
        c.check(
            "person_name",
            validate::required_text(&self.person_name, validate::PERSON_MAX),
        )
        .check(
            "category",
            validate::optional_text(&self.category, validate::NAME_MAX),
        )
        .check(
            "address",
            validate::optional_text(&self.address, ORIGIN_MAX),
        )
        .check("visited_on", self.visited_on.map_or(Ok(()), validate::date))
        .check("visitors", visitors(self.visited_on, &self.visitors))
        .check("note", validate::optional_text(&self.note, TEXT_MAX));
        c.finish()
    }

    /// The visitors as stored: trimmed, sorted, once each.
    pub fn visitor_ids(&self) -> Vec<String> {
        let mut ids: Vec<String> = self.visitors.iter().map(|s| s.trim().into()).collect();
        ids.sort_unstable();
        ids.dedup();
        ids
    }
}

/// A visit made names who went; one not yet made names nobody.
fn visitors(visited_on: Option<NaiveDate>, ids: &[String]) -> Result<(), Problem> {
    validate::at_most(ids, validate::TEAM_MAX)?;
    match (visited_on, ids.iter().any(|s| !s.trim().is_empty())) {
        (Some(_), false) => Err(Problem::TooFew { min: 1 }),
        (None, true) => Err(Problem::NotAllowed),
        _ => Ok(()),
    }
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Visit {
    pub id: String,
    pub target_id: String,
    pub person_name: String,
    pub category: String,
    pub household: bool,
    pub address: String,
    pub visited_on: Option<NaiveDate>,
    pub visitors: Vec<TalkInspector>,
    pub note: String,
    pub version: i64,
    pub created_by_name: String,
    pub updated_at: DateTime<Utc>,
}

impl Visit {
    pub fn says(&self, d: &VisitDraft) -> bool {
        let mut stored: Vec<&str> = self.visitors.iter().map(|v| v.user_id.as_str()).collect();
        stored.sort_unstable();
        self.person_name == d.person_name.trim()
            && self.category == d.category.trim()
            && self.household == d.household
            && self.address == d.address.trim()
            && self.visited_on == d.visited_on
            && self.note == d.note.trim()
            && stored == d.visitor_ids()
    }
}

/// The figures a team watches while stationed.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StationingSummary {
    /// The village's households, from its basic data (None when not entered).
    pub households: Option<i64>,
    /// A tenth of them, rounded up: the fewest households to visit.
    pub households_to_visit: Option<i64>,
    pub households_visited: i64,
    /// Visited over all households, 0–1.
    pub visit_share: Option<f64>,
    /// Fewer households visited than a tenth (or the village's households unknown).
    pub below_share: bool,
    pub visits_planned: i64,
    pub visits_made: i64,
    pub sources_answered: Vec<InfoSource>,
    pub sources_waiting: Vec<InfoSource>,
    pub expected: i64,
    pub confirmed: i64,
    pub not_confirmed: i64,
    pub not_checked: i64,
    /// Confirmed over those checked (confirmed and not confirmed): the team's hit rate.
    pub hit_rate: Option<f64>,
    /// 立行立改 tasks of the target, and how many are done (accepted or closed).
    pub on_the_spot: i64,
    pub on_the_spot_done: i64,
}

impl StationingSummary {
    /// `on_the_spot` is the target's 立行立改 tasks and how many are done.
    pub fn of(
        households: Option<i64>,
        items: &[PrepItem],
        visits: &[Visit],
        (on_the_spot, on_the_spot_done): (i64, i64),
    ) -> Self {
        let households = households.filter(|h| *h > 0);
        let to_visit = households.map(|h| (h + 9) / 10);
        let households_visited = visits
            .iter()
            .filter(|v| v.household && v.visited_on.is_some())
            .count() as i64;
        let answered: Vec<InfoSource> = InfoSource::ALL
            .iter()
            .copied()
            .filter(|s| {
                items.iter().any(|i| {
                    matches!(&i.content, PrepContent::Information { source, answered: true, .. } if source == s)
                })
            })
            .collect();
        let outcomes: Vec<Outcome> = items
            .iter()
            .filter_map(|i| match &i.content {
                PrepContent::Expected { outcome, .. } => Some(*outcome),
                _ => None,
            })
            .collect();
        let count = |o: Outcome| outcomes.iter().filter(|x| **x == o).count() as i64;
        let (confirmed, not_confirmed) = (count(Outcome::Confirmed), count(Outcome::NotConfirmed));
        StationingSummary {
            households,
            households_to_visit: to_visit,
            households_visited,
            visit_share: households.map(|h| households_visited as f64 / h as f64),
            below_share: to_visit.is_none_or(|n| households_visited < n),
            visits_planned: visits.len() as i64,
            visits_made: visits.iter().filter(|v| v.visited_on.is_some()).count() as i64,
            sources_waiting: InfoSource::ALL
                .iter()
                .copied()
                .filter(|s| !answered.contains(s))
                .collect(),
            sources_answered: answered,
            expected: outcomes.len() as i64,
            confirmed,
            not_confirmed,
            not_checked: count(Outcome::NotChecked),
            hit_rate: (confirmed + not_confirmed > 0)
                .then(|| confirmed as f64 / (confirmed + not_confirmed) as f64),
            on_the_spot,
            on_the_spot_done,
        }
    }
}

/// A target's stationing in one read: what an inspector's phone keeps for the week.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Stationing {
    pub target_id: String,
    pub station_start: Option<NaiveDate>,
    pub station_end: Option<NaiveDate>,
    pub policies: Vec<PrepItem>,
    pub information: Vec<PrepItem>,
    pub expected: Vec<PrepItem>,
    pub visits: Vec<Visit>,
    pub summary: StationingSummary,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn expected(outcome: Outcome, finding_id: Option<&str>) -> PrepDraft {
        PrepDraft {
            content: PrepContent::Expected {
                problem: "集体资产发包未经民主程序".into(),
                checklist_items: vec!["p-03".into(), " p-03".into()],
                visit_ids: vec![],
                outcome,
                finding_id: finding_id.map(String::from),
            },
            origin: "审计报告".into(),
            base_version: None,
        }
    }

    #[test]
    fn a_confirmed_problem_names_its_finding_and_no_other_outcome_does() {
        assert_eq!(expected(Outcome::Open, None).validate(), Ok(()));
        assert_eq!(
            expected(Outcome::Confirmed, None).validate(),
            Err(FieldError::new("finding_id", Problem::Required))
        );
        assert_eq!(expected(Outcome::Confirmed, Some("f-1")).validate(), Ok(()));
        assert_eq!(
            expected(Outcome::NotConfirmed, Some("f-1")).validate(),
            Err(FieldError::new("finding_id", Problem::NotAllowed))
        );
        match expected(Outcome::Open, None).content.tidy() {
            PrepContent::Expected {
                checklist_items, ..
            } => assert_eq!(checklist_items, ["p-03"]),
            other => panic!("{other:?}"),
        }
    }

    fn visit(household: bool, visited: bool) -> Visit {
        Visit {
            id: "v".into(),
            target_id: "t".into(),
            person_name: "李大爷".into(),
            category: String::new(),
            household,
            address: String::new(),
            visited_on: visited.then(|| NaiveDate::from_ymd_opt(2026, 3, 10).unwrap()),
            visitors: vec![],
            note: String::new(),
            version: 1,
            created_by_name: String::new(),
            updated_at: DateTime::<Utc>::default(),
        }
    }

    #[test]
    fn a_tenth_of_the_households_rounded_up_and_visits_not_made_do_not_count() {
        let visits: Vec<Visit> = (0..12).map(|i| visit(i % 4 != 0, i < 10)).collect();
        // 12 listed, 10 made, of which 7 households (0, 4 and 8 are not households).
        let s = StationingSummary::of(Some(71), &[], &visits, (0, 0));
        assert_eq!(s.households_to_visit, Some(8));
        assert_eq!(s.households_visited, 7);
        assert!(s.below_share);
        assert_eq!((s.visits_planned, s.visits_made), (12, 10));
        let s = StationingSummary::of(Some(70), &[], &visits, (0, 0));
        assert!(!s.below_share, "7 of 70 is a tenth");
        assert!(StationingSummary::of(None, &[], &visits, (0, 0)).below_share);
        assert_eq!(s.sources_waiting.len(), InfoSource::ALL.len());
        assert_eq!(s.hit_rate, None);
    }

    #[test]
    fn a_visit_made_names_who_went_and_one_planned_names_nobody() {
        let mut d = VisitDraft {
            person_name: "李大爷".into(),
            category: "困难群众".into(),
            household: true,
            address: String::new(),
            visited_on: None,
            visitors: vec![],
            note: String::new(),
            base_version: None,
        };
        assert_eq!(d.validate(), Ok(()));
        d.visited_on = NaiveDate::from_ymd_opt(2026, 3, 10);
        assert_eq!(d.validate().unwrap_err().field, "visitors");
        d.visitors = vec!["u2".into(), "u1".into(), "u2 ".into()];
        assert_eq!(d.validate(), Ok(()));
        assert_eq!(d.visitor_ids(), ["u1", "u2"]);
        d.visited_on = None;
        assert_eq!(
            d.validate(),
            Err(FieldError::new("visitors", Problem::NotAllowed))
        );
    }
}
