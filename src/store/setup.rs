//! The first-run setup code (`setup_code`, one row at most) and the onboarding counts.

use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

/// Replaces the code: the one printed by the latest start is the one that works.
pub async fn replace_code(pool: &PgPool, code_hash: &[u8]) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "insert into setup_code (singleton, code_hash) values (true, $1)
         on conflict (singleton) do update set code_hash = excluded.code_hash, created_at = now()",
        code_hash
    )
    .execute(pool)
    .await?;
    Ok(())
}

pub async fn any_account(pool: &PgPool) -> Result<bool, sqlx::Error> {
    Ok(sqlx::query_scalar!("select exists (select 1 from accounts) as \"any!\"").fetch_one(pool).await?)
}

/// True while a code waits and nobody has an account.
pub async fn needed(pool: &PgPool) -> Result<bool, sqlx::Error> {
    Ok(sqlx::query_scalar!(
        "select exists (select 1 from setup_code) and not exists (select 1 from accounts) as \"needed!\""
    )
    .fetch_one(pool)
    .await?)
}

/// The waiting code's hash, locked until the transaction ends (two claims cannot both pass),
/// and whether any account exists by then.
pub async fn lock_code(tx: &mut PgConnection) -> Result<(Option<Vec<u8>>, bool), sqlx::Error> {
    let hash = sqlx::query_scalar!("select code_hash from setup_code for update").fetch_optional(&mut *tx).await?;
    let any = sqlx::query_scalar!("select exists (select 1 from accounts) as \"any!\"").fetch_one(&mut *tx).await?;
    Ok((hash, any))
}

pub async fn delete_code(tx: &mut PgConnection) -> Result<(), sqlx::Error> {
    sqlx::query!("delete from setup_code").execute(tx).await?;
    Ok(())
}

pub async fn person_by_email(tx: &mut PgConnection, email: &str) -> Result<Option<Uuid>, sqlx::Error> {
    sqlx::query_scalar!("select id from persons where lower(email) = lower($1)", email).fetch_optional(tx).await
}

pub async fn insert_admin(tx: &mut PgConnection, person_id: Uuid, password_hash: &str) -> Result<(), sqlx::Error> {
    sqlx::query!("insert into accounts (person_id, role, password_hash) values ($1, 'admin', $2)", person_id, password_hash)
        .execute(tx)
        .await?;
    Ok(())
}

/// What the getting-started page counts.
pub async fn counts(pool: &PgPool) -> Result<crate::domain::setup::Progress, sqlx::Error> {
    sqlx::query_as!(
        crate::domain::setup::Progress,
        r#"select
             (select count(*) from connections) as "connections!",
             (select count(*) from connections where last_test->>'ok' = 'true') as "connections_tested_ok!",
             (select count(*) from persons where active) as "persons!",
             (select count(*) from projects where active) as "projects!",
             (select count(*) from suggestions where status = 'open') as "open_suggestions!",
             (select count(*) from jira_project_links where active and deleted_at is null)
               + (select count(*) from repository_links where active and deleted_at is null)
               + (select count(*) from external_account_links where active and deleted_at is null) as "active_links!""#
    )
    .fetch_one(pool)
    .await
}
