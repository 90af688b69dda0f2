//! Slack Web API subset: `auth.test`, `users.list` (cursor pagination), `users.info` and
//! `users.lookupByEmail`, each checking the bot token's scopes (`scopes`) and reporting them in
//! `x-oauth-scopes`. Slack answers HTTP 200 with `{"ok": false, "error": …}` for most failures;
//! a token with `users:read` but not `users:read.email` gets users without `profile.email`.

use super::auth;
use super::generate::DOMAIN;
use super::org::SlackUser;
use super::scopes;
use super::server::{Sim, SimState};
use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Form, Json, Router};
use base64::Engine;
use serde::Deserialize;
use serde_json::{json, Value};
use std::sync::Arc;

pub fn router(state: Arc<SimState>) -> Router {
    Router::new()
        .route("/api/auth.test", get(auth_test_get).post(auth_test_post))
        .route("/api/users.list", get(users_list_get).post(users_list_post))
        .route("/api/users.lookupByEmail", get(lookup_get).post(lookup_post))
        .route("/api/users.info", get(info_get).post(info_post))
        .with_state(state)
}

#[derive(Deserialize, Default)]
struct ListParams {
    token: Option<String>,
    cursor: Option<String>,
    limit: Option<String>,
}

async fn users_list_get(State(s): State<Arc<SimState>>, headers: HeaderMap, Query(p): Query<ListParams>) -> Response {
    users_list(&s, &headers, p)
}

async fn users_list_post(State(s): State<Arc<SimState>>, headers: HeaderMap, Form(p): Form<ListParams>) -> Response {
    users_list(&s, &headers, p)
}

fn error(code: &str) -> Response {
    Json(json!({"ok": false, "error": code})).into_response()
}

/// Authenticates, checks `method`'s scope, then answers with `f` (given the token's scopes),
/// Slack's refusal of either, with the scope headers once the token is known.
fn serve(s: &SimState, headers: &HeaderMap, token: Option<&str>, method: &str, f: impl FnOnce(&[String]) -> Response) -> Response {
    if let Err(r) = auth::slack(headers, token, &s.credentials.slack_token) {
        return r;
    }
    let granted = s.granted(Sim::Slack);
    let accepted = scopes::accepted(Sim::Slack, method);
    let response = if scopes::allows(&granted, accepted) { f(&granted) } else { scopes::refusal(Sim::Slack, &granted, accepted) };
    scopes::with_headers(Sim::Slack, response, &granted, accepted)
}

/// Whether users come with `profile.email`.
fn emails(granted: &[String]) -> bool {
    scopes::allows(granted, &["users:read.email"])
}

/// The bot user Velocity's token belongs to.
const BOT_NAME: &str = "velocity";
const BOT_USER_ID: &str = "U0VELOCITY";
const BOT_ID: &str = "B0VELOCITY";

#[derive(Deserialize, Default)]
struct TokenParams {
    token: Option<String>,
}

async fn auth_test_get(State(s): State<Arc<SimState>>, headers: HeaderMap, Query(p): Query<TokenParams>) -> Response {
    auth_test(&s, &headers, p.token.as_deref())
}

/// A form body, or none at all: a bare POST with the token in its header is the common call.
async fn auth_test_post(State(s): State<Arc<SimState>>, headers: HeaderMap, body: Bytes) -> Response {
    let p: TokenParams = serde_urlencoded::from_bytes(&body).unwrap_or_default();
    auth_test(&s, &headers, p.token.as_deref())
}

/// Who the token is (`auth.test`, no scope needed): the bot user in this workspace.
fn auth_test(s: &SimState, headers: &HeaderMap, token: Option<&str>) -> Response {
    serve(s, headers, token, "/api/auth.test", |_| {
        let subdomain = DOMAIN.split('.').next().unwrap_or(DOMAIN);
        let team: String = subdomain.chars().take(1).flat_map(char::to_uppercase).chain(subdomain.chars().skip(1)).collect();
        Json(json!({
            "ok": true, "url": format!("https://{subdomain}.slack.com/"), "team": team, "user": BOT_NAME,
            "team_id": s.read().slack.team_id, "user_id": BOT_USER_ID, "bot_id": BOT_ID, "is_enterprise_install": false,
        }))
        .into_response()
    })
}

fn encode_cursor(user_id: &str) -> String {
    base64::engine::general_purpose::STANDARD.encode(format!("user:{user_id}"))
}

fn decode_cursor(cursor: &str) -> Option<String> {
    let raw = base64::engine::general_purpose::STANDARD.decode(cursor).ok()?;
    String::from_utf8(raw).ok()?.strip_prefix("user:").map(str::to_owned)
}

fn users_list(s: &SimState, headers: &HeaderMap, p: ListParams) -> Response {
    serve(s, headers, p.token.as_deref(), "/api/users.list", |granted| list_page(s, &p, emails(granted)))
}

fn list_page(s: &SimState, p: &ListParams, emails: bool) -> Response {
    let limit = match p.limit.as_deref().filter(|l| !l.is_empty()) {
        None => 0,
        Some(l) => match l.parse::<usize>() {
            Ok(n) => n,
            Err(_) => return error("invalid_limit"),
        },
    };
    let org = s.read();
    let team = &org.slack;
    let start = match p.cursor.as_deref().filter(|c| !c.is_empty()) {
        None => 0,
        Some(c) => match decode_cursor(c).and_then(|id| team.users.iter().position(|u| u.id == id)) {
            Some(i) => i,
            None => return error("invalid_cursor"),
        },
    };
    // No limit: the whole set, as Slack does for small workspaces. Over 1000 is clamped.
    let page = if limit == 0 { team.users.len() } else { limit.min(1000) };
    let end = (start + page).min(team.users.len());
    let members: Vec<Value> = team.users[start..end].iter().map(|u| member(u, &team.team_id, emails)).collect();
    let next_cursor = team.users.get(end).map(|u| encode_cursor(&u.id)).unwrap_or_default();
    Json(json!({
        "ok": true,
        "members": members,
        "cache_ts": 1_700_000_000,
        "response_metadata": {"next_cursor": next_cursor},
    }))
    .into_response()
}

#[derive(Deserialize, Default)]
struct LookupParams {
    token: Option<String>,
    email: Option<String>,
}

async fn lookup_get(State(s): State<Arc<SimState>>, headers: HeaderMap, Query(p): Query<LookupParams>) -> Response {
    lookup(&s, &headers, p)
}

async fn lookup_post(State(s): State<Arc<SimState>>, headers: HeaderMap, Form(p): Form<LookupParams>) -> Response {
    lookup(&s, &headers, p)
}

fn lookup(s: &SimState, headers: &HeaderMap, p: LookupParams) -> Response {
    serve(s, headers, p.token.as_deref(), "/api/users.lookupByEmail", |granted| {
        let Some(email) = p.email.filter(|e| !e.is_empty()) else {
            return error("invalid_arguments");
        };
        let org = s.read();
        match org.slack.users.iter().find(|u| u.email.as_deref().is_some_and(|e| e.eq_ignore_ascii_case(&email))) {
            Some(u) => Json(json!({"ok": true, "user": member(u, &org.slack.team_id, emails(granted))})).into_response(),
            None => error("users_not_found"),
        }
    })
}

#[derive(Deserialize, Default)]
struct InfoParams {
    token: Option<String>,
    user: Option<String>,
}

async fn info_get(State(s): State<Arc<SimState>>, headers: HeaderMap, Query(p): Query<InfoParams>) -> Response {
    info(&s, &headers, p)
}

async fn info_post(State(s): State<Arc<SimState>>, headers: HeaderMap, Form(p): Form<InfoParams>) -> Response {
    info(&s, &headers, p)
}

fn info(s: &SimState, headers: &HeaderMap, p: InfoParams) -> Response {
    serve(s, headers, p.token.as_deref(), "/api/users.info", |granted| {
        let Some(id) = p.user.filter(|u| !u.is_empty()) else {
            return error("user_not_found");
        };
        let org = s.read();
        match org.slack.users.iter().find(|u| u.id == id) {
            Some(u) => Json(json!({"ok": true, "user": member(u, &org.slack.team_id, emails(granted))})).into_response(),
            None => error("user_not_found"),
        }
    })
}

/// A user object; `profile.email` only when `with_email` (the token has `users:read.email`).
fn member(u: &SlackUser, team_id: &str, with_email: bool) -> Value {
    let mut profile = json!({
        "real_name": u.real_name,
        "real_name_normalized": super::generate::fold_ascii(&u.real_name),
        "display_name": u.display_name,
        "display_name_normalized": super::generate::fold_ascii(&u.display_name),
        "status_text": "",
        "status_emoji": "",
        "image_24": format!("https://avatars.slack-edge.test/{}_24.png", u.id),
        "image_72": format!("https://avatars.slack-edge.test/{}_72.png", u.id),
        "team": team_id,
    });
    if let Some(email) = u.email.as_ref().filter(|_| with_email) {
        profile["email"] = json!(email);
    }
    if u.is_bot {
        profile["bot_id"] = json!(format!("B{}", &u.id[1..]));
    }
    json!({
        "id": u.id,
        "team_id": team_id,
        "name": u.name,
        "deleted": u.deleted,
        "color": "9f69e7",
        "real_name": u.real_name,
        "tz": "Europe/London",
        "tz_label": "Greenwich Mean Time",
        "tz_offset": 0,
        "profile": profile,
        "is_admin": false,
        "is_owner": false,
        "is_primary_owner": false,
        "is_restricted": false,
        "is_ultra_restricted": false,
        "is_bot": u.is_bot,
        "is_app_user": false,
        "updated": u.updated,
        "is_email_confirmed": u.email.is_some(),
    })
}
