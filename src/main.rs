//! The field app: sign-in, and a village or community liaison's own pages, each page after
//! sign-in a chunk of its own (split here, see `xuncha_web::chunks`).

use leptos::prelude::*;
#[cfg(not(feature = "baseline"))]
use leptos::wasm_split::wasm_split;
use xuncha_web::api::Api;
use xuncha_web::chunks::{ChunkMissing, FieldPages, Page};
use xuncha_web::offline::Outbox;
use xuncha_web::pages::account::AccountPage;
use xuncha_web::pages::checklist::SelfCheckPage;
use xuncha_web::pages::my_org::MyOrgPage;
use xuncha_web::pages::my_tasks::{MyTasksPage, TaskPage};

/// A page's chunk: split off by `cargo xtask build`, or, in the baseline build for engines
/// without WebAssembly reference types (feature `baseline`), part of the one module, where
/// "loading" it always succeeds.
macro_rules! chunk {
    ($name:ident, $preload:ident, $made:ty, $body:block) => {
        #[cfg(not(feature = "baseline"))]
        #[wasm_split($name, fallible, preload($preload), wasm_split_path = ::leptos::wasm_split)]
        fn $name() -> $made $body

        #[cfg(feature = "baseline")]
        async fn $name() -> $made $body

        #[cfg(feature = "baseline")]
        async fn $preload() -> Result<(), ChunkMissing> {
            Ok(())
        }
    };
}

chunk!(
    outbox,
    preload_outbox,
    Result<fn(Api) -> Outbox, ChunkMissing>,
    { Ok(Outbox::start) }
);

chunk!(my_org, preload_my_org, Page, {
    Ok(|| view! { <MyOrgPage/> }.into_any())
});

chunk!(self_check, preload_self_check, Page, {
    Ok(|| view! { <SelfCheckPage/> }.into_any())
});

chunk!(tasks, preload_tasks, Page, {
    Ok(|| view! { <MyTasksPage/> }.into_any())
});

chunk!(task, preload_task, Page, {
    Ok(|| view! { <TaskPage/> }.into_any())
});

chunk!(account, preload_account, Page, {
    Ok(|| view! { <AccountPage/> }.into_any())
});

const PAGES: FieldPages = FieldPages {
    outbox: || Box::pin(outbox()),
    landing: || {
        Box::pin(async {
            let _ = preload_my_org().await;
        })
    },
    my_org: || Box::pin(my_org()),
    self_check: || Box::pin(self_check()),
    tasks: || Box::pin(tasks()),
    task: || Box::pin(task()),
    account: || Box::pin(account()),
    warm: || {
        Box::pin(async {
            // One at a time and whatever fails: this runs in the background, and a chunk
            // that did not come now is fetched when its page opens.
            let _ = preload_outbox().await;
            let _ = preload_my_org().await;
            let _ = preload_tasks().await;
            let _ = preload_task().await;
            let _ = preload_self_check().await;
            let _ = preload_account().await;
        })
    },
};

fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(|| view! { <xuncha_web::app::FieldApp pages=PAGES/> });
    xuncha_web::app::remove_boot_screen();
}
