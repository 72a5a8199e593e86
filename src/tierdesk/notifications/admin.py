"""The outbox in the Django admin: read-only rows, with retry and cancel actions."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .models import OutboxMessage
from .services import outbox_cancel, outbox_retry


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    list_display = ("key", "to_email", "template", "language", "status", "attempts", "created_at")
    list_filter = ("status", "template", "language")
    search_fields = ("key", "to_email", "subject")
    date_hierarchy = "created_at"
    list_select_related = False
    actions = ("retry_messages", "cancel_messages")
    readonly_fields = tuple(field.name for field in OutboxMessage._meta.fields)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Viewing only: a row's content is what was caused; the actions change its state.
        return False

    @admin.action(description=_("Send again (failed or cancelled e-mails)"))
    def retry_messages(self, request: HttpRequest, queryset: QuerySet[OutboxMessage]) -> None:
        count = outbox_retry(message_ids=queryset.values_list("pk", flat=True))
        self.message_user(
            request,
            ngettext("%(count)d e-mail queued again.", "%(count)d e-mails queued again.", count)
            % {"count": count},
            messages.SUCCESS,
        )

    @admin.action(description=_("Cancel (pending e-mails)"))
    def cancel_messages(self, request: HttpRequest, queryset: QuerySet[OutboxMessage]) -> None:
        count = outbox_cancel(message_ids=queryset.values_list("pk", flat=True))
        self.message_user(
            request,
            ngettext("%(count)d e-mail cancelled.", "%(count)d e-mails cancelled.", count)
            % {"count": count},
            messages.SUCCESS,
        )
