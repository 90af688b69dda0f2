//! Every error answered under `/api/` is our JSON error with its own status, whoever raised it:
//! axum's plain-text rejections (a body over the limit, a URL that is not UTF-8), the HTML
//! "Page not found" of an unknown route, and server functions whose arguments did not parse
//! (server_fn answers those 500 before our code runs, with our `ApiError` as the body).

use crate::api::ApiError;
use axum::body::{to_bytes, Body};
use axum::extract::Request;
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::Response;

/// The largest request body the server reads: above the migration page's 5 MB of records
/// even once a form has percent-encoded them.
pub const MAX_BODY_BYTES: usize = 16 * 1024 * 1024;

/// Error bodies are short; a longer one is cut to this much before it is reshaped.
const MAX_ERROR_BODY: usize = 64 * 1024;

pub async fn layer(req: Request, next: Next) -> Response {
    if !req.uri().path().starts_with("/api/") {
        return next.run(req).await;
    }
    let (method, path) = (req.method().clone(), req.uri().path().to_owned());
    let response = next.run(req).await;
    let status = response.status();
    if !(status.is_client_error() || status.is_server_error()) {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let is_json = parts
        .headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    let bytes = to_bytes(body, MAX_ERROR_BODY).await.unwrap_or_default();
    let error = if is_json {
        match serde_json::from_slice::<ApiError>(&bytes) {
            Ok(e) if e.status() != status.as_u16() => e,
            // Already ours with the right status, or JSON of another shape: as it was.
            _ => return Response::from_parts(parts, Body::from(bytes)),
        }
    } else {
        from_status(status, &method, &path, &String::from_utf8_lossy(&bytes))
    };
    parts.status = StatusCode::from_u16(error.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    parts.headers.remove(header::CONTENT_LENGTH);
    parts.headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    let body = serde_json::to_vec(&error).unwrap_or_default();
    Response::from_parts(parts, Body::from(body))
}

/// Our error for a status someone else answered with a plain or HTML body.
fn from_status(status: StatusCode, method: &Method, path: &str, text: &str) -> ApiError {
    match status {
        StatusCode::NOT_FOUND => ApiError::NotFound(format!("there is no API route {method} {path}; /api/openapi.json lists them")),
        StatusCode::METHOD_NOT_ALLOWED => ApiError::MethodNotAllowed(format!("{method} is not allowed on {path}")),
        StatusCode::PAYLOAD_TOO_LARGE => {
            ApiError::PayloadTooLarge(format!("the request body is larger than the {} MiB this server reads", MAX_BODY_BYTES / (1024 * 1024)))
        }
        s if s.is_client_error() => {
            let text = text.trim();
            let message = if text.is_empty() || text.starts_with('<') { s.canonical_reason().unwrap_or("bad request").to_owned() } else { text.chars().take(300).collect() };
            ApiError::Invalid { message, field: None }
        }
        _ => {
            tracing::error!(%status, %method, path, body = %text.chars().take(300).collect::<String>(), "an API route failed outside our error type");
            ApiError::Internal
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn foreign_errors_get_our_codes() {
        let get = Method::GET;
        assert_eq!(from_status(StatusCode::NOT_FOUND, &get, "/api/nope", "<html>").code(), "not_found");
        assert_eq!(from_status(StatusCode::PAYLOAD_TOO_LARGE, &get, "/api/x", "length limit exceeded").status(), 413);
        let bad_url = from_status(StatusCode::BAD_REQUEST, &get, "/api/x", "Invalid URL: Invalid UTF-8");
        assert_eq!((bad_url.status(), bad_url.to_string().as_str()), (400, "Invalid URL: Invalid UTF-8"));
        assert_eq!(from_status(StatusCode::UNSUPPORTED_MEDIA_TYPE, &get, "/api/x", "").to_string(), "Unsupported Media Type");
        assert_eq!(from_status(StatusCode::BAD_GATEWAY, &get, "/api/x", "oops"), ApiError::Internal);
    }
}
