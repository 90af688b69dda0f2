//! Server functions for the project pages: the list with link counts and health, one project
//! with its links and synced items, and the link changes (activate, make primary, unlink) that
//! the project and person pages submit as forms.

use crate::domain::health::HealthCounts;
use crate::domain::synced::ProjectOverview;
use crate::api::ApiError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[cfg(feature = "ssr")]
use crate::api::context::{links, ui_actor, ui_principal};
#[cfg(feature = "ssr")]
use crate::api::error::with_status;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ProjectRow {
    pub key: String,
    pub name: String,
    pub active: bool,
    pub lead: Option<String>,
    pub jira: usize,
    pub github: usize,
    pub gitlab: usize,
    pub bitbucket: usize,
    pub health: HealthCounts,
}

#[server]
pub async fn list_projects(query: String) -> Result<Vec<ProjectRow>, ApiError> {
    use crate::app::components::filter::matches_filter;
    use crate::domain::RepoPlatform;
    with_status(
        async {
            ui_actor().await?;
            let l = links()?;
            let persons = crate::store::persons::list_persons(&l.pool).await?;
            let now = chrono::Utc::now();
            Ok(crate::store::projects::list_projects(&l.pool)
                .await?
                .into_iter()
                .map(|p| {
                    let lead = p.lead_person_id.and_then(|id| persons.iter().find(|x| x.id == id)).map(|x| x.name.clone());
                    ProjectRow {
                        health: p.link_health(now),
                        jira: p.jira_projects.len(),
                        github: p.repository_count(RepoPlatform::Github),
                        gitlab: p.repository_count(RepoPlatform::Gitlab),
                        bitbucket: p.repository_count(RepoPlatform::Bitbucket),
                        lead,
                        key: p.key,
                        name: p.name,
                        active: p.active,
                    }
                })
                .filter(|r| matches_filter(&query, &format!("{} {} {}", r.key, r.name, r.lead.as_deref().unwrap_or(""))))
                .collect())
        }
        .await,
    )
}

#[server]
pub async fn load_project(key: String) -> Result<ProjectOverview, ApiError> {
    with_status(
        async {
            let who = ui_principal().await?;
            let mut overview = links()?.project_overview(&key).await?;
            overview.can_manage = crate::auth::rules::manage_project(&who, overview.project.lead_person_id).is_ok();
            Ok(overview)
        }
        .await,
    )
}

/// Activates, deactivates or makes primary one link of a project or person.
#[server]
pub async fn change_link(owner: String, link_id: Uuid, active: Option<bool>, primary: Option<bool>) -> Result<(), ApiError> {
    use crate::api::owner::OwnerRef;
    use crate::links::change::LinkChange;
    with_status(
        async {
            let actor = ui_actor().await?;
            let owner = OwnerRef::parse_api(&owner)?;
            let who = ui_principal().await?;
            match owner {
                // A pending account link is switched on by an admin's approval, not by its person.
                OwnerRef::Person(person) => crate::api::authz::change_account_link(&links()?.pool, &who, person, link_id).await?,
                OwnerRef::Project(_) => crate::api::authz::manage_owner(&links()?.pool, &who, &owner).await?,
            }
            let owner = owner.to_owner();
            links()?.change(&owner, link_id, LinkChange { is_primary: primary, active }, actor).await?;
            Ok(())
        }
        .await,
    )
}

/// Unlinks (soft-deletes) one link of a project or person; its synced data stays.
#[server]
pub async fn unlink(owner: String, link_id: Uuid) -> Result<(), ApiError> {
    use crate::api::owner::OwnerRef;
    with_status(
        async {
            let actor = ui_actor().await?;
            let owner = OwnerRef::parse_api(&owner)?;
            crate::api::authz::manage_owner(&links()?.pool, &ui_principal().await?, &owner).await?;
            let owner = owner.to_owner();
            links()?.delete(&owner, link_id, actor).await?;
            Ok(())
        }
        .await,
    )
}
