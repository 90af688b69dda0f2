"""Shared fixtures for the fidelity tests: real client libraries against `velocity sim`.

scripts/fidelity.sh starts `velocity sim --org S --seed 7` and exports the JSON line it prints
as SIM_URLS. The simulator's state is shared by the whole session, so tests that mutate it (a
rename, a scripted fault) pick objects no other test looks at.
"""

import json
import os

import pytest
import requests


class Http:
    """Plain HTTP to one simulator, to get the expected answer independently of the client under test."""

    def __init__(self, base, auth=None, headers=None):
        self.base = base.rstrip("/")
        self.session = requests.Session()
        self.session.auth = auth
        self.session.headers.update(headers or {})

    def request(self, method, path, **kwargs):
        url = path if path.startswith("http") else self.base + path
        response = self.session.request(method, url, timeout=30, **kwargs)
        return response

    def get(self, path, **params):
        return self.request("GET", path, params=params)

    def get_json(self, path, **params):
        response = self.get(path, **params)
        assert response.status_code == 200, f"GET {path} {params}: {response.status_code} {response.text[:300]}"
        return response.json()

    def post_json(self, path, body):
        response = self.request("POST", path, json=body)
        assert response.status_code == 200, f"POST {path}: {response.status_code} {response.text[:300]}"
        return response.json()


class Admin:
    """The simulator's admin API (no auth): counters, faults and mutations."""

    def __init__(self, base):
        self.http = Http(base)

    def call(self, method, path, body=None):
        response = self.http.request(method, path, json=body)
        assert response.ok, f"admin {method} {path}: {response.status_code} {response.text}"
        return response.json() if response.content else None

    def counters(self):
        return self.call("GET", "/counters")

    def script_fault(self, sim, kind, count=1):
        return self.call("POST", f"/faults/{sim}/next", {"kind": kind, "count": count})

    def count(self, sim, route):
        """How many requests `sim` has answered on `route` (a route pattern such as "/orgs/{org}/repos"), any method."""
        counts = self.counters()["bySimulator"].get(sim, {})
        return sum(n for key, n in counts.items() if key.split(" ", 1)[1] == route)


@pytest.fixture(scope="session")
def sim():
    raw = os.environ.get("SIM_URLS")
    if not raw:
        pytest.fail(
            "SIM_URLS is not set. Run these tests with `bash scripts/fidelity.sh`, which starts "
            "`target/debug/velocity sim --org S --seed 7` and exports the JSON line it prints.",
            pytrace=False,
        )
    try:
        urls = json.loads(raw)
    except ValueError as e:
        pytest.fail(f"SIM_URLS is not the JSON line `velocity sim` prints: {e}: {raw[:200]!r}", pytrace=False)
    missing = {"jira", "bitbucket", "github", "gitlab", "slack", "admin", "credentials"} - urls.keys()
    if missing:
        pytest.fail(f"SIM_URLS lacks {sorted(missing)}: {raw[:200]!r}", pytrace=False)
    return urls


@pytest.fixture(scope="session")
def creds(sim):
    return sim["credentials"]


@pytest.fixture(scope="session")
def admin(sim):
    return Admin(sim["admin"])


@pytest.fixture(scope="session")
def jira_http(sim, creds):
    return Http(sim["jira"], auth=(creds["jiraEmail"], creds["jiraToken"]))


@pytest.fixture(scope="session")
def bitbucket_http(sim, creds):
    return Http(sim["bitbucket"], headers={"Authorization": f"Bearer {creds['bitbucketToken']}"})


@pytest.fixture(scope="session")
def github_http(sim, creds):
    return Http(sim["github"], headers={"Authorization": f"Bearer {creds['githubToken']}"})


@pytest.fixture(scope="session")
def gitlab_http(sim, creds):
    return Http(sim["gitlab"], headers={"PRIVATE-TOKEN": creds["gitlabToken"]})


@pytest.fixture(scope="session")
def slack_http(sim, creds):
    return Http(sim["slack"], headers={"Authorization": f"Bearer {creds['slackToken']}"})
