"""The design system's files: vendored, licensed, matching package-lock.json; icons that exist;
pages whose markup keeps the CSP strict."""

import json
import re
from pathlib import Path

import pytest
from django.template.loader import render_to_string

ROOT = Path(__file__).resolve().parents[2]
SOURCE = ROOT / "src" / "tierdesk"
VENDOR = SOURCE / "web" / "static" / "web" / "vendor"
SPRITE = VENDOR / "bootstrap-icons" / "bootstrap-icons.svg"
# {% icon "name" %}, and icon="name" passed to an include such as web/_empty_state.html.
ICON_TAG = re.compile(
    r"""{%\s*icon\s+["']([\w-]+)["']|{%\s*include\b[^%]*\bicon=["']([\w-]+)["']"""
)


def templates():
    return [path for path in SOURCE.rglob("templates/**/*.html") if "admin" not in path.parts]


def test_the_vendored_files_and_their_licences_are_committed():
    for name in (
        "bootstrap/bootstrap.min.css",
        "bootstrap/bootstrap.bundle.min.js",
        "bootstrap/LICENSE",
        "bootstrap-icons/bootstrap-icons.svg",
        "bootstrap-icons/LICENSE",
    ):
        assert (VENDOR / name).stat().st_size > 0, name
    assert "MIT License" in (VENDOR / "bootstrap" / "LICENSE").read_text()


def test_the_vendored_versions_are_the_locked_ones():
    lock = json.loads((ROOT / "package-lock.json").read_text())["packages"]
    versions = (VENDOR / "VERSIONS.txt").read_text()
    for package in ("bootstrap", "bootstrap-icons"):
        assert f"{package} {lock[f'node_modules/{package}']['version']}\n" in versions
    css_header = (VENDOR / "bootstrap" / "bootstrap.min.css").read_text()[:200]
    assert f"Bootstrap  v{lock['node_modules/bootstrap']['version']}" in css_header


def test_the_vendored_files_point_at_no_source_map():
    # The maps are not vendored: a sourceMappingURL would make browsers (and Django's manifest
    # storage) ask for a file that does not exist.
    for name in ("bootstrap/bootstrap.min.css", "bootstrap/bootstrap.bundle.min.js"):
        assert "sourceMappingURL" not in (VENDOR / name).read_text()[-300:]


def test_every_icon_a_template_uses_is_in_the_sprite():
    sprite = SPRITE.read_text()
    used = {
        name
        for path in templates()
        for match in ICON_TAG.findall(path.read_text())
        for name in match
        if name
    }
    assert used, "no template uses {% icon %}: the pattern below would test nothing"
    missing = sorted(name for name in used if f'id="{name}"' not in sprite)
    assert missing == [], f"add {missing} to assets/icons.txt and run `make assets`"


def test_no_template_has_inline_scripts_or_styles():
    # CONTENT_SECURITY_POLICY: script-src 'self' + nonce, style-src 'self'.
    offenders = []
    for path in templates():
        text = path.read_text()
        if re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text) or re.search(
            r"<style\b|\sstyle=|\son[a-z]+=", text
        ):
            offenders.append(str(path.relative_to(SOURCE)))
    assert offenders == []


@pytest.mark.django_db
def test_the_icon_tag_is_decorative_unless_labelled():
    from django.template import Context, Template

    html = Template(
        '{% load tierdesk %}{% icon "house" %}|{% icon "search" label="Find" %}'
    ).render(Context({}))
    decorative, labelled = html.split("|")
    assert 'aria-hidden="true"' in decorative and "bootstrap-icons.svg#house" in decorative
    assert 'role="img" aria-label="Find"' in labelled and "aria-hidden" not in labelled


@pytest.mark.django_db
def test_the_layout_loads_the_design_system_and_the_theme_script(client):
    body = client.get("/").content.decode()
    head = body[: body.index("</head>")]
    assert '<script src="/static/web/theme.js"></script>' in head  # not deferred: no flash
    assert 'href="/static/web/vendor/bootstrap/bootstrap.min.css"' in head
    assert 'src="/static/web/vendor/bootstrap/bootstrap.bundle.min.js" defer' in head
    assert "cdn" not in head.lower()
    # theme.js comes before the stylesheet it themes.
    assert head.index("theme.js") < head.index("bootstrap.min.css")


class Message:
    def __init__(self, level_tag: str, text: str) -> None:
        self.level_tag, self.text = level_tag, text

    def __str__(self) -> str:
        return self.text


@pytest.mark.django_db
def test_messages_are_toasts_that_work_without_javascript():
    messages = [Message("success", "Saved."), Message("error", "Failed.")]
    html = render_to_string("web/base.html", {"messages": messages})
    toasts = re.findall(r'<div class="toast show[^"]*"[^>]*>', html)
    assert len(toasts) == 2  # rendered visible: toasts.js only hides them later
    saved, failed = toasts
    assert "text-bg-success" in saved and 'role="status"' in saved
    assert "data-bs-autohide" not in saved  # a confirmation goes away by itself
    assert "text-bg-danger" in failed and 'role="alert"' in failed
    assert 'data-bs-autohide="false"' in failed  # an error stays until it is closed
    assert "Saved." in html and "Failed." in html
    assert html.count('data-bs-dismiss="toast"') == 2
    assert "web/toasts" in html and "<script>" not in html


def test_an_empty_state_says_what_to_do_next():
    html = render_to_string(
        "web/_empty_state.html",
        {
            "title": "No cases yet",
            "text": "Open one and we answer within your plan's targets.",
            "action_url": "/cases/new/",
            "action_label": "Open a case",
        },
    )
    assert "No cases yet" in html and "within your plan" in html
    assert '<a class="btn btn-primary" href="/cases/new/">Open a case</a>' in html
    assert "bootstrap-icons.svg#inbox" in html
    bare = render_to_string("web/_empty_state.html", {"title": "Nothing here", "icon": "search"})
    assert "btn" not in bare and "bootstrap-icons.svg#search" in bare
