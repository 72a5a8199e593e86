"""Pieces the help center's admin pages share: read-only rows and markdown previews."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.safestring import SafeString

from tierdesk.web.markdown import render_markdown


class ReadOnlyAdminMixin:
    """Neither add, change nor delete: the rows are written by the services only."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        """Rows are created by the services."""
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        """Shown, never edited here."""
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        """History is never deleted by hand."""
        return False


class ReadOnlyTabularInline(ReadOnlyAdminMixin, admin.TabularInline[Any, Any]):
    extra = 0
    can_delete = False


def markdown_preview(text: str) -> SafeString:
    """The markdown as readers see it (sanitised by nh3), in a bordered box."""
    return format_html('<div class="knowledge-preview">{}</div>', render_markdown(text))
