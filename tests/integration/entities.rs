//! Velocity's entities over REST against real PostgreSQL and the simulators: CRUD and its
//! failures, one audit entry per write, deactivation, legacy-field writes translated into links,
//! all-or-nothing import (JSON, CSV, CLI) and export.

use crate::helpers::{audit_entries, demo_app, TestApp};
use reqwest::Method;
use serde_json::{json, Value};
use sqlx::PgPool;

async fn call(app: &TestApp, method: Method, path: &str, body: Option<Value>) -> (u16, Value, reqwest::header::HeaderMap) {
    let mut rb = app.http.request(method, format!("{}{path}", app.base));
    if let Some(b) = body {
        rb = rb.json(&b);
    }
    let r = rb.send().await.unwrap();
    let (status, headers) = (r.status().as_u16(), r.headers().clone());
    (status, r.json().await.unwrap_or(Value::Null), headers)
}

async fn send(app: &TestApp, method: Method, path: &str, body: Value) -> (u16, Value) {
    let (status, body, _) = call(app, method, path, Some(body)).await;
    (status, body)
}

async fn get(app: &TestApp, path: &str) -> (u16, Value) {
    let (status, body, _) = call(app, Method::GET, path, None).await;
    (status, body)
}

async fn count(pool: &PgPool, table: &str) -> i64 {
    sqlx::query_scalar(&format!("select count(*) from {table}")).fetch_one(pool).await.unwrap()
}

fn field(body: &Value) -> &Value {
    &body["error"]["details"]["field"]
}

#[sqlx::test(migrator = "velocity::store::MIGRATOR")]
async fn project_crud_writes_one_audit_entry_each_and_deactivates(pool: PgPool) {
    let (app, _sim) = demo_app(&pool).await;
    let lead: uuid::Uuid = sqlx::query_scalar("select id from persons order by email limit 1").fetch_one(&pool).await.unwrap();
    let (status, body, headers) = call(&app, Method::POST, "/api/projects", Some(json!({"key": "WEB", "name": " Web ", "description": "Site", "leadPersonId": lead}))).await;
    assert_eq!(status, 201, "{body}");
    assert_eq!((body["key"].as_str(), body["name"].as_str(), body["active"].as_bool()), (Some("WEB"), Some("Web"), Some(true)));
    assert_eq!(headers["location"], "/api/projects/WEB");
    assert!(headers.get("deprecation").is_none());
    let entries = audit_entries(&app, "entityType=project&entityId=WEB").await;
    assert_eq!(entries.len(), 1);
    assert_eq!((entries[0]["action"].as_str(), entries[0]["source"].as_str()), (Some("project.create"), Some("api")));
    assert!(entries[0]["before"].is_null());
    assert_eq!(entries[0]["after"]["leadPersonId"], lead.to_string());

    let (status, list) = get(&app, "/api/projects?q=we").await;
    assert_eq!(status, 200);
    assert_eq!(list.as_array().unwrap().iter().map(|p| p["key"].as_str().unwrap()).collect::<Vec<_>>(), vec!["WEB"]);
    assert_eq!(get(&app, "/api/projects").await.1.as_array().unwrap().len() as i64, count(&pool, "projects").await);

    let (status, body, headers) = call(&app, Method::PUT, "/api/projects/WEB", Some(json!({"name": "Web app", "leadPersonId": null}))).await;
    assert_eq!(status, 200, "{body}");
    assert!(body["leadPersonId"].is_null());
    assert!(headers.get("deprecation").is_none(), "no legacy field, no Deprecation header");
    let entries = audit_entries(&app, "entityType=project&entityId=WEB").await;
    assert_eq!(entries.len(), 2);
    assert_eq!(entries[0]["action"], "project.update");
    assert_eq!((entries[0]["before"]["name"].as_str(), entries[0]["after"]["name"].as_str()), (Some("Web"), Some("Web app")));

    let (status, body) = send(&app, Method::PUT, "/api/projects/WEB", json!({"active": false})).await;
    assert_eq!(status, 200, "{body}");
    let entries = audit_entries(&app, "entityType=project&entityId=WEB").await;
    assert_eq!(entries.len(), 3);
    assert_eq!(entries[0]["action"], "project.deactivate");
    assert_eq!((entries[0]["before"]["active"].as_bool(), entries[0]["after"]["active"].as_bool()), (Some(true), Some(false)));
    let (status, body) = get(&app, "/api/projects/WEB").await;
    assert_eq!((status, body["active"].as_bool()), (200, Some(false)), "deactivated, still readable");
}

#[sqlx::test(migrator = "velocity::store::MIGRATOR")]
async fn bad_project_writes_name_the_field_and_write_nothing(pool: PgPool) {
    let (app, _sim) = demo_app(&pool).await;
    let before = count(&pool, "audit_log").await;
    let cases = [
        (json!({"key": "web", "name": "Web"}), 400, "key"),
        (json!({"key": "SEARCH", "name": "Again"}), 409, "key"),
        (json!({"key": "WEB", "name": "Web", "leadPersonId": uuid::Uuid::nil()}), 400, "leadPersonId"),
        (json!({"key": "WEB", "name": "Web", "leadPersonId": "nope"}), 400, "leadPersonId"),
        (json!({"key": "WEB", "name": "Web", "colour": "red"}), 400, "colour"),
        (json!({"key": "WEB", "name": "x".repeat(201)}), 400, "name"),
        (json!({"key": "WEB", "name": "  "}), 400, "name"),
        (json!({"key": "WEB"}), 400, "name"),
    ];
    for (request, status, name) in cases {
        let (got, body) = send(&app, Method::POST, "/api/projects", request.clone()).await;
        assert_eq!((got, field(&body).as_str()), (status, Some(name)), "{request} -> {body}");
    }
    let (status, body) = send(&app, Method::POST, "/api/projects", json!({"key": "SEARCH", "name": "Again"})).await;
    assert_eq!((status, body["error"]["code"].as_str()), (409, Some("conflict")));
    assert!(body["error"]["message"].as_str().unwrap().contains("'SEARCH' already exists"), "{body}");
    assert_eq!(get(&app, "/api/projects/NOSUCH").await.0, 404);
    assert_eq!(field(&get(&app, "/api/projects/bad-key").await.1), "projectKey");
    let (status, body) = send(&app, Method::PUT, "/api/projects/SEARCH", json!({"key": "SRCH2"})).await;
    assert_eq!((status, field(&body).as_str()), (400, Some("key")));
    assert_eq!(send(&app, Method::PUT, "/api/projects/SEARCH", json!({})).await.0, 400);
    assert_eq!(send(&app, Method::PUT, "/api/projects/NOSUCH", json!({"name": "x"})).await.0, 404);
    assert_eq!(count(&pool, "audit_log").await, before, "no failed write leaves an audit entry");
}

#[sqlx::test(migrator = "velocity::store::MIGRATOR")]
async fn person_crud_and_failures(pool: PgPool) {
    let (app, _sim) = demo_app(&pool).await;
    let (status, body) = send(&app, Method::POST, "/api/persons", json!({"name": "Ada Lovelace", "email": "Ada@Example.com"})).await;
    assert_eq!(status, 201, "{body}");
    let id = body["id"].as_str().unwrap().to_owned();
    let entries = audit_entries(&app, &format!("entityType=person&entityId={id}")).await;
    assert_eq!((entries.len(), entries[0]["action"].as_str()), (1, Some("person.create")));
    assert_eq!(entries[0]["after"]["email"], "Ada@Example.com");

    let (status, body) = send(&app, Method::POST, "/api/persons", json!({"name": "Ada again", "email": "ada@example.COM"})).await;
    assert_eq!((status, field(&body).as_str()), (409, Some("email")), "{body}");
    let (status, body) = send(&app, Method::POST, "/api/persons", json!({"name": "Bob", "email": "bob@"})).await;
    assert_eq!((status, field(&body).as_str()), (400, Some("email")));
    let (status, body) = send(&app, Method::POST, "/api/persons", json!({"name": "Bob", "email": "bob@example.com", "role": "x"})).await;
    assert_eq!((status, field(&body).as_str()), (400, Some("role")));
    assert_eq!(get(&app, &format!("/api/persons/{}", uuid::Uuid::nil())).await.0, 404);
    let (status, body) = get(&app, "/api/persons/not-a-uuid").await;
    assert_eq!((status, field(&body).as_str()), (400, Some("personId")));

    let (status, body) = send(&app, Method::PUT, &format!("/api/persons/{id}"), json!({"name": "Ada King"})).await;
    assert_eq!((status, body["name"].as_str()), (200, Some("Ada King")));
    let other: String = sqlx::query_scalar("select email from persons where id <> $1::uuid limit 1").bind(&id).fetch_one(&pool).await.unwrap();
    let (status, body) = send(&app, Method::PUT, &format!("/api/persons/{id}"), json!({"email": other.to_uppercase()})).await;
    assert_eq!((status, field(&body).as_str()), (409, Some("email")));
    let (status, _) = send(&app, Method::PUT, &format!("/api/persons/{id}"), json!({"active": false})).await;
    assert_eq!(status, 200);
    let actions: Vec<String> = audit_entries(&app, &format!("entityId={id}")).await.iter().map(|e| e["action"].as_str().unwrap().to_owned()).collect();
    assert_eq!(actions, vec!["person.deactivate", "person.update", "person.create"]);
    let (status, body) = get(&app, &format!("/api/persons/{id}")).await;
    assert_eq!((status, body["active"].as_bool()), (200, Some(false)));
    let (_, found) = get(&app, "/api/persons?q=ada%20king").await;
    assert_eq!(found.as_array().unwrap().len(), 1);
}

#[sqlx::test(migrator = "velocity::store::MIGRATOR")]
async fn legacy_fields_become_links_with_a_deprecation_header(pool: PgPool) {
    let (app, sim) = demo_app(&pool).await;
    let (status, body, headers) = call(&app, Method::PUT, "/api/projects/SEARCH", Some(json!({"jiraKey": "SRCH"}))).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(headers["deprecation"], "true");
    assert_eq!(headers["link"], "</api/projects/SEARCH/links>; rel=\"successor-version\"");
    assert_eq!(body["jiraKey"], "SRCH");
    assert_eq!((body["jiraProjects"][0]["key"].as_str(), body["jiraProjects"][0]["isPrimary"].as_bool()), (Some("SRCH"), Some(true)));
    let translated = audit_entries(&app, "entityId=SEARCH&action=legacy.translate").await;
    assert_eq!(translated.len(), 1);
    assert_eq!((translated[0]["source"].as_str(), translated[0]["after"]["jiraKey"].as_str()), (Some("api"), Some("SRCH")));
    assert_eq!(audit_entries(&app, "entityId=SEARCH&action=link.create").await.len(), 1);
    assert_eq!(audit_entries(&app, "entityId=SEARCH&action=project.update").await.len(), 0, "no entity field was sent");

    let (status, body, headers) = call(&app, Method::PUT, "/api/projects/SEARCH", Some(json!({"jiraKey": "SRCH"}))).await;
    assert_eq!((status, body["jiraProjects"].as_array().unwrap().len()), (200, 1), "sending it again links nothing new");
    assert_eq!(headers["deprecation"], "true");
    let (_, _, headers) = call(&app, Method::PUT, "/api/projects/SEARCH", Some(json!({"description": "Find things"}))).await;
    assert!(headers.get("deprecation").is_none());

    let (status, body) = send(&app, Method::PUT, "/api/projects/BILLING", json!({"bitbucketRepos": ["billing-service"]})).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["bitbucketRepos"], json!(["billing-service"]));
    let (status, body) = send(&app, Method::PUT, "/api/projects/BILLING", json!({"jiraKey": null})).await;
    assert_eq!((status, field(&body).as_str()), (400, Some("jiraKey")));
    let before = count(&pool, "audit_log").await;
    let (status, _) = send(&app, Method::PUT, "/api/projects/BILLING", json!({"name": "Money", "jiraKey": "NOPE"})).await;
    assert_eq!(status, 422, "unknown upstream");
    assert_eq!(count(&pool, "audit_log").await, before, "a bad legacy value leaves the entity untouched");
    assert_eq!(get(&app, "/api/projects/BILLING").await.1["name"], "Billing");

    // A person without links (every third in the demo) gets their accounts through legacy fields.
    let truth = sim.state.read().truth.clone();
    let person = &truth.persons[2];
    let account = |p: &str| person.accounts.iter().find(|a| a.platform == p && a.current).unwrap().clone();
    let id: uuid::Uuid = sqlx::query_scalar("select id from persons where email = $1").bind(&person.email).fetch_one(&pool).await.unwrap();
    let bitbucket = account("bitbucket");
    let request = json!({"jiraAccountId": account("jira").external_id, "bitbucketUsername": bitbucket.username});
    let (status, body, headers) = call(&app, Method::PUT, &format!("/api/persons/{id}"), Some(request)).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(headers["deprecation"], "true");
    assert_eq!(body["jiraAccountId"], account("jira").external_id.as_str());
    assert_eq!(body["bitbucketUsername"], bitbucket.username.unwrap().as_str());
    assert_eq!(audit_entries(&app, &format!("entityId={id}&action=legacy.translate")).await.len(), 2);
}

async fn import(app: &TestApp, query: &str, content_type: &str, body: String) -> (u16, Value) {
    let r = app.http.post(format!("{}/api/import{query}", app.base)).header("content-type", content_type).body(body).send().await.unwrap();
    (r.status().as_u16(), r.json().await.unwrap_or(Value::Null))
}

#[sqlx::test(migrator = "velocity::store::MIGRATOR")]
async fn import_writes_every_row_or_none(pool: PgPool) {
    let (app, _sim) = demo_app(&pool).await;
    let (persons, projects, audit_rows) = (count(&pool, "persons").await, count(&pool, "projects").await, count(&pool, "audit_log").await);
    let mut doc = json!({
        "persons": [{"name": "Grace Hopper", "email": "grace@example.com"}, {"name": "Alan Turing", "email": "alan@example.com", "active": true}],
        "projects": [{"key": "COBOL", "name": "Cobol", "leadEmail": "GRACE@example.com"}, {"key": "bad key", "name": "Bad"}],
    });
    let (status, body) = import(&app, "", "application/json", doc.to_string()).await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(body["accepted"], 0);
    assert_eq!(body["rejected"].as_array().unwrap().len(), 1);
    assert_eq!(body["rejected"][0], json!({"kind": "projects", "row": 2, "field": "key", "message": body["rejected"][0]["message"]}));
    assert_eq!(body["error"]["code"], "unprocessable");
    let unchanged = (count(&pool, "persons").await, count(&pool, "projects").await, count(&pool, "audit_log").await);
    assert_eq!(unchanged, (persons, projects, audit_rows), "nothing written");

    doc["projects"][1] = json!({"key": "ENIAC", "name": "Eniac", "description": "Big", "leadEmail": "alan@example.com"});
    let (status, body) = import(&app, "", "application/json; charset=utf-8", doc.to_string()).await;
    assert_eq!(status, 201, "{body}");
    assert_eq!((body["accepted"].as_i64(), body["created"]["persons"].as_i64(), body["created"]["projects"].as_i64()), (Some(4), Some(2), Some(2)));
    let (_, cobol) = get(&app, "/api/projects/COBOL").await;
    let grace: String = sqlx::query_scalar("select id::text from persons where email = 'grace@example.com'").fetch_one(&pool).await.unwrap();
    assert_eq!(cobol["leadPersonId"], grace.as_str());
    assert_eq!(count(&pool, "audit_log").await, audit_rows + 4, "one entry per imported row");

    let (status, body) = import(&app, "", "application/json", doc.to_string()).await;
    assert_eq!((status, body["rejected"].as_array().unwrap().len()), (422, 4), "import never overwrites");
}

#[sqlx::test(migrator = "velocity::store::MIGRATOR")]
async fn csv_import_and_its_errors(pool: PgPool) {
    let (app, _sim) = demo_app(&pool).await;
    let persons = "name,email,active\nLinus,linus@example.com,\n\"Hamilton, Margaret\",margaret@example.com,false\n";
    let (status, body) = import(&app, "?kind=persons", "text/csv", persons.into()).await;
    assert_eq!((status, body["created"]["persons"].as_i64()), (201, Some(2)), "{body}");
    let (_, found) = get(&app, "/api/persons?q=margaret").await;
    assert_eq!((found[0]["name"].as_str(), found[0]["active"].as_bool()), (Some("Hamilton, Margaret"), Some(false)));

    let projects = "key,name,description,leadEmail\nKERNEL,Kernel,,linus@example.com\nAPOLLO,Apollo,,margaret@example.com\nNOLEAD,No lead,,nobody@example.com\n";
    let (status, body) = import(&app, "?kind=projects", "text/csv", projects.into()).await;
    assert_eq!(status, 422, "{body}");
    let rejected: Vec<(i64, i64, &str)> = body["rejected"].as_array().unwrap().iter().map(|r| (r["row"].as_i64().unwrap(), r["line"].as_i64().unwrap(), r["field"].as_str().unwrap())).collect();
    assert_eq!(rejected, vec![(2, 3, "leadEmail"), (3, 4, "leadEmail")], "a deactivated lead and an unknown one");
    assert_eq!(get(&app, "/api/projects/KERNEL").await.0, 404, "nothing written");
    let (status, body) = import(&app, "?kind=projects", "text/csv", "key,name,leadEmail\nKERNEL,Kernel,linus@example.com\n".into()).await;
    assert_eq!((status, body["accepted"].as_i64()), (201, Some(1)), "{body}");

    assert_eq!(field(&import(&app, "", "text/csv", persons.into()).await.1), "kind");
    assert_eq!(field(&import(&app, "?kind=people", "text/csv", persons.into()).await.1), "kind");
    assert_eq!(field(&import(&app, "?kind=persons", "text/plain", persons.into()).await.1), "Content-Type");
    let (status, body) = import(&app, "?kind=persons", "text/csv", "name,mail\nx,y\n".into()).await;
    assert_eq!(status, 400);
    assert!(body["error"]["message"].as_str().unwrap().contains("unknown column 'mail'"), "{body}");
}

#[sqlx::test(migrator = "velocity::store::MIGRATOR")]
async fn export_lists_every_entity_with_its_links(pool: PgPool) {
    let (app, _sim) = demo_app(&pool).await;
    let (persons, projects) = (count(&pool, "persons").await as usize, count(&pool, "projects").await as usize);
    let (status, all) = get(&app, "/api/export").await;
    assert_eq!(status, 200);
    assert_eq!((all["persons"].as_array().unwrap().len(), all["projects"].as_array().unwrap().len()), (persons, projects));
    let mobile = all["projects"].as_array().unwrap().iter().find(|p| p["key"] == "MOBILE").unwrap().clone();
    assert_eq!(mobile["jiraKey"], "MOBILE", "the domain type as it serialises, legacy fields derived");
    let mobile_jira = mobile["jiraProjects"].as_array().unwrap().len().to_string();
    let (_, only) = get(&app, "/api/export?format=json&kind=persons").await;
    assert!(only.get("projects").is_none());

    for (kind, n) in [("projects", projects), ("persons", persons)] {
        let r = app.http.get(format!("{}/api/export?format=csv&kind={kind}", app.base)).send().await.unwrap();
        assert_eq!(r.status(), 200);
        assert!(r.headers()["content-type"].to_str().unwrap().starts_with("text/csv"));
        let text = r.text().await.unwrap();
        let mut reader = csv::Reader::from_reader(text.as_bytes());
        let header = reader.headers().unwrap().clone();
        let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
        assert_eq!(rows.len(), n, "{kind}: one row per entity");
        if kind == "projects" {
            let at = |name: &str| header.iter().position(|h| h == name).unwrap();
            let row = rows.iter().find(|r| &r[at("key")] == "MOBILE").unwrap();
            assert_eq!((&row[at("primaryJiraKey")], &row[at("jiraProjects")]), ("MOBILE", mobile_jira.as_str()));
            assert_eq!(&row[at("primaryBitbucketRepo")], "mobile-app-ios");
        }
        // The export imports as it is: here every row already exists, so every row is refused.
        let (status, body) = import(&app, &format!("?kind={kind}"), "text/csv", text).await;
        assert_eq!((status, body["rejected"].as_array().unwrap().len()), (422, n), "{body}");
    }
    assert_eq!(field(&get(&app, "/api/export?format=csv").await.1), "kind");
    assert_eq!(field(&get(&app, "/api/export?format=xml").await.1), "format");
}

#[sqlx::test(migrator = "velocity::store::MIGRATOR")]
async fn cli_import_prints_the_report(pool: PgPool) {
    let db: String = sqlx::query_scalar("select current_database()").fetch_one(&pool).await.unwrap();
    let base = std::env::var("DATABASE_URL").unwrap();
    let url = format!("{}/{db}", base.rsplit_once('/').unwrap().0);
    let dir = std::env::temp_dir().join(format!("velocity-import-{db}"));
    std::fs::create_dir_all(&dir).unwrap();
    let run = |file: &std::path::Path, extra: &[&str]| {
        let mut args = vec!["import", "--file", file.to_str().unwrap()];
        args.extend_from_slice(extra);
        std::process::Command::new(env!("CARGO_BIN_EXE_velocity")).args(&args).env("DATABASE_URL", &url).env("RUST_LOG", "off").output().unwrap()
    };
    let good = dir.join("people.csv");
    std::fs::write(&good, "name,email\nAnn,ann@example.com\nBen,ben@example.com\n").unwrap();
    let out = run(&good, &["--kind", "persons"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["created"]["persons"], 2);
    assert_eq!(audit_source(&pool).await, vec!["migration".to_owned(); 2]);

    let bad = dir.join("org.json");
    std::fs::write(&bad, json!({"projects": [{"key": "OK", "name": "Fine"}, {"key": "X", "name": "Too short a key"}]}).to_string()).unwrap();
    let out = run(&bad, &[]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert_eq!(stderr.trim().lines().count(), 1, "one sentence: {stderr}");
    assert!(stderr.contains("nothing was imported"), "{stderr}");
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!((report["rejected"][0]["row"].as_i64(), report["rejected"][0]["field"].as_str()), (Some(2), Some("key")));
    assert_eq!(count(&pool, "projects").await, 0);
    assert!(!run(&good, &[]).status.success(), "a CSV file needs --kind");
    std::fs::remove_dir_all(&dir).ok();
}

async fn audit_source(pool: &PgPool) -> Vec<String> {
    sqlx::query_scalar("select source from audit_log order by id").fetch_all(pool).await.unwrap()
}

/// Regression: the import compared e-mails with `str::to_lowercase`, the database with
/// `lower(email)`; they disagree on a final capital sigma (`ΑΣ` → `ας` vs `ασ`) and on `İ`. An
/// existing person went unrecognised: importing them again ended in a bare 409 from the unique
/// index instead of a rejected row, and a project naming them as lead was refused ("no person").
#[sqlx::test(migrator = "velocity::store::MIGRATOR")]
async fn import_compares_emails_as_the_database_does(pool: PgPool) {
    let (app, _sim) = demo_app(&pool).await;
    let (status, body) = send(&app, Method::POST, "/api/persons", json!({"name": "Sigma", "email": "ΑΣ@sigma.example"})).await;
    assert_eq!(status, 201, "{body}");
    let sigma = body["id"].as_str().unwrap().to_owned();
    let (persons, audit_rows) = (count(&pool, "persons").await, count(&pool, "audit_log").await);

    let again = json!({"persons": [{"name": "Sigma again", "email": "ΑΣ@sigma.example"}]});
    let (status, body) = import(&app, "", "application/json", again.to_string()).await;
    assert_eq!(status, 422, "an existing person is a rejected row: {body}");
    assert_eq!((body["rejected"][0]["row"].as_i64(), body["rejected"][0]["field"].as_str()), (Some(1), Some("email")));
    assert!(body["rejected"][0]["message"].as_str().unwrap().contains(&sigma), "{body}");

    let twice = json!({"persons": [{"name": "One", "email": "İΣ@two.example"}, {"name": "Two", "email": "iσ@two.example"}]});
    let (status, body) = import(&app, "", "application/json", twice.to_string()).await;
    assert_eq!(status, 422, "the same e-mail twice in one import: {body}");
    assert_eq!((body["rejected"][0]["row"].as_i64(), body["rejected"][0]["field"].as_str()), (Some(2), Some("email")));

    // Lowercased by only one of Rust and the database (Unicode 16): whichever way they agree,
    // the row is refused by name, never a 409 for the whole import.
    send(&app, Method::POST, "/api/persons", json!({"name": "New letter", "email": "\u{A7CB}x@new.example"})).await;
    let (status, body) = import(&app, "", "application/json", json!({"persons": [{"name": "N", "email": "\u{A7CB}x@new.example"}]}).to_string()).await;
    assert_eq!((status, body["rejected"][0]["field"].as_str()), (422, Some("email")), "{body}");
    assert_eq!((count(&pool, "persons").await, count(&pool, "audit_log").await), (persons + 1, audit_rows + 1), "nothing imported");

    let lead = json!({"projects": [{"key": "SIGMA", "name": "Sigma", "leadEmail": "ΑΣ@SIGMA.example"}]});
    let (status, body) = import(&app, "", "application/json", lead.to_string()).await;
    assert_eq!(status, 201, "the existing person is the lead: {body}");
    assert_eq!(get(&app, "/api/projects/SIGMA").await.1["leadPersonId"], sigma.as_str());
}
