//! The demo village's restricted work, made through the same stores the API uses: talks (one
//! private), clues in every state from 已登记 to 已办结, one referral accepted and being handled, and
//! one sent four months ago with no feedback (overdue).

use chrono::{Days, Months};
use xuncha_api::clues::{
    ClueDraft, ClueResult, ClueSource, ClueStatus, Disposal, Handling, MoveClue, NewReferral,
};
use xuncha_api::findings::Severity;
use xuncha_api::talks::{TalkDraft, TalkKind};
use xuncha_api::users::Role;

use crate::access::Actor;
use crate::clues::{referrals, store as clues};
use crate::db::Tx;
use crate::talks::store as talks;

pub(super) async fn actor(tx: &mut Tx<'_>, username: &str) -> anyhow::Result<Actor> {
    let (id, name, role): (String, String, String) =
        sqlx::query_as("SELECT id, display_name, role FROM users WHERE username = $1")
            .bind(username)
            .fetch_one(&mut **tx)
            .await?;
    Ok(Actor {
        id,
        username: username.into(),
        display_name: name,
        role: Role::parse(&role).ok_or_else(|| anyhow::anyhow!("role {role}"))?,
        org_id: None,
    })
}

pub(super) fn fail(e: crate::Error) -> anyhow::Error {
    anyhow::anyhow!("demo cases: {e}")
}

pub async fn seed(tx: &mut Tx<'_>, village: &str) -> anyhow::Result<()> {
    // The village's latest target and the two inspectors of its team.
    let Some((target, team)): Option<(String, String)> = sqlx::query_as(
        "SELECT t.id, t.team_id FROM targets t JOIN rounds r ON r.id = t.round_id \
         WHERE t.org_id = $1 ORDER BY r.start_date DESC LIMIT 1",
    )
    .bind(village)
    .fetch_optional(&mut **tx)
    .await?
    else {
        return Ok(());
    };
    let members: Vec<(String, String, i64)> = sqlx::query_as(
        "SELECT u.id, u.username, m.leader FROM team_members m JOIN users u ON u.id = m.user_id \
         WHERE m.team_id = $1 ORDER BY m.leader DESC",
    )
    .bind(&team)
    .fetch_all(&mut **tx)
    .await?;
    if members.len() < 2 {
        return Ok(());
    }
    let leader = actor(tx, &members[0].1).await?;
    let member = actor(tx, &members[1].1).await?;
    let office = actor(tx, "admin").await?;
    let discipline = actor(tx, "liuyang").await?;
    let inspectors = vec![leader.id.clone(), member.id.clone()];
    let today = chrono::Utc::now().date_naive();
    let ago = |days: u64| today.checked_sub_days(Days::new(days)).unwrap_or(today);

    let talk = |kind, person: &str, post: &str, summary: &str, private, days| TalkDraft {
        kind,
        person_name: person.into(),
        person_post: post.into(),
        person_org: "青石村".into(),
        held_on: ago(days),
        place: "村委会".into(),
        inspectors: inspectors.clone(),
        summary: summary.into(),
        private,
        base_version: None,
    };
    for (id, draft) in [
        (
            "demo-talk-1",
            talk(
                TalkKind::Talk,
                "陈秀英",
                "村党支部书记",
                "介绍村“两委”班子分工和集体经济发包情况，称2024年机动地发包经村民代表会议表决。",
                false,
                150,
            ),
        ),
        (
            "demo-talk-2",
            talk(
                TalkKind::Talk,
                "村民甲",
                "村民",
                "反映2024年机动地发包时，承包方曾向村委会主任送钱，要求不具名。",
                true,
                149,
            ),
        ),
        (
            "demo-talk-3",
            talk(
                TalkKind::Forum,
                "村民代表座谈",
                "村民代表8人",
                "多数代表对村务公开表示满意；有代表提出低保评议未张榜公示。",
                false,
                148,
            ),
        ),
    ] {
        talks::put(tx, &member, &target, id, &draft)
            .await
            .map_err(fail)?;
    }

    let clue =
        |person: &str, matter: &str, source, source_id: Option<&str>, seriousness| ClueDraft {
            person_name: person.into(),
            person_post: "村委会主任".into(),
            person_org: "青石村".into(),
            matter: matter.into(),
            matter_when: "2024年".into(),
            amount_yuan: None,
            source,
            source_id: source_id.map(str::to_string),
            seriousness,
            base_version: None,
        };
    let plan: [(&str, &str, ClueSource, Option<&str>, ClueStatus); 7] = [
        (
            "demo-clue-1",
            "机动地发包中收受承包方好处费",
            ClueSource::Talk,
            Some("demo-talk-2"),
            ClueStatus::Concluded,
        ),
        (
            "demo-clue-2",
            "以虚列劳务费方式套取集体资金",
            ClueSource::Checklist,
            None,
            ClueStatus::Handling,
        ),
        (
            "demo-clue-3",
            "低保评定优亲厚友",
            ClueSource::Talk,
            Some("demo-talk-3"),
            ClueStatus::Accepted,
        ),
        (
            "demo-clue-4",
            "工程项目未经招标直接发包给亲属",
            ClueSource::Other,
            None,
            ClueStatus::Referred,
        ),
        (
            "demo-clue-5",
            "违规报销个人招待费用",
            ClueSource::Other,
            None,
            ClueStatus::Referred,
        ),
        (
            "demo-clue-6",
            "挪用村级公益事业资金",
            ClueSource::Other,
            None,
            ClueStatus::Proposed,
        ),
        (
            "demo-clue-7",
            "违规占用集体土地建房",
            ClueSource::Other,
            None,
            ClueStatus::Draft,
        ),
    ];
    for (id, matter, source, source_id, _) in &plan {
        let draft = clue("李某某", matter, *source, *source_id, Severity::Serious);
        clues::put(tx, &member, &target, id, &draft)
            .await
            .map_err(fail)?;
    }
    let propose = MoveClue {
        to: ClueStatus::Proposed,
        note: String::new(),
    };
    for (id, .., status) in &plan {
        if *status != ClueStatus::Draft {
            clues::move_to(tx, &leader, id, &propose)
                .await
                .map_err(fail)?;
        }
    }
    let referral = |number: &str, on, ids: &[&str]| {
        NewReferral {
        number: number.into(),
        referred_on: on,
        cover_letter: "根据巡察工作有关规定，现将巡察青石村党支部期间发现的问题线索移交你委，请按规定处置，并将结果反馈县委巡察办。".into(),
        clue_ids: ids.iter().map(|s| s.to_string()).collect(),
        feedback_months: 3,
    }
    };
    let handled = referrals::create(
        tx,
        &office,
        &referral(
            "青岚巡移〔2026〕5号",
            ago(60),
            &["demo-clue-1", "demo-clue-2", "demo-clue-3"],
        ),
    )
    .await
    .map_err(fail)?;
    referrals::send(tx, &office, &handled).await.map_err(fail)?;
    referrals::accept(tx, &discipline, &handled)
        .await
        .map_err(fail)?;
    let overdue_on = today.checked_sub_months(Months::new(4)).unwrap_or(today);
    let waiting = referrals::create(
        tx,
        &office,
        &referral(
            "青岚巡移〔2026〕3号",
            overdue_on,
            &["demo-clue-4", "demo-clue-5"],
        ),
    )
    .await
    .map_err(fail)?;
    referrals::send(tx, &office, &waiting).await.map_err(fail)?;

    let handle = |disposal, result, days| Handling {
        disposal,
        result,
        on_date: ago(days),
        note: String::new(),
    };
    for (id, h) in [
        (
            "demo-clue-1",
            handle(Some(Disposal::Verification), None, 50),
        ),
        (
            "demo-clue-1",
            handle(None, Some(ClueResult::PartyDiscipline), 20),
        ),
        (
            "demo-clue-2",
            handle(Some(Disposal::TalkOrLetter), None, 40),
        ),
    ] {
        clues::handle(tx, &discipline, id, &h).await.map_err(fail)?;
    }
    Ok(())
}
