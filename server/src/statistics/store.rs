//! The figures of a term, each from one grouped query over the targets the reader reaches
//! (`scoped`, the same statement ahead of every query), aggregated here.

use std::collections::HashMap;

use sqlx::{AnyConnection, Row};
use xuncha_api::checklists::FocusPoint;
use xuncha_api::clues::ClueStatus;
use xuncha_api::coverage::LedgerQuery;
use xuncha_api::evaluations::THRESHOLD_MIN;
use xuncha_api::findings::{FindingSource, Severity};
use xuncha_api::petitions::{Channel, ChannelCount, Outcome, OutcomeCount};
use xuncha_api::rectification::TaskStatus;
use xuncha_api::rounds::Term;
use xuncha_api::statistics::{
    ClueStatusCount, FocusRow, Named, Rates, RectificationFigures, SeverityCount, SourceCount,
    Statistics, StatisticsQuery, StatusCount, TownshipRates, TownshipRectification,
};

use crate::access::{self, Actor, Object, Reach};
use crate::db::{date_text, Columns};
use crate::{Error, Result};

/// Every query starts from these targets and reaches the records through their `target_id`
/// index: `s CROSS JOIN x` is SQLite's way of fixing that order (PostgreSQL plans it as any
/// join). Left to itself, SQLite began the days-to-close query from every 销号 event in the
/// database and took 460 ms on the province set instead of 4.
///
/// The targets counted: of the term, narrowed by the filters (an empty text matches all) and,
/// for a team member, to their teams' targets. A target's township is its organisation's
/// parent, as in the ledgers.
fn scoped(teams: bool) -> String {
    format!(
        "WITH s AS (SELECT tg.id, COALESCE(p.id, '') AS township_id, COALESCE(p.name, '') AS township_name, \
         CAST($7 AS TEXT) AS today FROM targets tg JOIN rounds r ON r.id = tg.round_id JOIN orgs o ON o.id = tg.org_id \
         LEFT JOIN orgs p ON p.id = o.parent_id \
         WHERE r.term_id = $1 AND ($2 = '' OR r.id = $2) AND ($3 = '' OR o.parent_id = $3) \
         AND ($4 = '' OR r.kind = $4) AND ($5 = '' OR r.start_date >= $5) AND ($6 = '' OR r.start_date <= $6){}) ",
        if teams {
            format!(" AND {}", access::on_team_of("tg.id", 8))
        } else {
            String::new()
        }
    )
}

/// The townships of the targets in scope, by name, and the number of targets.
async fn townships_of(conn: &mut AnyConnection, b: &Binds) -> Result<(Vec<Named>, u32)> {
    let mut townships = Vec::new();
    let mut targets = 0;
    for r in b
        .rows(
            conn,
            "SELECT township_id, township_name, COUNT(*) AS n FROM s \
             GROUP BY township_id, township_name",
        )
        .await?
    {
        targets += count(&r, "n")?;
        townships.push(Named {
            id: r.try_get("township_id")?,
            name: r.try_get("township_name")?,
        });
    }
    townships.sort_by(|a: &Named, b: &Named| a.name.cmp(&b.name).then_with(|| a.id.cmp(&b.id)));
    Ok((townships, targets))
}

/// The binds every query takes: `$1`–`$6` the scope, `$7` today, `$8` the user of a team.
#[derive(Clone)]
pub(super) struct Binds {
    term: String,
    round: String,
    township: String,
    kind: String,
    from: String,
    to: String,
    today: String,
    user: Option<String>,
}

impl Binds {
    pub(super) async fn rows(
        &self,
        conn: &mut AnyConnection,
        sql: &str,
    ) -> Result<Vec<sqlx::any::AnyRow>> {
        let sql = format!("{}{sql}", scoped(self.user.is_some()));
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(&self.term)
            .bind(&self.round)
            .bind(&self.township)
            .bind(&self.kind)
            .bind(&self.from)
            .bind(&self.to)
            .bind(&self.today);
        if let Some(user) = &self.user {
            q = q.bind(user);
        }
        Ok(q.fetch_all(conn).await?)
    }
}

fn count(r: &sqlx::any::AnyRow, column: &str) -> Result<u32> {
    Ok(u32::try_from(r.try_get::<i64, _>(column)?).unwrap_or(u32::MAX))
}

/// What a reader counts in a term under the filters: the binds of every query, and the term.
pub(super) struct Scope {
    pub(super) binds: Binds,
    pub(super) term: Term,
    pub(super) today: chrono::NaiveDate,
    /// The office's and discipline's reach: every target.
    pub(super) all: bool,
}

pub(super) async fn scope(
    conn: &mut AnyConnection,
    actor: &Actor,
    term_id: &str,
    q: &StatisticsQuery,
) -> Result<Scope> {
    let user = match access::reach(actor, Object::Statistics)? {
        Reach::All => None,
        Reach::Teams(user) => Some(user.to_string()),
        Reach::Org(_) => return Err(Error::Forbidden),
    };
    // A term the actor does not reach is not found.
    let term = crate::rounds::store::visible_term(conn, actor, term_id).await?;
    let today = q.today.unwrap_or_else(|| chrono::Utc::now().date_naive());
    let text = |v: &Option<String>| v.clone().unwrap_or_default();
    let all = user.is_none();
    Ok(Scope {
        binds: Binds {
            term: term.id.clone(),
            round: text(&q.round_id),
            township: text(&q.township_id),
            kind: q.kind.map(|k| k.as_str().to_string()).unwrap_or_default(),
            from: q.from.map(date_text).unwrap_or_default(),
            to: q.to.map(date_text).unwrap_or_default(),
            today: date_text(today),
            user,
        },
        term,
        today,
        all,
    })
}

pub async fn statistics(
    conn: &mut AnyConnection,
    actor: &Actor,
    term_id: &str,
    q: &StatisticsQuery,
) -> Result<Statistics> {
    let Scope {
        binds: b,
        term,
        today,
        all,
    } = scope(conn, actor, term_id, q).await?;
    let user = b.user.clone();
    let rounds = rounds_of(conn, term_id, user.as_deref()).await?;
    let township_options = townships_of(
        conn,
        &Binds {
            round: String::new(),
            township: String::new(),
            kind: String::new(),
            from: String::new(),
            to: String::new(),
            ..b.clone()
        },
    )
    .await?
    .0;

    let (townships, targets) = townships_of(conn, &b).await?;
    let column: HashMap<String, usize> = townships
        .iter()
        .enumerate()
        .map(|(i, t)| (t.id.clone(), i))
        .collect();

    let mut by_focus: Vec<FocusRow> = FocusPoint::ALL
        .iter()
        .map(|f| FocusRow {
            focus: *f,
            total: 0,
            by_township: vec![0; townships.len()],
        })
        .collect();
    let mut severity: HashMap<&'static str, u32> = HashMap::new();
    let mut source: HashMap<&'static str, u32> = HashMap::new();
    let mut findings = 0;
    for r in b
        .rows(
            conn,
            "SELECT s.township_id, f.focus, f.severity, f.source, COUNT(*) AS n \
             FROM s CROSS JOIN findings f WHERE f.target_id = s.id \
             GROUP BY s.township_id, f.focus, f.severity, f.source",
        )
        .await?
    {
        let n = count(&r, "n")?;
        findings += n;
        let focus = r.enumerated("focus", FocusPoint::parse)?;
        let row = &mut by_focus[FocusPoint::ALL
            .iter()
            .position(|f| *f == focus)
            .unwrap_or(0)];
        row.total += n;
        if let Some(&i) = column.get(&r.try_get::<String, _>("township_id")?) {
            row.by_township[i] += n;
        }
        *severity
            .entry(r.enumerated("severity", Severity::parse)?.as_str())
            .or_default() += n;
        *source
            .entry(r.enumerated("source", FindingSource::parse)?.as_str())
            .or_default() += n;
    }

    let mut rectification = RectificationFigures::default();
    let mut per_township: Vec<RectificationFigures> =
        vec![RectificationFigures::default(); townships.len()];
    let mut status: HashMap<&'static str, u32> = HashMap::new();
    for r in b
        .rows(
            conn,
            "SELECT s.township_id, t.status, \
               CASE WHEN t.status IN ('pending', 'in_progress', 'submitted') AND t.deadline < s.today \
               THEN 1 ELSE 0 END AS overdue, COUNT(*) AS n \
             FROM s CROSS JOIN rectification_tasks t WHERE t.target_id = s.id \
             GROUP BY s.township_id, t.status, \
               CASE WHEN t.status IN ('pending', 'in_progress', 'submitted') AND t.deadline < s.today \
               THEN 1 ELSE 0 END",
        )
        .await?
    {
        let n = count(&r, "n")?;
        let st = r.enumerated("status", TaskStatus::parse)?;
        let closed = st == TaskStatus::Closed;
        let overdue = r.try_get::<i64, _>("overdue")? == 1;
        rectification.add(closed, overdue, n);
        if let Some(&i) = column.get(&r.try_get::<String, _>("township_id")?) {
            per_township[i].add(closed, overdue, n);
        }
        *status.entry(st.as_str()).or_default() += n;
    }

    let mut days = Vec::new();
    for r in b
        .rows(
            conn,
            "SELECT t.created_at, MIN(c.at) AS closed_at \
             FROM s CROSS JOIN rectification_tasks t CROSS JOIN task_events c \
             WHERE t.target_id = s.id AND c.task_id = t.id AND c.to_status = 'closed' \
             GROUP BY t.id, t.created_at",
        )
        .await?
    {
        let (from, to) = (r.timestamp("created_at")?, r.timestamp("closed_at")?);
        days.push((to - from).num_seconds().max(0) as f64 / 86_400.0);
    }
    let average_days_to_close = (!days.is_empty())
        .then(|| (days.iter().sum::<f64>() / days.len() as f64 * 10.0).round() / 10.0);

    let mut petitions = 0;
    let mut channel: HashMap<&'static str, i64> = HashMap::new();
    let mut outcome: Vec<OutcomeCount> = Vec::new();
    for r in b
        .rows(
            conn,
            "SELECT p.channel, p.outcome, COUNT(*) AS n FROM s CROSS JOIN petitions p WHERE p.target_id = s.id \
             GROUP BY p.channel, p.outcome",
        )
        .await?
    {
        let n = r.try_get::<i64, _>("n")?;
        petitions += count(&r, "n")?;
        *channel
            .entry(r.enumerated("channel", Channel::parse)?.as_str())
            .or_default() += n;
        let o = r.enumerated_opt("outcome", Outcome::parse)?;
        match outcome.iter_mut().find(|c| c.outcome == o) {
            Some(c) => c.count += n,
            None => outcome.push(OutcomeCount {
                outcome: o,
                count: n,
            }),
        }
    }
    // Untriaged first, then in the order the triage offers them.
    outcome.sort_by_key(|c| {
        c.outcome
            .map(|o| Outcome::ALL.iter().position(|x| *x == o).unwrap_or(0) + 1)
            .unwrap_or(0)
    });

    let mut clues = 0;
    let mut clue_status: HashMap<&'static str, u32> = HashMap::new();
    for r in b
        .rows(
            conn,
            "SELECT c.status, COUNT(*) AS n FROM s CROSS JOIN clues c WHERE c.target_id = s.id \
             GROUP BY c.status",
        )
        .await?
    {
        let n = count(&r, "n")?;
        clues += n;
        *clue_status
            .entry(r.enumerated("status", ClueStatus::parse)?.as_str())
            .or_default() += n;
    }
    let clues_referred = [
        ClueStatus::Referred,
        ClueStatus::Accepted,
        ClueStatus::Handling,
        ClueStatus::Concluded,
    ]
    .iter()
    .map(|s| clue_status.get(s.as_str()).copied().unwrap_or(0))
    .sum();

    let mut rates = Rates::default();
    let mut rates_per: Vec<Rates> = vec![Rates::default(); townships.len()];
    for r in b
        .rows(
            conn,
            "SELECT s.township_id, e.threshold, \
               (SELECT CAST(COALESCE(SUM(x.count), 0) AS BIGINT) FROM evaluation_ballots x WHERE x.evaluation_id = e.id) AS responses, \
               (SELECT CAST(COALESCE(SUM(x.count), 0) AS BIGINT) FROM evaluation_tallies x WHERE x.evaluation_id = e.id AND x.question = 'know' AND x.answer = 'yes') AS know, \
               (SELECT CAST(COALESCE(SUM(x.count), 0) AS BIGINT) FROM evaluation_tallies x WHERE x.evaluation_id = e.id AND x.question = 'took_part' AND x.answer = 'yes') AS took_part, \
               (SELECT CAST(COALESCE(SUM(x.count), 0) AS BIGINT) FROM evaluation_tallies x WHERE x.evaluation_id = e.id AND x.question = 'satisfied' AND x.answer = 'yes') AS satisfied \
             FROM s CROSS JOIN evaluations e WHERE e.target_id = s.id",
        )
        .await?
    {
        let responses = r.try_get::<i64, _>("responses")?;
        // Below its threshold an evaluation shows nothing, here as on its own page.
        if responses < r.try_get::<i64, _>("threshold")?.max(THRESHOLD_MIN) {
            continue;
        }
        let figures = (
            count(&r, "responses")?,
            count(&r, "know")?,
            count(&r, "took_part")?,
            count(&r, "satisfied")?,
        );
        rates.add(figures.0, figures.1, figures.2, figures.3);
        if let Some(&i) = column.get(&r.try_get::<String, _>("township_id")?) {
            rates_per[i].add(figures.0, figures.1, figures.2, figures.3);
        }
    }

    let coverage = match all {
        true => {
            let ledger = crate::rounds::coverage::ledger(
                conn,
                actor,
                term_id,
                &LedgerQuery {
                    today: Some(today),
                    ..Default::default()
                },
                0,
            )
            .await?;
            match q.township_id.as_deref().filter(|t| !t.is_empty()) {
                None => Some(ledger.overall),
                Some(t) => ledger
                    .townships
                    .into_iter()
                    .find(|c| c.org_id == t)
                    .map(|c| c.count),
            }
        }
        false => None,
    };

    Ok(Statistics {
        term,
        today,
        own_targets_only: user.is_some(),
        rounds,
        targets,
        findings,
        by_focus,
        by_severity: Severity::ALL
            .iter()
            .map(|s| SeverityCount {
                severity: *s,
                count: severity.get(s.as_str()).copied().unwrap_or(0),
            })
            .collect(),
        by_source: FindingSource::ALL
            .iter()
            .map(|s| SourceCount {
                source: *s,
                count: source.get(s.as_str()).copied().unwrap_or(0),
            })
            .collect(),
        rectification,
        tasks_by_status: TaskStatus::ALL
            .iter()
            .map(|s| StatusCount {
                status: *s,
                count: status.get(s.as_str()).copied().unwrap_or(0),
            })
            .collect(),
        average_days_to_close,
        rectification_by_township: townships
            .iter()
            .zip(per_township)
            .map(|(t, figures)| TownshipRectification {
                township: t.clone(),
                figures,
            })
            .collect(),
        coverage,
        petitions,
        petitions_by_channel: Channel::ALL
            .iter()
            .map(|c| ChannelCount {
                channel: *c,
                count: channel.get(c.as_str()).copied().unwrap_or(0),
            })
            .collect(),
        petitions_by_outcome: outcome,
        clues,
        clues_by_status: ClueStatus::ALL
            .iter()
            .map(|s| ClueStatusCount {
                status: *s,
                count: clue_status.get(s.as_str()).copied().unwrap_or(0),
            })
            .collect(),
        clues_referred,
        rates,
        rates_by_township: townships
            .iter()
            .zip(rates_per)
            .filter(|(_, r)| r.evaluations > 0)
            .map(|(t, rates)| TownshipRates {
                township: t.clone(),
                rates,
            })
            .collect(),
        townships,
        township_options,
    })
}

/// The term's rounds the reader reaches, earliest first.
async fn rounds_of(
    conn: &mut AnyConnection,
    term_id: &str,
    user: Option<&str>,
) -> Result<Vec<Named>> {
    let teams = match user {
        Some(_) => {
            " AND EXISTS (SELECT 1 FROM teams tm CROSS JOIN team_members m \
                    WHERE tm.round_id = r.id AND m.team_id = tm.id AND m.user_id = $2)"
        }
        None => "",
    };
    let mut q = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT r.id, r.name FROM rounds r WHERE r.term_id = $1{teams} ORDER BY r.start_date, r.name"
    )))
    .bind(term_id);
    if let Some(user) = user {
        q = q.bind(user);
    }
    q.fetch_all(conn)
        .await?
        .iter()
        .map(|r| {
            Ok(Named {
                id: r.try_get("id")?,
                name: r.try_get("name")?,
            })
        })
        .collect()
}
