//! Issue 18: what an attacker or a busy team found — sign-in floods, pages of unknown
//! entities, concurrent link changes, bad server-function input, the busy-scope 409, CSV
//! formula injection, security headers and JSON errors for every `/api/*` answer.

use crate::helpers::{demo_app, server_fn_path, spawn_app, TestApp};
use serde_json::{json, Value};
use sqlx::PgPool;
use std::net::{IpAddr, Ipv4Addr};

/// A client whose requests leave from this loopback address: another client to the server.
fn client_from(last: u8) -> reqwest::Client {
    reqwest::Client::builder()
        .local_address(IpAddr::V4(Ipv4Addr::new(127, 0, 0, last)))
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

async fn sign_in(client: &reqwest::Client, app: &TestApp, email: &str, password: &str) -> (u16, Value, Option<String>) {
    let r = client
        .post(format!("{}/api/login", app.base))
        .header("accept", "application/json")
        .form(&[("email", email), ("password", password)])
        .send()
        .await
        .unwrap();
    let status = r.status().as_u16();
    let retry_after = r.headers().get("retry-after").map(|v| v.to_str().unwrap().to_owned());
    (status, r.json().await.unwrap_or(Value::Null), retry_after)
}

#[sqlx::test(migrator = "velocity::store::MIGRATOR")]
async fn a_flood_of_anonymous_sign_ins_from_one_client_is_refused_with_429(pool: PgPool) {
    let app = spawn_app(pool).await;
    let client = client_from(1);
    let attempts: Vec<_> = (0..40)
        .map(|i| {
            let (client, app_base) = (client.clone(), app.base.clone());
            tokio::spawn(async move {
                let r = client
                    .post(format!("{app_base}/api/login"))
                    .header("accept", "application/json")
                    .form(&[("email", format!("random-{i}@flood.test")), ("password", "wrong password".into())])
                    .send()
                    .await
                    .unwrap();
                (r.status().as_u16(), r.json::<Value>().await.unwrap_or(Value::Null))
            })
        })
        .collect();
    let mut statuses = std::collections::BTreeMap::new();
    for a in attempts {
        let (status, body) = a.await.unwrap();
        *statuses.entry(status).or_insert(0) += 1;
        if status == 429 {
            assert_eq!(body["error"]["code"], "too_many_requests", "{body}");
            assert!(body["error"]["message"].as_str().unwrap().contains("from your address"), "{body}");
        }
    }
    // Random e-mails never trip the per-e-mail count; the per-client limit does.
    assert_eq!(statuses.get(&401), Some(&20), "{statuses:?}");
    assert_eq!(statuses.get(&429), Some(&20), "{statuses:?}");
    // Another client is not held back by the first one's flood.
    let (status, _, _) = sign_in(&client_from(2), &app, crate::helpers::TEST_ADMIN_EMAIL, "test-admin-password").await;
    assert_eq!(status, 200, "a JSON sign-in that succeeds is 200 with its cookie");
}

#[sqlx::test(migrator = "velocity::store::MIGRATOR")]
async fn wrong_passwords_from_one_client_do_not_lock_the_owner_out(pool: PgPool) {
    let app = spawn_app(pool).await;
    let (guesser, owner) = (client_from(3), client_from(4));
    let email = crate::helpers::TEST_ADMIN_EMAIL;
    for _ in 0..5 {
        let (status, _, _) = sign_in(&guesser, &app, email, "a wrong guess").await;
        assert_eq!(status, 401);
    }
    let (status, body, retry_after) = sign_in(&guesser, &app, email, "test-admin-password").await;
    assert_eq!(status, 429, "the guesser is refused even with the right password: {body}");
    assert!(retry_after.is_some_and(|s| s.parse::<u64>().unwrap() > 0));
    let (status, body, _) = sign_in(&owner, &app, email, "test-admin-password").await;
    assert_eq!(status, 200, "the owner, from a client that has not failed, signs in: {body}");
    let (status, _, _) = sign_in(&guesser, &app, email, "another guess").await;
    assert_eq!(status, 429, "the owner's success does not forgive the guesser");
}

#[sqlx::test(migrator = "velocity::store::MIGRATOR")]
async fn oversized_sign_in_input_is_refused_before_it_is_hashed(pool: PgPool) {
    let app = spawn_app(pool).await;
    let client = client_from(5);
    let (status, body, _) = sign_in(&client, &app, &"a".repeat(10_000_000), "x").await;
    assert_eq!((status, body["error"]["details"]["field"].as_str()), (400, Some("email")), "{body}");
    let (status, body, _) = sign_in(&client, &app, "a@b.test", &"p".repeat(5_000)).await;
    assert_eq!((status, body["error"]["details"]["field"].as_str()), (400, Some("password")), "{body}");
    let r = client.post(format!("{}/api/login", app.base)).header("content-type", "application/x-www-form-urlencoded").body(vec![b'a'; 17 * 1024 * 1024]).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 413);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["error"]["code"], "payload_too_large", "{body}");
}

#[sqlx::test(migrator = "velocity::store::MIGRATOR")]
async fn pages_of_unknown_entities_are_the_not_found_page_with_404(pool: PgPool) {
    let (app, _sim) = demo_app(&pool).await;
    for path in ["/projects/NOPE".to_owned(), format!("/people/{}", uuid::Uuid::new_v4())] {
        let r = app.get(&path).await;
        assert_eq!(r.status().as_u16(), 404, "{path}");
        let html = r.text().await.unwrap();
        assert!(html.contains("Page not found"), "{path}: {html}");
    }
    // The server function behind the page answers our error, not a serialisation failure.
    let r = app.http.post(format!("{}{}", app.base, server_fn_path("/api/person_page"))).form(&[("id", uuid::Uuid::new_v4().to_string())]).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 404);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["error"]["code"], "not_found", "{body}");
}

#[sqlx::test(migrator = "velocity::store::MIGRATOR")]
async fn bad_server_function_input_is_400_with_our_error(pool: PgPool) {
    let (app, _sim) = demo_app(&pool).await;
    let url = format!("{}{}", app.base, server_fn_path("/api/person_page"));
    let r = app.http.post(&url).form(&[("id", "' OR '1'='1")]).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 400);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["error"]["code"], "invalid", "{body}");
    let r = app.http.post(&url).header("content-type", "application/x-www-form-urlencoded").body(vec![b'i', b'd', b'=', 0xff, 0xfe]).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 400);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["error"]["code"], "invalid", "{body}");
}

#[sqlx::test(migrator = "velocity::store::MIGRATOR")]
async fn every_api_error_is_our_json(pool: PgPool) {
    let (app, _sim) = demo_app(&pool).await;
    let r = app.get("/api/no-such-route").await;
    assert_eq!(r.status().as_u16(), 404);
    assert!(r.headers()["content-type"].to_str().unwrap().starts_with("application/json"));
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["error"]["code"], "not_found", "{body}");
    let r = app.get("/api/projects/%FF%FE").await;
    assert_eq!(r.status().as_u16(), 400, "a path that is not UTF-8");
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["error"]["code"], "invalid", "{body}");
    for path in ["/api/links/validate", "/api/projects/PLATFORM/links/jira"] {
        let r = app.http.post(format!("{}{path}", app.base)).header("content-type", "application/json").body(vec![b' '; 17 * 1024 * 1024]).send().await.unwrap();
        assert_eq!(r.status().as_u16(), 413, "{path}");
        let body: Value = r.json().await.unwrap();
        assert_eq!(body["error"]["code"], "payload_too_large", "{path}: {body}");
    }
    let r = app.http.delete(format!("{}/api/projects", app.base)).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 405);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["error"]["code"], "method_not_allowed", "{body}");
}

async fn send(app: &TestApp, method: reqwest::Method, path: &str, body: Option<Value>) -> (u16, Value) {
    let mut rb = app.http.request(method, format!("{}{path}", app.base));
    if let Some(b) = body {
        rb = rb.json(&b);
    }
    let r = rb.send().await.unwrap();
    (r.status().as_u16(), r.json().await.unwrap_or(Value::Null))
}

/// Exactly one primary among the active links of each platform that has any; none inactive.
fn primaries_are_consistent(links: &Value) -> Result<(), String> {
    for (list, platform_of) in [("jiraProjects", None), ("repositories", Some("platform"))] {
        let rows = links[list].as_array().cloned().unwrap_or_default();
        let mut platforms: Vec<String> = rows.iter().map(|r| platform_of.map_or("jira".into(), |p| r[p].as_str().unwrap().to_owned())).collect();
        platforms.dedup();
        for platform in platforms {
            let of: Vec<&Value> = rows.iter().filter(|r| platform_of.map_or("jira".into(), |p| r[p].as_str().unwrap().to_owned()) == platform).collect();
            let active = of.iter().filter(|r| r["active"] == true).count();
            let primary = of.iter().filter(|r| r["isPrimary"] == true).count();
            if of.iter().any(|r| r["isPrimary"] == true && r["active"] == false) || primary != usize::from(active > 0) {
                return Err(format!("{platform}: {active} active, {primary} primary: {links}"));
            }
        }
    }
    Ok(())
}

#[sqlx::test(migrator = "velocity::store::MIGRATOR")]
async fn concurrent_link_changes_never_deadlock_and_keep_one_primary(pool: PgPool) {
    let (app, _sim) = demo_app(&pool).await;
    let (_, mobile) = send(&app, reqwest::Method::GET, "/api/projects/MOBILE/links", None).await;
    let id = |slug: &str| mobile["repositories"].as_array().unwrap().iter().find(|r| r["slug"] == slug).unwrap()["id"].as_str().unwrap().to_owned();
    let (a, b) = (id("mobile-app-ios"), id("mobile-app-android"));
    for round in 0..12 {
        let (_, now) = send(&app, reqwest::Method::GET, "/api/projects/MOBILE/links", None).await;
        let ops_link = now["jiraProjects"].as_array().unwrap().iter().find(|l| l["key"] == "OPS").map(|l| l["id"].as_str().unwrap().to_owned());
        let mut requests: Vec<(reqwest::Method, String, Option<Value>)> = vec![
            (reqwest::Method::PUT, format!("/api/projects/MOBILE/links/{a}"), Some(json!({"isPrimary": true}))),
            (reqwest::Method::PUT, format!("/api/projects/MOBILE/links/{b}"), Some(json!({"isPrimary": true}))),
            (reqwest::Method::PUT, format!("/api/projects/MOBILE/links/{a}"), Some(json!({"active": round % 3 != 0}))),
            (reqwest::Method::PUT, format!("/api/projects/MOBILE/links/{b}"), Some(json!({"active": round % 4 != 1}))),
            (reqwest::Method::PUT, format!("/api/projects/MOBILE/links/{a}"), Some(json!({"active": true}))),
        ];
        requests.push(match ops_link {
            None => (reqwest::Method::POST, "/api/projects/MOBILE/links/jira".into(), Some(json!({"project": "OPS", "acknowledgeWarnings": true}))),
            Some(link) => (reqwest::Method::DELETE, format!("/api/projects/MOBILE/links/{link}"), None),
        });
        let calls: Vec<_> = requests
            .into_iter()
            .map(|(method, path, body)| {
                let app = TestApp { base: app.base.clone(), http: app.http.clone(), anonymous: app.anonymous.clone(), pool: app.pool.clone() };
                tokio::spawn(async move { (path.clone(), send(&app, method, &path, body).await) })
            })
            .collect();
        for call in calls {
            let (path, (status, body)) = call.await.unwrap();
            assert!(status < 500, "round {round}, {path}: {status} {body}");
        }
        let (_, after) = send(&app, reqwest::Method::GET, "/api/projects/MOBILE/links", None).await;
        primaries_are_consistent(&after).unwrap_or_else(|e| panic!("round {round}: {e}"));
    }
}

#[sqlx::test(migrator = "velocity::store::MIGRATOR")]
async fn a_busy_scope_always_names_its_run(pool: PgPool) {
    let (app, _sim) = demo_app(&pool).await;
    for burst in 0..5 {
        let calls: Vec<_> = (0..6)
            .map(|_| {
                let (http, base) = (app.http.clone(), app.base.clone());
                tokio::spawn(async move {
                    let r = http.post(format!("{base}/api/sync/runs")).json(&json!({"project": "MOBILE"})).send().await.unwrap();
                    (r.status().as_u16(), r.json::<Value>().await.unwrap())
                })
            })
            .collect();
        for call in calls {
            let (status, body) = call.await.unwrap();
            match status {
                202 => {}
                409 => assert!(body["error"]["details"]["runId"].is_i64(), "burst {burst}: {body}"),
                other => panic!("burst {burst}: {other} {body}"),
            }
        }
        // Let this burst's run end before the next.
        for _ in 0..200 {
            let running: i64 = sqlx::query_scalar("select count(*) from sync_runs where status = 'running'").fetch_one(&pool).await.unwrap();
            if running == 0 {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
    }
}

#[sqlx::test(migrator = "velocity::store::MIGRATOR")]
async fn csv_exports_defuse_formulas_and_import_them_back(pool: PgPool) {
    let (app, _sim) = demo_app(&pool).await;
    let name = "=HYPERLINK(\"http://evil.test\",\"click\")";
    let (status, body) = send(&app, reqwest::Method::POST, "/api/projects", Some(json!({"key": "FORMULA", "name": name, "description": "@SUM(A1)"}))).await;
    assert_eq!(status, 201, "{body}");
    let csv = app.get("/api/export?kind=projects&format=csv").await.text().await.unwrap();
    let line = csv.lines().find(|l| l.starts_with("FORMULA,")).unwrap_or_else(|| panic!("{csv}"));
    assert!(line.contains("\"'=HYPERLINK(\"\"http://evil.test\"\",\"\"click\"\")\""), "{line}");
    assert!(line.contains(",'@SUM(A1),"), "{line}");
    assert!(!csv.lines().any(|l| l.split(',').any(|cell| cell.starts_with('=') || cell.starts_with('@'))), "{csv}");
    // The exported row, imported under another key, gives back the same name and description.
    let header = csv.lines().next().unwrap();
    let copy = line.replacen("FORMULA,", "FORMULA2,", 1);
    let r = app.http.post(format!("{}/api/import?kind=projects", app.base)).header("content-type", "text/csv").body(format!("{header}\n{copy}\n")).send().await.unwrap();
    assert!(r.status().is_success(), "{}", r.text().await.unwrap());
    let (_, project) = send(&app, reqwest::Method::GET, "/api/projects/FORMULA2", None).await;
    assert_eq!((project["name"].as_str(), project["description"].as_str()), (Some(name), Some("@SUM(A1)")), "{project}");
}

#[sqlx::test(migrator = "velocity::store::MIGRATOR")]
async fn pages_and_api_answers_carry_security_headers(pool: PgPool) {
    let (app, _sim) = demo_app(&pool).await;
    let r = app.get("/projects").await;
    assert_eq!(r.status().as_u16(), 200);
    let headers = r.headers().clone();
    for (name, want) in [("x-content-type-options", "nosniff"), ("x-frame-options", "DENY"), ("referrer-policy", "same-origin")] {
        assert_eq!(headers[name].to_str().unwrap(), want, "{name}");
    }
    let policy = headers["content-security-policy"].to_str().unwrap().to_owned();
    let nonce = policy.split("'nonce-").nth(1).and_then(|rest| rest.split('\'').next()).unwrap_or_else(|| panic!("{policy}"));
    assert!(policy.contains("frame-ancestors 'none'") && policy.contains("'wasm-unsafe-eval'"), "{policy}");
    let html = r.text().await.unwrap();
    assert!(html.contains(&format!("nonce=\"{nonce}\"")), "the hydration script carries the policy's nonce");
    let r = app.get("/api/projects").await;
    assert_eq!(r.headers()["content-security-policy"].to_str().unwrap(), "default-src 'none'; frame-ancestors 'none'");
    assert_eq!(r.headers()["x-content-type-options"].to_str().unwrap(), "nosniff");
}
