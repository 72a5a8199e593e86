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


def covered_by_assistant(page: Any) -> str:
    """What of the page's content lies under the assistant's button, scrolled to the end.

    The button floats at the bottom left; at the end of the page, the content must end above it.
    Returns "" when nothing is covered (or the page has no assistant), else the lowest element
    and by how many CSS pixels it reaches under the button's top.
    """
    return str(
        page.evaluate(
            """() => {
              const toggle = document.querySelector('.assistant-toggle');
              if (!toggle) return '';
              // instant: Bootstrap's smooth scroll would still be under way when the rects are read
              window.scrollTo({top: document.documentElement.scrollHeight, behavior: 'instant'});
              const top = toggle.getBoundingClientRect().top;
              // Where an element can be seen: its box cut by every ancestor that clips
              // (overflow, or clip as .visually-hidden and stacked tables' heads do).
              const seenBottom = (el) => {
                const r = el.getBoundingClientRect();
                let top = r.top, bottom = r.bottom;
                for (let a = el; a && a !== document.body; a = a.parentElement) {
                  const s = getComputedStyle(a);
                  if (s.clip && s.clip !== 'auto') return -Infinity;
                  if (a !== el && s.overflow !== 'visible') {
                    const ar = a.getBoundingClientRect();
                    top = Math.max(top, ar.top);
                    bottom = Math.min(bottom, ar.bottom);
                  }
                }
                return bottom > top ? bottom : -Infinity;
              };
              let bottom = -Infinity, lowest = null;
              for (const el of document.querySelectorAll('main *')) {
                const r = el.getBoundingClientRect();
                if (!r.width || !r.height || getComputedStyle(el).visibility === 'hidden') continue;
                if (r.bottom <= bottom) continue;
                const seen = seenBottom(el);
                if (seen > bottom) { bottom = seen; lowest = el; }
              }
              window.scrollTo({top: 0, behavior: 'instant'});
              if (!lowest || bottom <= top) return '';
              return lowest.tagName.toLowerCase() + (lowest.id ? '#' + lowest.id : '')
                + (lowest.className ? '.' + String(lowest.className).split(' ').join('.') : '')
                + ' by ' + Math.ceil(bottom - top) + ' px';
            }"""
        )
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
