//! The rules a connection's fields follow, as pure functions: what kind, which address (https,
//! loopback excepted), which scope each platform needs, which way its token authenticates.

use crate::domain::connection::{AuthMode, ConnectionKind};
use crate::upstream::policy;

/// A field and what is wrong with it, in a sentence a person can act on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub field: &'static str,
    pub message: String,
}

fn refuse(field: &'static str, message: impl Into<String>) -> Refusal {
    Refusal { field, message: message.into() }
}

pub const MIN_SYNC_INTERVAL: i32 = 60;
pub const MAX_SYNC_INTERVAL: i32 = 7 * 24 * 3600;
const MAX_TOKEN: usize = 4096;

pub fn kind(raw: &str) -> Result<ConnectionKind, Refusal> {
    raw.trim().parse().map_err(|_| refuse("kind", format!("'{raw}' is not a kind; use jira, bitbucket, github, gitlab or slack")))
}

pub fn name(raw: &str) -> Result<String, Refusal> {
    let name = raw.trim();
    if name.is_empty() || name.chars().count() > 200 || name.chars().any(char::is_control) {
        return Err(refuse("name", "give the connection a name of 1 to 200 characters"));
    }
    Ok(name.to_owned())
}

/// The base URL as stored: parsed, https (or allowed http), no credentials, query or fragment
/// in it, no trailing slash.
pub fn base_url(raw: &str, allow_http: bool) -> Result<String, Refusal> {
    let raw = raw.trim();
    let url = reqwest::Url::parse(raw).map_err(|e| refuse("baseUrl", format!("'{raw}' is not a URL ({e}); e.g. https://acme.atlassian.net")))?;
    if let Some(reason) = policy::refuse_credentials_to(&url, allow_http) {
        return Err(refuse("baseUrl", reason));
    }
    if url.host_str().is_none() {
        return Err(refuse("baseUrl", "the URL names no host"));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(refuse("baseUrl", "put the credentials in the token fields, not in the URL"));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(refuse("baseUrl", "the base URL takes no query or fragment"));
    }
    Ok(url.as_str().trim_end_matches('/').to_owned())
}

/// The scope a kind needs: none for Jira; a workspace, org or group for the git hosts; the
/// team for Slack is optional (the bot token names its workspace).
pub fn scope(kind: ConnectionKind, raw: &str) -> Result<String, Refusal> {
    let scope = raw.trim().trim_matches('/');
    let allowed = |c: char| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.');
    match kind {
        ConnectionKind::Jira if !scope.is_empty() => Err(refuse("scope", "a Jira connection has no scope: it sees the whole site; leave it empty")),
        ConnectionKind::Jira => Ok(String::new()),
        ConnectionKind::Slack if scope.chars().all(allowed) => Ok(scope.to_owned()),
        ConnectionKind::Slack => Err(refuse("scope", "the Slack team is its id or domain (letters, digits, - and _)")),
        _ if scope.is_empty() => Err(refuse("scope", format!("name the {} to connect", kind.scope_label().unwrap_or("scope")))),
        ConnectionKind::Gitlab if scope.split('/').all(|part| !part.is_empty() && part.chars().all(allowed)) => Ok(scope.to_owned()),
        ConnectionKind::Gitlab => Err(refuse("scope", "a GitLab group is its path (acme or acme/platform) or its numeric id")),
        _ if scope.chars().all(allowed) => Ok(scope.to_owned()),
        _ => Err(refuse("scope", format!("'{scope}' is not a {} name (letters, digits, -, _ and .)", kind.scope_label().unwrap_or("scope")))),
    }
}

/// How the token goes: the one asked for if the kind takes it, else the kind's default.
pub fn auth(kind: ConnectionKind, asked: Option<AuthMode>) -> Result<AuthMode, Refusal> {
    let modes = kind.auth_modes();
    match asked {
        None => Ok(modes[0]),
        Some(m) if modes.contains(&m) => Ok(m),
        Some(m) => Err(refuse("auth", format!("{} tokens do not use {} authentication; use {}", kind.label(), m.as_str(), modes[0].as_str()))),
    }
}

/// The e-mail a basic token goes with (required there, refused elsewhere).
pub fn email(auth: AuthMode, raw: Option<&str>) -> Result<Option<String>, Refusal> {
    let email = raw.map(str::trim).filter(|e| !e.is_empty());
    match (auth, email) {
        (AuthMode::Basic, None) => Err(refuse("email", "an API token goes with the e-mail of its Atlassian account")),
        (AuthMode::Basic, Some(e)) if !e.contains('@') || e.len() > 320 || e.chars().any(char::is_whitespace) => Err(refuse("email", format!("'{e}' is not an e-mail address"))),
        (AuthMode::Basic, Some(e)) => Ok(Some(e.to_owned())),
        (AuthMode::Bearer, Some(_)) => Err(refuse("email", "a bearer token goes alone; leave the e-mail empty")),
        (AuthMode::Bearer, None) => Ok(None),
    }
}

pub fn token(kind: ConnectionKind, raw: &str) -> Result<String, Refusal> {
    let token = raw.trim();
    if token.is_empty() {
        return Err(refuse("token", "paste the token"));
    }
    if token.len() > MAX_TOKEN || token.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(refuse("token", "a token is one line without spaces; check it was copied whole"));
    }
    if kind == ConnectionKind::Slack && !token.starts_with("xoxb-") {
        return Err(refuse("token", "use the app's bot token, which starts with xoxb-"));
    }
    Ok(token.to_owned())
}

/// `None` or 0: no schedule.
pub fn sync_interval(raw: Option<i32>) -> Result<Option<i32>, Refusal> {
    match raw {
        None | Some(0) => Ok(None),
        Some(s) if (MIN_SYNC_INTERVAL..=MAX_SYNC_INTERVAL).contains(&s) => Ok(Some(s)),
        Some(s) => Err(refuse("syncIntervalSecs", format!("{s} s is outside {MIN_SYNC_INTERVAL} s to {MAX_SYNC_INTERVAL} s (a week); 0 turns the schedule off"))),
    }
}

/// The most requests a second an admin may allow a connection (a cap, not a quota).
const MAX_RATE_CAP: i32 = 1000;

pub fn max_requests_per_second(raw: Option<i32>) -> Result<Option<i32>, Refusal> {
    match raw {
        None | Some(0) => Ok(None),
        Some(n) if (1..=MAX_RATE_CAP).contains(&n) => Ok(Some(n)),
        Some(n) => Err(refuse("maxRequestsPerSecond", format!("{n} is outside 1 to {MAX_RATE_CAP} requests a second; 0 removes the cap"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_rate_cap_is_between_1_and_1000_a_second_and_0_removes_it() {
        assert_eq!(max_requests_per_second(Some(0)).unwrap(), None);
        assert_eq!(max_requests_per_second(Some(5)).unwrap(), Some(5));
        assert!(max_requests_per_second(Some(1001)).is_err());
        assert!(max_requests_per_second(Some(-1)).is_err());
    }

    #[test]
    fn base_urls_are_https_except_loopback() {
        assert_eq!(base_url("https://acme.atlassian.net/", false).unwrap(), "https://acme.atlassian.net");
        assert_eq!(base_url(" https://ghe.acme.test/api/v3 ", false).unwrap(), "https://ghe.acme.test/api/v3");
        assert_eq!(base_url("http://127.0.0.1:4100", false).unwrap(), "http://127.0.0.1:4100");
        assert_eq!(base_url("http://gitlab.acme.test", false).unwrap_err().field, "baseUrl");
        assert!(base_url("http://gitlab.acme.test", true).is_ok());
        assert!(base_url("https://user:pw@acme.test", false).unwrap_err().message.contains("credentials"));
        assert!(base_url("https://acme.test/?x=1", false).is_err());
        assert!(base_url("acme.atlassian.net", false).unwrap_err().message.contains("not a URL"));
    }

    #[test]
    fn scopes_per_kind() {
        assert_eq!(scope(ConnectionKind::Jira, "").unwrap(), "");
        assert!(scope(ConnectionKind::Jira, "acme").is_err());
        assert_eq!(scope(ConnectionKind::Gitlab, "/acme/platform/").unwrap(), "acme/platform");
        assert!(scope(ConnectionKind::Gitlab, "acme//x").is_err());
        assert!(scope(ConnectionKind::Github, "").unwrap_err().message.contains("organisation"));
        assert!(scope(ConnectionKind::Github, "acme corp").is_err());
        assert_eq!(scope(ConnectionKind::Slack, "").unwrap(), "");
    }

    #[test]
    fn auth_modes_emails_and_tokens() {
        assert_eq!(auth(ConnectionKind::Jira, None), Ok(AuthMode::Basic));
        assert!(auth(ConnectionKind::Jira, Some(AuthMode::Bearer)).is_err());
        assert_eq!(auth(ConnectionKind::Bitbucket, Some(AuthMode::Bearer)), Ok(AuthMode::Bearer));
        assert_eq!(auth(ConnectionKind::Github, None), Ok(AuthMode::Bearer));
        assert_eq!(email(AuthMode::Basic, None).unwrap_err().field, "email");
        assert_eq!(email(AuthMode::Basic, Some(" a@b.io ")), Ok(Some("a@b.io".into())));
        assert!(email(AuthMode::Bearer, Some("a@b.io")).is_err());
        assert!(token(ConnectionKind::Slack, "xoxp-123").unwrap_err().message.contains("xoxb-"));
        assert!(token(ConnectionKind::Github, "ghp_abc def").is_err());
        assert_eq!(token(ConnectionKind::Github, " ghp_abc\n").unwrap(), "ghp_abc");
        assert_eq!(sync_interval(Some(0)), Ok(None));
        assert!(sync_interval(Some(5)).is_err());
    }
}
