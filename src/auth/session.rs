//! Server-side sessions: the cookie carries a random id, the `sessions` table its SHA-256, the
//! person and the expiry. A sign-in always makes a new id and drops the one the browser sent,
//! so an id planted before sign-in never becomes a signed-in session (no fixation).

use super::rules::{Principal, Role};
use super::secrets;
use axum::http::HeaderMap;
use sqlx::PgPool;
use uuid::Uuid;

pub const COOKIE: &str = "velocity_session";
pub const LIFETIME: chrono::Duration = chrono::Duration::days(7);

/// The session id the request's cookie carries.
pub fn cookie_value(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(axum::http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == COOKIE)
        .map(|(_, value)| value.trim().to_owned())
        .filter(|v| !v.is_empty())
}

/// HttpOnly (no script reads it), SameSite=Lax (not sent on cross-site posts), Secure when
/// the app is reached over https (directly or behind a proxy that says so) or
/// `VELOCITY_SECURE_COOKIES=true`.
pub fn set_cookie(value: &str, max_age_secs: i64, secure: bool) -> String {
    let secure = if secure { "; Secure" } else { "" };
    format!("{COOKIE}={value}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age_secs}{secure}")
}

pub fn clear_cookie(secure: bool) -> String {
    set_cookie("", 0, secure)
}

pub fn served_securely(headers: &HeaderMap) -> bool {
    let forwarded = headers
        .get("x-forwarded-proto")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.eq_ignore_ascii_case("https"));
    forwarded || std::env::var("VELOCITY_SECURE_COOKIES").is_ok_and(|v| v == "true" || v == "1")
}

/// A new session for the person; returns the id for the cookie. The old id (if any) is deleted.
pub async fn start(
    pool: &PgPool,
    person_id: Uuid,
    old: Option<&str>,
) -> Result<String, sqlx::Error> {
    if let Some(old) = old {
        crate::store::accounts::delete_session(pool, &secrets::hash(old)).await?;
    }
    crate::store::accounts::delete_expired_sessions(pool).await?;
    let id = secrets::random_secret();
    crate::store::accounts::insert_session(
        pool,
        &secrets::hash(&id),
        person_id,
        chrono::Utc::now() + LIFETIME,
    )
    .await?;
    Ok(id)
}

pub async fn end(pool: &PgPool, id: &str) -> Result<(), sqlx::Error> {
    crate::store::accounts::delete_session(pool, &secrets::hash(id)).await
}

fn principal(row: Option<(Uuid, String)>) -> Option<Principal> {
    row.and_then(|(person_id, role)| Role::parse(&role).map(|role| Principal { person_id, role }))
}

pub async fn by_session(pool: &PgPool, id: &str) -> Result<Option<Principal>, sqlx::Error> {
    Ok(principal(
        crate::store::accounts::session_person(pool, &secrets::hash(id)).await?,
    ))
}

pub async fn by_token(pool: &PgPool, token: &str) -> Result<Option<Principal>, sqlx::Error> {
    Ok(principal(
        crate::store::accounts::use_token(pool, &secrets::hash(token)).await?,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_session_cookie_among_others() {
        let mut h = HeaderMap::new();
        h.insert(
            "cookie",
            "a=1; velocity_session=abc ; b=2".parse().expect("header"),
        );
        assert_eq!(cookie_value(&h).as_deref(), Some("abc"));
        h.insert("cookie", "velocity_session=".parse().expect("header"));
        assert_eq!(cookie_value(&h), None);
    }

    #[test]
    fn cookie_attributes() {
        let c = set_cookie("x", 60, true);
        assert!(c.contains("HttpOnly") && c.contains("SameSite=Lax") && c.ends_with("Secure"));
        assert!(!set_cookie("x", 60, false).contains("Secure"));
        assert!(clear_cookie(false).contains("Max-Age=0"));
    }
}
