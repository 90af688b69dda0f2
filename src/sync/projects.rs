//! The project side of a run: one Jira project link (issues) or one repository link (commits,
//! pull requests), incremental from the link's cursors unless the pass is full.

use super::authors::Authors;
use super::engine::Ctx;
use crate::upstream::client::Upstream;
use super::repo::Window;
use super::report::RunReport;
use super::{bitbucket, github, gitlab, jira, SyncError};
use crate::store::cursors;
use crate::store::sync_links::{self, SyncLink};
use crate::store::synced::{self, IssueRow, Origin};
use chrono::{DateTime, Duration, Utc};
use std::collections::HashMap;
use uuid::Uuid;

/// JQL compares by the minute and search is eventually consistent: look this far back.
const JIRA_OVERLAP: Duration = Duration::minutes(2);
/// Commits arrive with their own (older) dates and pull requests update concurrently.
const GIT_OVERLAP: Duration = Duration::hours(1);
/// Projects named by one batched search (keeps the JQL and its URL short).
const PROJECTS_PER_SEARCH: usize = 50;
/// Projects whose cursors lie within this span share a search: one long-unsynced project would
/// otherwise make the search of every project reread its whole gap.
const CURSOR_SPAN: Duration = Duration::hours(1);

/// A link's issues fetched ahead of its step.
pub type Fetched = Vec<IssueRow>;

/// The incremental issue searches of a run, one per Jira site (per 50 projects, per group of
/// cursors within an hour: `search_groups`) instead of one per linked project, each from the
/// oldest cursor of its group. A link
/// without a cursor (new, renamed, a full pass) is listed whole by its own step, and so is every
/// link of a batch that failed (its error is recorded as retried).
pub async fn changed_issues(
    ctx: &Ctx<'_>,
    upstreams: &HashMap<Uuid, Upstream>,
    todo: &[SyncLink],
    report: &mut RunReport,
) -> HashMap<Uuid, Fetched> {
    let mut out = HashMap::new();
    for (conn_id, up) in upstreams {
        let batched: Vec<(&SyncLink, DateTime<Utc>)> = todo
            .iter()
            .filter(|l| l.kind == "jira" && l.connection_id == *conn_id)
            .filter_map(|l| ctx.cursor_time(l.id, "issues").map(|t| (l, t)))
            .collect();
        for chunk in search_groups(batched) {
            let chunk = chunk.as_slice();
            let Some(oldest) = chunk.iter().map(|(_, t)| *t).min() else {
                continue;
            };
            let since = jql_time(oldest);
            let ids: Vec<String> = chunk.iter().map(|(l, _)| l.external_id.clone()).collect();
            match jira::issues_of_projects(up, &ids, &since).await {
                Ok(rows) => {
                    let mut by_project: HashMap<String, Fetched> = HashMap::new();
                    for row in rows {
                        by_project.entry(row.jira_project_id.clone()).or_default().push(row);
                    }
                    for (link, _) in chunk {
                        out.insert(link.id, by_project.remove(&link.external_id).unwrap_or_default());
                    }
                }
                Err(e) => {
                    tracing::warn!(error = %e, "batched issue search failed; searching per project");
                    report.retried_error(None, &e);
                }
            }
        }
    }
    out
}

/// Links sorted by cursor and cut where a cursor lies more than `CURSOR_SPAN` past its group's
/// oldest, or at `PROJECTS_PER_SEARCH` links: a straggler searches alone, from its own cursor.
fn search_groups<T>(mut links: Vec<(T, DateTime<Utc>)>) -> Vec<Vec<(T, DateTime<Utc>)>> {
    links.sort_by_key(|(_, t)| *t);
    let mut groups: Vec<Vec<(T, DateTime<Utc>)>> = Vec::new();
    for (link, at) in links {
        match groups.last_mut() {
            Some(g) if g.len() < PROJECTS_PER_SEARCH && at - g[0].1 <= CURSOR_SPAN => g.push((link, at)),
            _ => groups.push(vec![(link, at)]),
        }
    }
    groups
}

/// A cursor as a JQL `updated >=` bound, far enough back for JQL's minutes and search lag.
/// Relative ("-N m"), since Jira reads an absolute date in the API user's time zone, which may
/// not be ours: "-90m" means the same instant wherever that user is.
fn jql_time(cursor: DateTime<Utc>) -> String {
    jql_since(cursor, Utc::now())
}

fn jql_since(cursor: DateTime<Utc>, now: DateTime<Utc>) -> String {
    let back = (now - cursor).max(Duration::zero()) + JIRA_OVERLAP;
    // Whole minutes, rounded up so the bound is never later than the cursor less the overlap.
    let minutes = (back.num_seconds() + 59) / 60;
    format!("-{minutes}m")
}

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
    fetched: Option<Fetched>,
    report: &mut RunReport,
) -> Result<(), SyncError> {
    let since = ctx.cursor_time(link.id, "issues");
    let rows = match fetched {
        Some(rows) => rows,
        None => jira::issues(up, &link.external_id, since.map(jql_time).as_deref()).await?,
    };
    let rows = last_per_key(rows, |r| r.jira_issue_id.clone());
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
    // The search saw every change up to the run's start: a quiet project's cursor moves there
    // too, so its next search does not reread everything since its last changed issue.
    advance(ctx, link.id, "issues", rows.iter().map(|r| r.updated).max().max(Some(ctx.now))).await?;
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
    authors: &Authors,
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
    let newest_commit = data.commits.iter().map(|c| c.committed_at).max();
    let newest_pull = data.pulls.iter().map(|p| p.updated).max();
    let commits: Vec<_> = last_per_key(data.commits, |c| c.sha.clone())
        .into_iter()
        .map(|c| {
            let by = authors.commit(&c);
            (c, by)
        })
        .collect();
    let written =
        synced::upsert_commits(ctx.pool, origin(link), &link.external_id, &commits).await?;
    report.add("commits", commits.len(), written, 0);
    let pulls: Vec<_> = last_per_key(data.pulls, |p| p.number)
        .into_iter()
        .map(|r| {
            let by = authors.account(&r.author_account_id);
            (r, by)
        })
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
    fn jql_bounds_are_relative_minutes_reaching_past_the_overlap() {
        use chrono::{Duration, TimeZone, Utc};
        let now = Utc.with_ymd_and_hms(2026, 1, 1, 12, 0, 0).unwrap();
        assert_eq!(super::jql_since(now - Duration::minutes(30), now), "-32m");
        assert_eq!(super::jql_since(now - Duration::seconds(61), now), "-4m");
        // A cursor ahead of our clock (upstream's clock is ahead) still looks back the overlap.
        assert_eq!(super::jql_since(now + Duration::minutes(5), now), "-2m");
    }

    #[test]
    fn a_straggler_searches_alone_and_close_cursors_share_a_search() {
        use chrono::{Duration, TimeZone, Utc};
        let now = Utc.with_ymd_and_hms(2026, 1, 1, 12, 0, 0).unwrap();
        let links = vec![("A", now), ("OLD", now - Duration::days(365)), ("B", now - Duration::minutes(20))];
        let groups = super::search_groups(links);
        let names: Vec<Vec<&str>> = groups.iter().map(|g| g.iter().map(|(l, _)| *l).collect()).collect();
        assert_eq!(names, vec![vec!["OLD"], vec!["B", "A"]]);
        let many: Vec<(usize, _)> = (0..120).map(|i| (i, now)).collect();
        let sizes: Vec<usize> = super::search_groups(many).iter().map(Vec::len).collect();
        assert_eq!(sizes, vec![50, 50, 20]);
    }

    #[test]
    fn keeps_the_last_row_per_key_in_first_seen_order() {
        let rows = vec![(1, "a"), (2, "b"), (1, "c")];
        assert_eq!(super::last_per_key(rows, |r| r.0), vec![(1, "c"), (2, "b")]);
    }
}
