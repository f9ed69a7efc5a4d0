//! Reports the committee reads, as Word documents laid out as official ones (`documents`):
//! one village's (一村一报告, `village`).

pub mod village;

use axum::extract::State;
use axum::response::Response;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::access::Actor;
use crate::extract::Path;
use crate::{AppState, Result};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(village_report))
}

#[utoipa::path(get, operation_id = "reports_village", path = "/api/targets/{id}/report.docx", tag = "reports",
    params(("id" = String, Path)),
    responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            description = "一村一报告: the village's basic data, team and period, findings by focus point, petitions and evaluation (counts), rectification"),
        (status = 404, body = xuncha_api::ApiError)))]
pub async fn village_report(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<String>,
) -> Result<Response> {
    let mut conn = state.db.pool.acquire().await?;
    let today = crate::documents::china_today();
    let facts = village::facts(&mut conn, &actor, &id, today).await?;
    let bytes = village::docx(&village::report(&facts, today))?;
    Ok(crate::documents::download(
        bytes,
        "report.docx",
        "巡察情况报告.docx",
    ))
}
