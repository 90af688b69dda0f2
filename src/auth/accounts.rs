//! Creating accounts and API tokens: shared by `velocity admin`, the demo, the REST API and the
//! tests, so each makes them the same way (argon2 for passwords, SHA-256 for tokens).

use super::rules::Role;
use super::{password, secrets};
use crate::store::accounts::{self as store, TokenRow};
use sqlx::PgPool;
use uuid::Uuid;

#[derive(Debug, thiserror::Error)]
pub enum AccountError {
    #[error("the password must have at least {min} characters", min = password::MIN_LENGTH)]
    ShortPassword,
    #[error("no person with e-mail {0}; pass --name to create them")]
    NoPerson(String),
    #[error("cannot hash the password: {0}")]
    Hash(String),
    #[error(transparent)]
    Store(#[from] sqlx::Error),
}

/// The account made and the password when one was generated (to be shown once).
pub struct Created {
    pub person_id: Uuid,
    pub generated_password: Option<String>,
}

/// Gives the person with this e-mail an account (creating the person when `name` is given and
/// nobody has the e-mail); replaces the role and password of an existing account.
pub async fn create_account(
    pool: &PgPool,
    email: &str,
    name: Option<&str>,
    role: Role,
    pw: Option<String>,
) -> Result<Created, AccountError> {
    if pw
        .as_ref()
        .is_some_and(|p| p.chars().count() < password::MIN_LENGTH)
    {
        return Err(AccountError::ShortPassword);
    }
    let person_id = match (store::person_id_by_email(pool, email).await?, name) {
        (Some(id), _) => id,
        (None, Some(name)) => crate::store::persons::insert_person(pool, name, email).await?,
        (None, None) => return Err(AccountError::NoPerson(email.to_owned())),
    };
    let generated_password = pw.is_none().then(secrets::generated_password);
    let plain = pw
        .or_else(|| generated_password.clone())
        .unwrap_or_default();
    let hash = tokio::task::spawn_blocking(move || password::hash(&plain))
        .await
        .map_err(|e| AccountError::Hash(e.to_string()))?
        .map_err(|e| AccountError::Hash(e.to_string()))?;
    store::upsert_account(pool, person_id, role.as_str(), &hash).await?;
    Ok(Created {
        person_id,
        generated_password,
    })
}

/// A token's name, trimmed: 1 to 200 characters, no NUL.
pub fn token_name(raw: &str) -> Result<&str, String> {
    let name = raw.trim();
    if name.is_empty() || name.chars().count() > 200 || name.contains('\0') {
        return Err("give the token a name of 1 to 200 characters".into());
    }
    Ok(name)
}

/// Revokes a token for `who`: `None` when there is no such token, or when it is someone else's
/// and `who` is no admin (so token ids cannot be probed); the revoked row otherwise.
pub async fn revoke_token(pool: &PgPool, who: &super::Principal, id: Uuid) -> Result<Option<TokenRow>, sqlx::Error> {
    let Some(row) = store::token_by_id(pool, id).await? else { return Ok(None) };
    if super::rules::manage_token(who, row.person_id).is_err() {
        return Ok(None);
    }
    store::revoke_token(pool, id).await?;
    store::token_by_id(pool, id).await
}

/// A new API token for the person; the plain token is returned once and never stored.
pub async fn create_token(
    pool: &PgPool,
    person_id: Uuid,
    name: &str,
) -> Result<(TokenRow, String), sqlx::Error> {
    let token = secrets::new_token();
    let row = store::insert_token(pool, person_id, name, &secrets::hash(&token)).await?;
    Ok((row, token))
}

#[cfg(test)]
mod tests {
    use super::token_name;

    #[test]
    fn token_names_are_trimmed_and_bounded() {
        assert_eq!(token_name("  ci  "), Ok("ci"));
        assert!(token_name("   ").is_err());
        assert!(token_name(&"x".repeat(201)).is_err());
        assert!(token_name("a\0b").is_err());
        assert_eq!(token_name(&"é".repeat(200)).map(|n| n.chars().count()), Ok(200));
    }
}
