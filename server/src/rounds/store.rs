//! Terms, rounds, teams and targets. Scoping lives here: an inspector reaches only the rounds,
//! teams and targets of the teams they belong to; a unit liaison reaches none of it (it has its
//! own narrow view, `unit_inspections`).

use std::collections::{HashMap, HashSet};

use serde_json::json;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};
use xuncha_api::orgs::OrgLevel;
use xuncha_api::rounds::{
    AssignTargets, CreateRound, CreateTeam, CreateTerm, Phase, RecordProgress, Round, RoundKind,
    Target, TargetDetail, TargetProgress, Team, TeamMember, Term, UnitInspection,
};
use xuncha_api::users::Role;
use xuncha_api::{FieldError, Problem, RowError};

use crate::access::{self, Actor, Object, Reach};
use crate::db::{self, date_text, Columns, Tx};
use crate::error::on_unique;
use crate::{audit, Error, Result};

/// Who may read rounds: the office and discipline all of them, an inspector those of their
/// teams, a liaison none.
enum Scope<'a> {
    All,
    Member(&'a str),
}

fn scope(actor: &Actor) -> Result<Scope<'_>> {
    match access::reach(actor, Object::Round)? {
        Reach::All => Ok(Scope::All),
        Reach::Teams(user) => Ok(Scope::Member(user)),
        Reach::Org(_) => Err(Error::Forbidden),
    }
}

/// The rounds with a team user `$n` is on, as a subquery.
fn my_rounds(n: u8) -> String {
    format!(
        "SELECT round_id FROM teams WHERE id IN ({})",
        access::my_teams(n)
    )
}

// ---- terms ----

fn term_from(r: &AnyRow) -> Result<Term> {
    Ok(Term {
        id: r.try_get("id")?,
        committee_org_id: r.try_get("committee_org_id")?,
        committee_name: r.try_get("committee_name")?,
        name: r.try_get("name")?,
        start_date: r.date("start_date")?,
        end_date: r.date("end_date")?,
    })
}

pub async fn list_terms(conn: &mut AnyConnection, actor: &Actor) -> Result<Vec<Term>> {
    let rows = match scope(actor)? {
        Scope::All => {
            sqlx::query(
                "SELECT t.*, o.name AS committee_name FROM terms t JOIN orgs o ON o.id = t.committee_org_id \
                 ORDER BY t.start_date DESC",
            )
            .fetch_all(conn)
            .await?
        }
        Scope::Member(user) => {
            sqlx::query(sqlx::AssertSqlSafe(format!(
                "SELECT t.*, o.name AS committee_name FROM terms t JOIN orgs o ON o.id = t.committee_org_id \
                 WHERE t.id IN (SELECT term_id FROM rounds WHERE id IN ({})) \
                 ORDER BY t.start_date DESC",
                my_rounds(1)
            )))
            .bind(user)
            .fetch_all(conn)
            .await?
        }
    };
    rows.iter().map(term_from).collect()
}

/// The name of a term the actor may list (an inspector: one with a round of their teams);
/// any other is not found.
pub async fn visible_term_name(
    conn: &mut AnyConnection,
    actor: &Actor,
    id: &str,
) -> Result<String> {
    Ok(visible_term(conn, actor, id).await?.name)
}

/// A term as far as the actor reaches it: every term for the office and discipline, a term
/// with a round of one of their teams for an inspector.
pub async fn visible_term(conn: &mut AnyConnection, actor: &Actor, id: &str) -> Result<Term> {
    const SELECT: &str = "SELECT t.*, o.name AS committee_name FROM terms t \
        JOIN orgs o ON o.id = t.committee_org_id WHERE t.id = $1";
    let row = match scope(actor)? {
        Scope::All => sqlx::query(SELECT).bind(id).fetch_optional(conn).await?,
        Scope::Member(user) => {
            // From the term's rounds to their teams to the user, by key (CROSS JOIN fixes
            // that order on SQLite): an inspector on teams across a province sits on thousands
            // of teams, which listed first took 21 ms on the province set, this 0.3 ms.
            sqlx::query(sqlx::AssertSqlSafe(format!(
                "{SELECT} AND EXISTS (SELECT 1 FROM rounds r CROSS JOIN teams tm CROSS JOIN team_members m \
                 WHERE r.term_id = t.id AND tm.round_id = r.id AND m.team_id = tm.id AND m.user_id = $2)"
            )))
            .bind(id)
            .bind(user)
            .fetch_optional(conn)
            .await?
        }
    };
    term_from(&row.ok_or(Error::NotFound)?)
}

/// A term as the office and discipline see it (the ledger is theirs).
pub async fn term(conn: &mut AnyConnection, actor: &Actor, id: &str) -> Result<Term> {
    actor.require(&[Role::Admin, Role::Discipline])?;
    let row = sqlx::query(
        "SELECT t.*, o.name AS committee_name FROM terms t JOIN orgs o ON o.id = t.committee_org_id WHERE t.id = $1",
    )
    .bind(id)
    .fetch_optional(conn)
    .await?
    .ok_or(Error::NotFound)?;
    term_from(&row)
}

pub async fn create_term(tx: &mut Tx<'_>, actor: &Actor, req: &CreateTerm) -> Result<Term> {
    actor.require_admin()?;
    req.validate().map_err(Error::Invalid)?;
    let level: Option<String> = sqlx::query_scalar("SELECT level FROM orgs WHERE id = $1")
        .bind(&req.committee_org_id)
        .fetch_optional(&mut **tx)
        .await?;
    match level.as_deref().and_then(OrgLevel::parse) {
        None => {
            return Err(Error::invalid(
                "committee_org_id",
                Problem::UnknownReference,
            ))
        }
        // Only a city or county Party committee runs inspection terms.
        Some(OrgLevel::City | OrgLevel::County) => {}
        Some(_) => return Err(Error::invalid("committee_org_id", Problem::NotAllowed)),
    }
    let overlapping: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM terms WHERE committee_org_id = $1 AND start_date < $2 AND end_date > $3",
    )
    .bind(&req.committee_org_id)
    .bind(date_text(req.end_date))
    .bind(date_text(req.start_date))
    .fetch_one(&mut **tx)
    .await?;
    if overlapping > 0 {
        return Err(Error::Conflict(FieldError::new(
            "start_date",
            Problem::Taken,
        )));
    }
    let id = db::new_id();
    sqlx::query("INSERT INTO terms (id, committee_org_id, name, start_date, end_date, created_at) VALUES ($1, $2, $3, $4, $5, $6)")
        .bind(&id)
        .bind(&req.committee_org_id)
        .bind(req.name.trim())
        .bind(date_text(req.start_date))
        .bind(date_text(req.end_date))
        .bind(db::ts(db::now()))
        .execute(&mut **tx)
        .await?;
    audit::record(
        tx,
        Some(actor),
        "term.create",
        "term",
        Some(&id),
        json!(req_json(req)),
    );
    term(tx, actor, &id).await
}

fn req_json<T: serde::Serialize>(v: &T) -> serde_json::Value {
    serde_json::to_value(v).unwrap_or_default()
}

// ---- rounds ----

const ROUND_SELECT: &str =
    "SELECT r.id, r.term_id, r.name, r.kind, r.theme, r.start_date, r.end_date, r.phase, \
     (SELECT COUNT(*) FROM targets tg WHERE tg.round_id = r.id) AS target_count FROM rounds r";

/// For an inspector (`$1`) the count is of their own teams' targets only.
fn member_round_select() -> String {
    format!(
        "SELECT r.id, r.term_id, r.name, r.kind, r.theme, r.start_date, r.end_date, r.phase, \
         (SELECT COUNT(*) FROM targets tg WHERE tg.round_id = r.id AND tg.team_id IN ({})) \
         AS target_count FROM rounds r",
        access::my_teams(1)
    )
}

fn round_from(r: &AnyRow) -> Result<Round> {
    Ok(Round {
        id: r.try_get("id")?,
        term_id: r.try_get("term_id")?,
        name: r.try_get("name")?,
        kind: r.enumerated("kind", RoundKind::parse)?,
        theme: r.try_get("theme")?,
        start_date: r.date("start_date")?,
        end_date: r.date("end_date")?,
        phase: r.enumerated("phase", Phase::parse)?,
        target_count: r.try_get("target_count")?,
    })
}

pub async fn list_rounds(conn: &mut AnyConnection, actor: &Actor) -> Result<Vec<Round>> {
    let rows = match scope(actor)? {
        Scope::All => {
            sqlx::query(sqlx::AssertSqlSafe(format!(
                "{ROUND_SELECT} ORDER BY r.start_date DESC, r.name"
            )))
            .fetch_all(conn)
            .await?
        }
        Scope::Member(user) => {
            sqlx::query(sqlx::AssertSqlSafe(format!(
                "{} WHERE r.id IN ({}) ORDER BY r.start_date DESC, r.name",
                member_round_select(),
                my_rounds(1)
            )))
            .bind(user)
            .fetch_all(conn)
            .await?
        }
    };
    rows.iter().map(round_from).collect()
}

pub async fn round(conn: &mut AnyConnection, actor: &Actor, id: &str) -> Result<Round> {
    let row = match scope(actor)? {
        Scope::All => {
            sqlx::query(sqlx::AssertSqlSafe(format!(
                "{ROUND_SELECT} WHERE r.id = $1"
            )))
            .bind(id)
            .fetch_optional(conn)
            .await?
        }
        Scope::Member(user) => {
            sqlx::query(sqlx::AssertSqlSafe(format!(
                "{} WHERE r.id = $2 AND r.id IN ({})",
                member_round_select(),
                my_rounds(1)
            )))
            .bind(user)
            .bind(id)
            .fetch_optional(conn)
            .await?
        }
    };
    round_from(&row.ok_or(Error::NotFound)?)
}

pub async fn create_round(tx: &mut Tx<'_>, actor: &Actor, req: &CreateRound) -> Result<Round> {
    actor.require_admin()?;
    req.validate().map_err(Error::Invalid)?;
    let term = sqlx::query("SELECT start_date, end_date FROM terms WHERE id = $1")
        .bind(&req.term_id)
        .fetch_optional(&mut **tx)
        .await?
        .ok_or_else(|| Error::invalid("term_id", Problem::UnknownReference))?;
    let (start, end) = (term.date("start_date")?, term.date("end_date")?);
    if req.start_date < start || req.start_date > end {
        return Err(Error::invalid("start_date", Problem::NotAllowed));
    }
    let id = db::new_id();
    let now = db::ts(db::now());
    sqlx::query(
        "INSERT INTO rounds (id, term_id, name, kind, theme, start_date, end_date, phase, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)",
    )
    .bind(&id)
    .bind(&req.term_id)
    .bind(req.name.trim())
    .bind(req.kind.as_str())
    .bind(req.theme.trim())
    .bind(date_text(req.start_date))
    .bind(date_text(req.end_date))
    .bind(Phase::Preparation.as_str())
    .bind(&now)
    .execute(&mut **tx)
    .await?;
    audit::record(
        tx,
        Some(actor),
        "round.create",
        "round",
        Some(&id),
        req_json(req),
    );
    round(tx, actor, &id).await
}

/// Phases move one step forward at a time; anything else is refused.
pub async fn change_phase(tx: &mut Tx<'_>, actor: &Actor, id: &str, to: Phase) -> Result<Round> {
    actor.require_admin()?;
    let current = round(tx, actor, id).await?;
    if current.phase.next() != Some(to) {
        return Err(Error::invalid("to", Problem::NotAllowed));
    }
    // Every petition is triaged before the round leaves 报告.
    if current.phase == Phase::Report {
        let waiting = crate::petitions::store::untriaged_in_round(tx, id).await?;
        if waiting > 0 {
            return Err(Error::Conflict(FieldError::new(
                "to",
                Problem::Untriaged {
                    count: waiting as usize,
                },
            )));
        }
    }
    sqlx::query("UPDATE rounds SET phase = $1, updated_at = $2 WHERE id = $3")
        .bind(to.as_str())
        .bind(db::ts(db::now()))
        .bind(id)
        .execute(&mut **tx)
        .await?;
    audit::record(
        tx,
        Some(actor),
        "round.phase",
        "round",
        Some(id),
        json!({ "phase": [current.phase, to] }),
    );
    round(tx, actor, id).await
}

// ---- teams ----

pub async fn teams(conn: &mut AnyConnection, actor: &Actor, round_id: &str) -> Result<Vec<Team>> {
    round(conn, actor, round_id).await?;
    let rows =
        match scope(actor)? {
            Scope::All => sqlx::query(
                "SELECT id, round_id, name, contact FROM teams WHERE round_id = $1 ORDER BY name",
            )
            .bind(round_id)
            .fetch_all(&mut *conn)
            .await?,
            Scope::Member(user) => {
                sqlx::query(sqlx::AssertSqlSafe(format!(
                    "SELECT id, round_id, name, contact FROM teams WHERE round_id = $1 \
                     AND id IN ({}) ORDER BY name",
                    access::my_teams(2)
                )))
                .bind(round_id)
                .bind(user)
                .fetch_all(&mut *conn)
                .await?
            }
        };
    let mut teams = Vec::with_capacity(rows.len());
    for r in &rows {
        let id: String = r.try_get("id")?;
        let members = sqlx::query(
            "SELECT m.user_id, u.display_name, m.leader FROM team_members m JOIN users u ON u.id = m.user_id \
             WHERE m.team_id = $1 ORDER BY m.leader DESC, u.display_name",
        )
        .bind(&id)
        .fetch_all(&mut *conn)
        .await?
        .iter()
        .map(|m| {
            Ok(TeamMember {
                user_id: m.try_get("user_id")?,
                display_name: m.try_get("display_name")?,
                leader: m.try_get::<i64, _>("leader")? != 0,
            })
        })
        .collect::<Result<Vec<_>>>()?;
        teams.push(Team {
            id,
            round_id: r.try_get("round_id")?,
            name: r.try_get("name")?,
            contact: r.try_get("contact")?,
            members,
        });
    }
    Ok(teams)
}

pub async fn create_team(
    tx: &mut Tx<'_>,
    actor: &Actor,
    round_id: &str,
    req: &CreateTeam,
) -> Result<Team> {
    actor.require_admin()?;
    req.validate().map_err(Error::Invalid)?;
    round(tx, actor, round_id).await?;
    // The leader first; a member named twice counts once.
    let mut people = vec![req.leader_id.clone()];
    for m in &req.member_ids {
        if !people.contains(m) {
            people.push(m.clone());
        }
    }
    for (i, user_id) in people.iter().enumerate() {
        let role: Option<String> =
            sqlx::query_scalar("SELECT role FROM users WHERE id = $1 AND active = 1")
                .bind(user_id)
                .fetch_optional(&mut **tx)
                .await?;
        let field = if i == 0 { "leader_id" } else { "member_ids" };
        match role.as_deref() {
            None => return Err(Error::invalid(field, Problem::UnknownReference)),
            Some("inspector") => {}
            // Teams are formed from inspector accounts only.
            Some(_) => return Err(Error::invalid(field, Problem::NotAllowed)),
        }
    }
    let id = db::new_id();
    sqlx::query(
        "INSERT INTO teams (id, round_id, name, contact, created_at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(&id)
    .bind(round_id)
    .bind(req.name.trim())
    .bind(req.contact.trim())
    .bind(db::ts(db::now()))
    .execute(&mut **tx)
    .await
    .map_err(|e| on_unique(e, "name"))?;
    for (i, user_id) in people.iter().enumerate() {
        sqlx::query("INSERT INTO team_members (team_id, user_id, leader) VALUES ($1, $2, $3)")
            .bind(&id)
            .bind(user_id)
            .bind(i64::from(i == 0))
            .execute(&mut **tx)
            .await?;
    }
    audit::record(
        tx,
        Some(actor),
        "team.create",
        "team",
        Some(&id),
        json!({ "round_id": round_id, "team": req_json(req) }),
    );
    teams(tx, actor, round_id)
        .await?
        .into_iter()
        .find(|t| t.id == id)
        .ok_or(Error::NotFound)
}

// ---- targets ----

fn target_from(r: &AnyRow) -> Result<Target> {
    Ok(Target {
        id: r.try_get("id")?,
        round_id: r.try_get("round_id")?,
        org_id: r.try_get("org_id")?,
        org_name: r.try_get("org_name")?,
        org_level: r.enumerated("org_level", OrgLevel::parse)?,
        team_id: r.try_get("team_id")?,
        team_name: r.try_get("team_name")?,
        station_start: r.date_opt("station_start")?,
        station_end: r.date_opt("station_end")?,
        township: r
            .try_get::<Option<String>, _>("township")?
            .unwrap_or_default(),
        progress: TargetProgress::default(),
    })
}

const TARGET_SELECT: &str =
    "SELECT tg.id, tg.round_id, tg.org_id, o.name AS org_name, o.level AS org_level, \
    tg.team_id, tm.name AS team_name, tg.station_start, tg.station_end, p.name AS township \
    FROM targets tg JOIN orgs o ON o.id = tg.org_id JOIN teams tm ON tm.id = tg.team_id \
    LEFT JOIN orgs p ON p.id = o.parent_id";

/// Each target's record, findings and open tasks, in grouped queries for the whole round
/// rather than four per target; with `only`, for that one target (its page).
async fn fill_progress(
    conn: &mut AnyConnection,
    round_id: &str,
    only: Option<&str>,
    targets: &mut [Target],
) -> Result<()> {
    // Empty matches every target of the round: one statement for both uses.
    let only = only.unwrap_or_default();
    let index: HashMap<String, usize> = targets
        .iter()
        .enumerate()
        .map(|(i, t)| (t.id.clone(), i))
        .collect();
    let records = sqlx::query(
        "SELECT cr.id, cr.target_id, cr.status, cr.template_id, \
           (SELECT COUNT(*) FROM checklist_answers a WHERE a.record_id = cr.id AND a.value IS NOT NULL) AS answered \
         FROM checklist_records cr JOIN targets tg ON tg.id = cr.target_id WHERE tg.round_id = $1 \
         AND ($2 = '' OR tg.id = $2)",
    )
    .bind(round_id)
    .bind(only)
    .fetch_all(&mut *conn)
    .await?;
    // Items per template: a round uses one or two templates.
    let mut totals: HashMap<String, i64> = HashMap::new();
    for r in &records {
        let target: String = r.try_get("target_id")?;
        let template: String = r.try_get("template_id")?;
        let Some(&i) = index.get(&target) else {
            continue;
        };
        if !totals.contains_key(&template) {
            let content: String =
                sqlx::query_scalar("SELECT content FROM checklist_templates WHERE id = $1")
                    .bind(&template)
                    .fetch_one(&mut *conn)
                    .await?;
            let content: xuncha_api::checklists::TemplateContent =
                serde_json::from_str(&content).map_err(|e| anyhow::anyhow!(e))?;
            totals.insert(template.clone(), content.items().count() as i64);
        }
        targets[i].progress.record = Some(RecordProgress {
            id: r.try_get("id")?,
            answered: r.try_get("answered")?,
            total: totals[&template],
            submitted: r.try_get::<String, _>("status")? == "submitted",
        });
    }
    let findings = sqlx::query(
        "SELECT f.target_id, COUNT(*) AS n FROM findings f JOIN targets tg ON tg.id = f.target_id \
         WHERE tg.round_id = $1 AND ($2 = '' OR tg.id = $2) GROUP BY f.target_id",
    )
    .bind(round_id)
    .bind(only)
    .fetch_all(&mut *conn)
    .await?;
    for r in &findings {
        if let Some(&i) = index.get(&r.try_get::<String, _>("target_id")?) {
            targets[i].progress.findings = r.try_get("n")?;
        }
    }
    let today = date_text(chrono::Utc::now().date_naive());
    let tasks = sqlx::query(
        "SELECT t.target_id, COUNT(*) AS n, \
           CAST(SUM(CASE WHEN t.deadline < $2 THEN 1 ELSE 0 END) AS BIGINT) AS late \
         FROM rectification_tasks t JOIN targets tg ON tg.id = t.target_id \
         WHERE tg.round_id = $1 AND ($3 = '' OR tg.id = $3) \
           AND t.status IN ('pending', 'in_progress', 'submitted') GROUP BY t.target_id",
    )
    .bind(round_id)
    .bind(&today)
    .bind(only)
    .fetch_all(&mut *conn)
    .await?;
    for r in &tasks {
        if let Some(&i) = index.get(&r.try_get::<String, _>("target_id")?) {
            targets[i].progress.open_tasks = r.try_get("n")?;
            targets[i].progress.overdue_tasks = r.try_get("late")?;
        }
    }
    Ok(())
}

/// One target with its round and team, as its page heads it.
pub async fn target(conn: &mut AnyConnection, actor: &Actor, id: &str) -> Result<TargetDetail> {
    let relation = access::on_target(conn, actor, id, Object::Round, access::Grant::Read)
        .await?
        .relation;
    let row = sqlx::query(sqlx::AssertSqlSafe(format!(
        "{TARGET_SELECT} WHERE tg.id = $1"
    )))
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?
    .ok_or(Error::NotFound)?;
    let mut t = [target_from(&row)?];
    let round = round_from(
        &sqlx::query(sqlx::AssertSqlSafe(format!(
            "{ROUND_SELECT} WHERE r.id = $1"
        )))
        .bind(&t[0].round_id)
        .fetch_one(&mut *conn)
        .await?,
    )?;
    fill_progress(conn, &round.id, Some(id), &mut t).await?;
    let [target] = t;
    let team = sqlx::query(
        "SELECT tm.contact, COALESCE((SELECT u.display_name FROM team_members m JOIN users u ON u.id = m.user_id \
           WHERE m.team_id = tm.id AND m.leader = 1 ORDER BY u.display_name LIMIT 1), '') AS leader \
         FROM teams tm WHERE tm.id = $1",
    )
    .bind(&target.team_id)
    .fetch_one(&mut *conn)
    .await?;
    Ok(TargetDetail {
        round_name: round.name,
        round_phase: round.phase,
        team_contact: team.try_get("contact")?,
        team_leader: team.try_get("leader")?,
        on_team: matches!(
            relation,
            access::Relation::Leader | access::Relation::Member
        ),
        target,
    })
}

pub async fn targets(
    conn: &mut AnyConnection,
    actor: &Actor,
    round_id: &str,
) -> Result<Vec<Target>> {
    round(conn, actor, round_id).await?;
    let rows = match scope(actor)? {
        Scope::All => {
            sqlx::query(sqlx::AssertSqlSafe(format!(
                "{TARGET_SELECT} WHERE tg.round_id = $1 ORDER BY o.code"
            )))
            .bind(round_id)
            .fetch_all(&mut *conn)
            .await?
        }
        Scope::Member(user) => {
            sqlx::query(sqlx::AssertSqlSafe(format!(
                "{TARGET_SELECT} WHERE tg.round_id = $1 AND tg.team_id IN ({}) ORDER BY o.code",
                access::my_teams(2)
            )))
            .bind(round_id)
            .bind(user)
            .fetch_all(&mut *conn)
            .await?
        }
    };
    let mut targets = rows.iter().map(target_from).collect::<Result<Vec<_>>>()?;
    fill_progress(conn, round_id, None, &mut targets).await?;
    Ok(targets)
}

/// Assigns organisations to a team, all or none: every refused organisation is reported.
pub async fn assign(
    tx: &mut Tx<'_>,
    actor: &Actor,
    round_id: &str,
    req: &AssignTargets,
) -> Result<Vec<Target>> {
    actor.require_admin()?;
    req.validate().map_err(Error::Invalid)?;
    let round = round(tx, actor, round_id).await?;
    let team_round: Option<String> = sqlx::query_scalar("SELECT round_id FROM teams WHERE id = $1")
        .bind(&req.team_id)
        .fetch_optional(&mut **tx)
        .await?;
    if team_round.as_deref() != Some(round_id) {
        return Err(Error::invalid("team_id", Problem::UnknownReference));
    }
    let committee: String = sqlx::query_scalar("SELECT committee_org_id FROM terms WHERE id = $1")
        .bind(&round.term_id)
        .fetch_one(&mut **tx)
        .await?;

    // The committee's subtree, and which of it lies inside a lower committee (a county under
    // a city), which only an elevated or linked round may reach.
    let tree = sqlx::query(
        "WITH RECURSIVE sub(id, level, active, lower) AS ( \
           SELECT id, level, active, 0 FROM orgs WHERE parent_id = $1 \
           UNION ALL \
           SELECT o.id, o.level, o.active, CASE WHEN sub.lower = 1 OR sub.level = 'county' THEN 1 ELSE 0 END \
           FROM orgs o JOIN sub ON o.parent_id = sub.id) \
         SELECT id, active, lower FROM sub",
    )
    .bind(&committee)
    .fetch_all(&mut **tx)
    .await?;
    let mut in_scope: HashMap<String, (bool, bool)> = HashMap::new();
    for r in &tree {
        in_scope.insert(
            r.try_get("id")?,
            (
                r.try_get::<i64, _>("active")? != 0,
                r.try_get::<i64, _>("lower")? != 0,
            ),
        );
    }
    let already: HashSet<String> =
        sqlx::query_scalar("SELECT org_id FROM targets WHERE round_id = $1")
            .bind(round_id)
            .fetch_all(&mut **tx)
            .await?
            .into_iter()
            .collect();
    let inspected_in_term: HashSet<String> = if round.kind == RoundKind::FollowUp {
        sqlx::query_scalar(
            "SELECT DISTINCT tg.org_id FROM targets tg JOIN rounds r ON r.id = tg.round_id \
             WHERE r.term_id = $1 AND r.id <> $2",
        )
        .bind(&round.term_id)
        .bind(round_id)
        .fetch_all(&mut **tx)
        .await?
        .into_iter()
        .collect()
    } else {
        HashSet::new()
    };

    let mut errors = Vec::new();
    let mut seen = HashSet::new();
    for (i, org_id) in req.org_ids.iter().enumerate() {
        let problem = match in_scope.get(org_id) {
            None => Some(Problem::UnknownReference),
            Some((false, _)) => Some(Problem::NotAllowed),
            Some((true, lower))
                if *lower && !matches!(round.kind, RoundKind::Elevated | RoundKind::Linked) =>
            {
                Some(Problem::WrongParentLevel)
            }
            _ if already.contains(org_id) || !seen.insert(org_id.clone()) => Some(Problem::Taken),
            _ if round.kind == RoundKind::FollowUp && !inspected_in_term.contains(org_id) => {
                Some(Problem::NotAllowed)
            }
            _ => None,
        };
        if let Some(problem) = problem {
            errors.push(RowError {
                row: i + 1,
                field: "org_ids".into(),
                problem,
            });
        }
    }
    if !errors.is_empty() {
        return Err(Error::BadRows(errors));
    }
    let now = db::ts(db::now());
    for org_id in &req.org_ids {
        sqlx::query(
            "INSERT INTO targets (id, round_id, org_id, team_id, station_start, station_end, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(db::new_id())
        .bind(round_id)
        .bind(org_id)
        .bind(&req.team_id)
        .bind(req.station_start.map(date_text))
        .bind(req.station_end.map(date_text))
        .bind(&now)
        .execute(&mut **tx)
        .await
        .map_err(|e| on_unique(e, "org_ids"))?;
    }
    audit::record(
        tx,
        Some(actor),
        "target.assign",
        "round",
        Some(round_id),
        req_json(req),
    );
    targets(tx, actor, round_id).await
}

/// A liaison's view: the rounds that inspect its own organisation, with the team's public
/// contact — no members, no internal records.
pub async fn unit_inspections(
    conn: &mut AnyConnection,
    actor: &Actor,
) -> Result<Vec<UnitInspection>> {
    actor.require(&[Role::Unit])?;
    let org = actor.org_id.as_deref().unwrap_or("");
    let rows = sqlx::query(
        "SELECT r.name AS round_name, r.kind, r.phase, tm.name AS team_name, tm.contact, tg.station_start, tg.station_end \
         FROM targets tg JOIN rounds r ON r.id = tg.round_id JOIN teams tm ON tm.id = tg.team_id \
         WHERE tg.org_id = $1 ORDER BY r.start_date DESC",
    )
    .bind(org)
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(UnitInspection {
                round_name: r.try_get("round_name")?,
                kind: r.enumerated("kind", RoundKind::parse)?,
                phase: r.enumerated("phase", Phase::parse)?,
                team_name: r.try_get("team_name")?,
                team_contact: r.try_get("contact")?,
                station_start: r.date_opt("station_start")?,
                station_end: r.date_opt("station_end")?,
            })
        })
        .collect()
}
