"""Password-reset e-mails are throttled per address and per client IP, with the same answer."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from tests.factories import UserFactory
from tierdesk.accounts.models import PasswordResetRequest

pytestmark = pytest.mark.django_db

URL = "/accounts/password/reset/"


def ask(client, email, ip="203.0.113.7"):
    return client.post(URL, {"email": email}, REMOTE_ADDR=ip)


@pytest.fixture(autouse=True)
def _limits(settings):
    settings.PASSWORD_RESET_MAX_PER_ADDRESS = 3
    settings.PASSWORD_RESET_MAX_PER_IP = 5
    settings.PASSWORD_RESET_WINDOW_SECONDS = 3600


def test_an_address_gets_at_most_the_limit_of_emails_and_the_same_answer(client):
    UserFactory(email="ada@example.com")
    answers = [ask(client, "ada@example.com", ip=f"198.51.100.{n}") for n in range(6)]
    assert len(mail.outbox) == 3
    assert {(a.status_code, a.url) for a in answers} == {(302, "/accounts/password/reset/sent/")}
    # Another address is not affected.
    UserFactory(email="bob@example.com")
    ask(client, "BOB@example.com", ip="198.51.100.99")
    assert len(mail.outbox) == 4


def test_one_client_ip_gets_at_most_its_limit_of_emails_over_many_addresses(client):
    for n in range(8):
        UserFactory(email=f"user{n}@example.com")
    for n in range(8):
        assert ask(client, f"user{n}@example.com").status_code == 302
    assert len(mail.outbox) == 5
    ask(client, "user7@example.com", ip="192.0.2.1")  # another client still gets theirs
    assert len(mail.outbox) == 6


def test_unknown_addresses_count_like_known_ones(client):
    """So the throttle's answer cannot tell which addresses have a user."""
    for _ in range(3):
        ask(client, "nobody@example.com")
    UserFactory(email="nobody@example.com")
    ask(client, "nobody@example.com")
    assert mail.outbox == []


def test_the_window_passes(client):
    UserFactory(email="ada@example.com")
    for _ in range(3):
        ask(client, "ada@example.com")
    assert len(mail.outbox) == 3
    PasswordResetRequest.objects.update(created_at=timezone.now() - timedelta(hours=1, seconds=1))
    ask(client, "ada@example.com")
    assert len(mail.outbox) == 4
    # Rows older than the window are forgotten; addresses are kept hashed only.
    assert PasswordResetRequest.objects.count() == 1
    assert "ada" not in PasswordResetRequest.objects.get().address_hash
