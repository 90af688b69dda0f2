//! What the UI pages read beyond single links: a project with its lead and latest synced items,
//! the link health of the whole organisation, the audit log.

use super::{LinkError, Links};
use crate::domain::health::{link_problem, HealthLink, HealthReport, ReopenedSuggestion};
use crate::domain::synced::ProjectOverview;
use crate::store::audit::{self, Entry, Filter};
use chrono::{DateTime, Utc};
use serde_json::Value;

/// How many synced issues and commits a project page shows.
const RECENT_ITEMS: i64 = 10;

impl Links {
    pub async fn project_overview(&self, key: &str) -> Result<ProjectOverview, LinkError> {
        let project = crate::store::projects::project_by_key(&self.pool, key).await?.ok_or_else(|| LinkError::ProjectNotFound(key.to_owned()))?;
        let lead = match project.lead_person_id {
            Some(id) => crate::store::persons::person_by_id(&self.pool, id).await?.map(|p| p.name),
            None => None,
        };
        let recent_issues = crate::store::synced_reads::recent_issues(&self.pool, project.id, RECENT_ITEMS).await?;
        let recent_commits = crate::store::synced_reads::recent_commits(&self.pool, project.id, RECENT_ITEMS).await?;
        let health = project.link_health(Utc::now());
        let disabled_connections = self.disabled_connections().await?;
        Ok(ProjectOverview { project, lead, health, recent_issues, recent_commits, disabled_connections, can_manage: false, can_edit: false })
    }

    /// Disabled connections by id and name (their links show why they do not sync).
    pub async fn disabled_connections(&self) -> Result<std::collections::BTreeMap<uuid::Uuid, String>, LinkError> {
        Ok(crate::store::connections::list_connections(&self.pool).await?.into_iter().filter(|c| !c.enabled).map(|c| (c.id, c.name)).collect())
    }

    pub async fn audit(&self, filter: &Filter) -> Result<Vec<Entry>, LinkError> {
        Ok(audit::list(&self.pool, filter).await?)
    }

    /// Every link with a problem, suggestions in conflict with a link, and dismissed
    /// suggestions that came back with new evidence (the last 100).
    pub async fn health(&self, now: DateTime<Utc>) -> Result<HealthReport, LinkError> {
        let mut links = Vec::new();
        for p in crate::store::projects::list_projects(&self.pool).await? {
            for l in &p.jira_projects {
                if let Some(problem) = link_problem(l.verified, l.active, l.last_synced, now) {
                    links.push(HealthLink { owner_type: "project".into(), owner_id: p.key.clone(), owner_label: p.key.clone(), link_id: l.id, platform: "jira".into(), label: format!("{} - {}", l.key, l.name), problem, last_synced: l.last_synced });
                }
            }
            for r in &p.repositories {
                if let Some(problem) = link_problem(r.verified, r.active, r.last_synced, now) {
                    let place = r.workspace.as_deref().unwrap_or("");
                    links.push(HealthLink { owner_type: "project".into(), owner_id: p.key.clone(), owner_label: p.key.clone(), link_id: r.id, platform: r.platform.to_string(), label: format!("{place}/{}", r.slug), problem, last_synced: r.last_synced });
                }
            }
        }
        for p in crate::store::persons::list_persons(&self.pool).await? {
            for a in &p.external_accounts {
                if let Some(problem) = link_problem(a.verified, a.active, a.last_synced, now) {
                    // The owner column names the person: the account is told apart by its handle.
                    let label = [a.username.clone(), a.email.clone()].into_iter().flatten().next().unwrap_or_else(|| a.external_id.clone());
                    links.push(HealthLink { owner_type: "person".into(), owner_id: p.id.to_string(), owner_label: p.name.clone(), link_id: a.id, platform: a.platform.to_string(), label, problem, last_synced: a.last_synced });
                }
            }
        }
        links.sort_by_key(|l| (l.problem, l.owner_type.clone(), l.owner_label.clone(), l.label.clone()));
        let conflicts = crate::store::conflicts::open_suggestion_conflicts(&self.pool).await?;
        let filter = Filter { action: Some("suggestion.reopen".into()), limit: 100, ..Filter::default() };
        let reopened = audit::list(&self.pool, &filter).await?.into_iter().map(reopened).collect();
        Ok(HealthReport { links, conflicts, reopened })
    }
}

/// A `suggestion.reopen` audit entry as the health page lists it.
fn reopened(e: Entry) -> ReopenedSuggestion {
    let after = e.after.unwrap_or(Value::Null);
    let before = e.before.unwrap_or(Value::Null);
    let strings = |v: &Value| v.as_array().map(|a| a.iter().filter_map(|s| s.as_str().map(str::to_owned)).collect()).unwrap_or_default();
    ReopenedSuggestion {
        at: e.at,
        entity_type: e.entity_type,
        entity_id: e.entity_id,
        label: after["label"].as_str().unwrap_or_default().to_owned(),
        score_before: before["score"].as_f64(),
        score_after: after["score"].as_f64(),
        evidence: strings(&after["evidence"]),
    }
}
