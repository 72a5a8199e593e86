"""The Django admin for cases: read-mostly, for looking things up and auditing.

Every change of a case carries rules (clocks, timers, history, notifications), so it goes
through the services from the console; the admin only shows. Tags are the one plain list an
admin may edit here.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from .models import (
    Case,
    CaseEvent,
    Message,
    Pause,
    SelfEscalation,
    SeverityChange,
    SlaClock,
    SlaTimer,
    Tag,
)


class ReadOnlyMixin:
    """Neither add, change nor delete: rows are written by the services only."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        """Rows are created by the services."""
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        """Shown, never edited here."""
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        """History and clocks are never deleted by hand."""
        return False


class ReadOnlyInline(ReadOnlyMixin, admin.TabularInline[Any, Any]):
    extra = 0
    can_delete = False
    show_change_link = False


class MessageInline(ReadOnlyInline):
    model = Message
    fields = ("created_at", "author", "is_public", "channel", "body")
    readonly_fields = fields
    ordering = ("created_at", "pk")

    def get_queryset(self, request: HttpRequest) -> Any:
        """With the author, in one query."""
        return super().get_queryset(request).select_related("author")


class CaseEventInline(ReadOnlyInline):
    model = CaseEvent
    fields = ("at", "actor", "kind", "before", "after", "note")
    readonly_fields = fields
    ordering = ("at", "pk")

    def get_queryset(self, request: HttpRequest) -> Any:
        """With who did it, in one query."""
        return super().get_queryset(request).select_related("actor")


class SlaClockInline(ReadOnlyInline):
    model = SlaClock
    fields = ("target", "target_minutes", "clock", "due_at", "met_at", "breached_at")
    readonly_fields = fields


class PauseInline(ReadOnlyInline):
    model = Pause
    fields = ("started_at", "ended_at")
    readonly_fields = fields


class SeverityChangeInline(ReadOnlyInline):
    model = SeverityChange
    fields = ("at", "from_severity", "to_severity")
    readonly_fields = fields


@admin.register(Case)
class CaseAdmin(ReadOnlyMixin, admin.ModelAdmin[Case]):
    list_display = (
        "id",
        "subject",
        "account",
        "severity",
        "status",
        "line",
        "region",
        "assignee",
        "created_at",
        "next_due_at",
    )
    list_display_links = ("id", "subject")
    list_filter = ("status", "severity", "line", "channel", "region")
    list_select_related = ("account", "region", "assignee")
    search_fields = ("=id", "subject", "account__name", "requester__email")
    date_hierarchy = "created_at"
    ordering = ("-created_at",)
    list_per_page = 50
    readonly_fields = (
        "account",
        "requester",
        "subject",
        "description",
        "severity",
        "channel",
        "line",
        "status",
        "assignee",
        "region",
        "queue_weight",
        "merged_into",
        "created_at",
        "updated_at",
        "first_responded_at",
        "solved_at",
        "closed_at",
        "next_due_at",
        "sla_targets",  # the targets in force when the case opened (docs/plans.md)
        "tag_names",
    )
    fields = readonly_fields
    inlines = (
        SlaClockInline,
        PauseInline,
        SeverityChangeInline,
        MessageInline,
        CaseEventInline,
    )

    def get_queryset(self, request: HttpRequest) -> Any:
        """With the related rows a list or detail shows."""
        return (
            super()
            .get_queryset(request)
            .select_related("account", "requester", "assignee", "region", "merged_into")
        )

    @admin.display(description=_("tags"))
    def tag_names(self, obj: Case) -> str:
        """The case's tags, comma-separated."""
        return ", ".join(t.name for t in obj.tags.all())


@admin.register(SelfEscalation)
class SelfEscalationAdmin(ReadOnlyMixin, admin.ModelAdmin[SelfEscalation]):
    list_display = ("case", "reason", "requested_by", "requested_at", "decision", "decided_by")
    list_filter = ("decision", "reason")
    list_select_related = ("case", "requested_by", "decided_by")
    search_fields = ("=case__id", "case__subject", "requested_by__email")
    date_hierarchy = "requested_at"


@admin.register(SlaTimer)
class SlaTimerAdmin(ReadOnlyMixin, admin.ModelAdmin[SlaTimer]):
    list_display = ("case", "target", "event", "fraction", "fire_at", "fired_at", "outcome")
    list_filter = ("event", "target", "outcome")
    list_select_related = ("case",)
    search_fields = ("=case__id",)
    date_hierarchy = "fire_at"


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin[Tag]):
    list_display = ("name",)
    search_fields = ("name",)
