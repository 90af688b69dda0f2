//! The served app: health, the server-rendered directory page, server functions, 404s.

use crate::helpers::{spawn_app, start_sim};
use leptos::server_fn::ServerFn;
use sqlx::PgPool;
use velocity::api::directory::LoadDirectory;
use velocity::sim::org::OrgSize;

async fn load_demo(pool: &PgPool) {
    let sim = start_sim(OrgSize::S, 1).await;
    velocity::sim::sample_org::load(pool, &sim).await.unwrap();
}

#[sqlx::test(migrator = "velocity::store::MIGRATOR")]
async fn health_reports_the_database(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let ok = app.get("/health").await;
    assert_eq!(ok.status(), 200);
    assert_eq!(ok.json::<serde_json::Value>().await.unwrap()["database"], "ok");
    pool.close().await;
    let down = app.get("/health").await;
    assert_eq!(down.status(), 503);
    let body: serde_json::Value = down.json().await.unwrap();
    assert_eq!(body["error"]["code"], "unavailable");
    assert_eq!(body["error"]["message"], "the database does not answer");
}

#[sqlx::test(migrator = "velocity::store::MIGRATOR")]
async fn directory_page_is_server_rendered_and_escapes_text(pool: PgPool) {
    load_demo(&pool).await;
    let app = spawn_app(pool).await;
    let page = app.get("/").await;
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(html.contains("Mobile App"), "project rendered on the server");
    assert!(html.contains("John Doe"), "person rendered on the server");
    assert!(html.contains("/pkg/velocity.js"), "hydration script referenced");
    assert!(html.contains("&lt;b&gt;dunning&lt;/b&gt;"), "markup in text is shown as text");
    assert!(!html.contains("<b>dunning</b>"), "and never as markup");
}

#[sqlx::test(migrator = "velocity::store::MIGRATOR")]
async fn directory_server_function_returns_json_with_legacy_fields(pool: PgPool) {
    load_demo(&pool).await;
    let app = spawn_app(pool).await;
    let response = app.http.post(format!("{}{}", app.base, LoadDirectory::PATH)).send().await.unwrap();
    assert_eq!(response.status(), 200);
    let body: serde_json::Value = response.json().await.unwrap();
    let mobile = body["projects"].as_array().unwrap().iter().find(|p| p["key"] == "MOBILE").unwrap();
    assert_eq!(mobile["jiraKey"], "MOBILE");
    assert_eq!(mobile["bitbucketRepos"], serde_json::json!(["mobile-app-ios", "mobile-app-android"]));
    assert_eq!(mobile["bitbucketWorkspace"], "acme");
}

#[sqlx::test(migrator = "velocity::store::MIGRATOR")]
async fn unknown_page_is_404(pool: PgPool) {
    let app = spawn_app(pool).await;
    assert_eq!(app.get("/no/such/page").await.status(), 404);
}
