//! Stored suggestions against real PostgreSQL and the simulators: ids and status, dismissal
//! memory (audited, reopened when new evidence appears), acceptance through the link
//! confirmation, conflicts and bad ids.

use crate::helpers::{audit_entries, demo_app, TestApp};
use serde_json::{json, Value};
use sqlx::PgPool;

async fn post(app: &TestApp, path: &str, body: Option<Value>, actor: Option<uuid::Uuid>) -> (u16, Value) {
    let mut rb = app.http.post(format!("{}{path}", app.base));
    if let Some(b) = body {
        rb = rb.json(&b);
    }
    if let Some(a) = actor {
        rb = rb.bearer_auth(app.token_for(a, velocity::auth::Role::Admin).await);
    }
    let r = rb.send().await.unwrap();
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(Value::Null))
}

async fn suggestions(app: &TestApp, key: &str) -> Vec<Value> {
    let (status, body) = post(app, &format!("/api/projects/{key}/links/suggestions"), Some(json!({})), None).await;
    assert_eq!(status, 200, "{body}");
    body["suggestions"].as_array().unwrap().clone()
}

fn find<'a>(items: &'a [Value], label_part: &str) -> &'a Value {
    items.iter().find(|s| s["label"].as_str().unwrap().contains(label_part)).unwrap_or_else(|| panic!("{label_part} in {items:?}"))
}

async fn status_of(pool: &PgPool, id: &str) -> String {
    sqlx::query_scalar("select status from suggestions where id = $1::uuid").bind(id).fetch_one(pool).await.unwrap()
}

async fn some_person(pool: &PgPool) -> uuid::Uuid {
    sqlx::query_scalar("select id from persons order by email limit 1").fetch_one(pool).await.unwrap()
}

#[sqlx::test(migrator = "velocity::store::MIGRATOR")]
async fn suggestions_are_stored_with_id_and_status(pool: PgPool) {
    let (app, _sim) = demo_app(&pool).await;
    let first = suggestions(&app, "PLATFORM").await;
    assert!(!first.is_empty());
    for s in &first {
        assert!(uuid::Uuid::parse_str(s["id"].as_str().unwrap()).is_ok(), "{s}");
        assert_eq!(s["status"], "open");
        assert!(s["externalId"].is_string() && s["score"].is_number());
    }
    let stored: i64 = sqlx::query_scalar("select count(*) from suggestions where target_type = 'project'").fetch_one(&pool).await.unwrap();
    assert_eq!(stored as usize, first.len());
    let label: String = sqlx::query_scalar("select label from suggestions where id = $1::uuid").bind(first[0]["id"].as_str().unwrap()).fetch_one(&pool).await.unwrap();
    assert_eq!(label, first[0]["label"].as_str().unwrap());
    assert_eq!(suggestions(&app, "PLATFORM").await, first, "same evidence, same ids");
}

#[sqlx::test(migrator = "velocity::store::MIGRATOR")]
async fn dismissed_stays_dismissed_until_new_evidence(pool: PgPool) {
    let (app, _sim) = demo_app(&pool).await;
    let actor = some_person(&pool).await;
    let first = suggestions(&app, "PLATFORM").await;
    let repo = find(&first, "platform-api").clone();
    assert_eq!(repo["rules"], json!(["repository_pattern"]), "no Jira project linked yet: {repo}");
    let id = repo["id"].as_str().unwrap();
    let (status, body) = post(&app, &format!("/api/suggestions/{id}/dismiss"), None, Some(actor)).await;
    assert_eq!((status, &body["status"]), (200, &json!("dismissed")), "{body}");
    let entries = audit_entries(&app, "action=suggestion.dismiss&entityType=project&entityId=PLATFORM").await;
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0]["actorId"], json!(actor));
    assert_eq!(entries[0]["source"], "api");
    assert_eq!(entries[0]["after"]["status"], "dismissed");

    let again = suggestions(&app, "PLATFORM").await;
    assert!(!again.iter().any(|s| s["id"] == repo["id"]), "dismissed is not suggested again");
    assert_eq!(status_of(&pool, id).await, "dismissed");
    let (status, _) = post(&app, &format!("/api/suggestions/{id}/dismiss"), None, None).await;
    assert_eq!(status, 200, "dismissing twice is harmless");
    assert_eq!(audit_entries(&app, "action=suggestion.dismiss").await.len(), 1, "and not audited twice");

    // Linking the Jira project makes commit and PR keys evidence: a new rule, so it comes back.
    let (status, body) = post(&app, "/api/projects/PLATFORM/links/jira", Some(json!({"project": "PLAT"})), None).await;
    assert_eq!(status, 201, "{body}");
    let back = suggestions(&app, "PLATFORM").await;
    let reopened = find(&back, "platform-api");
    assert_eq!(reopened["id"], repo["id"], "the same stored suggestion");
    assert_eq!(reopened["status"], "open");
    assert!(reopened["rules"].as_array().unwrap().contains(&json!("commit_keys")), "{reopened}");
    let entries = audit_entries(&app, "action=suggestion.reopen&entityId=PLATFORM").await;
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0]["before"]["status"], "dismissed");
}

#[sqlx::test(migrator = "velocity::store::MIGRATOR")]
async fn accept_declares_the_link_and_marks_it_accepted(pool: PgPool) {
    let (app, _sim) = demo_app(&pool).await;
    let actor = some_person(&pool).await;
    let first = suggestions(&app, "PLATFORM").await;
    let plat = find(&first, "PLAT - ").clone();
    let id = plat["id"].as_str().unwrap();
    let (status, body) = post(&app, &format!("/api/suggestions/{id}/accept"), None, Some(actor)).await;
    assert_eq!(status, 201, "{body}");
    assert_eq!(body["status"], "accepted");
    assert_eq!(body["project"]["jiraKey"], "PLAT");
    assert_eq!(status_of(&pool, id).await, "accepted");
    let created = audit_entries(&app, "action=link.create&entityId=PLATFORM").await;
    assert_eq!(created.len(), 1);
    assert_eq!(created[0]["actorId"], json!(actor));
    let accepted = audit_entries(&app, "action=suggestion.accept&entityId=PLATFORM").await;
    assert_eq!(accepted.len(), 1);
    assert_eq!(accepted[0]["linkId"], body["linkId"]);
    assert!(!suggestions(&app, "PLATFORM").await.iter().any(|s| s["id"] == plat["id"]), "linked now: omitted");
    let (status, body) = post(&app, &format!("/api/suggestions/{id}/accept"), Some(json!({})), None).await;
    assert_eq!(status, 409, "{body}");
    let (status, _) = post(&app, &format!("/api/suggestions/{id}/dismiss"), None, None).await;
    assert_eq!(status, 409, "an accepted suggestion cannot be dismissed");
}

#[sqlx::test(migrator = "velocity::store::MIGRATOR")]
async fn accepting_what_another_entity_holds_is_a_conflict_and_stays_open(pool: PgPool) {
    let (app, _sim) = demo_app(&pool).await;
    let plat = find(&suggestions(&app, "PLATFORM").await, "PLAT - ").clone();
    let (status, body) = post(&app, "/api/projects/BILLING/links/jira", Some(json!({"project": "PLAT"})), None).await;
    assert_eq!(status, 201, "{body}");
    let id = plat["id"].as_str().unwrap();
    let (status, body) = post(&app, &format!("/api/suggestions/{id}/accept"), Some(json!({"acknowledgeWarnings": true, "isPrimary": true})), None).await;
    assert_eq!(status, 409, "{body}");
    assert_eq!(body["error"]["details"]["holder"], "BILLING");
    assert_eq!(status_of(&pool, id).await, "open");
    assert!(audit_entries(&app, "action=suggestion.accept").await.is_empty());
    let listed = suggestions(&app, "PLATFORM").await;
    let now = find(&listed, "PLAT - ");
    assert_eq!(now["conflict"], "BILLING");
    assert_eq!(now["id"], plat["id"]);
}

#[sqlx::test(migrator = "velocity::store::MIGRATOR")]
async fn person_suggestion_accepts_an_account(pool: PgPool) {
    let (app, sim) = demo_app(&pool).await;
    let truth = sim.state.read().truth.clone();
    let person = &truth.persons[2];
    let id: uuid::Uuid = sqlx::query_scalar("select id from persons where email = $1").bind(&person.email).fetch_one(&pool).await.unwrap();
    let (status, body) = post(&app, &format!("/api/persons/{id}/links/suggestions"), Some(json!({})), None).await;
    assert_eq!(status, 200, "{body}");
    let top = &body["suggestions"][0];
    assert_eq!(top["status"], "open");
    let (status, accepted) = post(&app, &format!("/api/suggestions/{}/accept", top["id"].as_str().unwrap()), Some(json!({"acknowledgeWarnings": true})), None).await;
    assert_eq!(status, 201, "{accepted}");
    let linked = accepted["person"]["externalAccounts"].to_string();
    assert!(linked.contains(top["externalId"].as_str().unwrap()), "{accepted}");
}

#[sqlx::test(migrator = "velocity::store::MIGRATOR")]
async fn unknown_and_malformed_ids(pool: PgPool) {
    let (app, _sim) = demo_app(&pool).await;
    let missing = uuid::Uuid::new_v4();
    for verb in ["dismiss", "accept"] {
        let (status, body) = post(&app, &format!("/api/suggestions/{missing}/{verb}"), None, None).await;
        assert_eq!(status, 404, "{body}");
        assert_eq!(body["error"]["code"], "not_found");
        let (status, body) = post(&app, &format!("/api/suggestions/not-a-uuid/{verb}"), None, None).await;
        assert_eq!(status, 400, "{body}");
        assert_eq!(body["error"]["details"]["field"], "suggestionId");
    }
    let plat = find(&suggestions(&app, "PLATFORM").await, "PLAT - ").clone();
    let (status, body) = post(&app, &format!("/api/suggestions/{}/accept", plat["id"].as_str().unwrap()), Some(json!({"colour": "red"})), None).await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["error"]["details"]["field"], "colour");
}

#[sqlx::test(migrator = "velocity::store::MIGRATOR")]
async fn server_functions_return_the_same_ranked_suggestions(pool: PgPool) {
    use leptos::server_fn::ServerFn;
    let (app, _sim) = demo_app(&pool).await;
    let url = format!("{}{}", app.base, velocity::api::suggestions::ProjectSuggestions::PATH);
    let r = app.http.post(&url).form(&[("project_key", "PLATFORM")]).send().await.unwrap();
    assert_eq!(r.status(), 200);
    let views: Vec<velocity::api::suggestions::SuggestionView> = r.json().await.unwrap();
    assert!(views[0].label.starts_with("PLAT"), "{views:?}");
    assert!(views.iter().all(|v| v.status == "open" && !v.evidence.is_empty()));
    let dismiss = format!("{}{}", app.base, velocity::api::suggestions::DismissSuggestion::PATH);
    let r = app.http.post(&dismiss).form(&[("suggestion_id", views[0].id.to_string())]).send().await.unwrap();
    assert_eq!(r.status(), 200);
    let again: Vec<velocity::api::suggestions::SuggestionView> = app.http.post(&url).form(&[("project_key", "PLATFORM")]).send().await.unwrap().json().await.unwrap();
    assert!(again.iter().all(|v| v.id != views[0].id), "a dismissed suggestion is not offered again");
    let r = app.http.post(&url).form(&[("project_key", "NOPE")]).send().await.unwrap();
    assert_eq!(r.status(), 404);
}
