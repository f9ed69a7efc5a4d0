//! Where the bytes of uploaded files live: an object store addressed by their SHA-256 (a
//! folder under the data folder by default, through `object_store`, which also speaks S3),
//! so that the database keeps only who sent what. A photo sent twice is kept once; a download
//! is streamed from the store, never read whole into memory.

use std::path::Path;
use std::sync::Arc;

use axum::body::Body;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use object_store::local::LocalFileSystem;
use object_store::path::Path as Key;
use object_store::{ObjectStore, ObjectStoreExt, PutPayload};

use crate::{Error, Result};

/// What the database says of a stored file: enough to find and serve its bytes.
#[derive(Debug, Clone)]
pub struct Stored {
    pub content_type: String,
    pub sha256: String,
    pub size: i64,
}

#[derive(Clone, Debug)]
pub struct Files {
    store: Arc<dyn ObjectStore>,
}

impl Files {
    /// Files in a folder of this machine (created if missing). Writes are synced to disk
    /// before they are acknowledged: the row that names the bytes is committed after them.
    pub fn in_folder(dir: &Path) -> anyhow::Result<Files> {
        std::fs::create_dir_all(dir)?;
        let store = LocalFileSystem::new_with_prefix(dir)?.with_fsync(true);
        Ok(Files {
            store: Arc::new(store),
        })
    }

    /// `ab/abcdef…`: 256 folders keep any one folder small at a few million files.
    fn key(sha: &str) -> Result<Key> {
        if sha.len() != 64 || !sha.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')) {
            return Err(Error::Internal(anyhow::anyhow!(
                "a stored file's hash is not a SHA-256: {sha:?}"
            )));
        }
        Ok(Key::from(format!("{}/{sha}", &sha[..2])))
    }

    /// Keeps the bytes under their hash. Written anew even when present (a staged file renamed
    /// over it, so a reader never sees half), which also marks them as just used for the sweep.
    pub async fn put(&self, sha: &str, bytes: &[u8]) -> Result<()> {
        self.store
            .put(&Self::key(sha)?, PutPayload::from(bytes.to_vec()))
            .await
            .map_err(|e| Error::Internal(anyhow::anyhow!("storing a file: {e}")))?;
        Ok(())
    }

    pub async fn contains(&self, sha: &str) -> Result<bool> {
        match self.store.head(&Self::key(sha)?).await {
            Ok(_) => Ok(true),
            Err(object_store::Error::NotFound { .. }) => Ok(false),
            Err(e) => Err(Error::Internal(anyhow::anyhow!("looking up a file: {e}"))),
        }
    }

    /// The whole file, for what must hold it (tests, the move out of the database).
    pub async fn read(&self, sha: &str) -> Result<Vec<u8>> {
        let got = self
            .store
            .get(&Self::key(sha)?)
            .await
            .map_err(|e| Error::Internal(anyhow::anyhow!("reading a stored file: {e}")))?;
        let bytes = got
            .bytes()
            .await
            .map_err(|e| Error::Internal(anyhow::anyhow!("reading a stored file: {e}")))?;
        Ok(bytes.to_vec())
    }

    pub async fn delete(&self, sha: &str) -> Result<()> {
        match self.store.delete(&Self::key(sha)?).await {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
            Err(e) => Err(Error::Internal(anyhow::anyhow!("deleting a file: {e}"))),
        }
    }

    /// A stored file as the browser gets it, streamed: photos shown in the page, anything
    /// else (a PDF) downloaded rather than opened in the app's origin.
    pub async fn response(&self, stored: Stored) -> Result<Response> {
        let got = self
            .store
            .get(&Self::key(&stored.sha256)?)
            .await
            .map_err(|e| Error::Internal(anyhow::anyhow!("reading a stored file: {e}")))?;
        let disposition = if stored.content_type.starts_with("image/") {
            "inline"
        } else {
            "attachment"
        };
        Ok((
            [
                (header::CONTENT_TYPE, stored.content_type),
                (header::CONTENT_DISPOSITION, disposition.to_string()),
                (header::CONTENT_LENGTH, stored.size.to_string()),
            ],
            Body::from_stream(got.into_stream()),
        )
            .into_response())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn bytes_are_kept_under_their_hash_and_written_once_per_hash() {
        let dir = std::env::temp_dir().join(format!("xuncha-files-{}", uuid::Uuid::new_v4()));
        let files = Files::in_folder(&dir).unwrap();
        let bytes = b"\xFF\xD8\xFFphoto";
        let sha = crate::files::check("image/jpeg", bytes).unwrap();
        assert!(!files.contains(&sha).await.unwrap());
        files.put(&sha, bytes).await.unwrap();
        files.put(&sha, bytes).await.unwrap();
        assert_eq!(files.read(&sha).await.unwrap(), bytes);
        let on_disk = dir.join(&sha[..2]).join(&sha);
        assert_eq!(std::fs::read(&on_disk).unwrap(), bytes);
        files.delete(&sha).await.unwrap();
        files.delete(&sha).await.unwrap();
        assert!(!on_disk.exists());
        assert!(matches!(
            files.put("../etc", b"x").await,
            Err(Error::Internal(_))
        ));
        std::fs::remove_dir_all(dir).unwrap();
    }
}
