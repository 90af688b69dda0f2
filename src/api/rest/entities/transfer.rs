//! `POST /api/import` (JSON `{"persons": [...], "projects": [...]}`, or CSV with
//! `Content-Type: text/csv` and `?kind=projects|persons`): all rows or none; 201 with counts, or
//! 422 with every rejected row. `GET /api/export?format=json|csv&kind=projects|persons`.

use super::super::extract::{ApiActor, Authed};
use crate::api::rest::openapi::{ErrorBody, ErrorDetail};
use crate::api::ApiError;
use crate::domain::{PersonSchema, ProjectSchema};
use crate::links::entities::import::{Created, Format, ImportReport, Rejection};
use crate::links::entities::{EntityError, Kind};
use crate::server::state::AppState;
use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, QueryRejection};
use axum::extract::{Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use serde_json::json;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(import)).routes(routes!(export))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct ImportQuery {
    /// The kind a `text/csv` body holds; left out for JSON.
    #[param(inline, value_type = Kind, required = false)]
    kind: Option<String>,
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct ExportQuery {
    /// `json` (the default) or `csv`.
    #[param(inline, value_type = ExportFormat, required = false)]
    format: Option<String>,
    /// Only this kind; required for `csv`.
    #[param(inline, value_type = Kind, required = false)]
    kind: Option<String>,
}

/// A format `GET /api/export` writes.
// Documentation only: the query is read as text, so an unknown value gets a message naming the
// choices.
#[allow(dead_code)]
#[derive(ToSchema)]
#[schema(rename_all = "lowercase")]
enum ExportFormat {
    Json,
    Csv,
}

/// A JSON import: `{"persons": [...], "projects": [...]}`, either list may be left out; persons
/// are written first, so a project's `leadEmail` may name a person of the same import.
// Documentation only: the body is read row by row, so every bad row is reported.
#[allow(dead_code)]
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct ImportDocument {
    persons: Option<Vec<PersonImportRow>>,
    projects: Option<Vec<ProjectImportRow>>,
}

#[allow(dead_code)]
#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct PersonImportRow {
    #[schema(min_length = 1)]
    name: String,
    #[schema(format = Email)]
    email: String,
    /// Defaults to true.
    active: Option<bool>,
    /// Deprecated legacy field: linked as the person's Jira account, as `PUT` does.
    #[schema(deprecated)]
    jira_account_id: Option<String>,
    /// Deprecated legacy field: the Bitbucket nickname, looked up in every connected workspace.
    #[schema(deprecated)]
    bitbucket_username: Option<String>,
    /// Deprecated legacy field: linked as the person's Slack account.
    #[schema(deprecated)]
    slack_user_id: Option<String>,
    #[serde(flatten)]
    read_only: ReadOnlyFields,
}

/// Fields an export carries that Velocity sets itself: ignored, and named in the report's
/// `ignoredFields`.
#[allow(dead_code)]
#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
struct ReadOnlyFields {
    id: Option<serde_json::Value>,
    created_at: Option<serde_json::Value>,
    updated_at: Option<serde_json::Value>,
    lead_person_id: Option<serde_json::Value>,
    jira_projects: Option<serde_json::Value>,
    repositories: Option<serde_json::Value>,
    external_accounts: Option<serde_json::Value>,
}

#[allow(dead_code)]
#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct ProjectImportRow {
    /// A project key like WEB_2 (a capital letter, then 1–19 capitals, digits or _); trimmed.
    key: String,
    #[schema(min_length = 1)]
    name: String,
    #[schema(max_length = 2000)]
    description: Option<String>,
    /// The lead's e-mail: an active person in Velocity or in this import.
    #[schema(format = Email)]
    lead_email: Option<String>,
    /// Deprecated legacy field: linked as the project's primary Jira project, as `PUT` does.
    #[schema(deprecated)]
    jira_key: Option<String>,
    /// Deprecated legacy field: the workspace of `bitbucketRepos` (needed only with several).
    #[schema(deprecated)]
    bitbucket_workspace: Option<String>,
    /// Deprecated legacy field: repository slugs, or `workspace/slug`.
    #[schema(deprecated)]
    bitbucket_repos: Option<Vec<String>>,
    #[serde(flatten)]
    read_only: ReadOnlyFields,
}

/// A refused import: the error shape, and the report itself at the top level.
#[allow(dead_code)]
#[derive(ToSchema)]
struct ImportRejectedBody {
    /// `code` is `unprocessable`; `details.rejected` repeats the rejected rows.
    error: ErrorDetail,
    /// Always 0: nothing was written.
    accepted: usize,
    created: Created,
    rejected: Vec<Rejection>,
}

/// `GET /api/export` as JSON: only the kind asked for, both without `kind`.
#[allow(dead_code)]
#[derive(ToSchema)]
struct ExportDocument {
    #[schema(required = false)]
    persons: Vec<PersonSchema>,
    #[schema(required = false)]
    projects: Vec<ProjectSchema>,
}

fn query<T>(q: Result<Query<T>, QueryRejection>) -> Result<T, ApiError> {
    q.map(|Query(q)| q).map_err(|e| ApiError::Invalid { message: format!("invalid query: {}", e.body_text()), field: None })
}

fn kind(raw: Option<&str>) -> Result<Option<Kind>, ApiError> {
    Ok(raw.map(str::parse::<Kind>).transpose()?)
}

/// The format the `Content-Type` names, with the kind a CSV body needs.
fn format(headers: &HeaderMap, kind: Option<Kind>) -> Result<Format, ApiError> {
    let content_type = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    let essence = content_type.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    match (essence.as_str(), kind) {
        ("application/json", None) => Ok(Format::Json),
        ("application/json", Some(_)) => Err(ApiError::invalid("kind", "a JSON import names its kinds itself (persons, projects); leave ?kind out")),
        ("text/csv", Some(kind)) => Ok(Format::Csv(kind)),
        ("text/csv", None) => Err(ApiError::invalid("kind", "a CSV import holds one kind: add ?kind=projects or ?kind=persons")),
        _ => Err(ApiError::invalid("Content-Type", format!("'{content_type}' is not importable; send application/json, or text/csv with ?kind=projects|persons"))),
    }
}

#[utoipa::path(post, path = "/api/import", tag = "transfer", params(ImportQuery), request_body(description = "JSON with persons and/or projects, or CSV of one kind (`?kind=`) with a header line naming the columns", content((ImportDocument = "application/json"), (String = "text/csv"))), responses((status = 201, description = "Every row was written", body = ImportReport), (status = 400, description = "Bad input: not JSON or CSV, an unknown field or column, a missing or superfluous kind; the field is named", body = ErrorBody), (status = 422, description = "Rows were rejected; nothing was written", body = ImportRejectedBody), (status = 503, description = "The database is unavailable", body = ErrorBody)))]
async fn import(State(s): State<AppState>, Authed(who): Authed, actor: ApiActor, q: Result<Query<ImportQuery>, QueryRejection>, headers: HeaderMap, body: Result<Bytes, BytesRejection>) -> Result<Response, ApiError> {
    crate::auth::rules::admin_only(&who)?;
    let q = query(q)?;
    let format = format(&headers, kind(q.kind.as_deref())?)?;
    let body = body.map_err(|e| ApiError::invalid("body", format!("cannot be read ({}); split a large import into several", e.body_text())))?;
    match s.links.import(&body, format, actor.0).await {
        Ok(report) => Ok((StatusCode::CREATED, Json(report)).into_response()),
        // The error shape, and the report itself at the top level for scripts that read it.
        Err(EntityError::Rejected { report }) => {
            let error = ApiError::from(EntityError::Rejected { report: report.clone() });
            let body = json!({
                "error": {"code": error.code(), "message": error.to_string(), "details": {"rejected": report.rejected}},
                "accepted": report.accepted,
                "created": report.created,
                "rejected": report.rejected,
            });
            Ok((StatusCode::UNPROCESSABLE_ENTITY, Json(body)).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

#[utoipa::path(get, path = "/api/export", tag = "transfer", params(ExportQuery), responses((status = 200, description = "Every entity with its links: JSON, or CSV of one kind (importable as it is)", content((ExportDocument = "application/json"), (String = "text/csv")), headers(("Content-Disposition" = String, description = "For CSV: an attachment named after the kind"))), (status = 400, description = "Bad query; the field is named", body = ErrorBody), (status = 503, description = "The database is unavailable", body = ErrorBody)))]
async fn export(State(s): State<AppState>, q: Result<Query<ExportQuery>, QueryRejection>) -> Result<Response, ApiError> {
    let q = query(q)?;
    let kind = kind(q.kind.as_deref())?;
    match (q.format.as_deref().unwrap_or("json"), kind) {
        ("json", kind) => Ok(Json(s.links.export_json(kind).await?).into_response()),
        ("csv", Some(kind)) => {
            let text = s.links.export_csv(kind).await?;
            let disposition = format!("attachment; filename=\"velocity-{}.csv\"", kind.as_str());
            Ok(([(header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()), (header::CONTENT_DISPOSITION, disposition)], text).into_response())
        }
        ("csv", None) => Err(ApiError::invalid("kind", "a CSV export holds one kind: add &kind=projects or &kind=persons")),
        (other, _) => Err(ApiError::invalid("format", format!("'{other}' is not an export format; use json or csv"))),
    }
}
