//! The simulated upstream world: one Jira site, one Bitbucket workspace, one GitHub org, one
//! GitLab group and one Slack workspace, plus the ground truth of who and what belongs to whom.
//! Plain data; the simulators serve it and the admin API mutates it.

use chrono::{DateTime, Utc};
use serde::Serialize;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, clap::ValueEnum)]
pub enum OrgSize {
    S,
    M,
    L,
}

/// How many of each thing an org of a size has.
#[derive(Clone, Copy, Debug)]
pub struct OrgShape {
    pub people: usize,
    pub projects: usize,
    pub jira_projects: usize,
    pub issues: usize,
    pub worklogs: usize,
    pub repos: usize,
    pub commits: usize,
    pub pull_requests: usize,
}

impl OrgSize {
    pub fn shape(self) -> OrgShape {
        match self {
            OrgSize::S => OrgShape { people: 20, projects: 8, jira_projects: 12, issues: 400, worklogs: 600, repos: 16, commits: 1_200, pull_requests: 150 },
            OrgSize::M => OrgShape { people: 500, projects: 60, jira_projects: 70, issues: 30_000, worklogs: 45_000, repos: 90, commits: 40_000, pull_requests: 4_000 },
            OrgSize::L => OrgShape { people: 5_000, projects: 45, jira_projects: 50, issues: 200_000, worklogs: 400_000, repos: 100, commits: 1_000_000, pull_requests: 50_000 },
        }
    }
}

#[derive(Clone, Debug)]
pub struct Org {
    pub seed: u64,
    pub size: OrgSize,
    pub jira: JiraSite,
    pub bitbucket: GitHost,
    pub github: GitHost,
    pub gitlab: GitHost,
    pub slack: SlackTeam,
    pub truth: Truth,
}

// ---------- Jira ----------

#[derive(Clone, Debug)]
pub struct JiraSite {
    pub projects: Vec<JiraProject>,
    pub issues: Vec<JiraIssue>,
    pub worklogs: Vec<JiraWorklog>,
    /// (worklog id, deletion time) for `/worklog/deleted`.
    pub deleted_worklogs: Vec<(u64, DateTime<Utc>)>,
    pub users: Vec<JiraUser>,
    pub next_id: u64,
}

#[derive(Clone, Debug)]
pub struct JiraProject {
    pub id: u64,
    pub key: String,
    /// Keys the project had before renames; issues still resolve by them.
    pub previous_keys: Vec<String>,
    pub name: String,
    pub description: String,
    pub archived: bool,
    pub deleted: bool,
    pub lead_account_id: Option<String>,
}

#[derive(Clone, Debug)]
pub struct JiraIssue {
    pub id: u64,
    pub project_id: u64,
    pub number: u32,
    /// Keys the issue had before it moved between projects or its project was renamed.
    pub previous_keys: Vec<String>,
    pub summary: String,
    pub status: IssueStatus,
    pub issue_type: &'static str,
    pub assignee: Option<String>,
    pub created: DateTime<Utc>,
    pub updated: DateTime<Utc>,
    /// Jira's `resolutiondate`: set when the issue reaches Done, cleared when it leaves it.
    pub resolved: Option<DateTime<Utc>>,
    pub deleted: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IssueStatus {
    ToDo,
    InProgress,
    InReview,
    Done,
}

impl IssueStatus {
    pub const ALL: [IssueStatus; 4] = [IssueStatus::ToDo, IssueStatus::InProgress, IssueStatus::InReview, IssueStatus::Done];

    /// (status id, status name, category id, category key, category name, colour) as Jira sends them.
    pub fn jira_fields(self) -> (&'static str, &'static str, i64, &'static str, &'static str, &'static str) {
        match self {
            IssueStatus::ToDo => ("10000", "To Do", 2, "new", "To Do", "blue-gray"),
            IssueStatus::InProgress => ("3", "In Progress", 4, "indeterminate", "In Progress", "yellow"),
            IssueStatus::InReview => ("10001", "In Review", 4, "indeterminate", "In Progress", "yellow"),
            IssueStatus::Done => ("10002", "Done", 3, "done", "Done", "green"),
        }
    }
}

#[derive(Clone, Debug)]
pub struct JiraWorklog {
    pub id: u64,
    pub issue_id: u64,
    pub author: String,
    pub started: DateTime<Utc>,
    pub time_spent_seconds: i64,
    pub created: DateTime<Utc>,
    pub updated: DateTime<Utc>,
}

#[derive(Clone, Debug)]
pub struct JiraUser {
    pub account_id: String,
    pub display_name: String,
    /// None when the user hides it.
    pub email: Option<String>,
    pub active: bool,
    /// "atlassian" for people, "app" for bots and integrations.
    pub account_type: &'static str,
}

// ---------- Git hosts ----------

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum GitPlatform {
    Bitbucket,
    Github,
    Gitlab,
}

#[derive(Clone, Debug)]
pub struct GitHost {
    pub platform: GitPlatform,
    /// Workspace slug (Bitbucket), org login (GitHub), group path (GitLab).
    pub owner: String,
    pub owner_id: u64,
    pub accounts: Vec<GitAccount>,
    pub repos: Vec<Repo>,
    pub next_id: u64,
}

#[derive(Clone, Debug)]
pub struct GitAccount {
    /// Stable id: "{uuid}" on Bitbucket, a number on GitHub and GitLab.
    pub id: String,
    /// Bitbucket account_id (Atlassian account); None elsewhere.
    pub atlassian_id: Option<String>,
    pub login: String,
    pub display_name: String,
    pub email: Option<String>,
    pub bot: bool,
    pub active: bool,
}

#[derive(Clone, Debug)]
pub struct Repo {
    /// Stable id: "{uuid}" on Bitbucket, a number on GitHub and GitLab.
    pub id: String,
    pub numeric_id: u64,
    pub slug: String,
    pub name: String,
    /// Slugs before renames or transfers (GitHub and GitLab redirect them, Bitbucket does not).
    pub previous_slugs: Vec<String>,
    pub description: String,
    pub default_branch: String,
    pub created: DateTime<Utc>,
    pub updated: DateTime<Utc>,
    pub deleted: bool,
    /// GitLab: the subgroup under the host's group it lives in ("infra" → `acme-group/infra`),
    /// listed by the group only with `include_subgroups=true`, as GitLab does.
    pub subgroup: Option<String>,
    /// Newest last.
    pub commits: Vec<Commit>,
    pub pull_requests: Vec<PullRequest>,
}

#[derive(Clone, Debug)]
pub struct Commit {
    pub sha: String,
    pub message: String,
    pub author_name: String,
    pub author_email: String,
    /// Index into the host's accounts when the commit email maps to an account.
    pub author_account: Option<usize>,
    pub date: DateTime<Utc>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PrState {
    Open,
    Merged,
    Declined,
}

#[derive(Clone, Debug)]
pub struct PullRequest {
    pub number: u64,
    /// GitLab's global id for merge requests, GitHub's global id for pull requests.
    pub global_id: u64,
    pub title: String,
    pub description: String,
    pub source_branch: String,
    pub state: PrState,
    pub author_account: usize,
    pub created: DateTime<Utc>,
    pub updated: DateTime<Utc>,
    pub deleted: bool,
}

// ---------- Slack ----------

#[derive(Clone, Debug)]
pub struct SlackTeam {
    pub team_id: String,
    pub users: Vec<SlackUser>,
}

#[derive(Clone, Debug)]
pub struct SlackUser {
    pub id: String,
    pub name: String,
    pub real_name: String,
    pub display_name: String,
    pub email: Option<String>,
    pub deleted: bool,
    pub is_bot: bool,
    pub updated: i64,
}

// ---------- Ground truth ----------

/// Who and what belongs to whom. Only tests and benchmarks read it; the product never does.
#[derive(Clone, Debug, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Truth {
    pub persons: Vec<TruthPerson>,
    pub projects: Vec<TruthProject>,
    /// Velocity records as the pre-link system stored them, to exercise the legacy migration.
    pub legacy_projects: Vec<LegacyProject>,
    pub legacy_persons: Vec<LegacyPerson>,
}

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TruthPerson {
    pub name: String,
    pub email: String,
    pub accounts: Vec<TruthAccount>,
}

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TruthAccount {
    pub platform: &'static str,
    pub external_id: String,
    pub username: Option<String>,
    /// False for accounts the person no longer uses (old or deactivated).
    pub current: bool,
}

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TruthProject {
    pub key: String,
    pub name: String,
    /// Jira project ids that belong to the project; the first is the main one.
    pub jira_project_ids: Vec<String>,
    /// Look-alike Jira projects that do NOT belong (legacy, deprecated, other teams).
    pub look_alike_jira_project_ids: Vec<String>,
    /// (platform, stable repo id) of its repositories.
    pub repositories: Vec<(GitPlatform, String)>,
}

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LegacyProject {
    pub key: String,
    pub name: String,
    pub jira_key: Option<String>,
    pub bitbucket_workspace: Option<String>,
    pub bitbucket_repos: Vec<String>,
}

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LegacyPerson {
    pub name: String,
    pub email: String,
    pub jira_account_id: Option<String>,
    pub bitbucket_username: Option<String>,
    pub slack_user_id: Option<String>,
}
