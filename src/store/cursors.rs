//! `sync_cursors`: where the next incremental pass of a link's stream starts.

use sqlx::PgPool;
use std::collections::HashMap;
use uuid::Uuid;

/// Every cursor of these links: (link, stream) → value.
pub async fn load(
    pool: &PgPool,
    links: &[Uuid],
) -> Result<HashMap<(Uuid, String), String>, sqlx::Error> {
    let rows = sqlx::query!(
        "select link_id, stream, value from sync_cursors where link_id = any($1)",
        links
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| ((r.link_id, r.stream), r.value))
        .collect())
}

pub async fn set(
    pool: &PgPool,
    link_id: Uuid,
    stream: &str,
    value: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        r#"
        insert into sync_cursors (link_id, stream, value) values ($1, $2, $3)
        on conflict (link_id, stream) do update set value = excluded.value, updated_at = now()
        "#,
        link_id,
        stream,
        value
    )
    .execute(pool)
    .await
    .map(|_| ())
}
