"""Admin of license plans, support plans and their SLA targets.

A support plan's targets are a contract with each case (docs/plans.md): editing them changes
the targets of new cases only. The plan's page offers to apply its current targets to its open
cases, showing first how many cases' due times move and by how much.
"""

from __future__ import annotations

from datetime import timedelta

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.translation import gettext, ngettext

from ..models import (
    LicensePlan,
    SlaTarget,
    SupportPlan,
)

# Plans and entitlements -----------------------------------------------------------------------


@admin.register(LicensePlan)
class LicensePlanAdmin(admin.ModelAdmin):
    """The entitlement matrix: one row a plan, every cell editable in the list."""

    list_display = (
        "name",
        "code",
        "is_paid",
        "help_center",
        "assistant",
        "community_read",
        "community_post",
        "web_tickets",
        "assistant_handoff",
        "phone_first_line",
        "phone_second_line",
        "engineering_escalation",
        "queue_weight",
        "self_escalation",
        "self_escalation_after_hours",
        "sort_order",
    )
    list_editable = list_display[2:]
    list_display_links = ("name",)
    search_fields = ("name", "code")
    prepopulated_fields = {"code": ("name",)}


def signed_hours(shift: timedelta | None) -> str:
    """A shift of a due time as ``+4:00`` or ``-0:30`` (hours:minutes); ``-`` for none."""
    if shift is None:
        return "-"
    minutes = round(shift.total_seconds() / 60)
    sign = "-" if minutes < 0 else "+"
    hours, rest = divmod(abs(minutes), 60)
    return f"{sign}{hours}:{rest:02d}"


class SlaTargetInline(admin.TabularInline):
    model = SlaTarget
    extra = 0
    max_num = 4
    fields = ("severity", "first_response_minutes", "resolution_minutes", "clock")


@admin.register(SupportPlan)
class SupportPlanAdmin(admin.ModelAdmin):
    """Support plans (Access, Premier, Premier+) and their SLA targets per severity."""

    list_display = (
        "name",
        "code",
        "requires_paid_license",
        "priority_boost",
        "direct_second_line_for_admins",
        "automated_escalation",
        "named_technical_account_manager",
        "sort_order",
    )
    list_editable = list_display[2:]
    list_display_links = ("name",)
    inlines = (SlaTargetInline,)
    prepopulated_fields = {"code": ("name",)}

    def get_urls(self) -> list[URLPattern]:
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "<path:object_id>/apply-targets/",
                self.admin_site.admin_view(self.apply_targets_view),
                name="{}_{}_apply_targets".format(*info),
            ),
            *super().get_urls(),
        ]

    def apply_targets_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        """GET: how the plan's open cases would move; POST: apply the current targets to them."""
        # The cases' app sits above accounts: imported here, where the admin needs it.
        from tierdesk.tickets.selectors.clocks import target_change_preview
        from tierdesk.tickets.services.clocks import case_targets_apply

        plan = get_object_or_404(SupportPlan, pk=object_id)
        if not self.has_change_permission(request, plan):
            raise PermissionDenied
        change_url = reverse(
            f"admin:{self.opts.app_label}_{self.opts.model_name}_change", args=[plan.pk]
        )
        now = timezone.now()
        if request.method == "POST":
            with transaction.atomic():
                changed = case_targets_apply(support_plans=[plan], actor=request.user, now=now)
            self.message_user(
                request,
                ngettext(
                    "The current targets now apply to %(n)d open case.",
                    "The current targets now apply to %(n)d open cases.",
                    len(changed),
                )
                % {"n": len(changed)},
                messages.SUCCESS,
            )
            return HttpResponseRedirect(change_url)
        preview = target_change_preview(plan, now=now)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": plan,
            "title": gettext("Apply the current targets to open cases"),
            "preview": preview,
            "rows": [
                {
                    "shift": shift,
                    "min": signed_hours(shift.shift_min),
                    "median": signed_hours(shift.shift_median),
                    "max": signed_hours(shift.shift_max),
                }
                for shift in preview.shifts
            ],
            "change_url": change_url,
        }
        return TemplateResponse(request, "admin/accounts/supportplan/apply_targets.html", context)
