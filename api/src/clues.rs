//! Problem clues (问题线索) and their referral (移交) to the discipline inspection organ: made by a
//! target's team, proposed by its leader, referred by the office under a number, handled by
//! discipline in the customary forms until a result is fed back.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::findings::Severity;
use crate::validate;
use crate::{FieldError, Problem};

words! {
    /// Where a clue came from.
    ClueSource {
        Petition = "petition", "信访举报", "Petition";
        Talk = "talk", "个别谈话", "Talk";
        Checklist = "checklist", "查阅资料、检查", "Documents and checks";
        Finding = "finding", "发现的问题", "Finding";
        Visit = "visit", "走访", "Visit";
        Other = "other", "其他", "Other";
    }
}

words! {
    /// Where a clue stands.
    ClueStatus {
        Draft = "draft", "已登记", "Recorded";
        Proposed = "proposed", "拟移交", "Proposed for referral";
        Referred = "referred", "已移交", "Referred";
        Accepted = "accepted", "已受理", "Accepted";
        Handling = "handling", "处置中", "Being handled";
        Concluded = "concluded", "已办结", "Concluded";
    }
}

words! {
    /// The customary forms of handling a clue (问题线索处置方式).
    Disposal {
        TalkOrLetter = "talk_or_letter", "谈话函询", "Talk or letter of inquiry";
        Verification = "verification", "初步核实", "Preliminary verification";
        Shelved = "shelved", "暂存待查", "Kept for later";
        Closed = "closed", "予以了结", "Closed";
    }
}

words! {
    /// What came of a clue.
    ClueResult {
        Case = "case", "立案审查调查", "Case opened";
        PartyDiscipline = "party_discipline", "党纪处分", "Party disciplinary sanction";
        GovernmentSanction = "government_sanction", "政务处分", "Government sanction";
        Organisational = "organisational", "组织处理", "Organisational measure";
        Admonition = "admonition", "诫勉", "Admonition";
        Cleared = "cleared", "了结澄清", "Closed and cleared";
    }
}

pub const MATTER_MAX: usize = 2000;
pub const WHEN_MAX: usize = 60;
pub const NOTE_MAX: usize = 1000;
pub const AMOUNT_MAX: i64 = 10_000_000_000;

/// A clue as the team writes it, `PUT` under an id the device chose.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClueDraft {
    /// The person it concerns.
    pub person_name: String,
    #[serde(default)]
    pub person_post: String,
    #[serde(default)]
    pub person_org: String,
    /// What is alleged.
    pub matter: String,
    /// When, as told (e.g. 2023年3月至2024年5月).
    #[serde(default)]
    pub matter_when: String,
    /// In whole yuan, where there is an amount.
    #[serde(default)]
    pub amount_yuan: Option<i64>,
    pub source: ClueSource,
    /// The talk, finding or checklist record it came from.
    #[serde(default)]
    pub source_id: Option<String>,
    pub seriousness: Severity,
    /// `None` for a new clue; an edit on an older version is refused (409 `stale`).
    #[serde(default)]
    pub base_version: Option<i64>,
}

impl ClueDraft {
    pub fn validate(&self) -> Result<(), FieldError> {
        let mut c = validate::Checker::new();
        crate::talks::person(
            &mut c,
            &self.person_name,
            &self.person_post,
            &self.person_org,
        )
        .check("matter", validate::required_text(&self.matter, MATTER_MAX))
        .check(
            "matter_when",
            validate::optional_text(&self.matter_when, WHEN_MAX),
        )
        .check(
            "amount_yuan",
            match self.amount_yuan {
                Some(a) if !(0..=AMOUNT_MAX).contains(&a) => Err(Problem::OutOfRange {
                    min: 0,
                    max: AMOUNT_MAX,
                }),
                _ => Ok(()),
            },
        )
        .check(
            "source_id",
            match (&self.source, &self.source_id) {
                (ClueSource::Other, _) | (_, None) => Ok(()),
                (_, Some(id)) => validate::client_id(id),
            },
        );
        c.finish()
    }
}

/// One step in a clue's story.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClueEvent {
    pub at: DateTime<Utc>,
    pub actor_name: String,
    pub from_status: Option<ClueStatus>,
    pub to_status: ClueStatus,
    pub disposal: Option<Disposal>,
    pub result: Option<ClueResult>,
    /// The day the handling or result took effect, as discipline recorded it.
    pub on_date: Option<NaiveDate>,
    pub note: String,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Clue {
    pub id: String,
    pub target_id: String,
    /// The inspected organisation, for lists across targets.
    pub org_name: String,
    pub person_name: String,
    pub person_post: String,
    pub person_org: String,
    pub matter: String,
    pub matter_when: String,
    pub amount_yuan: Option<i64>,
    pub source: ClueSource,
    pub source_id: Option<String>,
    pub seriousness: Severity,
    pub status: ClueStatus,
    pub disposal: Option<Disposal>,
    pub result: Option<ClueResult>,
    pub feedback_on: Option<NaiveDate>,
    pub referral_id: Option<String>,
    pub referral_number: Option<String>,
    pub version: i64,
    pub created_by: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    #[serde(default)]
    pub files: Vec<crate::talks::AttachedFile>,
    #[serde(default)]
    pub events: Vec<ClueEvent>,
}

impl Clue {
    pub fn says(&self, d: &ClueDraft) -> bool {
        self.person_name == d.person_name.trim()
            && self.person_post == d.person_post.trim()
            && self.person_org == d.person_org.trim()
            && self.matter == d.matter.trim()
            && self.matter_when == d.matter_when.trim()
            && self.amount_yuan == d.amount_yuan
            && self.source == d.source
            && self.source_id == d.source_id
            && self.seriousness == d.seriousness
    }
}

/// The team leader proposes a clue for referral or takes the proposal back; the office sends
/// a proposed clue back to the team.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MoveClue {
    pub to: ClueStatus,
    #[serde(default)]
    pub note: String,
}

/// Discipline records how a clue is handled, or what came of it (which concludes it).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Handling {
    #[serde(default)]
    pub disposal: Option<Disposal>,
    #[serde(default)]
    pub result: Option<ClueResult>,
    #[serde(deserialize_with = "validate::de_date")]
    pub on_date: NaiveDate,
    #[serde(default)]
    pub note: String,
}

impl Handling {
    pub fn validate(&self) -> Result<(), FieldError> {
        let mut c = validate::Checker::new();
        c.check(
            "disposal",
            if self.disposal.is_none() && self.result.is_none() {
                Err(Problem::Required)
            } else {
                Ok(())
            },
        )
        .check("on_date", validate::date(self.on_date))
        .check("note", validate::optional_text(&self.note, NOTE_MAX));
        c.finish()
    }
}

pub const NUMBER_MAX: usize = 40;
pub const LETTER_MAX: usize = 5000;

/// A referral (移交) the office assembles from proposed clues.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewReferral {
    /// e.g. 青岚巡移〔2026〕3号
    pub number: String,
    #[serde(deserialize_with = "validate::de_date")]
    pub referred_on: NaiveDate,
    pub cover_letter: String,
    pub clue_ids: Vec<String>,
    /// Feedback is due this many months after sending (3 by custom).
    #[serde(default = "three")]
    pub feedback_months: u32,
}

fn three() -> u32 {
    3
}

impl NewReferral {
    pub fn validate(&self) -> Result<(), FieldError> {
        let mut c = validate::Checker::new();
        c.check("number", validate::required_text(&self.number, NUMBER_MAX))
            .check("referred_on", validate::date(self.referred_on))
            .check(
                "cover_letter",
                validate::required_text(&self.cover_letter, LETTER_MAX),
            )
            .check(
                "clue_ids",
                if self.clue_ids.is_empty() {
                    Err(Problem::TooFew { min: 1 })
                } else {
                    validate::at_most(&self.clue_ids, validate::TASKS_MAX)
                },
            )
            .check(
                "feedback_months",
                if (1..=24).contains(&self.feedback_months) {
                    Ok(())
                } else {
                    Err(Problem::OutOfRange { min: 1, max: 24 })
                },
            );
        c.finish()
    }
}

words! {
    /// Where a referral stands.
    ReferralStatus {
        Draft = "draft", "拟移交", "Being assembled";
        Sent = "sent", "已移交", "Sent";
        Accepted = "accepted", "已受理", "Accepted";
    }
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Referral {
    pub id: String,
    pub number: String,
    pub referred_on: NaiveDate,
    pub cover_letter: String,
    pub status: ReferralStatus,
    pub feedback_due: NaiveDate,
    pub sent_at: Option<DateTime<Utc>>,
    pub accepted_at: Option<DateTime<Utc>>,
    pub clue_count: i64,
    /// Clues with a result fed back.
    pub concluded_count: i64,
    /// Sent, past its feedback day, and some clue without a result: shown in red.
    pub overdue: bool,
    #[serde(default)]
    pub clues: Vec<Clue>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Lang;

    #[test]
    fn every_word_reads_back_and_has_both_languages() {
        for s in ClueStatus::ALL {
            assert_eq!(ClueStatus::parse(s.as_str()), Some(*s));
            assert_ne!(s.label(Lang::Zh), s.label(Lang::En));
        }
        assert_eq!(
            Disposal::parse("verification"),
            Some(Disposal::Verification)
        );
        assert_eq!(Disposal::Verification.label(Lang::Zh), "初步核实");
        assert_eq!(ClueResult::parse("nothing"), None);
    }

    #[test]
    fn handling_needs_a_form_or_a_result() {
        let h = Handling {
            disposal: None,
            result: None,
            on_date: NaiveDate::from_ymd_opt(2026, 6, 1).unwrap(),
            note: String::new(),
        };
        assert_eq!(h.validate().unwrap_err().field, "disposal");
    }
}
