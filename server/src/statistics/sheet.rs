//! The statistics as a workbook: one sheet per subject, each figure a table with its heading,
//! the numbers as numbers so that offices can sum and chart them again.

use rust_xlsxwriter::{Format, Workbook, Worksheet};
use xuncha_api::statistics::{Rates, RectificationFigures, Statistics};
use xuncha_api::Lang;

use crate::rectification::ledger::xlsx;
use crate::Result;

enum Cell {
    Text(String),
    Number(f64),
    Empty,
}

impl From<&str> for Cell {
    fn from(s: &str) -> Self {
        Cell::Text(s.to_string())
    }
}

impl From<u32> for Cell {
    fn from(n: u32) -> Self {
        Cell::Number(n.into())
    }
}

impl From<i64> for Cell {
    fn from(n: i64) -> Self {
        Cell::Number(n as f64)
    }
}

impl From<Option<f64>> for Cell {
    fn from(n: Option<f64>) -> Self {
        n.map_or(Cell::Empty, Cell::Number)
    }
}

/// Writes a titled table at `row` and returns the row after it and a blank one.
fn table(
    sheet: &mut Worksheet,
    row: u32,
    title: &str,
    columns: &[&str],
    rows: Vec<Vec<Cell>>,
) -> Result<u32> {
    let bold = Format::new().set_bold();
    sheet
        .write_string_with_format(row, 0, title, &bold)
        .map_err(xlsx)?;
    for (i, c) in columns.iter().enumerate() {
        sheet
            .write_string_with_format(row + 1, i as u16, *c, &bold)
            .map_err(xlsx)?;
    }
    let mut line = row + 2;
    for cells in rows {
        for (i, c) in cells.into_iter().enumerate() {
            match c {
                Cell::Text(s) => sheet.write_string(line, i as u16, s),
                Cell::Number(n) => sheet.write_number(line, i as u16, n),
                Cell::Empty => continue,
            }
            .map_err(xlsx)?;
        }
        line += 1;
    }
    Ok(line + 1)
}

fn widths(sheet: &mut Worksheet, first: f64, rest: u16) -> Result<()> {
    sheet.set_column_width(0, first).map_err(xlsx)?;
    for c in 1..=rest {
        sheet.set_column_width(c, 12).map_err(xlsx)?;
    }
    Ok(())
}

fn rectification_cells(name: &str, f: &RectificationFigures) -> Vec<Cell> {
    vec![
        name.into(),
        f.total.into(),
        f.closed.into(),
        f.rate_percent.into(),
        f.overdue.into(),
    ]
}

fn rates_cells(name: &str, r: &Rates) -> Vec<Cell> {
    vec![
        name.into(),
        r.evaluations.into(),
        r.responses.into(),
        r.know_rate.into(),
        r.part_rate.into(),
        r.satisfied_rate.into(),
    ]
}

pub fn workbook(s: &Statistics) -> Result<Vec<u8>> {
    let zh = Lang::Zh;
    let mut book = Workbook::new();

    let sheet = book.add_worksheet();
    sheet.set_name("问题").map_err(xlsx)?;
    let townships: Vec<&str> = s.townships.iter().map(|t| t.name.as_str()).collect();
    widths(sheet, 40.0, townships.len() as u16 + 1)?;
    let mut columns = vec!["巡察重点", "合计"];
    columns.extend(townships.iter().copied());
    let mut row = table(
        sheet,
        0,
        &format!(
            "{} · 问题按巡察重点和乡镇（街道）分布（巡察对象 {} 个，问题 {} 个）",
            s.term.name, s.targets, s.findings
        ),
        &columns,
        s.by_focus
            .iter()
            .map(|f| {
                let mut cells: Vec<Cell> = vec![f.focus.label(zh).into(), f.total.into()];
                cells.extend(f.by_township.iter().map(|n| Cell::from(*n)));
                cells
            })
            .collect(),
    )?;
    row = table(
        sheet,
        row,
        "问题按严重程度",
        &["严重程度", "问题数"],
        s.by_severity
            .iter()
            .map(|c| vec![c.severity.label(zh).into(), c.count.into()])
            .collect(),
    )?;
    table(
        sheet,
        row,
        "问题按来源",
        &["来源", "问题数"],
        s.by_source
            .iter()
            .map(|c| vec![c.source.label(zh).into(), c.count.into()])
            .collect(),
    )?;

    let sheet = book.add_worksheet();
    sheet.set_name("整改").map_err(xlsx)?;
    widths(sheet, 24.0, 5)?;
    let columns = ["乡镇（街道）", "整改任务", "已销号", "整改率（%）", "逾期"];
    let mut rows = vec![rectification_cells("合计", &s.rectification)];
    rows.extend(
        s.rectification_by_township
            .iter()
            .map(|t| rectification_cells(&t.township.name, &t.figures)),
    );
    let mut row = table(sheet, 0, "整改率（已销号 / 全部整改任务）", &columns, rows)?;
    row = table(
        sheet,
        row,
        "整改任务按状态",
        &["状态", "任务数"],
        s.tasks_by_status
            .iter()
            .map(|c| vec![c.status.label(zh).into(), c.count.into()])
            .collect(),
    )?;
    table(
        sheet,
        row,
        "平均销号用时",
        &["天"],
        vec![vec![s.average_days_to_close.into()]],
    )?;

    if let Some(c) = &s.coverage {
        let sheet = book.add_worksheet();
        sheet.set_name("覆盖").map_err(xlsx)?;
        widths(sheet, 24.0, 1)?;
        table(
            sheet,
            0,
            "本届巡察覆盖（按届统计，不受轮次、类型和时段筛选影响）",
            &["项目", "组织数"],
            vec![
                vec!["应覆盖".into(), c.total.into()],
                vec!["有形覆盖".into(), c.covered.into()],
                vec!["有效覆盖".into(), c.effective.into()],
                vec!["待反馈".into(), c.pending_feedback.into()],
                vec!["整改中".into(), c.rectifying.into()],
                vec!["未发现问题".into(), c.no_findings.into()],
            ],
        )?;
    }

    let sheet = book.add_worksheet();
    sheet.set_name("信访与线索").map_err(xlsx)?;
    widths(sheet, 24.0, 1)?;
    let mut row = table(
        sheet,
        0,
        &format!("信访举报按渠道（共 {} 件）", s.petitions),
        &["渠道", "件数"],
        s.petitions_by_channel
            .iter()
            .map(|c| vec![c.channel.label(zh).into(), c.count.into()])
            .collect(),
    )?;
    row = table(
        sheet,
        row,
        "信访举报按办理结果",
        &["办理结果", "件数"],
        s.petitions_by_outcome
            .iter()
            .map(|c| {
                vec![
                    c.outcome.map_or("尚未分办", |o| o.label(zh)).into(),
                    c.count.into(),
                ]
            })
            .collect(),
    )?;
    table(
        sheet,
        row,
        &format!(
            "问题线索按状态（共 {} 条，已移交 {} 条；仅计数）",
            s.clues, s.clues_referred
        ),
        &["状态", "条数"],
        s.clues_by_status
            .iter()
            .map(|c| vec![c.status.label(zh).into(), c.count.into()])
            .collect(),
    )?;

    let sheet = book.add_worksheet();
    sheet.set_name("三率").map_err(xlsx)?;
    widths(sheet, 24.0, 5)?;
    let mut rows = vec![rates_cells("合计", &s.rates)];
    rows.extend(
        s.rates_by_township
            .iter()
            .map(|t| rates_cells(&t.township.name, &t.rates)),
    );
    table(
        sheet,
        0,
        "民主测评三率（仅计达到公布人数的测评）",
        &[
            "乡镇（街道）",
            "测评",
            "答卷",
            "知晓率（%）",
            "参与率（%）",
            "满意率（%）",
        ],
        rows,
    )?;

    book.save_to_buffer().map_err(xlsx)
}
