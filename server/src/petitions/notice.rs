//! The stationing notice (巡察公告) and the window it opens: while a target's round is in 进驻,
//! and for the grace days the office sets after the stationing ends, the village's public page
//! takes petitions.

use chrono::{Duration, NaiveDate};
use serde_json::json;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};
use xuncha_api::petitions::{NoticeDraft, StationingNotice, CUSTOMARY_SCOPE};
use xuncha_api::rounds::Phase;
use xuncha_api::Lang;

use crate::access::{self, Actor, Grant, Object};
use crate::db::{self, Columns, Tx};
use crate::{audit, Error, Result};

/// What the team does not take, as the notice says under its QR code.
pub const NOT_ACCEPTED: &str = "巡察组不受理不属于巡察职责范围内的事项，涉及诉讼、仲裁、行政复议的事项请按有关规定向主管部门反映。";

/// A target as the public page and the notice see it.
pub struct Window {
    pub target_id: String,
    pub org_id: String,
    pub org_name: String,
    pub team_name: String,
    pub phone: String,
    pub box_location: String,
    scope: String,
    pub station_start: Option<NaiveDate>,
    pub station_end: Option<NaiveDate>,
    pub grace_days: i64,
    pub phase: Phase,
    pub open: bool,
}

impl Window {
    pub fn upcoming(&self) -> bool {
        self.phase == Phase::Preparation
    }

    pub fn period(&self) -> Option<String> {
        match (self.station_start, self.station_end) {
            (Some(s), Some(e)) => Some(format!(
                "{} — {}",
                s.format("%Y-%m-%d"),
                e.format("%Y-%m-%d")
            )),
            (Some(s), None) => Some(format!("{} —", s.format("%Y-%m-%d"))),
            _ => None,
        }
    }

    pub fn scope(&self, lang: Lang) -> &str {
        if !self.scope.is_empty() {
            &self.scope
        } else {
            lang.pick(
                CUSTOMARY_SCOPE,
                "The team takes reports about the village's Party organisation and its cadres.",
            )
        }
    }

    pub fn petition_path(&self) -> String {
        format!("/xinfang/{}", self.org_id)
    }
}

/// Whether a target in `phase` takes petitions on `today`: all through 进驻, and after it
/// until the stationing's last day plus the grace days.
pub fn is_open(
    phase: Phase,
    station_end: Option<NaiveDate>,
    grace_days: i64,
    today: NaiveDate,
) -> bool {
    match phase {
        Phase::Stationing => true,
        Phase::Preparation | Phase::Closed => false,
        Phase::Report | Phase::Feedback | Phase::Rectification => {
            station_end.is_some_and(|end| today <= end + Duration::days(grace_days))
        }
    }
}

const SELECT: &str = "SELECT tg.id, tg.org_id, tg.station_start, tg.station_end, r.phase, \
     o.name AS org_name, tm.name AS team_name, tm.contact, n.phone, n.box_location, n.scope, n.grace_days \
     FROM targets tg JOIN rounds r ON r.id = tg.round_id JOIN orgs o ON o.id = tg.org_id \
     JOIN teams tm ON tm.id = tg.team_id LEFT JOIN stationing_notices n ON n.target_id = tg.id";

fn window(r: &AnyRow, today: NaiveDate) -> Result<Window> {
    let phase = r.enumerated("phase", Phase::parse)?;
    let station_end = r.date_opt("station_end")?;
    let grace_days = r.try_get::<Option<i64>, _>("grace_days")?.unwrap_or(0);
    // Without a notice yet, the team's public contact is the number to call.
    let phone = r
        .try_get::<Option<String>, _>("phone")?
        .unwrap_or(r.try_get("contact")?);
    Ok(Window {
        target_id: r.try_get("id")?,
        org_id: r.try_get("org_id")?,
        org_name: r.try_get("org_name")?,
        team_name: r.try_get("team_name")?,
        phone,
        box_location: r
            .try_get::<Option<String>, _>("box_location")?
            .unwrap_or_default(),
        scope: r.try_get::<Option<String>, _>("scope")?.unwrap_or_default(),
        station_start: r.date_opt("station_start")?,
        station_end,
        grace_days,
        phase,
        open: is_open(phase, station_end, grace_days, today),
    })
}

/// The target a village's public page speaks for: the one taking petitions, else the next one
/// coming, else the latest. `None` for an organisation that is not (or no longer) there.
pub async fn for_org(
    conn: &mut AnyConnection,
    org_id: &str,
    today: NaiveDate,
) -> Result<Option<Window>> {
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "{SELECT} WHERE tg.org_id = $1 AND o.active = 1 ORDER BY r.start_date DESC, tg.created_at DESC"
    )))
    .bind(org_id)
    .fetch_all(conn)
    .await?;
    let mut windows = rows
        .iter()
        .map(|r| window(r, today))
        .collect::<Result<Vec<_>>>()?;
    let pick = windows
        .iter()
        .position(|w| w.open)
        .or_else(|| windows.iter().position(Window::upcoming))
        .or(if windows.is_empty() { None } else { Some(0) });
    Ok(pick.map(|i| windows.swap_remove(i)))
}

async fn for_target(conn: &mut AnyConnection, target_id: &str) -> Result<Window> {
    let row = sqlx::query(sqlx::AssertSqlSafe(format!("{SELECT} WHERE tg.id = $1")))
        .bind(target_id)
        .fetch_optional(conn)
        .await?
        .ok_or(Error::NotFound)?;
    window(&row, db::now().date_naive())
}

fn view(w: &Window) -> StationingNotice {
    StationingNotice {
        target_id: w.target_id.clone(),
        org_id: w.org_id.clone(),
        org_name: w.org_name.clone(),
        team_name: w.team_name.clone(),
        phone: w.phone.clone(),
        box_location: w.box_location.clone(),
        scope: w.scope(Lang::Zh).to_string(),
        station_start: w.station_start,
        station_end: w.station_end,
        grace_days: w.grace_days,
        open: w.open,
        petition_path: w.petition_path(),
    }
}

pub async fn get(
    conn: &mut AnyConnection,
    actor: &Actor,
    target_id: &str,
) -> Result<(StationingNotice, Window)> {
    access::on_target(conn, actor, target_id, Object::Notice, Grant::Read).await?;
    let w = for_target(conn, target_id).await?;
    Ok((view(&w), w))
}

/// The office sets what the notice says and how long after the stationing the page stays open.
pub async fn put(
    tx: &mut Tx<'_>,
    actor: &Actor,
    target_id: &str,
    draft: &NoticeDraft,
) -> Result<StationingNotice> {
    access::on_target(tx, actor, target_id, Object::Notice, Grant::Lead).await?;
    draft.validate().map_err(Error::Invalid)?;
    // The customary wording is kept as "none written", so a better default reaches old notices.
    let scope = draft.scope.trim();
    let scope = if scope == CUSTOMARY_SCOPE { "" } else { scope };
    sqlx::query(
        "INSERT INTO stationing_notices (target_id, phone, box_location, scope, grace_days, updated_by, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (target_id) DO UPDATE SET phone = $2, \
         box_location = $3, scope = $4, grace_days = $5, updated_by = $6, updated_at = $7",
    )
    .bind(target_id)
    .bind(draft.phone.trim())
    .bind(draft.box_location.trim())
    .bind(scope)
    .bind(draft.grace_days)
    .bind(&actor.id)
    .bind(db::ts(db::now()))
    .execute(&mut **tx)
    .await?;
    audit::record(
        tx,
        Some(actor),
        "notice.update",
        "target",
        Some(target_id),
        json!({ "grace_days": draft.grace_days }),
    );
    Ok(view(&for_target(tx, target_id).await?))
}

/// The notice as a Word document (A4, laid out as an official document), its QR code leading
/// to `url`, the village's petition page: what the print page shows, for offices that print
/// and stamp from Word.
pub fn docx(w: &Window, url: &str, today: NaiveDate) -> Result<Vec<u8>> {
    use crate::documents::{self, body, right, run, BODY_FONT, SIZE_4};
    let mut opening = format!("根据县（市、区）委巡察工作安排，{}", w.team_name);
    if let Some(period) = w.period() {
        opening.push_str(&format!("于 {period} "));
    }
    opening.push_str(&format!("对{}党组织开展巡察。", w.org_name));
    let mut doc = documents::official()
        .add_paragraph(documents::title("巡察公告"))
        .add_paragraph(documents::blank())
        .add_paragraph(body(&opening))
        .add_paragraph(body(w.scope(Lang::Zh)));
    if !w.phone.is_empty() {
        doc = doc.add_paragraph(body(&format!("巡察组电话：{}", w.phone)));
    }
    if !w.box_location.is_empty() {
        doc = doc.add_paragraph(body(&format!("意见箱位置：{}", w.box_location)));
    }
    if let Some(end) = w.station_end {
        doc = doc.add_paragraph(body(&format!(
            "受理时间：即日起至{}",
            documents::chinese_date(end + Duration::days(w.grace_days))
        )));
    }
    doc = doc
        .add_paragraph(documents::qr(url, 40.0)?)
        .add_paragraph(
            docx_rs::Paragraph::new()
                .align(docx_rs::AlignmentType::Center)
                .add_run(run(
                    "手机扫码反映问题（无需注册，可匿名）",
                    BODY_FONT,
                    SIZE_4,
                )),
        )
        .add_paragraph(
            docx_rs::Paragraph::new()
                .align(docx_rs::AlignmentType::Center)
                .add_run(run(url, BODY_FONT, SIZE_4)),
        )
        .add_paragraph(body(NOT_ACCEPTED))
        .add_paragraph(documents::blank())
        .add_paragraph(right(&w.team_name))
        .add_paragraph(right(&documents::chinese_date(today)));
    documents::pack(doc)
}

/// The QR code, as SVG to put in a page, for `url`.
pub fn qr_svg(url: &str) -> Result<String> {
    let code = qrcode::QrCode::new(url.as_bytes())
        .map_err(|e| Error::Internal(anyhow::anyhow!("qr code: {e}")))?;
    let svg = code
        .render::<qrcode::render::svg::Color>()
        .min_dimensions(240, 240)
        .quiet_zone(true)
        .build();
    // The XML declaration belongs to a file, not to an element in a page.
    Ok(match svg.find("<svg") {
        Some(start) => svg[start..].to_string(),
        None => svg,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn the_page_takes_petitions_while_stationed_and_through_the_grace_days() {
        let end = Some(d("2026-05-31"));
        assert!(is_open(Phase::Stationing, None, 0, d("2026-07-01")));
        assert!(!is_open(Phase::Preparation, end, 30, d("2026-05-01")));
        assert!(is_open(Phase::Report, end, 0, d("2026-05-31")));
        assert!(!is_open(Phase::Report, end, 0, d("2026-06-01")));
        assert!(is_open(Phase::Report, end, 10, d("2026-06-10")));
        assert!(!is_open(Phase::Report, end, 10, d("2026-06-11")));
        assert!(!is_open(Phase::Report, None, 10, d("2026-06-01")));
        assert!(!is_open(Phase::Closed, end, 60, d("2026-06-01")));
    }

    #[test]
    fn the_qr_code_is_an_svg_element() {
        let svg = qr_svg("http://127.0.0.1:8080/xinfang/0195").unwrap();
        assert!(svg.starts_with("<svg"), "{}", &svg[..40]);
        assert!(svg.contains("viewBox") || svg.contains("width"));
    }
}
