//! `/api/openapi.json`: the OpenAPI 3 document, generated from the handlers' own annotations
//! (utoipa), so the document lists exactly the routes that are served.

use crate::server::state::AppState;
use axum::routing::get;
use axum::{Json, Router};
use serde::Serialize;
use utoipa::{OpenApi, ToSchema};
use utoipa_axum::router::OpenApiRouter;

/// Every error answer: `{"error": {"code", "message", "details"}}`.
#[derive(Serialize, ToSchema)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Serialize, ToSchema)]
pub struct ErrorDetail {
    /// invalid | not_found | conflict | unprocessable | upstream_error | unavailable | internal
    pub code: String,
    /// What went wrong, in words a person can act on.
    pub message: String,
    /// The field at fault, the holder of a conflicting link, warnings to acknowledge, …
    #[schema(value_type = Object, nullable)]
    pub details: serde_json::Value,
}

#[derive(OpenApi)]
#[openapi(
    info(title = "Velocity API", version = "1", description = "Projects, people and the links that are the only way external data comes in."),
    components(schemas(ErrorBody, ErrorDetail)),
    tags((name = "links", description = "Declare, confirm, change and validate links"), (name = "audit"), (name = "health"), (name = "sync", description = "Sync runs: start, list, read"))
)]
struct ApiDoc;

/// The documented REST routes plus the document itself.
pub fn router(documented: OpenApiRouter<AppState>) -> Router<AppState> {
    let (router, api) = OpenApiRouter::with_openapi(ApiDoc::openapi()).merge(documented).split_for_parts();
    let document = std::sync::Arc::new(api);
    router.route("/api/openapi.json", get(move || async move { Json(document.as_ref().clone()) }))
}
