//! Photos are made smaller on the phone before they are stored or sent: cheap phones take
//! 4–12 MB pictures and village networks are slow.

use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use crate::api::AppError;

/// The longest side of a stored photo, in pixels.
const MAX_SIDE: f64 = 1600.0;

/// An image scaled down and re-encoded as JPEG; any other file as it is.
pub async fn prepare(file: &web_sys::File) -> Result<(web_sys::Blob, String), AppError> {
    let kind = file.type_();
    if !kind.starts_with("image/") {
        return Ok((file.clone().into(), kind));
    }
    let err = |e: JsValue| AppError::Storage(e.as_string().unwrap_or_else(|| format!("{e:?}")));
    let window = web_sys::window().ok_or_else(|| AppError::Storage("no window".into()))?;
    let bitmap: web_sys::ImageBitmap =
        JsFuture::from(window.create_image_bitmap_with_blob(file).map_err(err)?)
            .await
            .map_err(err)?
            .unchecked_into();
    let (w, h) = (bitmap.width() as f64, bitmap.height() as f64);
    let scale = (MAX_SIDE / w.max(h)).min(1.0);
    let (nw, nh) = ((w * scale).round(), (h * scale).round());
    let canvas: web_sys::HtmlCanvasElement = window
        .document()
        .ok_or_else(|| AppError::Storage("no document".into()))?
        .create_element("canvas")
        .map_err(err)?
        .unchecked_into();
    canvas.set_width(nw as u32);
    canvas.set_height(nh as u32);
    let ctx: web_sys::CanvasRenderingContext2d = canvas
        .get_context("2d")
        .map_err(err)?
        .ok_or_else(|| AppError::Storage("no 2d context".into()))?
        .unchecked_into();
    ctx.draw_image_with_image_bitmap_and_dw_and_dh(&bitmap, 0.0, 0.0, nw, nh)
        .map_err(err)?;
    let promise = js_sys::Promise::new(&mut |resolve, reject| {
        let done = Closure::once_into_js(move |blob: JsValue| {
            let _ = resolve.call1(&JsValue::NULL, &blob);
        });
        if let Err(e) = canvas.to_blob_with_type_and_encoder_options(
            done.unchecked_ref(),
            "image/jpeg",
            &JsValue::from(0.8),
        ) {
            let _ = reject.call1(&JsValue::NULL, &e);
        }
    });
    let blob = JsFuture::from(promise).await.map_err(err)?;
    let blob: web_sys::Blob = blob
        .dyn_into()
        .map_err(|_| AppError::Storage("the browser could not encode the photo".into()))?;
    Ok((blob, "image/jpeg".into()))
}

/// Where to show a photo from: the phone's own copy when its store has the bytes under `key`
/// (taken here: it shows with no signal), else `fallback` (the server's copy). The object URL
/// is given back when the view goes.
pub fn shown_from_phone(
    key: String,
    fallback: Option<String>,
) -> impl Fn() -> Option<String> + Clone + Send + Sync + 'static {
    use leptos::prelude::*;
    let made = StoredValue::new(None::<String>);
    let local = LocalResource::new(move || {
        let key = key.clone();
        async move {
            let blob = super::store::get_blob(&key).await.ok().flatten()?;
            let url = web_sys::Url::create_object_url_with_blob(&blob).ok()?;
            made.set_value(Some(url.clone()));
            Some(url)
        }
    });
    on_cleanup(move || {
        if let Some(url) = made.try_get_value().flatten() {
            let _ = web_sys::Url::revoke_object_url(&url);
        }
    });
    move || local.get().flatten().or_else(|| fallback.clone())
}
