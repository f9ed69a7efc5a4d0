//! Photos and files sent as evidence, for checklist items and rectification tasks alike: the
//! kinds taken, the size limit, and how they are kept — base64 text, portable across both
//! databases through `sqlx::any`.

use axum::http::{header, HeaderMap};
use axum::response::{IntoResponse, Response};
use base64::Engine;
use sha2::{Digest, Sha256};
use xuncha_api::Problem;

use crate::{Error, Result};

pub const TYPES: [&str; 4] = ["image/jpeg", "image/png", "image/webp", "application/pdf"];
pub const MAX: usize = 5 * 1024 * 1024;

/// Refuses what is not a photo or a PDF, empty or too large, or whose bytes are not of the
/// kind it declares (HTML sent as `image/jpeg` would be served back as a page); the SHA-256
/// (hex) of what passes, by which a re-send is told from another file under the same id.
pub fn check(content_type: &str, bytes: &[u8]) -> Result<String> {
    if !TYPES.contains(&content_type) {
        return Err(Error::invalid("file", Problem::NotAllowed));
    }
    if bytes.is_empty() {
        return Err(Error::invalid("file", Problem::Required));
    }
    if bytes.len() > MAX {
        return Err(Error::PayloadTooLarge);
    }
    if !starts_as(content_type, bytes) {
        return Err(Error::invalid(
            "file",
            Problem::BadFormat {
                expected: content_type.to_string(),
            },
        ));
    }
    Ok(hex::encode(Sha256::digest(bytes)))
}

/// Whether the bytes begin as the kind's format does (its magic number).
fn starts_as(content_type: &str, bytes: &[u8]) -> bool {
    match content_type {
        "image/jpeg" => bytes.starts_with(&[0xFF, 0xD8, 0xFF]),
        "image/png" => bytes.starts_with(b"\x89PNG\r\n\x1a\n"),
        "image/webp" => bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP",
        "application/pdf" => bytes.starts_with(b"%PDF-"),
        _ => false,
    }
}

/// A stored file as the browser gets it: photos shown in the page, anything else (a PDF)
/// downloaded rather than opened in the app's origin.
pub fn response(content_type: String, bytes: Vec<u8>) -> Response {
    let disposition = if content_type.starts_with("image/") {
        "inline"
    } else {
        "attachment"
    };
    (
        [
            (header::CONTENT_TYPE, content_type),
            (header::CONTENT_DISPOSITION, disposition.to_string()),
        ],
        bytes,
    )
        .into_response()
}

pub fn encode(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

pub fn decode(stored: &str) -> Result<Vec<u8>> {
    base64::engine::general_purpose::STANDARD
        .decode(stored)
        .map_err(|e| Error::Internal(anyhow::anyhow!("stored file: {e}")))
}

/// The upload's declared type; none at all is refused by `check` like any unknown one.
pub fn content_type(headers: &HeaderMap) -> &str {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bytes_must_be_of_the_declared_kind() {
        assert!(check("image/jpeg", &[0xFF, 0xD8, 0xFF, 0xE0, 0, 0]).is_ok());
        assert!(check("image/png", b"\x89PNG\r\n\x1a\n....").is_ok());
        assert!(check("image/webp", b"RIFF\0\0\0\0WEBPVP8 ").is_ok());
        assert!(check("application/pdf", b"%PDF-1.7\n").is_ok());
        assert!(matches!(
            check("image/jpeg", b"<html><script>alert(1)</script>"),
            Err(Error::Invalid(_))
        ));
        assert!(matches!(
            check("image/png", &[0xFF, 0xD8, 0xFF]),
            Err(Error::Invalid(_))
        ));
    }
}
