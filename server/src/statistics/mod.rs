//! Statistics (统计分析) of a term for the committee: the figures, and the same as .xlsx.

pub mod common;
pub mod confirmed;
pub mod grouping;
pub mod notice;
pub mod sheet;
pub mod store;

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use xuncha_api::statistics::{
    CommonProblems, ConfirmProblem, ConfirmedProblem, GroupingQuery, Statistics, StatisticsQuery,
};

use crate::access::Actor;
use crate::extract::{Json, Path, Query};
use crate::{AppState, Error, Result};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(term_statistics))
        .routes(routes!(term_statistics_xlsx))
        .routes(routes!(term_common_problems))
        .routes(routes!(confirm_problem))
        .routes(routes!(confirmed_problems))
        .routes(routes!(confirmed_problem))
        .routes(routes!(problem_notice))
}

async fn figures(
    state: &AppState,
    actor: &Actor,
    id: &str,
    q: &StatisticsQuery,
) -> Result<Statistics> {
    q.validate().map_err(Error::Invalid)?;
    let mut conn = state.db.pool.acquire().await?;
    store::statistics(&mut conn, actor, id, q).await
}

#[utoipa::path(get, operation_id = "statistics_term", path = "/api/terms/{id}/statistics", tag = "statistics",
    params(("id" = String, Path), StatisticsQuery),
    responses((status = 200, description = "统计分析 of a term: a team's only of its targets", body = Statistics)))]
pub async fn term_statistics(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<String>,
    Query(q): Query<StatisticsQuery>,
) -> Result<Json<Statistics>> {
    Ok(Json(figures(&state, &actor, &id, &q).await?))
}

#[utoipa::path(get, operation_id = "statistics_term_xlsx", path = "/api/terms/{id}/statistics.xlsx", tag = "statistics",
    params(("id" = String, Path), StatisticsQuery),
    responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")))]
pub async fn term_statistics_xlsx(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<String>,
    Query(q): Query<StatisticsQuery>,
) -> Result<impl IntoResponse> {
    let s = figures(&state, &actor, &id, &q).await?;
    Ok(crate::rounds::xlsx(sheet::workbook(&s)?, "statistics.xlsx"))
}

#[utoipa::path(get, operation_id = "statistics_common_problems", path = "/api/terms/{id}/common-problems", tag = "statistics",
    params(("id" = String, Path), StatisticsQuery, GroupingQuery),
    responses((status = 200, description = "共性问题: findings alike in their words across two organisations or more", body = CommonProblems)))]
pub async fn term_common_problems(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<String>,
    Query(q): Query<StatisticsQuery>,
    Query(g): Query<GroupingQuery>,
) -> Result<Json<CommonProblems>> {
    q.validate().map_err(Error::Invalid)?;
    let mut conn = state.db.pool.acquire().await?;
    Ok(Json(
        common::common_problems(&mut conn, &actor, &id, &q, &g).await?,
    ))
}

#[utoipa::path(put, operation_id = "statistics_confirm_problem", path = "/api/terms/{id}/common-problems/{problem_id}", tag = "statistics",
    params(("id" = String, Path), ("problem_id" = String, Path, description = "made by the client: a re-send changes nothing")),
    request_body = ConfirmProblem,
    responses((status = 200, body = ConfirmedProblem), (status = 422, body = xuncha_api::ApiError)))]
pub async fn confirm_problem(
    State(state): State<AppState>,
    actor: Actor,
    Path((id, problem_id)): Path<(String, String)>,
    Json(req): Json<ConfirmProblem>,
) -> Result<Json<ConfirmedProblem>> {
    let mut tx = state.db.begin().await?;
    confirmed::confirm(&mut tx, &actor, &id, &problem_id, &req).await?;
    tx.commit().await?;
    let mut conn = state.db.pool.acquire().await?;
    Ok(Json(
        confirmed::one(&mut conn, &actor, &problem_id).await?.0,
    ))
}

#[utoipa::path(get, operation_id = "statistics_confirmed_problems", path = "/api/terms/{id}/confirmed-problems", tag = "statistics",
    params(("id" = String, Path)),
    responses((status = 200, description = "The 共性问题 the office confirmed, newest first", body = Vec<ConfirmedProblem>)))]
pub async fn confirmed_problems(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<String>,
) -> Result<Json<Vec<ConfirmedProblem>>> {
    let mut conn = state.db.pool.acquire().await?;
    Ok(Json(confirmed::of_term(&mut conn, &actor, &id).await?))
}

#[utoipa::path(get, operation_id = "statistics_confirmed_problem", path = "/api/common-problems/{id}", tag = "statistics",
    params(("id" = String, Path)),
    responses((status = 200, body = ConfirmedProblem)))]
pub async fn confirmed_problem(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<String>,
) -> Result<Json<ConfirmedProblem>> {
    let mut conn = state.db.pool.acquire().await?;
    Ok(Json(confirmed::one(&mut conn, &actor, &id).await?.0))
}

#[utoipa::path(get, operation_id = "statistics_problem_notice", path = "/api/common-problems/{id}/notice.docx", tag = "statistics",
    params(("id" = String, Path)),
    responses((status = 200, description = "通报 to the functional department (GB/T 9704 layout)", content_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document")))]
pub async fn problem_notice(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<String>,
) -> Result<Response> {
    let mut conn = state.db.pool.acquire().await?;
    let (problem, term) = confirmed::one(&mut conn, &actor, &id).await?;
    let n = notice::notice(&problem, &term, crate::documents::china_today());
    Ok(crate::documents::download(
        notice::docx(&n)?,
        "notice.docx",
        "通报.docx",
    ))
}
