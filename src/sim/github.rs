//! GitHub REST v3 subset for one organisation: the authenticated user, repositories (also by
//! numeric id under `/repositories/{id}`), commits, pull requests, users and org members.
//! `page`/`per_page` pagination with a `link` header, rate-limit headers on every answer, the
//! classic token's scopes (`scopes`), 301 for renamed repositories and GitHub's
//! `{"message", "documentation_url", "status"}` errors.

use super::auth;
use super::git_common::{account_created, fake_sha, first, link_value, merge, old_path_matches, page_params, page_window, parse_time, query_pairs, resolve_ref, seed_of, token_owner, with_headers};
use super::org::{Commit, GitAccount, GitHost, PrState, PullRequest, Repo};
use super::ratelimit::{RateWindow, Window};
use super::scopes;
use super::server::{Sim, SimState};
use axum::extract::{Path, Request, State};
use axum::http::{StatusCode, Uri};
use axum::middleware::{from_fn_with_state, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use base64::Engine;
use chrono::{DateTime, Utc};
use serde_json::{json, Value};
use std::collections::HashMap;
use std::sync::Arc;

/// Where html_url, avatars and clone URLs point (the web side is not simulated).
const WEB: &str = "https://github.test";
const DOCS: &str = "https://docs.github.com/rest";
const COMMITS_DOCS: &str = "https://docs.github.com/rest/commits/commits";
const RATE_LIMIT: u64 = 5000;
/// The primary rate limit's window: an hour.
const WINDOW: i64 = 3600;

pub fn router(state: Arc<SimState>) -> Router {
    let window = Window::default();
    let mut router = Router::new()
        .route("/user", get(authenticated_user))
        .route("/orgs/{org}", get(org))
        .route("/orgs/{org}/repos", get(org_repos))
        .route("/orgs/{org}/members", get(org_members))
        .route("/users/{login}", get(user))
        .route("/user/{id}", get(user_by_id))
        .route("/rate_limit", get(rate_limit));
    // The same handlers by name and by the id that survives renames (PyGithub's get_repo(int)).
    for prefix in ["/repos/{owner}/{repo}", "/repositories/{id}"] {
        router = router
            .route(prefix, get(repo))
            .route(&format!("{prefix}/commits"), get(commits))
            .route(&format!("{prefix}/commits/{{sha}}"), get(commit))
            .route(&format!("{prefix}/pulls"), get(pulls))
            .route(&format!("{prefix}/pulls/{{number}}"), get(pull));
    }
    router
        .fallback(|| async { not_found() })
        .layer(from_fn_with_state((state.clone(), Sim::Github), scopes::gate))
        .layer(from_fn_with_state(state.clone(), require_auth))
        .layer(from_fn_with_state(window.clone(), common_headers))
        .with_state(AppState { sim: state, window })
}

#[derive(Clone)]
struct AppState {
    sim: Arc<SimState>,
    window: Window,
}

type S = State<AppState>;
type Params = Path<HashMap<String, String>>;

async fn require_auth(State(s): State<Arc<SimState>>, request: Request, next: Next) -> Response {
    match auth::github(request.headers(), &s.credentials.github_token) {
        Ok(()) => next.run(request).await,
        Err(r) => r,
    }
}

/// Rate-limit and content-type headers on every answer, errors included.
async fn common_headers(State(window): State<Window>, request: Request, next: Next) -> Response {
    let (used, reset) = RateWindow::tick(&window, request.uri().path() != "/rate_limit", WINDOW);
    let response = next.run(request).await;
    with_headers(response, [
        ("x-ratelimit-limit", RATE_LIMIT.to_string()),
        ("x-ratelimit-remaining", RATE_LIMIT.saturating_sub(used).to_string()),
        ("x-ratelimit-used", used.to_string()),
        ("x-ratelimit-reset", reset.to_string()),
        ("x-ratelimit-resource", "core".to_owned()),
        ("content-type", "application/json; charset=utf-8".to_owned()),
    ])
}

async fn rate_limit(State(s): S) -> Response {
    let (used, reset) = RateWindow::tick(&s.window, false, WINDOW);
    let core = json!({"limit": RATE_LIMIT, "used": used, "remaining": RATE_LIMIT.saturating_sub(used), "reset": reset, "resource": "core"});
    Json(json!({"resources": {"core": core}, "rate": core})).into_response()
}

// ---------- errors and pagination ----------

fn error(status: StatusCode, message: &str, docs: &str) -> Response {
    (status, Json(json!({"message": message, "documentation_url": docs, "status": status.as_u16().to_string()}))).into_response()
}

pub(super) fn not_found() -> Response {
    error(StatusCode::NOT_FOUND, "Not Found", DOCS)
}

fn invalid(resource: &str, field: &str) -> Response {
    let body = json!({"message": "Validation Failed", "errors": [{"resource": resource, "field": field, "code": "invalid"}], "documentation_url": DOCS, "status": "422"});
    (StatusCode::UNPROCESSABLE_ENTITY, Json(body)).into_response()
}

/// One page of `items` as a JSON array, with a `link` header (prev, next, last, first) when
/// there is more than one page.
fn paged<T>(base: &str, uri: &Uri, (page, per_page): (usize, usize), items: &[T], render: impl Fn(&T) -> Value) -> Response {
    let last = items.len().div_ceil(per_page).max(1);
    let body: Vec<Value> = page_window(items, (page, per_page)).iter().map(render).collect();
    let response = Json(body).into_response();
    if last == 1 && page == 1 {
        return response;
    }
    let (back, on) = (page > 1, page < last);
    let rels = [(back, page.saturating_sub(1), "prev"), (on, page + 1, "next"), (on, last, "last"), (back, 1, "first")];
    with_headers(response, [("link", link_value(base, uri, &rels))])
}

// ---------- objects ----------

fn ts(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

fn node_id(kind: &str, id: impl std::fmt::Display) -> String {
    base64::engine::general_purpose::STANDARD.encode(format!("{kind}{id}"))
}

fn user_core(base: &str, login: &str, id: u64, kind: &str) -> Value {
    let api = format!("{base}/users/{login}");
    json!({
        "login": login, "id": id, "node_id": node_id(if kind == "Organization" { "012:Organization" } else { "04:User" }, id),
        "avatar_url": format!("https://avatars.github.test/u/{id}?v=4"), "gravatar_id": "", "url": api, "html_url": format!("{WEB}/{login}"),
        "followers_url": format!("{api}/followers"), "following_url": format!("{api}/following{{/other_user}}"), "gists_url": format!("{api}/gists{{/gist_id}}"),
        "starred_url": format!("{api}/starred{{/owner}}{{/repo}}"), "subscriptions_url": format!("{api}/subscriptions"), "organizations_url": format!("{api}/orgs"),
        "repos_url": format!("{api}/repos"), "events_url": format!("{api}/events{{/privacy}}"), "received_events_url": format!("{api}/received_events"),
        "type": kind, "user_view_type": "public", "site_admin": false,
    })
}

/// Apps (`name[bot]`) are type Bot; machine users such as a CI account are plain users.
fn simple_user(base: &str, a: &GitAccount) -> Value {
    user_core(base, &a.login, a.id.parse().unwrap_or_default(), if a.bot && a.login.ends_with("[bot]") { "Bot" } else { "User" })
}

/// The organisation where GitHub shows it as an account: repository owners and `/users/{org}`.
fn org_user(base: &str, host: &GitHost) -> Value {
    user_core(base, &host.owner, host.owner_id, "Organization")
}

/// The organisation itself (`GET /orgs/{org}`, organization-full): its links live under
/// `/orgs/{org}`, so clients that follow `repos_url` or build on `url` reach the org routes.
fn org_full(base: &str, host: &GitHost) -> Value {
    let (login, id) = (&host.owner, host.owner_id);
    let api = format!("{base}/orgs/{login}");
    let live: Vec<&Repo> = host.repos.iter().filter(|r| !r.deleted).collect();
    let created = host.repos.iter().map(|r| r.created).min().unwrap_or_default();
    let updated = host.repos.iter().map(|r| r.updated).max().unwrap_or(created);
    json!({
        "login": login, "id": id, "node_id": node_id("012:Organization", id), "url": api,
        "repos_url": format!("{api}/repos"), "events_url": format!("{api}/events"), "hooks_url": format!("{api}/hooks"),
        "issues_url": format!("{api}/issues"), "members_url": format!("{api}/members{{/member}}"), "public_members_url": format!("{api}/public_members{{/member}}"),
        "avatar_url": format!("https://avatars.github.test/u/{id}?v=4"), "description": null, "name": null, "company": null, "blog": "",
        "location": null, "email": null, "twitter_username": null, "is_verified": false, "has_organization_projects": true, "has_repository_projects": true,
        "public_repos": 0, "public_gists": 0, "followers": 0, "following": 0, "html_url": format!("{WEB}/{login}"),
        "created_at": ts(created), "updated_at": ts(updated), "archived_at": null, "type": "Organization",
        "total_private_repos": live.len(), "owned_private_repos": live.len(),
    })
}

fn full_user(base: &str, a: &GitAccount) -> Value {
    let created = ts(account_created(a));
    merge(simple_user(base, a), json!({
        "name": a.display_name, "company": null, "blog": "", "location": null, "email": a.email, "hireable": null, "bio": null,
        "twitter_username": null, "public_repos": 0, "public_gists": 0, "followers": 0, "following": 0, "created_at": created, "updated_at": created,
    }))
}

fn repo_json(base: &str, host: &GitHost, r: &Repo, full: bool) -> Value {
    let full_name = format!("{}/{}", host.owner, r.slug);
    let api = format!("{base}/repos/{full_name}");
    let pushed = r.commits.last().map_or(r.created, |c| c.date);
    let open = r.pull_requests.iter().filter(|p| !p.deleted && p.state == PrState::Open).count();
    let v = json!({
        "id": r.numeric_id, "node_id": node_id("010:Repository", r.numeric_id), "name": r.slug, "full_name": full_name, "private": true,
        "owner": org_user(base, host), "html_url": format!("{WEB}/{full_name}"), "description": Some(&r.description).filter(|d| !d.is_empty()),
        "fork": false, "url": api, "commits_url": format!("{api}/commits{{/sha}}"), "pulls_url": format!("{api}/pulls{{/number}}"),
        "created_at": ts(r.created), "updated_at": ts(r.updated), "pushed_at": ts(pushed),
        "git_url": format!("git://github.test/{full_name}.git"), "ssh_url": format!("git@github.test:{full_name}.git"), "clone_url": format!("{WEB}/{full_name}.git"),
        "svn_url": format!("{WEB}/{full_name}"), "homepage": null, "size": r.commits.len() * 3, "stargazers_count": 0, "watchers_count": 0, "language": null,
        "has_issues": true, "has_projects": true, "has_downloads": true, "has_wiki": false, "has_pages": false, "has_discussions": false,
        "forks_count": 0, "mirror_url": null, "archived": false, "disabled": false, "open_issues_count": open, "license": null,
        "allow_forking": false, "is_template": false, "web_commit_signoff_required": false, "topics": [], "visibility": "private",
        "forks": 0, "open_issues": open, "watchers": 0, "default_branch": r.default_branch,
        "permissions": {"admin": false, "maintain": false, "push": false, "triage": false, "pull": true},
    });
    if !full {
        return v;
    }
    merge(v, json!({"organization": org_user(base, host), "network_count": 0, "subscribers_count": 0}))
}

fn commit_json(base: &str, host: &GitHost, r: &Repo, index: usize, detail: bool) -> Value {
    let c: &Commit = &r.commits[index];
    let (api, web) = (format!("{base}/repos/{}/{}", host.owner, r.slug), format!("{WEB}/{}/{}", host.owner, r.slug));
    let who = json!({"name": c.author_name, "email": c.author_email, "date": ts(c.date)});
    let account = c.author_account.and_then(|i| host.accounts.get(i)).map(|a| simple_user(base, a));
    let parents: Vec<Value> = index.checked_sub(1).map(|p| &r.commits[p].sha).into_iter()
        .map(|sha| json!({"sha": sha, "url": format!("{api}/commits/{sha}"), "html_url": format!("{web}/commit/{sha}")}))
        .collect();
    let tree = fake_sha(seed_of(&c.sha));
    let v = json!({
        "sha": c.sha, "node_id": node_id("06:Commit", format!("{}:{}", r.numeric_id, c.sha)),
        "commit": {
            "author": who, "committer": who, "message": c.message, "tree": {"sha": tree, "url": format!("{api}/git/trees/{tree}")},
            "url": format!("{api}/git/commits/{}", c.sha), "comment_count": 0,
            "verification": {"verified": false, "reason": "unsigned", "signature": null, "payload": null, "verified_at": null},
        },
        "url": format!("{api}/commits/{}", c.sha), "html_url": format!("{web}/commit/{}", c.sha), "comments_url": format!("{api}/commits/{}/comments", c.sha),
        "author": account, "committer": account, "parents": parents,
    });
    if !detail {
        return v;
    }
    let (add, del) = (seed_of(&c.sha) % 200, seed_of(&c.message) % 80);
    merge(v, json!({"stats": {"total": add + del, "additions": add, "deletions": del}, "files": []}))
}

fn pull_json(base: &str, host: &GitHost, r: &Repo, p: &PullRequest, detail: bool) -> Value {
    let api = format!("{base}/repos/{}/{}", host.owner, r.slug);
    let url = format!("{api}/pulls/{}", p.number);
    let html = format!("{WEB}/{}/{}/pull/{}", host.owner, r.slug, p.number);
    let closed = (p.state != PrState::Open).then(|| ts(p.updated));
    let merged = (p.state == PrState::Merged).then(|| ts(p.updated));
    let (repo, owner) = (repo_json(base, host, r, false), org_user(base, host));
    let base_sha = r.commits.last().map_or_else(|| fake_sha(r.numeric_id), |c| c.sha.clone());
    let v = json!({
        "url": url, "id": p.global_id, "node_id": node_id("011:PullRequest", p.global_id), "html_url": html,
        "diff_url": format!("{html}.diff"), "patch_url": format!("{html}.patch"), "issue_url": format!("{api}/issues/{}", p.number),
        "number": p.number, "state": if p.state == PrState::Open { "open" } else { "closed" }, "locked": false, "title": p.title,
        "user": host.accounts.get(p.author_account).map(|a| simple_user(base, a)), "body": p.description,
        "created_at": ts(p.created), "updated_at": ts(p.updated), "closed_at": closed, "merged_at": merged,
        "merge_commit_sha": merged.as_ref().map(|_| fake_sha(p.global_id ^ 0x5EED)), "assignee": null, "assignees": [],
        "requested_reviewers": [], "requested_teams": [], "labels": [], "milestone": null, "draft": false,
        "commits_url": format!("{url}/commits"), "review_comments_url": format!("{url}/comments"), "comments_url": format!("{api}/issues/{}/comments", p.number),
        "head": {"label": format!("{}:{}", host.owner, p.source_branch), "ref": p.source_branch, "sha": fake_sha(p.global_id), "user": owner, "repo": repo},
        "base": {"label": format!("{}:{}", host.owner, r.default_branch), "ref": r.default_branch, "sha": base_sha, "user": owner, "repo": repo},
        "author_association": "MEMBER", "auto_merge": null, "active_lock_reason": null,
    });
    if !detail {
        return v;
    }
    let g = p.global_id;
    merge(v, json!({
        "merged": merged.is_some(), "mergeable": null, "merged_by": null, "comments": 0, "review_comments": 0,
        "commits": 1 + g % 7, "additions": g % 300, "deletions": g % 90, "changed_files": 1 + g % 12,
    }))
}

// ---------- handlers ----------

enum Found<'a> {
    Repo(&'a Repo),
    Moved(String),
    Missing,
}

/// By `/repositories/{id}`, or by owner and name (case-insensitive); old names redirect.
fn locate<'a>(host: &'a GitHost, p: &HashMap<String, String>) -> Found<'a> {
    let live = || host.repos.iter().filter(|r| !r.deleted);
    if let Some(id) = p.get("id") {
        return live().find(|r| r.numeric_id.to_string() == *id).map_or(Found::Missing, Found::Repo);
    }
    let (owner, name) = (p.get("owner").map_or("", String::as_str), p.get("repo").map_or("", String::as_str));
    if let Some(r) = live().find(|r| owner.eq_ignore_ascii_case(&host.owner) && r.slug.eq_ignore_ascii_case(name)) {
        return Found::Repo(r);
    }
    let full = format!("{owner}/{name}");
    live().find(|r| r.previous_slugs.iter().any(|s| old_path_matches(s, &host.owner, &full))).map_or(Found::Missing, |r| Found::Moved(r.slug.clone()))
}

/// Runs `f` on the repository the path names, or answers 301/404 as GitHub does.
fn with_repo(s: &SimState, p: &HashMap<String, String>, uri: &Uri, f: impl FnOnce(&str, &GitHost, &Repo) -> Response) -> Response {
    let base = s.url(Sim::Github);
    let org = s.read();
    match locate(&org.github, p) {
        Found::Repo(r) => f(&base, &org.github, r),
        Found::Missing => not_found(),
        Found::Moved(slug) => {
            let rest = uri.path().splitn(5, '/').nth(4).map(|r| format!("/{r}")).unwrap_or_default();
            let query = uri.query().map(|q| format!("?{q}")).unwrap_or_default();
            let location = format!("{base}/repos/{}/{slug}{rest}{query}", org.github.owner);
            let body = json!({"message": "Moved Permanently", "url": location, "documentation_url": "https://docs.github.com/rest/repos/repos#get-a-repository"});
            (StatusCode::MOVED_PERMANENTLY, [("location", location.as_str())], Json(body)).into_response()
        }
    }
}

/// Runs `f` when `name` is this organisation's login, else 404.
fn with_org(s: &SimState, name: &str, f: impl FnOnce(&str, &GitHost) -> Response) -> Response {
    let org = s.read();
    if !name.eq_ignore_ascii_case(&org.github.owner) {
        return not_found();
    }
    f(&s.url(Sim::Github), &org.github)
}

async fn org(State(s): S, Path(name): Path<String>) -> Response {
    with_org(&s.sim, &name, |base, host| Json(org_full(base, host)).into_response())
}

async fn org_repos(State(s): S, Path(name): Path<String>, uri: Uri) -> Response {
    let q = query_pairs(&uri);
    let pg = match page_params(&q, 30) { Ok(pg) => pg, Err(field) => return invalid("Repository", field) };
    with_org(&s.sim, &name, |base, host| {
        // Every org repository here is private and no fork; a token without `repo` sees public ones only.
        let visible = !matches!(first(&q, "type"), Some("public" | "forks")) && s.sim.allows(Sim::Github, "/orgs/{org}/repos");
        let mut repos: Vec<&Repo> = host.repos.iter().filter(|r| visible && !r.deleted).collect();
        let sort = first(&q, "sort").unwrap_or("created");
        repos.sort_by(|a, b| match sort {
            "full_name" => a.slug.to_lowercase().cmp(&b.slug.to_lowercase()),
            "updated" => a.updated.cmp(&b.updated),
            "pushed" => a.commits.last().map(|c| c.date).cmp(&b.commits.last().map(|c| c.date)),
            _ => a.created.cmp(&b.created),
        }.then(a.numeric_id.cmp(&b.numeric_id)));
        if first(&q, "direction").map_or(sort != "full_name", |d| d == "desc") {
            repos.reverse();
        }
        paged(base, &uri, pg, &repos, |r| repo_json(base, host, r, false))
    })
}

async fn org_members(State(s): S, Path(name): Path<String>, uri: Uri) -> Response {
    let pg = match page_params(&query_pairs(&uri), 30) { Ok(pg) => pg, Err(field) => return invalid("User", field) };
    with_org(&s.sim, &name, |base, host| {
        // Apps (`…[bot]`) are no members, machine users are; deactivated accounts have left. A token
        // without `read:org` sees public members only, and every membership here is private
        // (GitHub's default).
        let concealed = s.sim.allows(Sim::Github, "/orgs/{org}/members");
        let members: Vec<&GitAccount> = host.accounts.iter().filter(|a| concealed && a.active && !a.login.ends_with("[bot]")).collect();
        paged(base, &uri, pg, &members, |a| simple_user(base, a))
    })
}

/// A user by `matches`, or the organisation itself (GitHub serves orgs under `/users` too).
fn user_answer(s: &SimState, matches: impl Fn(&GitAccount) -> bool, is_org: impl Fn(&GitHost) -> bool) -> Response {
    let (base, org) = (s.url(Sim::Github), s.read());
    if is_org(&org.github) {
        return Json(org_user(&base, &org.github)).into_response();
    }
    org.github.accounts.iter().find(|a| matches(a)).map_or_else(not_found, |a| Json(full_user(&base, a)).into_response())
}

/// The token's owner (`GET /user`, any token): its private fields need `user` or `read:user`.
async fn authenticated_user(State(s): S) -> Response {
    let (base, org) = (s.sim.url(Sim::Github), s.sim.read());
    let Some(a) = token_owner(&org.github) else { return not_found() };
    let user = full_user(&base, a);
    if !scopes::allows(&s.sim.granted(Sim::Github), &["user", "read:user"]) {
        return Json(user).into_response();
    }
    let private = json!({"private_gists": 0, "total_private_repos": 0, "owned_private_repos": 0, "disk_usage": 0, "collaborators": 0, "two_factor_authentication": true});
    Json(merge(user, private)).into_response()
}

async fn user(State(s): S, Path(login): Path<String>) -> Response {
    user_answer(&s.sim, |a| a.login.eq_ignore_ascii_case(&login), |h| h.owner.eq_ignore_ascii_case(&login))
}

async fn user_by_id(State(s): S, Path(id): Path<String>) -> Response {
    user_answer(&s.sim, |a| a.id == id, |h| h.owner_id.to_string() == id)
}

async fn repo(State(s): S, Path(p): Params, uri: Uri) -> Response {
    with_repo(&s.sim, &p, &uri, |base, host, r| Json(repo_json(base, host, r, true)).into_response())
}

async fn commits(State(s): S, Path(p): Params, uri: Uri) -> Response {
    let q = query_pairs(&uri);
    let pg = match page_params(&q, 30) { Ok(pg) => pg, Err(field) => return invalid("Commit", field) };
    let mut bounds = [None, None];
    for (slot, key) in bounds.iter_mut().zip(["since", "until"]) {
        if let Some(raw) = first(&q, key) {
            let Some(t) = parse_time(raw) else { return invalid("Commit", key) };
            *slot = Some(t);
        }
    }
    let [since, until] = bounds;
    let author = first(&q, "author").map(str::to_lowercase);
    with_repo(&s.sim, &p, &uri, |base, host, r| {
        if r.commits.is_empty() {
            return error(StatusCode::CONFLICT, "Git Repository is empty.", &format!("{COMMITS_DOCS}#list-commits"));
        }
        let sha = first(&q, "sha");
        let Some(head) = sha.map_or(r.commits.len().checked_sub(1), |sha| resolve_ref(r, sha)) else {
            return error(StatusCode::NOT_FOUND, &format!("No commit found for SHA: {}", sha.unwrap_or_default()), &format!("{COMMITS_DOCS}#list-commits"));
        };
        let login = |c: &Commit| c.author_account.and_then(|i| host.accounts.get(i)).map(|a| a.login.to_lowercase());
        let by = |c: &Commit| author.as_ref().is_none_or(|a| c.author_email.to_lowercase() == *a || login(c).as_ref() == Some(a));
        let within = |c: &Commit| since.is_none_or(|t| c.date >= t) && until.is_none_or(|t| c.date <= t);
        let hits: Vec<usize> = (0..=head).rev().filter(|i| within(&r.commits[*i]) && by(&r.commits[*i])).collect();
        paged(base, &uri, pg, &hits, |i| commit_json(base, host, r, *i, false))
    })
}

async fn commit(State(s): S, Path(p): Params, uri: Uri) -> Response {
    let sha = p.get("sha").cloned().unwrap_or_default();
    with_repo(&s.sim, &p, &uri, |base, host, r| match resolve_ref(r, &sha) {
        Some(i) => Json(commit_json(base, host, r, i, true)).into_response(),
        None => error(StatusCode::UNPROCESSABLE_ENTITY, &format!("No commit found for SHA: {sha}"), &format!("{COMMITS_DOCS}#get-a-commit")),
    })
}

async fn pulls(State(s): S, Path(p): Params, uri: Uri) -> Response {
    let q = query_pairs(&uri);
    let pg = match page_params(&q, 30) { Ok(pg) => pg, Err(field) => return invalid("PullRequest", field) };
    let wanted: &[PrState] = match first(&q, "state").unwrap_or("open") {
        "open" => &[PrState::Open],
        "closed" => &[PrState::Merged, PrState::Declined],
        "all" => &[PrState::Open, PrState::Merged, PrState::Declined],
        _ => return invalid("PullRequest", "state"),
    };
    let sort = first(&q, "sort").unwrap_or("created");
    let desc = first(&q, "direction").map_or(sort == "created", |d| d == "desc");
    // `head` is "owner:branch"; `base` is a branch, and every pull here targets the default one.
    let head = first(&q, "head").map(|h| h.rsplit(':').next().unwrap_or(h));
    with_repo(&s.sim, &p, &uri, |base, host, r| {
        let targets = first(&q, "base").is_none_or(|b| b == r.default_branch);
        let mut hits: Vec<&PullRequest> = r.pull_requests.iter()
            .filter(|pr| targets && !pr.deleted && wanted.contains(&pr.state) && head.is_none_or(|h| h == pr.source_branch))
            .collect();
        hits.sort_by(|a, b| if sort == "updated" { a.updated.cmp(&b.updated) } else { a.created.cmp(&b.created) }.then(a.number.cmp(&b.number)));
        if desc {
            hits.reverse();
        }
        paged(base, &uri, pg, &hits, |pr| pull_json(base, host, r, pr, false))
    })
}

async fn pull(State(s): S, Path(p): Params, uri: Uri) -> Response {
    let number = p.get("number").and_then(|n| n.parse::<u64>().ok());
    with_repo(&s.sim, &p, &uri, |base, host, r| match r.pull_requests.iter().find(|pr| !pr.deleted && Some(pr.number) == number) {
        Some(pr) => Json(pull_json(base, host, r, pr, true)).into_response(),
        None => not_found(),
    })
}
