"""The outbox in the Django admin: read-only rows, with retry and cancel actions."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .kinds import SECRET_KINDS
from .models import OutboxMessage
from .services import outbox_cancel, outbox_retry

# The body is shown through `body`, which hides a one-time link (an invitation's token) from
# whoever reads the admin; the worker sends the stored body.
SHOWN_FIELDS: tuple[str, ...] = tuple(
    "body" if field.name == "body_text" else field.name
    for field in OutboxMessage._meta.fields
    if field.name != "id"
)


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    list_display = ("key", "to_email", "template", "language", "status", "attempts", "created_at")
    list_filter = ("status", "template", "language")
    search_fields = ("key", "to_email", "subject")
    date_hierarchy = "created_at"
    list_select_related = False
    actions = ("retry_messages", "cancel_messages")
    fields = SHOWN_FIELDS
    readonly_fields = SHOWN_FIELDS

    @admin.display(description=_("body"))
    def body(self, obj: OutboxMessage) -> str:
        """The body, except for kinds whose body holds a secret."""
        if obj.template in SECRET_KINDS:
            return str(_("(not shown: it holds a one-time link)"))
        return obj.body_text

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
