//! Declaring a link: look the candidate up through its connection, check it against the
//! entity's existing links, then write it with its audit entry in one transaction. `verify`
//! runs the same checks without writing (the spec's "Show preview" before confirming).

use super::checks::{self, Warning};
use crate::upstream::lookup as upstream;
use super::{Actor, LinkError, Links};
use crate::domain::{AccountPlatform, RepoPlatform};
use crate::store::audit::{self, NewEntry};
use crate::store::link_ops::{self, LinkTable};
use crate::store::links::{self as rows, LinkMeta};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use sqlx::PgConnection;
use uuid::Uuid;

/// What to link, as the caller names it.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[derive(utoipa::ToSchema)]
#[serde(rename_all = "camelCase", tag = "kind", deny_unknown_fields)]
pub enum Candidate {
    /// A Jira project by id or key.
    #[serde(rename_all = "camelCase")]
    Jira { connection_id: Option<Uuid>, project: String },
    /// A repository by slug or stable id.
    #[serde(rename_all = "camelCase")]
    Repository { connection_id: Option<Uuid>, platform: RepoPlatform, repository: String },
    /// An account by its stable id (or login where the platform resolves logins).
    #[serde(rename_all = "camelCase")]
    Account { connection_id: Option<Uuid>, platform: AccountPlatform, external_id: String },
}

/// The Velocity entity a link hangs on.
#[derive(Debug, Clone)]
pub enum Owner {
    Project(String),
    Person(Uuid),
}

#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    pub is_primary: Option<bool>,
    pub active: Option<bool>,
    pub acknowledge_warnings: bool,
    /// A self-link waiting for an admin: written inactive and never primary, and marked pending
    /// (`link.pending`) in the same transaction, so no failure leaves it inactive but unmarked
    /// (which its person could switch on).
    pub pending: bool,
}

/// The outcome of the checks: what would be linked and what to know first.
#[derive(Debug, Clone, Serialize)]
#[derive(utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Verification {
    pub exists: bool,
    pub platform: String,
    pub connection_id: Uuid,
    /// The stable upstream id that the link will store.
    pub external_id: String,
    /// What the link would sync (counts, last activity, a few sample items).
    #[schema(value_type = Object)]
    pub preview: Value,
    pub conflict: Option<Conflict>,
    pub warnings: Vec<Warning>,
}

#[derive(Debug, Clone, Serialize)]
#[derive(utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Conflict {
    pub holder: String,
    pub holder_id: Uuid,
    pub link_id: Uuid,
}

#[derive(Debug, Clone, Serialize)]
#[derive(utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Declared {
    pub link_id: Uuid,
    pub is_primary: bool,
    pub warnings: Vec<Warning>,
    /// The entity already held this link: nothing was written (declaring is idempotent).
    pub existing: bool,
    /// The link waits for an admin's approval (the self-linking rule).
    pub pending: bool,
}

/// Everything needed to write the row, resolved and checked.
struct Prepared {
    owner_id: Uuid,
    owner_label: String,
    table: LinkTable,
    platform: String,
    connection_id: Uuid,
    connection_name: String,
    external_id: String,
    what: String,
    row: Row,
    preview: Value,
    warnings: Vec<Warning>,
}

enum Row {
    // What the look-up already knew (issue count, default branch, last commit) is stored with
    // the link, so its row shows it before the first sync replaces it with synced figures.
    Jira { key: String, name: String, url: String, total_issues: Option<i32> },
    Repo { workspace: String, slug: String, name: String, url: String, default_branch: Option<String>, last_commit: Option<chrono::DateTime<chrono::Utc>> },
    Account { username: Option<String>, display_name: Option<String>, email: Option<String> },
}

impl Links {
    async fn prepare(&self, owner: &Owner, candidate: &Candidate) -> Result<Prepared, LinkError> {
        match (owner, candidate) {
            (Owner::Project(key), Candidate::Jira { connection_id, project }) => {
                let p = self.project(key).await?;
                let conn = self.connection("jira", *connection_id).await?;
                let info = upstream::jira_project(&self.upstream(&conn), non_empty("project", project)?).await?.ok_or_else(|| LinkError::NotUpstream {
                    what: format!("Jira project '{project}'"),
                    connection: conn.name.clone(),
                })?;
                Ok(Prepared {
                    owner_id: p.id,
                    owner_label: p.key.clone(),
                    table: LinkTable::JiraProjects,
                    platform: "jira".into(),
                    connection_id: conn.id,
                    connection_name: conn.name.clone(),
                    external_id: info.jira_project_id.clone(),
                    what: format!("Jira project {} ({})", info.key, info.jira_project_id),
                    warnings: checks::jira_duplicates(&p.jira_projects, &info),
                    preview: json!({"key": info.key, "name": info.name, "archived": info.archived, "totalIssues": info.total_issues, "lastIssueUpdate": info.last_issue_update}),
                    row: Row::Jira { key: info.key, name: info.name, url: info.url, total_issues: info.total_issues.and_then(|n| i32::try_from(n).ok()) },
                })
            }
            (Owner::Project(key), Candidate::Repository { connection_id, platform, repository }) => {
                let p = self.project(key).await?;
                let conn = self.connection(platform.as_str(), *connection_id).await?;
                let info = upstream::repository(&self.upstream(&conn), *platform, non_empty("repository", repository)?).await?.ok_or_else(|| LinkError::NotUpstream {
                    what: format!("{platform} repository '{repository}'"),
                    connection: conn.name.clone(),
                })?;
                Ok(Prepared {
                    owner_id: p.id,
                    owner_label: p.key.clone(),
                    table: LinkTable::Repositories,
                    platform: platform.as_str().into(),
                    connection_id: conn.id,
                    connection_name: conn.name.clone(),
                    external_id: info.external_id.clone(),
                    what: format!("{platform} repository {}/{} ({})", info.workspace, info.slug, info.external_id),
                    warnings: checks::repository_duplicates(&p.repositories, &info),
                    preview: json!({"slug": info.slug, "defaultBranch": info.default_branch, "lastCommit": info.last_commit, "recentCommits": info.recent_commits}),
                    row: Row::Repo { workspace: info.workspace, slug: info.slug, name: info.name, url: info.url, default_branch: info.default_branch, last_commit: info.last_commit },
                })
            }
            (Owner::Person(id), Candidate::Account { connection_id, platform, external_id }) => {
                let person = crate::store::persons::person_by_id(&self.pool, *id).await?.ok_or(LinkError::PersonNotFound(*id))?;
                let conn = self.connection(platform.as_str(), *connection_id).await?;
                let info = upstream::account(&self.upstream(&conn), *platform, non_empty("externalId", external_id)?).await?.ok_or_else(|| LinkError::NotUpstream {
                    what: format!("{platform} account '{external_id}'"),
                    connection: conn.name.clone(),
                })?;
                Ok(Prepared {
                    owner_id: person.id,
                    owner_label: format!("{} <{}>", person.name, person.email),
                    table: LinkTable::Accounts,
                    platform: platform.as_str().into(),
                    connection_id: conn.id,
                    connection_name: conn.name.clone(),
                    external_id: info.external_id.clone(),
                    what: format!("{platform} account {} ({})", info.username.clone().or(info.display_name.clone()).unwrap_or_default(), info.external_id),
                    warnings: checks::account_duplicates(&person.external_accounts, *platform, &info),
                    preview: json!({"username": info.username, "displayName": info.display_name, "email": info.email, "active": info.active}),
                    row: Row::Account { username: info.username, display_name: info.display_name, email: info.email },
                })
            }
            (Owner::Project(_), Candidate::Account { .. }) => Err(LinkError::Invalid { field: "kind", message: "accounts link to persons, not projects".into() }),
            (Owner::Person(_), _) => Err(LinkError::Invalid { field: "kind", message: "persons link accounts; Jira projects and repositories link to projects".into() }),
        }
    }

    async fn project(&self, key: &str) -> Result<crate::domain::Project, LinkError> {
        crate::store::projects::project_by_key(&self.pool, key).await?.ok_or_else(|| LinkError::ProjectNotFound(key.to_owned()))
    }

    /// The checks without writing anything.
    pub async fn verify(&self, owner: &Owner, candidate: &Candidate) -> Result<Verification, LinkError> {
        let p = self.prepare(owner, candidate).await?;
        let mut conn = self.pool.acquire().await?;
        let conflict = link_ops::holder(&mut conn, p.table, p.connection_id, &p.external_id)
            .await?
            .filter(|(holder_id, _, _)| *holder_id != p.owner_id)
            .map(|(holder_id, holder, link_id)| Conflict { holder, holder_id, link_id });
        Ok(Verification { exists: true, platform: p.platform, connection_id: p.connection_id, external_id: p.external_id, preview: p.preview, conflict, warnings: p.warnings })
    }

    /// Verifies, then writes the link and its audit entry in one transaction.
    pub async fn declare(&self, owner: &Owner, candidate: &Candidate, opts: Options, actor: Actor) -> Result<Declared, LinkError> {
        let p = self.prepare(owner, candidate).await?;
        if let Some(held) = already_held(&mut *self.pool.acquire().await?, &p).await? {
            return Ok(held);
        }
        if !p.warnings.is_empty() && !opts.acknowledge_warnings {
            return Err(LinkError::Unacknowledged { warnings: p.warnings });
        }
        let result = super::retry::transient(|| async {
            let mut tx = self.pool.begin().await?;
            let declared = write(&mut tx, &p, opts, actor).await?;
            tx.commit().await?;
            Ok(declared)
        })
        .await;
        match result {
            Ok(declared) => Ok(declared),
            Err(e) => Err(self.explain_conflict(e, &p).await),
        }
    }

    /// A unique violation on the external id means another entity won a concurrent race:
    /// report who holds it, as the up-front check would have.
    async fn explain_conflict(&self, e: LinkError, p: &Prepared) -> LinkError {
        let external_key = matches!(&e, LinkError::Store(sqlx::Error::Database(d)) if d.constraint().is_some_and(|c| c.ends_with("_external_key")));
        if !external_key {
            return e;
        }
        let Ok(mut conn) = self.pool.acquire().await else { return e };
        match link_ops::holder(&mut conn, p.table, p.connection_id, &p.external_id).await {
            Ok(Some((holder_id, holder, link_id))) => LinkError::Conflict { what: p.what.clone(), holder, holder_id, link_id },
            _ => e,
        }
    }
}

fn non_empty<'a>(field: &'static str, value: &'a str) -> Result<&'a str, LinkError> {
    let v = value.trim();
    if v.is_empty() {
        return Err(LinkError::Invalid { field, message: "must not be empty".into() });
    }
    if v.len() > 255 {
        return Err(LinkError::Invalid { field, message: format!("is {} characters long; at most 255", v.len()) });
    }
    Ok(v)
}

/// The owner's own live link to this external entity, as a declaration that changed nothing.
async fn already_held(conn: &mut PgConnection, p: &Prepared) -> Result<Option<Declared>, LinkError> {
    let Some((holder_id, _, link_id)) = link_ops::holder(&mut *conn, p.table, p.connection_id, &p.external_id).await? else { return Ok(None) };
    if holder_id != p.owner_id {
        return Ok(None);
    }
    let row = link_ops::snapshot(conn, p.table, link_id).await?;
    Ok(Some(Declared { link_id, is_primary: row["is_primary"].as_bool().unwrap_or(false), warnings: Vec::new(), existing: true, pending: row["pending"].as_bool().unwrap_or(false) }))
}

async fn write(tx: &mut PgConnection, p: &Prepared, opts: Options, actor: Actor) -> Result<Declared, LinkError> {
    link_ops::lock_owner(tx, p.table, p.owner_id).await?;
    if let Some(held) = already_held(tx, p).await? {
        return Ok(held);
    }
    if let Some((holder_id, holder, link_id)) = link_ops::holder(tx, p.table, p.connection_id, &p.external_id).await? {
        return Err(LinkError::Conflict { what: p.what.clone(), holder, holder_id, link_id });
    }
    let first = link_ops::live_count(tx, p.table, p.owner_id, &p.platform).await? == 0;
    let active = opts.active.unwrap_or(true) && !opts.pending;
    let is_primary = active && (first || opts.is_primary == Some(true));
    let demoted = if is_primary && !first { link_ops::demote_primary(tx, p.table, p.owner_id, &p.platform).await? } else { None };
    let meta = LinkMeta { connection_id: p.connection_id, linked_by: actor.person_id, is_primary, active };
    let link_id = match &p.row {
        Row::Jira { key, name, url, total_issues } => {
            let row = rows::NewJiraProjectLink { project_id: p.owner_id, jira_project_id: &p.external_id, key, name, url: url.clone(), total_issues: *total_issues };
            rows::insert_jira_project_link(&mut *tx, &row, &meta).await?
        }
        Row::Repo { workspace, slug, name, url, default_branch, last_commit } => {
            let row = rows::NewRepositoryLink { project_id: p.owner_id, platform: &p.platform, external_id: &p.external_id, workspace: Some(workspace), slug, name, url: url.clone(), default_branch: default_branch.as_deref(), last_commit: *last_commit };
            rows::insert_repository_link(&mut *tx, &row, &meta).await?
        }
        Row::Account { username, display_name, email } => {
            let row = rows::NewAccountLink { person_id: p.owner_id, platform: &p.platform, external_id: &p.external_id, username: username.as_deref(), display_name: display_name.as_deref(), email: email.as_deref() };
            rows::insert_account_link(&mut *tx, &row, &meta).await?
        }
    };
    let (entity_type, entity_id) = entity(p);
    if let Some(old) = demoted {
        audit::record(tx, NewEntry { actor_id: actor.person_id, action: "link.demote", entity_type, entity_id: entity_id.clone(), link_id: Some(old), source: actor.source.as_str(), before: Some(json!({"isPrimary": true})), after: Some(json!({"isPrimary": false})) }).await?;
    }
    let after = link_ops::snapshot(tx, p.table, link_id).await?;
    let mut after_with_context = after;
    after_with_context["connection"] = json!(p.connection_name);
    if !p.warnings.is_empty() {
        after_with_context["acknowledgedWarnings"] = json!(p.warnings);
    }
    audit::record(tx, NewEntry { actor_id: actor.person_id, action: "link.create", entity_type, entity_id: entity_id.clone(), link_id: Some(link_id), source: actor.source.as_str(), before: None, after: Some(after_with_context) }).await?;
    if opts.pending && matches!(p.table, LinkTable::Accounts) {
        let after = crate::store::pending::mark(tx, link_id).await?;
        audit::record(tx, NewEntry { actor_id: actor.person_id, action: "link.pending", entity_type, entity_id, link_id: Some(link_id), source: actor.source.as_str(), before: Some(json!({"pending": false})), after: Some(after) }).await?;
    }
    let pending = opts.pending && matches!(p.table, LinkTable::Accounts);
    Ok(Declared { link_id, is_primary, warnings: p.warnings.clone(), existing: false, pending })
}

fn entity(p: &Prepared) -> (&'static str, String) {
    match p.table {
        LinkTable::Accounts => ("person", p.owner_id.to_string()),
        _ => ("project", p.owner_label.clone()),
    }
}
