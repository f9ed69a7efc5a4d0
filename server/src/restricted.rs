//! What the restricted records on a target share — talks, clues and petitions: finding one's
//! target and the caller's access there (a record that does not exist and one that is not
//! yours look the same), serving its files with the read logged, and who read it.

use sqlx::AnyConnection;
use xuncha_api::audit::ReadEntry;

use crate::access::{self, Access, Actor, Grant, Object};
use crate::db::Tx;
use crate::files::{Attached, CLUE_FILES, PETITION_FILES, TALK_FILES};
use crate::{audit, Error, Result};

pub struct Kind {
    pub object: Object,
    /// As the audit log and the read index name it.
    pub name: &'static str,
    table: &'static str,
    pub files: Attached,
}

pub const TALK: Kind = Kind {
    object: Object::Talk,
    name: "talk",
    table: "talks",
    files: TALK_FILES,
};

pub const PETITION: Kind = Kind {
    object: Object::Petition,
    name: "petition",
    table: "petitions",
    files: PETITION_FILES,
};

pub const CLUE: Kind = Kind {
    object: Object::Clue,
    name: "clue",
    table: "clues",
    files: CLUE_FILES,
};

impl Kind {
    /// The record's target and the caller's access there, if it reaches `needed`. The role is
    /// asked first, so that a refusal by role tells nothing of whether the record exists.
    pub async fn access(
        &self,
        conn: &mut AnyConnection,
        actor: &Actor,
        id: &str,
        needed: Grant,
    ) -> Result<(String, Access)> {
        access::role_may(actor, self.object, needed)?;
        let target: Option<String> = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
            "SELECT target_id FROM {} WHERE id = $1",
            self.table
        )))
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?;
        let target = target.ok_or(Error::NotFound)?;
        let access = access::on_target(conn, actor, &target, self.object, needed).await?;
        Ok((target, access))
    }

    /// One of the record's files, for whoever may read the record; the read is logged.
    pub async fn file(
        &self,
        tx: &mut Tx<'_>,
        actor: &Actor,
        id: &str,
        file_id: &str,
        endpoint: &str,
    ) -> Result<crate::files::Stored> {
        self.access(tx, actor, id, Grant::Read).await?;
        let file = self.files.stored(tx, id, file_id).await?;
        audit::record_read(tx, actor, self.name, &[id], endpoint).await?;
        Ok(file)
    }

    /// Keeps a photo or PDF with the record for whoever may write it; the id comes from the
    /// device, so a re-send stores nothing new. The SHA-256 of what the server holds.
    pub async fn add_file(
        &self,
        tx: &mut Tx<'_>,
        actor: &Actor,
        id: &str,
        file_id: &str,
        content_type: &str,
        bytes: &[u8],
    ) -> Result<String> {
        self.access(tx, actor, id, Grant::Write).await?;
        xuncha_api::validate::client_id(file_id).map_err(|p| Error::invalid("file_id", p))?;
        let file = crate::files::Upload::checked(content_type, bytes)?;
        let sha = file.sha.clone();
        if self.files.add(tx, &actor.id, id, file_id, &file).await? {
            audit::record(
                tx,
                Some(actor),
                &format!("{}.file", self.name),
                self.name,
                Some(id),
                serde_json::json!({ "file_id": file_id, "size": bytes.len(), "sha256": sha }),
            );
        }
        Ok(sha)
    }

    /// Who read the record, newest first: for the office and discipline, who answer for the
    /// team's conduct.
    pub async fn reads(
        &self,
        conn: &mut AnyConnection,
        actor: &Actor,
        id: &str,
    ) -> Result<Vec<ReadEntry>> {
        access::role_may(actor, Object::ReadLog, Grant::Read)?;
        // The relation found for the record decides for its read log too.
        let (_, found) = self.access(conn, actor, id, Grant::Read).await?;
        access::require(actor, Object::ReadLog, found.relation, Grant::Read)?;
        audit::reads(conn, self.name, id).await
    }
}
