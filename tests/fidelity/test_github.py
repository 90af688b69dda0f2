"""The GitHub simulator driven by PyGithub, with pages of five so every list spans pages."""

from datetime import datetime, timezone

import pytest
from github import Auth, Github, GithubException, UnknownObjectException

ORG = "acme-inc"
RENAMED = "sandbox"  # renamed by test_renamed_repository_redirects (last in this file); no other test uses it


@pytest.fixture(scope="module")
def gh(sim, creds):
    return Github(base_url=sim["github"], auth=Auth.Token(creds["githubToken"]), per_page=5, seconds_between_requests=0)


def raw_all(github_http, path, **params):
    """Every item of a list, following `link: rel="next"` with plain HTTP."""
    items, url = [], path
    params.setdefault("per_page", 100)
    while url:
        response = github_http.get(url, **params)
        assert response.status_code == 200, response.text[:300]
        items += response.json()
        url, params = response.links.get("next", {}).get("url"), {}
    return items


def parse(ts):
    return datetime.strptime(ts, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc)


def test_organization(gh, github_http):
    org = gh.get_organization(ORG)
    raw = github_http.get_json(f"/orgs/{ORG}")
    assert (org.login, org.id, org.type) == (ORG, raw["id"], "Organization")
    assert org.total_private_repos == len(raw_all(github_http, f"/orgs/{ORG}/repos")) == 7
    with pytest.raises(UnknownObjectException):
        gh.get_organization("no-such-org")


def test_repos_of_a_fetched_organization(gh, sim):
    """A fetched Organization's links are its /orgs/{org} ones: PyGithub lists repos from {url}/repos."""
    org = gh.get_organization(ORG)
    api = f"{sim['github'].rstrip('/')}/orgs/{ORG}"
    assert (org.url, org.repos_url, org.events_url) == (api, f"{api}/repos", f"{api}/events")
    assert org.members_url == f"{api}/members{{/member}}"
    names = {r.name for r in org.get_repos()}
    assert {"mobile-app", "api-platform"} <= names


def test_org_repositories_all_pages(gh, github_http, admin):
    route = "/orgs/{org}/repos"
    before = admin.count("github", route)
    repos = list(gh.get_organization(ORG).get_repos())
    assert admin.count("github", route) - before >= 2, "seven repos at per_page=5 take two pages"
    expected = raw_all(github_http, f"/orgs/{ORG}/repos")
    assert [r.id for r in repos] == [r["id"] for r in expected]
    assert len({r.name for r in repos}) == len(repos) == 7
    assert {"mobile-app", "api-platform"} <= {r.name for r in repos}
    assert all(r.owner.login == ORG and r.private and r.full_name == f"{ORG}/{r.name}" for r in repos)
    assert gh.get_organization(ORG).get_repos().totalCount == 7


def test_commits_since(gh, github_http):
    repo = gh.get_repo(f"{ORG}/mobile-app")
    everything = raw_all(github_http, f"/repos/{ORG}/mobile-app/commits")
    assert len(everything) > 10
    since = parse(everything[len(everything) // 3]["commit"]["author"]["date"])
    commits = list(repo.get_commits(since=since))
    expected = [c for c in everything if parse(c["commit"]["author"]["date"]) >= since]
    assert len(commits) > 5
    assert [c.sha for c in commits] == [c["sha"] for c in expected]
    dates = [c.commit.author.date for c in commits]
    assert all(d >= since for d in dates) and dates == sorted(dates, reverse=True)
    assert all(c.commit.message for c in commits)
    linked = [c for c in commits if c.author is not None]
    assert linked and all(c.author.login for c in linked)
    detail = repo.get_commit(commits[0].sha)
    assert detail.sha == commits[0].sha and detail.stats.total >= 0


def test_pulls_every_state(gh, github_http):
    repo = gh.get_repo(f"{ORG}/mobile-app")
    pulls = list(repo.get_pulls(state="all"))
    expected = raw_all(github_http, f"/repos/{ORG}/mobile-app/pulls", state="all")
    assert [p.number for p in pulls] == [p["number"] for p in expected]
    assert {p.state for p in pulls} == {"open", "closed"}
    open_numbers = {p.number for p in repo.get_pulls(state="open")}
    assert open_numbers == {p.number for p in pulls if p.state == "open"}
    merged = [p for p in pulls if p.merged_at is not None]
    assert merged and all(p.state == "closed" for p in merged)
    assert merged[0].merged is True  # not in the list item: PyGithub fetches the pull itself
    assert all(p.user.login and p.base.ref == repo.default_branch for p in pulls)


def test_user(gh, github_http):
    pull = github_http.get_json(f"/repos/{ORG}/mobile-app/pulls", state="all", per_page=1)[0]
    login = pull["user"]["login"]
    user = gh.get_user(login)
    raw = github_http.get_json(f"/users/{login}")
    assert (user.login, user.id, user.name, user.type) == (login, raw["id"], raw["name"], "User")
    assert user.name
    with pytest.raises(UnknownObjectException):
        gh.get_user("no-such-user-anywhere")


def test_rate_limit_headers(gh):
    gh.get_repo(f"{ORG}/mobile-app")
    remaining, limit = gh.rate_limiting
    assert limit == 5000 and 0 < remaining < limit
    assert gh.rate_limiting_resettime > datetime.now(timezone.utc).timestamp()


def test_renamed_repository_redirects(gh, admin, github_http):
    before = gh.get_repo(f"{ORG}/{RENAMED}")
    admin.call("POST", f"/github/repos/{RENAMED}/rename", {"newSlug": f"{RENAMED}-renamed"})
    response = github_http.request("GET", f"/repos/{ORG}/{RENAMED}", allow_redirects=False)
    assert response.status_code == 301
    moved = gh.get_repo(f"{ORG}/{RENAMED}")  # PyGithub follows the 301
    assert (moved.id, moved.full_name) == (before.id, f"{ORG}/{RENAMED}-renamed")
    assert [c.sha for c in moved.get_commits()][:5] == [c["sha"] for c in github_http.get_json(f"/repos/{ORG}/{RENAMED}-renamed/commits", per_page=5)]
    assert gh.get_repo(before.id).full_name == f"{ORG}/{RENAMED}-renamed"
    with pytest.raises(GithubException) as e:
        gh.get_repo(f"{ORG}/never-existed")
    assert e.value.status == 404
