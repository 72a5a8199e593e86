"""The video tutorial page in a real browser (Debian's chromium): the demo WebM plays, clicking
a transcript line seeks the video there and highlights the line, ?t=12 starts at 12 s with its
line highlighted and scrolled into the transcript, the captions track loads from the stored
WebVTT, and the page fits 1366 and 390 px in English and Italian with no CSP violation and no
serious axe violation in either theme.

Set TIERDESK_SCREENSHOTS=/some/dir to keep a screenshot of each page looked at.
"""

from __future__ import annotations

import pytest

from .browsing import WIDTHS, keep, open_page, overflow, serious_violations
from .help_media import guide_and_video

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

# The demo transcript's line spoken from 12 s (knowledge/demo/videos/opening-a-case.vtt).
LINE_AT_12 = "Then choose New case"


@pytest.fixture
def video(media):
    return guide_and_video()["video"]


def wait_for_metadata(page) -> None:
    """Wait until the player knows the video's duration (the file decoded, seeking possible)."""
    page.wait_for_function(
        "() => { const v = document.getElementById('video-player');"
        " return v && v.readyState >= 1 && v.duration > 29; }",
        timeout=15_000,
    )


def current_time(page) -> float:
    return page.evaluate("document.getElementById('video-player').currentTime")


def active_line(page) -> str:
    return page.locator("#transcript .transcript-line.active").inner_text()


def test_the_demo_video_plays_in_chromium(browser, live_server, video):
    page, violations = open_page(
        browser, f"{live_server.url}/help/videos/{video.slug}/", WIDTHS["desktop"]
    )
    wait_for_metadata(page)
    assert page.evaluate("document.getElementById('video-player').videoWidth") == 640
    page.evaluate("document.getElementById('video-player').muted = true")
    page.evaluate("document.getElementById('video-player').play()")
    page.wait_for_function("() => document.getElementById('video-player').currentTime > 0.5")
    assert violations == []


@pytest.mark.parametrize("locale", ["en-US", "it-IT"])
@pytest.mark.parametrize("width", list(WIDTHS))
def test_clicking_a_transcript_line_seeks_there(browser, live_server, video, width, locale):
    page, violations = open_page(
        browser, f"{live_server.url}/help/videos/{video.slug}/", WIDTHS[width], locale
    )
    wait_for_metadata(page)
    page.evaluate("document.getElementById('video-player').muted = true")
    assert page.locator("#transcript .transcript-line.active").count() == 0
    line = page.locator("#transcript .transcript-line", has_text=LINE_AT_12)
    line.scroll_into_view_if_needed()
    line.click()
    page.wait_for_function(
        "() => Math.abs(document.getElementById('video-player').currentTime - 12) < 2"
    )
    assert 12 <= current_time(page) < 14
    assert LINE_AT_12 in active_line(page)
    assert page.locator("#transcript [aria-current=true]").count() == 1
    assert page.url.endswith("?t=12")  # the address names the moment, to share it
    # A chapter seeks as well.
    page.locator("#video-chapters a", has_text="Follow the case").click()
    page.wait_for_function(
        "() => Math.abs(document.getElementById('video-player').currentTime - 24) < 2"
    )
    assert "Replies arrive by e-mail" in active_line(page)
    assert overflow(page) == 0
    keep(page, f"help-video-clicked-{width}-{locale}")
    assert violations == []


@pytest.mark.parametrize("locale", ["en-US", "it-IT"])
@pytest.mark.parametrize("width", list(WIDTHS))
def test_t_opens_the_video_at_that_moment(browser, live_server, video, width, locale):
    page, violations = open_page(
        browser, f"{live_server.url}/help/videos/{video.slug}/?t=12", WIDTHS[width], locale
    )
    wait_for_metadata(page)
    page.wait_for_function(
        "() => Math.abs(document.getElementById('video-player').currentTime - 12) < 0.5"
    )
    assert LINE_AT_12 in active_line(page)
    # The transcript box scrolled to the line (it starts below the box's fold).
    inside = page.evaluate(
        """() => {
          const box = document.getElementById('transcript').getBoundingClientRect();
          const line = document.querySelector('#transcript .transcript-line.active')
            .getBoundingClientRect();
          return line.top >= box.top && line.bottom <= box.bottom;
        }"""
    )
    assert inside
    # Beside the player on a desktop, below it on a phone.
    player = page.locator("#video-player").bounding_box()
    transcript = page.locator("#transcript").bounding_box()
    if width == "desktop":
        assert transcript["x"] >= player["x"] + player["width"]
    else:
        assert transcript["y"] >= player["y"] + player["height"]
    # Playing on, the highlight follows the video.
    page.evaluate("const v = document.getElementById('video-player'); v.muted = true; v.play()")
    page.wait_for_function("() => document.getElementById('video-player').currentTime > 15.2")
    assert "Say what you expected" in active_line(page)
    assert overflow(page) == 0
    keep(page, f"help-video-t12-{width}-{locale}")
    assert violations == []


def test_the_captions_track_loads_the_transcript(browser, live_server, video):
    page, violations = open_page(
        browser, f"{live_server.url}/help/videos/{video.slug}/", WIDTHS["desktop"]
    )
    wait_for_metadata(page)
    page.evaluate("document.getElementById('video-player').textTracks[0].mode = 'showing'")
    page.wait_for_function(
        "() => { const t = document.getElementById('video-player').textTracks[0];"
        " return t.cues && t.cues.length === 10; }"
    )
    first = page.evaluate("document.getElementById('video-player').textTracks[0].cues[0].text")
    assert first.startswith("This short tour shows")
    assert violations == []


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("locale", ["en-US", "it-IT"])
def test_the_video_page_has_no_serious_accessibility_violations(
    browser, live_server, video, locale, scheme
):
    for width in WIDTHS:
        page, _ = open_page(
            browser,
            f"{live_server.url}/help/videos/{video.slug}/?t=12",
            WIDTHS[width],
            locale,
            scheme,
        )
        assert serious_violations(page) == []
        page.context.close()
