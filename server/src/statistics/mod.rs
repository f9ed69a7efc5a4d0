//! Statistics (统计分析) of a term for the committee: the figures, and the same as .xlsx.

pub mod common;
pub mod grouping;
pub mod sheet;
pub mod store;

use axum::extract::State;
use axum::response::IntoResponse;
use xuncha_api::statistics::{CommonProblems, GroupingQuery, Statistics, StatisticsQuery};

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
