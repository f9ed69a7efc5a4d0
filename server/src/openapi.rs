use utoipa::OpenApi;

use crate::extract::Json;
use crate::{audit, auth, checklists, findings, orgs, rectification, rounds, users};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Xuncha 巡察 API",
        description = "City and county patrol inspection down to villages and communities"
    ),
    paths(
        auth::login,
        auth::logout,
        auth::me,
        auth::change_password,
        users::list,
        users::create,
        users::update,
        users::reset_password,
        orgs::list,
        orgs::detail,
        orgs::create,
        orgs::update,
        orgs::import,
        orgs::export,
        audit::list,
        rounds::list_terms,
        rounds::create_term,
        rounds::ledger,
        rounds::ledger_xlsx,
        rounds::list_rounds,
        rounds::create_round,
        rounds::round,
        rounds::change_phase,
        rounds::teams,
        rounds::create_team,
        rounds::targets,
        rounds::assign_targets,
        rounds::targets_xlsx,
        rounds::my_inspections,
        checklists::templates,
        checklists::template,
        checklists::copy_template,
        checklists::update_template,
        checklists::publish_template,
        checklists::open_record,
        checklists::record,
        checklists::changes,
        checklists::submit,
        checklists::return_record,
        checklists::add_evidence,
        checklists::evidence_file,
        findings::list,
        findings::record,
        rectification::create,
        rectification::target_tasks,
        rectification::my_tasks,
        rectification::reminders,
        rectification::move_task,
        rectification::events,
        rectification::detail,
        rectification::add_progress,
        rectification::add_file,
        rectification::file,
        rectification::earlier,
        rectification::round_ledger,
        rectification::round_ledger_xlsx,
        rectification::term_ledger,
        rectification::term_ledger_xlsx,
        rectification::public::json,
    )
)]
pub struct ApiDoc;

pub async fn serve() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}
