//! Referrals (移交): the office assembles proposed clues under a number and sends them to the
//! discipline inspection organ, which accepts them; feedback is due by a day the office sets,
//! and a referral past it with clues still open is overdue.

use chrono::{Months, NaiveDate};
use serde_json::json;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};
use xuncha_api::clues::{ClueStatus, NewReferral, Referral, ReferralStatus};
use xuncha_api::{FieldError, Problem};

use super::store;
use crate::access::{self, Actor, Grant, Object};
use crate::db::{self, Columns, Tx};
use crate::{audit, Error, Result};

const SELECT: &str = "SELECT r.*, \
     (SELECT COUNT(*) FROM clues c WHERE c.referral_id = r.id) AS clue_count, \
     (SELECT COUNT(*) FROM clues c WHERE c.referral_id = r.id AND c.status = 'concluded') \
       AS concluded_count FROM referrals r";

fn from_row(r: &AnyRow, today: NaiveDate) -> Result<Referral> {
    let status = r.enumerated("status", ReferralStatus::parse)?;
    let feedback_due = r.date("feedback_due")?;
    let clue_count: i64 = r.try_get("clue_count")?;
    let concluded_count: i64 = r.try_get("concluded_count")?;
    Ok(Referral {
        id: r.try_get("id")?,
        number: r.try_get("number")?,
        referred_on: r.date("referred_on")?,
        cover_letter: r.try_get("cover_letter")?,
        status,
        feedback_due,
        sent_at: r.timestamp_opt("sent_at")?,
        accepted_at: r.timestamp_opt("accepted_at")?,
        clue_count,
        concluded_count,
        overdue: status != ReferralStatus::Draft
            && today > feedback_due
            && concluded_count < clue_count,
        clues: Vec::new(),
    })
}

fn today() -> NaiveDate {
    chrono::Utc::now().date_naive()
}

/// Every referral, newest first, with counts only: no clue's content, so not a logged read.
pub async fn list(conn: &mut AnyConnection, actor: &Actor) -> Result<Vec<Referral>> {
    access::on_office(actor, Object::Referral, Grant::Read)?;
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "{SELECT} ORDER BY r.referred_on DESC, r.created_at DESC"
    )))
    .fetch_all(conn)
    .await?;
    let today = today();
    rows.iter().map(|r| from_row(r, today)).collect()
}

async fn one(conn: &mut AnyConnection, id: &str) -> Result<Referral> {
    let row = sqlx::query(sqlx::AssertSqlSafe(format!("{SELECT} WHERE r.id = $1")))
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(Error::NotFound)?;
    let mut referral = from_row(&row, today())?;
    referral.clues = store::load(conn, "c.referral_id = $1", id).await?;
    Ok(referral)
}

/// A referral with its clues as an answer shows them: the read is logged for each clue.
pub async fn shown(tx: &mut Tx<'_>, actor: &Actor, id: &str, endpoint: &str) -> Result<Referral> {
    let referral = one(tx, id).await?;
    let ids: Vec<&str> = referral.clues.iter().map(|c| c.id.as_str()).collect();
    audit::record_read(tx, actor, "clue", &ids, endpoint).await?;
    Ok(referral)
}

/// One referral with its clues (the list to print).
pub async fn get(tx: &mut Tx<'_>, actor: &Actor, id: &str, endpoint: &str) -> Result<Referral> {
    access::on_office(actor, Object::Referral, Grant::Read)?;
    shown(tx, actor, id, endpoint).await
}

/// The office assembles a referral from proposed clues that are in no other referral.
/// The new referral's id.
pub async fn create(tx: &mut Tx<'_>, actor: &Actor, req: &NewReferral) -> Result<String> {
    access::on_office(actor, Object::Referral, Grant::Lead)?;
    req.validate().map_err(Error::Invalid)?;
    let clues = store::many(tx, &req.clue_ids).await?;
    let mut wanted: Vec<&str> = req.clue_ids.iter().map(String::as_str).collect();
    wanted.sort_unstable();
    wanted.dedup();
    if clues.len() != wanted.len()
        || clues
            .iter()
            .any(|c| c.status != ClueStatus::Proposed || c.referral_id.is_some())
    {
        return Err(Error::invalid("clue_ids", Problem::NotAllowed));
    }
    let taken: Option<String> = sqlx::query_scalar("SELECT id FROM referrals WHERE number = $1")
        .bind(req.number.trim())
        .fetch_optional(&mut **tx)
        .await?;
    if taken.is_some() {
        return Err(Error::Conflict(FieldError::new("number", Problem::Taken)));
    }
    let id = db::new_id();
    let due = req
        .referred_on
        .checked_add_months(Months::new(req.feedback_months))
        .ok_or_else(|| Error::invalid("referred_on", Problem::NotAllowed))?;
    sqlx::query(
        "INSERT INTO referrals (id, number, referred_on, cover_letter, status, feedback_due, \
         created_by, created_at) VALUES ($1, $2, $3, $4, 'draft', $5, $6, $7)",
    )
    .bind(&id)
    .bind(req.number.trim())
    .bind(db::date_text(req.referred_on))
    .bind(req.cover_letter.trim())
    .bind(db::date_text(due))
    .bind(&actor.id)
    .bind(db::ts(db::now()))
    .execute(&mut **tx)
    .await?;
    for clue in &clues {
        let joined = sqlx::query(
            "UPDATE clues SET referral_id = $1 WHERE id = $2 AND status = 'proposed' \
             AND referral_id IS NULL",
        )
        .bind(&id)
        .bind(&clue.id)
        .execute(&mut **tx)
        .await?
        .rows_affected();
        if joined == 0 {
            return Err(Error::invalid("clue_ids", Problem::NotAllowed));
        }
    }
    audit::record(
        tx,
        Some(actor),
        "referral.create",
        "referral",
        Some(&id),
        json!({ "number": req.number.trim(), "clue_ids": wanted, "feedback_due": due }),
    );
    Ok(id)
}

/// Moves a referral and every clue in it, each clue with a history line.
async fn advance(
    tx: &mut Tx<'_>,
    actor: &Actor,
    id: &str,
    (from, to): (ReferralStatus, ReferralStatus),
    (clue_from, clue_to): (ClueStatus, ClueStatus),
) -> Result<()> {
    let now = db::ts(db::now());
    let (at, by) = match to {
        ReferralStatus::Sent => ("sent_at", "sent_by"),
        _ => ("accepted_at", "accepted_by"),
    };
    let exists: Option<String> = sqlx::query_scalar("SELECT status FROM referrals WHERE id = $1")
        .bind(id)
        .fetch_optional(&mut **tx)
        .await?;
    exists.ok_or(Error::NotFound)?;
    let moved = sqlx::query(sqlx::AssertSqlSafe(format!(
        "UPDATE referrals SET status = $1, {at} = $2, {by} = $3 WHERE id = $4 AND status = $5"
    )))
    .bind(to.as_str())
    .bind(&now)
    .bind(&actor.id)
    .bind(id)
    .bind(from.as_str())
    .execute(&mut **tx)
    .await?
    .rows_affected();
    if moved == 0 {
        return Err(Error::Conflict(FieldError::new(
            "status",
            Problem::NotAllowed,
        )));
    }
    let clue_ids: Vec<String> =
        sqlx::query_scalar("SELECT id FROM clues WHERE referral_id = $1 ORDER BY id")
            .bind(id)
            .fetch_all(&mut **tx)
            .await?;
    for clue in &clue_ids {
        if !store::shift(tx, clue, clue_from, clue_to).await? {
            return Err(Error::Conflict(FieldError::new(
                "status",
                Problem::NotAllowed,
            )));
        }
        store::event(
            tx,
            actor,
            clue,
            Some(clue_from),
            clue_to,
            None,
            None,
            None,
            "",
        )
        .await?;
    }
    audit::record(
        tx,
        Some(actor),
        &format!("referral.{}", to.as_str()),
        "referral",
        Some(id),
        json!({ "clue_ids": clue_ids }),
    );
    Ok(())
}

/// The office sends an assembled referral: its clues are referred and read-only for the team.
pub async fn send(tx: &mut Tx<'_>, actor: &Actor, id: &str) -> Result<()> {
    access::on_office(actor, Object::Referral, Grant::Lead)?;
    advance(
        tx,
        actor,
        id,
        (ReferralStatus::Draft, ReferralStatus::Sent),
        (ClueStatus::Proposed, ClueStatus::Referred),
    )
    .await
}

/// Discipline accepts a referral sent to it.
pub async fn accept(tx: &mut Tx<'_>, actor: &Actor, id: &str) -> Result<()> {
    let access = access::on_office(actor, Object::Referral, Grant::Write)?;
    if access.relation != access::Relation::Discipline {
        return Err(Error::Forbidden);
    }
    advance(
        tx,
        actor,
        id,
        (ReferralStatus::Sent, ReferralStatus::Accepted),
        (ClueStatus::Referred, ClueStatus::Accepted),
    )
    .await
}
