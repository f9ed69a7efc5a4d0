//! Evaluations in the database. A response is counted, not kept: its code flips to used and
//! each answer adds one to a count, in one transaction, so nothing stored can be traced back to
//! who answered with which code, or when beyond the day.

use chrono::NaiveDate;
use serde_json::json;
use sha2::{Digest, Sha256};
use sqlx::{AnyConnection, Row};
use xuncha_api::evaluations::{
    questions, rating_key, Ballot, CreatedEvaluation, Dimension, Evaluation, NewEvaluation,
    PaperBallots, Rating, ResultRow, Results, Slip, SlipCodes, Subject,
};
use xuncha_api::{FieldError, Problem};

use crate::access::{self, Actor, Grant, Object};
use crate::db::{self, Columns, Tx};
use crate::{audit, Error, Result};

/// Crockford's base32 without I, L, O, U: nothing to misread on a printed slip.
const ALPHABET: &[u8] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
/// 10 characters, 50 bits: far beyond guessing at the lookup rate allowed.
const CODE_LEN: usize = 10;

pub fn new_code() -> String {
    use argon2::password_hash::rand_core::{OsRng, RngCore};
    let mut bytes = [0u8; CODE_LEN];
    OsRng.fill_bytes(&mut bytes);
    let chars: String = bytes
        .iter()
        .map(|b| char::from(ALPHABET[usize::from(*b) % ALPHABET.len()]))
        .collect();
    format!("{}-{}", &chars[..5], &chars[5..])
}

/// A code as typed: case, spaces and dashes forgiven, the letters people confuse read as the
/// digits they look like.
pub fn normalise_code(typed: &str) -> Option<String> {
    let chars: String = typed
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| match c.to_ascii_uppercase() {
            'I' | 'L' => '1',
            'O' => '0',
            c => c,
        })
        .collect();
    (chars.len() == CODE_LEN && chars.bytes().all(|b| ALPHABET.contains(&b)))
        .then(|| format!("{}-{}", &chars[..5], &chars[5..]))
}

fn code_hash(code: &str) -> String {
    hex::encode(Sha256::digest(code.as_bytes()))
}

pub fn slip_path(code: &str) -> String {
    format!("/ceping?code={code}")
}

// PostgreSQL sums BIGINT as NUMERIC, which `sqlx::any` cannot read: every sum is cast back.
const VIEW: &str = "SELECT e.id, e.target_id, e.title, e.threshold, e.created_at, o.name AS org_name, \
     (SELECT COUNT(*) FROM evaluation_codes c WHERE c.evaluation_id = e.id) AS codes_total, \
     (SELECT CAST(COALESCE(SUM(c.used), 0) AS BIGINT) FROM evaluation_codes c WHERE c.evaluation_id = e.id) AS codes_used, \
     (SELECT CAST(COALESCE(SUM(b.count), 0) AS BIGINT) FROM evaluation_ballots b WHERE b.evaluation_id = e.id) AS responses \
     FROM evaluations e JOIN targets tg ON tg.id = e.target_id JOIN orgs o ON o.id = tg.org_id";

async fn views(conn: &mut AnyConnection, filter: &str, key: &str) -> Result<Vec<Evaluation>> {
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "{VIEW} WHERE {filter} = $1 ORDER BY e.created_at"
    )))
    .bind(key)
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(Evaluation {
                id: r.try_get("id")?,
                target_id: r.try_get("target_id")?,
                org_name: r.try_get("org_name")?,
                title: r.try_get("title")?,
                threshold: r.try_get("threshold")?,
                codes_total: r.try_get("codes_total")?,
                codes_used: r.try_get("codes_used")?,
                responses: r.try_get("responses")?,
                created_at: r.timestamp("created_at")?,
            })
        })
        .collect()
}

async fn one(conn: &mut AnyConnection, id: &str) -> Result<Evaluation> {
    views(conn, "e.id", id).await?.pop().ok_or(Error::NotFound)
}

/// The evaluation's target, if the actor's access there reaches `needed`.
async fn access_to(
    conn: &mut AnyConnection,
    actor: &Actor,
    id: &str,
    needed: Grant,
) -> Result<String> {
    access::role_may(actor, Object::Evaluation, needed)?;
    let target: String = sqlx::query_scalar("SELECT target_id FROM evaluations WHERE id = $1")
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(Error::NotFound)?;
    access::on_target(conn, actor, &target, Object::Evaluation, needed).await?;
    Ok(target)
}

/// Makes an evaluation and its codes; the codes are in this answer only, to be printed.
pub async fn create(
    tx: &mut Tx<'_>,
    actor: &Actor,
    target_id: &str,
    req: &NewEvaluation,
    qr: impl Fn(&str) -> Result<String>,
) -> Result<CreatedEvaluation> {
    access::on_target(tx, actor, target_id, Object::Evaluation, Grant::Write).await?;
    req.validate().map_err(Error::Invalid)?;
    let id = db::new_id();
    sqlx::query(
        "INSERT INTO evaluations (id, target_id, title, threshold, created_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(&id)
    .bind(target_id)
    .bind(req.title.trim())
    .bind(req.threshold)
    .bind(&actor.id)
    .bind(db::ts(db::now()))
    .execute(&mut **tx)
    .await?;
    let mut slips = Vec::with_capacity(req.codes as usize);
    while slips.len() < req.codes as usize {
        let code = new_code();
        let inserted = sqlx::query(
            "INSERT INTO evaluation_codes (code_hash, evaluation_id) VALUES ($1, $2) \
             ON CONFLICT (code_hash) DO NOTHING",
        )
        .bind(code_hash(&code))
        .bind(&id)
        .execute(&mut **tx)
        .await?
        .rows_affected();
        if inserted == 1 {
            let path = slip_path(&code);
            slips.push(Slip {
                qr_svg: qr(&path)?,
                path,
                code,
            });
        }
    }
    audit::record(
        tx,
        Some(actor),
        "evaluation.create",
        "evaluation",
        Some(&id),
        json!({ "target_id": target_id, "codes": req.codes, "threshold": req.threshold }),
    );
    Ok(CreatedEvaluation {
        evaluation: one(tx, &id).await?,
        slips,
    })
}

pub async fn list(
    conn: &mut AnyConnection,
    actor: &Actor,
    target_id: &str,
) -> Result<Vec<Evaluation>> {
    access::on_target(conn, actor, target_id, Object::Evaluation, Grant::Read).await?;
    views(conn, "e.target_id", target_id).await
}

async fn add(
    tx: &mut Tx<'_>,
    id: &str,
    question: &str,
    answer: &str,
    paper: bool,
    count: i64,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO evaluation_tallies (evaluation_id, question, answer, paper, count) \
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (evaluation_id, question, answer, paper) \
         DO UPDATE SET count = evaluation_tallies.count + excluded.count",
    )
    .bind(id)
    .bind(question)
    .bind(answer)
    .bind(db::flag(paper))
    .bind(count)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

async fn add_ballots(tx: &mut Tx<'_>, id: &str, day: NaiveDate, paper: bool, n: i64) -> Result<()> {
    sqlx::query(
        "INSERT INTO evaluation_ballots (evaluation_id, day, paper, count) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (evaluation_id, day, paper) DO UPDATE SET count = evaluation_ballots.count + excluded.count",
    )
    .bind(id)
    .bind(db::date_text(day))
    .bind(db::flag(paper))
    .bind(n)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Paper ballots the team counted, added at once.
pub async fn paper(
    tx: &mut Tx<'_>,
    actor: &Actor,
    id: &str,
    req: &PaperBallots,
) -> Result<Results> {
    access_to(tx, actor, id, Grant::Write).await?;
    req.validate().map_err(Error::Invalid)?;
    let today = db::now().date_naive();
    // Of two sends of one entry (a retry after a lost reply, or both at once) one is counted;
    // the other reads the results it made.
    let entered = sqlx::query(
        "INSERT INTO evaluation_paper_entries (id, evaluation_id, ballots, day) \
         VALUES ($1, $2, $3, $4) ON CONFLICT (id) DO NOTHING",
    )
    .bind(&req.id)
    .bind(id)
    .bind(req.ballots)
    .bind(db::date_text(today))
    .execute(&mut **tx)
    .await?
    .rows_affected();
    if entered == 0 {
        let (of, ballots): (String, i64) = sqlx::query_as(
            "SELECT evaluation_id, ballots FROM evaluation_paper_entries WHERE id = $1",
        )
        .bind(&req.id)
        .fetch_one(&mut **tx)
        .await?;
        if of != id || ballots != req.ballots {
            return Err(Error::Conflict(FieldError::new("id", Problem::Taken)));
        }
        return results_of(tx, id).await;
    }
    for c in req.counts.iter().filter(|c| c.count > 0) {
        add(tx, id, &c.question, &c.answer, true, c.count).await?;
    }
    add_ballots(tx, id, today, true, req.ballots).await?;
    audit::record(
        tx,
        Some(actor),
        "evaluation.paper",
        "evaluation",
        Some(id),
        json!({ "ballots": req.ballots }),
    );
    results_of(tx, id).await
}

/// The evaluation whose slips are printed from `codes`, if every one is an unused code of it.
pub async fn for_slips(
    conn: &mut AnyConnection,
    actor: &Actor,
    id: &str,
    codes: &SlipCodes,
) -> Result<(Evaluation, Vec<String>)> {
    access_to(conn, actor, id, Grant::Write).await?;
    codes.validate().map_err(Error::Invalid)?;
    let mut normal = Vec::with_capacity(codes.codes.len());
    for typed in &codes.codes {
        let unused = match normalise_code(typed) {
            Some(code) => {
                let n: i64 = sqlx::query_scalar(
                    "SELECT COUNT(*) FROM evaluation_codes \
                     WHERE code_hash = $1 AND evaluation_id = $2 AND used = 0",
                )
                .bind(code_hash(&code))
                .bind(id)
                .fetch_one(&mut *conn)
                .await?;
                (n == 1).then_some(code)
            }
            None => None,
        };
        // Which one is not said: the message must not help anyone guess codes.
        normal.push(unused.ok_or(Error::Invalid(FieldError::new(
            "codes",
            Problem::UnknownReference,
        )))?);
    }
    Ok((one(conn, id).await?, normal))
}

/// What a slip's code opens: the evaluation's id, organisation and title, and whether the
/// code was used already.
pub struct Opened {
    pub evaluation_id: String,
    pub org_name: String,
    pub title: String,
    pub used: bool,
}

pub async fn open(conn: &mut AnyConnection, code: &str) -> Result<Option<Opened>> {
    let row = sqlx::query(
        "SELECT c.used, e.id, e.title, o.name AS org_name FROM evaluation_codes c \
         JOIN evaluations e ON e.id = c.evaluation_id JOIN targets tg ON tg.id = e.target_id \
         JOIN orgs o ON o.id = tg.org_id WHERE c.code_hash = $1",
    )
    .bind(code_hash(code))
    .fetch_optional(conn)
    .await?;
    row.map(|r| {
        Ok(Opened {
            evaluation_id: r.try_get("id")?,
            org_name: r.try_get("org_name")?,
            title: r.try_get("title")?,
            used: r.try_get::<i64, _>("used")? != 0,
        })
    })
    .transpose()
}

/// Counts one respondent's answers with their code, which works once: of two sends at the
/// same moment one is counted, the other is told the code was used.
pub async fn respond(tx: &mut Tx<'_>, code: &str, ballot: &Ballot) -> Result<()> {
    ballot.validate().map_err(Error::Invalid)?;
    let hash = code_hash(code);
    let evaluation: Option<String> =
        sqlx::query_scalar("SELECT evaluation_id FROM evaluation_codes WHERE code_hash = $1")
            .bind(&hash)
            .fetch_optional(&mut **tx)
            .await?;
    let evaluation = evaluation.ok_or(Error::NotFound)?;
    let flipped =
        sqlx::query("UPDATE evaluation_codes SET used = 1 WHERE code_hash = $1 AND used = 0")
            .bind(&hash)
            .execute(&mut **tx)
            .await?
            .rows_affected();
    if flipped == 0 {
        return Err(Error::Conflict(FieldError::new("code", Problem::Taken)));
    }
    for (key, rating) in &ballot.ratings {
        add(tx, &evaluation, key, rating.as_str(), false, 1).await?;
    }
    for (question, answer) in [
        ("know", ballot.know),
        ("took_part", ballot.took_part),
        ("satisfied", ballot.satisfied),
    ] {
        let answer = if answer == Some(true) { "yes" } else { "no" };
        add(tx, &evaluation, question, answer, false, 1).await?;
    }
    add_ballots(tx, &evaluation, db::now().date_naive(), false, 1).await?;
    if !ballot.comment.trim().is_empty() {
        // A random id, not the time-ordered kind every other record gets.
        sqlx::query(
            "INSERT INTO evaluation_comments (id, evaluation_id, comment) VALUES ($1, $2, $3)",
        )
        .bind(uuid::Uuid::new_v4().to_string())
        .bind(&evaluation)
        .bind(ballot.comment.trim())
        .execute(&mut **tx)
        .await?;
    }
    // That a response arrived for this evaluation, and nothing more.
    audit::record(
        tx,
        None,
        "evaluation.response",
        "evaluation",
        Some(&evaluation),
        json!({}),
    );
    Ok(())
}

pub async fn results(conn: &mut AnyConnection, actor: &Actor, id: &str) -> Result<Results> {
    access_to(conn, actor, id, Grant::Read).await?;
    results_of(conn, id).await
}

fn percent(part: i64, whole: i64) -> Option<f64> {
    (whole > 0).then(|| (part as f64 * 1000.0 / whole as f64).round() / 10.0)
}

async fn results_of(conn: &mut AnyConnection, id: &str) -> Result<Results> {
    let evaluation = one(conn, id).await?;
    let paper: i64 = sqlx::query_scalar(
        "SELECT CAST(COALESCE(SUM(count), 0) AS BIGINT) FROM evaluation_ballots WHERE evaluation_id = $1 AND paper = 1",
    )
    .bind(id)
    .fetch_one(&mut *conn)
    .await?;
    let mut results = Results {
        shown: evaluation.responses >= evaluation.threshold,
        evaluation,
        paper,
        rows: Vec::new(),
        overall_good_percent: None,
        know_rate: None,
        part_rate: None,
        satisfied_rate: None,
        comments: Vec::new(),
    };
    // Below the threshold nothing is computed at all: no figure leaks a handful of answers.
    if !results.shown {
        return Ok(results);
    }
    let tallies: Vec<(String, String, i64)> = sqlx::query_as(
        "SELECT question, answer, CAST(SUM(count) AS BIGINT) FROM evaluation_tallies WHERE evaluation_id = $1 \
         GROUP BY question, answer",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    let count = |q: &str, a: &str| {
        tallies
            .iter()
            .filter(|(tq, ta, _)| tq == q && ta == a)
            .map(|t| t.2)
            .sum::<i64>()
    };
    let n = results.evaluation.responses;
    let (mut good_all, mut all) = (0, 0);
    for s in Subject::ALL {
        for d in Dimension::ALL {
            let key = rating_key(*s, *d);
            let counts = [Rating::Good, Rating::Fair, Rating::Average, Rating::Poor]
                .map(|r| count(&key, r.as_str()));
            let total: i64 = counts.iter().sum();
            good_all += counts[0] + counts[1];
            all += total;
            results.rows.push(ResultRow {
                subject: *s,
                dimension: *d,
                counts,
                good_percent: percent(counts[0] + counts[1], total).unwrap_or(0.0),
            });
        }
    }
    results.overall_good_percent = percent(good_all, all);
    results.know_rate = percent(count("know", "yes"), n);
    results.part_rate = percent(count("took_part", "yes"), n);
    results.satisfied_rate = percent(count("satisfied", "yes"), n);
    let mut comments: Vec<String> =
        sqlx::query_scalar("SELECT comment FROM evaluation_comments WHERE evaluation_id = $1")
            .bind(id)
            .fetch_all(&mut *conn)
            .await?;
    // Sorted by their words: the order shown says nothing of the order they came in.
    comments.sort();
    results.comments = comments;
    debug_assert!(questions().len() == Subject::ALL.len() * Dimension::ALL.len() + 3);
    Ok(results)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_code_reads_back_however_it_is_typed() {
        let code = new_code();
        assert_eq!(code.len(), CODE_LEN + 1);
        assert_eq!(
            normalise_code(&code.to_lowercase()).as_deref(),
            Some(code.as_str())
        );
        assert_eq!(
            normalise_code(&code.replace('-', " ")).as_deref(),
            Some(code.as_str())
        );
        assert_eq!(normalise_code("ABCDE-FGHJ"), None);
        assert_eq!(normalise_code("oooooIIIII").as_deref(), Some("00000-11111"));
        assert_ne!(new_code(), code);
    }
}
