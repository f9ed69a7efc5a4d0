use std::net::SocketAddr;
use std::sync::Arc;

use axum::Router;
use tokio::net::TcpListener;

use crate::config::Config;
use crate::db::Db;
use crate::passwords::Passwords;
use crate::{audit, checklists, demo, users, web};

#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub config: Arc<Config>,
    pub passwords: Arc<Passwords>,
}

pub struct Application {
    listener: TcpListener,
    router: Router,
    pub state: AppState,
}

impl Application {
    /// Connects, migrates, seeds if asked, and binds; serving starts with `run_until_stopped`.
    pub async fn build(config: Config) -> anyhow::Result<Application> {
        let db = Db::open(&config.database_url, &config.files_folder()).await?;
        db.migrate().await?;
        checklists::templates::ensure_builtin(&db).await?;
        if config.demo {
            demo::seed_if_empty(&db, &demo::Size::county()).await?;
        }
        if let Some(spec) = &config.bootstrap_admin {
            users::bootstrap_admin(&db, spec).await?;
        }
        let key = db.server_key("username_hmac").await?;
        let concurrency = config.hash_concurrency.unwrap_or_else(|| {
            std::thread::available_parallelism()
                .map(|n| n.get())
                .unwrap_or(2)
        });
        let passwords = Passwords::new(
            concurrency,
            std::time::Duration::from_millis(config.hash_wait_ms),
            key,
        )?;
        let state = AppState {
            db,
            config: Arc::new(config),
            passwords,
        };
        let listener = TcpListener::bind(state.config.bind).await?;
        let router = web::router(state.clone())?;
        Ok(Application {
            listener,
            router,
            state,
        })
    }

    pub fn address(&self) -> SocketAddr {
        self.listener
            .local_addr()
            .expect("bound listener has an address")
    }

    pub async fn run_until_stopped(self) -> anyhow::Result<()> {
        self.run_until(shutdown_signal()).await
    }

    /// Serves until `shutdown` completes, then lets requests in flight finish.
    pub async fn run_until(
        self,
        shutdown: impl std::future::Future<Output = ()> + Send + 'static,
    ) -> anyhow::Result<()> {
        let addr = self.address();
        tracing::info!("Xuncha 巡察 is serving http://{addr}");
        tokio::spawn(audit::chain::log_checkpoints(self.state.db.clone()));
        tokio::spawn(crate::files::upkeep::sweep_now_and_then(
            self.state.db.clone(),
        ));
        if self.state.config.demo {
            println!("\n  Xuncha 巡察: http://{addr}\n");
            println!("  Demo accounts (password {}):", demo::PASSWORD);
            for (username, role) in demo::ACCOUNTS {
                println!("    {username:<12} {role}");
            }
            println!();
        }
        // The peer's address reaches the sign-in throttle.
        let service = self
            .router
            .into_make_service_with_connect_info::<SocketAddr>();
        axum::serve(self.listener, service)
            .with_graceful_shutdown(shutdown)
            .await?;
        tracing::info!("stopped");
        Ok(())
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
}
