"""Every route of the site is either a page the browser tests look at or says why it is not one.

The list lives beside the browser tests (tests/e2e/test_every_page.py: PAGES, NOT_PAGES); these
checks run with the fast suite, so an unclassified route fails without a browser.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from tests.e2e.test_every_page import NOT_PAGES, PAGES, POST_ONLY, routes
from tests.factories import VendorUserFactory
from tierdesk.accounts.roles import Role


def example(converter: Any) -> str:
    """A value the path converter accepts: a number, a language code, a slug."""
    for candidate in ("1", *(code for code, _name in settings.LANGUAGES), "x"):
        if re.fullmatch(converter.regex, candidate):
            return candidate
    raise AssertionError(f"no example for {converter!r}")


def test_every_route_is_a_page_here_or_says_why_it_is_not():
    pages = {page.route for page in PAGES}
    assert pages.isdisjoint(NOT_PAGES)
    unclassified = set(routes()) - pages - set(NOT_PAGES)
    assert unclassified == set(), f"add these routes to PAGES or NOT_PAGES: {sorted(unclassified)}"
    assert pages | set(NOT_PAGES) <= set(routes()), "a listed route no longer exists"


@pytest.mark.django_db
@pytest.mark.parametrize("route", sorted(n for n, why in NOT_PAGES.items() if why == POST_ONLY))
def test_a_post_only_route_refuses_get(route):
    converters = routes()[route].pattern.converters  # type: ignore[union-attr]
    kwargs = {key: example(converter) for key, converter in converters.items()}
    client = Client()
    client.force_login(VendorUserFactory(role=Role.SUPERVISOR))
    assert client.get(reverse(route, kwargs=kwargs or None)).status_code == 405
