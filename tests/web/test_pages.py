import re

import pytest
from django.test import Client

from tests.factories import (
    AccountAdminFactory,
    StaffAdminFactory,
    UserFactory,
    VendorUserFactory,
)
from tierdesk.accounts.models import User
from tierdesk.web.navigation import ENTRIES, navigation_for

pytestmark = pytest.mark.django_db


def nav_names(user):
    return [item.name for item in navigation_for(user)]


def test_the_layout_has_navigation_sign_in_and_the_language_switcher(client):
    body = client.get("/").content.decode()
    assert '<nav aria-label="Main">' in body
    assert 'href="/accounts/login/"' in body
    assert 'action="/i18n/setlang/"' in body
    # One submit button per language: the switcher works without JavaScript.
    assert re.search(
        r'<button type="submit" name="language" value="it" lang="it"[^>]*>Italiano<', body
    )
    assert re.search(
        r'<button type="submit" name="language" value="en" lang="en"[^>]*>English<', body
    )
    assert "<script>" not in body  # the CSP forbids inline scripts


def test_a_signed_in_user_sees_their_name_and_a_sign_out_form(client):
    user = UserFactory(first_name="Ada", last_name="Lovelace")
    client.force_login(user)
    body = client.get("/").content.decode()
    assert "Ada Lovelace" in body
    assert 'action="/accounts/logout/"' in body
    assert 'href="/accounts/login/"' not in body


def test_visitors_see_only_public_links():
    from django.contrib.auth.models import AnonymousUser

    names = nav_names(AnonymousUser())
    assert "home" in names
    assert not {"profile", "account", "account-users", "api-tokens", "admin:index"} & set(names)


def test_members_see_their_account_but_not_its_users():
    names = nav_names(UserFactory())
    assert {"home", "account", "profile", "api-tokens"} <= set(names)
    assert "account-users" not in names
    assert "admin:index" not in names


def test_account_admins_also_manage_users():
    assert "account-users" in nav_names(AccountAdminFactory())


def test_agents_have_no_customer_account_links():
    names = nav_names(VendorUserFactory())
    assert "account" not in names
    assert "account-users" not in names
    assert "profile" in names


# Entries listed before their app is routed (the reports are to come); any other entry must
# resolve, so that a wrong URL name fails here instead of silently dropping its link.
NOT_ROUTED_YET = {"reports:index"}


def test_every_navigation_entry_is_routed():
    from django.urls import NoReverseMatch, reverse

    unrouted = set()
    for entry in ENTRIES:
        try:
            reverse(entry.url_name)
        except NoReverseMatch:
            unrouted.add(entry.url_name)
    assert unrouted == NOT_ROUTED_YET


def test_staff_admins_reach_the_django_admin():
    assert "admin:index" in nav_names(StaffAdminFactory())


def test_the_current_page_is_marked_in_the_navigation(client):
    client.force_login(UserFactory())
    body = client.get("/profile/").content.decode()
    current = re.findall(r'<a [^>]*aria-current="page"[^>]*>', body)
    assert len(current) == 1
    assert 'href="/profile/"' in current[0]


def test_the_login_page_speaks_italian_to_an_italian_browser(client):
    response = client.get("/accounts/login/", headers={"Accept-Language": "it"})
    assert response.headers["Content-Language"] == "it"
    body = response.content.decode()
    assert '<html lang="it">' in body
    assert "Accedi" in body
    assert "Password dimenticata?" in body


def test_the_switcher_changes_the_language_of_a_visitor():
    client = Client()
    response = client.post("/i18n/setlang/", {"language": "it", "next": "/"})
    assert response.status_code == 302
    body = client.get("/").content.decode()
    assert "Come possiamo aiutarti?" in body
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert "How can we help?" in client.get("/").content.decode()


def test_the_switcher_saves_a_signed_in_users_language(client):
    user = UserFactory(language="en")
    client.force_login(user)
    client.post("/i18n/setlang/", {"language": "it", "next": "/"})
    assert User.objects.get(pk=user.pk).language == "it"
    # A new browser, with no language cookie, still gets Italian once signed in.
    other_browser = Client()
    other_browser.force_login(user)
    assert "Come possiamo aiutarti?" in other_browser.get("/").content.decode()


def test_the_switcher_refuses_an_unknown_language(client):
    user = UserFactory(language="en")
    client.force_login(user)
    client.post("/i18n/setlang/", {"language": "xx", "next": "/"})
    assert User.objects.get(pk=user.pk).language == "en"


def test_the_switcher_only_redirects_to_this_site(client):
    response = client.post("/i18n/setlang/", {"language": "it", "next": "https://evil.example/"})
    assert response.status_code == 302
    assert "evil.example" not in response.url
