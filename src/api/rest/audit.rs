//! `GET /api/audit`: the audit log, newest first, filtered by entity, actor, action and time.

use super::extract::{parse_uuid, ApiQuery};
use crate::api::ApiError;
use crate::server::state::AppState;
use crate::store::audit::{list, Entry, Filter};
use axum::extract::State;
use axum::Json;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use chrono::{DateTime, Utc};
use serde::Deserialize;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(audit))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct AuditQuery {
    entity_type: Option<String>,
    entity_id: Option<String>,
    actor_id: Option<String>,
    action: Option<String>,
    since: Option<String>,
    until: Option<String>,
    /// Entries older than this entry id: pass the last id of a page to read the next one.
    before: Option<String>,
    limit: Option<String>,
}

fn time(field: &str, raw: Option<String>) -> Result<Option<DateTime<Utc>>, ApiError> {
    raw.map(|r| {
        DateTime::parse_from_rfc3339(&r).map(|d| d.with_timezone(&Utc)).map_err(|_| ApiError::invalid(field, format!("'{r}' is not an RFC 3339 time like 2026-01-31T12:00:00Z")))
    })
    .transpose()
}

#[utoipa::path(get, path = "/api/audit", tag = "audit", params(AuditQuery), responses((status = 200, description = "Newest first", body = Vec<Entry>), (status = 400, description = "Bad filter; the field is named", body = crate::api::rest::openapi::ErrorBody)))]
async fn audit(State(s): State<AppState>, ApiQuery(q): ApiQuery<AuditQuery>) -> Result<Json<Vec<Entry>>, ApiError> {
    let limit = match q.limit.as_deref() {
        None => 100,
        Some(l) => l.parse::<i64>().ok().filter(|n| (1..=1000).contains(n)).ok_or_else(|| ApiError::invalid("limit", format!("'{l}' is not a number from 1 to 1000")))?,
    };
    let filter = Filter {
        entity_type: q.entity_type,
        entity_id: q.entity_id,
        actor_id: q.actor_id.map(|a| parse_uuid("actorId", &a)).transpose()?,
        action: q.action,
        since: time("since", q.since)?,
        until: time("until", q.until)?,
        before: q.before.map(|b| b.parse::<i64>().ok().filter(|n| *n > 0).ok_or_else(|| ApiError::invalid("before", format!("'{b}' is not an audit entry id")))).transpose()?,
        limit,
    };
    Ok(Json(list(&s.pool, &filter).await?))
}
