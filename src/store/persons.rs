//! `persons` and their `external_account_links`, read as domain `Person`s.

use super::parse_enum;
use crate::domain::{ExternalAccountLink, Person};
use sqlx::PgPool;
use std::collections::HashMap;
use uuid::Uuid;

pub async fn insert_person(pool: &PgPool, name: &str, email: &str) -> Result<Uuid, sqlx::Error> {
    sqlx::query_scalar!("insert into persons (name, email) values ($1, $2) returning id", name, email)
        .fetch_one(pool)
        .await
}

pub async fn person_exists(pool: &PgPool, id: Uuid) -> Result<bool, sqlx::Error> {
    Ok(sqlx::query_scalar!("select id from persons where id = $1", id).fetch_optional(pool).await?.is_some())
}

/// Every person with their links that are not deleted, ordered by name then id.
pub async fn list_persons(pool: &PgPool) -> Result<Vec<Person>, sqlx::Error> {
    persons(pool, None).await
}

pub async fn person_by_id(pool: &PgPool, id: Uuid) -> Result<Option<Person>, sqlx::Error> {
    Ok(persons(pool, Some(id)).await?.pop())
}

async fn persons(pool: &PgPool, only: Option<Uuid>) -> Result<Vec<Person>, sqlx::Error> {
    let rows = sqlx::query!(
        r#"
        select id, name, email, active
        from persons
        where ($1::uuid is null or id = $1)
        order by lower(name), id
        "#,
        only
    )
    .fetch_all(pool)
    .await?;
    let mut accounts = accounts_by_person(pool, only).await?;
    Ok(rows
        .into_iter()
        .map(|r| Person {
            external_accounts: accounts.remove(&r.id).unwrap_or_default(),
            id: r.id,
            name: r.name,
            email: r.email,
            active: r.active,
        })
        .collect())
}

async fn accounts_by_person(pool: &PgPool, only: Option<Uuid>) -> Result<HashMap<Uuid, Vec<ExternalAccountLink>>, sqlx::Error> {
    let rows = sqlx::query!(
        r#"
        select id, person_id, connection_id, platform, external_id, username, display_name, email,
               linked_at, linked_by, is_primary, active, verified, last_seen, last_synced
        from external_account_links
        where deleted_at is null and ($1::uuid is null or person_id = $1)
        order by person_id, platform, linked_at, id
        "#,
        only
    )
    .fetch_all(pool)
    .await?;
    let mut out: HashMap<Uuid, Vec<ExternalAccountLink>> = HashMap::new();
    for r in rows {
        out.entry(r.person_id).or_default().push(ExternalAccountLink {
            id: r.id,
            connection_id: r.connection_id,
            platform: parse_enum("platform", &r.platform)?,
            external_id: r.external_id,
            username: r.username,
            display_name: r.display_name,
            email: r.email,
            linked_at: r.linked_at,
            linked_by: r.linked_by,
            is_primary: r.is_primary,
            active: r.active,
            last_seen: r.last_seen,
            last_synced: r.last_synced,
            verified: r.verified,
        });
    }
    Ok(out)
}

/// A person's own columns, without links: what entity writes read, change and audit.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PersonRecord {
    pub id: Uuid,
    pub name: String,
    pub email: String,
    pub active: bool,
}

/// Inserts a person inside the caller's transaction; returns their row.
pub async fn create_person(tx: &mut sqlx::PgConnection, name: &str, email: &str, active: bool) -> Result<PersonRecord, sqlx::Error> {
    sqlx::query_as!(
        PersonRecord,
        "insert into persons (name, email, active) values ($1, $2, $3) returning id, name, email, active",
        name,
        email,
        active
    )
    .fetch_one(tx)
    .await
}

/// The person's row, locked until the transaction ends.
pub async fn lock_person(tx: &mut sqlx::PgConnection, id: Uuid) -> Result<Option<PersonRecord>, sqlx::Error> {
    sqlx::query_as!(PersonRecord, "select id, name, email, active from persons where id = $1 for update", id)
        .fetch_optional(tx)
        .await
}

/// Writes the person's changeable columns and stamps `updated_at`; returns the new row.
pub async fn update_person(tx: &mut sqlx::PgConnection, p: &PersonRecord) -> Result<PersonRecord, sqlx::Error> {
    sqlx::query_as!(
        PersonRecord,
        r#"
        update persons set name = $2, email = $3, active = $4, updated_at = now()
        where id = $1
        returning id, name, email, active
        "#,
        p.id,
        p.name,
        p.email,
        p.active
    )
    .fetch_one(tx)
    .await
}

/// Whether the person exists and is active (`None`: no such person).
pub async fn person_active(tx: &mut sqlx::PgConnection, id: Uuid) -> Result<Option<bool>, sqlx::Error> {
    sqlx::query_scalar!("select active from persons where id = $1", id).fetch_optional(tx).await
}

/// The persons whose e-mail matches one of `emails`, compared case-insensitively:
/// (lower-cased e-mail, id, active).
pub async fn persons_by_emails(tx: &mut sqlx::PgConnection, emails: &[String]) -> Result<Vec<(String, Uuid, bool)>, sqlx::Error> {
    let lowered: Vec<String> = emails.iter().map(|e| e.to_lowercase()).collect();
    let rows = sqlx::query!(
        r#"select lower(email) as "email!", id, active from persons where lower(email) = any($1)"#,
        &lowered
    )
    .fetch_all(tx)
    .await?;
    Ok(rows.into_iter().map(|r| (r.email, r.id, r.active)).collect())
}

/// The e-mail domains Velocity's people use: the organisation's own (and alias) domains.
pub async fn email_domains(pool: &PgPool) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar!(
        r#"select distinct lower(split_part(email, '@', 2)) as "domain!" from persons order by 1"#
    )
    .fetch_all(pool)
    .await
}
