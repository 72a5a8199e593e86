"""Admin of license plans, support plans and their SLA targets."""

from __future__ import annotations

from django.contrib import admin

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
