//! Inserting link rows. The rules around a write (verification, conflicts, primary hand-over,
//! audit) belong to the links service; the database enforces uniqueness on its own.

use sqlx::PgExecutor;
use uuid::Uuid;

/// Fields every link kind shares.
pub struct LinkMeta {
    pub connection_id: Uuid,
    pub linked_by: Option<Uuid>,
    pub is_primary: bool,
    pub active: bool,
}

pub struct NewJiraProjectLink<'a> {
    pub project_id: Uuid,
    pub jira_project_id: &'a str,
    pub key: &'a str,
    pub name: &'a str,
    pub url: String,
    /// As the look-up counted them; the first sync counts its own.
    pub total_issues: Option<i32>,
}

pub async fn insert_jira_project_link<'e>(db: impl PgExecutor<'e>, l: &NewJiraProjectLink<'_>, m: &LinkMeta) -> Result<Uuid, sqlx::Error> {
    sqlx::query_scalar!(
        r#"
        insert into jira_project_links
            (project_id, connection_id, jira_project_id, key, name, url, linked_by, is_primary, active, total_issues)
        values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
        returning id
        "#,
        l.project_id,
        m.connection_id,
        l.jira_project_id,
        l.key,
        l.name,
        l.url,
        m.linked_by,
        m.is_primary,
        m.active,
        l.total_issues
    )
    .fetch_one(db)
    .await
}

pub struct NewRepositoryLink<'a> {
    pub project_id: Uuid,
    pub platform: &'a str,
    pub external_id: &'a str,
    pub workspace: Option<&'a str>,
    pub slug: &'a str,
    pub name: &'a str,
    pub url: String,
    /// As the look-up saw them; the first sync sets its own.
    pub default_branch: Option<&'a str>,
    pub last_commit: Option<chrono::DateTime<chrono::Utc>>,
}

pub async fn insert_repository_link<'e>(db: impl PgExecutor<'e>, l: &NewRepositoryLink<'_>, m: &LinkMeta) -> Result<Uuid, sqlx::Error> {
    sqlx::query_scalar!(
        r#"
        insert into repository_links
            (project_id, connection_id, platform, external_id, workspace, slug, name, url, linked_by, is_primary, active, default_branch, last_commit)
        values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
        returning id
        "#,
        l.project_id,
        m.connection_id,
        l.platform,
        l.external_id,
        l.workspace,
        l.slug,
        l.name,
        l.url,
        m.linked_by,
        m.is_primary,
        m.active,
        l.default_branch,
        l.last_commit
    )
    .fetch_one(db)
    .await
}

pub struct NewAccountLink<'a> {
    pub person_id: Uuid,
    pub platform: &'a str,
    pub external_id: &'a str,
    pub username: Option<&'a str>,
    pub display_name: Option<&'a str>,
    pub email: Option<&'a str>,
}

pub async fn insert_account_link<'e>(db: impl PgExecutor<'e>, l: &NewAccountLink<'_>, m: &LinkMeta) -> Result<Uuid, sqlx::Error> {
    sqlx::query_scalar!(
        r#"
        insert into external_account_links
            (person_id, connection_id, platform, external_id, username, display_name, email, linked_by, is_primary, active)
        values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
        returning id
        "#,
        l.person_id,
        m.connection_id,
        l.platform,
        l.external_id,
        l.username,
        l.display_name,
        l.email,
        m.linked_by,
        m.is_primary,
        m.active
    )
    .fetch_one(db)
    .await
}
