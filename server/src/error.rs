//! The server's one error type. User mistakes become 4xx with the field at fault; anything
//! else is logged with its cause and shown to the user only as "internal error".

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use xuncha_api::{ApiError, ErrorCode, FieldError, Lang, Problem, RowError};

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("bad request: {0}")]
    BadRequest(String),
    #[error("invalid {}: {:?}", .0.field, .0.problem)]
    Invalid(FieldError),
    #[error("import has {} bad rows", .0.len())]
    BadRows(Vec<RowError>),
    #[error("not signed in")]
    Unauthenticated,
    #[error("wrong user name or password")]
    BadCredentials,
    #[error("forbidden")]
    Forbidden,
    #[error("not found")]
    NotFound,
    #[error("conflict on {}", .0.field)]
    Conflict(FieldError),
    #[error("throttled for {0}s")]
    Throttled(u64),
    #[error("payload too large")]
    PayloadTooLarge,
    #[error("method not allowed")]
    MethodNotAllowed,
    /// Too many requests of a costly kind at once; retry after this many seconds.
    #[error("busy, retry in {0}s")]
    Busy(u64),
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
    #[error("internal: {0}")]
    Internal(#[from] anyhow::Error),
}

impl Error {
    pub fn invalid(field: &str, problem: Problem) -> Error {
        Error::Invalid(FieldError::new(field, problem))
    }

    pub fn taken(field: &str) -> Error {
        Error::Conflict(FieldError::new(field, Problem::Taken))
    }

    /// The body in the given language.
    pub fn body(&self, lang: Lang) -> ApiError {
        match self {
            Error::BadRequest(detail) => ApiError {
                message: format!("{}: {detail}", ErrorCode::BadRequest.message(lang)),
                ..ApiError::new(ErrorCode::BadRequest, lang)
            },
            Error::Invalid(e) => ApiError::invalid(e, lang),
            Error::BadRows(rows) => ApiError {
                rows: rows.clone(),
                ..ApiError::new(ErrorCode::Invalid, lang)
            },
            Error::Unauthenticated => ApiError::new(ErrorCode::Unauthenticated, lang),
            Error::BadCredentials => ApiError {
                code: ErrorCode::Unauthenticated,
                ..ApiError::invalid(&FieldError::new("password", Problem::WrongPassword), lang)
            },
            Error::Forbidden => ApiError::new(ErrorCode::Forbidden, lang),
            Error::NotFound => ApiError::new(ErrorCode::NotFound, lang),
            Error::Conflict(e) => ApiError {
                code: ErrorCode::Conflict,
                ..ApiError::invalid(e, lang)
            },
            Error::Throttled(secs) => ApiError {
                retry_after_secs: Some(*secs),
                ..ApiError::new(ErrorCode::Throttled, lang)
            },
            Error::PayloadTooLarge => ApiError::new(ErrorCode::PayloadTooLarge, lang),
            Error::MethodNotAllowed => ApiError::new(ErrorCode::MethodNotAllowed, lang),
            Error::Busy(secs) => ApiError {
                retry_after_secs: Some(*secs),
                ..ApiError::new(ErrorCode::Busy, lang)
            },
            Error::Database(_) | Error::Internal(_) => ApiError::new(ErrorCode::Internal, lang),
        }
    }
}

/// Rendered in Chinese here; `web::localize_errors` re-renders it for an English request.
impl IntoResponse for Error {
    fn into_response(self) -> Response {
        if matches!(self, Error::Database(_) | Error::Internal(_)) {
            tracing::error!(error = %self, "request failed");
        }
        let body = self.body(Lang::Zh);
        let status =
            StatusCode::from_u16(body.code.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let mut response = (status, axum::Json(body.clone())).into_response();
        if let Error::Throttled(secs) | Error::Busy(secs) = self {
            if let Ok(v) = HeaderValue::from_str(&secs.to_string()) {
                response.headers_mut().insert(header::RETRY_AFTER, v);
            }
        }
        response.extensions_mut().insert(body);
        response
    }
}

/// Turns a unique-constraint violation into a 409 on the field, whatever the backend.
pub fn on_unique(err: sqlx::Error, field: &str) -> Error {
    if let sqlx::Error::Database(db) = &err {
        if db.is_unique_violation() {
            return Error::taken(field);
        }
    }
    Error::Database(err)
}
