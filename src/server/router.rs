//! The axum router: Leptos pages and server functions, REST endpoints, static files, and the
//! layers every answer passes: security headers, a body limit, JSON errors under `/api/`.

use crate::api::json_errors::{self, MAX_BODY_BYTES};
use crate::app::{shell, App};
use crate::server::state::AppState;
use axum::extract::DefaultBodyLimit;
use axum::http::{header, HeaderValue, Response};
use axum::Router;
use leptos::prelude::*;
use leptos_axum::{generate_route_list, LeptosRoutes};
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;

pub fn app_router(state: AppState) -> Router {
    let routes = generate_route_list(App);
    let context_state = state.clone();
    let shell_options = state.leptos_options.clone();
    Router::new()
        .leptos_routes_with_context(
            &state,
            routes,
            move || provide_context(context_state.clone()),
            move || shell(shell_options.clone()),
        )
        .merge(crate::api::rest::router())
        .fallback(leptos_axum::file_and_error_handler::<AppState, _>(shell))
        .layer(axum::middleware::from_fn_with_state(state.clone(), crate::auth::middleware::layer))
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(RequestBodyLimitLayer::new(MAX_BODY_BYTES))
        .layer(axum::middleware::from_fn(json_errors::layer))
        .layer(SetResponseHeaderLayer::if_not_present(header::CONTENT_SECURITY_POLICY, default_policy))
        .layer(SetResponseHeaderLayer::overriding(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")))
        .layer(SetResponseHeaderLayer::overriding(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY")))
        .layer(SetResponseHeaderLayer::overriding(header::REFERRER_POLICY, HeaderValue::from_static("same-origin")))
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}

/// Pages set their own policy with the response's script nonce (`app::shell`); anything else
/// (JSON, CSV, files) may run nothing and be framed by no one.
fn default_policy<B>(response: &Response<B>) -> Option<HeaderValue> {
    let is_html = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    let policy = if is_html { "frame-ancestors 'none'" } else { "default-src 'none'; frame-ancestors 'none'" };
    Some(HeaderValue::from_static(policy))
}
