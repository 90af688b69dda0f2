//! Starts the five simulators and the admin API on loopback, sharing one org in memory.
//! Every request is counted per simulator and route (for benchmarks), passes through fault
//! injection, and must carry the credentials that platform expects.

use super::faults::{self, FaultKind, FaultRates};
use super::generate::generate;
use super::org::{Org, OrgSize};
use super::scopes;
use axum::extract::{MatchedPath, Request, State};
use axum::middleware::{from_fn_with_state, Next};
use axum::response::Response;
use axum::Router;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, VecDeque};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, RwLock};
use tokio::net::TcpListener;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Sim {
    Jira,
    Bitbucket,
    Github,
    Gitlab,
    Slack,
    Admin,
}

impl Sim {
    pub const UPSTREAMS: [Sim; 5] = [Sim::Jira, Sim::Bitbucket, Sim::Github, Sim::Gitlab, Sim::Slack];
}

const JIRA_EMAIL: &str = "sim@acme.test";
const JIRA_TOKEN: &str = "jira-sim-token";
const BITBUCKET_TOKEN: &str = "bitbucket-sim-token";
const GITHUB_TOKEN: &str = "github-sim-token";
const GITLAB_TOKEN: &str = "gitlab-sim-token";
const SLACK_TOKEN: &str = "xoxb-slack-sim-token";

/// What each simulator accepts. Defaults are fixed so the demo and tests need no set-up.
#[derive(Clone, Debug, Serialize, Deserialize, clap::Args)]
#[serde(rename_all = "camelCase")]
pub struct Credentials {
    /// Jira: e-mail for HTTP basic auth.
    #[arg(long, default_value = JIRA_EMAIL)]
    pub jira_email: String,
    /// Jira: API token for HTTP basic auth.
    #[arg(long, default_value = JIRA_TOKEN)]
    pub jira_token: String,
    /// Bitbucket: bearer token.
    #[arg(long, default_value = BITBUCKET_TOKEN)]
    pub bitbucket_token: String,
    /// GitHub: bearer token.
    #[arg(long, default_value = GITHUB_TOKEN)]
    pub github_token: String,
    /// GitLab: private or bearer token.
    #[arg(long, default_value = GITLAB_TOKEN)]
    pub gitlab_token: String,
    /// Slack: bot token.
    #[arg(long, default_value = SLACK_TOKEN)]
    pub slack_token: String,
    /// Bitbucket: the token's scopes, comma-separated (API-token names).
    #[arg(long, value_delimiter = ',', default_value = scopes::BITBUCKET)]
    pub bitbucket_scopes: Vec<String>,
    /// GitHub: the classic token's scopes, comma-separated.
    #[arg(long, value_delimiter = ',', default_value = scopes::GITHUB)]
    pub github_scopes: Vec<String>,
    /// GitLab: the token's scopes, comma-separated.
    #[arg(long, value_delimiter = ',', default_value = scopes::GITLAB)]
    pub gitlab_scopes: Vec<String>,
    /// Slack: the bot token's scopes, comma-separated.
    #[arg(long, value_delimiter = ',', default_value = scopes::SLACK)]
    pub slack_scopes: Vec<String>,
}

impl Default for Credentials {
    fn default() -> Self {
        Credentials {
            jira_email: JIRA_EMAIL.into(),
            jira_token: JIRA_TOKEN.into(),
            bitbucket_token: BITBUCKET_TOKEN.into(),
            github_token: GITHUB_TOKEN.into(),
            gitlab_token: GITLAB_TOKEN.into(),
            slack_token: SLACK_TOKEN.into(),
            bitbucket_scopes: scopes::split(scopes::BITBUCKET),
            github_scopes: scopes::split(scopes::GITHUB),
            gitlab_scopes: scopes::split(scopes::GITLAB),
            slack_scopes: scopes::split(scopes::SLACK),
        }
    }
}

#[derive(Default)]
pub struct SimFaults {
    pub rates: FaultRates,
    pub scripted: VecDeque<FaultKind>,
    /// The enforced rate limit's current second and the requests counted in it.
    pub window: (i64, u32),
}

pub struct SimState {
    pub org: RwLock<Org>,
    pub credentials: Credentials,
    /// The scopes each token holds now: the credentials' at start-up, then as the admin API sets them.
    pub scopes: RwLock<BTreeMap<Sim, Vec<String>>>,
    pub counters: Mutex<BTreeMap<Sim, BTreeMap<String, u64>>>,
    /// Requests answered with a rate-limit refusal (enforced or injected).
    pub refused: Mutex<BTreeMap<Sim, u64>>,
    pub faults: Mutex<BTreeMap<Sim, SimFaults>>,
    pub fault_rng: Mutex<ChaCha8Rng>,
    pub urls: RwLock<BTreeMap<Sim, String>>,
}

impl SimState {
    /// `credentials`' scope lists are kept trimmed and without repeats.
    pub fn new(org: Org, mut credentials: Credentials, rates: FaultRates) -> Self {
        let seed = org.seed;
        let faults = Sim::UPSTREAMS.iter().map(|s| (*s, SimFaults { rates: rates.clone(), scripted: VecDeque::new(), window: (0, 0) })).collect();
        let c = &mut credentials;
        let granted = [(Sim::Bitbucket, &mut c.bitbucket_scopes), (Sim::Github, &mut c.github_scopes), (Sim::Gitlab, &mut c.gitlab_scopes), (Sim::Slack, &mut c.slack_scopes)];
        let scopes = granted
            .into_iter()
            .map(|(sim, list)| {
                *list = scopes::normalize(std::mem::take(list));
                (sim, list.clone())
            })
            .collect();
        SimState {
            org: RwLock::new(org),
            scopes: RwLock::new(scopes),
            credentials,
            counters: Mutex::new(BTreeMap::new()),
            refused: Mutex::new(BTreeMap::new()),
            faults: Mutex::new(faults),
            fault_rng: Mutex::new(ChaCha8Rng::seed_from_u64(seed ^ 0xFA17)),
            urls: RwLock::new(BTreeMap::new()),
        }
    }

    pub fn read(&self) -> std::sync::RwLockReadGuard<'_, Org> {
        self.org.read().unwrap_or_else(|e| e.into_inner())
    }

    pub fn write(&self) -> std::sync::RwLockWriteGuard<'_, Org> {
        self.org.write().unwrap_or_else(|e| e.into_inner())
    }

    /// The scopes `sim`'s token holds now (none for Jira, whose API tokens have none).
    pub fn granted(&self, sim: Sim) -> Vec<String> {
        self.scopes.read().unwrap_or_else(|e| e.into_inner()).get(&sim).cloned().unwrap_or_default()
    }

    pub fn set_granted(&self, sim: Sim, scopes: Vec<String>) {
        self.scopes.write().unwrap_or_else(|e| e.into_inner()).insert(sim, scopes);
    }

    /// Whether `sim`'s token holds a scope that `route` (an axum route pattern) accepts.
    pub fn allows(&self, sim: Sim, route: &str) -> bool {
        scopes::allows(&self.granted(sim), scopes::accepted(sim, route))
    }

    /// The public base URL of a simulator (for `self`/`next` links).
    pub fn url(&self, sim: Sim) -> String {
        self.urls.read().unwrap_or_else(|e| e.into_inner()).get(&sim).cloned().unwrap_or_default()
    }
}

/// The line `velocity sim` prints once every simulator listens.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct SimUrls {
    pub jira: String,
    pub bitbucket: String,
    pub github: String,
    pub gitlab: String,
    pub slack: String,
    pub admin: String,
    pub credentials: Credentials,
    /// What each connection's scope field takes (Jira has none).
    pub scopes: SimScopes,
}

/// The simulated org's Bitbucket workspace, GitHub organisation, GitLab group and Slack team.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct SimScopes {
    pub bitbucket: String,
    pub github: String,
    pub gitlab: String,
    pub slack: String,
}

#[derive(Clone, Debug, Default, clap::Args)]
pub struct SimPorts {
    /// Port for the Jira simulator (0 or absent: any free port).
    #[arg(long)]
    pub jira_port: Option<u16>,
    #[arg(long)]
    pub bitbucket_port: Option<u16>,
    #[arg(long)]
    pub github_port: Option<u16>,
    #[arg(long)]
    pub gitlab_port: Option<u16>,
    #[arg(long)]
    pub slack_port: Option<u16>,
    #[arg(long)]
    pub admin_port: Option<u16>,
}

#[derive(Debug, thiserror::Error)]
pub enum SimError {
    #[error("cannot listen on 127.0.0.1:{port} for the {sim:?} simulator: {reason}")]
    Bind { sim: Sim, port: u16, reason: String },
}

async fn count(State((state, sim)): State<(Arc<SimState>, Sim)>, request: Request, next: Next) -> Response {
    let route = request.extensions().get::<MatchedPath>().map_or_else(|| "<unmatched>".to_owned(), |p| p.as_str().to_owned());
    let key = format!("{} {route}", request.method());
    {
        let mut counters = state.counters.lock().unwrap_or_else(|e| e.into_inner());
        *counters.entry(sim).or_default().entry(key).or_insert(0) += 1;
    }
    next.run(request).await
}

/// Wraps a simulator's routes with counting and fault injection (auth is each router's own).
fn instrument(router: Router, state: &Arc<SimState>, sim: Sim) -> Router {
    router
        .layer(from_fn_with_state((state.clone(), sim), faults::inject))
        .layer(from_fn_with_state((state.clone(), sim), count))
}

pub struct RunningSim {
    pub urls: SimUrls,
    pub state: Arc<SimState>,
}

/// Generates the org, binds every simulator and serves them in the background.
pub async fn start(size: OrgSize, seed: u64, credentials: Credentials, ports: SimPorts, rates: FaultRates) -> Result<RunningSim, SimError> {
    let org = tokio::task::spawn_blocking(move || generate(size, seed)).await.expect("org generation does not panic");
    let state = Arc::new(SimState::new(org, credentials, rates));
    let plan = [
        (Sim::Jira, ports.jira_port),
        (Sim::Bitbucket, ports.bitbucket_port),
        (Sim::Github, ports.github_port),
        (Sim::Gitlab, ports.gitlab_port),
        (Sim::Slack, ports.slack_port),
        (Sim::Admin, ports.admin_port),
    ];
    let mut listeners = Vec::new();
    for (sim, port) in plan {
        let port = port.unwrap_or(0);
        let listener = TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], port)))
            .await
            .map_err(|e| SimError::Bind { sim, port, reason: e.to_string() })?;
        let addr = listener.local_addr().map_err(|e| SimError::Bind { sim, port, reason: e.to_string() })?;
        state.urls.write().unwrap_or_else(|e| e.into_inner()).insert(sim, format!("http://{addr}"));
        listeners.push((sim, listener));
    }
    for (sim, listener) in listeners {
        let router = match sim {
            Sim::Jira => instrument(super::jira::router(state.clone()), &state, sim),
            Sim::Bitbucket => instrument(super::bitbucket::router(state.clone()), &state, sim),
            Sim::Github => instrument(super::github::router(state.clone()), &state, sim),
            Sim::Gitlab => instrument(super::gitlab::router(state.clone()), &state, sim),
            Sim::Slack => instrument(super::slack::router(state.clone()), &state, sim),
            Sim::Admin => super::admin::router(state.clone()),
        };
        tokio::spawn(async move {
            if let Err(e) = axum::serve(listener, router).await {
                tracing::error!(?sim, error = %e, "simulator stopped");
            }
        });
    }
    let urls = SimUrls {
        jira: state.url(Sim::Jira),
        bitbucket: state.url(Sim::Bitbucket),
        github: state.url(Sim::Github),
        gitlab: state.url(Sim::Gitlab),
        slack: state.url(Sim::Slack),
        admin: state.url(Sim::Admin),
        credentials: state.credentials.clone(),
        scopes: {
            let org = state.read();
            SimScopes { bitbucket: org.bitbucket.owner.clone(), github: org.github.owner.clone(), gitlab: org.gitlab.owner.clone(), slack: org.slack.team_id.clone() }
        },
    };
    Ok(RunningSim { urls, state })
}
