//! The stationing week (进驻) of a team at a target: the policy list, the information
//! collected and the pre-set problems it prepares, and the visits it makes. Read by the team,
//! the office and discipline; the inspected unit never learns whom the team plans to see.

pub mod store;

use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::IntoResponse;
use xuncha_api::stationing::{
    PolicyDefault, PolicyDefaultDraft, PrepDraft, PrepItem, Stationing, Visit, VisitDraft,
};

use crate::access::Actor;
use crate::extract::{Json, Path};
use crate::{AppState, Result};
use store::Removable;
use utoipa_axum::router::{OpenApiRouter, UtoipaMethodRouterExt};
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(read))
        .routes(routes!(put_item, remove_item))
        .routes(routes!(copy_defaults))
        .routes(routes!(put_visit, remove_visit))
        .routes(routes!(defaults))
        .routes(routes!(put_default))
        .routes(routes!(add_file, file).layer(DefaultBodyLimit::max(crate::files::MAX)))
}

#[utoipa::path(get, operation_id = "stationing_read", path = "/api/targets/{id}/stationing", tag = "stationing",
    params(("id" = String, Path)),
    responses((status = 200, description = "The target's lists, visits and figures: what an inspector's phone keeps for the week", body = Stationing),
        (status = 404, body = xuncha_api::ApiError)))]
pub async fn read(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<String>,
) -> Result<Json<Stationing>> {
    let mut conn = state.db.pool.acquire().await?;
    Ok(Json(store::read(&mut conn, &actor, &id).await?))
}

#[utoipa::path(put, operation_id = "stationing_put_item", path = "/api/targets/{id}/prep/{item_id}", tag = "stationing",
    params(("id" = String, Path), ("item_id" = String, Path)), request_body = PrepDraft,
    responses((status = 200, body = PrepItem), (status = 409, body = xuncha_api::ApiError),
        (status = 422, body = xuncha_api::ApiError)))]
pub async fn put_item(
    State(state): State<AppState>,
    actor: Actor,
    Path((id, item_id)): Path<(String, String)>,
    Json(draft): Json<PrepDraft>,
) -> Result<Json<PrepItem>> {
    let mut tx = state.db.begin().await?;
    let item = store::put_item(&mut tx, &actor, &id, &item_id, &draft).await?;
    tx.commit().await?;
    Ok(Json(item))
}

#[utoipa::path(delete, operation_id = "stationing_remove_item", path = "/api/targets/{id}/prep/{item_id}", tag = "stationing",
    params(("id" = String, Path), ("item_id" = String, Path)),
    responses((status = 204, description = "Not on the list any more")))]
pub async fn remove_item(
    State(state): State<AppState>,
    actor: Actor,
    Path((id, item_id)): Path<(String, String)>,
) -> Result<StatusCode> {
    let mut tx = state.db.begin().await?;
    store::remove(&mut tx, &actor, Removable::Item, &id, &item_id).await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(post, operation_id = "stationing_copy_defaults", path = "/api/targets/{id}/prep/copy-defaults", tag = "stationing",
    params(("id" = String, Path)),
    responses((status = 200, description = "The target's policy list, with each default policy in it once", body = Vec<PrepItem>)))]
pub async fn copy_defaults(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<String>,
) -> Result<Json<Vec<PrepItem>>> {
    let mut tx = state.db.begin().await?;
    let items = store::copy_defaults(&mut tx, &actor, &id).await?;
    tx.commit().await?;
    Ok(Json(items))
}

#[utoipa::path(put, operation_id = "stationing_put_visit", path = "/api/targets/{id}/visits/{visit_id}", tag = "stationing",
    params(("id" = String, Path), ("visit_id" = String, Path)), request_body = VisitDraft,
    responses((status = 200, body = Visit), (status = 409, body = xuncha_api::ApiError),
        (status = 422, body = xuncha_api::ApiError)))]
pub async fn put_visit(
    State(state): State<AppState>,
    actor: Actor,
    Path((id, visit_id)): Path<(String, String)>,
    Json(draft): Json<VisitDraft>,
) -> Result<Json<Visit>> {
    let mut tx = state.db.begin().await?;
    let visit = store::put_visit(&mut tx, &actor, &id, &visit_id, &draft).await?;
    tx.commit().await?;
    Ok(Json(visit))
}

#[utoipa::path(delete, operation_id = "stationing_remove_visit", path = "/api/targets/{id}/visits/{visit_id}", tag = "stationing",
    params(("id" = String, Path), ("visit_id" = String, Path)),
    responses((status = 204, description = "Not on the visit list any more")))]
pub async fn remove_visit(
    State(state): State<AppState>,
    actor: Actor,
    Path((id, visit_id)): Path<(String, String)>,
) -> Result<StatusCode> {
    let mut tx = state.db.begin().await?;
    store::remove(&mut tx, &actor, Removable::Visit, &id, &visit_id).await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(get, operation_id = "stationing_defaults", path = "/api/policy-defaults", tag = "stationing",
    responses((status = 200, description = "The county's default policy list", body = Vec<PolicyDefault>)))]
pub async fn defaults(
    State(state): State<AppState>,
    actor: Actor,
) -> Result<Json<Vec<PolicyDefault>>> {
    let mut conn = state.db.pool.acquire().await?;
    Ok(Json(store::defaults(&mut conn, &actor).await?))
}

#[utoipa::path(put, operation_id = "stationing_put_default", path = "/api/policy-defaults/{id}", tag = "stationing",
    params(("id" = String, Path)), request_body = PolicyDefaultDraft,
    responses((status = 200, body = PolicyDefault), (status = 409, body = xuncha_api::ApiError),
        (status = 422, body = xuncha_api::ApiError)))]
pub async fn put_default(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<String>,
    Json(draft): Json<PolicyDefaultDraft>,
) -> Result<Json<PolicyDefault>> {
    let mut tx = state.db.begin().await?;
    let policy = store::put_default(&mut tx, &actor, &id, &draft).await?;
    tx.commit().await?;
    Ok(Json(policy))
}

#[utoipa::path(put, operation_id = "stationing_add_file", path = "/api/prep/{item_id}/files/{file_id}", tag = "stationing",
    params(("item_id" = String, Path), ("file_id" = String, Path)),
    request_body(content = Vec<u8>, content_type = "application/pdf", description = "What an office sent with its report: a PDF or a photo (jpeg, png, webp), at most 5 MiB"),
    responses((status = 200, description = "SHA-256 of what the server holds"), (status = 404, body = xuncha_api::ApiError),
        (status = 409, body = xuncha_api::ApiError), (status = 413, body = xuncha_api::ApiError),
        (status = 422, body = xuncha_api::ApiError)))]
pub async fn add_file(
    State(state): State<AppState>,
    actor: Actor,
    Path((item_id, file_id)): Path<(String, String)>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Json<String>> {
    let content_type = crate::files::content_type(&headers);
    let mut tx = state.db.begin().await?;
    let sha = store::add_file(&mut tx, &actor, &item_id, &file_id, content_type, &body).await?;
    tx.commit().await?;
    Ok(Json(sha))
}

#[utoipa::path(get, operation_id = "stationing_file", path = "/api/prep/{item_id}/files/{file_id}", tag = "stationing",
    params(("item_id" = String, Path), ("file_id" = String, Path)),
    responses((status = 200, content_type = "application/pdf", description = "The file"),
        (status = 404, body = xuncha_api::ApiError)))]
pub async fn file(
    State(state): State<AppState>,
    actor: Actor,
    Path((item_id, file_id)): Path<(String, String)>,
) -> Result<impl IntoResponse> {
    let mut conn = state.db.pool.acquire().await?;
    let stored = store::file(&mut conn, &actor, &item_id, &file_id).await?;
    state.db.files.response(stored).await
}
