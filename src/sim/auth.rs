//! Each platform's authentication and its real "not authenticated" answer.

use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use base64::Engine;
use serde_json::json;

fn bearer(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get("authorization")?.to_str().ok()?;
    value.strip_prefix("Bearer ").or_else(|| value.strip_prefix("token ")).or_else(|| value.strip_prefix("bearer "))
}

/// Jira Cloud: HTTP basic with e-mail and API token.
pub fn jira(headers: &HeaderMap, email: &str, token: &str) -> Result<(), Response> {
    let ok = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Basic "))
        .and_then(|b| base64::engine::general_purpose::STANDARD.decode(b.trim()).ok())
        .and_then(|raw| String::from_utf8(raw).ok())
        .is_some_and(|pair| pair == format!("{email}:{token}"));
    if ok {
        return Ok(());
    }
    Err((
        StatusCode::UNAUTHORIZED,
        [("www-authenticate", "OAuth realm=\"https%3A%2F%2Fsim.atlassian.net\"")],
        Json(json!({"errorMessages": ["You are not authenticated. Authentication required to perform this operation."], "errors": {}})),
    )
        .into_response())
}

/// Bitbucket Cloud: bearer token (workspace/repository access token).
pub fn bitbucket(headers: &HeaderMap, token: &str) -> Result<(), Response> {
    if bearer(headers) == Some(token) {
        return Ok(());
    }
    Err((StatusCode::UNAUTHORIZED, Json(json!({"type": "error", "error": {"message": "Token is invalid or not supported for this endpoint."}}))).into_response())
}

/// GitHub: `Authorization: Bearer …` or `token …`.
pub fn github(headers: &HeaderMap, token: &str) -> Result<(), Response> {
    if bearer(headers) == Some(token) {
        return Ok(());
    }
    Err((StatusCode::UNAUTHORIZED, Json(json!({"message": "Bad credentials", "documentation_url": "https://docs.github.com/rest", "status": "401"}))).into_response())
}

/// GitLab: `PRIVATE-TOKEN` header or bearer.
pub fn gitlab(headers: &HeaderMap, token: &str) -> Result<(), Response> {
    let private = headers.get("private-token").and_then(|v| v.to_str().ok());
    if private == Some(token) || bearer(headers) == Some(token) {
        return Ok(());
    }
    Err((StatusCode::UNAUTHORIZED, Json(json!({"message": "401 Unauthorized"}))).into_response())
}

/// Slack answers HTTP 200 with `ok: false` for auth problems, as the real Web API does.
pub fn slack(headers: &HeaderMap, form_token: Option<&str>, token: &str) -> Result<(), Response> {
    let given = bearer(headers).or(form_token);
    match given {
        Some(t) if t == token => Ok(()),
        Some(_) => Err(Json(json!({"ok": false, "error": "invalid_auth"})).into_response()),
        None => Err(Json(json!({"ok": false, "error": "not_authed"})).into_response()),
    }
}
