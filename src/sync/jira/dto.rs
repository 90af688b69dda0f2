//! Jira Cloud REST v3 shapes, only the fields the sync reads.

use serde::Deserialize;

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SearchPage {
    #[serde(default)]
    pub issues: Vec<Issue>,
    /// Absent on the last page.
    pub next_page_token: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct Issue {
    pub id: String,
    pub key: String,
    pub fields: Option<IssueFields>,
}

#[derive(Debug, Deserialize)]
pub struct IssueFields {
    pub summary: Option<String>,
    pub status: Option<Status>,
    pub issuetype: Option<Named>,
    pub assignee: Option<UserRef>,
    pub created: Option<String>,
    pub updated: Option<String>,
    /// Null until the issue is resolved, and again when it is reopened.
    pub resolutiondate: Option<String>,
    /// Asked for only by searches over several projects, to tell their issues apart.
    pub project: Option<ProjectRef>,
}

#[derive(Debug, Deserialize)]
pub struct ProjectRef {
    pub id: String,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Status {
    pub name: String,
    pub status_category: Option<Category>,
}

#[derive(Debug, Deserialize)]
pub struct Category {
    pub key: String,
}

#[derive(Debug, Deserialize)]
pub struct Named {
    pub name: String,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UserRef {
    pub account_id: String,
}

/// `/worklog/updated` and `/worklog/deleted`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ChangedWorklogs {
    #[serde(default)]
    pub values: Vec<ChangedWorklog>,
    pub next_page: Option<String>,
    #[serde(default)]
    pub last_page: bool,
    pub until: Option<i64>,
}

#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ChangedWorklog {
    pub worklog_id: i64,
    pub updated_time: i64,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Worklog {
    pub id: String,
    pub issue_id: String,
    pub author: Option<UserRef>,
    pub started: String,
    pub time_spent_seconds: i64,
    pub updated: String,
}
