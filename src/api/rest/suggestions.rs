//! The person's verdict on a stored link suggestion: dismiss it (remembered until its evidence
//! changes materially) or accept it, which declares the link through the same confirmation as
//! the link endpoints (verify, conflict, warnings, audit).

use super::extract::{parse_uuid, serde_error, ApiActor, Authed};
use crate::api::rest::openapi::ErrorBody;
use crate::api::ApiError;
use crate::domain::{PersonSchema, ProjectSchema};
use crate::links::checks::Warning;
use crate::links::declare::{Options, Owner};
use crate::links::suggestions::{SuggestionError, SuggestionStatus};
use crate::server::state::AppState;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(dismiss)).routes(routes!(accept))
}

impl From<SuggestionError> for ApiError {
    fn from(e: SuggestionError) -> Self {
        match e {
            SuggestionError::NotFound(_) => ApiError::NotFound(e.to_string()),
            SuggestionError::AlreadyAccepted(id) => ApiError::Conflict { message: e.to_string(), details: json!({"suggestionId": id, "status": "accepted"}) },
            SuggestionError::Link(l) => l.into(),
        }
    }
}

/// Options for the link an accepted suggestion declares; the body may be empty.
#[derive(Deserialize, Default, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct AcceptRequest {
    /// Confirms the duplicate warnings the checks raised (without it they answer 422).
    #[serde(default)]
    acknowledge_warnings: bool,
    /// Make the new link the primary one of its platform.
    is_primary: Option<bool>,
}

/// The suggestion's new status.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
struct VerdictResponse {
    suggestion_id: Uuid,
    status: SuggestionStatus,
}

/// The suggestion was accepted and its link written.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
struct AcceptedResponse {
    suggestion_id: Uuid,
    status: SuggestionStatus,
    link_id: Uuid,
    is_primary: bool,
    warnings: Vec<Warning>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<ProjectSchema>)]
    project: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<PersonSchema>)]
    person: Option<Value>,
}

#[utoipa::path(post, path = "/api/suggestions/{suggestion_id}/dismiss", tag = "links",
    params(("suggestion_id" = Uuid, Path, description = "Stored suggestion id")),
    responses(
        (status = 200, description = "Dismissed (again): it is not suggested until its evidence changes materially", body = VerdictResponse),
        (status = 400, description = "Bad input; the field is named", body = ErrorBody),
        (status = 404, description = "No such suggestion", body = ErrorBody),
        (status = 409, description = "Already accepted", body = ErrorBody)
    ))]
/// Dismisses a suggestion; audited `suggestion.dismiss`.
async fn dismiss(State(s): State<AppState>, Path(id): Path<String>, Authed(who): Authed, actor: ApiActor) -> Result<Json<VerdictResponse>, ApiError> {
    let id = parse_uuid("suggestionId", &id)?;
    crate::api::authz::decide_suggestion(&s.pool, &who, id).await?;
    let status = s.links.dismiss_suggestion(id, actor.0).await?;
    Ok(Json(VerdictResponse { suggestion_id: id, status }))
}

#[utoipa::path(post, path = "/api/suggestions/{suggestion_id}/accept", tag = "links",
    params(("suggestion_id" = Uuid, Path, description = "Stored suggestion id")),
    request_body(content = Option<AcceptRequest>, description = "Optional; empty means no warnings acknowledged and the default primary choice"),
    responses(
        (status = 201, description = "The link was written and the suggestion accepted", body = AcceptedResponse),
        (status = 400, description = "Bad input; the field is named", body = ErrorBody),
        (status = 404, description = "No such suggestion, or its entity is gone", body = ErrorBody),
        (status = 409, description = "Already accepted, or the entity is linked by another Velocity entity; the suggestion stays open", body = ErrorBody),
        (status = 422, description = "Not found upstream, or warnings to acknowledge; the suggestion stays open", body = ErrorBody),
        (status = 502, description = "The upstream system failed", body = ErrorBody)
    ))]
/// Accepts a suggestion by declaring its link; marked accepted only once the link is written.
async fn accept(State(s): State<AppState>, Path(id): Path<String>, Authed(who): Authed, actor: ApiActor, body: Bytes) -> Result<(StatusCode, Json<AcceptedResponse>), ApiError> {
    let id = parse_uuid("suggestionId", &id)?;
    let r: AcceptRequest = if body.iter().all(u8::is_ascii_whitespace) { AcceptRequest::default() } else { serde_json::from_slice(&body).map_err(|e| serde_error(&e.to_string()))? };
    let opts = Options { is_primary: r.is_primary, active: None, acknowledge_warnings: r.acknowledge_warnings, pending: false };
    let (owner, declared) = crate::api::authz::accept_suggestion(&s.links, &who, actor.0, id, opts).await?;
    let (project, person) = match &owner {
        Owner::Project(key) => {
            let p = crate::store::projects::project_by_key(&s.pool, key).await?.ok_or_else(|| ApiError::NotFound(format!("no project with key '{key}'")))?;
            (Some(serde_json::to_value(p).map_err(|_| ApiError::Internal)?), None)
        }
        Owner::Person(pid) => {
            let p = crate::store::persons::person_by_id(&s.pool, *pid).await?.ok_or_else(|| ApiError::NotFound(format!("no person with id {pid}")))?;
            (None, Some(serde_json::to_value(p).map_err(|_| ApiError::Internal)?))
        }
    };
    let response = AcceptedResponse { suggestion_id: id, status: SuggestionStatus::Accepted, link_id: declared.link_id, is_primary: declared.is_primary, warnings: declared.warnings, project, person };
    Ok((StatusCode::CREATED, Json(response)))
}
