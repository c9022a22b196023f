# Issue 22: each county keeps its own evaluation rules; the existing versions are 进贤县's.

import django.db.models.deletion
from django.db import migrations, models

from counties.migration_steps import attach_to_home_county


def county(null):
    return models.ForeignKey(
        null=null,
        blank=not null,
        on_delete=django.db.models.deletion.PROTECT,
        related_name="+",
        to="counties.county",
        verbose_name="所属县（区）",
    )


class Migration(migrations.Migration):
    dependencies = [
        ("counties", "0002_home_county"),
        ("analysis", "0004_merge_rules_register"),
    ]

    operations = [
        migrations.AddField("evaluationrules", "county", county(True)),
        attach_to_home_county("analysis", "EvaluationRules"),
        migrations.AlterField("evaluationrules", "county", county(False)),
    ]
