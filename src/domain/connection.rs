//! Connections as people manage them: one Jira site, Bitbucket workspace, GitHub org, GitLab
//! group or Slack workspace each, with how it authenticates. Credentials only ever travel
//! inward: what is read back says whether they are set and when they last changed.

use super::platform::UnknownPlatform;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;
use uuid::Uuid;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum ConnectionKind {
    Jira,
    Bitbucket,
    Github,
    Gitlab,
    Slack,
}

impl ConnectionKind {
    pub const ALL: &'static [ConnectionKind] = &[ConnectionKind::Jira, ConnectionKind::Github, ConnectionKind::Gitlab, ConnectionKind::Bitbucket, ConnectionKind::Slack];

    pub fn as_str(self) -> &'static str {
        match self {
            ConnectionKind::Jira => "jira",
            ConnectionKind::Bitbucket => "bitbucket",
            ConnectionKind::Github => "github",
            ConnectionKind::Gitlab => "gitlab",
            ConnectionKind::Slack => "slack",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ConnectionKind::Jira => "Jira Cloud",
            ConnectionKind::Bitbucket => "Bitbucket Cloud",
            ConnectionKind::Github => "GitHub",
            ConnectionKind::Gitlab => "GitLab",
            ConnectionKind::Slack => "Slack",
        }
    }

    /// The address most people connect to (the site's own for Jira).
    pub fn default_base_url(self) -> &'static str {
        match self {
            ConnectionKind::Jira => "https://your-site.atlassian.net",
            ConnectionKind::Bitbucket => "https://api.bitbucket.org",
            ConnectionKind::Github => "https://api.github.com",
            ConnectionKind::Gitlab => "https://gitlab.com",
            ConnectionKind::Slack => "https://slack.com",
        }
    }

    /// What the scope names on this platform; `None` where a connection has none.
    pub fn scope_label(self) -> Option<&'static str> {
        match self {
            ConnectionKind::Jira => None,
            ConnectionKind::Bitbucket => Some("workspace"),
            ConnectionKind::Github => Some("organisation"),
            ConnectionKind::Gitlab => Some("group (path or id; subgroups are included)"),
            ConnectionKind::Slack => Some("team"),
        }
    }

    /// The ways this platform's tokens authenticate; the first is the default.
    pub fn auth_modes(self) -> &'static [AuthMode] {
        match self {
            ConnectionKind::Jira => &[AuthMode::Basic],
            ConnectionKind::Bitbucket => &[AuthMode::Basic, AuthMode::Bearer],
            _ => &[AuthMode::Bearer],
        }
    }

    /// Where to create the credential and what it needs, in one sentence per mode.
    pub fn help(self, mode: AuthMode) -> &'static str {
        match (self, mode) {
            (ConnectionKind::Jira, _) => "An Atlassian API token (id.atlassian.com → Security → API tokens) with the e-mail of its account, which needs Browse projects on the projects to sync; the base URL is the site, e.g. https://acme.atlassian.net.",
            (ConnectionKind::Bitbucket, AuthMode::Basic) => "An Atlassian API token with Bitbucket scopes (read:repository, read:pullrequest, read:workspace, read:user) and the e-mail of its account; app passwords no longer work.",
            (ConnectionKind::Bitbucket, AuthMode::Bearer) => "A workspace access token (Workspace settings → Access tokens) with repository, pull request and account read scopes.",
            (ConnectionKind::Github, _) => "A personal access token (Settings → Developer settings): classic with repo, read:org and read:user, or fine-grained with read access to the organisation's repositories, pull requests and members; GitHub Enterprise Server uses https://HOST/api/v3.",
            (ConnectionKind::Gitlab, _) => "A personal or group access token (User or Group settings → Access tokens) with the read_api scope; the base URL is https://gitlab.com or your own instance.",
            (ConnectionKind::Slack, _) => "A bot token (xoxb-…) of an app installed in the workspace (api.slack.com/apps → OAuth & Permissions) with the users:read and users:read.email scopes.",
        }
    }
}

impl fmt::Display for ConnectionKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for ConnectionKind {
    type Err = UnknownPlatform;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        ConnectionKind::ALL.iter().copied().find(|k| k.as_str() == s).ok_or_else(|| UnknownPlatform(s.to_owned()))
    }
}

/// How a token is sent: with the account's e-mail (HTTP basic) or alone (bearer; GitLab's
/// `PRIVATE-TOKEN`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum AuthMode {
    Basic,
    Bearer,
}

impl AuthMode {
    pub fn as_str(self) -> &'static str {
        match self {
            AuthMode::Basic => "basic",
            AuthMode::Bearer => "bearer",
        }
    }

    pub fn parse(s: &str) -> Option<AuthMode> {
        match s {
            "basic" => Some(AuthMode::Basic),
            "bearer" => Some(AuthMode::Bearer),
            _ => None,
        }
    }
}

/// A new connection, or one to test before saving it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ConnectionInput {
    /// `jira`, `bitbucket`, `github`, `gitlab` or `slack`.
    pub kind: String,
    pub name: String,
    /// https (loopback may use http); Jira: the site, GitHub Enterprise: `https://HOST/api/v3`.
    pub base_url: String,
    /// Bitbucket workspace, GitHub org, GitLab group path or id, Slack team; empty for Jira.
    #[serde(default)]
    pub scope: String,
    /// `basic` (token with e-mail: Jira, Bitbucket API tokens) or `bearer`; the kind's default when left out.
    #[serde(default)]
    pub auth: Option<AuthMode>,
    /// The account's e-mail, for `basic`.
    #[serde(default)]
    pub email: Option<String>,
    /// The secret: written, never read back.
    pub token: String,
    /// Seconds between scheduled syncs (60 to 604,800); none or 0: only when started.
    #[serde(default)]
    pub sync_interval_secs: Option<i32>,
    /// Disabled connections are never contacted. Default: enabled.
    #[serde(default)]
    pub enabled: Option<bool>,
    /// A cap on requests a second to this connection (1 to 1,000), below the upstream's own
    /// limits, which Velocity follows anyway; none or 0: no cap.
    #[serde(default)]
    pub max_requests_per_second: Option<i32>,
}

/// A change to a saved connection: only what is sent changes. A new `token` (or `email`)
/// rotates the credentials.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ConnectionChange {
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub base_url: Option<String>,
    #[serde(default)]
    pub scope: Option<String>,
    #[serde(default)]
    pub auth: Option<AuthMode>,
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub token: Option<String>,
    /// 0 turns the schedule off.
    #[serde(default)]
    pub sync_interval_secs: Option<i32>,
    #[serde(default)]
    pub enabled: Option<bool>,
    /// 0 removes the cap.
    #[serde(default)]
    pub max_requests_per_second: Option<i32>,
}

/// A connection as read back: never its secret.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct ConnectionView {
    pub id: Uuid,
    pub kind: ConnectionKind,
    pub name: String,
    pub base_url: String,
    pub scope: String,
    pub auth: AuthMode,
    /// The e-mail a basic token goes with (not a secret; shown so people know whose token it is).
    pub email: Option<String>,
    /// `set` or `missing`: the secret itself is never answered.
    pub credentials: String,
    pub credentials_updated_at: Option<DateTime<Utc>>,
    pub sync_interval_secs: Option<i32>,
    pub enabled: bool,
    pub max_requests_per_second: Option<i32>,
    /// Active links on this connection (a connection with any cannot be removed).
    pub active_links: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub last_test: Option<TestOutcome>,
    pub last_sync: Option<LastSync>,
}

/// The newest sync run that touched the connection's links.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct LastSync {
    pub run_id: i64,
    pub status: String,
    pub started_at: DateTime<Utc>,
    pub finished_at: Option<DateTime<Utc>>,
}

/// What a connection test found: whether the upstream accepted the credentials for the scope,
/// in one sentence either way, who they act as, what they can see and the rate limit left.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct TestOutcome {
    pub ok: bool,
    pub message: String,
    pub acts_as: Option<String>,
    /// Counts from the first page of each listing (`more`: the listing goes on).
    pub sees: Vec<Seen>,
    /// Warnings that do not fail the test (e.g. e-mails hidden for want of a scope).
    pub warnings: Vec<String>,
    pub rate_limit_remaining: Option<u64>,
    /// HTTP requests the test sent.
    pub requests: u64,
    pub checked_at: DateTime<Utc>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct Seen {
    /// `projects`, `repositories`, `members` or `users`.
    pub what: String,
    pub count: u64,
    pub more: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_round_trip_and_each_has_a_default_auth() {
        for k in ConnectionKind::ALL {
            assert_eq!(k.as_str().parse::<ConnectionKind>(), Ok(*k));
            assert_eq!(serde_json::to_string(k).unwrap(), format!("\"{k}\""));
            assert!(!k.auth_modes().is_empty());
            assert!(!k.help(k.auth_modes()[0]).is_empty());
        }
        assert!("svn".parse::<ConnectionKind>().is_err());
    }

    #[test]
    fn input_refuses_unknown_fields() {
        let raw = r#"{"kind":"jira","name":"x","baseUrl":"https://a.atlassian.net","token":"t","password":"p"}"#;
        assert!(serde_json::from_str::<ConnectionInput>(raw).is_err());
    }
}
