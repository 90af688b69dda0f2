//! `connections`: one row per external system instance (a Jira site, a GitHub org, …).

use chrono::{DateTime, Utc};
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

pub struct NewConnection<'a> {
    pub kind: &'a str,
    pub name: &'a str,
    pub base_url: &'a str,
    pub scope: &'a str,
    /// `basic` or `bearer` (`crate::domain::connection::AuthMode`).
    pub auth_mode: &'a str,
}

/// What a connection authenticates with: Jira uses e-mail + API token, the others a token.
/// The token is a `SecretString`: its `Debug` prints a placeholder and reading it takes an
/// explicit `expose_secret()`, so it cannot end up in a log line by accident.
#[derive(Clone, Debug)]
pub struct Credentials {
    pub email: Option<String>,
    pub token: SecretString,
}

/// The stored (encrypted) JSON form.
#[derive(Serialize, Deserialize)]
struct Stored<'a> {
    email: Option<std::borrow::Cow<'a, str>>,
    token: std::borrow::Cow<'a, str>,
}

fn crypto_error(e: impl std::error::Error + Send + Sync + 'static) -> sqlx::Error {
    sqlx::Error::Decode(Box::new(e))
}

/// Encrypted with AES-GCM (`crate::auth::cipher`), bound to the connection's id.
fn seal(id: Uuid, c: &Credentials) -> Result<Vec<u8>, sqlx::Error> {
    let stored = Stored { email: c.email.as_deref().map(Into::into), token: c.token.expose_secret().into() };
    let plain = zeroize::Zeroizing::new(serde_json::to_vec(&stored).map_err(|e| sqlx::Error::Encode(Box::new(e)))?);
    Ok(crate::auth::cipher::global().map_err(crypto_error)?.encrypt(id.as_bytes(), &plain))
}

fn open(id: Uuid, bytes: &[u8]) -> Result<Credentials, sqlx::Error> {
    let plain = zeroize::Zeroizing::new(crate::auth::cipher::global().map_err(crypto_error)?.decrypt(id.as_bytes(), bytes).map_err(crypto_error)?);
    let s: Stored = serde_json::from_slice(&plain).map_err(crypto_error)?;
    Ok(Credentials { email: s.email.map(|e| e.into_owned()), token: SecretString::from(s.token.into_owned()) })
}

#[derive(Clone, Debug)]
pub struct Connection {
    pub id: Uuid,
    pub kind: String,
    pub name: String,
    pub base_url: String,
    pub scope: String,
    pub auth_mode: String,
    /// A disabled connection is never contacted.
    pub enabled: bool,
    pub credentials: Option<Credentials>,
    /// An admin's cap in requests a second (`crate::upstream::pacing`).
    pub max_requests_per_second: Option<u32>,
}

pub async fn insert_connection(pool: &PgPool, c: &NewConnection<'_>) -> Result<Uuid, sqlx::Error> {
    insert_connection_tx(&mut *pool.acquire().await?, c, Settings { enabled: true, ..Settings::default() }).await
}

/// Inserts a connection (with its schedule and state) in the caller's transaction.
/// What an admin sets besides the address: schedule, state and pace.
#[derive(Debug, Default, Clone, Copy)]
pub struct Settings {
    pub sync_interval_secs: Option<i32>,
    pub enabled: bool,
    pub max_requests_per_second: Option<i32>,
}

pub async fn insert_connection_tx(tx: &mut PgConnection, c: &NewConnection<'_>, settings: Settings) -> Result<Uuid, sqlx::Error> {
    sqlx::query_scalar!(
        r#"
        insert into connections (kind, name, base_url, scope, auth_mode, sync_interval_secs, enabled, max_requests_per_second)
        values ($1, $2, $3, $4, $5, $6, $7, $8)
        returning id
        "#,
        c.kind,
        c.name,
        c.base_url,
        c.scope,
        c.auth_mode,
        settings.sync_interval_secs,
        settings.enabled,
        settings.max_requests_per_second
    )
    .fetch_one(tx)
    .await
}

/// Finds the connection of this kind and name and points it at `base_url`/`scope`, or creates it.
pub async fn upsert_connection_by_name(pool: &PgPool, c: &NewConnection<'_>) -> Result<Uuid, sqlx::Error> {
    let existing = sqlx::query_scalar!(
        r#"
        update connections set base_url = $3, scope = $4, auth_mode = $5
        where kind = $1 and name = $2
        returning id
        "#,
        c.kind,
        c.name,
        c.base_url,
        c.scope,
        c.auth_mode
    )
    .fetch_optional(pool)
    .await?;
    match existing {
        Some(id) => Ok(id),
        None => insert_connection(pool, c).await,
    }
}

/// Stores credentials encrypted; they are never read back through the API or the UI.
pub async fn set_credentials(pool: &PgPool, id: Uuid, credentials: &Credentials) -> Result<(), sqlx::Error> {
    set_credentials_tx(&mut *pool.acquire().await?, id, credentials).await
}

pub async fn set_credentials_tx(tx: &mut PgConnection, id: Uuid, credentials: &Credentials) -> Result<(), sqlx::Error> {
    let bytes = seal(id, credentials)?;
    sqlx::query!("update connections set credentials = $2, credentials_updated_at = now(), updated_at = now() where id = $1", id, bytes)
        .execute(tx)
        .await
        .map(|_| ())
}

pub async fn list_connections(pool: &PgPool) -> Result<Vec<Connection>, sqlx::Error> {
    let rows = sqlx::query!(
        r#"
        select id, kind, name, base_url, scope, auth_mode, enabled, credentials, max_requests_per_second
        from connections
        order by kind, name, id
        "#
    )
    .fetch_all(pool)
    .await?;
    rows.into_iter()
        .map(|r| {
            let credentials = match r.credentials {
                None => None,
                Some(bytes) => Some(open(r.id, &bytes)?),
            };
            let max_requests_per_second = r.max_requests_per_second.and_then(|n| u32::try_from(n).ok());
            Ok(Connection { id: r.id, kind: r.kind, name: r.name, base_url: r.base_url, scope: r.scope, auth_mode: r.auth_mode, enabled: r.enabled, credentials, max_requests_per_second })
        })
        .collect()
}

/// The connection with this id, decrypted, locked until the transaction ends.
pub async fn lock_connection(tx: &mut PgConnection, id: Uuid) -> Result<Option<Connection>, sqlx::Error> {
    let Some(r) = sqlx::query!("select id, kind, name, base_url, scope, auth_mode, enabled, credentials, max_requests_per_second from connections where id = $1 for update", id)
        .fetch_optional(tx)
        .await?
    else {
        return Ok(None);
    };
    let credentials = r.credentials.as_deref().map(|b| open(r.id, b)).transpose()?;
    let max_requests_per_second = r.max_requests_per_second.and_then(|n| u32::try_from(n).ok());
    Ok(Some(Connection { id: r.id, kind: r.kind, name: r.name, base_url: r.base_url, scope: r.scope, auth_mode: r.auth_mode, enabled: r.enabled, credentials, max_requests_per_second }))
}

/// What the connection pages show beside the connection itself.
#[derive(Debug, Clone)]
pub struct ConnectionState {
    pub id: Uuid,
    pub sync_interval_secs: Option<i32>,
    pub credentials_updated_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub last_test: Option<Value>,
    pub active_links: i64,
    /// The newest run of everything or of this connection: id, status, started, finished.
    pub last_run: Option<(i64, String, DateTime<Utc>, Option<DateTime<Utc>>)>,
}

pub async fn connection_states(pool: &PgPool) -> Result<Vec<ConnectionState>, sqlx::Error> {
    let rows = sqlx::query!(
        r#"
        select c.id, c.sync_interval_secs, c.credentials_updated_at, c.created_at, c.updated_at, c.last_test,
            (select count(*) from jira_project_links l where l.connection_id = c.id and l.active and l.deleted_at is null)
            + (select count(*) from repository_links l where l.connection_id = c.id and l.active and l.deleted_at is null)
            + (select count(*) from external_account_links l where l.connection_id = c.id and l.active and l.deleted_at is null) as "active_links!",
            r.id as "run_id?", r.status as "run_status?", r.started_at as "run_started_at?", r.finished_at as "run_finished_at?"
        from connections c
        left join lateral (
            select id, status, started_at, finished_at from sync_runs
            where scope in ('all', 'connection:' || c.id::text) order by id desc limit 1
        ) r on true
        order by c.kind, c.name, c.id
        "#
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| ConnectionState {
            id: r.id,
            sync_interval_secs: r.sync_interval_secs,
            credentials_updated_at: r.credentials_updated_at,
            created_at: r.created_at,
            updated_at: r.updated_at,
            last_test: r.last_test,
            active_links: r.active_links,
            last_run: match (r.run_id, r.run_status, r.run_started_at) {
                (Some(id), Some(status), Some(started)) => Some((id, status, started, r.run_finished_at)),
                _ => None,
            },
        })
        .collect())
}

/// The fields a change may set; `None` leaves a field as it is.
#[derive(Debug, Default)]
pub struct ConnectionUpdate<'a> {
    pub name: Option<&'a str>,
    pub base_url: Option<&'a str>,
    pub scope: Option<&'a str>,
    pub auth_mode: Option<&'a str>,
    /// `Some(None)` turns the schedule off.
    pub sync_interval_secs: Option<Option<i32>>,
    pub enabled: Option<bool>,
    /// `Some(None)` removes the cap.
    pub max_requests_per_second: Option<Option<i32>>,
}

pub async fn update_connection(tx: &mut PgConnection, id: Uuid, u: &ConnectionUpdate<'_>) -> Result<(), sqlx::Error> {
    sqlx::query!(
        r#"
        update connections set
            name = coalesce($2, name),
            base_url = coalesce($3, base_url),
            scope = coalesce($4, scope),
            auth_mode = coalesce($5, auth_mode),
            sync_interval_secs = case when $6 then $7 else sync_interval_secs end,
            enabled = coalesce($8, enabled),
            max_requests_per_second = case when $9 then $10 else max_requests_per_second end,
            updated_at = now()
        where id = $1
        "#,
        id,
        u.name,
        u.base_url,
        u.scope,
        u.auth_mode,
        u.sync_interval_secs.is_some(),
        u.sync_interval_secs.flatten(),
        u.enabled,
        u.max_requests_per_second.is_some(),
        u.max_requests_per_second.flatten()
    )
    .execute(tx)
    .await
    .map(|_| ())
}

/// The connection's row as the audit log records it: never the credentials.
pub async fn audit_snapshot(tx: &mut PgConnection, id: Uuid) -> Result<Value, sqlx::Error> {
    sqlx::query_scalar!(
        r#"
        select jsonb_build_object('id', id, 'kind', kind, 'name', name, 'baseUrl', base_url, 'scope', scope, 'auth', auth_mode,
            'enabled', enabled, 'syncIntervalSecs', sync_interval_secs, 'maxRequestsPerSecond', max_requests_per_second,
            'credentials', case when credentials is null then 'missing' else 'set' end, 'credentialsUpdatedAt', credentials_updated_at) as "snapshot!"
        from connections where id = $1
        "#,
        id
    )
    .fetch_one(tx)
    .await
}

/// Active links on the connection, and links in any state (deleted ones keep the synced rows'
/// provenance, so a connection that ever had one stays).
pub async fn references(tx: &mut PgConnection, id: Uuid) -> Result<(i64, i64), sqlx::Error> {
    let r = sqlx::query!(
        r#"
        select
            (select count(*) from jira_project_links where connection_id = $1 and active and deleted_at is null)
            + (select count(*) from repository_links where connection_id = $1 and active and deleted_at is null)
            + (select count(*) from external_account_links where connection_id = $1 and active and deleted_at is null) as "active!",
            (select count(*) from jira_project_links where connection_id = $1)
            + (select count(*) from repository_links where connection_id = $1)
            + (select count(*) from external_account_links where connection_id = $1) as "any!"
        "#,
        id
    )
    .fetch_one(tx)
    .await?;
    Ok((r.active, r.any))
}

/// Removes a connection nothing refers to any more (its suggestions and schedule go with it).
pub async fn delete_connection(tx: &mut PgConnection, id: Uuid) -> Result<(), sqlx::Error> {
    sqlx::query!("delete from suggestions where connection_id = $1", id).execute(&mut *tx).await?;
    sqlx::query!("delete from sync_schedule where connection_id = $1", id).execute(&mut *tx).await?;
    sqlx::query!("delete from connections where id = $1", id).execute(&mut *tx).await.map(|_| ())
}

pub async fn record_test(pool: &PgPool, id: Uuid, outcome: &Value) -> Result<(), sqlx::Error> {
    sqlx::query!("update connections set last_test = $2, last_tested_at = now() where id = $1", id, outcome).execute(pool).await.map(|_| ())
}
