# Issue 22: every task force and county leader belongs to a county; the existing ones to 进贤县.

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
        ("taskforces", "0003_county_leader"),
    ]

    operations = [
        migrations.AddField("taskforce", "county", county("task_forces", True)),
        migrations.AddField("countyleader", "county", county("leaders", True)),
        attach_to_home_county("taskforces", "TaskForce", "CountyLeader"),
        migrations.AlterField("taskforce", "county", county("task_forces", False)),
        migrations.AlterField("countyleader", "county", county("leaders", False)),
        migrations.AlterField(
            "taskforce", "name", models.CharField(max_length=100, verbose_name="名称")
        ),
        migrations.AddConstraint(
            "taskforce",
            models.UniqueConstraint(
                fields=("county", "name"), name="taskforce_name_once_per_county"
            ),
        ),
    ]
