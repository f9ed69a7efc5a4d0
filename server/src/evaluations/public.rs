//! The respondent's page (`/ceping`): the code from the slip (its QR code carries it), then the
//! questions on one plain form. No script, no account; what was chosen survives a refusal.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use axum::{Form, Router};
use xuncha_api::evaluations::{
    rating_key, Ballot, Dimension, RateQuestion, Rating, Subject, COMMENT_MAX,
};
use xuncha_api::Lang;

use super::store;
use crate::auth::ClientAddress;
use crate::extract::Query;
use crate::public::{self, PublicQuery};
use crate::{AppState, Error, Result};

pub fn router() -> Router<AppState> {
    Router::new().route("/ceping", get(start).post(send))
}

/// Code lookups per address and hour: a whole village's slips from one shared phone, far
/// fewer than guessing needs.
const TRIES_PER_ADDRESS: i64 = 120;

#[derive(Template)]
#[template(path = "public/evaluation_code.html")]
struct CodePage {
    lang: Lang,
    title: String,
    switch_href: Option<String>,
    action: &'static str,
    lang_query: &'static str,
    typed: String,
    error: Option<&'static str>,
}

struct Choice {
    value: &'static str,
    label: &'static str,
    checked: bool,
}

struct Question {
    key: String,
    label: String,
    options: Vec<Choice>,
    missing: bool,
}

#[derive(Template)]
#[template(path = "public/evaluation_form.html")]
struct FormPage {
    lang: Lang,
    title: String,
    switch_href: Option<String>,
    action: String,
    org_name: String,
    survey_title: String,
    code: String,
    rating_questions: Vec<Question>,
    rate_questions: Vec<Question>,
    comment: String,
    errors: Vec<String>,
}

#[derive(Template)]
#[template(path = "public/evaluation_done.html")]
struct DonePage {
    lang: Lang,
    title: String,
    switch_href: Option<String>,
    heading: &'static str,
    message: &'static str,
}

fn page_title(lang: Lang) -> String {
    lang.pick("民主测评", "Democratic evaluation").to_string()
}

fn lang_query(lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => "",
        Lang::En => "en",
    }
}

fn code_page(lang: Lang, typed: &str, error: Option<&'static str>) -> CodePage {
    CodePage {
        lang,
        title: page_title(lang),
        switch_href: Some(lang.pick("/ceping?lang=en", "/ceping").to_string()),
        action: "/ceping",
        lang_query: lang_query(lang),
        typed: typed.to_string(),
        error,
    }
}

/// The answers as sent: name → value.
type Sent = Vec<(String, String)>;

fn value<'a>(sent: &'a Sent, name: &str) -> Option<&'a str> {
    sent.iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

fn form_page(lang: Lang, opened: &store::Opened, code: &str, sent: &Sent, check: bool) -> FormPage {
    let mut errors = Vec::new();
    let mut rating_questions = Vec::new();
    for s in Subject::ALL {
        for d in Dimension::ALL {
            let key = rating_key(*s, *d);
            let chosen = value(sent, &key);
            let label = format!("{}·{}", s.label(lang), d.label(lang));
            let missing = check && chosen.and_then(Rating::parse).is_none();
            if missing {
                errors.push(label.clone());
            }
            rating_questions.push(Question {
                options: Rating::ALL
                    .iter()
                    .map(|r| Choice {
                        value: r.as_str(),
                        label: r.label(lang),
                        checked: chosen == Some(r.as_str()),
                    })
                    .collect(),
                key,
                label,
                missing,
            });
        }
    }
    let mut rate_questions = Vec::new();
    for q in RateQuestion::ALL {
        let chosen = value(sent, q.as_str());
        let missing = check && !matches!(chosen, Some("yes" | "no"));
        if missing {
            errors.push(q.label(lang).to_string());
        }
        rate_questions.push(Question {
            key: q.as_str().to_string(),
            label: q.label(lang).to_string(),
            options: [
                ("yes", lang.pick("是", "Yes")),
                ("no", lang.pick("否", "No")),
            ]
            .into_iter()
            .map(|(value, label)| Choice {
                value,
                label,
                checked: chosen == Some(value),
            })
            .collect(),
            missing,
        });
    }
    let comment = value(sent, "comment").unwrap_or("").to_string();
    if check && comment.chars().count() > COMMENT_MAX {
        errors.push(
            lang.pick(
                "意见建议不能超过 500 字",
                "Comments: at most 500 characters",
            )
            .to_string(),
        );
    }
    FormPage {
        lang,
        title: page_title(lang),
        // Switching language keeps the code: nothing is lost but the choices made.
        switch_href: Some(match lang {
            Lang::Zh => format!("/ceping?code={code}&lang=en"),
            Lang::En => format!("/ceping?code={code}"),
        }),
        action: match lang {
            Lang::Zh => "/ceping".to_string(),
            Lang::En => "/ceping?lang=en".to_string(),
        },
        org_name: opened.org_name.clone(),
        survey_title: opened.title.clone(),
        code: code.to_string(),
        rating_questions,
        rate_questions,
        comment,
        errors,
    }
}

fn ballot(sent: &Sent) -> Ballot {
    let yes = |name: &str| match value(sent, name) {
        Some("yes") => Some(true),
        Some("no") => Some(false),
        _ => None,
    };
    let mut ratings = Vec::new();
    for s in Subject::ALL {
        for d in Dimension::ALL {
            let key = rating_key(*s, *d);
            if let Some(r) = value(sent, &key).and_then(Rating::parse) {
                ratings.push((key, r));
            }
        }
    }
    Ballot {
        ratings,
        know: yes("know"),
        took_part: yes("took_part"),
        satisfied: yes("satisfied"),
        comment: value(sent, "comment").unwrap_or("").to_string(),
    }
}

const WRONG_CODE: (&str, &str) = (
    "测评码不正确，请核对测评票后重新输入。",
    "This code is not right; check your slip and try again.",
);
const USED_CODE: (&str, &str) = (
    "这个测评码已经使用过了。每个测评码只能提交一次。",
    "This code was used already. Each code can be sent once.",
);

/// Counts a try against the address, committed whatever comes of it.
async fn allowed(state: &AppState, address: &str) -> Result<bool> {
    let mut tx = state.db.begin().await?;
    let key = format!("evaluation|addr|{}", state.passwords.keyed(address));
    let ok = public::within_rate(&mut tx, &key, TRIES_PER_ADDRESS).await?;
    tx.commit().await?;
    Ok(ok)
}

const TOO_MANY: (&str, &str) = (
    "尝试次数太多，请稍后再试。",
    "Too many tries; please try again later.",
);

#[derive(serde::Deserialize)]
pub struct Start {
    code: Option<String>,
    lang: Option<String>,
}

pub async fn start(
    State(state): State<AppState>,
    ClientAddress(address): ClientAddress,
    Query(q): Query<Start>,
) -> Result<Response> {
    let lang = PublicQuery { lang: q.lang }.lang();
    let Some(typed) = q.code.filter(|c| !c.trim().is_empty()) else {
        return Ok(public::page(
            StatusCode::OK,
            &code_page(lang, "", None),
            None,
        ));
    };
    if !allowed(&state, &address).await? {
        let page = code_page(lang, &typed, Some(lang.pick(TOO_MANY.0, TOO_MANY.1)));
        return Ok(public::page(StatusCode::TOO_MANY_REQUESTS, &page, None));
    }
    let mut conn = state.db.pool.acquire().await?;
    let opened = match store::normalise_code(&typed) {
        Some(code) => store::open(&mut conn, &code).await?.map(|o| (code, o)),
        None => None,
    };
    Ok(match opened {
        None => public::page(
            StatusCode::NOT_FOUND,
            &code_page(lang, &typed, Some(lang.pick(WRONG_CODE.0, WRONG_CODE.1))),
            None,
        ),
        Some((_, o)) if o.used => public::page(
            StatusCode::CONFLICT,
            &code_page(lang, &typed, Some(lang.pick(USED_CODE.0, USED_CODE.1))),
            None,
        ),
        Some((code, o)) => public::page(
            StatusCode::OK,
            &form_page(lang, &o, &code, &Vec::new(), false),
            None,
        ),
    })
}

pub async fn send(
    State(state): State<AppState>,
    ClientAddress(address): ClientAddress,
    Query(q): Query<PublicQuery>,
    Form(sent): Form<Sent>,
) -> Result<Response> {
    let lang = q.lang();
    let typed = value(&sent, "code").unwrap_or("").to_string();
    if !allowed(&state, &address).await? {
        let page = code_page(lang, &typed, Some(lang.pick(TOO_MANY.0, TOO_MANY.1)));
        return Ok(public::page(StatusCode::TOO_MANY_REQUESTS, &page, None));
    }
    let mut tx = state.db.begin().await?;
    let opened = match store::normalise_code(&typed) {
        Some(code) => store::open(&mut tx, &code).await?.map(|o| (code, o)),
        None => None,
    };
    let Some((code, opened)) = opened else {
        let page = code_page(lang, &typed, Some(lang.pick(WRONG_CODE.0, WRONG_CODE.1)));
        return Ok(public::page(StatusCode::NOT_FOUND, &page, None));
    };
    let b = ballot(&sent);
    match store::respond(&mut tx, &code, &b).await {
        Ok(()) => {}
        Err(Error::Invalid(_)) => {
            let page = form_page(lang, &opened, &code, &sent, true);
            return Ok(public::page(StatusCode::UNPROCESSABLE_ENTITY, &page, None));
        }
        Err(Error::Conflict(_)) => {
            let page = code_page(lang, &typed, Some(lang.pick(USED_CODE.0, USED_CODE.1)));
            return Ok(public::page(StatusCode::CONFLICT, &page, None));
        }
        Err(e) => return Err(e),
    }
    tx.commit().await?;
    let page = DonePage {
        lang,
        title: page_title(lang),
        switch_href: None,
        heading: lang.pick("测评已提交，谢谢您！", "Thank you: your answers are in."),
        message: lang.pick(
            "您的测评不记名，与测评码、手机和提交时间都没有关联。",
            "They are kept with no link to your code, your phone or the time you sent them.",
        ),
    };
    Ok(public::page(StatusCode::OK, &page, None))
}
