//! `AppState`: what every handler and server function can reach.

use crate::api::ApiError;
use axum::extract::FromRef;
use leptos::prelude::*;
use sqlx::PgPool;

#[derive(Clone, FromRef)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub pool: PgPool,
    pub links: crate::links::Links,
    pub auth: crate::auth::AuthState,
}

/// The pool, from inside a server function (the router provides `AppState` as context).
pub fn pool() -> Result<PgPool, ApiError> {
    use_context::<AppState>().map(|s| s.pool).ok_or_else(|| {
        tracing::error!("AppState missing from the server function context");
        ApiError::Internal
    })
}
