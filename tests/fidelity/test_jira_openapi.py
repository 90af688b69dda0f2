"""The Jira simulator's answers validated against Atlassian's own OpenAPI document.

Each request is matched to its operation in jira-openapi.json beside this file (Atlassian's Jira
Cloud platform document trimmed to the operations the simulator serves and the schemas they use,
prose left out; scripts/trim-jira-openapi.py regenerates it from the full document), as if sent to
the document's server, and openapi-core checks the status code is one the operation declares and
the body matches that response's schema, `additionalProperties: false` and non-nullable fields
included.

Two allowances, both where the document disagrees with Jira Cloud itself, not with the simulator:
- `format: date-time` also accepts Jira's own timestamp form, 2021-01-17T12:34:00.000+0000 (no
  colon in the offset), which is what Jira sends in every date-time field.
- `expand=projectKeys` is not requested: the document describes it for project/search and
  project/{key} but its Project schema has no `projectKeys` property and forbids extra ones.

Every case is also sent to REST v2 and checked against the same v3 operation: the document covers
v3 only, and the two versions differ only in rich text, which it leaves untyped (Worklog.comment).
"""

import json
import re
from pathlib import Path

import pytest
from openapi_core import Config, OpenAPI
from openapi_core.contrib.requests import RequestsOpenAPIRequest, RequestsOpenAPIResponse
from openapi_core.exceptions import OpenAPIError

SPEC = Path(__file__).resolve().with_name("jira-openapi.json")
SERVER = "https://your-domain.atlassian.net"
JIRA_DATE_TIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:?\d{2})")
NAVIGABLE = "summary,status,issuetype,assignee,created,updated,project"


def date_time(value):
    """RFC 3339, or Jira's +0000 offsets. Non-strings pass: the schema's `type` catches those."""
    return not isinstance(value, str) or JIRA_DATE_TIME.fullmatch(value) is not None


def locale_in_user_details(path, message):
    return path.split(".")[-1] in ("author", "updateAuthor", "assignee", "lead") and "'locale' was unexpected" in message


def null_email(path, message):
    return path.endswith("emailAddress") and message in ("None for not nullable", "None is not of type 'string'")


@pytest.fixture(scope="module")
def openapi():
    assert SPEC.is_file(), f"Atlassian's OpenAPI document (trimmed) is missing: {SPEC}"
    document = json.loads(SPEC.read_text(encoding="utf-8"))
    # The document itself is not re-validated (it is Atlassian's, and that takes long).
    return OpenAPI.from_dict(document, config=Config(spec_validator_cls=None, extra_format_validators={"date-time": date_time}))


def dotted(parts):
    out = ""
    for p in parts:
        out += f"[{p}]" if isinstance(p, int) else (f".{p}" if out else str(p))
    return out or "<body>"


def schema_errors(openapi, sim, response):
    """[(path, message)] for everything in `response` the document does not allow (v2 as v3)."""
    request = response.request.copy()
    assert request.url.startswith(sim["jira"])
    path = request.url[len(sim["jira"]):]
    if path.startswith("/rest/api/2/"):
        path = "/rest/api/3/" + path[len("/rest/api/2/"):]
    request.url = SERVER + path
    try:
        openapi.validate_response(RequestsOpenAPIRequest(request), RequestsOpenAPIResponse(response))
    except OpenAPIError as e:
        details = getattr(e.__cause__, "schema_errors", None)
        if not details:
            return [("<response>", f"{type(e).__name__}: {e}"[:500])]
        return [(dotted(d.absolute_path), d.message[:300]) for d in details]
    return []


def summary(errors, limit=12):
    lines = sorted({f"{p}: {m}" for p, m in errors})
    return "\n".join(lines[:limit]) + (f"\n… {len(lines) - limit} more" if len(lines) > limit else "")


@pytest.fixture(scope="module")
def samples(jira_http):
    """Real ids from the simulator: an issue, one with worklogs, worklog ids, user ids."""
    issue = jira_http.get_json("/rest/api/3/search/jql", jql="project = PLAT ORDER BY key ASC", fields="id", maxResults=1)["issues"][0]
    feed = jira_http.get_json("/rest/api/3/worklog/updated", since=0)
    worklog_ids = [v["worklogId"] for v in feed["values"]]
    first = jira_http.post_json("/rest/api/3/worklog/list", {"ids": worklog_ids[:1]})[0]
    users = jira_http.get_json("/rest/api/3/users/search", maxResults=1000)
    person = next(u for u in users if u["accountType"] == "atlassian")
    return {
        "issue_key": issue["key"],
        "issue_id": issue["id"],
        "worklog_issue": first["issueId"],
        "worklog_ids": worklog_ids,
        "user_with_email": next(u["accountId"] for u in users if u.get("emailAddress")),
        "user_prefix": person["displayName"][:3].lower(),
        "project_id": jira_http.get_json("/rest/api/3/project/MOBILE")["id"],
    }


# (name, method, path, params or JSON body, expected status, check of the body)
CASES = [
    ("serverInfo", "GET", "/rest/api/3/serverInfo", {}, 200, lambda b: b["deploymentType"] == "Cloud" and len(b["versionNumbers"]) == 3),
    ("field", "GET", "/rest/api/3/field", {}, 200,
     lambda b: {"summary", "status", "issuetype", "assignee", "created", "updated", "project", "worklog"} <= {f["id"] for f in b}),
    ("project", "GET", "/rest/api/3/project", {}, 200, lambda b: len(b) == 13 and not any("description" in p for p in b)),
    ("project expanded", "GET", "/rest/api/3/project", {"expand": "description,lead,insight"}, 200,
     lambda b: len(b) == 13 and all("description" in p and "insight" in p for p in b) and any("lead" in p for p in b)),
    ("project/search", "GET", "/rest/api/3/project/search", {}, 200, lambda b: b["total"] == len(b["values"]) == 13),
    ("project/search paged+expanded", "GET", "/rest/api/3/project/search",
     {"maxResults": 5, "startAt": 5, "status": ["live", "archived"], "expand": "description,lead,insight"}, 200,
     lambda b: len(b["values"]) == 5 and b["nextPage"] and b["isLast"] is False),
    ("project/{key}", "GET", "/rest/api/3/project/MOBILE", {"expand": "description,lead,insight"}, 200, lambda b: b["key"] == "MOBILE" and b["insight"]["totalIssueCount"] > 0),
    ("project/{id}", "GET", "/rest/api/3/project/{project_id}", {}, 200, lambda b: b["key"] == "MOBILE"),
    ("project/{key} unknown", "GET", "/rest/api/3/project/NOSUCH", {}, 404, lambda b: b["errorMessages"]),
    ("search/jql GET", "GET", "/rest/api/3/search/jql", {"jql": "project = MOBILE ORDER BY updated DESC", "fields": NAVIGABLE, "maxResults": 20}, 200,
     lambda b: len(b["issues"]) == 20 and b["nextPageToken"] and all("status" in i["fields"] for i in b["issues"])),
    ("search/jql GET last page", "GET", "/rest/api/3/search/jql", {"jql": "project = HR", "fields": "*all", "maxResults": 100}, 200,
     lambda b: b["isLast"] is True and "nextPageToken" not in b and b["issues"]),
    ("search/jql GET id only", "GET", "/rest/api/3/search/jql", {"jql": 'created >= "2020-01-01" ORDER BY created ASC', "maxResults": 500}, 200,
     lambda b: len(b["issues"]) > 100 and all(not i.get("fields") for i in b["issues"])),
    ("search/jql GET unbounded", "GET", "/rest/api/3/search/jql", {"jql": "ORDER BY key DESC"}, 400, lambda b: b["errorMessages"]),
    ("search/jql POST", "POST", "/rest/api/3/search/jql", {"jql": "project = DATA ORDER BY created ASC", "fields": NAVIGABLE.split(","), "maxResults": 7}, 200,
     lambda b: len(b["issues"]) == 7 and b["nextPageToken"]),
    ("search/jql POST bad project", "POST", "/rest/api/3/search/jql", {"jql": "project = NOSUCH", "fields": ["summary"]}, 400, lambda b: b["errorMessages"]),
    ("issue/{key}", "GET", "/rest/api/3/issue/{issue_key}", {}, 200, lambda b: b["fields"]["status"]["statusCategory"]["key"] in ("new", "indeterminate", "done")),
    ("issue/{id} fields", "GET", "/rest/api/3/issue/{issue_id}", {"fields": "summary,assignee"}, 200, lambda b: set(b["fields"]) == {"summary", "assignee"}),
    ("issue/{key} unknown", "GET", "/rest/api/3/issue/NOSUCH-1", {}, 404, lambda b: b["errorMessages"]),
    ("issue/{id}/worklog", "GET", "/rest/api/3/issue/{worklog_issue}/worklog", {}, 200, lambda b: b["total"] == len(b["worklogs"]) > 0),
    ("worklog/updated", "GET", "/rest/api/3/worklog/updated", {"since": 0}, 200, lambda b: b["lastPage"] is True and len(b["values"]) > 100),
    ("worklog/deleted", "GET", "/rest/api/3/worklog/deleted", {"since": 0}, 200, lambda b: b["lastPage"] is True and isinstance(b["values"], list)),
    ("worklog/list", "POST", "/rest/api/3/worklog/list", {"ids": "{worklog_ids}"}, 200, lambda b: len(b) > 100 and all(w["timeSpentSeconds"] > 0 for w in b)),
    ("worklog/list empty", "POST", "/rest/api/3/worklog/list", {"ids": []}, 400, lambda b: b["errorMessages"]),
    ("users/search", "GET", "/rest/api/3/users/search", {"maxResults": 1000}, 200, lambda b: len(b) >= 20),
    ("user", "GET", "/rest/api/3/user", {"accountId": "{user_with_email}"}, 200, lambda b: b["emailAddress"]),
    ("user/search", "GET", "/rest/api/3/user/search", {"query": "{user_prefix}"}, 200, lambda b: len(b) >= 1),
    ("user/search by accountId", "GET", "/rest/api/3/user/search", {"accountId": "{user_with_email}"}, 200, lambda b: len(b) == 1 and b[0]["emailAddress"]),
    ("user/search no query", "GET", "/rest/api/3/user/search", {}, 400, lambda b: b["errorMessages"]),
    ("user unknown", "GET", "/rest/api/3/user", {"accountId": "000000:no-such-account"}, 404, lambda b: b["errorMessages"]),
    ("myself", "GET", "/rest/api/3/myself", {}, 200, lambda b: b["accountType"] == "atlassian" and b["active"] and b["emailAddress"]),
]


def fetch(jira_http, samples, method, path, args, version="3"):
    """Sends one case on REST `version`, with "{name}" placeholders (path and argument values) filled from `samples`."""
    def fill(v):
        if isinstance(v, str) and re.fullmatch(r"\{\w+\}", v):
            return samples[v[1:-1]]
        return v.format(**samples) if isinstance(v, str) else v

    args = {k: fill(v) for k, v in args.items()}
    path = path.format(**samples).replace("/rest/api/3/", f"/rest/api/{version}/", 1)
    if method == "GET":
        return jira_http.request("GET", path, params=args)
    return jira_http.request("POST", path, json=args)


def self_links(body):
    """Every `self` and `nextPage` link in a JSON body."""
    if isinstance(body, list):
        return [link for item in body for link in self_links(item)]
    if isinstance(body, dict):
        own = [v for k, v in body.items() if k in ("self", "nextPage") and isinstance(v, str)]
        return own + [link for v in body.values() for link in self_links(v)]
    return []


@pytest.mark.parametrize("version", ["3", "2"], ids=["v3", "v2"])
@pytest.mark.parametrize("name,method,path,args,status,check", CASES, ids=[c[0] for c in CASES])
def test_response_matches_schema(openapi, sim, jira_http, samples, name, method, path, args, status, check, version):
    response = fetch(jira_http, samples, method, path, args, version)
    assert response.status_code == status, response.text[:300]
    assert check(response.json()), f"unexpected content: {response.text[:300]}"
    errors = schema_errors(openapi, sim, response)
    assert not errors, f"{method} {path} (v{version}) deviates from the OpenAPI document:\n{summary(errors)}"
    rest_links = [link for link in self_links(response.json()) if "/rest/api/" in link]
    assert all(link.startswith(f"{sim['jira']}/rest/api/{version}/") for link in rest_links), rest_links[:3]


def test_next_page_links_are_valid(openapi, sim, jira_http):
    """Follow project/search `nextPage` and a search/jql `nextPageToken`: later pages validate too."""
    first = jira_http.get("/rest/api/3/project/search", maxResults=4)
    second = jira_http.get(first.json()["nextPage"])
    assert second.status_code == 200 and second.json()["startAt"] == 4
    jql = {"jql": "project = OPS ORDER BY key ASC", "fields": NAVIGABLE, "maxResults": 3}
    page1 = jira_http.get("/rest/api/3/search/jql", **jql)
    page2 = jira_http.get("/rest/api/3/search/jql", nextPageToken=page1.json()["nextPageToken"], **jql)
    assert page2.status_code == 200
    assert {i["key"] for i in page1.json()["issues"]}.isdisjoint(i["key"] for i in page2.json()["issues"])
    for response in (second, page2):
        errors = schema_errors(openapi, sim, response)
        assert not errors, summary(errors)


def test_validation_catches_a_bad_body(openapi, sim, jira_http):
    """The validator is live: a project id sent as a number is reported."""
    response = jira_http.get("/rest/api/3/project/MOBILE")
    body = response.json()
    body["id"] = int(body["id"])
    response._content = json.dumps(body).encode()
    assert ("id", f"{body['id']} is not of type 'string'") in schema_errors(openapi, sim, response)


def case_errors(openapi, sim, jira_http, samples, names, kind):
    """The schema errors `kind` picks out of the named cases' answers."""
    found = []
    for case in CASES:
        if case[0] in names:
            response = fetch(jira_http, samples, case[1], case[2], case[3])
            found += [(p, m) for p, m in schema_errors(openapi, sim, response) if kind(p, m)]
    return found


def test_worklog_authors_are_user_details(openapi, sim, jira_http, samples):
    """Worklog authors, assignees and project leads are UserDetails: no `locale`, which only the
    full User (/user, /users/search, /user/search) carries."""
    errors = case_errors(openapi, sim, jira_http, samples, {"issue/{id}/worklog", "worklog/list"}, locale_in_user_details)
    assert not errors, summary(errors)
    worklogs = jira_http.post_json("/rest/api/3/worklog/list", {"ids": samples["worklog_ids"]})
    authors = [w[k] for w in worklogs for k in ("author", "updateAuthor")]
    issues = jira_http.get_json("/rest/api/3/search/jql", jql="project = PLAT", fields="assignee", maxResults=100)["issues"]
    assignees = [i["fields"]["assignee"] for i in issues if i["fields"]["assignee"]]
    leads = [p["lead"] for p in jira_http.get_json("/rest/api/3/project", expand="lead") if "lead" in p]
    assert authors and assignees and leads
    assert not [u["accountId"] for u in authors + assignees + leads if "locale" in u]
    assert "locale" in jira_http.get_json("/rest/api/3/user", accountId=samples["user_with_email"])


def test_hidden_email_is_left_out(openapi, sim, jira_http, samples):
    """A hidden e-mail address is left out (as Jira Cloud does), never sent as null."""
    errors = case_errors(openapi, sim, jira_http, samples, {"users/search", "worklog/list", "user/search"}, null_email)
    assert not errors, summary(errors)
    users = jira_http.get_json("/rest/api/3/users/search", maxResults=1000)
    worklogs = jira_http.post_json("/rest/api/3/worklog/list", {"ids": samples["worklog_ids"]})
    everyone = users + [w["author"] for w in worklogs]
    assert any(u["accountType"] == "atlassian" and "emailAddress" not in u for u in users), "org S has people who hide their e-mail"
    assert all(u["emailAddress"] for u in everyone if "emailAddress" in u)
