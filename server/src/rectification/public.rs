//! The public disclosure page (整改情况公开) of one organisation: what was found and how it was
//! put right, for anyone, without signing in. It shows closed tasks only, in the team's plain
//! words; never a clue, a petitioner, a person's report or an evidence file.

use axum::extract::State;
use axum::http::{header, HeaderValue};
use axum::response::{Html, IntoResponse, Response};
use sqlx::{AnyConnection, Row};
use xuncha_api::checklists::FocusPoint;
use xuncha_api::findings::FindingSource;
use xuncha_api::rectification::{PublicDisclosure, PublicItem};
use xuncha_api::Lang;

use crate::db::Columns;
use crate::extract::{Json, Path, Query};
use crate::public::PublicQuery;
use crate::{AppState, Error, Result};

pub async fn disclosure(
    conn: &mut AnyConnection,
    org_id: &str,
    lang: Lang,
) -> Result<PublicDisclosure> {
    let org_name: String = sqlx::query_scalar("SELECT name FROM orgs WHERE id = $1 AND active = 1")
        .bind(org_id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(Error::NotFound)?;
    // Only what the closing office let out: the finding's focus and title, the measures, the
    // day. Descriptions, people, progress notes and files stay inside.
    let rows = sqlx::query(
        "SELECT f.focus, f.title, f.source, t.measures, t.public_text, e.at FROM rectification_tasks t \
         JOIN findings f ON f.id = t.finding_id \
         JOIN task_events e ON e.task_id = t.id AND e.to_status = 'closed' \
         WHERE t.org_id = $1 AND t.status = 'closed' ORDER BY e.at DESC, t.id",
    )
    .bind(org_id)
    .fetch_all(&mut *conn)
    .await?;
    let mut items = Vec::new();
    for r in rows {
        let area = r
            .enumerated("focus", FocusPoint::parse)?
            .label(lang)
            .to_string();
        // What came from a petition or a private talk can point at whoever spoke, in the
        // title or in measures written after it: both give way to plain wording.
        let (problem, measures) = match r
            .enumerated("source", FindingSource::parse)?
            .plain_wording(lang)
        {
            Some(plain) => (plain.problem.to_string(), plain.measures_done.to_string()),
            None => (r.try_get("title")?, r.try_get("measures")?),
        };
        // The office's own words at closing, when it wrote any, say what was done.
        let public_text: String = r.try_get("public_text")?;
        let measures = if public_text.trim().is_empty() {
            measures
        } else {
            public_text
        };
        items.push(PublicItem {
            area,
            problem,
            measures,
            closed_on: r.timestamp("at")?.date_naive(),
        });
    }
    Ok(PublicDisclosure { org_name, items })
}

#[utoipa::path(get, operation_id = "rectification_public", path = "/api/public/orgs/{id}/rectification", tag = "rectification",
    params(("id" = String, Path), PublicQuery), responses((status = 200, description = "Closed tasks in plain words; no sign-in", body = PublicDisclosure)))]
pub async fn json(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Query(q): Query<PublicQuery>,
) -> Result<Json<PublicDisclosure>> {
    let mut conn = state.db.pool.acquire().await?;
    Ok(Json(disclosure(&mut conn, &id, q.lang()).await?))
}

/// The same as a plain page: it opens in any browser, WeChat's included, with no script.
pub async fn page(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Query(q): Query<PublicQuery>,
) -> Result<Response> {
    let lang = q.lang();
    let mut conn = state.db.pool.acquire().await?;
    let d = disclosure(&mut conn, &id, lang).await?;
    let mut r = Html(render(&d, lang)).into_response();
    r.headers_mut().insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=300"),
    );
    Ok(r)
}

fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

pub fn render(d: &PublicDisclosure, lang: Lang) -> String {
    let title = format!(
        "{}{}",
        escape(&d.org_name),
        lang.pick("巡察整改情况公开", " — rectification after inspection")
    );
    let mut body = String::new();
    if d.items.is_empty() {
        body.push_str(&format!(
            "<p>{}</p>",
            lang.pick(
                "暂无已销号的整改事项。",
                "No rectification task has been closed yet."
            )
        ));
    } else {
        body.push_str(&format!(
            "<p>{}</p><ol>",
            match lang {
                Lang::Zh => format!("已完成整改并销号 {} 项。", d.items.len()),
                Lang::En => format!("{} tasks put right and closed.", d.items.len()),
            }
        ));
        for i in &d.items {
            body.push_str(&format!(
                "<li><p class=\"area\">{}</p><h2>{}</h2><dl><dt>{}</dt><dd>{}</dd><dt>{}</dt><dd>{}</dd></dl></li>",
                escape(&i.area),
                escape(&i.problem),
                lang.pick("整改措施及成效", "What was done"),
                escape(&i.measures),
                lang.pick("销号日期", "Closed on"),
                i.closed_on.format("%Y-%m-%d"),
            ));
        }
        body.push_str("</ol>");
    }
    format!(
        "<!doctype html><html lang=\"{}\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">\
         <title>{title}</title><link rel=\"stylesheet\" href=\"/public.css\"></head>\
         <body><header><h1>{title}</h1></header><main>{body}</main>\
         <footer><p>{}</p><p><a href=\"?lang={}\">{}</a></p></footer></body></html>",
        lang.pick("zh-CN", "en"),
        lang.pick(
            "本页公开巡察发现问题的整改结果，由巡察机构销号后发布。",
            "Published by the inspection office once each task is closed."
        ),
        lang.pick("en", "zh"),
        lang.pick("English", "中文"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_page_escapes_what_people_typed() {
        let d = PublicDisclosure {
            org_name: "青石村<script>".into(),
            items: vec![PublicItem {
                area: "作风".into(),
                problem: "a & <b>".into(),
                measures: "\"x\"".into(),
                closed_on: chrono::NaiveDate::from_ymd_opt(2026, 5, 1).unwrap(),
            }],
        };
        let html = render(&d, Lang::Zh);
        assert!(html.contains("青石村&lt;script&gt;"));
        assert!(html.contains("a &amp; &lt;b&gt;"));
        assert!(html.contains("&quot;x&quot;"));
        assert!(!html.contains("<script>"));
        assert!(html.contains("已完成整改并销号 1 项"));
    }
}
