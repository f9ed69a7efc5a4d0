//! The full-coverage ledger (全覆盖台账): one query for the committee's subtree with every
//! target of the term, aggregated here.

use std::collections::HashMap;

use chrono::NaiveDate;
use sqlx::{AnyConnection, Row};
use xuncha_api::coverage::{
    CoverageCount, CoverageState, CoveredBy, Ledger, LedgerOrg, LedgerQuery, LevelCoverage,
    TownshipCoverage,
};
use xuncha_api::orgs::OrgLevel;
use xuncha_api::rounds::{Phase, RoundKind};

use crate::access::Actor;
use crate::db::Columns;
use crate::rounds::store;
use crate::{Error, Result};

/// What the ledger page lists at most; filters narrow it.
pub const LIST_LIMIT: usize = 500;

struct Org {
    id: String,
    name: String,
    code: String,
    level: OrgLevel,
    township: Option<String>,
    covered_by: Vec<CoveredBy>,
}

impl Org {
    fn state(&self) -> CoverageState {
        CoverageState::of_org(self.covered_by.iter().map(|c| c.state))
    }
}

fn unknown(column: &str, value: &str) -> Error {
    Error::Internal(anyhow::anyhow!(
        "unknown {column} in the database: {value:?}"
    ))
}

/// The ledger of a term; the organisation list is cut at `max_list` (the page asks for a
/// screenful, the export for everything).
pub async fn ledger(
    conn: &mut AnyConnection,
    actor: &Actor,
    term_id: &str,
    q: &LedgerQuery,
    max_list: usize,
) -> Result<Ledger> {
    let term = store::term(conn, actor, term_id).await?;
    let today = q.today.unwrap_or_else(|| chrono::Utc::now().date_naive());

    // Every active organisation under the committee (its columns taken on the walk down:
    // joined back to the table, PostgreSQL hashed all of a province's organisations), with the
    // township it lies in, joined with the targets of this term whose team had arrived by
    // `today` (a target assigned in advance is not coverage yet), each with its findings and
    // those not rectified and closed.
    let rows = sqlx::query(
        "WITH RECURSIVE sub(id, name, code, level, township) AS ( \
           SELECT id, name, code, level, \
             CASE WHEN level IN ('township', 'subdistrict') THEN id ELSE NULL END \
           FROM orgs WHERE parent_id = $1 AND active = 1 \
           UNION ALL \
           SELECT o.id, o.name, o.code, o.level, COALESCE(sub.township, CASE WHEN o.level IN ('township', 'subdistrict') THEN o.id ELSE NULL END) \
           FROM orgs o JOIN sub ON o.parent_id = sub.id WHERE o.active = 1), \
         arrived AS ( \
           SELECT tg.id, tg.org_id, r.id AS round_id, r.name AS round_name, r.kind, r.phase, \
             tm.name AS team_name, COALESCE(tg.station_start, r.start_date) AS since \
           FROM targets tg JOIN rounds r ON r.id = tg.round_id JOIN teams tm ON tm.id = tg.team_id \
           WHERE r.term_id = $2 AND COALESCE(tg.station_start, r.start_date) <= $3) \
         SELECT o.id, o.name, o.code, o.level, o.township, a.round_id, a.round_name, a.kind, \
           a.phase, a.team_name, a.since, \
           (SELECT COUNT(*) FROM findings f WHERE f.target_id = a.id) AS findings, \
           (SELECT COUNT(*) FROM findings f WHERE f.target_id = a.id AND ( \
              NOT EXISTS (SELECT 1 FROM rectification_tasks t WHERE t.finding_id = f.id) \
              OR EXISTS (SELECT 1 FROM rectification_tasks t WHERE t.finding_id = f.id AND t.status <> 'closed') \
           )) AS open_findings \
         FROM sub o \
         LEFT JOIN arrived a ON a.org_id = o.id \
         ORDER BY o.code, a.since",
    )
    .bind(&term.committee_org_id)
    .bind(&term.id)
    .bind(crate::db::date_text(today))
    .fetch_all(&mut *conn)
    .await?;

    let mut orgs: Vec<Org> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    for r in &rows {
        let id: String = r.try_get("id")?;
        let i = match index.get(&id) {
            Some(&i) => i,
            None => {
                index.insert(id.clone(), orgs.len());
                let level: String = r.try_get("level")?;
                orgs.push(Org {
                    id,
                    name: r.try_get("name")?,
                    code: r.try_get("code")?,
                    level: OrgLevel::parse(&level).ok_or_else(|| unknown("orgs.level", &level))?,
                    township: r.try_get("township")?,
                    covered_by: Vec::new(),
                });
                orgs.len() - 1
            }
        };
        let Some(round_id) = r.try_get::<Option<String>, _>("round_id")? else {
            continue;
        };
        let kind: String = r.try_get("kind")?;
        let phase: String = r.try_get("phase")?;
        let phase = Phase::parse(&phase).ok_or_else(|| unknown("rounds.phase", &phase))?;
        let count = |col: &str| -> Result<u32> {
            Ok(u32::try_from(r.try_get::<i64, _>(col)?).unwrap_or(u32::MAX))
        };
        orgs[i].covered_by.push(CoveredBy {
            round_id,
            round_name: r.try_get("round_name")?,
            kind: RoundKind::parse(&kind).ok_or_else(|| unknown("rounds.kind", &kind))?,
            team_name: r.try_get("team_name")?,
            since: r.date("since")?,
            // Findings are settled at 反馈; only a round past it has its final list.
            state: CoverageState::of_target(
                phase > Phase::Feedback,
                count("findings")?,
                count("open_findings")?,
            ),
        });
    }

    let days_total = (term.end_date - term.start_date).num_days().max(1);
    let elapsed_share = elapsed_share(term.start_date, term.end_date, today);

    let mut overall = CoverageCount::default();
    let mut by_level: HashMap<OrgLevel, CoverageCount> = HashMap::new();
    let mut by_township: HashMap<String, CoverageCount> = HashMap::new();
    for o in &orgs {
        let state = o.state();
        overall.add(state);
        by_level.entry(o.level).or_default().add(state);
        if let Some(t) = &o.township {
            by_township.entry(t.clone()).or_default().add(state);
        }
    }
    let mut by_level: Vec<LevelCoverage> = by_level
        .into_iter()
        .map(|(level, count)| LevelCoverage { level, count })
        .collect();
    by_level.sort_by_key(|l| l.level);
    let townships = orgs
        .iter()
        .filter(|o| matches!(o.level, OrgLevel::Township | OrgLevel::Subdistrict))
        .map(|o| {
            let count = by_township.remove(&o.id).unwrap_or_default();
            TownshipCoverage {
                org_id: o.id.clone(),
                name: o.name.clone(),
                at_risk: at_risk(&count, elapsed_share),
                count,
            }
        })
        .collect();

    let projected_percent = projection(&overall, elapsed_share);
    let filter = q.status.unwrap_or_default();
    let matching: Vec<&Org> = orgs
        .iter()
        .filter(|o| filter.matches(o.state()))
        .filter(|o| q.level.is_none_or(|l| o.level == l))
        .filter(|o| {
            q.township_id
                .as_ref()
                .is_none_or(|t| o.township.as_ref() == Some(t))
        })
        .collect();
    let limit = q.limit.map_or(max_list, |l| (l as usize).min(max_list));
    let township_names: HashMap<&str, &str> = orgs
        .iter()
        .filter(|o| matches!(o.level, OrgLevel::Township | OrgLevel::Subdistrict))
        .map(|o| (o.id.as_str(), o.name.as_str()))
        .collect();
    let listed = |o: &Org| LedgerOrg {
        org_id: o.id.clone(),
        name: o.name.clone(),
        code: o.code.clone(),
        level: o.level,
        township: o
            .township
            .as_deref()
            .and_then(|t| township_names.get(t))
            .map(|s| s.to_string()),
        state: o.state(),
        covered_by: o.covered_by.clone(),
    };
    let list = matching.iter().take(limit).map(|o| listed(o)).collect();
    let no_findings = orgs
        .iter()
        .filter(|o| o.state() == CoverageState::NoFindings)
        .take(max_list)
        .map(listed)
        .collect();

    Ok(Ledger {
        days_total,
        days_left: (term.end_date - today).num_days().max(0),
        today,
        on_track: projected_percent >= 100.0 || overall.total == 0,
        projected_percent,
        overall,
        by_level,
        townships,
        orgs: list,
        orgs_matching: matching.len() as u32,
        no_findings,
        term,
    })
}

/// Behind pace: a smaller share covered than the share of the term already gone.
pub fn at_risk(count: &CoverageCount, elapsed_share: f64) -> bool {
    count.total > 0
        && count.covered < count.total
        && (count.covered as f64 / count.total as f64) < elapsed_share
}

/// Coverage at the end of the term if the pace so far holds.
pub fn projection(count: &CoverageCount, elapsed_share: f64) -> f64 {
    if count.total == 0 {
        return 100.0;
    }
    let share = count.covered as f64 / count.total as f64;
    if share >= 1.0 {
        return 100.0;
    }
    if elapsed_share <= 0.0 {
        return 0.0;
    }
    ((share / elapsed_share).min(1.0) * 1000.0).round() / 10.0
}

/// For the date range of a term: how far in it is.
pub fn elapsed_share(start: NaiveDate, end: NaiveDate, today: NaiveDate) -> f64 {
    let total = (end - start).num_days().max(1);
    (today - start).num_days().clamp(0, total) as f64 / total as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(total: u32, covered: u32) -> CoverageCount {
        CoverageCount {
            total,
            covered,
            ..Default::default()
        }
    }

    #[test]
    fn pace() {
        assert!(at_risk(&c(10, 2), 0.5));
        assert!(!at_risk(&c(10, 6), 0.5));
        assert!(!at_risk(&c(10, 10), 0.9));
        assert_eq!(projection(&c(10, 2), 0.5), 40.0);
        assert_eq!(projection(&c(10, 6), 0.5), 100.0);
        assert_eq!(projection(&c(0, 0), 0.5), 100.0);
        let d = |m| NaiveDate::from_ymd_opt(2021, m, 1).unwrap();
        assert!((elapsed_share(d(1), d(11), d(6)) - 151.0 / 304.0).abs() < 1e-9);
    }
}
