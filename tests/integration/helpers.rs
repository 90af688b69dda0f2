//! Shared test set-up: the app served on a free loopback port against a test database.

use sqlx::PgPool;
use std::path::Path;
use tokio::net::TcpListener;

pub struct TestApp {
    pub base: String,
    pub http: reqwest::Client,
}

pub async fn spawn_app(pool: PgPool) -> TestApp {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind a free port");
    let (addr, router) =
        velocity::server::startup::router_for(&listener, Path::new("target/site"), pool).expect("router");
    tokio::spawn(async move { axum::serve(listener, router).await.expect("serve") });
    TestApp { base: format!("http://{addr}"), http: reqwest::Client::new() }
}

impl TestApp {
    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.http.get(format!("{}{path}", self.base)).send().await.expect("request")
    }
}

/// All five simulators on free loopback ports, with the default credentials and no faults.
pub async fn start_sim(size: velocity::sim::org::OrgSize, seed: u64) -> velocity::sim::server::RunningSim {
    velocity::sim::server::start(size, seed, Default::default(), Default::default(), Default::default())
        .await
        .expect("simulators start")
}

/// The demo set-up: simulators for org S, the sample org loaded, the app served.
pub async fn demo_app(pool: &PgPool) -> (TestApp, velocity::sim::server::RunningSim) {
    let sim = start_sim(velocity::sim::org::OrgSize::S, 1).await;
    velocity::sim::sample_org::load(pool, &sim).await.expect("demo org loads");
    (spawn_app(pool.clone()).await, sim)
}

/// Audit entries for a `GET /api/audit` query string, newest first.
pub async fn audit_entries(app: &TestApp, query: &str) -> Vec<serde_json::Value> {
    let r = app.get(&format!("/api/audit?{query}")).await;
    assert_eq!(r.status().as_u16(), 200);
    r.json::<serde_json::Value>().await.expect("audit JSON").as_array().expect("an array").clone()
}
