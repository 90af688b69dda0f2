//! The Jira simulator over real HTTP: auth, project search paging, JQL search with
//! nextPageToken, renamed keys, worklog feeds and their one-minute horizon.

use crate::helpers::start_sim;
use serde_json::{json, Value};
use velocity::sim::org::OrgSize;
use velocity::sim::server::RunningSim;

struct Jira {
    sim: RunningSim,
    http: reqwest::Client,
}

impl Jira {
    async fn start() -> Jira {
        Jira { sim: start_sim(OrgSize::S, 3).await, http: reqwest::Client::new() }
    }
    fn get(&self, path: &str) -> reqwest::RequestBuilder {
        let c = &self.sim.urls.credentials;
        self.http.get(format!("{}{path}", self.sim.urls.jira)).basic_auth(&c.jira_email, Some(&c.jira_token))
    }
    fn post(&self, path: &str, body: Value) -> reqwest::RequestBuilder {
        let c = &self.sim.urls.credentials;
        self.http.post(format!("{}{path}", self.sim.urls.jira)).basic_auth(&c.jira_email, Some(&c.jira_token)).json(&body)
    }
    async fn json(&self, path: &str) -> (u16, Value) {
        let r = self.get(path).send().await.unwrap();
        (r.status().as_u16(), r.json().await.unwrap())
    }
    async fn admin(&self, method: reqwest::Method, path: &str, body: Value) -> Value {
        let r = self.http.request(method, format!("{}{path}", self.sim.urls.admin)).json(&body).send().await.unwrap();
        assert!(r.status().is_success(), "admin {path}: {}", r.status());
        r.json().await.unwrap()
    }
}

#[tokio::test]
async fn wrong_or_missing_credentials_are_401_with_jira_errors() {
    let j = Jira::start().await;
    let url = format!("{}/rest/api/3/project/search", j.sim.urls.jira);
    let missing = j.http.get(&url).send().await.unwrap();
    assert_eq!(missing.status(), 401);
    let wrong = j.http.get(&url).basic_auth("sim@acme.test", Some("nope")).send().await.unwrap();
    assert_eq!(wrong.status(), 401);
    let body: Value = wrong.json().await.unwrap();
    assert!(body["errorMessages"][0].as_str().unwrap().contains("not authenticated"));
}

#[tokio::test]
async fn project_search_pages_and_hides_archived_by_default() {
    let j = Jira::start().await;
    let (_, all) = j.json("/rest/api/3/project/search?maxResults=500&status=live&status=archived").await;
    assert_eq!(all["maxResults"], 100, "maxResults is clamped to 100");
    let total = all["total"].as_u64().unwrap();
    let mut seen = Vec::new();
    let mut start = 0;
    loop {
        let (status, page) = j.json(&format!("/rest/api/3/project/search?startAt={start}&maxResults=5")).await;
        assert_eq!(status, 200);
        for p in page["values"].as_array().unwrap() {
            seen.push(p["key"].as_str().unwrap().to_owned());
            assert!(p["id"].is_string(), "ids are strings");
        }
        if page["isLast"] == true {
            assert!(page.get("nextPage").is_none());
            break;
        }
        start += 5;
    }
    assert!(!seen.contains(&"MOBILE_LEGACY".to_owned()), "archived projects need status=archived");
    assert_eq!(seen.len() as u64 + 1, total, "exactly one archived project in org S");
    let mut sorted = seen.clone();
    sorted.sort();
    assert_eq!(seen, sorted, "ordered by key");
}

#[tokio::test]
async fn renamed_project_answers_by_old_key_and_id_with_its_new_key() {
    let j = Jira::start().await;
    let (_, before) = j.json("/rest/api/3/project/BILL?expand=projectKeys").await;
    assert_eq!(before["projectKeys"], json!(["BILL", "INV"]));
    j.admin(reqwest::Method::POST, "/jira/projects/BILL/rename", json!({"newKey": "BILLING"})).await;
    let (status, by_old) = j.json("/rest/api/3/project/BILL").await;
    assert_eq!(status, 200);
    assert_eq!(by_old["key"], "BILLING");
    assert_eq!(by_old["id"], before["id"]);
    let (status, missing) = j.json("/rest/api/3/project/NOPE").await;
    assert_eq!(status, 404);
    assert_eq!(missing["errorMessages"][0], "No project could be found with key 'NOPE'.");
}

#[tokio::test]
async fn jql_search_pages_with_next_page_token_until_it_is_absent() {
    let j = Jira::start().await;
    let jql = "project = MOBILE ORDER BY updated ASC";
    let mut token: Option<String> = None;
    let mut ids = Vec::new();
    loop {
        let mut body = json!({"jql": jql, "maxResults": 10, "fields": ["summary", "status", "updated"]});
        if let Some(t) = &token {
            body["nextPageToken"] = json!(t);
        }
        let page: Value = j.post("/rest/api/3/search/jql", body).send().await.unwrap().json().await.unwrap();
        for issue in page["issues"].as_array().unwrap() {
            assert!(issue["key"].as_str().unwrap().starts_with("MOBILE-"));
            assert!(issue["fields"]["status"]["statusCategory"]["key"].is_string());
            ids.push(issue["id"].as_str().unwrap().to_owned());
        }
        match page.get("nextPageToken") {
            Some(t) => token = Some(t.as_str().unwrap().to_owned()),
            None => {
                assert_eq!(page["isLast"], true);
                break;
            }
        }
    }
    let unique: std::collections::BTreeSet<_> = ids.iter().collect();
    assert_eq!(unique.len(), ids.len(), "no issue twice");
    assert!(ids.len() > 10, "more than one page");
    // GET with default fields returns ids only.
    let (_, get) = j.json("/rest/api/3/search/jql?jql=project%20%3D%20MOBILE&maxResults=1").await;
    assert!(get["issues"][0].get("fields").is_none());
}

#[tokio::test]
async fn bad_and_unbounded_jql_and_the_removed_search_endpoint() {
    let j = Jira::start().await;
    let r = j.post("/rest/api/3/search/jql", json!({"jql": "order by key desc"})).send().await.unwrap();
    assert_eq!(r.status(), 400);
    let r = j.post("/rest/api/3/search/jql", json!({"jql": "project = NOPE"})).send().await.unwrap();
    assert_eq!(r.status(), 400);
    let body: Value = r.json().await.unwrap();
    assert!(body["errorMessages"][0].as_str().unwrap().contains("'NOPE' does not exist"));
    let r = j.post("/rest/api/3/search/jql", json!({"jql": "project = MOBILE", "nextPageToken": "garbage"})).send().await.unwrap();
    assert_eq!(r.status(), 400);
    assert_eq!(j.get("/rest/api/3/search?jql=project%3DMOBILE").send().await.unwrap().status(), 410);
}

#[tokio::test]
async fn moved_issue_keys_resolve_to_the_current_key() {
    let j = Jira::start().await;
    let (_, page) = j.json("/rest/api/3/search/jql?jql=project%3DBILL&maxResults=1&fields=key").await;
    let key = page["issues"][0]["key"].as_str().unwrap().to_owned();
    let old = key.replace("BILL-", "INV-");
    let (status, issue) = j.json(&format!("/rest/api/3/issue/{}", old.to_lowercase())).await;
    assert_eq!(status, 200, "old key, any case");
    assert_eq!(issue["key"], key.as_str());
    assert_eq!(j.json("/rest/api/3/issue/NOPE-1").await.0, 404);
}

#[tokio::test]
async fn worklog_feeds_hide_the_last_minute_and_report_deletions() {
    let j = Jira::start().await;
    let (_, issue_page) = j.json("/rest/api/3/search/jql?jql=project%3DPLAT&maxResults=1&fields=assignee").await;
    let issue_id = issue_page["issues"][0]["id"].as_str().unwrap().to_owned();
    let author = j.sim.state.read().jira.users[0].account_id.clone();
    let two_minutes_ago = chrono::Utc::now().timestamp_millis() - 120_000;
    let old = j.admin(reqwest::Method::POST, "/jira/worklogs", json!({"issueId": issue_id, "author": author, "timeSpentSeconds": 3600, "at": two_minutes_ago})).await;
    let fresh = j.admin(reqwest::Method::POST, "/jira/worklogs", json!({"issueId": issue_id, "author": author, "timeSpentSeconds": 60})).await;
    let since = two_minutes_ago - 1;
    let (_, feed) = j.json(&format!("/rest/api/3/worklog/updated?since={since}")).await;
    let ids: Vec<String> = feed["values"].as_array().unwrap().iter().map(|v| v["worklogId"].to_string()).collect();
    assert!(ids.contains(&old["id"].as_str().unwrap().to_owned()));
    assert!(!ids.contains(&fresh["id"].as_str().unwrap().to_owned()), "the last minute is hidden");
    assert_eq!(feed["lastPage"], true);
    // Full worklogs by id, then a deletion shows up in the deleted feed (after its minute).
    let list: Value = j.post("/rest/api/3/worklog/list", json!({"ids": [old["id"].as_str().unwrap().parse::<i64>().unwrap()]})).send().await.unwrap().json().await.unwrap();
    assert_eq!(list[0]["timeSpentSeconds"], 3600);
    assert_eq!(list[0]["timeSpent"], "1h");
    assert_eq!(j.post("/rest/api/3/worklog/list", json!({"ids": []})).send().await.unwrap().status(), 400);
    j.admin(reqwest::Method::DELETE, &format!("/jira/worklogs/{}", old["id"].as_str().unwrap()), json!({})).await;
    let deleted = j.sim.state.read().jira.deleted_worklogs.clone();
    assert_eq!(deleted.last().unwrap().0.to_string(), old["id"].as_str().unwrap());
}

#[tokio::test]
async fn users_hide_emails_and_unknown_users_are_404() {
    let j = Jira::start().await;
    let (_, users) = j.json("/rest/api/3/users/search?maxResults=1000").await;
    let users = users.as_array().unwrap();
    assert!(users.iter().any(|u| u["emailAddress"].is_null()), "some users hide their email");
    assert!(users.iter().any(|u| u["accountType"] == "app"), "bots are apps");
    let id = users[0]["accountId"].as_str().unwrap();
    let (status, one) = j.json(&format!("/rest/api/3/user?accountId={id}")).await;
    assert_eq!((status, one["accountId"].as_str()), (200, Some(id)));
    assert_eq!(j.json("/rest/api/3/user?accountId=nobody").await.0, 404);
    assert_eq!(j.get("/rest/api/3/user").send().await.unwrap().status(), 400);
}
