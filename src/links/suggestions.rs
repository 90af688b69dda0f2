//! Suggestions for one entity (spec "Auto-Inference Rules"): lists what every connection holds,
//! marks what is already linked (to this entity: omitted; to another: a conflict), and runs the
//! pure rules of `crate::suggest`, then stores them (`memory`: dismissal memory, verdicts).
//! Never writes a link: accepting goes through `declare`.

mod memory;

pub use memory::{StoredSuggestion, SuggestionError, SuggestionStatus};
use memory::Target;

use super::catalog;
use super::{LinkError, Links};
use crate::domain::{AccountPlatform, RepoPlatform};
use crate::store::connections::list_connections;
use crate::store::link_upstream as stored;
use crate::suggest::{self, Holders, PersonSubject, ProjectSubject, Suggestion};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use uuid::Uuid;

/// Suggestions (stored, with their id and status; dismissed ones left out), plus the
/// connections that could not be listed (so a gap is never silent).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Suggestions {
    pub suggestions: Vec<StoredSuggestion>,
    pub errors: Vec<String>,
}

impl Links {
    /// Who holds each linked external entity, seen from `subject` (its own id).
    async fn holders(&self, subject: Uuid, accounts: bool) -> Result<Holders, LinkError> {
        let links = if accounts {
            stored::account_links(&self.pool, None).await?
        } else {
            let mut all = stored::jira_links(&self.pool, None).await?;
            all.extend(stored::repository_links(&self.pool, None).await?);
            all
        };
        let mut holders = Holders::new();
        for l in links {
            if l.owner_id == subject {
                holders.insert_subject(l.connection_id, l.external_id);
            } else {
                holders.insert_other(l.connection_id, l.external_id, l.owner_label);
            }
        }
        Ok(holders)
    }

    pub async fn suggest_for_project(&self, key: &str) -> Result<Suggestions, LinkError> {
        let project = crate::store::projects::project_by_key(&self.pool, key).await?.ok_or_else(|| LinkError::ProjectNotFound(key.to_owned()))?;
        let holders = self.holders(project.id, false).await?;
        let subject = ProjectSubject { key: project.key.clone(), name: project.name.clone(), linked_jira_keys: project.jira_projects.iter().map(|l| l.key.clone()).collect() };
        let mut jira = Vec::new();
        let mut repos = Vec::new();
        let mut errors = Vec::new();
        let mut platforms = BTreeMap::new();
        for conn in list_connections(&self.pool).await?.into_iter().filter(|c| c.enabled) {
            platforms.insert(conn.id, conn.kind.clone());
            let listed = match conn.kind.as_str() {
                "jira" => catalog::jira_projects(&self.upstream(&conn)).await.map(|p| jira.extend(p)),
                kind => match kind.parse::<RepoPlatform>() {
                    Ok(platform) => catalog::repositories(&self.upstream(&conn), platform).await.map(|r| repos.extend(r)),
                    Err(_) => Ok(()),
                },
            };
            if let Err(e) = listed {
                errors.push(format!("{}: {e}", conn.name));
            }
        }
        let known_keys: BTreeSet<String> = jira.iter().map(|p| p.key.clone()).collect();
        let mut suggestions = suggest::suggest_jira_projects(&subject, &jira, &holders);
        suggestions.extend(suggest::suggest_repositories(&subject, &repos, &known_keys, &holders));
        let target = Target { kind: "project", id: project.id, audit_id: project.key.clone() };
        Ok(Suggestions { suggestions: self.remember(&target, ranked(suggestions), &platforms).await?, errors })
    }

    pub async fn suggest_for_person(&self, id: Uuid) -> Result<Suggestions, LinkError> {
        let person = crate::store::persons::person_by_id(&self.pool, id).await?.ok_or(LinkError::PersonNotFound(id))?;
        let holders = self.holders(person.id, true).await?;
        let subject = PersonSubject { name: person.name.clone(), email: person.email.clone() };
        let domains = crate::store::persons::email_domains(&self.pool).await?;
        let mut accounts = Vec::new();
        let mut errors = Vec::new();
        let mut platforms = BTreeMap::new();
        for conn in list_connections(&self.pool).await?.into_iter().filter(|c| c.enabled) {
            platforms.insert(conn.id, conn.kind.clone());
            let Ok(platform) = conn.kind.parse::<AccountPlatform>() else { continue };
            match catalog::accounts(&self.upstream(&conn), platform).await {
                Ok(found) => accounts.extend(found),
                Err(e) => errors.push(format!("{}: {e}", conn.name)),
            }
        }
        let found = ranked(suggest::suggest_accounts(&subject, &accounts, &domains, &holders));
        let target = Target { kind: "person", id: person.id, audit_id: person.id.to_string() };
        Ok(Suggestions { suggestions: self.remember(&target, found, &platforms).await?, errors })
    }
}

/// One list across rules: linkable first by score, then conflicts; ties on stable ids.
fn ranked(mut s: Vec<Suggestion>) -> Vec<Suggestion> {
    s.sort_by(suggest::rank_order);
    s
}
