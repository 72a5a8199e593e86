"""Video transcripts: WebVTT parsed by webvtt-py into cues, a bad one refused whole; the video
pages (list, player, transcript, chapters, ?t=) and their files (Range requests, poster,
captions) for every kind of reader."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tierdesk.knowledge.choices import Visibility
from tierdesk.knowledge.models import TranscriptCue, Video, VideoChapter
from tierdesk.knowledge.selectors.videos import clock, start_seconds, video_url
from tierdesk.knowledge.services.videos import video_transcript_set
from tierdesk.knowledge.views.streaming import byte_range

from .conftest import EXPECTED, READERS

GOOD = """WEBVTT

intro
00:00:00.000 --> 00:00:02.500
Welcome to <b>tierdesk</b>.

00:00:02.500 --> 00:00:06.000
<v Anna>Open the console
and pick a case.

00:01:05.250 --> 00:01:09.000
That is all.
"""


@pytest.fixture
def video(db):
    return Video.objects.create(slug="tour", title="Tour", external_url="https://v.example/1")


def test_a_good_transcript_becomes_cues(video, author):
    cues = video_transcript_set(video=video, vtt=GOOD, actor=author)
    rows = list(
        TranscriptCue.objects.filter(video=video).values_list(
            "position", "start_ms", "end_ms", "text"
        )
    )
    assert rows == [
        (1, 0, 2500, "Welcome to tierdesk."),
        (2, 2500, 6000, "Open the console and pick a case."),
        (3, 65250, 69000, "That is all."),
    ]
    assert len(cues) == 3
    video.refresh_from_db()
    assert video.transcript_vtt == GOOD


def test_setting_it_again_replaces_the_cues(video):
    video_transcript_set(video=video, vtt=GOOD)
    video_transcript_set(video=video, vtt="WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nOnly.\n")
    assert list(video.cues.values_list("text", flat=True)) == ["Only."]
    video_transcript_set(video=video, vtt="")
    assert not video.cues.exists()


@pytest.mark.parametrize(
    ("vtt", "says"),
    [
        ("Hello\n\n00:00:01.000 --> 00:00:02.000\nx\n", "WEBVTT"),
        ("WEBVTT\n\nxx --> yy\nz\n", "malformed"),
        ("WEBVTT\n\n00:00:05.000 --> 00:00:01.000\nx\n", "Cue 1 ends before it starts"),
        ("WEBVTT\n\nNOTE only a note\n", "no cues"),
        (
            "WEBVTT\n\n00:00:05.000 --> 00:00:06.000\na\n\n00:00:01.000 --> 00:00:02.000\nb\n",
            "Cue 2 starts before",
        ),
    ],
)
def test_a_bad_transcript_is_refused_and_changes_nothing(video, vtt, says):
    video_transcript_set(video=video, vtt=GOOD)
    with pytest.raises(ValidationError) as error:
        video_transcript_set(video=video, vtt=vtt)
    assert says in error.value.message_dict["transcript_vtt"][0]
    video.refresh_from_db()
    assert video.transcript_vtt == GOOD
    assert video.cues.count() == 3


def test_only_staff_set_a_transcript(video, readers):
    with pytest.raises(PermissionDenied):
        video_transcript_set(video=video, vtt=GOOD, actor=readers["paid_member"])
    assert not video.cues.exists()


def test_a_video_has_a_file_or_a_url_not_both_nor_neither(db):
    with pytest.raises(IntegrityError):
        Video.objects.create(slug="none", title="None")


def test_both_file_and_url_are_refused(db):
    video = Video(slug="both", title="Both", external_url="https://v.example/", file="a.mp4")
    with pytest.raises(ValidationError):
        video.full_clean()


# --- The video pages and files -------------------------------------------------------------

# Not a real video: the page and the Range view do not look inside, and the bytes are easy to check.
PAYLOAD = bytes(range(256)) * 40  # 10,240 bytes


def client_for(user: Any, language: str = "en") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    if user.is_authenticated:
        client.force_login(user)
    return client


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def make_video(
    slug: str = "tour", *, visibility: str = Visibility.PUBLIC, published: bool = True, **kw: Any
) -> Video:
    """A published video file with a poster, two chapters and the GOOD transcript."""
    video = Video(
        slug=slug,
        title=f"Tour {slug}",
        visibility=visibility,
        published=published,
        duration_seconds=75,
        description="A **short** tour.",
        **kw,
    )
    if not video.external_url:
        video.file.save(f"{slug}.webm", ContentFile(PAYLOAD), save=False)
        video.poster.save(f"{slug}.png", ContentFile(b"\x89PNG fake"), save=False)
    video.save()
    VideoChapter.objects.create(video=video, start_seconds=0, title="Welcome")
    VideoChapter.objects.create(video=video, start_seconds=65, title="Wrapping up")
    video_transcript_set(video=video, vtt=GOOD)
    return video


def urls_of(video: Video) -> dict[str, str]:
    return {
        name: reverse(f"knowledge:{name}", args=[video.slug])
        for name in ("video", "video-file", "video-poster", "video-captions")
    }


@pytest.mark.parametrize("reader", READERS)
def test_video_pages_and_files_honour_the_one_rule(readers, media_root, reader):
    client = client_for(readers[reader])
    for visibility in Visibility:
        video = make_video(f"v-{visibility}", visibility=visibility)
        may = visibility in EXPECTED[reader]
        listed = client.get(reverse("knowledge:videos")).content.decode()
        assert (f'href="/help/videos/{video.slug}/"' in listed) is may, (reader, visibility)
        for name, url in urls_of(video).items():
            response = client.get(url)
            assert response.status_code == (200 if may else 404), (reader, visibility, name)
            if not may:
                assert video.title not in response.content.decode()


@pytest.mark.parametrize("reader", READERS)
def test_unpublished_videos_are_for_authors_only(readers, media_root, reader):
    video = make_video(published=False)
    author = EXPECTED[reader] == set(Visibility)
    client = client_for(readers[reader])
    for url in urls_of(video).values():
        assert client.get(url).status_code == (200 if author else 404)
    listed = client.get(reverse("knowledge:videos")).content.decode()
    assert video.title not in listed  # the list shows published videos only


def test_video_page_shows_player_chapters_and_transcript(readers, media_root):
    video = make_video()
    body = client_for(readers["visitor"]).get(urls_of(video)["video"]).content.decode()
    urls = urls_of(video)
    assert '<video id="video-player"' in body
    assert f'<source src="{urls["video-file"]}" type="video/webm">' in body
    assert f'poster="{urls["video-poster"]}"' in body
    assert f'<track kind="captions" src="{urls["video-captions"]}" srclang="en"' in body
    assert 'src="/static/knowledge/video.js" defer' in body or "knowledge/video.js" in body
    # Chapters and lines seek: a ?t= link each, with the exact start for the script.
    assert f'href="{urls["video"]}?t=65" data-seek="65.000"' in body
    chapter = (
        '<time datetime="PT1M5S" class="video-time">1:05</time> <span class="video-chapter-title">'
    )
    assert f"{chapter}Wrapping up" in body
    assert 'data-seek="2.500" data-start="2.500" data-end="6.000"' in body
    assert "Open the console and pick a case." in body
    assert '<time datetime="PT1M15S">1:15</time>' in body  # the duration
    assert "<strong>short</strong>" in body
    assert "transcript-line active" not in body  # nothing highlighted without ?t=


@pytest.mark.parametrize(
    ("t", "active"), [("3", "Open the console"), ("66", "That is all."), ("0", "Welcome")]
)
def test_t_starts_there_and_highlights_the_line(readers, media_root, t, active):
    video = make_video()
    body = client_for(readers["visitor"]).get(urls_of(video)["video"], {"t": t}).content.decode()
    assert f'data-start="{int(t)}"' in body
    if int(t):
        assert f'{urls_of(video)["video-file"]}#t={int(t)}"' in body  # works without JavaScript
    line = body.split("transcript-line active", 1)[1].split("</li>", 1)[0]
    assert 'aria-current="true"' in line
    assert active in line
    assert body.count("transcript-line active") == 1


@pytest.mark.parametrize("t", ["", "abc", "-5", "nan", "inf", "1e12"])
def test_a_bad_t_is_ignored(readers, media_root, t):
    video = make_video()
    response = client_for(readers["visitor"]).get(urls_of(video)["video"], {"t": t})
    assert response.status_code == 200
    assert "transcript-line active" not in response.content.decode()


def test_start_seconds_and_clock():
    assert start_seconds("12") == 12 and start_seconds("12.9") == 12 and start_seconds("12s") == 12
    assert start_seconds(None) is None and start_seconds("x") is None
    assert clock(5) == "0:05" and clock(80) == "1:20" and clock(3723) == "1:02:03"


def test_video_url_for_search_results(db, media_root):
    video = make_video()
    assert video_url(video) == "/help/videos/tour/"
    assert video_url(video, 12.7) == "/help/videos/tour/?t=12"


def test_the_file_answers_range_requests(readers, media_root):
    video = make_video()
    client = client_for(readers["visitor"])
    url = urls_of(video)["video-file"]
    whole = client.get(url)
    assert whole.status_code == 200
    assert b"".join(whole.streaming_content) == PAYLOAD
    assert whole["Accept-Ranges"] == "bytes" and whole["Content-Type"] == "video/webm"
    assert whole["Content-Length"] == str(len(PAYLOAD))
    cases = {
        "bytes=0-": (0, len(PAYLOAD) - 1),
        "bytes=100-199": (100, 199),
        "bytes=10000-": (10000, len(PAYLOAD) - 1),
        "bytes=-500": (len(PAYLOAD) - 500, len(PAYLOAD) - 1),
        "bytes=10200-99999": (10200, len(PAYLOAD) - 1),
    }
    for header, (first, last) in cases.items():
        response = client.get(url, HTTP_RANGE=header)
        assert response.status_code == 206, header
        assert response["Content-Range"] == f"bytes {first}-{last}/{len(PAYLOAD)}"
        assert response["Content-Length"] == str(last - first + 1)
        assert b"".join(response.streaming_content) == PAYLOAD[first : last + 1], header
    for header in ("bytes=20000-", "bytes=500-100", "bytes=-0"):
        response = client.get(url, HTTP_RANGE=header)
        assert response.status_code == 416, header
        assert response["Content-Range"] == f"bytes */{len(PAYLOAD)}"
    # Several ranges, another unit: the whole file, as RFC 9110 allows.
    for header in ("bytes=0-1,5-6", "items=0-1"):
        assert client.get(url, HTTP_RANGE=header).status_code == 200
    # If-Range with a stale validator: the whole (new) file.
    stale = client.get(url, HTTP_RANGE="bytes=0-9", HTTP_IF_RANGE='"old"')
    assert stale.status_code == 200
    fresh = client.get(url, HTTP_RANGE="bytes=0-9", HTTP_IF_RANGE=whole["ETag"])
    assert fresh.status_code == 206
    head = client.head(url, HTTP_RANGE="bytes=0-9")
    assert head.status_code == 206 and head["Content-Length"] == "10"
    assert whole["Content-Security-Policy"] == "sandbox; default-src 'none'"
    assert whole["Cache-Control"].startswith("public")


def test_byte_range_parsing():
    assert byte_range("bytes=0-9", 100) == (0, 9)
    assert byte_range("bytes=90-", 100) == (90, 99)
    assert byte_range("bytes=-10", 100) == (90, 99)
    assert byte_range("bytes=-1000", 100) == (0, 99)
    assert byte_range("bytes=100-", 100) == "416"
    assert byte_range("bytes=-", 100) is None
    assert byte_range("bytes=0-1, 3-4", 100) is None


def test_a_paid_video_file_is_private_to_caches(readers, media_root):
    video = make_video(visibility=Visibility.PAID)
    response = client_for(readers["paid_member"]).get(urls_of(video)["video-file"])
    assert response["Cache-Control"].startswith("private")


def test_captions_are_the_stored_webvtt(readers, media_root):
    video = make_video()
    response = client_for(readers["visitor"]).get(urls_of(video)["video-captions"])
    assert response["Content-Type"] == "text/vtt; charset=utf-8"
    assert response.content.decode() == GOOD
    video_transcript_set(video=video, vtt="")
    assert client_for(readers["visitor"]).get(urls_of(video)["video-captions"]).status_code == 404
    body = client_for(readers["visitor"]).get(urls_of(video)["video"]).content.decode()
    assert "<track" not in body and "no transcript yet" in body


def test_a_missing_file_or_poster_is_a_404(readers, media_root):
    video = make_video()
    video.file.storage.delete(video.file.name)
    assert client_for(readers["visitor"]).get(urls_of(video)["video-file"]).status_code == 404
    Video.objects.filter(pk=video.pk).update(poster="knowledge/posters/evil.svg")
    assert client_for(readers["visitor"]).get(urls_of(video)["video-poster"]).status_code == 404


def test_an_external_video_links_out_with_its_transcript(readers, media_root):
    video = make_video("ext", external_url="https://videos.example.com/watch/42")
    client = client_for(readers["visitor"])
    body = client.get(urls_of(video)["video"]).content.decode()
    assert "<video" not in body and "<iframe" not in body
    assert 'href="https://videos.example.com/watch/42" rel="external noopener noreferrer"' in body
    assert "Watch on videos.example.com" in body
    assert "Open the console and pick a case." in body and "data-seek" not in body
    assert client.get(urls_of(video)["video-file"]).status_code == 404


def test_italian_page_of_an_english_video(readers, media_root):
    video = make_video()
    body = client_for(readers["visitor"], "it").get(urls_of(video)["video"]).content.decode()
    assert "Trascrizione" in body and 'lang="en"' in body
    listed = client_for(readers["visitor"], "it").get(reverse("knowledge:videos")).content.decode()
    assert "Tour tour" in listed


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("reader", ["visitor", "paid_member", "agent"])
def test_video_pages_queries_do_not_grow(readers, media_root, reader):
    video = make_video()
    make_video("second")
    client = client_for(readers[reader])
    pages = {"list": reverse("knowledge:videos"), "video": urls_of(video)["video"]}
    before = {name: _queries(client, url) for name, url in pages.items()}
    for n in range(3, 10):
        make_video(f"more-{n}")
        VideoChapter.objects.create(video=video, start_seconds=100 + n, title=f"C{n}")
    after = {name: _queries(client, url) for name, url in pages.items()}
    assert after == before
