//! Problem clues (问题线索) and their referral (移交) to discipline: the team records and its
//! leader proposes, the office refers under a number, discipline accepts and records the
//! handling and the result. Need-to-know as for talks: the unit and other teams never learn
//! that one exists, and every read of a clue's content is logged.

pub mod referrals;
pub mod store;

use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::HeaderMap;
use axum::response::IntoResponse;
use serde::Deserialize;
use xuncha_api::audit::ReadEntry;
use xuncha_api::clues::{Clue, ClueDraft, ClueStatus, Handling, MoveClue, NewReferral, Referral};

use crate::access::Actor;
use crate::extract::{Json, Path, Query};
use crate::restricted::CLUE;
use crate::{AppState, Result};
use utoipa_axum::router::{OpenApiRouter, UtoipaMethodRouterExt};
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(for_target))
        .routes(routes!(put))
        .routes(routes!(by_status))
        .routes(routes!(get))
        .routes(routes!(move_to))
        .routes(routes!(handle))
        .routes(routes!(add_file, file).layer(DefaultBodyLimit::max(crate::files::MAX)))
        .routes(routes!(reads))
        .routes(routes!(referral_list, referral_create))
        .routes(routes!(referral_get))
        .routes(routes!(referral_send))
        .routes(routes!(referral_accept))
}

#[utoipa::path(get, operation_id = "clues_for_target", path = "/api/targets/{id}/clues", tag = "clues",
    params(("id" = String, Path)),
    responses((status = 200, description = "The target's clues; the read is logged", body = Vec<Clue>),
        (status = 404, body = xuncha_api::ApiError)))]
pub async fn for_target(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<String>,
) -> Result<Json<Vec<Clue>>> {
    let mut tx = state.db.begin().await?;
    let clues = store::for_target(&mut tx, &actor, &id, "GET /api/targets/{id}/clues").await?;
    tx.commit().await?;
    Ok(Json(clues))
}

#[utoipa::path(put, operation_id = "clues_put", path = "/api/targets/{id}/clues/{clue_id}", tag = "clues",
    params(("id" = String, Path), ("clue_id" = String, Path)), request_body = ClueDraft,
    responses((status = 200, body = Clue), (status = 409, body = xuncha_api::ApiError),
        (status = 422, body = xuncha_api::ApiError)))]
pub async fn put(
    State(state): State<AppState>,
    actor: Actor,
    Path((id, clue_id)): Path<(String, String)>,
    Json(draft): Json<ClueDraft>,
) -> Result<Json<Clue>> {
    let mut tx = state.db.begin().await?;
    let clue = store::put(&mut tx, &actor, &id, &clue_id, &draft).await?;
    tx.commit().await?;
    Ok(Json(clue))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct StatusQuery {
    pub status: ClueStatus,
}

#[utoipa::path(get, operation_id = "clues_by_status", path = "/api/clues", tag = "clues",
    params(StatusQuery),
    responses((status = 200, description = "Every clue in the state, for the office and discipline; the read is logged", body = Vec<Clue>),
        (status = 403, body = xuncha_api::ApiError)))]
pub async fn by_status(
    State(state): State<AppState>,
    actor: Actor,
    Query(q): Query<StatusQuery>,
) -> Result<Json<Vec<Clue>>> {
    let mut tx = state.db.begin().await?;
    let clues = store::by_status(&mut tx, &actor, q.status, "GET /api/clues").await?;
    tx.commit().await?;
    Ok(Json(clues))
}

#[utoipa::path(get, operation_id = "clues_get", path = "/api/clues/{id}", tag = "clues",
    params(("id" = String, Path)),
    responses((status = 200, description = "The clue with its files and story; the read is logged", body = Clue),
        (status = 404, body = xuncha_api::ApiError)))]
pub async fn get(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<String>,
) -> Result<Json<Clue>> {
    let mut tx = state.db.begin().await?;
    let clue = store::get(&mut tx, &actor, &id, "GET /api/clues/{id}").await?;
    tx.commit().await?;
    Ok(Json(clue))
}

#[utoipa::path(post, operation_id = "clues_move", path = "/api/clues/{id}/moves", tag = "clues",
    params(("id" = String, Path)), request_body = MoveClue,
    responses((status = 200, body = Clue), (status = 409, body = xuncha_api::ApiError)))]
pub async fn move_to(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<String>,
    Json(req): Json<MoveClue>,
) -> Result<Json<Clue>> {
    let mut tx = state.db.begin().await?;
    let clue = store::move_to(&mut tx, &actor, &id, &req).await?;
    tx.commit().await?;
    Ok(Json(clue))
}

#[utoipa::path(post, operation_id = "clues_handle", path = "/api/clues/{id}/handling", tag = "clues",
    params(("id" = String, Path)), request_body = Handling,
    responses((status = 200, body = Clue), (status = 409, body = xuncha_api::ApiError),
        (status = 422, body = xuncha_api::ApiError)))]
pub async fn handle(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<String>,
    Json(req): Json<Handling>,
) -> Result<Json<Clue>> {
    let mut tx = state.db.begin().await?;
    let clue = store::handle(&mut tx, &actor, &id, &req).await?;
    tx.commit().await?;
    Ok(Json(clue))
}

#[utoipa::path(put, operation_id = "clues_add_file", path = "/api/clues/{id}/files/{file_id}", tag = "clues",
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
    let sha = store::add_file(&mut tx, &actor, &id, &file_id, content_type, &body).await?;
    tx.commit().await?;
    Ok(Json(sha))
}

#[utoipa::path(get, operation_id = "clues_file", path = "/api/clues/{id}/files/{file_id}", tag = "clues",
    params(("id" = String, Path), ("file_id" = String, Path)),
    responses((status = 200, content_type = "image/jpeg", description = "The file; the read is logged"),
        (status = 404, body = xuncha_api::ApiError)))]
pub async fn file(
    State(state): State<AppState>,
    actor: Actor,
    Path((id, file_id)): Path<(String, String)>,
) -> Result<impl IntoResponse> {
    let mut tx = state.db.begin().await?;
    let stored = CLUE
        .file(
            &mut tx,
            &actor,
            &id,
            &file_id,
            "GET /api/clues/{id}/files/{file_id}",
        )
        .await?;
    tx.commit().await?;
    state.db.files.response(stored).await
}

#[utoipa::path(get, operation_id = "clues_reads", path = "/api/clues/{id}/reads", tag = "clues",
    params(("id" = String, Path)),
    responses((status = 200, description = "Who read the clue, newest first", body = Vec<ReadEntry>),
        (status = 403, body = xuncha_api::ApiError), (status = 404, body = xuncha_api::ApiError)))]
pub async fn reads(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<String>,
) -> Result<Json<Vec<ReadEntry>>> {
    let mut conn = state.db.pool.acquire().await?;
    Ok(Json(CLUE.reads(&mut conn, &actor, &id).await?))
}

#[utoipa::path(get, operation_id = "referrals_list", path = "/api/referrals", tag = "clues",
    responses((status = 200, description = "Every referral with its counts, newest first", body = Vec<Referral>),
        (status = 403, body = xuncha_api::ApiError)))]
pub async fn referral_list(
    State(state): State<AppState>,
    actor: Actor,
) -> Result<Json<Vec<Referral>>> {
    let mut conn = state.db.pool.acquire().await?;
    Ok(Json(referrals::list(&mut conn, &actor).await?))
}

#[utoipa::path(post, operation_id = "referrals_create", path = "/api/referrals", tag = "clues",
    request_body = NewReferral,
    responses((status = 200, body = Referral), (status = 409, body = xuncha_api::ApiError),
        (status = 422, body = xuncha_api::ApiError)))]
pub async fn referral_create(
    State(state): State<AppState>,
    actor: Actor,
    Json(req): Json<NewReferral>,
) -> Result<Json<Referral>> {
    let mut tx = state.db.begin().await?;
    let id = referrals::create(&mut tx, &actor, &req).await?;
    let r = referrals::shown(&mut tx, &actor, &id, "POST /api/referrals").await?;
    tx.commit().await?;
    Ok(Json(r))
}

#[utoipa::path(get, operation_id = "referrals_get", path = "/api/referrals/{id}", tag = "clues",
    params(("id" = String, Path)),
    responses((status = 200, description = "The referral and its clues; the read is logged", body = Referral),
        (status = 404, body = xuncha_api::ApiError)))]
pub async fn referral_get(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<String>,
) -> Result<Json<Referral>> {
    let mut tx = state.db.begin().await?;
    let r = referrals::get(&mut tx, &actor, &id, "GET /api/referrals/{id}").await?;
    tx.commit().await?;
    Ok(Json(r))
}

#[utoipa::path(post, operation_id = "referrals_send", path = "/api/referrals/{id}/send", tag = "clues",
    params(("id" = String, Path)),
    responses((status = 200, body = Referral), (status = 409, body = xuncha_api::ApiError)))]
pub async fn referral_send(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<String>,
) -> Result<Json<Referral>> {
    let mut tx = state.db.begin().await?;
    referrals::send(&mut tx, &actor, &id).await?;
    let r = referrals::shown(&mut tx, &actor, &id, "POST /api/referrals/{id}/send").await?;
    tx.commit().await?;
    Ok(Json(r))
}

#[utoipa::path(post, operation_id = "referrals_accept", path = "/api/referrals/{id}/accept", tag = "clues",
    params(("id" = String, Path)),
    responses((status = 200, body = Referral), (status = 409, body = xuncha_api::ApiError)))]
pub async fn referral_accept(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<String>,
) -> Result<Json<Referral>> {
    let mut tx = state.db.begin().await?;
    referrals::accept(&mut tx, &actor, &id).await?;
    let r = referrals::shown(&mut tx, &actor, &id, "POST /api/referrals/{id}/accept").await?;
    tx.commit().await?;
    Ok(Json(r))
}
