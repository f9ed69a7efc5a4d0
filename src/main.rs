//! The field app: sign-in, and a village or community liaison's own pages, each page after
//! sign-in a chunk of its own (split here, see `xuncha_web::chunks`).

use leptos::prelude::*;
use leptos::wasm_split::wasm_split;
use xuncha_web::api::Api;
use xuncha_web::chunks::{ChunkMissing, FieldPages, Page};
use xuncha_web::offline::Outbox;
use xuncha_web::pages::account::AccountPage;
use xuncha_web::pages::checklist::SelfCheckPage;
use xuncha_web::pages::my_org::MyOrgPage;
use xuncha_web::pages::my_tasks::{MyTasksPage, TaskPage};

#[wasm_split(outbox, fallible, preload(preload_outbox), wasm_split_path = ::leptos::wasm_split)]
fn outbox() -> Result<fn(Api) -> Outbox, ChunkMissing> {
    Ok(Outbox::start)
}

#[wasm_split(my_org, fallible, preload(preload_my_org), wasm_split_path = ::leptos::wasm_split)]
fn my_org() -> Page {
    Ok(|| view! { <MyOrgPage/> }.into_any())
}

#[wasm_split(self_check, fallible, preload(preload_self_check), wasm_split_path = ::leptos::wasm_split)]
fn self_check() -> Page {
    Ok(|| view! { <SelfCheckPage/> }.into_any())
}

#[wasm_split(tasks, fallible, preload(preload_tasks), wasm_split_path = ::leptos::wasm_split)]
fn tasks() -> Page {
    Ok(|| view! { <MyTasksPage/> }.into_any())
}

#[wasm_split(task, fallible, preload(preload_task), wasm_split_path = ::leptos::wasm_split)]
fn task() -> Page {
    Ok(|| view! { <TaskPage/> }.into_any())
}

#[wasm_split(account, fallible, preload(preload_account), wasm_split_path = ::leptos::wasm_split)]
fn account() -> Page {
    Ok(|| view! { <AccountPage/> }.into_any())
}

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
