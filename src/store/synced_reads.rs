//! Reads of synced data for the UI: a project's latest issues and commits.

use crate::domain::synced::{RecentCommit, RecentIssue};
use sqlx::PgPool;
use uuid::Uuid;

pub async fn recent_issues(pool: &PgPool, project_id: Uuid, limit: i64) -> Result<Vec<RecentIssue>, sqlx::Error> {
    sqlx::query_as!(
        RecentIssue,
        r#"
        select issue_key, summary, status, updated
        from issues
        where velocity_project_id = $1 and deleted_at is null
        order by updated desc, id desc
        limit $2
        "#,
        project_id,
        limit
    )
    .fetch_all(pool)
    .await
}

pub async fn recent_commits(pool: &PgPool, project_id: Uuid, limit: i64) -> Result<Vec<RecentCommit>, sqlx::Error> {
    sqlx::query_as!(
        RecentCommit,
        r#"
        select sha, message, author_name, committed_at
        from commits
        where velocity_project_id = $1
        order by committed_at desc, id desc
        limit $2
        "#,
        project_id,
        limit
    )
    .fetch_all(pool)
    .await
}
