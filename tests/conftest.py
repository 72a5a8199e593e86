"""Fixtures shared by the whole suite."""

from collections.abc import Iterator

import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _english_after_each_test() -> Iterator[None]:
    """Put the language back after each test.

    A request in Italian leaves Italian active in the thread (LocaleMiddleware never resets it),
    and management commands run in whatever language is active: without this, a test's outcome
    would depend on the language of the test before it.
    """
    yield
    translation.deactivate()
