//! Which connections are due for a scheduled sync, claimed atomically: the row lock of the
//! upsert lets only one of several workers take a connection per interval.

use sqlx::PgPool;
use uuid::Uuid;

pub async fn set_interval(
    pool: &PgPool,
    connection_id: Uuid,
    secs: Option<i32>,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "update connections set sync_interval_secs = $2 where id = $1",
        connection_id,
        secs
    )
    .execute(pool)
    .await
    .map(|_| ())
}

/// Marks every due connection as scheduled now and returns them.
pub async fn claim_due(pool: &PgPool) -> Result<Vec<Uuid>, sqlx::Error> {
    sqlx::query_scalar!(
        r#"
        insert into sync_schedule as s (connection_id, last_enqueued)
        select id, now() from connections where sync_interval_secs is not null and enabled
        on conflict (connection_id) do update set last_enqueued = now()
        where s.last_enqueued < now() - make_interval(secs => (select c.sync_interval_secs from connections c where c.id = s.connection_id))
        returning connection_id
        "#
    )
    .fetch_all(pool)
    .await
}
