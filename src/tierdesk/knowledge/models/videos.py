"""Video tutorials: a file or an external URL, chapters, and the transcript's cues."""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .articles import language_field, visibility_field


class Video(models.Model):
    """A video tutorial in one language, with its WebVTT transcript."""

    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    language = language_field(default="en")
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True, help_text=_("Markdown."))
    visibility = visibility_field()
    file = models.FileField(_("video file"), upload_to="knowledge/videos/", blank=True)
    external_url = models.URLField(_("external URL"), blank=True)
    poster = models.FileField(_("poster image"), upload_to="knowledge/posters/", blank=True)
    duration_seconds = models.PositiveIntegerField(_("duration (seconds)"), default=0)
    # The WebVTT text as the author gave it; its cues (TranscriptCue) are written from it by
    # services.videos.video_transcript_set, never by hand.
    transcript_vtt = models.TextField(_("transcript (WebVTT)"), blank=True)
    published = models.BooleanField(_("published"), default=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        ordering: ClassVar = ["-created_at", "pk"]
        verbose_name = _("video")
        verbose_name_plural = _("videos")
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=(Q(file="") & ~Q(external_url="")) | (~Q(file="") & Q(external_url="")),
                name="video_file_or_url",
                violation_error_message=_("Give either a video file or an external URL, not both."),
            ),
        ]

    def __str__(self) -> str:
        return self.title


class VideoChapter(models.Model):
    """A named moment of a video (Installing the agent, at 1:20)."""

    video = models.ForeignKey(
        Video, on_delete=models.CASCADE, related_name="chapters", verbose_name=_("video")
    )
    start_seconds = models.PositiveIntegerField(_("starts at (seconds)"))
    title = models.CharField(_("title"), max_length=200)

    class Meta:
        ordering: ClassVar = ["video", "start_seconds"]
        verbose_name = _("video chapter")
        verbose_name_plural = _("video chapters")
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["video", "start_seconds"], name="video_chapter_start_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.video} · {self.title}"


class TranscriptCue(models.Model):
    """One line of a video's transcript, with the moment it is spoken."""

    video = models.ForeignKey(
        Video, on_delete=models.CASCADE, related_name="cues", verbose_name=_("video")
    )
    position = models.PositiveIntegerField(_("position"))
    start_ms = models.PositiveIntegerField(_("start (ms)"))
    end_ms = models.PositiveIntegerField(_("end (ms)"))
    text = models.TextField(_("text"))

    class Meta:
        ordering: ClassVar = ["video", "position"]
        verbose_name = _("transcript cue")
        verbose_name_plural = _("transcript cues")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["video", "position"], name="cue_position_unique"),
            models.CheckConstraint(condition=Q(end_ms__gt=F("start_ms")), name="cue_ends_after"),
        ]

    def __str__(self) -> str:
        return f"{self.video} @{self.start_ms} ms"
