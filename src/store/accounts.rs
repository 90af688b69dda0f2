//! Sign-in data: `accounts` (role, password hash), `sessions` and `api_tokens` (both by the
//! SHA-256 of their secret).

use chrono::{DateTime, Utc};
use sqlx::PgPool;
use uuid::Uuid;

/// What sign-in needs about a person, found by e-mail (ignoring case).
pub struct Login {
    pub person_id: Uuid,
    pub role: String,
    pub password_hash: Option<String>,
    pub active: bool,
}

pub async fn login_by_email(pool: &PgPool, email: &str) -> Result<Option<Login>, sqlx::Error> {
    sqlx::query_as!(
        Login,
        "select a.person_id, a.role, a.password_hash, p.active from accounts a join persons p on p.id = a.person_id where lower(p.email) = lower($1)",
        email
    )
    .fetch_optional(pool)
    .await
}

/// Creates the account or replaces its role and password.
pub async fn upsert_account(
    pool: &PgPool,
    person_id: Uuid,
    role: &str,
    password_hash: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "insert into accounts (person_id, role, password_hash) values ($1, $2, $3)
         on conflict (person_id) do update set role = excluded.role, password_hash = excluded.password_hash, updated_at = now()",
        person_id,
        role,
        password_hash
    )
    .execute(pool)
    .await?;
    Ok(())
}

/// The signed-in person behind a session, if it has not expired and the person is active.
pub async fn session_person(
    pool: &PgPool,
    id_hash: &[u8],
) -> Result<Option<(Uuid, String)>, sqlx::Error> {
    let row = sqlx::query!(
        "select a.person_id, a.role from sessions s join accounts a on a.person_id = s.person_id join persons p on p.id = s.person_id
         where s.id_hash = $1 and s.expires_at > now() and p.active",
        id_hash
    )
    .fetch_optional(pool)
    .await?;
    Ok(row.map(|r| (r.person_id, r.role)))
}

pub async fn insert_session(
    pool: &PgPool,
    id_hash: &[u8],
    person_id: Uuid,
    expires_at: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "insert into sessions (id_hash, person_id, expires_at) values ($1, $2, $3)",
        id_hash,
        person_id,
        expires_at
    )
    .execute(pool)
    .await?;
    Ok(())
}

/// Expired sessions are useless; sign-ins sweep them so the table stays small.
pub async fn delete_expired_sessions(pool: &PgPool) -> Result<(), sqlx::Error> {
    sqlx::query!("delete from sessions where expires_at <= now()").execute(pool).await?;
    Ok(())
}

pub async fn delete_session(pool: &PgPool, id_hash: &[u8]) -> Result<(), sqlx::Error> {
    sqlx::query!("delete from sessions where id_hash = $1", id_hash)
        .execute(pool)
        .await?;
    Ok(())
}

/// The person behind a live token; records its use.
pub async fn use_token(
    pool: &PgPool,
    token_hash: &[u8],
) -> Result<Option<(Uuid, String)>, sqlx::Error> {
    let row = sqlx::query!(
        "update api_tokens t set last_used_at = now() from accounts a, persons p
         where t.token_hash = $1 and t.revoked_at is null and a.person_id = t.person_id and p.id = t.person_id and p.active
         returning a.person_id, a.role",
        token_hash
    )
    .fetch_optional(pool)
    .await?;
    Ok(row.map(|r| (r.person_id, r.role)))
}

pub struct TokenRow {
    pub id: Uuid,
    pub person_id: Uuid,
    pub name: String,
    pub created_at: DateTime<Utc>,
    pub last_used_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
}

pub async fn insert_token(
    pool: &PgPool,
    person_id: Uuid,
    name: &str,
    token_hash: &[u8],
) -> Result<TokenRow, sqlx::Error> {
    sqlx::query_as!(
        TokenRow,
        "insert into api_tokens (person_id, name, token_hash) values ($1, $2, $3)
         returning id, person_id, name, created_at, last_used_at, revoked_at",
        person_id,
        name,
        token_hash
    )
    .fetch_one(pool)
    .await
}

pub async fn tokens_of(pool: &PgPool, person_id: Uuid) -> Result<Vec<TokenRow>, sqlx::Error> {
    sqlx::query_as!(
        TokenRow,
        "select id, person_id, name, created_at, last_used_at, revoked_at from api_tokens where person_id = $1 order by created_at desc, id",
        person_id
    )
    .fetch_all(pool)
    .await
}

pub async fn token_by_id(pool: &PgPool, id: Uuid) -> Result<Option<TokenRow>, sqlx::Error> {
    sqlx::query_as!(TokenRow, "select id, person_id, name, created_at, last_used_at, revoked_at from api_tokens where id = $1", id)
        .fetch_optional(pool)
        .await
}

pub async fn revoke_token(pool: &PgPool, id: Uuid) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "update api_tokens set revoked_at = coalesce(revoked_at, now()) where id = $1",
        id
    )
    .execute(pool)
    .await?;
    Ok(())
}

/// A person by e-mail (ignoring case), for the command line.
pub async fn person_id_by_email(pool: &PgPool, email: &str) -> Result<Option<Uuid>, sqlx::Error> {
    sqlx::query_scalar!(
        "select id from persons where lower(email) = lower($1)",
        email
    )
    .fetch_optional(pool)
    .await
}

/// A project's lead, looked up for a permission decision: `None` when there is no such project.
pub async fn project_lead(pool: &PgPool, key: &str) -> Result<Option<Option<Uuid>>, sqlx::Error> {
    Ok(
        sqlx::query!("select lead_person_id from projects where key = $1", key)
            .fetch_optional(pool)
            .await?
            .map(|r| r.lead_person_id),
    )
}

pub async fn project_lead_by_id(
    pool: &PgPool,
    id: Uuid,
) -> Result<Option<Option<Uuid>>, sqlx::Error> {
    Ok(
        sqlx::query!("select lead_person_id from projects where id = $1", id)
            .fetch_optional(pool)
            .await?
            .map(|r| r.lead_person_id),
    )
}

/// (target type, target id, the project's lead) of a stored suggestion.
pub async fn suggestion_target(
    pool: &PgPool,
    id: Uuid,
) -> Result<Option<(String, Uuid, Option<Uuid>)>, sqlx::Error> {
    let row = sqlx::query!(
        r#"select s.target_type, s.target_id, p.lead_person_id as "lead?" from suggestions s
           left join projects p on s.target_type = 'project' and p.id = s.target_id where s.id = $1"#,
        id
    )
    .fetch_optional(pool)
    .await?;
    Ok(row.map(|r| (r.target_type, r.target_id, r.lead)))
}
