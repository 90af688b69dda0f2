//! Server functions for the people pages: the list and one person with their accounts.
//! Linking and unlinking accounts goes through `link_dialog` and `projects::{change_link, unlink}`.

use crate::api::ApiError;
use crate::domain::Person;
use leptos::prelude::*;
use uuid::Uuid;

#[cfg(feature = "ssr")]
use crate::api::context::{links, ui_actor};
#[cfg(feature = "ssr")]
use crate::api::error::with_status;

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

#[server]
pub async fn person_page(id: Uuid) -> Result<Person, ApiError> {
    with_status(
        async {
            ui_actor().await?;
            crate::store::persons::person_by_id(&links()?.pool, id).await?.ok_or_else(|| ApiError::NotFound(format!("no person with id {id}")))
        }
        .await,
    )
}
