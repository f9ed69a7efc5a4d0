//! The demo's petitions, made through the same stores the API uses: on the demo village's
//! target one of every channel and every triage outcome (its round is past 报告, so all are
//! triaged), and on the first village now in 进驻 a stationing notice and two petitions still
//! waiting for the team.

use chrono::Days;
use xuncha_api::checklists::FocusPoint;
use xuncha_api::clues::ClueDraft;
use xuncha_api::clues::ClueSource;
use xuncha_api::findings::{FindingSource, NewFinding, Severity};
use xuncha_api::petitions::{
    Channel, NoticeDraft, Outcome, PetitionDraft, PetitionStatus, PublicPetition, Triage,
};

use super::cases::{actor, fail};
use crate::access::Actor;
use crate::db::Tx;
use crate::petitions::{notice, store};

/// The team leader and a member of a target's team, if it has two.
async fn team(tx: &mut Tx<'_>, target: &str) -> anyhow::Result<Option<(Actor, Actor)>> {
    let members: Vec<String> = sqlx::query_scalar(
        "SELECT u.username FROM team_members m JOIN targets t ON t.team_id = m.team_id \
         JOIN users u ON u.id = m.user_id WHERE t.id = $1 ORDER BY m.leader DESC, u.username",
    )
    .bind(target)
    .fetch_all(&mut **tx)
    .await?;
    if members.len() < 2 {
        return Ok(None);
    }
    Ok(Some((
        actor(tx, &members[0]).await?,
        actor(tx, &members[1]).await?,
    )))
}

fn draft(channel: Channel, days_ago: u64, content: &str, contact: &str) -> PetitionDraft {
    let today = chrono::Utc::now().date_naive();
    PetitionDraft {
        channel,
        received_on: today.checked_sub_days(Days::new(days_ago)).unwrap_or(today),
        content: content.into(),
        concerns: String::new(),
        contact: contact.into(),
    }
}

fn triage(outcome: Outcome, status: PetitionStatus, answer: &str) -> Triage {
    Triage {
        outcome,
        finding_id: None,
        clue_id: None,
        transfer_to: String::new(),
        reason: String::new(),
        status,
        public_answer: answer.into(),
        base_version: 1,
    }
}

pub async fn seed(tx: &mut Tx<'_>, village_target: &str) -> anyhow::Result<()> {
    if let Some((leader, member)) = team(tx, village_target).await? {
        triaged(tx, village_target, &leader, &member).await?;
    }
    let stationed: Option<String> = sqlx::query_scalar(
        "SELECT tg.id FROM targets tg JOIN rounds r ON r.id = tg.round_id JOIN orgs o ON o.id = tg.org_id \
         WHERE r.phase = 'stationing' AND o.level = 'village' ORDER BY o.code LIMIT 1",
    )
    .fetch_optional(&mut **tx)
    .await?;
    if let Some(target) = stationed {
        if let Some((leader, _)) = team(tx, &target).await? {
            waiting(tx, &target, &leader).await?;
        }
    }
    Ok(())
}

async fn triaged(
    tx: &mut Tx<'_>,
    target: &str,
    leader: &Actor,
    member: &Actor,
) -> anyhow::Result<()> {
    let plan = [
        (
            "demo-pet-1",
            draft(
                Channel::Phone,
                140,
                "反映村集体机动地发包价格明显低于周边村，发包过程没有公开。",
                "13900001234",
            ),
        ),
        (
            "demo-pet-2",
            draft(
                Channel::Letter,
                139,
                "反映村委会主任在低保评议中优亲厚友，其弟媳一家条件较好却享受低保。",
                "",
            ),
        ),
        (
            "demo-pet-3",
            draft(Channel::PostBox, 138, "村里路灯坏了半年没人修。", ""),
        ),
        (
            "demo-pet-4",
            draft(
                Channel::Visit,
                137,
                "反映宅基地审批材料被镇国土所退回，希望巡察组帮助催办。",
                "13700005678",
            ),
        ),
    ];
    for (id, d) in &plan {
        store::put(tx, member, target, id, d).await.map_err(fail)?;
    }
    let finding = crate::findings::add(
        tx,
        member,
        target,
        "demo-pet-finding",
        &NewFinding {
            focus: FocusPoint::Responsibility,
            title: "机动地发包未经公开程序".into(),
            description: String::new(),
            severity: Severity::Serious,
            source: FindingSource::Petition,
            record_id: None,
            item_id: None,
            talk_id: None,
            visit_id: None,
        },
    )
    .await
    .map_err(fail)?;
    crate::clues::store::put(
        tx,
        member,
        target,
        "demo-pet-clue",
        &ClueDraft {
            person_name: "村委会主任".into(),
            person_post: "村委会主任".into(),
            person_org: "青石村".into(),
            matter: "低保评议中优亲厚友".into(),
            matter_when: "2024年".into(),
            amount_yuan: None,
            source: ClueSource::Petition,
            source_id: Some("demo-pet-2".into()),
            seriousness: Severity::Serious,
            base_version: None,
        },
    )
    .await
    .map_err(fail)?;
    let decisions = [
        (
            "demo-pet-1",
            Triage {
                finding_id: Some(finding.id.clone()),
                ..triage(
                    Outcome::Finding,
                    PetitionStatus::Concluded,
                    "反映的问题已列入巡察发现问题清单，督促整改。",
                )
            },
        ),
        (
            "demo-pet-2",
            Triage {
                clue_id: Some("demo-pet-clue".into()),
                ..triage(
                    Outcome::Clue,
                    PetitionStatus::Handling,
                    "已按规定移交有关部门办理。",
                )
            },
        ),
        (
            "demo-pet-3",
            Triage {
                transfer_to: "镇村镇建设办公室".into(),
                ..triage(
                    Outcome::Transfer,
                    PetitionStatus::Concluded,
                    "已转镇村镇建设办公室办理，路灯已修复。",
                )
            },
        ),
        (
            "demo-pet-4",
            Triage {
                reason: "属于行政审批事项，不在巡察受理范围，已告知向镇政府反映。".into(),
                ..triage(
                    Outcome::NoAction,
                    PetitionStatus::Concluded,
                    "该事项不属于巡察受理范围，请向镇人民政府反映。",
                )
            },
        ),
    ];
    for (id, t) in &decisions {
        store::triage(tx, leader, id, t).await.map_err(fail)?;
    }
    Ok(())
}

async fn waiting(tx: &mut Tx<'_>, target: &str, leader: &Actor) -> anyhow::Result<()> {
    let office = actor(tx, "admin").await?;
    notice::put(
        tx,
        &office,
        target,
        &NoticeDraft {
            phone: "0571-64000000".into(),
            box_location: "村委会大门左侧".into(),
            scope: String::new(),
            grace_days: 7,
        },
    )
    .await
    .map_err(fail)?;
    store::receive_public(
        tx,
        target,
        &PublicPetition {
            content: "反映村里的扶贫产业项目资金去向不明，账目一直没有公开。".into(),
            concerns: "村党支部".into(),
            contact: String::new(),
        },
        &[],
    )
    .await
    .map_err(fail)?;
    store::put(
        tx,
        leader,
        target,
        "demo-pet-5",
        &draft(
            Channel::Phone,
            2,
            "来电反映村干部上班时间经常不在岗。",
            "13600009999",
        ),
    )
    .await
    .map_err(fail)?;
    Ok(())
}
