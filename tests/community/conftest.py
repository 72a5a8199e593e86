"""Fixtures of the forum: people of each kind, categories, and a helper to ask a question."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from tests.factories import AccountFactory, LicensePlanFactory, UserFactory, VendorUserFactory
from tierdesk.accounts.roles import Role
from tierdesk.community.models import ForumCategory, Thread
from tierdesk.community.selectors.forum_similar import cache_clear
from tierdesk.community.services.forum_posts import reply_create, thread_create

LONG_AGO = timezone.now() - timedelta(days=60)


@pytest.fixture(autouse=True)
def _fresh_similar_cache() -> Any:
    cache_clear()
    yield
    cache_clear()


@pytest.fixture
def people(db) -> dict[str, Any]:
    free = AccountFactory(name="Free Secret Co", license_plan=LicensePlanFactory(code="basic"))
    paid = AccountFactory(name="Paid Secret Co", license_plan=LicensePlanFactory(code="pro"))
    return {
        "asker": UserFactory(
            account=free,
            email="asker@free.example",
            first_name="Ada",
            last_name="Lovelace",
            date_joined=LONG_AGO,
        ),
        "paid": UserFactory(
            account=paid,
            email="paid@paid.example",
            first_name="Paolo",
            last_name="Rossi",
            date_joined=LONG_AGO,
            language="it",
        ),
        "helper": UserFactory(
            account=paid,
            email="helper@paid.example",
            first_name="Grace",
            last_name="Hopper",
            date_joined=LONG_AGO,
        ),
        "newbie": UserFactory(account=free, email="new@free.example", first_name="Nina"),
        "agent": VendorUserFactory(
            role=Role.AGENT_L1, email="agent@vendor.example", first_name="Alan", last_name="Turing"
        ),
        "supervisor": VendorUserFactory(role=Role.SUPERVISOR, email="sup@vendor.example"),
    }


@pytest.fixture
def categories(db) -> dict[str, ForumCategory]:
    return {
        "en": ForumCategory.objects.create(
            slug="calls", name="Calls and phones", product_area="phone", language="en"
        ),
        "it": ForumCategory.objects.create(
            slug="chiamate", name="Chiamate e telefoni", product_area="phone", language="it"
        ),
    }


def ask(
    user: Any,
    category: ForumCategory,
    title: str = "Calls drop after five minutes",
    body: str = "Every call drops.",
    **kwargs: Any,
) -> Thread:
    return thread_create(actor=user, category=category, title=title, body=body, **kwargs)


def answer(user: Any, thread: Thread, body: str = "Check the SIP timer.") -> Any:
    return reply_create(actor=user, thread=thread, body=body)
