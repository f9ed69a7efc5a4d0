use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use xuncha_api::auth::ChangePassword;

use crate::api::Api;
use crate::components::{FormError, StatusLine, Submission, TextField};
use crate::i18n::{t, use_lang, Msg};

#[component]
pub fn AccountPage() -> impl IntoView {
    let api = expect_context::<Api>();
    let lang = use_lang();
    let old = RwSignal::new(String::new());
    let new = RwSignal::new(String::new());
    let save =
        Submission::new(move |req: ChangePassword| async move { api.change_password(&req).await });
    let error = save.error();
    let done = Signal::derive(move || {
        save.succeeded()
            .then(|| Msg::PasswordChanged.text(lang.get()).to_string())
    });
    let user = move || {
        api.session.with(|s| {
            s.as_ref()
                .map(|s| {
                    format!(
                        "{} ({}) · {}",
                        s.user.display_name,
                        s.user.username,
                        s.user.role.label(lang.get())
                    )
                })
                .unwrap_or_default()
        })
    };
    view! {
        <section class="page narrow">
            <h1>{t(Msg::NavAccount)}</h1>
            <p>{user}</p>
            <form on:submit=move |ev: SubmitEvent| {
                ev.prevent_default();
                save.send(Ok(ChangePassword { old_password: old.get_untracked(), new_password: new.get_untracked() }));
            }>
                <h2>{t(Msg::ChangePassword)}</h2>
                <TextField label=Msg::OldPassword name="old_password" value=old error=error kind="password" autocomplete="current-password"/>
                <TextField label=Msg::NewPassword name="new_password" value=new error=error kind="password" autocomplete="new-password"/>
                <FormError error=error/>
                <StatusLine text=done/>
                <button type="submit" class="primary" disabled=move || save.pending()>{t(Msg::ChangePassword)}</button>
            </form>
        </section>
    }
}
