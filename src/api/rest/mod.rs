//! REST endpoints for integrators and operators (JSON in, JSON out; errors as `ApiError`).

pub mod audit;
pub mod extract;
pub mod health;
pub mod links;

use crate::server::state::AppState;
use axum::Router;

pub fn router() -> Router<AppState> {
    Router::new().merge(health::router()).merge(links::router()).merge(audit::router())
}
