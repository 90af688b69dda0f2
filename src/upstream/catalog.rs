//! What a connection holds, listed for suggestions and live search: every Jira project, every
//! repository with its recent commit messages and pull requests, every account. Follows each
//! platform's own paging (Jira `isLast`, Bitbucket `next`, GitHub `Link`, GitLab
//! `x-next-page`, Slack cursors) on the connection's own origin only, with a page cap so a
//! runaway upstream cannot loop forever — reaching it is an error, never a silently short list.

use super::client::next_link;
use super::lookup::{get_json, path_segment, text};
use super::{paging, HttpError, Page, Upstream};
use crate::domain::{AccountPlatform, RepoPlatform};
use crate::suggest::{AccountCandidate, JiraProjectCandidate, PullRequestText, RepoCandidate};
use reqwest::header::HeaderMap;
use serde_json::Value;

/// Listings are read whole for every suggestion and search, so a list this long (100,000
/// entries or more) is more likely a runaway upstream than an organisation.
const MAX_PAGES: usize = 1_000;

fn items(v: &Value, pointer: &str) -> Vec<Value> {
    v.pointer(pointer).and_then(Value::as_array).cloned().unwrap_or_default()
}

/// Walks a paged list with the shared walker: `page` maps (body, headers, URL) to (items, next
/// URL). A 404 on the first page is an empty list (a workspace without members, say); a next
/// page on another origin, a 404 part-way or more than `MAX_PAGES` pages are errors.
async fn walk<F>(up: &Upstream, first: String, mut page: F) -> Result<Vec<Value>, HttpError>
where
    F: FnMut(&Value, &HeaderMap, &str) -> (Vec<Value>, Option<String>),
{
    paging::walk(up, first, &[404], MAX_PAGES, |p: Page<Value>, url| page(&p.body, &p.headers, url)).await
}

pub async fn jira_projects(up: &Upstream) -> Result<Vec<JiraProjectCandidate>, HttpError> {
    let conn = &up.conn;
    let base = conn.base_url.clone();
    let first = format!("{base}/rest/api/3/project/search?startAt=0&maxResults=100&status=live&status=archived");
    let values = walk(up, first, |body, _, _| {
        let next = (body["isLast"] == Value::Bool(false))
            .then(|| body["startAt"].as_u64().unwrap_or(0) + body["maxResults"].as_u64().unwrap_or(100))
            .map(|start| format!("{base}/rest/api/3/project/search?startAt={start}&maxResults=100&status=live&status=archived"));
        (items(body, "/values"), next)
    })
    .await?;
    Ok(values
        .iter()
        .map(|p| JiraProjectCandidate {
            connection_id: conn.id,
            jira_project_id: text(p, "/id").unwrap_or_default(),
            key: text(p, "/key").unwrap_or_default(),
            name: text(p, "/name").unwrap_or_default(),
            archived: p["archived"].as_bool().unwrap_or(false),
        })
        .collect())
}

fn gitlab_next(headers: &HeaderMap, current: &str) -> Option<String> {
    let next = headers.get("x-next-page")?.to_str().ok()?.trim().to_owned();
    if next.is_empty() {
        return None;
    }
    let base = current.split("&page=").next().unwrap_or(current);
    Some(format!("{base}&page={next}"))
}

/// Every repository of the connection, each with up to 100 recent commit messages and pull
/// requests (what the commit- and PR-key rules read).
pub async fn repositories(up: &Upstream, platform: RepoPlatform) -> Result<Vec<RepoCandidate>, HttpError> {
    let conn = &up.conn;
    let (base, ws) = (&conn.base_url, &conn.scope);
    let listed = match platform {
        RepoPlatform::Bitbucket => walk(up, format!("{base}/2.0/repositories/{ws}?pagelen=100"), |b, _, _| (items(b, "/values"), text(b, "/next"))).await?,
        RepoPlatform::Github => walk(up, format!("{base}/orgs/{ws}/repos?per_page=100"), |b, h, _| (b.as_array().cloned().unwrap_or_default(), next_link(h))).await?,
        RepoPlatform::Gitlab => {
            let group = path_segment(ws);
            walk(up, format!("{base}/api/v4/groups/{group}/projects?include_subgroups=true&per_page=100"), |b, h, cur| (b.as_array().cloned().unwrap_or_default(), gitlab_next(h, cur))).await?
        }
    };
    let mut out = Vec::new();
    for r in &listed {
        let (external_id, slug, name, workspace, commits_url, pulls_url) = match platform {
            RepoPlatform::Bitbucket => {
                let slug = text(r, "/slug").unwrap_or_default();
                let repo = format!("{base}/2.0/repositories/{ws}/{}", path_segment(&slug));
                (text(r, "/uuid"), slug, text(r, "/name"), ws.clone(), format!("{repo}/commits?pagelen=100"), format!("{repo}/pullrequests?state=OPEN&state=MERGED&state=DECLINED&pagelen=50"))
            }
            RepoPlatform::Github => {
                let id = text(r, "/id").unwrap_or_default();
                let repo = format!("{base}/repositories/{id}");
                (Some(id), text(r, "/name").unwrap_or_default(), text(r, "/name"), ws.clone(), format!("{repo}/commits?per_page=100"), format!("{repo}/pulls?state=all&per_page=100"))
            }
            RepoPlatform::Gitlab => {
                let id = text(r, "/id").unwrap_or_default();
                let repo = format!("{base}/api/v4/projects/{id}");
                let namespace = text(r, "/namespace/full_path").unwrap_or_else(|| ws.clone());
                (Some(id), text(r, "/path").unwrap_or_default(), text(r, "/name"), namespace, format!("{repo}/repository/commits?per_page=100"), format!("{repo}/merge_requests?state=all&per_page=100"))
            }
        };
        // An empty repository answers 409 on GitHub: no commits, not a failure.
        let commits = match get_json(up, &commits_url).await {
            Ok(v) => v.unwrap_or(Value::Null),
            Err(HttpError::Status { status: 409, .. }) => Value::Null,
            Err(e) => return Err(e),
        };
        let pulls = get_json(up, &pulls_url).await?.unwrap_or(Value::Null);
        let (commit_items, message_ptr) = match platform {
            RepoPlatform::Bitbucket => (items(&commits, "/values"), "/message"),
            RepoPlatform::Github => (commits.as_array().cloned().unwrap_or_default(), "/commit/message"),
            RepoPlatform::Gitlab => (commits.as_array().cloned().unwrap_or_default(), "/message"),
        };
        let (pull_items, title, branch, description) = match platform {
            RepoPlatform::Bitbucket => (items(&pulls, "/values"), "/title", "/source/branch/name", "/description"),
            RepoPlatform::Github => (pulls.as_array().cloned().unwrap_or_default(), "/title", "/head/ref", "/body"),
            RepoPlatform::Gitlab => (pulls.as_array().cloned().unwrap_or_default(), "/title", "/source_branch", "/description"),
        };
        out.push(RepoCandidate {
            connection_id: conn.id,
            platform,
            external_id: external_id.unwrap_or_default(),
            workspace,
            name: name.unwrap_or_else(|| slug.clone()),
            slug,
            commit_messages: commit_items.iter().filter_map(|c| text(c, message_ptr)).collect(),
            pull_requests: pull_items
                .iter()
                .map(|p| PullRequestText { title: text(p, title).unwrap_or_default(), source_branch: text(p, branch).unwrap_or_default(), description: text(p, description).unwrap_or_default() })
                .collect(),
        });
    }
    Ok(out)
}

/// GitHub's organisation members: ids and logins only (names and e-mails take a request each).
async fn github_members(up: &Upstream) -> Result<Vec<Value>, HttpError> {
    let conn = &up.conn;
    walk(up, format!("{}/orgs/{}/members?per_page=100", conn.base_url, conn.scope), |b, h, _| (b.as_array().cloned().unwrap_or_default(), next_link(h))).await
}

/// One account found in the connection's member listing (workspace, organisation, group or
/// site users) by its stable id, or a GitHub login: the look-up of last resort.
pub async fn member(up: &Upstream, platform: AccountPlatform, external_id: &str) -> Result<Option<super::lookup::AccountInfo>, HttpError> {
    if platform == AccountPlatform::Github {
        let members = github_members(up).await?;
        let found = members.iter().find(|m| text(m, "/id").as_deref() == Some(external_id) || text(m, "/login").is_some_and(|l| l.eq_ignore_ascii_case(external_id)));
        return Ok(found.map(|m| super::lookup::AccountInfo { external_id: text(m, "/id").unwrap_or_default(), username: text(m, "/login"), display_name: None, email: None, active: true }));
    }
    let listed = accounts(up, platform).await?;
    Ok(listed.into_iter().find(|c| c.external_id == external_id).map(|c| super::lookup::AccountInfo { external_id: c.external_id, username: c.username, display_name: c.display_name, email: c.email, active: c.active }))
}

/// Every account of the connection that the platform lists.
pub async fn accounts(up: &Upstream, platform: AccountPlatform) -> Result<Vec<AccountCandidate>, HttpError> {
    let conn = &up.conn;
    let (base, ws) = (conn.base_url.clone(), conn.scope.clone());
    let candidate = |external_id: Option<String>, username: Option<String>, display_name: Option<String>, email: Option<String>, is_bot: bool, active: bool| AccountCandidate {
        connection_id: conn.id,
        platform,
        external_id: external_id.unwrap_or_default(),
        username,
        display_name,
        email,
        is_bot,
        active,
    };
    Ok(match platform {
        AccountPlatform::Jira => {
            let first = format!("{base}/rest/api/3/users/search?startAt=0&maxResults=1000");
            let mut start = 0;
            let users = walk(up, first, |b, _, _| {
                let found = b.as_array().cloned().unwrap_or_default();
                start += found.len();
                let next = (!found.is_empty()).then(|| format!("{base}/rest/api/3/users/search?startAt={start}&maxResults=1000"));
                (found, next)
            })
            .await?;
            users.iter().map(|u| candidate(text(u, "/accountId"), None, text(u, "/displayName"), text(u, "/emailAddress"), text(u, "/accountType").as_deref() == Some("app"), u["active"].as_bool().unwrap_or(false))).collect()
        }
        AccountPlatform::Bitbucket => {
            let members = walk(up, format!("{base}/2.0/workspaces/{ws}/members?pagelen=100"), |b, _, _| (items(b, "/values"), text(b, "/next"))).await?;
            members.iter().map(|m| candidate(text(m, "/user/uuid"), text(m, "/user/nickname"), text(m, "/user/display_name"), None, false, true)).collect()
        }
        AccountPlatform::Github => {
            let members = github_members(up).await?;
            let mut out = Vec::new();
            for m in &members {
                let login = text(m, "/login").unwrap_or_default();
                // The member list has no names or e-mails; the user document does.
                let full = get_json(up, &format!("{base}/users/{}", path_segment(&login))).await?.unwrap_or(Value::Null);
                out.push(candidate(text(m, "/id"), Some(login), text(&full, "/name"), text(&full, "/email"), text(m, "/type").as_deref() == Some("Bot"), true));
            }
            out
        }
        AccountPlatform::Gitlab => {
            let group = path_segment(&ws);
            // `/all` includes members inherited from parent groups, as a nested group's people are.
            let members = walk(up, format!("{base}/api/v4/groups/{group}/members/all?per_page=100"), |b, h, cur| (b.as_array().cloned().unwrap_or_default(), gitlab_next(h, cur))).await?;
            members.iter().map(|m| candidate(text(m, "/id"), text(m, "/username"), text(m, "/name"), None, m["bot"].as_bool().unwrap_or(false), text(m, "/state").as_deref() == Some("active"))).collect()
        }
        AccountPlatform::Slack => {
            let first = format!("{base}/api/users.list?limit=200");
            let users = walk(up, first, |b, _, _| {
                let cursor = text(b, "/response_metadata/next_cursor").filter(|c| !c.is_empty());
                (items(b, "/members"), cursor.map(|c| format!("{base}/api/users.list?limit=200&cursor={}", path_segment(&c))))
            })
            .await?;
            users
                .iter()
                .map(|u| candidate(text(u, "/id"), text(u, "/name"), text(u, "/real_name"), text(u, "/profile/email"), u["is_bot"].as_bool().unwrap_or(false), !u["deleted"].as_bool().unwrap_or(false)))
                .collect()
        }
    })
}
