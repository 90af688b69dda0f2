//! The Slack simulator over real HTTP: auth errors as `ok: false`, cursor paging, email lookup,
//! `auth.test`, and the bot token's scopes (`missing_scope`, addresses hidden without
//! `users:read.email`).

use crate::helpers::start_sim;
use serde_json::Value;
use velocity::sim::org::OrgSize;

#[tokio::test]
async fn users_list_pages_with_cursors_and_lookup_by_email() {
    let sim = start_sim(OrgSize::S, 5).await;
    let http = reqwest::Client::new();
    let token = &sim.urls.credentials.slack_token;
    let base = &sim.urls.slack;

    let unauth: Value = http.get(format!("{base}/api/users.list")).send().await.unwrap().json().await.unwrap();
    assert_eq!((unauth["ok"].as_bool(), unauth["error"].as_str()), (Some(false), Some("not_authed")));
    let wrong: Value = http.get(format!("{base}/api/users.list")).bearer_auth("xoxb-wrong").send().await.unwrap().json().await.unwrap();
    assert_eq!(wrong["error"], "invalid_auth");

    let mut cursor = String::new();
    let mut ids = Vec::new();
    loop {
        let page: Value = http
            .post(format!("{base}/api/users.list"))
            .bearer_auth(token)
            .form(&[("limit", "7"), ("cursor", cursor.as_str())])
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(page["ok"], true);
        let members = page["members"].as_array().unwrap();
        assert!(members.len() <= 7);
        ids.extend(members.iter().map(|m| m["id"].as_str().unwrap().to_owned()));
        cursor = page["response_metadata"]["next_cursor"].as_str().unwrap().to_owned();
        if cursor.is_empty() {
            break;
        }
    }
    assert_eq!(ids.len(), sim.state.read().slack.users.len(), "every member exactly once");
    let bad: Value = http.get(format!("{base}/api/users.list?cursor=bogus")).bearer_auth(token).send().await.unwrap().json().await.unwrap();
    assert_eq!(bad["error"], "invalid_cursor");

    let email = sim.state.read().slack.users.iter().find_map(|u| u.email.clone()).unwrap();
    let found: Value = http.get(format!("{base}/api/users.lookupByEmail")).query(&[("email", email.to_uppercase())]).bearer_auth(token).send().await.unwrap().json().await.unwrap();
    assert_eq!(found["user"]["profile"]["email"], email.as_str());
    let none: Value = http.get(format!("{base}/api/users.lookupByEmail?email=nobody@nowhere.test")).bearer_auth(token).send().await.unwrap().json().await.unwrap();
    assert_eq!(none["error"], "users_not_found");
}

#[tokio::test]
async fn auth_test_says_who_the_bot_token_is_and_its_scopes() {
    let sim = start_sim(OrgSize::S, 5).await;
    let http = reqwest::Client::new();
    let url = format!("{}/api/auth.test", sim.urls.slack);
    let response = http.post(&url).bearer_auth(&sim.urls.credentials.slack_token).send().await.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["x-oauth-scopes"], "users:read,users:read.email");
    let me: Value = response.json().await.unwrap();
    assert_eq!((me["ok"].as_bool(), me["url"].as_str(), me["team"].as_str()), (Some(true), Some("https://acme.slack.com/"), Some("Acme")));
    assert_eq!(me["team_id"].as_str(), Some(sim.state.read().slack.team_id.as_str()));
    assert!(me["user"].is_string() && me["user_id"].as_str().unwrap().starts_with('U') && me["bot_id"].as_str().unwrap().starts_with('B'));
    assert_eq!(me["is_enterprise_install"], false);
    let form: Value = http.post(&url).form(&[("token", sim.urls.credentials.slack_token.as_str())]).send().await.unwrap().json().await.unwrap();
    assert_eq!(form["ok"], true, "the token as a form field");

    let wrong = http.get(&url).bearer_auth("xoxb-wrong").send().await.unwrap();
    assert_eq!(wrong.status(), 200, "Slack answers 200 to a bad token");
    assert!(!wrong.headers().contains_key("x-oauth-scopes"));
    assert_eq!(wrong.json::<Value>().await.unwrap(), serde_json::json!({"ok": false, "error": "invalid_auth"}));
    let none: Value = http.get(&url).send().await.unwrap().json().await.unwrap();
    assert_eq!(none["error"], "not_authed");
}

#[tokio::test]
async fn without_users_read_email_users_come_without_email_and_lookup_is_missing_scope() {
    let sim = start_sim(OrgSize::S, 5).await;
    let http = reqwest::Client::new();
    let (base, token) = (&sim.urls.slack, &sim.urls.credentials.slack_token);
    let get = |method: &str| http.get(format!("{base}/api/{method}")).bearer_auth(token);
    let (id, email) = sim.state.read().slack.users.iter().find_map(|u| u.email.clone().map(|e| (u.id.clone(), e))).unwrap();

    crate::helpers::set_scopes(&sim, "slack", &["users:read"]).await;
    let list = get("users.list").send().await.unwrap();
    assert_eq!(list.headers()["x-oauth-scopes"], "users:read");
    let list: Value = list.json().await.unwrap();
    assert_eq!(list["ok"], true);
    let members = list["members"].as_array().unwrap();
    assert!(!members.is_empty() && members.iter().all(|m| m["profile"].get("email").is_none()), "users:read without users:read.email hides every address");
    let info: Value = get("users.info").query(&[("user", id.as_str())]).send().await.unwrap().json().await.unwrap();
    assert_eq!(info["ok"], true);
    assert!(info["user"]["profile"].get("email").is_none());
    let lookup = get("users.lookupByEmail").query(&[("email", email.as_str())]).send().await.unwrap();
    assert_eq!(lookup.status(), 200);
    assert_eq!(lookup.headers()["x-accepted-oauth-scopes"], "users:read.email");
    let expected = serde_json::json!({"ok": false, "error": "missing_scope", "needed": "users:read.email", "provided": "users:read"});
    assert_eq!(lookup.json::<Value>().await.unwrap(), expected);

    crate::helpers::set_scopes(&sim, "slack", &["users:read.email"]).await;
    let list: Value = get("users.list").send().await.unwrap().json().await.unwrap();
    assert_eq!(list, serde_json::json!({"ok": false, "error": "missing_scope", "needed": "users:read", "provided": "users:read.email"}));
    let found: Value = get("users.lookupByEmail").query(&[("email", email.as_str())]).send().await.unwrap().json().await.unwrap();
    assert_eq!(found["user"]["profile"]["email"], email.as_str());
    assert_eq!(get("auth.test").send().await.unwrap().json::<Value>().await.unwrap()["ok"], true, "auth.test needs no scope");

    crate::helpers::set_scopes(&sim, "slack", &["users:read", "users:read.email"]).await;
    let info: Value = get("users.info").query(&[("user", id.as_str())]).send().await.unwrap().json().await.unwrap();
    assert_eq!(info["user"]["profile"]["email"], email.as_str());
}
