//! Start-up as a type: `App::build(config)` connects, migrates, applies the
//! bootstrap admin and demo world, and binds; `run()` serves until SIGTERM or
//! Ctrl-C. Tests use exactly this path.
use std::net::SocketAddr;

use secrecy::ExposeSecret;
use tokio::net::TcpListener;

use crate::config::Config;
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::{db, demo, graphql, http, service};

pub struct App {
    listener: TcpListener,
    /// `ACCORD_METRICS_BIND`'s listener, when set.
    metrics: Option<TcpListener>,
    router: axum::Router,
    state: AppState,
}

impl App {
    pub async fn build(config: Config) -> AppResult<Self> {
        config
            .validate()
            .map_err(|e| AppError::internal(format!("configuration: {e}")))?;
        let conn = db::connect_configured(&config).await.map_err(|e| {
            let e = e.to_string();
            AppError::internal(format!(
                "cannot connect to the database: {e}{}",
                db::startup_hint(&e)
            ))
        })?;
        Self::build_on(config, conn, std::sync::Arc::new(crate::clock::SystemClock)).await
    }

    /// As `build`, on a connection the caller opened (tests use it to count
    /// the SQL statements a request costs).
    pub async fn build_on(
        config: Config,
        conn: sea_orm::DatabaseConnection,
        clock: crate::clock::SharedClock,
    ) -> AppResult<Self> {
        config
            .validate()
            .map_err(|e| AppError::internal(format!("configuration: {e}")))?;
        if !db::is_sqlite(&config.database_url) {
            // Before anything else: a pooler that would break transactions or
            // prepared statements is refused with its setting named.
            db::check_pooled_url(&config.database_url)
                .await
                .map_err(AppError::internal)?;
        }
        db::migrate_configured(&config, &conn)
            .await
            .map_err(|e| AppError::internal(format!("migrations failed: {e}")))?;
        let bind = config.bind;
        crate::mail::transport::Mailer::from_config(&config)?; // a bad ACCORD_SMTP_URL stops start-up
        let mut state = AppState::new(conn, config)?;
        state.clock = clock;
        if !db::is_sqlite(&state.config.database_url) {
            // Roster changes made by any server process reach this one's subscribers.
            state
                .live
                .listen_postgres(state.config.direct_url(), &state.db)
                .await
                .map_err(AppError::internal)?;
        }
        // Cases written before the access index existed get their rows.
        crate::policy::access::internal_fill_missing(&state.db).await?;
        bootstrap_admin(&state).await?;
        let listener = TcpListener::bind(bind)
            .await
            .map_err(|e| AppError::internal(format!("cannot bind {bind}: {e}")))?;
        // Port 0 asks for any free port (the tests do): no public URL could
        // have named it, so there is nothing to warn about.
        if bind.port() != 0
            && let Ok(bound) = listener.local_addr()
            && let Some(mismatch) = state.config.public_url_mismatch(bound)
        {
            // Development only: what a new user trips over first (links to
            // the wrong port, GraphiQL's subscriptions refused).
            tracing::warn!("{mismatch}");
        }
        let metrics = match state.config.metrics_bind {
            Some(at) => Some(TcpListener::bind(at).await.map_err(|e| {
                AppError::internal(format!("cannot bind ACCORD_METRICS_BIND {at}: {e}"))
            })?),
            None => None,
        };
        if state.config.demo_enabled() {
            // The demo banner names the address actually bound (`ACCORD_BIND`,
            // port 0 included), not the default `ACCORD_PUBLIC_URL`'s 8080;
            // that setting is left as configured for links in email.
            let mut banner = state.clone();
            if let Ok(addr) = listener.local_addr() {
                let mut config = (*banner.config).clone();
                config.public_url = format!("http://{addr}");
                banner.config = std::sync::Arc::new(config);
            }
            demo::build_if_empty(&banner).await?;
        }
        let waiting = crate::service::identity::internal_ring_sealed_remaining(&state).await?;
        if waiting > 0 {
            // Until moved, these open with the server's key ring alone:
            // exactly what sealed identity exists to stop.
            tracing::warn!(
                cases = waiting,
                "identities are still sealed under the server's key ring: run `accord seal-identities`"
            );
        }
        let schema = graphql::build_schema(state.clone());
        let router = http::router(state.clone(), schema);
        Ok(Self {
            listener,
            metrics,
            router,
            state,
        })
    }

    pub fn local_addr(&self) -> SocketAddr {
        self.listener
            .local_addr()
            .unwrap_or_else(|_| SocketAddr::from(([127, 0, 0, 1], 0)))
    }

    /// Where metrics are served, when `ACCORD_METRICS_BIND` is set.
    pub fn metrics_addr(&self) -> Option<SocketAddr> {
        self.metrics.as_ref().and_then(|l| l.local_addr().ok())
    }

    pub fn port(&self) -> u16 {
        self.local_addr().port()
    }

    pub fn state(&self) -> &AppState {
        &self.state
    }

    pub async fn run(self) -> std::io::Result<()> {
        tracing::info!(addr = %self.local_addr(), mode = ?self.state.config.mode, "accord serving");
        let mail = crate::jobs::spawn(self.state.clone());
        let metrics = self.metrics.map(|listener| {
            tracing::info!(addr = ?listener.local_addr().ok(), "metrics serving at /metrics");
            let state = self.state.clone();
            let upkeep = state.metrics.clone();
            // One task: serving and the histograms' upkeep end together.
            tokio::spawn(async move {
                let keeping = async move {
                    let mut tick = tokio::time::interval(crate::metrics::UPKEEP_EVERY);
                    loop {
                        tick.tick().await;
                        upkeep.upkeep();
                    }
                };
                tokio::select! {
                    served = axum::serve(listener, http::metrics_router(state)) => served,
                    () = keeping => Ok(()),
                }
            })
        });
        let admission = http::listener::Admission::new(
            self.state.config.max_open_requests,
            self.state.metrics.clone(),
        );
        let served =
            http::listener::serve(self.listener, self.router, admission, shutdown_signal()).await;
        mail.shutdown().await;
        if let Some(task) = metrics {
            task.abort();
        }
        served
    }
}

/// Applies `ACCORD_BOOTSTRAP_ADMIN_EMAIL`/`_PASSWORD` when no such user exists.
async fn bootstrap_admin(state: &AppState) -> AppResult<()> {
    let (Some(email), Some(password)) = (
        state.config.bootstrap_admin_email.clone(),
        state.config.bootstrap_admin_password.clone(),
    ) else {
        return Ok(());
    };
    let created = service::directory::bootstrap_operator(
        state,
        &email,
        password.expose_secret(),
        "Platform operator",
    )
    .await?;
    if created {
        tracing::info!("bootstrap operator account created");
    }
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
    tracing::info!("shutting down");
}
