"""Admin of complete guides, their chapters, and the chapters readers have read."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from ..models import ChapterRead, Guide, GuideChapter
from .common import ReadOnlyAdminMixin


class ChapterInline(admin.TabularInline[GuideChapter, Guide]):
    model = GuideChapter
    extra = 1
    fields = ("position", "article", "title_en", "title_it")
    autocomplete_fields = ("article",)
    ordering = ("position", "pk")


@admin.register(Guide)
class GuideAdmin(admin.ModelAdmin[Guide]):
    list_display = ("title_en", "title_it", "slug", "visibility", "position")
    list_filter = ("visibility",)
    list_editable = ("position",)
    search_fields = ("slug", "title_en", "title_it")
    prepopulated_fields = {"slug": ("title_en",)}
    inlines = (ChapterInline,)


@admin.register(ChapterRead)
class ChapterReadAdmin(ReadOnlyAdminMixin, admin.ModelAdmin[ChapterRead]):
    list_display = ("user", "chapter", "read_at")
    list_select_related = ("user", "chapter__guide")
    search_fields = ("user__email", "chapter__guide__slug")

    def get_queryset(self, request: HttpRequest) -> Any:
        """With the user and the guide, in one query."""
        return super().get_queryset(request).select_related("user", "chapter__guide")
