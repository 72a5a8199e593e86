from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone

from tests.factories import UserFactory
from tierdesk.accounts.models import ApiToken
from tierdesk.accounts.services.tokens import (
    api_token_authenticate,
    api_token_create,
    api_token_revoke,
    token_hash,
)

pytestmark = pytest.mark.django_db


def test_create_returns_a_secret_that_is_stored_only_as_its_hash():
    user = UserFactory()
    token, secret = api_token_create(user=user, name="  ci  ")
    assert secret.startswith("td_") and len(secret) > 40
    token.refresh_from_db()
    assert token.name == "ci"
    assert token.token_hash == token_hash(secret)
    assert secret not in token.token_hash
    assert token.prefix == secret[:10]
    assert not any(secret in str(value) for value in vars(token).values())


def test_two_tokens_have_different_secrets():
    user = UserFactory()
    _, first = api_token_create(user=user, name="a")
    _, second = api_token_create(user=user, name="b")
    assert first != second


@pytest.mark.parametrize("name", ["", "   ", "x" * 101])
def test_a_bad_name_is_refused_and_creates_nothing(name):
    user = UserFactory()
    with pytest.raises(ValidationError) as caught:
        api_token_create(user=user, name=name)
    assert "name" in caught.value.message_dict
    assert ApiToken.objects.count() == 0


def test_the_number_of_active_tokens_is_limited():
    user = UserFactory()
    for n in range(20):
        api_token_create(user=user, name=f"t{n}")
    with pytest.raises(ValidationError):
        api_token_create(user=user, name="one too many")
    assert ApiToken.objects.filter(user=user).count() == 20


def test_authenticate_finds_the_user_and_records_the_use():
    user = UserFactory()
    token, secret = api_token_create(user=user, name="ci")
    assert api_token_authenticate(secret=secret) == user
    token.refresh_from_db()
    assert token.last_used_at is not None


@pytest.mark.parametrize("secret", ["", "td_", "td_wrong", "not-a-token", "td_" + "x" * 500])
def test_authenticate_refuses_unknown_secrets(secret):
    UserFactory()
    assert api_token_authenticate(secret=secret) is None


def test_last_used_is_written_at_most_once_a_minute(django_assert_num_queries):
    user = UserFactory()
    token, secret = api_token_create(user=user, name="ci")
    api_token_authenticate(secret=secret)
    token.refresh_from_db()
    first_use = token.last_used_at
    with django_assert_num_queries(1):  # the lookup only, no write
        api_token_authenticate(secret=secret)
    token.refresh_from_db()
    assert token.last_used_at == first_use
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now() - timedelta(seconds=61))
    api_token_authenticate(secret=secret)
    token.refresh_from_db()
    assert token.last_used_at > first_use


def test_a_revoked_token_no_longer_authenticates():
    user = UserFactory()
    token, secret = api_token_create(user=user, name="ci")
    revoked = api_token_revoke(user=user, token_id=token.pk)
    assert revoked.revoked_at is not None
    assert api_token_authenticate(secret=secret) is None


def test_a_deactivated_users_token_no_longer_authenticates():
    user = UserFactory()
    _, secret = api_token_create(user=user, name="ci")
    user.is_active = False
    user.save()
    assert api_token_authenticate(secret=secret) is None


def test_nobody_revokes_someone_elses_token():
    owner, other = UserFactory(), UserFactory()
    token, secret = api_token_create(user=owner, name="ci")
    with pytest.raises(Http404):
        api_token_revoke(user=other, token_id=token.pk)
    token.refresh_from_db()
    assert token.revoked_at is None
    assert api_token_authenticate(secret=secret) == owner


def test_revoking_twice_is_a_404():
    user = UserFactory()
    token, _ = api_token_create(user=user, name="ci")
    api_token_revoke(user=user, token_id=token.pk)
    with pytest.raises(Http404):
        api_token_revoke(user=user, token_id=token.pk)


# --- the API tokens page --------------------------------------------------------------------


def test_the_page_shows_a_new_secret_once_and_then_only_its_prefix(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post("/profile/tokens/", {"name": "laptop"})
    assert response.status_code == 200
    secret = response.context["new_secret"]
    assert secret.startswith("td_")
    assert secret in response.content.decode()
    assert "no-store" in response.headers["Cache-Control"]
    assert api_token_authenticate(secret=secret) == user
    again = client.get("/profile/tokens/").content.decode()
    assert secret not in again
    assert secret[:10] in again
    assert "laptop" in again


def test_the_page_refuses_a_blank_name_and_creates_nothing(client):
    client.force_login(UserFactory())
    response = client.post("/profile/tokens/", {"name": "   "})
    assert response.status_code == 200
    assert response.context["form"].errors["name"]
    assert response.context["new_secret"] is None
    assert not ApiToken.objects.exists()


def test_the_page_lists_only_the_users_tokens(client, django_assert_max_num_queries):
    user, other = UserFactory(), UserFactory()
    for n in range(10):
        api_token_create(user=user, name=f"mine-{n}")
    api_token_create(user=other, name="theirs")
    client.force_login(user)
    with django_assert_max_num_queries(6):
        body = client.get("/profile/tokens/").content.decode()
    assert "mine-9" in body
    assert "theirs" not in body


def test_revoking_from_the_page(client):
    user = UserFactory()
    token, secret = api_token_create(user=user, name="laptop")
    client.force_login(user)
    assert client.get(f"/profile/tokens/{token.pk}/revoke/").status_code == 405
    assert client.post(f"/profile/tokens/{token.pk}/revoke/").status_code == 302
    assert api_token_authenticate(secret=secret) is None


def test_revoking_another_tenants_token_from_the_page_is_a_404(client):
    owner, stranger = UserFactory(), UserFactory()
    token, secret = api_token_create(user=owner, name="laptop")
    client.force_login(stranger)
    assert client.post(f"/profile/tokens/{token.pk}/revoke/").status_code == 404
    assert api_token_authenticate(secret=secret) == owner
