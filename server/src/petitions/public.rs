//! The villager's petition page (`/xinfang/{org}`) and the status lookup (`/chaxun`): plain
//! forms, no script, no account. What was typed survives every refusal; a photo cannot (a
//! browser never refills a file input), and the page says so.

use askama::Template;
use axum::extract::{DefaultBodyLimit, Multipart, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use axum::{Form, Router};
use xuncha_api::petitions::{self as api, PublicPetition, PHOTOS_MAX};
use xuncha_api::{validate, Lang, Problem};

use super::notice::{self, Window};
use super::store::{self, Photo, PublicStatus};
use crate::auth::ClientAddress;
use crate::extract::{Path, Query};
use crate::public::{self, PublicQuery, TokenRefusal};
use crate::{db, AppState, Result};

pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/xinfang/{org}",
            get(form)
                .post(submit)
                // Three photos and the text; the photos' own limit is checked one by one.
                .layer(DefaultBodyLimit::max(
                    PHOTOS_MAX * crate::files::MAX + 256 * 1024,
                )),
        )
        .route("/chaxun", get(status_form).post(status))
}

const PHOTO_TYPES: [&str; 3] = ["image/jpeg", "image/png", "image/webp"];

fn purpose(org_id: &str) -> String {
    format!("petition|{org_id}")
}

fn with_lang(path: &str, lang: Lang) -> String {
    match lang {
        Lang::Zh => path.to_string(),
        Lang::En => format!("{path}?lang=en"),
    }
}

fn switch(path: &str, lang: Lang) -> Option<String> {
    Some(match lang {
        Lang::Zh => format!("{path}?lang=en"),
        Lang::En => path.to_string(),
    })
}

#[derive(Template)]
#[template(path = "public/petition_form.html")]
struct FormPage {
    lang: Lang,
    title: String,
    switch_href: Option<String>,
    status_href: String,
    action: String,
    w: Window,
    token: String,
    form: PublicPetition,
    errors: Vec<(&'static str, String)>,
    photos_lost: bool,
}

impl FormPage {
    fn error(&self, field: &str) -> Option<&str> {
        self.errors
            .iter()
            .find(|(f, _)| *f == field)
            .map(|(_, m)| m.as_str())
    }
}

#[derive(Template)]
#[template(path = "public/petition_done.html")]
struct DonePage {
    lang: Lang,
    title: String,
    switch_href: Option<String>,
    status_href: String,
    code: String,
}

#[derive(Template)]
#[template(path = "public/petition_closed.html")]
struct ClosedPage {
    lang: Lang,
    title: String,
    switch_href: Option<String>,
    status_href: String,
    w: Option<Window>,
}

#[derive(Template)]
#[template(path = "public/petition_status.html")]
struct StatusPage {
    lang: Lang,
    title: String,
    switch_href: Option<String>,
    action: String,
    found: Option<PublicStatus>,
    not_found: bool,
    throttled: bool,
}

fn title(w: Option<&Window>, lang: Lang) -> String {
    match w {
        Some(w) => format!(
            "{}{}",
            w.org_name,
            lang.pick("巡察信访举报", " — report to the inspection team")
        ),
        None => lang
            .pick("巡察信访举报", "Report to the inspection team")
            .to_string(),
    }
}

fn closed(status: StatusCode, w: Option<Window>, lang: Lang, path: &str) -> Response {
    let page = ClosedPage {
        lang,
        title: title(w.as_ref(), lang),
        switch_href: switch(path, lang),
        status_href: with_lang("/chaxun", lang),
        w,
    };
    public::page(status, &page, None)
}

fn form_page(
    state: &AppState,
    status: StatusCode,
    w: Window,
    lang: Lang,
    form: PublicPetition,
    errors: Vec<(&'static str, String)>,
    photos_lost: bool,
) -> Response {
    let path = w.petition_path();
    let page = FormPage {
        lang,
        title: title(Some(&w), lang),
        switch_href: switch(&path, lang),
        status_href: with_lang("/chaxun", lang),
        action: with_lang(&path, lang),
        token: public::form_token(state, &purpose(&w.org_id)),
        w,
        form,
        errors,
        photos_lost,
    };
    public::page(status, &page, None)
}

pub async fn form(
    State(state): State<AppState>,
    Path(org): Path<String>,
    Query(q): Query<PublicQuery>,
) -> Result<Response> {
    let lang = q.lang();
    let mut conn = state.db.pool.acquire().await?;
    let w = notice::for_org(&mut conn, &org, db::now().date_naive()).await?;
    let path = format!("/xinfang/{org}");
    Ok(match w {
        Some(w) if w.open => form_page(
            &state,
            StatusCode::OK,
            w,
            lang,
            PublicPetition::default(),
            Vec::new(),
            false,
        ),
        Some(w) => closed(StatusCode::OK, Some(w), lang, &path),
        None => closed(StatusCode::NOT_FOUND, None, lang, &path),
    })
}

/// What came in the form, as far as it could be read.
#[derive(Default)]
struct Received {
    token: String,
    honeypot: String,
    form: PublicPetition,
    photos: Vec<Photo>,
    /// The body could not be read to its end (too large, cut off).
    unreadable: bool,
}

async fn read_form(mut multipart: Multipart) -> Received {
    let mut got = Received::default();
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(_) => {
                got.unreadable = true;
                break;
            }
        };
        let name = field.name().unwrap_or("").to_string();
        if name == "photos" {
            let content_type = field.content_type().unwrap_or("").to_string();
            let empty_choice = field.file_name().is_none_or(str::is_empty);
            match field.bytes().await {
                // A file input left empty still sends a part with no name and no bytes.
                Ok(bytes) if empty_choice && bytes.is_empty() => {}
                Ok(bytes) => got.photos.push(Photo {
                    content_type,
                    bytes: bytes.to_vec(),
                }),
                Err(_) => {
                    got.unreadable = true;
                    break;
                }
            }
            continue;
        }
        let text = match field.text().await {
            Ok(t) => t,
            Err(_) => {
                got.unreadable = true;
                break;
            }
        };
        match name.as_str() {
            "token" => got.token = text,
            "website" => got.honeypot = text,
            "content" => got.form.content = text,
            "concerns" => got.form.concerns = text,
            "contact" => got.form.contact = text,
            _ => {}
        }
    }
    got
}

fn text_errors(form: &PublicPetition, lang: Lang) -> Vec<(&'static str, String)> {
    let mut errors = Vec::new();
    let checks: [(&'static str, &str, &str, Result<(), Problem>); 3] = [
        (
            "content",
            "反映的问题",
            "What happened",
            validate::required_text(&form.content, api::CONTENT_MAX),
        ),
        (
            "concerns",
            "反映对象",
            "Whom it concerns",
            validate::optional_text(&form.concerns, api::CONCERNS_MAX),
        ),
        (
            "contact",
            "联系电话",
            "Phone number",
            validate::optional_text(&form.contact, api::CONTACT_MAX),
        ),
    ];
    for (field, zh, en, result) in checks {
        if let Err(problem) = result {
            let message = match (field, &problem, lang) {
                ("content", Problem::Required, Lang::Zh) => "请写下您要反映的问题。".to_string(),
                ("content", Problem::Required, Lang::En) => {
                    "Please write what happened.".to_string()
                }
                _ => format!("{}：{}", lang.pick(zh, en), problem.message(lang)),
            };
            errors.push((field, message));
        }
    }
    errors
}

fn photo_errors(photos: &[Photo], lang: Lang) -> Option<String> {
    if photos.len() > PHOTOS_MAX {
        return Some(
            lang.pick("最多只能上传 3 张照片。", "At most 3 photos.")
                .to_string(),
        );
    }
    for p in photos {
        if !PHOTO_TYPES.contains(&p.content_type.as_str()) {
            return Some(
                lang.pick(
                    "只能上传照片（JPG、PNG 或 WEBP 格式）。",
                    "Only photos (JPG, PNG or WEBP) can be sent.",
                )
                .to_string(),
            );
        }
        if p.bytes.len() > crate::files::MAX {
            return Some(
                lang.pick(
                    "每张照片不能超过 5 MB。",
                    "Each photo must be at most 5 MB.",
                )
                .to_string(),
            );
        }
        if crate::files::check(&p.content_type, &p.bytes).is_err() {
            return Some(
                lang.pick(
                    "有一张照片无法识别，请换一张。",
                    "One of the photos could not be read; please choose another.",
                )
                .to_string(),
            );
        }
    }
    None
}

pub async fn submit(
    State(state): State<AppState>,
    ClientAddress(address): ClientAddress,
    Path(org): Path<String>,
    Query(q): Query<PublicQuery>,
    multipart: Multipart,
) -> Result<Response> {
    let lang = q.lang();
    let path = format!("/xinfang/{org}");
    let got = read_form(multipart).await;
    let mut tx = state.db.begin().await?;
    let w = notice::for_org(&mut tx, &org, db::now().date_naive()).await?;
    let w = match w {
        Some(w) if w.open => w,
        Some(w) => return Ok(closed(StatusCode::FORBIDDEN, Some(w), lang, &path)),
        None => return Ok(closed(StatusCode::NOT_FOUND, None, lang, &path)),
    };
    let had_photos = !got.photos.is_empty();
    let refuse = |status: StatusCode, errors: Vec<(&'static str, String)>, w: Window| {
        form_page(
            &state,
            status,
            w,
            lang,
            got.form.clone(),
            errors,
            had_photos,
        )
    };
    if got.unreadable {
        return Ok(refuse(
            StatusCode::PAYLOAD_TOO_LARGE,
            vec![(
                "photos",
                lang.pick(
                    "照片太大或网络中断，没有收到完整的内容。每张照片不能超过 5 MB。",
                    "The photos were too large or the connection broke. Each photo must be at most 5 MB.",
                )
                .to_string(),
            )],
            w,
        ));
    }
    // Something typed into a field no person sees: a robot. Told plainly, stored nowhere.
    if !got.honeypot.is_empty() {
        return Ok(refuse(
            StatusCode::BAD_REQUEST,
            vec![(
                "form",
                lang.pick("无法提交。", "This form cannot be sent.")
                    .to_string(),
            )],
            w,
        ));
    }
    let mut errors = text_errors(&got.form, lang);
    if let Some(e) = photo_errors(&got.photos, lang) {
        errors.push(("photos", e));
    }
    if !errors.is_empty() {
        let status = if errors.iter().any(|(f, _)| *f == "photos")
            && got.photos.iter().any(|p| p.bytes.len() > crate::files::MAX)
        {
            StatusCode::PAYLOAD_TOO_LARGE
        } else {
            StatusCode::UNPROCESSABLE_ENTITY
        };
        return Ok(refuse(status, errors, w));
    }
    match public::use_form_token(&mut tx, &state, &purpose(&w.org_id), &got.token).await? {
        Ok(()) => {}
        Err(TokenRefusal::Invalid) => {
            return Ok(refuse(
                StatusCode::BAD_REQUEST,
                vec![(
                    "form",
                    lang.pick(
                        "页面已过期，请核对内容后再提交一次。",
                        "This page has expired; check what you wrote and send it again.",
                    )
                    .to_string(),
                )],
                w,
            ));
        }
        Err(TokenRefusal::Used) => {
            return Ok(refuse(
                StatusCode::CONFLICT,
                vec![(
                    "form",
                    lang.pick(
                        "这份表单已经提交过了，不会重复收到。如需反映新的问题，请在下面重新填写。",
                        "This form was already sent and will not be received twice. To report something else, fill it in again below.",
                    )
                    .to_string(),
                )],
                w,
            ));
        }
    }
    let by_address = format!("petition|addr|{}", state.passwords.keyed(&address));
    let by_village = format!("petition|org|{}", w.org_id);
    if !public::within_rate(&mut tx, &by_address, state.config.petitions_per_address).await?
        || !public::within_rate(&mut tx, &by_village, state.config.petitions_per_village).await?
    {
        let message = match lang {
            Lang::Zh => format!(
                "提交太频繁，请过一小时再试，或直接拨打巡察组电话 {}。",
                w.phone
            ),
            Lang::En => format!(
                "Too many reports in a short time. Please try again in an hour, or call the team on {}.",
                w.phone
            ),
        };
        return Ok(refuse(
            StatusCode::TOO_MANY_REQUESTS,
            vec![("form", message)],
            w,
        ));
    }
    let code = store::receive_public(&mut tx, &w.target_id, &got.form, &got.photos).await?;
    tx.commit().await?;
    let page = DonePage {
        lang,
        title: title(Some(&w), lang),
        // Switching language would reload the form: the code would be gone.
        switch_href: None,
        status_href: with_lang("/chaxun", lang),
        code: store::grouped(&code),
    };
    Ok(public::page(StatusCode::OK, &page, None))
}

fn status_page(lang: Lang) -> StatusPage {
    StatusPage {
        lang,
        title: lang
            .pick("信访举报办理情况查询", "How your report stands")
            .to_string(),
        switch_href: switch("/chaxun", lang),
        action: with_lang("/chaxun", lang),
        found: None,
        not_found: false,
        throttled: false,
    }
}

pub async fn status_form(Query(q): Query<PublicQuery>) -> Response {
    public::page(StatusCode::OK, &status_page(q.lang()), None)
}

#[derive(serde::Deserialize)]
pub struct Lookup {
    #[serde(default)]
    code: String,
}

/// Lookups per address and hour: far more than a person makes, far fewer than guessing needs.
const LOOKUPS_PER_ADDRESS: i64 = 60;

pub async fn status(
    State(state): State<AppState>,
    ClientAddress(address): ClientAddress,
    Query(q): Query<PublicQuery>,
    Form(lookup): Form<Lookup>,
) -> Result<Response> {
    let lang = q.lang();
    let mut page = status_page(lang);
    // Counted whether or not the code is right: the count is what stops guessing.
    let mut tx = state.db.begin().await?;
    let key = format!("lookup|addr|{}", state.passwords.keyed(&address));
    let allowed = public::within_rate(&mut tx, &key, LOOKUPS_PER_ADDRESS).await?;
    tx.commit().await?;
    if !allowed {
        page.throttled = true;
        return Ok(public::page(StatusCode::TOO_MANY_REQUESTS, &page, None));
    }
    let found = match store::normalise_code(&lookup.code) {
        Some(code) => {
            let mut conn = state.db.pool.acquire().await?;
            store::status_by_code(&mut conn, &code).await?
        }
        None => None,
    };
    let status = if found.is_some() {
        StatusCode::OK
    } else {
        page.not_found = true;
        StatusCode::NOT_FOUND
    };
    page.found = found;
    Ok(public::page(status, &page, None))
}
