//! Connections as an admin manages them (issue 12): add, change, rotate the secret, disable,
//! remove, and test — before saving or after. Every change is audited in its transaction;
//! the audit log, like every answer, holds whether credentials are set, never what they are.

pub mod probe;
pub mod rules;

use crate::domain::connection::{AuthMode, ConnectionChange, ConnectionInput, ConnectionKind, ConnectionView, LastSync, TestOutcome};
use crate::store::audit::{self, NewEntry};
use crate::store::connections::{self as store, Connection, ConnectionUpdate, Credentials, NewConnection};
use rules::Refusal;
use secrecy::SecretString;
use sqlx::PgPool;
use uuid::Uuid;

#[derive(Debug, thiserror::Error)]
pub enum ConnectionError {
    #[error("{field}: {message}")]
    Invalid { field: &'static str, message: String },
    #[error("no connection with id {0}")]
    NotFound(Uuid),
    #[error("{message}")]
    InUse { message: String, active_links: i64 },
    #[error("{0}")]
    Duplicate(String),
    #[error("database: {0}")]
    Store(#[from] sqlx::Error),
}

impl From<Refusal> for ConnectionError {
    fn from(r: Refusal) -> Self {
        ConnectionError::Invalid { field: r.field, message: r.message }
    }
}

/// Who changes a connection, for the audit log.
#[derive(Clone, Copy, Debug)]
pub struct Actor<'a> {
    pub person_id: Option<Uuid>,
    /// `ui`, `api` or `system` (the command line).
    pub source: &'a str,
}

/// A connection input that passed the rules, ready to store or test.
struct Checked {
    kind: ConnectionKind,
    name: String,
    base_url: String,
    scope: String,
    auth: AuthMode,
    credentials: Credentials,
    sync_interval_secs: Option<i32>,
    enabled: bool,
    max_requests_per_second: Option<i32>,
}

fn check(input: &ConnectionInput) -> Result<Checked, Refusal> {
    let kind = rules::kind(&input.kind)?;
    let auth = rules::auth(kind, input.auth)?;
    Ok(Checked {
        kind,
        name: rules::name(&input.name)?,
        base_url: rules::base_url(&input.base_url, crate::upstream::policy::allow_http())?,
        scope: rules::scope(kind, &input.scope)?,
        auth,
        credentials: Credentials { email: rules::email(auth, input.email.as_deref())?, token: SecretString::from(rules::token(kind, &input.token)?) },
        sync_interval_secs: rules::sync_interval(input.sync_interval_secs)?,
        enabled: input.enabled.unwrap_or(true),
        max_requests_per_second: rules::max_requests_per_second(input.max_requests_per_second)?,
    })
}

fn unsaved(c: &Checked) -> Connection {
    Connection {
        id: Uuid::nil(),
        kind: c.kind.as_str().to_owned(),
        name: c.name.clone(),
        base_url: c.base_url.clone(),
        scope: c.scope.clone(),
        auth_mode: c.auth.as_str().to_owned(),
        enabled: c.enabled,
        credentials: Some(c.credentials.clone()),
        max_requests_per_second: c.max_requests_per_second.and_then(|n| u32::try_from(n).ok()),
    }
}

fn entry<'a>(actor: Actor<'a>, action: &'a str, id: Uuid, before: Option<serde_json::Value>, after: Option<serde_json::Value>) -> NewEntry<'a> {
    NewEntry { actor_id: actor.person_id, action, entity_type: "connection", entity_id: id.to_string(), link_id: None, source: actor.source, before, after }
}

/// A unique violation on (kind, base URL, scope): the same system is connected already.
fn duplicate(e: sqlx::Error, c: &Checked) -> ConnectionError {
    match &e {
        sqlx::Error::Database(d) if d.is_unique_violation() => {
            let scope = if c.scope.is_empty() { String::new() } else { format!(" ({})", c.scope) };
            ConnectionError::Duplicate(format!("{} at {}{scope} is connected already; change that connection instead", c.kind.label(), c.base_url))
        }
        _ => ConnectionError::Store(e),
    }
}

pub async fn list(pool: &PgPool) -> Result<Vec<ConnectionView>, ConnectionError> {
    let states = store::connection_states(pool).await?;
    let connections = store::list_connections(pool).await?;
    Ok(connections
        .into_iter()
        .filter_map(|c| {
            let state = states.iter().find(|s| s.id == c.id)?;
            Some(view(c, state))
        })
        .collect())
}

pub async fn get(pool: &PgPool, id: Uuid) -> Result<ConnectionView, ConnectionError> {
    list(pool).await?.into_iter().find(|c| c.id == id).ok_or(ConnectionError::NotFound(id))
}

fn view(c: Connection, s: &store::ConnectionState) -> ConnectionView {
    ConnectionView {
        id: c.id,
        kind: c.kind.parse().unwrap_or(ConnectionKind::Jira),
        name: c.name,
        base_url: c.base_url,
        scope: c.scope,
        auth: AuthMode::parse(&c.auth_mode).unwrap_or(AuthMode::Bearer),
        email: c.credentials.as_ref().and_then(|cr| cr.email.clone()),
        credentials: if c.credentials.is_some() { "set" } else { "missing" }.to_owned(),
        credentials_updated_at: s.credentials_updated_at,
        sync_interval_secs: s.sync_interval_secs,
        enabled: c.enabled,
        max_requests_per_second: c.max_requests_per_second.and_then(|n| i32::try_from(n).ok()),
        active_links: s.active_links,
        created_at: s.created_at,
        updated_at: s.updated_at,
        last_test: s.last_test.clone().and_then(|v| serde_json::from_value(v).ok()),
        last_sync: s.last_run.clone().map(|(run_id, status, started_at, finished_at)| LastSync { run_id, status, started_at, finished_at }),
    }
}

pub async fn create(pool: &PgPool, input: &ConnectionInput, actor: Actor<'_>) -> Result<ConnectionView, ConnectionError> {
    let c = check(input)?;
    let mut tx = pool.begin().await?;
    let new = NewConnection { kind: c.kind.as_str(), name: &c.name, base_url: &c.base_url, scope: &c.scope, auth_mode: c.auth.as_str() };
    let id = store::insert_connection_tx(&mut tx, &new, store::Settings { sync_interval_secs: c.sync_interval_secs, enabled: c.enabled, max_requests_per_second: c.max_requests_per_second }).await.map_err(|e| duplicate(e, &c))?;
    store::set_credentials_tx(&mut tx, id, &c.credentials).await?;
    let after = store::audit_snapshot(&mut tx, id).await?;
    audit::record(&mut tx, entry(actor, "connection.create", id, None, Some(after))).await?;
    tx.commit().await?;
    tracing::info!(connection_id = %id, kind = %c.kind, "connection created");
    get(pool, id).await
}

/// Applies a change; new credentials are a `connection.rotate`, anything else a
/// `connection.update`, each with the row before and after (credentials as set/missing only).
pub async fn update(pool: &PgPool, id: Uuid, change: &ConnectionChange, actor: Actor<'_>) -> Result<ConnectionView, ConnectionError> {
    let mut tx = pool.begin().await?;
    let old = store::lock_connection(&mut tx, id).await?.ok_or(ConnectionError::NotFound(id))?;
    let kind: ConnectionKind = old.kind.parse().map_err(|_| ConnectionError::NotFound(id))?;
    let auth = match change.auth {
        Some(asked) => rules::auth(kind, Some(asked))?,
        None => AuthMode::parse(&old.auth_mode).unwrap_or(kind.auth_modes()[0]),
    };
    let name = change.name.as_deref().map(rules::name).transpose()?;
    let base_url = change.base_url.as_deref().map(|u| rules::base_url(u, crate::upstream::policy::allow_http())).transpose()?;
    let scope = change.scope.as_deref().map(|s| rules::scope(kind, s)).transpose()?;
    let sync_interval_secs = change.sync_interval_secs.map(|s| rules::sync_interval(Some(s))).transpose()?;
    let max_requests_per_second = change.max_requests_per_second.map(|n| rules::max_requests_per_second(Some(n))).transpose()?;
    let auth_changed = auth.as_str() != old.auth_mode;
    let rotate = change.token.is_some() || change.email.is_some() || auth_changed;
    let credentials = if rotate {
        let token = match (&change.token, &old.credentials) {
            (Some(t), _) => SecretString::from(rules::token(kind, t)?),
            (None, Some(c)) => c.token.clone(),
            (None, None) => return Err(rules::token(kind, "").unwrap_err().into()),
        };
        let email = change.email.as_deref().or_else(|| old.credentials.as_ref().and_then(|c| c.email.as_deref()).filter(|_| auth == AuthMode::Basic));
        Some(Credentials { email: rules::email(auth, email)?, token })
    } else {
        None
    };
    let before = store::audit_snapshot(&mut tx, id).await?;
    let fields = ConnectionUpdate {
        name: name.as_deref(),
        base_url: base_url.as_deref(),
        scope: scope.as_deref(),
        auth_mode: auth_changed.then_some(auth.as_str()),
        sync_interval_secs,
        enabled: change.enabled,
        max_requests_per_second,
    };
    store::update_connection(&mut tx, id, &fields).await.map_err(|e| match &e {
        sqlx::Error::Database(d) if d.is_unique_violation() => ConnectionError::Duplicate("another connection points at that address and scope already".into()),
        _ => ConnectionError::Store(e),
    })?;
    let updated = store::audit_snapshot(&mut tx, id).await?;
    if updated != before {
        audit::record(&mut tx, entry(actor, "connection.update", id, Some(before.clone()), Some(updated.clone()))).await?;
    }
    if let Some(credentials) = &credentials {
        store::set_credentials_tx(&mut tx, id, credentials).await?;
        let after = store::audit_snapshot(&mut tx, id).await?;
        audit::record(&mut tx, entry(actor, "connection.rotate", id, Some(updated), Some(after))).await?;
    }
    tx.commit().await?;
    get(pool, id).await
}

/// Removes a connection that nothing links through; one with links is only disabled.
pub async fn remove(pool: &PgPool, id: Uuid, actor: Actor<'_>) -> Result<(), ConnectionError> {
    let mut tx = pool.begin().await?;
    let conn = store::lock_connection(&mut tx, id).await?.ok_or(ConnectionError::NotFound(id))?;
    let (active, any) = store::references(&mut tx, id).await?;
    if active > 0 {
        return Err(ConnectionError::InUse {
            message: format!("'{}' has {active} active link(s): unlink them first, or disable the connection instead", conn.name),
            active_links: active,
        });
    }
    if any > 0 {
        return Err(ConnectionError::InUse {
            message: format!("'{}' keeps the history of {any} earlier link(s) and what they synced: disable it instead", conn.name),
            active_links: 0,
        });
    }
    let before = store::audit_snapshot(&mut tx, id).await?;
    store::delete_connection(&mut tx, id).await?;
    audit::record(&mut tx, entry(actor, "connection.delete", id, Some(before), None)).await?;
    tx.commit().await?;
    Ok(())
}

/// Tests a saved connection with its stored credentials and records the outcome.
pub async fn test_saved(pool: &PgPool, id: Uuid) -> Result<TestOutcome, ConnectionError> {
    let conn = store::list_connections(pool).await?.into_iter().find(|c| c.id == id).ok_or(ConnectionError::NotFound(id))?;
    let kind: ConnectionKind = conn.kind.parse().map_err(|_| ConnectionError::NotFound(id))?;
    let outcome = if !conn.enabled {
        refused(format!("'{}' is disabled: enable it to contact {}.", conn.name, kind.label()))
    } else if conn.credentials.is_none() {
        refused(format!("'{}' has no credentials yet: set a token first.", conn.name))
    } else {
        probe::test(kind, &conn).await
    };
    store::record_test(pool, id, &serde_json::to_value(&outcome).unwrap_or_default()).await?;
    Ok(outcome)
}

/// Tests what a person typed, before anything is saved.
pub async fn test_unsaved(input: &ConnectionInput) -> Result<TestOutcome, ConnectionError> {
    let c = check(input)?;
    Ok(probe::test(c.kind, &unsaved(&c)).await)
}

fn refused(message: String) -> TestOutcome {
    TestOutcome { ok: false, message, acts_as: None, sees: vec![], warnings: vec![], rate_limit_remaining: None, requests: 0, checked_at: chrono::Utc::now() }
}
