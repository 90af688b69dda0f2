//! What every server function needs from the request context: the link services and the acting
//! person. One place, so sign-in and permissions apply to every server function alike.

use crate::api::ApiError;
use crate::auth::middleware::Authenticated;
use crate::auth::Principal;
use crate::links::{Actor, Links, Source};
use leptos::prelude::*;

pub fn links() -> Result<Links, ApiError> {
    use_context::<crate::server::state::AppState>()
        .map(|s| s.links)
        .ok_or_else(|| {
            tracing::error!("AppState missing from the server function context");
            ApiError::Internal
        })
}

/// The signed-in principal of this server-function call (set by `auth::middleware` from the
/// session cookie); 401 when nobody is signed in. Server functions that decide per target pass
/// it to a `crate::auth::rules` function.
pub async fn ui_principal() -> Result<Principal, ApiError> {
    crate::api::error::with_status(signed_in().ok_or_else(|| ApiError::unauthorized("sign in first")))
}

/// The signed-in principal, if any (for the few calls anonymous people may make).
pub fn signed_in() -> Option<Principal> {
    use_context::<axum::http::request::Parts>().and_then(|p| p.extensions.get::<Authenticated>().map(|a| a.principal))
}

/// The person acting through the UI (`linkedBy` and the audit log); 401 when nobody is signed in.
pub async fn ui_actor() -> Result<Actor, ApiError> {
    let p = ui_principal().await?;
    Ok(Actor { person_id: Some(p.person_id), source: Source::Ui })
}
