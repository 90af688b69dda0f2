//! `connections`: one row per external system instance (a Jira site, a GitHub org, …).

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
#[derive(Clone, Serialize, Deserialize)]
pub struct Credentials {
    pub email: Option<String>,
    pub token: String,
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Credentials").field("email", &self.email).field("token", &"<redacted>").finish()
    }
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

/// Stores credentials as JSON bytes. (Encryption at rest is the accounts issue's work.)
pub async fn set_credentials(pool: &PgPool, id: Uuid, credentials: &Credentials) -> Result<(), sqlx::Error> {
    let bytes = serde_json::to_vec(credentials).map_err(|e| sqlx::Error::Encode(Box::new(e)))?;
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
                Some(bytes) => Some(serde_json::from_slice(&bytes).map_err(|e| sqlx::Error::Decode(Box::new(e)))?),
            };
            Ok(Connection { id: r.id, kind: r.kind, name: r.name, base_url: r.base_url, scope: r.scope, credentials })
        })
        .collect()
}
