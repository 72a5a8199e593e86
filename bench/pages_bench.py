"""Pages as a person gets them: for every page, desktop (1366 px) and phone (390 px), the
horizontal overflow, axe-core's serious and critical violations, and the bytes of CSS and JS the
page loads, as the server sends them gzipped (a first visit, nothing cached).

For the public pages (a visitor's), Lighthouse 12's four scores (performance, accessibility, best
practices, SEO), with its mobile settings for the phone and its desktop preset for the desktop.

Goals (issue 8): 0 overflowing pages, 0 serious/critical violations, under 120 KB of CSS+JS
(gzipped, as transferred) per page, Lighthouse >= 95 in each category on the public pages.

It builds a fresh SQLite database in a temporary data folder, loads the demo data, collects the
static files (so whitenoise serves the compressed copies a deployment serves), starts
`tierdesk serve` on a free port, and drives Debian's chromium through Playwright, signed in as
the demo users (README, "Signing in to the demo"). axe-core and Lighthouse come from node_modules/
(`npm ci`); without them their columns say "n/a".

Not a test: CI never runs it. Usage:

    python bench/pages_bench.py [--json FILE] [--screenshots DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import secrets
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

from benchkit import machine

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
CHROMIUM = Path("/usr/bin/chromium")
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
LIGHTHOUSE_GOAL = 95
PASSWORD = "demo-pass-2026"  # noqa: S105 - the demo's published password (README)
WIDTHS = {"desktop": {"width": 1366, "height": 800}, "phone": {"width": 390, "height": 844}}
BUDGET_BYTES = 120 * 1024

# (who, path): who is None for a visitor, else a demo e-mail; {case} is a case the user may see.
PAGES: list[tuple[str | None, str]] = [
    (None, "/"),
    (None, "/accounts/login/"),
    (None, "/accounts/password/reset/"),
    (None, "/no-such-page/"),
    (None, "/help/"),
    (None, "/help/search/?q=password"),
    (None, "/help/en/cannot-sign-in/"),
    (None, "/help/it/non-riesco-ad-accedere/"),
    (None, "/help/guides/set-up-your-first-office/create-your-first-office/"),
    (None, "/help/videos/opening-a-support-case/"),
    ("member@rossi-pro.example", "/"),
    ("member@rossi-pro.example", "/cases/"),
    ("member@rossi-pro.example", "/cases/new/"),
    ("member@rossi-pro.example", "/cases/{case}/"),
    ("member@rossi-pro.example", "/account/"),
    ("member@rossi-pro.example", "/profile/"),
    ("member@rossi-pro.example", "/profile/tokens/"),
    ("admin@rossi-business.example", "/account/users/"),
    ("agent.l1.it@tierdesk.example", "/console/"),
    ("agent.l1.it@tierdesk.example", "/cases/{case}/"),
    ("supervisor.it@tierdesk.example", "/console/escalations/"),
]
CASE_LINK = re.compile(r"^/cases/(\d+)/$")


def tierdesk(env: dict[str, str], *args: str) -> None:
    subprocess.run(  # noqa: S603
        [str(BIN / "tierdesk"), *args], env=env, cwd=ROOT, check=True, capture_output=True
    )


def start_server(env: dict[str, str]) -> tuple[subprocess.Popen[str], str]:
    server = subprocess.Popen(  # noqa: S603
        [str(BIN / "tierdesk"), "serve", "--port", "0", "--workers", "2", "--task-workers", "1"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert server.stdout is not None
    line = server.stdout.readline()
    if "serving on http://" not in line:
        server.kill()
        raise SystemExit(f"tierdesk serve did not start: {line!r}")
    base = line.split("serving on ", 1)[1].split("/ ", 1)[0].rstrip("/")
    # Keep reading what the server prints (its access log): a full pipe would stop it mid-run.
    threading.Thread(target=server.stdout.read, daemon=True).start()
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{base}/", timeout=5):  # noqa: S310 - our server
                return server, base
        except (OSError, urllib.error.URLError):
            time.sleep(0.3)
    server.kill()
    raise SystemExit("tierdesk serve did not answer within 60 s")


def stop_server(server: subprocess.Popen[str]) -> None:
    server.send_signal(signal.SIGTERM)
    try:
        server.wait(30)
    except subprocess.TimeoutExpired:
        server.kill()


GZIPPED: dict[str, int] = {}


def gzipped_size(url: str) -> int:
    """Bytes of url's body as the server sends it to a browser that accepts gzip."""
    if url not in GZIPPED:
        request = urllib.request.Request(url, headers={"Accept-Encoding": "gzip"})  # noqa: S310
        try:
            with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - ours
                GZIPPED[url] = len(response.read())
        except urllib.error.HTTPError as error:
            message = f"{url}: {error.code}, a page links a file that is not served"
            raise SystemExit(message) from None
    return GZIPPED[url]


def measure(page: Any, url: str) -> dict[str, Any]:
    """Open url; its status, overflow, axe violations and CSS+JS bytes (gzipped) it loads."""
    assets: set[str] = set()

    def on_request(request: Any) -> None:
        if request.resource_type in ("stylesheet", "script"):
            assets.add(request.url)

    page.on("request", on_request)
    response = page.goto(url, wait_until="domcontentloaded")
    try:  # a page whose load never ends is reported, not fatal to the run
        page.wait_for_load_state("load", timeout=20_000)
        page.wait_for_load_state("networkidle", timeout=20_000)
        loaded = True
    except Exception:  # Playwright's TimeoutError
        loaded = False
    page.remove_listener("request", on_request)
    result: dict[str, Any] = {
        "status": response.status if response else None,
        "loaded": loaded,
        "overflow_px": page.evaluate(
            "Math.max(0, document.documentElement.scrollWidth - window.innerWidth)"
        ),
        "css_js_bytes": sum(gzipped_size(asset) for asset in assets),
        "violations": None,
    }
    if AXE.exists():
        page.evaluate(AXE.read_text())
        result["violations"] = page.evaluate(
            "axe.run(document, {resultTypes: ['violations']}).then(r => r.violations"
            ".filter(v => ['serious', 'critical'].includes(v.impact)).map(v => v.id))"
        )
    return result


def lighthouse(url: str, width: str) -> dict[str, int] | None:
    """Lighthouse's four scores (0-100) for url: its mobile settings for a phone, else desktop."""
    if not LIGHTHOUSE.exists():
        return None
    flags = "--headless=new --no-sandbox --disable-gpu --disable-background-networking "
    flags += "--disable-component-update --disable-sync --no-first-run"
    command = [
        str(LIGHTHOUSE),
        url,
        "--output=json",
        "--output-path=stdout",
        "--quiet",
        f"--only-categories={','.join(CATEGORIES)}",
        f"--chrome-flags={flags}",
    ]
    if width == "desktop":
        command.append("--preset=desktop")
    for _attempt in range(2):  # Lighthouse's trace recording fails now and then (NO_NAVSTART)
        done = subprocess.run(  # noqa: S603
            command,
            env={**os.environ, "CHROME_PATH": str(CHROMIUM)},
            capture_output=True,
            text=True,
            timeout=180,
            check=False,
        )
        if done.returncode == 0:
            break
    if done.returncode != 0:
        print(f"lighthouse failed on {url} ({width}): {done.stderr.strip()[-300:]}")
        return None
    report = json.loads(done.stdout)
    scores = {name: round(report["categories"][name]["score"] * 100) for name in CATEGORIES}
    scores["below_goal"] = [  # type: ignore[assignment]
        audit["id"]
        for name in CATEGORIES
        if scores[name] < LIGHTHOUSE_GOAL
        for ref in report["categories"][name]["auditRefs"]
        if ref["weight"] > 0
        for audit in [report["audits"][ref["id"]]]
        if audit["score"] is not None and audit["score"] < 1
    ]
    return scores


def sign_in(context: Any, base: str, email: str) -> None:
    page = context.new_page()
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", email)
    page.fill("input[name=password]", PASSWORD)
    page.click("#sign-in-form button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    page.close()


def first_case(context: Any, base: str, listing: str) -> str:
    page = context.new_page()
    page.goto(base + listing)
    hrefs = page.eval_on_selector_all("a[href^='/cases/']", "els => els.map(e => e.pathname)")
    page.close()
    for href in hrefs:
        if CASE_LINK.match(href):
            return CASE_LINK.match(href).group(1)  # type: ignore[union-attr]
    raise SystemExit(f"no case link on {listing}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    parser.add_argument("--screenshots", type=Path, help="save a screenshot of every page here")
    args = parser.parse_args()
    if not CHROMIUM.exists():
        raise SystemExit(f"needs Debian's chromium at {CHROMIUM}")
    from playwright.sync_api import sync_playwright

    print(machine())
    rows: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="tierdesk-pages-") as data:
        env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
        env.update(
            TIERDESK_DATA_DIR=data,
            SECRET_KEY=secrets.token_urlsafe(50),
            DEBUG="false",
            WHITENOISE_USE_FINDERS="false",
            LOG_LEVEL="WARNING",
        )
        for command in (("migrate", "--no-input"), ("load_demo",), ("collectstatic", "--no-input")):
            tierdesk(env, *command)
        server, base = start_server(env)
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-gpu"]
                )
                contexts: dict[tuple[str | None, str], Any] = {}
                cases: dict[str, str] = {}
                for who, path in PAGES:
                    for width, viewport in WIDTHS.items():
                        key = (who, width)
                        if key not in contexts:
                            contexts[key] = browser.new_context(viewport=viewport, locale="en-US")
                            if who:
                                sign_in(contexts[key], base, who)
                        if "{case}" in path and who not in cases:
                            listing = "/console/" if "tierdesk.example" in str(who) else "/cases/"
                            cases[str(who)] = first_case(contexts[key], base, listing)
                        url = path.format(case=cases.get(str(who), ""))
                        page = contexts[key].new_page()
                        row = {"who": who or "visitor", "page": url, "width": width}
                        row.update(measure(page, base + url))
                        if args.screenshots:
                            args.screenshots.mkdir(parents=True, exist_ok=True)
                            name = f"{row['who']}{url}".replace("/", "_").replace("@", "-")
                            page.screenshot(
                                path=str(args.screenshots / f"{name}-{width}.png"), full_page=True
                            )
                        page.close()
                        if who is None and row["status"] == 200:
                            row["lighthouse"] = lighthouse(base + url, width)
                        rows.append(row)
                browser.close()
        finally:
            stop_server(server)

    print(
        f"\n{'who':<32} {'page':<28} {'width':<8} {'status':>6} {'overflow':>9} "
        f"{'axe s+c':>8} {'CSS+JS KB':>10}"
    )
    for row in rows:
        violations = "n/a" if row["violations"] is None else str(len(row["violations"]))
        print(
            f"{row['who']:<32} {row['page']:<28} {row['width']:<8} {row['status']!s:>6} "
            f"{row['overflow_px']:>7}px {violations:>8} {row['css_js_bytes'] / 1024:>10.1f}"
        )
    for row in rows:
        if not row["loaded"]:
            print(f"  {row['who']} {row['page']} {row['width']}: its load event never came")
    overflowing = [r for r in rows if r["overflow_px"] > 0]
    with_violations = [r for r in rows if r["violations"]]
    over_budget = [r for r in rows if r["css_js_bytes"] > BUDGET_BYTES]
    print(
        f"\ngoals: overflowing pages {len(overflowing)} (goal 0); pages with serious/critical "
        f"violations {len(with_violations) if AXE.exists() else 'n/a'} (goal 0); over 120 KB "
        f"CSS+JS {len(over_budget)} (goal 0); largest "
        f"{max(r['css_js_bytes'] for r in rows) / 1024:.1f} KB"
    )
    for row in with_violations:
        print(f"  {row['who']} {row['page']} {row['width']}: {', '.join(row['violations'])}")
    scored = [r for r in rows if r.get("lighthouse")]
    if scored:
        print(f"\nLighthouse 12 (public pages; goal >= {LIGHTHOUSE_GOAL} in each category)")
        print(f"{'page':<28} {'width':<8} " + " ".join(f"{name:>15}" for name in CATEGORIES))
        for row in scored:
            scores = row["lighthouse"]
            print(
                f"{row['page']:<28} {row['width']:<8} "
                + " ".join(f"{scores[name]:>15}" for name in CATEGORIES)
            )
            if scores["below_goal"]:
                print(f"  audits not passed: {', '.join(scores['below_goal'])}")
        lowest = min(r["lighthouse"][name] for r in scored for name in CATEGORIES)
        print(f"lowest score {lowest} (goal {LIGHTHOUSE_GOAL})")
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2))


if __name__ == "__main__":
    main()
