//! Sign-in server functions: `Login` (also the login page's form, so it works before
//! hydration), `Logout` and `CurrentUser`. Login and CurrentUser are public
//! (`auth::middleware::PUBLIC_SERVER_FNS`); the rest of the app needs a session.

use crate::api::ApiError;
use crate::auth::Role;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// The signed-in person as the UI shows them.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CurrentUserView {
    pub person_id: Uuid,
    pub name: String,
    pub email: String,
    pub role: Role,
    /// Links waiting for an admin's approval: counted for admins only (0 for others).
    pub pending: i64,
}

/// Signs in with e-mail and password: a new session (the old cookie's session is dropped), its
/// cookie, and a redirect to the directory. Wrong credentials are 401 with one message for
/// both cases; repeated failures are 429 with Retry-After.
#[server(endpoint = "login")]
pub async fn login(email: String, password: String) -> Result<(), ApiError> {
    crate::api::error::with_status(ssr::login(email, password).await)
}

/// Ends the session and clears its cookie.
#[server(endpoint = "logout")]
pub async fn logout() -> Result<(), ApiError> {
    crate::api::error::with_status(ssr::logout().await)
}

/// Who is signed in, or nothing.
#[server(endpoint = "current_user")]
pub async fn current_user() -> Result<Option<CurrentUserView>, ApiError> {
    crate::api::error::with_status(ssr::current_user().await)
}

#[cfg(feature = "ssr")]
pub(crate) mod ssr {
    use super::CurrentUserView;
    use crate::api::ApiError;
    use crate::auth::{password, session, throttle};
    use axum::http::{header, HeaderValue};
    use leptos::prelude::*;
    use leptos_axum::ResponseOptions;
    use std::time::Instant;

    pub(crate) fn state() -> Result<crate::server::state::AppState, ApiError> {
        use_context::<crate::server::state::AppState>().ok_or(ApiError::Internal)
    }

    fn request_headers() -> axum::http::HeaderMap {
        use_context::<axum::http::request::Parts>()
            .map(|p| p.headers)
            .unwrap_or_default()
    }

    fn set_cookie(value: String) {
        if let (Some(response), Ok(v)) = (
            use_context::<ResponseOptions>(),
            HeaderValue::from_str(&value),
        ) {
            response.append_header(header::SET_COOKIE, v);
        }
    }

    fn too_many(what: &str, wait: std::time::Duration) -> ApiError {
        let secs = wait.as_secs().max(1);
        ApiError::TooManyRequests { message: format!("{what}; try again in {secs} s"), retry_after_secs: secs }
    }

    /// Longer input is no e-mail (RFC 5321 caps it at 254 characters) and no password anyone
    /// types; refused before it is counted, stored in the throttle or hashed.
    const MAX_EMAIL: usize = 320;
    const MAX_PASSWORD: usize = 1024;

    pub async fn login(email: String, pw: String) -> Result<(), ApiError> {
        if email.len() > MAX_EMAIL {
            return Err(ApiError::invalid("email", format!("is {} bytes long; an e-mail address has at most {MAX_EMAIL}", email.len())));
        }
        if pw.len() > MAX_PASSWORD {
            return Err(ApiError::invalid("password", format!("is {} bytes long; at most {MAX_PASSWORD}", pw.len())));
        }
        let s = state()?;
        let client = use_context::<axum::http::request::Parts>().map_or(std::net::IpAddr::V4(std::net::Ipv4Addr::UNSPECIFIED), |p| crate::auth::client::address(&p));
        check_rate(&s)?;
        let key = throttle::key(&email);
        s.auth
            .throttle
            .begin(&key, client, Instant::now())
            .map_err(|wait| too_many("too many failed sign-ins for this e-mail", wait))?;
        let found = crate::store::accounts::login_by_email(&s.pool, email.trim()).await?;
        let permit = s.auth.hashing.clone().acquire_owned().await.map_err(|_| ApiError::Internal)?;
        let person = tokio::task::spawn_blocking(move || {
            let _hashing = permit;
            match found {
            Some(l)
                if l.active
                    && l.password_hash
                        .as_deref()
                        .is_some_and(|h| password::verify(&pw, h)) =>
            {
                Some(l.person_id)
            }
            _ => {
                password::verify_nothing(&pw);
                None
            }
            }
        })
        .await
        .map_err(|_| ApiError::Internal)?;
        let Some(person_id) = person else {
            tracing::info!("sign-in refused");
            return Err(ApiError::unauthorized("wrong e-mail or password"));
        };
        s.auth.throttle.succeeded(&key, client);
        start_session(&s, person_id).await?;
        tracing::info!(%person_id, "signed in");
        leptos_axum::redirect("/");
        Ok(())
    }

    /// A new session for the person (the request's old one dropped) and its cookie.
    pub(crate) async fn start_session(s: &crate::server::state::AppState, person_id: uuid::Uuid) -> Result<(), ApiError> {
        let headers = request_headers();
        let id = session::start(&s.pool, person_id, session::cookie_value(&headers).as_deref()).await?;
        set_cookie(session::set_cookie(&id, session::LIFETIME.num_seconds(), session::served_securely(&headers)));
        Ok(())
    }

    /// The sign-in rate limits (per client and for the server), shared by everything anonymous
    /// that checks a secret.
    pub(crate) fn check_rate(s: &crate::server::state::AppState) -> Result<(), ApiError> {
        let client = use_context::<axum::http::request::Parts>().map_or(std::net::IpAddr::V4(std::net::Ipv4Addr::UNSPECIFIED), |p| crate::auth::client::address(&p));
        s.auth.rate_limits.check(client).map_err(|refused| match refused {
            throttle::Refused::Client(wait) => too_many("too many sign-in attempts from your address", wait),
            throttle::Refused::Server(wait) => too_many("the server is receiving too many sign-in attempts", wait),
        })
    }

    pub async fn logout() -> Result<(), ApiError> {
        crate::api::context::ui_principal().await?;
        let s = state()?;
        let headers = request_headers();
        if let Some(id) = session::cookie_value(&headers) {
            session::end(&s.pool, &id).await?;
        }
        set_cookie(session::clear_cookie(session::served_securely(&headers)));
        leptos_axum::redirect("/login");
        Ok(())
    }

    pub async fn current_user() -> Result<Option<CurrentUserView>, ApiError> {
        // Asking is allowed anonymously; the answer is "nobody", not an error.
        let Some(p) = crate::api::context::signed_in() else {
            return Ok(None);
        };
        let state = state()?;
        let person = crate::store::persons::person_by_id(&state.pool, p.person_id).await?;
        let pending = state.links.pending_count(&p).await?;
        Ok(person.map(|person| CurrentUserView {
            person_id: p.person_id,
            name: person.name,
            email: person.email,
            role: p.role,
            pending,
        }))
    }
}
