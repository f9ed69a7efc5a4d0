//! Photos and files sent as evidence, for checklist items and rectification tasks alike: the
//! kinds taken, the size limit, and how they are kept — the bytes in the file store under
//! their SHA-256, who sent what in the database.

mod store;
pub mod upkeep;

pub use store::{Files, Stored};

use axum::http::{header, HeaderMap};
use base64::Engine;
use sha2::{Digest, Sha256};
use sqlx::{AnyConnection, Row};
use xuncha_api::talks::AttachedFile;
use xuncha_api::{FieldError, Problem};

use crate::db::Tx;
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

/// Files kept in the database by versions before the file store, read once to move them.
pub fn decode(stored: &str) -> Result<Vec<u8>> {
    base64::engine::general_purpose::STANDARD
        .decode(stored)
        .map_err(|e| Error::Internal(anyhow::anyhow!("stored file: {e}")))
}

/// An upload that passed [`check`], with its SHA-256.
pub struct Upload<'a> {
    pub content_type: &'a str,
    pub bytes: &'a [u8],
    pub sha: String,
}

impl<'a> Upload<'a> {
    pub fn checked(content_type: &'a str, bytes: &'a [u8]) -> Result<Upload<'a>> {
        Ok(Upload {
            content_type,
            bytes,
            sha: check(content_type, bytes)?,
        })
    }
}

/// A table of files kept with one kind of record, all with the same columns (id, the owner's
/// id, content_type, size, sha256, data, created_by, created_at): storing, listing and reading
/// them is this one piece of code. Who may do so is the caller's to decide first.
pub struct Attached {
    table: &'static str,
    owner: &'static str,
}

pub const TALK_FILES: Attached = Attached {
    table: "talk_files",
    owner: "talk_id",
};
pub const CLUE_FILES: Attached = Attached {
    table: "clue_files",
    owner: "clue_id",
};
pub const PETITION_FILES: Attached = Attached {
    table: "petition_files",
    owner: "petition_id",
};
pub const PREP_FILES: Attached = Attached {
    table: "prep_files",
    owner: "item_id",
};
pub const TASK_FILES: Attached = Attached {
    table: "task_files",
    owner: "task_id",
};

impl Attached {
    fn sql(&self, text: String) -> sqlx::AssertSqlSafe<String> {
        // Table and column names are the constants above, never input.
        sqlx::AssertSqlSafe(
            text.replace("{table}", self.table)
                .replace("{owner}", self.owner),
        )
    }

    /// Whose file is kept under this id, and its hash.
    async fn under_id(
        &self,
        conn: &mut AnyConnection,
        file_id: &str,
    ) -> Result<Option<(String, String)>> {
        Ok(
            sqlx::query_as(self.sql("SELECT {owner}, sha256 FROM {table} WHERE id = $1".into()))
                .bind(file_id)
                .fetch_optional(conn)
                .await?,
        )
    }

    /// Whether this owner already holds these bytes under this id (a re-send).
    pub async fn holds(
        &self,
        conn: &mut AnyConnection,
        owner_id: &str,
        file_id: &str,
        sha: &str,
    ) -> Result<bool> {
        let found = self.under_id(conn, file_id).await?;
        Ok(found.is_some_and(|(o, s)| o == owner_id && s == sha))
    }

    /// Keeps checked bytes under the device's id. `Ok(false)` for a re-send of the same file
    /// (nothing new stored); another file under a taken id is a conflict.
    pub async fn add(
        &self,
        tx: &mut Tx<'_>,
        by: &str,
        owner_id: &str,
        file_id: &str,
        file: &Upload<'_>,
    ) -> Result<bool> {
        // A re-send of the same file, or another one under a taken id.
        let resent = |(o, s): (String, String)| {
            if o == owner_id && s == file.sha {
                Ok(false)
            } else {
                Err(Error::Conflict(FieldError::new("file_id", Problem::Taken)))
            }
        };
        if let Some(found) = self.under_id(tx, file_id).await? {
            return resent(found);
        }
        upkeep::keep(tx, &file.sha, file.bytes).await?;
        let inserted = sqlx::query(
            self.sql(
                "INSERT INTO {table} (id, {owner}, content_type, size, sha256, data, created_by, \
             created_at) VALUES ($1, $2, $3, $4, $5, '', $6, $7) ON CONFLICT (id) DO NOTHING"
                    .into(),
            ),
        )
        .bind(file_id)
        .bind(owner_id)
        .bind(file.content_type)
        .bind(file.bytes.len() as i64)
        .bind(&file.sha)
        .bind(by)
        .bind(crate::db::ts(crate::db::now()))
        .execute(&mut **tx)
        .await?
        .rows_affected();
        match inserted {
            1 => Ok(true),
            // Sent twice at once: the other request stored it first.
            _ => match self.under_id(tx, file_id).await? {
                Some(found) => resent(found),
                None => Err(Error::Conflict(FieldError::new("file_id", Problem::Taken))),
            },
        }
    }

    /// The owner's files, oldest first.
    pub async fn list(
        &self,
        conn: &mut AnyConnection,
        owner_id: &str,
    ) -> Result<Vec<AttachedFile>> {
        let rows = sqlx::query(
            self.sql(
                "SELECT id, content_type, size FROM {table} WHERE {owner} = $1 \
             ORDER BY created_at, id"
                    .into(),
            ),
        )
        .bind(owner_id)
        .fetch_all(conn)
        .await?;
        rows.iter().map(attached).collect()
    }

    /// Where one file's bytes are; 404 when the owner has none under this id.
    pub async fn stored(
        &self,
        conn: &mut AnyConnection,
        owner_id: &str,
        file_id: &str,
    ) -> Result<Stored> {
        let row = sqlx::query(self.sql(
            "SELECT content_type, sha256, size FROM {table} WHERE id = $1 AND {owner} = $2".into(),
        ))
        .bind(file_id)
        .bind(owner_id)
        .fetch_optional(conn)
        .await?
        .ok_or(Error::NotFound)?;
        stored(&row)
    }

    /// Takes every file off an owner that goes; their bytes are left to the sweep.
    pub async fn remove_all(&self, tx: &mut Tx<'_>, owner_id: &str) -> Result<()> {
        let shas: Vec<String> = sqlx::query_scalar(
            self.sql("SELECT DISTINCT sha256 FROM {table} WHERE {owner} = $1".into()),
        )
        .bind(owner_id)
        .fetch_all(&mut **tx)
        .await?;
        for sha in shas {
            upkeep::release(tx, &sha).await?;
        }
        sqlx::query(self.sql("DELETE FROM {table} WHERE {owner} = $1".into()))
            .bind(owner_id)
            .execute(&mut **tx)
            .await?;
        Ok(())
    }
}

/// Where a file row's bytes are, from its `content_type`, `sha256` and `size`.
pub fn stored(r: &sqlx::any::AnyRow) -> Result<Stored> {
    Ok(Stored {
        content_type: r.try_get("content_type")?,
        sha256: r.try_get("sha256")?,
        size: r.try_get("size")?,
    })
}

/// A file as listed with its owner, from a row with its `id`, `content_type` and `size`.
pub fn attached(r: &sqlx::any::AnyRow) -> Result<AttachedFile> {
    Ok(AttachedFile {
        id: r.try_get("id")?,
        content_type: r.try_get("content_type")?,
        size: r.try_get("size")?,
    })
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
