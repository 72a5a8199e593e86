"""The product surface walked as its people walk it (issue 8), with time passing between steps.

A Business customer on Premier signs in from the top bar and lands on their home: how to reach
support (the region's numbers, grouped, and the support PIN), what the plan includes, and an
empty case list that says what to do. They open a case from there, see the confirmation toast,
and two hours later find it on their home with its SLA badges counting down in their language.
They move to Tokyo in the profile's time-zone picker, and the case's times follow. An L1 agent
finds the case among the cases nearest to breach on their home and opens it; the region's
supervisor sees it in the L1 line's figures. The customer signs out from the user menu.

Runs at 1366 px in English and at 390 px in Italian; on the phone the menu is opened from the
toggler. Every page must fit the window. Screenshots of each step go to /tmp/surface-walk/
(TIERDESK_WALK_SCREENSHOTS overrides the folder).
"""

from __future__ import annotations

import os
import re
import tempfile
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.utils import timezone, translation
from django.utils.translation import gettext

from tests.e2e.browsing import DESKTOP, PHONE, overflow
from tests.e2e.test_case_flow import sign_in
from tests.factories import (
    DEFAULT_PASSWORD,
    AccountFactory,
    LicensePlanFactory,
    SupportPlanFactory,
    SupportRegionFactory,
    UserFactory,
    VendorUserFactory,
)
from tierdesk.accounts.models import SupportNumber
from tierdesk.accounts.roles import Role
from tierdesk.tickets.models import Case

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

ALWAYS_OPEN = [(day, 0, 1440) for day in range(7)]
SHOTS = Path(
    os.environ.get("TIERDESK_WALK_SCREENSHOTS") or Path(tempfile.gettempdir()) / "surface-walk"
)


def t(lang: str, text: str, **values: Any) -> str:
    """The text in `lang`, as the catalogue translates it."""
    with translation.override(lang):
        translated = gettext(text)
    return translated % values if values else translated


class Person:
    """One person's browser window: its width, language and the checks every step makes."""

    def __init__(self, browser: Any, base: str, width: str, lang: str, who: str) -> None:
        viewport = PHONE if width == "phone" else DESKTOP
        locale = {"en": "en-US", "it": "it-IT"}[lang]
        self.page = browser.new_context(viewport=viewport, locale=locale).new_page()
        self.base, self.width, self.lang, self.who = base, width, lang, who

    def go(self, path: str) -> Any:
        self.page.goto(self.base + path)
        return self.page

    def menu(self) -> None:
        """On a phone the top bar's links are behind the toggler."""
        if self.width == "phone":
            self.page.click(".navbar-toggler")
            self.page.wait_for_selector("#site-menu.show")

    def looked_at(self, step: str) -> None:
        """The page is in the person's language, fits the window, and is kept as a screenshot."""
        assert self.page.locator("html").get_attribute("lang") == self.lang, self.page.url
        assert overflow(self.page) == 0, f"{step}: {self.page.url} scrolls sideways"
        SHOTS.mkdir(parents=True, exist_ok=True)
        name = f"{self.width}-{self.lang}-{self.who}-{step}.png"
        self.page.screenshot(path=str(SHOTS / name), full_page=True)


@pytest.mark.parametrize(("width", "lang"), [("desktop", "en"), ("phone", "it")])
def test_the_surface_walked_by_a_customer_an_agent_and_a_supervisor(
    browser, live_server, media, width, lang
):
    from playwright.sync_api import expect

    rome = SupportRegionFactory(
        code="it", name="Italia", time_zone="Europe/Rome", windows=ALWAYS_OPEN
    )
    SupportNumber.objects.create(region=rome, line="first", number="+390200000101")
    SupportNumber.objects.create(region=rome, line="second", number="+390200000102")
    account = AccountFactory(
        name="Acme",
        license_plan=LicensePlanFactory(code="business"),
        support_plan=SupportPlanFactory(code="premier"),
        region=rome,
    )
    customer = UserFactory(
        account=account,
        email="ada@acme.example",
        first_name="Ada",
        last_name="Lovelace",
        language=lang,
        time_zone="Europe/Rome",
    )
    l1 = VendorUserFactory(
        role=Role.AGENT_L1, region=rome, email="l1@vendor.example", language=lang
    )
    boss = VendorUserFactory(
        role=Role.SUPERVISOR, region=rome, email="sup@vendor.example", language=lang
    )
    base = live_server.url
    start = timezone.now().replace(microsecond=0)

    with time_machine.travel(start, tick=True) as clock_hand:
        # 1. The customer signs in from the top bar and lands on their home.
        ada = Person(browser, base, width, lang, "customer")
        page = ada.go("/accounts/login/")
        page.fill("input[name=username]", customer.email)
        page.fill("input[name=password]", DEFAULT_PASSWORD)
        page.click("#sign-in-form button[type=submit]")
        page.wait_for_url(f"{base}/")
        contacts = page.locator("#support-contacts")
        expect(contacts).to_contain_text("+39 02 0000 0101")  # first line, grouped for people
        expect(contacts).to_contain_text("+39 02 0000 0102")  # Business includes the second
        expect(page.locator("#home-support-pin")).to_have_text(account.support_pin)
        expect(page.locator("#plan-summary")).to_be_visible()
        expect(page.locator("#open-cases")).to_contain_text(t(lang, "No open cases"))
        ada.looked_at("1-home-empty")

        # 2. From the empty state they open a case; a toast confirms it.
        page.locator("#open-cases").get_by_role("link", name=t(lang, "Open a case")).click()
        page.wait_for_url(f"{base}/cases/new/")
        page.fill("input[name=subject]", "Calls drop after five minutes")
        page.fill("textarea[name=description]", "Every call drops after **5 minutes**.")
        page.check("input[name=severity][value='2']")
        page.click("#case-submit")
        page.wait_for_url(re.compile(r"/cases/\d+/$"))
        case = Case.objects.get()
        toast = page.locator(".messages .toast")
        expect(toast).to_contain_text(
            t(lang, "Case #%(n)d is open. We will answer here.", n=case.pk)
        )
        expect(toast).to_have_attribute("role", "status")
        ada.looked_at("2-case-opened")

        # 3. Two hours later the case is on their home, its badges counting down in words.
        clock_hand.move_to(start + timedelta(hours=2))
        page = ada.go("/")
        row = page.locator(f"#open-cases tr[data-case='{case.pk}']")
        expect(row).to_contain_text("Calls drop after five minutes")
        countdown = row.locator(".countdown").first
        expect(countdown).to_contain_text(t(lang, "left"))
        assert re.search(r"\d+ (h|min)", countdown.inner_text()), countdown.inner_text()
        ada.looked_at("3-home-with-case")

        # 4. They move to Tokyo: the picker's search finds it, and times follow the new zone.
        ada.menu()
        page.click("#user-toggle")
        page.locator(".user-menu .dropdown-item[href='/profile/']").click()
        page.wait_for_url(f"{base}/profile/")
        page.fill("#id_time_zone-search", "tokyo")
        page.select_option("#id_time_zone", "Asia/Tokyo")
        page.click("#profile-form button[type=submit]")
        expect(page.locator(".messages .toast")).to_contain_text(t(lang, "Your profile is saved."))
        ada.looked_at("4-profile-saved")
        page = ada.go(f"/cases/{case.pk}/")
        stamp = page.locator("time").first.inner_text()
        assert "JST" in stamp or "GMT+9" in stamp, stamp
        ada.looked_at("4-case-in-tokyo")

        # 5. The region's L1 agent finds the case nearest to breach on their home.
        clock_hand.move_to(start + timedelta(hours=2, minutes=10))
        lin = Person(browser, base, width, lang, "agent")
        sign_in(lin.page, base, l1.email)
        page = lin.go("/")
        expect(page.locator("#queue-counts [data-line='l1'] [data-count]")).to_have_text("1")
        nearest = page.locator(f"#nearest-to-breach tr[data-case='{case.pk}']")
        expect(nearest).to_contain_text("Calls drop after five minutes")
        lin.looked_at("5-agent-home")
        nearest.get_by_role("link", name="Calls drop after five minutes").click()
        page.wait_for_url(f"{base}/cases/{case.pk}/")
        expect(page.locator("h1")).to_contain_text("Calls drop after five minutes")
        lin.looked_at("5-agent-case")

        # 6. The supervisor sees it in the L1 line's figures.
        sam = Person(browser, base, width, lang, "supervisor")
        sign_in(sam.page, base, boss.email)
        page = sam.go("/")
        figures = page.locator("section[data-region='it'] tr[data-line='l1']")
        expect(figures.locator("[data-figure='open']")).to_have_text("1")
        expect(figures.locator("[data-figure='breached']")).to_have_text("0")
        sam.looked_at("6-supervisor-home")

        # 7. The customer signs out from the user menu and is a visitor again.
        page = ada.go("/")
        ada.menu()
        page.click("#user-toggle")
        page.locator(".user-menu form button[type=submit]").click()
        page.wait_for_load_state()
        ada.menu()
        expect(page.locator(".sign-in")).to_be_visible()
        ada.looked_at("7-signed-out")
