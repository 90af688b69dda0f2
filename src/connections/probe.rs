//! Testing a connection: the platform's who-am-I call, its scope (org, group, workspace,
//! team) and the first page of what the credentials can list. The answer is one sentence
//! either way — the upstream's own refusal when there is one — who the token acts as, what it
//! sees and the rate limit left. A test sends a handful of requests with short time-outs.

use crate::domain::connection::{AuthMode, ConnectionKind, Seen, TestOutcome};
use crate::store::connections::Connection;
use crate::upstream::client::{next_link, Limits, Page, Stats, Upstream};
use crate::upstream::HttpError;
use reqwest::header::HeaderMap;
use serde_json::Value;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Duration;

const LIMITS: Limits = Limits { concurrency: 2, timeout: Duration::from_secs(10), attempts: 2 };

/// What a test found on the way, before it became an outcome.
#[derive(Default)]
struct Found {
    acts_as: Option<String>,
    sees: Vec<Seen>,
    warnings: Vec<String>,
    rate_limit_remaining: Option<u64>,
}

pub async fn test(kind: ConnectionKind, conn: &Connection) -> TestOutcome {
    let stats = Arc::new(Stats::default());
    let up = Upstream::new(conn.clone(), stats.clone(), LIMITS);
    let mut found = Found::default();
    let result = match kind {
        ConnectionKind::Jira => jira(&up, &mut found).await,
        ConnectionKind::Github => github(&up, &mut found).await,
        ConnectionKind::Gitlab => gitlab(&up, &mut found).await,
        ConnectionKind::Bitbucket => bitbucket(&up, &mut found).await,
        ConnectionKind::Slack => slack(&up, &mut found).await,
    };
    let message = match &result {
        Ok(()) => {
            let who = found.acts_as.as_deref().map(|w| format!(" as {w}")).unwrap_or_default();
            let scope = (!conn.scope.is_empty()).then(|| format!(" ({})", conn.scope)).unwrap_or_default();
            format!("Connected to {}{scope}{who}.", kind.label())
        }
        Err(message) => message.clone(),
    };
    TestOutcome {
        ok: result.is_ok(),
        message,
        acts_as: found.acts_as,
        sees: found.sees,
        warnings: found.warnings,
        rate_limit_remaining: found.rate_limit_remaining,
        requests: stats.requests.load(Ordering::Relaxed),
        checked_at: chrono::Utc::now(),
    }
}

/// One step of a test: the page, or the failure said in a sentence. `what` names what was
/// asked for ("the signed-in user", "organisation 'acme'"), for a 404.
async fn step(up: &Upstream, kind: ConnectionKind, url: &str, what: &str) -> Result<Page<Value>, String> {
    match up.get::<Value>(url, &[]).await {
        Ok(Some(page)) => Ok(page),
        Ok(None) => Err(format!("{} has no {what} at {url}, or the credentials cannot see it; check the base URL and the {}.", kind.label(), kind.scope_label().unwrap_or("site"))),
        Err(e) => Err(explain(kind, up.conn.auth_mode.as_str(), &e)),
    }
}

/// A failed request as a sentence a person can act on, with the upstream's own words.
pub fn explain(kind: ConnectionKind, auth_mode: &str, e: &HttpError) -> String {
    let label = kind.label();
    match e {
        HttpError::Status { status: 401, snippet, .. } => {
            let whose = if AuthMode::parse(auth_mode) == Some(AuthMode::Basic) { " or does not belong to that e-mail" } else { "" };
            format!("{label} refused the credentials (401{}): the token is wrong, expired or revoked{whose}.", upstream_words(snippet))
        }
        HttpError::Status { status: 403, snippet, .. } => {
            let scope = missing_scope(snippet).map(|s| format!(" it needs {s}")).unwrap_or_default();
            format!("{label} refused the token (403{}): it lacks a permission or scope{}.", upstream_words(snippet), if scope.is_empty() { String::new() } else { format!(";{scope}") })
        }
        HttpError::Status { status: 429, .. } => format!("{label} is rate limiting these credentials (429); try again in a few minutes."),
        HttpError::Status { status, url, snippet } => format!("{label} answered {status} at {url}{}.", upstream_words(snippet)),
        HttpError::Decode { url, .. } => format!("{url} did not answer {label}'s JSON: is the base URL the {label} API?"),
        HttpError::Insecure { reason, .. } => reason.clone(),
        HttpError::Unreachable { url, message } => {
            let host = reqwest::Url::parse(url).ok().and_then(|u| u.host_str().map(str::to_owned)).unwrap_or_else(|| url.clone());
            let m = message.to_lowercase();
            if m.contains("dns") || m.contains("lookup") || m.contains("resolve") {
                format!("Cannot resolve {host}: check the base URL.")
            } else if m.contains("certificate") || m.contains("tls") || m.contains("ssl") {
                format!("The TLS connection to {host} failed ({message}).")
            } else if m.contains("timed out") || m.contains("timeout") {
                format!("{host} did not answer within {} s.", LIMITS.timeout.as_secs())
            } else if m.contains("refused") {
                format!("Nothing accepts connections at {host}: check the base URL and port.")
            } else {
                format!("Cannot reach {host}: {message}.")
            }
        }
        other => other.to_string(),
    }
}

/// The upstream's own message from an error body: `: "Bad credentials"`.
fn upstream_words(snippet: &str) -> String {
    let Ok(v) = serde_json::from_str::<Value>(snippet) else { return String::new() };
    let words = v["message"]
        .as_str()
        .or_else(|| v["error_description"].as_str())
        .or_else(|| v["error"]["message"].as_str())
        .or_else(|| v["errorMessages"][0].as_str())
        .or_else(|| v["error"].as_str());
    words.map(|w| format!(": \"{}\"", w.chars().take(160).collect::<String>())).unwrap_or_default()
}

/// The scope an error body names as missing (GitLab `scope`, Slack `needed`).
fn missing_scope(snippet: &str) -> Option<String> {
    let v: Value = serde_json::from_str(snippet).ok()?;
    v["scope"].as_str().or_else(|| v["needed"].as_str()).map(str::to_owned)
}

fn header_u64(headers: &HeaderMap, names: &[&str]) -> Option<u64> {
    names.iter().find_map(|n| headers.get(*n)?.to_str().ok()?.trim().parse().ok())
}

fn rate_limit(headers: &HeaderMap) -> Option<u64> {
    header_u64(headers, &["x-ratelimit-remaining", "ratelimit-remaining"])
}

fn seen(what: &str, count: usize, more: bool) -> Seen {
    Seen { what: what.to_owned(), count: count as u64, more }
}

fn segment(s: &str) -> String {
    crate::upstream::lookup::path_segment(s)
}

async fn jira(up: &Upstream, found: &mut Found) -> Result<(), String> {
    let kind = ConnectionKind::Jira;
    let me = step(up, kind, &format!("{}/rest/api/3/myself", up.base()), "signed-in user").await?;
    let name = me.body["displayName"].as_str().unwrap_or("someone");
    found.acts_as = Some(match me.body["emailAddress"].as_str() {
        Some(email) => format!("{name} <{email}>"),
        None => name.to_owned(),
    });
    let projects = step(up, kind, &format!("{}/rest/api/3/project/search?maxResults=50", up.base()), "project search").await?;
    let listed = projects.body["values"].as_array().map_or(0, Vec::len);
    let total = projects.body["total"].as_u64().map_or(listed, |t| t as usize);
    found.sees.push(seen("projects", total, projects.body["isLast"] == Value::Bool(false) && total > listed));
    if total == 0 {
        found.warnings.push("The account sees no Jira project: give it Browse projects on the projects to sync.".into());
    }
    found.rate_limit_remaining = rate_limit(&projects.headers);
    Ok(())
}

async fn github(up: &Upstream, found: &mut Found) -> Result<(), String> {
    let kind = ConnectionKind::Github;
    let org = segment(&up.conn.scope);
    let me = step(up, kind, &format!("{}/user", up.base()), "signed-in user").await?;
    found.acts_as = me.body["login"].as_str().map(str::to_owned);
    // Classic tokens list their scopes; fine-grained ones do not (their access shows below).
    if let Some(scopes) = me.headers.get("x-oauth-scopes").and_then(|v| v.to_str().ok()) {
        let granted: Vec<&str> = scopes.split(',').map(str::trim).collect();
        for needed in ["repo", "read:org"] {
            if !granted.contains(&needed) && !(needed == "read:org" && granted.contains(&"admin:org")) {
                found.warnings.push(format!("The token's scopes ({scopes}) lack {needed}."));
            }
        }
    }
    step(up, kind, &format!("{}/orgs/{org}", up.base()), &format!("organisation '{}'", up.conn.scope)).await?;
    let repos = step(up, kind, &format!("{}/orgs/{org}/repos?per_page=100", up.base()), "repository list").await?;
    found.sees.push(seen("repositories", repos.body.as_array().map_or(0, Vec::len), next_link(&repos.headers).is_some()));
    let members = step(up, kind, &format!("{}/orgs/{org}/members?per_page=100", up.base()), "member list").await?;
    found.sees.push(seen("members", members.body.as_array().map_or(0, Vec::len), next_link(&members.headers).is_some()));
    found.rate_limit_remaining = rate_limit(&members.headers);
    Ok(())
}

async fn gitlab(up: &Upstream, found: &mut Found) -> Result<(), String> {
    let kind = ConnectionKind::Gitlab;
    let group = segment(&up.conn.scope);
    let me = step(up, kind, &format!("{}/api/v4/user", up.base()), "signed-in user").await?;
    found.acts_as = me.body["username"].as_str().map(str::to_owned);
    step(up, kind, &format!("{}/api/v4/groups/{group}", up.base()), &format!("group '{}'", up.conn.scope)).await?;
    let more = |h: &HeaderMap| h.get("x-next-page").and_then(|v| v.to_str().ok()).is_some_and(|v| !v.trim().is_empty());
    let projects = step(up, kind, &format!("{}/api/v4/groups/{group}/projects?include_subgroups=true&per_page=100", up.base()), "project list").await?;
    found.sees.push(seen("repositories", projects.body.as_array().map_or(0, Vec::len), more(&projects.headers)));
    let members = step(up, kind, &format!("{}/api/v4/groups/{group}/members/all?per_page=100", up.base()), "member list").await?;
    found.sees.push(seen("members", members.body.as_array().map_or(0, Vec::len), more(&members.headers)));
    found.rate_limit_remaining = rate_limit(&members.headers);
    Ok(())
}

async fn bitbucket(up: &Upstream, found: &mut Found) -> Result<(), String> {
    let kind = ConnectionKind::Bitbucket;
    let ws = segment(&up.conn.scope);
    let me = step(up, kind, &format!("{}/2.0/user", up.base()), "signed-in user").await?;
    found.acts_as = me.body["display_name"].as_str().or_else(|| me.body["nickname"].as_str()).map(str::to_owned);
    step(up, kind, &format!("{}/2.0/workspaces/{ws}", up.base()), &format!("workspace '{}'", up.conn.scope)).await?;
    let listed = |p: &Page<Value>| (p.body["values"].as_array().map_or(0, Vec::len), p.body["next"].is_string());
    let repos = step(up, kind, &format!("{}/2.0/repositories/{ws}?pagelen=100", up.base()), "repository list").await?;
    let (count, more) = listed(&repos);
    found.sees.push(seen("repositories", repos.body["size"].as_u64().map_or(count, |s| s as usize), more));
    let members = step(up, kind, &format!("{}/2.0/workspaces/{ws}/members?pagelen=100", up.base()), "member list").await?;
    let (count, more) = listed(&members);
    found.sees.push(seen("members", count, more));
    found.rate_limit_remaining = rate_limit(&members.headers);
    Ok(())
}

/// Slack answers 200 with `ok: false` and an error code for every refusal.
fn slack_ok(page: &Page<Value>, call: &str) -> Result<(), String> {
    if page.body["ok"] == Value::Bool(true) {
        return Ok(());
    }
    let error = page.body["error"].as_str().unwrap_or("unknown_error");
    Err(match error {
        "invalid_auth" | "not_authed" | "token_revoked" | "token_expired" | "account_inactive" => format!("Slack refused the token ({error}): it is wrong, revoked or its app was uninstalled."),
        "missing_scope" => format!("Slack refused {call} (missing_scope): the app needs {}.", page.body["needed"].as_str().unwrap_or("another scope")),
        other => format!("Slack refused {call} ({other})."),
    })
}

async fn slack(up: &Upstream, found: &mut Found) -> Result<(), String> {
    let kind = ConnectionKind::Slack;
    let auth = step(up, kind, &format!("{}/api/auth.test", up.base()), "auth.test").await?;
    slack_ok(&auth, "auth.test")?;
    let team = auth.body["team"].as_str().unwrap_or_default();
    let team_id = auth.body["team_id"].as_str().unwrap_or_default();
    let wanted = up.conn.scope.as_str();
    let domain = auth.body["url"].as_str().and_then(|u| u.strip_prefix("https://")).and_then(|u| u.split('.').next()).unwrap_or_default();
    if !wanted.is_empty() && ![team, team_id, domain].iter().any(|t| t.eq_ignore_ascii_case(wanted)) {
        return Err(format!("The token belongs to the Slack team {team} ({team_id}), not '{wanted}'."));
    }
    found.acts_as = auth.body["user"].as_str().map(|u| format!("{u} in {team}"));
    let users = step(up, kind, &format!("{}/api/users.list?limit=200", up.base()), "users.list").await?;
    slack_ok(&users, "users.list")?;
    let members = users.body["members"].as_array().cloned().unwrap_or_default();
    let more = users.body.pointer("/response_metadata/next_cursor").and_then(Value::as_str).is_some_and(|c| !c.is_empty());
    found.sees.push(seen("users", members.len(), more));
    let people: Vec<&Value> = members.iter().filter(|m| m["is_bot"] != Value::Bool(true) && m["id"] != "USLACKBOT").collect();
    if !people.is_empty() && people.iter().all(|m| m.pointer("/profile/email").is_none()) {
        found.warnings.push("Slack hides every e-mail: add the users:read.email scope, or people cannot be matched by e-mail.".into());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn status(status: u16, snippet: &str) -> HttpError {
        HttpError::Status { url: "https://api.github.com/orgs/acme".into(), status, snippet: snippet.into() }
    }

    #[test]
    fn refusals_read_as_sentences_with_the_upstreams_words() {
        let bad = explain(ConnectionKind::Github, "bearer", &status(401, r#"{"message":"Bad credentials"}"#));
        assert_eq!(bad, "GitHub refused the credentials (401: \"Bad credentials\"): the token is wrong, expired or revoked.");
        let jira = explain(ConnectionKind::Jira, "basic", &status(401, ""));
        assert!(jira.ends_with("or does not belong to that e-mail."), "{jira}");
        let scope = explain(ConnectionKind::Gitlab, "bearer", &status(403, r#"{"error":"insufficient_scope","error_description":"The request requires higher privileges than provided by the access token.","scope":"read_api"}"#));
        assert!(scope.contains("it needs read_api") && scope.contains("higher privileges"), "{scope}");
        let dns = explain(ConnectionKind::Jira, "basic", &HttpError::Unreachable { url: "https://nope.invalid/x".into(), message: "error sending request: dns error: failed to lookup address".into() });
        assert_eq!(dns, "Cannot resolve nope.invalid: check the base URL.");
        let slow = explain(ConnectionKind::Jira, "basic", &HttpError::Unreachable { url: "https://slow.test/x".into(), message: "operation timed out".into() });
        assert_eq!(slow, "slow.test did not answer within 10 s.");
    }
}
