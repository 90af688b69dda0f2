//! Admin mutations of the simulated upstream, for tests and demos: what people do in Jira and
//! on the git hosts while Velocity is syncing. Every change stamps `updated` with `at` (epoch
//! ms, optional; default now) so tests can place changes before the feeds' one-minute horizon.

use super::admin::{bad_request, not_found};
use super::generate::host_mut;
use super::org::{Commit, GitPlatform, IssueStatus, JiraIssue, JiraWorklog, Org, PrState, PullRequest};
use super::server::SimState;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, post, put};
use axum::{Json, Router};
use chrono::{DateTime, TimeZone, Utc};
use serde::Deserialize;
use serde_json::json;
use std::sync::Arc;

pub fn router() -> Router<Arc<SimState>> {
    Router::new()
        .route("/jira/issues", post(create_issue))
        .route("/jira/issues/{id}", put(update_issue).delete(delete_issue))
        .route("/jira/worklogs", post(create_worklog))
        .route("/jira/worklogs/{id}", put(update_worklog).delete(delete_worklog))
        .route("/jira/projects/{key}/rename", post(rename_jira_project))
        .route("/jira/projects/{key}", delete(delete_jira_project))
        .route("/jira/users/{account_id}/deactivate", post(deactivate_jira_user))
        .route("/{platform}/repos/{slug}/rename", post(rename_repo))
        .route("/{platform}/repos/{slug}", delete(delete_repo))
        .route("/{platform}/repos/{slug}/commits", post(push_commits))
        .route("/{platform}/repos/{slug}/pulls", post(open_pull))
        .route("/{platform}/repos/{slug}/pulls/{number}/merge", post(merge_pull))
        .route("/{platform}/repos/{slug}/pulls/{number}", delete(delete_pull))
        .route("/{platform}/accounts/{login}/deactivate", post(deactivate_account))
        .route("/slack/users/{id}/deactivate", post(deactivate_slack_user))
}

fn at(ms: Option<i64>) -> Result<DateTime<Utc>, Response> {
    match ms {
        None => Ok(Utc::now()),
        Some(ms) => Utc.timestamp_millis_opt(ms).single().ok_or_else(|| bad_request(format!("'at' {ms} is not a valid epoch-millisecond time"))),
    }
}

fn status(name: Option<&str>) -> Result<Option<IssueStatus>, Response> {
    match name {
        None => Ok(None),
        Some(n) => IssueStatus::ALL
            .into_iter()
            .find(|s| s.jira_fields().1.eq_ignore_ascii_case(n))
            .map(Some)
            .ok_or_else(|| bad_request(format!("unknown status '{n}': use To Do, In Progress, In Review or Done"))),
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct NewIssue {
    project_key: String,
    summary: String,
    status: Option<String>,
    assignee: Option<String>,
    at: Option<i64>,
}

async fn create_issue(State(s): State<Arc<SimState>>, Json(body): Json<NewIssue>) -> Response {
    let when = match at(body.at) { Ok(t) => t, Err(r) => return r };
    let status = match status(body.status.as_deref()) { Ok(s) => s.unwrap_or(IssueStatus::ToDo), Err(r) => return r };
    let mut org = s.write();
    let Some(project) = org.jira.projects.iter().find(|p| p.key == body.project_key && !p.deleted) else {
        return not_found(format!("no Jira project with key '{}'", body.project_key));
    };
    let (project_id, key) = (project.id, project.key.clone());
    let number = org.jira.issues.iter().filter(|i| i.project_id == project_id).map(|i| i.number).max().unwrap_or(0) + 1;
    org.jira.next_id += 1;
    let id = org.jira.next_id;
    org.jira.issues.push(JiraIssue { id, project_id, number, previous_keys: vec![], summary: body.summary, status, issue_type: "Task", assignee: body.assignee, created: when, updated: when, resolved: (status == IssueStatus::Done).then_some(when), deleted: false });
    Json(json!({"id": id.to_string(), "key": format!("{key}-{number}")})).into_response()
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct IssueChange {
    summary: Option<String>,
    status: Option<String>,
    assignee: Option<String>,
    at: Option<i64>,
}

fn issue_mut(org: &mut Org, id: &str) -> Option<usize> {
    org.jira.issues.iter().position(|i| i.id.to_string() == id && !i.deleted)
}

async fn update_issue(State(s): State<Arc<SimState>>, Path(id): Path<String>, Json(body): Json<IssueChange>) -> Response {
    let when = match at(body.at) { Ok(t) => t, Err(r) => return r };
    let new_status = match status(body.status.as_deref()) { Ok(s) => s, Err(r) => return r };
    let mut org = s.write();
    let Some(i) = issue_mut(&mut org, &id) else { return not_found(format!("no issue {id}")) };
    let issue = &mut org.jira.issues[i];
    if let Some(summary) = body.summary {
        issue.summary = summary;
    }
    if let Some(st) = new_status {
        if st != IssueStatus::Done {
            issue.resolved = None;
        } else if issue.status != IssueStatus::Done {
            issue.resolved = Some(when);
        }
        issue.status = st;
    }
    if body.assignee.is_some() {
        issue.assignee = body.assignee;
    }
    issue.updated = when;
    Json(json!({"id": id})).into_response()
}

async fn delete_issue(State(s): State<Arc<SimState>>, Path(id): Path<String>) -> Response {
    let mut org = s.write();
    let Some(i) = issue_mut(&mut org, &id) else { return not_found(format!("no issue {id}")) };
    org.jira.issues[i].deleted = true;
    let issue_id = org.jira.issues[i].id;
    // Jira deletes an issue's worklogs with it, and the deletion feed reports them.
    let now = Utc::now();
    let (gone, kept): (Vec<JiraWorklog>, Vec<JiraWorklog>) = std::mem::take(&mut org.jira.worklogs).into_iter().partition(|w| w.issue_id == issue_id);
    org.jira.worklogs = kept;
    org.jira.deleted_worklogs.extend(gone.iter().map(|w| (w.id, now)));
    Json(json!({"id": id, "deletedWorklogs": gone.len()})).into_response()
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct NewWorklog {
    issue_id: String,
    author: String,
    time_spent_seconds: i64,
    started: Option<i64>,
    at: Option<i64>,
}

async fn create_worklog(State(s): State<Arc<SimState>>, Json(body): Json<NewWorklog>) -> Response {
    let when = match at(body.at) { Ok(t) => t, Err(r) => return r };
    let started = match body.started { None => when, Some(ms) => match at(Some(ms)) { Ok(t) => t, Err(r) => return r } };
    if body.time_spent_seconds <= 0 {
        return bad_request("timeSpentSeconds must be positive");
    }
    let mut org = s.write();
    let Some(i) = issue_mut(&mut org, &body.issue_id) else { return not_found(format!("no issue {}", body.issue_id)) };
    if !org.jira.users.iter().any(|u| u.account_id == body.author) {
        return not_found(format!("no Jira user '{}'", body.author));
    }
    let issue_id = org.jira.issues[i].id;
    org.jira.next_id += 1;
    let id = org.jira.next_id;
    org.jira.worklogs.push(JiraWorklog { id, issue_id, author: body.author, started, time_spent_seconds: body.time_spent_seconds, created: when, updated: when });
    Json(json!({"id": id.to_string()})).into_response()
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct WorklogChange {
    time_spent_seconds: i64,
    at: Option<i64>,
}

async fn update_worklog(State(s): State<Arc<SimState>>, Path(id): Path<String>, Json(body): Json<WorklogChange>) -> Response {
    let when = match at(body.at) { Ok(t) => t, Err(r) => return r };
    if body.time_spent_seconds <= 0 {
        return bad_request("timeSpentSeconds must be positive");
    }
    let mut org = s.write();
    let Some(w) = org.jira.worklogs.iter_mut().find(|w| w.id.to_string() == id) else { return not_found(format!("no worklog {id}")) };
    w.time_spent_seconds = body.time_spent_seconds;
    w.updated = when;
    Json(json!({"id": id})).into_response()
}

async fn delete_worklog(State(s): State<Arc<SimState>>, Path(id): Path<String>) -> Response {
    let mut org = s.write();
    let Some(i) = org.jira.worklogs.iter().position(|w| w.id.to_string() == id) else { return not_found(format!("no worklog {id}")) };
    let w = org.jira.worklogs.remove(i);
    org.jira.deleted_worklogs.push((w.id, Utc::now()));
    Json(json!({"id": id})).into_response()
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct Rename {
    new_key: String,
}

async fn rename_jira_project(State(s): State<Arc<SimState>>, Path(key): Path<String>, Json(body): Json<Rename>) -> Response {
    let valid = body.new_key.len() >= 2 && body.new_key.chars().next().is_some_and(|c| c.is_ascii_uppercase()) && body.new_key.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_');
    if !valid {
        return bad_request(format!("'{}' is not a valid Jira project key (A-Z, 0-9, _; starting with a letter)", body.new_key));
    }
    let mut org = s.write();
    if org.jira.projects.iter().any(|p| p.key == body.new_key || p.previous_keys.contains(&body.new_key)) {
        return bad_request(format!("the key '{}' is or was used by a project", body.new_key));
    }
    let Some(p) = org.jira.projects.iter_mut().find(|p| p.key == key && !p.deleted) else { return not_found(format!("no Jira project with key '{key}'")) };
    let old = std::mem::replace(&mut p.key, body.new_key);
    p.previous_keys.push(old);
    Json(json!({"id": p.id.to_string(), "key": p.key})).into_response()
}

async fn delete_jira_project(State(s): State<Arc<SimState>>, Path(key): Path<String>) -> Response {
    let mut org = s.write();
    let Some(p) = org.jira.projects.iter_mut().find(|p| p.key == key && !p.deleted) else { return not_found(format!("no Jira project with key '{key}'")) };
    p.deleted = true;
    Json(json!({"id": p.id.to_string()})).into_response()
}

async fn deactivate_jira_user(State(s): State<Arc<SimState>>, Path(account_id): Path<String>) -> Response {
    let mut org = s.write();
    let Some(u) = org.jira.users.iter_mut().find(|u| u.account_id == account_id) else { return not_found(format!("no Jira user '{account_id}'")) };
    u.active = false;
    Json(json!({"accountId": account_id, "active": false})).into_response()
}

fn platform(name: &str) -> Result<GitPlatform, Response> {
    match name {
        "bitbucket" => Ok(GitPlatform::Bitbucket),
        "github" => Ok(GitPlatform::Github),
        "gitlab" => Ok(GitPlatform::Gitlab),
        other => Err(bad_request(format!("unknown platform '{other}': use bitbucket, github or gitlab"))),
    }
}

/// The live repo with this slug on that platform, as an index into its host's repos.
fn repo_index(org: &mut Org, platform_name: &str, slug: &str) -> Result<(GitPlatform, usize), Response> {
    let pl = platform(platform_name)?;
    host_mut(org, pl).repos.iter().position(|r| r.slug == slug && !r.deleted).map(|i| (pl, i)).ok_or_else(|| not_found(format!("no {platform_name} repository '{slug}'")))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct RepoRename {
    new_slug: String,
}

async fn rename_repo(State(s): State<Arc<SimState>>, Path((pl, slug)): Path<(String, String)>, Json(body): Json<RepoRename>) -> Response {
    if body.new_slug.is_empty() || !body.new_slug.chars().all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c)) {
        return bad_request(format!("'{}' is not a valid repository slug", body.new_slug));
    }
    let mut org = s.write();
    let (pl, i) = match repo_index(&mut org, &pl, &slug) { Ok(x) => x, Err(r) => return r };
    let host = host_mut(&mut org, pl);
    if host.repos.iter().any(|r| r.slug == body.new_slug && !r.deleted) {
        return bad_request(format!("a repository '{}' already exists", body.new_slug));
    }
    let repo = &mut host.repos[i];
    let old = std::mem::replace(&mut repo.slug, body.new_slug.clone());
    repo.name = body.new_slug;
    repo.previous_slugs.push(old);
    repo.updated = Utc::now();
    Json(json!({"id": repo.id, "slug": repo.slug})).into_response()
}

async fn delete_repo(State(s): State<Arc<SimState>>, Path((pl, slug)): Path<(String, String)>) -> Response {
    let mut org = s.write();
    let (pl, i) = match repo_index(&mut org, &pl, &slug) { Ok(x) => x, Err(r) => return r };
    let repo = &mut host_mut(&mut org, pl).repos[i];
    repo.deleted = true;
    Json(json!({"id": repo.id})).into_response()
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct Push {
    message: String,
    author_login: Option<String>,
    #[serde(default = "one")]
    count: usize,
    at: Option<i64>,
}

fn one() -> usize {
    1
}

fn account_index(org: &mut Org, pl: GitPlatform, login: Option<&str>) -> Result<Option<usize>, Response> {
    match login {
        None => Ok(None),
        Some(l) => host_mut(org, pl).accounts.iter().position(|a| a.login == l).map(Some).ok_or_else(|| not_found(format!("no account '{l}'"))),
    }
}

async fn push_commits(State(s): State<Arc<SimState>>, Path((pl, slug)): Path<(String, String)>, Json(body): Json<Push>) -> Response {
    if body.count == 0 || body.count > 10_000 {
        return bad_request("count must be between 1 and 10000");
    }
    let when = match at(body.at) { Ok(t) => t, Err(r) => return r };
    let mut org = s.write();
    let (pl, i) = match repo_index(&mut org, &pl, &slug) { Ok(x) => x, Err(r) => return r };
    let author = match account_index(&mut org, pl, body.author_login.as_deref()) { Ok(a) => a, Err(r) => return r };
    let host = host_mut(&mut org, pl);
    let (name, email) = author.map_or_else(
        || ("Admin Push".to_owned(), "admin@acme.test".to_owned()),
        |a| (host.accounts[a].display_name.clone(), host.accounts[a].email.clone().unwrap_or_else(|| format!("{}@users.noreply.acme.test", host.accounts[a].login))),
    );
    let repo = &mut host.repos[i];
    let mut shas = Vec::new();
    for n in 0..body.count {
        // Content-derived so the same pushes give the same shas.
        let seed = format!("{}:{}:{}:{n}", repo.id, repo.commits.len(), body.message);
        let sha = format!("{:032x}{:08x}", fnv1a(&seed), fnv1a(&format!("{seed}!")) as u32);
        repo.commits.push(Commit { sha: sha.clone(), message: body.message.clone(), author_name: name.clone(), author_email: email.clone(), author_account: author, date: when });
        shas.push(sha);
    }
    repo.updated = when;
    Json(json!({"shas": shas})).into_response()
}

/// FNV-1a, 128-bit: a small deterministic hash for content-derived ids.
fn fnv1a(s: &str) -> u128 {
    let mut h: u128 = 0x6c62272e07bb014262b821756295c58d;
    for b in s.bytes() {
        h ^= u128::from(b);
        h = h.wrapping_mul(0x0000000001000000000000000000013B);
    }
    h
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct NewPull {
    title: String,
    source_branch: String,
    author_login: String,
    description: Option<String>,
    at: Option<i64>,
}

async fn open_pull(State(s): State<Arc<SimState>>, Path((pl, slug)): Path<(String, String)>, Json(body): Json<NewPull>) -> Response {
    let when = match at(body.at) { Ok(t) => t, Err(r) => return r };
    let mut org = s.write();
    let (pl, i) = match repo_index(&mut org, &pl, &slug) { Ok(x) => x, Err(r) => return r };
    let Some(author) = host_mut(&mut org, pl).accounts.iter().position(|a| a.login == body.author_login) else {
        return not_found(format!("no account '{}'", body.author_login));
    };
    let repo = &mut host_mut(&mut org, pl).repos[i];
    let number = repo.pull_requests.iter().map(|p| p.number).max().unwrap_or(0) + 1;
    let global_id = 9_000_000 + repo.numeric_id * 10_000 + number;
    repo.pull_requests.push(PullRequest { number, global_id, title: body.title, description: body.description.unwrap_or_default(), source_branch: body.source_branch, state: PrState::Open, author_account: author, created: when, updated: when, deleted: false });
    Json(json!({"number": number})).into_response()
}

fn pull_index(org: &mut Org, pl: &str, slug: &str, number: u64) -> Result<(GitPlatform, usize, usize), Response> {
    let (pl, i) = repo_index(org, pl, slug)?;
    host_mut(org, pl).repos[i].pull_requests.iter().position(|p| p.number == number && !p.deleted).map(|p| (pl, i, p)).ok_or_else(|| not_found(format!("no pull request {number} in '{slug}'")))
}

async fn merge_pull(State(s): State<Arc<SimState>>, Path((pl, slug, number)): Path<(String, String, u64)>) -> Response {
    let mut org = s.write();
    let (pl, i, p) = match pull_index(&mut org, &pl, &slug, number) { Ok(x) => x, Err(r) => return r };
    let pr = &mut host_mut(&mut org, pl).repos[i].pull_requests[p];
    if pr.state != PrState::Open {
        return bad_request(format!("pull request {number} is not open"));
    }
    pr.state = PrState::Merged;
    pr.updated = Utc::now();
    Json(json!({"number": number, "state": "merged"})).into_response()
}

async fn delete_pull(State(s): State<Arc<SimState>>, Path((pl, slug, number)): Path<(String, String, u64)>) -> Response {
    let mut org = s.write();
    let (pl, i, p) = match pull_index(&mut org, &pl, &slug, number) { Ok(x) => x, Err(r) => return r };
    host_mut(&mut org, pl).repos[i].pull_requests[p].deleted = true;
    Json(json!({"number": number})).into_response()
}

async fn deactivate_account(State(s): State<Arc<SimState>>, Path((pl, login)): Path<(String, String)>) -> Response {
    let pl = match platform(&pl) { Ok(p) => p, Err(r) => return r };
    let mut org = s.write();
    let Some(a) = host_mut(&mut org, pl).accounts.iter_mut().find(|a| a.login == login) else { return not_found(format!("no account '{login}'")) };
    a.active = false;
    Json(json!({"login": login, "active": false})).into_response()
}

async fn deactivate_slack_user(State(s): State<Arc<SimState>>, Path(id): Path<String>) -> Response {
    let mut org = s.write();
    let Some(u) = org.slack.users.iter_mut().find(|u| u.id == id) else { return not_found(format!("no Slack user '{id}'")) };
    u.deleted = true;
    Json(json!({"id": id, "deleted": true})).into_response()
}
