//! Checklists (检查清单): templates, records filled in by a team or as a village's self-check,
//! changes from devices applied once and never over a newer answer, evidence files.

pub mod builtin;
pub mod evidence;
pub mod records;
pub mod templates;

use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::IntoResponse;
use serde::Deserialize;
use xuncha_api::checklists::{
    Change, ChangesResult, OpenRecord, Record, ReturnRecord, Template, UpdateTemplate,
};

use crate::access::Actor;
use crate::extract::{Json, Path, Query};
use crate::{AppState, Error, Result};
use utoipa_axum::router::{OpenApiRouter, UtoipaMethodRouterExt};
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(templates))
        .routes(routes!(template, update_template))
        .routes(routes!(copy_template))
        .routes(routes!(publish_template))
        .routes(routes!(open_record))
        .routes(routes!(record))
        .routes(routes!(changes))
        .routes(routes!(submit))
        .routes(routes!(return_record))
        .routes(
            routes!(add_evidence, evidence_file, remove_evidence)
                .layer(DefaultBodyLimit::max(crate::files::MAX)),
        )
}

#[utoipa::path(get, operation_id = "checklists_templates", path = "/api/checklists/templates", tag = "checklists",
    responses((status = 200, body = Vec<Template>)))]
pub async fn templates(State(state): State<AppState>, actor: Actor) -> Result<Json<Vec<Template>>> {
    let mut conn = state.db.pool.acquire().await?;
    Ok(Json(templates::templates(&mut conn, &actor).await?))
}

#[utoipa::path(get, operation_id = "checklists_template", path = "/api/checklists/templates/{id}", tag = "checklists",
    params(("id" = String, Path)), responses((status = 200, body = Template)))]
pub async fn template(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<String>,
) -> Result<Json<Template>> {
    let mut conn = state.db.pool.acquire().await?;
    let t = templates::template(&mut conn, &id).await?;
    if !t.published && actor.role != xuncha_api::users::Role::Admin {
        return Err(Error::NotFound);
    }
    Ok(Json(t))
}

#[utoipa::path(post, operation_id = "checklists_copy_template", path = "/api/checklists/templates/{id}/copy", tag = "checklists",
    params(("id" = String, Path)), responses((status = 200, description = "A new draft version", body = Template)))]
pub async fn copy_template(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<String>,
) -> Result<Json<Template>> {
    let mut tx = state.db.begin().await?;
    let t = templates::copy_template(&mut tx, &actor, &id).await?;
    tx.commit().await?;
    Ok(Json(t))
}

#[utoipa::path(put, operation_id = "checklists_update_template", path = "/api/checklists/templates/{id}", tag = "checklists",
    params(("id" = String, Path)), request_body = UpdateTemplate,
    responses((status = 200, body = Template), (status = 409, description = "Published versions never change", body = xuncha_api::ApiError)))]
pub async fn update_template(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<String>,
    Json(req): Json<UpdateTemplate>,
) -> Result<Json<Template>> {
    let mut tx = state.db.begin().await?;
    let t = templates::update_template(&mut tx, &actor, &id, &req).await?;
    tx.commit().await?;
    Ok(Json(t))
}

#[utoipa::path(post, operation_id = "checklists_publish_template", path = "/api/checklists/templates/{id}/publish", tag = "checklists",
    params(("id" = String, Path)), responses((status = 200, body = Template)))]
pub async fn publish_template(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<String>,
) -> Result<Json<Template>> {
    let mut tx = state.db.begin().await?;
    let t = templates::publish_template(&mut tx, &actor, &id).await?;
    tx.commit().await?;
    Ok(Json(t))
}

#[utoipa::path(post, operation_id = "checklists_open_record", path = "/api/checklists/records", tag = "checklists",
    request_body = OpenRecord, responses((status = 200, body = Record)))]
pub async fn open_record(
    State(state): State<AppState>,
    actor: Actor,
    Json(req): Json<OpenRecord>,
) -> Result<Json<Record>> {
    let mut tx = state.db.begin().await?;
    let r = records::open(&mut tx, &actor, req.kind, req.target_id.as_deref()).await?;
    tx.commit().await?;
    Ok(Json(r))
}

#[utoipa::path(get, operation_id = "checklists_record", path = "/api/checklists/records/{id}", tag = "checklists",
    params(("id" = String, Path)), responses((status = 200, body = Record), (status = 404, body = xuncha_api::ApiError)))]
pub async fn record(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<String>,
) -> Result<Json<Record>> {
    let mut conn = state.db.pool.acquire().await?;
    Ok(Json(records::record(&mut conn, &actor, &id).await?))
}

#[utoipa::path(post, operation_id = "checklists_changes", path = "/api/checklists/records/{id}/changes", tag = "checklists",
    params(("id" = String, Path)), request_body = Vec<Change>,
    responses((status = 200, description = "Applied change ids (including earlier retries) and conflicts", body = ChangesResult),
              (status = 409, description = "The record is submitted and locked", body = xuncha_api::ApiError),
              (status = 422, description = "Every invalid change; nothing was applied", body = xuncha_api::ApiError)))]
pub async fn changes(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<String>,
    Json(changes): Json<Vec<Change>>,
) -> Result<Json<ChangesResult>> {
    let mut tx = state.db.begin().await?;
    let result = records::apply_changes(&mut tx, &actor, &id, &changes).await?;
    tx.commit().await?;
    Ok(Json(result))
}

#[utoipa::path(post, operation_id = "checklists_submit", path = "/api/checklists/records/{id}/submit", tag = "checklists",
    params(("id" = String, Path)),
    responses((status = 200, body = Record), (status = 422, description = "What is missing, item by item", body = xuncha_api::ApiError)))]
pub async fn submit(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<String>,
) -> Result<Json<Record>> {
    let mut tx = state.db.begin().await?;
    let r = records::submit(&mut tx, &actor, &id).await?;
    tx.commit().await?;
    Ok(Json(r))
}

#[utoipa::path(post, operation_id = "checklists_return", path = "/api/checklists/records/{id}/return", tag = "checklists",
    params(("id" = String, Path)), request_body = ReturnRecord, responses((status = 200, body = Record)))]
pub async fn return_record(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<String>,
    Json(req): Json<ReturnRecord>,
) -> Result<Json<Record>> {
    let mut tx = state.db.begin().await?;
    let r = records::return_record(&mut tx, &actor, &id, &req.reason).await?;
    tx.commit().await?;
    Ok(Json(r))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct EvidenceParams {
    pub item_id: String,
}

#[utoipa::path(put, operation_id = "checklists_add_evidence", path = "/api/checklists/records/{id}/evidence/{evidence_id}", tag = "checklists",
    params(("id" = String, Path), ("evidence_id" = String, Path), EvidenceParams),
    request_body(content = Vec<u8>, content_type = "image/jpeg", description = "A photo (jpeg, png, webp) or a PDF, at most 5 MiB"),
    responses((status = 200, description = "SHA-256 of what the server holds"), (status = 413, body = xuncha_api::ApiError),
              (status = 422, body = xuncha_api::ApiError)))]
pub async fn add_evidence(
    State(state): State<AppState>,
    actor: Actor,
    Path((id, evidence_id)): Path<(String, String)>,
    Query(q): Query<EvidenceParams>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Json<String>> {
    let content_type = crate::files::content_type(&headers);
    let mut tx = state.db.begin().await?;
    let sha = evidence::add_evidence(
        &mut tx,
        &actor,
        &id,
        &q.item_id,
        &evidence_id,
        content_type,
        &body,
    )
    .await?;
    tx.commit().await?;
    Ok(Json(sha))
}

/// Takes a photo or file off an item before the record is submitted (a blurred photo, the
/// wrong page). Removing one already gone is no error, so a retry after a lost reply is safe.
#[utoipa::path(delete, operation_id = "checklists_remove_evidence", path = "/api/checklists/records/{id}/evidence/{evidence_id}", tag = "checklists",
    params(("id" = String, Path), ("evidence_id" = String, Path)),
    responses((status = 204, description = "Not on the item any more"), (status = 409, body = xuncha_api::ApiError)))]
pub async fn remove_evidence(
    State(state): State<AppState>,
    actor: Actor,
    Path((id, evidence_id)): Path<(String, String)>,
) -> Result<StatusCode> {
    let mut tx = state.db.begin().await?;
    evidence::remove_evidence(&mut tx, &actor, &id, &evidence_id).await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(get, operation_id = "checklists_evidence_file", path = "/api/checklists/records/{id}/evidence/{evidence_id}", tag = "checklists",
    params(("id" = String, Path), ("evidence_id" = String, Path)), responses((status = 200, content_type = "image/jpeg")))]
pub async fn evidence_file(
    State(state): State<AppState>,
    actor: Actor,
    Path((id, evidence_id)): Path<(String, String)>,
) -> Result<impl IntoResponse> {
    let mut conn = state.db.pool.acquire().await?;
    let stored = evidence::evidence_file(&mut conn, &actor, &id, &evidence_id).await?;
    state.db.files.response(stored).await
}
