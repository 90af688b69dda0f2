//! Self-links waiting for an admin (a person linked an account whose upstream e-mail is not
//! theirs): list, approve (the link becomes active) or reject (it is deleted); audited.

use super::extract::{parse_uuid, ApiActor, Authed};
use crate::api::rest::openapi::ErrorBody;
use crate::api::ApiError;
use crate::auth::rules;
use crate::server::state::AppState;
use axum::extract::{Path, State};
use axum::Json;
use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_pending))
        .routes(routes!(approve))
        .routes(routes!(reject))
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
struct PendingLink {
    link_id: Uuid,
    person_id: Uuid,
    platform: String,
    external_id: String,
    username: Option<String>,
    /// The account's upstream e-mail, when the platform tells.
    email: Option<String>,
    linked_by: Option<Uuid>,
    linked_at: DateTime<Utc>,
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

#[utoipa::path(get, path = "/api/links/pending", tag = "links", responses((status = 200, description = "Self-links waiting for an admin, oldest first", body = Vec<PendingLink>)))]
async fn list_pending(
    State(s): State<AppState>,
    Authed(who): Authed,
) -> Result<Json<Vec<PendingLink>>, ApiError> {
    rules::admin_only(&who)?;
    let rows = crate::store::pending::list(&s.pool).await?;
    Ok(Json(
        rows.into_iter()
            .map(|r| PendingLink {
                link_id: r.link_id,
                person_id: r.person_id,
                platform: r.platform,
                external_id: r.external_id,
                username: r.username,
                email: r.email,
                linked_by: r.linked_by,
                linked_at: r.linked_at,
            })
            .collect(),
    ))
}

async fn decide(
    s: AppState,
    who: crate::auth::Principal,
    actor: ApiActor,
    link: String,
    approve: bool,
) -> Result<Json<Decided>, ApiError> {
    let link = parse_uuid("linkId", &link)?;
    rules::admin_only(&who)?;
    let person = crate::auth::pending::decide(&s.pool, link, approve, actor.0)
        .await
        .map_err(crate::api::authz::pending_error)?;
    Ok(Json(Decided {
        link_id: link,
        person_id: person,
        status: if approve { "approved" } else { "rejected" }.to_owned(),
    }))
}

#[utoipa::path(post, path = "/api/links/pending/{link_id}/approve", tag = "links", params(("link_id" = Uuid, Path, description = "The pending link")), responses((status = 200, description = "Approved: the link is active; audited `link.approve`", body = Decided), (status = 400, description = "Bad input; the field is named", body = ErrorBody), (status = 404, description = "No pending link with this id", body = ErrorBody)))]
async fn approve(
    State(s): State<AppState>,
    Authed(who): Authed,
    actor: ApiActor,
    Path(link): Path<String>,
) -> Result<Json<Decided>, ApiError> {
    decide(s, who, actor, link, true).await
}

#[utoipa::path(post, path = "/api/links/pending/{link_id}/reject", tag = "links", params(("link_id" = Uuid, Path, description = "The pending link")), responses((status = 200, description = "Rejected: the link is deleted; audited `link.reject`", body = Decided), (status = 400, description = "Bad input; the field is named", body = ErrorBody), (status = 404, description = "No pending link with this id", body = ErrorBody)))]
async fn reject(
    State(s): State<AppState>,
    Authed(who): Authed,
    actor: ApiActor,
    Path(link): Path<String>,
) -> Result<Json<Decided>, ApiError> {
    decide(s, who, actor, link, false).await
}
