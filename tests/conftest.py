"""Fixtures shared by the whole suite."""

import threading
from collections.abc import Callable, Iterable, Iterator
from typing import Any

import pytest
from django.core.servers.basehttp import ThreadedWSGIServer
from django.test.testcases import LiveServerThread
from django.utils import translation

StartResponse = Callable[..., Any]


class OneRequestAtATimeServer(ThreadedWSGIServer):
    """The live server, answering one request at a time when its threads share a connection.

    On SQLite the test database lives in memory, so the live server's threads all use the test
    thread's one connection. Two requests at once on it (a search the browser sent while typing,
    still reading, and the page it then opened, counting a view) fail with "database table is
    locked", which no real deployment sees: each of its processes has its own connection. Each
    request is therefore answered whole, body included, before the next one starts.
    """

    def set_app(self, application: Callable[..., Iterable[bytes]]) -> None:
        """Serve `application`, serialised when the database connection is shared."""
        if not self.connections_override:
            super().set_app(application)
            return
        lock = threading.Lock()

        def one_at_a_time(environ: dict[str, Any], start_response: StartResponse) -> list[bytes]:
            with lock:
                result = application(environ, start_response)
                try:
                    return list(result)
                finally:
                    close = getattr(result, "close", None)
                    if close is not None:
                        close()

        super().set_app(one_at_a_time)


@pytest.fixture(autouse=True, scope="session")
def _live_server_one_request_at_a_time() -> Iterator[None]:
    """Make every live server of the session a `OneRequestAtATimeServer`."""
    original = LiveServerThread.server_class
    LiveServerThread.server_class = OneRequestAtATimeServer
    yield
    LiveServerThread.server_class = original


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
