//! `ApiError`: the one error type of the API layer, shared by server functions and REST
//! handlers. Its variants carry messages a person can act on; internal causes are logged on
//! the server and never sent. Mapped once, here, to an HTTP status and the JSON body
//! `{"error": {"code", "message", "details"}}`.

use leptos::prelude::{FromServerFnError, ServerFnErrorErr};
use leptos::server_fn::codec::JsonEncoding;
use serde::{Deserialize, Serialize};
use serde_json::Value;

#[derive(Debug, Clone, PartialEq, thiserror::Error, Serialize, Deserialize)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum ApiError {
    #[error("{message}")]
    Invalid { message: String, field: Option<String> },
    #[error("{message}")]
    Unauthorized { message: String },
    #[error("{message}")]
    Forbidden { message: String },
    #[error("{message}")]
    TooManyRequests { message: String, retry_after_secs: u64 },
    #[error("{0}")]
    NotFound(String),
    #[error("{message}")]
    Conflict { message: String, details: Value },
    #[error("{message}")]
    Unprocessable { message: String, details: Value },
    #[error("{0}")]
    Upstream(String),
    #[error("{0}")]
    Unavailable(String),
    #[error("something went wrong on the server; the details are in its log")]
    Internal,
    #[error("{0}")]
    ServerFn(ServerFnErrorErr),
}

impl ApiError {
    pub fn invalid(field: &str, message: impl Into<String>) -> Self {
        ApiError::Invalid { message: format!("{field}: {}", message.into()), field: Some(field.to_owned()) }
    }

    /// 401: nobody is signed in (or the token is unknown or revoked).
    pub fn unauthorized(message: impl Into<String>) -> Self {
        ApiError::Unauthorized { message: message.into() }
    }

    /// 403: signed in, but a rule in `crate::auth::rules` refused, or a cross-site request.
    pub fn forbidden(message: impl Into<String>) -> Self {
        ApiError::Forbidden { message: message.into() }
    }

    pub fn status(&self) -> u16 {
        match self {
            ApiError::Invalid { .. } => 400,
            ApiError::Unauthorized { .. } => 401,
            ApiError::Forbidden { .. } => 403,
            ApiError::TooManyRequests { .. } => 429,
            ApiError::NotFound(_) => 404,
            ApiError::Conflict { .. } => 409,
            ApiError::Unprocessable { .. } => 422,
            ApiError::Upstream(_) => 502,
            ApiError::Unavailable(_) => 503,
            ApiError::Internal => 500,
            ApiError::ServerFn(e) => match e {
                ServerFnErrorErr::Args(_) | ServerFnErrorErr::MissingArg(_) | ServerFnErrorErr::Deserialization(_) => 400,
                _ => 500,
            },
        }
    }

    pub fn code(&self) -> &'static str {
        match self {
            ApiError::Invalid { .. } => "invalid",
            ApiError::Unauthorized { .. } => "unauthorized",
            ApiError::Forbidden { .. } => "forbidden",
            ApiError::TooManyRequests { .. } => "too_many_requests",
            ApiError::NotFound(_) => "not_found",
            ApiError::Conflict { .. } => "conflict",
            ApiError::Unprocessable { .. } => "unprocessable",
            ApiError::Upstream(_) => "upstream_error",
            ApiError::Unavailable(_) => "unavailable",
            ApiError::ServerFn(_) if self.status() == 400 => "invalid",
            ApiError::Internal | ApiError::ServerFn(_) => "internal",
        }
    }

    pub fn details(&self) -> Value {
        match self {
            ApiError::Invalid { field: Some(f), .. } => serde_json::json!({ "field": f }),
            ApiError::TooManyRequests { retry_after_secs, .. } => serde_json::json!({ "retryAfter": retry_after_secs }),
            ApiError::Conflict { details, .. } | ApiError::Unprocessable { details, .. } => details.clone(),
            _ => Value::Null,
        }
    }
}

impl From<crate::auth::rules::Denied> for ApiError {
    fn from(d: crate::auth::rules::Denied) -> Self {
        ApiError::forbidden(d.0)
    }
}

impl FromServerFnError for ApiError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        ApiError::ServerFn(value)
    }
}

#[cfg(feature = "ssr")]
pub use ssr::with_status;

#[cfg(feature = "ssr")]
mod ssr {
    use super::ApiError;
    use crate::links::LinkError;
    use axum::http::StatusCode;
    use axum::response::{IntoResponse, Response};
    use serde_json::json;

    impl From<sqlx::Error> for ApiError {
        fn from(e: sqlx::Error) -> Self {
            // SQLSTATE class 22 is "data exception": the input itself cannot be stored (a NUL
            // byte, a value out of range), so it is the caller's to fix, not a server fault.
            if let Some(db) = e.as_database_error() {
                if db.code().is_some_and(|c| c.starts_with("22")) {
                    return ApiError::Invalid { message: format!("a value cannot be stored: {}", db.message()), field: None };
                }
            }
            match &e {
                sqlx::Error::PoolTimedOut | sqlx::Error::Io(_) | sqlx::Error::PoolClosed => {
                    tracing::error!(error = %e, "database unavailable");
                    ApiError::Unavailable("the database is unavailable; try again shortly".into())
                }
                _ => {
                    tracing::error!(error = ?e, "database error");
                    ApiError::Internal
                }
            }
        }
    }

    impl From<crate::sync::SyncError> for ApiError {
        fn from(e: crate::sync::SyncError) -> Self {
            use crate::sync::SyncError;
            match e {
                SyncError::NotFound(message) => ApiError::NotFound(message),
                busy @ SyncError::Busy { run_id, .. } => ApiError::Conflict { details: json!({ "runId": run_id }), message: busy.to_string() },
                SyncError::Database(e) => e.into(),
                SyncError::Link(e) => e.into(),
                other => {
                    tracing::warn!(error = %other, "upstream failure during a sync");
                    ApiError::Upstream(format!("the upstream system failed: {other}"))
                }
            }
        }
    }

    impl From<LinkError> for ApiError {
        fn from(e: LinkError) -> Self {
            let message = e.to_string();
            match e {
                LinkError::ProjectNotFound(_) | LinkError::PersonNotFound(_) | LinkError::LinkNotFound(_) => ApiError::NotFound(message),
                LinkError::Invalid { field, message } => ApiError::invalid(field, message),
                LinkError::NotUpstream { .. } => ApiError::Unprocessable { message, details: json!({ "reason": "not_found_upstream" }) },
                LinkError::Conflict { holder, holder_id, link_id, .. } => {
                    ApiError::Conflict { message, details: json!({ "holder": holder, "holderId": holder_id, "linkId": link_id }) }
                }
                LinkError::Unacknowledged { warnings } => ApiError::Unprocessable { message, details: json!({ "warnings": warnings }) },
                LinkError::Upstream(u) => {
                    tracing::warn!(error = %u, "upstream failure during a link operation");
                    ApiError::Upstream(format!("the upstream system failed: {u}"))
                }
                LinkError::Store(s) => s.into(),
            }
        }
    }

    /// Server functions answer 500 for every error unless told otherwise: give the error's own
    /// status (400, 404, 409, …) to the response being built.
    ///
    /// Not for a plain HTML form (a page without scripts; it accepts `text/html`): server_fn
    /// answers that with a redirect back to the form's page carrying the error, which the page's
    /// action then shows; an error status would make the browser show the JSON instead.
    pub fn with_status<T>(result: Result<T, ApiError>) -> Result<T, ApiError> {
        if let Err(e) = &result {
            if let Some(response) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>() {
                if !from_plain_form() {
                    response.set_status(StatusCode::from_u16(e.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR));
                }
                if let ApiError::TooManyRequests { retry_after_secs, .. } = e {
                    response.insert_header(axum::http::header::RETRY_AFTER, axum::http::HeaderValue::from(*retry_after_secs));
                }
            }
        }
        result
    }

    fn from_plain_form() -> bool {
        leptos::prelude::use_context::<axum::http::request::Parts>().is_some_and(|p| {
            p.headers
                .get(axum::http::header::ACCEPT)
                .and_then(|v| v.to_str().ok())
                .is_some_and(|v| v.contains("text/html"))
        })
    }

    impl IntoResponse for ApiError {
        fn into_response(self) -> Response {
            let status = StatusCode::from_u16(self.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            let body = json!({ "error": { "code": self.code(), "message": self.to_string(), "details": self.details() } });
            let mut response = (status, axum::Json(body)).into_response();
            if let ApiError::TooManyRequests { retry_after_secs, .. } = &self {
                response.headers_mut().insert(axum::http::header::RETRY_AFTER, axum::http::HeaderValue::from(*retry_after_secs));
            }
            response
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_and_codes() {
        assert_eq!(ApiError::invalid("platform", "unknown").status(), 400);
        assert_eq!(ApiError::invalid("platform", "unknown").to_string(), "platform: unknown");
        assert_eq!(ApiError::NotFound("x".into()).status(), 404);
        assert_eq!(ApiError::Conflict { message: "x".into(), details: Value::Null }.code(), "conflict");
        assert_eq!(ApiError::Internal.status(), 500);
        assert_eq!(ApiError::ServerFn(ServerFnErrorErr::Args("bad".into())).code(), "invalid");
    }

    #[test]
    fn internal_error_hides_cause() {
        assert!(!ApiError::Internal.to_string().contains("sqlx"));
    }
}
