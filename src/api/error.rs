//! `ApiError`: the one error type of the API layer, shared by server functions and REST
//! handlers. Its variants carry messages a person can act on; internal causes are logged on
//! the server and never sent. Mapped once to HTTP status + JSON body here.

use leptos::prelude::{FromServerFnError, ServerFnErrorErr};
use leptos::server_fn::codec::JsonEncoding;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, thiserror::Error, Serialize, Deserialize)]
#[serde(tag = "error", content = "message", rename_all = "snake_case")]
pub enum ApiError {
    #[error("{0}")]
    Invalid(String),
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    Conflict(String),
    #[error("{0}")]
    Unavailable(String),
    #[error("something went wrong on the server; the details are in its log")]
    Internal,
    #[error("{0}")]
    ServerFn(ServerFnErrorErr),
}

impl ApiError {
    pub fn status(&self) -> u16 {
        match self {
            ApiError::Invalid(_) => 400,
            ApiError::NotFound(_) => 404,
            ApiError::Conflict(_) => 409,
            ApiError::Unavailable(_) => 503,
            ApiError::Internal => 500,
            ApiError::ServerFn(e) => match e {
                ServerFnErrorErr::Args(_) | ServerFnErrorErr::MissingArg(_) | ServerFnErrorErr::Deserialization(_) => 400,
                _ => 500,
            },
        }
    }
}

impl FromServerFnError for ApiError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        ApiError::ServerFn(value)
    }
}

#[cfg(feature = "ssr")]
mod ssr {
    use super::ApiError;
    use axum::http::StatusCode;
    use axum::response::{IntoResponse, Response};

    impl From<sqlx::Error> for ApiError {
        fn from(e: sqlx::Error) -> Self {
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

    impl IntoResponse for ApiError {
        fn into_response(self) -> Response {
            let status = StatusCode::from_u16(self.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            let body = serde_json::json!({ "error": self.kind(), "message": self.to_string() });
            (status, axum::Json(body)).into_response()
        }
    }

    impl ApiError {
        fn kind(&self) -> &'static str {
            match self {
                ApiError::Invalid(_) | ApiError::ServerFn(_) if self.status() == 400 => "invalid",
                ApiError::NotFound(_) => "not_found",
                ApiError::Conflict(_) => "conflict",
                ApiError::Unavailable(_) => "unavailable",
                _ => "internal",
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses() {
        assert_eq!(ApiError::Invalid("x".into()).status(), 400);
        assert_eq!(ApiError::NotFound("x".into()).status(), 404);
        assert_eq!(ApiError::Conflict("x".into()).status(), 409);
        assert_eq!(ApiError::Internal.status(), 500);
        assert_eq!(ApiError::ServerFn(ServerFnErrorErr::Args("bad".into())).status(), 400);
    }

    #[test]
    fn internal_error_hides_cause() {
        assert!(!ApiError::Internal.to_string().contains("sqlx"));
    }
}
