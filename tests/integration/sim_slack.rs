//! The Slack simulator over real HTTP: auth errors as `ok: false`, cursor paging, email lookup.

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
