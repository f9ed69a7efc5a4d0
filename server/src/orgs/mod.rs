//! The organisation tree (组织): county → township → village/community, plus departments.

pub mod sheet;
pub mod store;
pub mod tree;

use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::header;
use axum::response::IntoResponse;
use xuncha_api::orgs::{
    CreateOrg, ImportReport, OrgChildrenQuery, OrgDetail, OrgNode, OrgPatch, OrgSearchPage,
    OrgSearchQuery, OrgSummary,
};

use crate::access::Actor;
use crate::extract::{Json, Path, Query};
use crate::{AppState, Result};
use utoipa_axum::router::{OpenApiRouter, UtoipaMethodRouterExt};
use utoipa_axum::routes;

/// Spreadsheets of a whole province stay well under this.
const IMPORT_LIMIT: usize = 20 * 1024 * 1024;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(detail, update))
        .routes(routes!(import).layer(DefaultBodyLimit::max(IMPORT_LIMIT)))
        .routes(routes!(export))
        .routes(routes!(children))
        .routes(routes!(subtree))
        .routes(routes!(search))
}

#[utoipa::path(get, operation_id = "orgs_children", path = "/api/orgs/children", tag = "orgs", params(OrgChildrenQuery),
    responses((status = 200, description = "One level of the tree: the children of `parent` (or the caller's top level), each with how many children it has", body = Vec<OrgNode>),
              (status = 404, body = xuncha_api::ApiError)))]
pub async fn children(
    State(state): State<AppState>,
    actor: Actor,
    Query(q): Query<OrgChildrenQuery>,
) -> Result<Json<Vec<OrgNode>>> {
    let mut conn = state.db.pool.acquire().await?;
    Ok(Json(
        tree::children(&mut conn, &actor, q.parent.as_deref()).await?,
    ))
}

#[utoipa::path(get, operation_id = "orgs_subtree", path = "/api/orgs/{id}/subtree", tag = "orgs", params(("id" = String, Path)),
    responses((status = 200, description = "The organisation and all under it the caller may see (a county's tree in one request)", body = Vec<OrgNode>),
              (status = 404, body = xuncha_api::ApiError),
              (status = 422, description = "More than 10,000: load it a level at a time", body = xuncha_api::ApiError)))]
pub async fn subtree(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<String>,
) -> Result<Json<Vec<OrgNode>>> {
    let mut conn = state.db.pool.acquire().await?;
    Ok(Json(tree::subtree(&mut conn, &actor, &id).await?))
}

#[utoipa::path(get, operation_id = "orgs_search", path = "/api/orgs/search", tag = "orgs", params(OrgSearchQuery),
    responses((status = 200, body = OrgSearchPage), (status = 422, body = xuncha_api::ApiError)))]
pub async fn search(
    State(state): State<AppState>,
    actor: Actor,
    Query(q): Query<OrgSearchQuery>,
) -> Result<Json<OrgSearchPage>> {
    let mut conn = state.db.pool.acquire().await?;
    Ok(Json(tree::search(&mut conn, &actor, &q).await?))
}

#[utoipa::path(get, operation_id = "orgs_list", path = "/api/orgs", tag = "orgs",
    responses((status = 200, description = "The organisations the caller may see", body = Vec<OrgSummary>)))]
pub async fn list(State(state): State<AppState>, actor: Actor) -> Result<Json<Vec<OrgSummary>>> {
    let mut conn = state.db.pool.acquire().await?;
    Ok(Json(store::list(&mut conn, &actor).await?))
}

#[utoipa::path(get, operation_id = "orgs_detail", path = "/api/orgs/{id}", tag = "orgs", params(("id" = String, Path)),
    responses((status = 200, body = OrgDetail), (status = 404, body = xuncha_api::ApiError)))]
pub async fn detail(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<String>,
) -> Result<Json<OrgDetail>> {
    let mut conn = state.db.pool.acquire().await?;
    Ok(Json(store::detail(&mut conn, &actor, &id).await?))
}

#[utoipa::path(post, operation_id = "orgs_create", path = "/api/orgs", tag = "orgs", request_body = CreateOrg,
    responses((status = 200, body = OrgDetail), (status = 409, body = xuncha_api::ApiError),
              (status = 422, body = xuncha_api::ApiError)))]
pub async fn create(
    State(state): State<AppState>,
    actor: Actor,
    Json(req): Json<CreateOrg>,
) -> Result<Json<OrgDetail>> {
    let mut tx = state.db.begin().await?;
    let created = store::create(&mut tx, &actor, &req).await?;
    tx.commit().await?;
    Ok(Json(created))
}

#[utoipa::path(patch, operation_id = "orgs_update", path = "/api/orgs/{id}", tag = "orgs", request_body = OrgPatch, params(("id" = String, Path)),
    responses((status = 200, body = OrgDetail), (status = 422, body = xuncha_api::ApiError)))]
pub async fn update(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<String>,
    Json(patch): Json<OrgPatch>,
) -> Result<Json<OrgDetail>> {
    let mut tx = state.db.begin().await?;
    let updated = store::patch(&mut tx, &actor, &id, &patch).await?;
    tx.commit().await?;
    Ok(Json(updated))
}

#[utoipa::path(post, operation_id = "orgs_import", path = "/api/orgs/import", tag = "orgs",
    request_body(content = Vec<u8>, content_type = "application/octet-stream",
                 description = "An .xlsx or .csv file with the columns of the export"),
    responses((status = 200, body = ImportReport),
              (status = 422, description = "Every bad row; nothing was written", body = xuncha_api::ApiError)))]
pub async fn import(
    State(state): State<AppState>,
    actor: Actor,
    body: Bytes,
) -> Result<Json<ImportReport>> {
    actor.require_admin()?;
    let mut tx = state.db.begin().await?;
    let report = sheet::import(&mut tx, &actor, &body).await?;
    tx.commit().await?;
    Ok(Json(report))
}

#[utoipa::path(get, operation_id = "orgs_export", path = "/api/orgs/export.xlsx", tag = "orgs",
    responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")))]
pub async fn export(State(state): State<AppState>, actor: Actor) -> Result<impl IntoResponse> {
    let mut conn = state.db.pool.acquire().await?;
    let bytes = sheet::export(&mut conn, &actor).await?;
    Ok((
        [
            (
                header::CONTENT_TYPE,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            ),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"orgs.xlsx\"",
            ),
        ],
        bytes,
    ))
}
