"""The GitLab simulator driven by python-gitlab, with pages of five so every list spans pages."""

from datetime import datetime

import gitlab
import pytest

GROUP_ID = 42
GROUP = "acme-group"
MOVED = "terraform-legacy"  # renamed by test_old_project_path_redirects (last in this file); no other test uses it


@pytest.fixture(scope="module")
def gl(sim, creds):
    return gitlab.Gitlab(sim["gitlab"], private_token=creds["gitlabToken"], per_page=5)


def raw_all(gitlab_http, path, **params):
    """Every item of a list, following `link: rel="next"` with plain HTTP."""
    items, url = [], path
    params.setdefault("per_page", 100)
    while url:
        response = gitlab_http.get(url, **params)
        assert response.status_code == 200, response.text[:300]
        items += response.json()
        url, params = response.links.get("next", {}).get("url"), {}
    return items


def parse(ts):
    return datetime.fromisoformat(ts.replace("Z", "+00:00"))


def test_group_by_id_and_path(gl):
    group = gl.groups.get(GROUP_ID)
    assert (group.id, group.full_path, group.path) == (GROUP_ID, GROUP, GROUP)
    assert gl.groups.get(GROUP).id == GROUP_ID
    with pytest.raises(gitlab.GitlabGetError) as e:
        gl.groups.get(999999)
    assert e.value.response_code == 404


def test_group_projects_all_pages(gl, gitlab_http, admin):
    route = "/api/v4/groups/{id}/projects"
    before = admin.count("gitlab", route)
    listing = gl.groups.get(GROUP_ID, lazy=True).projects.list(iterator=True, include_subgroups=True)
    projects = list(listing)
    assert admin.count("gitlab", route) - before >= 2, "six projects at per_page=5 take two pages"
    assert (listing.total, listing.total_pages, listing.per_page) == (6, 2, 5)
    expected = raw_all(gitlab_http, f"/api/v4/groups/{GROUP_ID}/projects", include_subgroups="true")
    assert [p.id for p in projects] == [p["id"] for p in expected]
    assert len({p.id for p in projects}) == 6
    assert {"platform-infra", "data-pipelines"} <= {p.path for p in projects}
    assert all(p.path_with_namespace == f"{p.namespace['full_path']}/{p.path}" for p in projects)
    nested = [p for p in projects if p.namespace["full_path"] != GROUP]
    assert [(p.path, p.namespace["full_path"]) for p in nested] == [("platform-infra", f"{GROUP}/infra")]
    # Without include_subgroups a group lists only its own projects, as GitLab does.
    own = gl.groups.get(GROUP_ID, lazy=True).projects.list(get_all=True)
    assert [p.id for p in own] == [p.id for p in projects if p.namespace["full_path"] == GROUP]


def test_project_commits_since(gl, gitlab_http):
    project = gl.projects.get(f"{GROUP}/data-pipelines")
    assert project.path_with_namespace == f"{GROUP}/data-pipelines"
    everything = raw_all(gitlab_http, f"/api/v4/projects/{project.id}/repository/commits")
    assert len(everything) > 10
    since = everything[len(everything) // 3]["committed_date"]
    commits = project.commits.list(get_all=True, since=since)
    expected = [c for c in everything if parse(c["committed_date"]) >= parse(since)]
    assert len(commits) > 5
    assert [c.id for c in commits] == [c["id"] for c in expected]
    dates = [parse(c.committed_date) for c in commits]
    assert all(d >= parse(since) for d in dates) and dates == sorted(dates, reverse=True)
    for newer, older in zip(commits, commits[1:]):
        assert newer.parent_ids == [older.id]
    detail = project.commits.get(commits[0].id)
    assert detail.short_id == commits[0].id[:8] and detail.stats["total"] >= 0


def test_merge_requests_every_state(gl, gitlab_http):
    project = gl.projects.get(f"{GROUP}/data-pipelines")
    mrs = project.mergerequests.list(state="all", get_all=True)
    expected = raw_all(gitlab_http, f"/api/v4/projects/{project.id}/merge_requests", state="all")
    assert [m.iid for m in mrs] == [m["iid"] for m in expected]
    assert {m.state for m in mrs} <= {"opened", "closed", "merged", "locked"}
    assert "merged" in {m.state for m in mrs}
    assert all((m.state == "merged") == (m.merged_at is not None) for m in mrs)
    opened = project.mergerequests.list(state="opened", get_all=True)
    assert {m.iid for m in opened} == {m.iid for m in mrs if m.state == "opened"}
    one = project.mergerequests.get(mrs[0].iid)
    assert (one.iid, one.title, one.project_id) == (mrs[0].iid, mrs[0].title, project.id)
    assert all(m.author["username"] for m in mrs)


def test_users(gl, gitlab_http):
    users = gl.users.list(get_all=True)
    expected = raw_all(gitlab_http, "/api/v4/users")
    assert len(users) > 5  # more than one page
    assert [u.id for u in users] == [u["id"] for u in expected]
    one = gl.users.get(users[0].id)
    assert (one.username, one.name) == (users[0].username, users[0].name)
    assert one.state in ("active", "blocked")
    with pytest.raises(gitlab.GitlabGetError) as e:
        gl.users.get(987654321)
    assert e.value.response_code == 404


def test_old_project_path_redirects(gl, admin, gitlab_http):
    before = gl.projects.get(f"{GROUP}/{MOVED}")
    admin.call("POST", f"/gitlab/repos/{MOVED}/rename", {"newSlug": f"{MOVED}-renamed"})
    response = gitlab_http.request("GET", f"/api/v4/projects/{GROUP}%2F{MOVED}", allow_redirects=False)
    assert response.status_code == 301
    assert response.headers["location"].endswith(f"/api/v4/projects/{before.id}")
    moved = gl.projects.get(f"{GROUP}/{MOVED}")  # requests follows the 301 for python-gitlab
    assert (moved.id, moved.path_with_namespace) == (before.id, f"{GROUP}/{MOVED}-renamed")
    commits = moved.commits.list(per_page=3, get_all=False)
    assert [c.id for c in commits] == [c["id"] for c in gitlab_http.get_json(f"/api/v4/projects/{before.id}/repository/commits", per_page=3)]
