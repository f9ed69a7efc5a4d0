//! Checklist templates: the built-in ones, the office's copies, edits and publication. A record
//! is always filled from the newest published version of its kind.

use serde_json::json;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};
use xuncha_api::checklists::{ChecklistKind, Template, UpdateTemplate};
use xuncha_api::users::Role;
use xuncha_api::{FieldError, Problem};

use crate::access::Actor;
use crate::checklists::builtin;
use crate::db::Columns;
use crate::db::{self, Db, Tx};
use crate::{audit, Error, Result};

fn template_from(r: &AnyRow) -> Result<Template> {
    Ok(Template {
        id: r.try_get("id")?,
        family: r.try_get("family")?,
        name: r.try_get("name")?,
        kind: r.enumerated("kind", ChecklistKind::parse)?,
        version: r.try_get("version")?,
        published: r.try_get::<i64, _>("published")? != 0,
        content: r.json("content")?,
    })
}

/// Puts the built-in village templates in place on first start.
pub async fn ensure_builtin(db: &Db) -> anyhow::Result<()> {
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM checklist_templates")
        .fetch_one(&db.pool)
        .await?;
    if n > 0 {
        return Ok(());
    }
    let mut tx = db.begin().await?;
    for (family, name, kind, content) in [
        (
            "village",
            "村（社区）巡察检查清单",
            ChecklistKind::Inspection,
            builtin::village(),
        ),
        (
            "village-self",
            "村（社区）自查清单",
            ChecklistKind::SelfCheck,
            builtin::village_self_check(),
        ),
    ] {
        let now = db::ts(db::now());
        sqlx::query(
            "INSERT INTO checklist_templates (id, family, name, kind, version, published, content, created_at, published_at) \
             VALUES ($1, $2, $3, $4, 1, 1, $5, $6, $6)",
        )
        .bind(db::new_id())
        .bind(family)
        .bind(name)
        .bind(kind.as_str())
        .bind(serde_json::to_string(&content)?)
        .bind(&now)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

pub async fn templates(conn: &mut AnyConnection, actor: &Actor) -> Result<Vec<Template>> {
    // Drafts are the office's work in progress.
    let rows = if actor.role == Role::Admin {
        sqlx::query("SELECT * FROM checklist_templates ORDER BY family, version DESC")
            .fetch_all(conn)
            .await?
    } else {
        sqlx::query(
            "SELECT * FROM checklist_templates WHERE published = 1 ORDER BY family, version DESC",
        )
        .fetch_all(conn)
        .await?
    };
    rows.iter().map(template_from).collect()
}

pub async fn template(conn: &mut AnyConnection, id: &str) -> Result<Template> {
    let row = sqlx::query("SELECT * FROM checklist_templates WHERE id = $1")
        .bind(id)
        .fetch_optional(conn)
        .await?
        .ok_or(Error::NotFound)?;
    template_from(&row)
}

/// A new draft version of the same family, copied from `id`.
pub async fn copy_template(tx: &mut Tx<'_>, actor: &Actor, id: &str) -> Result<Template> {
    actor.require_admin()?;
    let source = template(tx, id).await?;
    let next: i64 =
        sqlx::query_scalar("SELECT MAX(version) FROM checklist_templates WHERE family = $1")
            .bind(&source.family)
            .fetch_one(&mut **tx)
            .await?;
    let new_id = db::new_id();
    sqlx::query(
        "INSERT INTO checklist_templates (id, family, name, kind, version, published, content, created_at) \
         VALUES ($1, $2, $3, $4, $5, 0, $6, $7)",
    )
    .bind(&new_id)
    .bind(&source.family)
    .bind(&source.name)
    .bind(source.kind.as_str())
    .bind(next + 1)
    .bind(serde_json::to_string(&source.content).map_err(|e| anyhow::anyhow!(e))?)
    .bind(db::ts(db::now()))
    .execute(&mut **tx)
    .await?;
    audit::record(
        tx,
        Some(actor),
        "template.copy",
        "template",
        Some(&new_id),
        json!({ "from": id, "version": next + 1 }),
    );
    template(tx, &new_id).await
}

pub async fn update_template(
    tx: &mut Tx<'_>,
    actor: &Actor,
    id: &str,
    req: &UpdateTemplate,
) -> Result<Template> {
    actor.require_admin()?;
    let current = template(tx, id).await?;
    if current.published {
        // A published version never changes: copy it to a new draft instead.
        return Err(Error::Conflict(FieldError::new(
            "published",
            Problem::NotAllowed,
        )));
    }
    xuncha_api::validate::required_text(&req.name, 100).map_err(|p| Error::invalid("name", p))?;
    req.content.validate().map_err(Error::Invalid)?;
    sqlx::query("UPDATE checklist_templates SET name = $1, content = $2 WHERE id = $3")
        .bind(req.name.trim())
        .bind(serde_json::to_string(&req.content).map_err(|e| anyhow::anyhow!(e))?)
        .bind(id)
        .execute(&mut **tx)
        .await?;
    audit::record(
        tx,
        Some(actor),
        "template.update",
        "template",
        Some(id),
        json!({ "name": req.name }),
    );
    template(tx, id).await
}

pub async fn publish_template(tx: &mut Tx<'_>, actor: &Actor, id: &str) -> Result<Template> {
    actor.require_admin()?;
    let current = template(tx, id).await?;
    if current.published {
        return Err(Error::Conflict(FieldError::new(
            "published",
            Problem::NotAllowed,
        )));
    }
    current.content.validate().map_err(Error::Invalid)?;
    sqlx::query("UPDATE checklist_templates SET published = 1, published_at = $1 WHERE id = $2")
        .bind(db::ts(db::now()))
        .bind(id)
        .execute(&mut **tx)
        .await?;
    audit::record(
        tx,
        Some(actor),
        "template.publish",
        "template",
        Some(id),
        json!({ "version": current.version }),
    );
    template(tx, id).await
}

/// The template a target's checklist is (or will be) answered on: its record's, or the latest
/// published one while the team has not opened it.
pub async fn for_target(conn: &mut AnyConnection, target_id: &str) -> Result<Template> {
    let used: Option<String> = sqlx::query_scalar(
        "SELECT template_id FROM checklist_records WHERE target_id = $1 AND kind = 'inspection'",
    )
    .bind(target_id)
    .fetch_optional(&mut *conn)
    .await?;
    match used {
        Some(id) => template(conn, &id).await,
        None => latest_published(conn, ChecklistKind::Inspection).await,
    }
}

pub(super) async fn latest_published(
    conn: &mut AnyConnection,
    kind: ChecklistKind,
) -> Result<Template> {
    let row = sqlx::query(
        "SELECT * FROM checklist_templates WHERE kind = $1 AND published = 1 ORDER BY version DESC, created_at DESC",
    )
    .bind(kind.as_str())
    .fetch_optional(conn)
    .await?
    .ok_or(Error::NotFound)?;
    template_from(&row)
}
