//! First run: an instance with no account is claimed with a one-time code that `velocity serve`
//! prints to its own log at start, so only whoever runs the server can become its first admin
//! (not whoever finds the page first). Claiming creates that admin, audited, and spends the code.

use super::{password, secrets};
use crate::store::audit::{self, NewEntry};
use crate::store::setup as store;
use rand::RngCore;
use serde_json::json;
use sqlx::PgPool;
use uuid::Uuid;

/// Crockford's base32 alphabet: no I, L, O or U to misread when typing the code off a log.
const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

#[derive(Debug, thiserror::Error)]
pub enum SetupError {
    #[error("Velocity is already set up; sign in instead")]
    AlreadySetUp,
    #[error("this is not the setup code printed by the server at start (the latest start's code is the one that works)")]
    WrongCode,
    #[error("{0}")]
    Invalid(&'static str, String),
    #[error("cannot hash the password: {0}")]
    Hash(String),
    #[error(transparent)]
    Store(#[from] sqlx::Error),
}

/// 16 characters (80 random bits) in groups of four: `7K2M-Q9XD-…`.
pub fn new_code() -> String {
    let mut bytes = [0u8; 16];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    let chars: Vec<char> = bytes.iter().map(|b| ALPHABET[usize::from(b % 32)] as char).collect();
    chars.chunks(4).map(|c| c.iter().collect::<String>()).collect::<Vec<_>>().join("-")
}

/// The code as typed, read leniently: case, spaces and dashes do not matter, and the letters
/// Crockford's base32 reads as digits (O, I, L) are taken as those digits.
pub fn normalise(typed: &str) -> String {
    typed
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .map(|c| match c.to_ascii_uppercase() {
            'O' => '0',
            'I' | 'L' => '1',
            other => other,
        })
        .collect()
}

fn code_hash(code: &str) -> Vec<u8> {
    secrets::hash(&normalise(code))
}

/// At start: when nobody has an account, a fresh code (stored as its hash) to print; `None`
/// when the instance is already claimed.
pub async fn open_if_unclaimed(pool: &PgPool) -> Result<Option<String>, sqlx::Error> {
    if store::any_account(pool).await? {
        return Ok(None);
    }
    let code = new_code();
    store::replace_code(pool, &code_hash(&code)).await?;
    Ok(Some(code))
}

pub struct Claim {
    pub code: String,
    pub name: String,
    pub email: String,
    pub password: String,
}

/// Creates the first admin (the person too, unless one has the e-mail) and spends the code, in
/// one transaction that holds the code's row: of two claims at once, one wins.
pub async fn claim(pool: &PgPool, c: Claim) -> Result<Uuid, SetupError> {
    let name = crate::links::entities::validate_name(&c.name).map_err(|m| SetupError::Invalid("name", m))?;
    let email = crate::links::entities::validate_email(&c.email).map_err(|m| SetupError::Invalid("email", m))?;
    if c.password.chars().count() < password::MIN_LENGTH {
        return Err(SetupError::Invalid("password", format!("must have at least {} characters", password::MIN_LENGTH)));
    }
    if !store::needed(pool).await? {
        return Err(SetupError::AlreadySetUp);
    }
    let plain = c.password;
    let hash = tokio::task::spawn_blocking(move || password::hash(&plain))
        .await
        .map_err(|e| SetupError::Hash(e.to_string()))?
        .map_err(|e| SetupError::Hash(e.to_string()))?;
    let mut tx = pool.begin().await?;
    let (waiting, any_account) = store::lock_code(&mut tx).await?;
    if any_account || waiting.is_none() {
        return Err(SetupError::AlreadySetUp);
    }
    if waiting.as_deref() != Some(code_hash(&c.code).as_slice()) {
        return Err(SetupError::WrongCode);
    }
    let person_id = match store::person_by_email(&mut tx, &email).await? {
        Some(id) => id,
        None => crate::store::persons::create_person(&mut tx, &name, &email, true).await?.id,
    };
    store::insert_admin(&mut tx, person_id, &hash).await?;
    store::delete_code(&mut tx).await?;
    let entry = NewEntry {
        actor_id: Some(person_id),
        action: "setup.claim",
        entity_type: "person",
        entity_id: person_id.to_string(),
        link_id: None,
        source: crate::links::Source::Ui.as_str(),
        before: None,
        after: Some(json!({"personId": person_id, "name": name, "email": email, "role": "admin"})),
    };
    audit::record(&mut tx, entry).await?;
    tx.commit().await?;
    Ok(person_id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_four_groups_of_four_from_the_alphabet() {
        let code = new_code();
        let groups: Vec<&str> = code.split('-').collect();
        assert_eq!(groups.len(), 4, "{code}");
        assert!(groups.iter().all(|g| g.len() == 4 && g.bytes().all(|b| ALPHABET.contains(&b))), "{code}");
        assert_ne!(new_code(), code);
    }

    #[test]
    fn a_typed_code_is_read_leniently() {
        assert_eq!(normalise(" 7k2m-q9xd 0ilo "), "7K2MQ9XD0110");
        assert_eq!(code_hash("ABCD-EFGH"), code_hash("abcd efgh"));
        assert_ne!(code_hash("ABCD-EFGH"), code_hash("ABCD-EFGK"));
    }
}
