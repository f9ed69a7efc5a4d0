//! The API's routes and their description, from one list: a route is added with its
//! `#[utoipa::path]` through `routes!`, so it cannot be served undescribed nor described
//! unserved.

use axum::extract::Extension;
use axum::http::header;
use axum::response::IntoResponse;
use utoipa::openapi::path::Operation;
use utoipa::openapi::{ContentBuilder, Ref, RefOr, ResponseBuilder};
use utoipa::{Modify, OpenApi};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::{
    audit, auth, checklists, clues, evaluations, findings, orgs, petitions, rectification, reports,
    rounds, stationing, statistics, talks, users, AppState,
};

#[derive(OpenApi)]
#[openapi(
    modifiers(&ErrorResponses),
    // Types used only in query parameters are not collected from the operations.
    components(schemas(xuncha_api::coverage::LedgerFilter)),
    info(
        title = "Xuncha 巡察 API",
        description = "City and county patrol inspection down to villages and communities"
    ),
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

fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .merge(auth::router())
        .merge(users::router())
        .merge(orgs::router())
        .merge(rounds::router())
        .merge(checklists::router())
        .merge(findings::router())
        .merge(rectification::router())
        .merge(talks::router())
        .merge(clues::router())
        .merge(petitions::router())
        .merge(evaluations::router())
        .merge(stationing::router())
        .merge(statistics::router())
        .merge(reports::router())
        .merge(audit::router())
        .routes(routes!(serve))
        .routes(routes!(health))
}

/// The API's router and its finished description.
pub fn api() -> (axum::Router<AppState>, utoipa::openapi::OpenApi) {
    let (router, mut doc) = routes().split_for_parts();
    ErrorResponses.modify(&mut doc);
    (router, doc)
}

/// The document as JSON text, made once at start; each answer shares the same bytes.
#[derive(Clone)]
pub struct Document(pub axum::body::Bytes);

impl Document {
    pub fn of(doc: &utoipa::openapi::OpenApi) -> Document {
        Document(axum::body::Bytes::from(
            doc.to_pretty_json()
                .expect("the OpenAPI document serialises"),
        ))
    }
}

/// The document as JSON text.
pub fn document() -> String {
    api()
        .1
        .to_pretty_json()
        .expect("the OpenAPI document serialises")
}

#[utoipa::path(get, operation_id = "openapi", path = "/api/openapi.json", tag = "meta",
    responses((status = 200, description = "This document (OpenAPI 3.1)", content_type = "application/json")))]
pub async fn serve(Extension(doc): Extension<Document>) -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "application/json")], doc.0)
}

#[utoipa::path(get, operation_id = "health", path = "/api/health", tag = "meta",
    responses((status = 200, description = "The server answers", body = String, content_type = "text/plain")))]
pub async fn health() -> &'static str {
    "ok"
}
