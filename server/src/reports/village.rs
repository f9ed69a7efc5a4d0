//! 一村一报告: one village's inspection as a Word document for the committee — its basic data,
//! the team and period, the findings by focus point, the petitions and the evaluation (counts
//! only, never a petitioner or an answer), and where rectification stands.

use chrono::NaiveDate;
use sqlx::{AnyConnection, Row};
use xuncha_api::checklists::FocusPoint;
use xuncha_api::evaluations::Results;
use xuncha_api::findings::Finding;
use xuncha_api::orgs::OrgDetail;
use xuncha_api::petitions::{Channel, Outcome};
use xuncha_api::rectification::{Task, TaskStatus};
use xuncha_api::rounds::TargetDetail;
use xuncha_api::Lang;

use crate::access::{self, Actor, Grant, Object};
use crate::documents::{self, body, heading, right};
use crate::{evaluations, findings, orgs, rectification, rounds, Result};

/// What the report is written from.
pub struct Facts {
    pub target: TargetDetail,
    pub org: OrgDetail,
    pub findings: Vec<Finding>,
    /// Petitions by channel, and the triaged ones by outcome; how many wait.
    pub petitions_by_channel: Vec<(Channel, i64)>,
    pub petitions_by_outcome: Vec<(Outcome, i64)>,
    pub petitions_waiting: i64,
    pub evaluations: Vec<Results>,
    pub tasks: Vec<Task>,
}

/// Every fact through the reader's own access: the report says nothing its reader could not
/// read on the target's pages (petitions only as counts, as statistics give them).
pub async fn facts(
    conn: &mut AnyConnection,
    actor: &Actor,
    target_id: &str,
    today: NaiveDate,
) -> Result<Facts> {
    access::on_target(conn, actor, target_id, Object::Statistics, Grant::Read).await?;
    let target = rounds::store::target(conn, actor, target_id).await?;
    let org = orgs::store::detail(conn, actor, &target.target.org_id).await?;
    let findings = findings::findings(conn, actor, target_id).await?;
    let rows = sqlx::query(
        "SELECT channel, outcome, COUNT(*) AS n FROM petitions WHERE target_id = $1 \
         GROUP BY channel, outcome",
    )
    .bind(target_id)
    .fetch_all(&mut *conn)
    .await?;
    let mut by_channel: Vec<(Channel, i64)> = Vec::new();
    let mut by_outcome: Vec<(Outcome, i64)> = Vec::new();
    let mut waiting = 0;
    for r in rows {
        let n: i64 = r.try_get("n")?;
        let channel: String = r.try_get("channel")?;
        if let Some(c) = Channel::parse(&channel) {
            add(&mut by_channel, c, n);
        }
        match r
            .try_get::<Option<String>, _>("outcome")?
            .as_deref()
            .and_then(Outcome::parse)
        {
            Some(o) => add(&mut by_outcome, o, n),
            None => waiting += n,
        }
    }
    by_channel.sort_by_key(|(c, _)| Channel::ALL.iter().position(|x| x == c));
    by_outcome.sort_by_key(|(o, _)| Outcome::ALL.iter().position(|x| x == o));
    // Every reader of a target's statistics reads its evaluations too (`access::grant`).
    let mut results = Vec::new();
    for e in evaluations::store::list(conn, actor, target_id).await? {
        results.push(evaluations::store::results(conn, actor, &e.id).await?);
    }
    let tasks = rectification::tasks::for_target(conn, actor, target_id, today).await?;
    Ok(Facts {
        target,
        org,
        findings,
        petitions_by_channel: by_channel,
        petitions_by_outcome: by_outcome,
        petitions_waiting: waiting,
        evaluations: results,
        tasks,
    })
}

fn add<K: PartialEq>(counts: &mut Vec<(K, i64)>, k: K, n: i64) {
    match counts.iter_mut().find(|(x, _)| *x == k) {
        Some((_, m)) => *m += n,
        None => counts.push((k, n)),
    }
}

/// The report's paragraphs: the title, then each section's heading and lines.
pub struct Report {
    pub title: String,
    pub opening: String,
    pub sections: Vec<(String, Vec<String>)>,
    pub sender: String,
    pub date: String,
}

fn joined(parts: &[String]) -> String {
    parts.join("，")
}

pub fn report(f: &Facts, today: NaiveDate) -> Report {
    let zh = Lang::Zh;
    let t = &f.target.target;
    let org = format!("{}{}", t.township, t.org_name);
    let period = match (t.station_start, t.station_end) {
        (Some(s), Some(e)) => format!(
            "于{}至{}",
            documents::chinese_date(s),
            documents::chinese_date(e)
        ),
        (Some(s), None) => format!("自{}起", documents::chinese_date(s)),
        _ => String::new(),
    };
    let leader = if f.target.team_leader.is_empty() {
        String::new()
    } else {
        format!("（组长：{}）", f.target.team_leader)
    };
    let opening = format!(
        "{}，{}{}{}对{}党组织开展巡察。现将有关情况报告如下。",
        f.target.round_name, t.team_name, leader, period, org
    );

    let b = &f.org.basic;
    let mut basic = Vec::new();
    if !f.org.secretary.is_empty() {
        basic.push(format!("党组织书记{}", f.org.secretary));
    }
    for (label, v) in [
        ("户数", b.households),
        ("人口", b.population),
        ("党员", b.party_members),
    ] {
        if let Some(v) = v {
            basic.push(format!("{label}{v}"));
        }
    }
    for (label, v) in [
        ("村集体经济收入", b.collective_income),
        ("村集体资产", b.collective_assets),
    ] {
        if let Some(v) = v {
            basic.push(format!("{label}{v}万元"));
        }
    }
    let basic = if basic.is_empty() {
        vec!["基础数据尚未填报。".to_string()]
    } else {
        vec![format!("{}。", joined(&basic))]
    };

    let mut found = vec![format!("巡察共发现问题{}个。", f.findings.len())];
    for (i, focus) in FocusPoint::ALL
        .iter()
        .filter(|p| f.findings.iter().any(|x| x.focus == **p))
        .enumerate()
    {
        let of: Vec<&Finding> = f.findings.iter().filter(|x| x.focus == *focus).collect();
        found.push(format!(
            "（{}）{}方面问题{}个：{}。",
            chinese_number(i + 1),
            focus.label(zh),
            of.len(),
            of.iter()
                .map(|x| x.title.trim_end_matches('。').to_string())
                .collect::<Vec<_>>()
                .join("；")
        ));
    }

    let total: i64 = f.petitions_by_channel.iter().map(|(_, n)| n).sum();
    let petitions = if total == 0 {
        vec!["巡察期间未收到信访举报。".to_string()]
    } else {
        let channels: Vec<String> = f
            .petitions_by_channel
            .iter()
            .map(|(c, n)| format!("{}{}件", c.label(zh), n))
            .collect();
        let mut line = format!("巡察期间收到信访举报{total}件（{}）", channels.join("、"));
        let outcomes: Vec<String> = f
            .petitions_by_outcome
            .iter()
            .map(|(o, n)| format!("{}{}件", o.label(zh), n))
            .collect();
        if !outcomes.is_empty() {
            line.push_str(&format!("，已分办{}", outcomes.join("、")));
        }
        if f.petitions_waiting > 0 {
            line.push_str(&format!("，尚有{}件待分办", f.petitions_waiting));
        }
        line.push('。');
        vec![line]
    };

    let rate = |v: Option<f64>| v.map_or("—".to_string(), |p| format!("{p:.1}%"));
    let evaluation: Vec<String> = if f.evaluations.is_empty() {
        vec!["未开展民主测评。".to_string()]
    } else {
        f.evaluations
            .iter()
            .map(|r| {
                let e = &r.evaluation;
                let paper = if r.paper > 0 {
                    format!("，其中纸质测评票{}份", r.paper)
                } else {
                    String::new()
                };
                if r.shown {
                    format!(
                        "{}：收到测评{}份{paper}。知晓率{}，参与率{}，满意率{}，总体好评率（好和较好）{}。",
                        e.title,
                        e.responses,
                        rate(r.know_rate),
                        rate(r.part_rate),
                        rate(r.satisfied_rate),
                        rate(r.overall_good_percent)
                    )
                } else {
                    format!(
                        "{}：收到测评{}份{paper}，不足{}份，不显示结果。",
                        e.title, e.responses, e.threshold
                    )
                }
            })
            .collect()
    };

    let closed = f
        .tasks
        .iter()
        .filter(|x| x.status == TaskStatus::Closed)
        .count();
    let rectification = if f.tasks.is_empty() {
        vec!["尚未建立整改任务。".to_string()]
    } else {
        let states: Vec<String> = TaskStatus::ALL
            .iter()
            .filter_map(|s| {
                let n = f.tasks.iter().filter(|x| x.status == *s).count();
                (n > 0).then(|| format!("{}{}项", s.label(zh), n))
            })
            .collect();
        let overdue = f.tasks.iter().filter(|x| x.overdue).count();
        let mut line = format!(
            "建立整改任务{}项（{}），整改完成率{:.1}%",
            f.tasks.len(),
            states.join("、"),
            closed as f64 * 100.0 / f.tasks.len() as f64
        );
        if overdue > 0 {
            line.push_str(&format!("，已逾期{overdue}项"));
        }
        line.push('。');
        vec![line]
    };

    Report {
        title: format!("关于{}的巡察情况报告", t.org_name),
        opening,
        sections: vec![
            ("一、基本情况".into(), basic),
            ("二、发现的主要问题".into(), found),
            ("三、信访举报办理情况".into(), petitions),
            ("四、民主测评情况".into(), evaluation),
            ("五、整改情况".into(), rectification),
        ],
        sender: t.team_name.clone(),
        date: documents::chinese_date(today),
    }
}

/// 一, 二, … 十: numbers of the second level of headings.
fn chinese_number(n: usize) -> String {
    const DIGITS: [&str; 10] = ["", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    match n {
        1..=9 => DIGITS[n].to_string(),
        10 => "十".into(),
        11..=19 => format!("十{}", DIGITS[n - 10]),
        _ => n.to_string(),
    }
}

pub fn docx(r: &Report) -> Result<Vec<u8>> {
    let mut doc = documents::official()
        .add_paragraph(documents::title(&r.title))
        .add_paragraph(documents::blank())
        .add_paragraph(body(&r.opening));
    for (h, lines) in &r.sections {
        doc = doc.add_paragraph(heading(h));
        for l in lines {
            doc = doc.add_paragraph(body(l));
        }
    }
    doc = doc
        .add_paragraph(documents::blank())
        .add_paragraph(right(&r.sender))
        .add_paragraph(right(&r.date));
    documents::pack(doc)
}

#[cfg(test)]
mod tests {
    use super::chinese_number;

    #[test]
    fn second_level_headings_count_in_chinese() {
        let got: Vec<String> = [1, 2, 9, 10, 11, 19, 20].map(chinese_number).into();
        assert_eq!(got, ["一", "二", "九", "十", "十一", "十九", "20"]);
    }
}
