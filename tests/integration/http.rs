//! The served app: health, the server-rendered directory page, server functions, 404s.

use crate::helpers::spawn_app;
use leptos::server_fn::ServerFn;
use sqlx::PgPool;
use velocity::api::directory::LoadDirectory;

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
    assert_eq!(body["error"], "unavailable");
    assert_eq!(body["message"], "the database does not answer");
}

#[sqlx::test(migrator = "velocity::store::MIGRATOR")]
async fn directory_page_is_server_rendered_and_escapes_text(pool: PgPool) {
    velocity::sim::sample_org::load(&pool).await.unwrap();
    let app = spawn_app(pool).await;
    let page = app.get("/").await;
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(html.contains("Mobile App"), "project rendered on the server");
    assert!(html.contains("Zoë Ng"), "person rendered on the server");
    assert!(html.contains("/pkg/velocity.js"), "hydration script referenced");
    assert!(!html.contains("<b>dunning</b>"), "upstream-looking text is escaped");
}

#[sqlx::test(migrator = "velocity::store::MIGRATOR")]
async fn directory_server_function_returns_json_with_legacy_fields(pool: PgPool) {
    velocity::sim::sample_org::load(&pool).await.unwrap();
    let app = spawn_app(pool).await;
    let response = app.http.post(format!("{}{}", app.base, LoadDirectory::PATH)).send().await.unwrap();
    assert_eq!(response.status(), 200);
    let body: serde_json::Value = response.json().await.unwrap();
    let platform = body["projects"].as_array().unwrap().iter().find(|p| p["key"] == "PLATFORM").unwrap();
    assert_eq!(platform["bitbucketRepos"], serde_json::json!(["platform-api", "platform-web"]));
    assert_eq!(platform["bitbucketWorkspace"], "acme");
}

#[sqlx::test(migrator = "velocity::store::MIGRATOR")]
async fn unknown_page_is_404(pool: PgPool) {
    let app = spawn_app(pool).await;
    assert_eq!(app.get("/no/such/page").await.status(), 404);
}
