//! Suggestions for one entity (spec "Auto-Inference Rules"): lists what every connection holds,
//! marks what is already linked (to this entity: omitted; to another: a conflict), and runs the
//! pure rules of `crate::suggest`, then stores them (`memory`: dismissal memory, verdicts).
//! Never writes a link: accepting goes through `declare`.

mod memory;

pub use memory::{StoredSuggestion, SuggestionError, SuggestionStatus};
use memory::Target;

use crate::upstream::catalog;
use super::{LinkError, Links};
use crate::domain::{AccountPlatform, RepoPlatform};
use crate::store::connections::list_connections;
use crate::domain::{Person, Project};
use crate::store::link_upstream::{self as stored, StoredLink};
use crate::suggest::{self, AccountCandidate, Holders, JiraProjectCandidate, PersonSubject, ProjectSubject, RepoCandidate, Suggestion};
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

/// What the connections hold for project suggestions, listed once.
struct ProjectCatalogs {
    jira: Vec<JiraProjectCandidate>,
    repos: Vec<RepoCandidate>,
    known_keys: BTreeSet<String>,
    platforms: BTreeMap<Uuid, String>,
    errors: Vec<String>,
}

/// What the connections hold for person suggestions, listed once.
struct AccountCatalogs {
    accounts: Vec<AccountCandidate>,
    /// Every Velocity person's (name, e-mail), for namesakes.
    people: Vec<(String, String)>,
    domains: Vec<String>,
    platforms: BTreeMap<Uuid, String>,
    errors: Vec<String>,
}

/// One entity's open suggestions, named for a list across entities.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct EntitySuggestions {
    /// Project key or person id.
    pub entity_id: String,
    /// Project name or person name.
    pub entity_name: String,
    pub suggestions: Vec<StoredSuggestion>,
}

/// Every active project's (or person's) suggestions, and the connections that could not be
/// listed.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AllSuggestions {
    pub entities: Vec<EntitySuggestions>,
    pub errors: Vec<String>,
}

/// Who holds each linked external entity, seen from `subject` (its own id).
fn holders_for(links: &[StoredLink], subject: Uuid) -> Holders {
    let mut holders = Holders::new();
    for l in links {
        if l.owner_id == subject {
            holders.insert_subject(l.connection_id, l.external_id.clone());
        } else {
            holders.insert_other(l.connection_id, l.external_id.clone(), l.owner_label.clone());
        }
    }
    holders
}

impl Links {
    async fn project_side_links(&self) -> Result<Vec<StoredLink>, LinkError> {
        let mut all = stored::jira_links(&self.pool, None).await?;
        all.extend(stored::repository_links(&self.pool, None).await?);
        Ok(all)
    }

    async fn project_catalogs(&self) -> Result<ProjectCatalogs, LinkError> {
        let mut c = ProjectCatalogs { jira: Vec::new(), repos: Vec::new(), known_keys: BTreeSet::new(), platforms: BTreeMap::new(), errors: Vec::new() };
        for conn in list_connections(&self.pool).await?.into_iter().filter(|c| c.enabled) {
            c.platforms.insert(conn.id, conn.kind.clone());
            let listed = match conn.kind.as_str() {
                "jira" => catalog::jira_projects(&self.upstream(&conn)).await.map(|p| c.jira.extend(p)),
                kind => match kind.parse::<RepoPlatform>() {
                    Ok(platform) => catalog::repositories(&self.upstream(&conn), platform).await.map(|r| c.repos.extend(r)),
                    Err(_) => Ok(()),
                },
            };
            if let Err(e) = listed {
                c.errors.push(format!("{}: {e}", conn.name));
            }
        }
        c.known_keys = c.jira.iter().map(|p| p.key.clone()).collect();
        Ok(c)
    }

    async fn account_catalogs(&self) -> Result<AccountCatalogs, LinkError> {
        let people = crate::store::persons::list_persons(&self.pool).await?.into_iter().map(|p| (p.name, p.email)).collect();
        let mut c = AccountCatalogs { accounts: Vec::new(), people, domains: crate::store::persons::email_domains(&self.pool).await?, platforms: BTreeMap::new(), errors: Vec::new() };
        for conn in list_connections(&self.pool).await?.into_iter().filter(|c| c.enabled) {
            c.platforms.insert(conn.id, conn.kind.clone());
            let Ok(platform) = conn.kind.parse::<AccountPlatform>() else { continue };
            match catalog::accounts(&self.upstream(&conn), platform).await {
                Ok(found) => c.accounts.extend(found),
                Err(e) => c.errors.push(format!("{}: {e}", conn.name)),
            }
        }
        Ok(c)
    }

    async fn project_suggestions_from(&self, project: &Project, c: &ProjectCatalogs, links: &[StoredLink]) -> Result<Vec<StoredSuggestion>, LinkError> {
        let holders = holders_for(links, project.id);
        let subject = ProjectSubject { key: project.key.clone(), name: project.name.clone(), linked_jira_keys: project.jira_projects.iter().map(|l| l.key.clone()).collect() };
        let mut suggestions = suggest::suggest_jira_projects(&subject, &c.jira, &holders);
        suggestions.extend(suggest::suggest_repositories(&subject, &c.repos, &c.known_keys, &holders));
        let target = Target { kind: "project", id: project.id, audit_id: project.key.clone() };
        self.remember(&target, ranked(suggestions), &c.platforms).await
    }

    async fn person_suggestions_from(&self, person: &Person, c: &AccountCatalogs, links: &[StoredLink]) -> Result<Vec<StoredSuggestion>, LinkError> {
        let holders = holders_for(links, person.id);
        let namesakes = suggest::namesakes(&person.name, &person.email, &c.people);
        let subject = PersonSubject { name: person.name.clone(), email: person.email.clone(), namesakes };
        let found = ranked(suggest::suggest_accounts(&subject, &c.accounts, &c.domains, &holders));
        let target = Target { kind: "person", id: person.id, audit_id: person.id.to_string() };
        self.remember(&target, found, &c.platforms).await
    }

    pub async fn suggest_for_project(&self, key: &str) -> Result<Suggestions, LinkError> {
        let project = crate::store::projects::project_by_key(&self.pool, key).await?.ok_or_else(|| LinkError::ProjectNotFound(key.to_owned()))?;
        let links = self.project_side_links().await?;
        let c = self.project_catalogs().await?;
        let suggestions = self.project_suggestions_from(&project, &c, &links).await?;
        Ok(Suggestions { suggestions, errors: c.errors })
    }

    pub async fn suggest_for_person(&self, id: Uuid) -> Result<Suggestions, LinkError> {
        let person = crate::store::persons::person_by_id(&self.pool, id).await?.ok_or(LinkError::PersonNotFound(id))?;
        let links = stored::account_links(&self.pool, None).await?;
        let c = self.account_catalogs().await?;
        let suggestions = self.person_suggestions_from(&person, &c, &links).await?;
        Ok(Suggestions { suggestions, errors: c.errors })
    }

    /// Suggestions for every active project, each connection listed once (bulk review).
    /// Entities without an open suggestion are left out.
    pub async fn suggest_for_all_projects(&self) -> Result<AllSuggestions, LinkError> {
        let links = self.project_side_links().await?;
        let c = self.project_catalogs().await?;
        let mut entities = Vec::new();
        for project in crate::store::projects::list_projects(&self.pool).await?.into_iter().filter(|p| p.active) {
            let suggestions = self.project_suggestions_from(&project, &c, &links).await?;
            if !suggestions.is_empty() {
                entities.push(EntitySuggestions { entity_id: project.key.clone(), entity_name: project.name.clone(), suggestions });
            }
        }
        Ok(AllSuggestions { entities, errors: c.errors })
    }

    /// Suggestions for every active person, each connection listed once (bulk review).
    pub async fn suggest_for_all_persons(&self) -> Result<AllSuggestions, LinkError> {
        let links = stored::account_links(&self.pool, None).await?;
        let c = self.account_catalogs().await?;
        let mut entities = Vec::new();
        for person in crate::store::persons::list_persons(&self.pool).await?.into_iter().filter(|p| p.active) {
            let suggestions = self.person_suggestions_from(&person, &c, &links).await?;
            if !suggestions.is_empty() {
                entities.push(EntitySuggestions { entity_id: person.id.to_string(), entity_name: person.name.clone(), suggestions });
            }
        }
        Ok(AllSuggestions { entities, errors: c.errors })
    }
}

/// One list across rules: linkable first by score, then conflicts; ties on stable ids.
fn ranked(mut s: Vec<Suggestion>) -> Vec<Suggestion> {
    s.sort_by(suggest::rank_order);
    s
}
