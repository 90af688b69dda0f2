//! GitLab connector: the project by its numeric id (a renamed path still resolves), its
//! commits and merge requests, `per_page=100` with `x-next-page` paging.

pub mod convert;
pub mod dto;

use crate::upstream::client::{next_page_number, Page, Upstream};
use crate::upstream::paging::{walk, MAX_PAGES};
use super::repo::{iso, RepoData, Window};
use super::SyncError;

fn with_page(url: &str, page: u32) -> String {
    let base = url.split("&page=").next().unwrap_or(url);
    format!("{base}&page={page}")
}

/// `None` when the project is gone.
pub async fn fetch(
    up: &Upstream,
    project_id: &str,
    window: Window,
) -> Result<Option<RepoData>, SyncError> {
    let project = format!("{}/api/v4/projects/{project_id}", up.base());
    let Some(meta) = up.get::<dto::Project>(&project, &[]).await? else {
        return Ok(None);
    };
    let since = window
        .commits_since
        .map(|s| format!("&since={}", iso(s)))
        .unwrap_or_default();
    let updated = window
        .pulls_since
        .map(|s| format!("&updated_after={}", iso(s)))
        .unwrap_or_default();
    let raw_commits = walk(
        up,
        format!("{project}/repository/commits?per_page=100{since}"),
        &[],
        MAX_PAGES,
        |p: Page<Vec<dto::Commit>>, url| {
            let next = next_page_number(&p.headers).map(|n| with_page(url, n));
            (p.body, next)
        },
    )
    .await?;
    let raw_mrs = walk(
        up,
        format!("{project}/merge_requests?state=all&per_page=100{updated}"),
        &[],
        MAX_PAGES,
        |p: Page<Vec<dto::MergeRequest>>, url| {
            let next = next_page_number(&p.headers).map(|n| with_page(url, n));
            (p.body, next)
        },
    )
    .await?;
    RepoData::convert(
        &project,
        meta.body.default_branch,
        raw_commits,
        convert::commit,
        raw_mrs,
        convert::merge_request,
    )
    .map(Some)
}
