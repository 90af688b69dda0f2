//! Spec Phase 4: writes that still carry the deprecated legacy single-link fields (`jiraKey`,
//! `bitbucketWorkspace`, `bitbucketRepos` on projects; `jiraAccountId`, `bitbucketUsername`,
//! `slackUserId` on persons) become link operations through `Links::declare` (or a primary
//! hand-over through `Links::change` when the link exists already), each field audited as
//! `legacy.translate` besides the links' own entries.
//!
//! `check_*` resolves every value upstream and refuses conflicts before anything is written, so
//! a bad legacy value leaves the entity untouched; `apply` then writes. Links not named are
//! kept: removing one is done through the links endpoints.

use super::EntityError;
use crate::domain::{AccountPlatform, Person, Project, RepoPlatform};
use crate::links::change::LinkChange;
use crate::links::checks::Warning;
use crate::links::declare::{Candidate, Options, Owner};
use crate::links::{Actor, LinkError, Links};
use crate::upstream::lookup as upstream;
use crate::store::audit::{self, NewEntry};
use crate::store::connections::{list_connections, Connection};
use crate::store::link_ops::{self, LinkTable};
use serde_json::{json, Value};
use uuid::Uuid;

#[derive(Debug, Clone, Default, PartialEq)]
pub struct ProjectLegacy {
    pub jira_key: Option<String>,
    pub bitbucket_workspace: Option<String>,
    pub bitbucket_repos: Option<Vec<String>>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct PersonLegacy {
    pub jira_account_id: Option<String>,
    pub bitbucket_username: Option<String>,
    pub slack_user_id: Option<String>,
}

impl ProjectLegacy {
    pub fn is_empty(&self) -> bool {
        self.jira_key.is_none() && self.bitbucket_workspace.is_none() && self.bitbucket_repos.is_none()
    }
}

impl PersonLegacy {
    pub fn is_empty(&self) -> bool {
        self.jira_account_id.is_none() && self.bitbucket_username.is_none() && self.slack_user_id.is_none()
    }
}

/// One link operation a legacy field stands for, resolved and checked.
#[derive(Debug, Clone)]
pub struct LegacyOp {
    field: &'static str,
    candidate: Candidate,
    connection_id: Uuid,
    external_id: String,
    primary: bool,
}

/// The legacy fields that were sent, in order, each with no operation when it changes nothing.
#[derive(Debug, Clone, Default)]
pub struct LegacyPlan {
    fields: Vec<&'static str>,
    ops: Vec<LegacyOp>,
}

impl LegacyPlan {
    /// Link operations the plan holds.
    pub fn links(&self) -> usize {
        self.ops.len()
    }
}

fn value<'a>(field: &'static str, raw: &'a str) -> Result<&'a str, EntityError> {
    let v = raw.trim();
    match v.chars().count() {
        0 => Err(EntityError::invalid(field, "must not be empty")),
        n if n > 255 => Err(EntityError::invalid(field, format!("is {n} characters long; at most 255"))),
        _ => Ok(v),
    }
}

fn missing(field: &str, what: String, conn: &Connection) -> EntityError {
    EntityError::Link(LinkError::NotUpstream { what: format!("{field}: {what}"), connection: conn.name.clone() })
}

impl Links {
    /// Refuses when another entity than `owner` (none yet for a creation) links the entity.
    async fn free(&self, owner: Option<Uuid>, table: LinkTable, conn: &Connection, external_id: &str, what: String) -> Result<(), EntityError> {
        let mut db = self.pool.acquire().await?;
        match link_ops::holder(&mut db, table, conn.id, external_id).await? {
            Some((holder_id, holder, link_id)) if Some(holder_id) != owner => Err(LinkError::Conflict { what, holder, holder_id, link_id }.into()),
            _ => Ok(()),
        }
    }

    async fn bitbucket_connection(&self, workspace: Option<&str>) -> Result<Connection, EntityError> {
        let Some(ws) = workspace else { return Ok(self.connection("bitbucket", None).await?) };
        let bitbucket: Vec<Connection> = list_connections(&self.pool).await?.into_iter().filter(|c| c.kind == "bitbucket").collect();
        let names: Vec<&str> = bitbucket.iter().map(|c| c.scope.as_str()).collect();
        let message = format!("no Bitbucket connection for workspace '{ws}'; configured workspaces: {}", if names.is_empty() { "none".to_owned() } else { names.join(", ") });
        bitbucket.iter().find(|c| c.scope == ws).cloned().ok_or_else(|| EntityError::invalid("bitbucketWorkspace", message))
    }

    /// Resolves a project's legacy fields; `owner` is the project's id (none when creating it).
    pub async fn check_project_legacy(&self, owner: Option<Uuid>, l: &ProjectLegacy) -> Result<LegacyPlan, EntityError> {
        let mut plan = LegacyPlan::default();
        if let Some(raw) = &l.jira_key {
            let key = value("jiraKey", raw)?;
            let conn = self.connection("jira", None).await?;
            let info = upstream::jira_project(&self.upstream(&conn), key).await.map_err(LinkError::from)?.ok_or_else(|| missing("jiraKey", format!("Jira project '{key}'"), &conn))?;
            self.free(owner, LinkTable::JiraProjects, &conn, &info.jira_project_id, format!("Jira project {} ({})", info.key, info.jira_project_id)).await?;
            plan.fields.push("jiraKey");
            let candidate = Candidate::Jira { connection_id: Some(conn.id), project: info.key };
            plan.ops.push(LegacyOp { field: "jiraKey", candidate, connection_id: conn.id, external_id: info.jira_project_id, primary: true });
        }
        if l.bitbucket_workspace.is_some() || l.bitbucket_repos.as_ref().is_some_and(|r| !r.is_empty()) {
            let workspace = l.bitbucket_workspace.as_deref().map(|w| value("bitbucketWorkspace", w)).transpose()?;
            // Needed only for a named workspace or a plain slug: "workspace/slug" names its own.
            let plain = l.bitbucket_repos.iter().flatten().any(|r| !r.contains('/'));
            let conn = if workspace.is_some() || plain { Some(self.bitbucket_connection(workspace).await?) } else { None };
            if workspace.is_some() {
                plan.fields.push("bitbucketWorkspace");
            }
            let mut seen: Vec<String> = Vec::new();
            for raw in l.bitbucket_repos.iter().flatten() {
                let raw = value("bitbucketRepos", raw)?;
                // "workspace/slug" names its workspace itself.
                let (conn, slug) = match (raw.split_once('/'), &conn) {
                    (Some((ws, slug)), _) => (self.bitbucket_connection(Some(ws.trim())).await?, slug.trim()),
                    (None, Some(conn)) => (conn.clone(), raw),
                    (None, None) => (self.bitbucket_connection(None).await?, raw),
                };
                let info = upstream::repository(&self.upstream(&conn), RepoPlatform::Bitbucket, slug)
                    .await
                    .map_err(LinkError::from)?
                    .ok_or_else(|| missing("bitbucketRepos", format!("Bitbucket repository '{slug}'"), &conn))?;
                if seen.contains(&info.external_id) {
                    continue;
                }
                self.free(owner, LinkTable::Repositories, &conn, &info.external_id, format!("bitbucket repository {}/{}", info.workspace, info.slug)).await?;
                let candidate = Candidate::Repository { connection_id: Some(conn.id), platform: RepoPlatform::Bitbucket, repository: info.slug };
                let primary = seen.is_empty();
                seen.push(info.external_id.clone());
                plan.ops.push(LegacyOp { field: "bitbucketRepos", candidate, connection_id: conn.id, external_id: info.external_id, primary });
            }
        }
        if l.bitbucket_repos.is_some() {
            plan.fields.push("bitbucketRepos");
        }
        Ok(plan)
    }

    /// Resolves a person's legacy fields; `owner` is the person's id (none when creating them).
    pub async fn check_person_legacy(&self, owner: Option<Uuid>, l: &PersonLegacy) -> Result<LegacyPlan, EntityError> {
        let mut plan = LegacyPlan::default();
        let fields = [("jiraAccountId", AccountPlatform::Jira, &l.jira_account_id), ("bitbucketUsername", AccountPlatform::Bitbucket, &l.bitbucket_username), ("slackUserId", AccountPlatform::Slack, &l.slack_user_id)];
        for (field, platform, raw) in fields {
            let Some(raw) = raw else { continue };
            let v = value(field, raw)?;
            let (conn, info) = match platform {
                // Every connected workspace is asked: the nickname says nothing of which one.
                AccountPlatform::Bitbucket => self.bitbucket_member(v).await?,
                _ => {
                    let conn = self.connection(platform.as_str(), None).await?;
                    let found = upstream::account(&self.upstream(&conn), platform, v).await.map_err(LinkError::from)?;
                    let info = found.ok_or_else(|| missing(field, format!("{platform} account '{v}'"), &conn))?;
                    (conn, info)
                }
            };
            self.free(owner, LinkTable::Accounts, &conn, &info.external_id, format!("{platform} account {v} ({})", info.external_id)).await?;
            plan.fields.push(field);
            let candidate = Candidate::Account { connection_id: Some(conn.id), platform, external_id: info.external_id.clone() };
            plan.ops.push(LegacyOp { field, candidate, connection_id: conn.id, external_id: info.external_id, primary: true });
        }
        Ok(plan)
    }

    /// The entity as JSON (legacy fields derived) and its live links: (id, connection, external id, primary, active).
    async fn legacy_state(&self, owner: &Owner) -> Result<(Value, Vec<(Uuid, Uuid, String, bool, bool)>), EntityError> {
        let (json, links) = match owner {
            Owner::Project(key) => {
                let p: Project = self.get_project(key).await?;
                let jira = p.jira_projects.iter().map(|l| (l.id, l.connection_id, l.jira_project_id.clone(), l.is_primary, l.active));
                let repos = p.repositories.iter().map(|l| (l.id, l.connection_id, l.external_id.clone(), l.is_primary, l.active));
                let links = jira.chain(repos).collect();
                (serde_json::to_value(p), links)
            }
            Owner::Person(id) => {
                let p: Person = self.get_person(*id).await?;
                let links = p.external_accounts.iter().map(|l| (l.id, l.connection_id, l.external_id.clone(), l.is_primary, l.active)).collect();
                (serde_json::to_value(p), links)
            }
        };
        Ok((json.unwrap_or(Value::Null), links))
    }

    /// Writes the plan's links (declared, or made primary when linked already) and one
    /// `legacy.translate` entry per legacy field sent.
    pub async fn apply_legacy(&self, owner: &Owner, plan: LegacyPlan, actor: Actor) -> Result<(), EntityError> {
        let (before, _) = self.legacy_state(owner).await?;
        let mut done: Vec<(&'static str, Uuid, Vec<Warning>)> = Vec::new();
        for op in plan.ops {
            let (_, links) = self.legacy_state(owner).await?;
            let existing = links.iter().find(|(_, conn, ext, _, _)| *conn == op.connection_id && *ext == op.external_id);
            match existing {
                Some((id, _, _, primary, active)) => {
                    if (op.primary && !primary) || !active {
                        let change = LinkChange { is_primary: op.primary.then_some(true), active: Some(true) };
                        self.change(owner, *id, change, actor).await?;
                    }
                    done.push((op.field, *id, Vec::new()));
                }
                None => {
                    let opts = Options { is_primary: Some(op.primary), active: Some(true), acknowledge_warnings: true, pending: false };
                    let declared = self.declare(owner, &op.candidate, opts, actor).await?;
                    done.push((op.field, declared.link_id, declared.warnings));
                }
            }
        }
        let (after, _) = self.legacy_state(owner).await?;
        let (entity_type, entity_id) = match owner {
            Owner::Project(key) => ("project", key.clone()),
            Owner::Person(id) => ("person", id.to_string()),
        };
        let mut tx = self.pool.begin().await?;
        for field in plan.fields {
            let mine: Vec<&(&str, Uuid, Vec<Warning>)> = done.iter().filter(|(f, _, _)| *f == field).collect();
            let link_ids: Vec<Uuid> = mine.iter().map(|(_, id, _)| *id).collect();
            let warnings: Vec<&Warning> = mine.iter().flat_map(|(_, _, w)| w).collect();
            let entry = NewEntry {
                actor_id: actor.person_id,
                action: "legacy.translate",
                entity_type,
                entity_id: entity_id.clone(),
                link_id: link_ids.first().copied(),
                source: actor.source.as_str(),
                before: Some(json!({ field: before.get(field).cloned().unwrap_or(Value::Null) })),
                after: Some(json!({ field: after.get(field).cloned().unwrap_or(Value::Null), "linkIds": link_ids, "acknowledgedWarnings": warnings })),
            };
            audit::record(&mut tx, entry).await?;
        }
        tx.commit().await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn legacy_values_are_trimmed_and_bounded() {
        assert_eq!(value("jiraKey", " SRCH ").unwrap(), "SRCH");
        assert!(matches!(value("jiraKey", "  "), Err(EntityError::Invalid { field: "jiraKey", .. })));
        assert!(value("slackUserId", &"U".repeat(256)).is_err());
        assert!(ProjectLegacy::default().is_empty());
        assert!(!PersonLegacy { slack_user_id: Some("U1".into()), ..Default::default() }.is_empty());
    }
}
