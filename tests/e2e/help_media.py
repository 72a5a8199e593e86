"""Guides and videos for the browser tests: a guide of two chapters and the demo video tutorial
(its WebM file, poster, chapters and WebVTT transcript from knowledge/demo/videos/).

Call with MEDIA_ROOT pointing at a temporary folder (the `media` fixture).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from django.core.files.base import ContentFile

from tierdesk.knowledge.models import Category, Guide, GuideChapter, Video, VideoChapter
from tierdesk.knowledge.services.articles import (
    article_create,
    translation_publish,
    translation_save,
)
from tierdesk.knowledge.services.videos import video_transcript_set

DEMO = Path(__file__).resolve().parents[2] / "src/tierdesk/knowledge/demo/videos"


def demo_video(slug: str | None = None) -> Video:
    """The demo video as its front matter describes it, stored in MEDIA_ROOT."""
    text = (DEMO / "opening-a-case.md").read_text()
    meta: dict[str, Any] = yaml.safe_load(text.split("---")[1])
    video = Video(
        slug=slug or meta["slug"],
        language=meta["language"],
        title=meta["title"],
        description=meta["description"],
        visibility=meta["visibility"],
        duration_seconds=meta["duration_seconds"],
        published=True,
    )
    video.file.save(meta["file"], ContentFile((DEMO / meta["file"]).read_bytes()), save=False)
    video.poster.save(meta["poster"], ContentFile((DEMO / meta["poster"]).read_bytes()), save=False)
    video.save()
    for chapter in meta["chapters"]:
        VideoChapter.objects.create(
            video=video, start_seconds=chapter["start"], title=chapter["title"]
        )
    video_transcript_set(video=video, vtt=(DEMO / meta["transcript"]).read_text())
    return video


def guide_and_video() -> dict[str, Any]:
    """A public guide of two chapters (the first also in Italian) and the demo video."""
    category, _ = Category.objects.get_or_create(
        slug="getting-started", defaults={"name_en": "Getting started", "name_it": "Per iniziare"}
    )
    first = article_create(
        category=category,
        language="en",
        title="Signing in for the first time",
        summary="Accept the invitation and choose a password.",
        body="Open the **invitation** e-mail and choose a password.\n\n1. Open it.\n2. Choose.",
        publish=True,
    )
    italian = translation_save(
        article=first,
        language="it",
        title="Il primo accesso",
        body="Apri l'e-mail di **invito** e scegli una password.",
    )
    translation_publish(translation=italian)
    second = article_create(
        category=category,
        language="en",
        title="Opening your first case",
        body="Choose **New case**, describe the problem and pick a severity.",
        publish=True,
    )
    guide = Guide.objects.create(
        slug="first-steps",
        title_en="First steps",
        title_it="Primi passi",
        summary_en="From the invitation to your first case.",
        summary_it="Dall'invito al primo caso.",
    )
    GuideChapter.objects.create(guide=guide, article=first, position=1)
    GuideChapter.objects.create(guide=guide, article=second, position=2)
    return {"guide": guide, "chapter_slug": "signing-in-for-the-first-time", "video": demo_video()}
