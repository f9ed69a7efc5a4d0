//! The one-time codes as cut-out slips in a Word document (测评票), for offices that print
//! from Word rather than from the browser. The codes are kept only as hashes, so the document
//! is made from the codes the office was shown when it made them; each must be an unused code
//! of this evaluation, so no slip is printed that would not work.

use docx_rs::{
    AlignmentType, BorderType, PageMargin, Paragraph, Table, TableBorder, TableBorderPosition,
    TableBorders, TableCell, TableRow, VAlignType, WidthType,
};
use xuncha_api::evaluations::Evaluation;

use crate::documents::{self, run, BODY_FONT, HEADING_FONT, SIZE_4, SIZE_5};
use crate::Result;

/// Two slips across an A4 page, 90 mm each inside 15 mm margins.
const COLUMNS: usize = 2;
const CELL_MM: f64 = 90.0;
const QR_MM: f64 = 32.0;
const CODE_FONT: &str = "Courier New";

fn centred(text: &str, font: &str, size: usize) -> Paragraph {
    Paragraph::new()
        .add_run(run(text, font, size))
        .align(AlignmentType::Center)
}

fn slip(e: &Evaluation, code: &str, url: &str, hint: &str) -> Result<TableCell> {
    Ok(TableCell::new()
        .width(documents::mm(CELL_MM) as usize, WidthType::Dxa)
        .vertical_align(VAlignType::Center)
        .add_paragraph(centred(
            &format!("{} · {}", e.org_name, e.title),
            HEADING_FONT,
            SIZE_4,
        ))
        .add_paragraph(documents::qr(url, QR_MM)?)
        .add_paragraph(
            Paragraph::new()
                .add_run(run(code, CODE_FONT, SIZE_4 + 8).bold())
                .align(AlignmentType::Center),
        )
        .add_paragraph(centred(hint, BODY_FONT, SIZE_5)))
}

/// Cut lines: dashed borders round and between the slips.
fn cut_lines() -> TableBorders {
    let mut borders = TableBorders::new();
    for p in [
        TableBorderPosition::Top,
        TableBorderPosition::Bottom,
        TableBorderPosition::Left,
        TableBorderPosition::Right,
        TableBorderPosition::InsideH,
        TableBorderPosition::InsideV,
    ] {
        borders = borders.set(TableBorder::new(p).border_type(BorderType::Dashed).size(4));
    }
    borders
}

/// The slips for `codes`, each with its QR code leading to `{origin}/ceping?code=…`.
pub fn docx(e: &Evaluation, codes: &[String], origin: &str) -> Result<Vec<u8>> {
    let hint = format!("手机扫码，或打开 {origin}/ceping 输入测评码。不记名，每码限用一次。");
    let mut rows = Vec::new();
    for pair in codes.chunks(COLUMNS) {
        let mut cells = Vec::new();
        for code in pair {
            let url = format!("{origin}{}", super::store::slip_path(code));
            cells.push(slip(e, code, &url, &hint)?);
        }
        while cells.len() < COLUMNS {
            cells.push(TableCell::new().width(documents::mm(CELL_MM) as usize, WidthType::Dxa));
        }
        // A slip is never split across two pages.
        rows.push(TableRow::new(cells).cant_split());
    }
    let table = Table::new(rows)
        .set_grid(vec![documents::mm(CELL_MM) as usize; COLUMNS])
        .set_borders(cut_lines());
    // Slips are cut, not filed: narrow margins, no page numbers.
    let doc = docx_rs::Docx::new()
        .page_size(11906, 16838)
        .page_margin(
            PageMargin::new()
                .top(documents::mm(15.0))
                .bottom(documents::mm(15.0))
                .left(documents::mm(15.0))
                .right(documents::mm(15.0)),
        )
        .add_paragraph(centred(
            &format!("{}（共 {} 张，沿虚线裁开）", e.title, codes.len()),
            HEADING_FONT,
            SIZE_4,
        ))
        .add_table(table);
    documents::pack(doc)
}
