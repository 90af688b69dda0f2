//! The sync REST endpoints: start a run (202), follow it, list and read runs, the event stream,
//! `/metrics`, and a 4xx for every kind of bad input.

use crate::helpers::{client_with_token, demo_app, TestApp};
use velocity::auth::Role;
use serde_json::{json, Value};
use sqlx::PgPool;

/// POSTs a run as the app's admin, or as `who` (a person given that role) when named.
async fn post(app: &TestApp, body: Value, who: Option<(uuid::Uuid, Role)>) -> (u16, Value) {
    let client = match who {
        Some((person, role)) => client_with_token(&app.token_for(person, role).await),
        None => app.http.clone(),
    };
    let r = client.post(format!("{}/api/sync/runs", app.base)).json(&body).send().await.unwrap();
    (r.status().as_u16(), r.json().await.unwrap_or(Value::Null))
}

async fn get(app: &TestApp, path: &str) -> (u16, Value) {
    let r = app.get(path).await;
    (r.status().as_u16(), r.json().await.unwrap_or(Value::Null))
}

async fn until_finished(app: &TestApp, id: i64) -> Value {
    for _ in 0..300 {
        let (status, run) = get(app, &format!("/api/sync/runs/{id}")).await;
        assert_eq!(status, 200, "{run}");
        if run["status"] != "running" {
            return run;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("run {id} did not finish");
}

#[sqlx::test(migrator = "velocity::store::MIGRATOR")]
async fn a_run_started_over_rest_is_listed_streamed_and_counted(pool: PgPool) {
    let (app, _sim) = demo_app(&pool).await;
    let person: uuid::Uuid = sqlx::query_scalar("select id from persons order by email limit 1")
        .fetch_one(&pool)
        .await
        .unwrap();
    let (status, run) = post(
        &app,
        json!({"all": true, "full": true}),
        Some((person, Role::Admin)),
    )
    .await;
    assert_eq!(status, 202, "{run}");
    assert_eq!(
        (
            run["scope"].as_str(),
            run["full"].as_bool(),
            run["trigger"].as_str()
        ),
        (Some("all"), Some(true), Some("api"))
    );
    assert_eq!(run["startedBy"], json!(person));
    let id = run["id"].as_i64().unwrap();
    let done = until_finished(&app, id).await;
    assert_eq!(done["status"], "succeeded", "{done}");
    assert!(done["rowsWritten"].as_i64().unwrap() > 0 && done["requests"].as_i64().unwrap() > 0);
    assert!(
        done["counts"]["issues"]["written"].as_i64().unwrap() > 0,
        "{done}"
    );

    let (status, list) = get(&app, "/api/sync/runs?limit=5").await;
    assert_eq!(status, 200);
    assert_eq!(list[0]["id"], id);

    // A finished run's stream is its final state, once.
    let r = app.get(&format!("/api/sync/runs/{id}/events")).await;
    assert_eq!(r.status().as_u16(), 200);
    assert!(r.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/event-stream"));
    let text = r.text().await.unwrap();
    assert!(
        text.contains("event: run") && text.contains("\"status\":\"succeeded\""),
        "{text}"
    );

    let r = app.get("/metrics").await;
    assert_eq!(r.status().as_u16(), 200);
    let text = r.text().await.unwrap();
    assert!(
        text.contains("velocity_sync_requests_total{connector=\"jira\",status=\"2xx\"}"),
        "{text}"
    );
    assert!(
        text.contains("velocity_links{kind=\"jira\",state=\"active_verified\"}"),
        "{text}"
    );
    assert!(text.contains("velocity_sync_run_duration_seconds_count"));

    let (_, doc) = get(&app, "/api/openapi.json").await;
    assert!(doc["paths"]["/api/sync/runs"]["post"].is_object());
    assert!(doc["paths"]["/api/sync/runs/{id}"]["get"].is_object());
    assert!(doc["paths"]["/api/sync/runs/{id}/events"].is_null());
}

#[sqlx::test(migrator = "velocity::store::MIGRATOR")]
async fn bad_sync_requests_are_4xx_with_the_field(pool: PgPool) {
    let (app, _sim) = demo_app(&pool).await;
    for body in [
        json!({}),
        json!({"project": "PLATFORM", "all": true}),
        json!({"all": false}),
    ] {
        let (status, err) = post(&app, body.clone(), None).await;
        assert_eq!(status, 400, "{body}: {err}");
        assert_eq!(err["error"]["details"]["field"], "scope", "{err}");
    }
    let (status, err) = post(&app, json!({"all": true, "colour": "red"}), None).await;
    assert_eq!(
        (status, err["error"]["details"]["field"].as_str()),
        (400, Some("colour")),
        "{err}"
    );
    let (status, err) = post(&app, json!({"person": "nope"}), None).await;
    assert_eq!(
        (status, err["error"]["details"]["field"].as_str()),
        (400, Some("person")),
        "{err}"
    );
    let (status, err) = post(&app, json!({"project": "NOSUCH"}), None).await;
    assert_eq!(
        (status, err["error"]["code"].as_str()),
        (404, Some("not_found")),
        "{err}"
    );
    let (status, _) = post(
        &app,
        json!({"person": uuid::Uuid::new_v4().to_string()}),
        None,
    )
    .await;
    assert_eq!(status, 404);
    let member: uuid::Uuid = sqlx::query_scalar("select id from persons where id not in (select person_id from accounts) order by email limit 1")
        .fetch_one(&pool)
        .await
        .unwrap();
    let (status, err) = post(&app, json!({"all": true}), Some((member, Role::Member))).await;
    assert_eq!((status, err["error"]["code"].as_str()), (403, Some("forbidden")), "{err}");
    for path in [
        "/api/sync/runs?limit=0",
        "/api/sync/runs?limit=x",
        "/api/sync/runs?colour=1",
        "/api/sync/runs/abc",
        "/api/sync/runs/-1",
        "/api/sync/runs/abc/events",
    ] {
        let (status, err) = get(&app, path).await;
        assert_eq!(status, 400, "{path}: {err}");
        assert_eq!(err["error"]["code"], "invalid");
    }
    for path in ["/api/sync/runs/999999", "/api/sync/runs/999999/events"] {
        let (status, err) = get(&app, path).await;
        assert_eq!(status, 404, "{path}: {err}");
    }
}

/// One run of a scope at a time: a second start is refused with the running one named, another
/// scope is not held up, and a run left `running` by a process that died (its lock went with its
/// connection) is recorded as failed by the next start of its scope.
#[sqlx::test(migrator = "velocity::store::MIGRATOR")]
async fn one_run_per_scope_and_abandoned_runs_are_recorded_failed(pool: PgPool) {
    use velocity::sync::{finish, start, Options, Scope, SyncError};
    let (app, _sim) = demo_app(&pool).await;
    let abandoned: i64 = sqlx::query_scalar("insert into sync_runs (scope, full_resync, trigger) values ('all', false, 'cli') returning id")
        .fetch_one(&pool)
        .await
        .unwrap();
    let all = Options::new(Scope::All, false, "test");
    let held = start(&pool, &all, None).await.expect("the scope is free");
    let (status, error): (String, Option<String>) = sqlx::query_as("select status, error from sync_runs where id = $1")
        .bind(abandoned)
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(status, "failed");
    assert!(error.unwrap_or_default().contains("stopped before it finished"));

    match start(&pool, &all, None).await {
        Err(SyncError::Busy { run_id, .. }) => assert_eq!(run_id, Some(held.run_id)),
        other => panic!("a second start of the scope: {other:?}"),
    }
    let (status, err) = post(&app, json!({"all": true}), None).await;
    assert_eq!(status, 409, "{err}");
    assert_eq!(err["error"]["code"], "conflict");
    assert_eq!(err["error"]["details"]["runId"], json!(held.run_id));
    assert!(err["error"]["message"].as_str().unwrap().contains("already running"), "{err}");

    let key: String = sqlx::query_scalar("select key from projects order by key limit 1").fetch_one(&pool).await.unwrap();
    let project = Options::new(Scope::Project(key), false, "test");
    let other = start(&pool, &project, None).await.expect("another scope is not held up");
    finish(&pool, other, &project, &|_, _, _| {}).await.unwrap();
    // Back to back: a run gives its lock back before it reports, so the next start finds the
    // scope free at once.
    for _ in 0..5 {
        velocity::sync::run(&pool, &project, &|_, _, _| {}).await.expect("free again at once");
    }
    let held_id = held.run_id;
    finish(&pool, held, &all, &|_, _, _| {}).await.unwrap();
    let (status, run) = post(&app, json!({"all": true}), None).await;
    assert_eq!(status, 202, "free again once the run ended: {run}");
    assert_ne!(run["id"], json!(held_id));
    until_finished(&app, run["id"].as_i64().unwrap()).await;
}
