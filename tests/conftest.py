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


def _flushes_the_database(item: pytest.Item) -> bool:
    """Whether the test runs in a transactional database, which Django flushes afterwards."""
    marker = item.get_closest_marker("django_db")
    fixtures = getattr(item, "fixturenames", ())
    transactional = bool(marker and marker.kwargs.get("transaction"))
    return transactional or "transactional_db" in fixtures or "live_server" in fixtures


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None) -> Iterator[None]:
    """Put the migrations' rows (plans, regions, calendars) back after a transactional test.

    Django flushes the database after such a test, and restores the rows only at the start of
    the next one that asks for `serialized_rollback`. pytest-django runs transactional tests
    last, but pytest-xdist hands a worker whole files in any order, so a plain test may follow
    a flush on the same worker and find no plans. Restoring here keeps every test's starting
    state the migrated database, whatever ran before it.
    """
    result = yield
    if nextitem is not None and _flushes_the_database(item) and not item.session.shouldfail:
        from django.db import connections
        from pytest_django.plugin import blocking_manager_key

        with item.config.stash[blocking_manager_key].unblock():
            for connection in connections.all(initialized_only=True):
                contents = getattr(connection, "_test_serialized_contents", None)
                if contents:
                    connection.creation.deserialize_db_from_string(contents)
    return result
