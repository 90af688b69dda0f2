//! Issue 12: connections as an admin-only resource — tested before saving against the
//! simulators (a wrong token refused in a sentence), saved with write-only credentials (no
//! answer, audit entry or log line holds the secret), rotated, disabled, refused removal while
//! links use them, the https rule, and the command line reading the secret from the environment.

use crate::helpers::{captured_logs, demo_app, spawn_app, start_sim, TestApp};
use serde_json::{json, Value};
use sqlx::PgPool;
use velocity::auth::Role;
use velocity::sim::org::OrgSize;

async fn call(app: &TestApp, method: reqwest::Method, path: &str, body: Option<Value>) -> (u16, Value) {
    let mut rb = app.http.request(method, format!("{}{path}", app.base));
    if let Some(b) = body {
        rb = rb.json(&b);
    }
    let r = rb.send().await.unwrap();
    (r.status().as_u16(), r.json().await.unwrap_or(Value::Null))
}

const SECRET: &str = "jira-token-never-shown-7f3a";

#[sqlx::test(migrator = "velocity::store::MIGRATOR")]
async fn an_admin_tests_saves_rotates_and_removes_a_connection_and_the_secret_never_comes_back(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let sim = start_sim(OrgSize::S, 1).await;
    let c = &sim.urls.credentials;
    let mut input = json!({"kind": "jira", "name": "Acme Jira", "baseUrl": sim.urls.jira, "email": c.jira_email, "token": SECRET});

    // A wrong token first: the upstream's refusal, in a sentence.
    let (status, outcome) = call(&app, reqwest::Method::POST, "/api/connections/test", Some(json!({"kind": "jira", "name": "Acme Jira", "baseUrl": sim.urls.jira, "email": c.jira_email, "token": SECRET}))).await;
    assert_eq!(status, 200, "{outcome}");
    assert_eq!(outcome["ok"], false);
    assert!(outcome["message"].as_str().unwrap().starts_with("Jira Cloud refused the credentials (401"), "{outcome}");

    input["token"] = json!(c.jira_token);
    let (_, outcome) = call(&app, reqwest::Method::POST, "/api/connections/test", Some(input.clone())).await;
    assert_eq!(outcome["ok"], true, "{outcome}");
    assert!(outcome["actsAs"].as_str().is_some(), "{outcome}");
    assert!(outcome["sees"][0]["count"].as_u64().unwrap() > 0, "{outcome}");

    let (status, saved) = call(&app, reqwest::Method::POST, "/api/connections", Some(input.clone())).await;
    assert_eq!(status, 201, "{saved}");
    assert_eq!((saved["credentials"].as_str(), saved["auth"].as_str()), (Some("set"), Some("basic")));
    let id = saved["id"].as_str().unwrap().to_owned();
    let (status, again) = call(&app, reqwest::Method::POST, "/api/connections", Some(input.clone())).await;
    assert_eq!(status, 409, "the same site twice: {again}");

    let (_, tested) = call(&app, reqwest::Method::POST, &format!("/api/connections/{id}/test"), None).await;
    assert_eq!(tested["ok"], true, "{tested}");
    let (_, listed) = call(&app, reqwest::Method::GET, "/api/connections", None).await;
    assert_eq!(listed[0]["lastTest"]["ok"], true, "{listed}");

    let (status, rotated) = call(&app, reqwest::Method::PUT, &format!("/api/connections/{id}"), Some(json!({"token": "rotated-secret-9c1e"}))).await;
    assert_eq!(status, 200, "{rotated}");
    let (_, refused) = call(&app, reqwest::Method::POST, &format!("/api/connections/{id}/test"), None).await;
    assert_eq!(refused["ok"], false, "the rotated (wrong) token is the one used: {refused}");
    let (_, audit) = call(&app, reqwest::Method::GET, &format!("/api/audit?entityType=connection&entityId={id}"), None).await;
    let actions: Vec<&str> = audit.as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap()).collect();
    assert_eq!(actions, vec!["connection.rotate", "connection.create"], "{audit}");

    let (status, _) = call(&app, reqwest::Method::DELETE, &format!("/api/connections/{id}"), None).await;
    assert_eq!(status, 204);
    let (status, _) = call(&app, reqwest::Method::GET, &format!("/api/connections/{id}"), None).await;
    assert_eq!(status, 404);

    // Nothing answered, audited or logged holds a secret.
    let everything = format!("{saved}{listed}{rotated}{audit}{}", captured_logs());
    for secret in [SECRET, c.jira_token.as_str(), "rotated-secret-9c1e"] {
        assert!(!everything.contains(secret), "a secret travelled: {secret}");
    }
}

#[sqlx::test(migrator = "velocity::store::MIGRATOR")]
async fn every_demo_connection_passes_its_test_and_a_missing_scope_is_named(pool: PgPool) {
    let (app, sim) = demo_app(&pool).await;
    let (_, listed) = call(&app, reqwest::Method::GET, "/api/connections", None).await;
    let all = listed.as_array().unwrap().clone();
    assert_eq!(all.len(), 5, "{listed}");
    for c in &all {
        let (status, outcome) = call(&app, reqwest::Method::POST, &format!("/api/connections/{}/test", c["id"].as_str().unwrap()), None).await;
        assert_eq!((status, outcome["ok"].as_bool()), (200, Some(true)), "{}: {outcome}", c["kind"]);
        assert!(!outcome["sees"].as_array().unwrap().is_empty(), "{outcome}");
    }
    let gitlab = all.iter().find(|c| c["kind"] == "gitlab").unwrap()["id"].as_str().unwrap().to_owned();
    let r = app.http.put(format!("{}/scopes/gitlab", sim.urls.admin)).json(&json!({"scopes": ["read_user"]})).send().await.unwrap();
    assert!(r.status().is_success());
    let (_, outcome) = call(&app, reqwest::Method::POST, &format!("/api/connections/{gitlab}/test"), None).await;
    assert_eq!(outcome["ok"], false, "{outcome}");
    assert!(outcome["message"].as_str().unwrap().contains("it needs api read_api"), "{outcome}");
}

#[sqlx::test(migrator = "velocity::store::MIGRATOR")]
async fn connections_are_for_admins_https_only_and_kept_while_linked(pool: PgPool) {
    let (app, _sim) = demo_app(&pool).await;
    let (_, listed) = call(&app, reqwest::Method::GET, "/api/connections", None).await;
    let jira = listed.as_array().unwrap().iter().find(|c| c["kind"] == "jira").unwrap().clone();
    let id = jira["id"].as_str().unwrap();
    assert!(jira["activeLinks"].as_i64().unwrap() > 0);

    let (status, body) = call(&app, reqwest::Method::POST, "/api/connections", Some(json!({"kind": "gitlab", "name": "Plain", "baseUrl": "http://gitlab.acme.test", "scope": "acme", "token": "glpat-x"}))).await;
    assert_eq!((status, body["error"]["details"]["field"].as_str()), (400, Some("baseUrl")), "{body}");
    assert!(body["error"]["message"].as_str().unwrap().contains("only over https"), "{body}");

    let (status, body) = call(&app, reqwest::Method::DELETE, &format!("/api/connections/{id}"), None).await;
    assert_eq!(status, 409, "{body}");
    assert_eq!(body["error"]["details"]["activeLinks"], jira["activeLinks"]);

    let (status, body) = call(&app, reqwest::Method::PUT, &format!("/api/connections/{id}"), Some(json!({"enabled": false}))).await;
    assert_eq!((status, body["enabled"].as_bool()), (200, Some(false)), "{body}");
    let (status, body) = call(&app, reqwest::Method::POST, "/api/projects/BILLING/links/jira", Some(json!({"project": "OPS"}))).await;
    assert_eq!(status, 400, "a disabled connection is not contacted: {body}");
    assert!(body["error"]["message"].as_str().unwrap().contains("is disabled"), "{body}");
    let (_, outcome) = call(&app, reqwest::Method::POST, &format!("/api/connections/{id}/test"), None).await;
    assert!(outcome["message"].as_str().unwrap().contains("is disabled"), "{outcome}");
    // The links on it say why they do not sync.
    let page = app.http.post(format!("{}{}", app.base, crate::helpers::server_fn_path("/api/load_project"))).form(&[("key", "PLATFORM")]).send().await.unwrap();
    let overview: Value = page.json().await.unwrap();
    assert_eq!(overview["disabledConnections"][id], jira["name"], "{overview}");

    let member: uuid::Uuid = sqlx::query_scalar("select id from persons order by email limit 1").fetch_one(&pool).await.unwrap();
    let token = app.token_for(member, Role::Member).await;
    let r = crate::helpers::client_with_token(&token).get(format!("{}/api/connections", app.base)).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 403);
}

#[test]
fn the_command_line_reads_the_secret_from_the_environment_never_argv() {
    let database_url = std::env::var("DATABASE_URL").expect("DATABASE_URL for the integration tests");
    let velocity = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_velocity"))
            .args(args)
            .env("DATABASE_URL", &database_url)
            .env("CLI_TEST_TOKEN", "ghp_from_the_environment")
            .env("RUST_LOG", "off")
            .output()
            .expect("run velocity")
    };
    // Nothing listens there: the test fails, in a sentence, and nothing is saved.
    let out = velocity(&["connection", "add", "--kind", "github", "--name", "CLI test", "--base-url", "http://127.0.0.1:9", "--scope", "acme", "--token-env", "CLI_TEST_TOKEN"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(stdout.contains("refused: Nothing accepts connections at 127.0.0.1"), "{stdout}");
    assert!(stderr.contains("not saved"), "{stderr}");
    let out = velocity(&["connection", "add", "--kind", "github", "--name", "CLI test", "--base-url", "http://127.0.0.1:9", "--scope", "acme"]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("--token-stdin or --token-env"));
    let out = velocity(&["connection", "list"]);
    assert!(out.status.success());
    assert!(!String::from_utf8_lossy(&out.stdout).contains("ghp_from_the_environment"));
}
