//! GitHub connector: the repository by its numeric id (survives renames), its commits and pull
//! requests, `per_page=100` with `Link` paging.

pub mod convert;
pub mod dto;

use super::http::{next_link, Upstream};
use super::paging::walk;
use super::repo::RepoData;
use super::SyncError;

/// `None` when the repository is gone. `commits_since` (RFC 3339) narrows the commits.
pub async fn fetch(
    up: &Upstream,
    repo_id: &str,
    commits_since: Option<&str>,
) -> Result<Option<RepoData>, SyncError> {
    let repo = format!("{}/repositories/{repo_id}", up.base());
    let Some(meta) = up.get::<dto::Repo>(&repo, &[]).await? else {
        return Ok(None);
    };
    let since = commits_since
        .map(|s| format!("&since={s}"))
        .unwrap_or_default();
    let raw_commits = walk(
        up,
        format!("{repo}/commits?per_page=100{since}"),
        &[409],
        |p: super::http::Page<Vec<dto::Commit>>, _| {
            let next = next_link(&p.headers);
            (p.body, next)
        },
    )
    .await?;
    let raw_pulls = walk(
        up,
        format!("{repo}/pulls?state=all&per_page=100"),
        &[],
        |p: super::http::Page<Vec<dto::Pull>>, _| {
            let next = next_link(&p.headers);
            (p.body, next)
        },
    )
    .await?;
    let bad = |message| SyncError::Convert {
        url: repo.clone(),
        message,
    };
    Ok(Some(RepoData {
        default_branch: meta.body.default_branch,
        commits: raw_commits
            .into_iter()
            .map(convert::commit)
            .collect::<Result<_, _>>()
            .map_err(bad)?,
        pulls: raw_pulls
            .into_iter()
            .map(convert::pull)
            .collect::<Result<_, _>>()
            .map_err(bad)?,
    }))
}
