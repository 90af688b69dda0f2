//! `/api/openapi.json`: the OpenAPI 3 document, generated from the handlers' own annotations
//! (utoipa), so the document lists exactly the routes that are served.

use crate::server::state::AppState;
use axum::routing::get;
use axum::{Json, Router};
use serde::Serialize;
use utoipa::{Modify, OpenApi, ToSchema};
use utoipa_axum::router::OpenApiRouter;

/// Every error answer: `{"error": {"code", "message", "details"}}`.
#[derive(Serialize, ToSchema)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Serialize, ToSchema)]
pub struct ErrorDetail {
    /// invalid | unauthorized | forbidden | too_many_requests | not_found | method_not_allowed | payload_too_large | conflict | unprocessable | upstream_error | unavailable | internal
    pub code: String,
    /// What went wrong, in words a person can act on.
    pub message: String,
    /// The field at fault, the holder of a conflicting link, warnings to acknowledge, …
    #[schema(value_type = Object, nullable)]
    pub details: serde_json::Value,
}

/// Every route but the health check needs a signed-in principal (a session cookie or an API
/// token): document the bearer scheme, 401 on each, and 403 (a rule refused, or a cross-site
/// request) on each that changes something. Done once here so no handler can forget it.
struct Security;

impl Modify for Security {
    fn modify(&self, doc: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityRequirement, SecurityScheme};
        use utoipa::openapi::{ContentBuilder, Ref, ResponseBuilder};
        let components = doc.components.get_or_insert_with(Default::default);
        components.add_security_scheme("bearer", SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).description(Some("An API token from POST /api/tokens or `velocity admin token`")).build()));
        doc.security = Some(vec![SecurityRequirement::new("bearer", Vec::<String>::new())]);
        let error = |what: &str| ResponseBuilder::new().description(what).content("application/json", ContentBuilder::new().schema(Some(Ref::from_schema_name("ErrorBody"))).build()).build();
        for (path, item) in doc.paths.paths.iter_mut() {
            let public = path == "/health";
            let ops = [(&mut item.get, false), (&mut item.head, false), (&mut item.post, true), (&mut item.put, true), (&mut item.delete, true), (&mut item.patch, true)];
            for (op, unsafe_method) in ops {
                let Some(op) = op.as_mut() else { continue };
                if public {
                    op.security = Some(vec![SecurityRequirement::default()]);
                    continue;
                }
                op.responses.responses.entry("401".into()).or_insert_with(|| error("Not signed in, or the token is unknown or revoked").into());
                if unsafe_method {
                    op.responses.responses.entry("403".into()).or_insert_with(|| error("Not allowed for this principal, or a cross-site request").into());
                }
            }
        }
    }
}

#[derive(OpenApi)]
#[openapi(
    info(title = "Velocity API", version = "1", description = "Projects, people and the links that are the only way external data comes in."),
    components(schemas(ErrorBody, ErrorDetail)),
    tags((name = "links", description = "Declare, confirm, change and validate links"), (name = "connections", description = "The upstream systems Velocity reads (admins only)"), (name = "audit"), (name = "health"), (name = "sync", description = "Sync runs: start, list, read"))
)]
struct ApiDoc;

/// The documented REST routes plus the document itself.
pub fn router(documented: OpenApiRouter<AppState>) -> Router<AppState> {
    let (router, mut api) = OpenApiRouter::with_openapi(ApiDoc::openapi()).merge(documented).split_for_parts();
    // After the merge: the routes' operations only exist now.
    Security.modify(&mut api);
    let document = std::sync::Arc::new(api);
    router.route("/api/openapi.json", get(move || async move { Json(document.as_ref().clone()) }))
}
