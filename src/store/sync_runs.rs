//! `sync_runs`: one row per run with its scope, status, counts, requests, retries and errors.

use chrono::{DateTime, Utc};
use serde_json::Value;
use sqlx::{PgConnection, PgPool};
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
    pub refused: i32,
    pub rows_written: i32,
    pub counts: Value,
    pub errors: Value,
    pub error: Option<String>,
    pub link_changes: Value,
}

/// What a finished run records.
pub struct Finish<'a> {
    pub status: &'a str,
    pub links: i32,
    pub requests: i32,
    pub retries: i32,
    pub refused: i32,
    pub rows_written: i32,
    pub counts: &'a Value,
    pub errors: &'a Value,
    pub error: Option<&'a str>,
    pub link_changes: &'a Value,
}

/// Takes the session-level advisory lock of a scope on this connection, if no one holds it: one
/// run of a scope at a time, and PostgreSQL drops the lock with the connection of a process
/// that dies. (Two keys: our class of locks, then the scope.)
pub async fn try_lock_scope(conn: &mut PgConnection, scope: &str) -> Result<bool, sqlx::Error> {
    sqlx::query_scalar!(
        r#"select pg_try_advisory_lock(hashtext('velocity.sync_run'), hashtext($1::text)) as "locked!""#,
        scope
    )
    .fetch_one(conn)
    .await
}

/// Gives the scope's lock back at once (closing the connection would too, but only once the
/// server has noticed, which a start right after could beat).
pub async fn unlock_scope(conn: &mut PgConnection, scope: &str) -> Result<bool, sqlx::Error> {
    sqlx::query_scalar!(
        r#"select pg_advisory_unlock(hashtext('velocity.sync_run'), hashtext($1::text)) as "unlocked!""#,
        scope
    )
    .fetch_one(conn)
    .await
}

/// With the scope's lock held, its runs still marked running and not queued for workers have
/// no process behind them any more: they are recorded as failed. Returns their ids.
pub async fn fail_abandoned(conn: &mut PgConnection, scope: &str) -> Result<Vec<i64>, sqlx::Error> {
    sqlx::query_scalar!(
        r#"
        update sync_runs r set status = 'failed', finished_at = now(),
            error = 'the process running this sync stopped before it finished'
        where r.scope = $1 and r.status = 'running' and not exists (select 1 from sync_work w where w.run_id = r.id)
        returning r.id
        "#,
        scope
    )
    .fetch_all(conn)
    .await
}

/// The newest run of a scope still marked running (what a refused start names).
pub async fn running_of_scope(pool: &PgPool, scope: &str) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar!("select max(id) from sync_runs where scope = $1 and status = 'running'", scope)
        .fetch_one(pool)
        .await
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
            counts = $7, errors = $8, error = $9, refused = $10, link_changes = $11
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
        f.error,
        f.refused,
        f.link_changes
    )
    .execute(pool)
    .await
    .map(|r| r.rows_affected() == 1)
}

pub async fn get(pool: &PgPool, id: i64) -> Result<Option<RunRow>, sqlx::Error> {
    sqlx::query_as!(
        RunRow,
        r#"
        select id, scope, full_resync, trigger, status, started_by, started_at, finished_at, links, requests, retries, refused, rows_written, counts, errors, error, link_changes
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
        select id, scope, full_resync, trigger, status, started_by, started_at, finished_at, links, requests, retries, refused, rows_written, counts, errors, error, link_changes
        from sync_runs order by id desc limit $1
        "#,
        limit
    )
    .fetch_all(pool)
    .await
}
