//! Velocity's entities over REST: `GET|POST /api/projects`, `GET|PUT /api/projects/{key}`,
//! `GET|POST /api/persons`, `GET|PUT /api/persons/{id}` (partial updates; `active: false`
//! deactivates — nothing is ever hard-deleted), plus bulk import and export (`transfer`).
//!
//! Writes may still carry the deprecated legacy single-link fields; they are translated into link
//! operations and the answer says so with `Deprecation: true` and a `Link` to the links endpoint.

mod transfer;

use super::extract::{parse_uuid, ApiActor, ApiJson, ApiQuery, Authed};
use crate::auth::rules;
use crate::api::rest::openapi::ErrorBody;
use crate::api::ApiError;
use crate::domain::{PersonSchema, ProjectSchema};
use crate::links::declare::Owner;
use crate::links::entities::legacy::{PersonLegacy, ProjectLegacy};
use crate::links::entities::persons::{NewPerson, PersonPatch};
use crate::links::entities::projects::{NewProject, ProjectPatch};
use crate::links::entities::EntityError;
use crate::server::state::AppState;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::{Deserialize, Deserializer};
use serde_json::json;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_projects, create_project))
        .routes(routes!(get_project, update_project))
        .routes(routes!(list_persons, create_person))
        .routes(routes!(get_person, update_person))
        .merge(transfer::router())
}

impl From<EntityError> for ApiError {
    fn from(e: EntityError) -> Self {
        let message = e.to_string();
        match e {
            EntityError::Invalid { field, message } => ApiError::invalid(field, message),
            EntityError::NotFound(m) => ApiError::NotFound(m),
            EntityError::Duplicate { field, .. } => ApiError::Conflict { message, details: json!({ "field": field }) },
            EntityError::Rejected { report } => ApiError::Unprocessable { message, details: json!(report) },
            EntityError::Link(l) => l.into(),
            EntityError::Export(m) => {
                tracing::error!(error = %m, "export failed");
                ApiError::Internal
            }
            EntityError::Store(s) => s.into(),
        }
    }
}

/// Present → `Some(v)`, explicit `null` → `Some(None)`, absent (with `default`) → `None`.
fn explicit<'de, D: Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<Option<Option<T>>, D::Error> {
    Option::<T>::deserialize(d).map(Some)
}

/// A legacy field may not be cleared with `null`: links are removed through the links endpoints.
fn legacy<T>(field: &str, v: Option<Option<T>>, successor: &str) -> Result<Option<T>, ApiError> {
    match v {
        Some(None) => Err(ApiError::invalid(field, format!("clearing a legacy field is not supported; delete the link through {successor}/{{linkId}}"))),
        Some(Some(v)) => Ok(Some(v)),
        None => Ok(None),
    }
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct ListQuery {
    /// Only the entities whose key or name (projects), or name or e-mail (persons), contains
    /// this, ignoring case.
    q: Option<String>,
}

/// A project to create (`key` and `name` required) or a partial update (only the fields sent
/// change; `leadPersonId: null` clears the lead; `active: false` deactivates).
#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct ProjectRequest {
    /// Required on create: a capital letter, then 1–19 capitals, digits or _ (like WEB_2). On
    /// update it may only repeat the key in the path.
    #[schema(pattern = "^[A-Z][A-Z0-9_]{1,19}$")]
    key: Option<String>,
    /// Required on create; trimmed, at most 200 characters, no control characters.
    #[schema(min_length = 1)]
    name: Option<String>,
    #[schema(max_length = 2000)]
    description: Option<String>,
    /// An active person's id; `null` clears the lead.
    #[serde(default, deserialize_with = "explicit")]
    #[schema(value_type = Option<String>, format = Uuid)]
    lead_person_id: Option<Option<String>>,
    /// A new project is active; `false` on update deactivates it.
    active: Option<bool>,
    /// Deprecated: made the project's primary Jira link (`null` is refused: delete the link instead).
    #[serde(default, deserialize_with = "explicit")]
    #[schema(value_type = Option<String>, deprecated)]
    jira_key: Option<Option<String>>,
    /// Deprecated: which Bitbucket connection `bitbucketRepos` are looked up on.
    #[serde(default, deserialize_with = "explicit")]
    #[schema(value_type = Option<String>, deprecated)]
    bitbucket_workspace: Option<Option<String>>,
    /// Deprecated: linked as Bitbucket repositories, the first one primary.
    #[serde(default, deserialize_with = "explicit")]
    #[schema(value_type = Option<Vec<String>>, deprecated)]
    bitbucket_repos: Option<Option<Vec<String>>>,
}

/// A person to create (`name` and `email` required) or a partial update (only the fields sent
/// change; `active: false` deactivates).
#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct PersonRequest {
    /// Required on create; trimmed, at most 200 characters, no control characters.
    #[schema(min_length = 1)]
    name: Option<String>,
    /// Required on create; unique ignoring case.
    #[schema(format = Email)]
    email: Option<String>,
    active: Option<bool>,
    /// Deprecated: made the person's primary Jira account (`null` is refused: delete the link instead).
    #[serde(default, deserialize_with = "explicit")]
    #[schema(value_type = Option<String>, deprecated)]
    jira_account_id: Option<Option<String>>,
    /// Deprecated: made the person's primary Bitbucket account.
    #[serde(default, deserialize_with = "explicit")]
    #[schema(value_type = Option<String>, deprecated)]
    bitbucket_username: Option<Option<String>>,
    /// Deprecated: made the person's primary Slack account.
    #[serde(default, deserialize_with = "explicit")]
    #[schema(value_type = Option<String>, deprecated)]
    slack_user_id: Option<Option<String>>,
}

impl ProjectRequest {
    fn legacy(&mut self, successor: &str) -> Result<ProjectLegacy, ApiError> {
        Ok(ProjectLegacy {
            jira_key: legacy("jiraKey", self.jira_key.take(), successor)?,
            bitbucket_workspace: legacy("bitbucketWorkspace", self.bitbucket_workspace.take(), successor)?,
            bitbucket_repos: legacy("bitbucketRepos", self.bitbucket_repos.take(), successor)?,
        })
    }

    fn lead(&self) -> Result<Option<Option<uuid::Uuid>>, ApiError> {
        self.lead_person_id.as_ref().map(|l| l.as_deref().map(|raw| parse_uuid("leadPersonId", raw)).transpose()).transpose()
    }
}

impl PersonRequest {
    fn legacy(&mut self, successor: &str) -> Result<PersonLegacy, ApiError> {
        Ok(PersonLegacy {
            jira_account_id: legacy("jiraAccountId", self.jira_account_id.take(), successor)?,
            bitbucket_username: legacy("bitbucketUsername", self.bitbucket_username.take(), successor)?,
            slack_user_id: legacy("slackUserId", self.slack_user_id.take(), successor)?,
        })
    }
}

fn required(field: &str, v: Option<String>) -> Result<String, ApiError> {
    v.ok_or_else(|| ApiError::invalid(field, "is required"))
}

/// The entity as JSON, with the deprecation headers when legacy fields were written.
fn answer(status: StatusCode, body: serde_json::Value, successor: Option<&str>, location: Option<&str>) -> Result<Response, ApiError> {
    let mut headers = HeaderMap::new();
    let value = |s: String| HeaderValue::from_str(&s).map_err(|_| ApiError::Internal);
    if let Some(successor) = successor {
        headers.insert("deprecation", HeaderValue::from_static("true"));
        headers.insert(header::LINK, value(format!("<{successor}>; rel=\"successor-version\""))?);
    }
    if let Some(location) = location {
        headers.insert(header::LOCATION, value(location.to_owned())?);
    }
    Ok((status, headers, Json(body)).into_response())
}

fn to_json<T: serde::Serialize>(v: T) -> Result<serde_json::Value, ApiError> {
    serde_json::to_value(v).map_err(|_| ApiError::Internal)
}

#[utoipa::path(get, path = "/api/projects", tag = "projects", params(ListQuery), responses((status = 200, description = "Every project (active or not) matching `q`, ordered by key", body = Vec<ProjectSchema>), (status = 400, description = "Bad query; the field is named", body = ErrorBody), (status = 503, description = "The database is unavailable", body = ErrorBody)))]
async fn list_projects(State(s): State<AppState>, ApiQuery(q): ApiQuery<ListQuery>) -> Result<Json<serde_json::Value>, ApiError> {
    Ok(Json(to_json(s.links.list_projects(q.q.as_deref()).await?)?))
}

#[utoipa::path(get, path = "/api/projects/{project_key}", tag = "projects", params(("project_key" = String, Path, description = "Velocity project key", pattern = "^[A-Z][A-Z0-9_]{1,19}$")), responses((status = 200, description = "The project with its links and legacy fields", body = ProjectSchema), (status = 400, description = "Not a project key", body = ErrorBody), (status = 404, description = "No such project", body = ErrorBody), (status = 503, description = "The database is unavailable", body = ErrorBody)))]
async fn get_project(State(s): State<AppState>, Path(key): Path<String>) -> Result<Json<serde_json::Value>, ApiError> {
    Ok(Json(to_json(s.links.get_project(&key).await?)?))
}

#[utoipa::path(post, path = "/api/projects", tag = "projects", request_body = ProjectRequest, responses((status = 201, description = "Created; legacy fields were written as links when `Deprecation` is set", body = ProjectSchema, headers(("Location" = String, description = "The new project's URL"), ("Deprecation" = String, description = "`true` when deprecated legacy fields were sent"), ("Link" = String, description = "The successor links endpoint, with `Deprecation`"))), (status = 400, description = "Bad input; the field is named", body = ErrorBody), (status = 409, description = "The key is taken, or a legacy link is held by another entity", body = ErrorBody), (status = 422, description = "A legacy value does not exist upstream", body = ErrorBody), (status = 502, description = "The upstream system failed", body = ErrorBody), (status = 503, description = "The database is unavailable", body = ErrorBody)))]
async fn create_project(State(s): State<AppState>, Authed(who): Authed, actor: ApiActor, ApiJson(mut r): ApiJson<ProjectRequest>) -> Result<Response, ApiError> {
    // Velocity's own records are the admin's to write.
    rules::admin_only(&who)?;
    let key = required("key", r.key.take())?;
    let successor = format!("/api/projects/{key}/links");
    let legacy = r.legacy(&successor)?;
    if r.active == Some(false) {
        return Err(ApiError::invalid("active", "a new project is active; deactivate it later with PUT and active: false"));
    }
    let new = NewProject { key: key.clone(), name: required("name", r.name.take())?, description: r.description.take(), lead_person_id: r.lead()?.flatten() };
    new.validated()?;
    let plan = if legacy.is_empty() { None } else { Some(s.links.check_project_legacy(None, &legacy).await?) };
    s.links.create_project(&new, actor.0).await?;
    if let Some(plan) = plan {
        s.links.apply_legacy(&Owner::Project(key.clone()), plan, actor.0).await?;
    }
    let body = to_json(s.links.get_project(&key).await?)?;
    answer(StatusCode::CREATED, body, (!legacy.is_empty()).then_some(successor.as_str()), Some(&format!("/api/projects/{key}")))
}

#[utoipa::path(put, path = "/api/projects/{project_key}", tag = "projects", params(("project_key" = String, Path, description = "Velocity project key", pattern = "^[A-Z][A-Z0-9_]{1,19}$")), request_body = ProjectRequest, responses((status = 200, description = "Updated; legacy fields were written as links when `Deprecation` is set", body = ProjectSchema, headers(("Deprecation" = String, description = "`true` when deprecated legacy fields were sent"), ("Link" = String, description = "The successor links endpoint, with `Deprecation`"))), (status = 400, description = "Bad input; the field is named", body = ErrorBody), (status = 404, description = "No such project", body = ErrorBody), (status = 409, description = "A legacy link is held by another entity", body = ErrorBody), (status = 422, description = "A legacy value does not exist upstream", body = ErrorBody), (status = 502, description = "The upstream system failed", body = ErrorBody), (status = 503, description = "The database is unavailable", body = ErrorBody)))]
async fn update_project(State(s): State<AppState>, Path(key): Path<String>, Authed(who): Authed, actor: ApiActor, ApiJson(mut r): ApiJson<ProjectRequest>) -> Result<Response, ApiError> {
    // Velocity's own records are the admin's to write.
    rules::admin_only(&who)?;
    if r.key.as_ref().is_some_and(|k| *k != key) {
        return Err(ApiError::invalid("key", format!("a project's key cannot be changed (it is '{key}')")));
    }
    let successor = format!("/api/projects/{key}/links");
    let legacy = r.legacy(&successor)?;
    let patch = ProjectPatch { name: r.name.take(), description: r.description.take(), lead_person_id: r.lead()?, active: r.active };
    if patch.is_empty() && legacy.is_empty() {
        return Err(ApiError::invalid("body", "nothing to change: send name, description, leadPersonId and/or active"));
    }
    let project = s.links.get_project(&key).await?;
    let plan = if legacy.is_empty() { None } else { Some(s.links.check_project_legacy(Some(project.id), &legacy).await?) };
    if !patch.is_empty() {
        s.links.update_project(&key, &patch, actor.0).await?;
    }
    if let Some(plan) = plan {
        s.links.apply_legacy(&Owner::Project(key.clone()), plan, actor.0).await?;
    }
    let body = to_json(s.links.get_project(&key).await?)?;
    answer(StatusCode::OK, body, (!legacy.is_empty()).then_some(successor.as_str()), None)
}

#[utoipa::path(get, path = "/api/persons", tag = "persons", params(ListQuery), responses((status = 200, description = "Every person (active or not) matching `q`", body = Vec<PersonSchema>), (status = 400, description = "Bad query; the field is named", body = ErrorBody), (status = 503, description = "The database is unavailable", body = ErrorBody)))]
async fn list_persons(State(s): State<AppState>, ApiQuery(q): ApiQuery<ListQuery>) -> Result<Json<serde_json::Value>, ApiError> {
    Ok(Json(to_json(s.links.list_persons(q.q.as_deref()).await?)?))
}

#[utoipa::path(get, path = "/api/persons/{person_id}", tag = "persons", params(("person_id" = Uuid, Path, description = "Velocity person id (UUID)")), responses((status = 200, description = "The person with their external accounts and legacy fields", body = PersonSchema), (status = 400, description = "Not a UUID", body = ErrorBody), (status = 404, description = "No such person", body = ErrorBody), (status = 503, description = "The database is unavailable", body = ErrorBody)))]
async fn get_person(State(s): State<AppState>, Path(id): Path<String>) -> Result<Json<serde_json::Value>, ApiError> {
    let id = parse_uuid("personId", &id)?;
    Ok(Json(to_json(s.links.get_person(id).await?)?))
}

#[utoipa::path(post, path = "/api/persons", tag = "persons", request_body = PersonRequest, responses((status = 201, description = "Created; legacy fields were written as links when `Deprecation` is set", body = PersonSchema, headers(("Location" = String, description = "The new person's URL"), ("Deprecation" = String, description = "`true` when deprecated legacy fields were sent"), ("Link" = String, description = "The successor links endpoint, with `Deprecation`"))), (status = 400, description = "Bad input; the field is named", body = ErrorBody), (status = 409, description = "The e-mail is taken, or a legacy link is held by another entity", body = ErrorBody), (status = 422, description = "A legacy value does not exist upstream", body = ErrorBody), (status = 502, description = "The upstream system failed", body = ErrorBody), (status = 503, description = "The database is unavailable", body = ErrorBody)))]
async fn create_person(State(s): State<AppState>, Authed(who): Authed, actor: ApiActor, ApiJson(mut r): ApiJson<PersonRequest>) -> Result<Response, ApiError> {
    // Velocity's own records are the admin's to write.
    rules::admin_only(&who)?;
    let legacy = r.legacy("/api/persons/{personId}/links")?;
    let new = NewPerson { name: required("name", r.name.take())?, email: required("email", r.email.take())?, active: r.active };
    new.validated()?;
    let plan = if legacy.is_empty() { None } else { Some(s.links.check_person_legacy(None, &legacy).await?) };
    let created = s.links.create_person(&new, actor.0).await?;
    if let Some(plan) = plan {
        s.links.apply_legacy(&Owner::Person(created.id), plan, actor.0).await?;
    }
    let successor = format!("/api/persons/{}/links", created.id);
    let body = to_json(s.links.get_person(created.id).await?)?;
    answer(StatusCode::CREATED, body, (!legacy.is_empty()).then_some(successor.as_str()), Some(&format!("/api/persons/{}", created.id)))
}

#[utoipa::path(put, path = "/api/persons/{person_id}", tag = "persons", params(("person_id" = Uuid, Path, description = "Velocity person id (UUID)")), request_body = PersonRequest, responses((status = 200, description = "Updated; legacy fields were written as links when `Deprecation` is set", body = PersonSchema, headers(("Deprecation" = String, description = "`true` when deprecated legacy fields were sent"), ("Link" = String, description = "The successor links endpoint, with `Deprecation`"))), (status = 400, description = "Bad input; the field is named", body = ErrorBody), (status = 404, description = "No such person", body = ErrorBody), (status = 409, description = "The e-mail is taken, or a legacy link is held by another entity", body = ErrorBody), (status = 422, description = "A legacy value does not exist upstream", body = ErrorBody), (status = 502, description = "The upstream system failed", body = ErrorBody), (status = 503, description = "The database is unavailable", body = ErrorBody)))]
async fn update_person(State(s): State<AppState>, Path(id): Path<String>, Authed(who): Authed, actor: ApiActor, ApiJson(mut r): ApiJson<PersonRequest>) -> Result<Response, ApiError> {
    // Velocity's own records are the admin's to write.
    rules::admin_only(&who)?;
    let id = parse_uuid("personId", &id)?;
    let successor = format!("/api/persons/{id}/links");
    let legacy = r.legacy(&successor)?;
    let patch = PersonPatch { name: r.name.take(), email: r.email.take(), active: r.active };
    if patch.is_empty() && legacy.is_empty() {
        return Err(ApiError::invalid("body", "nothing to change: send name, email and/or active"));
    }
    s.links.get_person(id).await?;
    let plan = if legacy.is_empty() { None } else { Some(s.links.check_person_legacy(Some(id), &legacy).await?) };
    if !patch.is_empty() {
        s.links.update_person(id, &patch, actor.0).await?;
    }
    if let Some(plan) = plan {
        s.links.apply_legacy(&Owner::Person(id), plan, actor.0).await?;
    }
    let body = to_json(s.links.get_person(id).await?)?;
    answer(StatusCode::OK, body, (!legacy.is_empty()).then_some(successor.as_str()), None)
}
