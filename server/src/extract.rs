//! Extractors whose rejections speak the API's error format.

use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::extract::FromRequest;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use xuncha_api::Problem;

use crate::Error;

/// A JSON body; a malformed one gets the same `{code, message, field?}` body as any error.
#[derive(FromRequest)]
#[from_request(via(axum::Json), rejection(Error))]
pub struct Json<T>(pub T);

impl<T: Serialize> IntoResponse for Json<T> {
    fn into_response(self) -> Response {
        axum::Json(self.0).into_response()
    }
}

#[derive(axum::extract::FromRequestParts)]
#[from_request(via(axum::extract::Path), rejection(Error))]
pub struct Path<T>(pub T);

#[derive(axum::extract::FromRequestParts)]
#[from_request(via(axum::extract::Query), rejection(Error))]
pub struct Query<T>(pub T);

impl From<JsonRejection> for Error {
    fn from(rejection: JsonRejection) -> Error {
        if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
            return Error::PayloadTooLarge;
        }
        match &rejection {
            JsonRejection::JsonDataError(_) => data_error(&rejection.body_text())
                .unwrap_or_else(|| Error::BadRequest(rejection.body_text())),
            _ => Error::BadRequest(rejection.body_text()),
        }
    }
}

impl From<PathRejection> for Error {
    fn from(_: PathRejection) -> Error {
        Error::NotFound
    }
}

impl From<QueryRejection> for Error {
    fn from(rejection: QueryRejection) -> Error {
        Error::BadRequest(rejection.body_text())
    }
}

/// Reads serde's message (with its path, as axum reports it) and names the field at fault.
fn data_error(text: &str) -> Option<Error> {
    let detail = text.split_once("target type: ").map(|(_, d)| d)?;
    // A path (no spaces) precedes the message unless the fault is at the top level.
    let (path, message) = match detail.split_once(": ") {
        Some((p, m)) if !p.contains(' ') => (p, m),
        _ => ("", detail),
    };
    let path = path.trim_start_matches('.');
    if let Some(rest) = message.strip_prefix("missing field `") {
        let name = rest.split('`').next()?;
        let field = if path.is_empty() {
            name.to_string()
        } else {
            format!("{path}.{name}")
        };
        return Some(Error::invalid(&field, Problem::Required));
    }
    if path.is_empty() {
        return None;
    }
    let problem = if message.starts_with("unknown variant") {
        Problem::NotAllowed
    } else {
        let expected = message
            .split_once("expected ")
            .map(|(_, e)| e.split(" at line").next().unwrap_or(e).to_string())
            .unwrap_or_else(|| "?".into());
        Problem::BadFormat { expected }
    };
    Some(Error::invalid(path, problem))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_the_missing_field() {
        let e = data_error("Failed to deserialize the JSON body into the target type: missing field `password` at line 1 column 20");
        assert!(matches!(e, Some(Error::Invalid(ref f)) if f.field == "password"));
        let e = data_error("Failed to deserialize the JSON body into the target type: .: missing field `password` at line 1 column 20").unwrap();
        assert!(
            matches!(e, Error::Invalid(ref f) if f.field == "password" && f.problem == Problem::Required)
        );
        let e = data_error("Failed to deserialize the JSON body into the target type: role: unknown variant `boss`, expected one of `admin` at line 1 column 20").unwrap();
        assert!(
            matches!(e, Error::Invalid(ref f) if f.field == "role" && f.problem == Problem::NotAllowed)
        );
    }
}
