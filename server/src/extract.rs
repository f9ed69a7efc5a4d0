//! Extractors at the edge: their rejections speak the API's error format, and no text with
//! control characters gets past them (one rule for every body, path and query, so both
//! databases see the same input: PostgreSQL refuses NUL in text, SQLite would store it).

use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::extract::{FromRequest, FromRequestParts, RawPathParams, Request};
use axum::http::request::Parts;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::de::DeserializeOwned;
use serde::Serialize;
use xuncha_api::validate;
use xuncha_api::Problem;

use crate::Error;

/// A JSON body; a malformed one gets the same `{code, message, field?}` body as any error.
pub struct Json<T>(pub T);

impl<T: Serialize> IntoResponse for Json<T> {
    fn into_response(self) -> Response {
        axum::Json(self.0).into_response()
    }
}

impl<T, S> FromRequest<S> for Json<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = Error;

    async fn from_request(req: Request, state: &S) -> Result<Self, Error> {
        // Read as a JSON value first (content type, syntax and the body limit are axum's),
        // look at every string in it, then give it its type.
        let axum::Json(value) = axum::Json::<serde_json::Value>::from_request(req, state).await?;
        if let Some(field) = control_character(&value, &mut String::new()) {
            return Err(Error::invalid(&field, Problem::ControlCharacter));
        }
        typed(value).map(Json)
    }
}

/// The path (`a.b[2]`, as serde reports it) of the first string, or object key, holding a
/// control character.
fn control_character(value: &serde_json::Value, path: &mut String) -> Option<String> {
    use serde_json::Value;
    match value {
        Value::String(s) => validate::no_control(s).err().map(|_| path.clone()),
        Value::Array(items) => items.iter().enumerate().find_map(|(i, v)| {
            let len = path.len();
            path.push_str(&format!("[{i}]"));
            let found = control_character(v, path);
            path.truncate(len);
            found
        }),
        Value::Object(map) => map.iter().find_map(|(k, v)| {
            let len = path.len();
            if !path.is_empty() {
                path.push('.');
            }
            path.push_str(k);
            let found = if validate::no_control(k).is_err() {
                Some(path.clone())
            } else {
                control_character(v, path)
            };
            path.truncate(len);
            found
        }),
        _ => None,
    }
}

/// Path parameters; an id with control characters names nothing.
pub struct Path<T>(pub T);

impl<T, S> FromRequestParts<S> for Path<T>
where
    T: DeserializeOwned + Send,
    S: Send + Sync,
{
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Error> {
        let raw = RawPathParams::from_request_parts(parts, state)
            .await
            .map_err(|_| Error::NotFound)?;
        for (key, value) in &raw {
            validate::no_control(value).map_err(|p| Error::invalid(key, p))?;
        }
        let axum::extract::Path(value) =
            axum::extract::Path::<T>::from_request_parts(parts, state).await?;
        Ok(Path(value))
    }
}

/// Query parameters, under the same rule.
pub struct Query<T>(pub T);

impl<T, S> FromRequestParts<S> for Query<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Error> {
        let query = parts.uri.query().unwrap_or_default();
        let pairs: Vec<(String, String)> = serde_urlencoded::from_str(query)
            .map_err(|e| Error::BadRequest(format!("query: {e}")))?;
        for (key, value) in &pairs {
            validate::no_control(key)
                .and_then(|()| validate::no_control(value))
                .map_err(|p| Error::invalid(key, p))?;
        }
        let deserializer =
            serde_urlencoded::Deserializer::new(form_urlencoded::parse(query.as_bytes()));
        typed(deserializer).map(Query)
    }
}

impl From<JsonRejection> for Error {
    fn from(rejection: JsonRejection) -> Error {
        if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
            return Error::PayloadTooLarge;
        }
        Error::BadRequest(rejection.body_text())
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

/// Gives input its type, naming the field at fault when it does not fit.
fn typed<'de, T, D>(input: D) -> Result<T, Error>
where
    T: serde::Deserialize<'de>,
    D: serde::Deserializer<'de>,
    D::Error: std::fmt::Display,
{
    serde_path_to_error::deserialize(input).map_err(|e| {
        let path = e.path().to_string();
        let message = e.into_inner().to_string();
        field_error(if path == "." { "" } else { &path }, &message)
            .unwrap_or_else(|| Error::BadRequest(message))
    })
}

/// Names the field at fault from serde's path and message.
fn field_error(path: &str, message: &str) -> Option<Error> {
    let path = path.trim_start_matches('.');
    let join = |name: &str| {
        if path.is_empty() {
            name.to_string()
        } else {
            format!("{path}.{name}")
        }
    };
    if let Some(rest) = message.strip_prefix("missing field `") {
        let name = rest.split('`').next()?;
        return Some(Error::invalid(&join(name), Problem::Required));
    }
    if let Some(rest) = message.strip_prefix("unknown field `") {
        // serde's path already ends at the unknown field.
        let name = rest.split('`').next()?;
        let field = if path == name || path.ends_with(&format!(".{name}")) {
            path.to_string()
        } else {
            join(name)
        };
        return Some(Error::invalid(&field, Problem::NotAllowed));
    }
    if path.is_empty() {
        return None;
    }
    let problem = if message.starts_with("unknown variant") {
        Problem::NotAllowed
    } else if message.starts_with(validate::DATE_RANGE_MESSAGE) {
        Problem::OutOfRange {
            min: validate::YEAR_MIN.into(),
            max: validate::YEAR_MAX.into(),
        }
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
    use serde_json::json;

    #[test]
    fn names_the_field_at_fault() {
        let e = field_error("", "missing field `password`");
        assert!(matches!(e, Some(Error::Invalid(ref f)) if f.field == "password"));
        let e = field_error("basic", "missing field `households`").unwrap();
        assert!(
            matches!(e, Error::Invalid(ref f) if f.field == "basic.households" && f.problem == Problem::Required)
        );
        let e = field_error("role", "unknown variant `boss`, expected one of `admin`").unwrap();
        assert!(
            matches!(e, Error::Invalid(ref f) if f.field == "role" && f.problem == Problem::NotAllowed)
        );
        let e = field_error(
            "secretary_typo",
            "unknown field `secretary_typo`, expected one of `name`",
        )
        .unwrap();
        assert!(matches!(e, Error::Invalid(ref f) if f.field == "secretary_typo"));
        let e = field_error(
            "basic.typo",
            "unknown field `typo`, expected one of `households`",
        )
        .unwrap();
        assert!(matches!(e, Error::Invalid(ref f) if f.field == "basic.typo"));
        let e = field_error("start_date", validate::DATE_RANGE_MESSAGE).unwrap();
        assert!(
            matches!(e, Error::Invalid(ref f) if f.problem == Problem::OutOfRange { min: 1900, max: 2200 })
        );
    }

    #[test]
    fn finds_control_characters_anywhere() {
        let v = json!({"a": "fine\n", "b": [{"c": "ok"}, {"d": "bad\u{0}"}]});
        assert_eq!(
            control_character(&v, &mut String::new()).as_deref(),
            Some("b[1].d")
        );
        let v = json!({"k\u{7}": 1});
        assert_eq!(
            control_character(&v, &mut String::new()).as_deref(),
            Some("k\u{7}")
        );
        assert_eq!(
            control_character(&json!({"a": ["x"]}), &mut String::new()),
            None
        );
    }
}
