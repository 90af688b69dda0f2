//! Start-up: connect, migrate, bind, serve. Every way this can fail is a `StartupError` whose
//! message is one sentence a person can act on (printed by `main` without a backtrace).

use crate::server::cli::{DatabaseArgs, ServeArgs};
use crate::server::router::app_router;
use crate::server::state::AppState;
use leptos::prelude::LeptosOptions;
use sqlx::postgres::PgConnectOptions;
use sqlx::{Connection, PgPool};
use std::net::SocketAddr;
use std::path::Path;
use std::str::FromStr;
use std::time::Duration;
use tokio::net::TcpListener;

#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    #[error("DATABASE_URL is not a valid PostgreSQL URL ({0}); expected postgres://user:password@host:port/database")]
    InvalidDatabaseUrl(String),
    #[error("cannot reach the database at {url}: {reason}")]
    DatabaseUnreachable { url: String, reason: String },
    #[error("cannot apply the database migrations: {0}")]
    Migrate(String),
    #[error("cannot listen on {addr}: {reason}; pass another --addr or stop the process using it")]
    Bind { addr: SocketAddr, reason: String },
    #[error("the server stopped: {0}")]
    Serve(String),
    #[error("cannot load the demo data: {0}")]
    Demo(String),
    #[error("cannot run the simulators: {0}")]
    Sim(String),
    #[error("the benchmark failed: {0}")]
    Bench(String),
    #[error("import: {0}")]
    Import(String),
    #[error("legacy migration: {0}")]
    LegacyMigration(String),
    #[error("suggest: {0}")]
    Suggest(String),
    #[error("sync: {0}")]
    Sync(String),
    #[error("admin: {0}")]
    Admin(String),
    #[error("secret key: {0}")]
    SecretKey(String),
    #[error("cannot prepare the first-run setup code: {0}")]
    Setup(String),
}

/// The URL without its password, for messages.
fn display_url(o: &PgConnectOptions) -> String {
    format!("postgres://{}@{}:{}/{}", o.get_username(), o.get_host(), o.get_port(), o.get_database().unwrap_or(""))
}

fn parse_database_url(url: &str) -> Result<PgConnectOptions, StartupError> {
    // sqlx accepts any scheme here and fails later with a confusing lookup error.
    if !(url.starts_with("postgres://") || url.starts_with("postgresql://")) {
        let scheme = url.split_once("://").map_or("none", |(s, _)| s);
        return Err(StartupError::InvalidDatabaseUrl(format!("scheme '{scheme}' is not postgres")));
    }
    PgConnectOptions::from_str(url).map_err(|e| StartupError::InvalidDatabaseUrl(e.to_string()))
}

/// Connects with one direct attempt first, so the person sees the real cause (refused, unknown
/// database, bad password) instead of a pool time-out, then opens the pool and migrates.
pub async fn connect_and_migrate(args: &DatabaseArgs) -> Result<PgPool, StartupError> {
    let options = parse_database_url(&args.database_url)?;
    let url = display_url(&options);
    let unreachable = |reason: String| StartupError::DatabaseUnreachable { url: url.clone(), reason };
    match tokio::time::timeout(Duration::from_secs(10), sqlx::PgConnection::connect_with(&options)).await {
        Err(_) => return Err(unreachable("no answer within 10 s".into())),
        Ok(Err(e)) => return Err(unreachable(e.to_string())),
        Ok(Ok(conn)) => {
            let _ = conn.close().await;
        }
    }
    let pool = crate::store::connect(options).await.map_err(|e| unreachable(e.to_string()))?;
    crate::store::migrate(&pool).await.map_err(|e| StartupError::Migrate(e.to_string()))?;
    Ok(pool)
}

pub async fn serve(args: &ServeArgs, pool: PgPool) -> Result<(), StartupError> {
    crate::upstream::policy::set_allow_http(args.allow_http_upstreams);
    // A wrong or unreadable key stops the start, not the first request that reads credentials.
    crate::auth::cipher::global().map_err(|e| StartupError::SecretKey(e.to_string()))?;
    let listener = TcpListener::bind(args.addr)
        .await
        .map_err(|e| StartupError::Bind { addr: args.addr, reason: e.to_string() })?;
    if !args.site_root.join("pkg").is_dir() {
        tracing::warn!(site_root = %args.site_root.display(), "no built site found: pages render but do not hydrate; run `cargo leptos build`");
    }
    let setup_code = crate::auth::setup::open_if_unclaimed(&pool).await.map_err(|e| StartupError::Setup(e.to_string()))?;
    let app = router_for(&listener, &args.site_root, pool)?;
    if let Some(code) = setup_code {
        // Only whoever reads this server's output can claim the instance.
        println!("setup code: {code} (nobody has an account yet: open http://{}/setup and enter it to create the first admin)", app.0);
    }
    // The one line scripts and people wait for.
    println!("listening on http://{}", app.0);
    tracing::info!(addr = %app.0, "serving");
    // The peer address reaches handlers (the sign-in limits are per client).
    axum::serve(listener, app.1.into_make_service_with_connect_info::<SocketAddr>())
        .with_graceful_shutdown(shutdown_signal())
        .await
        .map_err(|e| StartupError::Serve(e.to_string()))
}

/// The app's router for a bound listener (tests serve it on port 0 without the CLI).
pub fn router_for(listener: &TcpListener, site_root: &Path, pool: PgPool) -> Result<(SocketAddr, axum::Router), StartupError> {
    let addr = listener.local_addr().map_err(|e| StartupError::Serve(e.to_string()))?;
    let leptos_options = LeptosOptions::builder()
        .output_name("velocity")
        .site_root(site_root.to_string_lossy().into_owned())
        .site_pkg_dir("pkg")
        .site_addr(addr)
        .build();
    let links = crate::links::Links::new(pool.clone());
    Ok((addr, app_router(AppState { leptos_options, pool, links, auth: Default::default() })))
}

pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn database_url_needs_the_postgres_scheme() {
        for bad in ["mysql://x/y", "localhost:5432/velocity", ""] {
            let err = parse_database_url(bad).unwrap_err();
            assert!(err.to_string().starts_with("DATABASE_URL is not a valid PostgreSQL URL"), "{err}");
        }
        assert!(parse_database_url("postgresql://u@127.0.0.1:5/db").is_ok());
    }

    #[test]
    fn displayed_url_hides_the_password() {
        let o = parse_database_url("postgres://me:secret@db.internal:6543/velocity").unwrap();
        assert_eq!(display_url(&o), "postgres://me@db.internal:6543/velocity");
    }
}
