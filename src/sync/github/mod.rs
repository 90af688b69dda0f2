//! GitHub connector: the repository by its numeric id (survives renames), its commits and pull
//! requests, `per_page=100` with `Link` paging.

pub mod convert;
pub mod dto;

use crate::upstream::client::{next_link, Page, Upstream};
use crate::upstream::paging::{walk, MAX_PAGES};
use super::repo::{iso, reached, RepoData, Window};
use super::SyncError;

/// `None` when the repository is gone.
pub async fn fetch(
    up: &Upstream,
    repo_id: &str,
    window: Window,
) -> Result<Option<RepoData>, SyncError> {
    let repo = format!("{}/repositories/{repo_id}", up.base());
    let Some(meta) = up.get::<dto::Repo>(&repo, &[]).await? else {
        return Ok(None);
    };
    let since = window
        .commits_since
        .map(|s| format!("&since={}", iso(s)))
        .unwrap_or_default();
    // An empty repository answers 409: no commits.
    let raw_commits = walk(
        up,
        format!("{repo}/commits?per_page=100{since}"),
        &[409],
        MAX_PAGES,
        |p: Page<Vec<dto::Commit>>, _| {
            let next = next_link(&p.headers);
            (p.body, next)
        },
    )
    .await?;
    // A window lists the most recently updated first and stops at its edge.
    let order = if window.pulls_since.is_some() {
        "&sort=updated&direction=desc"
    } else {
        ""
    };
    let raw_pulls = walk(
        up,
        format!("{repo}/pulls?state=all&per_page=100{order}"),
        &[],
        MAX_PAGES,
        |p: Page<Vec<dto::Pull>>, _| {
            let done = reached(
                window.pulls_since,
                p.body.last().map(|x| x.updated_at.as_str()),
            );
            let next = if done { None } else { next_link(&p.headers) };
            (p.body, next)
        },
    )
    .await?;
    RepoData::convert(
        &repo,
        meta.body.default_branch,
        raw_commits,
        convert::commit,
        raw_pulls,
        convert::pull,
    )
    .map(Some)
}
