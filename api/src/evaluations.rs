//! Democratic evaluation (民主测评) and the three rates (三率): respondents with one-time codes
//! rate the village's leadership team and its secretary and answer whether they knew of the
//! inspection, took part and are satisfied. Anonymous by construction: what is stored is counts,
//! never a response that could be tied to a code, a person or a moment.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::validate;
use crate::{FieldError, Lang, Problem};

words! {
    /// 好 / 较好 / 一般 / 差
    Rating {
        Good = "good", "好", "Good";
        Fair = "fair", "较好", "Fairly good";
        Average = "average", "一般", "Average";
        Poor = "poor", "差", "Poor";
    }
}

words! {
    /// Who is rated.
    Subject {
        Team = "team", "领导班子", "The leadership team";
        Secretary = "secretary", "党组织书记", "The Party secretary";
    }
}

words! {
    /// On what.
    Dimension {
        Political = "political", "政治表现", "Political conduct";
        Duty = "duty", "履职尽责", "Fulfilling duties";
        Integrity = "integrity", "廉洁自律", "Integrity";
        Style = "style", "作风建设", "Work style";
        People = "people", "联系群众", "Close to the people";
    }
}

words! {
    /// The three-rates questions (三率), each answered yes or no.
    RateQuestion {
        Know = "know", "您是否知道巡察组进驻本村（社区）开展巡察？", "Did you know the inspection team was here?";
        TookPart = "took_part", "您是否参与了巡察（如谈话、座谈、反映问题、填写测评）？", "Did you take part (a talk, a meeting, a report, this survey)?";
        Satisfied = "satisfied", "您对本次巡察及整改工作是否满意？", "Are you satisfied with the inspection and the rectification?";
    }
}

pub const COMMENT_MAX: usize = 500;
pub const CODES_MAX: i64 = 500;
/// Below this many responses no result shows: a handful could be told apart.
pub const THRESHOLD_MIN: i64 = 3;
pub const THRESHOLD_DEFAULT: i64 = 5;

/// The key a rating is counted under: `team.integrity`.
pub fn rating_key(subject: Subject, dimension: Dimension) -> String {
    format!("{}.{}", subject.as_str(), dimension.as_str())
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewEvaluation {
    #[cfg_attr(feature = "openapi", schema(max_length = 60))]
    pub title: String,
    /// How many one-time codes to make: the respondents planned.
    pub codes: i64,
    /// Responses needed before any result shows (at least 3).
    #[serde(default = "default_threshold")]
    pub threshold: i64,
}

fn default_threshold() -> i64 {
    THRESHOLD_DEFAULT
}

impl NewEvaluation {
    pub fn validate(&self) -> Result<(), FieldError> {
        let mut c = validate::Checker::new();
        c.check(
            "title",
            validate::required_text(&self.title, validate::NAME_MAX),
        )
        .check("codes", in_range(self.codes, 1, CODES_MAX))
        .check(
            "threshold",
            in_range(self.threshold, THRESHOLD_MIN, CODES_MAX),
        );
        c.finish()
    }
}

fn in_range(v: i64, min: i64, max: i64) -> Result<(), Problem> {
    if (min..=max).contains(&v) {
        Ok(())
    } else {
        Err(Problem::OutOfRange { min, max })
    }
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Evaluation {
    pub id: String,
    pub target_id: String,
    pub org_name: String,
    pub title: String,
    pub threshold: i64,
    pub codes_total: i64,
    pub codes_used: i64,
    /// Responses online and on paper.
    pub responses: i64,
    pub created_at: DateTime<Utc>,
}

/// A made evaluation with its codes: shown this once to be printed, kept only as hashes.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CreatedEvaluation {
    pub evaluation: Evaluation,
    pub slips: Vec<Slip>,
}

/// One cut-out slip: the code, the page it opens, and that page as a QR code (SVG).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Slip {
    pub code: String,
    pub path: String,
    pub qr_svg: String,
}

/// One respondent's answers.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Ballot {
    /// `rating_key` → rating, every subject on every dimension.
    pub ratings: Vec<(String, Rating)>,
    pub know: Option<bool>,
    pub took_part: Option<bool>,
    pub satisfied: Option<bool>,
    pub comment: String,
}

impl Ballot {
    /// The first question left unanswered or answered twice, by its key.
    pub fn validate(&self) -> Result<(), FieldError> {
        for s in Subject::ALL {
            for d in Dimension::ALL {
                let key = rating_key(*s, *d);
                if self.ratings.iter().filter(|(k, _)| *k == key).count() != 1 {
                    return Err(FieldError::new(key, Problem::Required));
                }
            }
        }
        if self.ratings.len() != Subject::ALL.len() * Dimension::ALL.len() {
            return Err(FieldError::new("ratings", Problem::NotAllowed));
        }
        for (q, a) in [
            (RateQuestion::Know, self.know),
            (RateQuestion::TookPart, self.took_part),
            (RateQuestion::Satisfied, self.satisfied),
        ] {
            if a.is_none() {
                return Err(FieldError::new(q.as_str(), Problem::Required));
            }
        }
        validate::optional_text(&self.comment, COMMENT_MAX)
            .map_err(|p| FieldError::new("comment", p))
    }
}

/// Paper ballots the team counted, entered at once: how many, and per question how many gave
/// each answer (`yes`/`no` for the three rates).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PaperBallots {
    /// Made once on the device for this entry and kept across retries: an entry sent again
    /// after its reply was lost is not counted twice.
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 64))]
    pub id: String,
    pub ballots: i64,
    pub counts: Vec<AnswerCount>,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AnswerCount {
    /// A `rating_key` or a three-rates question.
    pub question: String,
    /// A rating, or `yes` / `no`.
    pub answer: String,
    pub count: i64,
}

/// Every question's key and the answers it takes.
pub fn questions() -> Vec<(String, Vec<&'static str>)> {
    let ratings: Vec<&'static str> = Rating::ALL.iter().map(|r| r.as_str()).collect();
    let mut all = Vec::new();
    for s in Subject::ALL {
        for d in Dimension::ALL {
            all.push((rating_key(*s, *d), ratings.clone()));
        }
    }
    for q in RateQuestion::ALL {
        all.push((q.as_str().to_string(), vec!["yes", "no"]));
    }
    all
}

impl PaperBallots {
    /// Every question's counts add up to the ballots (a blank is not an answer here: the team
    /// counts only complete ballots), each answer one the question takes.
    pub fn validate(&self) -> Result<(), FieldError> {
        validate::required_text(&self.id, 64).map_err(|p| FieldError::new("id", p))?;
        if !(1..=CODES_MAX * 10).contains(&self.ballots) {
            return Err(FieldError::new(
                "ballots",
                Problem::OutOfRange {
                    min: 1,
                    max: CODES_MAX * 10,
                },
            ));
        }
        for (key, answers) in questions() {
            let mut sum = 0;
            for c in self.counts.iter().filter(|c| c.question == key) {
                if !answers.contains(&c.answer.as_str()) || c.count < 0 {
                    return Err(FieldError::new(key, Problem::NotAllowed));
                }
                sum += c.count;
            }
            if sum != self.ballots {
                return Err(FieldError::new(key, Problem::NotAllowed));
            }
        }
        if self
            .counts
            .iter()
            .any(|c| !questions().iter().any(|(k, _)| *k == c.question))
        {
            return Err(FieldError::new("counts", Problem::NotAllowed));
        }
        Ok(())
    }
}

/// A question's short name, as a table of counts heads its row: 领导班子·廉洁自律, 知晓.
pub fn question_label(key: &str, lang: Lang) -> String {
    if let Some(q) = RateQuestion::parse(key) {
        return match q {
            RateQuestion::Know => lang.pick("知晓（是否知道巡察组进驻）", "Knew of the inspection"),
            RateQuestion::TookPart => lang.pick("参与（是否参与巡察）", "Took part"),
            RateQuestion::Satisfied => lang.pick("满意（是否满意巡察及整改）", "Satisfied"),
        }
        .to_string();
    }
    key.split_once('.')
        .and_then(|(s, d)| Some((Subject::parse(s)?, Dimension::parse(d)?)))
        .map(|(s, d)| format!("{}·{}", s.label(lang), d.label(lang)))
        .unwrap_or_else(|| key.to_string())
}

/// An answer's name: 好 … 差, 是 or 否.
pub fn answer_label(answer: &str, lang: Lang) -> &'static str {
    match answer {
        "yes" => lang.pick("是", "Yes"),
        "no" => lang.pick("否", "No"),
        other => Rating::parse(other).map_or("?", |r| r.label(lang)),
    }
}

/// Slips to print as a Word document: the codes just made (they are shown this once), each
/// an unused code of the evaluation.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SlipCodes {
    #[cfg_attr(feature = "openapi", schema(min_items = 1, max_items = 500))]
    pub codes: Vec<String>,
}

impl SlipCodes {
    pub fn validate(&self) -> Result<(), FieldError> {
        if self.codes.is_empty() {
            return Err(FieldError::new("codes", Problem::Required));
        }
        if self.codes.len() > CODES_MAX as usize {
            return Err(FieldError::new(
                "codes",
                Problem::TooMany {
                    max: CODES_MAX as usize,
                },
            ));
        }
        Ok(())
    }
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ResultRow {
    pub subject: Subject,
    pub dimension: Dimension,
    /// Counts of 好, 较好, 一般, 差, in that order.
    pub counts: [i64; 4],
    /// 好 and 较好 together, in percent of the responses.
    pub good_percent: f64,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Results {
    pub evaluation: Evaluation,
    /// Whether enough responses arrived for anything to show; when not, every figure is empty.
    pub shown: bool,
    pub paper: i64,
    pub rows: Vec<ResultRow>,
    /// 好 and 较好 over every rating, in percent.
    pub overall_good_percent: Option<f64>,
    /// 知晓率, 参与率, 满意率 in percent.
    pub know_rate: Option<f64>,
    pub part_rate: Option<f64>,
    pub satisfied_rate: Option<f64>,
    /// In no order that tells when each came.
    pub comments: Vec<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn full() -> Ballot {
        let mut b = Ballot {
            know: Some(true),
            took_part: Some(false),
            satisfied: Some(true),
            ..Ballot::default()
        };
        for s in Subject::ALL {
            for d in Dimension::ALL {
                b.ratings.push((rating_key(*s, *d), Rating::Good));
            }
        }
        b
    }

    #[test]
    fn a_ballot_answers_every_question_once() {
        assert!(full().validate().is_ok());
        let mut b = full();
        b.ratings.pop();
        assert_eq!(b.validate().unwrap_err().field, "secretary.people");
        let mut b = full();
        b.ratings.push(("team.duty".into(), Rating::Poor));
        assert_eq!(b.validate().unwrap_err().field, "team.duty");
        let mut b = full();
        b.satisfied = None;
        assert_eq!(b.validate().unwrap_err().field, "satisfied");
    }

    #[test]
    fn paper_counts_add_up_to_the_ballots() {
        let mut counts = Vec::new();
        for (key, answers) in questions() {
            counts.push(AnswerCount {
                question: key,
                answer: answers[0].to_string(),
                count: 3,
            });
        }
        let ok = PaperBallots {
            id: "entry".into(),
            ballots: 3,
            counts,
        };
        assert!(ok.validate().is_ok());
        let mut short = ok.clone();
        short.counts[0].count = 2;
        assert_eq!(short.validate().unwrap_err().field, "team.political");
        let mut wrong = ok.clone();
        wrong.counts[0].answer = "yes".into();
        assert!(wrong.validate().is_err());
        let mut nameless = ok.clone();
        nameless.id = String::new();
        assert_eq!(nameless.validate().unwrap_err().field, "id");
    }

    #[test]
    fn every_question_and_answer_has_a_short_name() {
        for (key, answers) in questions() {
            for lang in [Lang::Zh, Lang::En] {
                assert_ne!(question_label(&key, lang), key);
                for a in &answers {
                    assert_ne!(answer_label(a, lang), "?");
                }
            }
        }
        assert_eq!(
            question_label("secretary.integrity", Lang::Zh),
            "党组织书记·廉洁自律"
        );
    }
}
