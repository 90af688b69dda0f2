//! `/api/sync/runs`: start a sync run (202 with the run; it goes on in the background), list
//! runs, read one. `/api/sync/runs/{id}/events` streams a run's progress as Server-Sent Events
//! and `/metrics` serves Prometheus text; those two are left out of the OpenAPI document, which
//! has no way to describe an event stream or a non-JSON scrape format for the fuzzer.

use super::extract::{ApiActor, ApiJson, ApiQuery, Authed};
use crate::api::sync::{run, runs, scope_of, start_run, SyncRunView};
use crate::api::ApiError;
use crate::server::state::AppState;
use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(start, list))
        .routes(routes!(detail))
}

/// The undocumented routes: the event stream and the metrics scrape.
pub fn plain() -> Router<AppState> {
    Router::new()
        .route("/api/sync/runs/{id}/events", get(events))
        .route("/metrics", get(metrics))
}

/// What to sync: exactly one of `project`, `person` or `all: true`.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct StartRun {
    /// A Velocity project key.
    project: Option<String>,
    /// A Velocity person id.
    person: Option<String>,
    all: Option<bool>,
    /// A full pass instead of an incremental one.
    full: Option<bool>,
}

#[utoipa::path(post, path = "/api/sync/runs", tag = "sync", request_body = StartRun,
    responses((status = 202, description = "The run, started", body = SyncRunView),
              (status = 400, description = "Bad scope; the field is named", body = crate::api::rest::openapi::ErrorBody),
              (status = 404, description = "No such project or person", body = crate::api::rest::openapi::ErrorBody),
              (status = 409, description = "A sync of this scope is already running (`details.runId`)", body = crate::api::rest::openapi::ErrorBody)))]
async fn start(
    State(s): State<AppState>,
    Authed(who): Authed,
    ApiActor(actor): ApiActor,
    ApiJson(body): ApiJson<StartRun>,
) -> Result<(StatusCode, Json<SyncRunView>), ApiError> {
    let scope = scope_of(body.project, body.person, body.all.unwrap_or(false))?;
    crate::api::authz::start_sync(&s.pool, &who, &scope).await?;
    let started = start_run(
        &s.pool,
        scope,
        body.full.unwrap_or(false),
        "api",
        actor.person_id,
    )
    .await?;
    Ok((StatusCode::ACCEPTED, Json(started)))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
struct ListQuery {
    /// How many runs, newest first (1 to 500, default 50).
    limit: Option<String>,
}

#[utoipa::path(get, path = "/api/sync/runs", tag = "sync", params(ListQuery),
    responses((status = 200, description = "Newest first", body = Vec<SyncRunView>),
              (status = 400, description = "Bad limit", body = crate::api::rest::openapi::ErrorBody)))]
async fn list(
    State(s): State<AppState>,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> Result<Json<Vec<SyncRunView>>, ApiError> {
    let limit = match q.limit.as_deref() {
        None => 50,
        Some(l) => l
            .parse::<i64>()
            .ok()
            .filter(|n| (1..=500).contains(n))
            .ok_or_else(|| {
                ApiError::invalid("limit", format!("'{l}' is not a number from 1 to 500"))
            })?,
    };
    Ok(Json(runs(&s.pool, limit).await?))
}

fn run_id(raw: &str) -> Result<i64, ApiError> {
    raw.parse::<i64>().ok().filter(|n| *n > 0).ok_or_else(|| {
        ApiError::invalid("id", format!("'{raw}' is not a run id (a positive number)"))
    })
}

#[utoipa::path(get, path = "/api/sync/runs/{id}", tag = "sync", params(("id" = String, Path, description = "Run id")),
    responses((status = 200, description = "The run", body = SyncRunView),
              (status = 400, description = "Not a run id", body = crate::api::rest::openapi::ErrorBody),
              (status = 404, description = "No such run", body = crate::api::rest::openapi::ErrorBody)))]
async fn detail(
    State(s): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<SyncRunView>, ApiError> {
    Ok(Json(run(&s.pool, run_id(&id)?).await?))
}

/// Progress of a run executing in this process, then one event with its final state. A run that
/// is not running here gets that last event at once.
async fn events(State(s): State<AppState>, Path(id): Path<String>) -> Result<Response, ApiError> {
    use futures_util::stream::{self, StreamExt};
    let id = run_id(&id)?;
    let receiver = crate::sync::events::subscribe(id);
    let current = run(&s.pool, id).await?;
    let last = move || {
        Event::default()
            .event("run")
            .json_data(&current)
            .map_err(axum::Error::new)
    };
    let live = stream::unfold(receiver, |rx| async move {
        let mut rx = rx?;
        loop {
            match rx.recv().await {
                Ok(e) if e.status.is_some() => return None,
                Ok(e) => {
                    return Some((
                        Event::default()
                            .event("progress")
                            .json_data(&e)
                            .map_err(axum::Error::new),
                        Some(rx),
                    ))
                }
                Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => continue,
                Err(_) => return None,
            }
        }
    });
    let pool = s.pool.clone();
    let closing = stream::once(async move {
        // The final state, read after the live events ended.
        match run(&pool, id).await {
            Ok(r) => Event::default()
                .event("run")
                .json_data(&r)
                .map_err(axum::Error::new),
            Err(_) => last(),
        }
    });
    Ok(Sse::new(live.chain(closing))
        .keep_alive(KeepAlive::default())
        .into_response())
}

async fn metrics(State(s): State<AppState>) -> Result<Response, ApiError> {
    let health = crate::store::sync_links::link_health(&s.pool).await?;
    let body = crate::sync::metrics::render(&health);
    Ok(([(header::CONTENT_TYPE, "text/plain; version=0.0.4")], body).into_response())
}
