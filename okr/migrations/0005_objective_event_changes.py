# Approved stays approved: an objective's events also record changes made after approval.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("okr", "0004_key_result_rollup"),
    ]

    operations = [
        migrations.AddField(
            model_name="objectiveevent",
            name="kind",
            field=models.CharField(
                choices=[
                    ("status", "Status changed"),
                    ("reapproval", "Changed after approval: back to leadership"),
                    ("amended", "Changed after approval"),
                    ("text_fix", "Edited after approval"),
                ],
                default="status",
                max_length=12,
            ),
        ),
        migrations.AddField(
            model_name="objectiveevent",
            name="changes",
            field=models.JSONField(blank=True, default=list),
        ),
        migrations.AddConstraint(
            model_name="objectiveevent",
            constraint=models.CheckConstraint(
                condition=models.Q(("kind__in", ["status", "reapproval", "amended", "text_fix"])),
                name="objective_event_kind_valid",
            ),
        ),
    ]
