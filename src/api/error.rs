//! `ApiError`: the one error type of the API layer, shared by server functions and REST
//! handlers. Its variants carry messages a person can act on; internal causes are logged on
//! the server and never sent. Mapped once, here, to an HTTP status and the JSON body
//! `{"error": {"code", "message", "details"}}` — the same body whether a REST handler or a
//! server function answers (`Serialize`/`Deserialize` write and read that shape, so the
//! browser gets back the variant the server raised).

use leptos::prelude::{FromServerFnError, ServerFnErrorErr};
use leptos::server_fn::codec::JsonEncoding;
use serde::{Deserialize, Serialize};
use serde_json::Value;

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
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
    #[error("{0}")]
    MethodNotAllowed(String),
    #[error("{0}")]
    PayloadTooLarge(String),
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
            ApiError::MethodNotAllowed(_) => 405,
            ApiError::PayloadTooLarge(_) => 413,
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
            ApiError::MethodNotAllowed(_) => "method_not_allowed",
            ApiError::PayloadTooLarge(_) => "payload_too_large",
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

/// The wire form: `{"error": {"code", "message", "details"}}`.
#[derive(Serialize, Deserialize)]
struct Wire {
    error: WireBody,
}

#[derive(Serialize, Deserialize)]
struct WireBody {
    code: String,
    message: String,
    #[serde(default)]
    details: Value,
}

impl Serialize for ApiError {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        Wire { error: WireBody { code: self.code().to_owned(), message: self.to_string(), details: self.details() } }.serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for ApiError {
    /// Reads back what `Serialize` wrote. A server-function framework error travels as the
    /// `invalid` or `internal` it answers with; an unknown code keeps its message.
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let WireBody { code, message, details } = Wire::deserialize(deserializer)?.error;
        Ok(match code.as_str() {
            "invalid" => ApiError::Invalid { message, field: details.get("field").and_then(Value::as_str).map(str::to_owned) },
            "unauthorized" => ApiError::Unauthorized { message },
            "forbidden" => ApiError::Forbidden { message },
            "too_many_requests" => ApiError::TooManyRequests { message, retry_after_secs: details.get("retryAfter").and_then(Value::as_u64).unwrap_or(1) },
            "not_found" => ApiError::NotFound(message),
            "method_not_allowed" => ApiError::MethodNotAllowed(message),
            "payload_too_large" => ApiError::PayloadTooLarge(message),
            "conflict" => ApiError::Conflict { message, details },
            "unprocessable" => ApiError::Unprocessable { message, details },
            "upstream_error" => ApiError::Upstream(message),
            "unavailable" => ApiError::Unavailable(message),
            "internal" => ApiError::Internal,
            _ => ApiError::ServerFn(ServerFnErrorErr::ServerError(message)),
        })
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
                other => {
                    tracing::warn!(error = %other, "upstream failure during a sync");
                    ApiError::Upstream(format!("the upstream system failed: {other}"))
                }
            }
        }
    }

    impl From<crate::connections::ConnectionError> for ApiError {
        fn from(e: crate::connections::ConnectionError) -> Self {
            use crate::connections::ConnectionError;
            let message = e.to_string();
            match e {
                ConnectionError::Invalid { field, message } => ApiError::invalid(field, message),
                ConnectionError::NotFound(_) => ApiError::NotFound(message),
                ConnectionError::InUse { active_links, .. } => ApiError::Conflict { message, details: json!({ "activeLinks": active_links }) },
                ConnectionError::Duplicate(_) => ApiError::Conflict { message, details: serde_json::Value::Null },
                ConnectionError::Store(s) => s.into(),
            }
        }
    }

    impl From<crate::onboarding::OnboardingError> for ApiError {
        fn from(e: crate::onboarding::OnboardingError) -> Self {
            use crate::onboarding::OnboardingError;
            let message = e.to_string();
            match e {
                OnboardingError::NotFound(_) => ApiError::NotFound(message),
                OnboardingError::Disabled(_) | OnboardingError::Nothing { .. } => ApiError::Conflict { message, details: serde_json::Value::Null },
                OnboardingError::NothingChosen => ApiError::invalid("externalIds", message),
                OnboardingError::Upstream { .. } => ApiError::Upstream(message),
                OnboardingError::Store(s) => s.into(),
            }
        }
    }

    impl From<crate::auth::setup::SetupError> for ApiError {
        fn from(e: crate::auth::setup::SetupError) -> Self {
            use crate::auth::setup::SetupError;
            let message = e.to_string();
            match e {
                SetupError::AlreadySetUp => ApiError::Conflict { message, details: serde_json::Value::Null },
                SetupError::WrongCode => ApiError::forbidden(message),
                SetupError::Invalid(field, message) => ApiError::invalid(field, message),
                SetupError::Hash(cause) => {
                    tracing::error!(%cause, "setup: password hashing failed");
                    ApiError::Internal
                }
                SetupError::Store(s) => s.into(),
            }
        }
    }

    impl From<LinkError> for ApiError {
        fn from(e: LinkError) -> Self {
            let message = e.to_string();
            match e {
                LinkError::ProjectNotFound(_) | LinkError::PersonNotFound(_) | LinkError::LinkNotFound(_) | LinkError::NotPending(_) => ApiError::NotFound(message),
                LinkError::Invalid { field, message } => ApiError::invalid(field, message),
                LinkError::NotUpstream { .. } => ApiError::Unprocessable { message, details: json!({ "reason": "not_found_upstream" }) },
                LinkError::Conflict { holder, holder_id, link_id, .. } => {
                    ApiError::Conflict { message, details: json!({ "holder": holder, "holderId": holder_id, "linkId": link_id }) }
                }
                LinkError::Unacknowledged { warnings } => ApiError::Unprocessable { message, details: json!({ "warnings": warnings }) },
                LinkError::Denied(reason) => ApiError::forbidden(reason),
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
            let mut response = (status, axum::Json(&self)).into_response();
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

    /// Every variant survives the trip through JSON (the server-function wire and resources
    /// serialised into pages); a framework error comes back as the code it answers with.
    #[test]
    fn every_variant_round_trips_through_json() {
        let details = serde_json::json!({ "runId": 7 });
        let variants = [
            ApiError::invalid("key", "must not be empty"),
            ApiError::Invalid { message: "no field".into(), field: None },
            ApiError::unauthorized("sign in"),
            ApiError::forbidden("no"),
            ApiError::TooManyRequests { message: "slow down".into(), retry_after_secs: 30 },
            ApiError::NotFound("no project with key 'NOPE'".into()),
            ApiError::MethodNotAllowed("GET is not allowed".into()),
            ApiError::PayloadTooLarge("too big".into()),
            ApiError::Conflict { message: "busy".into(), details: details.clone() },
            ApiError::Unprocessable { message: "warnings".into(), details },
            ApiError::Upstream("jira failed".into()),
            ApiError::Unavailable("database down".into()),
            ApiError::Internal,
        ];
        for e in variants {
            let text = serde_json::to_string(&e).expect("serialises");
            let body: Value = serde_json::from_str(&text).unwrap();
            assert_eq!(body["error"]["code"], e.code(), "{text}");
            assert_eq!(body["error"]["message"], e.to_string(), "{text}");
            assert_eq!(serde_json::from_str::<ApiError>(&text).expect("deserialises"), e, "{text}");
        }
        let framework = ApiError::ServerFn(ServerFnErrorErr::Args("UUID parsing failed".into()));
        let back: ApiError = serde_json::from_str(&serde_json::to_string(&framework).unwrap()).unwrap();
        assert_eq!((back.code(), back.status()), ("invalid", 400));
        assert!(back.to_string().contains("UUID parsing failed"), "{back}");
    }

    #[test]
    fn internal_error_hides_cause() {
        assert!(!ApiError::Internal.to_string().contains("sqlx"));
    }
}
