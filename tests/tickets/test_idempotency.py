"""Opening a case through the API: the Idempotency-Key (read once, replayed as a read would
show the case) and the cost of opening a case in queries.

The query counts leave out SAVEPOINT and RELEASE: inside the test's transaction the service's
outermost `atomic` becomes a savepoint, which in a request is a plain BEGIN and COMMIT (sent by
the driver, not counted as queries by Django either).
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tierdesk.tickets.models import Case, CaseEvent, IdempotencyKey, SlaClock, SlaTimer

from .test_api import NEW_CASE, bearer, post

# Opening a case: at most this many statements per request (issue 7).
CREATE_MAX_QUERIES = 10


def _warm(client, headers):
    """One request first, so the token's once-a-minute `last_used_at` write is not counted."""
    assert client.get("/api/v1/me", headers=headers).status_code == 200


def _statements(context):
    return [q["sql"] for q in context.captured_queries if "SAVEPOINT" not in q["sql"]]


def _idempotency_reads(queries):
    return [q for q in queries if "tickets_idempotencykey" in q["sql"] and "SELECT" in q["sql"]]


# --- a replay shows what a read shows ---------------------------------------------------------


@pytest.mark.django_db
def test_a_replay_of_a_case_the_agent_no_longer_sees_is_404(client, customer, agent, agent_l2):
    headers = {**bearer(agent), "Idempotency-Key": "phone-call-7"}
    body = {**NEW_CASE, "channel": "phone", "requester_id": customer.pk}
    first = post(client, "/api/v1/cases", body, headers=headers)
    assert first.status_code == 201
    case_id = first.json()["id"]
    escalated = post(
        client,
        f"/api/v1/cases/{case_id}/escalate",
        {"line": "l2", "reason": "Needs the second line"},
        headers=headers,
    )
    assert escalated.status_code == 200
    assert client.get(f"/api/v1/cases/{case_id}", headers=headers).status_code == 404

    again = post(client, "/api/v1/cases", body, headers=headers)

    assert again.status_code == 404
    assert "description" not in again.json()
    assert NEW_CASE["description"] not in again.content.decode()
    assert Case.objects.count() == 1
    # The L2 agent, who may see the case, reads it as before.
    assert client.get(f"/api/v1/cases/{case_id}", headers=bearer(agent_l2)).status_code == 200


@pytest.mark.django_db
def test_a_replay_of_a_visible_case_is_200_with_the_first_case(client, customer):
    headers = {**bearer(customer), "Idempotency-Key": "retry-1"}
    first = post(client, "/api/v1/cases", NEW_CASE, headers=headers)
    with CaptureQueriesContext(connection) as replay:
        again = post(client, "/api/v1/cases", {**NEW_CASE, "subject": "Else"}, headers=headers)
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["id"] == first.json()["id"]
    assert again.json()["subject"] == NEW_CASE["subject"]
    assert (Case.objects.count(), IdempotencyKey.objects.count()) == (1, 1)
    assert CaseEvent.objects.filter(kind="created").count() == 1
    # The key is read once, after its INSERT was refused.
    assert len(_idempotency_reads(replay.captured_queries)) == 1


@pytest.mark.django_db
def test_the_answer_of_a_new_case_equals_a_read_of_it(client, customer, account_admin):
    """The 201 is built from what was written, not read back: it must say what a read says."""
    headers = bearer(customer)
    created = post(
        client, "/api/v1/cases", {**NEW_CASE, "cc": [account_admin.pk]}, headers=headers
    ).json()
    read = client.get(f"/api/v1/cases/{created['id']}", headers=headers).json()
    for answer in (created, read):
        for clock in answer["sla"]:
            # Evaluated at each request's own instant.
            for moving in ("elapsed_seconds", "remaining_seconds", "fraction"):
                clock.pop(moving)
    assert created == read
    assert created["cc"] == [{"id": account_admin.pk, "name": str(account_admin)}]


# --- the cost of opening a case ---------------------------------------------------------------


@pytest.mark.django_db
def test_a_customer_opens_a_case_in_at_most_ten_queries(client, customer):
    headers = bearer(customer)
    _warm(client, headers)
    with CaptureQueriesContext(connection) as context:
        response = post(
            client, "/api/v1/cases", NEW_CASE, headers={**headers, "Idempotency-Key": "a-1"}
        )
    assert response.status_code == 201, response.content
    queries = _statements(context)
    assert len(queries) <= CREATE_MAX_QUERIES, "\n".join(queries)
    assert not _idempotency_reads(context.captured_queries)  # a new key is never looked up
    # Nothing written is read back, and the case is written once (no UPDATE after INSERT).
    assert not [q for q in queries if q.startswith("UPDATE") and "tickets_case" in q]
    assert not [q for q in queries if 'FROM "tickets_slaclock"' in q]
    assert (SlaClock.objects.count(), SlaTimer.objects.count()) == (2, 4)


@pytest.mark.django_db
def test_an_agent_logs_a_phone_case_in_at_most_ten_queries(client, customer, agent):
    headers = bearer(agent)
    _warm(client, headers)
    body = {**NEW_CASE, "channel": "phone", "requester_id": customer.pk}
    with CaptureQueriesContext(connection) as context:
        response = post(
            client, "/api/v1/cases", body, headers={**headers, "Idempotency-Key": "call-1"}
        )
    assert response.status_code == 201, response.content
    assert response.json()["requester"]["id"] == customer.pk
    queries = _statements(context)
    assert len(queries) <= CREATE_MAX_QUERIES, "\n".join(queries)
    assert not _idempotency_reads(context.captured_queries)
