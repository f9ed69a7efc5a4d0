use std::net::SocketAddr;
use std::path::PathBuf;

/// Settings from flags or the environment.
#[derive(Debug, Clone, clap::Parser)]
#[command(name = "xuncha-server", about = "Xuncha 巡察 server")]
pub struct Config {
    /// `sqlite://path` (the default, created if missing) or `postgres://…`.
    #[arg(long, env = "DATABASE_URL", default_value = "sqlite://data/xuncha.db")]
    pub database_url: String,

    /// The folder that keeps the bytes of uploaded photos and files, by their SHA-256; by
    /// default beside the SQLite file (`data/xuncha-files`). Several servers on one database
    /// must share it.
    #[arg(long, env = "XUNCHA_FILES")]
    pub files: Option<PathBuf>,

    /// Address to listen on; port 0 picks a free port.
    #[arg(long, env = "XUNCHA_BIND", default_value = "127.0.0.1:8080")]
    pub bind: SocketAddr,

    /// The client built by `cargo xtask build`.
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

    /// Failed sign-ins from one client address (any user names) before it is locked for a
    /// while: password spraying across many names.
    #[arg(
        long,
        env = "XUNCHA_MAX_FAILED_LOGINS_PER_ADDRESS",
        default_value_t = 30
    )]
    pub max_failed_logins_per_address: i64,

    /// Petitions the public page takes per hour from one address (kept only as a keyed hash).
    #[arg(long, env = "XUNCHA_PETITIONS_PER_ADDRESS", default_value_t = 5)]
    pub petitions_per_address: i64,

    /// Petitions the public page takes per hour for one village.
    #[arg(long, env = "XUNCHA_PETITIONS_PER_VILLAGE", default_value_t = 200)]
    pub petitions_per_village: i64,

    /// The address villagers reach the server at (e.g. https://xuncha.example.gov.cn), for the
    /// QR codes printed on notices; by default the address the office's browser used.
    #[arg(long, env = "XUNCHA_PUBLIC_URL")]
    pub public_url: Option<String>,

    /// Take the client address from the last entry of `X-Forwarded-For` (only behind a
    /// reverse proxy that sets it).
    #[arg(long, env = "XUNCHA_TRUST_FORWARDED_FOR")]
    pub trust_forwarded_for: bool,

    /// Password hashes computed at once (each holds 19 MiB); the number of cores by default.
    #[arg(long, env = "XUNCHA_HASH_CONCURRENCY")]
    pub hash_concurrency: Option<usize>,

    /// How long a sign-in waits for a turn to hash before it is answered 503, in milliseconds.
    #[arg(long, env = "XUNCHA_HASH_WAIT_MS", default_value_t = 10_000)]
    pub hash_wait_ms: u64,

    /// Tests only, never from flags or the environment: every `/api` answer is held back this
    /// many milliseconds after the work is done, as on a slow village network. Shared, so a
    /// test can change it while the server runs.
    #[arg(skip)]
    pub slow_replies_ms: std::sync::Arc<std::sync::atomic::AtomicU64>,

    /// Print the OpenAPI document (what `/api/openapi.json` serves) and exit.
    #[arg(long)]
    pub print_openapi: bool,

    /// A tool to run instead of serving.
    #[command(subcommand)]
    pub command: Option<Command>,

    /// Mark the session cookie `Secure` and send Strict-Transport-Security (set when served
    /// over HTTPS).
    #[arg(long, env = "XUNCHA_SECURE_COOKIE")]
    pub secure_cookie: bool,
}

impl Config {
    /// Where uploaded files are kept: as set, or beside the database.
    pub fn files_folder(&self) -> PathBuf {
        self.files
            .clone()
            .unwrap_or_else(|| crate::db::default_files_folder(&self.database_url))
    }

    /// Settings for tests and tools: a given database, any free port, no demo data.
    pub fn for_tests(database_url: impl Into<String>) -> Config {
        let database_url = database_url.into();
        // A folder of each test database's own: a sweep in one test must not see another's.
        let name = database_url.rsplit(['/', '\\']).next().unwrap_or("db");
        let files = std::env::temp_dir().join(format!("xuncha-{name}-files"));
        Config {
            database_url,
            files: Some(files),
            bind: "127.0.0.1:0".parse().expect("valid address"),
            dist: PathBuf::from("dist"),
            demo: false,
            bootstrap_admin: None,
            session_ttl_secs: 3600,
            max_failed_logins: 5,
            lockout_secs: 900,
            max_failed_logins_per_address: 30,
            trust_forwarded_for: false,
            petitions_per_address: 5,
            petitions_per_village: 200,
            public_url: None,
            hash_concurrency: None,
            hash_wait_ms: 10_000,
            print_openapi: false,
            command: None,
            slow_replies_ms: Default::default(),
            secure_cookie: false,
        }
    }
}

#[derive(Debug, Clone, clap::Subcommand)]
pub enum Command {
    /// The audit log's hash chain.
    Audit {
        #[command(subcommand)]
        action: AuditCommand,
    },
    /// Copy the SQLite database (one consistent snapshot, taken while the server runs) and
    /// its files into a folder; again into the same folder copies only the new files.
    Backup {
        /// The folder to write `xuncha.db` and `files/` into.
        dir: PathBuf,
    },
    /// Put a backup in place of the SQLite database and files configured (the server
    /// stopped). An existing database is moved aside with `--replace`, never deleted.
    Restore {
        /// A folder written by `backup`.
        dir: PathBuf,
        #[arg(long)]
        replace: bool,
    },
    /// Copy every table of the SQLite database into an empty PostgreSQL database, count the
    /// rows on both sides and verify the audit chain there; the files folder stays as it is.
    MigrateTo {
        /// `postgres://user@host/database`
        url: String,
    },
}

#[derive(Debug, Clone, clap::Subcommand)]
pub enum AuditCommand {
    /// Walk the chain and name the first entry that does not match; exit 1 if one does not.
    Verify {
        /// A checkpoint written down earlier (`seq:hash`, as `audit checkpoint` prints it).
        #[arg(long)]
        checkpoint: Option<String>,
    },
    /// Print the chain's head as `seq:hash`, to write down outside the system.
    Checkpoint,
}
