//! `projects` with their `jira_project_links` and `repository_links`, read as domain `Project`s.

use super::parse_enum;
use crate::domain::{LinkedJiraProject, LinkedRepository, Project};
use sqlx::PgPool;
use std::collections::HashMap;
use uuid::Uuid;

pub async fn insert_project(
    pool: &PgPool,
    key: &str,
    name: &str,
    description: &str,
    lead_person_id: Option<Uuid>,
) -> Result<Uuid, sqlx::Error> {
    sqlx::query_scalar!(
        r#"
        insert into projects (key, name, description, lead_person_id)
        values ($1, $2, $3, $4)
        returning id
        "#,
        key,
        name,
        description,
        lead_person_id
    )
    .fetch_one(pool)
    .await
}

pub async fn project_id_by_key(pool: &PgPool, key: &str) -> Result<Option<Uuid>, sqlx::Error> {
    sqlx::query_scalar!("select id from projects where key = $1", key).fetch_optional(pool).await
}

/// Every project with its links that are not deleted, ordered by key.
pub async fn list_projects(pool: &PgPool) -> Result<Vec<Project>, sqlx::Error> {
    projects(pool, None).await
}

/// One project by its key, with its links that are not deleted.
pub async fn project_by_key(pool: &PgPool, key: &str) -> Result<Option<Project>, sqlx::Error> {
    Ok(projects(pool, Some(key)).await?.pop())
}

async fn projects(pool: &PgPool, key: Option<&str>) -> Result<Vec<Project>, sqlx::Error> {
    let rows = sqlx::query!(
        r#"
        select id, key, name, description, lead_person_id, active
        from projects
        where ($1::text is null or key = $1)
        order by key
        "#,
        key
    )
    .fetch_all(pool)
    .await?;
    let only = if key.is_some() { rows.first().map(|r| r.id) } else { None };
    let mut jira = jira_links_by_project(pool, only).await?;
    let mut repos = repository_links_by_project(pool, only).await?;
    Ok(rows
        .into_iter()
        .map(|r| Project {
            jira_projects: jira.remove(&r.id).unwrap_or_default(),
            repositories: repos.remove(&r.id).unwrap_or_default(),
            id: r.id,
            key: r.key,
            name: r.name,
            description: r.description,
            lead_person_id: r.lead_person_id,
            active: r.active,
        })
        .collect())
}

async fn jira_links_by_project(pool: &PgPool, only: Option<Uuid>) -> Result<HashMap<Uuid, Vec<LinkedJiraProject>>, sqlx::Error> {
    let rows = sqlx::query!(
        r#"
        select id, project_id, connection_id, key, jira_project_id, name, url, linked_at, linked_by,
               is_primary, active, verified, open_issues, total_issues, last_synced
        from jira_project_links
        where deleted_at is null and ($1::uuid is null or project_id = $1)
        order by project_id, linked_at, id
        "#,
        only
    )
    .fetch_all(pool)
    .await?;
    let mut out: HashMap<Uuid, Vec<LinkedJiraProject>> = HashMap::new();
    for r in rows {
        out.entry(r.project_id).or_default().push(LinkedJiraProject {
            id: r.id,
            connection_id: r.connection_id,
            key: r.key,
            jira_project_id: r.jira_project_id,
            name: r.name,
            url: r.url,
            linked_at: r.linked_at,
            linked_by: r.linked_by,
            is_primary: r.is_primary,
            active: r.active,
            verified: r.verified,
            open_issues: r.open_issues,
            total_issues: r.total_issues,
            last_synced: r.last_synced,
        });
    }
    Ok(out)
}

async fn repository_links_by_project(pool: &PgPool, only: Option<Uuid>) -> Result<HashMap<Uuid, Vec<LinkedRepository>>, sqlx::Error> {
    let rows = sqlx::query!(
        r#"
        select id, project_id, connection_id, platform, external_id, workspace, slug, name, url,
               linked_at, linked_by, is_primary, active, verified, last_commit, default_branch, last_synced
        from repository_links
        where deleted_at is null and ($1::uuid is null or project_id = $1)
        order by project_id, platform, linked_at, id
        "#,
        only
    )
    .fetch_all(pool)
    .await?;
    let mut out: HashMap<Uuid, Vec<LinkedRepository>> = HashMap::new();
    for r in rows {
        out.entry(r.project_id).or_default().push(LinkedRepository {
            id: r.id,
            connection_id: r.connection_id,
            platform: parse_enum("platform", &r.platform)?,
            external_id: r.external_id,
            workspace: r.workspace,
            slug: r.slug,
            name: r.name,
            url: r.url,
            linked_at: r.linked_at,
            linked_by: r.linked_by,
            is_primary: r.is_primary,
            active: r.active,
            verified: r.verified,
            last_commit: r.last_commit,
            default_branch: r.default_branch,
            last_synced: r.last_synced,
        });
    }
    Ok(out)
}

/// A project's own columns, without links: what entity writes read, change and audit.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ProjectRecord {
    pub id: Uuid,
    pub key: String,
    pub name: String,
    pub description: String,
    pub lead_person_id: Option<Uuid>,
    pub active: bool,
}

/// Inserts a project inside the caller's transaction; returns its row.
pub async fn create_project(
    tx: &mut sqlx::PgConnection,
    key: &str,
    name: &str,
    description: &str,
    lead_person_id: Option<Uuid>,
) -> Result<ProjectRecord, sqlx::Error> {
    sqlx::query_as!(
        ProjectRecord,
        r#"
        insert into projects (key, name, description, lead_person_id)
        values ($1, $2, $3, $4)
        returning id, key, name, description, lead_person_id, active
        "#,
        key,
        name,
        description,
        lead_person_id
    )
    .fetch_one(tx)
    .await
}

/// The project's row, locked until the transaction ends.
pub async fn lock_project_by_key(tx: &mut sqlx::PgConnection, key: &str) -> Result<Option<ProjectRecord>, sqlx::Error> {
    sqlx::query_as!(
        ProjectRecord,
        "select id, key, name, description, lead_person_id, active from projects where key = $1 for update",
        key
    )
    .fetch_optional(tx)
    .await
}

/// Writes the project's changeable columns and stamps `updated_at`; returns the new row.
pub async fn update_project(tx: &mut sqlx::PgConnection, p: &ProjectRecord) -> Result<ProjectRecord, sqlx::Error> {
    sqlx::query_as!(
        ProjectRecord,
        r#"
        update projects
        set name = $2, description = $3, lead_person_id = $4, active = $5, updated_at = now()
        where id = $1
        returning id, key, name, description, lead_person_id, active
        "#,
        p.id,
        p.name,
        p.description,
        p.lead_person_id,
        p.active
    )
    .fetch_one(tx)
    .await
}

/// Keys of the projects among `keys` that exist already.
pub async fn existing_project_keys(tx: &mut sqlx::PgConnection, keys: &[String]) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar!("select key from projects where key = any($1)", keys).fetch_all(tx).await
}
