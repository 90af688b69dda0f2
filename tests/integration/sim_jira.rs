//! The Jira simulator over real HTTP: auth, project search paging, JQL search with
//! nextPageToken, renamed keys, worklog feeds and their one-minute horizon, server info, fields,
//! user search, hidden e-mail addresses, REST v2 beside v3 and `myself`.

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
    assert!(users.iter().any(|u| u.get("emailAddress").is_none()), "some users hide their email: the key is left out");
    assert!(users.iter().all(|u| u.get("emailAddress").is_none_or(Value::is_string)), "never null");
    assert!(users.iter().any(|u| u["accountType"] == "app"), "bots are apps");
    let id = users[0]["accountId"].as_str().unwrap();
    let (status, one) = j.json(&format!("/rest/api/3/user?accountId={id}")).await;
    assert_eq!((status, one["accountId"].as_str()), (200, Some(id)));
    assert_eq!(j.json("/rest/api/3/user?accountId=nobody").await.0, 404);
    assert_eq!(j.get("/rest/api/3/user").send().await.unwrap().status(), 400);
}

#[tokio::test]
async fn server_info_says_cloud_on_v2_and_v3() {
    let j = Jira::start().await;
    for version in [2, 3] {
        let (status, info) = j.json(&format!("/rest/api/{version}/serverInfo")).await;
        assert_eq!(status, 200);
        assert_eq!(info["deploymentType"], "Cloud");
        assert_eq!(info["baseUrl"], j.sim.urls.jira.as_str());
        assert_eq!(info["versionNumbers"].as_array().map(Vec::len), Some(3));
        assert!(info["buildNumber"].is_u64() && info["serverTime"].is_string() && info["scmInfo"].is_string());
    }
}

#[tokio::test]
async fn field_list_describes_summary_and_the_other_served_fields() {
    let j = Jira::start().await;
    let (status, fields) = j.json("/rest/api/3/field").await;
    assert_eq!(status, 200);
    let fields = fields.as_array().unwrap();
    let summary = fields.iter().find(|f| f["id"] == "summary").expect("summary is listed");
    assert_eq!(summary["clauseNames"], json!(["summary"]));
    assert_eq!((summary["custom"].as_bool(), summary["navigable"].as_bool()), (Some(false), Some(true)));
    assert_eq!(summary["schema"], json!({"type": "string", "system": "summary"}));
    for id in ["status", "issuetype", "assignee", "created", "updated", "project", "worklog"] {
        assert!(fields.iter().any(|f| f["id"] == id), "{id} is listed");
    }
}

#[tokio::test]
async fn all_projects_is_a_bare_array_of_live_projects() {
    let j = Jira::start().await;
    let (_, paged) = j.json("/rest/api/3/project/search?maxResults=100").await;
    let (status, all) = j.json("/rest/api/3/project?expand=description").await;
    assert_eq!(status, 200);
    let keys: Vec<&str> = all.as_array().unwrap().iter().map(|p| p["key"].as_str().unwrap()).collect();
    let expected: Vec<&str> = paged["values"].as_array().unwrap().iter().map(|p| p["key"].as_str().unwrap()).collect();
    assert_eq!(keys, expected, "live projects only, by key");
    assert!(all.as_array().unwrap().iter().all(|p| p["description"].is_string()), "expand is honoured");
}

#[tokio::test]
async fn user_search_finds_by_display_name_prefix() {
    let j = Jira::start().await;
    let someone = j.sim.state.read().jira.users.iter().find(|u| u.account_type == "atlassian").unwrap().clone();
    let prefix = someone.display_name.chars().take(3).collect::<String>().to_lowercase();
    let search = |params: Vec<(&'static str, String)>| j.get("/rest/api/3/user/search").query(&params).send();
    let found = search(vec![("query", prefix.clone())]).await.unwrap();
    assert_eq!(found.status(), 200);
    let found: Vec<Value> = found.json().await.unwrap();
    assert!(found.iter().any(|u| u["accountId"] == someone.account_id.as_str()), "{prefix} finds {}", someone.display_name);
    let none: Value = search(vec![("query", "zzzz-nobody".into())]).await.unwrap().json().await.unwrap();
    assert_eq!(none, json!([]));
    let one: Vec<Value> = search(vec![("query", prefix), ("maxResults", "1".into())]).await.unwrap().json().await.unwrap();
    assert_eq!(one.len(), 1);
    assert_eq!(search(vec![]).await.unwrap().status(), 400, "query, accountId or property is required");
}

#[tokio::test]
async fn v2_worklog_comment_is_a_string_and_v3_is_adf() {
    let j = Jira::start().await;
    let worklog_id = j.sim.state.read().jira.worklogs[0].id;
    let list = |version: u8| j.post(&format!("/rest/api/{version}/worklog/list"), json!({"ids": [worklog_id]}));
    let v2: Value = list(2).send().await.unwrap().json().await.unwrap();
    let v3: Value = list(3).send().await.unwrap().json().await.unwrap();
    assert_eq!(v2[0]["comment"], "Worked on it");
    assert_eq!(v3[0]["comment"]["type"], "doc");
    assert_eq!(v2[0]["id"], v3[0]["id"]);
    assert!(v2[0]["self"].as_str().unwrap().starts_with(&format!("{}/rest/api/2/", j.sim.urls.jira)));
    assert!(v3[0]["self"].as_str().unwrap().starts_with(&format!("{}/rest/api/3/", j.sim.urls.jira)));
    // Authors are UserDetails: no locale, and a hidden e-mail address is left out.
    let author = &v3[0]["author"];
    assert!(author.get("locale").is_none());
    assert!(author.get("emailAddress").is_none_or(Value::is_string));
}

#[tokio::test]
async fn hidden_email_key_is_absent_everywhere() {
    let j = Jira::start().await;
    let hidden = j.sim.state.read().jira.users.iter().find(|u| u.email.is_none()).unwrap().account_id.clone();
    let (_, user) = j.json(&format!("/rest/api/3/user?accountId={hidden}")).await;
    assert_eq!(user["accountId"], hidden.as_str());
    assert!(user.get("emailAddress").is_none(), "left out, not null: {user}");
    assert_eq!(user["locale"], "en_US", "the full User keeps its locale");
    let (_, v2) = j.json(&format!("/rest/api/2/user?accountId={hidden}")).await;
    assert!(v2.get("emailAddress").is_none());
}

#[tokio::test]
async fn myself_is_the_api_user_on_both_versions_and_stable_per_seed() {
    let j = Jira::start().await;
    let email = j.sim.urls.credentials.jira_email.clone();
    let (status, me) = j.json("/rest/api/3/myself").await;
    assert_eq!(status, 200);
    assert_eq!((me["emailAddress"].as_str(), me["accountType"].as_str(), me["active"].as_bool()), (Some(email.as_str()), Some("atlassian"), Some(true)));
    assert_eq!(me["displayName"], "Sim");
    let id = me["accountId"].as_str().unwrap();
    assert_eq!(id.len(), 24);
    assert!(me["timeZone"].is_string());
    assert_eq!(me["self"], format!("{}/rest/api/3/user?accountId={id}", j.sim.urls.jira));
    let (_, v2) = j.json("/rest/api/2/myself").await;
    assert_eq!((v2["accountId"].as_str(), v2["self"].as_str().unwrap().contains("/rest/api/2/")), (Some(id), true));

    let again = Jira::start().await;
    assert_eq!(again.json("/rest/api/3/myself").await.1["accountId"], id, "the same seed, the same account id");
    let other = crate::helpers::start_sim(OrgSize::S, 4).await;
    let c = &other.urls.credentials;
    let theirs: Value = j.http.get(format!("{}/rest/api/3/myself", other.urls.jira)).basic_auth(&c.jira_email, Some(&c.jira_token)).send().await.unwrap().json().await.unwrap();
    assert_ne!(theirs["accountId"], id, "another seed, another site");

    let wrong = j.http.get(format!("{}/rest/api/3/myself", j.sim.urls.jira)).basic_auth(&email, Some("nope")).send().await.unwrap();
    assert_eq!(wrong.status(), 401);
    assert!(wrong.json::<Value>().await.unwrap()["errorMessages"][0].as_str().unwrap().contains("not authenticated"));
}

#[tokio::test]
async fn myself_is_the_sites_user_when_the_email_is_one() {
    let j = Jira::start().await;
    let user = j.sim.state.read().jira.users.iter().find(|u| u.active && u.email.is_some()).unwrap().clone();
    let mut credentials = j.sim.urls.credentials.clone();
    credentials.jira_email = user.email.clone().unwrap();
    let sim = velocity::sim::server::start(OrgSize::S, 3, credentials.clone(), Default::default(), Default::default()).await.unwrap();
    let me: Value = j.http.get(format!("{}/rest/api/3/myself", sim.urls.jira)).basic_auth(&credentials.jira_email, Some(&credentials.jira_token)).send().await.unwrap().json().await.unwrap();
    assert_eq!((me["accountId"].as_str(), me["displayName"].as_str()), (Some(user.account_id.as_str()), Some(user.display_name.as_str())));
}
