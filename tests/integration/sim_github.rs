//! The GitHub simulator over real HTTP: token auth, `link` pagination (every item exactly once,
//! `per_page` capped at 100), `since`/`until`, pull-request state filters, 301 for renamed
//! repositories, 404 for deleted ones, 422 for bad parameters, the rate-limit headers, `/user`
//! and a classic token's scopes.

use crate::helpers::start_sim;
use reqwest::{redirect::Policy, Client, Response, StatusCode};
use serde_json::Value;
use std::collections::{HashMap, HashSet};
use velocity::sim::org::{OrgSize, PrState, Repo};
use velocity::sim::server::RunningSim;

struct Gh {
    sim: RunningSim,
    http: Client,
}

impl Gh {
    async fn start() -> Gh {
        let sim = start_sim(OrgSize::S, 7).await;
        Gh { sim, http: Client::builder().redirect(Policy::none()).build().unwrap() }
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.sim.urls.github)
    }

    async fn get(&self, url: &str) -> Response {
        let token = &self.sim.urls.credentials.github_token;
        self.http.get(url).header("authorization", format!("Bearer {token}")).send().await.unwrap()
    }

    async fn path(&self, path: &str) -> Response {
        self.get(&self.url(path)).await
    }

    /// Follows `rel="next"` from `path`, returning every item and the number of pages.
    async fn walk(&self, path: &str) -> (Vec<Value>, usize) {
        let (mut items, mut pages, mut next) = (Vec::new(), 0, Some(self.url(path)));
        while let Some(url) = next {
            let response = self.get(&url).await;
            assert_eq!(response.status(), 200, "{url}");
            next = links(&response).get("next").cloned();
            items.extend(response.json::<Vec<Value>>().await.unwrap());
            pages += 1;
            assert!(pages < 200, "pagination does not end");
        }
        (items, pages)
    }

    async fn walk_owned(&self, path: String) -> Vec<Value> {
        self.walk(&path).await.0
    }

    /// The org login and the first live repository's slug.
    fn first_repo(&self) -> (String, String) {
        let org = self.sim.state.read();
        (org.github.owner.clone(), org.github.repos.iter().find(|r| !r.deleted && !r.commits.is_empty()).unwrap().slug.clone())
    }

    fn with_repo<T>(&self, slug: &str, f: impl FnOnce(&mut Repo) -> T) -> T {
        let mut org = self.sim.state.write();
        f(org.github.repos.iter_mut().find(|r| r.slug == slug).unwrap())
    }
}

fn links(response: &Response) -> HashMap<String, String> {
    let header = response.headers().get("link").map(|v| v.to_str().unwrap().to_owned()).unwrap_or_default();
    header
        .split(", ")
        .filter_map(|part| part.split_once(">; rel=\""))
        .map(|(url, rel)| (rel.trim_end_matches('"').to_owned(), url.trim_start_matches('<').to_owned()))
        .collect()
}

#[tokio::test]
async fn github_rejects_missing_and_wrong_tokens_with_bad_credentials() {
    let gh = Gh::start().await;
    let (owner, _) = gh.first_repo();
    let url = gh.url(&format!("/orgs/{owner}/repos"));
    for request in [gh.http.get(&url), gh.http.get(&url).header("authorization", "Bearer nope")] {
        let response = request.send().await.unwrap();
        assert_eq!(response.status(), 401);
        assert_eq!(response.headers()["x-ratelimit-limit"], "5000", "rate-limit headers on errors too");
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["message"], "Bad credentials");
        assert_eq!(body["status"], "401");
    }
    let token = &gh.sim.urls.credentials.github_token;
    let ok = gh.http.get(&url).header("authorization", format!("token {token}")).send().await.unwrap();
    assert_eq!(ok.status(), 200);
}

#[tokio::test]
async fn github_org_repos_walk_every_live_repo_once_and_skip_deleted() {
    let gh = Gh::start().await;
    let (owner, gone) = gh.first_repo();
    gh.with_repo(&gone, |r| r.deleted = true);
    let expected: HashSet<u64> = gh.sim.state.read().github.repos.iter().filter(|r| !r.deleted).map(|r| r.numeric_id).collect();
    assert!(expected.len() > 2, "enough repositories for several pages");
    let (items, pages) = gh.walk(&format!("/orgs/{owner}/repos?per_page=2&sort=full_name")).await;
    let ids: Vec<u64> = items.iter().map(|r| r["id"].as_u64().unwrap()).collect();
    assert_eq!(ids.len(), expected.len(), "no repository twice");
    assert_eq!(ids.iter().copied().collect::<HashSet<_>>(), expected);
    assert_eq!(pages, expected.len().div_ceil(2));
    let names: Vec<&str> = items.iter().map(|r| r["name"].as_str().unwrap()).collect();
    assert!(names.windows(2).all(|w| w[0].to_lowercase() <= w[1].to_lowercase()), "full_name sorts ascending");
    assert!(items.iter().all(|r| r["full_name"] == format!("{owner}/{}", r["name"].as_str().unwrap()) && r["owner"]["login"] == owner.as_str()));

    let first = gh.path(&format!("/orgs/{owner}/repos?per_page=2")).await;
    let rels = links(&first);
    assert!(rels.contains_key("next") && rels.contains_key("last") && !rels.contains_key("prev"));
    assert!(rels["next"].contains("per_page=2") && rels["next"].contains("page=2"));
    let single = gh.path(&format!("/orgs/{owner}/repos?per_page=100")).await;
    assert!(single.headers().get("link").is_none(), "no link header on a single page");
    assert_eq!(gh.path("/orgs/someone-else/repos").await.status(), 404);
}

#[tokio::test]
async fn github_commits_come_newest_first_in_pages_of_at_most_100() {
    let gh = Gh::start().await;
    let (owner, slug) = gh.first_repo();
    let total = gh.with_repo(&slug, |r| {
        let last = r.commits.last().cloned().unwrap();
        for i in 0..120u64 {
            let mut c = last.clone();
            c.sha = format!("{:040x}", 0xfeed_0000 + i);
            c.date = last.date + chrono::Duration::seconds(i as i64 + 1);
            r.commits.push(c);
        }
        r.commits.len()
    });
    assert!(total > 150);
    let capped = gh.path(&format!("/repos/{owner}/{slug}/commits?per_page=500")).await;
    assert_eq!(capped.json::<Vec<Value>>().await.unwrap().len(), 100);
    let (items, pages) = gh.walk(&format!("/repos/{owner}/{slug}/commits?per_page=100")).await;
    assert_eq!(pages, total.div_ceil(100));
    let shas: Vec<&str> = items.iter().map(|c| c["sha"].as_str().unwrap()).collect();
    let expected: Vec<String> = gh.with_repo(&slug, |r| r.commits.iter().rev().map(|c| c.sha.clone()).collect());
    assert_eq!(shas, expected, "every commit once, newest first");
    assert_eq!(items[0]["parents"][0]["sha"], items[1]["sha"]);
    let default_page = gh.path(&format!("/repos/{owner}/{slug}/commits")).await;
    assert_eq!(default_page.json::<Vec<Value>>().await.unwrap().len(), 30, "per_page defaults to 30");
    let oldest = expected.last().unwrap();
    let one = gh.path(&format!("/repos/{owner}/{slug}/commits/{}", &oldest[..12])).await.json::<Value>().await.unwrap();
    assert_eq!((one["sha"].as_str(), one["parents"].as_array().map(Vec::len)), (Some(oldest.as_str()), Some(0)));
    assert!(one["stats"]["total"].is_u64(), "the single commit has stats");
    assert_eq!(gh.path(&format!("/repos/{owner}/{slug}/commits/deadbeefcafe")).await.status(), 422);
}

#[tokio::test]
async fn github_commits_since_and_until_filter_and_bad_dates_are_422() {
    let gh = Gh::start().await;
    let (owner, slug) = gh.first_repo();
    let dates: Vec<_> = gh.with_repo(&slug, |r| r.commits.iter().map(|c| c.date).collect());
    let whole = |i: usize| chrono::DateTime::from_timestamp(dates[i].timestamp(), 0).unwrap();
    let (since, until) = (whole(dates.len() / 3), whole(2 * dates.len() / 3));
    let fmt = |t: chrono::DateTime<chrono::Utc>| t.format("%Y-%m-%dT%H:%M:%SZ").to_string();
    let path = format!("/repos/{owner}/{slug}/commits?per_page=100&since={}&until={}", fmt(since), fmt(until));
    let (items, _) = gh.walk(&path).await;
    let expected = dates.iter().filter(|d| **d >= since && **d <= until).count();
    assert_eq!(items.len(), expected);
    for c in &items {
        let date = chrono::DateTime::parse_from_rfc3339(c["commit"]["author"]["date"].as_str().unwrap()).unwrap();
        assert!(date >= since && date <= until);
    }
    for bad in ["since=yesterday", "until=2024-13-45T00:00:00Z", "per_page=lots"] {
        let response = gh.path(&format!("/repos/{owner}/{slug}/commits?{bad}")).await;
        assert_eq!(response.status(), 422, "{bad}");
        assert_eq!(response.json::<Value>().await.unwrap()["message"], "Validation Failed");
    }
}

#[tokio::test]
async fn github_pull_state_filters_match_the_model() {
    let gh = Gh::start().await;
    let (owner, slug) = gh.first_repo();
    let states: Vec<PrState> = gh.with_repo(&slug, |r| {
        r.pull_requests[0].deleted = true;
        r.pull_requests.iter().filter(|p| !p.deleted).map(|p| p.state).collect()
    });
    let count = |f: fn(&PrState) -> bool| states.iter().filter(|s| f(s)).count();
    let list = |state: &str| gh.walk_owned(format!("/repos/{owner}/{slug}/pulls?per_page=3{state}"));
    let open = list("").await;
    assert_eq!(open.len(), count(|s| *s == PrState::Open), "state defaults to open");
    assert!(open.iter().all(|p| p["state"] == "open" && p["merged_at"].is_null()));
    let closed = list("&state=closed").await;
    assert_eq!(closed.len(), count(|s| *s != PrState::Open));
    let merged = closed.iter().filter(|p| !p["merged_at"].is_null()).count();
    assert_eq!(merged, count(|s| *s == PrState::Merged), "merged pulls are closed with merged_at");
    assert!(closed.iter().all(|p| p["state"] == "closed" && !p["closed_at"].is_null()));
    assert_eq!(list("&state=all").await.len(), states.len(), "deleted pull requests are gone");
    assert_eq!(gh.path(&format!("/repos/{owner}/{slug}/pulls?state=merged")).await.status(), 422);
    assert_eq!(gh.path(&format!("/repos/{owner}/{slug}/pulls/1")).await.status(), 404, "deleted pull");
    let detail: Value = gh.path(&format!("/repos/{owner}/{slug}/pulls/2")).await.json().await.unwrap();
    assert_eq!(detail["number"], 2);
    assert!(detail["merged"].is_boolean() && detail["base"]["ref"].is_string() && detail["user"]["login"].is_string());
}

#[tokio::test]
async fn github_renamed_repo_redirects_and_deleted_repo_is_404() {
    let gh = Gh::start().await;
    let (owner, slug) = gh.first_repo();
    let id = gh.with_repo(&slug, |r| {
        r.previous_slugs.push(slug.clone());
        r.slug = format!("{slug}-renamed");
        r.numeric_id
    });
    let moved = gh.path(&format!("/repos/{owner}/{slug}/commits?per_page=5")).await;
    assert_eq!(moved.status(), StatusCode::MOVED_PERMANENTLY);
    let location = gh.url(&format!("/repos/{owner}/{slug}-renamed/commits?per_page=5"));
    assert_eq!(moved.headers()["location"], location.as_str());
    let body: Value = moved.json().await.unwrap();
    assert_eq!(body["message"], "Moved Permanently");
    assert_eq!(body["url"], location.as_str());
    assert_eq!(gh.get(&location).await.json::<Vec<Value>>().await.unwrap().len(), 5);
    let by_id: Value = gh.path(&format!("/repositories/{id}")).await.json().await.unwrap();
    assert_eq!(by_id["name"], format!("{slug}-renamed"));

    gh.with_repo(&format!("{slug}-renamed"), |r| r.deleted = true);
    for path in [format!("/repos/{owner}/{slug}-renamed"), format!("/repos/{owner}/{slug}"), format!("/repos/{owner}/no-such-repo/pulls"), "/users/nobody-here".into()] {
        let response = gh.path(&path).await;
        assert_eq!(response.status(), 404, "{path}");
        let body: Value = response.json().await.unwrap();
        assert_eq!((body["message"].as_str(), body["status"].as_str()), (Some("Not Found"), Some("404")));
    }
}

#[tokio::test]
async fn github_rate_limit_headers_count_down_on_every_response() {
    let gh = Gh::start().await;
    let (owner, _) = gh.first_repo();
    let a = gh.path(&format!("/orgs/{owner}/members")).await;
    let b = gh.path("/repos/nobody/nothing").await;
    let header = |r: &Response, name: &str| r.headers()[name].to_str().unwrap().to_owned();
    for r in [&a, &b] {
        assert_eq!(header(r, "x-ratelimit-limit"), "5000");
        assert_eq!(header(r, "x-ratelimit-resource"), "core");
        assert_eq!(header(r, "content-type"), "application/json; charset=utf-8");
        let reset: i64 = header(r, "x-ratelimit-reset").parse().unwrap();
        let ahead = reset - chrono::Utc::now().timestamp();
        assert!((3500..=3600).contains(&ahead), "reset an hour ahead, got {ahead}s");
    }
    let remaining = |r: &Response| header(r, "x-ratelimit-remaining").parse::<u64>().unwrap();
    assert_eq!(remaining(&a), remaining(&b) + 1);
    assert_eq!(header(&b, "x-ratelimit-used").parse::<u64>().unwrap() + remaining(&b), 5000);
}

#[tokio::test]
async fn github_users_members_and_commit_authors() {
    let gh = Gh::start().await;
    let (owner, slug) = gh.first_repo();
    let bot: Value = gh.path("/users/dependabot[bot]").await.json().await.unwrap();
    assert_eq!(bot["type"], "Bot");
    let (members, _) = gh.walk(&format!("/orgs/{owner}/members?per_page=5")).await;
    assert!(!members.is_empty() && members.iter().all(|m| m["type"] == "User"));
    let login = members[0]["login"].as_str().unwrap();
    let user: Value = gh.path(&format!("/users/{}", login.to_uppercase())).await.json().await.unwrap();
    assert_eq!((user["login"].as_str(), user["id"].as_u64()), (Some(login), members[0]["id"].as_u64()));
    assert!(user["name"].is_string() && user.get("email").is_some());
    let unlinked = gh.with_repo(&slug, |r| r.commits.iter().rev().position(|c| c.author_account.is_none()));
    let (items, _) = gh.walk(&format!("/repos/{owner}/{slug}/commits?per_page=100")).await;
    if let Some(i) = unlinked {
        assert!(items[i]["author"].is_null(), "no account → author null");
        assert!(items[i]["commit"]["author"]["email"].is_string());
    }
    assert!(items.iter().any(|c| c["author"]["login"].is_string()));
}

#[tokio::test]
async fn github_org_links_live_under_orgs() {
    let gh = Gh::start().await;
    let (owner, _) = gh.first_repo();
    let org: Value = gh.path(&format!("/orgs/{owner}")).await.json().await.unwrap();
    let api = gh.url(&format!("/orgs/{owner}"));
    assert_eq!(org["url"], api.as_str());
    assert_eq!(org["repos_url"], format!("{api}/repos"));
    assert_eq!(org["events_url"], format!("{api}/events"));
    assert_eq!(org["members_url"], format!("{api}/members{{/member}}"));
    assert_eq!(org["type"], "Organization");
    let live = gh.sim.state.read().github.repos.iter().filter(|r| !r.deleted).count();
    assert_eq!(org["total_private_repos"].as_u64(), Some(live as u64));
    let repos = gh.get(org["repos_url"].as_str().unwrap()).await;
    assert_eq!(repos.status(), 200, "repos_url is served");
    // As an account (/users/{org}, repository owners) the organisation keeps its user links.
    let as_user: Value = gh.path(&format!("/users/{owner}")).await.json().await.unwrap();
    assert_eq!(as_user["url"], gh.url(&format!("/users/{owner}")).as_str());
}

#[tokio::test]
async fn github_user_is_the_token_owner_with_its_scopes_and_rate_limit() {
    let gh = Gh::start().await;
    let owner = gh.sim.state.read().github.accounts.iter().find(|a| a.active && !a.bot).unwrap().clone();
    let response = gh.path("/user").await;
    assert_eq!(response.status(), 200);
    let header = |name: &str| response.headers()[name].to_str().unwrap().to_owned();
    assert_eq!(header("x-oauth-scopes"), "repo, read:org, read:user, user:email");
    assert_eq!((header("x-ratelimit-limit"), header("x-ratelimit-resource")), ("5000".to_owned(), "core".to_owned()));
    let used: u64 = header("x-ratelimit-used").parse().unwrap();
    assert_eq!(header("x-ratelimit-remaining").parse::<u64>().unwrap(), 5000 - used);
    let user: Value = response.json().await.unwrap();
    assert_eq!((user["login"].as_str(), user["id"].to_string()), (Some(owner.login.as_str()), owner.id.clone()));
    assert_eq!((user["name"].as_str(), user["type"].as_str()), (Some(owner.display_name.as_str()), Some("User")));
    assert_eq!(user["two_factor_authentication"], true, "private fields with read:user");

    let wrong = gh.http.get(gh.url("/user")).bearer_auth("ghp_wrong").send().await.unwrap();
    assert_eq!(wrong.status(), 401);
    assert_eq!(wrong.json::<Value>().await.unwrap()["message"], "Bad credentials");
}

#[tokio::test]
async fn github_without_repo_or_read_org_hides_private_repos_and_members() {
    let gh = Gh::start().await;
    let (owner, slug) = gh.first_repo();
    crate::helpers::set_scopes(&gh.sim, "github", &["read:user"]).await;

    let repo = gh.path(&format!("/repos/{owner}/{slug}")).await;
    assert_eq!(repo.status(), 404, "a private repository is hidden, not forbidden");
    assert_eq!(repo.headers()["x-accepted-oauth-scopes"], "repo");
    assert_eq!(repo.headers()["x-oauth-scopes"], "read:user");
    assert_eq!(repo.json::<Value>().await.unwrap()["message"], "Not Found");
    let members = gh.path(&format!("/orgs/{owner}/members")).await;
    assert_eq!(members.status(), 200);
    assert_eq!(members.headers()["x-accepted-oauth-scopes"], "read:org, write:org, admin:org");
    assert_eq!(members.json::<Vec<Value>>().await.unwrap().len(), 0, "only public members, and every membership is private");
    assert_eq!(gh.path(&format!("/orgs/{owner}/repos")).await.json::<Vec<Value>>().await.unwrap().len(), 0, "only public repositories");
    assert_eq!(gh.path(&format!("/orgs/{owner}")).await.status(), 200, "the organisation itself is public");
    assert_eq!(gh.path("/user").await.status(), 200, "any token may ask who it is");

    crate::helpers::set_scopes(&gh.sim, "github", &[]).await;
    let bare = gh.path("/user").await;
    assert_eq!(bare.headers()["x-oauth-scopes"], "");
    assert!(bare.json::<Value>().await.unwrap().get("two_factor_authentication").is_none(), "no private fields without user or read:user");
    crate::helpers::set_scopes(&gh.sim, "github", &["admin:org", "repo"]).await;
    assert!(!gh.path(&format!("/orgs/{owner}/members")).await.json::<Vec<Value>>().await.unwrap().is_empty(), "admin:org includes read:org");
    assert_eq!(gh.path(&format!("/repos/{owner}/{slug}")).await.status(), 200);
}

#[tokio::test]
async fn github_unknown_org_is_404() {
    let gh = Gh::start().await;
    let response = gh.path("/orgs/no-such-org").await;
    assert_eq!(response.status(), 404);
    let body: Value = response.json().await.unwrap();
    assert_eq!((body["message"].as_str(), body["status"].as_str()), (Some("Not Found"), Some("404")));
    assert!(body["documentation_url"].as_str().unwrap().starts_with("https://docs.github.com/"));
}
