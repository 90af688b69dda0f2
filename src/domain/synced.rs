//! Synced items as the UI lists them (the latest issues and commits of a project).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RecentIssue {
    pub issue_key: String,
    pub summary: String,
    pub status: String,
    pub updated: DateTime<Utc>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RecentCommit {
    pub sha: String,
    pub message: String,
    pub author_name: Option<String>,
    pub committed_at: DateTime<Utc>,
}

/// A project page: the project with its links, its lead's name and its latest synced items
/// (empty until a sync ran).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ProjectOverview {
    pub project: super::Project,
    pub lead: Option<String>,
    /// The project's link health when it was read.
    pub health: super::health::HealthCounts,
    pub recent_issues: Vec<RecentIssue>,
    pub recent_commits: Vec<RecentCommit>,
    /// Disabled connections by id and name: their links are neither checked nor synced.
    pub disabled_connections: std::collections::BTreeMap<uuid::Uuid, String>,
    /// May the viewer link, unlink and sync this project (an admin or its lead)? Decided on the
    /// server, so the page shows only what they may do.
    pub can_manage: bool,
    /// May the viewer edit the project itself (name, lead, deactivate)? Admins only.
    pub can_edit: bool,
}
