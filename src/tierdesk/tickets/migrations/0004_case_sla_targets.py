"""Cases store the SLA targets in force when they were opened (their contract, docs/plans.md).

Existing cases get their support plan's current targets, as a case opened now would (none when
the account's license is free), the targets their clocks were last computed with or would be.
"""

from django.db import migrations, models


def fill_targets(apps, schema_editor):
    Case = apps.get_model("tickets", "Case")
    SlaTarget = apps.get_model("accounts", "SlaTarget")
    tables: dict[int, dict[str, dict[str, object]]] = {}
    for plan_id, severity, first, resolution, clock in SlaTarget.objects.order_by(
        "support_plan_id", "severity"
    ).values_list(
        "support_plan_id", "severity", "first_response_minutes", "resolution_minutes", "clock"
    ):
        # The shape of tierdesk.sla.policies.target_table_to_json.
        tables.setdefault(plan_id, {})[str(severity)] = {
            "first_response": first,
            "resolution": resolution,
            "clock": clock,
        }
    for plan_id, table in tables.items():
        Case.objects.filter(
            account__support_plan_id=plan_id, account__license_plan__is_paid=True
        ).update(sla_targets=table)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_default_plans"),
        ("tickets", "0003_caseevent_kind_choices"),
    ]

    operations = [
        migrations.AddField(
            model_name="case",
            name="sla_targets",
            field=models.JSONField(blank=True, default=dict, verbose_name="SLA targets"),
        ),
        migrations.RunPython(fill_targets, migrations.RunPython.noop),
    ]
