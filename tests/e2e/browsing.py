"""What every browser test does to a page: open it (signed in or not), and look at it as a person.

One source for the window sizes, for signing a browser in without typing a password, for "nothing
scrolls sideways" and for axe-core's serious violations, so each test says only what it checks.
Set TIERDESK_SCREENSHOTS=/some/dir to keep a screenshot of every page looked at.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

DESKTOP = {"width": 1366, "height": 800}
PHONE = {"width": 390, "height": 844}
WIDTHS = {"desktop": DESKTOP, "phone": PHONE}
SCREENSHOTS = os.environ.get("TIERDESK_SCREENSHOTS", "")
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"


def sign_in(context: Any, base_url: str, user: Any) -> None:
    """Give the browser context `user`'s session cookie (a session made by Django's test client)."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies["sessionid"].value
    context.add_cookies([{"name": "sessionid", "value": cookie, "url": base_url}])


def new_page(
    browser: Any,
    viewport: dict[str, int],
    *,
    locale: str = "en-US",
    color_scheme: str = "light",
    user: Any = None,
    base_url: str = "",
) -> tuple[Any, list[str]]:
    """A page in a new context (signed in as `user` when given) and the CSP violations it logs."""
    context = browser.new_context(viewport=viewport, locale=locale, color_scheme=color_scheme)
    if user is not None:
        sign_in(context, base_url, user)
    page = context.new_page()
    violations: list[str] = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    return page, violations


def open_page(
    browser: Any,
    url: str,
    viewport: dict[str, int],
    locale: str = "en-US",
    color_scheme: str = "light",
) -> tuple[Any, list[str]]:
    """A visitor's page at `url` and the CSP violations it logs."""
    page, violations = new_page(browser, viewport, locale=locale, color_scheme=color_scheme)
    page.goto(url)
    return page, violations


def overflow(page: Any) -> int:
    """How many CSS pixels the page is wider than the window (0 when nothing scrolls sideways)."""
    return int(
        page.evaluate("Math.max(0, document.documentElement.scrollWidth - window.innerWidth)")
    )


def keep(page: Any, name: str) -> None:
    """Keep a full-page screenshot under $TIERDESK_SCREENSHOTS, when it is set."""
    if SCREENSHOTS:
        Path(SCREENSHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SCREENSHOTS) / f"{name}.png"), full_page=True)


def serious_violations(page: Any) -> list[str]:
    """axe-core's serious and critical violations on the page, as 'rule: selector' lines."""
    if not AXE.exists():
        pytest.skip("axe-core is not installed: run `make assets` (npm ci) first")
    page.evaluate(AXE.read_text())  # evaluated by the driver, so the page's CSP does not block it
    results = page.evaluate(
        "axe.run(document, {resultTypes: ['violations']}).then(r => r.violations"
        ".filter(v => ['serious', 'critical'].includes(v.impact))"
        ".map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).join(', ')))"
    )
    return list(results)


def look(page: Any, name: str) -> None:
    """The page fits the window and axe finds nothing serious; keep a screenshot."""
    keep(page, name)
    assert overflow(page) == 0, f"{name}: {overflow(page)} px too wide"
    assert serious_violations(page) == [], name
