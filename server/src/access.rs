//! Need-to-know, decided in one place. An actor has a [`Relation`] to what it asks about (its
//! team leads or sits on the target's team, it is the inspected organisation's liaison, it is
//! the office or discipline, or nothing), found by one query; [`grant`] turns the relation and
//! the kind of object into none / read / write / lead. Every store asks here, and no other
//! module holds team-membership SQL: a restricted record added later is one more row of the
//! table, not one more way of deciding.

use sqlx::AnyConnection;
use xuncha_api::users::Role;

use crate::{Error, Result};

/// The signed-in user, as every data-layer call receives it.
#[derive(Debug, Clone)]
pub struct Actor {
    pub id: String,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    /// The organisation a unit liaison is bound to.
    pub org_id: Option<String>,
}

impl Actor {
    pub fn require(&self, roles: &[Role]) -> Result<()> {
        if roles.contains(&self.role) {
            Ok(())
        } else {
            Err(Error::Forbidden)
        }
    }

    pub fn require_admin(&self) -> Result<()> {
        self.require(&[Role::Admin])
    }

    /// The closest relation this actor's role can ever have to anything: what decides
    /// whether a refusal says "not for your role" (403) or "not one of yours" (404).
    fn closest(&self) -> Relation {
        match self.role {
            Role::Admin => Relation::Office,
            Role::Discipline => Relation::Discipline,
            Role::Inspector => Relation::Leader,
            Role::Unit => Relation::Liaison,
        }
    }
}

/// Who an actor is to one target, organisation or round.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Relation {
    /// The inspection office (巡察办).
    Office,
    /// The discipline inspection commission (纪委监委).
    Discipline,
    /// Leader of the team that inspects it (组长).
    Leader,
    /// Member of that team.
    Member,
    /// The liaison of the inspected organisation itself.
    Liaison,
    None,
}

/// What a relation allows on one kind of object, each level including the ones before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Grant {
    None,
    Read,
    Write,
    /// Write, and decide: return a submitted checklist, close a task, rename an organisation.
    Lead,
}

/// The kinds of object need-to-know is decided for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Object {
    Organisation,
    /// A round, its teams and targets.
    Round,
    /// A team's inspection checklist record, its evidence files included.
    InspectionRecord,
    /// An organisation's self-check (自查), its evidence files included.
    SelfCheck,
    /// A target's findings (问题清单).
    Finding,
    /// A rectification task, its reports and files.
    Task,
    /// The full-coverage ledger (全覆盖台账) of a term.
    CoverageLedger,
    /// The rectification ledger of a round or term, and the reminders (催办).
    TaskLedger,
    /// A talk record (个别谈话记录) and its files.
    Talk,
    /// Who read a restricted record: the office and discipline answer for the team's conduct.
    ReadLog,
    /// A problem clue (问题线索), its files and story. Which move is whose is
    /// `clues::store::move_to`'s to say.
    Clue,
    /// A referral (移交) of clues to discipline: the office's and discipline's alone.
    Referral,
    /// A petition (信访举报), its photos and triage.
    Petition,
    /// A target's stationing notice (巡察公告): the office writes it, the team reads it.
    Notice,
    /// A democratic evaluation (民主测评): its codes and its results, never one person's answers.
    Evaluation,
    /// The statistics of a term (统计分析): counts, never one record.
    Statistics,
    /// A confirmed common problem (共性问题) and its notice (通报): findings across teams.
    CommonProblem,
    /// A team's stationing at a target: its preparation lists and its visits (whom it goes to
    /// see is the team's working paper).
    Stationing,
    /// The county's default policy list (政策清单), copied into each target's.
    PolicyDefaults,
}

impl Object {
    /// Whether telling someone without access that one exists already tells too much.
    pub fn existence_is_restricted(self) -> bool {
        matches!(
            self,
            Object::InspectionRecord
                | Object::SelfCheck
                | Object::Talk
                | Object::Clue
                | Object::Petition
                | Object::Stationing
        )
    }

    pub const ALL: [Object; 19] = [
        Object::Organisation,
        Object::Round,
        Object::InspectionRecord,
        Object::SelfCheck,
        Object::Finding,
        Object::Task,
        Object::CoverageLedger,
        Object::TaskLedger,
        Object::Talk,
        Object::ReadLog,
        Object::Clue,
        Object::Referral,
        Object::Petition,
        Object::Notice,
        Object::Evaluation,
        Object::Statistics,
        Object::CommonProblem,
        Object::Stationing,
        Object::PolicyDefaults,
    ];
}

/// The table. A team reaches an organisation through the targets it inspects; the inspected
/// organisation never reads the team's own working papers (its checklist and findings).
pub fn grant(object: Object, relation: Relation) -> Grant {
    use Grant as G;
    use Object as O;
    use Relation as R;
    match (object, relation) {
        (_, R::None) => G::None,
        (O::Organisation, R::Office) => G::Lead,
        // A liaison keeps its own basic data; the structure is the office's.
        (O::Organisation, R::Liaison) => G::Write,
        (O::Organisation, R::Discipline | R::Leader | R::Member) => G::Read,

        (O::Round, R::Office) => G::Lead,
        (O::Round, R::Discipline | R::Leader | R::Member) => G::Read,
        (O::Round, R::Liaison) => G::None,

        (O::InspectionRecord, R::Office | R::Discipline) => G::Read,
        (O::InspectionRecord, R::Leader) => G::Lead,
        (O::InspectionRecord, R::Member) => G::Write,
        (O::InspectionRecord, R::Liaison) => G::None,

        // The office returns a submitted self-check; the team reads it.
        (O::SelfCheck, R::Office) => G::Lead,
        (O::SelfCheck, R::Discipline | R::Leader | R::Member) => G::Read,
        (O::SelfCheck, R::Liaison) => G::Write,

        (O::Finding, R::Office | R::Discipline) => G::Read,
        (O::Finding, R::Leader | R::Member) => G::Write,
        (O::Finding, R::Liaison) => G::None,

        // The office closes; the team accepts or sends back; the liaison reports. Which move
        // is whose is `rectification::tasks::move_to`'s to say.
        (O::Task, R::Office) => G::Lead,
        (O::Task, R::Discipline) => G::Read,
        (O::Task, R::Leader | R::Member | R::Liaison) => G::Write,

        (O::CoverageLedger, R::Office | R::Discipline) => G::Read,
        (O::CoverageLedger, R::Leader | R::Member | R::Liaison) => G::None,

        // A team reads the rows of its own targets.
        (O::TaskLedger, R::Office | R::Discipline | R::Leader | R::Member) => G::Read,
        (O::TaskLedger, R::Liaison) => G::None,

        // The team records; the office and discipline read; the unit never learns of one.
        (O::Talk, R::Office | R::Discipline) => G::Read,
        (O::Talk, R::Leader | R::Member) => G::Write,
        (O::Talk, R::Liaison) => G::None,

        (O::ReadLog, R::Office | R::Discipline) => G::Read,
        (O::ReadLog, R::Leader | R::Member | R::Liaison) => G::None,

        // The office refers and returns; discipline handles; the leader proposes; the team
        // records. The unit never learns of one.
        (O::Clue, R::Office | R::Discipline | R::Leader) => G::Lead,
        (O::Clue, R::Member) => G::Write,
        (O::Clue, R::Liaison) => G::None,

        (O::Referral, R::Office) => G::Lead,
        (O::Referral, R::Discipline) => G::Write,
        (O::Referral, R::Leader | R::Member | R::Liaison) => G::None,

        // The team triages; the office and discipline read; the unit never learns of one.
        (O::Petition, R::Office | R::Discipline) => G::Read,
        (O::Petition, R::Leader | R::Member) => G::Write,
        (O::Petition, R::Liaison) => G::None,

        (O::Notice, R::Office) => G::Lead,
        (O::Notice, R::Discipline | R::Leader | R::Member) => G::Read,
        (O::Notice, R::Liaison) => G::None,

        // The office or the team makes one and enters paper ballots; the unit never reads the
        // results on itself.
        (O::Evaluation, R::Office) => G::Lead,
        (O::Evaluation, R::Discipline) => G::Read,
        (O::Evaluation, R::Leader | R::Member) => G::Write,
        (O::Evaluation, R::Liaison) => G::None,

        // A team counts its own targets; the inspected organisation is never told its figures
        // from the team's working papers.
        (O::Statistics, R::Office | R::Discipline | R::Leader | R::Member) => G::Read,
        (O::Statistics, R::Liaison) => G::None,

        // The county's view across every team's villages: a team reads its own targets'
        // findings, not those of the others gathered here.
        (O::CommonProblem, R::Office) => G::Lead,
        (O::CommonProblem, R::Discipline) => G::Read,
        (O::CommonProblem, R::Leader | R::Member | R::Liaison) => G::None,

        // The team prepares and visits; the office and discipline read; the unit never learns
        // whom the team plans to see.
        (O::Stationing, R::Office | R::Discipline) => G::Read,
        (O::Stationing, R::Leader | R::Member) => G::Write,
        (O::Stationing, R::Liaison) => G::None,

        // The office keeps the default list; teams work on their targets' copies.
        (O::PolicyDefaults, R::Office) => G::Lead,
        (O::PolicyDefaults, R::Discipline) => G::Read,
        (O::PolicyDefaults, R::Leader | R::Member | R::Liaison) => G::None,
    }
}

/// Whether a reader of a petition also sees how to reach the petitioner: a field of the record,
/// not a record of its own. A petitioner who left a number trusts the team on the spot with
/// it, not the county: the team's leader, who may call back, and nobody else.
pub fn sees_petitioner(relation: Relation) -> bool {
    relation == Relation::Leader
}

/// An actor's relation to one thing and what it grants there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Access {
    pub relation: Relation,
    pub grant: Grant,
}

impl Access {
    pub fn may(self, needed: Grant) -> bool {
        self.grant >= needed
    }
}

/// The refusal for an actor lacking `needed` on `object`. One who reads it but may not do
/// this gets 403. Otherwise: 404 for a kind whose very existence is need-to-know (a team's
/// checklist tells the inspected village that a team is looking at it); 403 when nothing of
/// this kind could ever be theirs at that level (their role); 404 when it could but this one is
/// not theirs — someone else's record does not exist for them.
pub fn refusal(actor: &Actor, object: Object, relation: Relation, needed: Grant) -> Error {
    if grant(object, relation) > Grant::None {
        Error::Forbidden
    } else if object.existence_is_restricted() || grant(object, actor.closest()) >= needed {
        Error::NotFound
    } else {
        Error::Forbidden
    }
}

/// `Ok` with the access if it reaches `needed`, else the refusal.
pub fn require(actor: &Actor, object: Object, relation: Relation, needed: Grant) -> Result<Access> {
    let access = Access {
        relation,
        grant: grant(object, relation),
    };
    if access.may(needed) {
        Ok(access)
    } else {
        Err(refusal(actor, object, relation, needed))
    }
}

/// 403 before any lookup when the actor's role never has `needed` on `object`: whether the
/// thing asked about exists is not theirs to learn either way.
pub fn role_may(actor: &Actor, object: Object, needed: Grant) -> Result<()> {
    if grant(object, actor.closest()) < needed && !object.existence_is_restricted() {
        Err(Error::Forbidden)
    } else {
        Ok(())
    }
}

/// The actor's access to an office-level `object` (a referral, the list of every clue), which
/// only a role reaches: the office's and discipline's.
pub fn on_office(actor: &Actor, object: Object, needed: Grant) -> Result<Access> {
    require(actor, object, to_office(actor), needed)
}

/// Who an actor is to what belongs to no target: the office and discipline by their role,
/// everyone else nobody.
pub fn to_office(actor: &Actor) -> Relation {
    by_role(actor).unwrap_or(Relation::None)
}

/// The actor's access to `object` at a target, if it reaches `needed`.
pub async fn on_target(
    conn: &mut AnyConnection,
    actor: &Actor,
    target_id: &str,
    object: Object,
    needed: Grant,
) -> Result<Access> {
    role_may(actor, object, needed)?;
    let relation = to_target(conn, actor, target_id).await?;
    require(actor, object, relation, needed)
}

/// The actor's access to `object` of an organisation, if it reaches `needed`.
pub async fn on_org(
    conn: &mut AnyConnection,
    actor: &Actor,
    org_id: &str,
    object: Object,
    needed: Grant,
) -> Result<Access> {
    role_may(actor, object, needed)?;
    let relation = to_org(conn, actor, org_id).await?;
    require(actor, object, relation, needed)
}

/// What a relation to a team comes to: the leader flag of a `team_members` row, if any.
fn team_relation(leader: Option<i64>) -> Relation {
    match leader {
        Some(0) => Relation::Member,
        Some(_) => Relation::Leader,
        None => Relation::None,
    }
}

fn by_role(actor: &Actor) -> Option<Relation> {
    match actor.role {
        Role::Admin => Some(Relation::Office),
        Role::Discipline => Some(Relation::Discipline),
        Role::Inspector | Role::Unit => None,
    }
}

/// The actor's relation to a target (an organisation in one round). `NotFound` when there is
/// no such target.
pub async fn to_target(
    conn: &mut AnyConnection,
    actor: &Actor,
    target_id: &str,
) -> Result<Relation> {
    let row: Option<(String, Option<i64>)> = sqlx::query_as(
        "SELECT tg.org_id, m.leader FROM targets tg LEFT JOIN team_members m \
         ON m.team_id = tg.team_id AND m.user_id = $2 WHERE tg.id = $1",
    )
    .bind(target_id)
    .bind(&actor.id)
    .fetch_optional(conn)
    .await?;
    let (org_id, leader) = row.ok_or(Error::NotFound)?;
    Ok(match (by_role(actor), actor.role) {
        (Some(r), _) => r,
        (None, Role::Inspector) => team_relation(leader),
        (None, _) if actor.org_id.as_deref() == Some(org_id.as_str()) => Relation::Liaison,
        (None, _) => Relation::None,
    })
}

/// An inspector's place on the teams `sql` finds for `id` (`$1`) and the user (`$2`): the
/// leader of any of them leads.
async fn on_teams(
    conn: &mut AnyConnection,
    actor: &Actor,
    sql: &'static str,
    id: &str,
) -> Result<Relation> {
    let leader: Option<i64> = sqlx::query_scalar(sql)
        .bind(id)
        .bind(&actor.id)
        .fetch_one(conn)
        .await?;
    Ok(team_relation(leader))
}

/// The actor's relation to an organisation: a team reaches it through any target it
/// inspects (across rounds: a follow-up team reads what an earlier one found).
pub async fn to_org(conn: &mut AnyConnection, actor: &Actor, org_id: &str) -> Result<Relation> {
    match (by_role(actor), actor.role) {
        (Some(r), _) => Ok(r),
        (None, Role::Inspector) => on_teams(
            conn,
            actor,
            "SELECT MAX(m.leader) FROM targets tg JOIN team_members m ON m.team_id = tg.team_id \
                 WHERE tg.org_id = $1 AND m.user_id = $2",
            org_id,
        )
        .await,
        (None, _) if actor.org_id.as_deref() == Some(org_id) => Ok(Relation::Liaison),
        (None, _) => Ok(Relation::None),
    }
}

/// The actor's relation to a round: a team of the round, or none.
pub async fn to_round(conn: &mut AnyConnection, actor: &Actor, round_id: &str) -> Result<Relation> {
    match (by_role(actor), actor.role) {
        (Some(r), _) => Ok(r),
        (None, Role::Inspector) => {
            on_teams(
                conn,
                actor,
                "SELECT MAX(m.leader) FROM teams tm JOIN team_members m ON m.team_id = tm.id \
                 WHERE tm.round_id = $1 AND m.user_id = $2",
                round_id,
            )
            .await
        }
        (None, _) => Ok(Relation::None),
    }
}

/// How far a list of some kind reaches for an actor, for stores to write their `WHERE` from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reach<'a> {
    /// The office and discipline: everything of the kind.
    All,
    /// An inspector: what their teams inspect. Filter with [`my_teams`] or [`on_team_of`].
    Teams(&'a str),
    /// A liaison: its own organisation (an unbound liaison reaches none).
    Org(&'a str),
}

/// The reach of an actor's lists of `object`, or 403 when their role reads none of it.
pub fn reach(actor: &Actor, object: Object) -> Result<Reach<'_>> {
    let closest = actor.closest();
    if grant(object, closest) < Grant::Read {
        return Err(Error::Forbidden);
    }
    Ok(match closest {
        Relation::Office | Relation::Discipline => Reach::All,
        Relation::Leader | Relation::Member => Reach::Teams(&actor.id),
        _ => Reach::Org(actor.org_id.as_deref().unwrap_or("")),
    })
}

/// The ids of the teams user `$n` is on, as a subquery.
pub fn my_teams(n: u8) -> String {
    format!("SELECT team_id FROM team_members WHERE user_id = ${n}")
}

/// A condition true when user `$n` is on the team of the target named by column
/// `target_column`. An inspector on teams across a province has tens of thousands of
/// targets, far more than rows to test: per row, the target's team is looked up by key and
/// found among the user's teams. Written as a join of targets and team_members instead,
/// PostgreSQL builds all of the user's targets first, reading targets whole (the inspector's
/// 催办 took 68 ms p50 on the province set for 1,912 due tasks; 7 ms this way).
pub fn on_team_of(target_column: &str, n: u8) -> String {
    format!(
        "EXISTS (SELECT 1 FROM team_members m_reach WHERE m_reach.user_id = ${n} \
         AND m_reach.team_id = (SELECT tg_reach.team_id FROM targets tg_reach WHERE tg_reach.id = {target_column}))"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_team_never_hands_its_working_papers_to_the_inspected() {
        for object in [Object::InspectionRecord, Object::Finding, Object::Round] {
            assert_eq!(grant(object, Relation::Liaison), Grant::None, "{object:?}");
        }
    }

    #[test]
    fn only_the_team_leader_sees_a_petitioners_number() {
        use Relation as R;
        for r in [R::Office, R::Discipline, R::Member, R::Liaison, R::None] {
            assert!(!sees_petitioner(r), "{r:?}");
        }
        assert!(sees_petitioner(R::Leader));
    }

    #[test]
    fn no_relation_grants_nothing() {
        for object in Object::ALL {
            assert_eq!(grant(object, Relation::None), Grant::None, "{object:?}");
        }
    }

    #[test]
    fn discipline_reads_everything_and_writes_only_the_handling_of_clues_referred_to_it() {
        for object in Object::ALL {
            let expected = match object {
                Object::Clue => Grant::Lead,
                Object::Referral => Grant::Write,
                _ => Grant::Read,
            };
            assert_eq!(grant(object, Relation::Discipline), expected, "{object:?}");
        }
    }

    #[test]
    fn refusals_tell_a_stranger_nothing_and_a_role_why() {
        let liaison = Actor {
            id: "u".into(),
            username: "u".into(),
            display_name: "u".into(),
            role: Role::Unit,
            org_id: Some("o".into()),
        };
        // Another village's self-check does not exist for her.
        assert!(matches!(
            refusal(&liaison, Object::SelfCheck, Relation::None, Grant::Read),
            Error::NotFound
        ));
        // Findings are never a liaison's.
        assert!(matches!(
            refusal(&liaison, Object::Finding, Relation::Liaison, Grant::Read),
            Error::Forbidden
        ));
        // Nor is the team's checklist, and she is not told whether there is one.
        assert!(matches!(
            refusal(
                &liaison,
                Object::InspectionRecord,
                Relation::Liaison,
                Grant::Read
            ),
            Error::NotFound
        ));
        assert!(matches!(
            refusal(&liaison, Object::Finding, Relation::None, Grant::Read),
            Error::Forbidden
        ));
        // Her own organisation, but renaming it is the office's.
        assert!(matches!(
            refusal(
                &liaison,
                Object::Organisation,
                Relation::Liaison,
                Grant::Lead
            ),
            Error::Forbidden
        ));
    }
}
