//! The office app: everything inspection staff use at their desks.
fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(xuncha_web::app::OfficeApp);
    xuncha_web::app::remove_boot_screen();
}
