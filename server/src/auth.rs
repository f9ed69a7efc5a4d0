//! Sign-in, sessions and the `Actor` every handler is given.

use argon2::password_hash::rand_core::{OsRng, RngCore};
use axum::extract::{FromRequestParts, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use chrono::Duration;
use serde_json::json;
use sha2::{Digest, Sha256};
use sqlx::Row;
use xuncha_api::auth::{ChangePassword, LoginRequest, SessionInfo};
use xuncha_api::users::Role;
use xuncha_api::Problem;

use crate::access::Actor;
use crate::db;
use crate::db::Columns;
use crate::extract::Json;
use crate::{audit, users, AppState, Error, Result};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub const COOKIE: &str = "xuncha_session";

impl FromRequestParts<AppState> for Actor {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Actor> {
        let token = session_token(&parts.headers).ok_or(Error::Unauthenticated)?;
        authenticate(state, &token).await
    }
}

/// The session token from the cookie the browser holds, or a bearer header for scripts.
fn session_token(headers: &HeaderMap) -> Option<String> {
    if let Some(v) = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
    {
        if let Some(t) = v.strip_prefix("Bearer ") {
            return Some(t.trim().to_string());
        }
    }
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == COOKIE)
        .map(|(_, value)| value.to_string())
}

/// A timestamp read on its own, outside a row.
fn stored_ts(text: &str) -> Result<chrono::DateTime<chrono::Utc>> {
    db::parse_ts(text)
        .ok_or_else(|| Error::Internal(anyhow::anyhow!("unreadable timestamp {text:?}")))
}

fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

async fn authenticate(state: &AppState, token: &str) -> Result<Actor> {
    let hash = token_hash(token);
    let now = db::now();
    let row = sqlx::query(
        "SELECT u.id, u.username, u.display_name, u.role, u.org_id, s.expires_at \
         FROM sessions s JOIN users u ON u.id = s.user_id \
         WHERE s.token_hash = $1 AND u.active = 1",
    )
    .bind(&hash)
    .fetch_optional(&state.db.pool)
    .await?
    .ok_or(Error::Unauthenticated)?;
    let expires_at = row.timestamp("expires_at")?;
    if expires_at <= now {
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
            .bind(&hash)
            .execute(&state.db.pool)
            .await?;
        return Err(Error::Unauthenticated);
    }
    // Sliding expiry: renew once half the lifetime is used, so an active user stays in
    // without a write on every request.
    let ttl = Duration::seconds(state.config.session_ttl_secs);
    if expires_at - now < ttl / 2 {
        sqlx::query("UPDATE sessions SET expires_at = $1 WHERE token_hash = $2")
            .bind(db::ts(now + ttl))
            .bind(&hash)
            .execute(&state.db.pool)
            .await?;
    }
    Ok(Actor {
        id: row.try_get("id")?,
        username: row.try_get("username")?,
        display_name: row.try_get("display_name")?,
        role: row.enumerated("role", Role::parse)?,
        org_id: row.try_get("org_id")?,
    })
}

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(login))
        .routes(routes!(logout))
        .routes(routes!(me))
        .routes(routes!(change_password))
}

fn cookie(value: &str, max_age: i64, secure: bool) -> HeaderValue {
    let secure = if secure { "; Secure" } else { "" };
    HeaderValue::from_str(&format!(
        "{COOKIE}={value}; Path=/; HttpOnly; SameSite=Strict; Max-Age={max_age}{secure}"
    ))
    .expect("cookie is ASCII")
}

/// The address a request came from: the peer, or behind a trusted proxy the last hop it
/// names.
pub fn client_address(parts: &axum::http::request::Parts, trust_forwarded_for: bool) -> String {
    if trust_forwarded_for {
        if let Some(hop) = parts
            .headers
            .get("x-forwarded-for")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.rsplit(',').next())
            .map(str::trim)
            .filter(|h| h.parse::<std::net::IpAddr>().is_ok())
        {
            return hop.to_string();
        }
    }
    parts
        .extensions
        .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
        .map(|c| c.0.ip().to_string())
        .unwrap_or_default()
}

/// The client's address, as an extractor.
pub struct ClientAddress(pub String);

impl FromRequestParts<AppState> for ClientAddress {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<ClientAddress> {
        Ok(ClientAddress(client_address(
            parts,
            state.config.trust_forwarded_for,
        )))
    }
}

fn address_key(address: &str) -> String {
    format!("addr:{address}")
}

#[utoipa::path(post, operation_id = "auth_login", path = "/api/auth/login", request_body = LoginRequest, tag = "auth",
    responses((status = 200, body = SessionInfo), (status = 401, body = xuncha_api::ApiError),
              (status = 429, body = xuncha_api::ApiError), (status = 503, description = "Too many sign-ins at once; see Retry-After", body = xuncha_api::ApiError)))]
pub async fn login(
    State(state): State<AppState>,
    ClientAddress(address): ClientAddress,
    Json(req): Json<LoginRequest>,
) -> Result<Response> {
    req.validate().map_err(Error::Invalid)?;
    let username = req.username.trim().to_lowercase();
    let now = db::now();
    let keys = [
        (
            users::user_key(&state, &username),
            state.config.max_failed_logins,
        ),
        (
            address_key(&address),
            state.config.max_failed_logins_per_address,
        ),
    ];

    for (key, _) in &keys {
        let locked_until: Option<String> =
            sqlx::query_scalar("SELECT locked_until FROM login_throttle WHERE username = $1")
                .bind(key)
                .fetch_optional(&state.db.pool)
                .await?
                .flatten();
        if let Some(until) = locked_until.as_deref().map(stored_ts).transpose()? {
            if until > now {
                return Err(Error::Throttled((until - now).num_seconds().max(1) as u64));
            }
        }
    }

    let user =
        sqlx::query("SELECT id, password_hash FROM users WHERE username = $1 AND active = 1")
            .bind(&username)
            .fetch_optional(&state.db.pool)
            .await?;
    let (user_id, hash) = match &user {
        Some(row) => (
            Some(row.try_get::<String, _>("id")?),
            Some(row.try_get::<String, _>("password_hash")?),
        ),
        None => (None, None),
    };
    let verified = state.passwords.verify(req.password.clone(), hash).await?;
    // A hash made with older parameters is replaced while the password is at hand.
    let new_hash = if verified.rehash {
        Some(state.passwords.hash(req.password.clone()).await?)
    } else {
        None
    };

    let mut tx = state.db.begin().await?;
    let Some(user_id) = user_id.filter(|_| verified.ok) else {
        for (key, max) in &keys {
            record_failure(&mut tx, &state, key, *max).await?;
        }
        // The typed name is kept only for an account that exists.
        let detail = match &user {
            Some(_) => json!({ "username": username, "address": address }),
            None => {
                json!({ "username_hash": state.passwords.keyed(&username), "address": address })
            }
        };
        audit::record(&mut tx, None, "auth.login_failed", "user", None, detail);
        tx.commit().await?;
        return Err(Error::BadCredentials);
    };
    sqlx::query("DELETE FROM login_throttle WHERE username = $1")
        .bind(&keys[0].0)
        .execute(&mut *tx)
        .await?;
    if let Some(new_hash) = &new_hash {
        sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2")
            .bind(new_hash)
            .bind(&user_id)
            .execute(&mut *tx)
            .await?;
    }
    let token = new_token();
    let expires_at = now + Duration::seconds(state.config.session_ttl_secs);
    sqlx::query("INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)")
        .bind(token_hash(&token))
        .bind(&user_id)
        .bind(db::ts(now))
        .bind(db::ts(expires_at))
        .execute(&mut *tx)
        .await?;
    let user = users::view(&mut tx, &user_id).await?;
    let actor = Actor {
        id: user.id.clone(),
        username: user.username.clone(),
        display_name: user.display_name.clone(),
        role: user.role,
        org_id: user.org_id.clone(),
    };
    audit::record(
        &mut tx,
        Some(&actor),
        "auth.login",
        "user",
        Some(&user_id),
        json!({ "address": address, "rehashed": new_hash.is_some() }),
    );
    tx.commit().await?;

    let mut response = Json(SessionInfo { user, expires_at }).into_response();
    response.headers_mut().insert(
        header::SET_COOKIE,
        cookie(
            &token,
            state.config.session_ttl_secs,
            state.config.secure_cookie,
        ),
    );
    Ok(response)
}

/// Counts a failure against a throttle key and locks it once it reaches `max` in the window.
async fn record_failure(tx: &mut db::Tx<'_>, state: &AppState, key: &str, max: i64) -> Result<()> {
    let now = db::now();
    let window_start = db::ts(now - Duration::seconds(state.config.lockout_secs));
    // A failure older than the window starts a new count.
    sqlx::query(
        "INSERT INTO login_throttle (username, failures, first_failure_at, locked_until) \
         VALUES ($1, 1, $2, NULL) \
         ON CONFLICT (username) DO UPDATE SET \
           failures = CASE WHEN login_throttle.first_failure_at < $3 THEN 1 ELSE login_throttle.failures + 1 END, \
           first_failure_at = CASE WHEN login_throttle.first_failure_at < $3 THEN $2 ELSE login_throttle.first_failure_at END",
    )
    .bind(key)
    .bind(db::ts(now))
    .bind(&window_start)
    .execute(&mut **tx)
    .await?;
    sqlx::query(
        "UPDATE login_throttle SET locked_until = $1 WHERE username = $2 AND failures >= $3",
    )
    .bind(db::ts(now + Duration::seconds(state.config.lockout_secs)))
    .bind(key)
    .bind(max)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

fn new_token() -> String {
    let mut bytes = [0u8; 32];
    OsRng.fill_bytes(&mut bytes);
    hex::encode(bytes)
}

#[utoipa::path(post, operation_id = "auth_logout", path = "/api/auth/logout", tag = "auth", responses((status = 204)))]
pub async fn logout(State(state): State<AppState>, headers: HeaderMap) -> Result<Response> {
    if let Some(token) = session_token(&headers) {
        if let Ok(actor) = authenticate(&state, &token).await {
            let mut tx = state.db.begin().await?;
            sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
                .bind(token_hash(&token))
                .execute(&mut *tx)
                .await?;
            audit::record(
                &mut tx,
                Some(&actor),
                "auth.logout",
                "user",
                Some(&actor.id),
                json!({}),
            );
            tx.commit().await?;
        }
    }
    let mut response = StatusCode::NO_CONTENT.into_response();
    response.headers_mut().insert(
        header::SET_COOKIE,
        cookie("", 0, state.config.secure_cookie),
    );
    Ok(response)
}

#[utoipa::path(get, operation_id = "auth_me", path = "/api/auth/me", tag = "auth",
    responses((status = 200, body = SessionInfo), (status = 401, body = xuncha_api::ApiError)))]
pub async fn me(
    State(state): State<AppState>,
    headers: HeaderMap,
    actor: Actor,
) -> Result<Json<SessionInfo>> {
    let token = session_token(&headers).ok_or(Error::Unauthenticated)?;
    let expires_at: String =
        sqlx::query_scalar("SELECT expires_at FROM sessions WHERE token_hash = $1")
            .bind(token_hash(&token))
            .fetch_one(&state.db.pool)
            .await?;
    let mut conn = state.db.pool.acquire().await?;
    let user = users::view(&mut conn, &actor.id).await?;
    Ok(Json(SessionInfo {
        user,
        expires_at: stored_ts(&expires_at)?,
    }))
}

#[utoipa::path(post, operation_id = "auth_change_password", path = "/api/auth/password", request_body = ChangePassword, tag = "auth",
    responses((status = 204), (status = 422, body = xuncha_api::ApiError)))]
pub async fn change_password(
    State(state): State<AppState>,
    headers: HeaderMap,
    actor: Actor,
    Json(req): Json<ChangePassword>,
) -> Result<StatusCode> {
    req.validate().map_err(Error::Invalid)?;
    let hash: String = sqlx::query_scalar("SELECT password_hash FROM users WHERE id = $1")
        .bind(&actor.id)
        .fetch_one(&state.db.pool)
        .await?;
    if !state
        .passwords
        .verify(req.old_password, Some(hash))
        .await?
        .ok
    {
        return Err(Error::invalid("old_password", Problem::WrongPassword));
    }
    let new_hash = state.passwords.hash(req.new_password).await?;
    let current = session_token(&headers)
        .map(|t| token_hash(&t))
        .unwrap_or_default();
    let mut tx = state.db.begin().await?;
    sqlx::query("UPDATE users SET password_hash = $1, updated_at = $2 WHERE id = $3")
        .bind(&new_hash)
        .bind(db::ts(db::now()))
        .bind(&actor.id)
        .execute(&mut *tx)
        .await?;
    // Other devices signed in with the old password are signed out.
    sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND token_hash <> $2")
        .bind(&actor.id)
        .bind(&current)
        .execute(&mut *tx)
        .await?;
    audit::record(
        &mut tx,
        Some(&actor),
        "user.change_password",
        "user",
        Some(&actor.id),
        json!({}),
    );
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}
