use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use xuncha_api::auth::LoginRequest;

use crate::api::{Api, AppError};
use crate::components::{FormError, TextField};
use crate::i18n::LangToggle;
use crate::i18n::{t, Msg};

#[component]
pub fn LoginPage() -> impl IntoView {
    view! {
        <div class="login-page">
            <header class="login-top"><LangToggle/></header>
            <main id="main" class="login">
                <h1>{t(Msg::AppName)}</h1>
                <LoginForm/>
            </main>
        </div>
    }
}

/// The sign-in form; also shown over the page when a session expired, so nothing on the
/// page is lost.
#[component]
pub fn LoginForm() -> impl IntoView {
    let api = expect_context::<Api>();
    let username = RwSignal::new(
        api.session
            .with_untracked(|s| s.as_ref().map(|s| s.user.username.clone()))
            .unwrap_or_default(),
    );
    let password = RwSignal::new(String::new());
    let submit = Action::new_local(move |req: &LoginRequest| {
        let req = req.clone();
        async move { api.login(&req).await.map(|_| ()) }
    });
    let error = Signal::derive(move || submit.value().get().and_then(Result::err));
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        submit.dispatch_local(LoginRequest {
            username: username.get_untracked().trim().to_string(),
            password: password.get_untracked(),
        });
    };
    view! {
        <form class="login-form" on:submit=on_submit novalidate>
            <TextField label=Msg::Username name="username" value=username error=error autocomplete="username"/>
            <TextField label=Msg::Password name="password" value=password error=error kind="password" autocomplete="current-password"/>
            <FormError error=Signal::derive(move || error.get().filter(|e: &AppError| e.field().is_none()))/>
            <button type="submit" class="primary" disabled=move || submit.pending().get()>
                {move || if submit.pending().get() { t(Msg::SigningIn)() } else { t(Msg::SignIn)() }}
            </button>
        </form>
    }
}

#[cfg(test)]
mod tests {
    use leptos::task::tick;
    use wasm_bindgen::JsCast;
    use wasm_bindgen_test::*;
    use xuncha_api::Lang;

    use super::*;

    #[wasm_bindgen_test]
    async fn an_empty_sign_in_is_stopped_at_the_field_in_the_users_language() {
        let host = document().create_element("div").unwrap();
        document().body().unwrap().append_child(&host).unwrap();
        let _mounted = leptos::mount::mount_to(host.clone().unchecked_into(), || {
            let lang = RwSignal::new(Lang::Zh);
            provide_context(lang);
            provide_context(Api::new(lang, RwSignal::new(None)));
            view! { <LoginPage/> }
        });
        tick().await;
        let labels: Vec<String> = (0..2)
            .map(|i| {
                host.query_selector_all("label")
                    .unwrap()
                    .get(i)
                    .unwrap()
                    .text_content()
                    .unwrap()
            })
            .collect();
        assert_eq!(labels, vec!["用户名", "密码"]);

        let button: web_sys::HtmlElement = host
            .query_selector("button[type=submit]")
            .unwrap()
            .unwrap()
            .unchecked_into();
        button.click();
        for _ in 0..10 {
            tick().await;
        }
        let username = host
            .query_selector("input[name=username]")
            .unwrap()
            .unwrap();
        assert_eq!(
            username.get_attribute("aria-invalid").as_deref(),
            Some("true")
        );
        assert!(host.text_content().unwrap().contains("必填"));
    }
}
