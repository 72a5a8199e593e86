"""What the video pages show: the videos a reader may see, and one video with its chapters and
transcript lines (each with the moment it is spoken), in a fixed number of queries.

Reads start from selectors.access (`visible_videos`, `access_video`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.db.models import Case, IntegerField, QuerySet, Value, When
from django.urls import reverse

from tierdesk.accounts.models import Viewer

from ..models import TranscriptCue, Video, VideoChapter
from .access import visible_videos

# The longest ?t= a page accepts (a day): anything larger is ignored, not an error.
MAX_START_SECONDS = 86_400


def clock(seconds: float) -> str:
    """A moment of a video as players write it: 0:05, 1:20, 1:02:03."""
    total = max(0, int(seconds))
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}:{minutes:02d}:{secs:02d}"
    return f"{minutes}:{secs:02d}"


def iso_duration(seconds: float) -> str:
    """The same moment for a <time datetime="..."> attribute: PT1M20S."""
    total = max(0, int(seconds))
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    parts = (f"{hours}H" if hours else "") + (f"{minutes}M" if minutes else "")
    return f"PT{parts}{secs}S" if secs or not parts else f"PT{parts}"


def video_url(video: Video, seconds: float | None = None) -> str:
    """The video's page, starting at `seconds` when given (search results of transcript lines)."""
    url = reverse("knowledge:video", args=[video.slug])
    if seconds is None:
        return url
    return f"{url}?t={max(0, int(seconds))}"


def start_seconds(raw: str | None) -> int | None:
    """The moment asked by ?t=: whole seconds (12, 12.5 or 12s); None for anything else."""
    if not raw:
        return None
    text = raw.strip().lower().removesuffix("s")
    try:
        value = float(text)
    except ValueError:
        return None
    if not math.isfinite(value) or value < 0 or value > MAX_START_SECONDS:
        return None
    return int(value)


def video_list(user: Viewer | None, language: str) -> QuerySet[Video]:
    """The published videos the reader may see: their language first, newest first (paginate)."""
    own = Case(
        When(language=language, then=Value(0)), default=Value(1), output_field=IntegerField()
    )
    return (
        visible_videos(user)
        .annotate(other_language=own)
        .defer("transcript_vtt", "description")
        .order_by("other_language", "-created_at", "pk")
    )


@dataclass(frozen=True)
class Moment:
    """A chapter or a transcript line: where it starts, as seconds and as a clock."""

    start: float
    end: float | None
    text: str

    @property
    def clock(self) -> str:
        return clock(self.start)

    @property
    def iso(self) -> str:
        return iso_duration(self.start)

    @property
    def seconds(self) -> int:
        """Whole seconds, for ?t= links."""
        return int(self.start)

    @property
    def start_attr(self) -> str:
        """The start for data-start attributes (seconds, three decimals, locale-free)."""
        return f"{self.start:.3f}"

    @property
    def end_attr(self) -> str:
        return f"{self.end:.3f}" if self.end is not None else ""


@dataclass
class VideoPage:
    """Everything the video page shows besides the video row itself."""

    video: Video
    chapters: list[Moment]
    cues: list[Moment]
    start: int | None
    # The index in `cues` of the line spoken at `start` (highlighted when the page opens).
    active: int | None

    @property
    def is_file(self) -> bool:
        return bool(self.video.file)

    @property
    def external_host(self) -> str:
        """The host of an external video's URL, to name where the link goes."""
        return urlsplit(self.video.external_url).hostname or ""

    @property
    def duration_clock(self) -> str:
        return clock(self.video.duration_seconds)

    @property
    def duration_iso(self) -> str:
        return iso_duration(self.video.duration_seconds)


def active_cue(cues: list[Moment], at: float | None) -> int | None:
    """The index of the line spoken at `at`: the last one starting at or before it."""
    if at is None:
        return None
    found = None
    for index, cue in enumerate(cues):
        if cue.start <= at:
            found = index
        else:
            break
    return found


def video_page_data(video: Video, *, start: int | None = None) -> VideoPage:
    """Chapters and transcript lines of a video the reader may see (access_video; two queries)."""
    chapters = [
        Moment(c.start_seconds, None, c.title)
        for c in VideoChapter.objects.filter(video=video).order_by("start_seconds")
    ]
    cues = [
        Moment(c.start_ms / 1000, c.end_ms / 1000, c.text)
        for c in TranscriptCue.objects.filter(video=video)
        .order_by("position")
        .only("start_ms", "end_ms", "text")
    ]
    return VideoPage(
        video=video, chapters=chapters, cues=cues, start=start, active=active_cue(cues, start)
    )
