//! Organisation queries. Need-to-know lives here: every read and write takes the `Actor` and
//! scopes itself, whatever page asks.

use pinyin::ToPinyin;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};
use xuncha_api::orgs::{
    check_parent, BasicData, CreateOrg, Leader, OrgDetail, OrgLevel, OrgPatch, OrgSummary,
};
use xuncha_api::Problem;

use crate::access::{self, Actor, Grant, Object, Reach};
use crate::db::Columns;
use crate::db::{self, Tx};
use crate::error::on_unique;
use crate::{audit, Error, Result};

/// Pinyin initials for search: 青石村 → "qsc". Latin letters and digits are kept.
pub fn initials(name: &str) -> String {
    name.chars()
        .filter_map(|c| match c.to_pinyin() {
            Some(p) => p.first_letter().chars().next(),
            None if c.is_ascii_alphanumeric() => Some(c.to_ascii_lowercase()),
            None => None,
        })
        .collect()
}

/// The API speaks 万元 (ten thousand yuan); the database keeps whole yuan.
pub fn to_yuan(wan: Option<f64>) -> Option<i64> {
    wan.map(|w| (w * 10_000.0).round() as i64)
}

pub fn from_yuan(yuan: Option<i64>) -> Option<f64> {
    yuan.map(|y| y as f64 / 10_000.0)
}

pub(super) fn summary(r: &AnyRow) -> Result<OrgSummary> {
    Ok(OrgSummary {
        id: r.try_get("id")?,
        parent_id: r.try_get("parent_id")?,
        name: r.try_get("name")?,
        code: r.try_get("code")?,
        level: r.enumerated("level", OrgLevel::parse)?,
        active: r.try_get::<i64, _>("active")? != 0,
        initials: r.try_get("initials")?,
    })
}

pub async fn list(conn: &mut AnyConnection, actor: &Actor) -> Result<Vec<OrgSummary>> {
    const SELECT: &str = "SELECT id, parent_id, name, code, level, active, initials FROM orgs";
    let rows = match access::reach(actor, Object::Organisation)? {
        Reach::All => {
            sqlx::query(sqlx::AssertSqlSafe(format!("{SELECT} ORDER BY code")))
                .fetch_all(conn)
                .await?
        }
        Reach::Org(own) => {
            sqlx::query(sqlx::AssertSqlSafe(format!("{SELECT} WHERE id = $1")))
                .bind(own)
                .fetch_all(conn)
                .await?
        }
        Reach::Teams(user) => {
            sqlx::query(sqlx::AssertSqlSafe(format!(
            "{SELECT} WHERE id IN (SELECT org_id FROM targets WHERE team_id IN ({})) ORDER BY code",
            access::my_teams(1)
        )))
            .bind(user)
            .fetch_all(conn)
            .await?
        }
    };
    rows.iter().map(summary).collect()
}

/// Reads one organisation if the actor may see it; otherwise it does not exist for them.
pub async fn detail(conn: &mut AnyConnection, actor: &Actor, id: &str) -> Result<OrgDetail> {
    access::on_org(conn, actor, id, Object::Organisation, Grant::Read).await?;
    load(conn, id).await
}

async fn load(conn: &mut AnyConnection, id: &str) -> Result<OrgDetail> {
    let r = sqlx::query("SELECT * FROM orgs WHERE id = $1")
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(Error::NotFound)?;
    let summary = summary(&r)?;
    let mut path = Vec::new();
    let mut path_ids = Vec::new();
    let mut parent = summary.parent_id.clone();
    while let Some(pid) = parent {
        let p = sqlx::query("SELECT name, parent_id FROM orgs WHERE id = $1")
            .bind(&pid)
            .fetch_one(&mut *conn)
            .await?;
        path.push(p.try_get::<String, _>("name")?);
        path_ids.push(pid);
        parent = p.try_get("parent_id")?;
    }
    path.reverse();
    path_ids.reverse();
    Ok(OrgDetail {
        summary,
        path,
        path_ids,
        secretary: r.try_get("secretary")?,
        leaders: r.json("leaders")?,
        basic: BasicData {
            households: r.try_get("households")?,
            population: r.try_get("population")?,
            party_members: r.try_get("party_members")?,
            collective_income: from_yuan(r.try_get("collective_income_yuan")?),
            collective_assets: from_yuan(r.try_get("collective_assets_yuan")?),
        },
        updated_at: r.timestamp("updated_at")?,
    })
}

async fn level_of(conn: &mut AnyConnection, id: &str) -> Result<Option<OrgLevel>> {
    let level: Option<String> = sqlx::query_scalar("SELECT level FROM orgs WHERE id = $1")
        .bind(id)
        .fetch_optional(conn)
        .await?;
    level
        .map(|l| {
            OrgLevel::parse(&l)
                .ok_or_else(|| Error::Internal(anyhow::anyhow!("org {id}: unknown level {l:?}")))
        })
        .transpose()
}

/// Checks that `level` may sit under `parent_id`, which must exist.
async fn check_placement(
    conn: &mut AnyConnection,
    level: OrgLevel,
    parent_id: Option<&str>,
) -> Result<()> {
    let parent_level = match parent_id {
        Some(pid) => Some(
            level_of(conn, pid)
                .await?
                .ok_or_else(|| Error::invalid("parent_id", Problem::UnknownReference))?,
        ),
        None => None,
    };
    check_parent(level, parent_level).map_err(|p| Error::invalid("parent_id", p))
}

pub async fn create(tx: &mut Tx<'_>, actor: &Actor, req: &CreateOrg) -> Result<OrgDetail> {
    actor.require_admin()?;
    req.validate().map_err(Error::Invalid)?;
    check_placement(tx, req.level, req.parent_id.as_deref()).await?;
    let id = db::new_id();
    insert(tx, &id, req).await?;
    let created = load(tx, &id).await?;
    audit::record(
        tx,
        Some(actor),
        "org.create",
        "org",
        Some(&id),
        serde_json::to_value(&created).unwrap_or_default(),
    );
    Ok(created)
}

/// Writes a validated, placed organisation.
pub async fn insert(tx: &mut Tx<'_>, id: &str, req: &CreateOrg) -> Result<()> {
    let now = db::ts(db::now());
    sqlx::query(
        "INSERT INTO orgs (id, parent_id, name, code, level, active, initials, secretary, leaders, \
           households, population, party_members, collective_income_yuan, collective_assets_yuan, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, 1, $6, $7, '[]', $8, $9, $10, $11, $12, $13, $13)",
    )
    .bind(id)
    .bind(&req.parent_id)
    .bind(req.name.trim())
    .bind(&req.code)
    .bind(req.level.as_str())
    .bind(initials(req.name.trim()))
    .bind(req.secretary.trim())
    .bind(req.basic.households)
    .bind(req.basic.population)
    .bind(req.basic.party_members)
    .bind(to_yuan(req.basic.collective_income))
    .bind(to_yuan(req.basic.collective_assets))
    .bind(&now)
    .execute(&mut **tx)
    .await
    .map_err(|e| on_unique(e, "code"))?;
    Ok(())
}

pub async fn patch(
    tx: &mut Tx<'_>,
    actor: &Actor,
    id: &str,
    patch: &OrgPatch,
) -> Result<OrgDetail> {
    // A liaison keeps its own organisation's basic data; renaming, moving and deactivating
    // are the office's.
    let needed = if patch.is_basic_only() {
        Grant::Write
    } else {
        Grant::Lead
    };
    access::on_org(tx, actor, id, Object::Organisation, needed).await?;
    patch.validate().map_err(Error::Invalid)?;
    let old = load(tx, id).await?;

    if let Some(new_parent) = &patch.parent_id {
        if Some(new_parent) != old.summary.parent_id.as_ref() {
            check_placement(tx, old.summary.level, Some(new_parent)).await?;
            // Walk up from the new parent: meeting ourselves would make a loop.
            let mut cursor = Some(new_parent.clone());
            while let Some(c) = cursor {
                if c == id {
                    return Err(Error::invalid("parent_id", Problem::Cycle));
                }
                cursor = sqlx::query_scalar("SELECT parent_id FROM orgs WHERE id = $1")
                    .bind(&c)
                    .fetch_one(&mut **tx)
                    .await?;
            }
        }
    }
    if patch.active == Some(false) && old.summary.active {
        let active_children: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM orgs WHERE parent_id = $1 AND active = 1")
                .bind(id)
                .fetch_one(&mut **tx)
                .await?;
        if active_children > 0 {
            return Err(Error::Conflict(xuncha_api::FieldError::new(
                "active",
                Problem::NotAllowed,
            )));
        }
    }

    let name = patch
        .name
        .as_deref()
        .map(str::trim)
        .unwrap_or(&old.summary.name)
        .to_string();
    let basic = patch.basic.clone().unwrap_or_else(|| old.basic.clone());
    let leaders: &[Leader] = patch.leaders.as_deref().unwrap_or(&old.leaders);
    sqlx::query(
        "UPDATE orgs SET name = $1, initials = $2, code = $3, parent_id = $4, active = $5, secretary = $6, \
           leaders = $7, households = $8, population = $9, party_members = $10, collective_income_yuan = $11, \
           collective_assets_yuan = $12, updated_at = $13 WHERE id = $14",
    )
    .bind(&name)
    .bind(initials(&name))
    .bind(patch.code.as_ref().unwrap_or(&old.summary.code))
    .bind(patch.parent_id.as_ref().or(old.summary.parent_id.as_ref()))
    .bind(db::flag(patch.active.unwrap_or(old.summary.active)))
    .bind(patch.secretary.as_deref().map(str::trim).unwrap_or(&old.secretary))
    .bind(serde_json::to_string(leaders).unwrap_or_else(|_| "[]".into()))
    .bind(basic.households)
    .bind(basic.population)
    .bind(basic.party_members)
    .bind(to_yuan(basic.collective_income))
    .bind(to_yuan(basic.collective_assets))
    .bind(db::ts(db::now()))
    .bind(id)
    .execute(&mut **tx)
    .await
    .map_err(|e| on_unique(e, "code"))?;

    let new = load(tx, id).await?;
    let mut detail = audit::diff(&flat(&old), &flat(&new));
    if let Some(obj) = detail.as_object_mut() {
        obj.remove("updated_at");
    }
    audit::record(tx, Some(actor), "org.update", "org", Some(id), detail);
    Ok(new)
}

/// One level of keys, so that a diff names `households` rather than `basic`.
fn flat(d: &OrgDetail) -> serde_json::Value {
    let mut v = serde_json::to_value(d).unwrap_or_default();
    if let Some(basic) = v.get("basic").cloned() {
        if let (Some(obj), Some(b)) = (v.as_object_mut(), basic.as_object()) {
            obj.remove("basic");
            obj.extend(b.clone());
        }
    }
    v
}

#[cfg(test)]
mod tests {
    use super::initials;

    #[test]
    fn pinyin_initials() {
        assert_eq!(initials("青石村"), "qsc");
        assert_eq!(initials("柳河镇 A3"), "lhza3");
    }
}
