//! Server functions for suggestions, for the link UI: the same service as the REST endpoints
//! (`Links::suggest_for_*`, accept/dismiss through link confirmation), shaped for the browser.

use crate::api::ApiError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// One ranked suggestion as the UI shows it (the REST `StoredSuggestion` shape).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SuggestionView {
    pub id: Uuid,
    pub status: String,
    pub platform: String,
    pub connection_id: Uuid,
    pub external_id: String,
    pub label: String,
    pub score: f64,
    pub rules: Vec<String>,
    pub evidence: Vec<String>,
    pub look_alike: bool,
    pub conflict: Option<String>,
    /// Whether the link dialog starts it ticked (`suggest::preticks`, decided on the server).
    #[serde(default)]
    pub preticked: bool,
}

#[cfg(feature = "ssr")]
fn views(found: crate::links::suggestions::Suggestions) -> Result<Vec<SuggestionView>, ApiError> {
    let mut views: Vec<SuggestionView> = found
        .suggestions
        .into_iter()
        .map(|s| serde_json::to_value(s).and_then(serde_json::from_value))
        .collect::<Result<_, _>>()
        .map_err(|e| {
            tracing::error!(error = %e, "suggestion view does not match the stored shape");
            ApiError::Internal
        })?;
    let ticks = crate::suggest::preticks(
        &views
            .iter()
            .map(|v| crate::suggest::Tickable { score: v.score, linkable: !v.look_alike && v.conflict.is_none(), rivals_by: (v.platform.as_str(), v.connection_id) })
            .collect::<Vec<_>>(),
    );
    for (v, t) in views.iter_mut().zip(ticks) {
        v.preticked = t;
    }
    Ok(views)
}

#[cfg(feature = "ssr")]
use crate::api::context::{links, ui_actor, ui_principal};

#[server]
pub async fn project_suggestions(project_key: String) -> Result<Vec<SuggestionView>, ApiError> {
    crate::api::error::with_status(
        async {
            ui_actor().await?;
            views(links()?.suggest_for_project(&project_key).await?)
        }
        .await,
    )
}

#[server]
pub async fn person_suggestions(person_id: Uuid) -> Result<Vec<SuggestionView>, ApiError> {
    crate::api::error::with_status(
        async {
            ui_actor().await?;
            views(links()?.suggest_for_person(person_id).await?)
        }
        .await,
    )
}

#[server]
pub async fn dismiss_suggestion(suggestion_id: Uuid) -> Result<(), ApiError> {
    crate::api::error::with_status(
        async {
            let who = ui_principal().await?;
            crate::api::authz::decide_suggestion(&links()?.pool, &who, suggestion_id).await?;
            Ok(links()?
                .dismiss_suggestion(suggestion_id, ui_actor().await?)
                .await
                .map(|_| ())?)
        }
        .await,
    )
}

#[server]
pub async fn accept_suggestion(
    suggestion_id: Uuid,
    acknowledge_warnings: bool,
) -> Result<Uuid, ApiError> {
    let opts = crate::links::declare::Options {
        acknowledge_warnings,
        ..Default::default()
    };
    crate::api::error::with_status(
        async {
            let who = ui_principal().await?;
            let accepted = crate::api::authz::accept_suggestion(&links()?, &who, ui_actor().await?, suggestion_id, opts).await?;
            Ok(accepted.1.link_id)
        }
        .await,
    )
}
