"""The layout as a person sees it: no page scrolls sideways, the menu collapses on phones, the
Bootstrap bundle works under the CSP, and the theme follows the system setting.
"""

from __future__ import annotations

import pytest

from tests.e2e.browsing import (
    DESKTOP,
    PHONE,
    WIDTHS,
    keep,
    new_page,
    open_page,
    overflow,
    serious_violations,
)
from tests.factories import DEFAULT_PASSWORD, StaffAdminFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PUBLIC_PAGES = {"home": "/", "sign-in": "/accounts/login/", "not-found": "/no-such-page/"}


@pytest.mark.parametrize("locale", ["en-US", "it-IT"])
@pytest.mark.parametrize("width", list(WIDTHS))
@pytest.mark.parametrize("name", list(PUBLIC_PAGES))
def test_public_pages_fit_the_window(browser, live_server, name, width, locale):
    page, violations = open_page(
        browser, live_server.url + PUBLIC_PAGES[name], WIDTHS[width], locale
    )
    keep(page, f"{name}-{width}-{locale}")
    assert overflow(page) == 0
    toggler = page.locator(".navbar-toggler")
    if width == "phone":
        assert toggler.is_visible()
        assert not page.locator("#site-menu").is_visible()
    else:
        assert not toggler.is_visible()
        assert page.locator("#site-menu").is_visible()
    # The top bar is one line: the brand, then the menu (or its toggler) beside it.
    assert page.locator("header.site-header").bounding_box()["height"] < 80
    assert violations == []


def test_the_phone_menu_opens_and_the_language_switcher_works(browser, live_server):
    from playwright.sync_api import expect

    page, violations = open_page(browser, live_server.url + "/", PHONE)
    page.click(".navbar-toggler")
    expect(page.locator("#site-menu.show")).to_be_visible()  # opened, the animation over
    expect(page.locator("#site-menu a[href='/']")).to_be_visible()
    page.click("#language-toggle")
    expect(page.locator(".language-menu button[value=it]")).to_be_visible()
    keep(page, "home-phone-menu-open")
    page.locator(".language-menu button[value=it]").click()
    expect(page.locator("html")).to_have_attribute("lang", "it")
    expect(page.locator("main h1")).to_have_text("Come possiamo aiutarti?")
    assert overflow(page) == 0
    assert violations == []


def test_a_staff_admins_menu_fits_both_widths(browser, live_server):
    from playwright.sync_api import expect

    admin = StaffAdminFactory(email="boss@vendor.example", first_name="Grace", last_name="Hopper")
    for width, viewport in WIDTHS.items():
        page, violations = open_page(browser, live_server.url + "/accounts/login/", viewport)
        page.fill("input[name=username]", admin.email)
        page.fill("input[name=password]", DEFAULT_PASSWORD)
        page.click("#sign-in-form button[type=submit]")
        page.wait_for_url(lambda url: "/accounts/login/" not in url)
        if width == "phone":
            page.click(".navbar-toggler")
            expect(page.locator("#site-menu.show")).to_be_visible()
        page.click("#user-toggle")
        expect(page.locator(".user-menu form button[type=submit]")).to_be_visible()
        keep(page, f"staff-home-{width}")
        assert overflow(page) == 0
        if width == "desktop":
            assert page.locator("header.site-header").bounding_box()["height"] < 80
        assert violations == []


@pytest.mark.parametrize("width", list(WIDTHS))
def test_a_toast_never_covers_the_assistant_button(browser, live_server, width):
    """A confirmation (bottom right) and the assistant's button (bottom left) side by side on a
    desktop; on a phone the toast is nearly as wide as the window and sits above the button."""
    from playwright.sync_api import expect

    customer = UserFactory(first_name="Ada", last_name="Lovelace")
    page, violations = new_page(browser, WIDTHS[width], user=customer, base_url=live_server.url)
    page.goto(live_server.url + "/profile/")
    page.click("#profile-form button[type=submit]")
    toast = page.locator(".messages .toast")
    expect(toast).to_be_visible()
    expect(toast).to_contain_text("Your profile is saved.")
    keep(page, f"toast-{width}")
    button = page.locator(".assistant-toggle").bounding_box()
    box = toast.bounding_box()
    assert button is not None and box is not None
    apart = (
        box["x"] >= button["x"] + button["width"]
        or button["x"] >= box["x"] + box["width"]
        or box["y"] + box["height"] <= button["y"]
        or button["y"] + button["height"] <= box["y"]
    )
    assert apart, f"the toast {box} covers the assistant's button {button}"
    # Nothing else moved: the toast stays at the bottom of the window, in it.
    assert box["y"] + box["height"] <= WIDTHS[width]["height"]
    assert box["y"] > WIDTHS[width]["height"] / 2
    assert violations == []


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_theme_follows_the_system_setting(browser, live_server, scheme):
    from playwright.sync_api import expect

    page, _ = open_page(browser, live_server.url + "/", DESKTOP, color_scheme=scheme)
    assert page.get_attribute("html", "data-bs-theme") == scheme
    keep(page, f"home-desktop-{scheme}")
    # And follows a change while the page is open.
    other = "light" if scheme == "dark" else "dark"
    page.emulate_media(color_scheme=other)
    expect(page.locator("html")).to_have_attribute("data-bs-theme", other)


def test_without_javascript_the_phone_menu_and_switcher_are_shown_in_place(browser, live_server):
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + "/")
    keep(page, "home-phone-no-js")
    assert not page.locator(".navbar-toggler").is_visible()
    assert page.locator("#site-menu a[href='/']").is_visible()
    assert page.locator(".language-menu button[value=it]").is_visible()
    assert overflow(page) == 0
    page.locator(".language-menu button[value=it]").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "it"


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", list(WIDTHS))
@pytest.mark.parametrize("name", list(PUBLIC_PAGES))
def test_public_pages_have_no_serious_accessibility_violations(
    browser, live_server, name, width, scheme
):
    page, _ = open_page(
        browser, live_server.url + PUBLIC_PAGES[name], WIDTHS[width], "it-IT", scheme
    )
    assert serious_violations(page) == []


TABLE = """
const table = document.createElement('table');
table.className = 'table table-stack';
table.innerHTML = '<thead><tr>' + ['Case', 'Subject', 'Account', 'Status', 'First response']
  .map(h => '<th scope="col">' + h + '</th>').join('') + '</tr></thead><tbody>' +
  [1, 2].map(n => '<tr>' + [['Case', '#' + n], ['Subject', 'Calls drop after five minutes'],
    ['Account', 'Acme Telecommunications International'], ['Status', 'Waiting on customer'],
    ['First response', 'due Wed 2 Dec, 04:31 CET, 3 h 59 min left']]
    .map(([l, v]) => '<td data-label="' + l + '">' + v + '</td>').join('') + '</tr>').join('') +
  '</tbody>';
document.querySelector('main').replaceChildren(table);
"""


@pytest.mark.parametrize("width", list(WIDTHS))
def test_a_stacked_table_becomes_cards_on_phones(browser, live_server, width):
    page, _ = open_page(browser, live_server.url + "/", WIDTHS[width])
    page.evaluate(TABLE)  # the utility from tierdesk.css on a five-column table
    keep(page, f"table-stack-{width}")
    assert overflow(page) == 0
    cell = page.locator("td[data-label=Account]").first
    label = cell.evaluate("td => getComputedStyle(td, '::before').content")
    header_visible = page.locator("thead").bounding_box()["height"] > 1
    if width == "phone":
        assert label == '"Account"'  # each cell names its column
        assert not header_visible
        assert cell.evaluate("td => getComputedStyle(td).display") == "block"
    else:
        assert label in ("none", "normal")
        assert header_visible
