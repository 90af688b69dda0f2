"""The Slack simulator driven by slack_sdk's WebClient (base_url = simulator + /api/)."""

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler

USERS_LIST = "/api/users.list"


@pytest.fixture(scope="module")
def slack(sim, creds):
    return WebClient(token=creds["slackToken"], base_url=sim["slack"] + "/api/")


@pytest.fixture(scope="module")
def members(slack_http):
    """The whole member list in one plain-HTTP call (no limit: Slack sends everything for a small team)."""
    body = slack_http.get_json("/api/users.list")
    assert body["ok"] is True and body["response_metadata"]["next_cursor"] == ""
    return body["members"]


def test_users_list_cursor_paging(slack, members, admin):
    before = admin.count("slack", USERS_LIST)
    # SlackResponse iterates by response_metadata.next_cursor, refilling itself with each page.
    pages = [(list(page["members"]), page["response_metadata"]["next_cursor"]) for page in slack.users_list(limit=5)]
    assert admin.count("slack", USERS_LIST) - before == len(pages)
    assert len(pages) == -(-len(members) // 5) >= 4
    assert all(len(page) == 5 and cursor for page, cursor in pages[:-1])
    assert 1 <= len(pages[-1][0]) <= 5 and pages[-1][1] == ""
    everyone = [m for page, _ in pages for m in page]
    ids = [m["id"] for m in everyone]
    assert ids == [m["id"] for m in members]
    assert len(set(ids)) == len(ids) >= 20
    assert {m["is_bot"] for m in everyone} == {True, False}
    assert all(isinstance(m["deleted"], bool) and m["team_id"] == everyone[0]["team_id"] for m in everyone)
    assert all(m["profile"].get("email") for m in everyone if not m["is_bot"])


def test_invalid_cursor(slack):
    with pytest.raises(SlackApiError) as e:
        slack.users_list(limit=5, cursor="not-a-cursor")
    assert e.value.response["error"] == "invalid_cursor"


def test_lookup_by_email(slack, members):
    person = next(m for m in members if not m["is_bot"] and m["profile"].get("email"))
    found = slack.users_lookupByEmail(email=person["profile"]["email"])
    assert found["ok"] is True
    assert (found["user"]["id"], found["user"]["real_name"]) == (person["id"], person["real_name"])


def test_lookup_by_unknown_email(slack):
    with pytest.raises(SlackApiError) as e:
        slack.users_lookupByEmail(email="nobody-here@nowhere.test")
    assert e.value.response["ok"] is False
    assert e.value.response["error"] == "users_not_found"


def test_bad_token(sim):
    with pytest.raises(SlackApiError) as e:
        WebClient(token="xoxb-wrong", base_url=sim["slack"] + "/api/").users_list(limit=5)
    assert e.value.response["error"] == "invalid_auth"


def test_rate_limited_without_retry_handler(slack, admin):
    admin.script_fault("slack", "rate_limit")
    with pytest.raises(SlackApiError) as e:
        slack.users_list(limit=5)
    response = e.value.response
    assert response.status_code == 429
    assert response["error"] == "ratelimited"
    assert int(response.headers["Retry-After"]) >= 1
    assert slack.users_list(limit=5)["ok"] is True  # one fault only: service resumes


class RecordingRateLimitHandler(RateLimitErrorRetryHandler):
    """slack_sdk's own rate-limit handler, noting the Retry-After it was told to honour."""

    def __init__(self):
        super().__init__(max_retry_count=1)
        self.retry_after = []

    def prepare_for_next_attempt(self, *, state, request, response=None, error=None):
        headers = {k.lower(): v for k, v in (response.headers if response else {}).items()}
        self.retry_after.append(headers.get("retry-after"))
        super().prepare_for_next_attempt(state=state, request=request, response=response, error=error)


def test_rate_limit_retry_handler_honours_retry_after(sim, creds, members, admin):
    handler = RecordingRateLimitHandler()
    client = WebClient(token=creds["slackToken"], base_url=sim["slack"] + "/api/", retry_handlers=[handler])
    admin.script_fault("slack", "rate_limit")
    before = admin.count("slack", USERS_LIST)
    page = client.users_list(limit=5)
    assert page["ok"] is True
    assert [m["id"] for m in page["members"]] == [m["id"] for m in members[:5]]
    assert handler.retry_after == [["1"]]
    assert admin.count("slack", USERS_LIST) - before == 2  # the 429, then the retry
