"""The API against its own contract: schemathesis fuzzes every operation of openapi.json in-process.

Every answer must be a documented status and never a server error, for valid and invalid input
alike (huge integers, booleans for numbers, strings a database cannot store). The explicit
regression tests below pin each input the fuzzer once found; the fuzz test finds the next ones.
Runs on SQLite by default and on PostgreSQL with DATABASE_URL.
"""

from datetime import timedelta
from pathlib import Path

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.utils import timezone
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import status_code_conformance

from tests.factories import AccountAdminFactory, AccountFactory, LicensePlanFactory
from tierdesk.config.api_types import MAX_ID
from tierdesk.tickets.models import Case, SelfEscalation
from tierdesk.tickets.services.cases import case_create
from tierdesk.tickets.services.escalations import self_escalation_request

from .test_api import bearer, post

pytestmark = pytest.mark.django_db

OPENAPI = Path(__file__).resolve().parents[2] / "openapi.json"
schema = schemathesis.openapi.from_path(OPENAPI)
schema.app = get_wsgi_application()


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "uploads"


@pytest.fixture(autouse=True)
def one_connection():
    """Keep the test's database connection across WSGI requests, as Django's test client does.

    The WSGI handler closes old connections at the end of each request; on PostgreSQL that
    would close the connection holding the test's transaction.
    """
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def admin(region):
    """An Enterprise account's admin with a case open for two days and a pending request."""
    account = AccountFactory(license_plan=LicensePlanFactory(code="enterprise"), region=region)
    admin = AccountAdminFactory(account=account)
    case = case_create(
        actor=admin,
        subject="Fuzzed",
        description="A case for the fuzzer to find.",
        severity=3,
        now=timezone.now() - timedelta(days=2),
    )
    self_escalation_request(actor=admin, case=case, reason="critical_failure")
    return admin


@pytest.fixture(params=["admin", "supervisor"])
def credentials(request, admin, supervisor):
    """The fuzzer calls as a customer (account admin) and as vendor staff (a supervisor)."""
    return bearer({"admin": admin, "supervisor": supervisor}[request.param])


@schema.parametrize()
@settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
def test_no_operation_answers_a_server_error_or_an_undocumented_status(case, credentials):
    case.call_and_validate(
        headers=credentials, checks=[not_a_server_error, status_code_conformance]
    )


# --- each input the fuzzer found, pinned --------------------------------------------------------

TOO_BIG = 2**63  # one past the largest key
HUGE = 10**30


@pytest.mark.parametrize(
    "query",
    [
        f"offset={TOO_BIG}",
        f"offset={HUGE}",
        "offset=-1",
        "limit=201",
        "limit=0",
        f"account={TOO_BIG}",
        "search=%00",
    ],
)
def test_out_of_range_list_parameters_are_422(client, customer, query):
    response = client.get(f"/api/v1/cases?{query}", headers=bearer(customer))
    assert response.status_code == 422, response.content


@pytest.mark.parametrize(
    "query", [f"page={TOO_BIG}", f"page={HUGE}", "page=0", "page_size=201", "page_size=0"]
)
def test_out_of_range_pages_are_422(client, account_admin, query):
    response = client.get(f"/api/v1/account/users?{query}", headers=bearer(account_admin))
    assert response.status_code == 422, response.content


def test_the_documented_page_size_is_accepted(client, account_admin):
    response = client.get("/api/v1/account/users?page_size=200", headers=bearer(account_admin))
    assert response.status_code == 200


@pytest.mark.parametrize(
    "url",
    [
        f"/api/v1/cases/{TOO_BIG}",
        f"/api/v1/cases/{HUGE}/messages",
        f"/api/v1/cases/1/attachments/{TOO_BIG}",
        "/api/v1/cases/0",
    ],
)
def test_ids_out_of_range_in_the_path_are_422_not_500(client, customer, url):
    assert client.get(url, headers=bearer(customer)).status_code == 422


def test_the_largest_id_is_simply_not_found(client, customer):
    assert client.get(f"/api/v1/cases/{MAX_ID}", headers=bearer(customer)).status_code == 404


@pytest.mark.parametrize(
    "change",
    [
        {"severity": True},
        {"severity": 1.0},
        {"severity": "1"},
        {"cc": [TOO_BIG]},
        {"cc": [HUGE]},
        {"cc": [True]},
        {"requester_id": TOO_BIG},
        {"subject": "nul \x00 byte"},
        {"description": "half a pair \ud800"},
    ],
)
def test_bad_bodies_are_422_and_open_nothing(client, customer, change):
    body = {"subject": "Audio", "description": "Cuts out.", "severity": 3, **change}
    response = post(client, "/api/v1/cases", body, headers=bearer(customer))
    assert response.status_code == 422, response.content
    assert not Case.objects.exists()


def test_a_boolean_is_not_a_severity_anywhere(client, customer, agent):
    case = case_create(actor=customer, subject="x", description="y", severity=3)
    response = post(
        client, f"/api/v1/cases/{case.pk}/severity", {"severity": True}, headers=bearer(agent)
    )
    assert response.status_code == 422
    case.refresh_from_db()
    assert case.severity == 3


def test_a_body_that_does_not_parse_is_400(client, customer):
    response = client.post(
        "/api/v1/cases", "{not json", content_type="application/json", headers=bearer(customer)
    )
    assert response.status_code == 400
    assert "detail" in response.json()


def test_every_operation_documents_its_errors_with_one_schema():
    import json

    document = json.loads(OPENAPI.read_text(encoding="utf-8"))
    error = {"$ref": "#/components/schemas/ErrorOut"}
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            responses = operation["responses"]
            expected = {"401", "403", "404", "422"}
            if method == "post":
                expected |= {"400", "413"}
            assert expected <= set(responses), (method, path, sorted(responses))
            for status in expected - {"413"}:
                schema_of = responses[status]["content"]["application/json"]["schema"]
                assert schema_of == error, (method, path, status)


def test_a_decision_on_a_missing_or_huge_request_id(client, supervisor):
    url = "/api/v1/self-escalations/{}/decision"
    body = {"decision": "accepted", "reason": "ok"}
    assert post(client, url.format(MAX_ID), body, headers=bearer(supervisor)).status_code == 404
    assert post(client, url.format(TOO_BIG), body, headers=bearer(supervisor)).status_code == 422
    assert not SelfEscalation.objects.exists()
