//! Fault injection for the simulators: rate limits with each platform's real semantics, 5xx,
//! latency, time-outs, connection resets and truncated JSON — at seeded rates, or scripted
//! ("the next N requests fail like this") for deterministic tests — and an enforced rate limit
//! (`limit_per_second`): requests past it in a second are refused in the platform's shape, and
//! accepted answers say what is left where the platform does (GitHub's `x-ratelimit-*`,
//! GitLab's `RateLimit-*`, Jira's `X-RateLimit-NearLimit`; Slack and Bitbucket say nothing).

use super::server::{Sim, SimState};
use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use rand::Rng;
use serde::{Deserialize, Serialize};
use std::sync::Arc;
use std::time::Duration;

/// Rates are probabilities in [0, 1] per request; they apply to every simulator when given on
/// the command line and to one simulator when set through the admin API.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, clap::Args)]
#[serde(default, rename_all = "camelCase")]
pub struct FaultRates {
    /// Share of requests answered with the platform's rate-limit response.
    #[arg(long = "fault-rate-limit", default_value_t = 0.0)]
    pub rate_limit: f64,
    /// Share of requests answered 503.
    #[arg(long = "fault-server-error", default_value_t = 0.0)]
    pub server_error: f64,
    /// Share of requests that stall for 40 s before answering.
    #[arg(long = "fault-timeout", default_value_t = 0.0)]
    pub timeout: f64,
    /// Share of requests whose connection drops mid-body.
    #[arg(long = "fault-reset", default_value_t = 0.0)]
    pub reset: f64,
    /// Share of requests answered with truncated JSON.
    #[arg(long = "fault-malformed", default_value_t = 0.0)]
    pub malformed: f64,
    /// Latency added to every request, in milliseconds.
    #[arg(long = "fault-latency-ms", default_value_t = 0)]
    pub latency_ms: u64,
    /// Requests a second each simulator accepts before refusing (0: no limit).
    #[arg(long = "rate-limit-per-second", default_value_t = 0)]
    pub limit_per_second: u32,
    /// Answer look-ups of one user by id with this status instead (404: not served, as on
    /// self-hosted versions; 403: refused, as for restricted tokens). Listings still answer.
    #[arg(long = "per-id-lookup-status")]
    pub per_id_lookup_status: Option<u16>,
}

/// The routes that look one user up by id, per simulator.
const PER_ID_USER_ROUTES: &[(Sim, &str)] = &[
    (Sim::Jira, "/rest/api/3/user"),
    (Sim::Jira, "/rest/api/2/user"),
    (Sim::Bitbucket, "/2.0/users/{selected_user}"),
    (Sim::Github, "/users/{login}"),
    (Sim::Github, "/user/{id}"),
    (Sim::Gitlab, "/api/v4/users/{id}"),
    (Sim::Slack, "/api/users.info"),
];

/// The per-id look-up status set for `sim`, when `request` is one.
fn per_id_refusal(state: &SimState, sim: Sim, request: &Request) -> Option<StatusCode> {
    let status = state.faults.lock().unwrap_or_else(|e| e.into_inner()).get(&sim)?.rates.per_id_lookup_status?;
    let route = request.extensions().get::<axum::extract::MatchedPath>()?.as_str();
    PER_ID_USER_ROUTES.contains(&(sim, route)).then(|| StatusCode::from_u16(status).ok()).flatten()
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FaultKind {
    RateLimit,
    ServerError,
    Timeout,
    Reset,
    Malformed,
}

impl FaultRates {
    pub fn validate(&self) -> Result<(), String> {
        for (name, rate) in [("rateLimit", self.rate_limit), ("serverError", self.server_error), ("timeout", self.timeout), ("reset", self.reset), ("malformed", self.malformed)] {
            if !(0.0..=1.0).contains(&rate) {
                return Err(format!("{name} must be a probability between 0 and 1, got {rate}"));
            }
        }
        if let Some(status) = self.per_id_lookup_status.filter(|s| !(400..=599).contains(s)) {
            return Err(format!("perIdLookupStatus must be an error status (400 to 599), got {status}"));
        }
        Ok(())
    }
}

/// How long a rate-limited client is told to wait.
pub const RETRY_AFTER_SECS: u64 = 1;
/// How long a "timeout" fault stalls before answering: longer than any sane client time-out.
pub const STALL: Duration = Duration::from_secs(40);

fn draw(state: &SimState, sim: Sim) -> (Option<FaultKind>, u64) {
    let mut faults = state.faults.lock().unwrap_or_else(|e| e.into_inner());
    let entry = faults.entry(sim).or_default();
    if let Some(kind) = entry.scripted.pop_front() {
        return (Some(kind), entry.rates.latency_ms);
    }
    let rates = entry.rates.clone();
    let mut rng = state.fault_rng.lock().unwrap_or_else(|e| e.into_inner());
    let mut pick = |p: f64| p > 0.0 && rng.gen_bool(p.min(1.0));
    let kind = if pick(rates.rate_limit) {
        Some(FaultKind::RateLimit)
    } else if pick(rates.server_error) {
        Some(FaultKind::ServerError)
    } else if pick(rates.timeout) {
        Some(FaultKind::Timeout)
    } else if pick(rates.reset) {
        Some(FaultKind::Reset)
    } else if pick(rates.malformed) {
        Some(FaultKind::Malformed)
    } else {
        None
    };
    (kind, rates.latency_ms)
}

/// Where a request falls in its second's window: refused, or accepted with what is left.
enum Admission {
    Unlimited,
    Refused,
    Accepted { limit: u32, remaining: u32, reset: i64 },
}

fn admit(state: &SimState, sim: Sim) -> Admission {
    let mut faults = state.faults.lock().unwrap_or_else(|e| e.into_inner());
    let entry = faults.entry(sim).or_default();
    let limit = entry.rates.limit_per_second;
    if limit == 0 {
        return Admission::Unlimited;
    }
    let second = chrono::Utc::now().timestamp();
    if entry.window.0 != second {
        entry.window = (second, 0);
    }
    entry.window.1 += 1;
    match limit.checked_sub(entry.window.1) {
        None => Admission::Refused,
        Some(remaining) => Admission::Accepted { limit, remaining, reset: second + 1 },
    }
}

/// What an accepted answer says of the window, in the platform's own headers.
fn window_headers(sim: Sim, limit: u32, remaining: u32, reset: i64) -> Vec<(&'static str, String)> {
    match sim {
        Sim::Github => vec![
            ("x-ratelimit-limit", limit.to_string()),
            ("x-ratelimit-remaining", remaining.to_string()),
            ("x-ratelimit-used", (limit - remaining).to_string()),
            ("x-ratelimit-reset", reset.to_string()),
        ],
        Sim::Gitlab => vec![
            ("ratelimit-limit", limit.to_string()),
            ("ratelimit-observed", (limit - remaining).to_string()),
            ("ratelimit-remaining", remaining.to_string()),
            ("ratelimit-reset", reset.to_string()),
        ],
        Sim::Jira => vec![("x-ratelimit-nearlimit", (remaining * 5 < limit).to_string())],
        Sim::Slack | Sim::Bitbucket | Sim::Admin => Vec::new(),
    }
}

pub async fn inject(State((state, sim)): State<(Arc<SimState>, Sim)>, request: Request, next: Next) -> Response {
    let (fault, latency_ms) = draw(&state, sim);
    if latency_ms > 0 {
        tokio::time::sleep(Duration::from_millis(latency_ms)).await;
    }
    if let Some(status) = per_id_refusal(&state, sim, &request) {
        return (status, axum::Json(serde_json::json!({"message": "look-ups of one user are not available to this token or version"}))).into_response();
    }
    let window = match admit(&state, sim) {
        Admission::Refused => return refuse(&state, sim),
        Admission::Accepted { limit, remaining, reset } => window_headers(sim, limit, remaining, reset),
        Admission::Unlimited => Vec::new(),
    };
    match fault {
        None => super::git_common::with_headers(next.run(request).await, window),
        Some(FaultKind::RateLimit) => refuse(&state, sim),
        Some(FaultKind::ServerError) => {
            (StatusCode::SERVICE_UNAVAILABLE, "<html><body><h1>503 Service Unavailable</h1></body></html>").into_response()
        }
        Some(FaultKind::Timeout) => {
            tokio::time::sleep(STALL).await;
            next.run(request).await
        }
        Some(FaultKind::Reset) => {
            // A body that fails mid-stream makes the server drop the connection.
            let chunks: Vec<Result<Bytes, std::io::Error>> =
                vec![Ok(Bytes::from_static(b"{\"values\": [")), Err(std::io::Error::other("connection reset"))];
            Response::builder()
                .header("content-type", "application/json")
                .body(Body::from_stream(futures_util::stream::iter(chunks)))
                .unwrap_or_else(|_| StatusCode::INTERNAL_SERVER_ERROR.into_response())
        }
        Some(FaultKind::Malformed) => {
            let response = next.run(request).await;
            let (mut parts, body) = response.into_parts();
            let bytes = axum::body::to_bytes(body, usize::MAX).await.unwrap_or_default();
            let cut = bytes.slice(..bytes.len() / 2);
            parts.headers.remove("content-length");
            Response::from_parts(parts, Body::from(cut))
        }
    }
}

/// A rate-limit answer, counted among the refusals the admin API reports.
fn refuse(state: &SimState, sim: Sim) -> Response {
    *state.refused.lock().unwrap_or_else(|e| e.into_inner()).entry(sim).or_insert(0) += 1;
    rate_limited(sim)
}

/// A rate-limit answer in the platform's own shape.
pub fn rate_limited(sim: Sim) -> Response {
    let retry = RETRY_AFTER_SECS.to_string();
    let reset_epoch = (chrono::Utc::now() + chrono::Duration::seconds(RETRY_AFTER_SECS as i64)).timestamp().to_string();
    let mut response = match sim {
        Sim::Jira => (
            StatusCode::TOO_MANY_REQUESTS,
            [("retry-after", retry.as_str()), ("x-ratelimit-limit", "100"), ("x-ratelimit-remaining", "0"), ("ratelimit-reason", "jira-burst-based")],
            axum::Json(serde_json::json!({"errorMessages": ["Rate limit exceeded."], "errors": {}})),
        )
            .into_response(),
        Sim::Github => (
            StatusCode::FORBIDDEN,
            [("x-ratelimit-limit", "5000"), ("x-ratelimit-remaining", "0"), ("x-ratelimit-used", "5000"), ("x-ratelimit-resource", "core"), ("x-ratelimit-reset", reset_epoch.as_str())],
            axum::Json(serde_json::json!({"message": "API rate limit exceeded for user ID 1.", "documentation_url": "https://docs.github.com/rest/overview/resources-in-the-rest-api#rate-limiting", "status": "403"})),
        )
            .into_response(),
        Sim::Slack => (
            StatusCode::TOO_MANY_REQUESTS,
            [("retry-after", retry.as_str())],
            axum::Json(serde_json::json!({"ok": false, "error": "ratelimited"})),
        )
            .into_response(),
        Sim::Bitbucket | Sim::Gitlab | Sim::Admin => (
            StatusCode::TOO_MANY_REQUESTS,
            [("retry-after", retry.as_str())],
            axum::Json(serde_json::json!({"type": "error", "error": {"message": "Rate limit for this resource has been exceeded"}})),
        )
            .into_response(),
    };
    if sim == Sim::Jira {
        let reset = (chrono::Utc::now() + chrono::Duration::seconds(RETRY_AFTER_SECS as i64)).format("%Y-%m-%dT%H:%MZ").to_string();
        if let Ok(v) = HeaderValue::from_str(&reset) {
            response.headers_mut().insert("x-ratelimit-reset", v);
        }
    }
    response
}
