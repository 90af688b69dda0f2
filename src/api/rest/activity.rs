//! What synced, over REST, for every signed-in person: `GET /api/projects/{key}/{list}` and
//! `GET /api/persons/{id}/{list}` for issues (a person's: assigned), worklogs, commits and
//! pull-requests — filtered, newest first, paged by `cursor` — as JSON or streamed CSV
//! (`?format=csv` or `Accept: text/csv`), and `…/summary?from&to`.

use super::extract::{parse_uuid, ApiQuery};
use crate::activity::csv_rows::{self, CsvRow};
use crate::activity::{self, cursor, params, ActivityError};
use crate::api::rest::openapi::ErrorBody;
use crate::api::ApiError;
use crate::domain::activity::{ActivityKind, ActivityPage, ActivitySummary, CommitRow, IssueRow, ListParams, PullRequestRow, WorklogRow};
use crate::server::state::AppState;
use crate::store::activity::{ListFilter, Subject};
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap};
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::{DateTime, Utc};
use serde::Deserialize;
use sqlx::PgPool;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(project_issues))
        .routes(routes!(project_worklogs))
        .routes(routes!(project_commits))
        .routes(routes!(project_pull_requests))
        .routes(routes!(project_summary))
        .routes(routes!(person_issues))
        .routes(routes!(person_worklogs))
        .routes(routes!(person_commits))
        .routes(routes!(person_pull_requests))
        .routes(routes!(person_summary))
}

impl From<ActivityError> for ApiError {
    fn from(e: ActivityError) -> Self {
        match e {
            ActivityError::Invalid { field, message } => ApiError::invalid(field, message),
            ActivityError::Store(s) => s.into(),
        }
    }
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct SummaryQuery {
    /// Start of the period (RFC 3339 or a date); default 12 weeks before `to`.
    from: Option<String>,
    /// End of the period (exclusive); default now.
    to: Option<String>,
}

/// Whether the answer is CSV: `format=csv`, or a client that asks for `text/csv` and not JSON.
fn wants_csv(q: &ListParams, headers: &HeaderMap) -> Result<bool, ApiError> {
    match q.format.as_deref() {
        Some("csv") => Ok(true),
        Some("json") => Ok(false),
        Some(other) => Err(ApiError::invalid("format", format!("'{other}' is not a format; use json or csv"))),
        None => Ok(headers.get(header::ACCEPT).and_then(|v| v.to_str().ok()).is_some_and(|a| a.contains("text/csv") && !a.contains("application/json"))),
    }
}

async fn project_id(pool: &PgPool, key: &str) -> Result<Uuid, ApiError> {
    crate::links::entities::validate_key(key).map_err(|m| ApiError::invalid("projectKey", m))?;
    crate::store::projects::project_by_key(pool, key).await?.map(|p| p.id).ok_or_else(|| ApiError::NotFound(format!("no project with key {key}")))
}

async fn person_id(pool: &PgPool, raw: &str) -> Result<Uuid, ApiError> {
    let id = parse_uuid("personId", raw)?;
    crate::store::persons::person_by_id(pool, id).await?.map(|p| p.id).ok_or_else(|| ApiError::NotFound(format!("no person with id {id}")))
}

/// Rows of one list kind, a page at a time (the JSON page, or every page for CSV).
trait Lister: CsvRow + serde::Serialize + Send + Sized + 'static {
    const KIND: ActivityKind;
    fn list(pool: &PgPool, f: &ListFilter) -> impl std::future::Future<Output = Result<ActivityPage<Self>, ActivityError>> + Send;
}

macro_rules! lister {
    ($row:ty, $kind:expr, $list:path) => {
        impl Lister for $row {
            const KIND: ActivityKind = $kind;
            async fn list(pool: &PgPool, f: &ListFilter) -> Result<ActivityPage<Self>, ActivityError> {
                $list(pool, f).await
            }
        }
    };
}
lister!(IssueRow, ActivityKind::Issues, activity::issues);
lister!(WorklogRow, ActivityKind::Worklogs, activity::worklogs);
lister!(CommitRow, ActivityKind::Commits, activity::commits);
lister!(PullRequestRow, ActivityKind::PullRequests, activity::pull_requests);

/// CSV pages are this long: memory stays flat however many rows match.
const CSV_PAGE: i64 = 1000;

async fn answer<R: Lister>(pool: PgPool, q: ListParams, headers: &HeaderMap, project: Option<Uuid>, person: Option<Uuid>, name: &str) -> Result<Response, ApiError> {
    let mut f = params::list_filter(&q, project, person)?;
    if !wants_csv(&q, headers)? {
        return Ok(Json(R::list(&pool, &f).await?).into_response());
    }
    f.limit = CSV_PAGE;
    // The first page is read before answering, so a bad filter or a database failure is still
    // an error status, not a cut-off file.
    let first = R::list(&pool, &f).await?;
    let head = csv_rows::write(&first.items, true).map_err(csv_failed)?;
    let rest = futures_util::stream::unfold((pool, f, first.next_cursor), |(pool, mut f, next)| async move {
        let after = cursor::decode(&next?).ok()?;
        f.after = Some(after);
        match R::list(&pool, &f).await {
            Ok(page) => Some((csv_rows::write(&page.items, false).map_err(std::io::Error::other), (pool, f, page.next_cursor))),
            Err(e) => {
                tracing::error!(error = %e, "CSV export stopped part-way");
                Some((Err(std::io::Error::other(e.to_string())), (pool, f, None)))
            }
        }
    });
    let body = futures_util::stream::once(async move { Ok::<_, std::io::Error>(head) }).chain(rest);
    let disposition = format!("attachment; filename=\"{name}-{}.csv\"", R::KIND.as_str());
    Ok(([(header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()), (header::CONTENT_DISPOSITION, disposition)], axum::body::Body::from_stream(body)).into_response())
}

fn csv_failed(e: csv::Error) -> ApiError {
    tracing::error!(error = %e, "CSV export failed");
    ApiError::Internal
}

use futures_util::StreamExt;

type ListResult = Result<Response, ApiError>;
type QueryResult = ApiQuery<ListParams>;

async fn for_project<R: Lister>(s: AppState, key: String, q: QueryResult, headers: HeaderMap) -> ListResult {
    let ApiQuery(q) = q;
    let id = project_id(&s.pool, &key).await?;
    answer::<R>(s.pool, q, &headers, Some(id), None, &key).await
}

async fn for_person<R: Lister>(s: AppState, raw: String, q: QueryResult, headers: HeaderMap) -> ListResult {
    let ApiQuery(q) = q;
    let id = person_id(&s.pool, &raw).await?;
    answer::<R>(s.pool, q, &headers, None, Some(id), &id.to_string()).await
}

#[utoipa::path(get, path = "/api/projects/{project_key}/issues", tag = "activity", params(("project_key" = String, Path, description = "Velocity project key", pattern = "^[A-Z][A-Z0-9_]{1,19}$"), ListParams), responses((status = 200, description = "Newest first (by created); CSV with format=csv", content((ActivityPage<IssueRow> = "application/json"), (String = "text/csv"))), (status = 400, description = "Bad filter or cursor; the field is named", body = ErrorBody), (status = 404, description = "No such project", body = ErrorBody), (status = 503, description = "The database is unavailable", body = ErrorBody)))]
async fn project_issues(State(s): State<AppState>, Path(key): Path<String>, q: QueryResult, headers: HeaderMap) -> ListResult {
    for_project::<IssueRow>(s, key, q, headers).await
}

#[utoipa::path(get, path = "/api/projects/{project_key}/worklogs", tag = "activity", params(("project_key" = String, Path, description = "Velocity project key", pattern = "^[A-Z][A-Z0-9_]{1,19}$"), ListParams), responses((status = 200, description = "Newest first (by started); CSV with format=csv", content((ActivityPage<WorklogRow> = "application/json"), (String = "text/csv"))), (status = 400, description = "Bad filter or cursor; the field is named", body = ErrorBody), (status = 404, description = "No such project", body = ErrorBody), (status = 503, description = "The database is unavailable", body = ErrorBody)))]
async fn project_worklogs(State(s): State<AppState>, Path(key): Path<String>, q: QueryResult, headers: HeaderMap) -> ListResult {
    for_project::<WorklogRow>(s, key, q, headers).await
}

#[utoipa::path(get, path = "/api/projects/{project_key}/commits", tag = "activity", params(("project_key" = String, Path, description = "Velocity project key", pattern = "^[A-Z][A-Z0-9_]{1,19}$"), ListParams), responses((status = 200, description = "Newest first (by committed); CSV with format=csv", content((ActivityPage<CommitRow> = "application/json"), (String = "text/csv"))), (status = 400, description = "Bad filter or cursor; the field is named", body = ErrorBody), (status = 404, description = "No such project", body = ErrorBody), (status = 503, description = "The database is unavailable", body = ErrorBody)))]
async fn project_commits(State(s): State<AppState>, Path(key): Path<String>, q: QueryResult, headers: HeaderMap) -> ListResult {
    for_project::<CommitRow>(s, key, q, headers).await
}

#[utoipa::path(get, path = "/api/projects/{project_key}/pull-requests", tag = "activity", params(("project_key" = String, Path, description = "Velocity project key", pattern = "^[A-Z][A-Z0-9_]{1,19}$"), ListParams), responses((status = 200, description = "Newest first (by created); CSV with format=csv", content((ActivityPage<PullRequestRow> = "application/json"), (String = "text/csv"))), (status = 400, description = "Bad filter or cursor; the field is named", body = ErrorBody), (status = 404, description = "No such project", body = ErrorBody), (status = 503, description = "The database is unavailable", body = ErrorBody)))]
async fn project_pull_requests(State(s): State<AppState>, Path(key): Path<String>, q: QueryResult, headers: HeaderMap) -> ListResult {
    for_project::<PullRequestRow>(s, key, q, headers).await
}

#[utoipa::path(get, path = "/api/persons/{person_id}/issues", tag = "activity", params(("person_id" = Uuid, Path, description = "Velocity person id"), ListParams), responses((status = 200, description = "Issues assigned to the person's linked Jira accounts, newest first; CSV with format=csv", content((ActivityPage<IssueRow> = "application/json"), (String = "text/csv"))), (status = 400, description = "Bad filter or cursor; the field is named", body = ErrorBody), (status = 404, description = "No such person", body = ErrorBody), (status = 503, description = "The database is unavailable", body = ErrorBody)))]
async fn person_issues(State(s): State<AppState>, Path(id): Path<String>, q: QueryResult, headers: HeaderMap) -> ListResult {
    for_person::<IssueRow>(s, id, q, headers).await
}

#[utoipa::path(get, path = "/api/persons/{person_id}/worklogs", tag = "activity", params(("person_id" = Uuid, Path, description = "Velocity person id"), ListParams), responses((status = 200, description = "Newest first (by started); CSV with format=csv", content((ActivityPage<WorklogRow> = "application/json"), (String = "text/csv"))), (status = 400, description = "Bad filter or cursor; the field is named", body = ErrorBody), (status = 404, description = "No such person", body = ErrorBody), (status = 503, description = "The database is unavailable", body = ErrorBody)))]
async fn person_worklogs(State(s): State<AppState>, Path(id): Path<String>, q: QueryResult, headers: HeaderMap) -> ListResult {
    for_person::<WorklogRow>(s, id, q, headers).await
}

#[utoipa::path(get, path = "/api/persons/{person_id}/commits", tag = "activity", params(("person_id" = Uuid, Path, description = "Velocity person id"), ListParams), responses((status = 200, description = "Newest first (by committed); CSV with format=csv", content((ActivityPage<CommitRow> = "application/json"), (String = "text/csv"))), (status = 400, description = "Bad filter or cursor; the field is named", body = ErrorBody), (status = 404, description = "No such person", body = ErrorBody), (status = 503, description = "The database is unavailable", body = ErrorBody)))]
async fn person_commits(State(s): State<AppState>, Path(id): Path<String>, q: QueryResult, headers: HeaderMap) -> ListResult {
    for_person::<CommitRow>(s, id, q, headers).await
}

#[utoipa::path(get, path = "/api/persons/{person_id}/pull-requests", tag = "activity", params(("person_id" = Uuid, Path, description = "Velocity person id"), ListParams), responses((status = 200, description = "Newest first (by created); CSV with format=csv", content((ActivityPage<PullRequestRow> = "application/json"), (String = "text/csv"))), (status = 400, description = "Bad filter or cursor; the field is named", body = ErrorBody), (status = 404, description = "No such person", body = ErrorBody), (status = 503, description = "The database is unavailable", body = ErrorBody)))]
async fn person_pull_requests(State(s): State<AppState>, Path(id): Path<String>, q: QueryResult, headers: HeaderMap) -> ListResult {
    for_person::<PullRequestRow>(s, id, q, headers).await
}

fn period(ApiQuery(q): ApiQuery<SummaryQuery>) -> Result<(DateTime<Utc>, DateTime<Utc>), ApiError> {
    Ok(params::period(q.from.as_deref(), q.to.as_deref())?)
}

#[utoipa::path(get, path = "/api/projects/{project_key}/summary", tag = "activity", params(("project_key" = String, Path, description = "Velocity project key", pattern = "^[A-Z][A-Z0-9_]{1,19}$"), SummaryQuery), responses((status = 200, description = "Issues opened, resolved and open now; hours per person per week; commits and pull requests per week; median time to merge", body = ActivitySummary), (status = 400, description = "Bad period; the field is named", body = ErrorBody), (status = 404, description = "No such project", body = ErrorBody), (status = 503, description = "The database is unavailable", body = ErrorBody)))]
async fn project_summary(State(s): State<AppState>, Path(key): Path<String>, q: ApiQuery<SummaryQuery>) -> Result<Json<ActivitySummary>, ApiError> {
    let (from, to) = period(q)?;
    let id = project_id(&s.pool, &key).await?;
    Ok(Json(activity::summary(&s.pool, Subject::Project(id), from, to).await?))
}

#[utoipa::path(get, path = "/api/persons/{person_id}/summary", tag = "activity", params(("person_id" = Uuid, Path, description = "Velocity person id"), SummaryQuery), responses((status = 200, description = "Assigned issues opened, resolved and open now; hours per project per week; commits and pull requests per week; median time to merge", body = ActivitySummary), (status = 400, description = "Bad period; the field is named", body = ErrorBody), (status = 404, description = "No such person", body = ErrorBody), (status = 503, description = "The database is unavailable", body = ErrorBody)))]
async fn person_summary(State(s): State<AppState>, Path(raw): Path<String>, q: ApiQuery<SummaryQuery>) -> Result<Json<ActivitySummary>, ApiError> {
    let (from, to) = period(q)?;
    let id = person_id(&s.pool, &raw).await?;
    Ok(Json(activity::summary(&s.pool, Subject::Person(id), from, to).await?))
}
