//! Jira Cloud REST subset, served under both `/rest/api/3` and `/rest/api/2` as Jira Cloud does:
//! server info, fields, projects and the API user (`jira_meta`), JQL search with `nextPageToken`,
//! issues, worklogs (per issue, updated/deleted feeds, bulk list) and users. Shapes follow
//! Atlassian's OpenAPI document; the two versions differ only in rich text (an ADF document in v3,
//! plain text in v2) and in where their links point. Errors use Jira's `{"errorMessages": […], "errors": {}}`.

use super::auth;
use super::jira_meta;
use super::jql::{self, Clause, SortField, TimeField};
use super::org::{IssueStatus, JiraIssue, JiraProject, JiraUser, JiraWorklog, Org};
use super::server::{Sim, SimState};
use axum::body::Bytes;
use axum::extract::{FromRequestParts, Path, Request, State};
use axum::http::request::Parts;
use axum::http::{StatusCode, Uri};
use axum::middleware::{from_fn_with_state, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Extension, Json, Router};
use base64::Engine;
use chrono::{DateTime, Duration, Utc};
use serde::Deserialize;
use serde_json::{json, Value};
use std::collections::HashMap;
use std::convert::Infallible;
use std::sync::Arc;

pub fn router(state: Arc<SimState>) -> Router {
    Router::new()
        .merge(routes(Version::V3))
        .merge(routes(Version::V2))
        .layer(from_fn_with_state(state.clone(), require_auth))
        .with_state(state)
}

/// The route table under one version's prefix; handlers learn the version through `Api`.
fn routes(version: Version) -> Router<Arc<SimState>> {
    let at = |path: &str| format!("{}{path}", version.prefix());
    Router::new()
        .route(&at("/serverInfo"), get(jira_meta::server_info))
        .route(&at("/field"), get(jira_meta::fields))
        .route(&at("/project"), get(jira_meta::all_projects))
        .route(&at("/project/search"), get(project_search))
        .route(&at("/project/{id_or_key}"), get(project))
        .route(&at("/search/jql"), get(search_get).post(search_post))
        .route(&at("/search"), get(removed_search).post(removed_search))
        .route(&at("/issue/{id_or_key}"), get(issue))
        .route(&at("/issue/{id_or_key}/worklog"), get(issue_worklogs))
        .route(&at("/worklog/updated"), get(worklogs_updated))
        .route(&at("/worklog/deleted"), get(worklogs_deleted))
        .route(&at("/worklog/list"), post(worklog_list))
        .route(&at("/users/search"), get(users_search))
        .route(&at("/user/search"), get(find_users))
        .route(&at("/user"), get(user))
        .route(&at("/myself"), get(jira_meta::myself))
        .layer(Extension(version))
}

/// The REST version a request came in on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Version {
    V2,
    V3,
}

impl Version {
    pub fn prefix(self) -> &'static str {
        match self {
            Version::V2 => "/rest/api/2",
            Version::V3 => "/rest/api/3",
        }
    }
}

/// Where a request's links point: the simulator's base URL, and the REST root of the version
/// the request came in on (`{base}/rest/api/2` or `{base}/rest/api/3`).
pub struct Api {
    pub base: String,
    pub root: String,
    pub version: Version,
}

impl Api {
    pub fn new(base: String, version: Version) -> Api {
        Api { root: format!("{base}{}", version.prefix()), base, version }
    }

    /// Rich text as this version sends it: an ADF document (v3) or the plain text (v2).
    fn rich_text(&self, text: &str) -> Value {
        match self.version {
            Version::V2 => json!(text),
            Version::V3 => json!({"type": "doc", "version": 1, "content": [{"type": "paragraph", "content": [{"type": "text", "text": text}]}]}),
        }
    }
}

impl FromRequestParts<Arc<SimState>> for Api {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, s: &Arc<SimState>) -> Result<Api, Infallible> {
        let version = parts.extensions.get::<Version>().copied().unwrap_or(Version::V3);
        Ok(Api::new(s.url(Sim::Jira), version))
    }
}

async fn require_auth(State(s): State<Arc<SimState>>, request: Request, next: Next) -> Response {
    match auth::jira(request.headers(), &s.credentials.jira_email, &s.credentials.jira_token) {
        Ok(()) => next.run(request).await,
        Err(r) => r,
    }
}

pub fn error(status: StatusCode, message: impl Into<String>) -> Response {
    (status, Json(json!({"errorMessages": [message.into()], "errors": {}}))).into_response()
}

/// Jira's timestamp form: 2021-01-17T12:34:00.000+0000.
pub fn ts(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:%S%.3f%z").to_string()
}

pub(super) fn query_map(uri: &Uri) -> HashMap<String, Vec<String>> {
    let mut out: HashMap<String, Vec<String>> = HashMap::new();
    // Decoding into pairs keeps repeated keys (`status=live&status=archived`).
    let pairs = serde_urlencoded::from_str::<Vec<(String, String)>>(uri.query().unwrap_or("")).unwrap_or_default();
    for (k, v) in pairs {
        out.entry(k).or_default().push(v);
    }
    out
}

pub(super) fn first<'a>(q: &'a HashMap<String, Vec<String>>, key: &str) -> Option<&'a str> {
    q.get(key).and_then(|v| v.first()).map(String::as_str)
}

pub(super) fn int_param(q: &HashMap<String, Vec<String>>, key: &str, default: i64) -> Result<i64, Response> {
    match first(q, key) {
        None | Some("") => Ok(default),
        Some(v) => v.parse().map_err(|_| error(StatusCode::BAD_REQUEST, format!("The value '{v}' for '{key}' is not a valid number."))),
    }
}

fn avatar_urls(id: &str) -> Value {
    let base = format!("https://avatar-management.sim.test/{id}");
    json!({"48x48": format!("{base}/48"), "24x24": format!("{base}/24"), "16x16": format!("{base}/16"), "32x32": format!("{base}/32")})
}

/// UserDetails (worklog authors, assignees, project leads). A hidden e-mail address is left
/// out rather than sent as null, as Jira Cloud does.
fn user_details(api: &Api, u: &JiraUser) -> Value {
    let mut v = json!({
        "self": format!("{}/user?accountId={}", api.root, u.account_id),
        "accountId": u.account_id,
        "accountType": u.account_type,
        "avatarUrls": avatar_urls(&u.account_id),
        "displayName": u.display_name,
        "active": u.active,
        "timeZone": "Europe/London",
    });
    if let Some(email) = &u.email {
        v["emailAddress"] = json!(email);
    }
    v
}

/// The full User (`/user`, `/users/search`, `/user/search`): UserDetails and a locale.
pub(super) fn user_json(api: &Api, u: &JiraUser) -> Value {
    let mut v = user_details(api, u);
    v["locale"] = json!("en_US");
    v
}

fn user_ref(api: &Api, org: &Org, account_id: &str) -> Value {
    match org.jira.users.iter().find(|u| u.account_id == account_id) {
        Some(u) => user_details(api, u),
        None => json!({"accountId": account_id, "displayName": "Former user", "active": false, "accountType": "atlassian"}),
    }
}

pub(super) fn project_json(api: &Api, org: &Org, p: &JiraProject, expand: &str) -> Value {
    let mut v = json!({
        "expand": "description,lead,issueTypes,url,projectKeys,permissions,insight",
        "self": format!("{}/project/{}", api.root, p.id),
        "id": p.id.to_string(),
        "key": p.key,
        "name": p.name,
        "avatarUrls": avatar_urls(&p.id.to_string()),
        "projectTypeKey": "software",
        "simplified": false,
        "style": "classic",
        "isPrivate": false,
        "properties": {},
    });
    if p.archived {
        v["archived"] = json!(true);
    }
    if expand.contains("description") {
        v["description"] = json!(p.description);
    }
    if expand.contains("lead") {
        if let Some(lead) = &p.lead_account_id {
            v["lead"] = user_ref(api, org, lead);
        }
    }
    if expand.contains("projectKeys") {
        let mut keys = vec![p.key.clone()];
        keys.extend(p.previous_keys.iter().cloned());
        v["projectKeys"] = json!(keys);
    }
    if expand.contains("insight") {
        let issues = org.jira.issues.iter().filter(|i| i.project_id == p.id && !i.deleted);
        let (count, last) = issues.fold((0, None::<DateTime<Utc>>), |(n, last), i| (n + 1, Some(last.map_or(i.updated, |l| l.max(i.updated)))));
        v["insight"] = json!({"totalIssueCount": count, "lastIssueUpdateTime": last.map(ts)});
    }
    v
}

/// Live projects always; archived ones when `status` asks for them, as Jira's filter does.
async fn project_search(State(s): State<Arc<SimState>>, api: Api, uri: Uri) -> Response {
    let q = query_map(&uri);
    let start_at = match int_param(&q, "startAt", 0) { Ok(v) => v.max(0) as usize, Err(r) => return r };
    let max_results = match int_param(&q, "maxResults", 50) { Ok(v) => v.clamp(1, 100) as usize, Err(r) => return r };
    let statuses: Vec<&str> = q.get("status").map(|v| v.iter().map(String::as_str).collect()).unwrap_or_else(|| vec!["live"]);
    let text = first(&q, "query").map(str::to_lowercase);
    let keys: Vec<&str> = q.get("keys").map(|v| v.iter().map(String::as_str).collect()).unwrap_or_default();
    let ids: Vec<&str> = q.get("id").map(|v| v.iter().map(String::as_str).collect()).unwrap_or_default();
    let expand = first(&q, "expand").unwrap_or("");
    let org = s.read();
    let mut matching: Vec<&JiraProject> = org
        .jira
        .projects
        .iter()
        .filter(|p| !p.deleted)
        .filter(|p| statuses.contains(&if p.archived { "archived" } else { "live" }))
        .filter(|p| text.as_ref().is_none_or(|t| p.key.to_lowercase().contains(t) || p.name.to_lowercase().contains(t)))
        .filter(|p| keys.is_empty() || keys.contains(&p.key.as_str()))
        .filter(|p| ids.is_empty() || ids.contains(&p.id.to_string().as_str()))
        .collect();
    match first(&q, "orderBy").unwrap_or("key") {
        "name" => matching.sort_by(|a, b| a.name.cmp(&b.name)),
        "-name" => matching.sort_by(|a, b| b.name.cmp(&a.name)),
        "-key" => matching.sort_by(|a, b| b.key.cmp(&a.key)),
        _ => matching.sort_by(|a, b| a.key.cmp(&b.key)),
    }
    let total = matching.len();
    let page: Vec<Value> = matching.iter().skip(start_at).take(max_results).map(|p| project_json(&api, &org, p, expand)).collect();
    let is_last = start_at + max_results >= total;
    let mut body = json!({
        "self": format!("{}/project/search?startAt={start_at}&maxResults={max_results}", api.root),
        "maxResults": max_results,
        "startAt": start_at,
        "total": total,
        "isLast": is_last,
        "values": page,
    });
    if !is_last {
        body["nextPage"] = json!(format!("{}/project/search?startAt={}&maxResults={max_results}", api.root, start_at + max_results));
    }
    Json(body).into_response()
}

/// By id, current key or (since Jira reserves them) a previous key; keys are case sensitive.
fn find_project<'a>(org: &'a Org, id_or_key: &str) -> Option<&'a JiraProject> {
    org.jira.projects.iter().filter(|p| !p.deleted).find(|p| p.id.to_string() == id_or_key || p.key == id_or_key || p.previous_keys.iter().any(|k| k == id_or_key))
}

async fn project(State(s): State<Arc<SimState>>, api: Api, Path(id_or_key): Path<String>, uri: Uri) -> Response {
    let q = query_map(&uri);
    let org = s.read();
    match find_project(&org, &id_or_key) {
        Some(p) => Json(project_json(&api, &org, p, first(&q, "expand").unwrap_or("description,lead"))).into_response(),
        None => error(StatusCode::NOT_FOUND, format!("No project could be found with key '{id_or_key}'.")),
    }
}

fn issue_key(org: &Org, i: &JiraIssue) -> String {
    let key = org.jira.projects.iter().find(|p| p.id == i.project_id).map_or("UNKNOWN", |p| p.key.as_str());
    format!("{key}-{}", i.number)
}

/// The issue fields served, all navigable (`GET /field` describes them).
pub(super) const NAVIGABLE: &[&str] = &["summary", "status", "issuetype", "assignee", "created", "updated", "resolutiondate", "project"];

fn issue_json(api: &Api, org: &Org, i: &JiraIssue, fields: &[String]) -> Value {
    let mut out = serde_json::Map::new();
    let wants = |f: &str| fields.iter().any(|x| x == f || x == "*all" || x == "*navigable");
    let project = org.jira.projects.iter().find(|p| p.id == i.project_id);
    for f in NAVIGABLE {
        if !wants(f) {
            continue;
        }
        let value = match *f {
            "summary" => json!(i.summary),
            "status" => status_json(api, i.status),
            "issuetype" => json!({"self": format!("{}/issuetype/{}", api.root, i.issue_type), "id": issue_type_id(i.issue_type), "name": i.issue_type, "subtask": false, "hierarchyLevel": 0}),
            "assignee" => i.assignee.as_ref().map_or(Value::Null, |a| user_ref(api, org, a)),
            "created" => json!(ts(i.created)),
            "updated" => json!(ts(i.updated)),
            "resolutiondate" => i.resolved.map_or(Value::Null, |t| json!(ts(t))),
            "project" => project.map_or(Value::Null, |p| json!({"self": format!("{}/project/{}", api.root, p.id), "id": p.id.to_string(), "key": p.key, "name": p.name, "projectTypeKey": "software", "simplified": false, "avatarUrls": avatar_urls(&p.id.to_string())})),
            _ => Value::Null,
        };
        out.insert((*f).to_owned(), value);
    }
    let mut v = json!({"expand": "renderedFields,names,schema,operations,editmeta,changelog,versionedRepresentations", "id": i.id.to_string(), "self": format!("{}/issue/{}", api.root, i.id), "key": issue_key(org, i)});
    if !out.is_empty() {
        v["fields"] = Value::Object(out);
    }
    v
}

fn issue_type_id(t: &str) -> &'static str {
    match t {
        "Bug" => "10004",
        "Task" => "10002",
        _ => "10001",
    }
}

fn status_json(api: &Api, s: IssueStatus) -> Value {
    let (id, name, cat_id, cat_key, cat_name, colour) = s.jira_fields();
    json!({
        "self": format!("{}/status/{id}", api.root),
        "description": "",
        "iconUrl": format!("{}/images/icons/statuses/generic.png", api.base),
        "name": name,
        "id": id,
        "statusCategory": {"self": format!("{}/statuscategory/{cat_id}", api.root), "id": cat_id, "key": cat_key, "colorName": colour, "name": cat_name},
    })
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct SearchBody {
    jql: Option<String>,
    next_page_token: Option<String>,
    max_results: Option<i64>,
    fields: Option<Vec<String>>,
}

async fn search_get(State(s): State<Arc<SimState>>, api: Api, uri: Uri) -> Response {
    let q = query_map(&uri);
    let max_results = match int_param(&q, "maxResults", 50) { Ok(v) => v, Err(r) => return r };
    let fields = q.get("fields").map(|v| v.iter().flat_map(|f| f.split(',')).map(|f| f.trim().to_owned()).filter(|f| !f.is_empty()).collect());
    let body = SearchBody { jql: first(&q, "jql").map(str::to_owned), next_page_token: first(&q, "nextPageToken").map(str::to_owned), max_results: Some(max_results), fields };
    search(&s, &api, body)
}

async fn search_post(State(s): State<Arc<SimState>>, api: Api, body: Bytes) -> Response {
    match serde_json::from_slice::<SearchBody>(&body) {
        Ok(b) => search(&s, &api, b),
        Err(e) => error(StatusCode::BAD_REQUEST, format!("Invalid request payload. Refer to the REST API documentation and try again. ({e})")),
    }
}

fn encode_token(offset: usize, jql: &str) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(format!("{offset}:{jql}"))
}

fn decode_token(token: &str, jql: &str) -> Option<usize> {
    let raw = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(token).ok()?;
    let text = String::from_utf8(raw).ok()?;
    let (offset, query) = text.split_once(':')?;
    (query == jql).then(|| offset.parse().ok()).flatten()
}

fn search(s: &SimState, api: &Api, body: SearchBody) -> Response {
    let Some(jql_text) = body.jql.filter(|j| !j.trim().is_empty()) else {
        return error(StatusCode::BAD_REQUEST, "Unbounded JQL queries are not allowed here. Please add a search restriction to your query.");
    };
    let query = match jql::parse(&jql_text) {
        Ok(q) => q,
        Err(message) => return error(StatusCode::BAD_REQUEST, message),
    };
    if query.clauses.is_empty() {
        return error(StatusCode::BAD_REQUEST, "Unbounded JQL queries are not allowed here. Please add a search restriction to your query.");
    }
    let fields = body.fields.unwrap_or_else(|| vec!["id".into()]);
    let id_only = fields.iter().all(|f| f == "id" || f == "key");
    let cap = if id_only { 5000 } else { 100 };
    let max_results = body.max_results.unwrap_or(50).clamp(1, cap) as usize;
    let offset = match body.next_page_token.as_deref() {
        None | Some("") => 0,
        Some(t) => match decode_token(t, &jql_text) {
            Some(o) => o,
            None => return error(StatusCode::BAD_REQUEST, "The provided next page token is invalid or expired."),
        },
    };
    let org = s.read();
    let mut project_ids = None::<Vec<u64>>;
    for clause in &query.clauses {
        if let Clause::Project(values) = clause {
            let mut ids = Vec::new();
            for v in values {
                match find_project(&org, v) {
                    Some(p) => ids.push(p.id),
                    None => return error(StatusCode::BAD_REQUEST, format!("The value '{v}' does not exist for the field 'project'.")),
                }
            }
            project_ids = Some(match project_ids {
                None => ids,
                Some(prev) => prev.into_iter().filter(|id| ids.contains(id)).collect(),
            });
        }
    }
    let mut hits: Vec<&JiraIssue> = org
        .jira
        .issues
        .iter()
        .filter(|i| !i.deleted)
        .filter(|i| project_ids.as_ref().is_none_or(|ids| ids.contains(&i.project_id)))
        .filter(|i| {
            query.clauses.iter().all(|c| match c {
                Clause::Project(_) => true,
                Clause::Time { field, op, at } => op.holds(if *field == TimeField::Updated { i.updated } else { i.created }, *at),
            })
        })
        .collect();
    let order = if query.order.is_empty() { vec![(SortField::Key, true)] } else { query.order.clone() };
    hits.sort_by(|a, b| {
        for (field, desc) in &order {
            let o = match field {
                SortField::Updated => a.updated.cmp(&b.updated),
                SortField::Created => a.created.cmp(&b.created),
                SortField::Key => (a.project_id, a.number).cmp(&(b.project_id, b.number)),
                SortField::Id => a.id.cmp(&b.id),
            };
            let o = if *desc { o.reverse() } else { o };
            if o != std::cmp::Ordering::Equal {
                return o;
            }
        }
        a.id.cmp(&b.id)
    });
    let page: Vec<Value> = hits.iter().skip(offset).take(max_results).map(|i| issue_json(api, &org, i, &fields)).collect();
    let next = offset + max_results;
    let mut out = json!({"issues": page, "isLast": next >= hits.len()});
    if next < hits.len() {
        out["nextPageToken"] = json!(encode_token(next, &jql_text));
    }
    Json(out).into_response()
}

async fn removed_search(api: Api) -> Response {
    let message = format!("The requested API has been removed. Please migrate to the {}/search/jql API. A full migration guideline is available at https://developer.atlassian.com/changelog/#CHANGE-2046", api.version.prefix());
    error(StatusCode::GONE, message)
}

/// By id, or by key case-insensitively including keys the issue had before it moved.
fn find_issue<'a>(org: &'a Org, id_or_key: &str) -> Option<&'a JiraIssue> {
    let upper = id_or_key.to_uppercase();
    org.jira.issues.iter().filter(|i| !i.deleted).find(|i| {
        i.id.to_string() == id_or_key || issue_key(org, i) == upper || i.previous_keys.iter().any(|k| *k == upper) || {
            // Keys under a renamed project's old key still resolve.
            let project = org.jira.projects.iter().find(|p| p.id == i.project_id);
            project.is_some_and(|p| p.previous_keys.iter().any(|k| format!("{k}-{}", i.number) == upper))
        }
    })
}

async fn issue(State(s): State<Arc<SimState>>, api: Api, Path(id_or_key): Path<String>, uri: Uri) -> Response {
    let q = query_map(&uri);
    let fields: Vec<String> = first(&q, "fields").map_or_else(|| vec!["*navigable".into()], |f| f.split(',').map(|x| x.trim().to_owned()).collect());
    let org = s.read();
    match find_issue(&org, &id_or_key) {
        Some(i) => Json(issue_json(&api, &org, i, &fields)).into_response(),
        None => error(StatusCode::NOT_FOUND, "Issue does not exist or you do not have permission to see it."),
    }
}

fn time_spent(seconds: i64) -> String {
    let (h, m) = (seconds / 3600, (seconds % 3600) / 60);
    match (h, m) {
        (0, m) => format!("{m}m"),
        (h, 0) => format!("{h}h"),
        (h, m) => format!("{h}h {m}m"),
    }
}

pub fn worklog_json(api: &Api, org: &Org, w: &JiraWorklog) -> Value {
    let author = user_ref(api, org, &w.author);
    json!({
        "self": format!("{}/issue/{}/worklog/{}", api.root, w.issue_id, w.id),
        "author": author,
        "updateAuthor": author,
        "comment": api.rich_text("Worked on it"),
        "created": ts(w.created),
        "updated": ts(w.updated),
        "started": ts(w.started),
        "timeSpent": time_spent(w.time_spent_seconds),
        "timeSpentSeconds": w.time_spent_seconds,
        "id": w.id.to_string(),
        "issueId": w.issue_id.to_string(),
    })
}

async fn issue_worklogs(State(s): State<Arc<SimState>>, api: Api, Path(id_or_key): Path<String>, uri: Uri) -> Response {
    let q = query_map(&uri);
    let start_at = match int_param(&q, "startAt", 0) { Ok(v) => v.max(0) as usize, Err(r) => return r };
    let max_results = match int_param(&q, "maxResults", 5000) { Ok(v) => v.clamp(1, 5000) as usize, Err(r) => return r };
    let after = match int_param(&q, "startedAfter", i64::MIN) { Ok(v) => v, Err(r) => return r };
    let before = match int_param(&q, "startedBefore", i64::MAX) { Ok(v) => v, Err(r) => return r };
    let org = s.read();
    let Some(issue) = find_issue(&org, &id_or_key) else {
        return error(StatusCode::NOT_FOUND, "Issue does not exist or you do not have permission to see it.");
    };
    let all: Vec<&JiraWorklog> = org
        .jira
        .worklogs
        .iter()
        .filter(|w| w.issue_id == issue.id)
        .filter(|w| w.started.timestamp_millis() >= after && w.started.timestamp_millis() < before)
        .collect();
    let page: Vec<Value> = all.iter().skip(start_at).take(max_results).map(|w| worklog_json(&api, &org, w)).collect();
    Json(json!({"startAt": start_at, "maxResults": max_results, "total": all.len(), "worklogs": page})).into_response()
}

const WORKLOG_FEED_PAGE: usize = 1000;

/// The change feeds hide the last minute, so a reader never misses an item still being written.
fn feed(api: &Api, uri: &Uri, path: &str, items: Vec<(u64, DateTime<Utc>)>) -> Response {
    let q = query_map(uri);
    let since = match int_param(&q, "since", 0) { Ok(v) => v, Err(r) => return r };
    let horizon = Utc::now() - Duration::minutes(1);
    let mut hits: Vec<(u64, i64)> = items
        .into_iter()
        .filter(|(_, t)| *t < horizon)
        .map(|(id, t)| (id, t.timestamp_millis()))
        .filter(|(_, ms)| *ms >= since)
        .collect();
    hits.sort_by_key(|(id, ms)| (*ms, *id));
    let last_page = hits.len() <= WORKLOG_FEED_PAGE;
    hits.truncate(WORKLOG_FEED_PAGE);
    let until = hits.last().map_or(since, |(_, ms)| *ms);
    let values: Vec<Value> = hits.iter().map(|(id, ms)| json!({"worklogId": id, "updatedTime": ms, "properties": []})).collect();
    let mut body = json!({"self": format!("{}{path}?since={since}", api.root), "since": since, "until": until, "lastPage": last_page, "values": values});
    if !last_page {
        body["nextPage"] = json!(format!("{}{path}?since={until}", api.root));
    }
    Json(body).into_response()
}

async fn worklogs_updated(State(s): State<Arc<SimState>>, api: Api, uri: Uri) -> Response {
    let items = s.read().jira.worklogs.iter().map(|w| (w.id, w.updated)).collect();
    feed(&api, &uri, "/worklog/updated", items)
}

async fn worklogs_deleted(State(s): State<Arc<SimState>>, api: Api, uri: Uri) -> Response {
    let items = s.read().jira.deleted_worklogs.clone();
    feed(&api, &uri, "/worklog/deleted", items)
}

#[derive(Deserialize)]
struct IdList {
    ids: Vec<i64>,
}

async fn worklog_list(State(s): State<Arc<SimState>>, api: Api, body: Bytes) -> Response {
    let ids = match serde_json::from_slice::<IdList>(&body) {
        Ok(l) => l.ids,
        Err(e) => return error(StatusCode::BAD_REQUEST, format!("Invalid request payload. Refer to the REST API documentation and try again. ({e})")),
    };
    if ids.is_empty() || ids.len() > 1000 {
        return error(StatusCode::BAD_REQUEST, "The number of worklog IDs must be between 1 and 1000.");
    }
    let org = s.read();
    let worklogs = &org.jira.worklogs;
    // Worklogs are only appended (ids from `next_id`, which only grows) or removed, so they stay
    // sorted by id and a binary search finds each; a map of every worklog per call made org L's
    // 400 calls take minutes.
    debug_assert!(worklogs.is_sorted_by_key(|w| w.id), "worklogs sorted by id");
    let find = |id: u64| worklogs.binary_search_by_key(&id, |w| w.id).ok().map(|i| &worklogs[i]);
    let out: Vec<Value> = ids.iter().filter_map(|id| u64::try_from(*id).ok()).filter_map(find).map(|w| worklog_json(&api, &org, w)).collect();
    Json(out).into_response()
}

/// Every user, in pages (`/users/search`).
async fn users_search(State(s): State<Arc<SimState>>, api: Api, uri: Uri) -> Response {
    let q = query_map(&uri);
    let start_at = match int_param(&q, "startAt", 0) { Ok(v) => v.max(0) as usize, Err(r) => return r };
    let max_results = match int_param(&q, "maxResults", 50) { Ok(v) => v.clamp(1, 1000) as usize, Err(r) => return r };
    let org = s.read();
    let out: Vec<Value> = org.jira.users.iter().skip(start_at).take(max_results).map(|u| user_json(&api, u)).collect();
    Json(out).into_response()
}

/// Whether `query` (lower case) starts the display name, one of its words, or a visible e-mail address.
fn user_matches(u: &JiraUser, query: &str) -> bool {
    let name = u.display_name.to_lowercase();
    name.starts_with(query) || name.split_whitespace().any(|w| w.starts_with(query)) || u.email.as_ref().is_some_and(|e| e.to_lowercase().starts_with(query))
}

/// findUsers (`/user/search`): users a `query` prefix matches, or the one `accountId` names.
async fn find_users(State(s): State<Arc<SimState>>, api: Api, uri: Uri) -> Response {
    let q = query_map(&uri);
    let start_at = match int_param(&q, "startAt", 0) { Ok(v) => v.max(0) as usize, Err(r) => return r };
    let max_results = match int_param(&q, "maxResults", 50) { Ok(v) => v.clamp(1, 1000) as usize, Err(r) => return r };
    let query = first(&q, "query").map(|t| t.trim().to_lowercase()).filter(|t| !t.is_empty());
    let account_id = first(&q, "accountId").filter(|a| !a.is_empty());
    let org = s.read();
    let hits: Vec<&JiraUser> = match (query, account_id) {
        (Some(_), Some(_)) => return error(StatusCode::BAD_REQUEST, "The query parameters 'query' and 'accountId' cannot be used together."),
        // No user here has entity properties, so a property search finds nobody.
        (None, None) if first(&q, "property").is_some_and(|p| !p.is_empty()) => Vec::new(),
        (None, None) => return error(StatusCode::BAD_REQUEST, "One of the query parameters 'query', 'accountId' or 'property' is required."),
        (Some(text), None) => org.jira.users.iter().filter(|u| user_matches(u, &text)).collect(),
        (None, Some(id)) => org.jira.users.iter().filter(|u| u.account_id == id).collect(),
    };
    let out: Vec<Value> = hits.iter().skip(start_at).take(max_results).map(|u| user_json(&api, u)).collect();
    Json(out).into_response()
}

async fn user(State(s): State<Arc<SimState>>, api: Api, uri: Uri) -> Response {
    let q = query_map(&uri);
    let Some(account_id) = first(&q, "accountId").filter(|a| !a.is_empty()) else {
        return error(StatusCode::BAD_REQUEST, "The query parameter 'accountId' is required.");
    };
    let org = s.read();
    match org.jira.users.iter().find(|u| u.account_id == account_id) {
        Some(u) => Json(user_json(&api, u)).into_response(),
        None => error(StatusCode::NOT_FOUND, "Specified user does not exist or you do not have required permissions"),
    }
}
