//! Issue 12, first run and onboarding: an instance nobody has claimed is claimed once with the
//! setup code (wrong codes, weak passwords and a second claim refused, two claims at once give
//! one admin); a connection's directory is previewed and imported as persons and projects
//! without a single link; bulk review accepts many suggestions through the same checks.

use crate::helpers::{audit_entries, server_fn_path, spawn_app, start_sim, TestApp};
use serde_json::{json, Value};
use sqlx::PgPool;
use std::path::Path;
use tokio::net::TcpListener;
use velocity::auth::setup;
use velocity::sim::org::OrgSize;

/// The app served with no account at all (unlike `spawn_app`, which makes a test admin).
async fn serve_unclaimed(pool: PgPool) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let (addr, router) = velocity::server::startup::router_for(&listener, Path::new("target/site"), pool).unwrap();
    tokio::spawn(async move { axum::serve(listener, router.into_make_service_with_connect_info::<std::net::SocketAddr>()).await.unwrap() });
    format!("http://{addr}")
}

fn no_redirects() -> reqwest::Client {
    reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap()
}

async fn claim(http: &reqwest::Client, base: &str, code: &str, password: &str) -> (u16, Value, Option<String>) {
    let form = [("code", code), ("name", "Ana Admin"), ("email", "ana@acme.test"), ("password", password)];
    let r = http.post(format!("{base}/api/claim_setup")).form(&form).send().await.unwrap();
    let status = r.status().as_u16();
    let cookie = r.headers().get("set-cookie").map(|v| v.to_str().unwrap().split(';').next().unwrap().to_owned());
    (status, r.json().await.unwrap_or(Value::Null), cookie)
}

#[sqlx::test(migrator = "velocity::store::MIGRATOR")]
async fn the_first_admin_claims_the_instance_once_with_the_printed_code(pool: PgPool) {
    let code = setup::open_if_unclaimed(&pool).await.unwrap().expect("no account yet: a code");
    let base = serve_unclaimed(pool.clone()).await;
    let http = no_redirects();

    let home = http.get(format!("{base}/")).send().await.unwrap();
    assert_eq!(home.headers()["location"], "/setup", "an unclaimed instance sends people to the setup page");
    let status: Value = http.post(format!("{base}/api/setup_status")).send().await.unwrap().json().await.unwrap();
    assert_eq!(status, json!({"needed": true, "progress": null}));

    let (s, body, cookie) = claim(&http, &base, "AAAA-BBBB-CCCC-DDDD", "a-long-password").await;
    assert_eq!((s, body["error"]["code"].as_str()), (403, Some("forbidden")), "{body}");
    assert!(body["error"]["message"].as_str().unwrap().contains("not the setup code"), "{body}");
    assert!(cookie.is_none());
    let (s, body, _) = claim(&http, &base, &code, "short").await;
    assert_eq!(s, 400, "{body}");
    assert_eq!(body["error"]["details"]["field"], "password", "{body}");

    // Typed in lower case with spaces instead of dashes: still the code.
    let typed = code.to_lowercase().replace('-', " ");
    let (s, body, cookie) = claim(&http, &base, &typed, "a-long-password").await;
    assert!(s < 400, "{s} {body}");
    let cookie = cookie.expect("the new admin is signed in");
    let me: Value = http.post(format!("{base}/api/current_user")).header("cookie", &cookie).send().await.unwrap().json().await.unwrap();
    assert_eq!((me["role"].as_str(), me["email"].as_str()), (Some("admin"), Some("ana@acme.test")), "{me}");
    let progress: Value = http.post(format!("{base}/api/setup_status")).header("cookie", &cookie).send().await.unwrap().json().await.unwrap();
    assert_eq!(progress["needed"], false);
    assert_eq!(progress["progress"]["persons"], 1, "{progress}");

    let (s, body, _) = claim(&http, &base, &code, "a-long-password").await;
    assert_eq!(s, 409, "the code is spent: {body}");
    let home = http.get(format!("{base}/")).send().await.unwrap();
    assert_eq!(home.headers()["location"], "/login");
    assert!(setup::open_if_unclaimed(&pool).await.unwrap().is_none(), "a restart prints no new code");
    let claimed: Vec<(String, Option<uuid::Uuid>)> = sqlx::query_as("select action, actor_id from audit_log where action = 'setup.claim'").fetch_all(&pool).await.unwrap();
    assert_eq!(claimed.len(), 1);
    assert!(claimed[0].1.is_some());
    let logged: String = sqlx::query_scalar("select coalesce(string_agg(after::text, ' '), '') from audit_log").fetch_one(&pool).await.unwrap();
    assert!(!logged.contains("a-long-password") && !logged.contains(&code), "no secret in the audit log");
}

#[sqlx::test(migrator = "velocity::store::MIGRATOR")]
async fn two_claims_at_once_make_one_admin(pool: PgPool) {
    let code = setup::open_if_unclaimed(&pool).await.unwrap().unwrap();
    let c = |email: &str| setup::Claim { code: code.clone(), name: "Racer".into(), email: email.into(), password: "a-long-password".into() };
    let (a, b) = tokio::join!(setup::claim(&pool, c("one@acme.test")), setup::claim(&pool, c("two@acme.test")));
    assert_eq!(a.is_ok() as u8 + b.is_ok() as u8, 1, "{a:?} {b:?}");
    let admins: i64 = sqlx::query_scalar("select count(*) from accounts where role = 'admin'").fetch_one(&pool).await.unwrap();
    assert_eq!(admins, 1);
}

/// Calls a JSON-input server function as the test admin.
async fn server_fn(app: &TestApp, name: &str, body: Value) -> (u16, Value) {
    let r = app.http.post(format!("{}{}", app.base, server_fn_path(&format!("/api/{name}")))).json(&body).send().await.unwrap();
    (r.status().as_u16(), r.json().await.unwrap_or(Value::Null))
}

async fn connect(app: &TestApp, body: Value) -> String {
    let r = app.http.post(format!("{}/api/connections", app.base)).json(&body).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 201);
    r.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_owned()
}

async fn link_count(pool: &PgPool) -> i64 {
    sqlx::query_scalar("select (select count(*) from external_account_links) + (select count(*) from jira_project_links) + (select count(*) from repository_links)").fetch_one(pool).await.unwrap()
}

#[sqlx::test(migrator = "velocity::store::MIGRATOR")]
async fn people_and_projects_come_in_without_links_and_bulk_review_links_the_ticked_ones(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let sim = start_sim(OrgSize::S, 1).await;
    let c = sim.urls.credentials.clone();
    let slack_team = sim.urls.scopes.slack.clone();
    let slack = connect(&app, json!({"kind": "slack", "name": "Slack", "baseUrl": sim.urls.slack, "scope": slack_team, "token": c.slack_token})).await;
    let jira = connect(&app, json!({"kind": "jira", "name": "Jira", "baseUrl": sim.urls.jira, "email": c.jira_email, "token": c.jira_token})).await;

    let (status, preview) = server_fn(&app, "preview_directory", json!({"connection_id": slack, "kind": "people"})).await;
    assert_eq!(status, 200, "{preview}");
    let entries = preview["entries"].as_array().unwrap();
    let ticked: Vec<&Value> = entries.iter().filter(|e| e["preselected"] == true).collect();
    let unticked: Vec<&Value> = entries.iter().filter(|e| e["preselected"] == false).collect();
    assert!(ticked.len() >= 5, "{preview}");
    assert!(ticked.iter().all(|e| e["email"].is_string() && e["reasons"].as_array().unwrap().is_empty()));
    assert!(unticked.iter().any(|e| e["reasons"].to_string().contains("a bot")), "Slack's bots are left out: {preview}");

    let ids: Vec<&str> = ticked.iter().map(|e| e["externalId"].as_str().unwrap()).collect();
    let (status, report) = server_fn(&app, "import_directory", json!({"connection_id": slack, "kind": "people", "external_ids": ids})).await;
    assert_eq!(status, 200, "{report}");
    assert_eq!(report["created"].as_array().unwrap().len(), ticked.len(), "{report}");
    assert_eq!(link_count(&pool).await, 0, "importing people links nothing");
    assert_eq!(audit_entries(&app, "action=person.create").await.len(), ticked.len());
    let (_, again) = server_fn(&app, "import_directory", json!({"connection_id": slack, "kind": "people", "external_ids": ids})).await;
    assert_eq!(again["created"], json!([]), "{again}");
    assert!(again["skipped"][0]["reason"].as_str().unwrap().starts_with("already in Velocity as"), "{again}");
    let (status, none) = server_fn(&app, "import_directory", json!({"connection_id": slack, "kind": "people", "external_ids": []})).await;
    assert_eq!(status, 400, "{none}");
    let (status, wrong) = server_fn(&app, "preview_directory", json!({"connection_id": slack, "kind": "projects"})).await;
    assert_eq!(status, 409, "Slack holds no projects: {wrong}");

    let (_, projects) = server_fn(&app, "preview_directory", json!({"connection_id": jira, "kind": "projects"})).await;
    let keys: Vec<&str> = projects["entries"].as_array().unwrap().iter().filter(|e| e["preselected"] == true).map(|e| e["externalId"].as_str().unwrap()).collect();
    assert!(!keys.is_empty(), "{projects}");
    let (_, report) = server_fn(&app, "import_directory", json!({"connection_id": jira, "kind": "projects", "external_ids": keys})).await;
    assert_eq!(report["created"].as_array().unwrap().len(), keys.len(), "{report}");
    assert_eq!(link_count(&pool).await, 0, "importing projects links nothing");

    // Bulk review: people matched by e-mail on Slack and Jira, ticked and confirmed at once.
    let (status, review) = server_fn(&app, "review_suggestions", json!({"kind": "people"})).await;
    assert_eq!(status, 200, "{review}");
    let strong: Vec<String> = review["entities"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|e| e["suggestions"].as_array().unwrap().iter())
        .filter(|s| s["score"].as_f64().unwrap() >= 0.9 && s["conflict"].is_null())
        .map(|s| s["id"].as_str().unwrap().to_owned())
        .collect();
    assert!(strong.len() >= ticked.len(), "an exact e-mail match for each imported person at least: {review}");
    assert_eq!(link_count(&pool).await, 0, "suggesting links nothing");
    let (status, outcomes) = server_fn(&app, "accept_suggestions", json!({"suggestion_ids": strong, "acknowledge_warnings": true})).await;
    assert_eq!(status, 200, "{outcomes}");
    let linked = outcomes.as_array().unwrap().iter().filter(|o| o["linked"] == true).count();
    assert!(linked >= ticked.len(), "{outcomes}");
    assert_eq!(link_count(&pool).await, linked as i64);
    assert_eq!(audit_entries(&app, "action=suggestion.accept").await.len(), linked);
    let (_, twice) = server_fn(&app, "accept_suggestions", json!({"suggestion_ids": [strong[0]], "acknowledge_warnings": true})).await;
    assert_eq!(twice[0]["linked"], false, "{twice}");
    assert!(twice[0]["message"].as_str().unwrap().contains("already accepted"), "{twice}");
}
