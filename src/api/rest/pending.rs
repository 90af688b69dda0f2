//! Links waiting for an admin (a person linked an account, or a commit e-mail, that is not
//! theirs by its e-mail): the queue with the evidence, approve (the link becomes active) or
//! reject (it is deleted), each with an optional reason; audited. Admins only.

use super::extract::{parse_uuid, ApiActor, ApiQuery, Authed, OptionalJson};
use crate::api::rest::openapi::ErrorBody;
use crate::api::ApiError;
use crate::domain::pending::{PendingItem, PendingKind, Verdict};
use crate::server::state::AppState;
use axum::extract::{Path, State};
use axum::Json;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_pending))
        .routes(routes!(approve))
        .routes(routes!(reject))
}

/// The verdict on a pending link.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
struct Decided {
    link_id: Uuid,
    person_id: Uuid,
    /// approved | rejected
    status: String,
}

/// Why the admin decided so; kept in the audit entry.
#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct Reason {
    /// At most 500 characters.
    reason: Option<String>,
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct KindQuery {
    /// `account` (default) or `commitEmail`.
    kind: Option<String>,
}

#[utoipa::path(get, path = "/api/links/pending", tag = "links", responses((status = 200, description = "Links waiting for an admin, oldest first: account self-links and commit e-mails, each with the evidence (`why`: the upstream e-mail against the person's)", body = Vec<PendingItem>), (status = 403, description = "Admins only", body = ErrorBody)))]
async fn list_pending(State(s): State<AppState>, Authed(who): Authed) -> Result<Json<Vec<PendingItem>>, ApiError> {
    Ok(Json(s.links.pending_queue(&who).await?))
}

async fn decide(s: AppState, who: crate::auth::Principal, actor: ApiActor, link: String, kind: Option<String>, reason: Option<Reason>, verdict: Verdict) -> Result<Json<Decided>, ApiError> {
    let link = parse_uuid("linkId", &link)?;
    let kind = match kind.as_deref() {
        None | Some("") => PendingKind::Account,
        Some(k) => k.parse::<PendingKind>().map_err(|e| ApiError::invalid("kind", e))?,
    };
    let reason = reason.and_then(|r| r.reason);
    let person = s.links.decide_pending(&who, actor.0, kind, link, verdict, reason.as_deref()).await?;
    let status = if verdict == Verdict::Approve { "approved" } else { "rejected" };
    Ok(Json(Decided { link_id: link, person_id: person, status: status.to_owned() }))
}

#[utoipa::path(post, path = "/api/links/pending/{link_id}/approve", tag = "links", params(("link_id" = Uuid, Path, description = "The pending link"), KindQuery), request_body(content = Option<Reason>, description = "Optional: why"), responses((status = 200, description = "Approved: the link is active; audited `link.approve` with the reason", body = Decided), (status = 400, description = "Bad input; the field is named", body = ErrorBody), (status = 403, description = "Admins only", body = ErrorBody), (status = 404, description = "No pending link with this id", body = ErrorBody)))]
async fn approve(State(s): State<AppState>, Authed(who): Authed, actor: ApiActor, Path(link): Path<String>, ApiQuery(q): ApiQuery<KindQuery>, OptionalJson(reason): OptionalJson<Reason>) -> Result<Json<Decided>, ApiError> {
    decide(s, who, actor, link, q.kind, reason, Verdict::Approve).await
}

#[utoipa::path(post, path = "/api/links/pending/{link_id}/reject", tag = "links", params(("link_id" = Uuid, Path, description = "The pending link"), KindQuery), request_body(content = Option<Reason>, description = "Optional: why, for the person and the audit log"), responses((status = 200, description = "Rejected: the link is deleted; audited `link.reject` with the reason", body = Decided), (status = 400, description = "Bad input; the field is named", body = ErrorBody), (status = 403, description = "Admins only", body = ErrorBody), (status = 404, description = "No pending link with this id", body = ErrorBody)))]
async fn reject(State(s): State<AppState>, Authed(who): Authed, actor: ApiActor, Path(link): Path<String>, ApiQuery(q): ApiQuery<KindQuery>, OptionalJson(reason): OptionalJson<Reason>) -> Result<Json<Decided>, ApiError> {
    decide(s, who, actor, link, q.kind, reason, Verdict::Reject).await
}
