//! Server functions for the people pages: the list, one person with their accounts, and the
//! signed-in person's own accounts ("My accounts"). Linking and unlinking accounts goes through
//! `link_dialog` and `projects::{change_link, unlink}`.

use crate::api::ApiError;
use crate::domain::Person;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[cfg(feature = "ssr")]
use crate::api::context::{links, ui_actor, ui_principal};
#[cfg(feature = "ssr")]
use crate::api::error::with_status;

/// A person page: the person, whether the viewer may change their links (decided on the server
/// with the same rule the link server functions apply), and which links wait for an admin.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PersonPageData {
    pub person: Person,
    pub can_manage: bool,
    /// May the viewer edit the person record itself (name, e-mail, deactivate)? Admins only.
    pub can_edit: bool,
    /// Self-links written pending: inactive until an admin approves them.
    pub pending: Vec<Uuid>,
    /// Disabled connections by id and name: their links are neither checked nor synced.
    pub disabled_connections: std::collections::BTreeMap<Uuid, String>,
}

#[server]
pub async fn list_people(query: String) -> Result<Vec<Person>, ApiError> {
    use crate::app::components::filter::matches_filter;
    with_status(
        async {
            ui_actor().await?;
            let persons = crate::store::persons::list_persons(&links()?.pool).await?;
            Ok(persons.into_iter().filter(|p| matches_filter(&query, &format!("{} {}", p.name, p.email))).collect())
        }
        .await,
    )
}

#[cfg(feature = "ssr")]
async fn page_data(id: Uuid) -> Result<PersonPageData, ApiError> {
    use crate::auth::rules;
    let who = ui_principal().await?;
    let pool = links()?.pool;
    let person = crate::store::persons::person_by_id(&pool, id).await?.ok_or_else(|| ApiError::NotFound(format!("no person with id {id}")))?;
    let pending = crate::store::pending::of_person(&pool, id).await?.into_iter().collect();
    let can_manage = rules::manage_person_links(&who, id).is_ok();
    let disabled_connections = links()?.disabled_connections().await?;
    let can_edit = rules::admin_only(&who).is_ok();
    Ok(PersonPageData { person, can_manage, can_edit, pending, disabled_connections })
}

#[server]
pub async fn person_page(id: Uuid) -> Result<PersonPageData, ApiError> {
    with_status(
        async {
            ui_actor().await?;
            page_data(id).await
        }
        .await,
    )
}

/// The signed-in person's own page.
#[server]
pub async fn my_accounts() -> Result<PersonPageData, ApiError> {
    with_status(
        async {
            ui_actor().await?;
            page_data(ui_principal().await?.person_id).await
        }
        .await,
    )
}
