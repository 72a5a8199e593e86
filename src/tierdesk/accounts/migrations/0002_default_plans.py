"""The default plans, entitlement matrix and SLA targets of product.md, as editable data."""

from django.db import migrations

from tierdesk.sla.policies import DEFAULT_POLICIES, SupportTier

# code, name, paid, web tickets & hand-off & phone L1, phone L2, engineering, weight, self-escalation
LICENSE_PLANS = [
    ("basic", "Basic", False, False, False, False, None, False),
    ("pro", "Pro", True, True, False, False, 1, False),
    ("business", "Business", True, True, True, False, 2, False),
    ("business_plus", "Business Plus", True, True, True, True, 3, True),
    ("enterprise", "Enterprise", True, True, True, True, 4, True),
    ("education", "Education", True, True, True, True, 4, True),
]

# code, name, requires paid, boost, direct L2 for admins, automated escalation, named TAM
SUPPORT_PLANS = [
    (SupportTier.ACCESS.value, "Access", False, 0, False, False, False),
    (SupportTier.PREMIER.value, "Premier", True, 2, True, False, False),
    (SupportTier.PREMIER_PLUS.value, "Premier+", True, 3, True, True, True),
]

# support plan, severity, first response, resolution, clock: the one default table, in the pure
# SLA package (tierdesk.sla.policies), so that the seeded rows and the engine's defaults are the
# same data. Plain values are taken from it here, as a migration must not depend on model code.
SLA_TARGETS = [
    (plan, severity, t.first_response_minutes, t.resolution_minutes, t.clock.value)
    for (plan, severity), t in sorted(DEFAULT_POLICIES.items())
]


def load_defaults(apps, schema_editor):
    LicensePlan = apps.get_model("accounts", "LicensePlan")
    SupportPlan = apps.get_model("accounts", "SupportPlan")
    SlaTarget = apps.get_model("accounts", "SlaTarget")
    for order, (
        code,
        name,
        paid,
        first_line,
        second_line,
        engineering,
        weight,
        self_esc,
    ) in enumerate(LICENSE_PLANS):
        LicensePlan.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "is_paid": paid,
                "sort_order": order,
                "help_center": True,
                "assistant": True,
                "community_read": True,
                "community_post": True,
                "web_tickets": first_line,
                "assistant_handoff": first_line,
                "phone_first_line": first_line,
                "phone_second_line": second_line,
                "engineering_escalation": engineering,
                "queue_weight": weight,
                "self_escalation": self_esc,
                "self_escalation_after_hours": 24,
            },
        )
    plans = {}
    for order, (code, name, paid, boost, direct_l2, auto_esc, tam) in enumerate(SUPPORT_PLANS):
        plans[code], _ = SupportPlan.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "sort_order": order,
                "requires_paid_license": paid,
                "priority_boost": boost,
                "direct_second_line_for_admins": direct_l2,
                "automated_escalation": auto_esc,
                "named_technical_account_manager": tam,
            },
        )
    for plan, severity, first, resolution, clock in SLA_TARGETS:
        SlaTarget.objects.update_or_create(
            support_plan=plans[plan],
            severity=severity,
            defaults={
                "first_response_minutes": first,
                "resolution_minutes": resolution,
                "clock": clock,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]

    operations = [migrations.RunPython(load_defaults, migrations.RunPython.noop)]
