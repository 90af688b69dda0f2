//! `POST /api/import` (JSON `{"persons": [...], "projects": [...]}`, or CSV with
//! `Content-Type: text/csv` and `?kind=projects|persons`): all rows or none; 201 with counts, or
//! 422 with every rejected row. `GET /api/export?format=json|csv&kind=projects|persons`.

use super::super::extract::ApiActor;
use crate::api::ApiError;
use crate::links::entities::import::Format;
use crate::links::entities::{EntityError, Kind};
use crate::server::state::AppState;
use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, QueryRejection};
use axum::extract::{Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::json;

pub fn router() -> Router<AppState> {
    Router::new().route("/api/import", post(import)).route("/api/export", get(export))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct ImportQuery {
    kind: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct ExportQuery {
    format: Option<String>,
    kind: Option<String>,
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

async fn import(State(s): State<AppState>, actor: ApiActor, q: Result<Query<ImportQuery>, QueryRejection>, headers: HeaderMap, body: Result<Bytes, BytesRejection>) -> Result<Response, ApiError> {
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
