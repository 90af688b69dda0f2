//! Pending external-account links (self-links waiting for an admin's approval).

use chrono::{DateTime, Utc};
use serde_json::{json, Value};
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

/// One link waiting for an admin, of either kind, with the names the queue shows.
pub struct QueueRow {
    /// `account` or `commitEmail`.
    pub kind: String,
    pub link_id: Uuid,
    pub person_id: Uuid,
    pub person_name: String,
    pub person_email: String,
    pub platform: String,
    pub external_id: String,
    pub username: Option<String>,
    pub upstream_email: Option<String>,
    pub linked_by: Option<Uuid>,
    pub linked_by_name: Option<String>,
    pub linked_at: DateTime<Utc>,
}

/// Pending account links and pending commit e-mails, oldest first.
pub async fn queue(pool: &PgPool) -> Result<Vec<QueueRow>, sqlx::Error> {
    sqlx::query_as!(
        QueueRow,
        r#"select q.kind as "kind!", q.link_id as "link_id!", q.person_id as "person_id!", p.name as person_name, p.email as person_email,
                  q.platform as "platform!", q.external_id as "external_id!", q.username, q.upstream_email, q.linked_by,
                  b.name as "linked_by_name?", q.linked_at as "linked_at!"
           from (select 'account' as kind, id as link_id, person_id, platform, external_id, username, email as upstream_email, linked_by, linked_at
                 from external_account_links where pending and deleted_at is null
                 union all
                 select 'commitEmail', id, person_id, 'git', email, null, email, linked_by, linked_at
                 from commit_identity_links where pending and deleted_at is null) q
           join persons p on p.id = q.person_id
           left join persons b on b.id = q.linked_by
           order by q.linked_at, q.link_id"#
    )
    .fetch_all(pool)
    .await
}

/// The person's account links waiting for an admin.
pub async fn of_person(pool: &PgPool, person: Uuid) -> Result<Vec<Uuid>, sqlx::Error> {
    sqlx::query_scalar!("select id from external_account_links where person_id = $1 and pending and deleted_at is null order by id", person)
        .fetch_all(pool)
        .await
}

/// How many links wait, for the admin's navigation.
pub async fn count(pool: &PgPool) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar!(
        r#"select ((select count(*) from external_account_links where pending and deleted_at is null)
                 + (select count(*) from commit_identity_links where pending and deleted_at is null)) as "n!""#
    )
    .fetch_one(pool)
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
