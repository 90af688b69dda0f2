//! REST endpoints for integrators and operators (JSON in, JSON out; errors as `ApiError`).

pub mod health;

use crate::server::state::AppState;
use axum::Router;

pub fn router() -> Router<AppState> {
    Router::new().merge(health::router())
}
