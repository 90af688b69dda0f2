//! Server functions of the bulk review page (admins): every open suggestion across people (or
//! projects), and accepting many at once. Each accepted one goes through the same confirmation
//! checks and audit as a single link; one refusal does not stop the others.

use crate::api::suggestions::SuggestionView;
use crate::api::ApiError;
use crate::domain::directory_import::ImportKind;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ReviewEntity {
    /// Project key or person id.
    pub entity_id: String,
    pub entity_name: String,
    pub suggestions: Vec<SuggestionView>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ReviewList {
    pub entities: Vec<ReviewEntity>,
    /// Connections that could not be listed (so a short list is never silent).
    pub errors: Vec<String>,
}

/// What became of one ticked suggestion.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AcceptOutcome {
    pub suggestion_id: Uuid,
    pub linked: bool,
    /// The link's id when linked, else why not (the same sentence a single accept shows).
    pub message: String,
}

#[cfg(feature = "ssr")]
async fn admin() -> Result<crate::auth::Principal, ApiError> {
    let who = crate::api::context::ui_principal().await?;
    crate::auth::rules::admin_only(&who)?;
    Ok(who)
}

#[server(input = leptos::server_fn::codec::Json)]
pub async fn review_suggestions(kind: ImportKind) -> Result<ReviewList, ApiError> {
    crate::api::error::with_status(
        async {
            admin().await?;
            let links = crate::api::context::links()?;
            let all = match kind {
                ImportKind::People => links.suggest_for_all_persons().await?,
                ImportKind::Projects => links.suggest_for_all_projects().await?,
            };
            crate::api::reshape(all)
        }
        .await,
    )
}

#[server(input = leptos::server_fn::codec::Json)]
pub async fn accept_suggestions(suggestion_ids: Vec<Uuid>, acknowledge_warnings: bool) -> Result<Vec<AcceptOutcome>, ApiError> {
    crate::api::error::with_status(
        async {
            let who = admin().await?;
            if suggestion_ids.is_empty() {
                return Err(ApiError::invalid("suggestionIds", "tick at least one suggestion to accept"));
            }
            if suggestion_ids.len() > 1000 {
                return Err(ApiError::invalid("suggestionIds", format!("{} at once; accept at most 1000 per confirmation", suggestion_ids.len())));
            }
            let links = crate::api::context::links()?;
            let actor = crate::api::context::ui_actor().await?;
            let mut out = Vec::with_capacity(suggestion_ids.len());
            for id in suggestion_ids {
                let opts = crate::links::declare::Options { acknowledge_warnings, ..Default::default() };
                let outcome = match crate::api::authz::accept_suggestion(&links, &who, actor, id, opts).await {
                    Ok((_, declared)) => AcceptOutcome { suggestion_id: id, linked: true, message: declared.link_id.to_string() },
                    Err(ApiError::Internal) => return Err(ApiError::Internal),
                    Err(e) => AcceptOutcome { suggestion_id: id, linked: false, message: e.to_string() },
                };
                out.push(outcome);
            }
            Ok(out)
        }
        .await,
    )
}
