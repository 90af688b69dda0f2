//! `sync_runs`: one row per run with its scope, status, counts, requests, retries and errors.

use chrono::{DateTime, Utc};
use serde_json::Value;
use sqlx::PgPool;
use uuid::Uuid;

#[derive(Debug, Clone)]
pub struct RunRow {
    pub id: i64,
    pub scope: String,
    pub full_resync: bool,
    pub trigger: String,
    pub status: String,
    pub started_by: Option<Uuid>,
    pub started_at: DateTime<Utc>,
    pub finished_at: Option<DateTime<Utc>>,
    pub links: i32,
    pub requests: i32,
    pub retries: i32,
    pub rows_written: i32,
    pub counts: Value,
    pub errors: Value,
    pub error: Option<String>,
}

/// What a finished run records.
pub struct Finish<'a> {
    pub status: &'a str,
    pub links: i32,
    pub requests: i32,
    pub retries: i32,
    pub rows_written: i32,
    pub counts: &'a Value,
    pub errors: &'a Value,
    pub error: Option<&'a str>,
}

pub async fn start(pool: &PgPool, scope: &str, full: bool, trigger: &str, started_by: Option<Uuid>) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar!(
        "insert into sync_runs (scope, full_resync, trigger, started_by) values ($1, $2, $3, $4) returning id",
        scope,
        full,
        trigger,
        started_by
    )
    .fetch_one(pool)
    .await
}

/// Only a run still running is finished (two workers may race to close it); true if this one did.
pub async fn finish(pool: &PgPool, id: i64, f: &Finish<'_>) -> Result<bool, sqlx::Error> {
    sqlx::query!(
        r#"
        update sync_runs set status = $2, finished_at = now(), links = $3, requests = $4, retries = $5, rows_written = $6,
            counts = $7, errors = $8, error = $9
        where id = $1 and status = 'running'
        "#,
        id,
        f.status,
        f.links,
        f.requests,
        f.retries,
        f.rows_written,
        f.counts,
        f.errors,
        f.error
    )
    .execute(pool)
    .await
    .map(|r| r.rows_affected() == 1)
}

pub async fn get(pool: &PgPool, id: i64) -> Result<Option<RunRow>, sqlx::Error> {
    sqlx::query_as!(
        RunRow,
        r#"
        select id, scope, full_resync, trigger, status, started_by, started_at, finished_at, links, requests, retries, rows_written, counts, errors, error
        from sync_runs where id = $1
        "#,
        id
    )
    .fetch_optional(pool)
    .await
}

/// Newest first.
pub async fn list(pool: &PgPool, limit: i64) -> Result<Vec<RunRow>, sqlx::Error> {
    sqlx::query_as!(
        RunRow,
        r#"
        select id, scope, full_resync, trigger, status, started_by, started_at, finished_at, links, requests, retries, rows_written, counts, errors, error
        from sync_runs order by id desc limit $1
        "#,
        limit
    )
    .fetch_all(pool)
    .await
}
