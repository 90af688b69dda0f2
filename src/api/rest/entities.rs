//! Velocity's entities over REST: `GET|POST /api/projects`, `GET|PUT /api/projects/{key}`,
//! `GET|POST /api/persons`, `GET|PUT /api/persons/{id}` (partial updates; `active: false`
//! deactivates — nothing is ever hard-deleted), plus bulk import and export (`transfer`).
//!
//! Writes may still carry the deprecated legacy single-link fields; they are translated into link
//! operations and the answer says so with `Deprecation: true` and a `Link` to the links endpoint.

mod transfer;

use super::extract::{parse_uuid, ApiActor, ApiJson};
use crate::api::ApiError;
use crate::links::declare::Owner;
use crate::links::entities::legacy::{PersonLegacy, ProjectLegacy};
use crate::links::entities::persons::{NewPerson, PersonPatch};
use crate::links::entities::projects::{NewProject, ProjectPatch};
use crate::links::entities::EntityError;
use crate::server::state::AppState;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde::{Deserialize, Deserializer};
use serde_json::json;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/projects", get(list_projects).post(create_project))
        .route("/api/projects/{project_key}", get(get_project).put(update_project))
        .route("/api/persons", get(list_persons).post(create_person))
        .route("/api/persons/{person_id}", get(get_person).put(update_person))
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

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct ListQuery {
    q: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct ProjectRequest {
    /// Required on create; on update it may only repeat the key in the path.
    key: Option<String>,
    name: Option<String>,
    description: Option<String>,
    #[serde(default, deserialize_with = "explicit")]
    lead_person_id: Option<Option<String>>,
    active: Option<bool>,
    /// Deprecated: made the project's primary Jira link.
    #[serde(default, deserialize_with = "explicit")]
    jira_key: Option<Option<String>>,
    /// Deprecated: which Bitbucket connection `bitbucketRepos` are looked up on.
    #[serde(default, deserialize_with = "explicit")]
    bitbucket_workspace: Option<Option<String>>,
    /// Deprecated: linked as Bitbucket repositories, the first one primary.
    #[serde(default, deserialize_with = "explicit")]
    bitbucket_repos: Option<Option<Vec<String>>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct PersonRequest {
    name: Option<String>,
    email: Option<String>,
    active: Option<bool>,
    #[serde(default, deserialize_with = "explicit")]
    jira_account_id: Option<Option<String>>,
    #[serde(default, deserialize_with = "explicit")]
    bitbucket_username: Option<Option<String>>,
    #[serde(default, deserialize_with = "explicit")]
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

fn query<T>(q: Result<Query<T>, axum::extract::rejection::QueryRejection>) -> Result<T, ApiError> {
    q.map(|Query(q)| q).map_err(|e| ApiError::Invalid { message: format!("invalid query: {}", e.body_text()), field: None })
}

async fn list_projects(State(s): State<AppState>, q: Result<Query<ListQuery>, axum::extract::rejection::QueryRejection>) -> Result<Json<serde_json::Value>, ApiError> {
    Ok(Json(to_json(s.links.list_projects(query(q)?.q.as_deref()).await?)?))
}

async fn get_project(State(s): State<AppState>, Path(key): Path<String>) -> Result<Json<serde_json::Value>, ApiError> {
    Ok(Json(to_json(s.links.get_project(&key).await?)?))
}

async fn create_project(State(s): State<AppState>, actor: ApiActor, ApiJson(mut r): ApiJson<ProjectRequest>) -> Result<Response, ApiError> {
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

async fn update_project(State(s): State<AppState>, Path(key): Path<String>, actor: ApiActor, ApiJson(mut r): ApiJson<ProjectRequest>) -> Result<Response, ApiError> {
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

async fn list_persons(State(s): State<AppState>, q: Result<Query<ListQuery>, axum::extract::rejection::QueryRejection>) -> Result<Json<serde_json::Value>, ApiError> {
    Ok(Json(to_json(s.links.list_persons(query(q)?.q.as_deref()).await?)?))
}

async fn get_person(State(s): State<AppState>, Path(id): Path<String>) -> Result<Json<serde_json::Value>, ApiError> {
    let id = parse_uuid("personId", &id)?;
    Ok(Json(to_json(s.links.get_person(id).await?)?))
}

async fn create_person(State(s): State<AppState>, actor: ApiActor, ApiJson(mut r): ApiJson<PersonRequest>) -> Result<Response, ApiError> {
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

async fn update_person(State(s): State<AppState>, Path(id): Path<String>, actor: ApiActor, ApiJson(mut r): ApiJson<PersonRequest>) -> Result<Response, ApiError> {
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
