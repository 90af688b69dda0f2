//! `/api/connections`: the upstream systems Velocity reads, for admins only. Credentials are
//! write-only: answers say `"credentials": "set"` and when they changed, never what they are.

use super::extract::{parse_uuid, ApiJson, Authed};
use crate::api::rest::openapi::ErrorBody;
use crate::api::ApiError;
use crate::auth::{rules, Principal};
use crate::connections::{self, Actor};
use crate::domain::connection::{ConnectionChange, ConnectionInput, ConnectionView, TestOutcome};
use crate::server::state::AppState;
use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::Json;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(detail, update, remove))
        .routes(routes!(test_saved))
        .routes(routes!(test_unsaved))
}

fn admin(who: &Principal) -> Result<Actor<'static>, ApiError> {
    rules::admin_only(who)?;
    Ok(Actor { person_id: Some(who.person_id), source: "api" })
}

#[utoipa::path(get, path = "/api/connections", tag = "connections", responses((status = 200, description = "Every connection with its state (never its secret)", body = Vec<ConnectionView>)))]
async fn list(State(s): State<AppState>, Authed(who): Authed) -> Result<Json<Vec<ConnectionView>>, ApiError> {
    admin(&who)?;
    Ok(Json(connections::list(&s.pool).await?))
}

#[utoipa::path(post, path = "/api/connections", tag = "connections", request_body = ConnectionInput, responses((status = 201, description = "Saved (not tested: test it with POST /api/connections/test first, or /api/connections/{id}/test)", body = ConnectionView, headers(("Location" = String, description = "The new connection's URL"))), (status = 400, description = "Bad input; the field is named", body = ErrorBody), (status = 409, description = "That system and scope is connected already", body = ErrorBody)))]
async fn create(State(s): State<AppState>, Authed(who): Authed, ApiJson(input): ApiJson<ConnectionInput>) -> Result<(StatusCode, [(header::HeaderName, String); 1], Json<ConnectionView>), ApiError> {
    let actor = admin(&who)?;
    let created = connections::create(&s.pool, &input, actor).await?;
    Ok((StatusCode::CREATED, [(header::LOCATION, format!("/api/connections/{}", created.id))], Json(created)))
}

#[utoipa::path(get, path = "/api/connections/{connection_id}", tag = "connections", params(("connection_id" = String, Path, description = "Connection id")), responses((status = 200, description = "The connection", body = ConnectionView), (status = 400, description = "Bad id", body = ErrorBody), (status = 404, description = "No such connection", body = ErrorBody)))]
async fn detail(State(s): State<AppState>, Authed(who): Authed, Path(id): Path<String>) -> Result<Json<ConnectionView>, ApiError> {
    admin(&who)?;
    Ok(Json(connections::get(&s.pool, parse_uuid("connectionId", &id)?).await?))
}

#[utoipa::path(put, path = "/api/connections/{connection_id}", tag = "connections", params(("connection_id" = String, Path, description = "Connection id")), request_body = ConnectionChange, responses((status = 200, description = "Changed; a new token is audited as connection.rotate", body = ConnectionView), (status = 400, description = "Bad input; the field is named", body = ErrorBody), (status = 404, description = "No such connection", body = ErrorBody), (status = 409, description = "Another connection has that address and scope", body = ErrorBody)))]
async fn update(State(s): State<AppState>, Authed(who): Authed, Path(id): Path<String>, ApiJson(change): ApiJson<ConnectionChange>) -> Result<Json<ConnectionView>, ApiError> {
    let actor = admin(&who)?;
    Ok(Json(connections::update(&s.pool, parse_uuid("connectionId", &id)?, &change, actor).await?))
}

#[utoipa::path(delete, path = "/api/connections/{connection_id}", tag = "connections", params(("connection_id" = String, Path, description = "Connection id")), responses((status = 204, description = "Removed"), (status = 400, description = "Bad id", body = ErrorBody), (status = 404, description = "No such connection", body = ErrorBody), (status = 409, description = "It has links (`details.activeLinks`): disable it instead", body = ErrorBody)))]
async fn remove(State(s): State<AppState>, Authed(who): Authed, Path(id): Path<String>) -> Result<StatusCode, ApiError> {
    let actor = admin(&who)?;
    connections::remove(&s.pool, parse_uuid("connectionId", &id)?, actor).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(post, path = "/api/connections/{connection_id}/test", tag = "connections", params(("connection_id" = String, Path, description = "Connection id")), responses((status = 200, description = "What the upstream said (ok or its refusal in a sentence); recorded as the connection's last test", body = TestOutcome), (status = 400, description = "Bad id", body = ErrorBody), (status = 404, description = "No such connection", body = ErrorBody)))]
async fn test_saved(State(s): State<AppState>, Authed(who): Authed, Path(id): Path<String>) -> Result<Json<TestOutcome>, ApiError> {
    admin(&who)?;
    Ok(Json(connections::test_saved(&s.pool, parse_uuid("connectionId", &id)?).await?))
}

#[utoipa::path(post, path = "/api/connections/test", tag = "connections", request_body = ConnectionInput, responses((status = 200, description = "What the upstream said about these settings; nothing is saved", body = TestOutcome), (status = 400, description = "Bad input; the field is named", body = ErrorBody)))]
async fn test_unsaved(Authed(who): Authed, ApiJson(input): ApiJson<ConnectionInput>) -> Result<Json<TestOutcome>, ApiError> {
    admin(&who)?;
    Ok(Json(connections::test_unsaved(&input).await?))
}
