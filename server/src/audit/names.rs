//! The names the log is read by: what each entry's object is called now, looked up per kind
//! in one query for the page. Restricted records (talks, clues, petitions, referrals) get none:
//! what they say is read on their own pages, where every read is logged.

use std::collections::{BTreeSet, HashMap};

use sqlx::{AnyConnection, Row};
use xuncha_api::audit::AuditEntry;

use crate::Result;

/// For each kind of object with a name: the query from id to name, and its id column.
fn lookup(object_type: &str) -> Option<(&'static str, &'static str)> {
    Some(match object_type {
        "org" => ("SELECT id, name FROM orgs", "id"),
        "user" => ("SELECT id, display_name AS name FROM users", "id"),
        "round" => ("SELECT id, name FROM rounds", "id"),
        "term" => ("SELECT id, name FROM terms", "id"),
        "team" => ("SELECT id, name FROM teams", "id"),
        "template" => ("SELECT id, name FROM checklist_templates", "id"),
        "target" => (
            "SELECT tg.id, o.name FROM targets tg JOIN orgs o ON o.id = tg.org_id",
            "tg.id",
        ),
        "checklist" => (
            "SELECT cr.id, o.name FROM checklist_records cr JOIN orgs o ON o.id = cr.org_id",
            "cr.id",
        ),
        "finding" => ("SELECT id, title AS name FROM findings", "id"),
        "task" => (
            "SELECT t.id, f.title AS name FROM rectification_tasks t JOIN findings f ON f.id = t.finding_id",
            "t.id",
        ),
        "evaluation" => ("SELECT id, title AS name FROM evaluations", "id"),
        "common_problem" => ("SELECT id, label AS name FROM common_problems", "id"),
        // A team's lists and whom it visits are its working papers: no names in the log.
        "policy_default" => ("SELECT id, title AS name FROM policy_defaults", "id"),
        _ => return None,
    })
}

pub async fn fill(conn: &mut AnyConnection, entries: &mut [AuditEntry]) -> Result<()> {
    let mut wanted: HashMap<(&str, &str), BTreeSet<String>> = HashMap::new();
    for e in entries.iter() {
        if let (Some(id), Some(kind)) = (&e.object_id, lookup(&e.object_type)) {
            wanted.entry(kind).or_default().insert(id.clone());
        }
    }
    let mut found: HashMap<(&str, String), String> = HashMap::new();
    for ((sql, id_column), ids) in wanted {
        let marks: Vec<String> = (1..=ids.len()).map(|n| format!("${n}")).collect();
        let mut q = sqlx::query(sqlx::AssertSqlSafe(format!(
            "{sql} WHERE {id_column} IN ({})",
            marks.join(", ")
        )));
        for id in &ids {
            q = q.bind(id);
        }
        for r in q.fetch_all(&mut *conn).await? {
            found.insert((sql, r.try_get("id")?), r.try_get("name")?);
        }
    }
    for e in entries.iter_mut() {
        if let (Some(id), Some((sql, _))) = (&e.object_id, lookup(&e.object_type)) {
            e.object_name = found.get(&(sql, id.clone())).cloned();
        }
    }
    Ok(())
}
