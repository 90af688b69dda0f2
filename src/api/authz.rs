//! The facts a permission decision needs (a project's lead, a suggestion's target), looked up
//! for REST handlers and server functions alike; the decision itself is a call to a pure
//! function in `crate::auth::rules`. Unknown targets are 404 so the caller learns what is wrong.

use crate::api::ApiError;
use crate::auth::rules::{self, Principal, SuggestionTarget};
use sqlx::PgPool;
use uuid::Uuid;

/// May `p` change the links of project `key` (admin, or the lead who leads it)?
pub async fn manage_project(pool: &PgPool, p: &Principal, key: &str) -> Result<(), ApiError> {
    let lead = crate::store::accounts::project_lead(pool, key)
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("no project with key '{key}'")))?;
    Ok(rules::manage_project(p, lead)?)
}

pub async fn manage_project_id(pool: &PgPool, p: &Principal, id: Uuid) -> Result<(), ApiError> {
    let lead = crate::store::accounts::project_lead_by_id(pool, id)
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("no project with id {id}")))?;
    Ok(rules::manage_project(p, lead)?)
}

/// May `p` accept or dismiss this suggestion?
pub async fn decide_suggestion(pool: &PgPool, p: &Principal, id: Uuid) -> Result<(), ApiError> {
    let (kind, target, lead) = crate::store::accounts::suggestion_target(pool, id)
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("no suggestion with id {id}")))?;
    let target = if kind == "project" {
        SuggestionTarget::Project { lead }
    } else {
        SuggestionTarget::Person { person_id: target }
    };
    Ok(rules::decide_suggestion(p, target)?)
}

/// May `p` change the links of this project or person (the UI names either with one value)?
pub async fn manage_owner(pool: &PgPool, p: &Principal, owner: &crate::api::owner::OwnerRef) -> Result<(), ApiError> {
    use crate::api::owner::OwnerRef;
    match owner {
        OwnerRef::Project(key) => manage_project(pool, p, key).await,
        OwnerRef::Person(id) => Ok(rules::manage_person_links(p, *id)?),
    }
}
