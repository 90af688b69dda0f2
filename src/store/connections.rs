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
