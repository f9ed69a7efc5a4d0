//! Terms (届), rounds (轮次), teams (巡察组), targets (巡察对象) and the coverage ledger.

pub mod coverage;
pub mod sheet;
pub mod store;

use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;
use xuncha_api::coverage::{Ledger, LedgerFilter, LedgerQuery};
use xuncha_api::rounds::{
    AssignTargets, ChangePhase, CreateRound, CreateTeam, CreateTerm, Round, Target, TargetDetail,
    Team, Term, UnitInspection,
};

use crate::access::Actor;
use crate::extract::{Json, Path, Query};
use crate::{AppState, Result};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_terms, create_term))
        .routes(routes!(ledger))
        .routes(routes!(ledger_xlsx))
        .routes(routes!(list_rounds, create_round))
        .routes(routes!(round))
        .routes(routes!(change_phase))
        .routes(routes!(teams, create_team))
        .routes(routes!(targets, assign_targets))
        .routes(routes!(targets_xlsx))
        .routes(routes!(target))
        .routes(routes!(my_inspections))
}

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

pub(crate) fn xlsx(bytes: Vec<u8>, name: &str) -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, XLSX.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        bytes,
    )
}

#[utoipa::path(get, operation_id = "rounds_list_terms", path = "/api/terms", tag = "rounds",
    responses((status = 200, body = Vec<Term>)))]
pub async fn list_terms(State(state): State<AppState>, actor: Actor) -> Result<Json<Vec<Term>>> {
    let mut conn = state.db.pool.acquire().await?;
    Ok(Json(store::list_terms(&mut conn, &actor).await?))
}

#[utoipa::path(post, operation_id = "rounds_create_term", path = "/api/terms", tag = "rounds", request_body = CreateTerm,
    responses((status = 200, body = Term), (status = 409, body = xuncha_api::ApiError), (status = 422, body = xuncha_api::ApiError)))]
pub async fn create_term(
    State(state): State<AppState>,
    actor: Actor,
    Json(req): Json<CreateTerm>,
) -> Result<Json<Term>> {
    let mut tx = state.db.begin().await?;
    let term = store::create_term(&mut tx, &actor, &req).await?;
    tx.commit().await?;
    Ok(Json(term))
}

#[utoipa::path(get, operation_id = "rounds_ledger", path = "/api/terms/{id}/ledger", tag = "rounds",
    params(("id" = String, Path), LedgerQuery), responses((status = 200, body = Ledger)))]
pub async fn ledger(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<String>,
    Query(q): Query<LedgerQuery>,
) -> Result<Json<Ledger>> {
    let mut conn = state.db.pool.acquire().await?;
    Ok(Json(
        coverage::ledger(&mut conn, &actor, &id, &q, coverage::LIST_LIMIT).await?,
    ))
}

#[utoipa::path(get, operation_id = "rounds_ledger_xlsx", path = "/api/terms/{id}/ledger.xlsx", tag = "rounds",
    params(("id" = String, Path)), responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")))]
pub async fn ledger_xlsx(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<String>,
) -> Result<impl IntoResponse> {
    let mut conn = state.db.pool.acquire().await?;
    let q = LedgerQuery {
        status: Some(LedgerFilter::All),
        ..Default::default()
    };
    let ledger = coverage::ledger(&mut conn, &actor, &id, &q, usize::MAX).await?;
    Ok(xlsx(sheet::ledger(&ledger)?, "coverage-ledger.xlsx"))
}

#[utoipa::path(get, operation_id = "rounds_list_rounds", path = "/api/rounds", tag = "rounds",
    responses((status = 200, body = Vec<Round>)))]
pub async fn list_rounds(State(state): State<AppState>, actor: Actor) -> Result<Json<Vec<Round>>> {
    let mut conn = state.db.pool.acquire().await?;
    Ok(Json(store::list_rounds(&mut conn, &actor).await?))
}

#[utoipa::path(post, operation_id = "rounds_create_round", path = "/api/rounds", tag = "rounds", request_body = CreateRound,
    responses((status = 200, body = Round), (status = 422, body = xuncha_api::ApiError)))]
pub async fn create_round(
    State(state): State<AppState>,
    actor: Actor,
    Json(req): Json<CreateRound>,
) -> Result<Json<Round>> {
    let mut tx = state.db.begin().await?;
    let round = store::create_round(&mut tx, &actor, &req).await?;
    tx.commit().await?;
    Ok(Json(round))
}

#[utoipa::path(get, operation_id = "rounds_round", path = "/api/rounds/{id}", tag = "rounds",
    params(("id" = String, Path)), responses((status = 200, body = Round), (status = 404, body = xuncha_api::ApiError)))]
pub async fn round(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<String>,
) -> Result<Json<Round>> {
    let mut conn = state.db.pool.acquire().await?;
    Ok(Json(store::round(&mut conn, &actor, &id).await?))
}

#[utoipa::path(get, operation_id = "rounds_target", path = "/api/targets/{id}", tag = "rounds",
    params(("id" = String, Path)), responses((status = 200, body = TargetDetail), (status = 404, body = xuncha_api::ApiError)))]
pub async fn target(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<String>,
) -> Result<Json<TargetDetail>> {
    let mut conn = state.db.pool.acquire().await?;
    Ok(Json(store::target(&mut conn, &actor, &id).await?))
}

#[utoipa::path(post, operation_id = "rounds_change_phase", path = "/api/rounds/{id}/phase", tag = "rounds",
    params(("id" = String, Path)), request_body = ChangePhase,
    responses((status = 200, body = Round), (status = 422, body = xuncha_api::ApiError)))]
pub async fn change_phase(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<String>,
    Json(req): Json<ChangePhase>,
) -> Result<Json<Round>> {
    let mut tx = state.db.begin().await?;
    let round = store::change_phase(&mut tx, &actor, &id, req.to).await?;
    tx.commit().await?;
    Ok(Json(round))
}

#[utoipa::path(get, operation_id = "rounds_teams", path = "/api/rounds/{id}/teams", tag = "rounds",
    params(("id" = String, Path)), responses((status = 200, body = Vec<Team>)))]
pub async fn teams(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<String>,
) -> Result<Json<Vec<Team>>> {
    let mut conn = state.db.pool.acquire().await?;
    Ok(Json(store::teams(&mut conn, &actor, &id).await?))
}

#[utoipa::path(post, operation_id = "rounds_create_team", path = "/api/rounds/{id}/teams", tag = "rounds",
    params(("id" = String, Path)), request_body = CreateTeam,
    responses((status = 200, body = Team), (status = 409, body = xuncha_api::ApiError), (status = 422, body = xuncha_api::ApiError)))]
pub async fn create_team(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<String>,
    Json(req): Json<CreateTeam>,
) -> Result<Json<Team>> {
    let mut tx = state.db.begin().await?;
    let team = store::create_team(&mut tx, &actor, &id, &req).await?;
    tx.commit().await?;
    Ok(Json(team))
}

#[utoipa::path(get, operation_id = "rounds_targets", path = "/api/rounds/{id}/targets", tag = "rounds",
    params(("id" = String, Path)), responses((status = 200, body = Vec<Target>)))]
pub async fn targets(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<String>,
) -> Result<Json<Vec<Target>>> {
    let mut conn = state.db.pool.acquire().await?;
    Ok(Json(store::targets(&mut conn, &actor, &id).await?))
}

#[utoipa::path(post, operation_id = "rounds_assign_targets", path = "/api/rounds/{id}/targets", tag = "rounds",
    params(("id" = String, Path)), request_body = AssignTargets,
    responses((status = 200, description = "Every target of the round", body = Vec<Target>),
              (status = 422, description = "Every refused organisation; nothing was written", body = xuncha_api::ApiError)))]
pub async fn assign_targets(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<String>,
    Json(req): Json<AssignTargets>,
) -> Result<Json<Vec<Target>>> {
    let mut tx = state.db.begin().await?;
    let targets = store::assign(&mut tx, &actor, &id, &req).await?;
    tx.commit().await?;
    Ok(Json(targets))
}

#[utoipa::path(get, operation_id = "rounds_targets_xlsx", path = "/api/rounds/{id}/targets.xlsx", tag = "rounds",
    params(("id" = String, Path)), responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")))]
pub async fn targets_xlsx(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<String>,
) -> Result<impl IntoResponse> {
    let mut conn = state.db.pool.acquire().await?;
    let round = store::round(&mut conn, &actor, &id).await?;
    let targets = store::targets(&mut conn, &actor, &id).await?;
    Ok(xlsx(
        sheet::targets(&round, &targets)?,
        "round-targets.xlsx",
    ))
}

#[utoipa::path(get, operation_id = "rounds_my_inspections", path = "/api/my/inspections", tag = "rounds",
    responses((status = 200, description = "Rounds inspecting the liaison's own organisation", body = Vec<UnitInspection>)))]
pub async fn my_inspections(
    State(state): State<AppState>,
    actor: Actor,
) -> Result<Json<Vec<UnitInspection>>> {
    let mut conn = state.db.pool.acquire().await?;
    Ok(Json(store::unit_inspections(&mut conn, &actor).await?))
}
