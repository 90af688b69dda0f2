//! `connections`: one row per external system instance (a Jira site, a GitHub org, …).

use sqlx::PgPool;
use uuid::Uuid;

pub struct NewConnection<'a> {
    pub kind: &'a str,
    pub name: &'a str,
    pub base_url: &'a str,
    pub scope: &'a str,
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
