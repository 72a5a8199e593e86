"""The main case workflow over HTTP, against a running production set-up.

`tests/production/run.py` starts `tierdesk serve --workers 2 --task-workers 2` on PostgreSQL
and Redis with the demo data, makes API tokens and runs this file with TIERDESK_BASE_URL and
TIERDESK_TOKEN_* set. Without TIERDESK_BASE_URL (the normal pytest run) it is skipped.

The server runs with SECURE_SSL_REDIRECT and SECURE_PROXY_SSL_HEADER, as behind the proxy of
docs/deploy.md: every request says X-Forwarded-Proto: https, as that proxy would.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import urllib.error
import urllib.request
import uuid
from typing import Any

import pytest

BASE_URL = os.environ.get("TIERDESK_BASE_URL", "").rstrip("/")

pytestmark = pytest.mark.skipif(
    not BASE_URL, reason="TIERDESK_BASE_URL is not set: run tests/production/run.py"
)

OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


class Client:
    """One API user: a bearer token, JSON in and out."""

    def __init__(self, who: str) -> None:
        self.token = os.environ.get(f"TIERDESK_TOKEN_{who}", "")
        if not self.token:
            pytest.fail(f"TIERDESK_TOKEN_{who} is not set")

    def request(
        self,
        method: str,
        path: str,
        body: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
    ) -> tuple[int, Any]:
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(  # noqa: S310 - the server under test
            f"{BASE_URL}{path}",
            data=data,
            method=method,
            headers={
                "Authorization": f"Bearer {self.token}",
                "X-Forwarded-Proto": "https",
                "Accept": "application/json",
                **({"Content-Type": "application/json"} if data is not None else {}),
                **(headers or {}),
            },
        )
        try:
            with OPENER.open(request, timeout=30) as response:
                raw = response.read()
                return response.status, json.loads(raw) if raw else None
        except urllib.error.HTTPError as error:
            with error:
                raw = error.read()
            try:
                return error.code, json.loads(raw)
            except ValueError:
                return error.code, raw.decode(errors="replace")[:500]

    def get(self, path: str) -> tuple[int, Any]:
        return self.request("GET", path)

    def post(self, path: str, body: dict[str, Any], **headers: str) -> tuple[int, Any]:
        return self.request("POST", path, body, headers)

    def ok(self, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
        status, answer = self.request(method, path, body)
        assert status in (200, 201), f"{method} {path} -> {status}: {answer}"
        return answer


@pytest.fixture(scope="module")
def customer() -> Client:
    return Client("CUSTOMER")


@pytest.fixture(scope="module")
def other_customer() -> Client:
    return Client("OTHER_CUSTOMER")


@pytest.fixture(scope="module")
def agent() -> Client:
    return Client("AGENT_L1")


@pytest.fixture(scope="module")
def agent_l2() -> Client:
    return Client("AGENT_L2")


def open_case(customer: Client, subject: str, severity: int = 2) -> dict[str, Any]:
    status, case = customer.post(
        "/api/v1/cases",
        {
            "subject": subject,
            "description": f"{subject}: steps to reproduce.",
            "severity": severity,
        },
        **{"Idempotency-Key": str(uuid.uuid4())},
    )
    assert status == 201, case
    return case


def autoclose_as_the_worker_would() -> None:
    """Run the periodic autoclose job with CASE_AUTOCLOSE_DAYS=0, in the server's environment."""
    env = json.loads(os.environ["TIERDESK_SERVER_ENV"])
    env["CASE_AUTOCLOSE_DAYS"] = "0"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "tierdesk",
            "shell",
            "-v",
            "0",
            "-c",
            "from tierdesk.tickets.services.autoclose import cases_autoclose; cases_autoclose()",
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr


def test_health_is_green_with_two_supervised_task_workers():
    request = urllib.request.Request(f"{BASE_URL}/healthz")  # noqa: S310
    # Plain HTTP, as a load balancer probes: not redirected to HTTPS.
    with OPENER.open(request, timeout=10) as response:
        assert response.status == 200
        report = json.loads(response.read())
    assert report["status"] == "ok"
    assert report["database"]["ok"] is True
    assert [p["state"] for p in report["worker"]["processes"]] == ["running", "running"]


def test_plain_http_is_redirected_to_https_and_https_gets_hsts():
    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args: Any, **kwargs: Any) -> None:
            return None

    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}), NoRedirect())
    with pytest.raises(urllib.error.HTTPError) as redirected:
        opener.open(f"{BASE_URL}/api/v1/me", timeout=10)
    with redirected.value as error:
        assert error.code == 301
        assert error.headers["Location"].startswith("https://")
    request = urllib.request.Request(  # noqa: S310
        f"{BASE_URL}/accounts/login/", headers={"X-Forwarded-Proto": "https"}
    )
    with opener.open(request, timeout=10) as response:
        assert response.status == 200
        assert "max-age=3600" in response.headers["Strict-Transport-Security"]


def test_static_files_are_served_from_the_collected_folder():
    request = urllib.request.Request(  # noqa: S310
        f"{BASE_URL}/static/web/tierdesk.css",
        headers={"X-Forwarded-Proto": "https", "Accept-Encoding": "gzip"},
    )
    with OPENER.open(request, timeout=10) as response:
        assert response.status == 200
        assert response.headers["Content-Encoding"] == "gzip"  # collectstatic compressed it


def test_the_case_workflow_from_opening_to_closing(customer, agent, other_customer):
    case = open_case(customer, "Recordings stop after ten minutes")
    case_id = case["id"]
    assert case["status"] == "new"
    assert other_customer.get(f"/api/v1/cases/{case_id}")[0] == 404

    me = agent.ok("GET", "/api/v1/me")
    claimed = agent.ok("POST", f"/api/v1/cases/{case_id}/assign", {"assignee_id": me["id"]})
    assert claimed["assignee"]["id"] == me["id"]

    # The first public reply meets the first-response target.
    agent.ok("POST", f"/api/v1/cases/{case_id}/messages", {"body": "Which version do you run?"})
    detail = agent.ok("GET", f"/api/v1/cases/{case_id}")
    assert detail["first_responded_at"] is not None

    # A moment later, in another request, the agent waits on the customer (finding 1: was 500).
    waiting = agent.ok("POST", f"/api/v1/cases/{case_id}/status", {"status": "waiting"})
    assert waiting["status"] == "waiting"
    sla = agent.ok("GET", f"/api/v1/cases/{case_id}/sla?explain=true")
    resolution = [clock for clock in sla if clock["target"] == "resolution"]
    assert all(clock["state"] == "paused" for clock in resolution)

    # The customer answers: the case is open again and its clocks run.
    customer.ok("POST", f"/api/v1/cases/{case_id}/messages", {"body": "Version 5.17.3."})
    assert customer.ok("GET", f"/api/v1/cases/{case_id}")["status"] == "open"

    # The agent solves it with a reply.
    agent.ok(
        "POST",
        f"/api/v1/cases/{case_id}/messages",
        {"body": "Fixed in 5.17.4: please update.", "status": "solved"},
    )
    solved = customer.ok("GET", f"/api/v1/cases/{case_id}")
    assert solved["status"] == "solved"
    assert solved["solved_at"] is not None

    # The customer reopens it by answering; the agent solves it again with a status change.
    customer.ok("POST", f"/api/v1/cases/{case_id}/messages", {"body": "Still stops on 5.17.4."})
    assert customer.ok("GET", f"/api/v1/cases/{case_id}")["status"] == "open"
    again = agent.ok("POST", f"/api/v1/cases/{case_id}/status", {"status": "solved"})
    assert again["status"] == "solved"

    # Solved cases close after CASE_AUTOCLOSE_DAYS; the worker's job closes it.
    autoclose_as_the_worker_would()
    closed = customer.ok("GET", f"/api/v1/cases/{case_id}")
    assert closed["status"] == "closed"
    assert closed["closed_at"] is not None

    messages = customer.ok("GET", f"/api/v1/cases/{case_id}/messages")
    assert messages["count"] == 4  # two from each side; status changes are no messages


def test_escalation_from_l1_to_l2(customer, agent, agent_l2):
    case = open_case(customer, "Calls drop when a third person joins", severity=1)
    case_id = case["id"]
    assert case["line"] == "l1"
    agent.ok("POST", f"/api/v1/cases/{case_id}/messages", {"body": "Looking into it."})
    escalated = agent.ok(
        "POST",
        f"/api/v1/cases/{case_id}/escalate",
        {"line": "l2", "reason": "Needs a network trace."},
    )
    assert escalated["line"] == "l2"
    assert escalated["assignee"] is None
    # L1 no longer sees it; L2 does, takes it and answers.
    assert agent.get(f"/api/v1/cases/{case_id}")[0] == 404
    assert agent_l2.ok("GET", f"/api/v1/cases/{case_id}")["line"] == "l2"
    me = agent_l2.ok("GET", "/api/v1/me")
    agent_l2.ok("POST", f"/api/v1/cases/{case_id}/assign", {"assignee_id": me["id"]})
    agent_l2.ok(
        "POST",
        f"/api/v1/cases/{case_id}/messages",
        {"body": "Please send a trace.", "status": "waiting"},
    )
    seen = customer.ok("GET", f"/api/v1/cases/{case_id}")
    assert seen["status"] == "waiting"
    assert seen["line"] == "l2"


def test_another_account_cannot_see_or_touch_a_case(customer, other_customer):
    case = open_case(customer, "Private to the account")
    for method, path, body in [
        ("GET", f"/api/v1/cases/{case['id']}", None),
        ("GET", f"/api/v1/cases/{case['id']}/messages", None),
        ("POST", f"/api/v1/cases/{case['id']}/messages", {"body": "hello"}),
    ]:
        status, _answer = other_customer.request(method, path, body)
        assert status == 404, (method, path)


def test_a_revoked_token_stops_working_at_once(customer):
    status, made = customer.post("/api/v1/me/tokens", {"name": "revoke me"})
    assert status == 201, made
    fresh = Client.__new__(Client)
    fresh.token = made["secret"]
    assert fresh.get("/api/v1/me")[0] == 200
    status, _ = customer.request("DELETE", f"/api/v1/me/tokens/{made['id']}")
    assert status == 204
    assert fresh.get("/api/v1/me")[0] == 401
