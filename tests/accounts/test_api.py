import pytest
from django.core import mail
from django.test import Client

from tests.factories import AccountAdminFactory, AccountFactory, UserFactory, VendorUserFactory
from tierdesk.accounts.models import Account, ApiToken, Invitation, User
from tierdesk.accounts.services.tokens import api_token_create, api_token_revoke

pytestmark = pytest.mark.django_db


def bearer(user):
    _, secret = api_token_create(user=user, name="test")
    return {"Authorization": f"Bearer {secret}"}


def post(client, url, data=None, **kwargs):
    return client.post(url, data or {}, content_type="application/json", **kwargs)


def field_errors(response):
    return {(e["loc"][-1], e["msg"]) for e in response.json()["detail"]}


ENDPOINTS = [
    ("get", "/api/v1/me"),
    ("get", "/api/v1/account"),
    ("get", "/api/v1/account/users"),
    ("post", "/api/v1/account/users/invitations"),
    ("delete", "/api/v1/account/users/1"),
    ("post", "/api/v1/account/pin/rotate"),
    ("get", "/api/v1/me/tokens"),
    ("post", "/api/v1/me/tokens"),
    ("delete", "/api/v1/me/tokens/1"),
]


# --- authentication -------------------------------------------------------------------------


@pytest.mark.parametrize(("method", "url"), ENDPOINTS)
@pytest.mark.parametrize(
    "header",
    [None, "Bearer td_wrong", "Bearer ", "Token abc", "revoked"],
)
def test_every_endpoint_is_401_without_a_valid_token(client, method, url, header):
    admin = AccountAdminFactory(account__support_pin="111111")
    headers = {}
    if header == "revoked":
        token, secret = api_token_create(user=admin, name="old")
        api_token_revoke(user=admin, token_id=token.pk)
        headers = {"Authorization": f"Bearer {secret}"}
    elif header:
        headers = {"Authorization": header}
    response = getattr(client, method)(url, content_type="application/json", headers=headers)
    assert response.status_code == 401
    assert Account.objects.get().support_pin == "111111"
    assert not Invitation.objects.exists()


def test_a_bad_token_is_401_even_with_a_valid_session(client):
    user = UserFactory()
    client.force_login(user)
    response = client.get("/api/v1/me", headers={"Authorization": "Bearer td_wrong"})
    assert response.status_code == 401


def test_a_removed_users_token_is_401(client):
    user = UserFactory()
    headers = bearer(user)
    User.objects.filter(pk=user.pk).update(is_active=False)
    assert client.get("/api/v1/me", headers=headers).status_code == 401


def test_the_browser_session_works_and_unsafe_methods_need_csrf():
    user = UserFactory()
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(user)
    assert browser.get("/api/v1/me").json()["email"] == user.email
    response = post(browser, "/api/v1/me/tokens", {"name": "x"})
    assert response.status_code == 403
    assert not ApiToken.objects.exists()
    browser.get("/profile/")  # sets the CSRF cookie, as any page does
    csrf = browser.cookies["csrftoken"].value
    response = post(browser, "/api/v1/me/tokens", {"name": "x"}, headers={"X-CSRFToken": csrf})
    assert response.status_code == 201
    assert ApiToken.objects.filter(user=user).count() == 1


def test_a_token_client_needs_no_csrf():
    user = UserFactory()
    api_client = Client(enforce_csrf_checks=True)
    response = post(api_client, "/api/v1/me/tokens", {"name": "x"}, headers=bearer(user))
    assert response.status_code == 201


# --- /me and /account -----------------------------------------------------------------------


def test_me(client):
    user = UserFactory(email="ada@example.com", time_zone="Asia/Tokyo", language="it")
    body = client.get("/api/v1/me", headers=bearer(user)).json()
    assert body["email"] == "ada@example.com"
    assert body["role"] == "member"
    assert body["account_id"] == user.account_id
    assert (body["time_zone"], body["language"]) == ("Asia/Tokyo", "it")


def test_me_for_vendor_staff_has_no_account(client):
    body = client.get("/api/v1/me", headers=bearer(VendorUserFactory())).json()
    assert body["account_id"] is None


def test_account_summarises_plans_entitlements_and_weight(client):
    user = UserFactory(
        account__license_plan__code="business",
        account__support_plan__code="premier",
        account__support_pin="314159",
    )
    body = client.get("/api/v1/account", headers=bearer(user)).json()
    assert body["license_plan"] == {"code": "business", "name": "Business"}
    assert body["support_plan"]["code"] == "premier"
    assert body["support_pin"] == "314159"
    assert body["queue_weight"] == 2 + 2  # Business weight plus Premier's boost
    assert body["entitlements"]["phone_second_line"] is True
    assert body["entitlements"]["engineering_escalation"] is False
    assert body["region"]["time_zone"] == "Europe/Rome"


def test_account_of_a_free_plan_has_no_queue_weight(client):
    user = UserFactory(account__license_plan__code="basic")
    body = client.get("/api/v1/account", headers=bearer(user)).json()
    assert body["queue_weight"] == 0
    assert body["entitlements"]["web_tickets"] is False


def test_vendor_staff_have_no_account(client):
    assert client.get("/api/v1/account", headers=bearer(VendorUserFactory())).status_code == 404


# --- /account/users -------------------------------------------------------------------------


def test_users_are_paginated_and_scoped(client, django_assert_max_num_queries):
    member = AccountAdminFactory()
    for _ in range(60):
        UserFactory(account=member.account)
    stranger = UserFactory()
    headers = bearer(member)
    with django_assert_max_num_queries(6):
        first = client.get("/api/v1/account/users", headers=headers).json()
    assert first["count"] == 61
    assert len(first["items"]) == 50
    second = client.get("/api/v1/account/users?page=2", headers=headers).json()
    assert len(second["items"]) == 11
    emails = {u["email"] for u in first["items"] + second["items"]}
    assert member.email in emails
    assert stranger.email not in emails
    assert client.get("/api/v1/account/users?page=0", headers=headers).status_code == 422


def test_users_of_vendor_staff_is_404(client):
    response = client.get("/api/v1/account/users", headers=bearer(VendorUserFactory()))
    assert response.status_code == 404


def test_members_cannot_list_their_colleagues_as_on_the_page(client):
    member = UserFactory()
    colleague = UserFactory(account=member.account)
    response = client.get("/api/v1/account/users", headers=bearer(member))
    assert response.status_code == 403
    assert colleague.email not in response.content.decode()
    client.force_login(member)
    assert client.get("/account/users/").status_code == 403


def test_vendor_staff_get_404_from_the_users_page_and_api_alike(client):
    vendor = VendorUserFactory()
    assert client.get("/api/v1/account/users", headers=bearer(vendor)).status_code == 404
    client.force_login(vendor)
    assert client.get("/account/users/").status_code == 404


def test_invite(client, django_capture_on_commit_callbacks):
    admin = AccountAdminFactory()
    with django_capture_on_commit_callbacks(execute=True):
        response = post(
            client,
            "/api/v1/account/users/invitations",
            {"email": "new@example.com", "role": "account_admin"},
            headers=bearer(admin),
        )
    assert response.status_code == 201
    body = response.json()
    assert body["email"] == "new@example.com"
    assert body["role"] == "account_admin"
    assert "token" not in str(body).lower()
    assert Invitation.objects.get().account == admin.account
    assert mail.outbox[0].to == ["new@example.com"]
    assert "http://testserver/invitations/" in mail.outbox[0].body


def test_invite_by_a_member_is_403(client, django_capture_on_commit_callbacks):
    member = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        response = post(
            client,
            "/api/v1/account/users/invitations",
            {"email": "new@example.com"},
            headers=bearer(member),
        )
    assert response.status_code == 403
    assert not Invitation.objects.exists()
    assert mail.outbox == []


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"email": "not-an-address"}, "email"),
        ({"email": "new@example.com", "role": "staff_admin"}, "role"),
        ({"role": "member"}, "email"),
        ({"email": "x" * 300 + "@example.com"}, "email"),
    ],
)
def test_bad_invitations_are_422_with_the_field(
    client, payload, field, django_capture_on_commit_callbacks
):
    admin = AccountAdminFactory()
    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, "/api/v1/account/users/invitations", payload, headers=bearer(admin))
    assert response.status_code == 422
    assert field in {loc for loc, _ in field_errors(response)}
    assert not Invitation.objects.exists()
    assert mail.outbox == []


def test_remove_user(client):
    admin = AccountAdminFactory()
    member = UserFactory(account=admin.account)
    response = client.delete(f"/api/v1/account/users/{member.pk}", headers=bearer(admin))
    assert response.status_code == 204
    member.refresh_from_db()
    assert not member.is_active


def test_remove_another_accounts_user_is_404(client):
    admin = AccountAdminFactory()
    stranger = UserFactory()
    response = client.delete(f"/api/v1/account/users/{stranger.pk}", headers=bearer(admin))
    assert response.status_code == 404
    stranger.refresh_from_db()
    assert stranger.is_active


def test_remove_by_a_member_is_403(client):
    member = UserFactory()
    colleague = UserFactory(account=member.account)
    response = client.delete(f"/api/v1/account/users/{colleague.pk}", headers=bearer(member))
    assert response.status_code == 403
    colleague.refresh_from_db()
    assert colleague.is_active


def test_removing_yourself_is_422_with_the_reason(client):
    admin = AccountAdminFactory()
    response = client.delete(f"/api/v1/account/users/{admin.pk}", headers=bearer(admin))
    assert response.status_code == 422
    assert ("user", "You cannot remove yourself.") in field_errors(response)
    admin.refresh_from_db()
    assert admin.is_active


def test_remove_with_a_non_integer_id_is_422(client):
    admin = AccountAdminFactory()
    response = client.delete("/api/v1/account/users/abc", headers=bearer(admin))
    assert response.status_code in {404, 422}


# --- /account/pin/rotate --------------------------------------------------------------------


def test_rotate_pin(client):
    admin = AccountAdminFactory(account__support_pin="111111")
    response = post(client, "/api/v1/account/pin/rotate", headers=bearer(admin))
    assert response.status_code == 200
    pin = response.json()["support_pin"]
    assert pin != "111111"
    assert Account.objects.get(pk=admin.account_id).support_pin == pin


def test_rotate_pin_by_a_member_is_403(client):
    member = UserFactory(account__support_pin="111111")
    response = post(client, "/api/v1/account/pin/rotate", headers=bearer(member))
    assert response.status_code == 403
    assert Account.objects.get(pk=member.account_id).support_pin == "111111"


def test_rotate_pin_only_touches_the_callers_account(client):
    admin = AccountAdminFactory(account__support_pin="111111")
    other = AccountFactory(support_pin="222222")
    post(client, "/api/v1/account/pin/rotate", headers=bearer(admin))
    other.refresh_from_db()
    assert other.support_pin == "222222"


# --- /me/tokens -----------------------------------------------------------------------------


def test_create_token_shows_the_secret_once(client):
    user = UserFactory()
    headers = bearer(user)
    response = post(client, "/api/v1/me/tokens", {"name": "laptop"}, headers=headers)
    assert response.status_code == 201
    created = response.json()
    assert created["secret"].startswith("td_")
    assert created["prefix"] == created["secret"][:10]
    listed = client.get("/api/v1/me/tokens", headers=headers).json()
    assert {t["name"] for t in listed} == {"test", "laptop"}
    assert "secret" not in listed[0]
    assert created["secret"] not in str(listed)
    # The new token works.
    new_headers = {"Authorization": f"Bearer {created['secret']}"}
    assert client.get("/api/v1/me", headers=new_headers).status_code == 200


@pytest.mark.parametrize("payload", [{}, {"name": ""}, {"name": "x" * 101}, {"name": "   "}])
def test_bad_token_names_are_422(client, payload):
    user = UserFactory()
    headers = bearer(user)
    response = post(client, "/api/v1/me/tokens", payload, headers=headers)
    assert response.status_code == 422
    assert "name" in {loc for loc, _ in field_errors(response)}
    assert ApiToken.objects.filter(user=user).count() == 1


def test_tokens_list_only_the_callers_tokens(client):
    user, other = UserFactory(), UserFactory()
    api_token_create(user=other, name="theirs")
    names = [t["name"] for t in client.get("/api/v1/me/tokens", headers=bearer(user)).json()]
    assert names == ["test"]


def test_revoke_token(client):
    user = UserFactory()
    headers = bearer(user)
    token, secret = api_token_create(user=user, name="laptop")
    response = client.delete(f"/api/v1/me/tokens/{token.pk}", headers=headers)
    assert response.status_code == 204
    assert (
        client.get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"}).status_code == 401
    )


def test_revoke_someone_elses_token_is_404(client):
    user, other = UserFactory(), UserFactory(account=None, role="agent_l1")
    token, secret = api_token_create(user=other, name="theirs")
    response = client.delete(f"/api/v1/me/tokens/{token.pk}", headers=bearer(user))
    assert response.status_code == 404
    assert (
        client.get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"}).status_code == 200
    )


def test_revoke_another_tenants_token_is_404(client):
    admin = AccountAdminFactory()
    stranger = UserFactory()
    token, _ = api_token_create(user=stranger, name="theirs")
    response = client.delete(f"/api/v1/me/tokens/{token.pk}", headers=bearer(admin))
    assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_revoking_with_the_token_itself_ends_it(client):
    user = UserFactory()
    token, secret = api_token_create(user=user, name="self")
    headers = {"Authorization": f"Bearer {secret}"}
    assert client.delete(f"/api/v1/me/tokens/{token.pk}", headers=headers).status_code == 204
    assert client.get("/api/v1/me", headers=headers).status_code == 401
