//! The spec's 13 link endpoints. Each handler parses and validates input, calls one service in
//! `crate::links`, and answers with the spec's camelCase JSON.

use super::extract::{parse_uuid, ApiActor, ApiJson, Authed};
use crate::api::authz;
use crate::auth::rules;
use crate::api::ApiError;
use crate::domain::{AccountPlatform, RepoPlatform};
use crate::api::rest::openapi::ErrorBody;
use crate::domain::{PersonSchema, ProjectSchema};
use crate::links::change::{Changed, LinkChange};
use crate::links::checks::Warning;
use crate::validation::Report;
use crate::links::declare::{Candidate, Options, Owner, Verification};
use crate::server::state::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use serde::Deserialize;
use serde_json::Value;
use uuid::Uuid;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(project_links))
        .routes(routes!(link_jira))
        .routes(routes!(link_repository))
        .routes(routes!(project_suggestions))
        .routes(routes!(change_project_link, delete_project_link))
        .routes(routes!(person_links, link_account))
        .routes(routes!(person_suggestions))
        .routes(routes!(change_person_link, delete_person_link))
        .routes(routes!(verify))
        .routes(routes!(validate))
        .merge(super::suggestions::router())
}

#[derive(Deserialize, ToSchema)]
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

#[derive(Deserialize, ToSchema)]
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

#[derive(Deserialize, ToSchema)]
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

/// A link was written.
#[derive(serde::Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
struct DeclaredResponse {
    link_id: Uuid,
    is_primary: bool,
    /// A self-link whose upstream e-mail is not the person's: stored inactive until an admin
    /// approves it (`POST /api/links/pending/{linkId}/approve`).
    pending: bool,
    warnings: Vec<Warning>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<ProjectSchema>)]
    project: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<PersonSchema>)]
    person: Option<Value>,
}

/// A link was changed or deleted; the entity as it is now.
#[derive(serde::Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
struct ChangedResponse {
    #[serde(skip_serializing_if = "Option::is_none")]
    change: Option<Changed>,
    #[serde(skip_serializing_if = "Option::is_none")]
    deleted: Option<Changed>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<ProjectSchema>)]
    project: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<PersonSchema>)]
    person: Option<Value>,
}

/// Ranked suggestions with their evidence; conflicts (held by another entity) come last.
#[derive(serde::Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
struct SuggestionsResponse {
    #[serde(skip_serializing_if = "Option::is_none")]
    project_key: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    person_id: Option<Uuid>,
    /// Each with its stored id and status; dismissed ones are left out until their evidence
    /// changes materially.
    suggestions: Vec<crate::links::suggestions::StoredSuggestion>,
    /// Connections that could not be listed, so missing suggestions are never silent.
    errors: Vec<String>,
}

fn check_key(key: &str) -> Result<(), ApiError> {
    let well_formed = (1..=20).contains(&key.len()) && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    if !well_formed {
        return Err(ApiError::invalid("projectKey", format!("{key:?} is not a project key (1–20 letters, digits or _)")));
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

#[utoipa::path(get, path = "/api/projects/{project_key}/links", tag = "links", params(("project_key" = String, Path, description = "Velocity project key")), responses((status = 200, description = "The project with its Jira projects, repositories and legacy fields", body = ProjectSchema), (status = 400, description = "Bad input; the field is named", body = ErrorBody), (status = 404, description = "No such entity", body = ErrorBody)))]
async fn project_links(State(s): State<AppState>, Path(key): Path<String>) -> Result<Json<Value>, ApiError> {
    check_key(&key)?;
    Ok(Json(project_json(&s, &key).await?))
}

#[utoipa::path(get, path = "/api/persons/{person_id}/links", tag = "links", params(("person_id" = Uuid, Path, description = "Velocity person id (UUID)")), responses((status = 200, description = "The person with their external accounts and legacy fields", body = PersonSchema), (status = 400, description = "Bad input; the field is named", body = ErrorBody), (status = 404, description = "No such entity", body = ErrorBody)))]
async fn person_links(State(s): State<AppState>, Path(id): Path<String>) -> Result<Json<Value>, ApiError> {
    let id = parse_uuid("personId", &id)?;
    Ok(Json(person_json(&s, id).await?))
}

async fn declared(s: &AppState, owner: Owner, candidate: Candidate, opts: Options, actor: ApiActor) -> Result<(StatusCode, Json<DeclaredResponse>), ApiError> {
    let d = s.links.declare(&owner, &candidate, opts, actor.0).await?;
    let (project, person) = match &owner {
        Owner::Project(key) => (Some(project_json(s, key).await?), None),
        Owner::Person(id) => (None, Some(person_json(s, *id).await?)),
    };
    Ok((created_or_held(&d), Json(DeclaredResponse { link_id: d.link_id, is_primary: d.is_primary, warnings: d.warnings, project, person, pending: false })))
}

/// 201 for a new link, 200 when the entity already held it (declaring again changes nothing).
fn created_or_held(d: &crate::links::declare::Declared) -> StatusCode {
    if d.existing { StatusCode::OK } else { StatusCode::CREATED }
}

#[utoipa::path(post, path = "/api/projects/{project_key}/links/jira", tag = "links", params(("project_key" = String, Path)), request_body = JiraLinkRequest, responses((status = 201, body = DeclaredResponse), (status = 200, description = "Already linked to this entity: the existing link, nothing written", body = DeclaredResponse), (status = 400, description = "Bad input; the field is named", body = ErrorBody), (status = 404, description = "No such entity", body = ErrorBody), (status = 409, description = "Linked by another entity", body = ErrorBody), (status = 422, description = "Not found upstream, or warnings to acknowledge", body = ErrorBody), (status = 502, description = "The upstream system failed", body = ErrorBody)))]
async fn link_jira(State(s): State<AppState>, Path(key): Path<String>, Authed(who): Authed, actor: ApiActor, ApiJson(r): ApiJson<JiraLinkRequest>) -> Result<(StatusCode, Json<DeclaredResponse>), ApiError> {
    check_key(&key)?;
    authz::manage_project(&s.pool, &who, &key).await?;
    let candidate = Candidate::Jira { connection_id: r.connection_id, project: r.project };
    let opts = Options { is_primary: r.is_primary, active: r.active, acknowledge_warnings: r.acknowledge_warnings, pending: false };
    declared(&s, Owner::Project(key), candidate, opts, actor).await
}

#[utoipa::path(post, path = "/api/projects/{project_key}/links/repository", tag = "links", params(("project_key" = String, Path)), request_body = RepositoryLinkRequest, responses((status = 201, body = DeclaredResponse), (status = 200, description = "Already linked to this entity: the existing link, nothing written", body = DeclaredResponse), (status = 400, description = "Bad input; the field is named", body = ErrorBody), (status = 404, description = "No such entity", body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody), (status = 502, body = ErrorBody)))]
async fn link_repository(State(s): State<AppState>, Path(key): Path<String>, Authed(who): Authed, actor: ApiActor, ApiJson(r): ApiJson<RepositoryLinkRequest>) -> Result<(StatusCode, Json<DeclaredResponse>), ApiError> {
    check_key(&key)?;
    authz::manage_project(&s.pool, &who, &key).await?;
    let candidate = Candidate::Repository { connection_id: r.connection_id, platform: r.platform, repository: r.repository };
    let opts = Options { is_primary: r.is_primary, active: r.active, acknowledge_warnings: r.acknowledge_warnings, pending: false };
    declared(&s, Owner::Project(key), candidate, opts, actor).await
}

#[utoipa::path(post, path = "/api/persons/{person_id}/links", tag = "links", params(("person_id" = Uuid, Path)), request_body = AccountLinkRequest, responses((status = 201, body = DeclaredResponse), (status = 200, description = "Already linked to this entity: the existing link, nothing written", body = DeclaredResponse), (status = 400, description = "Bad input; the field is named", body = ErrorBody), (status = 404, description = "No such entity", body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody), (status = 502, body = ErrorBody)))]
async fn link_account(State(s): State<AppState>, Path(id): Path<String>, Authed(who): Authed, actor: ApiActor, ApiJson(r): ApiJson<AccountLinkRequest>) -> Result<(StatusCode, Json<DeclaredResponse>), ApiError> {
    let id = parse_uuid("personId", &id)?;
    let candidate = Candidate::Account { connection_id: r.connection_id, platform: r.platform, external_id: r.external_id };
    let opts = Options { is_primary: r.is_primary, active: r.active, acknowledge_warnings: r.acknowledge_warnings, pending: false };
    let (d, pending) = authz::declare_account(&s.links, &who, actor.0, id, &candidate, opts).await?;
    let person = Some(person_json(&s, id).await?);
    Ok((created_or_held(&d), Json(DeclaredResponse { link_id: d.link_id, is_primary: d.is_primary, pending, warnings: d.warnings, project: None, person })))
}

#[utoipa::path(put, path = "/api/projects/{project_key}/links/{link_id}", tag = "links", params(("project_key" = String, Path), ("link_id" = Uuid, Path)), request_body = LinkChange, responses((status = 200, body = ChangedResponse), (status = 400, description = "Bad input; the field is named", body = ErrorBody), (status = 404, description = "No such entity", body = ErrorBody)))]
async fn change_project_link(State(s): State<AppState>, Path((key, link)): Path<(String, String)>, Authed(who): Authed, actor: ApiActor, ApiJson(change): ApiJson<LinkChange>) -> Result<Json<ChangedResponse>, ApiError> {
    check_key(&key)?;
    let link = parse_uuid("linkId", &link)?;
    authz::manage_project(&s.pool, &who, &key).await?;
    let changed = s.links.change(&Owner::Project(key.clone()), link, change, actor.0).await?;
    Ok(Json(ChangedResponse { change: Some(changed), deleted: None, project: Some(project_json(&s, &key).await?), person: None }))
}

#[utoipa::path(delete, path = "/api/projects/{project_key}/links/{link_id}", tag = "links", params(("project_key" = String, Path), ("link_id" = Uuid, Path)), responses((status = 200, body = ChangedResponse), (status = 400, description = "Bad input; the field is named", body = ErrorBody), (status = 404, description = "No such entity", body = ErrorBody)))]
async fn delete_project_link(State(s): State<AppState>, Path((key, link)): Path<(String, String)>, Authed(who): Authed, actor: ApiActor) -> Result<Json<ChangedResponse>, ApiError> {
    check_key(&key)?;
    let link = parse_uuid("linkId", &link)?;
    authz::manage_project(&s.pool, &who, &key).await?;
    let changed = s.links.delete(&Owner::Project(key.clone()), link, actor.0).await?;
    Ok(Json(ChangedResponse { change: None, deleted: Some(changed), project: Some(project_json(&s, &key).await?), person: None }))
}

#[utoipa::path(put, path = "/api/persons/{person_id}/links/{link_id}", tag = "links", params(("person_id" = Uuid, Path), ("link_id" = Uuid, Path)), request_body = LinkChange, responses((status = 200, body = ChangedResponse), (status = 400, description = "Bad input; the field is named", body = ErrorBody), (status = 404, description = "No such entity", body = ErrorBody)))]
async fn change_person_link(State(s): State<AppState>, Path((id, link)): Path<(String, String)>, Authed(who): Authed, actor: ApiActor, ApiJson(change): ApiJson<LinkChange>) -> Result<Json<ChangedResponse>, ApiError> {
    let id = parse_uuid("personId", &id)?;
    let link = parse_uuid("linkId", &link)?;
    authz::change_account_link(&s.pool, &who, id, link).await?;
    let changed = s.links.change(&Owner::Person(id), link, change, actor.0).await?;
    Ok(Json(ChangedResponse { change: Some(changed), deleted: None, project: None, person: Some(person_json(&s, id).await?) }))
}

#[utoipa::path(delete, path = "/api/persons/{person_id}/links/{link_id}", tag = "links", params(("person_id" = Uuid, Path), ("link_id" = Uuid, Path)), responses((status = 200, body = ChangedResponse), (status = 400, description = "Bad input; the field is named", body = ErrorBody), (status = 404, description = "No such entity", body = ErrorBody)))]
async fn delete_person_link(State(s): State<AppState>, Path((id, link)): Path<(String, String)>, Authed(who): Authed, actor: ApiActor) -> Result<Json<ChangedResponse>, ApiError> {
    let id = parse_uuid("personId", &id)?;
    let link = parse_uuid("linkId", &link)?;
    rules::manage_person_links(&who, id)?;
    let changed = s.links.delete(&Owner::Person(id), link, actor.0).await?;
    Ok(Json(ChangedResponse { change: None, deleted: Some(changed), project: None, person: Some(person_json(&s, id).await?) }))
}

#[utoipa::path(post, path = "/api/projects/{project_key}/links/suggestions", tag = "links", params(("project_key" = String, Path)), responses((status = 200, body = SuggestionsResponse), (status = 400, description = "Bad input; the field is named", body = ErrorBody), (status = 404, description = "No such entity", body = ErrorBody)))]
/// Suggestions are computed, never applied: linking one goes through the POST endpoints.
async fn project_suggestions(State(s): State<AppState>, Path(key): Path<String>) -> Result<Json<SuggestionsResponse>, ApiError> {
    check_key(&key)?;
    let found = s.links.suggest_for_project(&key).await?;
    Ok(Json(SuggestionsResponse { project_key: Some(key), person_id: None, suggestions: found.suggestions, errors: found.errors }))
}

#[utoipa::path(post, path = "/api/persons/{person_id}/links/suggestions", tag = "links", params(("person_id" = Uuid, Path)), responses((status = 200, body = SuggestionsResponse), (status = 400, description = "Bad input; the field is named", body = ErrorBody), (status = 404, description = "No such entity", body = ErrorBody)))]
async fn person_suggestions(State(s): State<AppState>, Path(id): Path<String>) -> Result<Json<SuggestionsResponse>, ApiError> {
    let id = parse_uuid("personId", &id)?;
    let found = s.links.suggest_for_person(id).await?;
    Ok(Json(SuggestionsResponse { project_key: None, person_id: Some(id), suggestions: found.suggestions, errors: found.errors }))
}

#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct VerifyRequest {
    project_key: Option<String>,
    person_id: Option<Uuid>,
    candidate: Candidate,
}

#[utoipa::path(post, path = "/api/links/verify", tag = "links", request_body = VerifyRequest, responses((status = 200, description = "Exists, conflict, warnings and preview; nothing written", body = Verification), (status = 400, description = "Bad input; the field is named", body = ErrorBody), (status = 404, description = "No such entity", body = ErrorBody), (status = 422, body = ErrorBody), (status = 502, body = ErrorBody)))]
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

#[derive(Deserialize, Default, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct ValidateRequest {
    project_key: Option<String>,
    person_id: Option<Uuid>,
}

#[utoipa::path(post, path = "/api/links/validate", tag = "links", request_body(content = Option<ValidateRequest>, description = "Empty for every link"), responses((status = 200, body = Report), (status = 400, description = "Bad input; the field is named", body = ErrorBody), (status = 404, description = "No such entity", body = ErrorBody)))]
/// Checks stored links upstream by their stable ids; marks gone ones unverified and takes
/// renames; answers what changed.
async fn validate(State(s): State<AppState>, Authed(who): Authed, actor: ApiActor, body: axum::body::Bytes) -> Result<Json<Value>, ApiError> {
    // An empty body means "every link".
    let r: ValidateRequest = if body.iter().all(u8::is_ascii_whitespace) {
        ValidateRequest::default()
    } else {
        // serde reads a struct from an array too; the document says object.
        let v: Value = serde_json::from_slice(&body).map_err(|e| super::extract::serde_error(&e.to_string()))?;
        if !v.is_object() {
            return Err(ApiError::Invalid { message: "invalid request body: expected a JSON object".into(), field: None });
        }
        serde_json::from_value(v).map_err(|e| super::extract::serde_error(&e.to_string()))?
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
    // Validation writes (renames, unverified marks): the scope's manager decides.
    match (project, r.person_id) {
        (Some(project), _) => authz::manage_project_id(&s.pool, &who, project).await?,
        (None, Some(person)) => rules::manage_person_links(&who, person)?,
        (None, None) => rules::admin_only(&who)?,
    }
    let report = s.links.validator().validate(crate::validation::Scope { project, person: r.person_id }, actor.0).await?;
    Ok(Json(serde_json::to_value(report).map_err(|_| ApiError::Internal)?))
}
