//! What the plain pages for villagers share (the disclosure page, petitions, and what follows):
//! one layout and stylesheet, the language switch, one-time form tokens and submission counts.
//! They are rendered on the server from askama templates, work without JavaScript, and never
//! load the WebAssembly app.

use askama::Template;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use chrono::Duration;
use tower_http::set_header::SetResponseHeaderLayer;
use xuncha_api::Lang;

use crate::db::{self, Tx};
use crate::{evaluations, petitions, rectification, AppState, Error, Result};

/// The public pages live outside /api: plain HTML that needs no sign-in and no script.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/gongkai/{id}", get(rectification::public::page))
        .route("/public.css", get(stylesheet))
        .merge(petitions::public::router())
        .merge(evaluations::public::router())
        // No script at all, not even one slipped into a template: the pages must work, and be
        // safe, without it. Forms post only back here.
        .layer(SetResponseHeaderLayer::overriding(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(
                "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; \
                 base-uri 'none'; frame-ancestors 'none'",
            ),
        ))
}

/// Chinese unless English is asked for: the pages are for villagers first, and many phones
/// send an English Accept-Language whatever their owner reads.
#[derive(Debug, Default, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PublicQuery {
    /// `en` for English.
    pub lang: Option<String>,
}

impl PublicQuery {
    pub fn lang(&self) -> Lang {
        Lang::from_code(self.lang.as_deref().unwrap_or("zh"))
    }
}

/// The page a template renders, with its status; `no-store` unless `cache` says otherwise, so
/// a tracking code shown once is never kept by a proxy.
pub fn page(status: StatusCode, template: &impl Template, cache: Option<&'static str>) -> Response {
    match template.render() {
        Ok(html) => {
            let mut r = (status, Html(html)).into_response();
            r.headers_mut().insert(
                header::CACHE_CONTROL,
                HeaderValue::from_static(cache.unwrap_or("no-store")),
            );
            r
        }
        Err(e) => Error::Internal(anyhow::anyhow!("template: {e}")).into_response(),
    }
}

pub async fn stylesheet() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=86400"),
        ],
        CSS,
    )
}

/// Large type and tap targets for a cheap phone held in one hand; nothing loaded from
/// elsewhere.
const CSS: &str = "body{font-family:system-ui,'Noto Sans CJK SC',sans-serif;margin:0;color:#1f2328;background:#f6f7f9;line-height:1.6;font-size:1.05rem}\
header,main,footer{max-width:46rem;margin:0 auto;padding:1rem}header{background:#b71c1c;color:#fff;max-width:none}\
header h1{max-width:46rem;margin:0 auto;font-size:1.3rem}ol{padding:0;list-style:none}\
li,.card{background:#fff;border-radius:6px;padding:.8rem 1rem;margin:.6rem 0;box-shadow:0 1px 2px #0002}\
h2{font-size:1.05rem;margin:.2rem 0}.area{color:#b71c1c;font-size:.9rem}dl{margin:.3rem 0}dt{font-weight:600}dd{margin:0 0 .3rem}\
label{display:block;font-weight:600;margin:1rem 0 .3rem}.hint{color:#57606a;font-size:.9rem;margin:.2rem 0}\
input,textarea,button{font:inherit;box-sizing:border-box;width:100%;min-height:44px;padding:.5rem;border:1px solid #8c959f;border-radius:6px;background:#fff}\
textarea{min-height:9rem}input[type=file]{border:0;padding:.5rem 0}\
button{background:#b71c1c;color:#fff;border:0;font-weight:600;margin-top:1.2rem}\
.error{color:#a40e26;font-weight:600;margin:.2rem 0}.alert{border-left:4px solid #a40e26;background:#fff5f5;padding:.6rem 1rem}\
.alert ul{list-style:disc;padding-left:1.2rem}.alert li{background:none;box-shadow:none;padding:0;margin:.2rem 0}\
.code{font-size:1.6rem;font-weight:700;letter-spacing:.08em;word-spacing:.3em;background:#fff;border:2px dashed #b71c1c;padding:.6rem;text-align:center}\
.hp{position:absolute;left:-10000px;width:1px;height:1px;overflow:hidden}\
a{color:#0b57d0;display:inline-block;min-height:44px;line-height:44px}\
fieldset{border:0;margin:.6rem 0}legend{font-weight:600;padding:0;float:left;width:100%;margin-bottom:.3rem}\
fieldset>label,fieldset>p{clear:both}\
.choice{display:flex;align-items:center;gap:.6rem;font-weight:400;margin:.1rem 0;min-height:44px}\
input[type=radio]{width:1.4rem;height:1.4rem;min-height:0;margin:0}\
body.notice{background:#fff}.notice h1{text-align:center;font-size:1.8rem}.qr{text-align:center;margin:1.5rem 0}\
.qr svg{width:14rem;height:14rem}@page{size:A4;margin:2cm}\
footer{color:#57606a;font-size:.85rem}";

/// Where villagers reach this server, for the QR codes printed on notices and slips: the
/// configured public address, else the one the office's browser used.
pub fn origin(state: &AppState, headers: &axum::http::HeaderMap) -> String {
    match &state.config.public_url {
        Some(url) => url.trim_end_matches('/').to_string(),
        None => {
            let host = headers
                .get(header::HOST)
                .and_then(|h| h.to_str().ok())
                .unwrap_or("localhost");
            let scheme = if state.config.secure_cookie {
                "https"
            } else {
                "http"
            };
            format!("{scheme}://{host}")
        }
    }
}

/// How long a form may stay open on a phone before it is sent.
const FORM_TTL_HOURS: i64 = 24;

/// A token for one form of one page: `nonce.issued.mac`, the MAC keyed with the server's own
/// key, so a page elsewhere cannot post a form it never received; used once.
pub fn form_token(state: &AppState, purpose: &str) -> String {
    use argon2::password_hash::rand_core::{OsRng, RngCore};
    let mut nonce = [0u8; 16];
    OsRng.fill_bytes(&mut nonce);
    let nonce = hex::encode(nonce);
    let issued = db::now().timestamp();
    let mac = state
        .passwords
        .keyed(&format!("form|{purpose}|{nonce}|{issued}"));
    format!("{nonce}.{issued}.{mac}")
}

/// Why a form token is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenRefusal {
    /// Missing, altered, for another page, or too old.
    Invalid,
    /// Already used: the form was sent once.
    Used,
}

/// Checks a token and marks it used in the submission's transaction: if the submission fails,
/// the token is still good for the corrected form.
pub async fn use_form_token(
    tx: &mut Tx<'_>,
    state: &AppState,
    purpose: &str,
    token: &str,
) -> Result<std::result::Result<(), TokenRefusal>> {
    let mut parts = token.split('.');
    let (Some(nonce), Some(issued), Some(mac), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Ok(Err(TokenRefusal::Invalid));
    };
    let expected = state
        .passwords
        .keyed(&format!("form|{purpose}|{nonce}|{issued}"));
    let fresh = issued.parse::<i64>().ok().is_some_and(|t| {
        let age = db::now().timestamp() - t;
        (-300..FORM_TTL_HOURS * 3600).contains(&age)
    });
    if !fresh || !constant_time_eq(expected.as_bytes(), mac.as_bytes()) {
        return Ok(Err(TokenRefusal::Invalid));
    }
    let inserted = sqlx::query(
        "INSERT INTO used_form_tokens (nonce, used_at) VALUES ($1, $2) ON CONFLICT (nonce) DO NOTHING",
    )
    .bind(nonce)
    .bind(db::ts(db::now()))
    .execute(&mut **tx)
    .await?
    .rows_affected();
    Ok(if inserted == 1 {
        Ok(())
    } else {
        Err(TokenRefusal::Used)
    })
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Counts one submission against `key` in the current hour; `false` once that makes more than
/// `max`. In the submission's transaction, so two at once are both counted and a failed one
/// not at all.
pub async fn within_rate(tx: &mut Tx<'_>, key: &str, max: i64) -> Result<bool> {
    let now = db::now();
    let window_start = db::ts(now - Duration::hours(1));
    let count: i64 = sqlx::query_scalar(
        "INSERT INTO public_rate (key, window_start, count) VALUES ($1, $2, 1) \
         ON CONFLICT (key) DO UPDATE SET \
           count = CASE WHEN public_rate.window_start < $3 THEN 1 ELSE public_rate.count + 1 END, \
           window_start = CASE WHEN public_rate.window_start < $3 THEN $2 ELSE public_rate.window_start END \
         RETURNING count",
    )
    .bind(key)
    .bind(db::ts(now))
    .bind(&window_start)
    .fetch_one(&mut **tx)
    .await?;
    Ok(count <= max)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_compare_whole() {
        assert!(constant_time_eq(b"abc", b"abc"));
        assert!(!constant_time_eq(b"abc", b"abd"));
        assert!(!constant_time_eq(b"abc", b"ab"));
    }
}
