//! Server functions behind the link dialog: live upstream search, the confirmation checks of
//! one candidate (preview, conflict, duplicate warnings) and confirming it, through the same
//! `Links` services as the REST API.

use crate::api::ApiError;
use crate::domain::catalog::UpstreamHit;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use uuid::Uuid;

#[cfg(feature = "ssr")]
use crate::api::context::{links, ui_actor, ui_principal};
#[cfg(feature = "ssr")]
use crate::api::error::with_status;

/// The checks' outcome for one candidate (the REST `Verification` shape).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CheckView {
    pub exists: bool,
    pub platform: String,
    pub connection_id: Uuid,
    pub external_id: String,
    /// What the link would sync: counts, last activity, a few sample items.
    pub preview: Value,
    pub conflict: Option<ConflictView>,
    pub warnings: Vec<WarningView>,
    /// Why the viewer may not link this owner at all (told at tick time, not at Confirm).
    #[serde(default)]
    pub denied: Option<String>,
    /// Said before Confirm when the link would wait for an admin (the self-linking rule).
    #[serde(default)]
    pub will_wait: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ConflictView {
    pub holder: String,
    pub holder_id: Uuid,
    pub link_id: Uuid,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WarningView {
    pub code: String,
    pub message: String,
    pub link_id: Uuid,
}

/// The candidate a dialog row names, in the services' terms.
#[cfg(feature = "ssr")]
fn candidate(platform: &str, connection_id: Uuid, external_id: String, person: bool) -> Result<crate::links::declare::Candidate, ApiError> {
    use crate::links::declare::Candidate;
    let connection_id = Some(connection_id);
    if person {
        let platform = platform.parse().map_err(|e: crate::domain::platform::UnknownPlatform| ApiError::invalid("platform", e.to_string()))?;
        return Ok(Candidate::Account { connection_id, platform, external_id });
    }
    if platform == "jira" {
        return Ok(Candidate::Jira { connection_id, project: external_id });
    }
    let platform = platform.parse().map_err(|e: crate::domain::platform::UnknownPlatform| ApiError::invalid("platform", e.to_string()))?;
    Ok(Candidate::Repository { connection_id, platform, repository: external_id })
}

/// Searches the connections' catalogs upstream: `kind` is jira, repository or account.
#[server]
pub async fn search_upstream(kind: String, query: String) -> Result<Vec<UpstreamHit>, ApiError> {
    use crate::domain::catalog::CatalogKind;
    with_status(
        async {
            ui_actor().await?;
            let kind = CatalogKind::parse(&kind).ok_or_else(|| ApiError::invalid("kind", format!("'{kind}' is not jira, repository or account")))?;
            Ok(links()?.search_upstream(kind, &query).await?)
        }
        .await,
    )
}

/// The confirmation checks for one candidate, writing nothing.
#[server]
pub async fn check_link(owner: String, platform: String, connection_id: Uuid, external_id: String) -> Result<CheckView, ApiError> {
    use crate::api::owner::OwnerRef;
    with_status(
        async {
            let who = ui_principal().await?;
            let owner = OwnerRef::parse_api(&owner)?;
            let c = candidate(&platform, connection_id, external_id, matches!(owner, OwnerRef::Person(_)))?;
            let links = links()?;
            let mut view: CheckView = crate::api::reshape(links.verify(&owner.to_owner(), &c).await?)?;
            match crate::api::authz::manage_owner(&links.pool, &who, &owner).await {
                Err(ApiError::Forbidden { message }) => view.denied = Some(format!("You cannot link this: {message}.")),
                Err(e) => return Err(e),
                Ok(()) => {
                    if let OwnerRef::Person(person) = owner {
                        view.will_wait = crate::api::authz::self_link_notice(&links.pool, &who, person, view.preview["email"].as_str()).await?;
                    }
                }
            }
            Ok(view)
        }
        .await,
    )
}

/// What Confirm did for one candidate.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Confirmed {
    pub link_id: Uuid,
    /// The link waits for an admin's approval instead of being active.
    pub pending: bool,
}

/// Links one candidate: through its suggestion when it came from one (so the suggestion is
/// marked accepted), otherwise as a declared link. Warnings must be acknowledged.
#[server]
pub async fn confirm_link(
    owner: String,
    platform: String,
    connection_id: Uuid,
    external_id: String,
    suggestion_id: Option<Uuid>,
    acknowledge_warnings: bool,
) -> Result<Confirmed, ApiError> {
    use crate::api::owner::OwnerRef;
    use crate::links::declare::Options;
    with_status(
        async {
            let who = ui_principal().await?;
            let actor = ui_actor().await?;
            let opts = Options { acknowledge_warnings, ..Default::default() };
            let l = links()?;
            if let Some(id) = suggestion_id {
                let declared = crate::api::authz::accept_suggestion(&l, &who, actor, id, opts).await?.1;
                return Ok(Confirmed { link_id: declared.link_id, pending: declared.pending });
            }
            let owner = OwnerRef::parse_api(&owner)?;
            let c = candidate(&platform, connection_id, external_id, matches!(owner, OwnerRef::Person(_)))?;
            if let OwnerRef::Person(person) = owner {
                // The self-linking rule: direct when the upstream e-mail is the person's, else pending.
                let declared = crate::api::authz::declare_account(&l, &who, actor, person, &c, opts).await?.0;
                return Ok(Confirmed { link_id: declared.link_id, pending: declared.pending });
            }
            crate::api::authz::manage_owner(&l.pool, &who, &owner).await?;
            let declared = l.declare(&owner.to_owner(), &c, opts, actor).await?;
            Ok(Confirmed { link_id: declared.link_id, pending: declared.pending })
        }
        .await,
    )
}
