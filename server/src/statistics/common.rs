//! Candidate common problems (共性问题) of a term: the findings the reader reaches, under the
//! statistics' filters, grouped by their words; only groups found in two organisations or more.

use std::collections::{BTreeSet, HashMap};

use sqlx::{AnyConnection, Row};
use xuncha_api::checklists::FocusPoint;
use xuncha_api::statistics::{
    CommonProblems, GroupedFinding, GroupingQuery, ProblemGroup, StatisticsQuery, GROUPING_MAX,
};
use xuncha_api::Problem;

use super::confirmed;
use super::grouping::{self, Text};
use super::store::{scope, Scope};
use crate::access::Actor;
use crate::db::Columns;
use crate::{Error, Result};

pub(super) struct Found {
    pub(super) finding: GroupedFinding,
    pub(super) org_id: String,
    pub(super) focus: FocusPoint,
    pub(super) text: String,
}

/// The findings of the targets in scope with the text they are compared by; 422 on
/// `township_id` past [`GROUPING_MAX`].
pub(super) async fn load(conn: &mut AnyConnection, s: &Scope) -> Result<Vec<Found>> {
    let rows = s
        .binds
        .rows(
            conn,
            &format!(
                "SELECT f.id, f.target_id, f.title, f.description, f.focus, f.org_id, o.name AS org_name, \
                 s.township_name FROM s CROSS JOIN findings f JOIN orgs o ON o.id = f.org_id \
                 WHERE f.target_id = s.id ORDER BY f.id LIMIT {}",
                GROUPING_MAX + 1
            ),
        )
        .await?;
    if rows.len() > GROUPING_MAX {
        return Err(Error::invalid(
            "township_id",
            Problem::TooMany { max: GROUPING_MAX },
        ));
    }
    let mut found = Vec::with_capacity(rows.len());
    for r in &rows {
        let title: String = r.try_get("title")?;
        let description: String = r.try_get("description")?;
        let org_name: String = r.try_get("org_name")?;
        found.push(Found {
            text: grouping::finding_text(&title, &description, &org_name),
            finding: GroupedFinding {
                id: r.try_get("id")?,
                target_id: r.try_get("target_id")?,
                title,
                org_name,
                township: r.try_get("township_name")?,
            },
            org_id: r.try_get("org_id")?,
            focus: r.enumerated("focus", FocusPoint::parse)?,
        });
    }
    Ok(found)
}

pub async fn common_problems(
    conn: &mut AnyConnection,
    actor: &Actor,
    term_id: &str,
    q: &StatisticsQuery,
    g: &GroupingQuery,
) -> Result<CommonProblems> {
    g.validate().map_err(Error::Invalid)?;
    let threshold = g.threshold.unwrap_or(grouping::DEFAULT_THRESHOLD);
    let s = scope(conn, actor, term_id, q).await?;
    let found = load(conn, &s).await?;
    // Which findings are in a confirmed problem already, for those who read those.
    let confirmed = if s.all {
        confirmed::finding_problems(conn, &s.term.id).await?
    } else {
        HashMap::new()
    };
    let texts: Vec<Text<'_>> = found
        .iter()
        .enumerate()
        .map(|(id, f)| Text { id, text: &f.text })
        .collect();
    let mut groups: Vec<ProblemGroup> = grouping::group(&texts, threshold)
        .into_iter()
        .filter_map(|members| {
            let orgs: BTreeSet<&str> = members.iter().map(|&m| found[m].org_id.as_str()).collect();
            if orgs.len() < 2 {
                return None;
            }
            let townships: BTreeSet<String> = members
                .iter()
                .map(|&m| found[m].finding.township.clone())
                .filter(|t| !t.is_empty())
                .collect();
            let mut focus: HashMap<FocusPoint, usize> = HashMap::new();
            for &m in &members {
                *focus.entry(found[m].focus).or_default() += 1;
            }
            let focus = focus
                .into_iter()
                .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0)))
                .map(|(f, _)| f)
                .unwrap_or(FocusPoint::Policies);
            Some(ProblemGroup {
                label: found[members[0]].finding.title.clone(),
                focus,
                count: members.len() as u32,
                organisations: orgs.len() as u32,
                townships: townships.into_iter().collect(),
                findings: members.iter().map(|&m| found[m].finding.clone()).collect(),
                confirmed: members
                    .iter()
                    .find_map(|&m| confirmed.get(&found[m].finding.id).cloned()),
            })
        })
        .collect();
    groups.sort_by(|a, b| {
        b.organisations
            .cmp(&a.organisations)
            .then(b.count.cmp(&a.count))
            .then(a.label.cmp(&b.label))
    });
    Ok(CommonProblems {
        threshold,
        findings: found.len() as u32,
        groups,
    })
}
