//! `connections`: one row per external system instance (a Jira site, a GitHub org, …).

use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};
use sqlx::PgPool;
use uuid::Uuid;

pub struct NewConnection<'a> {
    pub kind: &'a str,
    pub name: &'a str,
    pub base_url: &'a str,
    pub scope: &'a str,
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
    pub credentials: Option<Credentials>,
}

pub async fn insert_connection(pool: &PgPool, c: &NewConnection<'_>) -> Result<Uuid, sqlx::Error> {
    sqlx::query_scalar!(
        r#"
        insert into connections (kind, name, base_url, scope)
        values ($1, $2, $3, $4)
        returning id
        "#,
        c.kind,
        c.name,
        c.base_url,
        c.scope
    )
    .fetch_one(pool)
    .await
}

/// Finds the connection of this kind and name and points it at `base_url`/`scope`, or creates it.
pub async fn upsert_connection_by_name(pool: &PgPool, c: &NewConnection<'_>) -> Result<Uuid, sqlx::Error> {
    let existing = sqlx::query_scalar!(
        r#"
        update connections set base_url = $3, scope = $4
        where kind = $1 and name = $2
        returning id
        "#,
        c.kind,
        c.name,
        c.base_url,
        c.scope
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
    let bytes = seal(id, credentials)?;
    sqlx::query!("update connections set credentials = $2 where id = $1", id, bytes).execute(pool).await.map(|_| ())
}

pub async fn list_connections(pool: &PgPool) -> Result<Vec<Connection>, sqlx::Error> {
    let rows = sqlx::query!(
        r#"
        select id, kind, name, base_url, scope, credentials
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
            Ok(Connection { id: r.id, kind: r.kind, name: r.name, base_url: r.base_url, scope: r.scope, credentials })
        })
        .collect()
}
