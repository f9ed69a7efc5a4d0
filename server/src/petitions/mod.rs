//! Petitions (信访举报): the public page and status lookup (`public`), the stationing notice
//! that invites them (`notice`), and the team's work on them here — entering those received
//! by phone, letter, the box or in person, triage, the round's ledger.

pub mod notice;
pub mod public;
pub mod store;

use askama::Template;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use chrono::NaiveDate;
use rust_xlsxwriter::{Format, Workbook};
use xuncha_api::audit::ReadEntry;
use xuncha_api::petitions::{
    NoticeDraft, Petition, PetitionDraft, PetitionLedger, StationingNotice, Triage,
};
use xuncha_api::Lang;

use crate::access::Actor;
use crate::extract::{Json, Path};
use crate::rectification::ledger::{header, xlsx};
use crate::restricted::PETITION;
use crate::{AppState, Result};
use utoipa_axum::router::{OpenApiRouter, UtoipaMethodRouterExt};
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list))
        .routes(routes!(put))
        .routes(routes!(get))
        .routes(routes!(triage))
        .routes(routes!(add_file, file).layer(DefaultBodyLimit::max(crate::files::MAX)))
        .routes(routes!(reads))
        .routes(routes!(ledger))
        .routes(routes!(ledger_xlsx))
        .routes(routes!(notice_get, notice_put))
        .routes(routes!(notice_print))
        .routes(routes!(notice_docx))
}

#[utoipa::path(get, operation_id = "petitions_list", path = "/api/targets/{id}/petitions", tag = "petitions",
    params(("id" = String, Path)),
    responses((status = 200, description = "The target's petitions; the read is logged", body = Vec<Petition>),
        (status = 404, body = xuncha_api::ApiError)))]
pub async fn list(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<String>,
) -> Result<Json<Vec<Petition>>> {
    let mut tx = state.db.begin().await?;
    let petitions = store::list(&mut tx, &actor, &id, "GET /api/targets/{id}/petitions").await?;
    tx.commit().await?;
    Ok(Json(petitions))
}

#[utoipa::path(put, operation_id = "petitions_put", path = "/api/targets/{id}/petitions/{petition_id}", tag = "petitions",
    params(("id" = String, Path), ("petition_id" = String, Path)), request_body = PetitionDraft,
    responses((status = 200, description = "Received by phone, letter, the box or in person", body = Petition),
        (status = 409, body = xuncha_api::ApiError), (status = 422, body = xuncha_api::ApiError)))]
pub async fn put(
    State(state): State<AppState>,
    actor: Actor,
    Path((id, petition_id)): Path<(String, String)>,
    Json(draft): Json<PetitionDraft>,
) -> Result<Json<Petition>> {
    let mut tx = state.db.begin().await?;
    let petition = store::put(&mut tx, &actor, &id, &petition_id, &draft).await?;
    tx.commit().await?;
    Ok(Json(petition))
}

#[utoipa::path(get, operation_id = "petitions_get", path = "/api/petitions/{id}", tag = "petitions",
    params(("id" = String, Path)),
    responses((status = 200, description = "The petition; the read is logged", body = Petition),
        (status = 404, body = xuncha_api::ApiError)))]
pub async fn get(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<String>,
) -> Result<Json<Petition>> {
    let mut tx = state.db.begin().await?;
    let petition = store::get(&mut tx, &actor, &id, "GET /api/petitions/{id}").await?;
    tx.commit().await?;
    Ok(Json(petition))
}

#[utoipa::path(put, operation_id = "petitions_triage", path = "/api/petitions/{id}/triage", tag = "petitions",
    params(("id" = String, Path)), request_body = Triage,
    responses((status = 200, body = Petition), (status = 409, body = xuncha_api::ApiError),
        (status = 422, body = xuncha_api::ApiError)))]
pub async fn triage(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<String>,
    Json(t): Json<Triage>,
) -> Result<Json<Petition>> {
    let mut tx = state.db.begin().await?;
    let petition = store::triage(&mut tx, &actor, &id, &t).await?;
    tx.commit().await?;
    Ok(Json(petition))
}

#[utoipa::path(put, operation_id = "petitions_add_file", path = "/api/petitions/{id}/files/{file_id}", tag = "petitions",
    params(("id" = String, Path), ("file_id" = String, Path)),
    request_body(content = Vec<u8>, content_type = "image/jpeg", description = "A photo (jpeg, png, webp) or a PDF, at most 5 MiB"),
    responses((status = 200, description = "SHA-256 of what the server holds"), (status = 413, body = xuncha_api::ApiError),
        (status = 422, body = xuncha_api::ApiError)))]
pub async fn add_file(
    State(state): State<AppState>,
    actor: Actor,
    Path((id, file_id)): Path<(String, String)>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Json<String>> {
    let content_type = crate::files::content_type(&headers);
    let mut tx = state.db.begin().await?;
    let sha = PETITION
        .add_file(&mut tx, &actor, &id, &file_id, content_type, &body)
        .await?;
    tx.commit().await?;
    Ok(Json(sha))
}

#[utoipa::path(get, operation_id = "petitions_file", path = "/api/petitions/{id}/files/{file_id}", tag = "petitions",
    params(("id" = String, Path), ("file_id" = String, Path)),
    responses((status = 200, content_type = "image/jpeg", description = "The file; the read is logged"),
        (status = 404, body = xuncha_api::ApiError)))]
pub async fn file(
    State(state): State<AppState>,
    actor: Actor,
    Path((id, file_id)): Path<(String, String)>,
) -> Result<impl IntoResponse> {
    let mut tx = state.db.begin().await?;
    let stored = PETITION
        .file(
            &mut tx,
            &actor,
            &id,
            &file_id,
            "GET /api/petitions/{id}/files/{file_id}",
        )
        .await?;
    tx.commit().await?;
    state.db.files.response(stored).await
}

#[utoipa::path(get, operation_id = "petitions_reads", path = "/api/petitions/{id}/reads", tag = "petitions",
    params(("id" = String, Path)),
    responses((status = 200, description = "Who read the petition, newest first", body = Vec<ReadEntry>),
        (status = 403, body = xuncha_api::ApiError), (status = 404, body = xuncha_api::ApiError)))]
pub async fn reads(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<String>,
) -> Result<Json<Vec<ReadEntry>>> {
    let mut conn = state.db.pool.acquire().await?;
    Ok(Json(PETITION.reads(&mut conn, &actor, &id).await?))
}

#[utoipa::path(get, operation_id = "petitions_ledger", path = "/api/rounds/{id}/petitions", tag = "petitions",
    params(("id" = String, Path)),
    responses((status = 200, description = "信访举报台账 of a round, as far as the reader reaches; the read is logged", body = PetitionLedger),
        (status = 403, body = xuncha_api::ApiError), (status = 404, body = xuncha_api::ApiError)))]
pub async fn ledger(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<String>,
) -> Result<Json<PetitionLedger>> {
    let mut tx = state.db.begin().await?;
    let l = store::ledger(&mut tx, &actor, &id, "GET /api/rounds/{id}/petitions").await?;
    tx.commit().await?;
    Ok(Json(l))
}

#[utoipa::path(get, operation_id = "petitions_ledger_xlsx", path = "/api/rounds/{id}/petitions.xlsx", tag = "petitions",
    params(("id" = String, Path)),
    responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        (status = 403, body = xuncha_api::ApiError), (status = 404, body = xuncha_api::ApiError)))]
pub async fn ledger_xlsx(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<String>,
) -> Result<impl IntoResponse> {
    let mut tx = state.db.begin().await?;
    let l = store::ledger(&mut tx, &actor, &id, "GET /api/rounds/{id}/petitions.xlsx").await?;
    tx.commit().await?;
    Ok(crate::rounds::xlsx(ledger_book(&l)?, "petitions.xlsx"))
}

fn ledger_book(l: &PetitionLedger) -> Result<Vec<u8>> {
    let zh = Lang::Zh;
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("信访举报台账").map_err(xlsx)?;
    let bold = Format::new().set_bold();
    let columns = [
        ("被巡察组织", 18),
        ("巡察组", 14),
        ("渠道", 8),
        ("收到日期", 12),
        ("办理状态", 10),
        ("分办结果", 14),
        ("转办单位", 16),
    ];
    header(sheet, &columns)?;
    for (n, r) in l.rows.iter().enumerate() {
        let line = n as u32 + 1;
        let cells = [
            r.org_name.as_str(),
            &r.team_name,
            r.channel.label(zh),
            &r.received_on.format("%Y-%m-%d").to_string(),
            r.status.label(zh),
            r.outcome.map_or("未分办", |o| o.label(zh)),
            &r.transfer_to,
        ];
        for (i, c) in cells.iter().enumerate() {
            sheet.write_string(line, i as u16, *c).map_err(xlsx)?;
        }
    }
    let first = l.rows.len() as u32 + 2;
    let channels: Vec<String> = l
        .by_channel
        .iter()
        .map(|c| format!("{} {}", c.channel.label(zh), c.count))
        .collect();
    let outcomes: Vec<String> = l
        .by_outcome
        .iter()
        .map(|c| {
            format!(
                "{} {}",
                c.outcome.map_or("未分办", |o| o.label(zh)),
                c.count
            )
        })
        .collect();
    for (line, summary) in (first..).zip([
        format!("合计 {} 件", l.rows.len()),
        format!("按渠道：{}", channels.join("，")),
        format!("按分办结果：{}", outcomes.join("，")),
    ]) {
        sheet
            .write_string_with_format(line, 0, summary, &bold)
            .map_err(xlsx)?;
    }
    book.save_to_buffer().map_err(xlsx)
}

#[utoipa::path(get, operation_id = "petitions_notice_get", path = "/api/targets/{id}/notice", tag = "petitions",
    params(("id" = String, Path)),
    responses((status = 200, description = "The stationing notice (巡察公告) and whether the public page is open", body = StationingNotice),
        (status = 404, body = xuncha_api::ApiError)))]
pub async fn notice_get(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<String>,
) -> Result<Json<StationingNotice>> {
    let mut conn = state.db.pool.acquire().await?;
    Ok(Json(notice::get(&mut conn, &actor, &id).await?.0))
}

#[utoipa::path(put, operation_id = "petitions_notice_put", path = "/api/targets/{id}/notice", tag = "petitions",
    params(("id" = String, Path)), request_body = NoticeDraft,
    responses((status = 200, body = StationingNotice), (status = 403, body = xuncha_api::ApiError),
        (status = 422, body = xuncha_api::ApiError)))]
pub async fn notice_put(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<String>,
    Json(draft): Json<NoticeDraft>,
) -> Result<Json<StationingNotice>> {
    let mut tx = state.db.begin().await?;
    let n = notice::put(&mut tx, &actor, &id, &draft).await?;
    tx.commit().await?;
    Ok(Json(n))
}

#[derive(Template)]
#[template(path = "office/notice.html")]
struct NoticePage {
    lang: Lang,
    w: notice::Window,
    qr: String,
    url: String,
}

impl NoticePage {
    fn last_day(&self, end: &NaiveDate) -> String {
        (*end + chrono::Duration::days(self.w.grace_days))
            .format("%Y年%-m月%-d日")
            .to_string()
    }
}

/// A target's notice for its reader, and the address of the village's petition page its QR
/// code leads to.
async fn notice_and_link(
    state: &AppState,
    actor: &Actor,
    id: &str,
    headers: &HeaderMap,
) -> Result<(notice::Window, String)> {
    let mut conn = state.db.pool.acquire().await?;
    let (_, w) = notice::get(&mut conn, actor, id).await?;
    let url = format!(
        "{}{}",
        crate::public::origin(state, headers),
        w.petition_path()
    );
    Ok((w, url))
}

#[utoipa::path(get, operation_id = "petitions_notice_print", path = "/api/targets/{id}/notice/print", tag = "petitions",
    params(("id" = String, Path)),
    responses((status = 200, content_type = "text/html", description = "The notice as an A4 page to print, its QR code leading to the village's petition page"),
        (status = 404, body = xuncha_api::ApiError)))]
pub async fn notice_print(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<Response> {
    let (w, url) = notice_and_link(&state, &actor, &id, &headers).await?;
    let page = NoticePage {
        lang: Lang::Zh,
        qr: notice::qr_svg(&url)?,
        url,
        w,
    };
    Ok(crate::public::page(StatusCode::OK, &page, Some("no-store")))
}

#[utoipa::path(get, operation_id = "petitions_notice_docx", path = "/api/targets/{id}/notice.docx", tag = "petitions",
    params(("id" = String, Path)),
    responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            description = "The notice as a Word document (A4), its QR code leading to the village's petition page"),
        (status = 404, body = xuncha_api::ApiError)))]
pub async fn notice_docx(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<Response> {
    let (w, url) = notice_and_link(&state, &actor, &id, &headers).await?;
    let bytes = notice::docx(&w, &url, crate::documents::china_today())?;
    Ok(crate::documents::download(
        bytes,
        "notice.docx",
        "巡察公告.docx",
    ))
}
