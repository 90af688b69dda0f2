//! The admin API: counters, scripted and rate-based faults with each platform's semantics,
//! token scopes, and validation of bad admin input.

use crate::helpers::start_sim;
use serde_json::{json, Value};
use velocity::sim::org::OrgSize;

#[tokio::test]
async fn counters_count_per_simulator_and_route() {
    let sim = start_sim(OrgSize::S, 1).await;
    let http = reqwest::Client::new();
    let c = &sim.urls.credentials;
    for _ in 0..3 {
        http.get(format!("{}/rest/api/3/project/MOBILE", sim.urls.jira)).basic_auth(&c.jira_email, Some(&c.jira_token)).send().await.unwrap();
    }
    let counters: Value = http.get(format!("{}/counters", sim.urls.admin)).send().await.unwrap().json().await.unwrap();
    assert_eq!(counters["bySimulator"]["jira"]["GET /rest/api/3/project/{id_or_key}"], 3);
    assert_eq!(counters["total"], 3);
    http.delete(format!("{}/counters", sim.urls.admin)).send().await.unwrap();
    let counters: Value = http.get(format!("{}/counters", sim.urls.admin)).send().await.unwrap().json().await.unwrap();
    assert_eq!(counters["total"], 0);
}

#[tokio::test]
async fn scripted_faults_have_each_platforms_shape_then_service_resumes() {
    let sim = start_sim(OrgSize::S, 1).await;
    let http = reqwest::Client::new();
    let c = &sim.urls.credentials;
    let admin = &sim.urls.admin;
    http.post(format!("{admin}/faults/jira/next")).json(&json!({"kind": "rate_limit"})).send().await.unwrap();
    let jira = || http.get(format!("{}/rest/api/3/project/MOBILE", sim.urls.jira)).basic_auth(&c.jira_email, Some(&c.jira_token));
    let limited = jira().send().await.unwrap();
    assert_eq!(limited.status(), 429);
    assert_eq!(limited.headers()["retry-after"], "1");
    assert!(limited.headers().contains_key("x-ratelimit-reset"));
    assert_eq!(jira().send().await.unwrap().status(), 200, "one scripted fault, then normal");

    http.post(format!("{admin}/faults/github/next")).json(&json!({"kind": "rate_limit"})).send().await.unwrap();
    let gh = http.get(format!("{}/orgs/acme-inc/repos", sim.urls.github)).bearer_auth(&c.github_token).send().await.unwrap();
    assert_eq!(gh.status(), 403);
    assert_eq!(gh.headers()["x-ratelimit-remaining"], "0");

    http.post(format!("{admin}/faults/slack/next")).json(&json!({"kind": "malformed"})).send().await.unwrap();
    let text = http.get(format!("{}/api/users.list", sim.urls.slack)).bearer_auth(&c.slack_token).send().await.unwrap().text().await.unwrap();
    assert!(serde_json::from_str::<Value>(&text).is_err(), "truncated JSON: {text}");

    http.post(format!("{admin}/faults/jira/next")).json(&json!({"kind": "server_error", "count": 2})).send().await.unwrap();
    assert_eq!(jira().send().await.unwrap().status(), 503);
    assert_eq!(jira().send().await.unwrap().status(), 503);
    assert_eq!(jira().send().await.unwrap().status(), 200);

    http.post(format!("{admin}/faults/jira/next")).json(&json!({"kind": "reset"})).send().await.unwrap();
    let reset = match jira().send().await {
        Err(e) => e.is_body() || e.is_request(),
        Ok(r) => r.bytes().await.is_err(),
    };
    assert!(reset, "a reset fault breaks the transfer");
}

#[tokio::test]
async fn rate_based_faults_follow_their_rate() {
    let sim = start_sim(OrgSize::S, 1).await;
    let http = reqwest::Client::new();
    let c = &sim.urls.credentials;
    let set = http.put(format!("{}/faults/jira", sim.urls.admin)).json(&json!({"serverError": 0.5})).send().await.unwrap();
    assert_eq!(set.status(), 200);
    let mut failures = 0;
    for _ in 0..200 {
        let r = http.get(format!("{}/rest/api/3/project/MOBILE", sim.urls.jira)).basic_auth(&c.jira_email, Some(&c.jira_token)).send().await.unwrap();
        if r.status() == 503 {
            failures += 1;
        }
    }
    assert!((60..140).contains(&failures), "about half fail: {failures}");
}

#[tokio::test]
async fn bad_admin_input_is_a_clear_400() {
    let sim = start_sim(OrgSize::S, 1).await;
    let http = reqwest::Client::new();
    let admin = &sim.urls.admin;
    let r = http.put(format!("{admin}/faults/jira")).json(&json!({"rateLimit": 2.0})).send().await.unwrap();
    assert_eq!(r.status(), 400);
    let body: Value = r.json().await.unwrap();
    assert!(body["error"].as_str().unwrap().contains("probability"));
    assert_eq!(http.put(format!("{admin}/faults/svn")).json(&json!({})).send().await.unwrap().status(), 400);
    let r = http.post(format!("{admin}/jira/projects/PLAT/rename")).json(&json!({"newKey": "bad key"})).send().await.unwrap();
    assert_eq!(r.status(), 400);
    let r = http.post(format!("{admin}/github/repos/no-such-repo/rename")).json(&json!({"newSlug": "x"})).send().await.unwrap();
    assert_eq!(r.status(), 404);
    let r = http.post(format!("{admin}/jira/issues")).json(&json!({"projectKey": "PLAT", "summary": "x", "status": "Nope"})).send().await.unwrap();
    assert_eq!(r.status(), 400);
}

#[tokio::test]
async fn mutations_show_up_in_the_platform_apis() {
    let sim = start_sim(OrgSize::S, 1).await;
    let http = reqwest::Client::new();
    let c = &sim.urls.credentials;
    let admin = &sim.urls.admin;
    let login = sim.state.read().github.accounts.iter().find(|a| !a.bot && a.active).unwrap().login.clone();

    let pushed: Value = http.post(format!("{admin}/github/repos/mobile-app/commits")).json(&json!({"message": "MOBILE-7: pushed by a test", "authorLogin": login, "count": 2})).send().await.unwrap().json().await.unwrap();
    assert_eq!(pushed["shas"].as_array().unwrap().len(), 2);
    let commits: Value = http.get(format!("{}/repos/acme-inc/mobile-app/commits?per_page=1", sim.urls.github)).bearer_auth(&c.github_token).send().await.unwrap().json().await.unwrap();
    assert_eq!(commits[0]["commit"]["message"], "MOBILE-7: pushed by a test", "newest first");

    let opened: Value = http.post(format!("{admin}/github/repos/mobile-app/pulls")).json(&json!({"title": "MOBILE-8: a test PR", "sourceBranch": "feature/MOBILE-8-test", "authorLogin": login})).send().await.unwrap().json().await.unwrap();
    let number = opened["number"].as_u64().unwrap();
    let pr: Value = http.get(format!("{}/repos/acme-inc/mobile-app/pulls/{number}", sim.urls.github)).bearer_auth(&c.github_token).send().await.unwrap().json().await.unwrap();
    assert_eq!((pr["state"].as_str(), pr["head"]["ref"].as_str()), (Some("open"), Some("feature/MOBILE-8-test")));
    assert!(http.post(format!("{admin}/github/repos/mobile-app/pulls/{number}/merge")).send().await.unwrap().status().is_success());
    let merged: Value = http.get(format!("{}/repos/acme-inc/mobile-app/pulls/{number}", sim.urls.github)).bearer_auth(&c.github_token).send().await.unwrap().json().await.unwrap();
    assert_eq!(merged["state"], "closed");
    assert!(merged["merged_at"].is_string());
    let twice = http.post(format!("{admin}/github/repos/mobile-app/pulls/{number}/merge")).send().await.unwrap();
    assert_eq!(twice.status(), 400, "only an open pull request merges");

    let account_id = sim.state.read().jira.users.iter().find(|u| u.active && u.account_type == "atlassian").unwrap().account_id.clone();
    assert!(http.post(format!("{admin}/jira/users/{account_id}/deactivate")).send().await.unwrap().status().is_success());
    let user: Value = http.get(format!("{}/rest/api/3/user?accountId={account_id}", sim.urls.jira)).basic_auth(&c.jira_email, Some(&c.jira_token)).send().await.unwrap().json().await.unwrap();
    assert_eq!(user["active"], false);

    let created: Value = http.post(format!("{admin}/jira/issues")).json(&json!({"projectKey": "PLAT", "summary": "Created by a test", "status": "In Progress"})).send().await.unwrap().json().await.unwrap();
    let key = created["key"].as_str().unwrap().to_owned();
    let issue: Value = http.get(format!("{}/rest/api/3/issue/{key}", sim.urls.jira)).basic_auth(&c.jira_email, Some(&c.jira_token)).send().await.unwrap().json().await.unwrap();
    assert_eq!(issue["fields"]["status"]["statusCategory"]["key"], "indeterminate");
    let id = created["id"].as_str().unwrap();
    assert!(http.delete(format!("{admin}/jira/issues/{id}")).send().await.unwrap().status().is_success());
    let gone = http.get(format!("{}/rest/api/3/issue/{key}", sim.urls.jira)).basic_auth(&c.jira_email, Some(&c.jira_token)).send().await.unwrap();
    assert_eq!(gone.status(), 404);
}

#[tokio::test]
async fn scopes_read_and_replace_a_tokens_grant_and_reject_bad_lists() {
    let sim = start_sim(OrgSize::S, 1).await;
    let http = reqwest::Client::new();
    let admin = &sim.urls.admin;
    let scopes = |sim: &str| http.get(format!("{admin}/scopes/{sim}"));
    let github: Value = scopes("github").send().await.unwrap().json().await.unwrap();
    assert_eq!(github, json!({"scopes": ["repo", "read:org", "read:user", "user:email"]}), "all Velocity needs by default");
    let set = http.put(format!("{admin}/scopes/gitlab")).json(&json!({"scopes": ["read_api", " read_api "]})).send().await.unwrap();
    assert_eq!(set.status(), 200);
    assert_eq!(set.json::<Value>().await.unwrap(), json!({"scopes": ["read_api"]}));
    assert_eq!(scopes("gitlab").send().await.unwrap().json::<Value>().await.unwrap(), json!({"scopes": ["read_api"]}));
    for (sim, body) in [("github", json!({"scopes": ["repo,read:org"]})), ("slack", json!({"scopes": ["users read"]})), ("svn", json!({"scopes": []}))] {
        let r = http.put(format!("{admin}/scopes/{sim}")).json(&body).send().await.unwrap();
        assert_eq!(r.status(), 400, "{sim} {body}");
        assert!(r.json::<Value>().await.unwrap()["error"].is_string());
    }
    let jira = scopes("jira").send().await.unwrap();
    assert_eq!(jira.status(), 400);
    assert!(jira.json::<Value>().await.unwrap()["error"].as_str().unwrap().contains("no scopes"));
}
