//! Commit identities (issue 14): a person's git author e-mails — listed with suggestions,
//! linked, unlinked, approved. Each handler calls one service in `crate::links`.

use super::extract::{parse_uuid, ApiActor, ApiJson, Authed};
use crate::api::rest::openapi::ErrorBody;
use crate::api::ApiError;
use crate::domain::commit_identity::{CommitIdentities, CommitIdentity};
use crate::server::state::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use serde::Deserialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, link))
        .routes(routes!(unlink))
        .routes(routes!(approve))
}

#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct IdentityRequest {
    /// The git author e-mail (compared trimmed and in lower case).
    email: String,
    /// Attribute commits from this git-host connection only; omitted: from every connection.
    connection_id: Option<Uuid>,
}

#[utoipa::path(get, path = "/api/persons/{person_id}/commit-identities", tag = "links", params(("person_id" = Uuid, Path)), responses((status = 200, description = "Linked commit e-mails, and the author e-mails of unattributed commits that rule 5 ties to the person", body = CommitIdentities), (status = 400, description = "Bad input; the field is named", body = ErrorBody), (status = 404, description = "No such person", body = ErrorBody)))]
async fn list(State(s): State<AppState>, Path(id): Path<String>, Authed(_): Authed) -> Result<Json<CommitIdentities>, ApiError> {
    let id = parse_uuid("personId", &id)?;
    Ok(Json(s.links.commit_identities(id).await?))
}

#[utoipa::path(post, path = "/api/persons/{person_id}/commit-identities", tag = "links", params(("person_id" = Uuid, Path)), request_body = IdentityRequest, responses((status = 201, description = "Linked (`status: linked`), or waiting for an admin (`status: pending`) when a person links an address that is not their own; audited", body = CommitIdentity), (status = 400, description = "Not an address, or one that never identifies a person (no-reply, bot, shared mailbox); the field is named", body = ErrorBody), (status = 403, description = "Only the person or an admin may link it", body = ErrorBody), (status = 404, description = "No such person", body = ErrorBody), (status = 409, description = "The address is linked to someone already", body = ErrorBody)))]
async fn link(State(s): State<AppState>, Path(id): Path<String>, Authed(who): Authed, actor: ApiActor, ApiJson(body): ApiJson<IdentityRequest>) -> Result<(StatusCode, Json<CommitIdentity>), ApiError> {
    let id = parse_uuid("personId", &id)?;
    let linked = s.links.link_commit_identity(&who, actor.0, id, &body.email, body.connection_id).await?;
    Ok((StatusCode::CREATED, Json(linked)))
}

#[utoipa::path(delete, path = "/api/persons/{person_id}/commit-identities/{identity_id}", tag = "links", params(("person_id" = Uuid, Path), ("identity_id" = Uuid, Path)), responses((status = 204, description = "Unlinked; its commits lose the attribution on the next sync; audited"), (status = 400, description = "Bad input; the field is named", body = ErrorBody), (status = 403, description = "Only the person or an admin may unlink it", body = ErrorBody), (status = 404, description = "No such commit e-mail on this person", body = ErrorBody)))]
async fn unlink(State(s): State<AppState>, Path((id, identity)): Path<(String, String)>, Authed(who): Authed, actor: ApiActor) -> Result<StatusCode, ApiError> {
    let id = parse_uuid("personId", &id)?;
    let identity = parse_uuid("identityId", &identity)?;
    s.links.unlink_commit_identity(&who, actor.0, id, identity).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(post, path = "/api/persons/{person_id}/commit-identities/{identity_id}/approve", tag = "links", params(("person_id" = Uuid, Path), ("identity_id" = Uuid, Path)), responses((status = 200, description = "Approved: it attributes from the next sync on; audited `link.approve`", body = CommitIdentity), (status = 400, description = "Bad input; the field is named", body = ErrorBody), (status = 403, description = "Only an admin may approve", body = ErrorBody), (status = 404, description = "No pending commit e-mail with this id on this person", body = ErrorBody)))]
async fn approve(State(s): State<AppState>, Path((id, identity)): Path<(String, String)>, Authed(who): Authed, actor: ApiActor) -> Result<Json<CommitIdentity>, ApiError> {
    let id = parse_uuid("personId", &id)?;
    let identity = parse_uuid("identityId", &identity)?;
    Ok(Json(s.links.approve_commit_identity(&who, actor.0, id, identity).await?))
}
