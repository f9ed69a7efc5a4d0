//! Small pieces the pages share.

pub mod charts;

use std::sync::atomic::{AtomicUsize, Ordering};

use leptos::prelude::*;

use crate::api::AppError;
use crate::i18n::{t, use_lang, Msg, Text};

static NEXT_ID: AtomicUsize = AtomicUsize::new(0);

/// A document-unique id, so every label points at its own input.
pub fn unique_id(name: &str) -> String {
    format!("{name}-{}", NEXT_ID.fetch_add(1, Ordering::Relaxed))
}

/// The message for one field, if the error is about it.
pub fn field_message(
    error: Signal<Option<AppError>>,
    field: &'static str,
) -> impl Fn() -> Option<String> + Copy + Send + Sync {
    let lang = use_lang();
    move || {
        error.with(|e| {
            e.as_ref()
                .filter(|e| {
                    e.field()
                        .is_some_and(|f| f == field || f.ends_with(&format!(".{field}")))
                })
                .map(|e| e.message(lang.get()))
        })
    }
}

/// A labelled input whose server or client error shows right under it.
#[component]
pub fn TextField<M: Text>(
    label: M,
    /// The field name the API uses, so its errors land here.
    name: &'static str,
    value: RwSignal<String>,
    #[prop(into)] error: Signal<Option<AppError>>,
    #[prop(default = "text")] kind: &'static str,
    #[prop(default = "off")] autocomplete: &'static str,
    #[prop(optional)] inputmode: Option<&'static str>,
    #[prop(optional)] required: bool,
) -> impl IntoView {
    let lang = use_lang();
    let id = unique_id(name);
    let error_id = format!("{id}-error");
    let message = field_message(error, name);
    view! {
        <div class="field" class:invalid=move || message().is_some()>
            <label for=id.clone()>{move || Text::text(label, lang.get())}</label>
            <input
                id=id
                name=name
                type=kind
                autocomplete=autocomplete
                inputmode=inputmode
                required=required
                aria-invalid=move || if message().is_some() { "true" } else { "false" }
                aria-describedby=error_id.clone()
                bind:value=value
            />
            <p class="field-error" id=error_id role="alert">{message}</p>
        </div>
    }
}

/// A labelled multi-line input, its error under it as for [`TextField`].
#[component]
pub fn TextArea<M: Text>(
    label: M,
    name: &'static str,
    value: RwSignal<String>,
    #[prop(into)] error: Signal<Option<AppError>>,
    #[prop(default = 4)] rows: u32,
) -> impl IntoView {
    let lang = use_lang();
    let id = unique_id(name);
    let error_id = format!("{id}-error");
    let message = field_message(error, name);
    view! {
        <div class="field" class:invalid=move || message().is_some()>
            <label for=id.clone()>{move || Text::text(label, lang.get())}</label>
            <textarea
                id=id
                name=name
                rows=rows
                aria-invalid=move || if message().is_some() { "true" } else { "false" }
                aria-describedby=error_id.clone()
                bind:value=value
            ></textarea>
            <p class="field-error" id=error_id role="alert">{message}</p>
        </div>
    }
}

/// A labelled choice among `options` (value, text in the current language).
#[component]
pub fn SelectField<M: Text>(
    label: M,
    name: &'static str,
    value: RwSignal<String>,
    options: Vec<(&'static str, &'static str, &'static str)>,
    #[prop(into)] error: Signal<Option<AppError>>,
) -> impl IntoView {
    let lang = use_lang();
    let id = unique_id(name);
    let message = field_message(error, name);
    view! {
        <div class="field" class:invalid=move || message().is_some()>
            <label for=id.clone()>{move || Text::text(label, lang.get())}</label>
            <select id=id name=name on:change=move |ev| value.set(event_target_value(&ev))
                prop:value=move || value.get()>
                {options.into_iter().map(|(v, zh, en)| view! {
                    <option value=v selected=move || value.get() == v>{move || lang.get().pick(zh, en)}</option>
                }).collect_view()}
            </select>
            <p class="field-error" role="alert">{message}</p>
        </div>
    }
}

/// An error that belongs to no field (network, permission) above the form's button.
#[component]
pub fn FormError(#[prop(into)] error: Signal<Option<AppError>>) -> impl IntoView {
    let lang = use_lang();
    let text = move || {
        error.with(|e| {
            e.as_ref()
                .filter(|e| e.field().is_none())
                .map(|e| e.message(lang.get()))
        })
    };
    view! {
        <p class="form-error" role="alert">{text}</p>
    }
}

/// What a page shows of one request: a loading line, then what `show` makes of the answer; a
/// failed request shows its error and a button to try again, never an empty list (on a weak
/// signal "nothing here" and "could not ask" must not look the same).
pub fn loaded<T, V>(
    resource: LocalResource<Result<T, AppError>>,
    show: impl Fn(T) -> V + Send + Sync + 'static,
) -> impl IntoView
where
    T: Clone + 'static,
    V: IntoView + 'static,
{
    view! {
        <Transition fallback=move || view! { <p role="status">{t(Msg::Loading)}</p> }>
            {move || resource.get().map(|r| match r {
                Ok(v) => show(v).into_any(),
                Err(e) => view! { <LoadError error=e on_retry=move || resource.refetch()/> }.into_any(),
            })}
        </Transition>
    }
}

/// Under a field that picks from a list: the list's failure with a retry (nothing while it
/// loads or once it has), so an empty choice is never mistaken for "none to choose".
pub fn load_failure<T>(resource: LocalResource<Result<T, AppError>>) -> impl IntoView
where
    T: Clone + 'static,
{
    move || {
        resource
            .get()
            .and_then(Result::err)
            .map(|e| view! { <LoadError error=e on_retry=move || resource.refetch()/> })
    }
}

/// The answer of a resource once it has come and succeeded.
pub fn loaded_value<T: Clone + 'static>(resource: LocalResource<Result<T, AppError>>) -> Option<T> {
    resource.get().and_then(Result::ok)
}

/// A request that failed: why, and a retry.
#[component]
pub fn LoadError(error: AppError, on_retry: impl Fn() + Send + Sync + 'static) -> impl IntoView {
    let lang = use_lang();
    // A refusal or a record that is not there answers the same on a retry: no button for it.
    let retry = !matches!(
        error.code(),
        Some(xuncha_api::ErrorCode::Forbidden | xuncha_api::ErrorCode::NotFound)
    );
    view! {
        <div class="load-error" role="alert">
            <p class="form-error">{move || error.message(lang.get())}</p>
            {retry.then(|| view! { <button type="button" on:click=move |_| on_retry()>{t(Msg::Retry)}</button> })}
        </div>
    }
}

/// A form's submission: the request on its way, what came back, and the one error the form
/// shows — a check made before sending (a date that does not parse) or the server's answer —
/// at its field or above the button.
pub struct Submission<I: 'static, O: 'static> {
    action: Action<I, Result<O, AppError>>,
    local: RwSignal<Option<AppError>>,
}

impl<I: 'static, O: 'static> Clone for Submission<I, O> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<I: 'static, O: 'static> Copy for Submission<I, O> {}

impl<I, O> Submission<I, O>
where
    I: Clone + Send + Sync + 'static,
    O: Clone + Send + Sync + 'static,
{
    pub fn new<F, Fut>(send: F) -> Self
    where
        F: Fn(I) -> Fut + 'static,
        Fut: std::future::Future<Output = Result<O, AppError>> + 'static,
    {
        Submission {
            action: Action::new_local(move |input: &I| send(input.clone())),
            local: RwSignal::new(None),
        }
    }

    /// Sends what the form made of its fields, or shows why it cannot go.
    pub fn send(self, input: Result<I, AppError>) {
        match input {
            Ok(input) => {
                self.local.set(None);
                self.action.dispatch_local(input);
            }
            Err(e) => self.local.set(Some(e)),
        }
    }

    /// Runs `done` with each successful answer.
    pub fn on_done(self, done: impl Fn(O) + 'static) {
        Effect::new(move |_| {
            if let Some(Ok(v)) = self.action.value().get() {
                done(v);
            }
        });
    }

    pub fn error(self) -> Signal<Option<AppError>> {
        Signal::derive(move || {
            self.local
                .get()
                .or_else(|| self.action.value().get().and_then(Result::err))
        })
    }

    /// The last successful answer.
    pub fn last(self) -> Option<O> {
        self.action.value().get().and_then(Result::ok)
    }

    /// The last answer was a success (for a "saved" line).
    pub fn succeeded(self) -> bool {
        matches!(self.action.value().get(), Some(Ok(_)))
    }

    pub fn pending(self) -> bool {
        self.action.pending().get()
    }

    /// Forgets the last refusal: the form was put right and is asked about once more.
    pub fn clear(self) {
        self.local.set(None);
        self.action.value().set(None);
    }
}

/// A polite status line ("已保存").
#[component]
pub fn StatusLine(#[prop(into)] text: Signal<Option<String>>) -> impl IntoView {
    view! { <p class="status" role="status" aria-live="polite">{move || text.get()}</p> }
}

/// Parses an optional whole number typed by the user.
pub fn parse_count(field: &str, text: &str) -> Result<Option<i64>, AppError> {
    let t = text.trim().replace(',', "");
    if t.is_empty() {
        return Ok(None);
    }
    t.parse::<i64>().map(Some).map_err(|_| {
        AppError::Invalid(xuncha_api::FieldError::new(
            field,
            xuncha_api::Problem::BadFormat {
                expected: "整数".into(),
            },
        ))
    })
}

/// Parses an optional amount typed by the user.
pub fn parse_amount(field: &str, text: &str) -> Result<Option<f64>, AppError> {
    let t = text.trim().replace(',', "");
    if t.is_empty() {
        return Ok(None);
    }
    t.parse::<f64>()
        .ok()
        .filter(|v| v.is_finite())
        .map(Some)
        .ok_or_else(|| {
            AppError::Invalid(xuncha_api::FieldError::new(
                field,
                xuncha_api::Problem::BadFormat {
                    expected: "数字".into(),
                },
            ))
        })
}

/// Reads the `YYYY-MM-DD` that date inputs give, without chrono's format parser (which
/// would cost the phone bundle several kilobytes).
pub fn iso_date(text: &str) -> Option<chrono::NaiveDate> {
    let mut parts = text.trim().splitn(3, '-');
    let y = parts.next()?.parse().ok()?;
    let m = parts.next()?.parse().ok()?;
    let d = parts.next()?.parse().ok()?;
    chrono::NaiveDate::from_ymd_opt(y, m, d)
}

/// Parses a date from an `<input type="date">` (YYYY-MM-DD).
pub fn parse_date(field: &str, text: &str) -> Result<chrono::NaiveDate, AppError> {
    if text.trim().is_empty() {
        return Err(AppError::Invalid(xuncha_api::FieldError::new(
            field,
            xuncha_api::Problem::Required,
        )));
    }
    iso_date(text).ok_or_else(|| {
        AppError::Invalid(xuncha_api::FieldError::new(
            field,
            xuncha_api::Problem::BadFormat {
                expected: "YYYY-MM-DD".into(),
            },
        ))
    })
}

/// An optional date: empty is none.
pub fn parse_opt_date(field: &str, text: &str) -> Result<Option<chrono::NaiveDate>, AppError> {
    if text.trim().is_empty() {
        Ok(None)
    } else {
        parse_date(field, text).map(Some)
    }
}

pub fn show_opt<T: ToString>(v: Option<T>) -> String {
    v.map(|v| v.to_string()).unwrap_or_default()
}

/// A column head that sorts its table: a button saying what it sorts by, the order in
/// `aria-sort` and an arrow. A second tap turns the order round; a new column starts
/// `descending_first` (counts read best largest first) or ascending.
pub fn sort_header<K>(
    sort: RwSignal<(K, bool)>,
    key: K,
    label: fn(xuncha_api::Lang) -> &'static str,
    descending_first: bool,
) -> impl IntoView
where
    K: Copy + PartialEq + Send + Sync + 'static,
{
    let lang = use_lang();
    let state = move || match sort.get() {
        (k, true) if k == key => "ascending",
        (k, false) if k == key => "descending",
        _ => "none",
    };
    let tap = move |_| {
        sort.update(|(k, ascending)| {
            if *k == key {
                *ascending = !*ascending;
            } else {
                *k = key;
                *ascending = !descending_first;
            }
        })
    };
    view! {
        <th scope="col" aria-sort=state>
            <button type="button" class="sort" title=move || crate::i18n::OfficeMsg::SortBy.text(lang.get()) on:click=tap>
                {move || label(lang.get())}
                <span aria-hidden="true">{move || match state() { "ascending" => " ▲", "descending" => " ▼", _ => "" }}</span>
            </button>
        </th>
    }
}

/// Hands bytes the app fetched (a document made from what only this page holds) to the
/// browser as a download named `name`.
pub fn save_file(bytes: &[u8], name: &str, mime: &str) {
    use wasm_bindgen::JsCast;
    let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(bytes));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let Ok(blob) = web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &options) else {
        return;
    };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else {
        return;
    };
    if let Ok(a) = document().create_element("a") {
        let a: web_sys::HtmlAnchorElement = a.unchecked_into();
        a.set_href(&url);
        a.set_download(name);
        a.click();
    }
    // The browser has the bytes once the download starts; the URL is let go after.
    set_timeout(
        move || {
            let _ = web_sys::Url::revoke_object_url(&url);
        },
        std::time::Duration::from_secs(60),
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::*;

    #[wasm_bindgen_test]
    fn numbers_typed_by_people() {
        assert_eq!(parse_count("households", " 1,200 ").unwrap(), Some(1200));
        assert_eq!(parse_count("households", "").unwrap(), None);
        assert_eq!(
            parse_count("households", "十").unwrap_err().field(),
            Some("households")
        );
        assert_eq!(
            parse_amount("collective_income", "12.5").unwrap(),
            Some(12.5)
        );
        assert!(parse_amount("collective_income", "NaN").is_err());
        assert_eq!(
            iso_date("2026-03-01"),
            chrono::NaiveDate::from_ymd_opt(2026, 3, 1)
        );
        assert_eq!(iso_date("2026-02-30"), None);
        assert_eq!(iso_date("03/01/2026"), None);
    }
}
