//! `GET /health`: 200 when the database answers, 503 with a JSON reason when it does not.

use crate::api::ApiError;
use crate::server::state::AppState;
use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use serde_json::{json, Value};

pub fn router() -> Router<AppState> {
    Router::new().route("/health", get(health))
}

async fn health(State(state): State<AppState>) -> Result<Json<Value>, ApiError> {
    crate::store::ping(&state.pool).await.map_err(|e| {
        tracing::warn!(error = %e, "health check: database did not answer");
        ApiError::Unavailable("the database does not answer".into())
    })?;
    Ok(Json(json!({ "status": "ok", "database": "ok" })))
}
