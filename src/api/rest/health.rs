//! `GET /health`: 200 when the database answers, 503 with a JSON reason when it does not.

use crate::api::ApiError;
use crate::server::state::AppState;
use axum::extract::State;
use axum::Json;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use serde_json::{json, Value};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(health))
}

#[utoipa::path(get, path = "/health", tag = "health", responses((status = 200, description = "The database answers", body = Object), (status = 503, description = "The database does not answer", body = crate::api::rest::openapi::ErrorBody)))]
async fn health(State(state): State<AppState>) -> Result<Json<Value>, ApiError> {
    crate::store::ping(&state.pool).await.map_err(|e| {
        tracing::warn!(error = %e, "health check: database did not answer");
        ApiError::Unavailable("the database does not answer".into())
    })?;
    Ok(Json(json!({ "status": "ok", "database": "ok" })))
}
