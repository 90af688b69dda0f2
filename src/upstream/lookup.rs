//! Looks up one external entity through its connection, for confirmation checks and link
//! validation: a Jira project, a repository or an account, by stable id or mutable key/slug.
//! `Ok(None)` means the platform answered "not found"; every other failure is an error with
//! the URL, never a silent "missing".

use crate::domain::{AccountPlatform, RepoPlatform};
use super::{HttpError, Upstream};
use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::Value;

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct JiraProjectInfo {
    pub jira_project_id: String,
    pub key: String,
    pub previous_keys: Vec<String>,
    pub name: String,
    pub url: String,
    pub archived: bool,
    pub total_issues: Option<i64>,
    pub last_issue_update: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RepoInfo {
    pub external_id: String,
    pub workspace: String,
    pub slug: String,
    pub name: String,
    pub url: String,
    pub default_branch: Option<String>,
    pub last_commit: Option<DateTime<Utc>>,
    pub recent_commits: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AccountInfo {
    pub external_id: String,
    pub username: Option<String>,
    pub display_name: Option<String>,
    pub email: Option<String>,
    pub active: bool,
}

fn snippet(body: &str) -> String {
    body.chars().take(200).collect()
}

/// GET a JSON document through the connection's client (rate limits, 5xx, resets and truncated
/// bodies retried; a pause the upstream asked for holds every caller of that connection); 404 is
/// `None`.
pub(super) async fn get_json(up: &Upstream, url: &str) -> Result<Option<Value>, HttpError> {
    Ok(up.get::<Value>(url, &[]).await?.map(|p| p.body))
}

pub(super) fn text(v: &Value, pointer: &str) -> Option<String> {
    v.pointer(pointer).and_then(|x| match x {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    })
}

fn date(v: &Value, pointer: &str) -> Option<DateTime<Utc>> {
    text(v, pointer).and_then(|s| {
        DateTime::parse_from_rfc3339(&s).ok().map(|d| d.with_timezone(&Utc))
    })
}

/// One path segment of an upstream URL, percent-encoded.
pub(crate) use crate::domain::url::encode_component as path_segment;

pub async fn jira_project(up: &Upstream, id_or_key: &str) -> Result<Option<JiraProjectInfo>, HttpError> {
    let conn = &up.conn;
    let url = format!("{}/rest/api/3/project/{}?expand=insight,projectKeys", conn.base_url, path_segment(id_or_key));
    let Some(v) = get_json(up, &url).await? else { return Ok(None) };
    let key = text(&v, "/key").unwrap_or_default();
    let previous_keys = v["projectKeys"].as_array().map(|a| a.iter().filter_map(|k| k.as_str()).filter(|k| *k != key).map(str::to_owned).collect()).unwrap_or_default();
    Ok(Some(JiraProjectInfo {
        jira_project_id: text(&v, "/id").unwrap_or_default(),
        url: crate::domain::url::jira_browse_url(&conn.base_url, &key),
        key,
        previous_keys,
        name: text(&v, "/name").unwrap_or_default(),
        archived: v["archived"].as_bool().unwrap_or(false),
        total_issues: v.pointer("/insight/totalIssueCount").and_then(Value::as_i64),
        last_issue_update: text(&v, "/insight/lastIssueUpdateTime"),
    }))
}

/// `ident` is the slug, or the stable id (Bitbucket `{uuid}`, GitHub/GitLab number).
pub async fn repository(up: &Upstream, platform: RepoPlatform, ident: &str) -> Result<Option<RepoInfo>, HttpError> {
    let conn = &up.conn;
    let (base, ws) = (&conn.base_url, &conn.scope);
    let numeric = ident.chars().all(|c| c.is_ascii_digit());
    let (repo_url, commits_url) = match platform {
        RepoPlatform::Bitbucket => {
            let r = format!("{base}/2.0/repositories/{ws}/{}", path_segment(ident));
            (r.clone(), format!("{r}/commits?pagelen=3"))
        }
        RepoPlatform::Github => {
            let r = if numeric { format!("{base}/repositories/{ident}") } else { format!("{base}/repos/{ws}/{}", path_segment(ident)) };
            (r.clone(), format!("{r}/commits?per_page=3"))
        }
        RepoPlatform::Gitlab => {
            let id = if numeric { ident.to_owned() } else { path_segment(&format!("{ws}/{ident}")) };
            let r = format!("{base}/api/v4/projects/{id}");
            (r.clone(), format!("{r}/repository/commits?per_page=3"))
        }
    };
    let Some(v) = get_json(up, &repo_url).await? else { return Ok(None) };
    let mut info = match platform {
        RepoPlatform::Bitbucket => RepoInfo {
            external_id: text(&v, "/uuid").unwrap_or_default(),
            workspace: text(&v, "/workspace/slug").unwrap_or_else(|| ws.clone()),
            slug: text(&v, "/slug").unwrap_or_default(),
            name: text(&v, "/name").unwrap_or_default(),
            url: text(&v, "/links/html/href").unwrap_or_default(),
            default_branch: text(&v, "/mainbranch/name"),
            last_commit: None,
            recent_commits: vec![],
        },
        RepoPlatform::Github => RepoInfo {
            external_id: text(&v, "/id").unwrap_or_default(),
            workspace: text(&v, "/owner/login").unwrap_or_else(|| ws.clone()),
            slug: text(&v, "/name").unwrap_or_default(),
            name: text(&v, "/name").unwrap_or_default(),
            url: text(&v, "/html_url").unwrap_or_default(),
            default_branch: text(&v, "/default_branch"),
            last_commit: None,
            recent_commits: vec![],
        },
        RepoPlatform::Gitlab => RepoInfo {
            external_id: text(&v, "/id").unwrap_or_default(),
            workspace: text(&v, "/namespace/full_path").unwrap_or_else(|| ws.clone()),
            slug: text(&v, "/path").unwrap_or_default(),
            name: text(&v, "/name").unwrap_or_default(),
            url: text(&v, "/web_url").unwrap_or_default(),
            default_branch: text(&v, "/default_branch"),
            last_commit: None,
            recent_commits: vec![],
        },
    };
    // An empty repository has no commits: GitHub answers 409 for it, which is not an error here.
    let commits = match get_json(up, &commits_url).await {
        Ok(c) => c.unwrap_or(Value::Null),
        Err(HttpError::Status { status: 409, .. }) => Value::Null,
        Err(e) => return Err(e),
    };
    let items: Vec<Value> = match platform {
        RepoPlatform::Bitbucket => commits["values"].as_array().cloned().unwrap_or_default(),
        _ => commits.as_array().cloned().unwrap_or_default(),
    };
    let (date_ptr, message_ptr) = match platform {
        RepoPlatform::Bitbucket => ("/date", "/message"),
        RepoPlatform::Github => ("/commit/author/date", "/commit/message"),
        RepoPlatform::Gitlab => ("/committed_date", "/title"),
    };
    info.last_commit = items.first().and_then(|c| date(c, date_ptr));
    info.recent_commits = items.iter().filter_map(|c| text(c, message_ptr)).map(|m| m.lines().next().unwrap_or("").to_owned()).collect();
    Ok(Some(info))
}

/// An account by its stable id. When the per-id endpoint says "not found", or refuses as
/// self-hosted versions and restricted tokens do (403, 405, 410, 501), the member listing the
/// catalog reads answers instead: a listed member exists, whatever the per-id endpoint said.
/// If the listing cannot be read either, the per-id answer stands.
pub async fn account(up: &Upstream, platform: AccountPlatform, external_id: &str) -> Result<Option<AccountInfo>, HttpError> {
    let refused = match account_by_id(up, platform, external_id).await {
        Ok(Some(found)) => return Ok(Some(found)),
        Ok(None) => None,
        Err(e @ HttpError::Status { status: 403 | 405 | 410 | 501, .. }) => Some(e),
        Err(e) => return Err(e),
    };
    match super::catalog::member(up, platform, external_id).await {
        Ok(Some(found)) => {
            tracing::info!(connection_id = %up.conn.id, platform = platform.as_str(), "account found in the member listing, not by its id");
            Ok(Some(found))
        }
        Ok(None) | Err(_) => refused.map_or(Ok(None), Err),
    }
}

async fn account_by_id(up: &Upstream, platform: AccountPlatform, external_id: &str) -> Result<Option<AccountInfo>, HttpError> {
    let conn = &up.conn;
    let base = &conn.base_url;
    let id = path_segment(external_id);
    let numeric = external_id.chars().all(|c| c.is_ascii_digit());
    // GitLab accounts are numbers: anything else cannot name one, and GitLab would answer 400.
    if platform == AccountPlatform::Gitlab && !numeric {
        return Ok(None);
    }
    let url = match platform {
        AccountPlatform::Jira => format!("{base}/rest/api/3/user?accountId={id}"),
        AccountPlatform::Bitbucket => format!("{base}/2.0/users/{id}"),
        AccountPlatform::Github if numeric => format!("{base}/user/{id}"),
        AccountPlatform::Github => format!("{base}/users/{id}"),
        AccountPlatform::Gitlab => format!("{base}/api/v4/users/{id}"),
        AccountPlatform::Slack => format!("{base}/api/users.info?user={id}"),
    };
    let Some(v) = get_json(up, &url).await? else { return Ok(None) };
    let info = match platform {
        AccountPlatform::Jira => AccountInfo {
            external_id: text(&v, "/accountId").unwrap_or_default(),
            username: None,
            display_name: text(&v, "/displayName"),
            email: text(&v, "/emailAddress"),
            active: v["active"].as_bool().unwrap_or(false),
        },
        AccountPlatform::Bitbucket => AccountInfo {
            external_id: text(&v, "/uuid").unwrap_or_default(),
            username: text(&v, "/nickname"),
            display_name: text(&v, "/display_name"),
            email: None,
            active: true,
        },
        AccountPlatform::Github => AccountInfo {
            external_id: text(&v, "/id").unwrap_or_default(),
            username: text(&v, "/login"),
            display_name: text(&v, "/name"),
            email: text(&v, "/email"),
            active: true,
        },
        AccountPlatform::Gitlab => AccountInfo {
            external_id: text(&v, "/id").unwrap_or_default(),
            username: text(&v, "/username"),
            display_name: text(&v, "/name"),
            email: text(&v, "/public_email").filter(|e| !e.is_empty()),
            active: text(&v, "/state").as_deref() == Some("active"),
        },
        AccountPlatform::Slack => {
            if v["ok"] != Value::Bool(true) {
                return match text(&v, "/error").as_deref() {
                    Some("user_not_found") => Ok(None),
                    other => Err(HttpError::Status { url, status: 200, snippet: format!("ok: false, error: {}", other.unwrap_or("unknown")) }),
                };
            }
            AccountInfo {
                external_id: text(&v, "/user/id").unwrap_or_default(),
                username: text(&v, "/user/name"),
                display_name: text(&v, "/user/real_name"),
                email: text(&v, "/user/profile/email"),
                active: !v.pointer("/user/deleted").and_then(Value::as_bool).unwrap_or(false),
            }
        }
    };
    Ok(Some(info))
}

/// Pages of workspace members read before giving up (100 per page: 100,000 members).
const MEMBER_PAGES: usize = 1_000;

/// A Bitbucket account by its nickname (the old username). Bitbucket Cloud removed look-ups by
/// username for GDPR, but each workspace member still carries `user.nickname`, so this pages
/// through the members of the connection's workspace and matches it exactly.
pub async fn bitbucket_account_by_nickname(up: &Upstream, nickname: &str) -> Result<Option<AccountInfo>, HttpError> {
    let conn = &up.conn;
    let mut url = format!("{}/2.0/workspaces/{}/members?pagelen=100", conn.base_url, path_segment(&conn.scope));
    for _ in 0..MEMBER_PAGES {
        // Here a 404 means the workspace is missing, not the member: say so rather than "not found".
        let Some(page) = get_json(up, &url).await? else {
            return Err(HttpError::Status { url, status: 404, snippet: format!("no workspace '{}'", conn.scope) });
        };
        let values = page["values"].as_array().map(Vec::as_slice).unwrap_or_default();
        if let Some(user) = values.iter().map(|m| &m["user"]).find(|u| u["nickname"].as_str() == Some(nickname)) {
            return Ok(Some(AccountInfo {
                external_id: text(user, "/uuid").unwrap_or_default(),
                username: text(user, "/nickname"),
                display_name: text(user, "/display_name"),
                email: None,
                active: true,
            }));
        }
        match text(&page, "/next") {
            None => return Ok(None),
            // Every request carries the connection's credentials: never follow a page elsewhere.
            Some(next) if !crate::upstream::policy::on_connection_origin(&conn.base_url, &next) => {
                return Err(HttpError::Decode { url, message: "the next page is on another host".into(), snippet: snippet(&next) });
            }
            Some(next) => url = next,
        }
    }
    Err(HttpError::Decode { url, message: format!("more than {MEMBER_PAGES} pages of members"), snippet: String::new() })
}
