//! Rate-limit windows and the headers the git hosts send with them. GitHub's `x-ratelimit-*` are
//! set in `github`; GitLab sends `RateLimit-*` on every authenticated API answer (2,000 requests a
//! minute, GitLab.com's authenticated API limit); Bitbucket sends `X-RateLimit-Limit` and
//! `X-RateLimit-NearLimit` to access tokens only, with no count of what is left. The windows count
//! requests; none is held back.

use super::git_common::with_headers;
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::Response;
use chrono::Utc;
use std::sync::{Arc, Mutex};

/// A fixed window: `used` requests since it opened, closing at `reset` (epoch seconds).
#[derive(Default)]
pub struct RateWindow {
    used: u64,
    reset: i64,
}

impl RateWindow {
    /// Counts a request (unless `counted` is false) in the window of `period` seconds, opening a
    /// new one once the last has closed; returns (used, reset).
    pub fn tick(window: &Mutex<RateWindow>, counted: bool, period: i64) -> (u64, i64) {
        let mut w = window.lock().unwrap_or_else(|e| e.into_inner());
        let now = Utc::now().timestamp();
        if now >= w.reset {
            *w = RateWindow { used: 0, reset: now + period };
        }
        w.used += u64::from(counted);
        (w.used, w.reset)
    }
}

pub type Window = Arc<Mutex<RateWindow>>;

const GITLAB_LIMIT: u64 = 2_000;
/// Bitbucket's documented 1,000 requests an hour for authenticated calls.
const BITBUCKET_LIMIT: u64 = 1_000;

/// GitLab's Rack::Attack headers, refusals included.
pub async fn gitlab(State(window): State<Window>, request: Request, next: Next) -> Response {
    let (used, reset) = RateWindow::tick(&window, true, 60);
    let response = next.run(request).await;
    with_headers(response, [
        ("ratelimit-name", "throttle_authenticated_api".to_owned()),
        ("ratelimit-limit", GITLAB_LIMIT.to_string()),
        ("ratelimit-observed", used.to_string()),
        ("ratelimit-remaining", GITLAB_LIMIT.saturating_sub(used).to_string()),
        ("ratelimit-reset", reset.to_string()),
    ])
}

/// Bitbucket's headers for access tokens (bearer); `X-RateLimit-NearLimit` turns true once less
/// than a fifth of the hour's budget is left (the threshold Atlassian documents for Jira).
pub async fn bitbucket(State(window): State<Window>, request: Request, next: Next) -> Response {
    let auth = request.headers().get("authorization").and_then(|v| v.to_str().ok()).unwrap_or_default();
    let access_token = auth.starts_with("Bearer ") || auth.starts_with("bearer ");
    let (used, _) = RateWindow::tick(&window, true, 3600);
    let response = next.run(request).await;
    if !access_token {
        return response;
    }
    with_headers(response, [("x-ratelimit-limit", BITBUCKET_LIMIT.to_string()), ("x-ratelimit-nearlimit", (used * 5 > BITBUCKET_LIMIT * 4).to_string())])
}
