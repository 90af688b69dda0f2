//! What synced, read back: the lists of a project's or a person's issues, worklogs, commits and
//! pull requests (each row with its provenance and upstream URL, newest first, paged by an
//! opaque cursor), their CSV form, and the weekly summary. Only rows that came in through
//! confirmed links exist, so everything here is link-attributed by construction.

pub mod csv_rows;
pub mod cursor;
pub mod params;

use crate::domain::activity::{
    item_url, ActivityKind, ActivityPage, ActivitySummary, CommitRow, IssueRow, Provenance, PullRequestRow, WeeklyCode, WeeklyHours, WorklogRow,
};
use crate::store::activity::{self as store, ListFilter, Subject};
use chrono::{DateTime, Utc};
use sqlx::PgPool;

#[derive(Debug, thiserror::Error)]
pub enum ActivityError {
    #[error("{field}: {message}")]
    Invalid { field: &'static str, message: String },
    #[error(transparent)]
    Store(#[from] sqlx::Error),
}

/// Cuts `records` (fetched one past `limit`) to a page with the cursor of its last row.
fn page<R, T>(mut records: Vec<R>, limit: i64, position: impl Fn(&R) -> (DateTime<Utc>, i64), row: impl Fn(R) -> T) -> ActivityPage<T> {
    let more = records.len() as i64 > limit;
    records.truncate(limit.max(0) as usize);
    let next_cursor = more.then(|| records.last().map(|r| cursor::encode(position(r)))).flatten();
    ActivityPage { items: records.into_iter().map(row).collect(), next_cursor }
}

fn one_more(f: &ListFilter) -> ListFilter {
    ListFilter { limit: f.limit + 1, ..f.clone() }
}

pub async fn issues(pool: &PgPool, f: &ListFilter) -> Result<ActivityPage<IssueRow>, ActivityError> {
    let records = store::issues(pool, &one_more(f)).await?;
    Ok(page(records, f.limit, |r| (r.created, r.id), |r| IssueRow {
        provenance: Provenance {
            url: item_url("jira", &r.base_url, ActivityKind::Issues, &r.issue_key),
            external_id: r.jira_issue_id,
            link_id: r.link_id,
            connection_id: r.connection_id,
            synced_at: r.last_synced,
            deleted_at: r.deleted_at,
        },
        key: r.issue_key,
        summary: r.summary,
        status: r.status,
        status_category: r.status_category,
        issue_type: r.issue_type,
        project_key: r.project_key,
        assignee_person_id: r.assignee_person_id,
        assignee_name: r.assignee_name,
        created: r.created,
        updated: r.updated,
        resolved: r.resolved_at,
    }))
}

pub async fn worklogs(pool: &PgPool, f: &ListFilter) -> Result<ActivityPage<WorklogRow>, ActivityError> {
    let records = store::worklogs(pool, &one_more(f)).await?;
    Ok(page(records, f.limit, |r| (r.started, r.id), |r| {
        let issue = r.issue_key.clone().unwrap_or_else(|| r.jira_issue_id.clone());
        WorklogRow {
            provenance: Provenance {
                url: format!("{}?focusedWorklogId={}", item_url("jira", &r.base_url, ActivityKind::Worklogs, &issue), r.jira_worklog_id),
                external_id: r.jira_worklog_id,
                link_id: r.link_id,
                connection_id: r.connection_id,
                synced_at: r.last_synced,
                deleted_at: r.deleted_at,
            },
            issue_key: r.issue_key,
            project_key: r.project_key,
            person_id: r.person_id,
            person_name: r.person_name,
            started: r.started,
            seconds: r.seconds,
        }
    }))
}

pub async fn commits(pool: &PgPool, f: &ListFilter) -> Result<ActivityPage<CommitRow>, ActivityError> {
    let records = store::commits(pool, &one_more(f)).await?;
    Ok(page(records, f.limit, |r| (r.committed_at, r.id), |r| CommitRow {
        provenance: Provenance {
            url: item_url(&r.platform, &r.repo_url, ActivityKind::Commits, &r.sha),
            external_id: r.sha.clone(),
            link_id: r.link_id,
            connection_id: r.connection_id,
            synced_at: r.last_synced,
            deleted_at: None,
        },
        sha: r.sha,
        message: r.message,
        repository: r.repository,
        project_key: r.project_key,
        person_id: r.person_id,
        author_name: r.author_name,
        committed_at: r.committed_at,
    }))
}

pub async fn pull_requests(pool: &PgPool, f: &ListFilter) -> Result<ActivityPage<PullRequestRow>, ActivityError> {
    let records = store::pull_requests(pool, &one_more(f)).await?;
    Ok(page(records, f.limit, |r| (r.created, r.id), |r| PullRequestRow {
        provenance: Provenance {
            url: item_url(&r.platform, &r.repo_url, ActivityKind::PullRequests, &r.number.to_string()),
            external_id: r.number.to_string(),
            link_id: r.link_id,
            connection_id: r.connection_id,
            synced_at: r.last_synced,
            deleted_at: r.deleted_at,
        },
        number: r.number,
        title: r.title,
        state: r.state,
        repository: r.repository,
        project_key: r.project_key,
        person_id: r.person_id,
        source_branch: r.source_branch,
        created: r.created,
        updated: r.updated,
        merged: r.merged_at,
    }))
}

/// The period's counts and weekly series, all computed in SQL.
pub async fn summary(pool: &PgPool, subject: Subject, from: DateTime<Utc>, to: DateTime<Utc>) -> Result<ActivitySummary, ActivityError> {
    let issues = store::issue_counts(pool, subject, from, to).await?;
    let hours = store::weekly_hours(pool, subject, from, to).await?.into_iter().map(|h| WeeklyHours { week: h.week, series: h.series, hours: (h.hours * 100.0).round() / 100.0 }).collect();
    let code = store::weekly_code(pool, subject, from, to)
        .await?
        .into_iter()
        .map(|c| WeeklyCode { week: c.week, commits: c.commits, pull_requests_opened: c.opened, pull_requests_merged: c.merged })
        .collect();
    let median_hours_to_merge = store::median_hours_to_merge(pool, subject, from, to).await?.map(|h| (h * 10.0).round() / 10.0);
    Ok(ActivitySummary { from, to, issues_opened: issues.opened, issues_resolved: issues.resolved, issues_open_now: issues.open_now, hours, code, median_hours_to_merge })
}
