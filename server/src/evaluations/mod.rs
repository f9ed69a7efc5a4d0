//! Democratic evaluation (民主测评) and the three rates (三率): the office or the team makes an
//! evaluation for a target with N one-time codes printed as slips; respondents answer on the
//! plain public page (`public`); results show only from the threshold up.

pub mod public;
pub mod slips;
pub mod store;

use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use serde_json::json;
use xuncha_api::evaluations::{
    CreatedEvaluation, Evaluation, NewEvaluation, PaperBallots, Results, SlipCodes,
};

use crate::access::Actor;
use crate::extract::{Json, Path};
use crate::{audit, AppState, Result};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(results))
        .routes(routes!(paper))
        .routes(routes!(slips_docx))
}

#[utoipa::path(get, operation_id = "evaluations_list", path = "/api/targets/{id}/evaluations", tag = "evaluations",
    params(("id" = String, Path)),
    responses((status = 200, body = Vec<Evaluation>), (status = 404, body = xuncha_api::ApiError)))]
pub async fn list(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<String>,
) -> Result<Json<Vec<Evaluation>>> {
    let mut conn = state.db.pool.acquire().await?;
    Ok(Json(store::list(&mut conn, &actor, &id).await?))
}

#[utoipa::path(post, operation_id = "evaluations_create", path = "/api/targets/{id}/evaluations", tag = "evaluations",
    params(("id" = String, Path)), request_body = NewEvaluation,
    responses((status = 200, description = "The evaluation and its one-time codes as slips to print: shown this once", body = CreatedEvaluation),
        (status = 422, body = xuncha_api::ApiError)))]
pub async fn create(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<String>,
    headers: HeaderMap,
    Json(req): Json<NewEvaluation>,
) -> Result<Json<CreatedEvaluation>> {
    let origin = crate::public::origin(&state, &headers);
    let mut tx = state.db.begin().await?;
    let made = store::create(&mut tx, &actor, &id, &req, |path| {
        crate::petitions::notice::qr_svg(&format!("{origin}{path}"))
    })
    .await?;
    tx.commit().await?;
    Ok(Json(made))
}

#[utoipa::path(get, operation_id = "evaluations_results", path = "/api/evaluations/{id}/results", tag = "evaluations",
    params(("id" = String, Path)),
    responses((status = 200, description = "Aggregated per dimension and overall, the three rates in percent; empty below the threshold", body = Results),
        (status = 404, body = xuncha_api::ApiError)))]
pub async fn results(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<String>,
) -> Result<Json<Results>> {
    let mut conn = state.db.pool.acquire().await?;
    Ok(Json(store::results(&mut conn, &actor, &id).await?))
}

#[utoipa::path(post, operation_id = "evaluations_paper", path = "/api/evaluations/{id}/paper", tag = "evaluations",
    params(("id" = String, Path)), request_body = PaperBallots,
    responses((status = 200, description = "Paper ballots counted by the team, added at once", body = Results),
        (status = 422, body = xuncha_api::ApiError)))]
pub async fn paper(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<String>,
    Json(req): Json<PaperBallots>,
) -> Result<Json<Results>> {
    let mut tx = state.db.begin().await?;
    let r = store::paper(&mut tx, &actor, &id, &req).await?;
    tx.commit().await?;
    Ok(Json(r))
}

#[utoipa::path(post, operation_id = "evaluations_slips_docx", path = "/api/evaluations/{id}/slips.docx", tag = "evaluations",
    params(("id" = String, Path)), request_body = SlipCodes,
    responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            description = "The codes just made as cut-out slips (测评票) in a Word document, each with its QR code"),
        (status = 422, description = "A code that is not an unused code of this evaluation", body = xuncha_api::ApiError)))]
pub async fn slips_docx(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<String>,
    headers: HeaderMap,
    Json(req): Json<SlipCodes>,
) -> Result<Response> {
    let origin = crate::public::origin(&state, &headers);
    let mut tx = state.db.begin().await?;
    let (evaluation, codes) = store::for_slips(&mut tx, &actor, &id, &req).await?;
    let bytes = slips::docx(&evaluation, &codes, &origin)?;
    // How many were printed, never which: the codes stay out of the log.
    audit::record(
        &mut tx,
        Some(&actor),
        "evaluation.slips",
        "evaluation",
        Some(&id),
        json!({ "slips": codes.len() }),
    );
    tx.commit().await?;
    Ok(crate::documents::download(
        bytes,
        "slips.docx",
        "测评票.docx",
    ))
}
