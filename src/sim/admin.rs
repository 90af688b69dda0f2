//! The admin API: read request counters, set faults, change a token's scopes, and mutate
//! upstream during a test. Bad input answers 400 with `{"error": …}`; unknown entities 404.

use super::faults::{FaultKind, FaultRates};
use super::scopes;
use super::server::{Sim, SimState};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::json;
use std::sync::Arc;

pub fn router(state: Arc<SimState>) -> Router {
    Router::new()
        .route("/counters", get(counters).delete(reset_counters))
        .route("/faults/{sim}", put(set_faults))
        .route("/faults/{sim}/next", post(script_faults))
        .route("/scopes/{sim}", get(get_scopes).put(set_scopes))
        .route("/truth", get(truth))
        .merge(super::mutations::router())
        .with_state(state)
}

pub fn bad_request(message: impl Into<String>) -> Response {
    (StatusCode::BAD_REQUEST, Json(json!({"error": message.into()}))).into_response()
}

pub fn not_found(message: impl Into<String>) -> Response {
    (StatusCode::NOT_FOUND, Json(json!({"error": message.into()}))).into_response()
}

fn parse_sim(name: &str) -> Result<Sim, Response> {
    serde_json::from_value::<Sim>(json!(name))
        .ok()
        .filter(|s| *s != Sim::Admin)
        .ok_or_else(|| bad_request(format!("unknown simulator '{name}': use jira, bitbucket, github, gitlab or slack")))
}

async fn counters(State(s): State<Arc<SimState>>) -> Response {
    let counters = s.counters.lock().unwrap_or_else(|e| e.into_inner()).clone();
    let total: u64 = counters.values().flat_map(|m| m.values()).sum();
    let refused = s.refused.lock().unwrap_or_else(|e| e.into_inner()).clone();
    let refused_total: u64 = refused.values().sum();
    Json(json!({"total": total, "bySimulator": counters, "refused": refused_total, "refusedBySimulator": refused})).into_response()
}

async fn reset_counters(State(s): State<Arc<SimState>>) -> Response {
    s.counters.lock().unwrap_or_else(|e| e.into_inner()).clear();
    s.refused.lock().unwrap_or_else(|e| e.into_inner()).clear();
    StatusCode::NO_CONTENT.into_response()
}

async fn set_faults(State(s): State<Arc<SimState>>, Path(sim): Path<String>, Json(rates): Json<FaultRates>) -> Response {
    let sim = match parse_sim(&sim) {
        Ok(sim) => sim,
        Err(r) => return r,
    };
    if let Err(message) = rates.validate() {
        return bad_request(message);
    }
    s.faults.lock().unwrap_or_else(|e| e.into_inner()).entry(sim).or_default().rates = rates.clone();
    Json(rates).into_response()
}

#[derive(Deserialize)]
struct Script {
    kind: FaultKind,
    #[serde(default = "one")]
    count: usize,
}

fn one() -> usize {
    1
}

/// The next `count` requests to `sim` fail with `kind`, then service resumes.
async fn script_faults(State(s): State<Arc<SimState>>, Path(sim): Path<String>, Json(script): Json<Script>) -> Response {
    let sim = match parse_sim(&sim) {
        Ok(sim) => sim,
        Err(r) => return r,
    };
    if script.count == 0 || script.count > 10_000 {
        return bad_request("count must be between 1 and 10000");
    }
    let mut faults = s.faults.lock().unwrap_or_else(|e| e.into_inner());
    let entry = faults.entry(sim).or_default();
    entry.scripted.extend(std::iter::repeat_n(script.kind, script.count));
    Json(json!({"queued": entry.scripted.len()})).into_response()
}

async fn truth(State(s): State<Arc<SimState>>) -> Response {
    Json(s.read().truth.clone()).into_response()
}

/// A simulator whose token has scopes: any but Jira, whose API tokens act with their user's permissions.
fn scoped_sim(name: &str) -> Result<Sim, Response> {
    match parse_sim(name)? {
        Sim::Jira => Err(bad_request("Jira API tokens have no scopes: they act with their user's permissions")),
        sim => Ok(sim),
    }
}

async fn get_scopes(State(s): State<Arc<SimState>>, Path(sim): Path<String>) -> Response {
    match scoped_sim(&sim) {
        Ok(sim) => Json(json!({"scopes": s.granted(sim)})).into_response(),
        Err(r) => r,
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ScopeList {
    scopes: Vec<String>,
}

/// Replaces the token's scopes from the next request on.
async fn set_scopes(State(s): State<Arc<SimState>>, Path(sim): Path<String>, Json(body): Json<ScopeList>) -> Response {
    let sim = match scoped_sim(&sim) {
        Ok(sim) => sim,
        Err(r) => return r,
    };
    match scopes::parse(body.scopes) {
        Ok(list) => {
            s.set_granted(sim, list.clone());
            Json(json!({"scopes": list})).into_response()
        }
        Err(message) => bad_request(message),
    }
}
