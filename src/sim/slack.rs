//! Slack Web API subset: `users.list` (cursor pagination) and `users.lookupByEmail`.
//! Slack answers HTTP 200 with `{"ok": false, "error": …}` for most failures.

use super::auth;
use super::org::SlackUser;
use super::server::SimState;
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

fn encode_cursor(user_id: &str) -> String {
    base64::engine::general_purpose::STANDARD.encode(format!("user:{user_id}"))
}

fn decode_cursor(cursor: &str) -> Option<String> {
    let raw = base64::engine::general_purpose::STANDARD.decode(cursor).ok()?;
    String::from_utf8(raw).ok()?.strip_prefix("user:").map(str::to_owned)
}

fn users_list(s: &SimState, headers: &HeaderMap, p: ListParams) -> Response {
    if let Err(r) = auth::slack(headers, p.token.as_deref(), &s.credentials.slack_token) {
        return r;
    }
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
    let members: Vec<Value> = team.users[start..end].iter().map(|u| member(u, &team.team_id)).collect();
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
    if let Err(r) = auth::slack(headers, p.token.as_deref(), &s.credentials.slack_token) {
        return r;
    }
    let Some(email) = p.email.filter(|e| !e.is_empty()) else {
        return error("invalid_arguments");
    };
    let org = s.read();
    match org.slack.users.iter().find(|u| u.email.as_deref().is_some_and(|e| e.eq_ignore_ascii_case(&email))) {
        Some(u) => Json(json!({"ok": true, "user": member(u, &org.slack.team_id)})).into_response(),
        None => error("users_not_found"),
    }
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
    if let Err(r) = auth::slack(headers, p.token.as_deref(), &s.credentials.slack_token) {
        return r;
    }
    let Some(id) = p.user.filter(|u| !u.is_empty()) else {
        return error("user_not_found");
    };
    let org = s.read();
    match org.slack.users.iter().find(|u| u.id == id) {
        Some(u) => Json(json!({"ok": true, "user": member(u, &org.slack.team_id)})).into_response(),
        None => error("user_not_found"),
    }
}

fn member(u: &SlackUser, team_id: &str) -> Value {
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
    if let Some(email) = &u.email {
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
