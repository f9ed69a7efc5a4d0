//! Photos and files sent as evidence, for checklist items and rectification tasks alike: the
//! kinds taken, the size limit, and how they are kept — base64 text, portable across both
//! databases through `sqlx::any`.

use axum::http::{header, HeaderMap};
use base64::Engine;
use sha2::{Digest, Sha256};
use xuncha_api::Problem;

use crate::{Error, Result};

pub const TYPES: [&str; 4] = ["image/jpeg", "image/png", "image/webp", "application/pdf"];
pub const MAX: usize = 5 * 1024 * 1024;

/// Refuses what is not a photo or a PDF, empty or too large; the SHA-256 (hex) of what passes,
/// by which a re-send is told from another file under the same id.
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
    Ok(hex::encode(Sha256::digest(bytes)))
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
