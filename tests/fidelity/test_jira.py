"""The Jira Cloud simulator driven by real clients: `jira` (pycontribs) and atlassian-python-api,
each on REST v2 (both clients' default) and on v3.

Expected values come from plain HTTP against the simulator (`jira_http`) or from the org's
known shape (org S, seed 7), never from the client under test.
"""

from datetime import datetime

import pytest
from atlassian import Jira
from jira import JIRA, JIRAError

LIVE_PROJECTS = {"MOBILE", "MOB", "PLAT", "BILL", "DWH", "DATA", "IAM", "PAY", "PAYOPS", "GRO", "SRCH", "OPS", "HR"}
STATUS_CATEGORIES = {"new", "indeterminate", "done"}
# What GET /rest/api/3/field maps these JQL clause names to (system fields: clause name == field id).
SYSTEM_FIELD_CLAUSES = {name: name for name in ["summary", "status", "assignee", "created", "updated", "project", "issuetype"]}


def jira_time(text):
    """Jira's timestamps: 2021-01-17T12:34:00.000+0000."""
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%f%z")


def all_issues(jira_http, jql, fields, page=37):
    """Every issue a JQL search returns, paging by nextPageToken with plain HTTP."""
    issues, token = [], None
    while True:
        params = {"jql": jql, "fields": fields, "maxResults": page}
        if token:
            params["nextPageToken"] = token
        body = jira_http.get_json("/rest/api/3/search/jql", **params)
        issues.extend(body["issues"])
        token = body.get("nextPageToken")
        assert body["isLast"] == (token is None)
        if token is None:
            return issues


def rest_version(client):
    """The REST version a `jira.JIRA` client talks ("2" or "3")."""
    return str(client._options["rest_api_version"])


@pytest.fixture(scope="module", params=["2", "3"], ids=["v2", "v3"])
def jira(request, sim, creds):
    """`jira.JIRA` as constructed in practice: it reads serverInfo first. REST v2 is its default."""
    options = {} if request.param == "2" else {"rest_api_version": "3"}
    client = JIRA(server=sim["jira"], basic_auth=(creds["jiraEmail"], creds["jiraToken"]), options=options)
    assert rest_version(client) == request.param
    return client


@pytest.fixture(scope="module", params=["2", "3"], ids=["v2", "v3"])
def atl(request, sim, creds):
    """atlassian-python-api's Jira in Cloud mode, on REST v2 (its default) and v3."""
    version = {} if request.param == "2" else {"api_version": "3"}
    return Jira(url=sim["jira"], username=creds["jiraEmail"], password=creds["jiraToken"], cloud=True, **version)


@pytest.fixture(scope="module")
def worklogged_issue(jira_http):
    """An issue with two or more worklogs, and those worklogs as /worklog/list returns them."""
    feed = jira_http.get_json("/rest/api/3/worklog/updated", since=0)
    ids = [v["worklogId"] for v in feed["values"]][:1000]
    worklogs = jira_http.post_json("/rest/api/3/worklog/list", {"ids": ids})
    by_issue = {}
    for w in worklogs:
        by_issue.setdefault(w["issueId"], []).append(w)
    issue_id, logs = max(by_issue.items(), key=lambda kv: len(kv[1]))
    assert len(logs) >= 2
    return issue_id, logs


# ---------- jira (pycontribs) ----------


def test_constructor_detects_jira_cloud(jira, jira_http, admin):
    """The constructor's serverInfo probe (on the client's own version) picks the Cloud code paths."""
    expected = jira_http.get_json(f"/rest/api/{rest_version(jira)}/serverInfo")
    assert expected["deploymentType"] == "Cloud"
    assert jira._is_cloud
    assert jira._version == tuple(expected["versionNumbers"])
    route = f"/rest/api/{rest_version(jira)}/serverInfo"
    before = admin.count("jira", route)
    info = jira.server_info()
    assert admin.count("jira", route) - before == 1
    assert (info["deploymentType"], info["baseUrl"]) == ("Cloud", expected["baseUrl"])
    jira_time(info["serverTime"])


def test_projects_lists_live_projects(jira, jira_http):
    projects = jira.projects()
    assert {p.key for p in projects} == LIVE_PROJECTS
    assert all(not hasattr(p, "description") for p in projects)
    expanded = {p.key: p for p in jira.projects(expand="description,lead")}
    mobile = jira_http.get_json("/rest/api/3/project/MOBILE", expand="description,lead")
    assert expanded["MOBILE"].description == mobile["description"]
    assert expanded["MOBILE"].lead.accountId == mobile["lead"]["accountId"]


def test_project_by_key_and_by_id(jira, jira_http):
    mobile = jira.project("MOBILE")
    assert (mobile.key, mobile.name) == ("MOBILE", "Mobile Application")
    assert mobile.id.isdigit()
    assert jira.project(mobile.id).key == "MOBILE"
    legacy = jira.project("MOBILE_LEGACY")
    assert legacy.archived is True
    raw = jira_http.get_json("/rest/api/3/project/MOB")
    assert jira.project("MOB").raw["id"] == raw["id"] != mobile.id


def test_unknown_project_raises_404(jira):
    with pytest.raises(JIRAError) as e:
        jira.project("NOSUCHPROJECT")
    assert e.value.status_code == 404
    assert "NOSUCHPROJECT" in e.value.text


def test_search_issues_reads_the_field_list(jira, admin):
    """search_issues() first fetches GET /field to translate JQL clause names to field ids."""
    jira._fields_cache_value = {}
    route = f"/rest/api/{rest_version(jira)}/field"
    before = admin.count("jira", route)
    issues = jira.search_issues("project = MOBILE ORDER BY updated ASC", maxResults=False)
    assert admin.count("jira", route) - before == 1
    assert {name: jira._fields_cache[name] for name in SYSTEM_FIELD_CLAUSES} == SYSTEM_FIELD_CLAUSES
    assert len(issues) > 10
    assert all(i.fields.summary and i.fields.project.key == "MOBILE" for i in issues)


def test_search_issues_all_pages_ordered(jira, jira_http):
    """search_issues(maxResults=False) on Cloud pages /search/jql by nextPageToken until it is absent."""
    issues = jira.search_issues("project = MOBILE ORDER BY updated ASC", maxResults=False, fields="summary,status,updated,assignee")
    expected = all_issues(jira_http, "project = MOBILE ORDER BY updated ASC", "updated")
    assert [i.key for i in issues] == [i["key"] for i in expected]
    assert len(issues) >= 10
    assert all(i.key.startswith("MOBILE-") for i in issues)
    updated = [jira_time(i.fields.updated) for i in issues]
    assert updated == sorted(updated)
    assert {i.fields.status.statusCategory.key for i in issues} <= STATUS_CATEGORIES
    assert all(i.fields.summary for i in issues)


def test_enhanced_search_crosses_pages(jira, jira_http):
    """More issues than one page (the client asks for 100 at a time): the token chain must hold."""
    jql = 'updated >= "2000/01/01" ORDER BY created DESC'
    issues = jira.enhanced_search_issues(jql, maxResults=False, fields=["created", "project"])
    expected = all_issues(jira_http, jql, "created")
    assert len(issues) > 100
    assert [i.id for i in issues] == [i["id"] for i in expected]
    assert len({i.id for i in issues}) == len(issues)
    created = [jira_time(i.fields.created) for i in issues]
    assert created == sorted(created, reverse=True)
    assert {i.fields.project.key for i in issues} <= LIVE_PROJECTS | {"MOBILE_LEGACY"}
    first_page = jira.enhanced_search_issues(jql, maxResults=10, fields=["created"])
    assert [i.id for i in first_page] == [i.id for i in issues[:10]]
    assert first_page.nextPageToken


def test_issue_worklogs(jira, worklogged_issue):
    issue_id, expected = worklogged_issue
    worklogs = jira.worklogs(issue_id)
    assert sorted(w.id for w in worklogs) == sorted(w["id"] for w in expected)
    by_id = {w["id"]: w for w in expected}
    for w in worklogs:
        assert w.issueId == issue_id
        assert w.timeSpentSeconds == by_id[w.id]["timeSpentSeconds"] > 0
        assert w.author.accountId == by_id[w.id]["author"]["accountId"]
        assert "locale" not in w.raw["author"]
        jira_time(w.started)
        # Rich text: plain in v2, an Atlassian Document Format document in v3.
        comment = w.raw["comment"]
        assert comment == "Worked on it" if rest_version(jira) == "2" else comment["type"] == "doc"
    issue = jira.issue(issue_id, fields="summary,status")
    assert issue.id == issue_id
    assert issue.fields.status.statusCategory.key in STATUS_CATEGORIES


def test_search_users_by_name(jira, jira_http):
    someone = next(u for u in jira_http.get_json("/rest/api/3/users/search", maxResults=1000) if u["accountType"] == "atlassian")
    found = jira.search_users(query=someone["displayName"])
    assert someone["accountId"] in {u.accountId for u in found}
    prefix = someone["displayName"][:3].lower()
    by_prefix = jira.search_users(query=prefix, maxResults=1000)
    assert someone["accountId"] in {u.accountId for u in by_prefix}
    for u in by_prefix:  # a prefix of the name, of a word of it, or of a visible e-mail address
        starts = [u.displayName, *u.displayName.split(), getattr(u, "emailAddress", "")]
        assert any(t.lower().startswith(prefix) for t in starts), u.displayName
    assert not jira.search_users(query="zzzz-nobody-has-this-name")


def test_user_by_account_id(jira, jira_http):
    users = jira_http.get_json("/rest/api/3/users/search", maxResults=1000)
    visible = next(u for u in users if u.get("emailAddress"))
    hidden = next(u for u in users if not u.get("emailAddress") and u["accountType"] == "atlassian")
    user = jira.user(visible["accountId"])
    assert (user.accountId, user.displayName, user.emailAddress) == (visible["accountId"], visible["displayName"], visible["emailAddress"])
    assert "emailAddress" not in jira.user(hidden["accountId"]).raw  # left out, not null
    with pytest.raises(JIRAError) as e:
        jira.user("000000:no-such-account")
    assert e.value.status_code == 404


def test_rate_limit_is_retried_after_retry_after(jira, admin, caplog):
    """jira's ResilientSession retries a 429 after the Retry-After the simulator sends."""
    route = f"/rest/api/{rest_version(jira)}/project/{{id_or_key}}"
    admin.script_fault("jira", "rate_limit")
    before = admin.count("jira", route)
    with caplog.at_level("WARNING", logger="jira"):
        assert jira.project("PLAT").key == "PLAT"
    assert admin.count("jira", route) - before == 2  # the 429, then the retry
    assert "Request should be retried after 1 seconds" in caplog.text


def test_default_rest_v2(sim, creds, admin):
    """Both clients default to REST v2, and v2's paging links stay on v2."""
    client = Jira(url=sim["jira"], username=creds["jiraEmail"], password=creds["jiraToken"], cloud=True)
    route = "/rest/api/2/project/search"
    before = admin.count("jira", route)
    keys = [p["key"] for p in client._get_paged(client.resource_url("project/search"), params={"maxResults": 4})]
    assert keys == sorted(LIVE_PROJECTS)
    assert admin.count("jira", route) - before == 4  # 13 projects, 4 a page, every page on v2
    assert {p["key"] for p in client.projects()} == LIVE_PROJECTS


# ---------- atlassian-python-api ----------


def test_atlassian_projects(atl):
    projects = atl.projects()
    assert {p["key"] for p in projects} == LIVE_PROJECTS
    assert all(p["id"].isdigit() for p in projects)


def test_atlassian_project_paging_follows_next_page(atl):
    """The client's Cloud pager (the one projects() runs) with small pages: isLast and nextPage."""
    keys = [p["key"] for p in atl._get_paged(atl.resource_url("project/search"), params={"maxResults": 4})]
    assert keys == sorted(LIVE_PROJECTS)


def test_atlassian_project_keys_include_renamed(atl):
    bill = atl.get_project("BILL", expand="projectKeys")
    assert bill["key"] == "BILL"
    assert set(bill["projectKeys"]) == {"BILL", "INV"}


def test_atlassian_jql_one_page(atl, jira_http):
    body = atl.jql("project = PLAT ORDER BY created DESC", fields="summary,status,created", limit=20)
    issues = body["issues"]
    assert len(issues) == 20
    assert body.get("nextPageToken") and body["isLast"] is False
    assert all(i["key"].startswith("PLAT-") for i in issues)
    created = [jira_time(i["fields"]["created"]) for i in issues]
    assert created == sorted(created, reverse=True)
    expected = all_issues(jira_http, "project = PLAT ORDER BY created DESC", "created")
    assert [i["key"] for i in issues] == [i["key"] for i in expected[:20]]


def test_atlassian_jql_all_pages(atl, jira_http):
    jql = "project in (PAY, PAYOPS) ORDER BY key ASC"
    issues = atl.enhanced_jql_get_list_of_tickets(jql, fields="status")
    expected = all_issues(jira_http, jql, "status")
    assert len(issues) > 10
    assert [i["key"] for i in issues] == [i["key"] for i in expected]
    assert {i["key"].split("-")[0] for i in issues} == {"PAY", "PAYOPS"}
    assert {i["fields"]["status"]["statusCategory"]["key"] for i in issues} <= STATUS_CATEGORIES


def test_atlassian_users_and_worklogs(atl, worklogged_issue):
    users = atl.users_get_all(limit=1000)
    assert len(users) >= 20
    assert {u["accountType"] for u in users} >= {"atlassian", "app"}
    assert any(u["accountType"] == "atlassian" and not u.get("emailAddress") for u in users)
    issue_id, expected = worklogged_issue
    page = atl.issue_get_worklog(issue_id)
    assert page["total"] == len(page["worklogs"]) == len(expected)
