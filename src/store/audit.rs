//! `audit_log`: append-only (the database refuses UPDATE and DELETE). Entries are written in the
//! same transaction as the change they describe.

use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::Value;
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

pub struct NewEntry<'a> {
    pub actor_id: Option<Uuid>,
    pub action: &'a str,
    pub entity_type: &'a str,
    pub entity_id: String,
    pub link_id: Option<Uuid>,
    pub source: &'a str,
    pub before: Option<Value>,
    pub after: Option<Value>,
}

pub async fn record(tx: &mut PgConnection, e: NewEntry<'_>) -> Result<(), sqlx::Error> {
    sqlx::query!(
        r#"
        insert into audit_log (actor_id, action, entity_type, entity_id, link_id, source, before, after)
        values ($1, $2, $3, $4, $5, $6, $7, $8)
        "#,
        e.actor_id,
        e.action,
        e.entity_type,
        e.entity_id,
        e.link_id,
        e.source,
        e.before,
        e.after
    )
    .execute(tx)
    .await
    .map(|_| ())
}

#[derive(Debug, Clone, Serialize)]
#[derive(utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Entry {
    pub id: i64,
    pub at: DateTime<Utc>,
    pub actor_id: Option<Uuid>,
    pub action: String,
    pub entity_type: String,
    pub entity_id: String,
    pub link_id: Option<Uuid>,
    pub source: String,
    #[schema(value_type = Option<Object>)]
    pub before: Option<Value>,
    #[schema(value_type = Option<Object>)]
    pub after: Option<Value>,
}

#[derive(Debug, Default, Clone)]
pub struct Filter {
    pub entity_type: Option<String>,
    pub entity_id: Option<String>,
    pub actor_id: Option<Uuid>,
    pub action: Option<String>,
    pub since: Option<DateTime<Utc>>,
    pub until: Option<DateTime<Utc>>,
    /// Only entries older than this one (the last id of the page before): keyset paging, so a
    /// page stays put while new entries arrive.
    pub before: Option<i64>,
    pub limit: i64,
}

/// Newest first.
pub async fn list(pool: &PgPool, f: &Filter) -> Result<Vec<Entry>, sqlx::Error> {
    sqlx::query_as!(
        Entry,
        r#"
        select id, at, actor_id, action, entity_type, entity_id, link_id, source, before, after
        from audit_log
        where ($1::text is null or entity_type = $1)
          and ($2::text is null or entity_id = $2)
          and ($3::uuid is null or actor_id = $3)
          and ($4::text is null or action = $4)
          and ($5::timestamptz is null or at >= $5)
          and ($6::timestamptz is null or at < $6)
          and ($7::int8 is null or id < $7)
        order by id desc
        limit $8
        "#,
        f.entity_type,
        f.entity_id,
        f.actor_id,
        f.action,
        f.since,
        f.until,
        f.before,
        f.limit
    )
    .fetch_all(pool)
    .await
}
