//! Democratic evaluation (民主测评) and the three rates (三率): the office or the team makes an
//! evaluation for a target with N one-time codes printed as slips; respondents answer on the
//! plain public page (`public`); results show only from the threshold up.

pub mod public;
pub mod store;

use axum::extract::State;
use axum::http::HeaderMap;
use xuncha_api::evaluations::{
    CreatedEvaluation, Evaluation, NewEvaluation, PaperBallots, Results,
};

use crate::access::Actor;
use crate::extract::{Json, Path};
use crate::{AppState, Result};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(results))
        .routes(routes!(paper))
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
