# The history's kinds become one vocabulary (EventKind): choices only, no change to the table.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("tickets", "0002_list_and_queue_indexes"),
    ]

    operations = [
        migrations.AlterField(
            model_name="caseevent",
            name="kind",
            field=models.CharField(
                choices=[
                    ("created", "Case opened"),
                    ("first_response", "First response"),
                    ("status", "Status"),
                    ("severity", "Severity"),
                    ("assignee", "Assignee"),
                    ("tags", "Tags"),
                    ("cc", "CC"),
                    ("attachment", "File added"),
                    ("escalated", "Escalated"),
                    ("merged_in", "Duplicate merged in"),
                    ("merged_into", "Merged into"),
                    ("self_escalation_requested", "Customer asked to escalate"),
                    ("self_escalation_decided", "Escalation request decided"),
                    ("sla_warning", "SLA warning"),
                    ("sla_breach", "SLA breach"),
                    ("targets", "SLA targets changed"),
                ],
                max_length=40,
                verbose_name="what",
            ),
        ),
    ]
