"""Admin of complete guides, their chapters, and the chapters readers have read."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from ..models import ChapterRead, Guide, GuideChapter
from ..services.catalogue import guide_delete
from ..services.search import search_index_update
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

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        """The guide and its chapters, then its search entries (titles, summary, chapters)."""
        super().save_related(request, form, formsets, change)
        search_index_update(guide=form.instance)

    def delete_model(self, request: HttpRequest, obj: Guide) -> None:
        """Through the service, which takes the guide's search entries with it."""
        guide_delete(guide=obj, actor=request.user)  # type: ignore[arg-type]

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Guide]) -> None:
        """The bulk delete, one guide at a time through the service."""
        for guide in queryset:
            guide_delete(guide=guide, actor=request.user)  # type: ignore[arg-type]


@admin.register(ChapterRead)
class ChapterReadAdmin(ReadOnlyAdminMixin, admin.ModelAdmin[ChapterRead]):
    list_display = ("user", "chapter", "read_at")
    list_select_related = ("user", "chapter__guide")
    search_fields = ("user__email", "chapter__guide__slug")

    def get_queryset(self, request: HttpRequest) -> Any:
        """With the user and the guide, in one query."""
        return super().get_queryset(request).select_related("user", "chapter__guide")
