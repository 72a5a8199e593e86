import re

import pytest
from axes.models import AccessAttempt
from django.core import mail

from tests.factories import DEFAULT_PASSWORD, UserFactory
from tierdesk.accounts.models import User

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"


def sign_in(client, email, password):
    return client.post(LOGIN, {"username": email, "password": password})


def test_sign_in_by_email_opens_a_session(client):
    user = UserFactory(email="ada@example.com")
    response = sign_in(client, "ada@example.com", DEFAULT_PASSWORD)
    assert response.status_code == 302
    assert response.url == "/"
    assert client.session["_auth_user_id"] == str(user.pk)


def test_the_email_is_case_insensitive_as_stored_lowercase(client):
    UserFactory(email="ada@example.com")
    response = sign_in(client, "Ada@Example.COM", DEFAULT_PASSWORD)
    assert response.status_code == 302


def test_a_wrong_password_is_refused_with_the_form_error(client):
    UserFactory(email="ada@example.com")
    response = sign_in(client, "ada@example.com", "wrong")
    assert response.status_code == 200
    assert response.context["form"].errors
    assert "_auth_user_id" not in client.session


def test_a_removed_user_cannot_sign_in(client):
    UserFactory(email="ada@example.com", is_active=False)
    response = sign_in(client, "ada@example.com", DEFAULT_PASSWORD)
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_passwords_are_hashed_with_argon2_outside_tests(settings):
    from tierdesk.config.settings import security

    assert security.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")


def test_sign_out_is_a_post(client):
    user = UserFactory()
    client.force_login(user)
    assert client.get("/accounts/logout/").status_code == 405
    assert "_auth_user_id" in client.session
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_the_sixth_attempt_is_refused_even_with_the_right_password(client):
    UserFactory(email="ada@example.com")
    for _ in range(4):
        assert sign_in(client, "ada@example.com", "wrong").status_code == 200
    # The fifth failure reaches the limit and is answered with the lockout page already.
    assert sign_in(client, "ada@example.com", "wrong").status_code == 429
    response = sign_in(client, "ada@example.com", DEFAULT_PASSWORD)
    assert response.status_code == 429
    assert "registration/locked_out.html" in [t.name for t in response.templates]
    assert b"Too many failed sign-ins" in response.content
    assert "_auth_user_id" not in client.session


def test_the_lockout_is_per_username_so_others_still_sign_in(client):
    UserFactory(email="ada@example.com")
    UserFactory(email="bob@example.com")
    for _ in range(5):
        sign_in(client, "ada@example.com", "wrong")
    assert AccessAttempt.objects.get().username == "ada@example.com"
    assert sign_in(client, "bob@example.com", DEFAULT_PASSWORD).status_code == 302


def test_changing_the_case_of_the_address_does_not_dodge_the_lockout(client):
    UserFactory(email="ada@example.com")
    for n in range(5):
        sign_in(client, "ada@example.com" if n % 2 else "ADA@example.com", "wrong")
    assert sign_in(client, "Ada@Example.com", DEFAULT_PASSWORD).status_code == 429


def test_a_success_resets_the_failure_count(client):
    UserFactory(email="ada@example.com")
    for _ in range(4):
        sign_in(client, "ada@example.com", "wrong")
    assert sign_in(client, "ada@example.com", DEFAULT_PASSWORD).status_code == 302
    assert not AccessAttempt.objects.filter(username="ada@example.com").exists()
    client.logout()
    for _ in range(4):
        assert sign_in(client, "ada@example.com", "wrong").status_code == 200
    assert sign_in(client, "ada@example.com", DEFAULT_PASSWORD).status_code == 302


def test_password_reset_by_email_end_to_end(client):
    user = UserFactory(email="ada@example.com")
    response = client.post("/accounts/password/reset/", {"email": "ada@example.com"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["ada@example.com"]
    link = re.search(r"https?://[^/]+(/accounts/password/reset/\S+/)", message.body).group(1)
    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    assert form_page.context["validlink"]
    set_url = form_page.redirect_chain[-1][0]
    new_password = "a much newer passphrase 42"
    done = client.post(set_url, {"new_password1": new_password, "new_password2": new_password})
    assert done.status_code == 302
    user.refresh_from_db()
    assert user.check_password(new_password)
    # The link works once.
    assert not client.get(link, follow=True).context["validlink"]


def test_password_reset_for_an_unknown_address_sends_nothing_and_says_the_same(client):
    response = client.post("/accounts/password/reset/", {"email": "nobody@example.com"})
    assert response.status_code == 302
    assert mail.outbox == []


def test_password_change_needs_the_old_password(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post(
        "/accounts/password/change/",
        {
            "old_password": "wrong",
            "new_password1": "x9 new pass 9x",
            "new_password2": "x9 new pass 9x",
        },
    )
    assert response.status_code == 200
    user.refresh_from_db()
    assert user.check_password(DEFAULT_PASSWORD)


def test_the_users_language_is_used_after_sign_in(client):
    UserFactory(email="ada@example.com", language="it")
    sign_in(client, "ada@example.com", DEFAULT_PASSWORD)
    response = client.get("/")
    assert response.headers["Content-Language"] == "it"
    assert User.objects.get(email="ada@example.com").language == "it"
