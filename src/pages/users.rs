//! Accounts, for the office: create one per liaison, disable, reset passwords.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use xuncha_api::users::{CreateUser, ResetPassword, Role, UpdateUser, UserView};

use crate::api::Api;
use crate::components::{
    load_failure, loaded, loaded_value, unique_id, FormError, StatusLine, Submission, TextField,
};
use crate::i18n::{t, use_lang, Msg, OfficeMsg};

#[component]
pub fn UsersPage() -> impl IntoView {
    let api = expect_context::<Api>();
    let version = RwSignal::new(0u32);
    let users = LocalResource::new(move || {
        version.get();
        async move { api.list_users().await }
    });
    view! {
        <section class="page">
            <h1>{t(Msg::NavUsers)}</h1>
            <NewUserForm on_created=move |_| version.update(|v| *v += 1)/>
            {loaded(users, move |list| view! {
                        <table class="users">
                            <caption>{t(OfficeMsg::Users)}</caption>
                            <thead><tr>
                                <th scope="col">{t(OfficeMsg::DisplayName)}</th>
                                <th scope="col">{t(Msg::Username)}</th>
                                <th scope="col">{t(OfficeMsg::Role)}</th>
                                <th scope="col">{t(OfficeMsg::BoundOrg)}</th>
                                <th scope="col">{t(Msg::Status)}</th>
                                <th scope="col">{t(OfficeMsg::Action)}</th>
                            </tr></thead>
                            <tbody>
                                {list.into_iter().map(|u| view! { <UserRow user=u version=version/> }).collect_view()}
                            </tbody>
                        </table>
                    }.into_any())}
        </section>
    }
}

#[component]
fn UserRow(user: UserView, version: RwSignal<u32>) -> impl IntoView {
    let api = expect_context::<Api>();
    let lang = use_lang();
    let id = StoredValue::new(user.id.clone());
    let active = user.active;
    let toggle = Action::new_local(move |_: &()| async move {
        api.update_user(
            &id.get_value(),
            &UpdateUser {
                active: Some(!active),
                ..Default::default()
            },
        )
        .await
    });
    Effect::new(move |_| {
        if let Some(Ok(_)) = toggle.value().get() {
            version.update(|v| *v += 1);
        }
    });
    let toggle_error = Signal::derive(move || toggle.value().get().and_then(Result::err));
    let resetting = RwSignal::new(false);
    let new_password = RwSignal::new(String::new());
    let reset = Action::new_local(move |p: &String| {
        let req = ResetPassword {
            new_password: p.clone(),
        };
        async move { api.reset_password(&id.get_value(), &req).await }
    });
    let reset_error = Signal::derive(move || reset.value().get().and_then(Result::err));
    let reset_done = Signal::derive(move || {
        matches!(reset.value().get(), Some(Ok(())))
            .then(|| OfficeMsg::PasswordReset.text(lang.get()).to_string())
    });
    let name = user.display_name.clone();
    let role = user.role;
    view! {
        <tr class:inactive=!active>
            <td>{user.display_name.clone()}</td>
            <td>{user.username.clone()}</td>
            <td>{move || role.label(lang.get())}</td>
            <td>{user.org_name.clone().unwrap_or_default()}</td>
            <td>{move || if active { t(Msg::Active)() } else { t(Msg::Inactive)() }}</td>
            <td class="actions">
                <button type="button" on:click=move |_| { toggle.dispatch_local(()); }
                    aria-label=move || format!("{} {}", if active { t(OfficeMsg::Disable)() } else { t(OfficeMsg::Enable)() }, name)>
                    {move || if active { t(OfficeMsg::Disable)() } else { t(OfficeMsg::Enable)() }}
                </button>
                <button type="button" on:click=move |_| resetting.update(|r| *r = !*r)>{t(OfficeMsg::ResetPassword)}</button>
                <FormError error=toggle_error/>
                <Show when=move || resetting.get()>
                    <form on:submit=move |ev: SubmitEvent| { ev.prevent_default(); reset.dispatch_local(new_password.get_untracked()); } novalidate>
                        <TextField label=Msg::NewPassword name="new_password" value=new_password error=reset_error kind="password" autocomplete="new-password"/>
                        <FormError error=reset_error/>
                        <StatusLine text=reset_done/>
                        <button type="submit">{t(OfficeMsg::ResetPassword)}</button>
                    </form>
                </Show>
            </td>
        </tr>
    }
}

#[component]
fn NewUserForm(#[prop(into)] on_created: Callback<UserView>) -> impl IntoView {
    let api = expect_context::<Api>();
    let lang = use_lang();
    let username = RwSignal::new(String::new());
    let display_name = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let role = RwSignal::new(Role::Unit.as_str().to_string());
    let org = RwSignal::new(String::new());
    let role_id = unique_id("role");
    let org_id = unique_id("org");
    let orgs = LocalResource::new(move || async move { api.list_orgs().await });
    let create = Submission::new(move |req: CreateUser| async move { api.create_user(&req).await });
    let error = create.error();
    create.on_done(move |u| {
        username.set(String::new());
        display_name.set(String::new());
        password.set(String::new());
        on_created.run(u);
    });
    let org_message = crate::components::field_message(error, "org_id");
    view! {
        <details class="new-user">
            <summary>{t(OfficeMsg::NewUser)}</summary>
            <form on:submit=move |ev: SubmitEvent| {
                ev.prevent_default();
                let r = Role::parse(&role.get_untracked()).unwrap_or(Role::Unit);
                create.send(Ok(CreateUser {
                    username: username.get_untracked().trim().to_string(),
                    display_name: display_name.get_untracked(),
                    role: r,
                    org_id: (r == Role::Unit).then(|| org.get_untracked()).filter(|o| !o.is_empty()),
                    password: password.get_untracked(),
                }));
            } novalidate>
                <TextField label=Msg::Username name="username" value=username error=error autocomplete="off"/>
                <TextField label=OfficeMsg::DisplayName name="display_name" value=display_name error=error/>
                <div class="field">
                    <label for=role_id.clone()>{t(OfficeMsg::Role)}</label>
                    <select id=role_id on:change=move |ev| role.set(event_target_value(&ev))>
                        {Role::ALL.into_iter().map(|r| view! {
                            <option value=r.as_str() selected=move || role.get() == r.as_str()>{move || r.label(lang.get())}</option>
                        }).collect_view()}
                    </select>
                </div>
                <Show when=move || role.get() == Role::Unit.as_str()>
                    <div class="field" class:invalid=move || org_message().is_some()>
                        <label for=org_id.clone()>{t(OfficeMsg::BoundOrg)}</label>
                        <select id=org_id.clone() on:change=move |ev| org.set(event_target_value(&ev))>
                            <option value="">{t(OfficeMsg::ChooseOrg)}</option>
                            {move || loaded_value(orgs).into_iter().flatten().filter(|o| o.active).map(|o| view! {
                                <option value=o.id.clone()>{format!("{}（{}）", o.name, o.code)}</option>
                            }).collect_view()}
                        </select>
                        <p class="field-error" role="alert">{org_message}</p>
                        {load_failure(orgs)}
                    </div>
                </Show>
                <TextField label=OfficeMsg::InitialPassword name="password" value=password error=error kind="password" autocomplete="new-password"/>
                <FormError error=error/>
                <button type="submit" class="primary" disabled=move || create.pending()>{t(OfficeMsg::Create)}</button>
            </form>
        </details>
    }
}
