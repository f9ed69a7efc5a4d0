//! The field app: sign-in, and a village or community liaison's own pages.
fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(xuncha_web::app::FieldApp);
    xuncha_web::app::remove_boot_screen();
}
