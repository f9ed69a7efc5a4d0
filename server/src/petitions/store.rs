//! Petitions in the database: received from the public page or entered by the team, triaged by
//! the team, read by the team, the office and discipline, every read logged in the same
//! transaction, and the petitioner's contact shown to the team leader alone.

use serde_json::json;
use sha2::{Digest, Sha256};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};
use xuncha_api::findings::FindingSource;
use xuncha_api::petitions::{
    Channel, ChannelCount, LedgerRow, Outcome, OutcomeCount, Petition, PetitionDraft,
    PetitionLedger, PetitionStatus, PublicPetition, Triage,
};
use xuncha_api::{FieldError, Problem};

use crate::access::{self, Access, Actor, Grant, Object, Reach};
use crate::db::{self, Columns, Tx};
use crate::restricted::PETITION;
use crate::{audit, Error, Result};

const SELECT: &str = "SELECT p.*, o.name AS org_name FROM petitions p \
     JOIN targets tg ON tg.id = p.target_id JOIN orgs o ON o.id = tg.org_id";

/// Whether this access shows how to reach the petitioner.
fn shows_contact(access: Access) -> bool {
    access::sees_petitioner(access.relation)
}

fn from_row(r: &AnyRow, contact_shown: bool) -> Result<Petition> {
    let contact: String = r.try_get("contact")?;
    Ok(Petition {
        id: r.try_get("id")?,
        target_id: r.try_get("target_id")?,
        org_name: r.try_get("org_name")?,
        channel: r.enumerated("channel", Channel::parse)?,
        received_on: r.date("received_on")?,
        content: r.try_get("content")?,
        concerns: r.try_get("concerns")?,
        anonymous: contact.is_empty(),
        contact: (contact_shown && !contact.is_empty()).then_some(contact),
        status: r.enumerated("status", PetitionStatus::parse)?,
        outcome: r.enumerated_opt("outcome", Outcome::parse)?,
        finding_id: r.try_get("finding_id")?,
        clue_id: r.try_get("clue_id")?,
        transfer_to: r.try_get("transfer_to")?,
        reason: r.try_get("reason")?,
        public_answer: r.try_get("public_answer")?,
        version: r.try_get("version")?,
        created_at: r.timestamp("created_at")?,
        triaged_at: r.timestamp_opt("triaged_at")?,
        files: Vec::new(),
    })
}

async fn load(
    conn: &mut AnyConnection,
    filter: &'static str,
    key: &str,
    contact_shown: bool,
) -> Result<Vec<Petition>> {
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "{SELECT} WHERE p.{filter} = $1 ORDER BY p.received_on, p.created_at"
    )))
    .bind(key)
    .fetch_all(&mut *conn)
    .await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in &rows {
        let mut p = from_row(r, contact_shown)?;
        p.files = PETITION.files.list(conn, &p.id).await?;
        out.push(p);
    }
    Ok(out)
}

/// A target's petitions, for whoever may read them; the read is logged.
pub async fn list(
    tx: &mut Tx<'_>,
    actor: &Actor,
    target_id: &str,
    endpoint: &str,
) -> Result<Vec<Petition>> {
    let access = access::on_target(tx, actor, target_id, Object::Petition, Grant::Read).await?;
    let petitions = load(tx, "target_id", target_id, shows_contact(access)).await?;
    let ids: Vec<&str> = petitions.iter().map(|p| p.id.as_str()).collect();
    audit::record_read(tx, actor, PETITION.name, &ids, endpoint).await?;
    Ok(petitions)
}

/// One petition, for whoever may read it; the read is logged.
pub async fn get(tx: &mut Tx<'_>, actor: &Actor, id: &str, endpoint: &str) -> Result<Petition> {
    let (_, access) = PETITION.access(tx, actor, id, Grant::Read).await?;
    let petition = load(tx, "id", id, shows_contact(access))
        .await?
        .pop()
        .ok_or(Error::NotFound)?;
    audit::record_read(tx, actor, PETITION.name, &[id], endpoint).await?;
    Ok(petition)
}

/// A petition the team received another way, under the device's id. A re-send of what is
/// stored answers it unchanged.
pub async fn put(
    tx: &mut Tx<'_>,
    actor: &Actor,
    target_id: &str,
    id: &str,
    draft: &PetitionDraft,
) -> Result<Petition> {
    let access = access::on_target(tx, actor, target_id, Object::Petition, Grant::Write).await?;
    xuncha_api::validate::client_id(id).map_err(|p| Error::invalid("id", p))?;
    draft.validate().map_err(Error::Invalid)?;
    let now = db::ts(db::now());
    let inserted = sqlx::query(
        "INSERT INTO petitions (id, target_id, channel, received_on, content, concerns, contact, \
         status, created_by, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10) \
         ON CONFLICT (id) DO NOTHING",
    )
    .bind(id)
    .bind(target_id)
    .bind(draft.channel.as_str())
    .bind(db::date_text(draft.received_on))
    .bind(draft.content.trim())
    .bind(draft.concerns.trim())
    .bind(draft.contact.trim())
    .bind(PetitionStatus::Received.as_str())
    .bind(&actor.id)
    .bind(&now)
    .execute(&mut **tx)
    .await?
    .rows_affected();
    let mut stored = load(tx, "id", id, true)
        .await?
        .pop()
        .ok_or(Error::NotFound)?;
    if inserted == 0 {
        let same = stored.target_id == target_id
            && stored.channel == draft.channel
            && stored.received_on == draft.received_on
            && stored.content == draft.content.trim()
            && stored.concerns == draft.concerns.trim()
            && stored.contact.as_deref().unwrap_or("") == draft.contact.trim();
        if !same {
            return Err(Error::Conflict(FieldError::new("id", Problem::Taken)));
        }
    } else {
        audit::record(
            tx,
            Some(actor),
            "petition.create",
            PETITION.name,
            Some(id),
            json!({ "target_id": target_id, "channel": draft.channel }),
        );
    }
    // Even whoever typed the contact reads it back only as their role allows.
    if !shows_contact(access) {
        stored.contact = None;
    }
    Ok(stored)
}

/// The tracking code's digits: 25 of them, ≥ 80 bits, read aloud in five groups of five.
pub const CODE_DIGITS: usize = 25;

pub fn new_tracking_code() -> String {
    use argon2::password_hash::rand_core::{OsRng, RngCore};
    let mut digits = String::with_capacity(CODE_DIGITS);
    let mut byte = [0u8; 1];
    while digits.len() < CODE_DIGITS {
        OsRng.fill_bytes(&mut byte);
        // 250 is the largest multiple of 10 below 256: every digit equally likely.
        if byte[0] < 250 {
            digits.push(char::from(b'0' + byte[0] % 10));
        }
    }
    digits
}

/// The code as shown: `12345 67890 …`.
pub fn grouped(code: &str) -> String {
    code.as_bytes()
        .chunks(5)
        .map(|c| std::str::from_utf8(c).unwrap_or_default())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The digits of a code as typed (spaces, dashes and full-width digits forgiven), if it has
/// the right number of them.
pub fn normalise_code(typed: &str) -> Option<String> {
    let digits: String = typed
        .chars()
        .filter_map(|c| match c {
            '0'..='9' => Some(c),
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32),
            _ => None,
        })
        .collect();
    (digits.len() == CODE_DIGITS).then_some(digits)
}

fn code_hash(code: &str) -> String {
    hex::encode(Sha256::digest(code.as_bytes()))
}

/// A photo from the public form, checked.
pub struct Photo {
    pub content_type: String,
    pub bytes: Vec<u8>,
}

/// Keeps what a villager sent through the public page; the tracking code, which only they
/// will ever see, is the answer. No address, no device, nothing of the sender is stored.
pub async fn receive_public(
    tx: &mut Tx<'_>,
    target_id: &str,
    form: &PublicPetition,
    photos: &[Photo],
) -> Result<String> {
    let id = db::new_id();
    let code = new_tracking_code();
    let now = db::now();
    sqlx::query(
        "INSERT INTO petitions (id, target_id, channel, received_on, content, concerns, contact, \
         tracking_hash, status, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10)",
    )
    .bind(&id)
    .bind(target_id)
    .bind(Channel::Online.as_str())
    .bind(db::date_text(now.date_naive()))
    .bind(form.content.trim())
    .bind(form.concerns.trim())
    .bind(form.contact.trim())
    .bind(code_hash(&code))
    .bind(PetitionStatus::Received.as_str())
    .bind(db::ts(now))
    .execute(&mut **tx)
    .await?;
    for photo in photos {
        let upload = crate::files::Upload::checked(&photo.content_type, &photo.bytes)?;
        PETITION
            .files
            .add(tx, "public", &id, &db::new_id(), &upload)
            .await?;
    }
    audit::record(
        tx,
        None,
        "petition.receive",
        PETITION.name,
        Some(&id),
        json!({ "target_id": target_id, "channel": Channel::Online, "photos": photos.len() }),
    );
    Ok(code)
}

/// What the petitioner may read with their code: never the team's notes.
pub struct PublicStatus {
    pub org_name: String,
    pub received_on: chrono::NaiveDate,
    pub status: PetitionStatus,
    pub public_answer: String,
}

pub async fn status_by_code(conn: &mut AnyConnection, code: &str) -> Result<Option<PublicStatus>> {
    let row = sqlx::query(sqlx::AssertSqlSafe(format!(
        "{SELECT} WHERE p.tracking_hash = $1"
    )))
    .bind(code_hash(code))
    .fetch_optional(conn)
    .await?;
    row.map(|r| {
        Ok(PublicStatus {
            org_name: r.try_get("org_name")?,
            received_on: r.date("received_on")?,
            status: r.enumerated("status", PetitionStatus::parse)?,
            public_answer: r.try_get("public_answer")?,
        })
    })
    .transpose()
}

/// Whether the record a triage names is on the petition's target and says it came from a
/// petition (a clue: from this one).
async fn names_own_record(
    conn: &mut AnyConnection,
    petition_id: &str,
    target_id: &str,
    t: &Triage,
) -> Result<()> {
    let (field, found) = match t.outcome {
        Outcome::Finding => {
            let id = t.finding_id.as_deref().unwrap_or("");
            let found: Option<(String, String)> =
                sqlx::query_as("SELECT target_id, source FROM findings WHERE id = $1")
                    .bind(id)
                    .fetch_optional(conn)
                    .await?;
            let ok = found.is_some_and(|(tg, source)| {
                tg == target_id && source == FindingSource::Petition.as_str()
            });
            ("finding_id", ok)
        }
        Outcome::Clue => {
            let id = t.clue_id.as_deref().unwrap_or("");
            let found: Option<(String, String, Option<String>)> =
                sqlx::query_as("SELECT target_id, source, source_id FROM clues WHERE id = $1")
                    .bind(id)
                    .fetch_optional(conn)
                    .await?;
            let ok = found.is_some_and(|(tg, source, source_id)| {
                tg == target_id
                    && source == xuncha_api::clues::ClueSource::Petition.as_str()
                    && source_id.as_deref() == Some(petition_id)
            });
            ("clue_id", ok)
        }
        Outcome::Transfer | Outcome::NoAction => return Ok(()),
    };
    if found {
        Ok(())
    } else {
        Err(Error::invalid(field, Problem::UnknownReference))
    }
}

/// The team's triage (分办) and answer, decided on the version it read.
pub async fn triage(tx: &mut Tx<'_>, actor: &Actor, id: &str, t: &Triage) -> Result<Petition> {
    let (target_id, access) = PETITION.access(tx, actor, id, Grant::Write).await?;
    t.validate().map_err(Error::Invalid)?;
    names_own_record(tx, id, &target_id, t).await?;
    let keep = |o: Outcome, v: &Option<String>| if t.outcome == o { v.clone() } else { None };
    let updated = sqlx::query(
        "UPDATE petitions SET outcome = $1, finding_id = $2, clue_id = $3, transfer_to = $4, \
         reason = $5, status = $6, public_answer = $7, version = version + 1, updated_at = $8, \
         triaged_by = $9, triaged_at = COALESCE(triaged_at, $8) WHERE id = $10 AND version = $11",
    )
    .bind(t.outcome.as_str())
    .bind(keep(Outcome::Finding, &t.finding_id))
    .bind(keep(Outcome::Clue, &t.clue_id))
    .bind(if t.outcome == Outcome::Transfer {
        t.transfer_to.trim()
    } else {
        ""
    })
    .bind(t.reason.trim())
    .bind(t.status.as_str())
    .bind(t.public_answer.trim())
    .bind(db::ts(db::now()))
    .bind(&actor.id)
    .bind(id)
    .bind(t.base_version)
    .execute(&mut **tx)
    .await?
    .rows_affected();
    if updated == 0 {
        return Err(Error::Conflict(FieldError::new(
            "base_version",
            Problem::Stale,
        )));
    }
    // The log says what was decided, never what the petition or the answer says.
    audit::record(
        tx,
        Some(actor),
        "petition.triage",
        PETITION.name,
        Some(id),
        json!({ "outcome": t.outcome, "status": t.status, "version": t.base_version + 1 }),
    );
    load(tx, "id", id, shows_contact(access))
        .await?
        .pop()
        .ok_or(Error::NotFound)
}

/// How many petitions of a round wait for triage: the round cannot leave 报告 before none do.
pub async fn untriaged_in_round(conn: &mut AnyConnection, round_id: &str) -> Result<i64> {
    Ok(sqlx::query_scalar(
        "SELECT COUNT(*) FROM petitions p JOIN targets tg ON tg.id = p.target_id \
         WHERE tg.round_id = $1 AND p.outcome IS NULL",
    )
    .bind(round_id)
    .fetch_one(conn)
    .await?)
}

/// A round's petitions as far as the reader reaches, with counts per channel and outcome; the
/// read is logged.
pub async fn ledger(
    tx: &mut Tx<'_>,
    actor: &Actor,
    round_id: &str,
    endpoint: &str,
) -> Result<PetitionLedger> {
    let reach = access::reach(actor, Object::Petition)?;
    crate::rounds::store::round(tx, actor, round_id).await?;
    let (filter, user) = match reach {
        Reach::All => (String::new(), None),
        Reach::Teams(user) => (
            format!(" AND {}", access::on_team_of("p.target_id", 2)),
            Some(user),
        ),
        Reach::Org(_) => return Err(Error::Forbidden),
    };
    let mut q = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT p.id, p.target_id, p.channel, p.received_on, p.status, p.outcome, p.transfer_to, \
         o.name AS org_name, tm.name AS team_name FROM petitions p \
         JOIN targets tg ON tg.id = p.target_id JOIN orgs o ON o.id = tg.org_id \
         JOIN teams tm ON tm.id = tg.team_id WHERE tg.round_id = $1{filter} \
         ORDER BY o.name, p.received_on, p.created_at"
    )))
    .bind(round_id);
    if let Some(user) = user {
        q = q.bind(user);
    }
    let mut rows = Vec::new();
    for r in q.fetch_all(&mut **tx).await? {
        rows.push(LedgerRow {
            id: r.try_get("id")?,
            target_id: r.try_get("target_id")?,
            org_name: r.try_get("org_name")?,
            team_name: r.try_get("team_name")?,
            channel: r.enumerated("channel", Channel::parse)?,
            received_on: r.date("received_on")?,
            status: r.enumerated("status", PetitionStatus::parse)?,
            outcome: r.enumerated_opt("outcome", Outcome::parse)?,
            transfer_to: r.try_get("transfer_to")?,
        });
    }
    let by_channel = Channel::ALL
        .iter()
        .map(|&channel| ChannelCount {
            channel,
            count: rows.iter().filter(|r| r.channel == channel).count() as i64,
        })
        .collect();
    let by_outcome = std::iter::once(None)
        .chain(Outcome::ALL.iter().copied().map(Some))
        .map(|outcome| OutcomeCount {
            outcome,
            count: rows.iter().filter(|r| r.outcome == outcome).count() as i64,
        })
        .collect();
    let ids: Vec<&str> = rows.iter().map(|r| r.id.as_str()).collect();
    audit::record_read(tx, actor, PETITION.name, &ids, endpoint).await?;
    Ok(PetitionLedger {
        round_id: round_id.to_string(),
        rows,
        by_channel,
        by_outcome,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tracking_code_is_25_digits_read_in_groups_and_typed_loosely() {
        let code = new_tracking_code();
        assert_eq!(code.len(), CODE_DIGITS);
        assert!(code.chars().all(|c| c.is_ascii_digit()));
        // 25 decimal digits hold log2(10^25) ≈ 83 bits.
        assert!(25.0 * 10f64.log2() >= 80.0);
        let shown = grouped(&code);
        assert_eq!(shown.split(' ').count(), 5);
        assert_eq!(normalise_code(&shown).as_deref(), Some(code.as_str()));
        assert_eq!(
            normalise_code(&shown.replace(' ', "-")).as_deref(),
            Some(code.as_str())
        );
        let full_width: String = code
            .chars()
            .map(|c| char::from_u32(c as u32 - '0' as u32 + '０' as u32).unwrap())
            .collect();
        assert_eq!(normalise_code(&full_width).as_deref(), Some(code.as_str()));
        assert_eq!(normalise_code("12345"), None);
        assert_ne!(new_tracking_code(), code);
    }
}
