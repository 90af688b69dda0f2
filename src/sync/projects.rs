//! The project side of a run: one Jira project link (issues) or one repository link (commits,
//! pull requests), incremental from the link's cursors unless the pass is full.

use super::engine::Ctx;
use super::http::Upstream;
use super::repo::Window;
use super::report::RunReport;
use super::{bitbucket, github, gitlab, jira, SyncError};
use crate::store::cursors;
use crate::store::sync_links::{self, SyncLink};
use crate::store::synced::{self, Origin};
use chrono::{DateTime, Duration, Utc};
use std::collections::HashMap;
use uuid::Uuid;

/// JQL compares by the minute and search is eventually consistent: look this far back.
const JIRA_OVERLAP: Duration = Duration::minutes(2);
/// Commits arrive with their own (older) dates and pull requests update concurrently.
const GIT_OVERLAP: Duration = Duration::hours(1);

/// One row per key, the last one read: offset pages shift when upstream changes during a
/// listing, and one upsert statement may not touch a row twice.
fn last_per_key<T, K: std::hash::Hash + Eq>(rows: Vec<T>, key: impl Fn(&T) -> K) -> Vec<T> {
    let mut at: HashMap<K, usize> = HashMap::new();
    let mut out: Vec<T> = Vec::with_capacity(rows.len());
    for row in rows {
        match at.get(&key(&row)) {
            Some(&i) => out[i] = row,
            None => {
                at.insert(key(&row), out.len());
                out.push(row);
            }
        }
    }
    out
}

fn origin(link: &SyncLink) -> Origin {
    Origin {
        connection_id: link.connection_id,
        entity_id: link.owner_id,
        link_id: link.id,
    }
}

/// Moves a time cursor forward only (a pass that saw nothing newer leaves it).
async fn advance(
    ctx: &Ctx<'_>,
    link: Uuid,
    stream: &str,
    newest: Option<DateTime<Utc>>,
) -> Result<(), SyncError> {
    let old = ctx.cursor_time(link, stream);
    if let Some(t) = newest.filter(|t| old.is_none_or(|o| *t > o)) {
        cursors::set(ctx.pool, link, stream, &t.to_rfc3339()).await?;
    }
    Ok(())
}

pub async fn sync_jira_project(
    ctx: &Ctx<'_>,
    up: &Upstream,
    link: &SyncLink,
    report: &mut RunReport,
) -> Result<(), SyncError> {
    let since = ctx.cursor_time(link.id, "issues");
    let jql_since = since.map(|t| (t - JIRA_OVERLAP).format("%Y/%m/%d %H:%M").to_string());
    let rows = last_per_key(
        jira::issues(up, &link.external_id, jql_since.as_deref()).await?,
        |r| r.jira_issue_id.clone(),
    );
    let written = synced::upsert_issues(ctx.pool, origin(link), &rows).await?;
    // A full listing shows what is gone; an incremental one lists the ids when reconciling.
    let reconcile = since.is_none() || ctx.reconcile_due(link.id);
    let present = match (since, reconcile) {
        (None, _) => Some(
            rows.iter()
                .map(|r| r.jira_issue_id.clone())
                .collect::<Vec<_>>(),
        ),
        (Some(_), true) => Some(jira::issue_ids(up, &link.external_id).await?),
        (Some(_), false) => None,
    };
    let deleted = match &present {
        Some(ids) => synced::soft_delete_missing_issues(ctx.pool, link.id, ids).await?,
        None => 0,
    };
    report.add("issues", rows.len(), written, deleted);
    advance(ctx, link.id, "issues", rows.iter().map(|r| r.updated).max()).await?;
    if reconcile {
        cursors::set(ctx.pool, link.id, "reconciled", &ctx.now.to_rfc3339()).await?;
    }
    sync_links::jira_link_synced(ctx.pool, link.id, Utc::now()).await?;
    Ok(())
}

pub async fn sync_repository(
    ctx: &Ctx<'_>,
    up: &Upstream,
    link: &SyncLink,
    people: &HashMap<String, Uuid>,
    report: &mut RunReport,
) -> Result<(), SyncError> {
    let reconcile = ctx.reconcile_due(link.id);
    let window = Window {
        // Reconciliation also rereads commits: one that lands with an older date (a fast-forwarded
        // branch) would otherwise stay behind the cursor until a full pass.
        commits_since: if reconcile {
            None
        } else {
            ctx.cursor_time(link.id, "commits").map(|t| t - GIT_OVERLAP)
        },
        pulls_since: if reconcile {
            None
        } else {
            ctx.cursor_time(link.id, "pulls").map(|t| t - GIT_OVERLAP)
        },
    };
    let data = match link.platform.as_str() {
        "github" => github::fetch(up, &link.external_id, window).await?,
        "gitlab" => gitlab::fetch(up, &link.external_id, window).await?,
        "bitbucket" => bitbucket::fetch(up, &link.external_id, window).await?,
        other => {
            return Err(SyncError::NotFound(format!(
                "no connector for platform '{other}'"
            )))
        }
    };
    let Some(data) = data else {
        return Err(SyncError::NotFound(format!(
            "repository {} disappeared during the run",
            link.external_id
        )));
    };
    let person_of =
        |account: &Option<String>| account.as_ref().and_then(|a| people.get(a)).copied();
    let newest_commit = data.commits.iter().map(|c| c.committed_at).max();
    let newest_pull = data.pulls.iter().map(|p| p.updated).max();
    let commits: Vec<_> = last_per_key(data.commits, |c| c.sha.clone())
        .into_iter()
        .map(|c| (person_of(&c.author_account_id), c))
        .map(|(p, c)| (c, p))
        .collect();
    let written =
        synced::upsert_commits(ctx.pool, origin(link), &link.external_id, &commits).await?;
    report.add("commits", commits.len(), written, 0);
    let pulls: Vec<_> = last_per_key(data.pulls, |p| p.number)
        .into_iter()
        .map(|r| (person_of(&r.author_account_id), r))
        .map(|(p, r)| (r, p))
        .collect();
    let written = synced::upsert_pulls(ctx.pool, origin(link), &link.external_id, &pulls).await?;
    let deleted = if window.pulls_since.is_none() {
        let numbers: Vec<i64> = pulls.iter().map(|(r, _)| r.number).collect();
        synced::soft_delete_missing_pulls(ctx.pool, link.id, &numbers).await?
    } else {
        0
    };
    report.add("pullRequests", pulls.len(), written, deleted);
    advance(ctx, link.id, "commits", newest_commit).await?;
    advance(ctx, link.id, "pulls", newest_pull).await?;
    if window.pulls_since.is_none() {
        cursors::set(ctx.pool, link.id, "reconciled", &ctx.now.to_rfc3339()).await?;
    }
    sync_links::repository_link_synced(
        ctx.pool,
        link.id,
        data.default_branch.as_deref(),
        Utc::now(),
    )
    .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn keeps_the_last_row_per_key_in_first_seen_order() {
        let rows = vec![(1, "a"), (2, "b"), (1, "c")];
        assert_eq!(super::last_per_key(rows, |r| r.0), vec![(1, "c"), (2, "b")]);
    }
}
