//! Bitbucket Cloud 2.0 subset: workspace repositories, a repository by slug or `{uuid}`,
//! commits (newest first), single commits, pull requests (state filter, default OPEN),
//! workspaces, workspace members, users and the token's user, with the token's scopes
//! (`scopes`) and access-token rate-limit headers (`ratelimit`). Paginated with Bitbucket's
//! `{pagelen, size, page, values, next, previous}` envelope; errors are
//! `{"type": "error", "error": {"message": …}}`. Renamed repositories do not redirect.

use super::auth;
use super::git_common::{all, first, page_url, page_window, parse_iso8601, query_pairs, sha_prefix_hits, token_owner, Pairs};
use super::org::{Commit, GitAccount, GitHost, Org, PrState, PullRequest, Repo};
use super::ratelimit::{self, Window};
use super::scopes;
use super::server::{Sim, SimState};
use axum::extract::{Path, Request, State};
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::middleware::{from_fn_with_state, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, MethodRouter};
use axum::{Json, Router};
use base64::Engine;
use chrono::{DateTime, Utc};
use serde_json::{json, Value};
use std::cmp::Ordering;
use std::sync::Arc;

type Reply = Result<Response, Response>;

const REPO: &str = "/2.0/repositories/{workspace}/{repo_slug}";
const PR_STATES: [&str; 4] = ["OPEN", "MERGED", "DECLINED", "SUPERSEDED"];

pub fn router(state: Arc<SimState>) -> Router {
    let r = Router::new()
        .route(REPO, get(repository))
        .route(&format!("{REPO}/commits/{{revision}}"), get(commits_from))
        .route(&format!("{REPO}/commit/{{sha}}"), get(commit))
        .route(&format!("{REPO}/pullrequests/{{id}}"), get(pull_request))
        .route("/2.0/workspaces/{workspace}", get(workspace))
        .route("/2.0/workspaces/{workspace}/members/{member}", get(member))
        .route("/2.0/users/{selected_user}", get(user))
        .route("/2.0/user", get(current_user));
    // Lists also answer with a trailing slash, as Bitbucket does (atlassian-python-api sends one).
    let r = with_slash(r, "/2.0/repositories/{workspace}", get(repositories));
    let r = with_slash(r, &format!("{REPO}/commits"), get(commits));
    let r = with_slash(r, &format!("{REPO}/pullrequests"), get(pull_requests));
    let r = with_slash(r, "/2.0/workspaces/{workspace}/members", get(members));
    r.fallback(|| async { error(StatusCode::NOT_FOUND, "Resource not found") })
        .layer(from_fn_with_state((state.clone(), Sim::Bitbucket), scopes::gate))
        .layer(from_fn_with_state(Window::default(), ratelimit::bitbucket))
        .layer(from_fn_with_state(state.clone(), require_auth))
        .with_state(state)
}

fn with_slash(r: Router<Arc<SimState>>, path: &str, handler: MethodRouter<Arc<SimState>>) -> Router<Arc<SimState>> {
    r.route(path, handler.clone()).route(&format!("{path}/"), handler)
}

/// Bearer token, or HTTP basic with any username and the token as password
/// (`x-token-auth:{token}`, `{email}:{api token}`).
async fn require_auth(State(s): State<Arc<SimState>>, request: Request, next: Next) -> Response {
    let token = s.credentials.bitbucket_token.as_str();
    let basic = basic_password(request.headers()).is_some_and(|p| p == token);
    match auth::bitbucket(request.headers(), token) {
        Err(r) if !basic => r,
        _ => next.run(request).await,
    }
}

fn basic_password(headers: &HeaderMap) -> Option<String> {
    let value = headers.get("authorization")?.to_str().ok()?;
    let encoded = value.strip_prefix("Basic ").or_else(|| value.strip_prefix("basic "))?;
    let raw = base64::engine::general_purpose::STANDARD.decode(encoded.trim()).ok()?;
    String::from_utf8(raw).ok()?.split_once(':').map(|(_, password)| password.to_owned())
}

pub fn error(status: StatusCode, message: impl Into<String>) -> Response {
    (status, Json(json!({"type": "error", "error": {"message": message.into()}}))).into_response()
}

/// Bitbucket's timestamp form: 2026-01-02T03:04:05.123456+00:00.
pub fn ts(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:%S%.6f+00:00").to_string()
}

/// `{uuid}` as it appears inside a URL.
fn enc(id: &str) -> String {
    id.replace('{', "%7B").replace('}', "%7D")
}

fn href(url: impl Into<String>) -> Value {
    json!({"href": url.into()})
}

// ---------- query parameters and pagination ----------

#[derive(Clone, Copy)]
struct Paging {
    page: usize,
    pagelen: usize,
}

/// Reads the raw first value: an empty one is a bad number, not an absent one.
fn number(q: &Pairs, key: &str, default: usize, max: usize, message: &str) -> Result<usize, Response> {
    all(q, key).next().map_or(Ok(default), |v| v.parse().ok().filter(|n| (1..=max).contains(n)).ok_or_else(|| error(StatusCode::BAD_REQUEST, message)))
}

/// A pagelen over the endpoint's cap, zero or not a number is 400 "Invalid pagelen": Bitbucket does not clamp.
fn query(uri: &Uri, default: usize, max: usize) -> Result<(Pairs, Paging), Response> {
    let q = query_pairs(uri);
    let pagelen = number(&q, "pagelen", default, max, "Invalid pagelen")?;
    let page = number(&q, "page", 1, usize::MAX, "Invalid page")?;
    Ok((q, Paging { page, pagelen }))
}

/// `size` is left out where Bitbucket leaves it out (commits: too expensive to count).
fn envelope(root: &str, uri: &Uri, p: Paging, total: usize, size: bool, values: Vec<Value>) -> Response {
    let mut out = json!({"pagelen": p.pagelen, "page": p.page, "values": values});
    if size {
        out["size"] = json!(total);
    }
    if p.page.saturating_mul(p.pagelen) < total {
        out["next"] = json!(page_url(root, uri, p.page + 1));
    }
    if p.page > 1 {
        out["previous"] = json!(page_url(root, uri, p.page - 1));
    }
    Json(out).into_response()
}

/// Applies `q` and `sort`, then pages.
fn listing(cx: &Ctx, uri: &Uri, q: &Pairs, p: Paging, mut values: Vec<Value>) -> Reply {
    if let Some(text) = first(q, "q").filter(|t| !t.trim().is_empty()) {
        let groups = parse_filter(text).map_err(|m| error(StatusCode::BAD_REQUEST, m))?;
        values.retain(|v| groups.iter().any(|g| g.iter().all(|c| c.holds(v))));
    }
    if let Some(field) = first(q, "sort") {
        let (path, desc) = field.strip_prefix('-').map_or((field, false), |f| (f, true));
        values.sort_by(|a, b| if desc { cmp_values(lookup(b, path), lookup(a, path)) } else { cmp_values(lookup(a, path), lookup(b, path)) });
    }
    Ok(envelope(&cx.root, uri, p, values.len(), true, page_window(&values, (p.page, p.pagelen)).to_vec()))
}

// ---------- `q` filtering (a subset of Bitbucket's query language) ----------

static NULL: Value = Value::Null;

fn lookup<'v>(v: &'v Value, path: &str) -> &'v Value {
    path.split('.').try_fold(v, |v, key| v.get(key)).unwrap_or(&NULL)
}

/// For `sort`: numbers numerically, then strings; nulls last.
fn cmp_values(a: &Value, b: &Value) -> Ordering {
    match (a.as_f64(), b.as_f64()) {
        (Some(x), Some(y)) => x.total_cmp(&y),
        _ => a.is_null().cmp(&b.is_null()).then_with(|| a.as_str().cmp(&b.as_str())),
    }
}

/// One `path op literal` condition; `quoted` tells `"null"` from `null`.
struct Cond {
    path: String,
    op: String,
    literal: String,
    quoted: bool,
}

impl Cond {
    fn holds(&self, v: &Value) -> bool {
        let field = lookup(v, &self.path);
        let text = field.as_str().map_or_else(|| if field.is_null() { String::new() } else { field.to_string() }, str::to_owned);
        let contains = text.to_lowercase().contains(&self.literal.to_lowercase());
        let order = if !self.quoted && self.literal == "null" {
            Some(if field.is_null() { Ordering::Equal } else { Ordering::Greater })
        } else if let (Some(a), Some(b)) = (parse_iso8601(&text), parse_iso8601(&self.literal)) {
            Some(a.cmp(&b))
        } else if let (Value::Number(n), Ok(b)) = (field, self.literal.parse::<f64>()) {
            n.as_f64().and_then(|a| a.partial_cmp(&b))
        } else {
            (!field.is_null()).then(|| text.as_str().cmp(self.literal.as_str()))
        };
        use Ordering::{Equal, Greater, Less};
        match self.op.as_str() {
            "~" | "!~" => contains == (self.op == "~"),
            "=" | "!=" => (order == Some(Equal)) == (self.op == "="),
            ">" => order == Some(Greater),
            ">=" => matches!(order, Some(Greater | Equal)),
            "<" => order == Some(Less),
            _ => matches!(order, Some(Less | Equal)),
        }
    }
}

/// `field op value` conditions joined by AND and OR (AND binds tighter; no parentheses).
fn parse_filter(text: &str) -> Result<Vec<Vec<Cond>>, String> {
    text.split(" OR ").map(|group| group.split(" AND ").map(|c| parse_cond(c).ok_or_else(|| format!("Invalid query: {text}"))).collect()).collect()
}

fn parse_cond(clause: &str) -> Option<Cond> {
    let at = clause.find(['=', '!', '~', '<', '>'])?;
    let (path, rest) = (clause[..at].trim(), &clause[at..]);
    let op_len = rest.chars().take_while(|c| "=!~<>".contains(*c)).count();
    let (op, value) = (&rest[..op_len], rest[op_len..].trim());
    let ok = ["=", "!=", "~", "!~", ">", ">=", "<", "<="].contains(&op) && !path.is_empty() && !path.contains(|c: char| c.is_whitespace() || c == '(');
    let quoted = value.len() >= 2 && value.starts_with('"') && value.ends_with('"');
    let literal = if quoted { value[1..value.len() - 1].replace("\\\"", "\"") } else { value.to_owned() };
    (ok && (quoted || !literal.is_empty())).then(|| Cond { path: path.into(), op: op.into(), literal, quoted })
}

// ---------- JSON shapes ----------

/// What every response is built from: the workspace, and the simulator's own base URL.
struct Ctx<'a> {
    root: String,
    base: String,
    host: &'a GitHost,
    ws_uuid: String,
    since: DateTime<Utc>,
}

impl<'a> Ctx<'a> {
    fn new(s: &SimState, org: &'a Org) -> Self {
        let host = &org.bitbucket;
        // A stable workspace uuid from the seed (splitmix64), since the org model has none.
        let mix = |x: u64| [30, 27, 31].iter().zip([0xBF58_476D_1CE4_E5B9, 0x94D0_49BB_1331_11EB, 1]).fold(x, |x, (sh, m)| (x ^ (x >> sh)).wrapping_mul(m));
        let bytes = (u128::from(mix(org.seed ^ 0xB17B)) << 64 | u128::from(mix(org.seed.wrapping_add(host.owner_id)))).to_be_bytes();
        let ws_uuid = format!("{{{}}}", uuid::Builder::from_random_bytes(bytes).into_uuid());
        let since = host.repos.iter().map(|r| r.created).min().unwrap_or_default();
        let root = s.url(Sim::Bitbucket);
        Ctx { base: format!("{root}/2.0"), root, host, ws_uuid, since }
    }

    fn is_workspace(&self, ws: &str) -> bool {
        ws.eq_ignore_ascii_case(&self.host.owner) || ws.eq_ignore_ascii_case(&self.ws_uuid)
    }

    fn workspace_or_404(&self, ws: &str) -> Result<(), Response> {
        self.is_workspace(ws).then_some(()).ok_or_else(|| error(StatusCode::NOT_FOUND, format!("No workspace with identifier '{ws}'.")))
    }

    /// By slug, or by `{uuid}` (which survives renames). Old slugs and deleted repos: 404.
    fn repo_by(&self, ws: &str, slug: &str) -> Result<&'a Repo, Response> {
        let live = self.host.repos.iter().filter(|r| !r.deleted);
        let mut hits = live.filter(|r| self.is_workspace(ws) && (r.slug.eq_ignore_ascii_case(slug) || r.id.eq_ignore_ascii_case(slug)));
        hits.next().ok_or_else(|| error(StatusCode::NOT_FOUND, format!("Repository {ws}/{slug} not found")))
    }

    fn account_by(&self, id: &str) -> Option<&'a GitAccount> {
        self.host.accounts.iter().find(|a| a.id.eq_ignore_ascii_case(id) || a.atlassian_id.as_deref() == Some(id))
    }

    /// GDPR shape: no `username`, no `email`.
    fn account(&self, a: &GitAccount) -> Value {
        let avatar = format!("https://avatar-management.sim.test/{}/128", a.atlassian_id.as_deref().unwrap_or(&a.id));
        let links = json!({"self": href(format!("{}/users/{}", self.base, enc(&a.id))), "html": href(format!("https://bitbucket.org/{}/", enc(&a.id))), "avatar": href(avatar)});
        json!({"type": "user", "uuid": a.id, "account_id": a.atlassian_id, "nickname": a.login, "display_name": a.display_name, "created_on": ts(self.since), "links": links})
    }

    fn workspace(&self, full: bool) -> Value {
        let (api, slug) = (&self.base, &self.host.owner);
        let mut links = json!({"self": href(format!("{api}/workspaces/{slug}")), "html": href(format!("https://bitbucket.org/{slug}/")), "avatar": href(format!("https://bitbucket.org/workspaces/{slug}/avatar/"))});
        let mut w = json!({"type": "workspace", "uuid": self.ws_uuid, "slug": slug, "name": workspace_name(slug)});
        if full {
            for (name, url) in [("members", format!("{api}/workspaces/{slug}/members")), ("projects", format!("{api}/workspaces/{slug}/projects")), ("repositories", format!("{api}/repositories/{slug}"))] {
                links[name] = href(url);
            }
            (w["is_private"], w["created_on"], w["updated_on"]) = (json!(true), json!(ts(self.since)), json!(ts(self.since)));
        }
        w["links"] = links;
        w
    }

    fn repo_api(&self, r: &Repo) -> String {
        format!("{}/repositories/{}/{}", self.base, self.host.owner, r.slug)
    }

    fn repo_short(&self, r: &Repo) -> Value {
        let links = json!({"self": href(self.repo_api(r)), "html": href(format!("https://bitbucket.org/{}/{}", self.host.owner, r.slug)), "avatar": href(format!("https://bytebucket.org/ravatar/{}", enc(&r.id)))});
        json!({"type": "repository", "uuid": r.id, "full_name": format!("{}/{}", self.host.owner, r.slug), "name": r.name, "links": links})
    }

    fn repo(&self, r: &Repo) -> Value {
        let (api, owner) = (self.repo_api(r), &self.host.owner);
        let mut v = self.repo_short(r);
        for (k, x) in [
            ("slug", json!(r.slug)), ("description", json!(r.description)), ("is_private", json!(true)), ("scm", json!("git")),
            ("fork_policy", json!("no_public_forks")), ("created_on", json!(ts(r.created))), ("updated_on", json!(ts(r.updated))),
            ("size", json!(65_536 + 2_048 * r.commits.len())), ("language", json!("")), ("has_issues", json!(false)), ("has_wiki", json!(false)),
            ("mainbranch", json!({"type": "branch", "name": r.default_branch})), ("workspace", self.workspace(false)),
            ("owner", json!({"type": "team", "uuid": self.ws_uuid, "username": owner, "display_name": workspace_name(owner), "links": self.workspace(false)["links"]})),
            ("project", json!({"type": "project", "key": "PROJ", "name": "Untitled project", "links": {"self": href(format!("{}/workspaces/{owner}/projects/PROJ", self.base))}})),
        ] {
            v[k] = x;
        }
        for (name, path) in [("commits", "commits"), ("pullrequests", "pullrequests"), ("branches", "refs/branches"), ("tags", "refs/tags")] {
            v["links"][name] = href(format!("{api}/{path}"));
        }
        v["links"]["clone"] = json!([{"name": "https", "href": format!("https://bitbucket.org/{owner}/{}.git", r.slug)}, {"name": "ssh", "href": format!("git@bitbucket.org:{owner}/{}.git", r.slug)}]);
        v
    }

    fn commit_ref(&self, r: &Repo, c: &Commit, hash: &str) -> Value {
        let html = format!("https://bitbucket.org/{}/{}/commits/{}", self.host.owner, r.slug, c.sha);
        json!({"type": "commit", "hash": hash, "links": {"self": href(format!("{}/commit/{}", self.repo_api(r), c.sha)), "html": href(html)}})
    }

    /// History is linear: commit `i`'s parent is commit `i - 1`.
    fn commit(&self, r: &Repo, i: usize) -> Value {
        let Some(c) = r.commits.get(i) else { return Value::Null };
        let mut author = json!({"type": "author", "raw": format!("{} <{}>", c.author_name, c.author_email)});
        if let Some(a) = c.author_account.and_then(|i| self.host.accounts.get(i)) {
            author["user"] = self.account(a);
        }
        let parents: Vec<Value> = i.checked_sub(1).and_then(|j| r.commits.get(j)).map(|p| self.commit_ref(r, p, &p.sha)).into_iter().collect();
        let html = c.message.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;");
        let mut v = self.commit_ref(r, c, &c.sha);
        let summary = json!({"type": "rendered", "raw": c.message, "markup": "markdown", "html": format!("<p>{html}</p>")});
        for (k, x) in [("date", json!(ts(c.date))), ("message", json!(c.message)), ("summary", summary), ("author", author), ("parents", json!(parents)), ("repository", self.repo_short(r))] {
            v[k] = x;
        }
        v["links"]["diff"] = href(format!("{}/diff/{}", self.repo_api(r), c.sha));
        v
    }

    /// PR objects carry 12-character commit hashes, as Bitbucket's do.
    fn pull_request(&self, r: &Repo, pr: &PullRequest) -> Value {
        let api = format!("{}/pullrequests/{}", self.repo_api(r), pr.number);
        let author = self.host.accounts.get(pr.author_account).map_or(Value::Null, |a| self.account(a));
        let short = |c: Option<&Commit>| c.map_or(Value::Null, |c| self.commit_ref(r, c, c.sha.get(..12).unwrap_or(&c.sha)));
        let at = |t: DateTime<Utc>| r.commits.iter().rev().find(|c| c.date <= t).or(r.commits.first());
        let merge = (pr.state == PrState::Merged).then(|| short(r.commits.iter().find(|c| c.date >= pr.updated).or(r.commits.last())));
        let closed_by = if pr.state == PrState::Open { Value::Null } else { author.clone() };
        let mut links = json!({"self": href(&api), "html": href(format!("https://bitbucket.org/{}/{}/pull-requests/{}", self.host.owner, r.slug, pr.number))});
        for name in ["commits", "approve", "diff", "diffstat", "comments", "activity", "merge", "decline", "statuses"] {
            links[name] = href(format!("{api}/{name}"));
        }
        let mut v = json!({"type": "pullrequest", "id": pr.number, "title": pr.title, "description": pr.description, "state": state_name(pr.state), "author": author, "closed_by": closed_by});
        for (k, x) in [
            ("summary", json!({"type": "rendered", "raw": pr.description, "markup": "markdown", "html": format!("<p>{}</p>", pr.description)})),
            ("source", json!({"branch": {"name": pr.source_branch}, "commit": short(at(pr.updated)), "repository": self.repo_short(r)})),
            ("destination", json!({"branch": {"name": r.default_branch}, "commit": short(at(pr.created)), "repository": self.repo_short(r)})),
            ("merge_commit", merge.unwrap_or(Value::Null)), ("close_source_branch", json!(pr.number % 3 != 0)), ("reason", json!("")),
            ("comment_count", json!(0)), ("task_count", json!(0)), ("reviewers", json!([])), ("participants", json!([])),
            ("created_on", json!(ts(pr.created))), ("updated_on", json!(ts(pr.updated))), ("links", links),
        ] {
            v[k] = x;
        }
        v
    }

    fn membership(&self, a: &GitAccount) -> Value {
        let url = format!("{}/workspaces/{}/members/{}", self.base, self.host.owner, enc(&a.id));
        json!({"type": "workspace_membership", "user": self.account(a), "workspace": self.workspace(false), "links": {"self": href(url)}})
    }
}

fn workspace_name(slug: &str) -> String {
    let mut chars = slug.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

fn state_name(state: PrState) -> &'static str {
    match state {
        PrState::Open => "OPEN",
        PrState::Merged => "MERGED",
        PrState::Declined => "DECLINED",
    }
}

// ---------- handlers ----------

/// Runs `f` against a read view of the org (never held across an await).
fn serve(s: &SimState, f: impl FnOnce(&Ctx) -> Reply) -> Response {
    let org = s.read();
    f(&Ctx::new(s, &org)).unwrap_or_else(|e| e)
}

fn ok(v: Value) -> Reply {
    Ok(Json(v).into_response())
}

async fn repositories(State(s): State<Arc<SimState>>, Path(ws): Path<String>, uri: Uri) -> Response {
    serve(&s, |cx| {
        let (q, p) = query(&uri, 10, 100)?;
        cx.workspace_or_404(&ws)?;
        listing(cx, &uri, &q, p, cx.host.repos.iter().filter(|r| !r.deleted).map(|r| cx.repo(r)).collect())
    })
}

async fn repository(State(s): State<Arc<SimState>>, Path((ws, slug)): Path<(String, String)>) -> Response {
    serve(&s, |cx| ok(cx.repo(cx.repo_by(&ws, &slug)?)))
}

async fn commits(State(s): State<Arc<SimState>>, Path((ws, slug)): Path<(String, String)>, uri: Uri) -> Response {
    serve(&s, |cx| commit_list(cx, &ws, &slug, None, &uri))
}

async fn commits_from(State(s): State<Arc<SimState>>, Path((ws, slug, rev)): Path<(String, String, String)>, uri: Uri) -> Response {
    serve(&s, |cx| commit_list(cx, &ws, &slug, Some(&rev), &uri))
}

/// The index of the commit a revision names: the default branch or HEAD (the newest commit), or a hash prefix.
fn resolve(r: &Repo, rev: &str) -> Result<usize, Response> {
    let hit = if rev == r.default_branch || rev == "HEAD" {
        r.commits.len().checked_sub(1)
    } else {
        sha_prefix_hits(r, rev).next_back()
    };
    hit.ok_or_else(|| error(StatusCode::NOT_FOUND, format!("Commit not found: {rev}")))
}

/// Newest first. History is linear: a revision reaches itself and every older commit;
/// `include` / `exclude` narrow it like `git log include ^exclude`.
fn commit_list(cx: &Ctx, ws: &str, slug: &str, rev: Option<&str>, uri: &Uri) -> Reply {
    let (q, p) = query(uri, 30, 100)?;
    let r = cx.repo_by(ws, slug)?;
    let heads: Vec<&str> = rev.into_iter().chain(all(&q, "include")).collect();
    let mut end = if heads.is_empty() { r.commits.len() } else { 0 };
    for head in heads {
        end = end.max(resolve(r, head)? + 1);
    }
    let mut start = 0;
    for x in all(&q, "exclude") {
        start = start.max(resolve(r, x)? + 1);
    }
    let newest_first: Vec<usize> = (start..end.max(start)).rev().collect();
    let values = page_window(&newest_first, (p.page, p.pagelen)).iter().map(|i| cx.commit(r, *i)).collect();
    Ok(envelope(&cx.root, uri, p, newest_first.len(), false, values))
}

async fn commit(State(s): State<Arc<SimState>>, Path((ws, slug, sha)): Path<(String, String, String)>) -> Response {
    serve(&s, |cx| {
        let r = cx.repo_by(&ws, &slug)?;
        ok(cx.commit(r, resolve(r, &sha)?))
    })
}

/// `state` repeats; absent means OPEN only.
fn pr_states(q: &Pairs) -> Result<Vec<&'static str>, Response> {
    let mut states = Vec::new();
    for v in all(q, "state") {
        let hit = PR_STATES.iter().find(|s| s.eq_ignore_ascii_case(v));
        states.push(*hit.ok_or_else(|| error(StatusCode::BAD_REQUEST, format!("'{v}' is not a valid pull request state. Valid states: {}", PR_STATES.join(", "))))?);
    }
    Ok(if states.is_empty() { vec!["OPEN"] } else { states })
}

async fn pull_requests(State(s): State<Arc<SimState>>, Path((ws, slug)): Path<(String, String)>, uri: Uri) -> Response {
    serve(&s, |cx| {
        let (q, p) = query(&uri, 10, 50)?;
        let states = pr_states(&q)?;
        let r = cx.repo_by(&ws, &slug)?;
        let mut prs: Vec<&PullRequest> = r.pull_requests.iter().filter(|pr| !pr.deleted && states.contains(&state_name(pr.state))).collect();
        prs.sort_by(|a, b| b.number.cmp(&a.number));
        listing(cx, &uri, &q, p, prs.iter().map(|pr| cx.pull_request(r, pr)).collect())
    })
}

async fn pull_request(State(s): State<Arc<SimState>>, Path((ws, slug, id)): Path<(String, String, String)>) -> Response {
    serve(&s, |cx| {
        let r = cx.repo_by(&ws, &slug)?;
        let pr = r.pull_requests.iter().find(|pr| !pr.deleted && pr.number.to_string() == id);
        ok(cx.pull_request(r, pr.ok_or_else(|| error(StatusCode::NOT_FOUND, format!("Pull request {id} not found")))?))
    })
}

async fn workspace(State(s): State<Arc<SimState>>, Path(ws): Path<String>) -> Response {
    serve(&s, |cx| cx.workspace_or_404(&ws).and_then(|()| ok(cx.workspace(true))))
}

/// Members are the active people; bots and accounts that left the workspace are not listed.
fn is_member(a: &GitAccount) -> bool {
    a.active && !a.bot
}

async fn members(State(s): State<Arc<SimState>>, Path(ws): Path<String>, uri: Uri) -> Response {
    serve(&s, |cx| {
        let (q, p) = query(&uri, 10, 100)?;
        cx.workspace_or_404(&ws)?;
        listing(cx, &uri, &q, p, cx.host.accounts.iter().filter(|a| is_member(a)).map(|a| cx.membership(a)).collect())
    })
}

async fn member(State(s): State<Arc<SimState>>, Path((ws, id)): Path<(String, String)>) -> Response {
    serve(&s, |cx| {
        cx.workspace_or_404(&ws)?;
        let a = cx.account_by(&id).filter(|a| is_member(a));
        ok(cx.membership(a.ok_or_else(|| error(StatusCode::NOT_FOUND, format!("{id} is not a member of {ws}")))?))
    })
}

async fn user(State(s): State<Arc<SimState>>, Path(id): Path<String>) -> Response {
    serve(&s, |cx| ok(cx.account(cx.account_by(&id).ok_or_else(|| error(StatusCode::NOT_FOUND, format!("User {id} not found")))?)))
}

/// The token's user (`GET /2.0/user`), with the fields only its owner sees.
async fn current_user(State(s): State<Arc<SimState>>) -> Response {
    serve(&s, |cx| {
        let mut v = cx.account(token_owner(cx.host).ok_or_else(|| error(StatusCode::NOT_FOUND, "Resource not found"))?);
        (v["account_status"], v["has_2fa_enabled"], v["is_staff"], v["location"]) = (json!("active"), Value::Null, json!(false), Value::Null);
        ok(v)
    })
}
