# Issue 22: every department and enterprise belongs to a county; the existing ones to 进贤县.

import django.db.models.deletion
from django.db import migrations, models

from counties.migration_steps import attach_to_home_county


def county(related_name, null):
    return models.ForeignKey(
        null=null,
        blank=not null,
        on_delete=django.db.models.deletion.PROTECT,
        related_name=related_name,
        to="counties.county",
        verbose_name="所属县（区）",
    )


class Migration(migrations.Migration):
    dependencies = [
        ("counties", "0002_home_county"),
        ("enterprises", "0006_department_assessment_group"),
    ]

    operations = [
        migrations.AddField("department", "county", county("departments", True)),
        migrations.AddField("enterprise", "county", county("enterprises", True)),
        attach_to_home_county("enterprises", "Department", "Enterprise"),
        migrations.AlterField("department", "county", county("departments", False)),
        migrations.AlterField("enterprise", "county", county("enterprises", False)),
        migrations.AlterField(
            "department", "name", models.CharField(max_length=100, verbose_name="名称")
        ),
        migrations.AddConstraint(
            "department",
            models.UniqueConstraint(
                fields=("county", "name"), name="department_name_once_per_county"
            ),
        ),
    ]
