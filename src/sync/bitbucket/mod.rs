//! Bitbucket connector: the repository by its `{uuid}` (survives renames and transfers), its
//! commits (`pagelen=100`) and pull requests in every state (`pagelen=50`, Bitbucket's cap),
//! following `next`.

pub mod convert;
pub mod dto;

use super::http::{Page, Upstream};
use super::paging::walk;
use super::repo::RepoData;
use super::SyncError;
use dto::Paged;

fn encode(segment: &str) -> String {
    crate::links::upstream::path_segment(segment)
}

/// `None` when the repository is gone.
pub async fn fetch(up: &Upstream, repo_uuid: &str) -> Result<Option<RepoData>, SyncError> {
    let repo = format!(
        "{}/2.0/repositories/{}/{}",
        up.base(),
        encode(&up.conn.scope),
        encode(repo_uuid)
    );
    let Some(meta) = up.get::<dto::Repository>(&repo, &[]).await? else {
        return Ok(None);
    };
    let raw_commits = walk(
        up,
        format!("{repo}/commits?pagelen=100"),
        &[],
        |p: Page<Paged<dto::Commit>>, _| (p.body.values, p.body.next),
    )
    .await?;
    let states = "state=OPEN&state=MERGED&state=DECLINED&state=SUPERSEDED";
    let raw_pulls = walk(
        up,
        format!("{repo}/pullrequests?{states}&pagelen=50"),
        &[],
        |p: Page<Paged<dto::PullRequest>>, _| (p.body.values, p.body.next),
    )
    .await?;
    let bad = |message| SyncError::Convert {
        url: repo.clone(),
        message,
    };
    Ok(Some(RepoData {
        default_branch: meta.body.mainbranch.and_then(|b| b.name),
        commits: raw_commits
            .into_iter()
            .map(convert::commit)
            .collect::<Result<_, _>>()
            .map_err(bad)?,
        pulls: raw_pulls
            .into_iter()
            .map(convert::pull_request)
            .collect::<Result<_, _>>()
            .map_err(bad)?,
    }))
}
