//! The ledger and a round's target list as .xlsx, the format county offices pass around.

use rust_xlsxwriter::{Format, Workbook, Worksheet};
use xuncha_api::coverage::Ledger;
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
        &["范围", "组织数", "已巡察", "覆盖率（%）", "进度"],
    )?;
    let mut line = 1u32;
    let mut put = |sheet: &mut Worksheet,
                   name: &str,
                   total: u32,
                   covered: u32,
                   pct: f64,
                   note: &str|
     -> Result<()> {
        sheet.write_string(line, 0, name).map_err(xlsx)?;
        sheet.write_number(line, 1, total).map_err(xlsx)?;
        sheet.write_number(line, 2, covered).map_err(xlsx)?;
        sheet.write_number(line, 3, pct).map_err(xlsx)?;
        sheet.write_string(line, 4, note).map_err(xlsx)?;
        line += 1;
        Ok(())
    };
    let o = &l.overall;
    put(
        summary,
        &format!("{}（全部）", l.term.committee_name),
        o.total,
        o.covered,
        o.percent(),
        if l.on_track { "" } else { "进度滞后" },
    )?;
    for lv in &l.by_level {
        put(
            summary,
            lv.level.label(zh),
            lv.count.total,
            lv.count.covered,
            lv.count.percent(),
            "",
        )?;
    }
    for t in &l.townships {
        put(
            summary,
            &t.name,
            t.count.total,
            t.count.covered,
            t.count.percent(),
            if t.at_risk { "进度滞后" } else { "" },
        )?;
    }

    let detail = book.add_worksheet();
    detail.set_name("组织明细").map_err(xlsx)?;
    header(
        detail,
        &[
            "行政区划代码",
            "名称",
            "层级",
            "所属乡镇",
            "是否已巡察",
            "巡察轮次",
            "巡察方式",
        ],
    )?;
    for (i, org) in l.orgs.iter().enumerate() {
        let r = (i + 1) as u32;
        let rounds: Vec<&str> = org
            .covered_by
            .iter()
            .map(|c| c.round_name.as_str())
            .collect();
        let kinds: Vec<&str> = org.covered_by.iter().map(|c| c.kind.label(zh)).collect();
        let cells = [
            org.code.as_str(),
            org.name.as_str(),
            org.level.label(zh),
            org.township.as_deref().unwrap_or(""),
            if org.covered_by.is_empty() {
                "否"
            } else {
                "是"
            },
        ];
        for (c, v) in cells.iter().enumerate() {
            detail.write_string(r, c as u16, *v).map_err(xlsx)?;
        }
        detail.write_string(r, 5, rounds.join("；")).map_err(xlsx)?;
        detail.write_string(r, 6, kinds.join("；")).map_err(xlsx)?;
    }
    book.save_to_buffer().map_err(xlsx)
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
