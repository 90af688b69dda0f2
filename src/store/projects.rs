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
