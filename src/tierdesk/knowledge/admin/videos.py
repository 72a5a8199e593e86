"""Admin of video tutorials: the file or URL, chapters, and the WebVTT transcript."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from ..models import TranscriptCue, Video, VideoChapter
from ..services.catalogue import video_delete
from ..services.search import search_index_update
from ..services.videos import video_transcript_set, vtt_parse
from .common import ReadOnlyTabularInline


class VideoForm(forms.ModelForm[Video]):
    """The transcript is checked here, so a bad WebVTT is the field's error and saves nothing."""

    external_url = forms.URLField(
        label=_("external URL"), required=False, assume_scheme="https", max_length=200
    )

    class Meta:
        model = Video
        fields = (
            "slug",
            "language",
            "title",
            "description",
            "visibility",
            "published",
            "file",
            "external_url",
            "poster",
            "duration_seconds",
            "transcript_vtt",
        )
        widgets = {"transcript_vtt": forms.Textarea(attrs={"rows": 12})}

    def clean_transcript_vtt(self) -> str:
        """The WebVTT text if webvtt-py parses it and its cues make sense."""
        vtt = (self.cleaned_data.get("transcript_vtt") or "").replace("\r\n", "\n")
        if vtt.strip():
            try:
                vtt_parse(vtt)
            except ValidationError as error:
                raise ValidationError(error.message_dict["transcript_vtt"]) from None
        return vtt


class VideoChapterInline(admin.TabularInline[VideoChapter, Video]):
    model = VideoChapter
    extra = 1
    fields = ("start_seconds", "title")


class CueInline(ReadOnlyTabularInline):
    model = TranscriptCue
    fields = ("position", "start_ms", "end_ms", "text")
    readonly_fields = fields
    ordering = ("position",)
    verbose_name_plural = _("transcript cues (written from the WebVTT above)")


@admin.register(Video)
class VideoAdmin(admin.ModelAdmin[Video]):
    form = VideoForm
    list_display = ("title", "language", "visibility", "published", "duration_seconds")
    list_filter = ("language", "visibility", "published")
    search_fields = ("slug", "title")
    prepopulated_fields = {"slug": ("title",)}
    inlines = (VideoChapterInline, CueInline)

    def save_model(self, request: HttpRequest, obj: Video, form: Any, change: bool) -> None:
        """The video, then its transcript's cues through the service when the text changed."""
        vtt = form.cleaned_data.get("transcript_vtt", "")
        if change:
            obj.transcript_vtt = Video.objects.only("transcript_vtt").get(pk=obj.pk).transcript_vtt
        super().save_model(request, obj, form, change)
        if not change or vtt != obj.transcript_vtt:
            video_transcript_set(video=obj, vtt=vtt, actor=request.user)  # type: ignore[arg-type]

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        """Then the index follows the video (published or not, title, visibility, language)."""
        super().save_related(request, form, formsets, change)
        search_index_update(video=form.instance)

    def delete_model(self, request: HttpRequest, obj: Video) -> None:
        """Through the service, which takes the video's search entries with it."""
        video_delete(video=obj, actor=request.user)  # type: ignore[arg-type]

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Video]) -> None:
        """The bulk delete, one video at a time through the service."""
        for video in queryset:
            video_delete(video=video, actor=request.user)  # type: ignore[arg-type]
