//! API tokens for the REST API: created by a signed-in person, carrying exactly that person's
//! rights, shown once, stored as a SHA-256 hash, revocable, with their last-used time.

use super::extract::{parse_uuid, ApiJson, Authed};
use crate::api::rest::openapi::ErrorBody;
use crate::api::ApiError;
use crate::server::state::AppState;
use crate::api::tokens::ApiToken;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_tokens, create_token))
        .routes(routes!(revoke_token))
}

#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct TokenRequest {
    /// A name to recognise the token by (1–200 characters).
    name: String,
}

/// A new token; `token` is shown this once and cannot be read again.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
struct CreatedToken {
    #[serde(flatten)]
    view: ApiToken,
    token: String,
}

#[utoipa::path(get, path = "/api/tokens", tag = "tokens", responses((status = 200, description = "The caller's tokens, newest first", body = Vec<ApiToken>)))]
async fn list_tokens(
    State(s): State<AppState>,
    Authed(who): Authed,
) -> Result<Json<Vec<ApiToken>>, ApiError> {
    Ok(Json(
        crate::store::accounts::tokens_of(&s.pool, who.person_id)
            .await?
            .into_iter()
            .map(ApiToken::from)
            .collect(),
    ))
}

#[utoipa::path(post, path = "/api/tokens", tag = "tokens", request_body = TokenRequest, responses((status = 201, description = "Created; the token is in this answer only", body = CreatedToken), (status = 400, description = "Bad input; the field is named", body = ErrorBody)))]
async fn create_token(
    State(s): State<AppState>,
    Authed(who): Authed,
    ApiJson(r): ApiJson<TokenRequest>,
) -> Result<(StatusCode, Json<CreatedToken>), ApiError> {
    let name = crate::auth::accounts::token_name(&r.name).map_err(|m| ApiError::invalid("name", m))?;
    let (row, token) = crate::auth::accounts::create_token(&s.pool, who.person_id, name).await?;
    tracing::info!(person_id = %who.person_id, token_id = %row.id, "API token created");
    Ok((
        StatusCode::CREATED,
        Json(CreatedToken {
            view: row.into(),
            token,
        }),
    ))
}

#[utoipa::path(delete, path = "/api/tokens/{token_id}", tag = "tokens", params(("token_id" = Uuid, Path, description = "Token id")), responses((status = 200, description = "Revoked (again); it no longer signs anything in", body = ApiToken), (status = 400, description = "Bad input; the field is named", body = ErrorBody), (status = 404, description = "No such token", body = ErrorBody)))]
async fn revoke_token(
    State(s): State<AppState>,
    Authed(who): Authed,
    Path(id): Path<String>,
) -> Result<Json<ApiToken>, ApiError> {
    let id = parse_uuid("tokenId", &id)?;
    let row = crate::auth::accounts::revoke_token(&s.pool, &who, id)
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("no token with id {id}")))?;
    tracing::info!(person_id = %who.person_id, token_id = %id, "API token revoked");
    Ok(Json(row.into()))
}
