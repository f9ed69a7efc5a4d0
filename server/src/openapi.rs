use utoipa::openapi::path::Operation;
use utoipa::openapi::{ContentBuilder, Ref, RefOr, ResponseBuilder};
use utoipa::{Modify, OpenApi};

use crate::extract::Json;
use crate::{audit, auth, checklists, findings, orgs, rectification, rounds, users};

#[derive(OpenApi)]
#[openapi(
    modifiers(&ErrorResponses),
    // Types used only in query parameters are not collected from the operations.
    components(schemas(xuncha_api::coverage::LedgerFilter)),
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
        checklists::remove_evidence,
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

/// The error answers each operation can give, all in the one `ApiError` body, added to every
/// operation so that a generated client knows them: bad input (400, 422) and failure (500)
/// everywhere; not signed in, not allowed, not found (401, 403, 404) where a session is
/// needed; conflicts (409) on writes; too large (413) on uploads; throttled and busy (429,
/// 503) on sign-in.
struct ErrorResponses;

impl Modify for ErrorResponses {
    fn modify(&self, doc: &mut utoipa::openapi::OpenApi) {
        for (path, item) in doc.paths.paths.iter_mut() {
            let public = path.starts_with("/api/public/") || path == "/api/auth/login";
            let operations = [
                (&mut item.get, false),
                (&mut item.head, false),
                (&mut item.post, true),
                (&mut item.put, true),
                (&mut item.patch, true),
                (&mut item.delete, true),
            ];
            for (operation, write) in operations {
                let Some(operation) = operation.as_mut() else {
                    continue;
                };
                let mut codes = vec![
                    ("400", "The request could not be read"),
                    (
                        "422",
                        "A field is not valid: `field` and `problem` say which and why",
                    ),
                    ("500", "Something went wrong on the server"),
                ];
                if !public {
                    codes.extend([
                        ("401", "Not signed in, or the session ended"),
                        ("403", "This role may not do that"),
                        ("404", "No such record, or none the user may see"),
                    ]);
                }
                if write {
                    codes.extend([
                        ("405", "The path does not take this method"),
                        ("409", "Conflicts with what the server holds"),
                        ("413", "The body is too large"),
                    ]);
                }
                if path == "/api/auth/login" {
                    codes.extend([
                        ("429", "Too many failed sign-ins; see Retry-After"),
                        ("503", "Too many sign-ins at once; see Retry-After"),
                    ]);
                }
                add_errors(operation, &codes);
            }
        }
    }
}

fn add_errors(operation: &mut Operation, codes: &[(&str, &str)]) {
    for (code, description) in codes {
        operation
            .responses
            .responses
            .entry(code.to_string())
            .or_insert_with(|| {
                RefOr::T(
                    ResponseBuilder::new()
                        .description(*description)
                        .content(
                            "application/json",
                            ContentBuilder::new()
                                .schema(Some(Ref::from_schema_name("ApiError")))
                                .build(),
                        )
                        .build(),
                )
            });
    }
}

/// The document as JSON text.
pub fn document() -> String {
    ApiDoc::openapi()
        .to_pretty_json()
        .expect("the OpenAPI document serialises")
}

pub async fn serve() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}
