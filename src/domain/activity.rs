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
    /// Jira's resolution date; empty while the issue is unresolved.
    pub resolved: Option<DateTime<Utc>>,
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
    /// When it was merged (Bitbucket, which records none: its last update once merged).
    pub merged: Option<DateTime<Utc>>,
    pub provenance: Provenance,
}

/// A list's filters as sent (a query string or a form), checked by `activity::params`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "ssr", into_params(parameter_in = Query))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ListParams {
    /// From this time on (RFC 3339 or a date, `2026-11-01`): created, started or committed.
    pub from: Option<String>,
    /// Before this time (exclusive).
    pub to: Option<String>,
    /// Issues: a status or status category (`done`); pull requests: a state (`merged`).
    pub status: Option<String>,
    /// Project lists: only this person's rows (UUID).
    pub person: Option<String>,
    /// Text in the key, summary, title, message or sha.
    pub q: Option<String>,
    /// A Jira project key (issues) or repository slug (commits, pull requests).
    pub source: Option<String>,
    /// `true` includes rows deleted upstream (marked with `deletedAt`).
    pub deleted: Option<String>,
    /// Rows per page, 1 to 500 (default 50).
    pub limit: Option<String>,
    /// The `nextCursor` of the previous page.
    pub cursor: Option<String>,
    /// `json` (default) or `csv` (every matching row, streamed).
    pub format: Option<String>,
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

/// Every week (Monday) from the first to the last of `weeks`, so a chart's gaps show as gaps.
pub fn contiguous_weeks(weeks: impl IntoIterator<Item = NaiveDate>) -> Vec<NaiveDate> {
    let seen: std::collections::BTreeSet<NaiveDate> = weeks.into_iter().collect();
    let (Some(first), Some(last)) = (seen.first().copied(), seen.last().copied()) else { return Vec::new() };
    std::iter::successors(Some(first), |w| Some(*w + chrono::Duration::days(7))).take_while(|w| *w <= last).collect()
}

/// Hours per week as chart series: every week from the first to the last with hours, and for
/// each series (ordered by total hours, largest first) its hours in those weeks.
pub fn weekly_series(hours: &[WeeklyHours]) -> (Vec<NaiveDate>, Vec<(String, Vec<f64>)>) {
    let weeks = contiguous_weeks(hours.iter().map(|h| h.week));
    let mut by_series: std::collections::BTreeMap<&str, Vec<f64>> = std::collections::BTreeMap::new();
    for h in hours {
        let at = weeks.binary_search(&h.week).unwrap_or_default();
        by_series.entry(h.series.as_str()).or_insert_with(|| vec![0.0; weeks.len()])[at] += h.hours;
    }
    let mut series: Vec<(String, Vec<f64>)> = by_series.into_iter().map(|(name, v)| (name.to_owned(), v)).collect();
    series.sort_by(|a, b| b.1.iter().sum::<f64>().total_cmp(&a.1.iter().sum::<f64>()).then_with(|| a.0.cmp(&b.0)));
    (weeks, series)
}

/// An item's page on the upstream's own site, from what the link stores: Jira issues under the
/// site's `/browse/`, commits and pull requests under the repository's web address.
pub fn item_url(platform: &str, base: &str, kind: ActivityKind, id: &str) -> String {
    let base = base.trim_end_matches('/');
    match (platform, kind) {
        ("jira", _) => super::url::jira_browse_url(base, id),
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
    fn hours_become_one_series_per_person_largest_first() {
        let w = |d: &str, s: &str, h: f64| WeeklyHours { week: d.parse().unwrap(), series: s.into(), hours: h };
        let (weeks, series) = weekly_series(&[w("2026-11-02", "Ana", 2.0), w("2026-11-16", "Bo", 8.0), w("2026-11-16", "Ana", 1.5)]);
        assert_eq!(weeks.len(), 3, "the empty week between is kept");
        assert_eq!(series[0], ("Bo".to_owned(), vec![0.0, 0.0, 8.0]));
        assert_eq!(series[1], ("Ana".to_owned(), vec![2.0, 0.0, 1.5]));
    }

    #[test]
    fn items_link_to_their_upstream_pages() {
        assert_eq!(item_url("jira", "https://acme.atlassian.net/", ActivityKind::Issues, "PLAT-7"), "https://acme.atlassian.net/browse/PLAT-7");
        assert_eq!(item_url("github", "https://github.com/acme/api", ActivityKind::Commits, "abc"), "https://github.com/acme/api/commit/abc");
        assert_eq!(item_url("github", "https://github.com/acme/api", ActivityKind::PullRequests, "12"), "https://github.com/acme/api/pull/12");
        assert_eq!(item_url("gitlab", "https://gitlab.com/acme/api", ActivityKind::PullRequests, "3"), "https://gitlab.com/acme/api/-/merge_requests/3");
        assert_eq!(item_url("bitbucket", "https://bitbucket.org/acme/api", ActivityKind::Commits, "abc"), "https://bitbucket.org/acme/api/commits/abc");
    }
}
