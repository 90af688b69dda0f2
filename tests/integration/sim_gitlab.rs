//! The GitLab simulator over real HTTP: PRIVATE-TOKEN/bearer auth, offset pagination headers
//! (every item exactly once, `per_page` capped at 100), `since`, merge-request state filters,
//! projects by id or URL-encoded path, 301 for old paths, 404s and Grape-style 400s, `/user`,
//! the token itself, `RateLimit-*` headers and `insufficient_scope`.

use crate::helpers::start_sim;
use reqwest::{redirect::Policy, Client, Response, StatusCode};
use serde_json::Value;
use std::collections::HashSet;
use velocity::sim::org::{OrgSize, PrState, Repo};
use velocity::sim::server::RunningSim;

struct Gl {
    sim: RunningSim,
    http: Client,
}

impl Gl {
    async fn start() -> Gl {
        let sim = start_sim(OrgSize::S, 11).await;
        Gl { sim, http: Client::builder().redirect(Policy::none()).build().unwrap() }
    }

    fn url(&self, path: &str) -> String {
        format!("{}/api/v4{path}", self.sim.urls.gitlab)
    }

    async fn get(&self, path: &str) -> Response {
        let token = &self.sim.urls.credentials.gitlab_token;
        self.http.get(self.url(path)).header("private-token", token).send().await.unwrap()
    }

    /// Follows `x-next-page` from `path` (which has a query), checking the headers on the way.
    async fn walk(&self, path: &str) -> (Vec<Value>, usize) {
        let (mut items, mut page) = (Vec::new(), 1);
        loop {
            let response = self.get(&format!("{path}&page={page}")).await;
            assert_eq!(response.status(), 200, "{path} page {page}");
            let header = |name: &str| response.headers()[name].to_str().unwrap().to_owned();
            assert_eq!(header("x-page"), page.to_string());
            let next = header("x-next-page");
            let total_pages: usize = header("x-total-pages").parse().unwrap();
            items.extend(response.json::<Vec<Value>>().await.unwrap());
            if next.is_empty() {
                assert_eq!(page, total_pages, "the last page has no next page");
                return (items, page);
            }
            page = next.parse().unwrap();
            assert!(page < 200, "pagination does not end");
        }
    }

    /// The group path and the first live project with commits.
    fn first_project(&self) -> (String, u64, String) {
        let org = self.sim.state.read();
        let r = org.gitlab.repos.iter().find(|r| !r.deleted && !r.commits.is_empty() && r.subgroup.is_none()).unwrap();
        (org.gitlab.owner.clone(), r.numeric_id, r.slug.clone())
    }

    fn with_project<T>(&self, id: u64, f: impl FnOnce(&mut Repo) -> T) -> T {
        let mut org = self.sim.state.write();
        f(org.gitlab.repos.iter_mut().find(|r| r.numeric_id == id).unwrap())
    }
}

#[tokio::test]
async fn gitlab_requires_a_private_or_bearer_token() {
    let gl = Gl::start().await;
    let url = gl.url("/users?per_page=1");
    for request in [gl.http.get(&url), gl.http.get(&url).header("private-token", "wrong")] {
        let response = request.send().await.unwrap();
        assert_eq!(response.status(), 401);
        assert_eq!(response.json::<Value>().await.unwrap(), serde_json::json!({"message": "401 Unauthorized"}));
    }
    let token = &gl.sim.urls.credentials.gitlab_token;
    let bearer = gl.http.get(&url).bearer_auth(token).send().await.unwrap();
    assert_eq!(bearer.status(), 200);
}

#[tokio::test]
async fn gitlab_lists_subgroup_projects_only_with_include_subgroups_and_velocity_asks_for_them() {
    let gl = Gl::start().await;
    let (group, nested_id) = {
        let org = gl.sim.state.read();
        (org.gitlab.owner.clone(), org.gitlab.repos.iter().find(|r| r.subgroup.is_some()).expect("a repository in a subgroup").numeric_id)
    };
    let (direct, _) = gl.walk(&format!("/groups/{group}/projects?per_page=100")).await;
    assert!(direct.iter().all(|p| p["id"].as_u64() != Some(nested_id)), "a subgroup's project is not the group's own");
    let (all, _) = gl.walk(&format!("/groups/{group}/projects?include_subgroups=true&per_page=100")).await;
    let nested = all.iter().find(|p| p["id"].as_u64() == Some(nested_id)).expect("listed with include_subgroups");
    assert_eq!(nested["namespace"]["full_path"], format!("{group}/infra"));
    let by_path = gl.get(&format!("/projects/{}", nested["path_with_namespace"].as_str().unwrap().replace('/', "%2F"))).await;
    assert_eq!(by_path.status(), 200);

    // Velocity's catalog reads nested groups, so the repository can be suggested and searched.
    let conn = velocity::store::connections::Connection {
        id: uuid::Uuid::new_v4(),
        kind: "gitlab".into(),
        name: "GitLab".into(),
        base_url: gl.sim.urls.gitlab.clone(),
        scope: group.clone(),
        auth_mode: "bearer".into(),
        enabled: true,
        credentials: Some(velocity::store::connections::Credentials { email: None, token: gl.sim.urls.credentials.gitlab_token.clone().into() }),
        max_requests_per_second: None,
    };
    let up = velocity::upstream::Upstream::new(conn, Default::default(), Default::default());
    let repos = velocity::upstream::catalog::repositories(&up, velocity::domain::RepoPlatform::Gitlab).await.unwrap();
    let found = repos.iter().find(|r| r.external_id == nested_id.to_string()).expect("the catalog lists the subgroup's repository");
    assert_eq!(found.workspace, format!("{group}/infra"));
}

#[tokio::test]
async fn gitlab_group_projects_walk_every_live_project_once() {
    let gl = Gl::start().await;
    let (group, gone, _) = gl.first_project();
    gl.with_project(gone, |r| r.deleted = true);
    let (expected, group_id): (HashSet<u64>, u64) = {
        let org = gl.sim.state.read();
        (org.gitlab.repos.iter().filter(|r| !r.deleted && r.subgroup.is_none()).map(|r| r.numeric_id).collect(), org.gitlab.owner_id)
    };
    assert!(expected.len() > 2, "enough projects for several pages");
    for id in [group.clone(), group_id.to_string()] {
        let (items, pages) = gl.walk(&format!("/groups/{id}/projects?per_page=2&order_by=path&sort=asc")).await;
        let ids: Vec<u64> = items.iter().map(|p| p["id"].as_u64().unwrap()).collect();
        assert_eq!(ids.len(), expected.len(), "no project twice");
        assert_eq!(ids.into_iter().collect::<HashSet<_>>(), expected);
        assert_eq!(pages, expected.len().div_ceil(2));
        let paths: Vec<&str> = items.iter().map(|p| p["path"].as_str().unwrap()).collect();
        assert!(paths.windows(2).all(|w| w[0] <= w[1]), "order_by=path&sort=asc");
        assert!(items.iter().all(|p| p["namespace"]["full_path"] == group.as_str() && p["namespace"]["kind"] == "group"));
    }
    let first = gl.get(&format!("/groups/{group}/projects?per_page=2")).await;
    assert_eq!(first.headers()["x-total"], expected.len().to_string().as_str());
    assert_eq!(first.headers()["x-prev-page"], "");
    let link = first.headers()["link"].to_str().unwrap();
    assert!(link.contains("rel=\"next\"") && link.contains("rel=\"last\"") && link.contains("per_page=2"));
    let missing = gl.get("/groups/no-such-group/projects").await;
    assert_eq!(missing.status(), 404);
    assert_eq!(missing.json::<Value>().await.unwrap()["message"], "404 Group Not Found");
}

#[tokio::test]
async fn gitlab_commits_page_newest_first_capped_at_100_and_filter_since() {
    let gl = Gl::start().await;
    let (_, id, _) = gl.first_project();
    let expected: Vec<String> = gl.with_project(id, |r| {
        let last = r.commits.last().cloned().unwrap();
        for i in 0..120u64 {
            let mut c = last.clone();
            c.sha = format!("{:040x}", 0xbeef_0000 + i);
            c.date = last.date + chrono::Duration::seconds(i as i64 + 1);
            r.commits.push(c);
        }
        r.commits.iter().rev().map(|c| c.sha.clone()).collect()
    });
    let capped = gl.get(&format!("/projects/{id}/repository/commits?per_page=1000")).await;
    assert_eq!(capped.headers()["x-per-page"], "100");
    assert_eq!(capped.json::<Vec<Value>>().await.unwrap().len(), 100);
    let (items, pages) = gl.walk(&format!("/projects/{id}/repository/commits?per_page=100")).await;
    assert_eq!(pages, expected.len().div_ceil(100));
    let ids: Vec<&str> = items.iter().map(|c| c["id"].as_str().unwrap()).collect();
    assert_eq!(ids, expected, "every commit once, newest first");
    assert_eq!(items[0]["parent_ids"][0], items[1]["id"]);

    let dates: Vec<_> = gl.with_project(id, |r| r.commits.iter().map(|c| c.date).collect());
    let since = chrono::DateTime::from_timestamp(dates[dates.len() / 2].timestamp(), 0).unwrap();
    let path = format!("/projects/{id}/repository/commits?per_page=40&since={}", since.format("%Y-%m-%dT%H:%M:%SZ"));
    let (recent, _) = gl.walk(&path).await;
    assert_eq!(recent.len(), dates.iter().filter(|d| **d >= since).count());
    for (bad, message) in [("since=soon", "since is invalid"), ("per_page=many", "per_page is invalid")] {
        let response = gl.get(&format!("/projects/{id}/repository/commits?{bad}")).await;
        assert_eq!(response.status(), 400);
        assert_eq!(response.json::<Value>().await.unwrap()["error"], message);
    }
}

#[tokio::test]
async fn gitlab_merge_request_state_filters_match_the_model() {
    let gl = Gl::start().await;
    let (_, id, _) = gl.first_project();
    let states: Vec<PrState> = gl.with_project(id, |r| {
        r.pull_requests[0].deleted = true;
        r.pull_requests.iter().filter(|p| !p.deleted).map(|p| p.state).collect()
    });
    let count = |s: PrState| states.iter().filter(|x| **x == s).count();
    for (filter, expected, state) in [
        ("opened", count(PrState::Open), "opened"),
        ("merged", count(PrState::Merged), "merged"),
        ("closed", count(PrState::Declined), "closed"),
    ] {
        let (items, _) = gl.walk(&format!("/projects/{id}/merge_requests?per_page=2&state={filter}")).await;
        assert_eq!(items.len(), expected, "{filter}");
        assert!(items.iter().all(|m| m["state"] == state && m["project_id"] == id));
        assert!(items.iter().all(|m| m["merged_at"].is_null() == (state != "merged")));
    }
    let (all, _) = gl.walk(&format!("/projects/{id}/merge_requests?per_page=3")).await;
    assert_eq!(all.len(), states.len(), "state defaults to all, deleted ones gone");
    let created: Vec<&str> = all.iter().map(|m| m["created_at"].as_str().unwrap()).collect();
    assert!(created.windows(2).all(|w| w[0] >= w[1]), "created_at desc by default");
    let bad = gl.get(&format!("/projects/{id}/merge_requests?state=open")).await;
    assert_eq!(bad.status(), 400);
    assert_eq!(bad.json::<Value>().await.unwrap()["error"], "state does not have a valid value");
    let one: Value = gl.get(&format!("/projects/{id}/merge_requests/2")).await.json().await.unwrap();
    assert_eq!((one["iid"].as_u64(), one["author"]["username"].is_string()), (Some(2), true));
    let deleted = gl.get(&format!("/projects/{id}/merge_requests/1")).await;
    assert_eq!(deleted.json::<Value>().await.unwrap()["message"], "404 Merge Request Not Found");
}

#[tokio::test]
async fn gitlab_projects_resolve_by_path_redirect_old_paths_and_hide_deleted() {
    let gl = Gl::start().await;
    let (group, id, slug) = gl.first_project();
    let by_path: Value = gl.get(&format!("/projects/{group}%2F{slug}")).await.json().await.unwrap();
    assert_eq!((by_path["id"].as_u64(), by_path["path_with_namespace"].as_str()), (Some(id), Some(format!("{group}/{slug}").as_str())));
    gl.with_project(id, |r| {
        r.previous_slugs.push(r.slug.clone());
        r.slug = format!("{slug}-moved");
    });
    let moved = gl.get(&format!("/projects/{group}%2F{slug}/repository/commits?per_page=3")).await;
    assert_eq!(moved.status(), StatusCode::MOVED_PERMANENTLY);
    let location = gl.url(&format!("/projects/{id}/repository/commits?per_page=3"));
    assert_eq!(moved.headers()["location"], location.as_str());
    let followed = gl.http.get(&location).header("private-token", &gl.sim.urls.credentials.gitlab_token).send().await.unwrap();
    assert_eq!(followed.json::<Vec<Value>>().await.unwrap().len(), 3);
    let renamed: Value = gl.get(&format!("/projects/{group}%2F{slug}-moved")).await.json().await.unwrap();
    assert_eq!(renamed["path"], format!("{slug}-moved"));

    gl.with_project(id, |r| r.deleted = true);
    for path in [format!("/projects/{id}"), format!("/projects/{group}%2F{slug}-moved/merge_requests"), format!("/projects/{group}%2F{slug}")] {
        let response = gl.get(&path).await;
        assert_eq!(response.status(), 404, "{path}");
        assert_eq!(response.json::<Value>().await.unwrap()["message"], "404 Project Not Found");
    }
}

#[tokio::test]
async fn gitlab_users_by_username_and_id_flag_bots() {
    let gl = Gl::start().await;
    let (accounts, bots) = {
        let org = gl.sim.state.read();
        (org.gitlab.accounts.len(), org.gitlab.accounts.iter().filter(|a| a.bot).count())
    };
    let (all, _) = gl.walk("/users?per_page=4").await;
    assert_eq!(all.len(), accounts);
    assert_eq!(all.iter().filter(|u| u["bot"] == true).count(), bots);
    let human = all.iter().find(|u| u["bot"] == false).unwrap();
    let username = human["username"].as_str().unwrap();
    let found: Vec<Value> = gl.get(&format!("/users?username={}", username.to_uppercase())).await.json().await.unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0]["id"], human["id"]);
    let one: Value = gl.get(&format!("/users/{}", human["id"])).await.json().await.unwrap();
    assert_eq!(one["username"], username);
    assert!(one.get("public_email").is_some() && human.get("public_email").is_none(), "public_email only on /users/:id");
    let missing = gl.get("/users/1").await;
    assert_eq!(missing.status(), 404);
    assert_eq!(missing.json::<Value>().await.unwrap()["message"], "404 User Not Found");
}

#[tokio::test]
async fn gitlab_user_and_token_say_who_the_token_is_with_its_rate_limit() {
    let gl = Gl::start().await;
    let owner = gl.sim.state.read().gitlab.accounts.iter().find(|a| a.active && !a.bot).unwrap().clone();
    let response = gl.get("/user").await;
    assert_eq!(response.status(), 200);
    let header = |name: &str| response.headers()[name].to_str().unwrap().to_owned();
    assert_eq!((header("ratelimit-name"), header("ratelimit-limit")), ("throttle_authenticated_api".to_owned(), "2000".to_owned()));
    let observed: u64 = header("ratelimit-observed").parse().unwrap();
    assert_eq!(header("ratelimit-remaining").parse::<u64>().unwrap(), 2000 - observed);
    assert!(header("ratelimit-reset").parse::<i64>().unwrap() > chrono::Utc::now().timestamp() - 1);
    let user: Value = response.json().await.unwrap();
    assert_eq!((user["id"].to_string(), user["username"].as_str()), (owner.id.clone(), Some(owner.login.as_str())));
    assert_eq!((user["name"].as_str(), user["state"].as_str()), (Some(owner.display_name.as_str()), Some("active")));
    assert_eq!(user["email"].as_str(), owner.email.as_deref());

    let token: Value = gl.get("/personal_access_tokens/self").await.json().await.unwrap();
    assert_eq!(token["scopes"], serde_json::json!(["read_api", "read_user"]));
    assert_eq!((token["active"].as_bool(), token["revoked"].as_bool()), (Some(true), Some(false)));
    assert_eq!(token["user_id"], user["id"]);
    assert!(token["id"].is_u64() && token["name"].is_string());
    let expires = chrono::NaiveDate::parse_from_str(token["expires_at"].as_str().unwrap(), "%Y-%m-%d").unwrap();
    assert!(expires > chrono::Utc::now().date_naive(), "not expired");

    let wrong = gl.http.get(gl.url("/user")).header("private-token", "glpat-wrong").send().await.unwrap();
    assert_eq!(wrong.status(), 401);
    assert_eq!(wrong.json::<Value>().await.unwrap(), serde_json::json!({"message": "401 Unauthorized"}));
}

#[tokio::test]
async fn gitlab_refuses_a_token_without_the_scope_as_insufficient_scope() {
    let gl = Gl::start().await;
    let (group, _, _) = gl.first_project();
    crate::helpers::set_scopes(&gl.sim, "gitlab", &["read_user"]).await;
    let projects = gl.get(&format!("/groups/{group}/projects")).await;
    assert_eq!(projects.status(), 403);
    assert!(projects.headers().contains_key("ratelimit-remaining"), "refusals carry the rate limit too");
    let expected = serde_json::json!({"error": "insufficient_scope", "error_description": "The request requires higher privileges than provided by the access token.", "scope": "api read_api"});
    assert_eq!(projects.json::<Value>().await.unwrap(), expected);
    assert_eq!(gl.get("/user").await.status(), 200, "read_user reads /user");
    let token: Value = gl.get("/personal_access_tokens/self").await.json().await.unwrap();
    assert_eq!(token["scopes"], serde_json::json!(["read_user"]));

    crate::helpers::set_scopes(&gl.sim, "gitlab", &["read_repository"]).await;
    let user = gl.get("/user").await;
    assert_eq!(user.status(), 403);
    assert_eq!(user.json::<Value>().await.unwrap()["scope"], "read_user api read_api");
    assert_eq!(gl.get("/personal_access_tokens/self").await.status(), 200, "any token reads itself");
    crate::helpers::set_scopes(&gl.sim, "gitlab", &["api"]).await;
    assert_eq!(gl.get(&format!("/groups/{group}/projects")).await.status(), 200, "api covers read_api");
}

#[tokio::test]
async fn gitlab_unknown_group_is_404() {
    let gl = Gl::start().await;
    let response = gl.get("/groups/no-such-group").await;
    assert_eq!(response.status(), 404);
    assert_eq!(response.json::<Value>().await.unwrap(), serde_json::json!({"message": "404 Group Not Found"}));
}
