//! What every Git-host connector returns for one repository link.

use super::SyncError;
use crate::store::synced::{CommitRow, PullRow};
use chrono::{DateTime, Utc};

/// What to list; `None` means everything. Pull requests listed in full let the engine mark the
/// missing ones deleted; a window lists only what changed (newest first, stopping at the edge).
#[derive(Debug, Clone, Copy, Default)]
pub struct Window {
    pub commits_since: Option<DateTime<Utc>>,
    pub pulls_since: Option<DateTime<Utc>>,
}

/// A time as the Git hosts' `since` parameters take it (no `+`, which a query would mangle).
pub fn iso(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// Whether a newest-first page reached the window's edge (its oldest item is before `since`).
pub fn reached(since: Option<DateTime<Utc>>, oldest_on_page: Option<&str>) -> bool {
    match (since, oldest_on_page.map(crate::sync::parse_time)) {
        (Some(since), Some(Ok(t))) => t < since,
        _ => false,
    }
}

#[derive(Debug, Default)]
pub struct RepoData {
    pub default_branch: Option<String>,
    pub commits: Vec<CommitRow>,
    pub pulls: Vec<PullRow>,
}

impl RepoData {
    /// A repository's raw commits and pull requests converted; the first that does not convert
    /// fails the repository, named by its API URL.
    pub fn convert<C, P>(
        url: &str,
        default_branch: Option<String>,
        commits: Vec<C>,
        commit: impl Fn(C) -> Result<CommitRow, String>,
        pulls: Vec<P>,
        pull: impl Fn(P) -> Result<PullRow, String>,
    ) -> Result<Self, SyncError> {
        let bad = |message| SyncError::Convert {
            url: url.to_string(),
            message,
        };
        Ok(RepoData {
            default_branch,
            commits: commits
                .into_iter()
                .map(commit)
                .collect::<Result<_, _>>()
                .map_err(bad)?,
            pulls: pulls
                .into_iter()
                .map(pull)
                .collect::<Result<_, _>>()
                .map_err(bad)?,
        })
    }
}

/// "Name <email>" (Bitbucket's `author.raw`) → (name, email).
pub fn split_raw_author(raw: &str) -> (Option<String>, Option<String>) {
    match (raw.rfind('<'), raw.rfind('>')) {
        (Some(open), Some(close)) if open < close => {
            let name = raw[..open].trim();
            let email = raw[open + 1..close].trim();
            (
                (!name.is_empty()).then(|| name.to_owned()),
                (!email.is_empty()).then(|| email.to_owned()),
            )
        }
        _ => (
            (!raw.trim().is_empty()).then(|| raw.trim().to_owned()),
            None,
        ),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn splits_raw_authors() {
        assert_eq!(
            super::split_raw_author("Ann Lee <ann@x.test>"),
            (Some("Ann Lee".into()), Some("ann@x.test".into()))
        );
        assert_eq!(super::split_raw_author("bot"), (Some("bot".into()), None));
    }
}
