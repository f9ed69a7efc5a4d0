//! Petitions (信访举报): what villagers tell the team stationed in their village, on the public
//! page or by phone, letter, the post box or in person. Restricted like clues: the team, the
//! office and discipline read them, every read is logged, the petitioner's contact is the team
//! leader's alone, and the inspected unit never learns one exists.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::talks::AttachedFile;
use crate::validate;
use crate::{FieldError, Problem};

words! {
    /// How a petition reached the team.
    Channel {
        Online = "online", "网上", "Online";
        Phone = "phone", "电话", "Phone";
        Letter = "letter", "来信", "Letter";
        PostBox = "box", "意见箱", "Post box";
        Visit = "visit", "来访", "In person";
    }
}

words! {
    /// Where a petition stands, as the petitioner sees it too.
    PetitionStatus {
        Received = "received", "已受理", "Received";
        Handling = "handling", "办理中", "Being handled";
        Concluded = "concluded", "已办结", "Concluded";
    }
}

words! {
    /// What the team made of a petition (分办).
    Outcome {
        Finding = "finding", "转为问题", "Recorded as a finding";
        Clue = "clue", "转为问题线索", "Recorded as a problem clue";
        Transfer = "transfer", "转办", "Passed to the competent office";
        NoAction = "no_action", "不予处理", "No action";
    }
}

pub const CONTENT_MAX: usize = 2000;
pub const CONCERNS_MAX: usize = 100;
pub const CONTACT_MAX: usize = 40;
pub const ANSWER_MAX: usize = 500;
pub const REASON_MAX: usize = 500;
pub const PHOTOS_MAX: usize = 3;
pub const GRACE_DAYS_MAX: i64 = 60;

fn text_fields(c: &mut validate::Checker, content: &str, concerns: &str, contact: &str) {
    c.check("content", validate::required_text(content, CONTENT_MAX))
        .check("concerns", validate::optional_text(concerns, CONCERNS_MAX))
        .check("contact", validate::optional_text(contact, CONTACT_MAX));
}

/// What a villager writes on the public page.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PublicPetition {
    pub content: String,
    pub concerns: String,
    /// A phone number, or nothing to stay anonymous.
    pub contact: String,
}

impl PublicPetition {
    pub fn validate(&self) -> Result<(), FieldError> {
        let mut c = validate::Checker::new();
        text_fields(&mut c, &self.content, &self.concerns, &self.contact);
        c.finish()
    }
}

/// A petition the team received by phone, letter, the box or in person, `PUT` under an id the
/// device chose.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PetitionDraft {
    /// Any channel but `online`, which only the public page takes.
    pub channel: Channel,
    #[serde(deserialize_with = "validate::de_date")]
    pub received_on: NaiveDate,
    #[cfg_attr(feature = "openapi", schema(max_length = 2000))]
    pub content: String,
    /// Whom or what it concerns.
    #[serde(default)]
    pub concerns: String,
    /// How to reach the petitioner; empty when anonymous.
    #[serde(default)]
    pub contact: String,
}

impl PetitionDraft {
    pub fn validate(&self) -> Result<(), FieldError> {
        let mut c = validate::Checker::new();
        if self.channel == Channel::Online {
            c.check("channel", Err(Problem::NotAllowed));
        }
        c.check("received_on", validate::date(self.received_on));
        text_fields(&mut c, &self.content, &self.concerns, &self.contact);
        c.finish()
    }
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Petition {
    pub id: String,
    pub target_id: String,
    pub org_name: String,
    pub channel: Channel,
    pub received_on: NaiveDate,
    pub content: String,
    pub concerns: String,
    /// For the team leader only; `None` for everyone else, and for an anonymous petition.
    pub contact: Option<String>,
    /// Whether the petitioner left no contact (everyone may know that much).
    pub anonymous: bool,
    pub status: PetitionStatus,
    /// `None` until triaged.
    pub outcome: Option<Outcome>,
    pub finding_id: Option<String>,
    pub clue_id: Option<String>,
    /// The competent office it was passed to (转办).
    pub transfer_to: String,
    /// Why no action, or the team's note on the triage.
    pub reason: String,
    /// The short answer the petitioner reads with their tracking code.
    pub public_answer: String,
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub triaged_at: Option<DateTime<Utc>>,
    #[serde(default)]
    pub files: Vec<AttachedFile>,
}

/// The team's triage (分办) and the answer the petitioner will read.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Triage {
    pub outcome: Outcome,
    /// The finding it became (source 信访举报, same target).
    #[serde(default)]
    pub finding_id: Option<String>,
    /// The clue it became (source 信访举报, naming this petition).
    #[serde(default)]
    pub clue_id: Option<String>,
    #[serde(default)]
    pub transfer_to: String,
    #[serde(default)]
    pub reason: String,
    pub status: PetitionStatus,
    #[serde(default)]
    pub public_answer: String,
    /// The version the triage was decided on; another edit in between is refused (409 `stale`).
    pub base_version: i64,
}

impl Triage {
    pub fn validate(&self) -> Result<(), FieldError> {
        let mut c = validate::Checker::new();
        let needs = |v: &Option<String>| match v {
            Some(id) => validate::client_id(id),
            None => Err(Problem::Required),
        };
        match self.outcome {
            Outcome::Finding => {
                c.check("finding_id", needs(&self.finding_id));
            }
            Outcome::Clue => {
                c.check("clue_id", needs(&self.clue_id));
            }
            Outcome::Transfer => {
                c.check(
                    "transfer_to",
                    validate::required_text(&self.transfer_to, validate::NAME_MAX),
                );
            }
            Outcome::NoAction => {
                c.check("reason", validate::required_text(&self.reason, REASON_MAX));
            }
        }
        if self.outcome != Outcome::Transfer {
            c.check(
                "transfer_to",
                validate::optional_text(&self.transfer_to, validate::NAME_MAX),
            );
        }
        if self.outcome != Outcome::NoAction {
            c.check("reason", validate::optional_text(&self.reason, REASON_MAX));
        }
        if self.status == PetitionStatus::Received {
            c.check("status", Err(Problem::NotAllowed));
        }
        // What the petitioner reads when it is over must say something.
        if self.status == PetitionStatus::Concluded {
            c.check(
                "public_answer",
                validate::required_text(&self.public_answer, ANSWER_MAX),
            );
        } else {
            c.check(
                "public_answer",
                validate::optional_text(&self.public_answer, ANSWER_MAX),
            );
        }
        c.finish()
    }
}

/// The stationing notice (巡察公告) posted in the village.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StationingNotice {
    pub target_id: String,
    pub org_id: String,
    pub org_name: String,
    pub team_name: String,
    /// The team's phone for petitions.
    pub phone: String,
    /// Where the post box hangs.
    pub box_location: String,
    /// What the team accepts; the customary wording when the office wrote none.
    pub scope: String,
    pub station_start: Option<NaiveDate>,
    pub station_end: Option<NaiveDate>,
    /// Days after the stationing ends during which the page still takes petitions.
    pub grace_days: i64,
    /// Whether the public page takes petitions today.
    pub open: bool,
    /// The village's petition page, as the QR code on the notice leads to it.
    pub petition_path: String,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NoticeDraft {
    pub phone: String,
    #[serde(default)]
    pub box_location: String,
    #[serde(default)]
    pub scope: String,
    #[serde(default)]
    pub grace_days: i64,
}

impl NoticeDraft {
    pub fn validate(&self) -> Result<(), FieldError> {
        let mut c = validate::Checker::new();
        c.check(
            "phone",
            validate::required_text(&self.phone, validate::NAME_MAX),
        )
        .check(
            "box_location",
            validate::optional_text(&self.box_location, validate::NAME_MAX),
        )
        .check("scope", validate::optional_text(&self.scope, REASON_MAX))
        .check(
            "grace_days",
            if (0..=GRACE_DAYS_MAX).contains(&self.grace_days) {
                Ok(())
            } else {
                Err(Problem::OutOfRange {
                    min: 0,
                    max: GRACE_DAYS_MAX,
                })
            },
        );
        c.finish()
    }
}

/// What the notice says the team accepts when the office wrote nothing else.
pub const CUSTOMARY_SCOPE: &str =
    "主要受理反映本村（社区）党组织和党员干部违反政治纪律、组织纪律、廉洁纪律、群众纪律、工作纪律和生活纪律等方面问题的来信来电来访。";

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LedgerRow {
    pub id: String,
    pub target_id: String,
    pub org_name: String,
    pub team_name: String,
    pub channel: Channel,
    pub received_on: NaiveDate,
    pub status: PetitionStatus,
    pub outcome: Option<Outcome>,
    pub transfer_to: String,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChannelCount {
    pub channel: Channel,
    pub count: i64,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OutcomeCount {
    /// `None`: not yet triaged.
    pub outcome: Option<Outcome>,
    pub count: i64,
}

/// A round's petitions (信访举报台账) as far as the reader reaches.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PetitionLedger {
    pub round_id: String,
    pub rows: Vec<LedgerRow>,
    pub by_channel: Vec<ChannelCount>,
    pub by_outcome: Vec<OutcomeCount>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn triage(outcome: Outcome) -> Triage {
        Triage {
            outcome,
            finding_id: None,
            clue_id: None,
            transfer_to: String::new(),
            reason: String::new(),
            status: PetitionStatus::Handling,
            public_answer: String::new(),
            base_version: 1,
        }
    }

    #[test]
    fn a_triage_names_what_it_became_and_a_conclusion_answers() {
        let e = triage(Outcome::Clue).validate().unwrap_err();
        assert_eq!(e.field, "clue_id");
        let e = triage(Outcome::Transfer).validate().unwrap_err();
        assert_eq!(e.field, "transfer_to");
        let e = triage(Outcome::NoAction).validate().unwrap_err();
        assert_eq!(e.field, "reason");
        let mut t = triage(Outcome::Transfer);
        t.transfer_to = "镇农经站".into();
        assert!(t.validate().is_ok());
        t.status = PetitionStatus::Concluded;
        assert_eq!(t.validate().unwrap_err().field, "public_answer");
        t.public_answer = "已转镇农经站办理。".into();
        assert!(t.validate().is_ok());
    }

    #[test]
    fn the_team_does_not_enter_online_petitions() {
        let d = PetitionDraft {
            channel: Channel::Online,
            received_on: NaiveDate::from_ymd_opt(2026, 5, 1).unwrap(),
            content: "x".into(),
            concerns: String::new(),
            contact: String::new(),
        };
        assert_eq!(d.validate().unwrap_err().field, "channel");
    }
}
