//! All SQL lives here. Functions take a pool or a transaction and return `sqlx::Error`;
//! callers above map it once. Queries are checked at compile time against `.sqlx/`.

pub mod accounts;
pub mod activity;
pub mod audit;
pub mod bench_ingest;
pub mod commit_identities;
pub mod conflicts;
pub mod connections;
pub mod cursors;
pub mod link_ops;
pub mod link_upstream;
pub mod links;
pub mod pending;
pub mod persons;
pub mod projects;
pub mod setup;
pub mod suggestions;
pub mod sync_links;
pub mod sync_runs;
pub mod sync_schedule;
pub mod sync_work;
pub mod synced;
pub mod synced_reads;

use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::PgPool;
use std::time::Duration;

pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

/// Opens a pool and checks that the database answers, so a wrong URL fails at start-up.
pub async fn connect(options: PgConnectOptions) -> Result<PgPool, sqlx::Error> {
    PgPoolOptions::new()
        .max_connections(16)
        .acquire_timeout(Duration::from_secs(5))
        .connect_with(options)
        .await
}

pub async fn migrate(pool: &PgPool) -> Result<(), sqlx::migrate::MigrateError> {
    MIGRATOR.run(pool).await
}

pub async fn ping(pool: &PgPool) -> Result<(), sqlx::Error> {
    sqlx::query_scalar!("select 1 as \"one!\"").fetch_one(pool).await.map(|_| ())
}

/// A text column that must hold one of our enum's wire names; anything else is a decode error
/// (the database's check constraints make it unreachable in practice).
pub(crate) fn parse_enum<T: std::str::FromStr>(column: &str, value: &str) -> Result<T, sqlx::Error>
where
    T::Err: std::error::Error + Send + Sync + 'static,
{
    value.parse().map_err(|e| sqlx::Error::ColumnDecode { index: column.to_owned(), source: Box::new(e) })
}
