//! GitLab REST v4 subset for one group: the group, its projects and members, commits, merge
//! requests, users, the token's user and the token itself. Offset pagination with
//! `x-page`/`x-total`… headers and a `link` header, `RateLimit-*` headers (`ratelimit`), the
//! token's scopes (`scopes`), 301 for projects asked for by an old path, and GitLab's
//! `{"message": "404 … Not Found"}` and `{"error": "… is invalid"}` errors.

use super::auth;
use super::git_common::{account_created, fake_sha, first, link_value, merge, old_path_matches, page_params, page_window, parse_time, query_pairs, resolve_ref, seed_of, token_owner, with_headers, Pairs};
use super::org::{GitAccount, GitHost, PrState, PullRequest, Repo};
use super::ratelimit::{self, Window};
use super::scopes;
use super::server::{Sim, SimState};
use axum::extract::{Path, Request, State};
use axum::http::{StatusCode, Uri};
use axum::middleware::{from_fn_with_state, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use chrono::{DateTime, Duration, Utc};
use serde_json::{json, Value};
use std::sync::Arc;

/// GitLab stops counting past this many records: no `x-total`, `x-total-pages` or `rel="last"`.
const COUNT_LIMIT: usize = 10_000;

pub fn router(state: Arc<SimState>) -> Router {
    Router::new()
        .route("/api/v4/groups/{id}", get(group))
        .route("/api/v4/groups/{id}/projects", get(group_projects))
        .route("/api/v4/groups/{id}/members", get(group_members))
        .route("/api/v4/groups/{id}/members/all", get(group_members))
        .route("/api/v4/projects/{id}", get(project))
        .route("/api/v4/projects/{id}/repository/commits", get(commits))
        .route("/api/v4/projects/{id}/repository/commits/{sha}", get(commit))
        .route("/api/v4/projects/{id}/merge_requests", get(merge_requests))
        .route("/api/v4/projects/{id}/merge_requests/{iid}", get(merge_request))
        .route("/api/v4/users", get(users))
        .route("/api/v4/users/{id}", get(user))
        .route("/api/v4/user", get(current_user))
        .route("/api/v4/personal_access_tokens/self", get(token_self))
        .fallback(|| async { (StatusCode::NOT_FOUND, Json(json!({"error": "404 Not Found"}))).into_response() })
        .layer(from_fn_with_state((state.clone(), Sim::Gitlab), scopes::gate))
        .layer(from_fn_with_state(Window::default(), ratelimit::gitlab))
        .layer(from_fn_with_state(state.clone(), require_auth))
        .with_state(state)
}

async fn require_auth(State(s): State<Arc<SimState>>, request: Request, next: Next) -> Response {
    match auth::gitlab(request.headers(), &s.credentials.gitlab_token) {
        Ok(()) => next.run(request).await,
        Err(r) => r,
    }
}

fn not_found(what: &str) -> Response {
    (StatusCode::NOT_FOUND, Json(json!({"message": format!("404 {what} Not Found")}))).into_response()
}

/// Grape's parameter errors: `{"error": "per_page is invalid"}`.
fn bad_request(message: String) -> Response {
    (StatusCode::BAD_REQUEST, Json(json!({"error": message}))).into_response()
}

fn ts(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string()
}

// Parameter checks return the error message; handlers turn it into a 400 with `bad_request`.
fn pages(q: &Pairs) -> Result<(usize, usize), String> {
    page_params(q, 20).map_err(|field| format!("{field} is invalid"))
}

/// Optional ISO 8601 parameter; a value that does not parse is a 400.
fn time_param(q: &Pairs, key: &str) -> Result<Option<DateTime<Utc>>, String> {
    first(q, key).map(|raw| parse_time(raw).ok_or_else(|| format!("{key} is invalid"))).transpose()
}

/// Value of an enumerated parameter, its default when absent; a value outside `allowed` is a 400.
fn choice<'a>(q: &'a Pairs, key: &str, allowed: &[&str], default: &'a str) -> Result<&'a str, String> {
    let value = first(q, key).unwrap_or(default);
    if allowed.contains(&value) { Ok(value) } else { Err(format!("{key} does not have a valid value")) }
}

/// One page of `items` with GitLab's offset-pagination headers and `link`.
fn paged<T>(base: &str, uri: &Uri, (page, per_page): (usize, usize), items: &[T], render: impl Fn(&T) -> Value) -> Response {
    let total = items.len();
    let total_pages = total.div_ceil(per_page).max(1);
    let counted = total <= COUNT_LIMIT;
    let has_next = page.saturating_mul(per_page) < total;
    let body: Vec<Value> = page_window(items, (page, per_page)).iter().map(render).collect();
    let rels = [(page > 1, page.saturating_sub(1), "prev"), (has_next, page + 1, "next"), (true, 1, "first"), (counted, total_pages, "last")];
    let opt = |cond: bool, n: usize| if cond { n.to_string() } else { String::new() };
    let mut headers = vec![
        ("x-page", page.to_string()),
        ("x-per-page", per_page.to_string()),
        ("x-next-page", opt(has_next, page + 1)),
        ("x-prev-page", opt(page > 1, page.saturating_sub(1))),
        ("link", link_value(base, uri, &rels)),
    ];
    if counted {
        headers.extend([("x-total", total.to_string()), ("x-total-pages", total_pages.to_string())]);
    }
    with_headers(Json(body).into_response(), headers)
}

// ---------- objects ----------

/// "acme-group" → "Acme Group": the group's display name.
fn group_name(path: &str) -> String {
    path.split(['-', '_']).map(|w| w.chars().take(1).flat_map(char::to_uppercase).chain(w.chars().skip(1)).collect::<String>()).collect::<Vec<_>>().join(" ")
}

fn user_basic(base: &str, a: &GitAccount) -> Value {
    json!({
        "id": a.id.parse::<u64>().unwrap_or_default(), "username": a.login, "name": a.display_name,
        "state": if a.active { "active" } else { "blocked" }, "locked": false,
        "avatar_url": format!("https://secure.gravatar.test/avatar/{}?s=80&d=identicon", a.id), "web_url": format!("{base}/{}", a.login),
    })
}

fn user_json(base: &str, a: &GitAccount, detail: bool) -> Value {
    let v = merge(user_basic(base, a), json!({"bot": a.bot}));
    if !detail {
        return v;
    }
    let created = ts(account_created(a));
    merge(v, json!({
        "created_at": created, "bio": "", "location": "", "public_email": a.email, "website_url": "", "organization": "",
        "job_title": "", "pronouns": null, "followers": 0, "following": 0,
    }))
}

fn group_json(base: &str, host: &GitHost) -> Value {
    json!({
        "id": host.owner_id, "web_url": format!("{base}/groups/{}", host.owner), "name": group_name(&host.owner), "path": host.owner,
        "description": "", "visibility": "private", "full_name": group_name(&host.owner), "full_path": host.owner,
        "parent_id": null, "avatar_url": null, "created_at": "2015-01-01T00:00:00.000Z",
    })
}

/// The group path a project lives in: the host's group, or a subgroup of it.
fn namespace_of(host: &GitHost, r: &Repo) -> String {
    r.subgroup.as_ref().map_or_else(|| host.owner.clone(), |s| format!("{}/{s}", host.owner))
}

fn project_json(base: &str, host: &GitHost, r: &Repo) -> Value {
    let namespace = namespace_of(host, r);
    let full_path = format!("{namespace}/{}", r.slug);
    let (namespace_path, parent) = match &r.subgroup {
        Some(s) => (s.clone(), json!(host.owner_id)),
        None => (host.owner.clone(), Value::Null),
    };
    let api = format!("{base}/api/v4/projects/{}", r.numeric_id);
    let activity = r.commits.last().map_or(r.updated, |c| c.date.max(r.updated));
    json!({
        "id": r.numeric_id, "description": r.description, "name": r.name, "name_with_namespace": format!("{} / {}", group_name(&host.owner), r.name),
        "path": r.slug, "path_with_namespace": full_path, "created_at": ts(r.created), "default_branch": r.default_branch,
        "tag_list": [], "topics": [], "ssh_url_to_repo": format!("git@gitlab.test:{full_path}.git"), "http_url_to_repo": format!("{base}/{full_path}.git"),
        "web_url": format!("{base}/{full_path}"), "readme_url": null, "forks_count": 0, "avatar_url": null, "star_count": 0,
        "last_activity_at": ts(activity), "empty_repo": r.commits.is_empty(), "archived": false, "visibility": "private",
        "namespace": {"id": host.owner_id, "name": group_name(&namespace_path), "path": namespace_path, "kind": "group", "full_path": namespace,
            "parent_id": parent, "avatar_url": null, "web_url": format!("{base}/groups/{namespace}")},
        "_links": {"self": api, "issues": format!("{api}/issues"), "merge_requests": format!("{api}/merge_requests"),
            "repo_branches": format!("{api}/repository/branches"), "labels": format!("{api}/labels"), "events": format!("{api}/events"), "members": format!("{api}/members")},
    })
}

fn commit_json(base: &str, host: &GitHost, r: &Repo, index: usize, detail: bool) -> Value {
    let c = &r.commits[index];
    let parents: Vec<&str> = index.checked_sub(1).map(|p| r.commits[p].sha.as_str()).into_iter().collect();
    let title = c.message.lines().next().unwrap_or_default();
    let v = json!({
        "id": c.sha, "short_id": c.sha.get(..8).unwrap_or(&c.sha), "created_at": ts(c.date), "parent_ids": parents, "title": title, "message": c.message,
        "author_name": c.author_name, "author_email": c.author_email, "authored_date": ts(c.date),
        "committer_name": c.author_name, "committer_email": c.author_email, "committed_date": ts(c.date),
        "trailers": {}, "extended_trailers": {}, "web_url": format!("{base}/{}/{}/-/commit/{}", host.owner, r.slug, c.sha),
    });
    if !detail {
        return v;
    }
    let add = c.sha.bytes().map(u64::from).sum::<u64>() % 200;
    merge(v, json!({"stats": {"additions": add, "deletions": add / 3, "total": add + add / 3}, "status": null, "project_id": r.numeric_id, "last_pipeline": null}))
}

fn mr_state(p: &PullRequest) -> &'static str {
    match p.state {
        PrState::Open => "opened",
        PrState::Merged => "merged",
        PrState::Declined => "closed",
    }
}

fn mr_json(base: &str, host: &GitHost, r: &Repo, p: &PullRequest, detail: bool) -> Value {
    let merged = (p.state == PrState::Merged).then(|| ts(p.updated));
    let closed = (p.state == PrState::Declined).then(|| ts(p.updated));
    let reference = format!("!{}", p.number);
    let v = json!({
        "id": p.global_id, "iid": p.number, "project_id": r.numeric_id, "title": p.title, "description": p.description, "state": mr_state(p),
        "created_at": ts(p.created), "updated_at": ts(p.updated), "merged_by": null, "merge_user": null, "merged_at": merged,
        "closed_by": null, "closed_at": closed, "target_branch": r.default_branch, "source_branch": p.source_branch,
        "user_notes_count": 0, "upvotes": 0, "downvotes": 0, "author": host.accounts.get(p.author_account).map(|a| user_basic(base, a)),
        "assignees": [], "assignee": null, "reviewers": [], "source_project_id": r.numeric_id, "target_project_id": r.numeric_id,
        "labels": [], "draft": false, "work_in_progress": false, "milestone": null, "merge_when_pipeline_succeeds": false,
        "merge_status": "can_be_merged", "detailed_merge_status": if p.state == PrState::Open { "mergeable" } else { "not_open" },
        "sha": fake_sha(p.global_id), "merge_commit_sha": merged.as_ref().map(|_| fake_sha(p.global_id ^ 0x5EED)), "squash_commit_sha": null,
        "discussion_locked": null, "should_remove_source_branch": null, "force_remove_source_branch": false, "prepared_at": ts(p.created),
        "reference": reference, "references": {"short": reference, "relative": reference, "full": format!("{}/{}{reference}", host.owner, r.slug)},
        "web_url": format!("{base}/{}/{}/-/merge_requests/{}", host.owner, r.slug, p.number),
        "time_stats": {"time_estimate": 0, "total_time_spent": 0, "human_time_estimate": null, "human_total_time_spent": null},
        "squash": false, "squash_on_merge": false, "task_completion_status": {"count": 0, "completed_count": 0},
        "has_conflicts": false, "blocking_discussions_resolved": true,
    });
    if !detail {
        return v;
    }
    merge(v, json!({"changes_count": (1 + p.global_id % 12).to_string(), "merge_error": null, "user": {"can_merge": false}}))
}

// ---------- handlers ----------

enum Found<'a> {
    Project(&'a Repo),
    Moved(u64),
    Missing,
}

/// By numeric id, or by full path (`acme-group/slug`, decoded from `%2F`); old paths redirect.
fn locate<'a>(host: &'a GitHost, id: &str) -> Found<'a> {
    let live = || host.repos.iter().filter(|r| !r.deleted);
    if let Ok(n) = id.parse::<u64>() {
        return live().find(|r| r.numeric_id == n).map_or(Found::Missing, Found::Project);
    }
    let current = live().find(|r| format!("{}/{}", namespace_of(host, r), r.slug).eq_ignore_ascii_case(id));
    if let Some(r) = current {
        return Found::Project(r);
    }
    live().find(|r| r.previous_slugs.iter().any(|s| old_path_matches(s, &host.owner, id))).map_or(Found::Missing, |r| Found::Moved(r.numeric_id))
}

/// Runs `f` on the project the path names, or answers 301/404 as GitLab does.
fn with_project(s: &SimState, id: &str, uri: &Uri, f: impl FnOnce(&str, &GitHost, &Repo) -> Response) -> Response {
    let base = s.url(Sim::Gitlab);
    let org = s.read();
    match locate(&org.gitlab, id) {
        Found::Project(r) => f(&base, &org.gitlab, r),
        Found::Missing => not_found("Project"),
        Found::Moved(numeric) => {
            // The raw path keeps `%2F` inside the id segment, so the rest starts at its next `/`.
            let tail = uri.path().splitn(5, '/').nth(4).unwrap_or_default();
            let rest = tail.find('/').map_or("", |i| &tail[i..]);
            let query = uri.query().map(|q| format!("?{q}")).unwrap_or_default();
            let location = format!("{base}/api/v4/projects/{numeric}{rest}{query}");
            let body = json!(format!("This resource has been moved permanently to {location}."));
            (StatusCode::MOVED_PERMANENTLY, [("location", location.as_str())], Json(body)).into_response()
        }
    }
}

fn is_our_group(host: &GitHost, id: &str) -> bool {
    id == host.owner_id.to_string() || id.eq_ignore_ascii_case(&host.owner)
}

async fn group(State(s): State<Arc<SimState>>, Path(id): Path<String>) -> Response {
    let org = s.read();
    if !is_our_group(&org.gitlab, &id) {
        return not_found("Group");
    }
    Json(group_json(&s.url(Sim::Gitlab), &org.gitlab)).into_response()
}

async fn group_projects(State(s): State<Arc<SimState>>, Path(id): Path<String>, uri: Uri) -> Response {
    let q = query_pairs(&uri);
    let parsed = pages(&q).and_then(|pg| {
        let order = choice(&q, "order_by", &["id", "name", "path", "created_at", "updated_at", "last_activity_at", "similarity", "star_count"], "created_at")?;
        Ok((pg, order, choice(&q, "sort", &["asc", "desc"], "desc")?))
    });
    let (pg, order, sort) = match parsed { Ok(p) => p, Err(message) => return bad_request(message) };
    let base = s.url(Sim::Gitlab);
    let org = s.read();
    let host = &org.gitlab;
    if !is_our_group(host, &id) {
        return not_found("Group");
    }
    let search = first(&q, "search").map(str::to_lowercase);
    let archived_only = first(&q, "archived") == Some("true");
    // Grape reads booleans loosely: python-gitlab sends "True".
    let subgroups = first(&q, "include_subgroups").is_some_and(|v| matches!(v.to_ascii_lowercase().as_str(), "true" | "t" | "1" | "yes"));
    let mut hits: Vec<&Repo> = host.repos.iter()
        .filter(|r| !r.deleted && !archived_only && (subgroups || r.subgroup.is_none()) && search.as_ref().is_none_or(|t| r.name.to_lowercase().contains(t) || r.slug.to_lowercase().contains(t)))
        .collect();
    hits.sort_by(|a, b| match order {
        "name" => a.name.to_lowercase().cmp(&b.name.to_lowercase()),
        "path" => a.slug.cmp(&b.slug),
        "created_at" => a.created.cmp(&b.created),
        "updated_at" | "last_activity_at" => a.updated.cmp(&b.updated),
        _ => std::cmp::Ordering::Equal,
    }.then(a.numeric_id.cmp(&b.numeric_id)));
    if sort == "desc" {
        hits.reverse();
    }
    paged(&base, &uri, pg, &hits, |r| project_json(&base, host, r))
}

async fn group_members(State(s): State<Arc<SimState>>, Path(id): Path<String>, uri: Uri) -> Response {
    let pg = match pages(&query_pairs(&uri)) { Ok(pg) => pg, Err(message) => return bad_request(message) };
    let base = s.url(Sim::Gitlab);
    let org = s.read();
    let host = &org.gitlab;
    if !is_our_group(host, &id) {
        return not_found("Group");
    }
    // Project bots belong to projects, not to the group.
    let members: Vec<&GitAccount> = host.accounts.iter().filter(|a| !a.bot).collect();
    let membership = json!({"access_level": 30, "created_at": "2020-01-01T00:00:00.000Z", "expires_at": null, "membership_state": "active"});
    paged(&base, &uri, pg, &members, |a| merge(user_basic(&base, a), membership.clone()))
}

async fn project(State(s): State<Arc<SimState>>, Path(id): Path<String>, uri: Uri) -> Response {
    with_project(&s, &id, &uri, |base, host, r| Json(project_json(base, host, r)).into_response())
}

async fn commits(State(s): State<Arc<SimState>>, Path(id): Path<String>, uri: Uri) -> Response {
    let q = query_pairs(&uri);
    let parsed = pages(&q).and_then(|pg| Ok((pg, time_param(&q, "since")?, time_param(&q, "until")?)));
    let (pg, since, until) = match parsed { Ok(p) => p, Err(message) => return bad_request(message) };
    let author = first(&q, "author").map(str::to_lowercase);
    with_project(&s, &id, &uri, |base, host, r| {
        // An unknown ref lists nothing, as GitLab does.
        let head = first(&q, "ref_name").map_or(r.commits.len().checked_sub(1), |name| resolve_ref(r, name));
        let hits: Vec<usize> = head.map_or(0..0, |h| 0..h + 1).rev()
            .filter(|i| since.is_none_or(|t| r.commits[*i].date >= t) && until.is_none_or(|t| r.commits[*i].date <= t))
            .filter(|i| author.as_ref().is_none_or(|a| r.commits[*i].author_name.to_lowercase().contains(a) || r.commits[*i].author_email.to_lowercase().contains(a)))
            .collect();
        paged(base, &uri, pg, &hits, |i| commit_json(base, host, r, *i, false))
    })
}

async fn commit(State(s): State<Arc<SimState>>, Path((id, sha)): Path<(String, String)>, uri: Uri) -> Response {
    with_project(&s, &id, &uri, |base, host, r| match resolve_ref(r, &sha) {
        Some(i) => Json(commit_json(base, host, r, i, true)).into_response(),
        None => not_found("Commit"),
    })
}

async fn merge_requests(State(s): State<Arc<SimState>>, Path(id): Path<String>, uri: Uri) -> Response {
    let q = query_pairs(&uri);
    let parsed = pages(&q).and_then(|pg| {
        let state = choice(&q, "state", &["opened", "closed", "locked", "merged", "all"], "all")?;
        let order = choice(&q, "order_by", &["created_at", "updated_at", "merged_at", "title"], "created_at")?;
        let sort = choice(&q, "sort", &["asc", "desc"], "desc")?;
        let window = [time_param(&q, "updated_after")?, time_param(&q, "updated_before")?, time_param(&q, "created_after")?, time_param(&q, "created_before")?];
        Ok((pg, state, order, sort, window))
    });
    let (pg, state, order, sort, [upd_after, upd_before, cre_after, cre_before]) = match parsed { Ok(p) => p, Err(message) => return bad_request(message) };
    let author_id = first(&q, "author_id");
    with_project(&s, &id, &uri, |base, host, r| {
        let mut hits: Vec<&PullRequest> = r.pull_requests.iter()
            .filter(|p| !p.deleted && (state == "all" || state == mr_state(p)))
            .filter(|p| upd_after.is_none_or(|t| p.updated >= t) && upd_before.is_none_or(|t| p.updated <= t))
            .filter(|p| cre_after.is_none_or(|t| p.created >= t) && cre_before.is_none_or(|t| p.created <= t))
            .filter(|p| first(&q, "source_branch").is_none_or(|b| b == p.source_branch) && first(&q, "target_branch").is_none_or(|b| b == r.default_branch))
            .filter(|p| author_id.is_none_or(|a| host.accounts.get(p.author_account).is_some_and(|acc| acc.id == a)))
            .collect();
        hits.sort_by(|a, b| match order {
            "updated_at" => a.updated.cmp(&b.updated),
            "title" => a.title.cmp(&b.title),
            _ => a.created.cmp(&b.created),
        }.then(a.number.cmp(&b.number)));
        if sort == "desc" {
            hits.reverse();
        }
        paged(base, &uri, pg, &hits, |p| mr_json(base, host, r, p, false))
    })
}

async fn merge_request(State(s): State<Arc<SimState>>, Path((id, iid)): Path<(String, String)>, uri: Uri) -> Response {
    let Ok(iid) = iid.parse::<u64>() else { return bad_request("merge_request_iid is invalid".into()) };
    with_project(&s, &id, &uri, |base, host, r| match r.pull_requests.iter().find(|p| !p.deleted && p.number == iid) {
        Some(p) => Json(mr_json(base, host, r, p, true)).into_response(),
        None => not_found("Merge Request"),
    })
}

async fn users(State(s): State<Arc<SimState>>, uri: Uri) -> Response {
    let q = query_pairs(&uri);
    let pg = match pages(&q) { Ok(pg) => pg, Err(message) => return bad_request(message) };
    let base = s.url(Sim::Gitlab);
    let org = s.read();
    let username = first(&q, "username");
    let search = first(&q, "search").map(str::to_lowercase);
    let flag = |key: &str| first(&q, key) == Some("true");
    let hits: Vec<&GitAccount> = org.gitlab.accounts.iter()
        .filter(|a| username.is_none_or(|u| a.login.eq_ignore_ascii_case(u)))
        .filter(|a| search.as_ref().is_none_or(|t| [Some(&a.login), Some(&a.display_name), a.email.as_ref()].into_iter().flatten().any(|f| f.to_lowercase().contains(t))))
        .filter(|a| (!flag("active") || a.active) && (!flag("blocked") || !a.active))
        .filter(|a| !(flag("without_project_bots") || flag("exclude_internal")) || !a.bot)
        .collect();
    paged(&base, &uri, pg, &hits, |a| user_json(&base, a, false))
}

async fn user(State(s): State<Arc<SimState>>, Path(id): Path<String>) -> Response {
    if id.parse::<u64>().is_err() {
        return bad_request("id is invalid".into());
    }
    let org = s.read();
    match org.gitlab.accounts.iter().find(|a| a.id == id) {
        Some(a) => Json(user_json(&s.url(Sim::Gitlab), a, true)).into_response(),
        None => not_found("User"),
    }
}

/// The token's user (`GET /user`): the full user with the fields only its owner sees.
async fn current_user(State(s): State<Arc<SimState>>) -> Response {
    let org = s.read();
    let Some(a) = token_owner(&org.gitlab) else { return not_found("User") };
    let created = ts(account_created(a));
    let own = json!({
        "email": a.email, "commit_email": a.email, "confirmed_at": created, "last_sign_in_at": created,
        "current_sign_in_at": created, "last_activity_on": Utc::now().format("%Y-%m-%d").to_string(), "theme_id": 1, "color_scheme_id": 1,
        "projects_limit": 100_000, "identities": [], "can_create_group": true, "can_create_project": true, "two_factor_enabled": true,
        "external": false, "private_profile": false,
    });
    Json(merge(user_json(&s.url(Sim::Gitlab), a, true), own)).into_response()
}

/// The personal access token itself (`GET /personal_access_tokens/self`, any scope): its scopes,
/// created a month ago and expiring in eleven months (GitLab caps a token's life at a year).
async fn token_self(State(s): State<Arc<SimState>>) -> Response {
    let user_id = token_owner(&s.read().gitlab).and_then(|a| a.id.parse::<u64>().ok());
    let now = Utc::now();
    Json(json!({
        "id": seed_of(&s.credentials.gitlab_token) % 90_000 + 10_000, "name": "velocity", "revoked": false,
        "created_at": ts(now - Duration::days(30)), "description": "Velocity sync", "scopes": s.granted(Sim::Gitlab), "user_id": user_id,
        "last_used_at": ts(now), "active": true, "expires_at": (now + Duration::days(335)).format("%Y-%m-%d").to_string(), "last_used_ips": [],
    }))
    .into_response()
}
