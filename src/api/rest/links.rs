//! The spec's 13 link endpoints. Each handler parses and validates input, calls one service in
//! `crate::links`, and answers with the spec's camelCase JSON.

use super::extract::{parse_uuid, ApiActor, ApiJson};
use crate::api::ApiError;
use crate::domain::{AccountPlatform, RepoPlatform};
use crate::links::change::LinkChange;
use crate::links::declare::{Candidate, Options, Owner};
use crate::server::state::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{get, post, put};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{json, Value};
use uuid::Uuid;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/projects/{project_key}/links", get(project_links))
        .route("/api/projects/{project_key}/links/jira", post(link_jira))
        .route("/api/projects/{project_key}/links/repository", post(link_repository))
        .route("/api/projects/{project_key}/links/suggestions", post(project_suggestions))
        .route("/api/projects/{project_key}/links/{link_id}", put(change_project_link).delete(delete_project_link))
        .route("/api/persons/{person_id}/links", get(person_links).post(link_account))
        .route("/api/persons/{person_id}/links/suggestions", post(person_suggestions))
        .route("/api/persons/{person_id}/links/{link_id}", put(change_person_link).delete(delete_person_link))
        .route("/api/links/verify", post(verify))
        .route("/api/links/validate", post(validate))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct JiraLinkRequest {
    connection_id: Option<Uuid>,
    /// Jira project id or key.
    project: String,
    is_primary: Option<bool>,
    active: Option<bool>,
    #[serde(default)]
    acknowledge_warnings: bool,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct RepositoryLinkRequest {
    connection_id: Option<Uuid>,
    platform: RepoPlatform,
    /// Slug or stable id.
    repository: String,
    is_primary: Option<bool>,
    active: Option<bool>,
    #[serde(default)]
    acknowledge_warnings: bool,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct AccountLinkRequest {
    connection_id: Option<Uuid>,
    platform: AccountPlatform,
    external_id: String,
    is_primary: Option<bool>,
    active: Option<bool>,
    #[serde(default)]
    acknowledge_warnings: bool,
}

fn check_key(key: &str) -> Result<(), ApiError> {
    if key.is_empty() || key.len() > 20 {
        return Err(ApiError::invalid("projectKey", format!("'{key}' is not a project key (1–20 characters)")));
    }
    Ok(())
}

async fn project_json(s: &AppState, key: &str) -> Result<Value, ApiError> {
    let project = crate::store::projects::project_by_key(&s.pool, key).await?.ok_or_else(|| ApiError::NotFound(format!("no project with key '{key}'")))?;
    Ok(serde_json::to_value(project).map_err(|_| ApiError::Internal)?)
}

async fn person_json(s: &AppState, id: Uuid) -> Result<Value, ApiError> {
    let person = crate::store::persons::person_by_id(&s.pool, id).await?.ok_or_else(|| ApiError::NotFound(format!("no person with id {id}")))?;
    Ok(serde_json::to_value(person).map_err(|_| ApiError::Internal)?)
}

async fn project_links(State(s): State<AppState>, Path(key): Path<String>) -> Result<Json<Value>, ApiError> {
    check_key(&key)?;
    Ok(Json(project_json(&s, &key).await?))
}

async fn person_links(State(s): State<AppState>, Path(id): Path<String>) -> Result<Json<Value>, ApiError> {
    let id = parse_uuid("personId", &id)?;
    Ok(Json(person_json(&s, id).await?))
}

async fn declared(s: &AppState, owner: Owner, candidate: Candidate, opts: Options, actor: ApiActor) -> Result<(StatusCode, Json<Value>), ApiError> {
    let d = s.links.declare(&owner, &candidate, opts, actor.0).await?;
    let entity = match &owner {
        Owner::Project(key) => json!({"project": project_json(s, key).await?}),
        Owner::Person(id) => json!({"person": person_json(s, *id).await?}),
    };
    let mut body = json!({"linkId": d.link_id, "isPrimary": d.is_primary, "warnings": d.warnings});
    if let (Some(b), Some(e)) = (body.as_object_mut(), entity.as_object()) {
        b.extend(e.clone());
    }
    Ok((StatusCode::CREATED, Json(body)))
}

async fn link_jira(State(s): State<AppState>, Path(key): Path<String>, actor: ApiActor, ApiJson(r): ApiJson<JiraLinkRequest>) -> Result<(StatusCode, Json<Value>), ApiError> {
    check_key(&key)?;
    let candidate = Candidate::Jira { connection_id: r.connection_id, project: r.project };
    let opts = Options { is_primary: r.is_primary, active: r.active, acknowledge_warnings: r.acknowledge_warnings };
    declared(&s, Owner::Project(key), candidate, opts, actor).await
}

async fn link_repository(State(s): State<AppState>, Path(key): Path<String>, actor: ApiActor, ApiJson(r): ApiJson<RepositoryLinkRequest>) -> Result<(StatusCode, Json<Value>), ApiError> {
    check_key(&key)?;
    let candidate = Candidate::Repository { connection_id: r.connection_id, platform: r.platform, repository: r.repository };
    let opts = Options { is_primary: r.is_primary, active: r.active, acknowledge_warnings: r.acknowledge_warnings };
    declared(&s, Owner::Project(key), candidate, opts, actor).await
}

async fn link_account(State(s): State<AppState>, Path(id): Path<String>, actor: ApiActor, ApiJson(r): ApiJson<AccountLinkRequest>) -> Result<(StatusCode, Json<Value>), ApiError> {
    let id = parse_uuid("personId", &id)?;
    let candidate = Candidate::Account { connection_id: r.connection_id, platform: r.platform, external_id: r.external_id };
    let opts = Options { is_primary: r.is_primary, active: r.active, acknowledge_warnings: r.acknowledge_warnings };
    declared(&s, Owner::Person(id), candidate, opts, actor).await
}

async fn change_project_link(State(s): State<AppState>, Path((key, link)): Path<(String, String)>, actor: ApiActor, ApiJson(change): ApiJson<LinkChange>) -> Result<Json<Value>, ApiError> {
    check_key(&key)?;
    let link = parse_uuid("linkId", &link)?;
    let changed = s.links.change(&Owner::Project(key.clone()), link, change, actor.0).await?;
    Ok(Json(json!({"change": changed, "project": project_json(&s, &key).await?})))
}

async fn delete_project_link(State(s): State<AppState>, Path((key, link)): Path<(String, String)>, actor: ApiActor) -> Result<Json<Value>, ApiError> {
    check_key(&key)?;
    let link = parse_uuid("linkId", &link)?;
    let changed = s.links.delete(&Owner::Project(key.clone()), link, actor.0).await?;
    Ok(Json(json!({"deleted": changed, "project": project_json(&s, &key).await?})))
}

async fn change_person_link(State(s): State<AppState>, Path((id, link)): Path<(String, String)>, actor: ApiActor, ApiJson(change): ApiJson<LinkChange>) -> Result<Json<Value>, ApiError> {
    let id = parse_uuid("personId", &id)?;
    let link = parse_uuid("linkId", &link)?;
    let changed = s.links.change(&Owner::Person(id), link, change, actor.0).await?;
    Ok(Json(json!({"change": changed, "person": person_json(&s, id).await?})))
}

async fn delete_person_link(State(s): State<AppState>, Path((id, link)): Path<(String, String)>, actor: ApiActor) -> Result<Json<Value>, ApiError> {
    let id = parse_uuid("personId", &id)?;
    let link = parse_uuid("linkId", &link)?;
    let changed = s.links.delete(&Owner::Person(id), link, actor.0).await?;
    Ok(Json(json!({"deleted": changed, "person": person_json(&s, id).await?})))
}

/// Suggestions arrive with the suggestions issue; the shape is already the final one.
async fn project_suggestions(State(s): State<AppState>, Path(key): Path<String>) -> Result<Json<Value>, ApiError> {
    check_key(&key)?;
    project_json(&s, &key).await?;
    Ok(Json(json!({"projectKey": key, "suggestions": []})))
}

async fn person_suggestions(State(s): State<AppState>, Path(id): Path<String>) -> Result<Json<Value>, ApiError> {
    let id = parse_uuid("personId", &id)?;
    person_json(&s, id).await?;
    Ok(Json(json!({"personId": id, "suggestions": []})))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct VerifyRequest {
    project_key: Option<String>,
    person_id: Option<Uuid>,
    candidate: Candidate,
}

/// The confirmation checks for a candidate, without writing: exists, conflict, duplicates, preview.
async fn verify(State(s): State<AppState>, ApiJson(r): ApiJson<VerifyRequest>) -> Result<Json<Value>, ApiError> {
    let owner = match (r.project_key, r.person_id) {
        (Some(key), None) => {
            check_key(&key)?;
            Owner::Project(key)
        }
        (None, Some(id)) => Owner::Person(id),
        _ => return Err(ApiError::invalid("projectKey", "send exactly one of projectKey and personId")),
    };
    let v = s.links.verify(&owner, &r.candidate).await?;
    Ok(Json(serde_json::to_value(v).map_err(|_| ApiError::Internal)?))
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct ValidateRequest {
    project_key: Option<String>,
    person_id: Option<Uuid>,
}

/// Checks stored links upstream by their stable ids; marks gone ones unverified and takes
/// renames; answers what changed.
async fn validate(State(s): State<AppState>, actor: ApiActor, body: axum::body::Bytes) -> Result<Json<Value>, ApiError> {
    // An empty body means "every link".
    let r: ValidateRequest = if body.iter().all(u8::is_ascii_whitespace) {
        ValidateRequest::default()
    } else {
        serde_json::from_slice(&body).map_err(|e| super::extract::serde_error(&e.to_string()))?
    };
    let project = match r.project_key {
        None => None,
        Some(key) => {
            check_key(&key)?;
            Some(crate::store::projects::project_id_by_key(&s.pool, &key).await?.ok_or_else(|| ApiError::NotFound(format!("no project with key '{key}'")))?)
        }
    };
    if let Some(id) = r.person_id {
        person_json(&s, id).await?;
    }
    if project.is_some() && r.person_id.is_some() {
        return Err(ApiError::invalid("projectKey", "send at most one of projectKey and personId"));
    }
    let report = s.links.validate(crate::links::validate::Scope { project, person: r.person_id }, actor.0).await?;
    Ok(Json(serde_json::to_value(report).map_err(|_| ApiError::Internal)?))
}
