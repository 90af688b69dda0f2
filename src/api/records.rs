//! Server functions that write Velocity's own records from the browser: create and edit a
//! project (key, name, description, lead) or a person (name, e-mail), and deactivate or
//! reactivate either. The same services and the same rule as `POST/PUT /api/projects|persons`:
//! admins write records; every write is audited by the service.

use crate::api::ApiError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// What a write did, in a sentence, and where the record now lives.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Saved {
    pub said: String,
    pub href: String,
}

/// A lead chosen in a form: empty means "no lead".
pub fn parse_lead(lead: &str) -> Result<Option<Uuid>, ApiError> {
    match lead.trim() {
        "" => Ok(None),
        id => id.parse().map(Some).map_err(|_| ApiError::invalid("lead", format!("'{id}' is not a person id; choose a person from the list"))),
    }
}

#[cfg(feature = "ssr")]
async fn admin() -> Result<(crate::links::Links, crate::links::Actor), ApiError> {
    use crate::api::context::{links, ui_actor, ui_principal};
    // Velocity's own records are the admin's to write, as over REST.
    crate::auth::rules::admin_only(&ui_principal().await?)?;
    Ok((links()?, ui_actor().await?))
}

#[server]
pub async fn create_project_record(key: String, name: String, description: String, lead: String) -> Result<Saved, ApiError> {
    use crate::links::entities::projects::NewProject;
    crate::api::error::with_status(
        async {
            let (links, actor) = admin().await?;
            let new = NewProject { key: key.trim().to_owned(), name, description: Some(description), lead_person_id: parse_lead(&lead)? };
            let created = links.create_project(&new, actor).await?;
            Ok(Saved { said: format!("Created {} · {}. Link its Jira projects and repositories below.", created.key, created.name), href: format!("/projects/{}", created.key) })
        }
        .await,
    )
}

#[server]
pub async fn edit_project_record(key: String, name: String, description: String, lead: String) -> Result<Saved, ApiError> {
    use crate::links::entities::projects::ProjectPatch;
    crate::api::error::with_status(
        async {
            let (links, actor) = admin().await?;
            let patch = ProjectPatch { name: Some(name), description: Some(description), lead_person_id: Some(parse_lead(&lead)?), active: None };
            let saved = links.update_project(&key, &patch, actor).await?;
            Ok(Saved { said: format!("Saved {} · {}.", saved.key, saved.name), href: format!("/projects/{}", saved.key) })
        }
        .await,
    )
}

#[server]
pub async fn set_project_active(key: String, active: bool) -> Result<Saved, ApiError> {
    use crate::links::entities::projects::ProjectPatch;
    crate::api::error::with_status(
        async {
            let (links, actor) = admin().await?;
            let saved = links.update_project(&key, &ProjectPatch { active: Some(active), ..Default::default() }, actor).await?;
            let said = if active {
                format!("Reactivated {}.", saved.key)
            } else {
                format!("Deactivated {}: it shows as inactive; its links, synced data and history are kept.", saved.key)
            };
            Ok(Saved { said, href: format!("/projects/{}", saved.key) })
        }
        .await,
    )
}

#[server]
pub async fn create_person_record(name: String, email: String) -> Result<Saved, ApiError> {
    use crate::links::entities::persons::NewPerson;
    crate::api::error::with_status(
        async {
            let (links, actor) = admin().await?;
            let created = links.create_person(&NewPerson { name, email, active: None }, actor).await?;
            Ok(Saved { said: format!("Added {} ({}). Link their accounts below.", created.name, created.email), href: format!("/people/{}", created.id) })
        }
        .await,
    )
}

#[server]
pub async fn edit_person_record(id: Uuid, name: String, email: String) -> Result<Saved, ApiError> {
    use crate::links::entities::persons::PersonPatch;
    crate::api::error::with_status(
        async {
            let (links, actor) = admin().await?;
            let saved = links.update_person(id, &PersonPatch { name: Some(name), email: Some(email), active: None }, actor).await?;
            Ok(Saved { said: format!("Saved {} ({}).", saved.name, saved.email), href: format!("/people/{}", saved.id) })
        }
        .await,
    )
}

#[server]
pub async fn set_person_active(id: Uuid, active: bool) -> Result<Saved, ApiError> {
    use crate::links::entities::persons::PersonPatch;
    crate::api::error::with_status(
        async {
            let (links, actor) = admin().await?;
            let saved = links.update_person(id, &PersonPatch { active: Some(active), ..Default::default() }, actor).await?;
            let said = if active {
                format!("Reactivated {}.", saved.name)
            } else {
                format!("Deactivated {}: they show as inactive; their links, synced data and history are kept.", saved.name)
            };
            Ok(Saved { said, href: format!("/people/{}", saved.id) })
        }
        .await,
    )
}

#[cfg(test)]
mod tests {
    use super::parse_lead;

    #[test]
    fn an_empty_lead_is_none_and_a_bad_one_names_the_field() {
        assert_eq!(parse_lead(" ").unwrap(), None);
        let id = uuid::Uuid::from_u128(7);
        assert_eq!(parse_lead(&id.to_string()).unwrap(), Some(id));
        assert!(parse_lead("ana").unwrap_err().to_string().starts_with("lead: "));
    }
}
