"""A body over DATA_UPLOAD_MAX_MEMORY_SIZE gets the API's JSON error with 413, not an HTML page."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from tests.factories import AccountAdminFactory
from tierdesk.accounts.models import ApiToken, Invitation
from tierdesk.accounts.services.tokens import api_token_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def limit(settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    return 10_000


def test_a_json_body_over_the_limit_is_a_json_413(client, limit):
    admin = AccountAdminFactory()
    _, secret = api_token_create(user=admin, name="t")
    body = json.dumps({"name": "x" * (limit + 1)})
    response = client.post(
        "/api/v1/me/tokens",
        body,
        content_type="application/json",
        headers={"Authorization": f"Bearer {secret}"},
    )
    assert response.status_code == 413
    assert response["Content-Type"].startswith("application/json")
    assert "10000" in response.json()["detail"]
    assert ApiToken.objects.count() == 1  # only the test's own token


def test_a_form_body_over_the_limit_through_the_session_is_a_json_413(limit):
    admin = AccountAdminFactory()
    client = Client(enforce_csrf_checks=True)
    client.force_login(admin)
    client.get("/account/users/")  # sets the CSRF cookie
    token = client.cookies["csrftoken"].value
    response = client.post(
        "/api/v1/account/users/invitations",
        {"email": "new@example.com", "padding": "x" * (limit + 1)},
        headers={"X-CSRFToken": token},
    )
    assert response.status_code == 413
    assert response["Content-Type"].startswith("application/json")
    assert not Invitation.objects.exists()


def test_a_body_under_the_limit_is_served(client, limit):
    admin = AccountAdminFactory()
    _, secret = api_token_create(user=admin, name="t")
    response = client.post(
        "/api/v1/me/tokens",
        {"name": "fine"},
        content_type="application/json",
        headers={"Authorization": f"Bearer {secret}"},
    )
    assert response.status_code == 201


def test_the_schema_declares_413_where_a_body_is_read():
    from tierdesk.web.management.commands.openapi import openapi_document

    schema = json.loads(openapi_document())
    with_body = [
        (path, method, operation)
        for path, operations in schema["paths"].items()
        for method, operation in operations.items()
        if "requestBody" in operation
    ]
    assert with_body
    assert [(p, m) for p, m, op in with_body if "413" not in op["responses"]] == []
