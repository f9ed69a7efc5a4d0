//! Accounts: the admin creates, edits, disables and resets them.

use axum::extract::State;
use axum::http::StatusCode;
use serde_json::json;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};
use xuncha_api::users::{CreateUser, ResetPassword, Role, UpdateUser, UserView};
use xuncha_api::Problem;

use crate::access::Actor;
use crate::db::Columns;
use crate::db::{self, Tx};
use crate::error::on_unique;
use crate::extract::{Json, Path};
use crate::{audit, AppState, Error, Result};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(update))
        .routes(routes!(reset_password))
}

macro_rules! select_users {
    ($rest:literal) => {
        concat!(
            "SELECT u.id, u.username, u.display_name, u.role, u.org_id, u.active, o.name AS org_name ",
            "FROM users u LEFT JOIN orgs o ON o.id = u.org_id ",
            $rest
        )
    };
}

fn from_row(r: &AnyRow) -> Result<UserView> {
    Ok(UserView {
        id: r.try_get("id")?,
        username: r.try_get("username")?,
        display_name: r.try_get("display_name")?,
        role: r.enumerated("role", Role::parse)?,
        org_id: r.try_get("org_id")?,
        org_name: r.try_get("org_name")?,
        active: r.try_get::<i64, _>("active")? != 0,
    })
}

pub async fn view(conn: &mut AnyConnection, id: &str) -> Result<UserView> {
    let row = sqlx::query(select_users!("WHERE u.id = $1"))
        .bind(id)
        .fetch_optional(conn)
        .await?
        .ok_or(Error::NotFound)?;
    from_row(&row)
}

#[utoipa::path(get, operation_id = "users_list", path = "/api/users", tag = "users",
    responses((status = 200, body = Vec<UserView>), (status = 403, body = xuncha_api::ApiError)))]
pub async fn list(State(state): State<AppState>, actor: Actor) -> Result<Json<Vec<UserView>>> {
    actor.require_admin()?;
    let rows = sqlx::query(select_users!("ORDER BY u.role, u.username"))
        .fetch_all(&state.db.pool)
        .await?;
    Ok(Json(rows.iter().map(from_row).collect::<Result<_>>()?))
}

/// A unit liaison must be bound to an existing organisation; other roles are bound to none.
async fn check_org(tx: &mut Tx<'_>, role: Role, org_id: Option<&str>) -> Result<Option<String>> {
    if role != Role::Unit {
        return Ok(None);
    }
    let org_id = org_id
        .filter(|s| !s.is_empty())
        .ok_or_else(|| Error::invalid("org_id", Problem::Required))?;
    let exists: Option<String> = sqlx::query_scalar("SELECT id FROM orgs WHERE id = $1")
        .bind(org_id)
        .fetch_optional(&mut **tx)
        .await?;
    exists
        .map(Some)
        .ok_or_else(|| Error::invalid("org_id", Problem::UnknownReference))
}

#[utoipa::path(post, operation_id = "users_create", path = "/api/users", request_body = CreateUser, tag = "users",
    responses((status = 200, body = UserView), (status = 409, body = xuncha_api::ApiError),
              (status = 422, body = xuncha_api::ApiError)))]
pub async fn create(
    State(state): State<AppState>,
    actor: Actor,
    Json(req): Json<CreateUser>,
) -> Result<Json<UserView>> {
    actor.require_admin()?;
    req.validate().map_err(Error::Invalid)?;
    let hash = state.passwords.hash(req.password.clone()).await?;
    let mut tx = state.db.begin().await?;
    let user = insert(&mut tx, Some(&actor), &req, &hash).await?;
    tx.commit().await?;
    Ok(Json(user))
}

/// Creates an account inside the caller's transaction (also used by the demo data and the
/// bootstrap admin).
pub async fn insert(
    tx: &mut Tx<'_>,
    actor: Option<&Actor>,
    req: &CreateUser,
    hash: &str,
) -> Result<UserView> {
    let org_id = check_org(tx, req.role, req.org_id.as_deref()).await?;
    let id = db::new_id();
    let now = db::ts(db::now());
    sqlx::query(
        "INSERT INTO users (id, username, display_name, role, org_id, password_hash, active, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, 1, $7, $7)",
    )
    .bind(&id)
    .bind(&req.username)
    .bind(req.display_name.trim())
    .bind(req.role.as_str())
    .bind(&org_id)
    .bind(hash)
    .bind(&now)
    .execute(&mut **tx)
    .await
    .map_err(|e| on_unique(e, "username"))?;
    let user = view(tx, &id).await?;
    audit::record(
        tx,
        actor,
        "user.create",
        "user",
        Some(&id),
        json!({
            "username": user.username, "display_name": user.display_name,
            "role": user.role, "org_id": user.org_id,
        }),
    );
    Ok(user)
}

#[utoipa::path(patch, operation_id = "users_update", path = "/api/users/{id}", request_body = UpdateUser, tag = "users",
    params(("id" = String, Path)),
    responses((status = 200, body = UserView), (status = 422, body = xuncha_api::ApiError)))]
pub async fn update(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<String>,
    Json(req): Json<UpdateUser>,
) -> Result<Json<UserView>> {
    actor.require_admin()?;
    req.validate().map_err(Error::Invalid)?;
    let mut tx = state.db.begin().await?;
    let old = view(&mut tx, &id).await?;
    // An admin cannot lock themselves out.
    if id == actor.id {
        if req.active == Some(false) {
            return Err(Error::invalid("active", Problem::NotAllowed));
        }
        if req.role.is_some_and(|r| r != Role::Admin) {
            return Err(Error::invalid("role", Problem::NotAllowed));
        }
    }
    let role = req.role.unwrap_or(old.role);
    let org_id = if req.role.is_some() || req.org_id.is_some() {
        check_org(
            &mut tx,
            role,
            req.org_id.as_deref().or(old.org_id.as_deref()),
        )
        .await?
    } else {
        old.org_id.clone()
    };
    let active = req.active.unwrap_or(old.active);
    sqlx::query(
        "UPDATE users SET display_name = $1, role = $2, org_id = $3, active = $4, updated_at = $5 WHERE id = $6",
    )
    .bind(req.display_name.as_deref().map(str::trim).unwrap_or(&old.display_name))
    .bind(role.as_str())
    .bind(&org_id)
    .bind(db::flag(active))
    .bind(db::ts(db::now()))
    .bind(&id)
    .execute(&mut *tx)
    .await?;
    if !active || role != old.role || org_id != old.org_id {
        // What the account may see changed: its open sessions end.
        end_sessions(&mut tx, &id).await?;
    }
    let new = view(&mut tx, &id).await?;
    let detail = audit::diff(
        &serde_json::to_value(&old).unwrap_or_default(),
        &serde_json::to_value(&new).unwrap_or_default(),
    );
    audit::record(
        &mut tx,
        Some(&actor),
        "user.update",
        "user",
        Some(&id),
        detail,
    );
    tx.commit().await?;
    Ok(Json(new))
}

#[utoipa::path(post, operation_id = "users_reset_password", path = "/api/users/{id}/password", request_body = ResetPassword, tag = "users",
    params(("id" = String, Path)), responses((status = 204), (status = 422, body = xuncha_api::ApiError)))]
pub async fn reset_password(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<String>,
    Json(req): Json<ResetPassword>,
) -> Result<StatusCode> {
    actor.require_admin()?;
    req.validate().map_err(Error::Invalid)?;
    let hash = state.passwords.hash(req.new_password).await?;
    let mut tx = state.db.begin().await?;
    let done = sqlx::query("UPDATE users SET password_hash = $1, updated_at = $2 WHERE id = $3")
        .bind(&hash)
        .bind(db::ts(db::now()))
        .bind(&id)
        .execute(&mut *tx)
        .await?;
    if done.rows_affected() == 0 {
        return Err(Error::NotFound);
    }
    end_sessions(&mut tx, &id).await?;
    // A new password from the office lifts a lock on the account.
    let username: String = sqlx::query_scalar("SELECT username FROM users WHERE id = $1")
        .bind(&id)
        .fetch_one(&mut *tx)
        .await?;
    unlock(&mut tx, &state, &username).await?;
    audit::record(
        &mut tx,
        Some(&actor),
        "user.reset_password",
        "user",
        Some(&id),
        json!({}),
    );
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Creates the first admin from `username:password` when no active admin exists yet.
pub async fn bootstrap_admin(db: &crate::db::Db, spec: &str) -> anyhow::Result<()> {
    let (username, password) = spec
        .split_once(':')
        .ok_or_else(|| anyhow::anyhow!("XUNCHA_BOOTSTRAP_ADMIN must be username:password"))?;
    let admins: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM users WHERE role = 'admin' AND active = 1")
            .fetch_one(&db.pool)
            .await?;
    if admins > 0 {
        return Ok(());
    }
    let req = CreateUser {
        username: username.to_string(),
        display_name: "巡察办管理员".into(),
        role: Role::Admin,
        org_id: None,
        password: password.to_string(),
    };
    req.validate()
        .map_err(|e| anyhow::anyhow!("bootstrap admin: {} {:?}", e.field, e.problem))?;
    let hash = crate::passwords::hash_now(&req.password).map_err(|e| anyhow::anyhow!("{e}"))?;
    let mut tx = db.begin().await?;
    insert(&mut tx, None, &req, &hash)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    tx.commit().await?;
    tracing::info!(username, "created the first admin");
    Ok(())
}

/// The throttle counts failures per user name (kept only as a keyed hash: an unknown "name"
/// is often a password typed in the wrong box) and per client address (password spraying
/// across many names).
pub fn user_key(state: &AppState, username: &str) -> String {
    format!("user:{}", state.passwords.keyed(username))
}

/// Lifts a user name's lock (an admin reset the password).
pub async fn unlock(tx: &mut db::Tx<'_>, state: &AppState, username: &str) -> Result<()> {
    sqlx::query("DELETE FROM login_throttle WHERE username = $1")
        .bind(user_key(state, username))
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Signs every session of a user out (disabled account, reset password).
pub async fn end_sessions(tx: &mut db::Tx<'_>, user_id: &str) -> Result<()> {
    sqlx::query("DELETE FROM sessions WHERE user_id = $1")
        .bind(user_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}
