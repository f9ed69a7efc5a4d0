//! The tree a level at a time, for a province whose whole list (28,000 organisations) is too
//! much to send: one level's children with their counts, a county's subtree in one request,
//! and search on the server, a page at a time. Scoped like every organisation read: the
//! office and discipline see the tree; an inspector their targets and a liaison its own
//! organisation, as a flat top level.

use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};
use xuncha_api::orgs::{
    OrgHit, OrgNode, OrgSearchPage, OrgSearchQuery, OrgSummary, SEARCH_PAGE, SEARCH_PAGE_MAX,
    SUBTREE_MAX,
};
use xuncha_api::Problem;

use super::store::summary;
use crate::access::{self, Actor, Grant, Object, Reach};
use crate::{Error, Result};

const COLUMNS: &str = "o.id, o.parent_id, o.name, o.code, o.level, o.active, o.initials";

/// Who sees what, as a condition on `o` whose one parameter (if any) is `$n`, and whether
/// children are counted (only where the tree itself is seen: a count of what lies under a
/// target is not an inspector's to know).
struct Scope<'a> {
    condition: String,
    bind: Option<&'a str>,
    tree: bool,
}

fn scope(actor: &Actor, n: u8) -> Result<Scope<'_>> {
    Ok(match access::reach(actor, Object::Organisation)? {
        // Always names its parameter (bound to none here), so every query binds the same.
        Reach::All => Scope {
            condition: format!("${n} IS NULL"),
            bind: None,
            tree: true,
        },
        Reach::Org(own) => Scope {
            condition: format!("o.id = ${n}"),
            bind: Some(own),
            tree: false,
        },
        Reach::Teams(user) => Scope {
            condition: format!(
                "o.id IN (SELECT org_id FROM targets WHERE team_id IN ({}))",
                access::my_teams(n)
            ),
            bind: Some(user),
            tree: false,
        },
    })
}

fn select(scope: &Scope) -> String {
    let children = if scope.tree {
        "(SELECT COUNT(*) FROM orgs c WHERE c.parent_id = o.id)"
    } else {
        "CAST(0 AS BIGINT)"
    };
    format!("SELECT {COLUMNS}, {children} AS children FROM orgs o")
}

fn node(r: &AnyRow) -> Result<OrgNode> {
    Ok(OrgNode {
        org: summary(r)?,
        children: u32::try_from(r.try_get::<i64, _>("children")?).unwrap_or(u32::MAX),
    })
}

/// The children of `parent` the caller may see, or their top level without one. An
/// inspector's and a liaison's lists are short and flat: all of it is their top level.
pub async fn children(
    conn: &mut AnyConnection,
    actor: &Actor,
    parent: Option<&str>,
) -> Result<Vec<OrgNode>> {
    let scope = scope(actor, 2)?;
    let rows = match (scope.tree, parent) {
        (true, Some(p)) => {
            let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
                "{} WHERE o.parent_id = $1 ORDER BY o.code",
                select(&scope)
            )))
            .bind(p)
            .fetch_all(&mut *conn)
            .await?;
            if rows.is_empty() && !exists(conn, p).await? {
                return Err(Error::NotFound);
            }
            rows
        }
        (true, None) => {
            sqlx::query(sqlx::AssertSqlSafe(format!(
                "{} WHERE o.parent_id IS NULL ORDER BY o.code",
                select(&scope)
            )))
            .fetch_all(&mut *conn)
            .await?
        }
        (false, Some(_)) => Vec::new(),
        (false, None) => {
            let flat = self::scope(actor, 1)?;
            sqlx::query(sqlx::AssertSqlSafe(format!(
                "{} WHERE {} ORDER BY o.code",
                select(&flat),
                flat.condition
            )))
            .bind(flat.bind)
            .fetch_all(&mut *conn)
            .await?
        }
    };
    rows.iter().map(node).collect()
}

async fn exists(conn: &mut AnyConnection, id: &str) -> Result<bool> {
    let found: Option<String> = sqlx::query_scalar("SELECT id FROM orgs WHERE id = $1")
        .bind(id)
        .fetch_optional(conn)
        .await?;
    Ok(found.is_some())
}

/// An organisation and everything under it that the caller may see, in one answer: a
/// county's tree (a few hundred) or a city's (a few thousand); more than [`SUBTREE_MAX`] is
/// refused, to be loaded a level at a time.
pub async fn subtree(conn: &mut AnyConnection, actor: &Actor, id: &str) -> Result<Vec<OrgNode>> {
    let scope = scope(actor, 2)?;
    // Under an organisation the caller may not read, nothing is theirs to load (not even
    // their own target): it does not exist for them.
    if !scope.tree {
        access::on_org(conn, actor, id, Object::Organisation, Grant::Read).await?;
    }
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "WITH RECURSIVE sub (id) AS (SELECT id FROM orgs WHERE id = $1 \
         UNION ALL SELECT c.id FROM orgs c JOIN sub ON c.parent_id = sub.id) \
         {} WHERE o.id IN (SELECT id FROM sub) AND {} ORDER BY o.code LIMIT {}",
        select(&scope),
        scope.condition,
        SUBTREE_MAX + 1
    )))
    .bind(id)
    .bind(scope.bind)
    .fetch_all(&mut *conn)
    .await?;
    if rows.is_empty() {
        return Err(Error::NotFound);
    }
    if rows.len() > SUBTREE_MAX {
        return Err(Error::invalid("id", Problem::TooMany { max: SUBTREE_MAX }));
    }
    rows.iter().map(node).collect()
}

/// `%` and `_` typed by a user are letters, not wildcards.
fn escaped(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
}

/// Where a page ends: the last hit's rank, code and id.
fn cursor(rank: i64, org: &OrgSummary) -> String {
    format!("{rank}:{}:{}", org.code, org.id)
}

fn parse_cursor(text: &str) -> Result<(i64, String, String)> {
    let bad = || {
        Error::invalid(
            "after",
            Problem::BadFormat {
                expected: "the next of the page before".into(),
            },
        )
    };
    let mut parts = text.splitn(3, ':');
    let rank = parts.next().and_then(|r| r.parse().ok()).ok_or_else(bad)?;
    let code = parts.next().ok_or_else(bad)?.to_string();
    let id = parts.next().ok_or_else(bad)?.to_string();
    Ok((rank, code, id))
}

/// Organisations by name, pinyin initials or code, the best matches first (exact name, name
/// start, name part, initials start, initials part, code start), a page at a time.
pub async fn search(
    conn: &mut AnyConnection,
    actor: &Actor,
    q: &OrgSearchQuery,
) -> Result<OrgSearchPage> {
    let text = q.q.trim();
    if text.is_empty() {
        return Err(Error::invalid("q", Problem::Required));
    }
    let limit = q.limit.unwrap_or(SEARCH_PAGE);
    if limit == 0 || limit > SEARCH_PAGE_MAX {
        return Err(Error::invalid(
            "limit",
            Problem::OutOfRange {
                min: 1,
                max: SEARCH_PAGE_MAX.into(),
            },
        ));
    }
    let after = q.after.as_deref().map(parse_cursor).transpose()?;
    let lower = escaped(&text.to_lowercase());
    let exact = escaped(text);
    // One letter matches the start of initials only: inside them it matches nearly all.
    let initials_part = (lower.chars().count() >= 2).then(|| format!("%{lower}%"));
    let rank = "CAST(CASE WHEN o.name = $1 THEN 0 \
         WHEN o.name LIKE $2 ESCAPE '\\' THEN 1 \
         WHEN o.name LIKE $3 ESCAPE '\\' THEN 2 \
         WHEN o.initials LIKE $4 ESCAPE '\\' THEN 3 \
         WHEN o.initials LIKE $5 ESCAPE '\\' THEN 4 \
         WHEN o.code LIKE $2 ESCAPE '\\' THEN 5 ELSE 9 END AS BIGINT)";
    let scope = scope(actor, 9)?;
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT * FROM (SELECT {COLUMNS}, {rank} AS hit_rank FROM orgs o WHERE {}) hit \
         WHERE hit_rank < 9 AND (hit_rank > $6 OR (hit_rank = $6 AND (code > $7 OR \
         (code = $7 AND id > $8)))) ORDER BY hit_rank, code, id LIMIT {}",
        scope.condition,
        limit + 1
    )))
    .bind(text)
    .bind(format!("{exact}%"))
    .bind(format!("%{exact}%"))
    .bind(format!("{lower}%"))
    .bind(initials_part)
    .bind(after.as_ref().map_or(-1, |a| a.0))
    .bind(after.as_ref().map_or("", |a| a.1.as_str()))
    .bind(after.as_ref().map_or("", |a| a.2.as_str()))
    .bind(scope.bind)
    .fetch_all(&mut *conn)
    .await?;
    let more = rows.len() > limit as usize;
    let mut hits = Vec::with_capacity(rows.len().min(limit as usize));
    let mut last = None;
    for r in rows.iter().take(limit as usize) {
        let org = summary(r)?;
        last = Some(cursor(r.try_get("hit_rank")?, &org));
        let path = path_of(conn, org.parent_id.as_deref()).await?;
        hits.push(OrgHit { org, path });
    }
    Ok(OrgSearchPage {
        hits,
        next: if more { last } else { None },
    })
}

/// The names from the top of the tree down to `parent`.
async fn path_of(conn: &mut AnyConnection, parent: Option<&str>) -> Result<Vec<String>> {
    let Some(parent) = parent else {
        return Ok(Vec::new());
    };
    let names: Vec<String> = sqlx::query_scalar(
        "WITH RECURSIVE up (id, parent_id, name, depth) AS ( \
         SELECT id, parent_id, name, 0 FROM orgs WHERE id = $1 \
         UNION ALL SELECT o.id, o.parent_id, o.name, up.depth + 1 FROM orgs o \
         JOIN up ON o.id = up.parent_id) \
         SELECT name FROM up ORDER BY depth DESC",
    )
    .bind(parent)
    .fetch_all(conn)
    .await?;
    Ok(names)
}
