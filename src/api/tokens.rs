//! Server functions for "API tokens" (the signed-in person's own): the same services as
//! `rest::tokens`, the same rules. The secret of a new token is in the answer to its creation
//! only; it is never listed.

use crate::api::ApiError;
use chrono::{DateTime, Utc};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[cfg(feature = "ssr")]
use crate::api::context::{links, ui_principal};
#[cfg(feature = "ssr")]
use crate::api::error::with_status;

/// A token as listed, on the page and over REST: never its secret.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct ApiToken {
    pub id: Uuid,
    pub name: String,
    pub created_at: DateTime<Utc>,
    pub last_used_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
}

/// A token just created, with its secret: shown this once.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NewApiToken {
    pub token: ApiToken,
    pub secret: String,
}

#[cfg(feature = "ssr")]
impl From<crate::store::accounts::TokenRow> for ApiToken {
    fn from(r: crate::store::accounts::TokenRow) -> Self {
        ApiToken { id: r.id, name: r.name, created_at: r.created_at, last_used_at: r.last_used_at, revoked_at: r.revoked_at }
    }
}

#[server]
pub async fn my_tokens() -> Result<Vec<ApiToken>, ApiError> {
    with_status(
        async {
            let who = ui_principal().await?;
            Ok(crate::store::accounts::tokens_of(&links()?.pool, who.person_id).await?.into_iter().map(ApiToken::from).collect())
        }
        .await,
    )
}

#[server]
pub async fn create_api_token(name: String) -> Result<NewApiToken, ApiError> {
    with_status(
        async {
            let who = ui_principal().await?;
            let name = crate::auth::accounts::token_name(&name).map_err(|m| ApiError::invalid("name", m))?;
            let (row, secret) = crate::auth::accounts::create_token(&links()?.pool, who.person_id, name).await?;
            tracing::info!(person_id = %who.person_id, token_id = %row.id, "API token created");
            Ok(NewApiToken { token: row.into(), secret })
        }
        .await,
    )
}

#[server]
pub async fn revoke_api_token(id: Uuid) -> Result<ApiToken, ApiError> {
    with_status(
        async {
            let who = ui_principal().await?;
            let row = crate::auth::accounts::revoke_token(&links()?.pool, &who, id).await?.ok_or_else(|| ApiError::NotFound(format!("no token with id {id}")))?;
            tracing::info!(person_id = %who.person_id, token_id = %id, "API token revoked");
            Ok(row.into())
        }
        .await,
    )
}
