"""The error pages: in the product's layout, in English and Italian, saying where to go next."""

from unittest import mock

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import OperationalError
from django.db.backends.base.base import BaseDatabaseWrapper
from django.test import Client

from tests.factories import DEFAULT_PASSWORD, UserFactory, VendorUserFactory

pytestmark = pytest.mark.django_db

ERRORS = "tests.web.error_urls"
LAYOUT = '<nav aria-label="Main">'  # the product's top bar


def get(client, path, language="en", **kwargs):
    return client.get(path, headers={"Accept-Language": language}, **kwargs)


@pytest.fixture
def error_urls(settings):
    settings.ROOT_URLCONF = ERRORS


# --- 404 ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "heading", "home"),
    [
        ("en", "We cannot find that page", "Go to the home page"),
        ("it", "Non troviamo questa pagina", "Vai alla pagina iniziale"),
    ],
)
def test_the_404_page_is_in_the_layout_and_the_visitors_language(client, language, heading, home):
    response = get(client, "/no-such-page/", language)
    assert response.status_code == 404
    body = response.content.decode()
    assert f'<html lang="{language}">' in body
    assert LAYOUT.replace("Main", "Principale" if language == "it" else "Main") in body
    assert heading in body
    assert home in body and 'href="/"' in body
    # A visitor may simply need to sign in; the link brings them back here.
    assert 'href="/accounts/login/?next=/no-such-page/"' in body
    assert "Not Found" not in body


def test_the_language_cookie_picks_the_language_of_the_404_page():
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "it"
    body = client.get("/no-such-page/").content.decode()
    assert "Non troviamo questa pagina" in body


def test_the_404_page_never_shows_the_lookup_that_failed(client):
    # Another tenant's case is a 404 whose exception names the model: none of it is shown.
    client.force_login(UserFactory())
    response = client.get("/cases/999999/")
    assert response.status_code == 404
    body = response.content.decode()
    assert "We cannot find that page" in body
    assert "matches the given query" not in body
    assert "/accounts/login/?next=" not in body  # signed in: no sign-in link


# --- 403 ------------------------------------------------------------------------------------


@pytest.mark.usefixtures("error_urls")
def test_a_403_shows_the_reason_the_code_gave(client):
    client.force_login(UserFactory())
    response = get(client, "/test-errors/denied-with-reason/")
    assert response.status_code == 403
    body = response.content.decode()
    assert LAYOUT in body
    assert "You cannot do this here" in body
    assert "Only supervisors decide escalation requests." in body


def test_a_403_shows_the_translated_reason_in_italian(client):
    # The product's own PermissionDenied: an agent opening the customer portal's new-case page.
    client.force_login(VendorUserFactory(language="it"))
    response = client.get("/cases/new/")
    assert response.status_code == 403
    body = response.content.decode()
    assert '<html lang="it">' in body
    assert "Non puoi farlo qui" in body
    assert "Il portale clienti è riservato agli account cliente." in body


@pytest.mark.usefixtures("error_urls")
@pytest.mark.parametrize("path", ["/test-errors/denied-bare/", "/test-errors/denied-non-message/"])
def test_a_403_without_a_message_for_people_shows_no_reason(client, path):
    client.force_login(UserFactory())
    response = get(client, path)
    assert response.status_code == 403
    body = response.content.decode()
    assert "You cannot do this here" in body
    assert "error-reason" not in body
    assert "internal" not in body


@pytest.mark.usefixtures("error_urls")
def test_a_403_in_italian(client):
    response = get(client, "/test-errors/denied-bare/", "it")
    body = response.content.decode()
    assert "Non puoi farlo qui" in body
    assert "Accedi con un account che può aprire questa pagina." in body


# --- 400 ------------------------------------------------------------------------------------


@pytest.mark.usefixtures("error_urls")
@pytest.mark.parametrize(
    ("language", "heading"),
    [("en", "We could not understand that request"), ("it", "Non abbiamo capito la richiesta")],
)
def test_the_400_page_in_both_languages(client, language, heading):
    response = get(client, "/test-errors/suspicious/", language)
    assert response.status_code == 400
    body = response.content.decode()
    assert LAYOUT.replace("Main", "Principale" if language == "it" else "Main") in body
    assert heading in body
    assert "tampered" not in body


def test_a_request_for_another_host_gets_the_400_page(client):
    response = client.get("/", headers={"Host": "evil.example"})
    assert response.status_code == 400
    assert "We could not understand that request" in response.content.decode()


# --- 500 ------------------------------------------------------------------------------------


def database_down():
    return mock.patch.object(
        BaseDatabaseWrapper, "cursor", side_effect=OperationalError("the database is down")
    )


@pytest.mark.usefixtures("error_urls")
@pytest.mark.parametrize(
    ("language", "heading"),
    [
        ("en", "Something went wrong on our side"),
        ("it", "Qualcosa è andato storto da parte nostra"),
    ],
)
def test_the_500_page_renders_with_the_database_down(language, heading):
    client = Client(raise_request_exception=False)
    with database_down() as cursor:
        response = get(client, "/test-errors/database/", language)
    assert cursor.called  # the view did fail on the database
    assert response.status_code == 500
    body = response.content.decode()
    assert f'<html lang="{language}">' in body
    assert heading in body
    assert 'href="/"' in body
    assert "/static/web/vendor/bootstrap/bootstrap.min.css" in body


# --- CSRF failure ---------------------------------------------------------------------------


def test_a_form_sent_without_the_csrf_cookie_says_to_allow_cookies():
    client = Client(enforce_csrf_checks=True)
    response = client.post("/accounts/login/", {"username": "a@example.com", "password": "x"})
    assert response.status_code == 403
    body = response.content.decode()
    assert LAYOUT in body
    assert "This form could not be sent" in body
    assert "Allow cookies for this site" in body


def test_a_form_with_a_stale_token_says_to_reload_in_italian():
    client = Client(enforce_csrf_checks=True)
    get(client, "/accounts/login/", "it")  # sets the CSRF cookie
    response = client.post(
        "/accounts/login/",
        {"username": "a@example.com", "password": "x", "csrfmiddlewaretoken": "x" * 64},
        headers={"Accept-Language": "it"},
    )
    assert response.status_code == 403
    body = response.content.decode()
    assert "Impossibile inviare questo modulo" in body
    assert "ricarica la pagina" in body


# --- lock-out -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "heading", "reset"),
    [
        ("en", "Too many failed sign-ins", "Reset your password"),
        ("it", "Troppi accessi non riusciti", "Reimposta la password"),
    ],
)
def test_the_lockout_page_is_in_the_layout(client, language, heading, reset):
    UserFactory(email="ada@example.com")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = client.post(
            "/accounts/login/",
            {"username": "ada@example.com", "password": "wrong"},
            headers={"Accept-Language": language},
        )
    assert response.status_code == 429
    body = response.content.decode()
    assert LAYOUT.replace("Main", "Principale" if language == "it" else "Main") in body
    assert heading in body
    assert reset in body and 'href="/accounts/password/reset/"' in body
    assert DEFAULT_PASSWORD not in body


# --- which 403 reasons are shown ------------------------------------------------------------


def test_a_lazy_translated_reason_is_shown_in_the_active_language():
    from django.utils import translation
    from django.utils.translation import gettext_lazy

    from tierdesk.web.errors import permission_reason

    denied = PermissionDenied(gettext_lazy("You may not work this case."))
    with translation.override("it"):
        assert permission_reason(denied) == str(gettext_lazy("You may not work this case."))
        assert permission_reason(denied) != "You may not work this case."


@pytest.mark.parametrize(
    "exception",
    [
        None,
        ValueError("You may not see this."),  # not a PermissionDenied
        PermissionDenied(),
        PermissionDenied("two", "arguments"),
        PermissionDenied(["a list"]),
        PermissionDenied("x" * 301),  # not a sentence for people
        PermissionDenied("   "),
    ],
)
def test_reasons_not_written_for_people_are_not_shown(exception):
    from tierdesk.web.errors import permission_reason

    assert permission_reason(exception) == ""
