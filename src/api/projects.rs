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
            overview.can_edit = crate::auth::rules::admin_only(&who).is_ok();
            Ok(overview)
        }
        .await,
    )
}

/// The link's name as the page sent it, or "the link" when it sent none.
fn named(label: Option<String>) -> String {
    label.filter(|l| !l.trim().is_empty()).unwrap_or_else(|| "the link".into())
}

/// What a link action did, in a sentence for the page's status line, and how to undo it where
/// one form can (activation flips back; making primary and unlinking take a choice).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LinkActionOutcome {
    pub said: String,
    pub link_id: Uuid,
    pub label: String,
    /// The `active` value that undoes this change.
    pub undo_active: Option<bool>,
}

impl LinkActionOutcome {
    /// The outcome of a change (`active`/`primary` as submitted) of the link named `label`.
    pub fn of_change(link_id: Uuid, label: Option<String>, active: Option<bool>, primary: Option<bool>) -> Self {
        let label = named(label);
        let (said, undo_active) = match (active, primary) {
            (Some(false), _) => (format!("Deactivated {label}: it stays linked but is not synced until activated."), Some(true)),
            (Some(true), _) => (format!("Activated {label}: the next sync reads it again."), Some(false)),
            (None, Some(true)) => (format!("{label} is now the primary link: the legacy fields name it first."), None),
            (None, _) => (format!("{label} is unchanged."), None),
        };
        LinkActionOutcome { said, link_id, label, undo_active }
    }

    /// A sentence with nothing to undo (what the link dialog linked).
    pub fn said(said: String) -> Self {
        LinkActionOutcome { said, link_id: Uuid::nil(), label: String::new(), undo_active: None }
    }

    pub fn of_unlink(link_id: Uuid, label: Option<String>) -> Self {
        let label = named(label);
        LinkActionOutcome { said: format!("Unlinked {label}; its synced data is kept. To undo, link it again."), link_id, label, undo_active: None }
    }
}

/// Activates, deactivates or makes primary one link of a project or person. `label` names the
/// link in the answer's sentence (the page sends what it shows).
#[server]
pub async fn change_link(owner: String, link_id: Uuid, active: Option<bool>, primary: Option<bool>, label: Option<String>) -> Result<LinkActionOutcome, ApiError> {
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
            Ok(LinkActionOutcome::of_change(link_id, label, active, primary))
        }
        .await,
    )
}

/// Unlinks (soft-deletes) one link of a project or person; its synced data stays.
#[server]
pub async fn unlink(owner: String, link_id: Uuid, label: Option<String>) -> Result<LinkActionOutcome, ApiError> {
    use crate::api::owner::OwnerRef;
    with_status(
        async {
            let actor = ui_actor().await?;
            let owner = OwnerRef::parse_api(&owner)?;
            crate::api::authz::manage_owner(&links()?.pool, &ui_principal().await?, &owner).await?;
            let owner = owner.to_owner();
            links()?.delete(&owner, link_id, actor).await?;
            Ok(LinkActionOutcome::of_unlink(link_id, label))
        }
        .await,
    )
}

#[cfg(test)]
mod tests {
    use super::LinkActionOutcome;
    use uuid::Uuid;

    #[test]
    fn each_link_action_says_what_it_did_and_how_to_undo_it() {
        let id = Uuid::nil();
        let off = LinkActionOutcome::of_change(id, Some("PLAT - Platform".into()), Some(false), None);
        assert_eq!(off.said, "Deactivated PLAT - Platform: it stays linked but is not synced until activated.");
        assert_eq!(off.undo_active, Some(true));
        assert_eq!(LinkActionOutcome::of_change(id, None, Some(true), None).undo_active, Some(false));
        let primary = LinkActionOutcome::of_change(id, Some("billing-web".into()), None, Some(true));
        assert_eq!((primary.said.as_str(), primary.undo_active), ("billing-web is now the primary link: the legacy fields name it first.", None));
        assert_eq!(LinkActionOutcome::of_unlink(id, Some(" ".into())).said, "Unlinked the link; its synced data is kept. To undo, link it again.");
    }
}
