//! Bitbucket connector: the repository by its `{uuid}` (survives renames and transfers), its
//! commits (`pagelen=100`) and pull requests in every state (`pagelen=50`, Bitbucket's cap),
//! following `next`.

pub mod convert;
pub mod dto;

use crate::upstream::client::{Page, Upstream};
use crate::upstream::paging::{walk, MAX_PAGES};
use super::repo::{reached, RepoData, Window};
use super::SyncError;
use dto::Paged;

use crate::upstream::lookup::path_segment as encode;

/// `None` when the repository is gone. Bitbucket has no `since`: commits come newest first and
/// a window stops at its edge; pull requests in a window are sorted by `-updated_on` and stop
/// the same way.
pub async fn fetch(
    up: &Upstream,
    repo_uuid: &str,
    window: Window,
) -> Result<Option<RepoData>, SyncError> {
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
        MAX_PAGES,
        |p: Page<Paged<dto::Commit>>, _| {
            let done = reached(
                window.commits_since,
                p.body.values.last().map(|c| c.date.as_str()),
            );
            (p.body.values, if done { None } else { p.body.next })
        },
    )
    .await?;
    let states = "state=OPEN&state=MERGED&state=DECLINED&state=SUPERSEDED";
    let order = if window.pulls_since.is_some() {
        "&sort=-updated_on"
    } else {
        ""
    };
    let raw_pulls = walk(
        up,
        format!("{repo}/pullrequests?{states}&pagelen=50{order}"),
        &[],
        MAX_PAGES,
        |p: Page<Paged<dto::PullRequest>>, _| {
            let done = reached(
                window.pulls_since,
                p.body.values.last().map(|x| x.updated_on.as_str()),
            );
            (p.body.values, if done { None } else { p.body.next })
        },
    )
    .await?;
    RepoData::convert(
        &repo,
        meta.body.mainbranch.and_then(|b| b.name),
        raw_commits,
        convert::commit,
        raw_pulls,
        convert::pull_request,
    )
    .map(Some)
}
