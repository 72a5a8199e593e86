"""Admin of phone support: known caller numbers (editable), calls and queue entries (read)."""

from __future__ import annotations

from django.contrib import admin

from .models import Call, KnownCaller, QueueEntry


@admin.register(KnownCaller)
class KnownCallerAdmin(admin.ModelAdmin[KnownCaller]):
    list_display = ("number", "account", "user")
    search_fields = ("number", "account__name", "user__email")
    autocomplete_fields = ("account", "user")


@admin.register(Call)
class CallAdmin(admin.ModelAdmin[Call]):
    list_display = ("call_sid", "from_number", "account", "line", "severity", "state", "started_at")
    list_filter = ("state", "line", "region")
    search_fields = ("call_sid", "from_number", "account__name")
    readonly_fields = [f.name for f in Call._meta.fields]


@admin.register(QueueEntry)
class QueueEntryAdmin(admin.ModelAdmin[QueueEntry]):
    list_display = ("call", "region", "line", "severity", "plan_weight", "state", "entered_at")
    list_filter = ("state", "line", "region", "kind")
    readonly_fields = [f.name for f in QueueEntry._meta.fields]
