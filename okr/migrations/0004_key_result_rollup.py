"""A key result says how its direct contributions combine (``rollup``: none or sum).

Replaces the ``current_from_children`` flag: a key result that summed its
direct children now has ``rollup = "sum"``; every other one ``"none"``.
"""

from django.conf import settings
from django.db import migrations, models

ROLLUP_CHOICES = [("none", "Listed, never added"), ("sum", "Summed into its current value")]


def flag_to_rollup(apps, schema_editor):
    KeyResult = apps.get_model("okr", "KeyResult")
    KeyResult.objects.filter(current_from_children=True, kind="metric").update(rollup="sum")


def rollup_to_flag(apps, schema_editor):
    KeyResult = apps.get_model("okr", "KeyResult")
    KeyResult.objects.filter(rollup="sum").update(current_from_children=True)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_apitoken"),
        ("okr", "0003_reviews_reminders_scores"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="historicalkeyresult",
            name="rollup",
            field=models.CharField(
                choices=ROLLUP_CHOICES,
                default="none",
                max_length=4,
                verbose_name="direct contributions",
            ),
        ),
        migrations.AddField(
            model_name="keyresult",
            name="rollup",
            field=models.CharField(
                choices=ROLLUP_CHOICES,
                default="none",
                max_length=4,
                verbose_name="direct contributions",
            ),
        ),
        migrations.RunPython(flag_to_rollup, rollup_to_flag),
        migrations.RemoveField(model_name="historicalkeyresult", name="current_from_children"),
        migrations.RemoveField(model_name="keyresult", name="current_from_children"),
        migrations.AddConstraint(
            model_name="keyresult",
            constraint=models.CheckConstraint(
                condition=models.Q(("rollup__in", ["none", "sum"])), name="kr_rollup_valid"
            ),
        ),
    ]
