"""Every signed-in page at 1366 and 390 px: the top bar always fits; the pages that still scroll
sideways on a phone are marked, so that restyling them (issue 8, item 2) turns them green.

Set TIERDESK_SCREENSHOTS=/some/dir to keep a screenshot of each.
"""

from __future__ import annotations

import pytest
from django.test import Client

from tests.e2e.test_layout import DESKTOP, PHONE, keep, overflow, serious_violations
from tests.factories import (
    AccountAdminFactory,
    AccountFactory,
    LicensePlanFactory,
    SupportPlanFactory,
    SupportRegionFactory,
    UserFactory,
    VendorUserFactory,
)
from tierdesk.accounts.roles import Role
from tierdesk.tickets.services.cases import case_create

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

ALWAYS_OPEN = [(day, 0, 1440) for day in range(7)]

# (role, path); {case} is the case the customer opened.
PAGES = [
    ("customer", "/"),
    ("customer", "/cases/"),
    ("customer", "/cases/new/"),
    ("customer", "/cases/{case}/"),
    ("customer", "/account/"),
    ("customer", "/profile/"),
    ("customer", "/profile/tokens/"),
    ("account_admin", "/account/users/"),
    ("agent", "/"),
    ("agent", "/console/"),
    ("agent", "/cases/{case}/"),
    ("supervisor", "/console/escalations/"),
]
# Pages wider than a 390 px phone until they are restyled (issue 8, item 2): the measured width
# is in the report of the run (pytest -rx).
TOO_WIDE_ON_PHONES = {
    ("customer", "/cases/"),  # 142 px too wide on 1 December 2026
    ("agent", "/console/"),  # 171 px
    ("account_admin", "/account/users/"),  # 209 px
}

# Pages whose own stylesheet (tickets/console.css, tickets/portal.css) still uses fixed light
# colours: in the dark theme their badges and tabs fall under WCAG AA contrast (issue 8, item 2).
DARK_THEME_CONTRAST = {
    ("customer", "/cases/"),
    ("customer", "/cases/{case}/"),
    ("agent", "/console/"),
    ("agent", "/cases/{case}/"),
}


@pytest.fixture
def people(db):
    region = SupportRegionFactory(code="it", time_zone="Europe/Rome", windows=ALWAYS_OPEN)
    account = AccountFactory(
        name="Acme",
        license_plan=LicensePlanFactory(code="business"),
        support_plan=SupportPlanFactory(code="premier"),
        region=region,
    )
    customer = UserFactory(
        account=account, email="ada@acme.example", first_name="Ada", last_name="Lovelace"
    )
    people = {
        "customer": customer,
        "account_admin": AccountAdminFactory(account=account, email="admin@acme.example"),
        "agent": VendorUserFactory(role=Role.AGENT_L1, region=region, email="l1@vendor.example"),
        "supervisor": VendorUserFactory(
            role=Role.SUPERVISOR, region=region, email="sup@vendor.example"
        ),
    }
    case = case_create(
        actor=customer,
        subject="Calls drop after five minutes on the Milan trunk",
        description="Every call drops after **5 minutes**.",
        severity=2,
    )
    return people, case


def open_as(browser, live_server, user, path, viewport, color_scheme="light"):
    client = Client()
    client.force_login(user)
    context = browser.new_context(viewport=viewport, locale="en-US", color_scheme=color_scheme)
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    page = context.new_page()
    response = page.goto(live_server.url + path)
    assert response is not None and response.status == 200, path
    return page


@pytest.mark.parametrize(("role", "path"), PAGES)
def test_every_page_fits_a_phone_and_its_top_bar_fits_always(
    browser, live_server, people, role, path, request
):
    users, case = people
    url = path.format(case=case.pk)
    name = f"{role}{path.replace('/', '-').replace('{case}', 'case')}".rstrip("-")
    for width, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
        page = open_as(browser, live_server, users[role], url, viewport)
        keep(page, f"{name}-{width}")
        header = page.evaluate(
            "document.querySelector('header.site-header').scrollWidth - window.innerWidth"
        )
        assert header <= 0, f"the top bar of {url} overflows at {width}"
        if width == "desktop":
            assert overflow(page) == 0, f"{url} scrolls sideways at 1366 px"
        else:
            extra = overflow(page)
            if (role, path) in TOO_WIDE_ON_PHONES and extra:
                pytest.xfail(f"{url} is {extra} px too wide at 390 px (not restyled yet)")
            assert extra == 0, f"{url} is {extra} px too wide at 390 px"


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize(("role", "path"), PAGES)
def test_every_page_has_no_serious_accessibility_violations(
    browser, live_server, people, role, path, scheme
):
    users, case = people
    page = open_as(browser, live_server, users[role], path.format(case=case.pk), PHONE, scheme)
    violations = serious_violations(page)
    if scheme == "dark" and (role, path) in DARK_THEME_CONTRAST and violations:
        pytest.xfail(f"dark theme, not restyled yet: {violations}")
    assert violations == []
