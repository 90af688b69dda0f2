//! The link endpoints against real PostgreSQL and the simulators: declare, conflicts, warnings,
//! primary hand-over, deletion, verification, audit, bad input and a 50-way race.

use crate::helpers::{audit_entries, demo_app, TestApp};
use serde_json::{json, Value};
use sqlx::PgPool;

async fn send(app: &TestApp, method: reqwest::Method, path: &str, body: Option<Value>) -> (u16, Value) {
    let mut rb = app.http.request(method, format!("{}{path}", app.base));
    if let Some(b) = body {
        rb = rb.json(&b);
    }
    let r = rb.send().await.unwrap();
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(Value::Null))
}

async fn post(app: &TestApp, path: &str, body: Value) -> (u16, Value) {
    send(app, reqwest::Method::POST, path, Some(body)).await
}

#[sqlx::test(migrator = "velocity::store::MIGRATOR")]
async fn declare_a_jira_link_then_conflicts_and_unknowns_are_refused(pool: PgPool) {
    let (app, _sim) = demo_app(&pool).await;
    let (status, body) = post(&app, "/api/projects/PLATFORM/links/jira", json!({"project": "PLAT"})).await;
    assert_eq!(status, 201, "{body}");
    assert_eq!(body["isPrimary"], true, "the first link of a platform is primary");
    assert_eq!(body["project"]["jiraKey"], "PLAT");
    assert_eq!(body["project"]["jiraProjects"][0]["verified"], true);
    let entries = audit_entries(&app, "entityType=project&entityId=PLATFORM&action=link.create").await;
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0]["after"]["key"], "PLAT");
    assert!(entries[0]["before"].is_null());
    let link_id = body["linkId"].clone();

    // Declaring what the project already holds is idempotent: 200 with the same link.
    let (status, again) = post(&app, "/api/projects/PLATFORM/links/jira", json!({"project": "PLAT"})).await;
    assert_eq!((status, &again["linkId"], &again["isPrimary"]), (200, &link_id, &json!(true)), "{again}");
    assert_eq!(audit_entries(&app, "entityType=project&entityId=PLATFORM&action=link.create").await.len(), 1, "nothing written again");

    let (status, body) = post(&app, "/api/projects/BILLING/links/jira", json!({"project": "MOBILE"})).await;
    assert_eq!(status, 409, "{body}");
    assert_eq!(body["error"]["code"], "conflict");
    assert_eq!(body["error"]["details"]["holder"], "MOBILE");
    assert!(body["error"]["message"].as_str().unwrap().contains("already linked to MOBILE"));

    let (status, body) = post(&app, "/api/projects/BILLING/links/jira", json!({"project": "NOPE"})).await;
    assert_eq!(status, 422, "{body}");
    let (status, _) = post(&app, "/api/projects/NOSUCH/links/jira", json!({"project": "OPS"})).await;
    assert_eq!(status, 404);
}

#[sqlx::test(migrator = "velocity::store::MIGRATOR")]
async fn bad_input_names_the_field(pool: PgPool) {
    let (app, _sim) = demo_app(&pool).await;
    let (status, body) = post(&app, "/api/projects/PLATFORM/links/jira", json!({"project": "PLAT", "colour": "red"})).await;
    assert_eq!(status, 400);
    assert_eq!(body["error"]["details"]["field"], "colour", "{body}");
    let (status, body) = post(&app, "/api/projects/PLATFORM/links/repository", json!({"platform": "svn", "repository": "x"})).await;
    assert_eq!(status, 400);
    assert!(body["error"]["message"].as_str().unwrap().contains("svn"), "{body}");
    let (status, body) = post(&app, "/api/projects/PLATFORM/links/jira", json!({"project": 42})).await;
    assert_eq!(status, 400, "{body}");
    let (status, body) = post(&app, "/api/projects/PLATFORM/links/jira", json!({"project": "X".repeat(300)})).await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["error"]["details"]["field"], "project");
    let (status, body) = send(&app, reqwest::Method::PUT, "/api/projects/PLATFORM/links/not-a-uuid", Some(json!({"active": false}))).await;
    assert_eq!(status, 400);
    assert_eq!(body["error"]["details"]["field"], "linkId");
    let (status, _) = send(&app, reqwest::Method::GET, "/api/persons/12/links", None).await;
    assert_eq!(status, 400);
    let r = app.http.post(format!("{}/api/projects/PLATFORM/links/jira", app.base)).header("content-type", "application/json").body("{not json").send().await.unwrap();
    assert_eq!(r.status(), 400);
    let (status, _) = send(&app, reqwest::Method::GET, "/api/audit?limit=0", None).await;
    assert_eq!(status, 400);
    let (status, _) = send(&app, reqwest::Method::GET, "/api/audit?since=yesterday", None).await;
    assert_eq!(status, 400);
}

#[sqlx::test(migrator = "velocity::store::MIGRATOR")]
async fn primary_moves_atomically_and_deleting_it_promotes_the_oldest(pool: PgPool) {
    let (app, _sim) = demo_app(&pool).await;
    let (_, mobile) = send(&app, reqwest::Method::GET, "/api/projects/MOBILE/links", None).await;
    assert_eq!(mobile["bitbucketRepos"], json!(["mobile-app-ios", "mobile-app-android"]));
    let repos = mobile["repositories"].as_array().unwrap();
    let android = repos.iter().find(|r| r["slug"] == "mobile-app-android").unwrap()["id"].as_str().unwrap().to_owned();
    let ios = repos.iter().find(|r| r["slug"] == "mobile-app-ios").unwrap()["id"].as_str().unwrap().to_owned();

    let (status, body) = send(&app, reqwest::Method::PUT, &format!("/api/projects/MOBILE/links/{android}"), Some(json!({"isPrimary": true}))).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["project"]["bitbucketRepos"], json!(["mobile-app-android", "mobile-app-ios"]));
    let primaries = body["project"]["repositories"].as_array().unwrap().iter().filter(|r| r["platform"] == "bitbucket" && r["isPrimary"] == true).count();
    assert_eq!(primaries, 1);

    let (status, body) = send(&app, reqwest::Method::DELETE, &format!("/api/projects/MOBILE/links/{android}"), None).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["deleted"]["promoted"], ios.as_str());
    assert_eq!(body["project"]["bitbucketRepos"], json!(["mobile-app-ios"]));
    let actions: Vec<String> = audit_entries(&app, "entityId=MOBILE").await.iter().map(|e| e["action"].as_str().unwrap().to_owned()).collect();
    assert_eq!(actions, vec!["link.promote", "link.delete", "link.update", "link.demote"], "newest first");
    // Soft-deleted: still in the table, gone from reads, and its id is no longer addressable.
    let kept: i64 = sqlx::query_scalar("select count(*) from repository_links where deleted_at is not null").fetch_one(&pool).await.unwrap();
    assert_eq!(kept, 1);
    let (status, _) = send(&app, reqwest::Method::DELETE, &format!("/api/projects/MOBILE/links/{android}"), None).await;
    assert_eq!(status, 404);
    let (status, body) = send(&app, reqwest::Method::PUT, &format!("/api/projects/MOBILE/links/{ios}"), Some(json!({"isPrimary": true, "active": false}))).await;
    assert_eq!(status, 400, "{body}");
    let (status, _) = send(&app, reqwest::Method::PUT, &format!("/api/projects/BILLING/links/{ios}"), Some(json!({"active": false}))).await;
    assert_eq!(status, 404, "a link is changed only through its own entity");
}

#[sqlx::test(migrator = "velocity::store::MIGRATOR")]
async fn same_named_repository_needs_acknowledging(pool: PgPool) {
    let (app, sim) = demo_app(&pool).await;
    let renamed = app.http.post(format!("{}/gitlab/repos/search-api/rename", sim.urls.admin)).json(&json!({"newSlug": "mobile-app"})).send().await.unwrap();
    assert!(renamed.status().is_success());
    let request = json!({"platform": "gitlab", "repository": "mobile-app"});
    let (status, body) = post(&app, "/api/projects/MOBILE/links/repository", request.clone()).await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(body["error"]["details"]["warnings"][0]["code"], "same_name");
    let mut acknowledged = request;
    acknowledged["acknowledgeWarnings"] = json!(true);
    let (status, body) = post(&app, "/api/projects/MOBILE/links/repository", acknowledged).await;
    assert_eq!(status, 201, "{body}");
    assert_eq!(body["isPrimary"], true, "first GitLab repository of MOBILE");
}

#[sqlx::test(migrator = "velocity::store::MIGRATOR")]
async fn person_links_an_account_once_and_verify_previews_without_writing(pool: PgPool) {
    let (app, sim) = demo_app(&pool).await;
    let truth = sim.state.read().truth.clone();
    // Every third person has no links yet in the demo.
    let unlinked = &truth.persons[2];
    let account = unlinked.accounts.iter().find(|a| a.platform == "jira" && a.current).unwrap().external_id.clone();
    let persons: Vec<(uuid::Uuid, String)> = sqlx::query_as("select id, email from persons").fetch_all(&pool).await.unwrap();
    let person = persons.iter().find(|(_, e)| *e == unlinked.email).unwrap().0;
    let other = persons.iter().find(|(_, e)| *e == truth.persons[5].email).unwrap().0;

    let verify = json!({"personId": person, "candidate": {"kind": "account", "platform": "jira", "externalId": account}});
    let (status, v) = post(&app, "/api/links/verify", verify).await;
    assert_eq!(status, 200, "{v}");
    assert_eq!(v["exists"], true);
    assert!(v["conflict"].is_null());
    assert!(v["preview"]["displayName"].is_string());
    let rows: i64 = sqlx::query_scalar("select count(*) from external_account_links where person_id = $1").bind(person).fetch_one(&pool).await.unwrap();
    assert_eq!(rows, 0, "verify writes nothing");

    let (status, body) = post(&app, &format!("/api/persons/{person}/links"), json!({"platform": "jira", "externalId": account})).await;
    assert_eq!(status, 201, "{body}");
    assert_eq!(body["person"]["jiraAccountId"], account.as_str());
    let (status, again) = post(&app, &format!("/api/persons/{person}/links"), json!({"platform": "jira", "externalId": account})).await;
    assert_eq!((status, &again["linkId"]), (200, &body["linkId"]), "the same account again: {again}");
    let (status, body) = post(&app, &format!("/api/persons/{other}/links"), json!({"platform": "jira", "externalId": account})).await;
    assert_eq!(status, 409, "{body}");
    let (status, _) = post(&app, &format!("/api/persons/{person}/links"), json!({"platform": "jira", "externalId": "no-such-account"})).await;
    assert_eq!(status, 422);
    let verify_taken = json!({"personId": other, "candidate": {"kind": "account", "platform": "jira", "externalId": account}});
    let (_, v) = post(&app, "/api/links/verify", verify_taken).await;
    assert_eq!(v["conflict"]["holderId"], person.to_string());
}

#[sqlx::test(migrator = "velocity::store::MIGRATOR")]
async fn the_acting_person_is_recorded_and_must_be_signed_in(pool: PgPool) {
    let (app, _sim) = demo_app(&pool).await;
    let actor: uuid::Uuid = sqlx::query_scalar("select id from persons order by email limit 1").fetch_one(&pool).await.unwrap();
    let token = app.token_for(actor, velocity::auth::Role::Admin).await;
    let r = app.anonymous.post(format!("{}/api/projects/PLATFORM/links/jira", app.base)).bearer_auth(token).json(&json!({"project": "PLAT"})).send().await.unwrap();
    assert_eq!(r.status(), 201);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["project"]["jiraProjects"][0]["linkedBy"], actor.to_string());
    assert_eq!(audit_entries(&app, &format!("actorId={actor}")).await.len(), 1);
    let r = app.anonymous.post(format!("{}/api/projects/SEARCH/links/jira", app.base)).bearer_auth("vlc_not-a-token").json(&json!({"project": "SRCH"})).send().await.unwrap();
    assert_eq!(r.status(), 401);
}

#[sqlx::test(migrator = "velocity::store::MIGRATOR")]
async fn fifty_concurrent_confirmations_of_one_jira_project_give_one_link(pool: PgPool) {
    let (app, _sim) = demo_app(&pool).await;
    for i in 0..50 {
        velocity::store::projects::insert_project(&pool, &format!("RACE{i}"), &format!("Race {i}"), "", None).await.unwrap();
    }
    let app = std::sync::Arc::new(app);
    let tasks: Vec<_> = (0..50)
        .map(|i| {
            let app = app.clone();
            tokio::spawn(async move { post(&app, &format!("/api/projects/RACE{i}/links/jira"), json!({"project": "OPS"})).await.0 })
        })
        .collect();
    let mut statuses = Vec::new();
    for t in tasks {
        statuses.push(t.await.unwrap());
    }
    assert_eq!(statuses.iter().filter(|s| **s == 201).count(), 1, "{statuses:?}");
    assert_eq!(statuses.iter().filter(|s| **s == 409).count(), 49, "{statuses:?}");
    let rows: i64 = sqlx::query_scalar("select count(*) from jira_project_links where key = 'OPS'").fetch_one(&pool).await.unwrap();
    assert_eq!(rows, 1);
}

#[sqlx::test(migrator = "velocity::store::MIGRATOR")]
async fn validate_takes_renames_and_marks_deleted_links_unverified(pool: PgPool) {
    let (app, sim) = demo_app(&pool).await;
    let admin = |path: &str| format!("{}{path}", sim.urls.admin);
    let first: Value = post(&app, "/api/links/validate", json!({"projectKey": "MOBILE"})).await.1;
    assert_eq!(first["errors"], json!([]), "{first}");
    assert!(first["checked"].as_u64().unwrap() >= 4);
    assert!(app.http.post(admin("/jira/projects/MOBILE/rename")).json(&json!({"newKey": "MOBI"})).send().await.unwrap().status().is_success());
    assert!(app.http.delete(admin("/bitbucket/repos/mobile-app-android")).send().await.unwrap().status().is_success());

    let (status, report) = post(&app, "/api/links/validate", json!({"projectKey": "MOBILE"})).await;
    assert_eq!(status, 200, "{report}");
    let outcomes: Vec<(String, String)> = report["changes"].as_array().unwrap().iter().map(|c| (c["outcome"].as_str().unwrap().to_owned(), c["after"]["handle"].as_str().unwrap_or("").to_owned())).collect();
    assert!(outcomes.contains(&("renamed".into(), "MOBI".into())), "{outcomes:?}");
    assert!(outcomes.contains(&("invalidated".into(), "mobile-app-android".into())), "{outcomes:?}");
    let (_, mobile) = send(&app, reqwest::Method::GET, "/api/projects/MOBILE/links", None).await;
    assert_eq!(mobile["jiraKey"], "MOBI", "the link follows the rename by its stable id");
    let android = mobile["repositories"].as_array().unwrap().iter().find(|r| r["slug"] == "mobile-app-android").unwrap();
    assert_eq!(android["verified"], false, "kept, but unverified");
    assert_eq!(audit_entries(&app, "action=link.invalidated").await.len(), 1);

    let (_, again) = post(&app, "/api/links/validate", json!({"projectKey": "MOBILE"})).await;
    assert_eq!(again["changes"], json!([]), "a second validation changes nothing");
    let (status, _) = post(&app, "/api/links/validate", json!({"projectKey": "NOSUCH"})).await;
    assert_eq!(status, 404);
    let (status, _) = post(&app, "/api/links/validate", json!({"everything": true})).await;
    assert_eq!(status, 400);
}

#[sqlx::test(migrator = "velocity::store::MIGRATOR")]
async fn validate_reports_upstream_failures_without_changing_links(pool: PgPool) {
    let (app, sim) = demo_app(&pool).await;
    let fault = app.http.post(format!("{}/faults/jira/next", sim.urls.admin)).json(&json!({"kind": "server_error", "count": 50})).send().await.unwrap();
    assert!(fault.status().is_success());
    let (status, report) = post(&app, "/api/links/validate", json!({"projectKey": "MOBILE"})).await;
    assert_eq!(status, 200);
    assert_eq!(report["errors"].as_array().unwrap().len(), 1, "{report}");
    assert!(report["errors"][0]["message"].as_str().unwrap().contains("503"));
    let (_, mobile) = send(&app, reqwest::Method::GET, "/api/projects/MOBILE/links", None).await;
    assert_eq!(mobile["jiraProjects"][0]["verified"], true, "a failed call proves nothing");
}

#[sqlx::test(migrator = "velocity::store::MIGRATOR")]
async fn values_the_database_cannot_store_are_400_not_500(pool: PgPool) {
    let (app, _sim) = demo_app(&pool).await;
    let (status, body) = post(&app, "/api/links/validate", json!({"projectKey": "A\u{0}B"})).await;
    assert_eq!(status, 400, "{body}");
    let (status, body) = send(&app, reqwest::Method::GET, "/api/audit?entityId=a%00b", None).await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["error"]["code"], "invalid");
}

#[sqlx::test(migrator = "velocity::store::MIGRATOR")]
async fn project_suggestions_rank_the_spec_modal_and_never_link(pool: PgPool) {
    let (app, _sim) = demo_app(&pool).await;
    let before: i64 = sqlx::query_scalar("select count(*) from jira_project_links").fetch_one(&pool).await.unwrap();
    let (status, body) = post(&app, "/api/projects/PLATFORM/links/suggestions", json!({})).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["errors"], json!([]));
    let labels: Vec<&str> = body["suggestions"].as_array().unwrap().iter().map(|s| s["label"].as_str().unwrap()).collect();
    assert!(labels[0].starts_with("PLAT"), "{labels:?}");
    assert!(labels.iter().any(|l| l.contains("platform-api")), "{labels:?}");
    assert!(labels.iter().any(|l| l.contains("api-platform")), "{labels:?}");
    assert!(!labels.iter().any(|l| l.contains("payments")), "{labels:?}");
    for s in body["suggestions"].as_array().unwrap() {
        let score = s["score"].as_f64().unwrap();
        assert!((0.0..=1.0).contains(&score));
        assert!(!s["evidence"].as_array().unwrap().is_empty(), "evidence for {s}");
    }
    // MOBILE links the Jira project MOBILE already: omitted; its look-alikes stay, marked.
    let (_, mobile) = post(&app, "/api/projects/MOBILE/links/suggestions", json!({})).await;
    let items = mobile["suggestions"].as_array().unwrap();
    assert!(!items.iter().any(|s| s["label"].as_str().unwrap().starts_with("MOBILE - ")), "{mobile}");
    assert!(items.iter().any(|s| s["lookAlike"] == true), "{mobile}");
    let after: i64 = sqlx::query_scalar("select count(*) from jira_project_links").fetch_one(&pool).await.unwrap();
    assert_eq!(before, after, "suggesting never links");
    let (again_status, again) = post(&app, "/api/projects/PLATFORM/links/suggestions", json!({})).await;
    assert_eq!((again_status, &again), (200, &body), "same input, same list");
}

#[sqlx::test(migrator = "velocity::store::MIGRATOR")]
async fn person_suggestions_find_their_own_accounts(pool: PgPool) {
    let (app, sim) = demo_app(&pool).await;
    let truth = sim.state.read().truth.clone();
    let unlinked = &truth.persons[2];
    let id: uuid::Uuid = sqlx::query_scalar("select id from persons where email = $1").bind(&unlinked.email).fetch_one(&pool).await.unwrap();
    let (status, body) = post(&app, &format!("/api/persons/{id}/links/suggestions"), json!({})).await;
    assert_eq!(status, 200, "{body}");
    let theirs: Vec<&str> = unlinked.accounts.iter().map(|a| a.external_id.as_str()).collect();
    let top = body["suggestions"][0]["externalId"].as_str().unwrap_or("");
    assert!(theirs.contains(&top), "the best suggestion is one of their own accounts: {body}");
    let labels = body.to_string();
    assert!(!labels.contains("dependabot") && !labels.contains("helpdesk"), "bots and shared mailboxes are never suggested");
}

#[sqlx::test(migrator = "velocity::store::MIGRATOR")]
async fn an_id_that_cannot_name_an_account_is_not_found_upstream(pool: PgPool) {
    let (app, _sim) = demo_app(&pool).await;
    let person: uuid::Uuid = sqlx::query_scalar("select id from persons order by email limit 1").fetch_one(&pool).await.unwrap();
    let (status, body) = post(&app, &format!("/api/persons/{person}/links"), json!({"platform": "gitlab", "externalId": "{5e1d0c3a-0000-4000-8000-000000000001}"})).await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(body["error"]["details"]["reason"], "not_found_upstream");
}

#[sqlx::test(migrator = "velocity::store::MIGRATOR")]
async fn the_audit_log_pages_by_entry_id_with_no_gap_and_no_repeat(pool: PgPool) {
    let (app, _sim) = demo_app(&pool).await;
    for i in 0..7 {
        let (status, body) = send(&app, reqwest::Method::PUT, "/api/projects/PLATFORM", Some(json!({"description": format!("paging {i}")}))).await;
        assert_eq!(status, 200, "{body}");
    }
    let all: Vec<i64> = audit_entries(&app, "entityId=PLATFORM&action=project.update").await.iter().map(|e| e["id"].as_i64().unwrap()).collect();
    assert_eq!(all.len(), 7);
    let mut paged = Vec::new();
    let mut query = "entityId=PLATFORM&action=project.update&limit=3".to_owned();
    loop {
        let page: Vec<i64> = audit_entries(&app, &query).await.iter().map(|e| e["id"].as_i64().unwrap()).collect();
        let Some(last) = page.last().copied() else { break };
        paged.extend(page);
        // An entry written between pages lands on the first page, never in the middle.
        send(&app, reqwest::Method::PUT, "/api/projects/MOBILE", Some(json!({"description": "elsewhere"}))).await;
        query = format!("entityId=PLATFORM&action=project.update&limit=3&before={last}");
    }
    assert_eq!(paged, all, "newest first, every entry once");
    let (status, body) = send(&app, reqwest::Method::GET, "/api/audit?before=abc", None).await;
    assert_eq!((status, body["error"]["details"]["field"].as_str()), (400, Some("before")));
}
