//! Talk records in the database: written by the target's team under ids its devices choose,
//! read by the team, the office and discipline, every read logged in the same transaction.

use std::collections::HashMap;

use serde_json::json;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};
use xuncha_api::talks::{Talk, TalkDraft, TalkInspector, TalkKind};
use xuncha_api::{FieldError, Problem};

use crate::access::{self, Actor, Grant, Object};
use crate::db::{self, Columns, Tx};
use crate::restricted::TALK;
use crate::{audit, Error, Result};

/// The talk's target, if the actor's access there reaches `needed`.
async fn target_of(
    conn: &mut AnyConnection,
    actor: &Actor,
    talk_id: &str,
    needed: Grant,
) -> Result<String> {
    Ok(TALK.access(conn, actor, talk_id, needed).await?.0)
}

fn from_row(
    r: &AnyRow,
    inspectors: Vec<TalkInspector>,
    files: Vec<xuncha_api::talks::AttachedFile>,
) -> Result<Talk> {
    Ok(Talk {
        id: r.try_get("id")?,
        target_id: r.try_get("target_id")?,
        kind: r.enumerated("kind", TalkKind::parse)?,
        person_name: r.try_get("person_name")?,
        person_post: r.try_get("person_post")?,
        person_org: r.try_get("person_org")?,
        held_on: r.date("held_on")?,
        place: r.try_get("place")?,
        inspectors,
        summary: r.try_get("summary")?,
        private: r.try_get::<i64, _>("private")? != 0,
        version: r.try_get("version")?,
        created_by: r.try_get("created_by")?,
        created_at: r.timestamp("created_at")?,
        updated_at: r.timestamp("updated_at")?,
        files,
    })
}

/// The talks `WHERE` picks (`$1` bound to `key`), with their inspectors and files, in the
/// order they were held.
async fn load(conn: &mut AnyConnection, filter: &'static str, key: &str) -> Result<Vec<Talk>> {
    let sql = |what: &str| {
        sqlx::AssertSqlSafe(format!(
            "{what} WHERE t.{filter} = $1 ORDER BY t.held_on, t.created_at"
        ))
    };
    let rows = sqlx::query(sql("SELECT t.* FROM talks t"))
        .bind(key)
        .fetch_all(&mut *conn)
        .await?;
    let mut inspectors: HashMap<String, Vec<TalkInspector>> = HashMap::new();
    for r in sqlx::query(sql(
        "SELECT i.talk_id, i.user_id, u.display_name FROM talk_inspectors i \
         JOIN users u ON u.id = i.user_id JOIN talks t ON t.id = i.talk_id",
    ))
    .bind(key)
    .fetch_all(&mut *conn)
    .await?
    {
        inspectors
            .entry(r.try_get("talk_id")?)
            .or_default()
            .push(TalkInspector {
                user_id: r.try_get("user_id")?,
                name: r.try_get("display_name")?,
            });
    }
    let mut talks = Vec::with_capacity(rows.len());
    for r in &rows {
        let id: String = r.try_get("id")?;
        let mut people = inspectors.remove(&id).unwrap_or_default();
        people.sort_by(|a, b| a.name.cmp(&b.name));
        let files = TALK.files.list(conn, &id).await?;
        talks.push(from_row(r, people, files)?);
    }
    Ok(talks)
}

async fn one(conn: &mut AnyConnection, talk_id: &str) -> Result<Option<Talk>> {
    Ok(load(conn, "id", talk_id).await?.pop())
}

/// A target's talks, for whoever may read them; the read is logged.
pub async fn list(
    tx: &mut Tx<'_>,
    actor: &Actor,
    target_id: &str,
    endpoint: &str,
) -> Result<Vec<Talk>> {
    access::on_target(tx, actor, target_id, Object::Talk, Grant::Read).await?;
    let talks = load(tx, "target_id", target_id).await?;
    let ids: Vec<&str> = talks.iter().map(|t| t.id.as_str()).collect();
    audit::record_read(tx, actor, "talk", &ids, endpoint).await?;
    Ok(talks)
}

/// One talk, for whoever may read it; the read is logged.
pub async fn get(tx: &mut Tx<'_>, actor: &Actor, talk_id: &str, endpoint: &str) -> Result<Talk> {
    target_of(tx, actor, talk_id, Grant::Read).await?;
    let talk = one(tx, talk_id).await?.ok_or(Error::NotFound)?;
    audit::record_read(tx, actor, "talk", &[talk_id], endpoint).await?;
    Ok(talk)
}

/// Records a talk, or an edit of one made on its latest version. A re-send of what is stored
/// answers it unchanged.
pub async fn put(
    tx: &mut Tx<'_>,
    actor: &Actor,
    target_id: &str,
    talk_id: &str,
    draft: &TalkDraft,
) -> Result<Talk> {
    access::on_target(tx, actor, target_id, Object::Talk, Grant::Write).await?;
    xuncha_api::validate::client_id(talk_id).map_err(|p| Error::invalid("id", p))?;
    draft.validate().map_err(Error::Invalid)?;
    let inspectors = inspectors_on_team(tx, target_id, &draft.inspectors).await?;
    let now = db::ts(db::now());
    let stored = one(tx, talk_id).await?;
    let version = match &stored {
        Some(t) if t.target_id != target_id => {
            return Err(Error::Conflict(FieldError::new("id", Problem::Taken)));
        }
        Some(t) if t.says(draft) => return Ok(t.clone()),
        Some(t) if draft.base_version != Some(t.version) => {
            return Err(Error::Conflict(FieldError::new(
                "base_version",
                Problem::Stale,
            )));
        }
        Some(t) => {
            let updated = sqlx::query(
                "UPDATE talks SET kind = $1, person_name = $2, person_post = $3, person_org = $4, \
                 held_on = $5, place = $6, summary = $7, private = $8, version = version + 1, \
                 updated_at = $9 WHERE id = $10 AND version = $11",
            )
            .bind(draft.kind.as_str())
            .bind(draft.person_name.trim())
            .bind(draft.person_post.trim())
            .bind(draft.person_org.trim())
            .bind(db::date_text(draft.held_on))
            .bind(draft.place.trim())
            .bind(draft.summary.trim())
            .bind(i64::from(draft.private))
            .bind(&now)
            .bind(talk_id)
            .bind(t.version)
            .execute(&mut **tx)
            .await?
            .rows_affected();
            if updated == 0 {
                return Err(Error::Conflict(FieldError::new(
                    "base_version",
                    Problem::Stale,
                )));
            }
            sqlx::query("DELETE FROM talk_inspectors WHERE talk_id = $1")
                .bind(talk_id)
                .execute(&mut **tx)
                .await?;
            t.version + 1
        }
        None => {
            if draft.base_version.is_some() {
                // An edit of a talk that is not there: never made, or made under another id.
                return Err(Error::NotFound);
            }
            let inserted = sqlx::query(
                "INSERT INTO talks (id, target_id, kind, person_name, person_post, person_org, \
                 held_on, place, summary, private, version, created_by, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 1, $11, $12, $12) \
                 ON CONFLICT (id) DO NOTHING",
            )
            .bind(talk_id)
            .bind(target_id)
            .bind(draft.kind.as_str())
            .bind(draft.person_name.trim())
            .bind(draft.person_post.trim())
            .bind(draft.person_org.trim())
            .bind(db::date_text(draft.held_on))
            .bind(draft.place.trim())
            .bind(draft.summary.trim())
            .bind(i64::from(draft.private))
            .bind(&actor.id)
            .bind(&now)
            .execute(&mut **tx)
            .await?
            .rows_affected();
            if inserted == 0 {
                return Err(Error::Conflict(FieldError::new("id", Problem::Taken)));
            }
            1
        }
    };
    for user_id in &inspectors {
        sqlx::query("INSERT INTO talk_inspectors (talk_id, user_id) VALUES ($1, $2)")
            .bind(talk_id)
            .bind(user_id)
            .execute(&mut **tx)
            .await?;
    }
    let talk = one(tx, talk_id).await?.ok_or(Error::NotFound)?;
    // The log keeps what changed, never the summary's text: the log is read more widely than
    // the talk.
    let detail = match &stored {
        None => json!({ "target_id": target_id, "kind": draft.kind, "version": version }),
        Some(old) => json!({
            "version": version,
            "changed": changed_fields(old, &talk),
        }),
    };
    let action = if stored.is_some() {
        "talk.update"
    } else {
        "talk.create"
    };
    audit::record(tx, Some(actor), action, "talk", Some(talk_id), detail);
    Ok(talk)
}

fn changed_fields(old: &Talk, new: &Talk) -> Vec<&'static str> {
    let mut changed = Vec::new();
    let mut note = |name, differs: bool| {
        if differs {
            changed.push(name);
        }
    };
    note("kind", old.kind != new.kind);
    note("person_name", old.person_name != new.person_name);
    note("person_post", old.person_post != new.person_post);
    note("person_org", old.person_org != new.person_org);
    note("held_on", old.held_on != new.held_on);
    note("place", old.place != new.place);
    note("inspectors", old.inspectors != new.inspectors);
    note("summary", old.summary != new.summary);
    note("private", old.private != new.private);
    changed
}

/// The inspectors named, each a member of the team that inspects the target.
pub(crate) async fn inspectors_on_team(
    conn: &mut AnyConnection,
    target_id: &str,
    named: &[String],
) -> Result<Vec<String>> {
    let team: Vec<String> = sqlx::query_scalar(
        "SELECT m.user_id FROM team_members m JOIN targets t ON t.team_id = m.team_id \
         WHERE t.id = $1",
    )
    .bind(target_id)
    .fetch_all(conn)
    .await?;
    let mut ids: Vec<String> = named.iter().map(|s| s.trim().to_string()).collect();
    ids.sort_unstable();
    ids.dedup();
    if ids.iter().any(|id| !team.contains(id)) {
        return Err(Error::invalid("inspectors", Problem::UnknownReference));
    }
    Ok(ids)
}

/// The inspectors who may be present at a talk: the members of the target's team.
pub async fn team(
    conn: &mut AnyConnection,
    actor: &Actor,
    target_id: &str,
) -> Result<Vec<TalkInspector>> {
    access::on_target(conn, actor, target_id, Object::Talk, Grant::Read).await?;
    let rows = sqlx::query(
        "SELECT u.id, u.display_name FROM team_members m JOIN targets t ON t.team_id = m.team_id \
         JOIN users u ON u.id = m.user_id WHERE t.id = $1 ORDER BY m.leader DESC, u.display_name",
    )
    .bind(target_id)
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(TalkInspector {
                user_id: r.try_get("id")?,
                name: r.try_get("display_name")?,
            })
        })
        .collect()
}
