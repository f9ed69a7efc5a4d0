use std::net::SocketAddr;
use std::path::PathBuf;

/// Settings from flags or the environment.
#[derive(Debug, Clone, clap::Parser)]
#[command(name = "xuncha-server", about = "Xuncha 巡察 server")]
pub struct Config {
    /// `sqlite://path` (the default, created if missing) or `postgres://…`.
    #[arg(long, env = "DATABASE_URL", default_value = "sqlite://data/xuncha.db")]
    pub database_url: String,

    /// Address to listen on; port 0 picks a free port.
    #[arg(long, env = "XUNCHA_BIND", default_value = "127.0.0.1:8080")]
    pub bind: SocketAddr,

    /// The client built by trunk.
    #[arg(long, env = "XUNCHA_DIST", default_value = "dist")]
    pub dist: PathBuf,

    /// Create the demo county and one account per role when the database is empty.
    #[arg(long, env = "XUNCHA_DEMO")]
    pub demo: bool,

    /// Create a first admin as `username:password` when no admin exists (production start).
    #[arg(long, env = "XUNCHA_BOOTSTRAP_ADMIN", hide_env_values = true)]
    pub bootstrap_admin: Option<String>,

    /// How long a session lasts without use, in seconds.
    #[arg(long, env = "XUNCHA_SESSION_TTL", default_value_t = 12 * 3600)]
    pub session_ttl_secs: i64,

    /// Failed sign-ins for one user name before it is locked for a while.
    #[arg(long, env = "XUNCHA_MAX_FAILED_LOGINS", default_value_t = 5)]
    pub max_failed_logins: i64,

    /// How long a locked user name stays locked, in seconds.
    #[arg(long, env = "XUNCHA_LOCKOUT_SECS", default_value_t = 15 * 60)]
    pub lockout_secs: i64,

    /// Mark the session cookie `Secure` (set when served over HTTPS).
    #[arg(long, env = "XUNCHA_SECURE_COOKIE")]
    pub secure_cookie: bool,
}

impl Config {
    /// Settings for tests and tools: a given database, any free port, no demo data.
    pub fn for_tests(database_url: impl Into<String>) -> Config {
        Config {
            database_url: database_url.into(),
            bind: "127.0.0.1:0".parse().expect("valid address"),
            dist: PathBuf::from("dist"),
            demo: false,
            bootstrap_admin: None,
            session_ttl_secs: 3600,
            max_failed_logins: 5,
            lockout_secs: 900,
            secure_cookie: false,
        }
    }
}
