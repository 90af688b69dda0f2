//! The scopes each simulator's token holds, what each route needs, and how each platform refuses
//! a token without it, as the platforms document it. GitHub: classic scopes (`repo`; `read:org`,
//! which `write:org` and `admin:org` include), a private repository answered 404 rather than 403
//! to a token without `repo`, `x-oauth-scopes` and `x-accepted-oauth-scopes` on every answer.
//! GitLab: token scopes (`read_api`, `read_user`; `api` covers both), 403 `insufficient_scope`
//! naming the scopes the route accepts. Bitbucket: API-token scopes (`read:repository:bitbucket`,
//! …), 403 naming the required and the granted scopes, the same two headers as GitHub. Slack:
//! bot scopes, `missing_scope` with HTTP 200 (refused in its handlers, which authenticate from the
//! form too). Jira API tokens have no scopes: they act with their user's permissions.

use super::server::{Sim, SimState};
use axum::extract::{MatchedPath, Request, State};
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;
use std::sync::Arc;

/// What Velocity needs, the default grant of each token (comma-separated, as the flags take them).
pub const GITHUB: &str = "repo,read:org,read:user,user:email";
pub const GITLAB: &str = "read_api,read_user";
pub const BITBUCKET: &str = "read:repository:bitbucket,read:workspace:bitbucket,read:pullrequest:bitbucket,read:user:bitbucket";
pub const SLACK: &str = "users:read,users:read.email";

/// A comma-separated list as a scope list.
pub fn split(list: &str) -> Vec<String> {
    normalize(list.split(',').map(str::to_owned))
}

/// Trimmed, empty entries and repeats dropped, order kept.
pub fn normalize(scopes: impl IntoIterator<Item = String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for scope in scopes.into_iter().map(|s| s.trim().to_owned()) {
        if !scope.is_empty() && !out.contains(&scope) {
            out.push(scope);
        }
    }
    out
}

/// A list given to the admin API: every entry a non-empty scope name without spaces or commas.
pub fn parse(scopes: Vec<String>) -> Result<Vec<String>, String> {
    match scopes.iter().find(|s| s.trim().is_empty() || s.trim().contains(|c: char| c == ',' || c.is_whitespace())) {
        Some(bad) => Err(format!("'{bad}' is not a scope name: give one scope per entry, without spaces or commas")),
        None => Ok(normalize(scopes)),
    }
}

/// The scopes of which `sim` accepts any one for `route` (an axum route pattern such as
/// `/orgs/{org}/members`); empty when any token may use it, as every who-am-I route but
/// Bitbucket's may.
pub fn accepted(sim: Sim, route: &str) -> &'static [&'static str] {
    match sim {
        Sim::Github if route == "/orgs/{org}/members" => &["read:org", "write:org", "admin:org"],
        Sim::Github if route == "/orgs/{org}/repos" || route.starts_with("/repos/") || route.starts_with("/repositories/") => &["repo"],
        Sim::Gitlab if route == "/api/v4/personal_access_tokens/self" => &[],
        Sim::Gitlab if route == "/api/v4/user" || route.starts_with("/api/v4/users") => &["read_user", "api", "read_api"],
        Sim::Gitlab if route.starts_with("/api/v4/") => &["api", "read_api"],
        Sim::Bitbucket if route.contains("/pullrequests") => &["read:pullrequest:bitbucket"],
        Sim::Bitbucket if route.starts_with("/2.0/repositories/") => &["read:repository:bitbucket"],
        Sim::Bitbucket if route.starts_with("/2.0/workspaces/") => &["read:workspace:bitbucket"],
        Sim::Bitbucket if route == "/2.0/user" || route.starts_with("/2.0/users/") => &["read:user:bitbucket"],
        Sim::Slack if route == "/api/users.list" || route == "/api/users.info" => &["users:read"],
        Sim::Slack if route == "/api/users.lookupByEmail" => &["users:read.email"],
        _ => &[],
    }
}

/// Whether a token holding `granted` may use a route that accepts `accepted`.
pub fn allows(granted: &[String], accepted: &[&str]) -> bool {
    accepted.is_empty() || granted.iter().any(|g| accepted.contains(&g.as_str()))
}

/// Whether `sim` refuses a request to `route` without its scope, rather than answering it with
/// what needs no scope: GitHub lists only public repositories and public members of an
/// organisation to a token without `repo` or `read:org` (its handlers do that) and hides a
/// private repository behind a 404.
fn refuses(sim: Sim, route: &str) -> bool {
    sim != Sim::Github || route.starts_with("/repos/") || route.starts_with("/repositories/")
}

/// The platform's answer to a token without any of the `accepted` scopes.
pub fn refusal(sim: Sim, granted: &[String], accepted: &[&str]) -> Response {
    match sim {
        Sim::Github => super::github::not_found(),
        Sim::Gitlab => {
            let body = json!({"error": "insufficient_scope", "error_description": "The request requires higher privileges than provided by the access token.", "scope": accepted.join(" ")});
            (StatusCode::FORBIDDEN, Json(body)).into_response()
        }
        Sim::Bitbucket => {
            let error = json!({"message": "Your credentials lack one or more required privilege scopes.", "detail": {"granted": granted, "required": accepted}});
            (StatusCode::FORBIDDEN, Json(json!({"type": "error", "error": error}))).into_response()
        }
        Sim::Slack => Json(json!({"ok": false, "error": "missing_scope", "needed": accepted.join(","), "provided": granted.join(",")})).into_response(),
        Sim::Jira | Sim::Admin => StatusCode::FORBIDDEN.into_response(),
    }
}

/// `x-oauth-scopes` (what the token has) and `x-accepted-oauth-scopes` (what the route accepts,
/// when it needs a scope), where the platform sends them: GitHub and Bitbucket separate with ", ",
/// Slack with ",". GitLab sends neither.
pub fn with_headers(sim: Sim, mut response: Response, granted: &[String], accepted: &[&str]) -> Response {
    let sep = match sim {
        Sim::Github | Sim::Bitbucket => ", ",
        Sim::Slack => ",",
        Sim::Jira | Sim::Gitlab | Sim::Admin => return response,
    };
    let mut set = |name: &'static str, value: String| {
        if let Ok(v) = value.parse() {
            response.headers_mut().insert(name, v);
        }
    };
    set("x-oauth-scopes", granted.join(sep));
    if !accepted.is_empty() {
        set("x-accepted-oauth-scopes", accepted.join(sep));
    }
    response
}

/// Middleware for the GitHub, GitLab and Bitbucket routers, inside their authentication: refuses
/// a route the token's scopes do not cover the platform's way, and adds the scope headers.
pub async fn gate(State((state, sim)): State<(Arc<SimState>, Sim)>, request: Request, next: Next) -> Response {
    let route = request.extensions().get::<MatchedPath>().map(|p| p.as_str().to_owned()).unwrap_or_default();
    let granted = state.granted(sim);
    let accepted = accepted(sim, &route);
    let response = if allows(&granted, accepted) || !refuses(sim, &route) { next.run(request).await } else { refusal(sim, &granted, accepted) };
    with_headers(sim, response, &granted, accepted)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn granted(list: &str) -> Vec<String> {
        split(list)
    }

    #[test]
    fn lists_are_trimmed_deduplicated_and_keep_their_order() {
        assert_eq!(split(" repo, read:org,,repo "), ["repo", "read:org"]);
        assert!(split("").is_empty());
        assert_eq!(parse(vec!["users:read".into(), " users:read ".into()]), Ok(vec!["users:read".to_owned()]));
        assert!(parse(vec!["repo,read:org".into()]).is_err());
        assert!(parse(vec!["read api".into()]).is_err());
        assert!(parse(vec![" ".into()]).is_err());
        assert_eq!(parse(Vec::new()), Ok(Vec::new()));
    }

    #[test]
    fn github_routes_need_repo_or_an_org_scope_and_who_am_i_needs_none() {
        assert_eq!(accepted(Sim::Github, "/repos/{owner}/{repo}/pulls"), ["repo"]);
        assert_eq!(accepted(Sim::Github, "/repositories/{id}/commits/{sha}"), ["repo"]);
        assert_eq!(accepted(Sim::Github, "/orgs/{org}/repos"), ["repo"]);
        assert!(allows(&granted("admin:org"), accepted(Sim::Github, "/orgs/{org}/members")), "admin:org includes read:org");
        assert!(!allows(&granted("repo,read:user"), accepted(Sim::Github, "/orgs/{org}/members")));
        for route in ["/user", "/orgs/{org}", "/users/{login}", "/rate_limit"] {
            assert!(allows(&[], accepted(Sim::Github, route)), "{route}");
        }
        assert!(refuses(Sim::Github, "/repos/{owner}/{repo}") && !refuses(Sim::Github, "/orgs/{org}/members"));
    }

    #[test]
    fn gitlab_reads_need_read_api_or_api_and_users_also_take_read_user() {
        let read_user = granted("read_user");
        assert!(allows(&read_user, accepted(Sim::Gitlab, "/api/v4/user")));
        assert!(allows(&read_user, accepted(Sim::Gitlab, "/api/v4/users/{id}")));
        assert!(!allows(&read_user, accepted(Sim::Gitlab, "/api/v4/groups/{id}/projects")));
        assert!(allows(&granted("api"), accepted(Sim::Gitlab, "/api/v4/projects/{id}/merge_requests")));
        assert!(allows(&[], accepted(Sim::Gitlab, "/api/v4/personal_access_tokens/self")), "any token reads itself");
        assert_eq!(accepted(Sim::Gitlab, "/api/v4/user").join(" "), "read_user api read_api");
    }

    #[test]
    fn bitbucket_and_slack_name_one_scope_per_route() {
        assert_eq!(accepted(Sim::Bitbucket, "/2.0/repositories/{workspace}/{repo_slug}/pullrequests/"), ["read:pullrequest:bitbucket"]);
        assert_eq!(accepted(Sim::Bitbucket, "/2.0/repositories/{workspace}/{repo_slug}/commits/{revision}"), ["read:repository:bitbucket"]);
        assert_eq!(accepted(Sim::Bitbucket, "/2.0/workspaces/{workspace}/members"), ["read:workspace:bitbucket"]);
        assert_eq!(accepted(Sim::Bitbucket, "/2.0/user"), ["read:user:bitbucket"]);
        assert_eq!(accepted(Sim::Slack, "/api/users.list"), ["users:read"]);
        assert_eq!(accepted(Sim::Slack, "/api/users.lookupByEmail"), ["users:read.email"]);
        assert!(accepted(Sim::Slack, "/api/auth.test").is_empty());
        assert!(accepted(Sim::Jira, "/rest/api/3/myself").is_empty());
    }

    #[test]
    fn flags_take_comma_separated_scopes_and_default_to_what_velocity_needs() {
        #[derive(clap::Parser)]
        struct Cli {
            #[command(flatten)]
            credentials: crate::sim::server::Credentials,
        }
        let defaults = <Cli as clap::Parser>::parse_from(["sim"]).credentials;
        assert_eq!((defaults.github_scopes, defaults.slack_scopes), (split(GITHUB), split(SLACK)));
        let set = <Cli as clap::Parser>::parse_from(["sim", "--github-scopes", "repo, read:org", "--gitlab-scopes", ""]).credentials;
        assert_eq!(normalize(set.github_scopes), ["repo", "read:org"]);
        assert!(normalize(set.gitlab_scopes).is_empty(), "an empty list grants nothing");
        assert_eq!(set.bitbucket_scopes, split(BITBUCKET));
    }

    #[test]
    fn the_defaults_cover_every_route_velocity_reads() {
        let routes = [
            (Sim::Github, GITHUB, "/orgs/{org}/members"), (Sim::Github, GITHUB, "/repos/{owner}/{repo}/commits"),
            (Sim::Gitlab, GITLAB, "/api/v4/groups/{id}/members/all"), (Sim::Gitlab, GITLAB, "/api/v4/users"),
            (Sim::Bitbucket, BITBUCKET, "/2.0/repositories/{workspace}/{repo_slug}/pullrequests"), (Sim::Bitbucket, BITBUCKET, "/2.0/user"),
            (Sim::Slack, SLACK, "/api/users.lookupByEmail"),
        ];
        for (sim, defaults, route) in routes {
            assert!(allows(&split(defaults), accepted(sim, route)), "{sim:?} {route}");
        }
    }
}
