//! The ledger and a round's target list as .xlsx, the format county offices pass around.

use rust_xlsxwriter::{Format, Workbook, Worksheet};
use xuncha_api::coverage::{column_notes, CoverageCount, CoveredBy, Ledger, LedgerOrg};
use xuncha_api::rounds::{Round, Target};
use xuncha_api::Lang;

use crate::{Error, Result};

fn xlsx(e: rust_xlsxwriter::XlsxError) -> Error {
    Error::Internal(anyhow::anyhow!(e))
}

fn header(sheet: &mut Worksheet, columns: &[&str]) -> Result<()> {
    let bold = Format::new().set_bold();
    for (i, c) in columns.iter().enumerate() {
        sheet
            .write_string_with_format(0, i as u16, *c, &bold)
            .map_err(xlsx)?;
        sheet.set_column_width(i as u16, 16).map_err(xlsx)?;
    }
    Ok(())
}

pub fn ledger(l: &Ledger) -> Result<Vec<u8>> {
    let zh = Lang::Zh;
    let mut book = Workbook::new();
    let summary = book.add_worksheet();
    summary.set_name("汇总").map_err(xlsx)?;
    header(
        summary,
        &[
            "范围",
            "组织数",
            "有形覆盖",
            "覆盖率（%）",
            "有效覆盖",
            "待反馈",
            "整改中",
            "未发现问题",
            "进度",
        ],
    )?;
    let mut line = 1u32;
    let mut put =
        |sheet: &mut Worksheet, name: &str, c: &CoverageCount, note: &str| -> Result<()> {
            sheet.write_string(line, 0, name).map_err(xlsx)?;
            let numbers = [
                f64::from(c.total),
                f64::from(c.covered),
                c.percent(),
                f64::from(c.effective),
                f64::from(c.pending_feedback),
                f64::from(c.rectifying),
                f64::from(c.no_findings),
            ];
            for (col, n) in numbers.into_iter().enumerate() {
                sheet.write_number(line, col as u16 + 1, n).map_err(xlsx)?;
            }
            sheet.write_string(line, 8, note).map_err(xlsx)?;
            line += 1;
            Ok(())
        };
    put(
        summary,
        &format!("{}（全部）", l.term.committee_name),
        &l.overall,
        if l.on_track { "" } else { "进度滞后" },
    )?;
    for lv in &l.by_level {
        put(summary, lv.level.label(zh), &lv.count, "")?;
    }
    for t in &l.townships {
        put(
            summary,
            &t.name,
            &t.count,
            if t.at_risk { "进度滞后" } else { "" },
        )?;
    }

    let columns = [
        "行政区划代码",
        "名称",
        "层级",
        "所属乡镇",
        "覆盖状态",
        "巡察轮次",
        "巡察方式",
        "巡察组",
        "进驻日期",
    ];
    let detail = book.add_worksheet();
    detail.set_name("组织明细").map_err(xlsx)?;
    org_rows(detail, &columns, &l.orgs)?;
    let none_found = book.add_worksheet();
    none_found.set_name("未发现问题").map_err(xlsx)?;
    org_rows(none_found, &columns, &l.no_findings)?;

    // Each column said once, in both languages, for whoever the file is passed on to.
    let notes = book.add_worksheet();
    notes.set_name("说明 Notes").map_err(xlsx)?;
    header(notes, &["栏目", "含义", "Column", "Meaning"])?;
    notes.set_column_width(1, 70).map_err(xlsx)?;
    notes.set_column_width(3, 90).map_err(xlsx)?;
    for (i, (zh_note, en_note)) in column_notes(Lang::Zh)
        .into_iter()
        .zip(column_notes(Lang::En))
        .enumerate()
    {
        let r = (i + 1) as u32;
        for (c, v) in [zh_note.0, zh_note.1, en_note.0, en_note.1]
            .iter()
            .enumerate()
        {
            notes.write_string(r, c as u16, *v).map_err(xlsx)?;
        }
    }
    book.save_to_buffer().map_err(xlsx)
}

fn org_rows(sheet: &mut Worksheet, columns: &[&str], orgs: &[LedgerOrg]) -> Result<()> {
    let zh = Lang::Zh;
    header(sheet, columns)?;
    for (i, org) in orgs.iter().enumerate() {
        let r = (i + 1) as u32;
        let joined = |f: &dyn Fn(&CoveredBy) -> String| {
            org.covered_by.iter().map(f).collect::<Vec<_>>().join("；")
        };
        let cells = [
            org.code.clone(),
            org.name.clone(),
            org.level.label(zh).to_string(),
            org.township.clone().unwrap_or_default(),
            org.state.label(zh).to_string(),
            joined(&|c| c.round_name.clone()),
            joined(&|c| c.kind.label(zh).to_string()),
            joined(&|c| c.team_name.clone()),
            joined(&|c| c.since.to_string()),
        ];
        for (c, v) in cells.iter().enumerate() {
            sheet.write_string(r, c as u16, v).map_err(xlsx)?;
        }
    }
    Ok(())
}

pub fn targets(round: &Round, targets: &[Target]) -> Result<Vec<u8>> {
    let zh = Lang::Zh;
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("巡察对象").map_err(xlsx)?;
    header(
        sheet,
        &["轮次", "巡察对象", "层级", "巡察组", "进驻日期", "撤离日期"],
    )?;
    for (i, t) in targets.iter().enumerate() {
        let r = (i + 1) as u32;
        let date = |d: Option<chrono::NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
        let cells = [
            round.name.clone(),
            t.org_name.clone(),
            t.org_level.label(zh).to_string(),
            t.team_name.clone(),
            date(t.station_start),
            date(t.station_end),
        ];
        for (c, v) in cells.iter().enumerate() {
            sheet.write_string(r, c as u16, v).map_err(xlsx)?;
        }
    }
    book.save_to_buffer().map_err(xlsx)
}
