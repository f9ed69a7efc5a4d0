//! The field app's pages after sign-in, each compiled into its own chunk of wasm that the phone
//! downloads the first time the page opens: the sign-in page, which every first visit shows,
//! carries none of their code. The split points are in the field binary (`src/main.rs`), so
//! that the office app, built from the same library, does not link the field's pages;
//! `cargo xtask build` splits the wasm there.
//!
//! A chunk can fail to arrive on a weak signal. The page then says so and offers to try again;
//! the split loader forgets a failed download, so the next try fetches it afresh.

use std::future::Future;
use std::pin::Pin;

use leptos::prelude::*;

use crate::api::Api;
use crate::i18n::{t, Msg};
use crate::offline::Outbox;

/// A chunk that did not download.
pub struct ChunkMissing;

impl From<leptos::wasm_split::SplitLoaderError> for ChunkMissing {
    fn from(_: leptos::wasm_split::SplitLoaderError) -> Self {
        ChunkMissing
    }
}

/// Makes a page whose code has arrived.
pub type MakePage = fn() -> AnyView;
pub type Page = Result<MakePage, ChunkMissing>;
/// Fetches a page's chunk (once) and hands back how to make the page.
pub type Load = fn() -> Pin<Box<dyn Future<Output = Page>>>;

/// Fetches the outbox's chunk and hands over how to start it (the caller starts it under the
/// app's owner, so that it lives as long as the app).
pub type LoadOutbox =
    fn() -> Pin<Box<dyn Future<Output = Result<fn(Api) -> Outbox, ChunkMissing>>>>;

/// The field app's pages, as the binary splits them.
#[derive(Clone, Copy)]
pub struct FieldPages {
    /// The queue of work that only this phone holds: nothing to send before sign-in.
    pub outbox: LoadOutbox,
    pub my_org: Load,
    pub self_check: Load,
    pub tasks: Load,
    pub task: Load,
    pub account: Load,
    /// Fetches the landing page's chunk, alongside the outbox's.
    pub landing: fn() -> Pin<Box<dyn Future<Output = ()>>>,
    /// Fetches every chunk, for a liaison who will open them with no signal.
    pub warm: fn() -> Pin<Box<dyn Future<Output = ()>>>,
}

/// Shows a page once its chunk is here; until then a loading line, and a retry if it failed.
///
/// The chunk hands back how to make the page, and the page is made here, untracked: made
/// inside an async view it would be made again whenever a signal it read changed, losing
/// what the liaison was typing.
#[component]
fn Chunk(load: Load) -> impl IntoView {
    let page = RwSignal::new(None::<Result<MakePage, ()>>);
    let fetch = move || {
        page.set(None);
        leptos::task::spawn_local(async move {
            page.set(Some(load().await.map_err(|ChunkMissing| ())));
        });
    };
    fetch();
    move || match page.get() {
        None => view! { <p role="status">{t(Msg::Loading)}</p> }.into_any(),
        Some(Ok(make)) => untrack(make),
        Some(Err(())) => view! {
            <section class="page">
                <p class="form-error" role="alert">{t(Msg::PageNotLoaded)}</p>
                <button type="button" class="primary" on:click=move |_| fetch()>
                    {t(Msg::Retry)}
                </button>
            </section>
        }
        .into_any(),
    }
}

/// The route view of the page `pick` chooses among the field app's pages.
pub fn chunk(pick: fn(&FieldPages) -> Load) -> impl IntoView {
    view! { <Chunk load=pick(&expect_context::<FieldPages>())/> }
}
