//! `commit_identity_links`: git author e-mails linked to persons, and the attribution of stored
//! commits through them.

use chrono::{DateTime, Utc};
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

/// One commit identity link as stored, with how many commits it attributes today.
#[derive(Debug, Clone)]
pub struct IdentityRow {
    pub id: Uuid,
    pub person_id: Uuid,
    pub email: String,
    pub connection_id: Option<Uuid>,
    pub pending: bool,
    pub linked_at: DateTime<Utc>,
    pub linked_by: Option<Uuid>,
    pub commits: i64,
}

/// A person's identities that are not deleted, by address.
pub async fn of_person(pool: &PgPool, person_id: Uuid) -> Result<Vec<IdentityRow>, sqlx::Error> {
    sqlx::query_as!(
        IdentityRow,
        r#"
        select i.id, i.person_id, i.email, i.connection_id, i.pending, i.linked_at, i.linked_by,
               (select count(*) from commits c where c.commit_identity_link_id = i.id) as "commits!"
        from commit_identity_links i
        where i.person_id = $1 and i.deleted_at is null
        order by i.email
        "#,
        person_id
    )
    .fetch_all(pool)
    .await
}

/// The identity with this id, locked for a change in `tx`.
pub async fn lock(tx: &mut PgConnection, id: Uuid) -> Result<Option<IdentityRow>, sqlx::Error> {
    sqlx::query_as!(
        IdentityRow,
        r#"
        select i.id, i.person_id, i.email, i.connection_id, i.pending, i.linked_at, i.linked_by,
               0::bigint as "commits!"
        from commit_identity_links i
        where i.id = $1 and i.deleted_at is null
        for update
        "#,
        id
    )
    .fetch_optional(tx)
    .await
}

/// Who holds this address today (the link, the person's id and name), if anyone.
pub async fn holder(tx: &mut PgConnection, email: &str) -> Result<Option<(Uuid, Uuid, String)>, sqlx::Error> {
    let row = sqlx::query!(
        r#"
        select i.id, p.id as person_id, p.name from commit_identity_links i join persons p on p.id = i.person_id
        where i.email = $1 and i.deleted_at is null
        "#,
        email
    )
    .fetch_optional(tx)
    .await?;
    Ok(row.map(|r| (r.id, r.person_id, r.name)))
}

pub struct NewIdentity<'a> {
    pub person_id: Uuid,
    pub email: &'a str,
    pub connection_id: Option<Uuid>,
    pub pending: bool,
    pub linked_by: Option<Uuid>,
}

pub async fn insert(tx: &mut PgConnection, n: NewIdentity<'_>) -> Result<(Uuid, DateTime<Utc>), sqlx::Error> {
    let row = sqlx::query!(
        r#"
        insert into commit_identity_links (person_id, email, connection_id, pending, linked_by)
        values ($1, $2, $3, $4, $5)
        returning id, linked_at
        "#,
        n.person_id,
        n.email,
        n.connection_id,
        n.pending,
        n.linked_by
    )
    .fetch_one(tx)
    .await?;
    Ok((row.id, row.linked_at))
}

pub async fn soft_delete(tx: &mut PgConnection, id: Uuid) -> Result<(), sqlx::Error> {
    sqlx::query!("update commit_identity_links set deleted_at = now() where id = $1 and deleted_at is null", id)
        .execute(tx)
        .await
        .map(|_| ())
}

pub async fn approve(tx: &mut PgConnection, id: Uuid) -> Result<(), sqlx::Error> {
    sqlx::query!("update commit_identity_links set pending = false where id = $1 and deleted_at is null", id)
        .execute(tx)
        .await
        .map(|_| ())
}

/// The identities that attribute commits (approved, not deleted): id, person, e-mail, scope.
pub async fn attributing(pool: &PgPool) -> Result<Vec<(Uuid, Uuid, String, Option<Uuid>)>, sqlx::Error> {
    let rows = sqlx::query!(
        r#"
        select id, person_id, email, connection_id from commit_identity_links
        where deleted_at is null and not pending
        order by email
        "#
    )
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().map(|r| (r.id, r.person_id, r.email, r.connection_id)).collect())
}

/// Every address linked today, pending or not (no one else may link it).
pub async fn held(pool: &PgPool) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar!("select email from commit_identity_links where deleted_at is null order by email")
        .fetch_all(pool)
        .await
}

/// Author e-mails of unattributed commits whose mailbox (local part without its +tag) is
/// `mailbox`, with their commit counts: the candidates for one person's suggestions.
pub async fn unattributed_with_mailbox(pool: &PgPool, mailbox: &str) -> Result<Vec<(String, i64)>, sqlx::Error> {
    let rows = sqlx::query!(
        r#"
        select lower(btrim(author_email)) as "email!", count(*) as "commits!"
        from commits
        where velocity_person_id is null and author_email is not null
          and split_part(split_part(lower(btrim(author_email)), '@', 1), '+', 1) = $1
        group by 1 order by 1
        "#,
        mailbox
    )
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().map(|r| (r.email, r.commits)).collect())
}

/// Brings stored commits in line with the identity links, so that an incremental run ends where
/// a full resync would: commits attributed through a removed identity lose it, an author account
/// linked since takes precedence over an e-mail, and unattributed commits take their linked
/// author account's person, else an approved identity's.
/// Returns the rows changed.
pub async fn reattribute(pool: &PgPool) -> Result<u64, sqlx::Error> {
    let mut tx = pool.begin().await?;
    // Detached first, so that step two can give them to their author's account.
    let detached = sqlx::query!(
        r#"
        update commits c set velocity_person_id = null, commit_identity_link_id = null
        from commit_identity_links i
        where c.commit_identity_link_id = i.id
          and (i.deleted_at is not null or i.pending or exists (
                select 1 from external_account_links l
                where l.connection_id = c.connection_id and l.external_id = c.author_account_id
                  and l.active and l.deleted_at is null))
        "#
    )
    .execute(&mut *tx)
    .await?
    .rows_affected();
    let by_account = sqlx::query!(
        r#"
        update commits c set velocity_person_id = l.person_id
        from external_account_links l
        where c.velocity_person_id is null and l.connection_id = c.connection_id
          and l.external_id = c.author_account_id and l.active and l.deleted_at is null
        "#
    )
    .execute(&mut *tx)
    .await?
    .rows_affected();
    let attached = sqlx::query!(
        r#"
        update commits c set velocity_person_id = i.person_id, commit_identity_link_id = i.id
        from commit_identity_links i
        where c.velocity_person_id is null and c.author_email is not null
          and lower(btrim(c.author_email)) = i.email and i.deleted_at is null and not i.pending
          and (i.connection_id is null or i.connection_id = c.connection_id)
        "#
    )
    .execute(&mut *tx)
    .await?
    .rows_affected();
    tx.commit().await?;
    Ok(detached + by_account + attached)
}
