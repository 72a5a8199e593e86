"""The profile's time-zone picker in a browser: the search box filters the grouped select."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_typing_a_city_filters_the_zones_and_saving_keeps_the_choice(browser, live_server):
    user = UserFactory(time_zone="Europe/Rome")
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="en-US")
    page = context.new_page()
    violations: list[str] = []
    page.on(
        "console",
        lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None,
    )
    page.goto(live_server.url + "/accounts/login/")
    page.fill("input[name=username]", user.email)
    page.fill("input[name=password]", DEFAULT_PASSWORD)
    page.click("#sign-in-form button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    page.goto(live_server.url + "/profile/")
    search = page.locator("#id_time_zone-search")
    assert search.get_attribute("placeholder") == "Type a city, e.g. Rome"
    search.fill("tokyo")
    if os.environ.get("TIERDESK_SCREENSHOTS"):  # to look at it: see tests/e2e/test_layout.py
        folder = Path(os.environ["TIERDESK_SCREENSHOTS"])
        folder.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(folder / "profile-time-zone-search-phone.png"), full_page=True)
    visible = page.eval_on_selector_all(
        "#id_time_zone option", "os => os.filter(o => !o.hidden).map(o => o.value)"
    )
    assert "Asia/Tokyo" in visible
    assert "Europe/Paris" not in visible
    assert len(visible) <= 3  # Tokyo, and the zone still chosen
    groups = page.eval_on_selector_all(
        "#id_time_zone optgroup", "gs => gs.filter(g => !g.hidden).map(g => g.label)"
    )
    assert "Asia" in groups and "Africa" not in groups
    search.fill("zzzz")
    assert page.locator(".zone-search-empty").is_visible()
    search.fill("")
    page.select_option("#id_time_zone", "Asia/Tokyo")
    page.click("#profile-form button[type=submit]")
    page.wait_for_load_state()
    user.refresh_from_db()
    assert user.time_zone == "Asia/Tokyo"
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert violations == []
    context.close()
