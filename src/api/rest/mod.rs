//! REST endpoints for integrators and operators (JSON in, JSON out; errors as `ApiError`).
//! Routes registered through `OpenApiRouter` appear in `/api/openapi.json`.

pub mod activity;
pub mod audit;
pub mod connections;
pub mod entities;
pub mod extract;
pub mod health;
pub mod identities;
pub mod links;
pub mod openapi;
pub mod pending;
pub mod suggestions;
pub mod sync;
pub mod tokens;

use crate::server::state::AppState;
use axum::Router;
use utoipa_axum::router::OpenApiRouter;

pub fn router() -> Router<AppState> {
    let documented = OpenApiRouter::new()
        .merge(health::router())
        .merge(activity::router())
        .merge(links::router())
        .merge(audit::router())
        .merge(connections::router())
        .merge(entities::router())
        .merge(tokens::router())
        .merge(pending::router())
        .merge(identities::router())
        .merge(sync::router());
    Router::new().merge(openapi::router(documented)).merge(sync::plain())
}
