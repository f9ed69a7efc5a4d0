//! Rectification tasks (整改任务): created by a target's team from its findings, worked on by
//! the responsible organisation's liaison, verified by the team, closed by the office.

pub mod ledger;
pub mod lookback;
pub mod progress;
pub mod public;
pub mod tasks;

use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::HeaderMap;
use axum::response::IntoResponse;
use chrono::NaiveDate;
use serde::Deserialize;
use xuncha_api::rectification::{
    EarlierFinding, LedgerFilter, MoveTask, NewProgress, NewTask, Reminders, Task, TaskDetail,
    TaskEvent, TaskLedger,
};

use crate::access::Actor;
use crate::extract::{Json, Path, Query};
use crate::{AppState, Result};
use ledger::Scope;
pub use tasks::{create_tasks, for_target, history, mine, move_to};
use utoipa_axum::router::{OpenApiRouter, UtoipaMethodRouterExt};
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(target_tasks, create))
        .routes(routes!(earlier))
        .routes(routes!(my_tasks))
        .routes(routes!(detail))
        .routes(routes!(move_task))
        .routes(routes!(events))
        .routes(routes!(add_progress))
        .routes(routes!(add_file, file).layer(DefaultBodyLimit::max(crate::files::MAX)))
        .routes(routes!(reminders))
        .routes(routes!(round_ledger))
        .routes(routes!(round_ledger_xlsx))
        .routes(routes!(term_ledger))
        .routes(routes!(term_ledger_xlsx))
        .routes(routes!(public::json))
}

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct Today {
    /// Counts as of this day instead of today (reports, tests).
    #[serde(default, deserialize_with = "xuncha_api::validate::de_opt_date")]
    pub today: Option<NaiveDate>,
}

fn today(q: &Today) -> NaiveDate {
    q.today.unwrap_or_else(|| chrono::Utc::now().date_naive())
}

#[utoipa::path(post, operation_id = "rectification_create", path = "/api/targets/{id}/tasks", tag = "rectification",
    params(("id" = String, Path)), request_body = Vec<NewTask>,
    responses((status = 200, body = Vec<Task>), (status = 422, description = "Every refused row; nothing written", body = xuncha_api::ApiError)))]
pub async fn create(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<String>,
    Json(tasks): Json<Vec<NewTask>>,
) -> Result<Json<Vec<Task>>> {
    let mut tx = state.db.begin().await?;
    let out = create_tasks(&mut tx, &actor, &id, &tasks).await?;
    tx.commit().await?;
    Ok(Json(out))
}

#[utoipa::path(get, operation_id = "rectification_target_tasks", path = "/api/targets/{id}/tasks", tag = "rectification",
    params(("id" = String, Path), Today), responses((status = 200, body = Vec<Task>)))]
pub async fn target_tasks(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<String>,
    Query(q): Query<Today>,
) -> Result<Json<Vec<Task>>> {
    let mut conn = state.db.pool.acquire().await?;
    Ok(Json(for_target(&mut conn, &actor, &id, today(&q)).await?))
}

#[utoipa::path(get, operation_id = "rectification_my_tasks", path = "/api/my/tasks", tag = "rectification",
    params(Today), responses((status = 200, description = "The liaison's organisation's tasks, soonest first", body = Vec<Task>)))]
pub async fn my_tasks(
    State(state): State<AppState>,
    actor: Actor,
    Query(q): Query<Today>,
) -> Result<Json<Vec<Task>>> {
    let mut conn = state.db.pool.acquire().await?;
    Ok(Json(mine(&mut conn, &actor, today(&q)).await?))
}

#[utoipa::path(get, operation_id = "rectification_reminders", path = "/api/reminders", tag = "rectification",
    params(Today), responses((status = 200, description = "Open tasks due within 7 days or overdue (催办), by organisation", body = Reminders)))]
pub async fn reminders(
    State(state): State<AppState>,
    actor: Actor,
    Query(q): Query<Today>,
) -> Result<Json<Reminders>> {
    let mut conn = state.db.pool.acquire().await?;
    Ok(Json(ledger::reminders(&mut conn, &actor, today(&q)).await?))
}

#[utoipa::path(post, operation_id = "rectification_move", path = "/api/tasks/{id}/move", tag = "rectification",
    params(("id" = String, Path)), request_body = MoveTask,
    responses((status = 200, body = Task), (status = 403, body = xuncha_api::ApiError), (status = 422, body = xuncha_api::ApiError)))]
pub async fn move_task(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<String>,
    Json(req): Json<MoveTask>,
) -> Result<Json<Task>> {
    let mut tx = state.db.begin().await?;
    let t = move_to(&mut tx, &actor, &id, &req).await?;
    tx.commit().await?;
    Ok(Json(t))
}

#[utoipa::path(get, operation_id = "rectification_events", path = "/api/tasks/{id}/events", tag = "rectification",
    params(("id" = String, Path)), responses((status = 200, description = "Every move, with who and when", body = Vec<TaskEvent>)))]
pub async fn events(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<String>,
) -> Result<Json<Vec<TaskEvent>>> {
    let mut conn = state.db.pool.acquire().await?;
    Ok(Json(history(&mut conn, &actor, &id).await?))
}

#[utoipa::path(get, operation_id = "rectification_detail", path = "/api/tasks/{id}", tag = "rectification",
    params(("id" = String, Path), Today), responses((status = 200, body = TaskDetail)))]
pub async fn detail(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<String>,
    Query(q): Query<Today>,
) -> Result<Json<TaskDetail>> {
    let mut conn = state.db.pool.acquire().await?;
    Ok(Json(
        progress::detail(&mut conn, &actor, &id, today(&q)).await?,
    ))
}

#[utoipa::path(post, operation_id = "rectification_progress", path = "/api/tasks/{id}/progress", tag = "rectification",
    params(("id" = String, Path)), request_body = NewProgress,
    responses((status = 200, body = TaskDetail), (status = 409, body = xuncha_api::ApiError), (status = 422, body = xuncha_api::ApiError)))]
pub async fn add_progress(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<String>,
    Json(req): Json<NewProgress>,
) -> Result<Json<TaskDetail>> {
    let mut tx = state.db.begin().await?;
    progress::add_progress(&mut tx, &actor, &id, &req).await?;
    tx.commit().await?;
    let mut conn = state.db.pool.acquire().await?;
    let today = chrono::Utc::now().date_naive();
    Ok(Json(progress::detail(&mut conn, &actor, &id, today).await?))
}

#[utoipa::path(put, operation_id = "rectification_add_file", path = "/api/tasks/{id}/files/{file_id}", tag = "rectification",
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
    let sha = progress::add_file(&mut tx, &actor, &id, &file_id, content_type, &body).await?;
    tx.commit().await?;
    Ok(Json(sha))
}

#[utoipa::path(get, operation_id = "rectification_file", path = "/api/tasks/{id}/files/{file_id}", tag = "rectification",
    params(("id" = String, Path), ("file_id" = String, Path)), responses((status = 200, content_type = "image/jpeg")))]
pub async fn file(
    State(state): State<AppState>,
    actor: Actor,
    Path((id, file_id)): Path<(String, String)>,
) -> Result<impl IntoResponse> {
    let mut conn = state.db.pool.acquire().await?;
    let stored = progress::file(&mut conn, &actor, &id, &file_id).await?;
    state.db.files.response(stored).await
}

#[utoipa::path(get, operation_id = "rectification_earlier_findings", path = "/api/targets/{id}/earlier-findings", tag = "rectification",
    params(("id" = String, Path), Today), responses((status = 200, description = "回头看: the organisation's findings in earlier rounds and their tasks", body = Vec<EarlierFinding>)))]
pub async fn earlier(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<String>,
    Query(q): Query<Today>,
) -> Result<Json<Vec<EarlierFinding>>> {
    let mut conn = state.db.pool.acquire().await?;
    Ok(Json(
        lookback::earlier_findings(&mut conn, &actor, &id, today(&q)).await?,
    ))
}

async fn ledger_of(
    state: &AppState,
    actor: &Actor,
    scope: Scope<'_>,
    q: &Today,
) -> Result<TaskLedger> {
    let mut conn = state.db.pool.acquire().await?;
    ledger::ledger(&mut conn, actor, scope, today(q)).await
}

fn xlsx_response(l: &TaskLedger) -> Result<impl IntoResponse> {
    Ok(crate::rounds::xlsx(
        ledger::ledger_xlsx(l)?,
        "rectification.xlsx",
    ))
}

#[utoipa::path(get, operation_id = "rectification_round_ledger", path = "/api/rounds/{id}/rectification", tag = "rectification",
    params(("id" = String, Path), Today), responses((status = 200, description = "整改台账 of a round", body = TaskLedger)))]
pub async fn round_ledger(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<String>,
    Query(q): Query<Today>,
) -> Result<Json<TaskLedger>> {
    Ok(Json(
        ledger_of(&state, &actor, Scope::Round(&id), &q).await?,
    ))
}

#[utoipa::path(get, operation_id = "rectification_round_ledger_xlsx", path = "/api/rounds/{id}/rectification.xlsx", tag = "rectification",
    params(("id" = String, Path), Today, LedgerFilter), responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")))]
pub async fn round_ledger_xlsx(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<String>,
    Query(q): Query<Today>,
    Query(filter): Query<LedgerFilter>,
) -> Result<impl IntoResponse> {
    let mut ledger = ledger_of(&state, &actor, Scope::Round(&id), &q).await?;
    filter.apply(&mut ledger);
    xlsx_response(&ledger)
}

#[utoipa::path(get, operation_id = "rectification_term_ledger", path = "/api/terms/{id}/rectification", tag = "rectification",
    params(("id" = String, Path), Today), responses((status = 200, description = "整改台账 of a term", body = TaskLedger)))]
pub async fn term_ledger(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<String>,
    Query(q): Query<Today>,
) -> Result<Json<TaskLedger>> {
    Ok(Json(ledger_of(&state, &actor, Scope::Term(&id), &q).await?))
}

#[utoipa::path(get, operation_id = "rectification_term_ledger_xlsx", path = "/api/terms/{id}/rectification.xlsx", tag = "rectification",
    params(("id" = String, Path), Today, LedgerFilter), responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")))]
pub async fn term_ledger_xlsx(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<String>,
    Query(q): Query<Today>,
    Query(filter): Query<LedgerFilter>,
) -> Result<impl IntoResponse> {
    let mut ledger = ledger_of(&state, &actor, Scope::Term(&id), &q).await?;
    filter.apply(&mut ledger);
    xlsx_response(&ledger)
}
