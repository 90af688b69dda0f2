//! Bitbucket Cloud simulator tests over real HTTP: auth (bearer and basic), pagination via
//! `next`, pagelen caps (400, not clamped), PR state filter, `{uuid}` URLs surviving a rename
//! while the old slug 404s, deleted repositories, GDPR-shaped accounts, `/2.0/user`, scope
//! refusals and access-token rate-limit headers.

use crate::helpers::start_sim;
use serde_json::Value;
use std::collections::HashSet;
use velocity::sim::org::{OrgSize, PrState};
use velocity::sim::server::RunningSim;

struct Bb {
    sim: RunningSim,
    http: reqwest::Client,
}

impl Bb {
    async fn start(seed: u64) -> Bb {
        Bb { sim: start_sim(OrgSize::S, seed).await, http: reqwest::Client::new() }
    }

    fn url(&self, path: &str) -> String {
        if path.starts_with("http") { path.to_owned() } else { format!("{}/2.0{path}", self.sim.urls.bitbucket) }
    }

    fn token(&self) -> String {
        self.sim.urls.credentials.bitbucket_token.clone()
    }

    async fn get(&self, path: &str) -> (u16, Value) {
        let resp = self.http.get(self.url(path)).bearer_auth(self.token()).send().await.expect("request");
        (resp.status().as_u16(), resp.json().await.expect("json body"))
    }

    async fn ok(&self, path: &str) -> Value {
        let (status, body) = self.get(path).await;
        assert_eq!(status, 200, "{path}: {body}");
        body
    }

    /// Follows `next` from the first page; returns every value and checks the envelope on the way.
    async fn walk(&self, path: &str) -> Vec<Value> {
        let (mut url, mut out, mut pages) = (self.url(path), Vec::new(), 0usize);
        loop {
            let page = self.ok(&url).await;
            pages += 1;
            assert_eq!(page["page"], pages, "{page}");
            assert_eq!(page.get("previous").is_some(), pages > 1, "previous only after page 1: {page}");
            out.extend(page["values"].as_array().expect("values").iter().cloned());
            match page["next"].as_str() {
                Some(next) => url = next.to_owned(),
                None => return out,
            }
        }
    }

    /// (slug, uuid, repo index) of the live repository with the most pull requests.
    fn busiest_repo(&self) -> (String, String, usize) {
        let org = self.sim.state.read();
        let (i, r) = org.bitbucket.repos.iter().enumerate().filter(|(_, r)| !r.deleted).max_by_key(|(_, r)| r.pull_requests.len()).expect("a repo");
        (r.slug.clone(), r.id.clone(), i)
    }
}

fn message(body: &Value) -> &str {
    body["error"]["message"].as_str().unwrap_or_default()
}

#[tokio::test]
async fn auth_requires_the_token_as_bearer_or_basic_password() {
    let bb = Bb::start(1).await;
    let url = bb.url("/repositories/acme");
    let missing = bb.http.get(&url).send().await.expect("request");
    assert_eq!(missing.status(), 401);
    let body: Value = missing.json().await.expect("json");
    assert_eq!(body["type"], "error");
    assert_eq!(message(&body), "Token is invalid or not supported for this endpoint.");
    let wrong = bb.http.get(&url).bearer_auth("nope").send().await.expect("request");
    assert_eq!(wrong.status(), 401);
    let basic_wrong = bb.http.get(&url).basic_auth("x-token-auth", Some("nope")).send().await.expect("request");
    assert_eq!(basic_wrong.status(), 401);
    for user in ["x-token-auth", "someone@acme.test"] {
        let basic = bb.http.get(&url).basic_auth(user, Some(bb.token())).send().await.expect("request");
        assert_eq!(basic.status(), 200, "basic auth as {user}");
    }
    assert_eq!(bb.get("/repositories/acme").await.0, 200);
}

#[tokio::test]
async fn repositories_walk_every_page_once_and_skip_deleted() {
    let bb = Bb::start(2).await;
    let deleted_uuid = {
        let mut org = bb.sim.state.write();
        let repo = &mut org.bitbucket.repos[0];
        repo.deleted = true;
        repo.id.clone()
    };
    let expected: HashSet<String> = bb.sim.state.read().bitbucket.repos.iter().filter(|r| !r.deleted).map(|r| r.id.clone()).collect();
    assert!(expected.len() > 3, "the S org has enough repos to need several pages");
    let first = bb.ok("/repositories/acme?pagelen=2").await;
    assert_eq!(first["size"], expected.len());
    assert_eq!(first["pagelen"], 2);
    let seen: Vec<String> = bb.walk("/repositories/acme?pagelen=2").await.iter().map(|r| r["uuid"].as_str().expect("uuid").to_owned()).collect();
    assert_eq!(seen.len(), expected.len(), "no repository twice");
    assert_eq!(seen.iter().cloned().collect::<HashSet<_>>(), expected);
    assert!(!seen.contains(&deleted_uuid));
    let default = bb.ok("/repositories/acme").await;
    assert_eq!(default["pagelen"], 10);
    let repo = &default["values"][0];
    assert_eq!(repo["type"], "repository");
    assert_eq!(repo["full_name"], format!("acme/{}", repo["slug"].as_str().expect("slug")));
    assert!(repo["mainbranch"]["name"].is_string() && repo["links"]["self"]["href"].as_str().expect("self").starts_with(&bb.sim.urls.bitbucket));
}

#[tokio::test]
async fn commits_walk_newest_first_and_link_authors() {
    let bb = Bb::start(3).await;
    let (slug, _, i) = bb.busiest_repo();
    let (shas, accounts): (Vec<String>, Vec<bool>) = {
        let org = bb.sim.state.read();
        org.bitbucket.repos[i].commits.iter().rev().map(|c| (c.sha.clone(), c.author_account.is_some())).unzip()
    };
    assert!(shas.len() > 30, "more commits than the default page");
    let commits = bb.walk(&format!("/repositories/acme/{slug}/commits/?pagelen=25")).await;
    let seen: Vec<&str> = commits.iter().map(|c| c["hash"].as_str().expect("hash")).collect();
    assert_eq!(seen, shas.iter().map(String::as_str).collect::<Vec<_>>(), "each commit once, newest first");
    for (c, linked) in commits.iter().zip(&accounts) {
        assert_eq!(c["type"], "commit");
        assert!(c["author"]["raw"].as_str().expect("raw").contains(" <"));
        assert_eq!(c["author"].get("user").is_some(), *linked, "author.user only for mapped accounts");
    }
    let first = bb.ok(&format!("/repositories/acme/{slug}/commits")).await;
    assert_eq!(first["pagelen"], 30);
    let one = bb.ok(&format!("/repositories/acme/{slug}/commit/{}", shas[0])).await;
    assert_eq!(one["parents"][0]["hash"], shas[1].as_str());
    assert_eq!(bb.get(&format!("/repositories/acme/{slug}/commit/{}", "f".repeat(40))).await.0, 404);
}

#[tokio::test]
async fn pull_request_state_defaults_to_open_and_repeats() {
    let bb = Bb::start(4).await;
    let (slug, _, i) = bb.busiest_repo();
    let count = |states: &[PrState]| bb.sim.state.read().bitbucket.repos[i].pull_requests.iter().filter(|p| !p.deleted && states.contains(&p.state)).count();
    let (open, closed) = (count(&[PrState::Open]), count(&[PrState::Merged, PrState::Declined]));
    assert!(closed > 0, "the busiest repo has merged or declined PRs");
    let default = bb.walk(&format!("/repositories/acme/{slug}/pullrequests/?pagelen=1")).await;
    assert_eq!(default.len(), open);
    assert!(default.iter().all(|p| p["state"] == "OPEN" && p["type"] == "pullrequest"));
    let both = bb.walk(&format!("/repositories/acme/{slug}/pullrequests?state=MERGED&state=DECLINED&pagelen=2")).await;
    assert_eq!(both.len(), closed, "repeated state params survive in `next`");
    assert!(both.iter().all(|p| p["state"] == "MERGED" || p["state"] == "DECLINED"));
    let ids: HashSet<u64> = both.iter().map(|p| p["id"].as_u64().expect("id")).collect();
    assert_eq!(ids.len(), closed, "no PR twice");
    for p in &both {
        assert_eq!(p["merge_commit"].is_object(), p["state"] == "MERGED");
    }
    let id = both[0]["id"].as_u64().expect("id");
    assert_eq!(bb.ok(&format!("/repositories/acme/{slug}/pullrequests/{id}")).await["id"], id);
}

#[tokio::test]
async fn bad_params_answer_400_in_bitbucket_shape() {
    let bb = Bb::start(5).await;
    let (slug, _, _) = bb.busiest_repo();
    let prs = format!("/repositories/acme/{slug}/pullrequests");
    assert_eq!(bb.ok(&format!("{prs}?pagelen=50&state=MERGED")).await["pagelen"], 50);
    assert_eq!(bb.ok("/repositories/acme?pagelen=100").await["pagelen"], 100);
    for path in [
        "/repositories/acme?pagelen=101".to_owned(),
        "/repositories/acme?pagelen=ten".to_owned(),
        "/repositories/acme?pagelen=0".to_owned(),
        format!("{prs}?pagelen=51"),
        format!("/repositories/acme/{slug}/commits?pagelen=101"),
    ] {
        let (status, body) = bb.get(&path).await;
        assert_eq!((status, message(&body)), (400, "Invalid pagelen"), "{path}");
        assert_eq!(body["type"], "error");
    }
    let (status, body) = bb.get(&format!("{prs}?state=CLOSED")).await;
    assert_eq!(status, 400);
    assert!(message(&body).contains("CLOSED"), "{body}");
    assert_eq!(bb.get("/repositories/acme?page=zero").await.0, 400);
}

#[tokio::test]
async fn repo_by_uuid_survives_rename_while_old_slug_404s() {
    let bb = Bb::start(6).await;
    let (old, uuid, i) = bb.busiest_repo();
    {
        let mut org = bb.sim.state.write();
        let repo = &mut org.bitbucket.repos[i];
        repo.previous_slugs.push(old.clone());
        repo.slug = format!("{old}-renamed");
    }
    let (status, body) = bb.get(&format!("/repositories/acme/{old}")).await;
    assert_eq!(status, 404, "Bitbucket does not redirect renamed repositories");
    assert_eq!(message(&body), format!("Repository acme/{old} not found"));
    let encoded = uuid.replace('{', "%7B").replace('}', "%7D");
    for key in [uuid.as_str(), encoded.as_str()] {
        let repo = bb.ok(&format!("/repositories/acme/{key}")).await;
        assert_eq!(repo["slug"], format!("{old}-renamed"));
        assert_eq!(repo["uuid"], uuid.as_str());
        assert!(!bb.ok(&format!("/repositories/acme/{key}/commits")).await["values"].as_array().expect("values").is_empty());
    }
    assert_eq!(bb.ok(&format!("/repositories/acme/{old}-renamed")).await["uuid"], uuid.as_str());
}

#[tokio::test]
async fn deleted_repo_and_unknown_workspace_404() {
    let bb = Bb::start(7).await;
    let (slug, uuid, i) = bb.busiest_repo();
    bb.sim.state.write().bitbucket.repos[i].deleted = true;
    for path in [format!("/repositories/acme/{slug}"), format!("/repositories/acme/{uuid}"), format!("/repositories/acme/{slug}/commits"), format!("/repositories/acme/{slug}/pullrequests")] {
        let (status, body) = bb.get(&path).await;
        assert_eq!((status, body["type"].as_str()), (404, Some("error")), "{path}");
    }
    assert_eq!(bb.get("/repositories/nope").await.0, 404);
    assert_eq!(bb.get("/workspaces/nope").await.0, 404);
    let ws = bb.ok("/workspaces/acme").await;
    assert_eq!((ws["type"].as_str(), ws["slug"].as_str()), (Some("workspace"), Some("acme")));
    let by_uuid = bb.ok(&format!("/workspaces/{}", ws["uuid"].as_str().expect("uuid"))).await;
    assert_eq!(by_uuid["slug"], "acme");
}

#[tokio::test]
async fn accounts_have_no_username_or_email() {
    let bb = Bb::start(8).await;
    let members = bb.walk("/workspaces/acme/members?pagelen=3").await;
    assert!(!members.is_empty());
    let uuids: HashSet<&str> = members.iter().map(|m| m["user"]["uuid"].as_str().expect("uuid")).collect();
    assert_eq!(uuids.len(), members.len(), "no member twice");
    for m in &members {
        assert_eq!((m["type"].as_str(), m["user"]["type"].as_str()), (Some("workspace_membership"), Some("user")));
        let user = m["user"].as_object().expect("user object");
        assert!(!user.contains_key("username") && !user.contains_key("email"), "GDPR: {m}");
        assert!(user["nickname"].is_string() && user["account_id"].is_string() && user["display_name"].is_string());
    }
    let user = &members[0]["user"];
    for key in [user["uuid"].as_str().expect("uuid"), user["account_id"].as_str().expect("account_id")] {
        assert_eq!(bb.ok(&format!("/users/{key}")).await["uuid"], user["uuid"]);
    }
    assert_eq!(bb.get("/users/%7B00000000-0000-0000-0000-000000000000%7D").await.0, 404);
}

#[tokio::test]
async fn user_is_the_token_owner_with_scopes_and_access_token_rate_limit() {
    let bb = Bb::start(4).await;
    let owner = bb.sim.state.read().bitbucket.accounts.iter().find(|a| a.active && !a.bot).unwrap().clone();
    let response = bb.http.get(bb.url("/user")).bearer_auth(bb.token()).send().await.expect("request");
    assert_eq!(response.status(), 200);
    let header = |name: &str| response.headers()[name].to_str().unwrap().to_owned();
    assert_eq!(header("x-oauth-scopes"), "read:repository:bitbucket, read:workspace:bitbucket, read:pullrequest:bitbucket, read:user:bitbucket");
    assert_eq!(header("x-accepted-oauth-scopes"), "read:user:bitbucket");
    assert_eq!((header("x-ratelimit-limit"), header("x-ratelimit-nearlimit")), ("1000".to_owned(), "false".to_owned()));
    let user: Value = response.json().await.expect("json");
    assert_eq!((user["type"].as_str(), user["uuid"].as_str()), (Some("user"), Some(owner.id.as_str())));
    assert_eq!((user["display_name"].as_str(), user["nickname"].as_str()), (Some(owner.display_name.as_str()), Some(owner.login.as_str())));
    assert_eq!(user["account_id"].as_str(), owner.atlassian_id.as_deref());
    assert_eq!(user["account_status"], "active");

    let basic = bb.http.get(bb.url("/user")).basic_auth("someone@acme.test", Some(bb.token())).send().await.expect("request");
    assert_eq!(basic.status(), 200);
    assert!(!basic.headers().contains_key("x-ratelimit-limit"), "Bitbucket reports its rate limit to access tokens only");
    let wrong = bb.http.get(bb.url("/user")).bearer_auth("nope").send().await.expect("request");
    assert_eq!(wrong.status(), 401);
}

#[tokio::test]
async fn a_missing_scope_is_a_403_naming_the_required_and_granted_scopes() {
    let bb = Bb::start(5).await;
    let (slug, _, _) = bb.busiest_repo();
    let granted = ["read:repository:bitbucket", "read:workspace:bitbucket"];
    crate::helpers::set_scopes(&bb.sim, "bitbucket", &granted).await;
    let (status, body) = bb.get(&format!("/repositories/acme/{slug}/pullrequests")).await;
    assert_eq!(status, 403);
    assert_eq!(body["type"], "error");
    assert_eq!(message(&body), "Your credentials lack one or more required privilege scopes.");
    assert_eq!(body["error"]["detail"], serde_json::json!({"granted": granted, "required": ["read:pullrequest:bitbucket"]}));
    assert_eq!(bb.get(&format!("/repositories/acme/{slug}")).await.0, 200);
    assert_eq!(bb.get("/workspaces/acme/members").await.0, 200);
    let (status, body) = bb.get("/user").await;
    assert_eq!((status, &body["error"]["detail"]["required"]), (403, &serde_json::json!(["read:user:bitbucket"])));
}

#[tokio::test]
async fn an_unknown_workspace_is_404() {
    let bb = Bb::start(6).await;
    let (status, body) = bb.get("/workspaces/no-such-workspace").await;
    assert_eq!(status, 404);
    assert_eq!(body, serde_json::json!({"type": "error", "error": {"message": "No workspace with identifier 'no-such-workspace'."}}));
}
