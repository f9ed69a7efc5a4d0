//! The rectification ledger (整改台账) of a round or a term, its .xlsx, and the reminders
//! view (催办). The office and discipline see every task; a team member sees the tasks of the
//! targets their teams inspect.

use std::collections::HashMap;

use chrono::{Datelike, NaiveDate};
use rust_xlsxwriter::{Format, Workbook};
use sqlx::{AnyConnection, Row};
use xuncha_api::findings::Severity;
use xuncha_api::rectification::{LedgerRow, ReminderGroup, Reminders, TaskCounts, TaskLedger};
use xuncha_api::{Lang, Problem};

use super::tasks::{task_from, SELECT};
use crate::access::{self, Actor, Object, Reach};
use crate::db::{date_text, Columns};
use crate::{Error, Result};

const OPEN: &str = "t.status IN ('pending', 'in_progress', 'submitted')";

/// The clause that keeps an inspector to their teams' targets (`$n` the user), or none.
fn team_scope(reach: Reach<'_>, n: u8) -> Result<(String, Option<&str>)> {
    match reach {
        Reach::All => Ok((String::new(), None)),
        Reach::Teams(user) => Ok((
            format!(" AND {}", access::on_team_of("t.target_id", n)),
            Some(user),
        )),
        Reach::Org(_) => Err(Error::Forbidden),
    }
}

#[derive(Debug, Clone, Copy)]
pub enum Scope<'a> {
    Round(&'a str),
    Term(&'a str),
}

pub async fn ledger(
    conn: &mut AnyConnection,
    actor: &Actor,
    scope: Scope<'_>,
    today: NaiveDate,
) -> Result<TaskLedger> {
    let (scoped, user) = team_scope(access::reach(actor, Object::TaskLedger)?, 2)?;
    // A round or term the actor does not reach is not found, its title included.
    let (title, filter, id) = match scope {
        Scope::Round(id) => (
            crate::rounds::store::round(conn, actor, id).await?.name,
            "tg.round_id = $1",
            id,
        ),
        Scope::Term(id) => (
            crate::rounds::store::visible_term_name(conn, actor, id).await?,
            "r.term_id = $1",
            id,
        ),
    };
    let sql = format!(
        "{SELECT} JOIN targets tg ON tg.id = t.target_id JOIN rounds r ON r.id = tg.round_id \
         LEFT JOIN orgs tp ON tp.id = o.parent_id \
         LEFT JOIN task_events c ON c.task_id = t.id AND c.to_status = 'closed' \
         WHERE {filter}{scoped} ORDER BY r.start_date, o.code, t.deadline, t.id"
    )
    .replace(
        "SELECT t.*,",
        "SELECT t.*, r.name AS round_name, f.severity, c.at AS closed_at, tp.name AS township,",
    );
    let mut q = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(id);
    if let Some(user) = user {
        q = q.bind(user);
    }
    let mut counts = TaskCounts::default();
    let mut rows = Vec::new();
    for r in q.fetch_all(&mut *conn).await? {
        let task = task_from(&r, today)?;
        counts.add(&task);
        rows.push(LedgerRow {
            round_name: r.try_get("round_name")?,
            township: r
                .try_get::<Option<String>, _>("township")?
                .unwrap_or_default(),
            severity: r.enumerated("severity", Severity::parse)?,
            closed_on: r.timestamp_opt("closed_at")?.map(|at| at.date_naive()),
            task,
        });
    }
    Ok(TaskLedger {
        title,
        counts,
        rows,
    })
}

/// At most this many tasks come back in the groups; the total counts all.
pub const REMINDERS_MAX: usize = 300;

pub async fn reminders(
    conn: &mut AnyConnection,
    actor: &Actor,
    today: NaiveDate,
) -> Result<Reminders> {
    let (scoped, user) = team_scope(access::reach(actor, Object::TaskLedger)?, 2)?;
    let horizon = today
        .checked_add_signed(chrono::Duration::days(7))
        .filter(|d| d.year() <= 9999)
        .map(date_text)
        .ok_or_else(|| Error::invalid("today", Problem::NotAllowed))?;
    let mut count = sqlx::query_scalar::<_, i64>(sqlx::AssertSqlSafe(format!(
        "SELECT COUNT(*) FROM rectification_tasks t WHERE {OPEN} AND t.deadline <= $1{scoped}"
    )))
    .bind(&horizon);
    if let Some(user) = user {
        count = count.bind(user);
    }
    let total = count.fetch_one(&mut *conn).await?;
    // The most pressing first: the earliest deadlines, then grouped by organisation.
    let mut q = sqlx::query(sqlx::AssertSqlSafe(format!(
        "{SELECT} WHERE {OPEN} AND t.deadline <= $1{scoped} ORDER BY t.deadline, t.id LIMIT {REMINDERS_MAX}"
    )))
    .bind(&horizon);
    if let Some(user) = user {
        q = q.bind(user);
    }
    let mut groups: Vec<ReminderGroup> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    for r in q.fetch_all(&mut *conn).await? {
        let task = task_from(&r, today)?;
        let i = *index.entry(task.org_id.clone()).or_insert_with(|| {
            groups.push(ReminderGroup {
                org_id: task.org_id.clone(),
                org_name: task.org_name.clone(),
                overdue: 0,
                tasks: Vec::new(),
            });
            groups.len() - 1
        });
        groups[i].overdue += u32::from(task.overdue);
        groups[i].tasks.push(task);
    }
    Ok(Reminders {
        groups,
        total: total as u32,
        truncated: total as usize > REMINDERS_MAX,
    })
}

pub(crate) fn xlsx(e: rust_xlsxwriter::XlsxError) -> Error {
    Error::Internal(anyhow::anyhow!(e))
}

/// A sheet's first row: bold column names, each column its width.
pub(crate) fn header(
    sheet: &mut rust_xlsxwriter::Worksheet,
    columns: &[(&str, u16)],
) -> Result<()> {
    let bold = Format::new().set_bold();
    for (i, (c, w)) in columns.iter().enumerate() {
        sheet
            .write_string_with_format(0, i as u16, *c, &bold)
            .map_err(xlsx)?;
        sheet.set_column_width(i as u16, *w).map_err(xlsx)?;
    }
    Ok(())
}

pub fn ledger_xlsx(l: &TaskLedger) -> Result<Vec<u8>> {
    let zh = Lang::Zh;
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("整改台账").map_err(xlsx)?;
    let bold = Format::new().set_bold();
    let columns = [
        ("轮次", 18),
        ("乡镇（街道）", 14),
        ("被巡察组织", 18),
        ("问题", 36),
        ("严重程度", 10),
        ("整改措施", 40),
        ("第一责任人", 12),
        ("整改时限", 12),
        ("状态", 10),
        ("是否逾期", 10),
        ("销号日期", 12),
        ("类型", 10),
    ];
    header(sheet, &columns)?;
    for (n, r) in l.rows.iter().enumerate() {
        let line = n as u32 + 1;
        let t = &r.task;
        let cells = [
            r.round_name.as_str(),
            &r.township,
            &t.org_name,
            &t.finding_title,
            r.severity.label(zh),
            &t.measures,
            &t.responsible_person,
            &date_text(t.deadline),
            t.status.label(zh),
            if t.overdue { "逾期" } else { "" },
            &r.closed_on.map(date_text).unwrap_or_default(),
            t.kind.label(zh),
        ];
        for (i, c) in cells.iter().enumerate() {
            sheet.write_string(line, i as u16, *c).map_err(xlsx)?;
        }
    }
    let c = &l.counts;
    let line = l.rows.len() as u32 + 2;
    sheet
        .write_string_with_format(
            line,
            0,
            format!(
                "合计 {} 项：待整改 {}，整改中 {}，已提交 {}，已验收 {}，已销号 {}，逾期 {}；其中立行立改 {} 项，已完成 {}",
                c.total(),
                c.pending,
                c.in_progress,
                c.submitted,
                c.accepted,
                c.closed,
                c.overdue,
                c.on_the_spot,
                c.on_the_spot_done
            ),
            &bold,
        )
        .map_err(xlsx)?;
    book.save_to_buffer().map_err(xlsx)
}
