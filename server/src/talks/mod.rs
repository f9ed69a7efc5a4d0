//! Talk records (个别谈话记录) of a target's team: recorded on the inspector's phone or desk,
//! read only by the team, the office and discipline, and every read leaves an audit entry.

pub mod store;

use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::HeaderMap;
use axum::response::IntoResponse;
use xuncha_api::audit::ReadEntry;
use xuncha_api::talks::{Talk, TalkDraft, TalkInspector};

use crate::access::Actor;
use crate::extract::{Json, Path};
use crate::restricted::TALK;
use crate::{AppState, Result};
use utoipa_axum::router::{OpenApiRouter, UtoipaMethodRouterExt};
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list))
        .routes(routes!(put))
        .routes(routes!(get))
        .routes(routes!(add_file, file).layer(DefaultBodyLimit::max(crate::files::MAX)))
        .routes(routes!(reads))
        .routes(routes!(team))
}

#[utoipa::path(get, operation_id = "talks_team", path = "/api/targets/{id}/inspectors", tag = "talks",
    params(("id" = String, Path)),
    responses((status = 200, description = "The target's team, who may be present at a talk", body = Vec<TalkInspector>),
        (status = 404, body = xuncha_api::ApiError)))]
pub async fn team(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<String>,
) -> Result<Json<Vec<TalkInspector>>> {
    let mut conn = state.db.pool.acquire().await?;
    Ok(Json(store::team(&mut conn, &actor, &id).await?))
}

#[utoipa::path(get, operation_id = "talks_list", path = "/api/targets/{id}/talks", tag = "talks",
    params(("id" = String, Path)),
    responses((status = 200, description = "The target's talks; the read is logged", body = Vec<Talk>),
        (status = 404, body = xuncha_api::ApiError)))]
pub async fn list(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<String>,
) -> Result<Json<Vec<Talk>>> {
    let mut tx = state.db.begin().await?;
    let talks = store::list(&mut tx, &actor, &id, "GET /api/targets/{id}/talks").await?;
    tx.commit().await?;
    Ok(Json(talks))
}

#[utoipa::path(put, operation_id = "talks_put", path = "/api/targets/{id}/talks/{talk_id}", tag = "talks",
    params(("id" = String, Path), ("talk_id" = String, Path)), request_body = TalkDraft,
    responses((status = 200, body = Talk), (status = 409, body = xuncha_api::ApiError),
        (status = 422, body = xuncha_api::ApiError)))]
pub async fn put(
    State(state): State<AppState>,
    actor: Actor,
    Path((id, talk_id)): Path<(String, String)>,
    Json(draft): Json<TalkDraft>,
) -> Result<Json<Talk>> {
    let mut tx = state.db.begin().await?;
    let talk = store::put(&mut tx, &actor, &id, &talk_id, &draft).await?;
    tx.commit().await?;
    Ok(Json(talk))
}

#[utoipa::path(get, operation_id = "talks_get", path = "/api/talks/{id}", tag = "talks",
    params(("id" = String, Path)),
    responses((status = 200, description = "The talk; the read is logged", body = Talk),
        (status = 404, body = xuncha_api::ApiError)))]
pub async fn get(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<String>,
) -> Result<Json<Talk>> {
    let mut tx = state.db.begin().await?;
    let talk = store::get(&mut tx, &actor, &id, "GET /api/talks/{id}").await?;
    tx.commit().await?;
    Ok(Json(talk))
}

#[utoipa::path(put, operation_id = "talks_add_file", path = "/api/talks/{id}/files/{file_id}", tag = "talks",
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
    let sha = TALK
        .add_file(&mut tx, &actor, &id, &file_id, content_type, &body)
        .await?;
    tx.commit().await?;
    Ok(Json(sha))
}

#[utoipa::path(get, operation_id = "talks_file", path = "/api/talks/{id}/files/{file_id}", tag = "talks",
    params(("id" = String, Path), ("file_id" = String, Path)),
    responses((status = 200, content_type = "image/jpeg", description = "The file; the read is logged"),
        (status = 404, body = xuncha_api::ApiError)))]
pub async fn file(
    State(state): State<AppState>,
    actor: Actor,
    Path((id, file_id)): Path<(String, String)>,
) -> Result<impl IntoResponse> {
    let mut tx = state.db.begin().await?;
    let stored = TALK
        .file(
            &mut tx,
            &actor,
            &id,
            &file_id,
            "GET /api/talks/{id}/files/{file_id}",
        )
        .await?;
    tx.commit().await?;
    state.db.files.response(stored).await
}

#[utoipa::path(get, operation_id = "talks_reads", path = "/api/talks/{id}/reads", tag = "talks",
    params(("id" = String, Path)),
    responses((status = 200, description = "Who read the talk, newest first", body = Vec<ReadEntry>),
        (status = 403, body = xuncha_api::ApiError), (status = 404, body = xuncha_api::ApiError)))]
pub async fn reads(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<String>,
) -> Result<Json<Vec<ReadEntry>>> {
    let mut conn = state.db.pool.acquire().await?;
    Ok(Json(TALK.reads(&mut conn, &actor, &id).await?))
}
