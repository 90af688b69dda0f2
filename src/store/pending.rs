//! Pending external-account links (self-links waiting for an admin's approval).

use chrono::{DateTime, Utc};
use serde_json::{json, Value};
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

pub struct PendingRow {
    pub link_id: Uuid,
    pub person_id: Uuid,
    pub platform: String,
    pub external_id: String,
    pub username: Option<String>,
    pub email: Option<String>,
    pub linked_by: Option<Uuid>,
    pub linked_at: DateTime<Utc>,
}

pub async fn list(pool: &PgPool) -> Result<Vec<PendingRow>, sqlx::Error> {
    sqlx::query_as!(
        PendingRow,
        "select id as link_id, person_id, platform, external_id, username, email, linked_by, linked_at
         from external_account_links where pending and deleted_at is null order by linked_at, id"
    )
    .fetch_all(pool)
    .await
}

pub async fn is_pending(pool: &PgPool, link_id: Uuid) -> Result<bool, sqlx::Error> {
    Ok(sqlx::query_scalar!(
        "select pending from external_account_links where id = $1 and deleted_at is null",
        link_id
    )
    .fetch_optional(pool)
    .await?
    .unwrap_or(false))
}

/// Marks a just-declared (inactive) link pending; returns its snapshot for the audit.
pub async fn mark(tx: &mut PgConnection, link_id: Uuid) -> Result<Value, sqlx::Error> {
    let r = sqlx::query!(
        "update external_account_links set pending = true, active = false, is_primary = false where id = $1
         returning person_id, platform, external_id",
        link_id
    )
    .fetch_one(tx)
    .await?;
    Ok(
        json!({"personId": r.person_id, "platform": r.platform, "externalId": r.external_id, "pending": true, "active": false}),
    )
}

/// The pending link's person, locked for the decision; `None` if it is not pending.
pub async fn lock(tx: &mut PgConnection, link_id: Uuid) -> Result<Option<Uuid>, sqlx::Error> {
    sqlx::query_scalar!("select person_id from external_account_links where id = $1 and pending and deleted_at is null for update", link_id)
        .fetch_optional(tx)
        .await
}

pub async fn approve(tx: &mut PgConnection, link_id: Uuid) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "update external_account_links set pending = false, active = true where id = $1",
        link_id
    )
    .execute(tx)
    .await?;
    Ok(())
}

pub async fn reject(tx: &mut PgConnection, link_id: Uuid) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "update external_account_links set pending = false, deleted_at = now() where id = $1",
        link_id
    )
    .execute(tx)
    .await?;
    Ok(())
}
