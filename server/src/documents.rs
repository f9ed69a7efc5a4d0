//! Word documents (DOCX) laid out as official documents are (GB/T 9704-2012): A4, margins
//! 37/35/28/26 mm, 22 lines a page, the title in 小标宋 2号, the body in 仿宋_GB2312 3号,
//! headings in 黑体, page numbers in the footer as 「— 1 —」. The 通报 of a common problem,
//! the 巡察公告 and the 测评票 are written with these parts. Fonts are named, not embedded:
//! every office machine in China has them, and a document stays a few kilobytes.

use chrono::{Datelike, NaiveDate};
use docx_rs::{
    AlignmentType, Docx, Footer, LineSpacing, LineSpacingType, PageMargin, PageNum, Paragraph, Pic,
    Run, RunFonts, SpecialIndentType,
};

use crate::{Error, Result};

pub use xuncha_api::DOCX;

/// A document to download: `name` is what the office's disk shows (Chinese, sent encoded as
/// RFC 5987 asks), `ascii` the name for clients that read only the plain one.
pub fn download(bytes: Vec<u8>, ascii: &str, name: &str) -> axum::response::Response {
    use axum::http::header;
    use axum::response::IntoResponse;
    let encoded: String = form_urlencoded::byte_serialize(name.as_bytes()).collect();
    (
        [
            (header::CONTENT_TYPE, DOCX.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}"),
            ),
            // Restricted or one-time contents: never kept by a shared machine's cache.
            (header::CACHE_CONTROL, "no-store".to_string()),
        ],
        bytes,
    )
        .into_response()
}

/// Today as dated in China (UTC+8): a document printed at 7 a.m. in the county carries that day.
pub fn china_today() -> NaiveDate {
    (chrono::Utc::now() + chrono::Duration::hours(8)).date_naive()
}

/// Twips from millimetres.
pub fn mm(v: f64) -> i32 {
    (v * 1440.0 / 25.4).round() as i32
}

/// EMUs (what a picture's size is given in) from millimetres.
fn emu(mm: f64) -> u32 {
    (mm * 36_000.0).round() as u32
}

pub const TITLE_FONT: &str = "方正小标宋简体";
pub const BODY_FONT: &str = "仿宋_GB2312";
pub const HEADING_FONT: &str = "黑体";
/// 2号, 3号, 4号 and 5号 in half-points.
pub const SIZE_2: usize = 44;
pub const SIZE_3: usize = 32;
pub const SIZE_4: usize = 28;
pub const SIZE_5: usize = 21;
/// A fixed line of 28.95 pt: 22 lines in the 225 mm of type area.
const LINE: i32 = 579;

pub fn run(text: &str, font: &str, size: usize) -> Run {
    Run::new()
        .add_text(text)
        .size(size)
        .fonts(RunFonts::new().east_asia(font).ascii(font).hi_ansi(font))
}

pub fn line() -> LineSpacing {
    LineSpacing::new()
        .line_rule(LineSpacingType::Exact)
        .line(LINE)
}

/// A body paragraph: two characters' indent.
pub fn body(text: &str) -> Paragraph {
    Paragraph::new()
        .add_run(run(text, BODY_FONT, SIZE_3))
        .indent(None, Some(SpecialIndentType::FirstLine(640)), None, None)
        .line_spacing(line())
        .align(AlignmentType::Both)
}

pub fn heading(text: &str) -> Paragraph {
    Paragraph::new()
        .add_run(run(text, HEADING_FONT, SIZE_3))
        .indent(None, Some(SpecialIndentType::FirstLine(640)), None, None)
        .line_spacing(line())
        .outline_lvl(1)
}

pub fn title(text: &str) -> Paragraph {
    Paragraph::new()
        .add_run(run(text, TITLE_FONT, SIZE_2))
        .align(AlignmentType::Center)
        .line_spacing(line())
        .outline_lvl(0)
}

pub fn blank() -> Paragraph {
    Paragraph::new().line_spacing(line())
}

pub fn right(text: &str) -> Paragraph {
    Paragraph::new()
        .add_run(run(text, BODY_FONT, SIZE_3))
        .line_spacing(line())
        .align(AlignmentType::Right)
}

/// A paragraph of its own, centred, with the QR code for `url` printed `size_mm` wide.
pub fn qr(url: &str, size_mm: f64) -> Result<Paragraph> {
    let (png, px) = qr_png(url)?;
    let pic = Pic::new_with_dimensions(png, px, px).size(emu(size_mm), emu(size_mm));
    Ok(Paragraph::new()
        .align(AlignmentType::Center)
        .add_run(Run::new().add_image(pic)))
}

/// 2026年12月2日
pub fn chinese_date(d: NaiveDate) -> String {
    format!("{}年{}月{}日", d.year(), d.month(), d.day())
}

/// An A4 document with the official margins, fonts and page numbers.
pub fn official() -> Docx {
    let footer = Footer::new().add_paragraph(
        Paragraph::new()
            .align(AlignmentType::Center)
            .add_run(run("— ", BODY_FONT, SIZE_4))
            .add_page_num(PageNum::new())
            .add_run(run(" —", BODY_FONT, SIZE_4)),
    );
    Docx::new()
        .page_size(11906, 16838)
        .page_margin(
            PageMargin::new()
                .top(mm(37.0))
                .bottom(mm(35.0))
                .left(mm(28.0))
                .right(mm(26.0))
                .header(mm(15.0))
                .footer(mm(15.0)),
        )
        .default_fonts(
            RunFonts::new()
                .east_asia(BODY_FONT)
                .ascii(BODY_FONT)
                .hi_ansi(BODY_FONT),
        )
        .default_size(SIZE_3)
        .footer(footer)
}

pub fn pack(doc: Docx) -> Result<Vec<u8>> {
    let mut out = std::io::Cursor::new(Vec::new());
    doc.build()
        .pack(&mut out)
        .map_err(|e| Error::Internal(anyhow::anyhow!(e)))?;
    Ok(out.into_inner())
}

/// A DOCX read back as the text of its body's paragraphs, in order (a table's cells each give
/// theirs, row by row): how tests check what a document says.
pub fn paragraphs(bytes: &[u8]) -> Result<Vec<String>> {
    let doc = docx_rs::read_docx(bytes).map_err(|e| Error::Internal(anyhow::anyhow!(e)))?;
    let mut out = Vec::new();
    for child in &doc.document.children {
        match child {
            docx_rs::DocumentChild::Paragraph(p) => out.push(p.raw_text()),
            docx_rs::DocumentChild::Table(t) => {
                for row in &t.rows {
                    let docx_rs::TableChild::TableRow(row) = row;
                    for cell in &row.cells {
                        let docx_rs::TableRowChild::TableCell(cell) = cell;
                        for c in &cell.children {
                            if let docx_rs::TableCellContent::Paragraph(p) = c {
                                out.push(p.raw_text());
                            }
                        }
                    }
                }
            }
            _ => {}
        }
    }
    Ok(out)
}

/// How many pictures a DOCX holds: a test's proof that its QR codes are in it.
pub fn images(bytes: &[u8]) -> Result<usize> {
    let doc = docx_rs::read_docx(bytes).map_err(|e| Error::Internal(anyhow::anyhow!(e)))?;
    Ok(doc.images.len())
}

/// Pixels a QR module is drawn with: at 40 mm a module is still over 0.3 mm, crisp on any
/// office printer, and the picture a few hundred bytes.
const MODULE_PX: u32 = 8;
/// The quiet zone around the code, in modules, as the standard asks.
const QUIET: u32 = 4;

/// The QR code for `url` as a black-and-white PNG, and its side in pixels.
pub fn qr_png(url: &str) -> Result<(Vec<u8>, u32)> {
    let code = qrcode::QrCode::new(url.as_bytes())
        .map_err(|e| Error::Internal(anyhow::anyhow!("qr code: {e}")))?;
    let modules = code.width() as u32;
    let colors = code.to_colors();
    let side = (modules + 2 * QUIET) * MODULE_PX;
    let row_bytes = side.div_ceil(8) as usize;
    // One bit a pixel, 1 for white, rows padded to whole bytes: PNG's grayscale at depth 1.
    let mut data = vec![0xffu8; row_bytes * side as usize];
    for y in 0..side {
        for x in 0..side {
            let (mx, my) = (x / MODULE_PX, y / MODULE_PX);
            let dark = mx >= QUIET
                && my >= QUIET
                && mx < QUIET + modules
                && my < QUIET + modules
                && colors[((my - QUIET) * modules + (mx - QUIET)) as usize] == qrcode::Color::Dark;
            if dark {
                data[y as usize * row_bytes + (x / 8) as usize] &= !(0x80 >> (x % 8));
            }
        }
    }
    let mut out = Vec::new();
    {
        let mut encoder = png::Encoder::new(&mut out, side, side);
        encoder.set_color(png::ColorType::Grayscale);
        encoder.set_depth(png::BitDepth::One);
        let mut writer = encoder
            .write_header()
            .map_err(|e| Error::Internal(anyhow::anyhow!("png: {e}")))?;
        writer
            .write_image_data(&data)
            .map_err(|e| Error::Internal(anyhow::anyhow!("png: {e}")))?;
    }
    Ok((out, side))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_qr_png_decodes_to_the_code_it_was_drawn_from() {
        let url = "http://127.0.0.1:8080/xinfang/0195";
        let (png_bytes, side) = qr_png(url).unwrap();
        let decoder = png::Decoder::new(std::io::Cursor::new(&png_bytes));
        let mut reader = decoder.read_info().unwrap();
        let mut buf = vec![0; reader.output_buffer_size().unwrap()];
        let info = reader.next_frame(&mut buf).unwrap();
        assert_eq!((info.width, info.height), (side, side));
        let code = qrcode::QrCode::new(url.as_bytes()).unwrap();
        let colors = code.to_colors();
        let modules = code.width() as u32;
        // Every module's centre pixel is dark exactly where the code has a dark module, and
        // the quiet zone is white.
        let pixel_dark = |x: u32, y: u32| {
            let byte = buf[(y as usize) * info.line_size + (x / 8) as usize];
            byte & (0x80 >> (x % 8)) == 0
        };
        for my in 0..modules {
            for mx in 0..modules {
                let (x, y) = (
                    (mx + QUIET) * MODULE_PX + MODULE_PX / 2,
                    (my + QUIET) * MODULE_PX + MODULE_PX / 2,
                );
                let want = colors[(my * modules + mx) as usize] == qrcode::Color::Dark;
                assert_eq!(pixel_dark(x, y), want, "module {mx},{my}");
            }
        }
        assert!(!pixel_dark(1, 1));
        assert!(png_bytes.len() < 2_000, "{} bytes", png_bytes.len());
    }
}
