//! Upserts of synced data (issues, worklogs, commits, pull requests), keyed on the external id.
//! A row is written only when something in it changed, and the functions return the rows
//! actually written, so a second sync of unchanged upstream data reports 0. Batches go in as
//! arrays through `unnest` (one statement per 1,000 rows); these queries are checked at run time
//! because the compile-time checker cannot type arrays of nullable text.

use chrono::{DateTime, Utc};
use sqlx::PgPool;
use uuid::Uuid;

const BATCH: usize = 1_000;

#[derive(Debug, Clone, PartialEq)]
pub struct IssueRow {
    pub jira_issue_id: String,
    pub issue_key: String,
    pub jira_project_id: String,
    pub summary: String,
    pub status: String,
    pub status_category: String,
    pub issue_type: Option<String>,
    pub assignee_account_id: Option<String>,
    pub created: DateTime<Utc>,
    pub updated: DateTime<Utc>,
    pub resolved_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct WorklogRow {
    pub jira_worklog_id: String,
    pub jira_issue_id: String,
    pub jira_account_id: String,
    pub started: DateTime<Utc>,
    pub time_spent_seconds: i32,
    pub updated: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct CommitRow {
    pub sha: String,
    pub author_account_id: Option<String>,
    pub author_name: Option<String>,
    pub author_email: Option<String>,
    pub message: String,
    pub committed_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct PullRow {
    pub number: i64,
    pub author_account_id: Option<String>,
    pub title: String,
    pub source_branch: Option<String>,
    pub state: String,
    pub created: DateTime<Utc>,
    pub updated: DateTime<Utc>,
    pub merged_at: Option<DateTime<Utc>>,
}

/// Where rows came from: the connection, the Velocity entity and the link.
#[derive(Debug, Clone, Copy)]
pub struct Origin {
    pub connection_id: Uuid,
    pub entity_id: Uuid,
    pub link_id: Uuid,
}

pub async fn upsert_issues(
    pool: &PgPool,
    o: Origin,
    rows: &[IssueRow],
) -> Result<u64, sqlx::Error> {
    let mut written = 0;
    for chunk in rows.chunks(BATCH) {
        let col = |f: fn(&IssueRow) -> String| chunk.iter().map(f).collect::<Vec<_>>();
        written += sqlx::query(
            r#"
            insert into issues (connection_id, velocity_project_id, jira_project_link_id, jira_issue_id, issue_key, jira_project_id,
                                summary, status, status_category, issue_type, assignee_account_id, created, updated, resolved_at)
            select $1, $2, $3, u.* from unnest($4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[],
                                                $11::text[], $12::timestamptz[], $13::timestamptz[], $14::timestamptz[])
                as u(jira_issue_id, issue_key, jira_project_id, summary, status, status_category, issue_type, assignee_account_id, created, updated,
                     resolved_at)
            on conflict (connection_id, jira_issue_id) do update set
                velocity_project_id = excluded.velocity_project_id, jira_project_link_id = excluded.jira_project_link_id,
                issue_key = excluded.issue_key, jira_project_id = excluded.jira_project_id, summary = excluded.summary,
                status = excluded.status, status_category = excluded.status_category, issue_type = excluded.issue_type,
                assignee_account_id = excluded.assignee_account_id, created = excluded.created, updated = excluded.updated,
                resolved_at = excluded.resolved_at, deleted_at = null
            where (issues.velocity_project_id, issues.jira_project_link_id, issues.issue_key, issues.jira_project_id, issues.summary,
                   issues.status, issues.status_category, issues.issue_type, issues.assignee_account_id, issues.created, issues.updated,
                   issues.resolved_at, issues.deleted_at)
                is distinct from
                  (excluded.velocity_project_id, excluded.jira_project_link_id, excluded.issue_key, excluded.jira_project_id, excluded.summary,
                   excluded.status, excluded.status_category, excluded.issue_type, excluded.assignee_account_id, excluded.created, excluded.updated,
                   excluded.resolved_at, null::timestamptz)
            "#,
        )
        .bind(o.connection_id)
        .bind(o.entity_id)
        .bind(o.link_id)
        .bind(col(|r| r.jira_issue_id.clone()))
        .bind(col(|r| r.issue_key.clone()))
        .bind(col(|r| r.jira_project_id.clone()))
        .bind(col(|r| r.summary.clone()))
        .bind(col(|r| r.status.clone()))
        .bind(col(|r| r.status_category.clone()))
        .bind(chunk.iter().map(|r| r.issue_type.clone()).collect::<Vec<_>>())
        .bind(chunk.iter().map(|r| r.assignee_account_id.clone()).collect::<Vec<_>>())
        .bind(chunk.iter().map(|r| r.created).collect::<Vec<_>>())
        .bind(chunk.iter().map(|r| r.updated).collect::<Vec<_>>())
        .bind(chunk.iter().map(|r| r.resolved_at).collect::<Vec<_>>())
        .execute(pool)
        .await?
        .rows_affected();
    }
    Ok(written)
}

/// Issues of this link that upstream no longer lists are marked deleted (time seen).
pub async fn soft_delete_missing_issues(
    pool: &PgPool,
    link_id: Uuid,
    present: &[String],
) -> Result<u64, sqlx::Error> {
    Ok(sqlx::query("update issues set deleted_at = now() where jira_project_link_id = $1 and deleted_at is null and not (jira_issue_id = any($2))")
        .bind(link_id)
        .bind(present)
        .execute(pool)
        .await?
        .rows_affected())
}

/// Worklogs: `owners` gives each row's person and account link (same order as `rows`).
pub async fn upsert_worklogs(
    pool: &PgPool,
    connection_id: Uuid,
    rows: &[(WorklogRow, Uuid, Uuid)],
) -> Result<u64, sqlx::Error> {
    let mut written = 0;
    for chunk in rows.chunks(BATCH) {
        let col =
            |f: fn(&WorklogRow) -> String| chunk.iter().map(|(r, _, _)| f(r)).collect::<Vec<_>>();
        written += sqlx::query(
            r#"
            insert into worklogs (connection_id, jira_worklog_id, jira_issue_id, jira_account_id, velocity_person_id, jira_account_link_id,
                                  started, time_spent_seconds, updated)
            select $1, u.* from unnest($2::text[], $3::text[], $4::text[], $5::uuid[], $6::uuid[], $7::timestamptz[], $8::int[], $9::timestamptz[])
                as u(jira_worklog_id, jira_issue_id, jira_account_id, velocity_person_id, jira_account_link_id, started, time_spent_seconds, updated)
            on conflict (connection_id, jira_worklog_id) do update set
                jira_issue_id = excluded.jira_issue_id, jira_account_id = excluded.jira_account_id,
                velocity_person_id = excluded.velocity_person_id, jira_account_link_id = excluded.jira_account_link_id,
                started = excluded.started, time_spent_seconds = excluded.time_spent_seconds, updated = excluded.updated, deleted_at = null
            where (worklogs.jira_issue_id, worklogs.jira_account_id, worklogs.velocity_person_id, worklogs.jira_account_link_id,
                   worklogs.started, worklogs.time_spent_seconds, worklogs.updated, worklogs.deleted_at)
                is distinct from
                  (excluded.jira_issue_id, excluded.jira_account_id, excluded.velocity_person_id, excluded.jira_account_link_id,
                   excluded.started, excluded.time_spent_seconds, excluded.updated, null::timestamptz)
            "#,
        )
        .bind(connection_id)
        .bind(col(|r| r.jira_worklog_id.clone()))
        .bind(col(|r| r.jira_issue_id.clone()))
        .bind(col(|r| r.jira_account_id.clone()))
        .bind(chunk.iter().map(|(_, p, _)| *p).collect::<Vec<_>>())
        .bind(chunk.iter().map(|(_, _, l)| *l).collect::<Vec<_>>())
        .bind(chunk.iter().map(|(r, _, _)| r.started).collect::<Vec<_>>())
        .bind(chunk.iter().map(|(r, _, _)| r.time_spent_seconds).collect::<Vec<_>>())
        .bind(chunk.iter().map(|(r, _, _)| r.updated).collect::<Vec<_>>())
        .execute(pool)
        .await?
        .rows_affected();
    }
    Ok(written)
}

/// Worklogs upstream reports deleted are marked deleted (time seen).
pub async fn soft_delete_worklogs(
    pool: &PgPool,
    connection_id: Uuid,
    ids: &[String],
) -> Result<u64, sqlx::Error> {
    Ok(sqlx::query("update worklogs set deleted_at = now() where connection_id = $1 and deleted_at is null and jira_worklog_id = any($2)")
        .bind(connection_id)
        .bind(ids)
        .execute(pool)
        .await?
        .rows_affected())
}

/// Who a commit is attributed to, and the commit identity (e-mail) link it came by; `identity`
/// is `None` when the author's linked git-host account decided it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Attribution {
    pub person: Option<Uuid>,
    pub identity: Option<Uuid>,
}

/// Commits of one repository link, each with its attribution.
pub async fn upsert_commits(
    pool: &PgPool,
    o: Origin,
    repo_external_id: &str,
    rows: &[(CommitRow, Attribution)],
) -> Result<u64, sqlx::Error> {
    let mut written = 0;
    for chunk in rows.chunks(BATCH) {
        let opt = |f: fn(&CommitRow) -> Option<String>| {
            chunk.iter().map(|(r, _)| f(r)).collect::<Vec<_>>()
        };
        written += sqlx::query(
            r#"
            insert into commits (connection_id, velocity_project_id, repository_link_id, repo_external_id, sha, velocity_person_id,
                                 commit_identity_link_id, author_account_id, author_name, author_email, message, committed_at)
            select $1, $2, $3, $4, u.* from unnest($5::text[], $6::uuid[], $7::uuid[], $8::text[], $9::text[], $10::text[], $11::text[], $12::timestamptz[])
                as u(sha, velocity_person_id, commit_identity_link_id, author_account_id, author_name, author_email, message, committed_at)
            on conflict (connection_id, repo_external_id, sha) do update set
                velocity_project_id = excluded.velocity_project_id, repository_link_id = excluded.repository_link_id,
                velocity_person_id = excluded.velocity_person_id, commit_identity_link_id = excluded.commit_identity_link_id,
                author_account_id = excluded.author_account_id,
                author_name = excluded.author_name, author_email = excluded.author_email, message = excluded.message,
                committed_at = excluded.committed_at
            where (commits.velocity_project_id, commits.repository_link_id, commits.velocity_person_id, commits.commit_identity_link_id,
                   commits.author_account_id, commits.author_name, commits.author_email, commits.message, commits.committed_at)
                is distinct from
                  (excluded.velocity_project_id, excluded.repository_link_id, excluded.velocity_person_id, excluded.commit_identity_link_id,
                   excluded.author_account_id, excluded.author_name, excluded.author_email, excluded.message, excluded.committed_at)
            "#,
        )
        .bind(o.connection_id)
        .bind(o.entity_id)
        .bind(o.link_id)
        .bind(repo_external_id)
        .bind(chunk.iter().map(|(r, _)| r.sha.clone()).collect::<Vec<_>>())
        .bind(chunk.iter().map(|(_, a)| a.person).collect::<Vec<_>>())
        .bind(chunk.iter().map(|(_, a)| a.identity).collect::<Vec<_>>())
        .bind(opt(|r| r.author_account_id.clone()))
        .bind(opt(|r| r.author_name.clone()))
        .bind(opt(|r| r.author_email.clone()))
        .bind(chunk.iter().map(|(r, _)| r.message.clone()).collect::<Vec<_>>())
        .bind(chunk.iter().map(|(r, _)| r.committed_at).collect::<Vec<_>>())
        .execute(pool)
        .await?
        .rows_affected();
    }
    Ok(written)
}

pub async fn upsert_pulls(
    pool: &PgPool,
    o: Origin,
    repo_external_id: &str,
    rows: &[(PullRow, Option<Uuid>)],
) -> Result<u64, sqlx::Error> {
    let mut written = 0;
    for chunk in rows.chunks(BATCH) {
        let opt =
            |f: fn(&PullRow) -> Option<String>| chunk.iter().map(|(r, _)| f(r)).collect::<Vec<_>>();
        written += sqlx::query(
            r#"
            insert into pull_requests (connection_id, velocity_project_id, repository_link_id, repo_external_id, number, velocity_person_id,
                                       author_account_id, title, source_branch, state, created, updated, merged_at)
            select $1, $2, $3, $4, u.* from unnest($5::bigint[], $6::uuid[], $7::text[], $8::text[], $9::text[], $10::text[],
                                                   $11::timestamptz[], $12::timestamptz[], $13::timestamptz[])
                as u(number, velocity_person_id, author_account_id, title, source_branch, state, created, updated, merged_at)
            on conflict (connection_id, repo_external_id, number) do update set
                velocity_project_id = excluded.velocity_project_id, repository_link_id = excluded.repository_link_id,
                velocity_person_id = excluded.velocity_person_id, author_account_id = excluded.author_account_id,
                title = excluded.title, source_branch = excluded.source_branch, state = excluded.state,
                created = excluded.created, updated = excluded.updated, merged_at = excluded.merged_at, deleted_at = null
            where (pull_requests.velocity_project_id, pull_requests.repository_link_id, pull_requests.velocity_person_id,
                   pull_requests.author_account_id, pull_requests.title, pull_requests.source_branch, pull_requests.state,
                   pull_requests.created, pull_requests.updated, pull_requests.merged_at, pull_requests.deleted_at)
                is distinct from
                  (excluded.velocity_project_id, excluded.repository_link_id, excluded.velocity_person_id,
                   excluded.author_account_id, excluded.title, excluded.source_branch, excluded.state,
                   excluded.created, excluded.updated, excluded.merged_at, null::timestamptz)
            "#,
        )
        .bind(o.connection_id)
        .bind(o.entity_id)
        .bind(o.link_id)
        .bind(repo_external_id)
        .bind(chunk.iter().map(|(r, _)| r.number).collect::<Vec<_>>())
        .bind(chunk.iter().map(|(_, p)| *p).collect::<Vec<_>>())
        .bind(opt(|r| r.author_account_id.clone()))
        .bind(chunk.iter().map(|(r, _)| r.title.clone()).collect::<Vec<_>>())
        .bind(opt(|r| r.source_branch.clone()))
        .bind(chunk.iter().map(|(r, _)| r.state.clone()).collect::<Vec<_>>())
        .bind(chunk.iter().map(|(r, _)| r.created).collect::<Vec<_>>())
        .bind(chunk.iter().map(|(r, _)| r.updated).collect::<Vec<_>>())
        .bind(chunk.iter().map(|(r, _)| r.merged_at).collect::<Vec<_>>())
        .execute(pool)
        .await?
        .rows_affected();
    }
    Ok(written)
}

/// Pull requests of this link that upstream no longer lists are marked deleted (time seen).
pub async fn soft_delete_missing_pulls(
    pool: &PgPool,
    link_id: Uuid,
    present: &[i64],
) -> Result<u64, sqlx::Error> {
    Ok(sqlx::query("update pull_requests set deleted_at = now() where repository_link_id = $1 and deleted_at is null and not (number = any($2))")
        .bind(link_id)
        .bind(present)
        .execute(pool)
        .await?
        .rows_affected())
}

/// A hash of every live synced row, with our own ids (serials, entity and link uuids,
/// timestamps we set) replaced by natural keys, so two databases synced from the same upstream
/// state hash equal.
pub async fn content_hash(pool: &PgPool) -> Result<String, sqlx::Error> {
    sqlx::query_scalar(
        r#"
        select md5(coalesce(string_agg(r, E'\n' order by r), '')) from (
            select concat_ws('|', 'issue', c.kind, c.name, i.jira_issue_id, i.issue_key, i.jira_project_id, p.key, l.jira_project_id,
                             i.summary, i.status, i.status_category, i.issue_type, i.assignee_account_id, i.created, i.updated,
                             coalesce(i.resolved_at::text, '-')) as r
            from issues i join connections c on c.id = i.connection_id join projects p on p.id = i.velocity_project_id
                join jira_project_links l on l.id = i.jira_project_link_id
            where i.deleted_at is null
            union all
            select concat_ws('|', 'worklog', c.kind, c.name, w.jira_worklog_id, w.jira_issue_id, w.jira_account_id, pe.email, l.external_id,
                             w.started, w.time_spent_seconds, w.updated)
            from worklogs w join connections c on c.id = w.connection_id join persons pe on pe.id = w.velocity_person_id
                join external_account_links l on l.id = w.jira_account_link_id
            where w.deleted_at is null
            union all
            select concat_ws('|', 'commit', c.kind, c.name, m.repo_external_id, m.sha, p.key, l.external_id, pe.email,
                             m.author_account_id, m.author_name, m.author_email, m.message, m.committed_at)
            from commits m join connections c on c.id = m.connection_id join projects p on p.id = m.velocity_project_id
                join repository_links l on l.id = m.repository_link_id left join persons pe on pe.id = m.velocity_person_id
            union all
            select concat_ws('|', 'pull', c.kind, c.name, m.repo_external_id, m.number, p.key, l.external_id, pe.email,
                             m.author_account_id, m.title, m.source_branch, m.state, m.created, m.updated,
                             coalesce(m.merged_at::text, '-'))
            from pull_requests m join connections c on c.id = m.connection_id join projects p on p.id = m.velocity_project_id
                join repository_links l on l.id = m.repository_link_id left join persons pe on pe.id = m.velocity_person_id
            where m.deleted_at is null
        ) t
        "#,
    )
    .fetch_one(pool)
    .await
}
