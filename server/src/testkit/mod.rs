//! Fresh databases for tests: SQLite by default, PostgreSQL when `XUNCHA_TEST_POSTGRES` holds
//! the URL of a server where databases may be created (one new database per test).

pub mod fixtures;

use std::str::FromStr;

use sqlx::any::AnyConnectOptions;
use sqlx::{ConnectOptions, Connection};

use crate::config::Config;
use crate::demo;
use crate::Application;

pub const PG_ENV: &str = "XUNCHA_TEST_POSTGRES";

/// A database URL nobody else uses.
pub async fn fresh_database_url() -> anyhow::Result<String> {
    let name = format!("t_{}", uuid::Uuid::new_v4().simple());
    match std::env::var(PG_ENV) {
        Ok(admin_url) if !admin_url.is_empty() => {
            sqlx::any::install_default_drivers();
            let mut conn = AnyConnectOptions::from_str(&admin_url)?
                .disable_statement_logging()
                .connect()
                .await?;
            sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
                .execute(&mut conn)
                .await?;
            conn.close().await?;
            let base = admin_url
                .rsplit_once('/')
                .map(|(b, _)| b)
                .unwrap_or(&admin_url);
            Ok(format!("{base}/{name}"))
        }
        _ => {
            let path = std::env::temp_dir().join(format!("xuncha-{name}.db"));
            Ok(format!("sqlite://{}", path.display()))
        }
    }
}

/// A small demo county: 2 townships of 3 villages/communities, 2 departments.
pub fn small_size() -> demo::Size {
    demo::Size {
        cities: 0,
        counties_per_city: 1,
        townships: 2,
        villages_per_township: 3,
        departments: 2,
        rounds: false,
        past_terms: 0,
    }
}

/// Builds a server on 127.0.0.1:0 over a fresh database with the small demo data, runs it in
/// the background and returns its base URL.
pub async fn spawn(adjust: impl FnOnce(&mut Config)) -> anyhow::Result<(String, crate::AppState)> {
    let mut config = Config::for_tests(fresh_database_url().await?);
    adjust(&mut config);
    let app = Application::build(config).await?;
    demo::seed_if_empty(&app.state.db, &small_size()).await?;
    let base = format!("http://{}", app.address());
    let state = app.state.clone();
    tokio::spawn(app.run_until_stopped());
    Ok((base, state))
}

/// A server that a test can stop and start again on the same address and database, e.g. to
/// prove that a phone keeps working while the server is out of reach.
pub struct Running {
    pub base: String,
    pub config: Config,
    stop: tokio::sync::oneshot::Sender<()>,
    task: tokio::task::JoinHandle<anyhow::Result<()>>,
}

impl Running {
    pub async fn start(mut config: Config) -> anyhow::Result<Running> {
        let app = Application::build(config.clone()).await?;
        config.bind = app.address();
        let base = format!("http://{}", app.address());
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let task = tokio::spawn(app.run_until(async move {
            let _ = stopped.await;
        }));
        Ok(Running {
            base,
            config,
            stop,
            task,
        })
    }

    /// A fresh database with the small demo county.
    pub async fn fresh(adjust: impl FnOnce(&mut Config)) -> anyhow::Result<Running> {
        let mut config = Config::for_tests(fresh_database_url().await?);
        adjust(&mut config);
        let running = Running::start(config).await?;
        let db = crate::db::Db::open(&running.config.database_url, &running.config.files_folder())
            .await?;
        demo::seed_if_empty(&db, &small_size()).await?;
        Ok(running)
    }

    /// Stops serving (open connections are dropped after a short grace) and returns the
    /// settings to start again with.
    pub async fn stop(self) -> Config {
        let _ = self.stop.send(());
        let abort = self.task.abort_handle();
        if tokio::time::timeout(std::time::Duration::from_secs(3), self.task)
            .await
            .is_err()
        {
            abort.abort();
        }
        self.config
    }
}
