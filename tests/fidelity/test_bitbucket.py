"""The Bitbucket Cloud simulator driven by atlassian-python-api's `atlassian.bitbucket.Cloud`.

Cloud(url=base) appends /2.0 itself, so it gets the simulator's base URL as is.
"""

import pytest
from atlassian.bitbucket import Cloud
from requests import HTTPError

WORKSPACE = "acme"
PR_STATES = ["OPEN", "MERGED", "DECLINED", "SUPERSEDED"]


@pytest.fixture(scope="module")
def cloud(sim, creds):
    return Cloud(url=sim["bitbucket"], token=creds["bitbucketToken"])


@pytest.fixture(scope="module")
def repo(cloud):
    return cloud.repositories.get(WORKSPACE, "platform-api")


def raw_all(bitbucket_http, path, **params):
    """Every value of a paginated list, following `next` with plain HTTP."""
    values, url = [], path
    while url:
        page = bitbucket_http.get_json(url, **params)
        values += page["values"]
        url, params = page.get("next"), {}
    return values


def test_workspace(cloud):
    ws = cloud.workspaces.get(WORKSPACE)
    assert ws.slug == WORKSPACE
    assert ws.uuid.startswith("{") and ws.uuid.endswith("}")
    assert cloud.workspaces.get(ws.uuid).slug == WORKSPACE
    assert cloud.workspaces.exists(WORKSPACE)
    assert not cloud.workspaces.exists("no-such-workspace")


def test_basic_auth_with_token_as_password(sim, creds):
    basic = Cloud(url=sim["bitbucket"], username="x-token-auth", password=creds["bitbucketToken"])
    assert basic.repositories.get(WORKSPACE, "billing-service").slug == "billing-service"
    wrong = Cloud(url=sim["bitbucket"], token="not-the-token")
    with pytest.raises(HTTPError) as e:
        wrong.repositories.get(WORKSPACE, "billing-service")
    assert e.value.response.status_code == 401


def test_workspace_repositories_all_pages(cloud, bitbucket_http):
    repos = cloud.workspaces.get(WORKSPACE).repositories
    slugs = [r.slug for r in repos.each()]
    # The pager each() runs, with pages of two so it must follow `next` four times.
    paged = [r["slug"] for r in repos._get_paged(None, params={"pagelen": 2})]
    expected = [r["slug"] for r in raw_all(bitbucket_http, f"/2.0/repositories/{WORKSPACE}", pagelen=100)]
    assert slugs == paged == expected
    assert len(set(slugs)) == len(slugs) == 7
    assert {"platform-api", "mobile-app-ios", "billing-service"} <= set(slugs)
    last = bitbucket_http.get_json(f"/2.0/repositories/{WORKSPACE}", pagelen=2, page=4)
    assert "next" not in last and last["previous"] and last["size"] == 7


def test_repository_by_slug_and_uuid(cloud, repo, bitbucket_http):
    assert (repo.slug, repo.name) == ("platform-api", "platform-api")
    assert repo.uuid.startswith("{")
    assert repo.is_private is True
    assert cloud.repositories.get(WORKSPACE, repo.uuid).slug == "platform-api"
    with pytest.raises(HTTPError) as e:
        cloud.repositories.get(WORKSPACE, "no-such-repo")
    assert e.value.response.status_code == 404
    # The client raises with Bitbucket's {"type": "error", "error": {"message": …}}.
    raw = bitbucket_http.get(f"/2.0/repositories/{WORKSPACE}/no-such-repo").json()
    assert raw["type"] == "error" and str(e.value) == raw["error"]["message"] != ""


def test_commits_newest_first_across_pages(repo, bitbucket_http):
    commits = list(repo.commits.each())
    expected = raw_all(bitbucket_http, f"/2.0/repositories/{WORKSPACE}/platform-api/commits", pagelen=100)
    assert len(commits) > 30  # more than one page at the default pagelen
    assert [c.hash for c in commits] == [c["hash"] for c in expected]
    dates = [c.date for c in commits]
    assert dates == sorted(dates, reverse=True)
    for newer, older in zip(commits, commits[1:]):
        assert [p.hash for p in newer.parents()] == [older.hash]
    linked = [c for c, raw in zip(commits, expected) if raw["author"].get("user")]
    assert linked, "no commit author is linked to a Bitbucket account"
    assert all(c.author.uuid.startswith("{") and c.author.display_name for c in linked)
    assert any(c.author.account_id for c in linked)
    one = repo.commits.get(commits[5].hash)
    assert (one.hash, one.message) == (commits[5].hash, commits[5].message)


def test_open_pull_requests(repo, bitbucket_http):
    """Without `state`, Bitbucket lists OPEN pull requests only."""
    prs = list(repo.pullrequests.each())
    expected = raw_all(bitbucket_http, f"/2.0/repositories/{WORKSPACE}/platform-api/pullrequests")
    assert prs, "platform-api has no open pull request"
    assert [p.id for p in prs] == [p["id"] for p in expected]
    assert all(p.is_open for p in prs)
    main = repo.get_data("mainbranch")["name"]
    assert all(p.destination_branch == main != p.source_branch for p in prs)


def test_pull_requests_every_state(repo, bitbucket_http):
    everything = list(repo.pullrequests._get_paged(None, trailing=True, params={"state": PR_STATES, "pagelen": 5}))
    expected = raw_all(bitbucket_http, f"/2.0/repositories/{WORKSPACE}/platform-api/pullrequests", state=PR_STATES, pagelen=50)
    assert [p["id"] for p in everything] == [p["id"] for p in expected]
    states = {p["state"] for p in everything}
    assert {"OPEN", "MERGED"} <= states <= set(PR_STATES)
    merged = next(p for p in everything if p["state"] == "MERGED")
    pr = repo.pullrequests.get(merged["id"])
    assert pr.is_merged and not pr.is_open
    assert pr.title == merged["title"]
    assert pr.author.display_name
    assert pr.created_on <= pr.updated_on
