"""Video transcripts: WebVTT parsed by webvtt-py into cues, a bad one refused whole."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError

from tierdesk.knowledge.models import TranscriptCue, Video
from tierdesk.knowledge.services.videos import video_transcript_set

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
