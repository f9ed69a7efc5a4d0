use tracing_subscriber::EnvFilter;

/// Logs to stderr; `RUST_LOG` overrides the default of `info` for this crate and tower-http.
pub fn init() {
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new("xuncha_server=info,tower_http=info,warn"));
    let _ = tracing_subscriber::fmt().with_env_filter(filter).try_init();
}
