"""The admin of FAQ entries (saved through services.faq, so the index rebuilds) and a
read-only view of conversations for the staff who look into one."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from tierdesk.web.markdown import render_markdown

from .models import FaqEntry
from .services.faq import faq_entry_delete


@admin.register(FaqEntry)
class FaqEntryAdmin(admin.ModelAdmin[FaqEntry]):
    list_display = ("question", "language", "published", "article", "owner", "updated_at")
    list_filter = ("language", "published")
    search_fields = ("question", "phrasings", "answer")
    autocomplete_fields = ("article",)
    readonly_fields = ("answer_preview", "owner", "created_at", "updated_at")
    fields = (
        "question",
        "phrasings",
        "answer",
        "answer_preview",
        "article",
        "language",
        "published",
        "owner",
        "created_at",
        "updated_at",
    )
    list_select_related = ("article", "owner")

    @admin.display(description=_("answer as readers see it"))
    def answer_preview(self, obj: FaqEntry) -> SafeString:
        return format_html('<div class="knowledge-preview">{}</div>', render_markdown(obj.answer))

    def save_model(self, request: HttpRequest, obj: FaqEntry, form: Any, change: bool) -> None:
        # The admin's form has validated the fields; the index's version moves with updated_at.
        if not change and obj.owner_id is None:
            obj.owner = request.user  # type: ignore[assignment]
        obj.updated_at = timezone.now()
        super().save_model(request, obj, form, change)

    def delete_model(self, request: HttpRequest, obj: FaqEntry) -> None:
        faq_entry_delete(actor=request.user, entry=obj)  # type: ignore[arg-type]
