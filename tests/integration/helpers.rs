//! Shared test set-up: the app served on a free loopback port against a test database.

use sqlx::PgPool;
use uuid::Uuid;
use velocity::auth::accounts::{create_account, create_token};
use velocity::auth::Role;
use std::path::Path;
use std::sync::{Mutex, OnceLock};
use tokio::net::TcpListener;

/// The app under test. `http` acts as an admin (an API token in every request) so tests that
/// are not about permissions need not sign in; `anonymous` sends no credentials.
pub struct TestApp {
    pub base: String,
    pub http: reqwest::Client,
    pub anonymous: reqwest::Client,
    pub pool: PgPool,
}

pub const TEST_ADMIN_EMAIL: &str = "test-admin@velocity.test";

/// Every log line the test binary's servers write (velocity at trace, the rest at info), for
/// tests that check what is and is not logged. One global subscriber, installed before the first
/// app serves: a thread-local one (`set_default`) misses events whose call sites a parallel test
/// met first, since tracing caches each call site's interest process-wide.
pub fn captured_logs() -> String {
    String::from_utf8_lossy(&log_sink().lock().unwrap_or_else(|e| e.into_inner())).into_owned()
}

fn log_sink() -> &'static Mutex<Vec<u8>> {
    static SINK: OnceLock<&'static Mutex<Vec<u8>>> = OnceLock::new();
    SINK.get_or_init(|| {
        let sink: &'static Mutex<Vec<u8>> = Box::leak(Box::new(Mutex::new(Vec::new())));
        let subscriber = tracing_subscriber::fmt()
            .with_env_filter(tracing_subscriber::EnvFilter::new("info,velocity=trace"))
            .with_ansi(false)
            .with_writer(move || LogWriter(sink))
            .finish();
        tracing::subscriber::set_global_default(subscriber).expect("the only global subscriber");
        sink
    })
}

struct LogWriter(&'static Mutex<Vec<u8>>);

impl std::io::Write for LogWriter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

pub async fn spawn_app(pool: PgPool) -> TestApp {
    log_sink();
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind a free port");
    let (addr, router) =
        velocity::server::startup::router_for(&listener, Path::new("target/site"), pool.clone()).expect("router");
    tokio::spawn(async move { axum::serve(listener, router.into_make_service_with_connect_info::<std::net::SocketAddr>()).await.expect("serve") });
    let created = create_account(&pool, TEST_ADMIN_EMAIL, Some("Test Admin"), Role::Admin, Some("test-admin-password".into())).await.expect("test admin");
    let (_, token) = create_token(&pool, created.person_id, "tests").await.expect("admin token");
    TestApp { base: format!("http://{addr}"), http: client_with_token(&token), anonymous: reqwest::Client::new(), pool }
}

/// A client whose every request carries `Authorization: Bearer <token>`.
pub fn client_with_token(token: &str) -> reqwest::Client {
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert(reqwest::header::AUTHORIZATION, format!("Bearer {token}").parse().expect("header value"));
    reqwest::Client::builder().default_headers(headers).build().expect("client")
}

impl TestApp {
    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.http.get(format!("{}{path}", self.base)).send().await.expect("request")
    }

    /// An API token acting as this person with this role (their account is created or its role
    /// replaced).
    pub async fn token_for(&self, person_id: Uuid, role: Role) -> String {
        let email: String = sqlx::query_scalar("select email from persons where id = $1").bind(person_id).fetch_one(&self.pool).await.expect("person");
        create_account(&self.pool, &email, None, role, Some("a-test-password".into())).await.expect("account");
        create_token(&self.pool, person_id, "test").await.expect("token").1
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
    let truth = sim.state.read().truth.clone();
    velocity::sim::demo_accounts::seed(pool, &truth).await.expect("demo accounts");
    (spawn_app(pool.clone()).await, sim)
}

/// Audit entries for a `GET /api/audit` query string, newest first.
pub async fn audit_entries(app: &TestApp, query: &str) -> Vec<serde_json::Value> {
    let r = app.get(&format!("/api/audit?{query}")).await;
    assert_eq!(r.status().as_u16(), 200);
    r.json::<serde_json::Value>().await.expect("audit JSON").as_array().expect("an array").clone()
}

/// The served path of a server function by its name: leptos may append a hash to the path of a
/// `#[server]` without an explicit endpoint (`/api/load_directory123…`).
pub fn server_fn_path(name: &str) -> String {
    leptos::server_fn::axum::server_fn_paths()
        .map(|(p, _)| p.to_owned())
        .find(|p| server_fn_name(p) == name)
        .unwrap_or_else(|| panic!("no server function {name}"))
}

/// `/api/load_directory123…` → `/api/load_directory`.
pub fn server_fn_name(path: &str) -> &str {
    path.trim_end_matches(|c: char| c.is_ascii_digit())
}

/// Gives simulator `name`'s token these scopes (through the admin API), from the next request on.
pub async fn set_scopes(sim: &velocity::sim::server::RunningSim, name: &str, scopes: &[&str]) {
    let url = format!("{}/scopes/{name}", sim.urls.admin);
    let response = reqwest::Client::new().put(url).json(&serde_json::json!({"scopes": scopes})).send().await.expect("admin request");
    assert_eq!(response.status(), 200, "PUT /scopes/{name}");
}
