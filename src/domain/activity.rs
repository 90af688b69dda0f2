//! What synced, as people and integrators read it: issues, worklogs, commits and pull requests
//! of a project or a person, each row with its provenance (the external id, the link and
//! connection it came by, its upstream URL, when its link last synced, when it was deleted
//! upstream), pages addressed by an opaque cursor, and weekly summaries.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Where a synced row came from.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct Provenance {
    /// The upstream's id of the item (Jira issue or worklog id, commit sha, pull request number).
    pub external_id: String,
    /// The link the row was synced through.
    pub link_id: Uuid,
    pub connection_id: Uuid,
    /// The item on the upstream's own site.
    pub url: String,
    /// When the link it came by last synced.
    pub synced_at: Option<DateTime<Utc>>,
    /// Seen deleted upstream (kept, never shown unless asked for).
    pub deleted_at: Option<DateTime<Utc>>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct IssueRow {
    pub key: String,
    pub summary: String,
    pub status: String,
    /// Jira's category: `new`, `indeterminate` or `done`.
    pub status_category: String,
    pub issue_type: Option<String>,
    pub project_key: String,
    /// The assignee's person, when their Jira account is linked.
    pub assignee_person_id: Option<Uuid>,
    pub assignee_name: Option<String>,
    pub created: DateTime<Utc>,
    pub updated: DateTime<Utc>,
    pub provenance: Provenance,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct WorklogRow {
    pub issue_key: Option<String>,
    pub project_key: Option<String>,
    pub person_id: Uuid,
    pub person_name: String,
    pub started: DateTime<Utc>,
    pub seconds: i32,
    pub provenance: Provenance,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct CommitRow {
    pub sha: String,
    pub message: String,
    pub repository: String,
    pub project_key: String,
    /// The person, when the author's account is linked.
    pub person_id: Option<Uuid>,
    pub author_name: Option<String>,
    pub committed_at: DateTime<Utc>,
    pub provenance: Provenance,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct PullRequestRow {
    pub number: i64,
    pub title: String,
    pub state: String,
    pub repository: String,
    pub project_key: String,
    pub person_id: Option<Uuid>,
    pub source_branch: Option<String>,
    pub created: DateTime<Utc>,
    pub updated: DateTime<Utc>,
    pub provenance: Provenance,
}

/// One page, newest first; `next_cursor` asks for the rest.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct ActivityPage<T> {
    pub items: Vec<T>,
    pub next_cursor: Option<String>,
}

/// Which list.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ActivityKind {
    Issues,
    Worklogs,
    Commits,
    PullRequests,
}

impl ActivityKind {
    pub const ALL: &'static [ActivityKind] = &[ActivityKind::Issues, ActivityKind::Worklogs, ActivityKind::Commits, ActivityKind::PullRequests];

    pub fn as_str(self) -> &'static str {
        match self {
            ActivityKind::Issues => "issues",
            ActivityKind::Worklogs => "worklogs",
            ActivityKind::Commits => "commits",
            ActivityKind::PullRequests => "pull-requests",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ActivityKind::Issues => "Issues",
            ActivityKind::Worklogs => "Worklogs",
            ActivityKind::Commits => "Commits",
            ActivityKind::PullRequests => "Pull requests",
        }
    }
}

/// One week (Monday) of a summary, for one series (a person, or a project).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct WeeklyHours {
    pub week: NaiveDate,
    /// Person name (a project's summary) or project key (a person's).
    pub series: String,
    pub hours: f64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct WeeklyCode {
    pub week: NaiveDate,
    pub commits: i64,
    pub pull_requests_opened: i64,
    pub pull_requests_merged: i64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct ActivitySummary {
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
    pub issues_opened: i64,
    pub issues_resolved: i64,
    /// Open now (not done), whatever the period.
    pub issues_open_now: i64,
    pub hours: Vec<WeeklyHours>,
    pub code: Vec<WeeklyCode>,
    /// Median hours from opened to merged, of pull requests merged in the period.
    pub median_hours_to_merge: Option<f64>,
}

/// An item's page on the upstream's own site, from what the link stores: Jira issues under the
/// site's `/browse/`, commits and pull requests under the repository's web address.
pub fn item_url(platform: &str, base: &str, kind: ActivityKind, id: &str) -> String {
    let base = base.trim_end_matches('/');
    match (platform, kind) {
        ("jira", _) => format!("{base}/browse/{id}"),
        ("gitlab", ActivityKind::Commits) => format!("{base}/-/commit/{id}"),
        ("gitlab", _) => format!("{base}/-/merge_requests/{id}"),
        ("bitbucket", ActivityKind::Commits) => format!("{base}/commits/{id}"),
        ("bitbucket", _) => format!("{base}/pull-requests/{id}"),
        (_, ActivityKind::Commits) => format!("{base}/commit/{id}"),
        _ => format!("{base}/pull/{id}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn items_link_to_their_upstream_pages() {
        assert_eq!(item_url("jira", "https://acme.atlassian.net/", ActivityKind::Issues, "PLAT-7"), "https://acme.atlassian.net/browse/PLAT-7");
        assert_eq!(item_url("github", "https://github.com/acme/api", ActivityKind::Commits, "abc"), "https://github.com/acme/api/commit/abc");
        assert_eq!(item_url("github", "https://github.com/acme/api", ActivityKind::PullRequests, "12"), "https://github.com/acme/api/pull/12");
        assert_eq!(item_url("gitlab", "https://gitlab.com/acme/api", ActivityKind::PullRequests, "3"), "https://gitlab.com/acme/api/-/merge_requests/3");
        assert_eq!(item_url("bitbucket", "https://bitbucket.org/acme/api", ActivityKind::Commits, "abc"), "https://bitbucket.org/acme/api/commits/abc");
    }
}
