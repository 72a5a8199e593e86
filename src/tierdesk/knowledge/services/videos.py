"""Video transcripts: WebVTT parsed with webvtt-py into cues, all or nothing."""

from __future__ import annotations

from dataclasses import dataclass

import webvtt
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from webvtt.errors import MalformedCaptionError, MalformedFileError

from tierdesk.accounts.models import User

from ..models import TranscriptCue, Video
from .authoring import author_check
from .search import search_index_update

MAX_VTT = 1_000_000
MAX_CUES = 20_000


@dataclass(frozen=True)
class Cue:
    """One parsed cue, before it is stored."""

    start_ms: int
    end_ms: int
    text: str


def vtt_parse(vtt: str) -> list[Cue]:
    """The cues of a WebVTT text; a ValidationError naming the first problem otherwise."""
    if len(vtt) > MAX_VTT:
        message = _("The transcript is too long (at most %(n)d characters).") % {"n": MAX_VTT}
        raise ValidationError({"transcript_vtt": message})
    try:
        captions = webvtt.from_string(vtt.lstrip("\ufeff"), strict=True).captions
    except MalformedFileError:
        raise ValidationError(
            {"transcript_vtt": _("Not a WebVTT file: the first line must be WEBVTT.")}
        ) from None
    except MalformedCaptionError as error:
        raise ValidationError(
            {"transcript_vtt": _("A cue is malformed: %(detail)s") % {"detail": error}}
        ) from None
    if not captions:
        raise ValidationError({"transcript_vtt": _("The transcript has no cues.")})
    if len(captions) > MAX_CUES:
        raise ValidationError({"transcript_vtt": _("The transcript has too many cues.")})
    cues: list[Cue] = []
    for n, caption in enumerate(captions, start=1):
        start, end = caption.start_time.in_milliseconds(), caption.end_time.in_milliseconds()
        text = " ".join(caption.text.split())
        where = {"n": n, "start": caption.start, "end": caption.end}
        if end <= start:
            raise ValidationError(
                {
                    "transcript_vtt": _("Cue %(n)d ends before it starts (%(start)s --> %(end)s).")
                    % where
                }
            )
        if not text:
            raise ValidationError({"transcript_vtt": _("Cue %(n)d has no text.") % where})
        if cues and start < cues[-1].start_ms:
            raise ValidationError(
                {
                    "transcript_vtt": _("Cue %(n)d starts before the cue above it (%(start)s).")
                    % where
                }
            )
        cues.append(Cue(start_ms=start, end_ms=end, text=text))
    return cues


def video_transcript_set(
    *, video: Video, vtt: str, actor: User | None = None
) -> list[TranscriptCue]:
    """Replace the video's transcript and its cues; an empty text removes the transcript.

    A bad transcript raises a ValidationError naming the problem and changes nothing.
    """
    author_check(actor)
    vtt = (vtt or "").replace("\r\n", "\n")
    cues = vtt_parse(vtt) if vtt.strip() else []
    with transaction.atomic():
        locked = Video.objects.select_for_update().get(pk=video.pk)
        TranscriptCue.objects.filter(video=locked).delete()
        rows = TranscriptCue.objects.bulk_create(
            TranscriptCue(
                video=locked, position=n, start_ms=cue.start_ms, end_ms=cue.end_ms, text=cue.text
            )
            for n, cue in enumerate(cues, start=1)
        )
        Video.objects.filter(pk=locked.pk).update(transcript_vtt=vtt)
        search_index_update(video=locked)
    video.transcript_vtt = vtt
    return rows
