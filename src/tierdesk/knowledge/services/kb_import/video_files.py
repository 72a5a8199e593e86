"""Importing a video file (videos/<slug>/video.md or videos/<slug>.md) and its media."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from tierdesk.accounts.models import User

from ... import kbfiles
from ...choices import Visibility
from ...kbfiles import FormatError
from ...models import Video
from ..catalogue import video_save
from ..videos import video_transcript_set, vtt_parse
from .import_files import languages_known, slug_claim, visibility_check
from .import_report import error_text


def _media(folder: Path, meta: dict[str, Any], key: str) -> Path | None:
    name = kbfiles.text_field(meta, key)
    if not name:
        return None
    path = (folder / name).resolve()
    if path.parent != folder.resolve():
        message = _("bad %(field)s: %(name)r must be a file beside the video's markdown")
        raise FormatError(message % {"field": key, "name": name})
    if not path.is_file():
        raise FormatError(_("missing %(field)s %(name)r") % {"field": key, "name": name})
    return path


def video_import(
    root: Path, path: Path, actor: User | None, *, create_only: bool, seen: dict[str, str]
) -> bool | None:
    doc = kbfiles.parse_document(path.read_text(encoding="utf-8"))
    meta = doc.meta
    own_folder = path.name == kbfiles.VIDEO_FILE
    folder = path.parent
    default_slug = folder.name if own_folder else path.stem
    slug = kbfiles.slug_check(kbfiles.text_field(meta, "slug", default=default_slug))
    slug_claim(slug, path.relative_to(root).as_posix(), seen)
    if create_only and Video.objects.filter(slug=slug).exists():
        return False
    title = kbfiles.text_field(meta, "title", required=True)
    language = kbfiles.text_field(meta, "language", default="en")
    if language not in languages_known():
        raise FormatError(_("unknown language %(code)r") % {"code": language})
    published = meta.get("published", True)
    if not isinstance(published, bool):
        raise FormatError(_("bad published: expected true or false"))
    file = _media(folder, meta, "file")
    poster = _media(folder, meta, "poster")
    external_url = kbfiles.text_field(meta, "external_url")
    if (file is None) == (not external_url):
        raise FormatError(_("give either a video file or an external_url, not both"))
    transcript = _media(folder, meta, "transcript")
    if transcript is None and own_folder and (folder / "transcript.vtt").is_file():
        transcript = folder / "transcript.vtt"
    vtt = transcript.read_text(encoding="utf-8").replace("\r\n", "\n") if transcript else ""
    if vtt.strip():
        try:
            vtt_parse(vtt)
        except ValidationError as error:
            raise FormatError(
                _("bad VTT: %(reason)s")
                % {"reason": error_text(error).removeprefix("transcript_vtt: ")}
            ) from None
    rows = meta.get("chapters") or []
    if not isinstance(rows, list):
        raise FormatError(_("bad chapters: expected a list of {start, title}"))
    chapters = []
    for n, row in enumerate(rows, start=1):
        if not isinstance(row, dict):
            raise FormatError(_("bad chapter %(n)d: expected start and title") % {"n": n})
        chapters.append(
            (
                kbfiles.int_field(row, "start", default=0),
                kbfiles.text_field(row, "title", required=True),
            )
        )
    if len({start for start, _title in chapters}) != len(chapters):
        raise FormatError(_("two chapters start at the same second"))
    values = {
        "language": language,
        "title": title,
        "description": doc.body or kbfiles.text_field(meta, "description"),
        "visibility": visibility_check(meta.get("visibility", Visibility.PUBLIC)),
        "external_url": external_url,
        "duration_seconds": kbfiles.int_field(meta, "duration_seconds", default=0),
        "published": published,
    }
    with transaction.atomic():
        video, outcome = video_save(
            slug=slug, values=values, chapters=chapters, file=file, poster=poster, actor=actor
        )
        stored = Video.objects.values_list("transcript_vtt", flat=True).get(pk=video.pk)
        if stored != vtt:
            video_transcript_set(video=video, vtt=vtt, actor=actor)
            if outcome is False:
                outcome = True
    return outcome
