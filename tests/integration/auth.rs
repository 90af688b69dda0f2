//! Sign-in, sessions, CSRF, throttling and API tokens over HTTP.

use crate::helpers::{client_with_token, server_fn_path, spawn_app, TestApp};
use serde_json::{json, Value};
use sqlx::PgPool;
use velocity::auth::accounts::create_account;
use velocity::auth::Role;

const EMAIL: &str = "ann@velocity.test";
const PASSWORD: &str = "ann-password-42";

fn no_redirects() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

async fn with_ann(pool: &PgPool) -> TestApp {
    let app = spawn_app(pool.clone()).await;
    create_account(
        pool,
        EMAIL,
        Some("Ann"),
        Role::Member,
        Some(PASSWORD.into()),
    )
    .await
    .unwrap();
    app
}

/// Posts the login form as a browser without scripts would; returns the status and the session
/// cookie's `name=value` part, if one was set.
async fn login(
    app: &TestApp,
    cookie: Option<&str>,
    email: &str,
    password: &str,
) -> (u16, Option<String>, reqwest::Response) {
    let mut rb = no_redirects()
        .post(format!("{}/api/login", app.base))
        .header("accept", "text/html")
        .form(&[("email", email), ("password", password)]);
    if let Some(c) = cookie {
        rb = rb.header("cookie", c);
    }
    let r = rb.send().await.unwrap();
    let set = r
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("velocity_session="))
        .map(str::to_owned);
    (r.status().as_u16(), set, r)
}

/// Posts the login form as the hydrated page does (a server-function call that answers JSON),
/// so the status tells a refusal (401) from the throttle (429).
async fn login_json(app: &TestApp, email: &str, password: &str) -> reqwest::Response {
    no_redirects()
        .post(format!("{}/api/login", app.base))
        .header("accept", "application/json")
        .form(&[("email", email), ("password", password)])
        .send()
        .await
        .unwrap()
}

fn pair(set_cookie: &str) -> String {
    set_cookie.split(';').next().unwrap().to_owned()
}

async fn status_with_cookie(app: &TestApp, cookie: &str, path: &str) -> u16 {
    no_redirects()
        .get(format!("{}{path}", app.base))
        .header("cookie", cookie)
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

#[sqlx::test(migrator = "velocity::store::MIGRATOR")]
async fn sign_in_sets_a_safe_cookie_and_sign_out_ends_the_session(pool: PgPool) {
    let app = with_ann(&pool).await;
    let (status, set, _) = login(&app, None, EMAIL, PASSWORD).await;
    assert_eq!(status, 302);
    let set = set.expect("a session cookie");
    assert!(
        set.contains("HttpOnly") && set.contains("SameSite=Lax") && set.contains("Path=/"),
        "{set}"
    );
    assert!(!set.contains("Secure"), "plain http here");
    let cookie = pair(&set);
    assert_eq!(
        status_with_cookie(&app, &cookie, "/api/projects").await,
        200
    );
    assert_eq!(status_with_cookie(&app, &cookie, "/").await, 200);
    let me: Value = no_redirects()
        .post(format!("{}/api/current_user", app.base))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(me["email"], EMAIL);
    assert_eq!(me["role"], "member");

    let r = no_redirects()
        .post(format!("{}/api/logout", app.base))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap();
    assert!(r
        .headers()
        .get_all("set-cookie")
        .iter()
        .any(|v| v.to_str().unwrap().contains("Max-Age=0")));
    assert_eq!(
        status_with_cookie(&app, &cookie, "/api/projects").await,
        401
    );
    // Pages send the anonymous to the login page.
    let r = no_redirects()
        .get(format!("{}/", app.base))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 303);
    assert_eq!(r.headers()["location"], "/login");
}

#[sqlx::test(migrator = "velocity::store::MIGRATOR")]
async fn over_https_the_cookie_is_secure(pool: PgPool) {
    let app = with_ann(&pool).await;
    let r = no_redirects()
        .post(format!("{}/api/login", app.base))
        .header("accept", "text/html")
        .header("x-forwarded-proto", "https")
        .form(&[("email", EMAIL), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    let set: Vec<_> = r
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .collect();
    assert!(
        set.iter()
            .any(|c| c.starts_with("velocity_session=") && c.ends_with("Secure")),
        "{set:?}"
    );
}

#[sqlx::test(migrator = "velocity::store::MIGRATOR")]
async fn signing_in_cycles_the_session_id(pool: PgPool) {
    let app = with_ann(&pool).await;
    // A planted id is never accepted, and signing in with it does not adopt it.
    let planted = "velocity_session=planted-by-an-attacker";
    let (_, set, _) = login(&app, Some(planted), EMAIL, PASSWORD).await;
    let first = pair(&set.unwrap());
    assert_ne!(first, planted);
    assert_eq!(
        status_with_cookie(&app, planted, "/api/projects").await,
        401
    );
    // Signing in again with a live session replaces it; the old id stops working.
    let (_, set, _) = login(&app, Some(&first), EMAIL, PASSWORD).await;
    let second = pair(&set.unwrap());
    assert_ne!(first, second);
    assert_eq!(status_with_cookie(&app, &first, "/api/projects").await, 401);
    assert_eq!(
        status_with_cookie(&app, &second, "/api/projects").await,
        200
    );
}

#[sqlx::test(migrator = "velocity::store::MIGRATOR")]
async fn wrong_passwords_are_throttled(pool: PgPool) {
    let app = with_ann(&pool).await;
    for _ in 0..velocity::auth::throttle::MAX_FAILURES {
        let r = login_json(&app, EMAIL, "wrong-password").await;
        assert_eq!(r.status(), 401);
        assert!(r.headers().get("set-cookie").is_none());
    }
    // Even the right password is refused until the window passes.
    let r = login_json(&app, EMAIL, PASSWORD).await;
    assert_eq!(r.status(), 429);
    assert!(r.headers().get("set-cookie").is_none());
    let retry: u64 = r.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(retry > 0 && retry <= 900, "{retry}");
    // Another account is not affected.
    create_account(
        &pool,
        "bob@velocity.test",
        Some("Bob"),
        Role::Member,
        Some(PASSWORD.into()),
    )
    .await
    .unwrap();
    assert_eq!(
        login(&app, None, "bob@velocity.test", PASSWORD).await.0,
        302
    );
}

/// Attempts sent at once are counted before their passwords are checked, so a burst cannot get
/// more wrong guesses through than the limit.
#[sqlx::test(migrator = "velocity::store::MIGRATOR")]
async fn parallel_wrong_passwords_cannot_pass_the_limit(pool: PgPool) {
    let app = with_ann(&pool).await;
    let limit = velocity::auth::throttle::MAX_FAILURES as usize;
    let attempts = (0..limit * 4).map(|_| login_json(&app, EMAIL, "wrong-password"));
    let statuses: Vec<u16> = futures_util::future::join_all(attempts).await.into_iter().map(|r| r.status().as_u16()).collect();
    assert_eq!(statuses.iter().filter(|s| **s == 401).count(), limit, "{statuses:?}");
    assert_eq!(statuses.iter().filter(|s| **s == 429).count(), limit * 3, "{statuses:?}");
}

#[sqlx::test(migrator = "velocity::store::MIGRATOR")]
async fn cross_site_requests_with_a_cookie_are_refused(pool: PgPool) {
    let app = with_ann(&pool).await;
    let cookie = pair(&login(&app, None, EMAIL, PASSWORD).await.1.unwrap());
    let post = |headers: Vec<(&'static str, &'static str)>| {
        let mut rb = no_redirects()
            .post(format!(
                "{}{}",
                app.base,
                server_fn_path("/api/load_directory")
            ))
            .header("cookie", &cookie)
            .header("accept", "application/json");
        for (k, v) in headers {
            rb = rb.header(k, v);
        }
        async move { rb.send().await.unwrap().status().as_u16() }
    };
    assert_eq!(post(vec![("sec-fetch-site", "cross-site")]).await, 403);
    assert_eq!(post(vec![("origin", "https://evil.example")]).await, 403);
    assert_eq!(post(vec![("sec-fetch-site", "same-origin")]).await, 200);
    // Login CSRF too: a cross-site form cannot sign the browser in.
    let r = no_redirects()
        .post(format!("{}/api/login", app.base))
        .header("sec-fetch-site", "cross-site")
        .form(&[("email", EMAIL), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 403);
    // Token requests carry no ambient credential and are exempt.
    let r = app
        .http
        .post(format!(
            "{}{}",
            app.base,
            server_fn_path("/api/load_directory")
        ))
        .header("sec-fetch-site", "cross-site")
        .header("accept", "application/json")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    // CORS is closed: no cross-origin read is granted.
    let r = app
        .http
        .get(format!("{}/api/projects", app.base))
        .header("origin", "https://evil.example")
        .send()
        .await
        .unwrap();
    assert!(r.headers().get("access-control-allow-origin").is_none());
}

#[sqlx::test(migrator = "velocity::store::MIGRATOR")]
async fn tokens_are_shown_once_listed_without_secret_and_revocable(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let r = app
        .http
        .post(format!("{}/api/tokens", app.base))
        .json(&json!({"name": "ci"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 201);
    let created: Value = r.json().await.unwrap();
    let token = created["token"].as_str().unwrap().to_owned();
    assert!(token.starts_with("vlc_"));
    let stored: Vec<Vec<u8>> = sqlx::query_scalar("select token_hash from api_tokens")
        .fetch_all(&pool)
        .await
        .unwrap();
    assert!(stored
        .iter()
        .all(|h| h.len() == 32 && !String::from_utf8_lossy(h).contains(&token)));

    let theirs = client_with_token(&token);
    assert_eq!(
        theirs
            .get(format!("{}/api/projects", app.base))
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
    let listed: Value = app
        .http
        .get(format!("{}/api/tokens", app.base))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let ci = listed
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["name"] == "ci")
        .unwrap();
    assert!(ci.get("token").is_none());
    assert!(ci["lastUsedAt"].is_string(), "{ci}");

    let id = created["id"].as_str().unwrap();
    let r = app
        .http
        .delete(format!("{}/api/tokens/{id}", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let revoked: Value = r.json().await.unwrap();
    assert!(revoked["revokedAt"].is_string());
    let r = theirs
        .get(format!("{}/api/projects", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["error"]["code"], "unauthorized");
}

#[sqlx::test(migrator = "velocity::store::MIGRATOR")]
async fn new_endpoints_answer_4xx_for_bad_input(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let cases = [
        (
            app.http
                .post(format!("{}/api/tokens", app.base))
                .json(&json!({"name": ""})),
            400,
        ),
        (
            app.http
                .post(format!("{}/api/tokens", app.base))
                .json(&json!({"name": "x", "scope": "all"})),
            400,
        ),
        (
            app.http
                .post(format!("{}/api/tokens", app.base))
                .body("not json")
                .header("content-type", "application/json"),
            400,
        ),
        (
            app.http
                .delete(format!("{}/api/tokens/not-a-uuid", app.base)),
            400,
        ),
        (
            app.http
                .delete(format!("{}/api/tokens/{}", app.base, uuid::Uuid::new_v4())),
            404,
        ),
        (app.anonymous.get(format!("{}/api/tokens", app.base)), 401),
        (
            app.anonymous
                .get(format!("{}/api/tokens", app.base))
                .header("authorization", "Basic abc"),
            401,
        ),
        (
            no_redirects()
                .post(format!("{}/api/login", app.base))
                .form(&[
                    ("email", "nobody@velocity.test"),
                    ("password", "whatever-it-is"),
                ]),
            401,
        ),
    ];
    for (rb, want) in cases {
        let r = rb.send().await.unwrap();
        let status = r.status().as_u16();
        let body = r.text().await.unwrap();
        assert_eq!(status, want, "{body}");
        // REST answers {"error": {"code", …}}; server functions their ApiError {"code", …}.
        assert!(body.contains("\"code\""), "{body}");
    }
    // Public paths stay public.
    assert_eq!(
        app.anonymous
            .get(format!("{}/health", app.base))
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
    assert_eq!(
        app.anonymous
            .get(format!("{}/api/openapi.json", app.base))
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
    assert_eq!(
        no_redirects()
            .get(format!("{}/login", app.base))
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
}

#[sqlx::test(migrator = "velocity::store::MIGRATOR")]
async fn the_password_is_never_logged_stored_or_answered(pool: PgPool) {
    let app = with_ann(&pool).await;
    let ann: uuid::Uuid = sqlx::query_scalar("select id from persons where email = $1")
        .bind(EMAIL)
        .fetch_one(&pool)
        .await
        .unwrap();
    let (status, _, r) = login(&app, None, EMAIL, PASSWORD).await;
    assert_eq!(status, 302, "the right password signs in");
    let body = r.text().await.unwrap();
    let wrong = login_json(&app, EMAIL, "Wrong-Secret-123").await;
    assert_eq!(wrong.status(), 401, "the wrong one does not");
    let wrong_body = wrong.text().await.unwrap();
    // Every test's logs, not only this one's: no test may see a password logged.
    let logged = crate::helpers::captured_logs();
    assert!(
        logged.lines().any(|l| l.contains("signed in") && l.contains(&ann.to_string())),
        "the test sees the server's logs"
    );
    for secret in [PASSWORD, "Wrong-Secret-123"] {
        assert!(!logged.contains(secret), "password in the logs");
        assert!(
            !body.contains(secret) && !wrong_body.contains(secret),
            "password in a response"
        );
    }
    let hashes: Vec<String> = sqlx::query_scalar("select password_hash from accounts")
        .fetch_all(&pool)
        .await
        .unwrap();
    assert!(hashes
        .iter()
        .all(|h| h.starts_with("$argon2id$") && !h.contains(PASSWORD)));
}

#[sqlx::test(migrator = "velocity::store::MIGRATOR")]
async fn connection_credentials_are_unreadable_in_the_database(pool: PgPool) {
    let (_app, sim) = crate::helpers::demo_app(&pool).await;
    let secrets = [sim.urls.credentials.jira_token.clone(), sim.urls.credentials.github_token.clone(), sim.urls.credentials.slack_token.clone()];
    let stored: Vec<Vec<u8>> = sqlx::query_scalar("select credentials from connections").fetch_all(&pool).await.unwrap();
    assert_eq!(stored.len(), 5);
    for bytes in &stored {
        let text = String::from_utf8_lossy(bytes);
        assert!(bytes.starts_with(b"v1") && !text.contains("token"), "{text}");
        assert!(serde_json::from_slice::<Value>(bytes).is_err(), "not plain JSON");
        for s in &secrets {
            assert!(!text.contains(s.as_str()));
        }
    }
    // The app still reads them (and the upstream look-ups in the other tests authenticate).
    let connections = velocity::store::connections::list_connections(&pool).await.unwrap();
    let jira = connections.iter().find(|c| c.kind == "jira").unwrap();
    use secrecy::ExposeSecret;
    assert_eq!(jira.credentials.as_ref().unwrap().token.expose_secret(), sim.urls.credentials.jira_token);
    assert!(!format!("{jira:?}").contains(&sim.urls.credentials.jira_token), "Debug never prints the token");
    // A ciphertext moved onto another connection does not decrypt.
    sqlx::query("update connections set credentials = (select credentials from connections where kind = 'jira') where kind = 'slack'").execute(&pool).await.unwrap();
    assert!(velocity::store::connections::list_connections(&pool).await.is_err());
}

/// A browser without scripts posts the plain form: a refusal goes back to the login page, which
/// shows why (not the JSON a script would read), and sets no session.
#[sqlx::test(migrator = "velocity::store::MIGRATOR")]
async fn a_refused_sign_in_without_scripts_shows_its_error_on_the_login_page(pool: PgPool) {
    let app = with_ann(&pool).await;
    let r = no_redirects()
        .post(format!("{}/api/login", app.base))
        .header("accept", "text/html")
        .header("referer", format!("{}/login", app.base))
        .form(&[("email", EMAIL), ("password", "not-the-password")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 302);
    assert!(r.headers().get("set-cookie").is_none());
    let back = r.headers()["location"].to_str().unwrap().to_owned();
    assert!(back.starts_with(&format!("{}/login?", app.base)) && back.contains("__err="), "{back}");
    let page = no_redirects().get(&back).send().await.unwrap();
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(html.contains("role=\"alert\"") && html.contains("wrong e-mail or password"), "{html}");
}
