//! Common problems (共性问题) the office confirmed: a group of findings chosen from the grouping,
//! named, and reported to the functional department concerned. Only the confirmed findings are
//! stored; those recorded later join the problem when it is read, if they are as alike to the
//! confirmed ones as the threshold the group was found at.

use std::collections::{BTreeSet, HashMap};

use serde_json::json;
use sqlx::{AnyConnection, Row};
use xuncha_api::checklists::FocusPoint;
use xuncha_api::rounds::Term;
use xuncha_api::statistics::{ConfirmProblem, ConfirmedProblem, GroupedFinding, StatisticsQuery};
use xuncha_api::Problem;

use super::common;
use super::grouping::{self, Text};
use super::store::scope;
use crate::access::{self, Actor, Grant, Object};
use crate::audit;
use crate::db::{self, Columns, Tx};
use crate::{Error, Result};

/// The stored threshold, in hundredths.
fn hundredths(t: f64) -> i64 {
    (t * 100.0).round() as i64
}

/// Confirms (or edits) problem `id` of term `term_id`, in the transaction.
pub async fn confirm(
    tx: &mut Tx<'_>,
    actor: &Actor,
    term_id: &str,
    id: &str,
    req: &ConfirmProblem,
) -> Result<()> {
    access::on_office(actor, Object::CommonProblem, Grant::Lead)?;
    xuncha_api::validate::client_id(id).map_err(|p| Error::invalid("id", p))?;
    req.validate().map_err(Error::Invalid)?;
    let term = crate::rounds::store::visible_term(tx, actor, term_id).await?;
    let mut ids: Vec<&str> = req.finding_ids.iter().map(String::as_str).collect();
    ids.sort_unstable();
    ids.dedup();
    let marks: Vec<String> = (2..ids.len() + 2).map(|n| format!("${n}")).collect();
    let mut q = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT f.id, f.org_id FROM findings f JOIN targets tg ON tg.id = f.target_id \
         JOIN rounds r ON r.id = tg.round_id WHERE r.term_id = $1 AND f.id IN ({})",
        marks.join(", ")
    )))
    .bind(&term.id);
    for id in &ids {
        q = q.bind(*id);
    }
    let rows = q.fetch_all(&mut **tx).await?;
    if rows.len() != ids.len() {
        return Err(Error::invalid("finding_ids", Problem::UnknownReference));
    }
    let orgs: BTreeSet<String> = rows
        .iter()
        .map(|r| r.try_get("org_id"))
        .collect::<Result<_, _>>()?;
    if orgs.len() < 2 {
        // One village's problem is its own, not a common one.
        return Err(Error::invalid("finding_ids", Problem::TooFew { min: 2 }));
    }
    let now = db::ts(db::now());
    let existing = sqlx::query("SELECT * FROM common_problems WHERE id = $1")
        .bind(id)
        .fetch_optional(&mut **tx)
        .await?;
    let fields = json!({
        "label": req.label.trim(), "focus": req.focus.as_str(), "department": req.department.trim(),
        "suggestion": req.suggestion.trim(), "threshold": hundredths(req.threshold), "findings": ids.len(),
    });
    match existing {
        Some(row) => {
            let problem_term: String = row.try_get("term_id")?;
            if problem_term != term.id {
                return Err(Error::taken("id"));
            }
            let mut stored: Vec<String> = sqlx::query_scalar(
                "SELECT finding_id FROM common_problem_findings WHERE problem_id = $1",
            )
            .bind(id)
            .fetch_all(&mut **tx)
            .await?;
            // Sorted here, as `ids` is: PostgreSQL's collation need not be byte order.
            stored.sort_unstable();
            let old = json!({
                "label": row.try_get::<String, _>("label")?, "focus": row.try_get::<String, _>("focus")?,
                "department": row.try_get::<String, _>("department")?,
                "suggestion": row.try_get::<String, _>("suggestion")?,
                "threshold": row.try_get::<i64, _>("threshold")?, "findings": stored.len(),
            });
            let mut changes = audit::diff(&old, &fields);
            // Other findings as many as before are a change too, not a re-send.
            if !stored.iter().map(String::as_str).eq(ids.iter().copied()) {
                changes["findings"] = json!([stored.len(), ids.len()]);
            }
            if changes.as_object().is_some_and(|c| c.is_empty()) {
                // The same confirmation sent again (its reply was lost): nothing changes.
                return Ok(());
            }
            sqlx::query(
                "UPDATE common_problems SET label = $2, focus = $3, department = $4, suggestion = $5, \
                 threshold = $6, updated_at = $7 WHERE id = $1",
            )
            .bind(id)
            .bind(req.label.trim())
            .bind(req.focus.as_str())
            .bind(req.department.trim())
            .bind(req.suggestion.trim())
            .bind(hundredths(req.threshold))
            .bind(&now)
            .execute(&mut **tx)
            .await?;
            sqlx::query("DELETE FROM common_problem_findings WHERE problem_id = $1")
                .bind(id)
                .execute(&mut **tx)
                .await?;
            audit::record(
                tx,
                Some(actor),
                "common_problem.update",
                "common_problem",
                Some(id),
                changes,
            );
        }
        None => {
            sqlx::query(
                "INSERT INTO common_problems (id, term_id, label, focus, department, suggestion, threshold, \
                 created_by, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)",
            )
            .bind(id)
            .bind(&term.id)
            .bind(req.label.trim())
            .bind(req.focus.as_str())
            .bind(req.department.trim())
            .bind(req.suggestion.trim())
            .bind(hundredths(req.threshold))
            .bind(&actor.id)
            .bind(&now)
            .execute(&mut **tx)
            .await?;
            audit::record(
                tx,
                Some(actor),
                "common_problem.confirm",
                "common_problem",
                Some(id),
                json!({ "term_id": term.id, "problem": fields }),
            );
        }
    }
    for f in &ids {
        sqlx::query("INSERT INTO common_problem_findings (problem_id, finding_id) VALUES ($1, $2)")
            .bind(id)
            .bind(*f)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

/// Which confirmed problem of the term each of its confirmed findings is in.
pub async fn finding_problems(
    conn: &mut AnyConnection,
    term_id: &str,
) -> Result<HashMap<String, String>> {
    let rows = sqlx::query(
        "SELECT cpf.finding_id, cpf.problem_id FROM common_problems cp \
         JOIN common_problem_findings cpf ON cpf.problem_id = cp.id WHERE cp.term_id = $1",
    )
    .bind(term_id)
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|r| Ok((r.try_get("finding_id")?, r.try_get("problem_id")?)))
        .collect()
}

/// The confirmed problems of a term, the newest first.
pub async fn of_term(
    conn: &mut AnyConnection,
    actor: &Actor,
    term_id: &str,
) -> Result<Vec<ConfirmedProblem>> {
    access::on_office(actor, Object::CommonProblem, Grant::Read)?;
    let term = crate::rounds::store::visible_term(conn, actor, term_id).await?;
    read(conn, actor, &term, None).await
}

/// One confirmed problem, with its term.
pub async fn one(
    conn: &mut AnyConnection,
    actor: &Actor,
    id: &str,
) -> Result<(ConfirmedProblem, Term)> {
    access::on_office(actor, Object::CommonProblem, Grant::Read)?;
    let term_id: String = sqlx::query_scalar("SELECT term_id FROM common_problems WHERE id = $1")
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(Error::NotFound)?;
    let term = crate::rounds::store::visible_term(conn, actor, &term_id).await?;
    let problem = read(conn, actor, &term, Some(id))
        .await?
        .pop()
        .ok_or(Error::NotFound)?;
    Ok((problem, term))
}

struct Member {
    finding: GroupedFinding,
    org_id: String,
}

async fn read(
    conn: &mut AnyConnection,
    actor: &Actor,
    term: &Term,
    only: Option<&str>,
) -> Result<Vec<ConfirmedProblem>> {
    let only = only.unwrap_or_default();
    let rows = sqlx::query(
        "SELECT cp.*, u.display_name FROM common_problems cp JOIN users u ON u.id = cp.created_by \
         WHERE cp.term_id = $1 AND ($2 = '' OR cp.id = $2) ORDER BY cp.created_at DESC, cp.id",
    )
    .bind(&term.id)
    .bind(only)
    .fetch_all(&mut *conn)
    .await?;
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let mut stored: HashMap<String, Vec<Member>> = HashMap::new();
    for r in sqlx::query(
        "SELECT cpf.problem_id, f.id, f.target_id, f.title, f.org_id, o.name AS org_name, \
         COALESCE(p.name, '') AS township FROM common_problems cp \
         JOIN common_problem_findings cpf ON cpf.problem_id = cp.id JOIN findings f ON f.id = cpf.finding_id \
         JOIN orgs o ON o.id = f.org_id LEFT JOIN orgs p ON p.id = o.parent_id \
         WHERE cp.term_id = $1 AND ($2 = '' OR cp.id = $2) ORDER BY p.name, o.name, f.id",
    )
    .bind(&term.id)
    .bind(only)
    .fetch_all(&mut *conn)
    .await?
    {
        stored
            .entry(r.try_get("problem_id")?)
            .or_default()
            .push(Member {
                finding: GroupedFinding {
                    id: r.try_get("id")?,
                    target_id: r.try_get("target_id")?,
                    title: r.try_get("title")?,
                    org_name: r.try_get("org_name")?,
                    township: r.try_get("township")?,
                },
                org_id: r.try_get("org_id")?,
            });
    }
    // The term's findings as the grouping saw them. A term past the grouping's limit (a
    // province's) is read with its confirmed findings only.
    let s = scope(conn, actor, &term.id, &StatisticsQuery::default()).await?;
    let corpus = match common::load(conn, &s).await {
        Ok(found) => found,
        Err(Error::Invalid(_)) => Vec::new(),
        Err(e) => return Err(e),
    };
    let texts: Vec<Text<'_>> = corpus
        .iter()
        .enumerate()
        .map(|(id, f)| Text { id, text: &f.text })
        .collect();
    let at: HashMap<&str, usize> = corpus
        .iter()
        .enumerate()
        .map(|(k, f)| (f.finding.id.as_str(), k))
        .collect();
    let mut out = Vec::with_capacity(rows.len());
    for r in &rows {
        let id: String = r.try_get("id")?;
        let threshold = r.try_get::<i64, _>("threshold")? as f64 / 100.0;
        let mut members = stored.remove(&id).unwrap_or_default();
        let confirmed: Vec<usize> = members
            .iter()
            .filter_map(|m| at.get(m.finding.id.as_str()).copied())
            .collect();
        let later = if confirmed.is_empty() {
            Vec::new()
        } else {
            grouping::alike(&texts, &confirmed, threshold)
        };
        let added = later.len() as u32;
        members.extend(later.into_iter().map(|k| Member {
            finding: corpus[k].finding.clone(),
            org_id: corpus[k].org_id.clone(),
        }));
        let organisations: BTreeSet<&str> = members.iter().map(|m| m.org_id.as_str()).collect();
        let townships: BTreeSet<&str> = members
            .iter()
            .map(|m| m.finding.township.as_str())
            .filter(|t| !t.is_empty())
            .collect();
        out.push(ConfirmedProblem {
            term_id: term.id.clone(),
            label: r.try_get("label")?,
            focus: r.enumerated("focus", FocusPoint::parse)?,
            department: r.try_get("department")?,
            suggestion: r.try_get("suggestion")?,
            threshold,
            confirmed_by: r.try_get("display_name")?,
            confirmed_at: r.timestamp("created_at")?,
            added,
            organisations: organisations.len() as u32,
            townships: townships.into_iter().map(str::to_string).collect(),
            findings: members.into_iter().map(|m| m.finding).collect(),
            id,
        });
    }
    Ok(out)
}
